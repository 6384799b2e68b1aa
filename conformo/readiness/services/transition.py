"""Transition assessments: move an assessment of an old edition of a standard to its successor.

The new assessment covers the same standards with the old edition replaced by the new one. Answers, evidence
and the documents that evidence points at are carried across the succession map (`standards.Succession`,
`conformo.domain.editions.carry_plan`): a clause that continues one-to-one (same or renumbered) keeps its
answer, marked "carried over, to confirm"; a merged or split one starts from its sources
(`conformo.domain.editions.merged_status`), marked "to review", with the old answers that fed it listed; a
new one starts open; an old clause without successor is listed as dropped. For an ISMS the Statement of
Applicability follows, since applicability and justification are part of each control's answer.

A fixed number of queries whatever the size (bench/transition.py): one read each of the succession map, the
old items, the old evidence and the new clauses, one bulk insert each of answers, items and evidence.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record, snapshot
from conformo.core.errors import Conflict, ValidationFailed
from conformo.domain.editions import CarryState, carry_plan, merged_status
from conformo.organizations.tenancy import require_manage
from conformo.readiness.choices import TransitionState
from conformo.readiness.models import Answer, Assessment, Evidence, Item
from conformo.readiness.services.assessments import ANSWER_FIELDS, _require_answer, assessment_rows
from conformo.standards.models import Clause, Standard
from conformo.standards.selectors import succession_links

_STATE = {
    CarryState.CARRIED: TransitionState.TO_CONFIRM,
    CarryState.REVIEW: TransitionState.TO_REVIEW,
    CarryState.OPEN: TransitionState.OPEN,
}
OPEN_STATES = (TransitionState.TO_CONFIRM, TransitionState.TO_REVIEW, TransitionState.OPEN)


def _joined(sources: list[tuple[str, dict[str, Any]]], field: str) -> str:
    texts = [(ref, values[field]) for ref, values in sources if values[field]]
    if len(texts) == 1 and len(sources) == 1:
        return str(texts[0][1])
    return "\n".join(f"{ref}: {text}" for ref, text in texts)


def _carried_values(state: CarryState, sources: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The new answer's fields from the old answers that feed it (`sources`: old ref → its answer's values)."""
    values: dict[str, Any] = {
        "transition_state": _STATE[state] if sources else TransitionState.OPEN,
        "carried_from": [{"ref": ref, "status": v["status"]} for ref, v in sources],
    }
    if not sources:
        return values
    if state is CarryState.CARRIED:
        ((_, old),) = sources
        return values | {k: old[k] for k in ("status", "justification", "owner_id", "due_date", "notes")}
    dues = [v["due_date"] for _, v in sources if v["due_date"]]
    return values | {
        "status": str(merged_status([v["status"] for _, v in sources])),
        "justification": _joined(sources, "justification"),
        "notes": _joined(sources, "notes"),
        "owner_id": next((v["owner_id"] for _, v in sources if v["owner_id"]), None),
        "due_date": min(dues) if dues else None,
    }


def _old_answers(assessment: Assessment) -> dict[int, dict[str, Any]]:
    """Old clause id → its answer's values, the answer id and the clause's ref and title. One query."""
    rows = Item.objects.filter(assessment=assessment).values(
        "clause_id",
        "clause__kind",
        "clause__ref",
        "clause__title",
        "answer_id",
        "answer__status",
        "answer__justification",
        "answer__owner_id",
        "answer__due_date",
        "answer__notes",
    )
    return {
        row["clause_id"]: {
            "answer_id": row["answer_id"],
            "ref": ("A." if row["clause__kind"] == "control" else "") + row["clause__ref"],
            "title": row["clause__title"],
            "status": row["answer__status"],
            "justification": row["answer__justification"],
            "owner_id": row["answer__owner_id"],
            "due_date": row["answer__due_date"],
            "notes": row["answer__notes"],
        }
        for row in rows
    }


def transition_target(assessment: Assessment, standard: Standard) -> Standard:
    """The old edition in `assessment` that `standard` replaces; refused (422, field `standard`) otherwise."""
    codes = {s.pk: s for s in assessment.standards.all()}
    old = codes.get(standard.replaces_id) if standard.replaces_id else None
    if old is None:
        reason = f"{standard.designation} does not replace a standard of this assessment."
        raise ValidationFailed(reason, fields={"standard": [reason]})
    if standard.pk in codes:
        reason = f"This assessment already covers {standard.designation}."
        raise ValidationFailed(reason, fields={"standard": [reason]})
    return old


@transaction.atomic
def assessment_transition(*, actor: Actor, assessment: Assessment, standard: Standard, title: str = "") -> Assessment:
    """Create the assessment of `standard` (a new edition) from `assessment` (which covers the edition it
    replaces), carrying answers, evidence and documents across the succession map. One transaction."""
    organization = assessment.organization
    require_manage(actor, organization.pk, "organization")
    old = transition_target(assessment, standard)
    links = succession_links(standard)
    if not links:
        reason = f"No succession map from {old.designation} to {standard.designation} is loaded."
        raise ValidationFailed(reason, fields={"standard": [reason]})
    plan = carry_plan(link.row() for link in links)
    old_ids: dict[str, int] = {
        link.old_ref: link.old_id for link in links if link.old_ref is not None and link.old_id is not None
    }
    new_refs = {link.new_id: link.new_ref for link in links if link.new_id is not None}
    old_answers = _old_answers(assessment)

    standards = [standard if s.pk == old.pk else s for s in assessment.standards.all()]
    default = f"Transition to {standard.designation} — {assessment.title}"
    new = Assessment.objects.create(
        organization=organization,
        title=(title.strip() or default)[:200],
        previous=assessment,
        replaced_edition=old,
        created_by=acting_user(actor),
        dropped=[
            {"ref": v["ref"], "title": v["title"], "status": v["status"]}
            for ref in plan.dropped
            if (v := old_answers.get(old_ids[ref])) is not None
        ],
    )
    through = Assessment.standards.through
    through.objects.bulk_create([through(assessment_id=new.pk, standard_id=s.pk) for s in standards])

    clauses = assessment_rows(
        list(
            Clause.objects.filter(standard__in=standards, retired=False)
            .order_by("standard_id", "kind", "position")
            .values_list("id", "kind", "ref", "hs_ref", "standard_id")
        )
    )
    clauses.sort(key=lambda row: row[4] != standard.pk)  # the new edition first: shared answers carry its state
    answers: list[Answer] = []
    sources_of: list[list[int]] = []  # per answer: the old answer ids whose evidence it takes
    shared: dict[str, Answer] = {}
    seen: set[tuple[int, str]] = set()
    plan_items: list[tuple[int, Answer]] = []
    for clause_id, _kind, _ref, hs_ref, standard_id in clauses:
        if hs_ref and (standard_id, hs_ref) not in seen and hs_ref in shared:
            seen.add((standard_id, hs_ref))
            plan_items.append((clause_id, shared[hs_ref]))
            continue
        if standard_id == standard.pk:
            state, olds = plan.targets.get(new_refs.get(clause_id) or "", (CarryState.OPEN, ()))
            fed = [(ref, old_answers[old_ids[ref]]) for ref in olds if ref in old_ids and old_ids[ref] in old_answers]
            values = _carried_values(state, fed)
            source_ids = [v["answer_id"] for _, v in fed]
        else:
            previous = old_answers.get(clause_id)
            keys = ("status", "justification", "owner_id", "due_date", "notes")
            values = {k: previous[k] for k in keys} if previous else {}
            source_ids = [previous["answer_id"]] if previous else []
        if hs_ref and (standard_id, hs_ref) not in seen:
            seen.add((standard_id, hs_ref))
            answer = Answer(assessment=new, hs_ref=hs_ref, **values)
            shared[hs_ref] = answer
        else:
            answer = Answer(assessment=new, clause_id=clause_id, **values)
        answers.append(answer)
        sources_of.append(source_ids)
        plan_items.append((clause_id, answer))
    Answer.objects.bulk_create(answers)
    Item.objects.bulk_create([Item(assessment=new, clause_id=cid, answer_id=a.pk) for cid, a in plan_items])
    evidence_count = _carry_evidence(assessment, answers, sources_of)
    audit_log_record(
        actor=actor,
        action="readiness.assessment.transition",
        obj=new,
        after={
            "title": new.title,
            "from": str(assessment.public_id),
            "replaced_edition": old.code,
            "standard": standard.code,
            "items": len(plan_items),
            "evidence": evidence_count,
            "dropped": [d["ref"] for d in new.dropped],
        },
        organization_id=organization.pk,
    )
    return new


def _carry_evidence(old: Assessment, answers: list[Answer], sources_of: list[list[int]]) -> int:
    """Copy the evidence links of each new answer's old answers (one read, one bulk insert)."""
    by_answer: dict[int, list[dict[str, Any]]] = {}
    rows = Evidence.objects.filter(answer__assessment=old).values_list(
        "answer_id", "label", "url", "document_id", "added_by_id"
    )
    for answer_id, label, url, document_id, added_by_id in rows:
        row = {"label": label, "url": url, "document_id": document_id, "added_by_id": added_by_id}
        by_answer.setdefault(answer_id, []).append(row)
    copies: list[Evidence] = []
    for answer, source_ids in zip(answers, sources_of, strict=True):
        taken: set[tuple[Any, Any, Any]] = set()
        for source_id in dict.fromkeys(source_ids):
            for row in by_answer.get(source_id, []):
                key = (row["label"], row["url"], row["document_id"])
                if key not in taken:
                    taken.add(key)
                    copies.append(Evidence(answer_id=answer.pk, **row))
    Evidence.objects.bulk_create(copies)
    return len(copies)


@transaction.atomic
def answer_confirm(*, actor: Actor, item: Item) -> Answer:
    """Confirm a carried-over (or merged/split) answer of a transition assessment as it stands."""
    _require_answer(actor, item, changes_owner=False)
    answer = Answer.objects.select_for_update().get(pk=item.answer_id)
    if answer.transition_state not in (TransitionState.TO_CONFIRM, TransitionState.TO_REVIEW):
        raise Conflict("This answer has nothing to confirm.", code="nothing_to_confirm")
    before = snapshot(answer, ANSWER_FIELDS)
    answer.transition_state = TransitionState.CONFIRMED
    answer.save(update_fields=["transition_state", "updated_at"])
    item.answer = answer
    audit_log_record(
        actor=actor,
        action="readiness.answer.confirm",
        obj=item.clause,
        before=before,
        after=snapshot(answer, ANSWER_FIELDS) | {"assessment": str(item.assessment.public_id)},
        organization_id=item.assessment.organization_id,
    )
    return answer
