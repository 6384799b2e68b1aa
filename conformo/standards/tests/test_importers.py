"""CISO Assistant and OSCAL import, OSCAL export, and the round trips between them."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from conformo.core.actors import SYSTEM
from conformo.core.errors import Conflict
from conformo.core.models import AuditLogEntry
from conformo.standards.catalog import CatalogError
from conformo.standards.importers import ciso_assistant_parse, oscal_export, oscal_export_json, oscal_parse
from conformo.standards.models import Clause, ClauseKind, Standard, StandardSource
from conformo.standards.selectors import standard_get
from conformo.standards.services import catalog_import

pytestmark = pytest.mark.django_db

URN = "urn:acme:risk:req_node:widget-2024"


def ciso_library(nodes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A CISO Assistant library of our own making: a widget standard with clauses and an annex."""
    if nodes is None:
        nodes = [
            {"urn": f"{URN}:4", "ref_id": "4", "name": "Context", "depth": 1, "assessable": False},
            {
                "urn": f"{URN}:4.1",
                "ref_id": "4.1",
                "name": "Knowing the widget market",
                "parent_urn": f"{URN}:4",
                "depth": 2,
                "assessable": True,
                "description": "Our own words.",
            },
            {"urn": f"{URN}:4.1.1", "ref_id": "4.1.1", "parent_urn": f"{URN}:4.1", "depth": 3, "assessable": True},
            {"urn": f"{URN}:a", "ref_id": "A", "name": "Annex A — Widget controls", "depth": 1, "assessable": False},
            {
                "urn": f"{URN}:a.5.1",
                "ref_id": "A.5.1",
                "name": "Widget policy",
                "parent_urn": f"{URN}:a",
                "depth": 2,
                "assessable": True,
            },
            {"urn": f"{URN}:headline", "name": "A heading without a ref", "depth": 1, "assessable": False},
        ]
    return {
        "urn": "urn:acme:risk:library:widget-2024",
        "locale": "en",
        "ref_id": "WIDGET-2024",
        "name": "Widget management — Requirements",
        "version": 3,
        "provider": "ACME",
        "objects": {
            "framework": {
                "urn": "urn:acme:risk:framework:widget-2024",
                "ref_id": "WIDGET-2024",
                "name": "Widget 2024",
                "requirement_nodes": nodes,
            }
        },
    }


def _dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def _nodes(standard: Standard) -> list[tuple[str, str, str, str | None]]:
    return [
        (c.kind, c.ref, c.title, c.parent.ref if c.parent else None)
        for c in Clause.objects.filter(standard=standard).select_related("parent").order_by("kind", "position")
    ]


# --- CISO Assistant ---


def test_a_ciso_assistant_library_imports_with_every_ref_title_and_parent() -> None:
    standard = catalog_import(
        actor=SYSTEM, content=_dump(ciso_library()), filename="widget.yaml", format="ciso-assistant"
    )
    assert standard.code == "ciso-widget-2024"
    assert standard.source == StandardSource.CISO_ASSISTANT
    assert standard.version == 3
    assert _nodes(standard) == [
        ("clause", "4", "Context", None),
        ("clause", "4.1", "Knowing the widget market", "4"),
        ("clause", "4.1.1", "", "4.1"),
        ("clause", "A", "Annex A — Widget controls", None),
        ("clause", "A.5.1", "Widget policy", "A"),
        ("clause", "headline", "A heading without a ref", None),
    ]
    assert Clause.objects.get(standard=standard, ref="4.1.1").untitled
    assert Clause.objects.get(standard=standard, ref="4.1").guidance == "Our own words."
    assert AuditLogEntry.objects.filter(action="standards.catalog_import").count() == 1


def test_importing_the_same_library_again_updates_it_in_place() -> None:
    first = catalog_import(actor=SYSTEM, content=_dump(ciso_library()), filename="widget.yaml", format="ciso-assistant")
    key = Clause.objects.get(standard=first, ref="4.1").pk
    again = catalog_import(actor=SYSTEM, content=_dump(ciso_library()), filename="widget.yaml", format="ciso-assistant")
    assert again.pk == first.pk
    assert Clause.objects.get(standard=again, ref="4.1").pk == key


@pytest.mark.parametrize(
    ("content", "place", "reason"),
    [
        (b"objects: [unclosed\n  framework: {", "line ", "not valid YAML"),
        (b"- just a list", "$", "expected a CISO Assistant library"),
        (b"objects: {}", "$.objects.framework", "missing"),
        (b"objects: {framework: {requirement_nodes: []}}", "$.objects.framework.requirement_nodes", "non-empty"),
    ],
)
def test_a_malformed_ciso_library_is_refused(content: bytes, place: str, reason: str) -> None:
    with pytest.raises(CatalogError) as caught:
        ciso_assistant_parse(content, filename="bad.yaml")
    assert caught.value.file == "bad.yaml"
    assert caught.value.place.startswith(place)
    assert reason in caught.value.reason


def test_an_unknown_parent_is_refused_and_nothing_is_left_behind() -> None:
    nodes = ciso_library()["objects"]["framework"]["requirement_nodes"]
    nodes[4]["parent_urn"] = f"{URN}:nowhere"
    with pytest.raises(CatalogError) as caught:
        catalog_import(actor=SYSTEM, content=_dump(ciso_library(nodes)), filename="bad.yaml", format="ciso-assistant")
    assert caught.value.place == "$.objects.framework.requirement_nodes[4].parent_urn"
    assert f"unknown parent '{URN}:nowhere'" in caught.value.reason
    assert not Standard.objects.exists()
    assert not Clause.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_duplicate_refs_wrong_depths_and_cycles_are_refused() -> None:
    nodes = ciso_library()["objects"]["framework"]["requirement_nodes"]
    duplicate = [*nodes, {"urn": f"{URN}:dup", "ref_id": "4.1", "name": "Again", "depth": 1}]
    with pytest.raises(CatalogError, match=r"requirement_nodes\[6\]\.ref_id: duplicate ref '4\.1'"):
        ciso_assistant_parse(_dump(ciso_library(duplicate)), filename="bad.yaml")
    wrong_depth = [dict(n) for n in nodes]
    wrong_depth[2]["depth"] = 2
    with pytest.raises(CatalogError, match=r"requirement_nodes\[2\]\.depth: depth 2 does not match"):
        ciso_assistant_parse(_dump(ciso_library(wrong_depth)), filename="bad.yaml")
    cycle = [
        {"urn": "u:1", "ref_id": "1", "name": "One", "parent_urn": "u:2"},
        {"urn": "u:2", "ref_id": "2", "name": "Two", "parent_urn": "u:1"},
    ]
    with pytest.raises(CatalogError, match="cycle"):
        ciso_assistant_parse(_dump(ciso_library(cycle)), filename="bad.yaml")


# --- OSCAL ---


def oscal_catalog() -> dict[str, Any]:
    """An OSCAL catalog of our own making: groups with controls, nested controls, a top-level control."""
    return {
        "catalog": {
            "uuid": "2d3b7a5e-8a5e-4c1e-9c55-0f4f1f6b8a10",
            "metadata": {
                "title": "Gadget Security Catalog",
                "last-modified": "2026-01-01T00:00:00+00:00",
                "version": "2",
                "oscal-version": "1.1.2",
            },
            "groups": [
                {
                    "id": "gov",
                    "title": "Governance",
                    "controls": [
                        {
                            "id": "gov-1",
                            "title": "Gadget policy",
                            "props": [{"name": "label", "value": "GOV-1"}],
                            "parts": [{"name": "guidance", "prose": "Write one down."}],
                            "controls": [{"id": "gov-1.1", "title": "Policy review"}],
                        },
                        {"id": "gov-2", "title": "Gadget roles"},
                    ],
                },
                {"id": "ops", "title": "Operations", "controls": [{"id": "ops-1", "title": "Gadget backups"}]},
            ],
            "controls": [{"id": "misc-1", "title": "Loose control"}],
        }
    }


def test_an_oscal_catalog_imports_groups_controls_and_nested_controls() -> None:
    standard = catalog_import(
        actor=SYSTEM, content=json.dumps(oscal_catalog()).encode(), filename="gadget.json", format="oscal"
    )
    assert standard.code == "oscal-gadget-security-catalog"
    assert standard.version == 2
    assert _nodes(standard) == [
        ("clause", "gov", "Governance", None),
        ("clause", "GOV-1", "Gadget policy", "gov"),
        ("clause", "gov-1.1", "Policy review", "GOV-1"),
        ("clause", "gov-2", "Gadget roles", "gov"),
        ("clause", "ops", "Operations", None),
        ("clause", "ops-1", "Gadget backups", "ops"),
        ("clause", "misc-1", "Loose control", None),
    ]
    assert Clause.objects.get(standard=standard, ref="GOV-1").guidance == "Write one down."


@pytest.mark.parametrize(
    ("mutate", "place", "reason"),
    [
        (lambda d: d["catalog"].pop("metadata"), "$.catalog.metadata", "not a valid OSCAL catalog"),
        (
            lambda d: d["catalog"]["groups"][0]["controls"][1].pop("title"),
            "$.catalog.groups[0]",
            "not a valid OSCAL catalog",
        ),
        (lambda d: d["catalog"].update(uuid="not-a-uuid"), "$.catalog.uuid", "not a valid OSCAL catalog"),
        (lambda d: d.update(catalog=[1, 2]), "$", "expected a top-level 'catalog' object"),
        (
            lambda d: d["catalog"]["groups"][1]["controls"][0].update(
                id="gov-1.1", props=[{"name": "label", "value": "GOV-1"}]
            ),
            "$.catalog.groups[1].controls[0]",
            "duplicate ref 'GOV-1'",
        ),
    ],
)
def test_a_wrong_oscal_shape_is_refused_with_the_place_and_nothing_loaded(mutate: Any, place: str, reason: str) -> None:
    document = oscal_catalog()
    mutate(document)
    with pytest.raises(CatalogError) as caught:
        catalog_import(actor=SYSTEM, content=json.dumps(document).encode(), filename="bad.json", format="oscal")
    assert caught.value.file == "bad.json"
    assert caught.value.place.startswith(place), caught.value.place
    assert reason in caught.value.reason
    assert not Standard.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_invalid_json_is_refused_with_the_line() -> None:
    with pytest.raises(CatalogError, match=r"^bad.json: line 1, column \d+: not valid JSON"):
        oscal_parse(b'{"catalog": ', filename="bad.json")


def test_an_import_may_not_take_over_a_catalog_of_another_source(shipped: dict[str, Standard]) -> None:
    exported = json.loads(oscal_export_json(shipped["iso-9001-2015"]))
    catalog_import(actor=SYSTEM, content=json.dumps(exported).encode(), filename="a.json", format="oscal")
    Standard.objects.filter(code="oscal-iso-9001-2015").update(source=StandardSource.SHIPPED)
    with pytest.raises(Conflict, match="already used"):
        catalog_import(actor=SYSTEM, content=json.dumps(exported).encode(), filename="a.json", format="oscal")


# --- Export and round trips ---


def test_the_oscal_export_validates_and_names_every_node(shipped: dict[str, Standard]) -> None:
    from trestle.oscal.catalog import Catalog

    standard = standard_get(code="iso-iec-27001-2022")
    document = json.loads(oscal_export_json(standard))
    catalog = Catalog.model_validate(document["catalog"])
    assert catalog.metadata.oscal_version is not None
    groups = {g.id: g for g in catalog.groups or []}
    assert set(groups) == {"clauses", "annex-controls"}
    assert len(getattr(groups["annex-controls"], "controls", [])) == 93
    assert oscal_export(standard).uuid == catalog.uuid  # stable for a given catalog version


@pytest.mark.parametrize("code", ["iso-iec-27001-2022", "iso-9001-2015", "harmonized-structure"])
def test_a_shipped_catalog_round_trips_through_oscal_export_and_import(shipped: dict[str, Standard], code: str) -> None:
    original = standard_get(code=code)
    content = oscal_export_json(original).encode()
    imported = catalog_import(actor=SYSTEM, content=content, filename=f"{code}.json", format="oscal")
    assert imported.code == f"oscal-{code}"
    fields = ("kind", "ref", "title", "untitled", "parent__ref", "depth", "theme", "hs_ref", "guidance")
    before = list(Clause.objects.filter(standard=original).order_by("kind", "position").values_list(*fields))
    after = list(Clause.objects.filter(standard=imported).order_by("kind", "position").values_list(*fields))
    assert after == before
    assert imported.designation == original.designation
    assert imported.edition_year == original.edition_year


def test_an_imported_ciso_library_round_trips_through_oscal() -> None:
    ciso = catalog_import(actor=SYSTEM, content=_dump(ciso_library()), filename="widget.yaml", format="ciso-assistant")
    again = catalog_import(
        actor=SYSTEM, content=oscal_export_json(ciso).encode(), filename="widget.json", format="oscal"
    )
    assert [n[1:] for n in _nodes(again)] == [n[1:] for n in _nodes(ciso)]


def test_imported_catalogs_appear_beside_the_shipped_ones(shipped: dict[str, Standard]) -> None:
    catalog_import(actor=SYSTEM, content=json.dumps(oscal_catalog()).encode(), filename="gadget.json", format="oscal")
    codes = set(Standard.objects.values_list("code", flat=True))
    assert {"oscal-gadget-security-catalog", "iso-9001-2015"} <= codes
    assert Clause.objects.filter(standard__code="oscal-gadget-security-catalog", kind=ClauseKind.CLAUSE).count() == 7


def test_an_imported_oscal_catalog_round_trips_through_export_and_import() -> None:
    first = catalog_import(
        actor=SYSTEM, content=json.dumps(oscal_catalog()).encode(), filename="gadget.json", format="oscal"
    )
    again = catalog_import(
        actor=SYSTEM, content=oscal_export_json(first).encode(), filename="gadget-export.json", format="oscal"
    )
    assert again.code == "oscal-oscal-gadget-security-catalog"
    assert _nodes(again) == _nodes(first)
