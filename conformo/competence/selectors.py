"""Reads of the competence app, through the user's visibility: the CB's office (administrators, programme
managers, decision makers) reads every person's record; an auditor or technical expert only their own; clients
none. The audit log of a person is computed from Conformo's own audits (completed audits where they were on the
team), never stored; the monitoring plan's due dates from `conformo.domain.competence`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from conformo.accounts.models import Membership, User
from conformo.audits.choices import AuditStatus
from conformo.audits.models import Auditor, CBSettings, Qualification, TeamMember
from conformo.audits.services.qualifications import QualificationReading, read_qualifications
from conformo.competence.choices import MonitoringKind
from conformo.competence.models import (
    CompetenceCriterion,
    Evaluation,
    ExperienceEntry,
    MonitoringRecord,
)
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.roles import CB_WIDE_ROLES
from conformo.core.tenancy import by_id, reach
from conformo.domain.competence import (
    DEFAULT_NOTICE_DAYS,
    DEFAULT_WITNESS_MONTHS,
    MonitoringDue,
    MonitoringState,
    witness_anchor_limit,
    witness_due,
)
from conformo.organizations.models import CertificationBody


def criterion_list(*, user: Any, cb: CertificationBody) -> QuerySet[CompetenceCriterion]:
    return CompetenceCriterion.objects.visible_to(user).filter(certification_body=cb).select_related("standard")


def people(*, user: Any, cb: CertificationBody) -> QuerySet[Membership]:
    """The CB's staff (their memberships) whose competence records this user may read: all of them for the CB's
    office, only their own for an auditor or technical expert, none for anyone else."""
    staff = Membership.objects.filter(certification_body=cb).select_related("user").order_by("user__email", "pk")
    r = reach(user)
    if r.superuser or cb.pk in r.cb_wide:
        return staff
    if cb.pk in r.roles_by_cb:
        return staff.filter(user=user)
    return staff.none()


def person_get(*, user: Any, cb: CertificationBody, public_id: Any) -> Membership:
    """One membership of the CB whose person's record this user may read (404 otherwise)."""
    found = by_id(people(user=user, cb=cb), public_id)
    if found is None:
        raise NotFound("No such person.")
    return found


def staff_by_email(cb: CertificationBody, email: str, field: str) -> Any:
    """A member of the CB by address (422 on the field otherwise)."""
    found = User.objects.filter(email__iexact=email.strip(), memberships__certification_body=cb).first()
    if found is None:
        raise ValidationFailed(f"No member of {cb} has the address {email}.", fields={field: ["Unknown."]})
    return found


def can_read_office(user: Any, cb: CertificationBody) -> bool:
    r = reach(user)
    return bool(r.superuser or r.roles_by_cb.get(cb.pk, frozenset()) & {role.value for role in CB_WIDE_ROLES})


@dataclass(frozen=True)
class AuditLogRow:
    """One audit of a person in Conformo: completed, on its team."""

    audit_id: Any
    organization: str
    kind: str
    completed_on: date | None
    days: Decimal
    standards: list[str]
    sector_codes: list[int]
    role: str


def audit_log_of(*, cb: CertificationBody, person: Any) -> list[AuditLogRow]:
    """The person's audit experience in Conformo: each completed audit of the CB on whose team they were, with
    its days, standards, IAF sector codes and their role (latest first; two queries)."""
    rows = (
        TeamMember.objects.filter(
            auditor__user=person,
            auditor__certification_body=cb,
            audit__status=AuditStatus.COMPLETED,
        )
        .select_related("audit__programme__organization")
        .prefetch_related("audit__programme__standards")
        .order_by("-audit__completed_on")
    )
    return [
        AuditLogRow(
            audit_id=member.audit.public_id,
            organization=member.audit.programme.organization.legal_name,
            kind=member.audit.kind,
            completed_on=member.audit.completed_on,
            days=member.audit.days,
            standards=[s.code for s in member.audit.programme.standards.all()],
            sector_codes=list(member.audit.programme.sector_codes),
            role=member.role,
        )
        for member in rows
    ]


def entries_of(*, user: Any, cb: CertificationBody, person: Any) -> QuerySet[ExperienceEntry]:
    return (
        ExperienceEntry.objects.visible_to(user).filter(certification_body=cb, person=person).select_related("standard")
    )


def evaluation_list(*, user: Any, cb: CertificationBody, person: Any = None) -> QuerySet[Evaluation]:
    found = Evaluation.objects.visible_to(user).filter(certification_body=cb)
    if person is not None:
        found = found.filter(person=person)
    return found.select_related("person", "evaluator").prefetch_related(
        "evidence", "qualifications__standard", "criteria"
    )


def evaluation_get(*, user: Any, public_id: Any) -> Evaluation:
    found = by_id(
        Evaluation.objects.visible_to(user).select_related("person", "evaluator", "certification_body"), public_id
    )
    if found is None:
        raise NotFound("No such evaluation.")
    return found


def qualifications_of(*, cb: CertificationBody, person: Any, on: date) -> list[QualificationReading]:
    """The person's qualifications with their state on `on` (current, expired, lapsed …)."""
    return read_qualifications(
        Qualification.objects.filter(auditor__user=person, auditor__certification_body=cb).select_related(
            "auditor", "standard", "evaluation"
        ),
        on,
    )


def monitoring_list(*, user: Any, cb: CertificationBody) -> QuerySet[MonitoringRecord]:
    return (
        MonitoringRecord.objects.visible_to(user)
        .filter(certification_body=cb)
        .select_related("auditor__user", "monitor", "audit__programme__organization")
    )


def _settings(cb_id: int) -> tuple[int, int]:
    found = CBSettings.objects.filter(certification_body_id=cb_id).values_list(
        "witness_interval_months", "monitoring_notice_days"
    )
    return found[0] if found else (DEFAULT_WITNESS_MONTHS, DEFAULT_NOTICE_DAYS)


def _monitored(auditors: QuerySet[Auditor]) -> QuerySet[Auditor]:
    """Active auditors with at least one qualification, each with `last_witnessed` and `qualified_since`."""
    return (
        auditors.filter(active=True)
        .annotate(
            qualified_since=Min("qualifications__valid_from"),
            last_witnessed=Max("monitoring__monitored_on", filter=Q(monitoring__kind=MonitoringKind.WITNESSED)),
            monitoring_count=Count("monitoring", distinct=True),
        )
        .filter(qualified_since__isnull=False)
    )


@dataclass(frozen=True)
class PlanRow:
    auditor: Auditor
    last_witnessed: date | None
    due: MonitoringDue


def monitoring_plan(*, user: Any, cb: CertificationBody, on: date) -> list[PlanRow]:
    """Every monitored auditor of the CB this user may see, with the next witnessing's due date and state
    (overdue first, then by due date)."""
    known = {cb.pk: _settings(cb.pk)}
    rows = [
        PlanRow(auditor, getattr(auditor, "last_witnessed", None), witness_due_of(auditor, on, known))
        for auditor in _monitored(Auditor.objects.visible_to(user).filter(certification_body=cb)).select_related("user")
    ]
    order = {MonitoringState.OVERDUE: 0, MonitoringState.DUE_SOON: 1, MonitoringState.SCHEDULED: 2}
    return sorted(rows, key=lambda row: (order[row.due.state], row.due.due_on, str(row.auditor)))


def monitoring_due_auditors(cb_ids: list[int], on: date) -> QuerySet[Auditor]:
    """The auditors of these CBs whose on-site witnessing is overdue or due within the CB's notice (the work
    list's predicate, one query): the last witnessing — or, never witnessed, the first qualification — on or
    before `witness_anchor_limit` of the CB's settings."""
    query = Q()
    for cb_id in cb_ids:
        interval, notice = _settings(cb_id)
        limit = witness_anchor_limit(interval_months=interval, notice_days=notice, on=on)
        query |= Q(certification_body_id=cb_id) & (
            Q(last_witnessed__lte=limit) | Q(last_witnessed__isnull=True, qualified_since__lte=limit)
        )
    if not cb_ids:
        return Auditor.objects.none()
    due = _monitored(Auditor.objects.filter(certification_body_id__in=cb_ids)).filter(query).values("pk")
    # plain rows (no aggregate), so that the work list can count them in a subquery; `with_witnessing` reads them
    return Auditor.objects.filter(pk__in=due)


def with_witnessing(auditors: QuerySet[Auditor]) -> QuerySet[Auditor]:
    """The auditors with `last_witnessed` and `qualified_since` for `witness_due_of`."""
    return _monitored(auditors)


def witness_due_of(auditor: Auditor, on: date, known: dict[int, tuple[int, int]] | None = None) -> MonitoringDue:
    """The due date and state of an auditor annotated by `monitoring_due_auditors` or `_monitored` (`known`
    keeps each CB's settings across calls: one query per CB, not per auditor)."""
    known = {} if known is None else known
    if auditor.certification_body_id not in known:
        known[auditor.certification_body_id] = _settings(auditor.certification_body_id)
    interval, notice = known[auditor.certification_body_id]
    return witness_due(
        last_witnessed=getattr(auditor, "last_witnessed", None),
        qualified_since=getattr(auditor, "qualified_since"),  # noqa: B009 - an annotation of `_monitored`
        interval_months=interval,
        notice_days=notice,
        on=on,
    )


def qualifications_of_cb(*, cb: CertificationBody, on: date) -> list[QualificationReading]:
    """Every qualification of the CB's auditors with its state on `on` (the people page; three queries)."""
    return read_qualifications(
        Qualification.objects.filter(auditor__certification_body=cb)
        .select_related("auditor", "standard")
        # The catalog's bookkeeping, decoded from JSON for each of hundreds of rows, is not shown.
        .defer("standard__succession_map", "standard__source_info"),
        on,
    )
