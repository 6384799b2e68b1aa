"""Standards catalog API: public reads (list, tree, correspondences, search, OSCAL export); imports for CB admins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conformo.core.errors import ValidationFailed
from conformo.core.limits import megabytes
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.standards.importers import oscal_export_json
from conformo.standards.models import ClauseKind, Standard
from conformo.standards.schemas import (
    CatalogImportOut,
    ClauseOut,
    CorrespondenceOut,
    StandardDetailOut,
    StandardOut,
    SuccessionOut,
)
from conformo.standards.selectors import (
    clause_get,
    clause_search,
    corresponding_clauses,
    standard_document,
    standard_get,
    standard_list,
    standard_summary,
    succession_document,
)
from conformo.standards.services import catalog_import

router = Router(tags=["standards"])


def _standards(codes: str | None) -> list[Standard] | None:
    """`iso-9001-2015,iso-iec-27001-2022` → those standards (an unknown id is a 404); None → all."""
    if not codes:
        return None
    return [standard_get(code=code.strip()) for code in codes.split(",") if code.strip()]


@router.get("", response=list[StandardOut], auth=None)
@paginate(PageNumberPagination)
def standards_list(request: HttpRequest, **kwargs: Any) -> list[dict[str, Any]] | QuerySet[Standard]:
    """Every loaded standard with its clause and control counts (public)."""
    return [standard_summary(s) for s in standard_list()]


@router.post("/import", response={201: CatalogImportOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def standard_import(
    request: HttpRequest,
    format: str = Form(..., pattern="^(ciso-assistant|oscal)$"),
    file: UploadedFile = File(...),  # noqa: B008 - django-ninja declares uploads this way
    succession: UploadedFile | None = File(None),  # noqa: B008 - django-ninja declares uploads this way
) -> Status[dict[str, Any]]:
    """Import a CISO Assistant library (YAML) or an OSCAL catalog (JSON). CB administrators only.

    A malformed file is refused (422) with the file, the place and the reason; nothing of it is loaded.
    `succession` (optional, YAML): the edition the import replaces, its succession map and transition
    (docs/catalog-format.md), checked against both editions; every bad row is reported.
    """
    limit = int(settings.STANDARDS_IMPORT_MAX_BYTES)
    if file.size and file.size > limit:
        message = f"The file is larger than {megabytes(limit)}."
        raise ValidationFailed(f"{file.name}: {message[0].lower()}{message[1:]}", fields={"file": [message]})
    extra: dict[str, Any] = {}
    if succession is not None:
        if succession.size and succession.size > limit:
            message = f"The file is larger than {megabytes(limit)}."
            raise ValidationFailed(f"{succession.name}: {message}", fields={"succession": [message]})
        extra = {"succession": succession.read(), "succession_filename": succession.name or "succession.yaml"}
    standard = catalog_import(
        content=file.read(), filename=file.name or "upload", format=format, actor=request.user, **extra
    )
    summary = standard_summary(standard_get(code=standard.code))
    return Status(
        201,
        {
            "id": summary["id"],
            "designation": summary["designation"],
            "clauses": summary["clauses"],
            "controls": summary["controls"],
        },
    )


@router.get("/clauses", response={200: list[ClauseOut], 404: ErrorOut}, auth=None)
def clauses_search(
    request: HttpRequest, q: str = Query(..., min_length=1, max_length=100), standards: str | None = None
) -> list[Any]:
    """Search clauses and controls by ref prefix (`8.5`, `A.5.1`) or title words; `standards` is a comma list of ids."""
    return clause_search(q=q, standards=_standards(standards))


@router.get("/{code}", response={200: StandardDetailOut, 404: ErrorOut}, auth=None)
def standard_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One standard with its clause tree, annex controls and mandatory documented information (public)."""
    return standard_document(standard_get(code=code))


@router.get("/{code}/succession", response={200: SuccessionOut, 404: ErrorOut}, auth=None)
def standard_succession(request: HttpRequest, code: str) -> dict[str, Any]:
    """The succession map from the edition this one replaces: every old and new clause or control with its kind
    (same, renumbered, merged, split, new, removed), and the transition dates (public)."""
    return succession_document(standard_get(code=code))


@router.get("/{code}/correspondences", response={200: CorrespondenceOut, 404: ErrorOut}, auth=None)
def clause_correspondences(
    request: HttpRequest, code: str, ref: str, kind: ClauseKind = ClauseKind.CLAUSE, standards: str | None = None
) -> dict[str, Any]:
    """Which clauses of the other (selected) standards correspond to this one, through the Harmonized Structure."""
    clause = clause_get(standard=standard_get(code=code), ref=ref, kind=kind)
    return {"clause": clause, "corresponding": corresponding_clauses(clause, _standards(standards))}


@router.get("/{code}/oscal", response={200: dict[str, Any], 404: ErrorOut}, auth=None, url_name="standard_oscal")
def standard_oscal(request: HttpRequest, code: str) -> HttpResponse:
    """The catalog as an OSCAL catalog (JSON)."""
    body = oscal_export_json(standard_get(code=code))
    return HttpResponse(body, content_type="application/json")
