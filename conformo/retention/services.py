"""Writes of records retention (ISO/IEC 17021-1 9.9): the CB administrator sets the policy; a run (the operator's
`conformo retention --apply`) deletes or anonymises every record past retention in one transaction, logs each
one and leaves the audit log's entries in place (redacted)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import require_cb_role
from conformo.domain.retention import RecordKind, RetentionAction, action_refusal, retention_years_refusal
from conformo.organizations.models import CertificationBody
from conformo.retention.adapters import ADAPTERS
from conformo.retention.choices import Via
from conformo.retention.models import RetentionLogEntry, RetentionPolicy, RetentionRun
from conformo.retention.records import redact_audit_log
from conformo.retention.selectors import DueRecord, due_records, policy_in_force

ADMIN = Role.CB_ADMIN.value


@transaction.atomic
def policy_update(
    *, actor: Actor, certification_body: CertificationBody, rows: Iterable[Mapping[str, Any]]
) -> list[RetentionPolicy]:
    """Set the period and action of one or more record kinds (the CB administrator): at least 6 years (two
    cycles, 9.9) and an action the kind allows. Every row is checked before any is written; errors are keyed
    `<kind>.years` / `<kind>.action`."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="set the retention policy")
    rows = list(rows)
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for row in rows:
        kind = str(row.get("kind", ""))
        if kind not in {k.value for k in RecordKind}:
            errors[f"{kind}.kind"] = [f"One of {', '.join(k.value for k in RecordKind)}."]
            continue
        if kind in seen:
            errors[f"{kind}.kind"] = ["Each kind once."]
        seen.add(kind)
        refusal = retention_years_refusal(row.get("years"))  # type: ignore[arg-type]  # checked inside
        if refusal:
            errors[f"{kind}.years"] = [refusal]
        refusal = action_refusal(RecordKind(kind), str(row.get("action", "")))
        if refusal:
            errors[f"{kind}.action"] = [refusal]
    if errors:
        raise ValidationFailed("The retention policy is not valid.", fields=errors)
    saved = []
    for row in rows:
        policy = RetentionPolicy.objects.filter(certification_body=certification_body, kind=row["kind"]).first()
        before = {"years": policy.years, "action": policy.action} if policy else None
        policy = policy or RetentionPolicy(certification_body=certification_body, kind=row["kind"])
        policy.years, policy.action = row["years"], row["action"]
        policy.save()
        audit_log_record(
            actor=actor,
            action="retention_policy.update",
            obj=policy,
            before=before,
            after={"kind": policy.kind, "years": policy.years, "action": policy.action},
            certification_body_id=certification_body.pk,
        )
        saved.append(policy)
    return saved


def _handle(record: DueRecord) -> None:
    adapter = ADAPTERS[record.kind]
    redact_audit_log(record.obj)
    handler = adapter.delete if record.action == RetentionAction.DELETE else adapter.anonymise
    if handler is None:  # the policy refuses such actions (action_refusal); a guard, not a path
        raise ValidationFailed(f"{record.kind.value} cannot be {record.action.value}d.")
    handler(record.obj)


@transaction.atomic
def retention_apply(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    on: date | None = None,
    anonymise_only: bool = False,
    via: str = Via.COMMAND,
) -> RetentionRun | None:
    """Delete or anonymise every record of the CB past retention on `on` (default today), all in one
    transaction, with one log entry per record and an audit-log entry for the run. Idempotent: records already
    handled are not due again, and a run with nothing due writes nothing (None). With `anonymise_only`, kinds
    that allow it are anonymised even where the policy deletes; delete-only kinds are left for a later run."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="apply the retention policy")
    today = on or timezone.localdate()
    due = due_records(certification_body, today, anonymise_only=anonymise_only)
    if not due:
        return None
    run = RetentionRun.objects.create(
        certification_body=certification_body,
        on=today,
        done_by=acting_user(actor),
        via=via,
        deleted=sum(1 for d in due if d.action == RetentionAction.DELETE),
        anonymised=sum(1 for d in due if d.action == RetentionAction.ANONYMISE),
    )
    for record in due:
        _handle(record)
    RetentionLogEntry.objects.bulk_create(
        RetentionLogEntry(
            run=run,
            kind=d.kind.value,
            record_id=d.record_id,
            closed_on=d.closed_on,
            kept_until=d.kept_until,
            action=d.action.value,
        )
        for d in due
    )
    audit_log_record(
        actor=actor,
        action="retention.run",
        obj=run,
        after={
            "on": today,
            "deleted": run.deleted,
            "anonymised": run.anonymised,
            "policy": {row.kind.value: [row.years, row.action.value] for row in policy_in_force(certification_body)},
        },
        certification_body_id=certification_body.pk,
    )
    return run
