"""Loading catalogs: bulk writes, update in place with stable keys, retirement, skipping, audit log, permissions."""

from __future__ import annotations

from typing import Any

import pytest

from conformo.core.actors import SYSTEM
from conformo.core.errors import PermissionDenied
from conformo.core.models import AuditLogEntry
from conformo.standards.catalog import CatalogError, catalog_parse, catalog_read, shipped_catalog_paths
from conformo.standards.models import Clause, ClauseKind, MandatoryDocument, Standard, StandardSource
from conformo.standards.selectors import succession_links
from conformo.standards.services import catalog_load, catalog_load_file, catalog_load_paths, catalog_load_shipped
from conformo.standards.tests.conftest import mini_catalog

pytestmark = pytest.mark.django_db


def _27001() -> Any:
    return catalog_read(shipped_catalog_paths()[0].parent / "iso-iec-27001-2022.yaml", source=StandardSource.SHIPPED)


def test_it_loads_iso_27001_with_a_fixed_handful_of_queries(django_assert_max_num_queries: Any) -> None:
    catalog = _27001()
    with django_assert_max_num_queries(15):
        result = catalog_load(actor=SYSTEM, catalog=catalog)
    assert result.outcome == "created"
    standard = result.standard
    assert standard.clauses.filter(kind=ClauseKind.CLAUSE).count() == 41
    assert standard.clauses.filter(kind=ClauseKind.CONTROL).count() == 93
    assert standard.mandatory_documents.count() == len(catalog.documents)


def test_the_query_count_does_not_grow_with_the_number_of_nodes(django_assert_max_num_queries: Any) -> None:
    big = mini_catalog(
        id="big-catalog",
        clauses=[
            {
                "ref": str(i),
                "title": f"Clause {i}",
                "children": [{"ref": f"{i}.{j}", "title": "Sub"} for j in range(1, 40)],
            }
            for i in range(1, 40)
        ],
        controls=[{"ref": f"9.{k}", "title": f"Control {k}", "theme": "organizational"} for k in range(500)],
        mandatory_documents=[],
    )
    with django_assert_max_num_queries(15):
        catalog_load(actor=SYSTEM, catalog=catalog_parse(big, file="big.yaml"))
    assert Clause.objects.filter(standard__code="big-catalog").count() == 39 + 39 * 39 + 500


def test_it_links_parents_and_keeps_document_order() -> None:
    standard = catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(), file="mini.yaml")).standard
    sub = Clause.objects.get(standard=standard, ref="4.1")
    assert sub.parent is not None
    assert sub.parent.ref == "4"
    assert sub.depth == 2
    refs = list(Clause.objects.filter(standard=standard, kind=ClauseKind.CLAUSE).values_list("ref", flat=True))
    assert refs == ["4", "4.1", "4.2", "10", "10.3"]
    untitled = Clause.objects.get(standard=standard, ref="4.2")
    assert untitled.untitled
    assert untitled.display_title == "(Context of the organization)"


def test_loading_the_same_version_again_is_skipped_and_writes_nothing(django_assert_max_num_queries: Any) -> None:
    catalog_load_shipped(actor=SYSTEM)
    entries = AuditLogEntry.objects.count()
    with django_assert_max_num_queries(30):
        results = catalog_load_shipped(actor=SYSTEM)
    assert {r.outcome for r in results} == {"skipped"}
    assert AuditLogEntry.objects.count() == entries


def test_a_newer_version_updates_in_place_keeping_clause_keys_and_retiring_missing_nodes() -> None:
    first = catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(), file="v1.yaml")).standard
    keys = dict(Clause.objects.filter(standard=first).values_list("ref", "pk"))
    clauses = mini_catalog()["clauses"]
    clauses[0]["children"][0]["title"] = "Understanding the organization"  # renamed
    clauses[0]["children"].append({"ref": "4.3", "title": "Scope", "children": [{"ref": "4.3.1", "title": "Deep"}]})
    del clauses[1]  # clause 10 and 10.3 go away
    result = catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=2, clauses=clauses), file="v2.yaml"))
    assert result.outcome == "updated"
    assert result.retired == 2
    standard = Standard.objects.get(pk=first.pk)
    assert standard.version == 2
    after = {c.ref: c for c in Clause.objects.filter(standard=standard, kind=ClauseKind.CLAUSE)}
    assert after["4.1"].pk == keys["4.1"]
    assert after["4.1"].title == "Understanding the organization"
    assert after["10"].pk == keys["10"]
    assert after["10"].retired
    assert after["10.3"].retired
    assert not after["4.1"].retired
    assert after["4.3.1"].parent_id == after["4.3"].pk
    assert after["4.3"].parent_id == keys["4"]


def test_a_node_that_comes_back_is_unretired_with_the_same_key() -> None:
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(), file="v1.yaml"))
    original = Clause.objects.get(ref="10.3").pk
    clauses = mini_catalog()["clauses"][:1]
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=2, clauses=clauses), file="v2.yaml"))
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=3), file="v3.yaml"))
    clause = Clause.objects.get(ref="10.3")
    assert clause.pk == original
    assert not clause.retired


def test_an_older_version_is_skipped_unless_forced() -> None:
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=3), file="v3.yaml"))
    older = catalog_parse(mini_catalog(version=2, title="Older title"), file="v2.yaml")
    assert catalog_load(actor=SYSTEM, catalog=older).outcome == "skipped"
    assert Standard.objects.get(code="iso-99999-2024").title != "Older title"
    assert catalog_load(actor=SYSTEM, catalog=older, force=True).outcome == "updated"
    assert Standard.objects.get(code="iso-99999-2024").version == 2


def test_every_load_writes_one_audit_log_entry_by_the_system() -> None:
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(), file="v1.yaml"))
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=2), file="v2.yaml"))
    entries = list(AuditLogEntry.objects.filter(action="standards.catalog_load").order_by("id"))
    assert len(entries) == 2
    assert entries[0].actor is None
    assert entries[0].before is None
    assert entries[1].before == {"version": 1, "title": mini_catalog()["title"], "status": "current"}
    assert entries[1].after is not None
    assert entries[1].after["version"] == 2


def test_mandatory_documents_update_in_place_and_retire() -> None:
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(), file="v1.yaml"))
    doc = MandatoryDocument.objects.get()
    docs = [{"ref": "4.1", "what": "Context register", "kind": "both"}, {"ref": "4", "what": "New list"}]
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=2, mandatory_documents=docs), file="v2.yaml"))
    doc.refresh_from_db()
    assert doc.kind == "both"
    assert not doc.retired
    catalog_load(actor=SYSTEM, catalog=catalog_parse(mini_catalog(version=3, mandatory_documents=[]), file="v3.yaml"))
    assert set(MandatoryDocument.objects.values_list("retired", flat=True)) == {True}


def test_succession_links_the_replaced_edition_whichever_loads_first() -> None:
    new = mini_catalog(replaces="iso-99999-2015", succession_map={"10.1": "10.3"})
    old = mini_catalog(id="iso-99999-2015", designation="ISO 99999:2015", edition_year=2015, status="withdrawn")
    old["clauses"][1]["children"] = [{"ref": "10.1", "title": "Continual improvement", "hs": "10.1"}]
    catalog_load(actor=SYSTEM, catalog=catalog_parse(new, file="new.yaml"))
    assert Standard.objects.get(code="iso-99999-2024").replaces is None
    catalog_load(actor=SYSTEM, catalog=catalog_parse(old, file="old.yaml"))
    successor = Standard.objects.get(code="iso-99999-2024")
    assert successor.replaces is not None
    assert successor.replaces.code == "iso-99999-2015"
    assert successor.succession_map == {"10.1": "10.3"}
    kinds = {(r.old_ref, r.new_ref): r.kind for r in succession_links(successor)}
    assert kinds[("10.1", "10.3")] == "renumbered"
    assert kinds[("4.1", "4.1")] == "same"


def test_loading_several_files_is_all_or_nothing(write_catalog: Any) -> None:
    good = write_catalog(mini_catalog(), name="good.yaml")
    bad = write_catalog(mini_catalog(id="other-2024", status="bogus"), name="bad.yaml")
    with pytest.raises(CatalogError, match=r"^bad.yaml: \$.status: "):
        catalog_load_paths(actor=SYSTEM, paths=[good, bad])
    assert not Standard.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_a_file_outside_the_catalogs_directory_is_recorded_as_loaded_from_a_file(write_catalog: Any) -> None:
    result = catalog_load_file(actor=SYSTEM, path=write_catalog(mini_catalog()))
    assert result.standard.source == StandardSource.FILE
    assert result.standard.source_info["file"] == "catalog.yaml"


def test_shipped_catalogs_load_with_their_sources(shipped: dict[str, Standard]) -> None:
    assert {s.source for s in shipped.values()} == {StandardSource.SHIPPED}
    assert shipped["harmonized-structure"].is_harmonized_structure
    assert shipped["iso-14001-2015"].status == "in_transition"
    assert shipped["iso-iec-27001-2022"].succession_map["10.1"] == "10.2"
    assert shipped["iso-iec-27001-2022"].succession_map["A.6.1.2"] == "A.5.3"


def test_only_a_cb_admin_or_a_superuser_may_load(cb_admin: Any, client_admin: Any, superuser: Any) -> None:
    catalog = catalog_parse(mini_catalog(), file="mini.yaml")
    with pytest.raises(PermissionDenied):
        catalog_load(catalog=catalog, actor=client_admin)
    assert catalog_load(catalog=catalog, actor=cb_admin).outcome == "created"
    assert catalog_load(catalog=catalog, actor=superuser, force=True).outcome == "updated"
    assert AuditLogEntry.objects.filter(actor=cb_admin).count() == 1
