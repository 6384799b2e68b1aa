"""Editions and their succession: the map is checked against both editions, stored complete, and the shipped
ISO/IEC 27001:2013 → 2022 map holds every control."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from conformo.core.actors import SYSTEM
from conformo.standards.catalog import CatalogError, catalog_parse
from conformo.standards.models import Standard, Succession, Transition
from conformo.standards.selectors import current_transition, succession_links, transition_for
from conformo.standards.services import catalog_load
from conformo.standards.tests.conftest import mini_catalog

pytestmark = pytest.mark.django_db


def _old(**overrides: Any) -> dict[str, Any]:
    doc = mini_catalog(id="iso-99999-2015", designation="ISO 99999:2015", edition_year=2015, status="withdrawn")
    doc["clauses"][1]["children"] = [
        {"ref": "10.1", "title": "Nonconformity", "hs": "10.2"},
        {"ref": "10.2", "title": "Improvement", "hs": "10.1"},
    ]
    doc["controls"] = [
        {"ref": "5.1.1", "title": "Policy", "theme": "organizational"},
        {"ref": "5.1.2", "title": "Policy review", "theme": "organizational"},
        {"ref": "6.1.1", "title": "Roles", "theme": "organizational"},
    ]
    doc.update(overrides)
    return doc


def _new(**overrides: Any) -> dict[str, Any]:
    doc = mini_catalog(replaces="iso-99999-2015")
    doc["controls"] = [
        {"ref": "5.1", "title": "Policies", "theme": "organizational"},
        {"ref": "5.2", "title": "Roles", "theme": "organizational"},
        {"ref": "5.3", "title": "Threat intelligence", "theme": "organizational"},
    ]
    doc.update(overrides)
    return doc


GOOD_ROWS = [
    {"old": "10.1", "new": "10.3", "kind": "merged"},
    {"old": "10.2", "new": "10.3", "kind": "merged"},
    {"old": ["A.5.1.1", "A.5.1.2"], "new": "A.5.1", "kind": "merged"},
    {"old": "A.6.1.1", "new": "A.5.2", "kind": "renumbered"},
    {"new": "A.5.3", "kind": "new"},
]


def _load(doc: dict[str, Any], file: str) -> Standard:
    return catalog_load(actor=SYSTEM, catalog=catalog_parse(doc, file=file)).standard


def _refusal(doc: dict[str, Any]) -> CatalogError:
    _load(_old(), "old.yaml")
    with pytest.raises(CatalogError) as caught:
        _load(doc, "new.yaml")
    return caught.value


def test_a_complete_map_is_stored_with_implicit_same_rows_and_a_default_transition() -> None:
    _load(_old(), "old.yaml")
    new = _load(_new(succession=GOOD_ROWS, transition={"published": date(2024, 4, 15)}), "new.yaml")
    kinds = {(link.old_ref, link.new_ref): link.kind for link in succession_links(new)}
    assert kinds[("A.5.1.1", "A.5.1")] == "merged"
    assert kinds[("A.6.1.1", "A.5.2")] == "renumbered"
    assert kinds[(None, "A.5.3")] == "new"
    assert kinds[("4.1", "4.1")] == "same"
    assert kinds[("4.2", "4.2")] == "same"
    transition = transition_for(new)
    assert transition is not None
    assert (transition.published_on, transition.ends_on) == (date(2024, 4, 15), date(2027, 4, 15))
    assert "2014-11" in transition.source
    assert current_transition(Standard.objects.get(code="iso-99999-2015")) == transition


def test_the_flat_form_still_loads_and_null_means_removed() -> None:
    _load(_old(controls=[{"ref": "5.1", "title": "Policies", "theme": "organizational"}]), "old.yaml")
    new = _load(_new(succession_map={"10.1": "10.3", "10.2": None}), "new.yaml")
    kinds = {(link.old_ref, link.new_ref): link.kind for link in succession_links(new)}
    assert kinds[("10.1", "10.3")] == "renumbered"
    assert kinds[("10.2", None)] == "removed"
    assert kinds[("A.5.1", "A.5.1")] == "same"
    assert new.succession_map == {"10.1": "10.3"}


def test_an_incomplete_or_contradictory_map_is_refused_with_every_row_and_nothing_loaded() -> None:
    rows = [
        {"old": "10.1", "new": "10.3", "kind": "renumbered"},  # 10.3 also gets 10.2: contradicts one-to-one
        {"old": "10.2", "new": "10.3", "kind": "merged"},
        {"old": "A.5.1.1", "new": "A.5.1", "kind": "same"},  # refs differ
        {"old": "A.5.1.2", "new": ["A.5.1"], "kind": "split"},  # one target only
        {"old": "A.6.1.1", "kind": "removed"},
        {"old": "A.6.1.1", "new": "A.5.2", "kind": "renumbered"},  # removed and mapped
        {"old": "A.9.9.9", "new": "A.5.3", "kind": "renumbered"},  # no such old control
    ]
    error = _refusal(_new(succession=rows))
    assert error.file == "new.yaml"
    assert set(error.fields) >= {
        "$.succession[0]",
        "$.succession[2]",
        "$.succession[3]",
        "$.succession[4]",
        "$.succession[6]",
    }
    assert "use 'merged'" in error.fields["$.succession[0]"][0]
    assert "is marked removed but is also mapped" in error.fields["$.succession[4]"][0]
    assert "has no 'A.9.9.9'" in error.fields["$.succession[6]"][0]
    assert "problems" in error.message
    assert not Standard.objects.filter(code="iso-99999-2024").exists()
    assert not Succession.objects.exists()


def test_an_old_ref_neither_mapped_nor_removed_is_refused() -> None:
    error = _refusal(_new(succession=GOOD_ROWS[:3]))
    assert error.fields["'A.6.1.1'"] == ["'A.6.1.1' of the replaced edition is neither mapped nor removed"]


def test_a_target_missing_from_the_new_edition_is_refused_on_parse() -> None:
    with pytest.raises(CatalogError) as caught:
        catalog_parse(_new(succession=[{"old": "A.5.1.1", "new": "A.7.7", "kind": "renumbered"}]), file="new.yaml")
    assert caught.value.place == "$.succession[0]"


def test_a_transition_needs_a_real_date_after_publication() -> None:
    with pytest.raises(CatalogError) as caught:
        catalog_parse(_new(transition={"published": "2024-02-30"}), file="new.yaml")
    assert caught.value.place == "$.transition.published"
    with pytest.raises(CatalogError) as caught:
        catalog_parse(_new(transition={"published": "2024-02-01", "ends": "2023-01-01"}), file="new.yaml")
    assert caught.value.place == "$.transition.ends"


def test_the_map_is_checked_when_the_old_edition_loads_after_its_successor() -> None:
    new = _load(_new(succession=GOOD_ROWS, transition={"published": "2024-04-15", "ends": "2027-05-31"}), "new.yaml")
    assert not Succession.objects.exists()
    assert transition_for(new) is None
    _load(_old(), "old.yaml")
    assert Succession.objects.filter(standard=new).count() == len(succession_links(new))
    transition = Transition.objects.get(new_standard=new)
    assert transition.ends_on == date(2027, 5, 31)


def test_the_shipped_27001_editions_map_every_2013_control_onto_2022(shipped: dict[str, Standard]) -> None:
    old, new = shipped["iso-iec-27001-2013"], shipped["iso-iec-27001-2022"]
    assert (old.status, new.replaces) == ("withdrawn", old)
    links = succession_links(new)
    old_controls = {link.old_ref for link in links if link.old_ref and link.old_ref.startswith("A.")}
    new_controls = {link.new_ref for link in links if link.new_ref and link.new_ref.startswith("A.")}
    assert len(old_controls) == 114
    assert len(new_controls) == 93
    assert old.clauses.filter(kind="control").count() == 114
    kinds = Counter(link.kind for link in links if (link.new_ref or "").startswith("A."))
    assert kinds["new"] == 11
    assert kinds["removed"] == 0
    assert {link.new_ref for link in links if link.old_ref == "A.18.2.3"} == {"A.5.36", "A.8.8"}
    assert {link.old_ref for link in links if link.new_ref == "A.8.32"} == {
        "A.12.1.2",
        "A.14.2.2",
        "A.14.2.3",
        "A.14.2.4",
    }
    transition = transition_for(new)
    assert transition is not None
    assert transition.ends_on == date(2025, 10, 31)


def test_the_pages_and_api_show_the_editions_the_map_and_the_transition(shipped: dict[str, Standard]) -> None:
    from django.test import Client

    client = Client()
    new_page = client.get("/standards/iso-iec-27001-2022/").content.decode()
    assert 'href="/standards/iso-iec-27001-2013/"' in new_page
    assert "(not loaded)" not in new_page
    assert "transition ends 2025-10-31" in new_page
    old_page = client.get("/standards/iso-iec-27001-2013/").content.decode()
    assert 'Replaced by <a href="/standards/iso-iec-27001-2022/">' in old_page
    table = client.get("/standards/iso-iec-27001-2022/succession/").content.decode()
    assert "A.18.2.3" in table
    assert "Merged" in table
    body = client.get("/api/v1/standards/iso-iec-27001-2022/succession").json()
    assert body["replaces"] == "iso-iec-27001-2013"
    assert body["transition"]["ends_on"] == "2025-10-31"
    assert body["kinds"]["new"] == 11 + 1
    assert {"old": "A.6.1.2", "new": "A.5.3", "kind": "renumbered"} in body["rows"]
    detail = client.get("/api/v1/standards/iso-iec-27001-2013").json()
    assert detail["replaced_by"] == "iso-iec-27001-2022"
    assert detail["transition"] is None


def _ciso_widget(version: int, refs: list[str], name: str) -> bytes:
    import yaml

    urn = f"urn:acme:risk:req_node:widget-{version}"
    nodes = [
        {"urn": f"{urn}:{ref}", "ref_id": ref, "name": f"Widget {ref}", "depth": 1, "assessable": True} for ref in refs
    ]
    library = {
        "urn": f"urn:acme:risk:library:widget-{version}",
        "ref_id": f"WIDGET-{version}",
        "name": name,
        "version": 1,
        "objects": {"framework": {"urn": f"urn:acme:risk:framework:widget-{version}", "requirement_nodes": nodes}},
    }
    return yaml.safe_dump(library).encode()


def test_an_import_takes_its_succession_from_a_side_file_checked_against_both_editions() -> None:
    from conformo.standards.services import catalog_import

    old = catalog_import(
        actor=SYSTEM,
        content=_ciso_widget(2015, ["1", "2", "3"], "Widgets 2015"),
        filename="w15.yaml",
        format="ciso-assistant",
    )
    side = (
        f"replaces: {old.code}\n"
        "transition: {published: 2026-04-15}\n"
        "succession:\n"
        "- {old: ['1', '2'], new: '1', kind: merged}\n"
        "- {old: '3', kind: removed}\n"
    ).encode()
    bad = side.replace(b"kind: removed", b"kind: same")
    with pytest.raises(CatalogError) as caught:
        catalog_import(
            actor=SYSTEM,
            content=_ciso_widget(2026, ["1", "4"], "Widgets 2026"),
            filename="w26.yaml",
            format="ciso-assistant",
            succession=bad,
            succession_filename="w26-succession.yaml",
        )
    assert caught.value.file == "w26-succession.yaml"
    assert caught.value.place == "$.succession[1]"
    new = catalog_import(
        actor=SYSTEM,
        content=_ciso_widget(2026, ["1", "4"], "Widgets 2026"),
        filename="w26.yaml",
        format="ciso-assistant",
        succession=side,
        succession_filename="w26-succession.yaml",
    )
    kinds = {(link.old_ref, link.new_ref): link.kind for link in succession_links(new)}
    assert kinds == {("1", "1"): "merged", ("2", "1"): "merged", ("3", None): "removed", (None, "4"): "new"}
    transition = transition_for(new)
    assert transition is not None
    assert transition.ends_on == date(2029, 4, 15)
