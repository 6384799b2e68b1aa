"""The demo's competence records (ISO/IEC 17021-1 7.1, 7.2): the auditors' qualifications come from evaluations
(an initial examination and re-evaluations every two years, so that they are current today), the CB's criteria,
education/training/work entries, one on-site witnessing on a real demo audit and one auditor overdue for
witnessing (never witnessed since qualified four years ago)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from conformo.audits.choices import AuditStatus, QualificationRole
from conformo.audits.models import Audit, Auditor
from conformo.competence.choices import Function, Method, MonitoringKind, Outcome, Result
from conformo.competence.models import CompetenceCriterion
from conformo.competence.services import Grant, criterion_create, entry_add, evaluation_record, monitoring_record
from conformo.domain.cycle import add_months
from conformo.organizations.models import CertificationBody

REEVALUATION_MONTHS = 24
"""The demo re-evaluates every two years, inside the default three-year validity."""


def demo_qualify(*, admin: Any, auditor: Auditor, grants: list[Grant], since: date, today: date) -> None:
    """Qualify `auditor` as a CB would have over the years: a positive examination on `since`, then a
    re-evaluation on reports every `REEVALUATION_MONTHS` up to today, each granting `grants` again."""
    day, method = since, Method.EXAM
    while day <= today:
        evaluation_record(
            actor=admin,
            certification_body=auditor.certification_body,
            person=auditor.user,
            evaluator=admin,
            evaluated_on=day,
            method=method,
            result=Result.POSITIVE,
            function=Function.TEAM_LEADING
            if any(g.role == QualificationRole.LEAD_AUDITOR for g in grants)
            else Function.AUDITING,
            grants=grants,
            notes="Initial qualification." if method == Method.EXAM else "Maintenance of competence (7.1.3).",
        )
        day, method = add_months(day, REEVALUATION_MONTHS), Method.REPORT_REVIEW


def demo_competence(cb: CertificationBody, today: date | None = None) -> None:
    """Criteria, record entries and monitoring of the demo CB's auditors (once)."""
    today = today or timezone.localdate()
    if CompetenceCriterion.objects.filter(certification_body=cb).exists():
        return
    auditors = {a.user.email: a for a in Auditor.objects.filter(certification_body=cb).select_related("user")}
    lena = auditors.get("lead.auditor@northbridge.example")
    omar = auditors.get("auditor@northbridge.example")
    if lena is None or omar is None:
        return  # the lifecycle demo did not run (no catalogs)
    admin = cb.memberships.get(user__email="admin@northbridge.example").user
    pm = cb.memberships.get(user__email="programme@northbridge.example").user
    criterion_create(
        actor=admin,
        certification_body=cb,
        function=Function.AUDITING,
        education="Degree or equivalent in a technical field.",
        training="Lead-auditor course for the standard (40 h, examined).",
        work_experience="Four years in the field, two of them in quality, environment, safety or security work.",
        audit_experience="Four audits as a trainee under a qualified lead auditor.",
        min_audits=4,
        min_audit_days=Decimal(20),
        period_years=3,
    )
    criterion_create(
        actor=admin,
        certification_body=cb,
        function=Function.TEAM_LEADING,
        audit_experience="Three audits led under the guidance of a qualified lead auditor.",
        min_audits=3,
        min_audit_days=Decimal(15),
        period_years=3,
    )
    criterion_create(
        actor=admin,
        certification_body=cb,
        function=Function.DECISION,
        training="Certification rules of the CB; ISO/IEC 17021-1.",
        work_experience="Qualified auditor for at least one standard.",
    )
    for person, entries in (
        (
            lena,
            [
                ("education", "MSc Mechanical Engineering", "TU Delft", 16 * 365, 14 * 365),
                ("training", "ISO 9001 lead auditor (CQI/IRCA)", "Course provider", 9 * 365, 9 * 365 - 5),
                ("work", "Quality manager", "Precision engineering firm", 14 * 365, 8 * 365),
            ],
        ),
        (
            omar,
            [
                ("education", "BSc Environmental Science", "University of Leeds", 12 * 365, 9 * 365),
                ("training", "ISO 14001 lead auditor", "Course provider", 6 * 365, 6 * 365 - 5),
            ],
        ),
    ):
        for kind, title, provider, start, end in entries:
            entry_add(
                actor=admin,
                certification_body=cb,
                person=person.user,
                kind=kind,
                title=title,
                provider=provider,
                started_on=today - timedelta(days=start),
                ended_on=today - timedelta(days=end),
            )
    entry_add(
        actor=admin,
        certification_body=cb,
        person=omar.user,
        kind="audit",
        title="ISO 14001 surveillance audit for another CB",
        provider="Food processor",
        started_on=today - timedelta(days=5 * 365),
        days=Decimal("2.0"),
        role=QualificationRole.AUDITOR,
    )
    witnessed = (
        Audit.objects.filter(programme__certification_body=cb, status=AuditStatus.COMPLETED, team__auditor=lena)
        .order_by("-completed_on")
        .first()
    )
    if witnessed is not None:
        monitoring_record(
            actor=admin,
            auditor=lena,
            kind=MonitoringKind.WITNESSED,
            audit=witnessed,
            monitored_on=witnessed.completed_on or today,
            monitor=pm,
            outcome=Outcome.SATISFACTORY,
            notes="Opening meeting, sampling of production records and the closing meeting observed.",
        )
    monitoring_record(
        actor=admin,
        auditor=omar,
        kind=MonitoringKind.REPORT_REVIEW,
        monitored_on=today - timedelta(days=60),
        monitor=pm,
        outcome=Outcome.IMPROVEMENT,
        notes="Findings well evidenced; clause references missing on two observations. On-site witnessing overdue.",
    )
