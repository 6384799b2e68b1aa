"""Reads of readiness work, always through `visible_to(user)`; each with a query count independent of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    UUIDField,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from conformo.core.errors import NotFound
from conformo.core.prepared import Compiled, Placeholder
from conformo.domain.readiness import (
    ReadinessSummary,
    ScoredItem,
    Status,
    clause_group,
    readiness_summary,
    ref_sort_key,
)
from conformo.readiness.choices import TransitionState
from conformo.readiness.models import Assessment, Item
from conformo.standards.models import ClauseKind, Standard, Transition

#: Catalog columns a row never shows (JSON blobs are costly to decode once per row).
HEAVY_FIELDS = (
    "clause__standard__succession_map",
    "clause__standard__source_info",
    "clause__standard__title",
    "clause__guidance",
    "answer__owner__password",
)


def assessment_list(*, user: Any, organization: Any = None) -> QuerySet[Assessment]:
    qs = Assessment.objects.visible_to(user).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.order_by("-created_at", "-id")


def assessment_get(*, user: Any, public_id: Any) -> Assessment:
    assessment = (
        Assessment.objects.visible_to(user)
        .select_related("organization", "previous", "replaced_edition")
        .prefetch_related("standards")
        .filter(public_id=public_id)
        .first()
    )
    if assessment is None:
        raise NotFound("No such assessment.")
    return assessment


def _assessment_detail_query(public_id: Any) -> QuerySet[Any]:
    through = Assessment.standards.through
    codes: Any = (
        through.objects.filter(assessment_id=OuterRef("pk"))
        .values("assessment_id")
        .annotate(codes=StringAgg("standard__code", delimiter=Value(" ")))
    )
    codes = codes.values("codes")
    return Assessment.objects.filter(public_id=public_id).values(
        "public_id",
        "title",
        "created_at",
        "organization_id",
        organization_uuid=F("organization__public_id"),
        previous_uuid=F("previous__public_id"),
        standard_codes=Subquery(codes),
    )


_ASSESSMENT_DETAIL = Compiled(lambda: _assessment_detail_query(Placeholder("public_id", UUIDField())))


def assessment_detail_row(*, user: Any, public_id: Any) -> dict[str, Any]:
    """The assessment as the API detail shows it: one query compiled once (the endpoint that carries load;
    conformo.core.prepared), then the permission check on the organization it belongs to."""
    from conformo.organizations.tenancy import readable_organization_ids

    row = _ASSESSMENT_DETAIL.first({"public_id": public_id})
    ids = readable_organization_ids(user)
    if row is None or (ids is not None and row["organization_id"] not in ids):
        raise NotFound("No such assessment.")
    return {
        "id": row["public_id"],
        "title": row["title"],
        "organization_id": row["organization_uuid"],
        "standards": sorted((row["standard_codes"] or "").split()),
        "previous_id": row["previous_uuid"],
        "created_at": row["created_at"],
    }


def latest_assessment(*, user: Any, organization: Any) -> Assessment | None:
    return (
        Assessment.objects.visible_to(user)
        .filter(organization=organization)
        .prefetch_related("standards")
        .order_by("-created_at", "-id")
        .first()
    )


def item_list(
    *, user: Any, assessment: Assessment, standard: Standard | None = None, status: str | None = None
) -> QuerySet[Item]:
    qs = (
        Item.objects.visible_to(user)
        .filter(assessment=assessment)
        .select_related("clause", "clause__standard", "answer", "answer__owner")
        .defer(*HEAVY_FIELDS)
        .order_by("clause__standard__code", "clause__kind", "clause__position", "id")
    )
    if standard is not None:
        qs = qs.filter(clause__standard=standard)
    if status:
        qs = qs.filter(answer__status=status)
    return qs


def item_rows(
    *, user: Any, assessment: Assessment, standard: Standard | None = None, status: str | None = None
) -> QuerySet[Item]:
    """Items in table order, without joins beyond what the ordering and filters need; read them with
    `.values(*conformo.readiness.rows.ROW_FIELDS)`."""
    qs = (
        Item.objects.visible_to(user)
        .filter(assessment=assessment)
        .order_by("clause__standard__code", "clause__kind", "clause__position", "id")
    )
    if standard is not None:
        qs = qs.filter(clause__standard=standard)
    if status:
        qs = qs.filter(answer__status=status)
    return qs


def item_api_rows(
    *, user: Any, assessment: Assessment, standard: Standard | None = None, status: str | None = None
) -> QuerySet[Any]:
    """The API list's rows as dicts (no model instances, no per-row resolvers)."""
    return item_rows(user=user, assessment=assessment, standard=standard, status=status).values(
        "id",
        standard=F("clause__standard__code"),
        kind=F("clause__kind"),
        ref=F("clause__ref"),
        title=Coalesce(F("clause__title"), Value("")),
        hs_ref=F("clause__hs_ref"),
        shared=ExpressionWrapper(~Q(answer__hs_ref=""), output_field=BooleanField()),
        status=F("answer__status"),
        justification=F("answer__justification"),
        owner=F("answer__owner__email"),
        due_date=F("answer__due_date"),
        notes=F("answer__notes"),
        needs_review=F("answer__needs_review"),
        transition_state=F("answer__transition_state"),
        carried_from=F("answer__carried_from"),
    )


def item_get(*, user: Any, assessment: Assessment, item_id: int) -> Item:
    item = (
        item_list(user=user, assessment=assessment)
        .select_related("assessment", "assessment__organization")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound("No such assessment item.")
    return item


def shared_standards(*, assessment: Assessment) -> dict[int, list[str]]:
    """Answer id → designations of the standards that share it (only answers shared by two or more)."""
    result: dict[int, list[str]] = defaultdict(list)
    rows = Item.objects.filter(assessment=assessment, answer__hs_ref__gt="").values_list(
        "answer_id", "clause__standard__designation"
    )
    for answer_id, designation in rows:
        result[answer_id].append(designation)
    return {k: v for k, v in result.items() if len(v) > 1}


def _group(kind: str, ref: str, theme: str) -> str:
    return clause_group(ref, theme=theme if kind == ClauseKind.CONTROL else "")


def assessment_summary(*, assessment: Assessment) -> ReadinessSummary:
    """Readiness scores of the assessment (formula in docs/readiness.md), in one query."""
    rows = (
        Item.objects.filter(assessment=assessment)
        .order_by("clause__standard__code", "clause__kind", "clause__position")
        .values_list("clause__standard__designation", "clause__kind", "clause__ref", "clause__theme", "answer__status")
    )
    return readiness_summary(
        [ScoredItem(std, _group(kind, ref, theme), Status(status)) for std, kind, ref, theme, status in rows]
    )


@dataclass
class HeatmapRow:
    standard: str
    cells: list[tuple[str, Any]] = field(default_factory=list)  # (group, percent or None)


def heatmap(summary: ReadinessSummary) -> tuple[list[str], list[HeatmapRow]]:
    """Standard × clause-group table of scores, groups in natural order (numbers first, then themes)."""
    groups = sorted(
        {g for _, g in summary.by_group}, key=lambda g: (not g.isdigit(), ref_sort_key(g) if g.isdigit() else g)
    )
    rows = []
    for standard in summary.by_standard:
        row = HeatmapRow(standard)
        for group in groups:
            score = summary.by_group.get((standard, group))
            row.cells.append((group, score.percent if score else "—"))
        rows.append(row)
    return groups, rows


def compare_with_previous(*, assessment: Assessment) -> list[dict[str, Any]]:
    """Items whose status differs from the previous assessment's (same clause), for the history view."""
    if assessment.previous_id is None:
        return []
    previous = dict(
        Item.objects.filter(assessment_id=assessment.previous_id).values_list("clause_id", "answer__status")
    )
    rows = []
    items = (
        Item.objects.filter(assessment=assessment)
        .select_related("clause", "clause__standard", "answer")
        .order_by("clause__standard__code", "clause__kind", "clause__position")
    )
    for item in items:
        before = previous.get(item.clause_id)
        if before != item.answer.status:
            rows.append({"item": item, "before": before, "after": item.answer.status})
    return rows


@dataclass
class CoverageMatrix:
    """Internal-audit coverage: rows of clause refs × the assessment's standards."""

    standards: list[Any]
    rows: list[tuple[str, list[str]]]  # (ref, ["covered" | "gap" | "" per standard])
    percent: dict[str, Any]  # designation → % of applicable clauses covered


def audit_coverage(*, user: Any, organization: Any, assessment: Assessment | None) -> CoverageMatrix:
    """Which clauses of every selected standard completed internal audits covered (a parent covers its
    children). Not-applicable clauses are left out. A bounded number of queries."""
    from conformo.domain.readiness import is_covered
    from conformo.readiness.choices import InternalAuditStatus, ItemStatus
    from conformo.readiness.models import InternalAudit

    if assessment is None:
        return CoverageMatrix([], [], {})
    standards = list(assessment.standards.all())
    audited: dict[int, set[str]] = defaultdict(set)
    for standard_id, ref in (
        InternalAudit.objects.visible_to(user)
        .filter(organization=organization, status=InternalAuditStatus.COMPLETED)
        .values_list("clauses__standard_id", "clauses__ref")
    ):
        if standard_id is not None:
            audited[standard_id].add(ref)
    present: dict[str, dict[int, str]] = defaultdict(dict)
    for standard_id, ref, status in Item.objects.filter(
        assessment=assessment, clause__kind=ClauseKind.CLAUSE
    ).values_list("clause__standard_id", "clause__ref", "answer__status"):
        if status == ItemStatus.NOT_APPLICABLE:
            present[ref][standard_id] = "n/a"
        else:
            present[ref][standard_id] = "covered" if is_covered(ref, audited[standard_id]) else "gap"
    rows = [(ref, [present[ref].get(s.pk, "") for s in standards]) for ref in sorted(present, key=ref_sort_key)]
    percent: dict[str, Any] = {}
    for index, standard in enumerate(standards):
        cells = [cells[index] for _, cells in rows if cells[index] in ("covered", "gap")]
        percent[standard.designation] = round(100 * cells.count("covered") / len(cells)) if cells else None
    return CoverageMatrix(standards, rows, percent)


@dataclass
class Attention:
    """What needs a client's attention, for the main dashboard: overdue improvement items and documents due
    for review (within `DUE_SOON_DAYS`), with the readiness dashboard's address."""

    readiness_url: str
    overdue: list[tuple[str, str, Any]] = field(default_factory=list)  # (label, url, due date)
    documents_due: list[tuple[str, str, Any, bool]] = field(default_factory=list)  # (+ overdue?)
    #: CB nonconformities waiting for the client's answer (label, url, response due or None, overdue?).
    answers_due: list[tuple[str, str, Any, bool]] = field(default_factory=list)
    #: How many items are due in all: overdue improvement items, CB findings to answer, documents due.
    due_count: int = 0


DUE_SOON_DAYS = 30


def attention_for(*, user: Any, organization: Any, today: date | None = None, limit: int = 5) -> Attention:
    """Overdue corrective actions and management-review actions, the CB's nonconformities waiting for the
    client's answer, and documents whose review is due within 30 days (or past due), of one organization the
    user may read, each list cut at `limit`, and how many are due in all. A bounded number of queries."""
    from django.urls import reverse

    from conformo.improvement.selectors import cb_findings_to_answer, overdue_actions
    from conformo.readiness.models import Document, ReviewAction

    today = today or timezone.localdate()
    attention = Attention(readiness_url=reverse("readiness:dashboard", args=[organization.public_id]))
    overdue_ncs = overdue_actions(user=user, organization=organization, today=today)
    findings = cb_findings_to_answer(user=user, organization=organization, today=today)
    for finding in findings[:limit]:
        attention.answers_due.append(
            (
                f"{finding.reference or 'Finding'} {finding.statement[:120]} — CB finding to answer",
                reverse("audits:finding-respond", args=[finding.public_id]),
                finding.response_due,
                finding.response_due is not None and finding.response_due < today,
            )
        )
    for nc in overdue_ncs[:limit]:
        attention.overdue.append(
            (
                f"{nc.reference} {nc.title} — corrective action",
                reverse("improvement:detail", args=[nc.public_id]),
                nc.corrective_action.due_date,
            )
        )
    actions = (
        ReviewAction.objects.visible_to(user)
        .open()
        .filter(review__organization=organization, due_date__lt=today)
        .select_related("review")
        .order_by("due_date")
    )
    for action in actions[:limit]:
        attention.overdue.append(
            (
                f"{action.description} — management-review action",
                reverse("readiness:review-detail", args=[action.review.public_id]),
                action.due_date,
            )
        )
    attention.overdue.sort(key=lambda entry: entry[2])
    documents = (
        Document.objects.visible_to(user)
        .review_due_by(today + timedelta(days=DUE_SOON_DAYS))
        .filter(organization=organization)
        .order_by("review_due")
    )
    attention.due_count = overdue_ncs.count() + actions.count() + findings.count() + documents.count()
    for document in documents[:limit]:
        attention.documents_due.append(
            (
                document.title,
                reverse("readiness:document-detail", args=[document.public_id]),
                document.review_due,
                document.review_due is not None and document.review_due <= today,
            )
        )
    return attention


@dataclass(frozen=True)
class TransitionProgress:
    """Items of a transition assessment by state (docs/readiness.md, "Transition assessment")."""

    confirmed: int
    to_confirm: int
    to_review: int
    open: int
    total: int

    @property
    def settled_percent(self) -> int:
        return round(100 * self.confirmed / self.total) if self.total else 0


def transition_progress(*, assessment: Assessment) -> TransitionProgress:
    """How far the move to the new edition is: confirmed / to confirm / to review / open items. One query."""
    counts = dict(
        Item.objects.filter(assessment=assessment)
        .values_list("answer__transition_state")
        .annotate(n=Count("id"))
        .values_list("answer__transition_state", "n")
    )
    return TransitionProgress(
        confirmed=counts.get(TransitionState.CONFIRMED, 0),
        to_confirm=counts.get(TransitionState.TO_CONFIRM, 0),
        to_review=counts.get(TransitionState.TO_REVIEW, 0),
        open=counts.get(TransitionState.OPEN, 0),
        total=sum(counts.values()),
    )


def transition_deadline(*, organization: Any, standard: Standard) -> date | None:
    """The last day of the move to `standard` (a new edition) for `organization`: for now the standard-level
    transition end (`standards.Transition.ends_on`). The hook for a CB's own end date for its clients. One query."""
    return (
        Transition.objects.filter(new_standard=standard)
        .order_by("-published_on")
        .values_list("ends_on", flat=True)
        .first()
    )


def transition_assessments(*, user: Any, organization: Any) -> list[Assessment]:
    """The organization's transition assessments, newest first, with their standards (two queries)."""
    return list(
        Assessment.objects.visible_to(user)
        .filter(organization=organization, replaced_edition__isnull=False)
        .select_related("replaced_edition")
        .prefetch_related("standards")
        .order_by("-created_at", "-id")
    )


def transition_choices(*, assessment: Assessment) -> QuerySet[Standard]:
    """The new editions `assessment` may move to: standards that replace one it covers and that it lacks."""
    covered = [s.pk for s in assessment.standards.all()]
    return (
        Standard.objects.filter(replaces__in=covered)
        .exclude(pk__in=covered)
        .select_related("replaces")
        .order_by("code")
    )
