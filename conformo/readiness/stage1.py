"""The stage-1 readiness check of an organization: gathers the facts and applies
`conformo.domain.readiness.stage1_check`; each item links to the page where the gap is closed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from conformo.domain.readiness import Stage1Item, Stage1Key, is_covered, management_review_inputs, stage1_check
from conformo.improvement.choices import OPEN_STATUSES, Grade, Source
from conformo.improvement.models import Nonconformity
from conformo.readiness.choices import InternalAuditStatus, ItemStatus, ReviewStatus
from conformo.readiness.models import Document, InternalAudit, Item, ManagementReview
from conformo.readiness.selectors import latest_assessment
from conformo.standards.models import ClauseKind, MandatoryDocument


@dataclass(frozen=True)
class Stage1Result:
    item: Stage1Item
    url: str

    @property
    def ok(self) -> bool:
        return self.item.ok


def _not_applicable(refs: set[str], ref: str) -> bool:
    return is_covered(ref, refs)


def stage1_for(*, user: Any, organization: Any) -> list[Stage1Result]:
    """The four stage-1 items for the organization's latest assessment (a bounded number of queries)."""
    assessment = latest_assessment(user=user, organization=organization)
    org_id = organization.public_id
    urls = {
        Stage1Key.DOCUMENTS: reverse("readiness:documents", args=[org_id]),
        Stage1Key.INTERNAL_AUDIT: reverse("readiness:audit-programme", args=[org_id]),
        Stage1Key.MANAGEMENT_REVIEW: reverse("readiness:reviews", args=[org_id]),
        Stage1Key.MAJOR_NCS: reverse("improvement:log", args=[org_id]),
    }
    if assessment is None:
        no_assessment = ["Create a gap assessment to select the standards"]
        items = stage1_check(
            documents_missing=no_assessment,
            clauses_not_audited=no_assessment,
            review_held=False,
            review_inputs_missing=[],
            open_major_ncs=_open_majors(user, organization),
        )
        return [Stage1Result(i, urls[i.key]) for i in items]
    standards = list(assessment.standards.all())
    # in the assessment table's order (selectors.item_rows): the "not yet audited" list, cut when shown, is
    # the same on every database
    rows = list(
        Item.objects.filter(assessment=assessment)
        .order_by("clause__standard__code", "clause__kind", "clause__position", "id")
        .values_list("clause__standard_id", "clause__kind", "clause__ref", "answer__status")
    )
    not_applicable: dict[int, set[str]] = {}
    for standard_id, kind, ref, status in rows:
        if kind == ClauseKind.CLAUSE and status == ItemStatus.NOT_APPLICABLE:
            not_applicable.setdefault(standard_id, set()).add(ref)

    approved = set(
        Document.objects.filter(
            organization=organization, approved_revision__isnull=False, mandatory__isnull=False
        ).values_list("mandatory_id", flat=True)
    )
    documents_missing = [
        f"{md.standard.designation} {md.clause_ref}: {md.what}"
        for md in MandatoryDocument.objects.filter(standard__in=standards, retired=False)
        .select_related("standard")
        .order_by("standard__code", "position", "id")
        if md.pk not in approved and not _not_applicable(not_applicable.get(md.standard_id, set()), md.clause_ref)
    ]

    audited: dict[int, set[str]] = {}
    for standard_id, ref in InternalAudit.objects.filter(
        organization=organization, status=InternalAuditStatus.COMPLETED
    ).values_list("clauses__standard_id", "clauses__ref"):
        if standard_id is not None:
            audited.setdefault(standard_id, set()).add(ref)
    designations = {s.pk: s.designation for s in standards}
    clauses_not_audited = [
        f"{designations[standard_id]} {ref}"
        for standard_id, kind, ref, status in rows
        if kind == ClauseKind.CLAUSE
        and status != ItemStatus.NOT_APPLICABLE
        and not is_covered(ref, audited.get(standard_id, set()))
    ]

    review = (
        ManagementReview.objects.filter(organization=organization, status=ReviewStatus.HELD)
        .order_by("-held_on", "-id")
        .first()
    )
    inputs_missing = []
    if review is not None:
        required = management_review_inputs(s.code for s in standards)
        inputs_missing = [f"Input not recorded: {i.label}" for i in required if not review.inputs.get(i.key)]
    items = stage1_check(
        documents_missing=documents_missing,
        clauses_not_audited=clauses_not_audited,
        review_held=review is not None,
        review_inputs_missing=inputs_missing,
        open_major_ncs=_open_majors(user, organization),
    )
    if review is not None:
        urls[Stage1Key.MANAGEMENT_REVIEW] = reverse("readiness:review-detail", args=[review.public_id])
    return [Stage1Result(i, urls[i.key]) for i in items]


def _open_majors(user: Any, organization: Any) -> list[str]:
    return [
        f"{nc.reference} {nc.title}"
        for nc in Nonconformity.objects.filter(
            organization=organization, grade=Grade.MAJOR, status__in=OPEN_STATUSES
        ).exclude(source=Source.CB_FINDING)
    ]
