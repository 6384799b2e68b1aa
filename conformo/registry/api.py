"""The public registry API at /api/v1/registry: anonymous, read-only, rate-limited, cacheable."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from conformo.certificates.signing import credential_sign
from conformo.core.openapi import file_response
from conformo.core.schemas import ErrorOut
from conformo.registry import selectors
from conformo.registry.http import cached_response, json_body, json_error, too_many
from conformo.registry.ratelimit import retry_after
from conformo.registry.schemas import SearchIn

router = Router(tags=["registry"])

NOT_FOUND = "No public certificate has this number."


class HolderOut(Schema):
    name: str
    country: str


class RegistrySiteOut(Schema):
    name: str
    address: str
    country: str
    headquarters: bool
    scope: str


class RegistryScopeLineOut(Schema):
    standard: str = Field(description="Standard id, e.g. iso-9001-2015")
    site: str | None = Field(description="The site's name; null for all sites of the certificate")
    activity: str
    iaf_codes: list[int] = Field(description="IAF sector codes (IAF ID 1) of the line")


class BodyOut(Schema):
    name: str
    accreditation: str


class EditionOut(Schema):
    id: str = Field(description="Standard id, e.g. iso-14001-2015")
    designation: str = Field(description="As printed, e.g. ISO 14001:2015")
    year: int | None = Field(description="The edition's year, from the designation; null when it names none")


class RecordOut(Schema):
    number: str
    status: str = Field(
        description="active | suspended | withdrawn | expired, as of the moment of reading: past the expiry date, "
        "or past the end of the transition of the edition it is on, an active or suspended certificate reads expired"
    )
    status_reason: str | None = Field(
        description="Why the certificate is no longer valid when its edition's transition has ended "
        '("ISO 14001:2015 transition ended on 2029-04-30"); null otherwise'
    )
    holder: HolderOut
    standards: list[str]
    editions: list[EditionOut] = Field(description="The standards with their edition, in the order of `standards`")
    scope: str
    scope_lines: list[RegistryScopeLineOut] = Field(
        description="The structured scope by standard and site; a certificate issued without lines (imported, or "
        "older) gives one line per standard for all sites, with `scope` as the activity"
    )
    sites: list[RegistrySiteOut]
    issued_on: date
    original_issued_on: date
    expires_on: date
    transition_ends_on: date | None = Field(
        description="When the certificate is on an edition being replaced: the last day it may be valid (the "
        "transition end its certification body applies); null otherwise"
    )
    transition_edition: str | None = Field(
        description="The edition being replaced whose transition ends on `transition_ends_on` (ISO 14001:2015)"
    )
    certification_body: BodyOut


class RecordPage(Schema):
    items: list[RecordOut]
    count: int


@router.get(
    "/certificates",
    auth=None,
    response={200: RecordPage, 422: ErrorOut, 429: ErrorOut},
    summary="Search public certificates",
)
def registry_search(request: HttpRequest, filters: Query[SearchIn]) -> HttpResponse:
    """Public certificates by number or holder name, standard, country and status; `{"items", "count"}`."""
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    if filters.status and filters.status not in selectors.STATUSES:
        return json_error(422, f"status must be one of {', '.join(selectors.STATUSES)}.", "validation_error")
    today = timezone.localdate()
    try:
        page, count = selectors.registry_search_page(
            q=filters.q,
            standard=filters.standard,
            country=filters.country,
            status=filters.status,
            today=today,
            offset=(filters.page - 1) * filters.page_size,
            limit=filters.page_size,
        )
    except selectors.SearchTooBroad:
        # A word found in a large share of the rows (`gmbh`, one letter), or a browse past the time limit.
        return json_error(422, selectors.TOO_BROAD, "search_too_broad")
    items = [selectors.registry_record(row, today) for row in page]
    return cached_response(request, json_body({"items": items, "count": count}), "application/json")


@router.get(
    "/certificates/{number}",
    auth=None,
    response={200: RecordOut, 404: ErrorOut, 429: ErrorOut},
    summary="One public certificate",
)
def registry_certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The public record of a certificate; unknown and confidential numbers are both 404."""
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    row = selectors.registry_get(number)
    if row is None:
        return json_error(404, NOT_FOUND, "not_found")
    record = selectors.registry_record(row, timezone.localdate())
    return cached_response(request, json_body(record), "application/json")


@router.get(
    "/certificates/{number}/credential",
    auth=None,
    response={404: ErrorOut, 429: ErrorOut},
    summary="The certificate's signed credential (compact JWS)",
    openapi_extra=file_response("The signed credential (compact JWS)", "application/jose"),
)
def registry_credential(request: HttpRequest, number: str) -> HttpResponse:
    """A compact JWS (EdDSA, Ed25519) of the record; verify it with /.well-known/jwks.json."""
    wait = retry_after(request)
    if wait is not None:
        return too_many(wait)
    row = selectors.registry_get(number)
    if row is None:
        return json_error(404, NOT_FOUND, "not_found")
    record = selectors.registry_record(row, timezone.localdate())
    token = credential_sign(number=record["number"], record=record)
    response = HttpResponse(token, content_type="application/jose")
    response["Cache-Control"] = "public, max-age=60"
    response["Content-Disposition"] = f'inline; filename="{record["number"]}.jws"'
    return response
