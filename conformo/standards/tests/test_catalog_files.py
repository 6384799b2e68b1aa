"""The catalog format: shipped files are valid and match the reference counts; malformed files are refused."""

from __future__ import annotations

from typing import Any

import pytest

from conformo.standards.catalog import CatalogError, catalog_parse, catalog_read, shipped_catalog_paths
from conformo.standards.models import ClauseKind
from conformo.standards.tests.conftest import mini_catalog

# The `counts:` blocks of the reference data (../shared/reference/standards/*.yaml) — the truth for these numbers.
REFERENCE_COUNTS = {
    "iso-9001-2015": (91, 16, 0),
    "iso-14001-2015": (45, 0, 0),
    "iso-45001-2018": (56, 0, 0),
    "iso-iec-27001-2013": (35, 0, 114),
    "iso-iec-27001-2022": (41, 0, 93),
    "iso-22301-2019": (64, 0, 0),
    "iso-22000-2018": (69, 0, 0),
    "iso-13485-2016": (91, 6, 0),
    "harmonized-structure": (36, 0, 0),
}


def test_every_shipped_catalog_is_valid_and_matches_the_reference_counts() -> None:
    catalogs = {path.stem: catalog_read(path) for path in shipped_catalog_paths()}
    assert set(catalogs) == set(REFERENCE_COUNTS)
    for code, (clauses, untitled, controls) in REFERENCE_COUNTS.items():
        catalog = catalogs[code]
        assert catalog.code == code
        assert catalog.count(ClauseKind.CLAUSE) == clauses, code
        assert sum(1 for n in catalog.nodes if n.untitled) == untitled, code
        assert catalog.count(ClauseKind.CONTROL) == controls, code


def test_the_27001_annex_a_themes_are_37_8_14_34() -> None:
    catalog = catalog_read(shipped_catalog_paths()[0].parent / "iso-iec-27001-2022.yaml")
    themes: dict[str, int] = {}
    for node in catalog.nodes:
        if node.kind == ClauseKind.CONTROL:
            themes[node.theme] = themes.get(node.theme, 0) + 1
    assert themes == {"organizational": 37, "people": 8, "physical": 14, "technological": 34}


def test_every_shipped_clause_4_to_10_has_one_line_of_guidance() -> None:
    for path in shipped_catalog_paths():
        for node in catalog_read(path).nodes:
            if node.kind == ClauseKind.CLAUSE:
                assert node.guidance, (path.stem, node.ref)
                assert "\n" not in node.guidance, (path.stem, node.ref)


def test_the_harmonized_structure_is_loaded_first() -> None:
    assert shipped_catalog_paths()[0].stem == "harmonized-structure"


def test_a_valid_catalog_is_flattened_in_document_order_with_parents_and_depths() -> None:
    catalog = catalog_parse(mini_catalog(), file="mini.yaml")
    assert [(n.kind, n.ref, n.parent_ref, n.depth) for n in catalog.nodes] == [
        ("clause", "4", None, 1),
        ("clause", "4.1", "4", 2),
        ("clause", "4.2", "4", 2),
        ("clause", "10", None, 1),
        ("clause", "10.3", "10", 2),
        ("control", "5.1", None, 1),
    ]
    untitled = catalog.nodes[2]
    assert untitled.untitled
    assert untitled.title == ""


def _refusal(doc: Any) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        catalog_parse(doc, file="bad.yaml")
    return caught.value


@pytest.mark.parametrize(
    ("change", "place", "reason"),
    [
        ({"id": "ISO 9001"}, "$.id", "does not match"),
        ({"status": "obsolete"}, "$.status", "is not one of"),
        ({"version": 0}, "$.version", "less than the minimum"),
        ({"clauses": []}, "$.clauses", "should be non-empty"),
        ({"format": 2}, "$.format", "was expected"),
        ({"colour": "blue"}, "$", "Additional properties"),
        ({"clauses": [{"ref": "4"}]}, "$.clauses[0]", "'title' is a required property"),
        ({"clauses": [{"ref": "4", "title": "A", "untitled": True}]}, "$.clauses[0]", "should not be valid"),
    ],
)
def test_the_schema_refuses_a_malformed_catalog_with_the_place_and_reason(
    change: dict[str, Any], place: str, reason: str
) -> None:
    error = _refusal(mini_catalog(**change))
    assert error.file == "bad.yaml"
    assert error.place == place
    assert reason in error.reason
    assert str(error).startswith(f"bad.yaml: {place}: ")


def test_it_refuses_a_duplicate_clause_ref_naming_both_places() -> None:
    clauses = [{"ref": "4", "title": "A", "children": [{"ref": "4.1", "title": "B"}, {"ref": "4.1", "title": "C"}]}]
    error = _refusal(mini_catalog(clauses=clauses))
    assert error.place == "$.clauses[0].children[1].ref"
    assert "duplicate clause ref '4.1'" in error.reason
    assert "$.clauses[0].children[0]" in error.reason


def test_a_control_may_share_a_ref_with_a_clause() -> None:
    catalog = catalog_parse(mini_catalog(controls=[{"ref": "4.1", "title": "Same number"}]), file="ok.yaml")
    assert catalog.count(ClauseKind.CONTROL) == 1


def test_it_refuses_a_mandatory_document_for_a_clause_that_does_not_exist() -> None:
    error = _refusal(mini_catalog(mandatory_documents=[{"ref": "9.9 a)", "what": "Ghost"}]))
    assert error.place == "$.mandatory_documents[0].ref"
    assert "'9.9'" in error.reason


def test_it_refuses_an_undeclared_control_theme() -> None:
    error = _refusal(mini_catalog(controls=[{"ref": "5.1", "title": "X", "theme": "spiritual"}]))
    assert "theme 'spiritual'" in error.reason


def test_it_refuses_a_succession_map_without_the_replaced_edition_or_to_a_missing_clause() -> None:
    assert "needs 'replaces'" in _refusal(mini_catalog(succession_map={"10.1": "10.3"})).reason
    error = _refusal(mini_catalog(replaces="iso-99999-2015", succession_map={"10.1": "10.9"}))
    assert error.place == "$.succession_map['10.1']"


def test_it_refuses_bad_yaml_with_the_line(write_catalog: Any) -> None:
    path = write_catalog("id: iso-1\nclauses: [\n  - ref: 4\n", name="broken.yaml")
    with pytest.raises(CatalogError) as caught:
        catalog_read(path)
    assert caught.value.file == "broken.yaml"
    assert caught.value.place.startswith("line ")
    assert "not valid YAML" in caught.value.reason


def test_it_refuses_a_file_that_cannot_be_read(tmp_path: Any) -> None:
    with pytest.raises(CatalogError) as caught:
        catalog_read(tmp_path / "missing.yaml")
    assert caught.value.place == "file"
