"""The client's work: findings to answer and audit plans to accept (the CB's side, seen from the organization),
documents due for review, corrective actions and management-review actions (its own side).

Client administrators write the organization's work, so everything of their organization waits for them; a
client member answers findings (as administrators do) and is listed the documents and actions they own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from conformo.audits.models import AuditPlan, Finding
from conformo.core.roles import Role
from conformo.improvement.models import Nonconformity
from conformo.inbox.choices import ItemKind
from conformo.inbox.items import Context, InboxItem, Source
from conformo.inbox.sources.cb import audit_label
from conformo.readiness.models import Document, ReviewAction
from conformo.readiness.selectors import DUE_SOON_DAYS

ADMIN = Role.CLIENT_ADMIN.value
MEMBER = Role.CLIENT_MEMBER.value


def _owned(ctx: Context, org_path: str, owner_path: str) -> Q | None:
    """Everything of the organizations the person administers, and what they own in those they are a member of."""
    admin_of = ctx.orgs(ADMIN)
    member_of = [org for org in ctx.orgs(MEMBER) if org not in admin_of]
    if not admin_of and not member_of:
        return None
    return Q(**{f"{org_path}__in": admin_of}) | Q(**{f"{org_path}__in": member_of, owner_path: ctx.user})


def _item(ctx: Context, kind: ItemKind, title: str, organization: Any, url: str, due: Any, **audit: Any) -> InboxItem:
    return InboxItem(
        kind=kind,
        title=title,
        role=ctx.org_role(organization.pk),
        url=url,
        organization=organization.legal_name,
        organization_id=organization.public_id,
        due=due,
        overdue=ctx.is_overdue(due),
        **audit,
    )


def findings_rows(ctx: Context) -> QuerySet[Finding] | None:
    orgs = ctx.orgs(ADMIN, MEMBER)
    if not orgs:
        return None
    return (
        Finding.objects.visible_to(ctx.user)
        .awaiting_response(ctx.today)
        .filter(audit__programme__organization_id__in=orgs)
    )


def findings_items(rows: QuerySet[Finding], ctx: Context) -> Iterable[InboxItem]:
    for finding in rows.select_related("audit__programme__organization"):
        audit = finding.audit
        yield _item(
            ctx,
            ItemKind.FINDING_RESPONSE_DUE,
            f"Answer {finding.reference or 'the finding'} ({finding.get_grade_display().lower()}): correction, root "
            "cause and corrective action",
            audit.programme.organization,
            reverse("audits:finding-detail", args=[finding.public_id]),
            finding.response_due,
            audit=audit_label(audit),
            audit_id=audit.public_id,
        )


def plans_rows(ctx: Context) -> QuerySet[AuditPlan] | None:
    orgs = ctx.orgs(ADMIN)
    if not orgs:
        return None
    return (
        AuditPlan.objects.visible_to(ctx.user)
        .awaiting_acceptance(ctx.today)
        .filter(audit__programme__organization_id__in=orgs)
    )


def plans_items(rows: QuerySet[AuditPlan], ctx: Context) -> Iterable[InboxItem]:
    for plan in rows.select_related("audit__programme__organization"):
        audit = plan.audit
        yield _item(
            ctx,
            ItemKind.PLAN_TO_ACCEPT,
            f"Accept version {plan.version} of the audit plan, or object to a team member",
            audit.programme.organization,
            reverse("audits:audit-detail", args=[audit.public_id]) + "#audit-plan",
            audit.planned_start,
            audit=audit_label(audit),
            audit_id=audit.public_id,
        )


def documents_rows(ctx: Context) -> QuerySet[Document] | None:
    scope = _owned(ctx, "organization_id", "owner")
    if scope is None:
        return None
    return Document.objects.visible_to(ctx.user).review_due_by(ctx.today + timedelta(days=DUE_SOON_DAYS)).filter(scope)


def documents_items(rows: QuerySet[Document], ctx: Context) -> Iterable[InboxItem]:
    for document in rows.select_related("organization"):
        yield _item(
            ctx,
            ItemKind.DOCUMENT_REVIEW_DUE,
            f"Review “{document.title}”",
            document.organization,
            reverse("readiness:document-detail", args=[document.public_id]),
            document.review_due,
        )


def actions_to_plan_rows(ctx: Context) -> QuerySet[Nonconformity] | None:
    orgs = ctx.orgs(ADMIN)
    if not orgs:
        return None
    return Nonconformity.objects.visible_to(ctx.user).action_to_plan().filter(organization_id__in=orgs)


def actions_to_plan_items(rows: QuerySet[Nonconformity], ctx: Context) -> Iterable[InboxItem]:
    for nc in rows.select_related("organization"):
        yield _item(
            ctx,
            ItemKind.CORRECTIVE_ACTION_TO_PLAN,
            f"Plan the corrective action for {nc.reference} “{nc.title}”",
            nc.organization,
            reverse("improvement:detail", args=[nc.public_id]),
            None,
        )


def actions_due_rows(ctx: Context) -> QuerySet[Nonconformity] | None:
    scope = _owned(ctx, "organization_id", "corrective_action__owner")
    if scope is None:
        return None
    return Nonconformity.objects.visible_to(ctx.user).action_due().filter(scope)


def actions_due_items(rows: QuerySet[Nonconformity], ctx: Context) -> Iterable[InboxItem]:
    for nc in rows.select_related("organization", "corrective_action"):
        yield _item(
            ctx,
            ItemKind.CORRECTIVE_ACTION_DUE,
            f"Complete the corrective action for {nc.reference} “{nc.title}”",
            nc.organization,
            reverse("improvement:detail", args=[nc.public_id]),
            nc.corrective_action.due_date,
        )


def review_actions_rows(ctx: Context) -> QuerySet[ReviewAction] | None:
    scope = _owned(ctx, "review__organization_id", "owner")
    if scope is None:
        return None
    return ReviewAction.objects.visible_to(ctx.user).open().filter(scope)


def review_actions_items(rows: QuerySet[ReviewAction], ctx: Context) -> Iterable[InboxItem]:
    for action in rows.select_related("review__organization"):
        yield _item(
            ctx,
            ItemKind.REVIEW_ACTION_DUE,
            f"{action.description} (management review “{action.review.title}”)",
            action.review.organization,
            reverse("readiness:review-detail", args=[action.review.public_id]),
            action.due_date,
        )


SOURCES = [
    Source(ItemKind.FINDING_RESPONSE_DUE, findings_rows, findings_items),
    Source(ItemKind.PLAN_TO_ACCEPT, plans_rows, plans_items),
    Source(ItemKind.DOCUMENT_REVIEW_DUE, documents_rows, documents_items),
    Source(ItemKind.CORRECTIVE_ACTION_TO_PLAN, actions_to_plan_rows, actions_to_plan_items),
    Source(ItemKind.CORRECTIVE_ACTION_DUE, actions_due_rows, actions_due_items),
    Source(ItemKind.REVIEW_ACTION_DUE, review_actions_rows, review_actions_items),
]
