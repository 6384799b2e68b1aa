"""Audit programmes and their audits under /api/v1/: plan, team with the eligibility check, start,
complete, schedule."""

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import F, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.audits import selectors, services
from conformo.audits.api.lookups import E, sites_of
from conformo.audits.filters import AuditFilter, ProgrammeFilter
from conformo.audits.models import (
    Audit,
    Auditor,
    AuditProgramme,
)
from conformo.audits.schemas import (
    AuditOut,
    CombineIn,
    DateIn,
    EligibilityOut,
    PlanIn,
    ProgrammeOut,
    SpecialAuditIn,
    TeamIn,
    TransitionAuditIn,
)
from conformo.audits.services.common import require_manager
from conformo.core.errors import ValidationFailed
from conformo.core.listing import filter_schema, filtered, own_and_joined
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, list_values, listed_as
from conformo.standards.models import Standard, Transition

router = Router()

if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    ProgrammeQuery = Schema
    AuditQuery = Schema
else:
    ProgrammeQuery = filter_schema(ProgrammeFilter)
    AuditQuery = filter_schema(AuditFilter)


# --- programmes and audits -------------------------------------------------------------------------------


#: What a page of programmes reads besides its rows, as little as `ProgrammeOut` shows: the standards' codes (not
#: their source notes, ~2.7 kB of JSON each) and the audits, each into a plain list (`to_attr`, read by the schemas'
#: `listed`): Django otherwise gives each of the page's ~250 audits a related manager and a queryset per relation.
#: The audits' sites and teams are read as values (`ProgrammePagination`).
PROGRAMME_PREFETCH = (
    Prefetch("standards", queryset=Standard.objects.only("code"), to_attr=listed_as("standards")),
    Prefetch("audits", to_attr=listed_as("audits")),
)
#: What `ProgrammeOut` and its audits' `timing` read of the tables a programme joins: not the client's and the
#: certification's whole records, the CB's or its settings'.
PROGRAMME_JOINED = (
    "organization__legal_name",
    *("certification__public_id", "certification__state", "certification__expires_on"),
    "certification_body__audit_settings__at_risk_days",
)


def with_sites_and_teams(audits: list[Audit]) -> None:
    """Each of `audits` with its sites' names and its team (`ListedMember`s), as `AuditOut` writes them, in two reads
    of values: prefetched, a page of programmes at N = 600 made a model instance of each of its ~400 sites and three
    of each of its ~160 team members (the member, the auditor, the user) — 16 ms of the answer's 55; about 8 as
    values. The orders are those of the relations (`Site` and `TeamMember`'s `Meta.ordering`; an audit's sites are
    its client's)."""

    def sites(keys: list[Any]) -> Any:
        rows = Audit.sites.through.objects.filter(audit_id__in=keys)
        return rows.order_by("audit_id", "-site__is_headquarters", "site__name", "site_id").values_list(
            "audit_id", "site__name"
        )

    list_values(audits, "site_names", sites)
    list_values(audits, "team", selectors.team_members)


class SitesAndTeamsPagination(PageNumberPagination):
    """`PageNumberPagination` (the same parameters and answer) whose page's audits read their sites and teams as
    values (`with_sites_and_teams`): a page of audits (`/audits`), or each programme's (`ProgrammePagination`)."""

    @staticmethod
    def audits_of(item: Any) -> list[Audit]:
        return [item]

    def complete(self, rows: list[Any]) -> None:
        with_sites_and_teams([audit for item in rows for audit in self.audits_of(item)])


class ProgrammePagination(SitesAndTeamsPagination):
    """A page of programmes: their audits (prefetched as lists) read their sites and teams as values."""

    @staticmethod
    def audits_of(item: Any) -> list[Audit]:
        return list(item.__dict__.get(listed_as("audits"), []))


@router.get("/programmes", response={200: list[ProgrammeOut], 422: ErrorOut})
@paginate(ProgrammePagination)
def programmes(request: HttpRequest, filters: Query[ProgrammeQuery]) -> QuerySet[AuditProgramme]:
    """Audit programmes you may read, by organization: search `q` (organization, scope, standard), filters and
    `sort` as on the programmes page."""
    rows = (
        own_and_joined(selectors.programme_list(user=request.user), *PROGRAMME_JOINED)
        .prefetch_related(*PROGRAMME_PREFETCH)
        .order_by("organization__legal_name", "-cycle", "pk")
    )
    return filtered(ProgrammeFilter, filters, rows, request)


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, 404: ErrorOut})
def programme_detail(request: HttpRequest, programme_id: UUID) -> AuditProgramme:
    return selectors.programme_get(user=request.user, public_id=programme_id)


@router.post("/programmes/{programme_id}/combine-stages", response={200: ProgrammeOut, **E})
def programme_combine(request: HttpRequest, programme_id: UUID, payload: CombineIn) -> AuditProgramme:
    """Record a justified combined stage 1 + stage 2 audit."""
    programme = selectors.programme_get(user=request.user, public_id=programme_id)
    return services.programme_record_combined_audit(
        actor=request.user, programme=programme, justification=payload.justification
    )


@router.post("/programmes/{programme_id}/special-audits", response={201: AuditOut, **E})
def special_audit(request: HttpRequest, programme_id: UUID, payload: SpecialAuditIn) -> Status[Audit]:
    programme = selectors.programme_get(user=request.user, public_id=programme_id)
    return Status(201, services.special_audit_create(actor=request.user, programme=programme, **payload.model_dump()))


@router.post("/programmes/{programme_id}/transition-audits", response={201: AuditOut, **E})
def transition_audit(request: HttpRequest, programme_id: UUID, payload: TransitionAuditIn) -> Status[Audit]:
    """Plan the client's move to a new edition (a CB administrator or programme manager): a transition audit of
    its own, due by the transition end, its time a surveillance's base time plus the CB's extra; or, the CB's
    transition policy allowing, a planned surveillance or recertification (`combine_with`) combined with it.
    An unknown transition or audit is a 422 on its field; a second transition audit for the edition, 409."""
    programme = selectors.programme_get(user=request.user, public_id=programme_id)
    transition = Transition.objects.filter(public_id=payload.transition_id).first()
    if transition is None:
        raise ValidationFailed("No such edition transition.", fields={"transition_id": ["Unknown transition."]})
    combine_with = None
    if payload.combine_with is not None:
        combine_with = programme.audits.filter(public_id=payload.combine_with).first()
        if combine_with is None:
            raise ValidationFailed(
                "No such audit in this programme.", fields={"combine_with": ["Not an audit of this programme."]}
            )
    audit = services.transition_audit_add(
        actor=request.user, programme=programme, transition=transition, combine_with=combine_with
    )
    return Status(201, audit)


#: What `AuditOut` reads of the rows an audit joins: its programme's id and those `PROGRAMME_JOINED` names.
AUDIT_JOINED = ("programme__public_id", *(f"programme__{path}" for path in PROGRAMME_JOINED))


@router.get("/audits", response={200: list[AuditOut], 422: ErrorOut})
@paginate(SitesAndTeamsPagination, indexed=True)  # audit_list_order
def audits(request: HttpRequest, filters: Query[AuditQuery]) -> QuerySet[Audit]:
    """Audits you may see (auditors: the ones they are on the team of), by due date: search `q` (organization,
    standard, auditor), filters (`timing`: `overdue`, `at_risk` as the `timing` field reads) and `sort` as on the
    audits page."""
    rows = own_and_joined(selectors.audit_list(user=request.user), *AUDIT_JOINED)
    return filtered(AuditFilter, filters, rows, request)


@router.get("/audits/{audit_id}", response={200: AuditOut, 404: ErrorOut})
def audit_detail(request: HttpRequest, audit_id: UUID) -> Audit:
    return selectors.audit_get(user=request.user, public_id=audit_id)


@router.post("/audits/{audit_id}/plan", response={200: AuditOut, **E})
def audit_plan(request: HttpRequest, audit_id: UUID, payload: PlanIn) -> Audit:
    """Plan dates, on-site / remote days, sites and clause coverage per auditor."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    data = payload.model_dump(exclude={"site_ids"})
    sites = sites_of(audit.programme.organization, payload.site_ids) if payload.site_ids is not None else None
    return services.audit_plan(actor=request.user, audit=audit, sites=sites, **data)


def _members(audit: Audit, payload: TeamIn) -> list[services.Member]:
    auditors = {
        a.public_id: a
        for a in Auditor.objects.filter(
            certification_body_id=audit.programme.certification_body_id,
            public_id__in=[m.auditor_id for m in payload.members],
        )
    }
    members = []
    for m in payload.members:
        if m.auditor_id not in auditors:
            raise ValidationFailed(f"No auditor {m.auditor_id} on the register.", fields={"members": ["Unknown."]})
        members.append(services.Member(auditors[m.auditor_id], m.role, tuple(m.clauses)))
    return members


@router.post("/audits/{audit_id}/team/check", response={200: EligibilityOut, **E})
def audit_team_check(request: HttpRequest, audit_id: UUID, payload: TeamIn) -> dict[str, Any]:
    """Check a proposed team without assigning it."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    require_manager(request.user, audit.programme, "check audit teams")
    return services.audit_team_check(audit, _members(audit, payload))


@router.post("/audits/{audit_id}/team", response={200: AuditOut, **E})
def audit_team_assign(request: HttpRequest, audit_id: UUID, payload: TeamIn) -> Audit:
    """Assign the team; refused with the eligibility check's reasons (which are stored on the audit)."""
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.audit_team_assign(actor=request.user, audit=audit, members=_members(audit, payload))


@router.post("/audits/{audit_id}/start", response={200: AuditOut, **E})
def audit_start(request: HttpRequest, audit_id: UUID, payload: DateIn) -> Audit:
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.audit_start(actor=request.user, audit=audit, on=payload.on)


@router.post("/audits/{audit_id}/complete", response={200: AuditOut, **E})
def audit_complete(request: HttpRequest, audit_id: UUID, payload: DateIn) -> Audit:
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    return services.audit_complete(actor=request.user, audit=audit, on=payload.on, summary=payload.summary)


@router.get("/schedule", response={200: list[AuditOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def schedule(
    request: HttpRequest, filters: Query[AuditQuery], start: date | None = None, end: date | None = None
) -> Any:
    """The CB-wide schedule: audits planned or due between `start` and `end` (default: the next 90 days), by
    start date; the audit list's search, filters and `sort` narrow it."""
    start = start or timezone.localdate()
    rows = (
        selectors.schedule(user=request.user, start=start, end=end or start + timedelta(days=90))
        .prefetch_related("sites")
        .order_by(F("planned_start").asc(nulls_last=True), "due_by", "pk")
    )
    return filtered(AuditFilter, filters, rows, request)
