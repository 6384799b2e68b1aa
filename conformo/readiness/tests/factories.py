"""Small catalogs for tests, until the shipped catalogs are loaded by the standards app."""

from __future__ import annotations

from collections.abc import Sequence

from conformo.standards.models import Clause, ClauseKind, MandatoryDocument, Standard

# (ref, hs_ref) — a miniature clause tree with HS mappings, like the real catalogs.
CLAUSES: Sequence[tuple[str, str]] = (
    ("4", "4"),
    ("4.1", "4.1"),
    ("4.3", "4.3"),
    ("5", "5"),
    ("5.2", "5.2"),
    ("6", "6"),
    ("6.1", "6.1"),
    ("7", "7"),
    ("7.5", "7.5"),
    ("8", "8"),
    ("8.1", "8.1"),
    ("9", "9"),
    ("9.2", "9.2"),
    ("9.3", "9.3"),
    ("10", "10"),
    ("10.2", "10.2"),
)
EXTRA = {"iso-9001-2015": [("8.3", "")], "iso-14001-2015": [("8.2", "")], "iso-iec-27001-2022": [("6.1.3", "")]}


def make_standard(
    code: str = "iso-9001-2015",
    designation: str | None = None,
    *,
    controls: int = 0,
    mandatory: Sequence[tuple[str, str]] = (),
) -> Standard:
    """A standard with the miniature clause tree, `controls` annex controls and mandatory documents."""
    number = code.split("-")[-2]
    standard = Standard.objects.create(
        code=code, designation=designation or f"ISO {number}:{code.split('-')[-1]}", title=f"Standard {number}"
    )
    parents: dict[str, Clause] = {}
    for position, (ref, hs_ref) in enumerate([*CLAUSES, *EXTRA.get(code, [])], start=1):
        parent = parents.get(ref.rsplit(".", 1)[0]) if "." in ref else None
        parents[ref] = Clause.objects.create(
            standard=standard,
            kind=ClauseKind.CLAUSE,
            ref=ref,
            title=f"Clause {ref}",
            parent=parent,
            depth=ref.count(".") + 1,
            position=position,
            hs_ref=hs_ref,
        )
    themes = ["organizational", "people", "physical", "technological"]
    Clause.objects.bulk_create(
        Clause(
            standard=standard,
            kind=ClauseKind.CONTROL,
            ref=f"{5 + i % 4}.{i + 1}",
            title=f"Control {i + 1}",
            theme=themes[i % 4],
            position=1000 + i,
        )
        for i in range(controls)
    )
    for i, (ref, what) in enumerate(mandatory):
        MandatoryDocument.objects.create(standard=standard, clause_ref=ref, what=what, position=i)
    return standard


def make_catalog(*, controls: int = 93) -> dict[str, Standard]:
    """9001, 14001, 45001 and 27001 in miniature (27001 with `controls` Annex A controls)."""
    return {
        "9001": make_standard(
            "iso-9001-2015", "ISO 9001:2015", mandatory=[("5.2", "Quality policy"), ("9.2", "Audit results")]
        ),
        "14001": make_standard("iso-14001-2015", "ISO 14001:2015", mandatory=[("5.2", "Environmental policy")]),
        "45001": make_standard("iso-45001-2018", "ISO 45001:2018"),
        "27001": make_standard(
            "iso-iec-27001-2022",
            "ISO/IEC 27001:2022",
            controls=controls,
            mandatory=[("6.1.3", "Statement of Applicability")],
        ),
    }
