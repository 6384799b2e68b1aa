"""Reads for certifications and decisions, always through `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from conformo.audits.choices import AuditKind, FindingGrade, FindingStatus, PlanStatus, ReportStatus
from conformo.audits.models import (
    ApplicationReview,
    Audit,
    AuditPlan,
    AuditProgramme,
    AuditReport,
    Finding,
    ScopeLine,
    TeamMember,
    Verification,
)
from conformo.audits.selectors import awaiting_decision_q
from conformo.certification.models import Certification, CertificationState, Decision
from conformo.core.errors import PermissionDenied
from conformo.core.pagination import page_rows
from conformo.core.tenancy import MANAGERS, not_visible, reach
from conformo.standards.models import Standard


def _scope_lines() -> Prefetch:
    """A certification's scope lines with their standard and site, in one query."""
    return Prefetch("scope_lines", queryset=ScopeLine.objects.select_related("standard", "site"))


def certification_list(*, user: Any) -> QuerySet[Certification]:
    return (
        Certification.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related(_scope_lines())
        .order_by("-created_at")
    )


def certification_rows(*, user: Any) -> QuerySet[Certification]:
    """`certification_list` with only what the certifications page shows of each row: its id, state, expiry and
    scope, its organization's name and country, and its standards' designations (no scope lines, no JSON
    columns)."""
    return (
        certification_list(user=user)
        .prefetch_related(None)
        .prefetch_related(Prefetch("standards", queryset=Standard.objects.only("designation")))
        .only("public_id", "state", "expires_on", "scope", "organization__legal_name", "organization__country")
    )


def certification_get(*, user: Any, public_id: Any) -> Certification:
    found = Certification.objects.visible_to(user).filter(public_id=public_id).prefetch_related(_scope_lines()).first()
    if found is None:
        raise not_visible(Certification, user, "certification", public_id=public_id)
    return found


def decision_list(*, user: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.visible_to(user)
        .select_related("certification__organization", "decided_by")
        .order_by("-decided_on", "-created_at")
    )


#: Decisions the certifications list shows under "Recent decisions".
RECENT_DECISIONS = 50


def recent_decisions(*, user: Any, limit: int = RECENT_DECISIONS) -> list[Decision]:
    """The newest `limit` decisions `user` sees (`decision_list`'s order) with what the certifications page shows
    of them (date, kind and states, reason, organization, decider), read by their keys first
    (`core.pagination.page_rows`): `visible_to`'s DISTINCT then compares keys, not every column of every decision
    with its certification, organization and decider."""
    shown = decision_list(user=user).only(
        "decided_on",
        "created_at",
        "kind",
        "state_before",
        "state_after",
        "reason",
        "certification__organization__legal_name",
        "decided_by__full_name",
        "decided_by__email",
    )
    return page_rows(shown, 0, limit)


def appealable_decisions(*, user: Any) -> QuerySet[Decision]:
    """The decisions `user` may lodge an appeal against (`audits.services.appeal_lodge`): those of their own
    organization as its client administrator, and those of the CB's clients as its administrator or programme
    manager (who record an appeal for the client)."""
    r = reach(user)
    rows = decision_list(user=user)
    if r.superuser:
        return rows
    return rows.filter(
        Q(certification__organization_id__in=r.orgs_with("client_admin"))
        | Q(certification__certification_body_id__in=r.cbs_with(*MANAGERS))
    )


def decision_get(*, user: Any, public_id: Any) -> Decision:
    found = Decision.objects.visible_to(user).filter(public_id=public_id).first()
    if found is None:
        raise not_visible(Decision, user, "decision", public_id=public_id)
    return found


#: Suspension proposals a page lists (the certifications list, the CB workspace); the rest are one click away on
#: the certifications list (`?suspension=proposed`).
PROPOSALS_SHOWN = 10


def _overdue_audits(today: date) -> QuerySet[Audit]:
    """Surveillance and recertification audits of active programmes past their limit and not held
    (17021-1 9.6.5.2 b)."""
    return Audit.objects.filter(
        programme__active=True,
        kind__in=[AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION],
        due_by__lt=today,
    ).exclude(status__in=["completed", "cancelled"])


def _overdue_majors(today: date) -> QuerySet[Finding]:
    """Major nonconformities past their verification date and not verified (17021-1 9.6.5.2 a)."""
    return Finding.objects.filter(grade=FindingGrade.MAJOR, verification_due__lt=today).exclude(
        status__in=[FindingStatus.VERIFIED, FindingStatus.WITHDRAWN]
    )


def suspension_candidates(*, user: Any, today: date) -> QuerySet[Certification]:
    """The certifications `suspension_proposals` proposes, as one query (EXISTS subqueries): active and not
    expired, with an overdue surveillance or recertification or an overdue major nonconformity."""
    overdue = Exists(_overdue_audits(today).filter(programme__certification=OuterRef("pk"))) | Exists(
        _overdue_majors(today).filter(audit__programme__certification=OuterRef("pk"))
    )
    return (
        Certification.objects.visible_to(user)
        .filter(state=CertificationState.ACTIVE)
        .exclude(expires_on__lt=today)
        .filter(overdue)
    )


def suspension_proposals(*, user: Any, today: date, limit: int | None = None) -> list[dict[str, Any]]:
    """Active certifications the decision maker should consider suspending: a surveillance or
    recertification past its limit (17021-1 9.6.5.2 b), or a major nonconformity past its verification
    date (9.6.5.2 a). Proposals only: the decision stays with the decision maker. A certification past its
    expiry date reads as expired (`effective_state`) and is not proposed: it has ended, the state machine
    refuses a suspension after expiry. With `limit`, the first `limit` (newest certification first)."""
    candidates = suspension_candidates(user=user, today=today).order_by("-created_at")
    ids = list((candidates[:limit] if limit is not None else candidates).values_list("pk", flat=True))
    return _proposals(ids, today)


def _proposals(ids: list[int], today: date) -> list[dict[str, Any]]:
    """The proposals of the certifications `ids` (in that order) with their reasons: three queries, each through
    the certifications' keys, reading only what a proposal shows (the certification's id and organization's name,
    each overdue audit's kind and date, each overdue major's reference and date)."""
    if not ids:
        return []
    found = (
        Certification.objects.filter(pk__in=ids)
        .select_related("organization")
        .only("public_id", "organization__legal_name")
        .in_bulk()
    )
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    audits = _overdue_audits(today).filter(programme__certification_id__in=ids)
    for certification_id, kind, due_by in audits.values_list("programme__certification_id", "kind", "due_by"):
        reasons[certification_id].append(f"{AuditKind(kind).label} was due by {due_by} and has not taken place.")
    majors = _overdue_majors(today).filter(audit__programme__certification_id__in=ids)
    for certification_id, reference, due in majors.values_list(
        "audit__programme__certification_id", "reference", "verification_due"
    ):
        reasons[certification_id].append(f"Major nonconformity {reference} was due for verification by {due}.")
    return [{"certification": found[pk], "reasons": reasons[pk]} for pk in ids if reasons[pk]]


def suspension_proposals_shown(*, user: Any, today: date) -> tuple[list[dict[str, Any]], int]:
    """The first `PROPOSALS_SHOWN` suspension proposals and how many there are, from one read of the candidates'
    keys (what the certifications list and the CB workspace show)."""
    ids = list(suspension_candidates(user=user, today=today).order_by("-created_at").values_list("pk", flat=True))
    return _proposals(ids[:PROPOSALS_SHOWN], today), len(ids)


def awaiting_decision_reports(*, user: Any, decidable_by: Any = None) -> QuerySet[AuditReport]:
    """The issued reports a grant or renewal can now be decided on (`conformo.audits.selectors.awaiting_decision_q`)
    of the certifications `user` sees as the CB's staff. With `decidable_by`, only those that person may decide:
    not of a cycle whose audit teams they were on (17021-1 9.5.1.2)."""
    r = reach(user)
    certifications = Certification.objects.visible_to(user)
    if not r.superuser:
        certifications = certifications.filter(certification_body_id__in=list(r.roles_by_cb))
    reports = AuditReport.objects.filter(audit__programme__certification__in=certifications).filter(
        awaiting_decision_q()
    )
    if decidable_by is not None:
        on_team = TeamMember.objects.filter(audit__programme=OuterRef("audit__programme"), auditor__user=decidable_by)
        reports = reports.filter(~Exists(on_team))
    return reports


def awaiting_decision_queryset(*, user: Any) -> QuerySet[AuditReport]:
    """The decision makers' queue as reports (`awaiting_decision_reports`), with what each row shows in the same
    query; oldest report first. The CB's staff only: a client's own certification is not listed to the client."""
    return (
        awaiting_decision_reports(user=user)
        .select_related("audit__programme__certification__organization")
        .order_by("issued_at", "pk")
    )


def awaiting_decision_row(report: AuditReport) -> dict[str, Any]:
    """One entry of the queue: the certification, the report and audit, and the decision (grant or renew)."""
    renewal = report.audit.kind == AuditKind.RECERTIFICATION
    return {
        "certification": report.audit.programme.certification,
        "report": report,
        "audit": report.audit,
        "decision": "renew" if renewal else "grant",
    }


def awaiting_decision(*, user: Any) -> list[dict[str, Any]]:
    """The decision makers' queue (`awaiting_decision_queryset`) as rows (`awaiting_decision_row`); a fixed number
    of queries whatever the queue's size."""
    return [awaiting_decision_row(report) for report in awaiting_decision_queryset(user=user)]


@dataclass
class DecisionFile:
    """What the decision maker reads before deciding (17021-1 9.5.1): the application review with its audit
    time trace, and for each audit of the current programme its issued plans, issued reports with the team's
    recommendation, findings with status and verifications, and team with its eligibility check; then the
    previous decisions."""

    programme: AuditProgramme | None
    review: ApplicationReview | None
    audits: list[Audit] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def decision_file(*, user: Any, certification: Certification) -> DecisionFile:
    """The certification's file for its decision makers and CB staff (`PermissionDenied` for anyone else,
    e.g. the client). A fixed number of queries whatever the number of audits, findings or decisions."""
    r = reach(user)
    if not (r.superuser or r.roles_by_cb.get(certification.certification_body_id)):
        raise PermissionDenied("The certification file is for the certification body's staff.")
    programme = (
        certification.programmes.filter(active=True).select_related("application").order_by("-cycle", "-id").first()
    )
    if programme is None:
        return DecisionFile(None, None, decisions=_previous_decisions(certification))
    review = None
    if programme.application_id is not None:
        review = (
            ApplicationReview.objects.filter(application_id=programme.application_id).order_by("-created_at").first()
        )
    prefetches: list[Prefetch[Any]] = [
        Prefetch("plans", queryset=AuditPlan.objects.exclude(status=PlanStatus.DRAFT).order_by("-version")),
        Prefetch("reports", queryset=AuditReport.objects.exclude(status=ReportStatus.DRAFT).order_by("-revision")),
        Prefetch(
            "findings",
            queryset=Finding.objects.order_by("raised_on", "id").prefetch_related(
                Prefetch("verifications", queryset=Verification.objects.order_by("verified_on", "id"))
            ),
        ),
        Prefetch("team", queryset=TeamMember.objects.select_related("auditor__user").order_by("role", "id")),
    ]
    audits = list(programme.audits.order_by("sequence", "id").prefetch_related(*prefetches))
    return DecisionFile(programme, review, audits, _previous_decisions(certification))


def _previous_decisions(certification: Certification) -> list[Decision]:
    return list(
        certification.decisions.select_related("decided_by", "basis_report__audit").order_by(
            "-decided_on", "-created_at"
        )
    )
