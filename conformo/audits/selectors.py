"""Reads of the CB workflow, always through `visible_to(user)`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits.choices import (
    AgreementTemplateStatus,
    AuditKind,
    AuditStatus,
    FindingGrade,
    FindingStatus,
    PlanStatus,
    ReportStatus,
)
from conformo.audits.models import (
    Accreditation,
    Agreement,
    AgreementTemplate,
    Appeal,
    Application,
    Audit,
    Auditor,
    AuditPlan,
    AuditProgramme,
    AuditReport,
    AuditTimeDetermination,
    Complaint,
    Finding,
    PlanObjection,
    Qualification,
    TeamMember,
)
from conformo.audits.models.programmes import AuditQuerySet, ListedMember, certification_ended_q
from conformo.audits.models.setup import ListedQualification
from conformo.audits.redetermination import (  # re-exported: the views and the API read them here
    RECERTIFICATION_DUE as RECERTIFICATION_DUE,
)
from conformo.audits.redetermination import (
    programmes_to_redetermine as programmes_to_redetermine,
)
from conformo.audits.redetermination import (
    redetermination_reasons as redetermination_reasons,
)
from conformo.core.errors import NotFound
from conformo.core.roles import CB_ROLES
from conformo.core.schemas import list_values
from conformo.core.tenancy import has_cb_role, not_visible
from conformo.domain.agreement import MARK_USE_DUTY_FALLBACK
from conformo.domain.certificate_states import CertificateState
from conformo.organizations.models import Organization


def _get(queryset: QuerySet[Any], public_id: Any, what: str, *, user: Any = None) -> Any:
    """The object of `queryset` with `public_id`; else, given `user`, a 403 page when the object is in one of
    the user's own tenants (`core.tenancy.not_visible`), otherwise 404."""
    found = queryset.filter(public_id=public_id).first()
    if found is None:
        if user is not None:
            raise not_visible(queryset.model, user, what, public_id=public_id)
        raise NotFound(f"No such {what}.")
    return found


def application_list(*, user: Any) -> QuerySet[Application]:
    return Application.objects.visible_to(user).select_related("organization").prefetch_related("standards")


def application_get(*, user: Any, public_id: Any) -> Application:
    return _get(Application.objects.visible_to(user), public_id, "application", user=user)


def programme_list(*, user: Any) -> QuerySet[AuditProgramme]:
    return AuditProgramme.objects.visible_to(user).select_related(
        "organization", "certification", "certification_body__audit_settings"
    )


def programme_get(*, user: Any, public_id: Any) -> AuditProgramme:
    return _get(AuditProgramme.objects.visible_to(user), public_id, "programme", user=user)


def audit_list(*, user: Any) -> AuditQuerySet[Audit]:
    return (
        Audit.objects.visible_to(user)
        .select_related(
            "programme__organization", "programme__certification", "programme__certification_body__audit_settings"
        )
        .order_by("due_by", "sequence", "pk")  # pk: one order for audits due the same day, page after page
    )


def open_audits(*, user: Any, today: date) -> QuerySet[Audit]:
    """Audits still to run, for the workspace: not completed or cancelled, and of a certification that has not
    ended (a withdrawn, refused or expired certification's audits are not overdue: nothing is due any more)."""
    return audit_list(user=user).exclude(status__in=[AuditStatus.COMPLETED, AuditStatus.CANCELLED]).live(today)


def audit_get(*, user: Any, public_id: Any) -> Audit:
    return _get(Audit.objects.visible_to(user), public_id, "audit", user=user)


def finding_list(*, user: Any) -> QuerySet[Finding]:
    return (
        Finding.objects.visible_to(user)
        .select_related("audit__programme__organization", "site")
        .prefetch_related("clauses__standard")
    )


def finding_get(*, user: Any, public_id: Any) -> Finding:
    return _get(Finding.objects.visible_to(user), public_id, "finding", user=user)


def findings_for_organization(*, user: Any, organization: Organization) -> QuerySet[Finding]:
    """The CB findings about `organization` that `user` may see (for the organization's improvement log)."""
    return finding_list(user=user).filter(audit__programme__organization=organization)


def stage1_concerns(programme: AuditProgramme) -> QuerySet[Finding]:
    """Stage 1 areas of concern, which feed stage 2 planning (17021-1 9.3.1.2.3)."""
    return Finding.objects.filter(
        audit__programme=programme, audit__kind=AuditKind.STAGE_1, grade=FindingGrade.AREA_OF_CONCERN
    ).exclude(status=FindingStatus.WITHDRAWN)


def auditor_list(*, user: Any) -> QuerySet[Auditor]:
    """The auditor register; a page of it reads its qualifications with `with_qualifications`."""
    return Auditor.objects.visible_to(user).select_related("user")


def with_qualifications(auditors: list[Auditor], *, evaluations: bool = False) -> list[Auditor]:
    """`auditors`, each with its qualifications as a list (`listed(auditor, "qualifications")`) of
    `ListedQualification`s, with the standard and, with `evaluations` (the API's `evaluation_id`), the public id of
    the evaluation that granted it: one query of values, in the qualifications' order. At N = 600 the register's 480
    qualifications took 13 ms read with their standards' whole rows as model instances."""
    columns = ("public_id", "standard__code", "standard__designation", "sector_codes", "role", "valid_from")
    columns += ("valid_until", "basis", *(("evaluation__public_id",) if evaluations else ()))

    def read(keys: list[Any]) -> Iterator[tuple[Any, ListedQualification]]:
        rows = Qualification.objects.filter(auditor_id__in=keys).values_list("auditor_id", *columns)
        return ((auditor_id, ListedQualification(*values)) for auditor_id, *values in rows)

    return list_values(auditors, "qualifications", read)


def team_members(audit_ids: list[Any]) -> Iterator[tuple[Any, ListedMember]]:
    """The team members of `audit_ids` as (audit id, `ListedMember`), read as values, each team in its order
    (`TeamMember.Meta.ordering`, then as added): what a page of audits or programmes lists
    (`core.schemas.list_values(audits, "team", team_members)`)."""
    members = TeamMember.objects.filter(audit_id__in=audit_ids).order_by("audit_id", "role", "pk")
    for audit_id, auditor_id, full_name, email, role, clauses in members.values_list(
        "audit_id", "auditor__public_id", "auditor__user__full_name", "auditor__user__email", "role", "clauses"
    ):
        yield audit_id, ListedMember(auditor_id, User.name_of(full_name, email), role, clauses)


def auditor_get(*, user: Any, public_id: Any) -> Auditor:
    return _get(Auditor.objects.visible_to(user), public_id, "auditor", user=user)


def accreditation_list(*, user: Any) -> QuerySet[Accreditation]:
    return Accreditation.objects.visible_to(user).prefetch_related("standards")


def complaint_list(*, user: Any) -> QuerySet[Complaint]:
    return Complaint.objects.visible_to(user).select_related("organization", "handler")


def complaint_get(*, user: Any, public_id: Any) -> Complaint:
    return _get(Complaint.objects.visible_to(user), public_id, "complaint", user=user)


def appeal_list(*, user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.visible_to(user).select_related("organization", "handler", "decision")


def appeal_get(*, user: Any, public_id: Any) -> Appeal:
    return _get(Appeal.objects.visible_to(user), public_id, "appeal", user=user)


def assignments_for(auditor: Auditor) -> QuerySet[TeamMember]:
    """An auditor's team places (for the iCalendar feed)."""
    return (
        TeamMember.objects.filter(auditor=auditor)
        .select_related("audit__programme__organization")
        .prefetch_related("audit__sites")
    )


def schedule(*, user: Any, start: date, end: date, today: date | None = None) -> QuerySet[Audit]:
    """Audits planned, or due, between `start` and `end`; the open audits of a certification that has ended
    (`certification_ended_q` on `today`) are left out — they will not take place."""
    return (
        audit_list(user=user)
        .filter(
            Q(planned_start__lte=end, planned_end__gte=start)
            | Q(planned_start__isnull=True, due_by__range=(start, end))
        )
        .exclude(
            certification_ended_q(today or timezone.localdate()),
            status__in=[AuditStatus.PLANNED, AuditStatus.IN_PROGRESS],
        )
        .prefetch_related("sites", "team__auditor__user")
    )


# --- audit plans (17021-1 9.2.3) ----------------------------------------------------------------------


def plan_versions(*, user: Any, audit: Audit) -> QuerySet[AuditPlan]:
    """The versions of an audit's plan this user may read: all of them for the CB's people, the issued ones
    (current and superseded) for the client — a draft is the CB's own work."""
    plans = AuditPlan.objects.visible_to(user).filter(audit=audit).select_related("issued_by", "accepted_by")
    if not has_cb_role(user, audit.programme.certification_body_id, *(r.value for r in CB_ROLES)):
        plans = plans.exclude(status=PlanStatus.DRAFT)
    return plans.order_by("-version")


def plan_get(*, user: Any, audit: Audit, version: int | None = None) -> AuditPlan:
    """One version of the plan, or (no version) the issued one; 404 when there is none this user may read."""
    plans = plan_versions(user=user, audit=audit)
    plan = (
        plans.filter(version=version).first() if version is not None else plans.filter(status=PlanStatus.ISSUED).first()
    )
    if plan is None:
        raise NotFound("No such version of the audit plan." if version is not None else "No audit plan issued yet.")
    return plan


def plan_objections(*, plan: AuditPlan) -> QuerySet[PlanObjection]:
    return plan.objections.select_related("auditor__user", "resolved_by")


def objection_get(*, user: Any, public_id: Any) -> PlanObjection:
    plans = AuditPlan.objects.visible_to(user)
    return _get(
        PlanObjection.objects.filter(plan__in=plans).select_related("plan__audit__programme", "auditor__user"),
        public_id,
        "objection",
    )


# --- audit reports (17021-1 9.4.8; stage 1: 9.3.1.2) ------------------------------------------------------


def report_revisions(*, user: Any, audit: Audit) -> QuerySet[AuditReport]:
    """The revisions of an audit's report this user may read: all of them for the CB's people, the issued
    ones (current and superseded) for the client — a draft is the audit team's work."""
    reports = AuditReport.objects.visible_to(user).filter(audit=audit).select_related("issued_by")
    if not has_cb_role(user, audit.programme.certification_body_id, *(r.value for r in CB_ROLES)):
        reports = reports.exclude(status=ReportStatus.DRAFT)
    return reports.order_by("-revision")


def report_get(*, user: Any, audit: Audit, revision: int | None = None) -> AuditReport:
    """One revision of the report, or (no revision) the issued one; 404 when there is none this user may
    read. The findings are read from the revision itself (frozen at issue), so the read costs the same few
    queries however many findings the audit has."""
    reports = report_revisions(user=user, audit=audit)
    report = (
        reports.filter(revision=revision).first()
        if revision is not None
        else reports.filter(status=ReportStatus.ISSUED).first()
    )
    if report is None:
        raise NotFound("No such revision of the audit report." if revision is not None else "No report issued yet.")
    return report


GRANT_BASIS_KINDS = (AuditKind.STAGE_2, AuditKind.TRANSFER_REVIEW)


def awaiting_decision_q() -> Q:
    """The issued reports a certification decision waits on (17021-1 9.5.1): a stage 2 or transfer review report
    of a pending certification (a grant) or a recertification report of an active one (a renewal), of the current
    programme, with the team's recommendation, and no decision taken on it yet. The decision makers' queue
    (`certification.selectors.awaiting_decision`) and their notice (`audits.notices.decision_awaiting`) both read
    it, so a file is announced exactly when it enters the queue."""
    return (
        Q(audit__programme__active=True, status=ReportStatus.ISSUED, decisions__isnull=True)
        & ~Q(recommendation="")
        & (
            Q(
                audit__kind__in=GRANT_BASIS_KINDS,
                audit__programme__certification__state=CertificateState.PENDING.value,
            )
            | Q(
                audit__kind=AuditKind.RECERTIFICATION,
                audit__programme__certification__state=CertificateState.ACTIVE.value,
            )
        )
    )


# --- audit-time determinations ------------------------------------------------------------------------


def application_determination(*, user: Any, application: Application) -> AuditTimeDetermination | None:
    """The application's current audit-time determination, if this user may read it (the CB's staff and the
    client: MD 5 gives the determination and its justification to the client)."""
    return (
        AuditTimeDetermination.objects.visible_to(user)
        .filter(application=application)
        .order_by("-created_at", "-id")
        .first()
    )


def programme_determination(*, user: Any, programme: AuditProgramme) -> AuditTimeDetermination | None:
    """The determination the programme's days follow, if this user may read it (the CB-wide staff and the client;
    not the auditors, who see their audits' days)."""
    if programme.determination_id is None:
        return None
    return AuditTimeDetermination.objects.visible_to(user).filter(pk=programme.determination_id).first()


# --- the certification agreement (17021-1 5.1.2) ----------------------------------------------------------------


def current_agreement_template(cb: Any) -> AgreementTemplate | None:
    """The CB's current certification agreement: its latest published version (None before the first). What a
    proposal and the client's acceptance carry."""
    cb_id = cb if isinstance(cb, int) else cb.pk
    return (
        AgreementTemplate.objects.filter(certification_body_id=cb_id, status=AgreementTemplateStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )


def published_agreement_templates(cb_id: int) -> list[AgreementTemplate]:
    """The CB's published agreement versions, the current one first."""
    return list(
        AgreementTemplate.objects.filter(
            certification_body_id=cb_id, status=AgreementTemplateStatus.PUBLISHED
        ).order_by("-version")
    )


def agreement_template_list(*, user: Any) -> QuerySet[AgreementTemplate]:
    """The agreement versions of the CBs whose staff (CB administrator, programme manager, decision maker) the
    user is, newest first."""
    return (
        AgreementTemplate.objects.visible_to(user)
        .select_related("certification_body", "published_by")
        .order_by("certification_body__name", "-version")
    )


def agreement_template_get(*, user: Any, public_id: Any) -> AgreementTemplate:
    return _get(AgreementTemplate.objects.visible_to(user), public_id, "agreement version", user=user)


def application_agreements(application: Application) -> list[Agreement]:
    """The application's accepted agreement versions, the latest acceptance first."""
    return list(
        Agreement.objects.filter(application=application)
        .select_related("template", "accepted_by", "recorded_by")
        .order_by("-accepted_at", "-id")
    )


def accepted_agreement(application: Application) -> Agreement | None:
    """The application's latest acceptance of the CB's agreement (None when none is accepted)."""
    return (
        Agreement.objects.filter(application=application)
        .select_related("template", "accepted_by", "recorded_by")
        .order_by("-accepted_at", "-id")
        .first()
    )


def client_agreement(certification_body_id: int, organization_id: int | None) -> Agreement | None:
    """The latest agreement the organization accepted with the CB, whichever application it came with."""
    if organization_id is None:
        return None
    return (
        Agreement.objects.filter(
            application__certification_body_id=certification_body_id, application__organization_id=organization_id
        )
        .select_related("template", "application", "accepted_by", "recorded_by")
        .order_by("-accepted_at", "-id")
        .first()
    )


def mark_use_duty(certification_body_id: int, organization_id: int | None) -> str:
    """What the client must do about marks and references to certification on suspension or withdrawal
    (17021-1 9.6.5): the text of the agreement it accepted, or our reading of the clause when it accepted none."""
    agreement = client_agreement(certification_body_id, organization_id)
    if agreement is None:
        return MARK_USE_DUTY_FALLBACK
    return (
        f"{agreement.template.suspension_duties} "
        f'(certification agreement "{agreement.template.title}", version {agreement.template.version})'
    )


def agreement_get(*, application: Application, public_id: Any) -> Agreement:
    """One acceptance of an application the caller reads (the application comes from `application_get`)."""
    return _get(Agreement.objects.filter(application=application).select_related("template"), public_id, "agreement")
