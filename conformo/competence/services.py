"""Writes of the competence app (ISO/IEC 17021-1:2015 7.1, 7.2): criteria, entries of a person's record,
evaluations with their evidence and the qualifications a positive one grants, monitoring records. The CB's
office writes (administrators and programme managers, `MANAGERS`); each write is checked, written and
audit-logged in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.db import transaction

from conformo.audits.choices import AuditStatus, QualificationRole
from conformo.audits.models import Audit, Auditor
from conformo.audits.services import auditor_register, qualification_add
from conformo.audits.services.common import check_upload
from conformo.audits.services.setup import check_sector_codes
from conformo.competence.choices import EntryKind, Function, Method, MonitoringKind, Outcome, Result
from conformo.competence.models import (
    CompetenceCriterion,
    Evaluation,
    EvaluationEvidence,
    ExperienceEntry,
    MonitoringRecord,
)
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.core.tenancy import MANAGERS, require_cb_role
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Standard

MAX_DAYS = Decimal("9999.9")


def _choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(
            f"{field.replace('_', ' ').capitalize()}: one of {', '.join(choices.values)}.",
            fields={field: [f"One of {', '.join(choices.values)}."]},
        )


def _require_office(actor: Actor, cb: CertificationBody, action: str) -> None:
    require_cb_role(actor, cb.pk, *MANAGERS, action=action)


def _require_staff(cb: CertificationBody, person: Any, field: str = "person") -> None:
    if not person.memberships.filter(certification_body=cb).exists():
        raise ValidationFailed(f"{person} is not on the staff of {cb}.", fields={field: ["A member of the CB."]})


def _code(value: int | None, field: str = "sector_code") -> int | None:
    return None if value is None else check_sector_codes([value], field)[0]


@transaction.atomic
def criterion_create(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    function: str,
    standard: Standard | None = None,
    sector_code: int | None = None,
    education: str = "",
    training: str = "",
    work_experience: str = "",
    audit_experience: str = "",
    min_audits: int = 0,
    min_audit_days: Decimal = Decimal(0),
    period_years: int = 3,
    notes: str = "",
) -> CompetenceCriterion:
    """Record what the CB requires for a function, for a standard and IAF sector code (either empty: any)
    (17021-1 7.1.2, Annex A)."""
    _require_office(actor, certification_body, "set competence criteria")
    _choice(function, Function, "function")
    if not 0 <= min_audit_days <= MAX_DAYS:
        raise ValidationFailed("Audit days are 0 to 9999.9.", fields={"min_audit_days": ["0 to 9999.9."]})
    if not 1 <= period_years <= 10:
        raise ValidationFailed("The period is 1 to 10 years.", fields={"period_years": ["1 to 10."]})
    criterion = CompetenceCriterion.objects.create(
        certification_body=certification_body,
        function=function,
        standard=standard,
        sector_code=_code(sector_code),
        education=education,
        training=training,
        work_experience=work_experience,
        audit_experience=audit_experience,
        min_audits=min_audits,
        min_audit_days=min_audit_days,
        period_years=period_years,
        notes=notes,
    )
    audit_log_record(
        actor=actor,
        action="competence_criterion.create",
        obj=criterion,
        after={"function": function, "standard": standard.code if standard else None, "sector_code": sector_code},
        certification_body_id=certification_body.pk,
    )
    return criterion


@transaction.atomic
def entry_add(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    person: Any,
    kind: str,
    title: str,
    started_on: date,
    ended_on: date | None = None,
    provider: str = "",
    days: Decimal | None = None,
    standard: Standard | None = None,
    sector_code: int | None = None,
    role: str = "",
    notes: str = "",
) -> ExperienceEntry:
    """Add education, training, work or external audit experience to a person's record."""
    _require_office(actor, certification_body, "change competence records")
    _require_staff(certification_body, person)
    _choice(kind, EntryKind, "kind")
    if not title.strip():
        raise ValidationFailed("Say what it was.", fields={"title": ["Required."]})
    if ended_on is not None and ended_on < started_on:
        raise ValidationFailed("It ends before it starts.", fields={"ended_on": ["On or after the start."]})
    if days is not None and not 0 < days <= MAX_DAYS:
        raise ValidationFailed("Days are more than 0, at most 9999.9.", fields={"days": ["0.5 to 9999.9."]})
    if role and role not in QualificationRole.values:
        raise ValidationFailed("Unknown role.", fields={"role": [f"One of {', '.join(QualificationRole.values)}."]})
    entry = ExperienceEntry.objects.create(
        certification_body=certification_body,
        person=person,
        kind=kind,
        title=title.strip(),
        provider=provider,
        started_on=started_on,
        ended_on=ended_on,
        days=days,
        standard=standard,
        sector_code=_code(sector_code),
        role=role,
        notes=notes,
        created_by=acting_user(actor),
    )
    audit_log_record(
        actor=actor,
        action="competence_entry.add",
        obj=entry,
        after={"person": person.email, "kind": kind, "title": entry.title, "started_on": started_on},
        certification_body_id=certification_body.pk,
    )
    return entry


@dataclass(frozen=True)
class Grant:
    """A qualification a positive evaluation grants: standard × IAF sector codes × role."""

    standard: Standard
    sector_codes: list[int]
    role: str = QualificationRole.AUDITOR
    valid_until: date | None = None


@transaction.atomic
def evaluation_record(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    person: Any,
    evaluator: Any,
    evaluated_on: date,
    method: str,
    result: str,
    function: str = Function.AUDITING,
    grants: list[Grant] | None = None,
    criteria: list[CompetenceCriterion] | None = None,
    notes: str = "",
) -> Evaluation:
    """Record an evaluation of a person (17021-1 7.1.3, Annex B) by someone else on the CB's staff; a positive
    one grants its qualifications (`audits.services.qualification_add`, valid for the CB's validity), putting the
    person on the auditor register if needed. A negative one grants nothing. All or nothing."""
    _require_office(actor, certification_body, "record competence evaluations")
    _require_staff(certification_body, person)
    _require_staff(certification_body, evaluator, "evaluator")
    _choice(method, Method, "method")
    _choice(result, Result, "result")
    _choice(function, Function, "function")
    grants = grants or []
    if evaluator.pk == person.pk:
        raise ValidationFailed(
            "Nobody evaluates their own competence.", fields={"evaluator": ["Someone other than the person."]}
        )
    if grants and result != Result.POSITIVE:
        raise ValidationFailed(
            "Only a positive evaluation grants qualifications.", fields={"grants": ["Only with a positive result."]}
        )
    if grants and function not in (Function.AUDITING, Function.TEAM_LEADING):
        raise ValidationFailed(
            "Qualifications to audit come from an evaluation of auditing or team leading.",
            fields={"grants": ["Only for auditing or team leading."]},
        )
    foreign = [c for c in criteria or [] if c.certification_body_id != certification_body.pk]
    if foreign:
        raise ValidationFailed("Criteria of another CB.", fields={"criteria": ["Unknown."]})
    evaluation = Evaluation.objects.create(
        certification_body=certification_body,
        person=person,
        evaluator=evaluator,
        evaluated_on=evaluated_on,
        function=function,
        method=method,
        result=result,
        notes=notes,
        created_by=acting_user(actor),
    )
    if criteria:
        evaluation.criteria.set(criteria)
    granted = []
    if grants:
        auditor = auditor_register(actor=actor, certification_body=certification_body, user=person)
        for n, grant in enumerate(grants):
            try:
                granted.append(
                    qualification_add(
                        actor=actor,
                        auditor=auditor,
                        evaluation=evaluation,
                        standard=grant.standard,
                        sector_codes=grant.sector_codes,
                        role=grant.role,
                        valid_until=grant.valid_until,
                    )
                )
            except ValidationFailed as exc:
                raise ValidationFailed(
                    exc.message, code=exc.code, fields={f"grants.{n}.{k}": v for k, v in (exc.fields or {}).items()}
                ) from exc
    audit_log_record(
        actor=actor,
        action="evaluation.record",
        obj=evaluation,
        after={
            "person": person.email,
            "evaluator": evaluator.email,
            "evaluated_on": evaluated_on,
            "method": method,
            "result": result,
            "grants": [f"{q.standard.code} {q.role} {q.sector_codes}" for q in granted],
        },
        certification_body_id=certification_body.pk,
    )
    return evaluation


@transaction.atomic
def evidence_attach(*, actor: Actor, evaluation: Evaluation, file: Any, name: str = "") -> EvaluationEvidence:
    """Attach a file of evidence to an evaluation (the CB's office; the uploads' size and type limits)."""
    _require_office(actor, evaluation.certification_body, "attach evaluation evidence")
    check_upload(file)
    evidence = EvaluationEvidence.objects.create(
        evaluation=evaluation,
        file=file,
        name=(name.strip() or PurePath(file.name).name)[:200],
        uploaded_by=acting_user(actor),
    )
    audit_log_record(
        actor=actor,
        action="evaluation.attach",
        obj=evaluation,
        after={"evidence": evidence.name},
        certification_body_id=evaluation.certification_body_id,
    )
    return evidence


@transaction.atomic
def monitoring_record(
    *,
    actor: Actor,
    auditor: Auditor,
    kind: str,
    monitored_on: date,
    monitor: Any,
    outcome: str,
    audit: Audit | None = None,
    notes: str = "",
) -> MonitoringRecord:
    """Record a monitoring of an auditor (17021-1 7.2). A witnessing is attached to a real audit of the CB on
    whose team the auditor was, on or after its start; the monitor is someone else on the CB's staff."""
    cb = auditor.certification_body
    _require_office(actor, cb, "record monitoring")
    _choice(kind, MonitoringKind, "kind")
    _choice(outcome, Outcome, "outcome")
    _require_staff(cb, monitor, "monitor")
    if monitor.pk == auditor.user_id:
        raise ValidationFailed("Nobody monitors themselves.", fields={"monitor": ["Someone other than the auditor."]})
    if kind == MonitoringKind.WITNESSED and audit is None:
        raise ValidationFailed("A witnessing is recorded on the audit witnessed.", fields={"audit": ["Required."]})
    if audit is not None:
        if audit.programme.certification_body_id != cb.pk or not audit.team.filter(auditor=auditor).exists():
            raise ValidationFailed(
                f"{auditor} was not on the team of this audit.", fields={"audit": ["An audit of the auditor's."]}
            )
        if audit.status not in (AuditStatus.IN_PROGRESS, AuditStatus.COMPLETED):
            raise Conflict("Only an audit that has started can be witnessed.", code="audit_not_started")
        start = audit.started_on or audit.planned_start
        if start is not None and monitored_on < start:
            raise ValidationFailed(
                "The audit had not started on that day.", fields={"monitored_on": [f"On or after {start}."]}
            )
    record = MonitoringRecord.objects.create(
        certification_body=cb,
        auditor=auditor,
        kind=kind,
        audit=audit,
        monitored_on=monitored_on,
        monitor=monitor,
        outcome=outcome,
        notes=notes,
        created_by=acting_user(actor),
    )
    audit_log_record(
        actor=actor,
        action="monitoring.record",
        obj=record,
        after={
            "auditor": auditor.user.email,
            "kind": kind,
            "audit": str(audit.public_id) if audit else None,
            "monitored_on": monitored_on,
            "outcome": outcome,
        },
        certification_body_id=cb.pk,
    )
    return record
