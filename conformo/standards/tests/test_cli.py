"""The `conformo catalog` contract other tools rely on: shapes of the JSON, exit codes, one-line refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from conformo.core.tests.cli import run_in_process
from conformo.standards.models import Standard
from conformo.standards.tests.conftest import mini_catalog
from conformo.standards.tests.test_importers import ciso_library, oscal_catalog

pytestmark = pytest.mark.django_db


def catalog(*args: str) -> str:
    out = StringIO()
    call_command("catalog", *args, stdout=out)
    return out.getvalue()


def test_load_without_paths_loads_every_shipped_catalog_and_is_idempotent() -> None:
    first = catalog("load")
    assert "iso-iec-27001-2022: created version 3 (41 clauses, 93 controls)" in first
    assert Standard.objects.count() == 9
    assert "already loaded, skipped" in catalog("load")


def test_load_with_paths_loads_those_files(write_catalog: Any) -> None:
    assert "iso-99999-2024: created version 1" in catalog("load", str(write_catalog(mini_catalog())))


def test_list_json_gives_ids_titles_editions_and_counts() -> None:
    catalog("load")
    items = {item["id"]: item for item in json.loads(catalog("list", "--json"))}
    assert set(items) == {
        "iso-9001-2015",
        "iso-14001-2015",
        "iso-45001-2018",
        "iso-iec-27001-2013",
        "iso-iec-27001-2022",
        "iso-22301-2019",
        "iso-22000-2018",
        "iso-13485-2016",
        "harmonized-structure",
    }
    iso27001 = items["iso-iec-27001-2022"]
    assert (iso27001["clauses"], iso27001["controls"], iso27001["edition"]) == (41, 93, 2022)
    assert iso27001["title"].startswith("Information security")
    assert (items["iso-9001-2015"]["clauses"], items["iso-9001-2015"]["controls"]) == (91, 0)


def test_list_json_is_an_empty_array_when_nothing_is_loaded() -> None:
    assert json.loads(catalog("list", "--json")) == []


def test_show_json_nests_clauses_and_controls_under_children() -> None:
    catalog("load")
    document = json.loads(catalog("show", "iso-iec-27001-2022", "--json"))
    assert document["id"] == "iso-iec-27001-2022"
    roots = document["children"]
    clauses = [n for n in roots if n["kind"] == "clause"]
    controls = [n for n in roots if n["kind"] == "control"]
    assert [n["ref"] for n in clauses] == ["4", "5", "6", "7", "8", "9", "10"]
    assert len(controls) == 93
    assert controls[0] == {
        **controls[0],
        "ref": "5.1",
        "title": "Policies for information security",
    }
    assert clauses[1]["children"][1]["title"] == "Policy"


def test_show_prints_an_outline() -> None:
    catalog("load")
    text = catalog("show", "iso-iec-27001-2022")
    assert "  A.8.34 Protection of information systems during audit testing [technological]" in text


def test_import_prints_the_new_id_and_export_prints_oscal_that_reimports(tmp_path: Path) -> None:
    import yaml

    library = tmp_path / "widget.yaml"
    library.write_text(yaml.safe_dump(ciso_library()))
    assert catalog("import", "--format", "ciso-assistant", str(library)).strip() == "ciso-widget-2024"
    exported = tmp_path / "widget.json"
    exported.write_text(catalog("export", "--format", "oscal", "ciso-widget-2024"))
    assert json.loads(exported.read_text())["catalog"]["metadata"]["version"] == "3"
    assert catalog("import", "--format", "oscal", str(exported)).strip() == "oscal-ciso-widget-2024"


def test_refusals_are_command_errors_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"catalog": {"uuid": "x"}}))
    with pytest.raises(CommandError) as caught:
        catalog("import", "--format", "oscal", str(broken))
    assert str(caught.value).startswith("broken.json: $.catalog.")
    assert "\n" not in str(caught.value)
    with pytest.raises(CommandError, match="No standard with id 'nope'"):
        catalog("show", "nope", "--json")
    with pytest.raises(CommandError, match="No such file"):
        catalog("import", "--format", "oscal", str(tmp_path / "missing.json"))


def _conformo(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DEBUG": "1",
        "CONFORMO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3",
    }
    code = "import sys; from conformo.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, check=False
    )


def test_the_console_script_refuses_a_broken_file_with_one_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "objects:\n  framework:\n    requirement_nodes:\n      - {urn: 'u:1', ref_id: '1', parent_urn: 'u:9'}\n"
    )
    result = _conformo("catalog", "import", "--format", "ciso-assistant", str(bad), tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == "CommandError: bad.yaml: $.objects.framework.requirement_nodes[0].parent_urn: unknown parent 'u:9'"
    )
    usage = run_in_process("catalog", "export", "--format", "pdf", "iso-9001-2015")
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr
    assert "invalid choice" in usage.stderr


def test_the_oscal_test_catalog_imports_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "gadget.json"
    path.write_text(json.dumps(oscal_catalog()))
    assert catalog("import", "--format", "oscal", str(path)).strip() == "oscal-gadget-security-catalog"


def test_show_json_gives_an_editions_successor_and_transition() -> None:
    catalog("load")
    new = json.loads(catalog("show", "iso-iec-27001-2022", "--json"))
    assert new["replaces"] == "iso-iec-27001-2013"
    assert new["transition"]["ends_on"] == "2025-10-31"
    old = json.loads(catalog("show", "iso-iec-27001-2013", "--json"))
    assert old["replaced_by"] == "iso-iec-27001-2022"
