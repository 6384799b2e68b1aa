"""Reads of records retention: the policy in force for a CB (its own choices, else the documented defaults), the
records past retention on a day, and the runs with their log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from conformo.domain.retention import (
    KIND_RULES,
    MIN_RETENTION_YEARS,
    RecordKind,
    RetentionAction,
    candidates_closed_by,
    is_due,
    keep_until,
)
from conformo.organizations.models import CertificationBody
from conformo.retention.adapters import ADAPTERS
from conformo.retention.models import RetentionLogEntry, RetentionPolicy, RetentionRun


@dataclass(frozen=True)
class PolicyRow:
    """The policy in force for one kind of record."""

    kind: RecordKind
    label: str
    closes: str
    years: int
    action: RetentionAction
    actions: tuple[RetentionAction, ...]
    set: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": self.label,
            "closes": self.closes,
            "years": self.years,
            "action": self.action.value,
            "actions": [a.value for a in self.actions],
            "set": self.set,
        }


def policy_in_force(cb: CertificationBody) -> list[PolicyRow]:
    """Every kind's period and action: the CB's row where it set one, else the default (6 years, the kind's
    default action)."""
    chosen = {p.kind: p for p in RetentionPolicy.objects.filter(certification_body=cb)}
    rows = []
    for kind, rule in KIND_RULES.items():
        policy = chosen.get(kind.value)
        rows.append(
            PolicyRow(
                kind=kind,
                label=rule.label,
                closes=rule.closes,
                years=policy.years if policy else MIN_RETENTION_YEARS,
                action=RetentionAction(policy.action) if policy else rule.default_action,
                actions=rule.actions,
                set=policy is not None,
            )
        )
    return rows


@dataclass(frozen=True)
class DueRecord:
    """A record past retention and what the policy does to it."""

    kind: RecordKind
    pk: int
    record_id: str
    title: str
    organization: str
    closed_on: date
    kept_until: date
    action: RetentionAction
    obj: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "record_id": self.record_id,
            "title": self.title,
            "organization": self.organization,
            "closed_on": self.closed_on,
            "kept_until": self.kept_until,
            "action": self.action.value,
        }


def record_id(obj: Any) -> str:
    public_id = getattr(obj, "public_id", None)
    return str(public_id) if public_id is not None else str(obj.pk)


def _run_action(row: PolicyRow, anonymise_only: bool) -> RetentionAction | None:
    """What this run does to records of the row's kind: the policy's action; with `anonymise_only`, anonymise
    where the kind allows it and nothing for delete-only kinds (they wait for a run without it)."""
    if not anonymise_only:
        return row.action
    return RetentionAction.ANONYMISE if RetentionAction.ANONYMISE in row.actions else None


def due_records(cb: CertificationBody, today: date, *, anonymise_only: bool = False) -> list[DueRecord]:
    """The CB's records past retention on `today` that no run has handled yet, oldest first: each closed more
    than the policy's years before `today` (kept until that day inclusive)."""
    due: list[DueRecord] = []
    for row in policy_in_force(cb):
        action = _run_action(row, anonymise_only)
        if action is None:
            continue
        handled = set(
            RetentionLogEntry.objects.filter(run__certification_body=cb, kind=row.kind.value).values_list(
                "record_id", flat=True
            )
        )
        cutoff = candidates_closed_by(today, row.years)
        for candidate in ADAPTERS[row.kind].candidates(cb, cutoff, today):
            rid = record_id(candidate.obj)
            if rid in handled or not is_due(candidate.closed_on, row.years, today):
                continue
            due.append(
                DueRecord(
                    kind=row.kind,
                    pk=candidate.obj.pk,
                    record_id=rid,
                    title=candidate.title,
                    organization=candidate.organization,
                    closed_on=candidate.closed_on,
                    kept_until=keep_until(candidate.closed_on, row.years),
                    action=action,
                    obj=candidate.obj,
                )
            )
    return sorted(due, key=lambda d: (d.closed_on, d.kind.value, d.record_id))


def runs(*, user: Any, cb: CertificationBody) -> QuerySet[RetentionRun]:
    """The CB's retention runs, the latest first, with their log."""
    return (
        RetentionRun.objects.visible_to(user)
        .filter(certification_body=cb)
        .select_related("done_by")
        .prefetch_related("entries")
        .order_by("-created_at")
    )
