"""REST resources of the CB workflow under /api/v1/. A state change is a POST to its action
(`/findings/{id}/verify`); refusals come out as `{"detail": ..., "code": ...}` with a 4xx status."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from conformo.accounts.models import User
from conformo.audits import selectors, services
from conformo.audits.ical import auditor_calendar
from conformo.audits.models import (
    Accreditation,
    Appeal,
    Application,
    Audit,
    Auditor,
    AuditProgramme,
    Complaint,
    Finding,
)
from conformo.audits.schemas import (
    AccreditationIn,
    AccreditationOut,
    AdvanceIn,
    AppealDecideIn,
    AppealIn,
    AppealOut,
    ApplicationIn,
    ApplicationOut,
    AuditorIn,
    AuditorOut,
    AuditOut,
    CBSettingsIO,
    CombineIn,
    ComplaintIn,
    ComplaintOut,
    ConflictIn,
    ConflictOut,
    DateIn,
    EligibilityOut,
    FindingIn,
    FindingOut,
    HandlerIn,
    PlanIn,
    ProgrammeOut,
    QualificationIn,
    QualificationOut,
    ReasonIn,
    ResponseIn,
    ResponseOut,
    ReviewIn,
    ReviewOut,
    SpecialAuditIn,
    TeamIn,
    UnavailabilityIn,
    UnavailabilityOut,
    VerificationOut,
    VerifyIn,
)
from conformo.audits.services.setup import SETTINGS_FIELDS
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.organizations.models import CertificationBody, Organization, Site
from conformo.standards.models import Clause, Standard

router = Router(tags=["audits"])
E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- look-ups ----------------------------------------------------------------------------------------


def my_cb(user: Any, public_id: UUID) -> CertificationBody:
    cb = CertificationBody.objects.filter(public_id=public_id).first()
    if cb is None or not (user.is_superuser or user.memberships.filter(certification_body=cb).exists()):
        raise NotFound("No such certification body.")
    return cb


def visible_org(user: Any, public_id: UUID) -> Organization:
    org = Organization.objects.visible_to(user).filter(public_id=public_id).first()
    if org is None:
        raise NotFound("No such organization.")
    return org


def standards_by_code(codes: list[str]) -> list[Standard]:
    found = {s.code: s for s in Standard.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(f"Unknown standard(s): {', '.join(missing)}.", fields={"standards": ["Unknown."]})
    return [found[c] for c in codes]


def clauses_by_ref(refs: list[str]) -> list[Clause]:
    clauses = []
    for ref in refs:
        code, _, number = ref.partition(":")
        clause = Clause.objects.filter(standard__code=code, ref=number).order_by("kind").first()
        if clause is None:
            raise ValidationFailed(
                f"Unknown clause {ref!r}; write it as 'iso-9001-2015:8.5.1'.", fields={"clauses": ["Unknown clause."]}
            )
        clauses.append(clause)
    return clauses


def sites_of(org: Organization, ids: list[UUID]) -> list[Site]:
    sites = list(org.sites.filter(public_id__in=ids))
    if len(sites) != len(set(ids)):
        raise ValidationFailed("Every site must be one of the organization's sites.", fields={"site_ids": ["Unknown."]})
    return sites


# --- CB set-up -----------------------------------------------------------------------------------------


@router.get("/certification-bodies/{cb_id}/settings", response={200: CBSettingsIO, 404: ErrorOut})
def cb_settings(request: HttpRequest, cb_id: UUID) -> Any:
    """The CB's choices for every non-normative rule (CB staff)."""
    return services.cb_settings_get(my_cb(request.user, cb_id))


@router.put("/certification-bodies/{cb_id}/settings", response={200: CBSettingsIO, **E})
def cb_settings_put(request: HttpRequest, cb_id: UUID, payload: CBSettingsIO) -> Any:
    data = {k: v for k, v in payload.model_dump().items() if k in SETTINGS_FIELDS}
    return services.cb_settings_update(actor=request.user, certification_body=my_cb(request.user, cb_id), **data)


@router.get("/accreditations", response=list[AccreditationOut])
@paginate(PageNumberPagination)
def accreditations(request: HttpRequest, **kwargs: Any) -> QuerySet[Accreditation]:
    return selectors.accreditation_list(user=request.user)


@router.post("/accreditations", response={201: AccreditationOut, **E})
def accreditation_create(request: HttpRequest, payload: AccreditationIn) -> tuple[int, Accreditation]:
    data = payload.model_dump(exclude={"certification_body_id", "standards"})
    return 201, services.accreditation_create(
        actor=request.user,
        certification_body=my_cb(request.user, payload.certification_body_id),
        standards=standards_by_code(payload.standards),
        **data,
    )


@router.get("/auditors", response=list[AuditorOut])
@paginate(PageNumberPagination)
def auditors(request: HttpRequest, **kwargs: Any) -> QuerySet[Auditor]:
    """The auditor register (auditors see only themselves)."""
    return selectors.auditor_list(user=request.user)


@router.post("/auditors", response={201: AuditorOut, **E})
def auditor_register(request: HttpRequest, payload: AuditorIn) -> tuple[int, Auditor]:
    cb = my_cb(request.user, payload.certification_body_id)
    user = User.objects.filter(email__iexact=payload.email, memberships__certification_body=cb).first()
    if user is None:
        raise ValidationFailed(f"No member of {cb} has the address {payload.email}.", fields={"email": ["Unknown."]})
    return 201, services.auditor_register(actor=request.user, certification_body=cb, user=user, notes=payload.notes)


@router.get("/auditors/{auditor_id}", response={200: AuditorOut, 404: ErrorOut})
def auditor_detail(request: HttpRequest, auditor_id: UUID) -> Auditor:
    return selectors.auditor_get(user=request.user, public_id=auditor_id)


@router.post("/auditors/{auditor_id}/qualifications", response={201: QualificationOut, **E})
def qualification_add(request: HttpRequest, auditor_id: UUID, payload: QualificationIn) -> tuple[int, Any]:
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    [standard] = standards_by_code([payload.standard])
    data = payload.model_dump(exclude={"standard"})
    return 201, services.qualification_add(actor=request.user, auditor=auditor, standard=standard, **data)


@router.post("/auditors/{auditor_id}/conflicts", response={201: ConflictOut, **E})
def conflict_declare(request: HttpRequest, auditor_id: UUID, payload: ConflictIn) -> tuple[int, Any]:
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    org = Organization.objects.filter(
        public_id=payload.organization_id, client_relationships__certification_body_id=auditor.certification_body_id
    ).first()
    if org is None:
        raise NotFound("No such client organization.")
    data = payload.model_dump(exclude={"organization_id"})
    return 201, services.conflict_declare(actor=request.user, auditor=auditor, organization=org, **data)


@router.post("/auditors/{auditor_id}/unavailability", response={201: UnavailabilityOut, **E})
def unavailability_add(request: HttpRequest, auditor_id: UUID, payload: UnavailabilityIn) -> tuple[int, Any]:
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    return 201, services.unavailability_add(actor=request.user, auditor=auditor, **payload.model_dump())


@router.get("/auditors/{auditor_id}/calendar.ics", response={200: None, 404: ErrorOut})
def auditor_ics(request: HttpRequest, auditor_id: UUID) -> HttpResponse:
    """The auditor's assignments as an iCalendar (RFC 5545) feed."""
    auditor = selectors.auditor_get(user=request.user, public_id=auditor_id)
    return HttpResponse(auditor_calendar(auditor), content_type="text/calendar; charset=utf-8")


# --- applications and reviews --------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationOut])
@paginate(PageNumberPagination)
def applications(request: HttpRequest, **kwargs: Any) -> QuerySet[Application]:
    return selectors.application_list(user=request.user)


@router.post("/applications", response={201: ApplicationOut, **E})
def application_submit(request: HttpRequest, payload: ApplicationIn) -> tuple[int, Application]:
    """Apply for certification (the client's administrator, or the CB on its behalf)."""
    org = visible_org(request.user, payload.organization_id)
    cb = CertificationBody.objects.filter(public_id=payload.certification_body_id).first()
    if cb is None:
        raise NotFound("No such certification body.")
    return 201, services.application_submit(
        actor=request.user,
        certification_body=cb,
        organization=org,
        standards=standards_by_code(payload.standards),
        scope=payload.scope,
        sites=sites_of(org, payload.site_ids),
        sector_codes=payload.sector_codes,
        complexity=payload.complexity,
        outsourced_processes=payload.outsourced_processes,
        consultancy_used=payload.consultancy_used,
        transfer=payload.transfer,
    )


@router.get("/applications/{application_id}", response={200: ApplicationOut, 404: ErrorOut})
def application_detail(request: HttpRequest, application_id: UUID) -> Application:
    return selectors.application_get(user=request.user, public_id=application_id)


@router.get("/applications/{application_id}/reviews", response={200: list[ReviewOut], 404: ErrorOut})
def application_reviews(request: HttpRequest, application_id: UUID) -> list[Any]:
    application = selectors.application_get(user=request.user, public_id=application_id)
    return list(application.reviews.all())


@router.post("/applications/{application_id}/review", response={201: ReviewOut, **E})
def application_review(request: HttpRequest, application_id: UUID) -> tuple[int, Any]:
    """Review: accreditation, competence, audit time with its trace, sampling, quotation."""
    application = selectors.application_get(user=request.user, public_id=application_id)
    return 201, services.application_review(actor=request.user, application=application)


@router.post("/applications/{application_id}/accept", response={201: ProgrammeOut, **E})
def application_accept(request: HttpRequest, application_id: UUID) -> tuple[int, AuditProgramme]:
    """Accept a reviewed application; returns the 3-year programme."""
    application = selectors.application_get(user=request.user, public_id=application_id)
    return 201, services.application_accept(actor=request.user, application=application)


@router.post("/applications/{application_id}/decline", response={200: ApplicationOut, **E})
def application_decline(request: HttpRequest, application_id: UUID, payload: ReasonIn) -> Application:
    application = selectors.application_get(user=request.user, public_id=application_id)
    return services.application_decline(actor=request.user, application=application, reason=payload.reason)


# --- programmes and audits -------------------------------------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(PageNumberPagination)
def programmes(request: HttpRequest, **kwargs: Any) -> QuerySet[AuditProgramme]:
    return selectors.programme_list(user=request.user).prefetch_related(
        "standards", "audits__sites", "audits__team__auditor__user"
    )


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
def special_audit(request: HttpRequest, programme_id: UUID, payload: SpecialAuditIn) -> tuple[int, Audit]:
    programme = selectors.programme_get(user=request.user, public_id=programme_id)
    return 201, services.special_audit_create(actor=request.user, programme=programme, **payload.model_dump())


@router.get("/audits", response=list[AuditOut])
@paginate(PageNumberPagination)
def audits(request: HttpRequest, **kwargs: Any) -> QuerySet[Audit]:
    """Audits you may see (auditors: the ones they are on the team of)."""
    return selectors.audit_list(user=request.user).prefetch_related("sites", "team__auditor__user")


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
    services.programmes._require_manager(request.user, audit.programme, "check audit teams")
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


@router.get("/schedule", response=list[AuditOut])
@paginate(PageNumberPagination)
def schedule(request: HttpRequest, start: date | None = None, end: date | None = None, **kwargs: Any) -> Any:
    """The CB-wide schedule: audits planned or due between `start` and `end` (default: the next 90 days)."""
    start = start or timezone.localdate()
    return selectors.schedule(user=request.user, start=start, end=end or start + timedelta(days=90))


# --- findings ------------------------------------------------------------------------------------------------


@router.get("/findings", response=list[FindingOut])
@paginate(PageNumberPagination)
def findings(request: HttpRequest, **kwargs: Any) -> QuerySet[Finding]:
    return selectors.finding_list(user=request.user).prefetch_related("responses", "verifications")


@router.post("/audits/{audit_id}/findings", response={201: FindingOut, **E})
def finding_raise(request: HttpRequest, audit_id: UUID, payload: FindingIn) -> tuple[int, Finding]:
    audit = selectors.audit_get(user=request.user, public_id=audit_id)
    site = sites_of(audit.programme.organization, [payload.site_id])[0] if payload.site_id else None
    return 201, services.finding_raise(
        actor=request.user,
        audit=audit,
        grade=payload.grade,
        statement=payload.statement,
        evidence=payload.evidence,
        clauses=clauses_by_ref(payload.clauses),
        site=site,
        raised_on=payload.raised_on,
    )


@router.get("/findings/{finding_id}", response={200: FindingOut, 404: ErrorOut})
def finding_detail(request: HttpRequest, finding_id: UUID) -> Finding:
    return selectors.finding_get(user=request.user, public_id=finding_id)


@router.post("/findings/{finding_id}/responses", response={201: ResponseOut, **E})
def finding_respond(request: HttpRequest, finding_id: UUID, payload: ResponseIn) -> tuple[int, Any]:
    """The client's response: correction, root cause, corrective action, planned completion."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return 201, services.finding_respond(actor=request.user, finding=finding, **payload.model_dump())


def _response(request: HttpRequest, finding_id: UUID, response_id: UUID) -> Any:
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    response = finding.responses.filter(public_id=response_id).first()
    if response is None:
        raise NotFound("No such response.")
    return response


@router.post("/findings/{finding_id}/responses/{response_id}/accept", response={200: ResponseOut, **E})
def response_accept(request: HttpRequest, finding_id: UUID, response_id: UUID, payload: ReviewIn) -> Any:
    response = _response(request, finding_id, response_id)
    return services.finding_response_review(actor=request.user, response=response, accept=True, comment=payload.comment)


@router.post("/findings/{finding_id}/responses/{response_id}/reject", response={200: ResponseOut, **E})
def response_reject(request: HttpRequest, finding_id: UUID, response_id: UUID, payload: ReviewIn) -> Any:
    response = _response(request, finding_id, response_id)
    return services.finding_response_review(
        actor=request.user, response=response, accept=False, comment=payload.comment
    )


@router.post("/findings/{finding_id}/verify", response={201: VerificationOut, **E})
def finding_verify(request: HttpRequest, finding_id: UUID, payload: VerifyIn) -> tuple[int, Any]:
    """Verify the corrective action's effectiveness (on site or by documents)."""
    finding = selectors.finding_get(user=request.user, public_id=finding_id)
    return 201, services.finding_verify(actor=request.user, finding=finding, **payload.model_dump())


# --- complaints and appeals --------------------------------------------------------------------------------


def _cb_staff(cb_id: int, email: str) -> User:
    user = User.objects.filter(email__iexact=email, memberships__certification_body_id=cb_id).first()
    if user is None:
        raise ValidationFailed(f"No CB member has the address {email}.", fields={"handler_email": ["Unknown."]})
    return user


@router.get("/complaints", response=list[ComplaintOut])
@paginate(PageNumberPagination)
def complaints(request: HttpRequest, **kwargs: Any) -> QuerySet[Complaint]:
    return selectors.complaint_list(user=request.user)


@router.post("/complaints", response={201: ComplaintOut, **E})
def complaint_receive(request: HttpRequest, payload: ComplaintIn) -> tuple[int, Complaint]:
    cb = CertificationBody.objects.filter(public_id=payload.certification_body_id).first()
    if cb is None:
        raise NotFound("No such certification body.")
    org = visible_org(request.user, payload.organization_id) if payload.organization_id else None
    data = payload.model_dump(exclude={"certification_body_id", "organization_id"})
    return 201, services.complaint_receive(actor=request.user, certification_body=cb, organization=org, **data)


@router.post("/complaints/{complaint_id}/assign", response={200: ComplaintOut, **E})
def complaint_assign(request: HttpRequest, complaint_id: UUID, payload: HandlerIn) -> Complaint:
    complaint = selectors.complaint_get(user=request.user, public_id=complaint_id)
    handler = _cb_staff(complaint.certification_body_id, payload.handler_email)
    return services.complaint_assign(actor=request.user, complaint=complaint, handler=handler)


@router.post("/complaints/{complaint_id}/advance", response={200: ComplaintOut, **E})
def complaint_advance(request: HttpRequest, complaint_id: UUID, payload: AdvanceIn) -> Complaint:
    complaint = selectors.complaint_get(user=request.user, public_id=complaint_id)
    return services.complaint_advance(actor=request.user, complaint=complaint, **payload.model_dump())


@router.get("/appeals", response=list[AppealOut])
@paginate(PageNumberPagination)
def appeals(request: HttpRequest, **kwargs: Any) -> QuerySet[Appeal]:
    return selectors.appeal_list(user=request.user)


@router.post("/appeals", response={201: AppealOut, **E})
def appeal_lodge(request: HttpRequest, payload: AppealIn) -> tuple[int, Appeal]:
    from conformo.certification.selectors import decision_get

    decision = decision_get(user=request.user, public_id=payload.decision_id)
    return 201, services.appeal_lodge(
        actor=request.user, decision=decision, subject=payload.subject, grounds=payload.grounds
    )


@router.post("/appeals/{appeal_id}/assign", response={200: AppealOut, **E})
def appeal_assign(request: HttpRequest, appeal_id: UUID, payload: HandlerIn) -> Appeal:
    appeal = selectors.appeal_get(user=request.user, public_id=appeal_id)
    handler = _cb_staff(appeal.certification_body_id, payload.handler_email)
    return services.appeal_assign(actor=request.user, appeal=appeal, handler=handler)


@router.post("/appeals/{appeal_id}/decide", response={200: AppealOut, **E})
def appeal_decide(request: HttpRequest, appeal_id: UUID, payload: AppealDecideIn) -> Appeal:
    appeal = selectors.appeal_get(user=request.user, public_id=appeal_id)
    return services.appeal_decide(actor=request.user, appeal=appeal, upheld=payload.upheld, outcome=payload.outcome)
