"""Gap assessments: create (or re-run) over several standards, answer items, share or override HS answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record, snapshot
from conformo.core.errors import PermissionDenied, ValidationFailed
from conformo.organizations.models import Organization
from conformo.organizations.tenancy import can_manage, is_member, require_manage, require_read
from conformo.readiness.choices import ItemStatus, TransitionState
from conformo.readiness.models import Answer, Assessment, Evidence, Item
from conformo.standards.models import Clause, ClauseKind, Standard

ANSWER_FIELDS = ["status", "justification", "owner", "due_date", "notes", "needs_review", "transition_state"]
_UNSET: Any = object()


def assessment_rows(clauses: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The clauses an assessment asks about: every numbered sub-clause (the chapter headings 4–10 are
    the groups) and every annex control. Rows are (id, kind, ref, hs_ref, standard_id)."""
    return [row for row in clauses if row[1] == ClauseKind.CONTROL or "." in row[2]]


@transaction.atomic
def assessment_create(
    *,
    actor: Actor,
    organization: Organization,
    standards: Sequence[Standard],
    title: str = "",
    previous: Assessment | None = None,
) -> Assessment:
    """Create an assessment with one item per clause/control of each standard, in a bounded number of
    queries. Clauses mapped to the same Harmonized Structure clause share one answer. With `previous`,
    answers start from the previous assessment's, marked for review."""
    require_manage(actor, organization.pk, "organization")
    standards = list(dict.fromkeys(standards))
    if not standards:
        raise ValidationFailed("Choose at least one standard.", fields={"standards": ["Choose at least one standard."]})
    if any(s.is_harmonized_structure for s in standards):
        raise ValidationFailed("The Harmonized Structure is not a certifiable standard; choose real standards.")
    if previous is not None and previous.organization_id != organization.pk:
        raise ValidationFailed("The previous assessment belongs to another organization.")
    title = title.strip() or f"Gap assessment {timezone.localdate():%Y} — " + " + ".join(
        s.designation for s in standards
    )
    assessment = Assessment.objects.create(
        organization=organization, title=title[:200], previous=previous, created_by=acting_user(actor)
    )
    through = Assessment.standards.through
    through.objects.bulk_create([through(assessment_id=assessment.pk, standard_id=s.pk) for s in standards])

    carried_shared: dict[str, dict[str, Any]] = {}
    carried_private: dict[int, dict[str, Any]] = {}
    if previous is not None:
        for row in Item.objects.filter(assessment=previous).values(
            "clause_id",
            "answer__hs_ref",
            "answer__status",
            "answer__justification",
            "answer__owner_id",
            "answer__due_date",
            "answer__notes",
        ):
            values = {
                "status": row["answer__status"],
                "justification": row["answer__justification"],
                "owner_id": row["answer__owner_id"],
                "due_date": row["answer__due_date"],
                "notes": row["answer__notes"],
                "needs_review": True,
            }
            if row["answer__hs_ref"]:
                carried_shared[row["answer__hs_ref"]] = values
            else:
                carried_private[row["clause_id"]] = values

    clauses = assessment_rows(
        list(
            Clause.objects.filter(standard__in=standards, retired=False)
            .order_by("standard_id", "kind", "position")
            .values_list("id", "kind", "ref", "hs_ref", "standard_id")
        )
    )
    shared: dict[str, Answer] = {}
    answers: list[Answer] = []
    plan: list[tuple[int, Answer]] = []
    seen: set[tuple[int, str]] = set()
    for clause_id, _kind, _ref, hs_ref, standard_id in clauses:
        if hs_ref and (standard_id, hs_ref) not in seen:
            seen.add((standard_id, hs_ref))
            answer = shared.get(hs_ref)
            if answer is None:
                answer = Answer(assessment=assessment, hs_ref=hs_ref, **carried_shared.get(hs_ref, {}))
                shared[hs_ref] = answer
                answers.append(answer)
        else:
            values = carried_private.get(clause_id, {})
            answer = Answer(assessment=assessment, clause_id=clause_id, **values)
            answers.append(answer)
        plan.append((clause_id, answer))
    Answer.objects.bulk_create(answers)
    Item.objects.bulk_create([Item(assessment=assessment, clause_id=cid, answer_id=a.pk) for cid, a in plan])
    audit_log_record(
        actor=actor,
        action="readiness.assessment.create",
        obj=assessment,
        after={
            "title": assessment.title,
            "standards": [s.code for s in standards],
            "items": len(plan),
            "previous": str(previous.public_id) if previous else None,
        },
        organization_id=organization.pk,
    )
    return assessment


def assessment_rerun(*, actor: Actor, assessment: Assessment, title: str = "") -> Assessment:
    """Start next year's assessment from this one's answers, each marked for review."""
    standards = list(assessment.standards.all())
    return assessment_create(
        actor=actor, organization=assessment.organization, standards=standards, title=title, previous=assessment
    )


def _require_answer(actor: Actor, item: Item, *, changes_owner: bool) -> None:
    org_id = item.assessment.organization_id
    require_read(actor, org_id, "assessment item")
    if can_manage(actor, org_id):
        return
    if is_member(actor, org_id) and item.answer.owner_id == actor.pk and not changes_owner:
        return
    raise PermissionDenied("Only a client administrator, or the member who owns this item, can answer it.")


@transaction.atomic
def item_answer(
    *,
    actor: Actor,
    item: Item,
    status: str | None = None,
    justification: str | None = None,
    owner: Any = _UNSET,
    due_date: date | None = _UNSET,
    notes: str | None = None,
    apply_to_subclauses: bool = False,
) -> Answer:
    """Answer an item. A shared answer changes for every standard whose clause maps to the same HS clause.
    With `apply_to_subclauses`, a "not applicable" answer is given, with the same justification, to every
    sub-clause of the item's clause in the assessment not already not applicable (each audit-logged)."""
    _require_answer(
        actor, item, changes_owner=owner is not _UNSET and getattr(owner, "pk", owner) != item.answer.owner_id
    )
    answer = Answer.objects.select_for_update().get(pk=item.answer_id)
    before = snapshot(answer, ANSWER_FIELDS)
    if status is not None:
        if status not in ItemStatus.values:
            raise ValidationFailed(
                "Unknown status.", fields={"status": [f"Use one of: {', '.join(ItemStatus.values)}."]}
            )
        answer.status = status
    if justification is not None:
        answer.justification = justification.strip()
    if notes is not None:
        answer.notes = notes
    if due_date is not _UNSET:
        answer.due_date = due_date
    if owner is not _UNSET:
        if owner is not None and not owner.memberships.filter(organization_id=item.assessment.organization_id).exists():
            raise ValidationFailed(
                "The owner must be a member of the organization.", fields={"owner": ["Not a member."]}
            )
        answer.owner = owner
    if answer.status == ItemStatus.NOT_APPLICABLE and not answer.justification:
        raise ValidationFailed(
            "Say why this requirement does not apply.",
            fields={"justification": ["A justification is required when the requirement is not applicable."]},
        )
    answer.needs_review = False
    if answer.transition_state:  # answering a transition item settles it (docs/readiness.md)
        answer.transition_state = TransitionState.CONFIRMED
    answer.save()
    item.answer = answer
    audit_log_record(
        actor=actor,
        action="readiness.answer.update",
        obj=item.clause,
        before=before,
        after=snapshot(answer, ANSWER_FIELDS)
        | {"assessment": str(item.assessment.public_id), "shared": answer.is_shared},
        organization_id=item.assessment.organization_id,
    )
    if apply_to_subclauses and answer.status == ItemStatus.NOT_APPLICABLE:
        for sub in subclause_items(item).exclude(answer__status=ItemStatus.NOT_APPLICABLE):
            if sub.answer.status != ItemStatus.NOT_APPLICABLE:  # a shared answer may have changed meanwhile
                item_answer(actor=actor, item=sub, status=ItemStatus.NOT_APPLICABLE, justification=answer.justification)
    return answer


def subclause_items(item: Item) -> Any:
    """The assessment's items whose clause lies under the item's clause (children, grandchildren, ...)."""
    tree: dict[int | None, list[int]] = {}
    for pk, parent_id in Clause.objects.filter(standard_id=item.clause.standard_id).values_list("pk", "parent_id"):
        tree.setdefault(parent_id, []).append(pk)
    below: list[int] = []
    todo = list(tree.get(item.clause_id, []))
    while todo:
        pk = todo.pop()
        below.append(pk)
        todo.extend(tree.get(pk, []))
    return (
        Item.objects.filter(assessment_id=item.assessment_id, clause_id__in=below)
        .select_related("answer", "clause", "assessment")
        .order_by("clause__position", "pk")
    )


@transaction.atomic
def item_override(*, actor: Actor, item: Item) -> Item:
    """Answer this standard's clause differently from the shared HS answer (starts as a copy of it)."""
    require_manage(actor, item.assessment.organization_id, "assessment item")
    if not item.answer.hs_ref:
        raise ValidationFailed("This item already has its own answer.")
    shared = item.answer
    own = Answer.objects.create(
        assessment_id=item.assessment_id,
        clause_id=item.clause_id,
        status=shared.status,
        justification=shared.justification,
        owner_id=shared.owner_id,
        due_date=shared.due_date,
        notes=shared.notes,
        transition_state=shared.transition_state,
        carried_from=shared.carried_from,
    )
    item.answer = own
    item.save(update_fields=["answer"])
    audit_log_record(
        actor=actor,
        action="readiness.answer.override",
        obj=item.clause,
        before={"hs_ref": shared.hs_ref},
        after={"assessment": str(item.assessment.public_id)},
        organization_id=item.assessment.organization_id,
    )
    return item


@transaction.atomic
def item_share(*, actor: Actor, item: Item) -> Item:
    """Drop this item's own answer and use the shared HS answer again."""
    require_manage(actor, item.assessment.organization_id, "assessment item")
    hs_ref = item.clause.hs_ref
    shared = Answer.objects.filter(assessment_id=item.assessment_id, hs_ref=hs_ref).first() if hs_ref else None
    if shared is None or item.answer.hs_ref:
        raise ValidationFailed("This item has no shared answer to return to.")
    own = item.answer
    item.answer = shared
    item.save(update_fields=["answer"])
    before = snapshot(own, ANSWER_FIELDS)
    if not own.items.exists():
        own.delete()
    audit_log_record(
        actor=actor,
        action="readiness.answer.share",
        obj=item.clause,
        before=before,
        after={"hs_ref": hs_ref, "assessment": str(item.assessment.public_id)},
        organization_id=item.assessment.organization_id,
    )
    return item


@transaction.atomic
def evidence_add(*, actor: Actor, item: Item, label: str, url: str = "", document: Any = None) -> Evidence:
    """Link evidence (a URL or a document of the register) to an item's answer."""
    _require_answer(actor, item, changes_owner=False)
    url = (url or "").strip()
    errors: dict[str, list[str]] = {}
    if not label.strip():
        errors["label"] = ["Required."]
    if not url and document is None:
        errors["url"] = ["A link or a document is required."]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError:
            errors["url"] = ["Enter a valid http(s) address."]
    if document is not None and document.organization_id != item.assessment.organization_id:
        errors["document"] = ["The document belongs to another organization."]
    if errors:
        raise ValidationFailed("The evidence link is not valid.", fields=errors)
    evidence = Evidence.objects.create(
        answer_id=item.answer_id, label=label.strip()[:200], url=url, document=document, added_by=acting_user(actor)
    )
    audit_log_record(
        actor=actor,
        action="readiness.evidence.add",
        obj=evidence,
        after={
            "label": evidence.label,
            "url": url,
            "document": str(document.public_id) if document is not None else None,
            "clause": item.clause_id,
        },
        organization_id=item.assessment.organization_id,
    )
    return evidence
