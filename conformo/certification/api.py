"""Certifications and decisions under /api/v1/."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from conformo.audits.filters import AppealFilter
from conformo.audits.models import Appeal, AuditProgramme
from conformo.audits.schemas import AppealIn, AppealOut, ProgrammeOut, ScopeLineIn, ScopeLineOut
from conformo.audits.selectors import appeal_list, application_get
from conformo.audits.services import appeal_lodge
from conformo.certification.export import certification_file_build
from conformo.certification.filters import AwaitingDecisionFilter, CertificationFilter
from conformo.certification.models import Certification, Decision
from conformo.certification.selectors import (
    awaiting_decision_queryset,
    awaiting_decision_row,
    certification_get,
    certification_list,
    decision_file,
    decision_get,
    decision_list,
    suspension_proposals,
)
from conformo.certification.services import application_accept, decision_options, decision_take
from conformo.core.listing import filter_schema, filtered
from conformo.core.openapi import file_response
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, column
from conformo.domain.scope import LINES_MAX

router = Router(tags=["certification"])

if TYPE_CHECKING:  # the query schemas are built from the FilterSets at import time (core/listing.py)
    AppealQuery = Schema
    CertificationQuery = Schema
    AwaitingDecisionQuery = Schema
else:
    AppealQuery = filter_schema(AppealFilter)
    CertificationQuery = filter_schema(CertificationFilter)
    AwaitingDecisionQuery = filter_schema(AwaitingDecisionFilter)
E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CertificationOut(Schema):
    id: UUID = Field(alias="public_id")
    organization: str
    state: str
    effective_state: str
    standards: list[str]
    scope: str
    scope_lines: list[ScopeLineOut] = Field(description="The structured scope: standard, site (null: all sites)")
    sector_codes: list[int]
    original_decision_on: date | None
    expires_on: date | None
    suspended_on: date | None
    transferred_from: str

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization)

    @staticmethod
    def resolve_effective_state(obj: Any) -> str:
        return str(obj.effective_state(timezone.localdate()))

    @staticmethod
    def resolve_standards(obj: Any) -> list[str]:
        return [s.code for s in obj.standards.all()]

    @staticmethod
    def resolve_scope_lines(obj: Any) -> list[Any]:
        return list(obj.scope_lines.all())


class DecisionIn(Schema):
    kind: str = column(Decision, "kind")
    reason: str = column(Decision, "reason", default="")
    decided_on: date | None = None
    scope: str | None = Field(None, description="The scope statement; generated from `scope_lines` when empty.")
    scope_lines: list[ScopeLineIn] | None = Field(
        None,
        max_length=LINES_MAX,
        description="Scope changes: every line of the new scope (errors name `scope_lines.<row>.<field>`). A "
        "reduction must stay within the current lines (refused with `scope_not_subset` naming what is not).",
    )
    issue_resolved: bool = False


class DecisionOut(Schema):
    id: UUID = Field(alias="public_id")
    certification_id: UUID
    organization: str
    kind: str
    reason: str
    decided_on: date
    decided_by: str | None
    state_before: str
    state_after: str
    scope_after: str

    @staticmethod
    def resolve_certification_id(obj: Any) -> UUID:
        return obj.certification.public_id

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.certification.organization)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.email if obj.decided_by else None


class AwaitingDecisionOut(Schema):
    """One issued report awaiting its decision (`selectors.awaiting_decision_queryset`)."""

    certification_id: UUID
    organization: str
    decision: str = Field(description="grant or renew")
    audit_id: UUID
    audit_kind: str
    report_revision: int = Field(alias="revision")
    recommendation: str
    conditions: str
    report_issued_at: datetime = Field(alias="issued_at")

    @staticmethod
    def resolve_certification_id(obj: Any) -> UUID:
        return awaiting_decision_row(obj)["certification"].public_id

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.audit.programme.certification.organization)

    @staticmethod
    def resolve_decision(obj: Any) -> str:
        return str(awaiting_decision_row(obj)["decision"])

    @staticmethod
    def resolve_audit_id(obj: Any) -> UUID:
        return obj.audit.public_id

    @staticmethod
    def resolve_audit_kind(obj: Any) -> str:
        return str(obj.audit.kind)


class FileReviewOut(Schema):
    ok: bool
    checks: list[dict[str, Any]]
    audit_time: dict[str, Any] = Field(description="The rules engine's audit time with its trace.")
    quotation: list[dict[str, Any]]


class FilePlanOut(Schema):
    version: int
    status: str
    issued_at: datetime | None


class FileReportOut(Schema):
    kind: str
    revision: int
    status: str
    recommendation: str
    conditions: str
    stage2_ready: bool | None
    soa_version: str
    issued_at: datetime | None


class FileVerificationOut(Schema):
    method: str
    effective: bool
    verified_on: date


class FileFindingOut(Schema):
    id: UUID = Field(alias="public_id")
    reference: str
    grade: str
    status: str
    statement: str
    verification_due: date | None
    verifications: list[FileVerificationOut]

    @staticmethod
    def resolve_verifications(obj: Any) -> list[Any]:
        return list(obj.verifications.all())


class FileTeamMemberOut(Schema):
    auditor: str
    role: str

    @staticmethod
    def resolve_auditor(obj: Any) -> str:
        return str(obj.auditor.user)


class FileAuditOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    status: str
    completed_on: date | None
    eligibility_ok: bool | None
    eligibility: dict[str, Any]
    team: list[FileTeamMemberOut]
    plans: list[FilePlanOut]
    reports: list[FileReportOut]
    findings: list[FileFindingOut]

    @staticmethod
    def resolve_team(obj: Any) -> list[Any]:
        return list(obj.team.all())

    @staticmethod
    def resolve_plans(obj: Any) -> list[Any]:
        return list(obj.plans.all())

    @staticmethod
    def resolve_reports(obj: Any) -> list[Any]:
        return list(obj.reports.all())

    @staticmethod
    def resolve_findings(obj: Any) -> list[Any]:
        return list(obj.findings.all())


class FileDecisionOut(Schema):
    id: UUID = Field(alias="public_id")
    kind: str
    reason: str
    decided_on: date
    decided_by: str | None
    state_after: str
    basis_report: str | None = Field(description="The report revision a grant or renewal rested on.")

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.email if obj.decided_by else None

    @staticmethod
    def resolve_basis_report(obj: Any) -> str | None:
        report = obj.basis_report
        return f"{report.audit.kind} rev. {report.revision}" if report else None


class FileOptionOut(Schema):
    decision: str
    needs: str
    blocked_by: str = Field(description="Why it cannot be taken today; empty when it can.")


class CertificationFileOut(Schema):
    certification_id: UUID
    programme_cycle: int | None
    review: FileReviewOut | None
    audits: list[FileAuditOut]
    decisions: list[FileDecisionOut]
    options: list[FileOptionOut]


class ProposalOut(Schema):
    certification_id: UUID
    organization: str
    reasons: list[str]


@router.post(
    "/applications/{application_id}/accept",
    response={201: ProgrammeOut, **E},
    tags=["audits"],
    # The operation kept its id when it moved here from conformo.audits.api.applications (integrators use it).
    operation_id="conformo_audits_api_applications_application_accept",
    summary="Application Accept",
)
def application_accept_endpoint(request: HttpRequest, application_id: UUID) -> Status[AuditProgramme]:
    """Accept a reviewed application; opens the certification record and returns its 3-year programme."""
    application = application_get(user=request.user, public_id=application_id)
    return Status(201, application_accept(actor=request.user, application=application))


@router.get(
    "/appeals",
    response={200: list[AppealOut], 422: ErrorOut},
    tags=["audits"],
    # GET and POST of one path belong to one router; both kept the ids they had in conformo.audits.api.registers.
    operation_id="conformo_audits_api_registers_appeals",
)
@paginate(PageNumberPagination)
def appeals(request: HttpRequest, filters: Query[AppealQuery]) -> QuerySet[Appeal]:
    """Appeals you may read, the latest received first: search `q` (subject, grounds, organization), filters and
    `sort` as on the appeals page (conformo/audits/filters.py)."""
    return filtered(AppealFilter, filters, appeal_list(user=request.user), request)


@router.post(
    "/appeals",
    response={201: AppealOut, **E},
    tags=["audits"],
    # The operation kept its id when it moved here from conformo.audits.api.registers (integrators use it).
    operation_id="conformo_audits_api_registers_appeal_lodge",
    summary="Appeal Lodge",
)
def appeal_lodge_endpoint(request: HttpRequest, payload: AppealIn) -> Status[Appeal]:
    """Lodge an appeal against a certification decision (ISO/IEC 17021-1 9.7)."""
    decision = decision_get(user=request.user, public_id=payload.decision_id)
    return Status(
        201, appeal_lodge(actor=request.user, decision=decision, subject=payload.subject, grounds=payload.grounds)
    )


@router.get("/certifications", response={200: list[CertificationOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def certifications(request: HttpRequest, filters: Query[CertificationQuery], **kwargs: Any) -> Any:
    """Certifications of your CB or organization, newest first: search `q` (organization, scope), filters and
    `sort` as on the certifications page."""
    rows = certification_list(user=request.user).prefetch_related("standards")
    return filtered(CertificationFilter, filters, rows, request)


@router.get("/certifications/{certification_id}", response={200: CertificationOut, 404: ErrorOut})
def certification_detail(request: HttpRequest, certification_id: UUID) -> Certification:
    return certification_get(user=request.user, public_id=certification_id)


@router.get(
    "/certifications/{certification_id}/file",
    response={403: ErrorOut, 404: ErrorOut},
    openapi_extra=file_response("The certification file (ZIP)", "application/zip"),
)
def certification_file(request: HttpRequest, certification_id: UUID) -> HttpResponse:
    """The certification file as one ZIP (application/zip): each issued plan version and report revision as
    PDF, the current certificate PDF, the certification's audit-log entries (audit-log.json) and a
    manifest.json with each file's SHA-256. CB administrators, programme managers and decision makers of its
    CB only."""
    certification = certification_get(user=request.user, public_id=certification_id)
    name, data = certification_file_build(user=request.user, certification=certification)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/certifications/{certification_id}/decision-file",
    response={200: CertificationFileOut, 403: ErrorOut, 404: ErrorOut},
)
def certification_decision_file(request: HttpRequest, certification_id: UUID) -> dict[str, Any]:
    """The file a decision rests on (ISO/IEC 17021-1 9.5.1), for the CB's staff; and the decisions possible
    today, each with the domain's reason when it is not."""
    certification = certification_get(user=request.user, public_id=certification_id)
    file = decision_file(user=request.user, certification=certification)
    return {
        "certification_id": certification.public_id,
        "programme_cycle": file.programme.cycle if file.programme else None,
        "review": file.review,
        "audits": file.audits,
        "decisions": file.decisions,
        "options": [
            {"decision": o.decision.value, "needs": o.needs, "blocked_by": o.blocked_by}
            for o in decision_options(certification=certification)
        ],
    }


@router.post("/certifications/{certification_id}/decisions", response={201: DecisionOut, **E})
def decision_create(request: HttpRequest, certification_id: UUID, payload: DecisionIn) -> Status[Decision]:
    """Take a certification decision (a decision maker who was on no audit team of the cycle)."""
    certification = certification_get(user=request.user, public_id=certification_id)
    data = payload.model_dump(exclude={"scope_lines"})
    lines = [line.row() for line in payload.scope_lines] if payload.scope_lines is not None else None
    return Status(201, decision_take(actor=request.user, certification=certification, scope_lines=lines, **data))


@router.get("/decisions", response=list[DecisionOut])
@paginate(PageNumberPagination)
def decisions(request: HttpRequest, **kwargs: Any) -> QuerySet[Decision]:
    return decision_list(user=request.user)


@router.get("/decisions/{decision_id}", response={200: DecisionOut, 404: ErrorOut})
def decision_detail(request: HttpRequest, decision_id: UUID) -> Decision:
    return decision_get(user=request.user, public_id=decision_id)


@router.get("/suspension-proposals", response=list[ProposalOut])
def proposals(request: HttpRequest) -> list[dict[str, Any]]:
    """Active certifications with an overdue surveillance or an unverified major past its date."""
    return [
        {
            "certification_id": p["certification"].public_id,
            "organization": str(p["certification"].organization),
            "reasons": p["reasons"],
        }
        for p in suspension_proposals(user=request.user, today=timezone.localdate())
    ]


@router.get("/awaiting-decisions", response={200: list[AwaitingDecisionOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def awaiting_decisions(request: HttpRequest, filters: Query[AwaitingDecisionQuery], **kwargs: Any) -> Any:
    """Grants and renewals whose report is issued with the team's recommendation and not yet decided on
    (ISO/IEC 17021-1 9.5.1), oldest report first: search `q` (organization), filters and `sort` as on the page."""
    return filtered(AwaitingDecisionFilter, filters, awaiting_decision_queryset(user=request.user), request)
