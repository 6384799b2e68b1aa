"""API schemas for the standards catalog."""

from __future__ import annotations

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


class StandardDetailOut(StandardOut):
    succession_map: dict[str, str]
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
