"""API schemas for the standards catalog."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema


class StandardOut(Schema):
    id: str = Field(..., description="Catalog id, e.g. iso-9001-2015.")
    designation: str
    title: str
    edition: int | None
    status: str
    version: int
    source: str
    harmonized_structure: bool
    replaces: str | None
    clauses: int = Field(..., description="Numbered clause nodes (clauses 4–10, untitled paragraphs included).")
    controls: int = Field(..., description="Annex controls (0 when none).")


class ClauseNodeOut(Schema):
    ref: str
    title: str
    kind: str
    untitled: bool
    guidance: str
    theme: str
    hs: str
    children: list[ClauseNodeOut]


class MandatoryDocumentOut(Schema):
    ref: str
    what: str
    kind: str
    condition: str


class TransitionOut(Schema):
    old_standard: str = Field(..., description="Id of the old edition.")
    new_standard: str = Field(..., description="Id of the new edition.")
    published_on: date = Field(..., description="Publication date of the new edition.")
    ends_on: date = Field(..., description="Transition end: old-edition certificates are valid until this day.")
    source: str


class SuccessionRowOut(Schema):
    old: str | None = Field(..., description="Ref in the replaced edition (annex controls as A.<ref>); null for new.")
    new: str | None = Field(..., description="Ref in this edition; null for removed.")
    kind: str = Field(..., description="same, renumbered, merged, split, new or removed.")


class SuccessionOut(Schema):
    id: str
    replaces: str | None
    transition: TransitionOut | None
    kinds: dict[str, int] = Field(..., description="Number of rows per kind.")
    rows: list[SuccessionRowOut]


class StandardDetailOut(StandardOut):
    replaced_by: str | None = Field(..., description="Id of the loaded edition that succeeds this one.")
    transition: TransitionOut | None = Field(..., description="The transition into this edition, when recorded.")
    succession_map: dict[str, str] = Field(..., description="One-to-one renumberings from the replaced edition.")
    children: list[ClauseNodeOut] = Field(..., description="Clauses 4–10, then annex controls (kind 'control').")
    mandatory_documents: list[MandatoryDocumentOut]


class ClauseOut(Schema):
    standard: str = Field(..., description="Catalog id of the clause's standard.")
    designation: str
    kind: str
    ref: str
    title: str
    untitled: bool
    hs: str
    theme: str

    @staticmethod
    def resolve_standard(obj: Any) -> str:
        return str(obj.standard.code)

    @staticmethod
    def resolve_designation(obj: Any) -> str:
        return str(obj.standard.designation)

    @staticmethod
    def resolve_hs(obj: Any) -> str:
        return str(obj.hs_ref)


class CorrespondenceOut(Schema):
    clause: ClauseOut
    corresponding: list[ClauseOut]


class CatalogImportOut(Schema):
    id: str
    designation: str
    clauses: int
    controls: int
