"""The readiness dashboard: scores, heatmap, stage-1 check, documents due, NCs by age, audit coverage."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from conformo.domain.readiness import age_buckets
from conformo.improvement.selectors import cb_findings_to_answer, nonconformity_list, overdue_actions
from conformo.organizations.tenancy import default_organization, org_context, organization_for, readable_organizations
from conformo.readiness import selectors
from conformo.readiness.charts import bar_chart, heatmap_chart
from conformo.readiness.models import Document
from conformo.readiness.stage1 import stage1_for


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """Client users go to their organization's dashboard; CB users choose among clients that share."""
    organizations = list(readable_organizations(request.user).order_by("legal_name")[:200])
    own = default_organization(request.user)
    if own is not None and len(organizations) == 1:
        return redirect("readiness:dashboard", org_id=own.public_id)
    return render(request, "readiness/home.html", {"organizations": organizations})


@login_required
def dashboard_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    today = timezone.localdate()
    assessment = selectors.latest_assessment(user=request.user, organization=org)
    summary = selectors.assessment_summary(assessment=assessment) if assessment else None
    groups, rows = selectors.heatmap(summary) if summary else ([], [])
    coverage = selectors.audit_coverage(user=request.user, organization=org, assessment=assessment)
    open_ncs = list(nonconformity_list(user=request.user, organization=org, open_only=True))
    buckets = age_buckets((today - nc.raised_on).days for nc in open_ncs if nc.raised_on <= today)
    due_docs = list(
        Document.objects.visible_to(request.user)
        .filter(organization=org, review_due__lte=today + timedelta(days=30))
        .order_by("review_due")[:20]
    )
    standard_bars = [(name, s.percent) for name, s in summary.by_standard.items()] if summary else []
    return render(
        request,
        "readiness/dashboard.html",
        {
            **org_context(request, org, "dashboard"),
            "assessment": assessment,
            "summary": summary,
            "standard_chart": bar_chart(standard_bars, title="Readiness per standard (%)") if summary else "",
            "standard_bars": standard_bars,
            "groups": groups,
            "heatmap_rows": rows,
            "heatmap": heatmap_chart(groups, rows, title="Readiness by standard and clause group (%)") if rows else "",
            "stage1": stage1_for(user=request.user, organization=org),
            "coverage": coverage,
            "coverage_chart": bar_chart(list(coverage.percent.items()), title="Internal-audit coverage (%)")
            if coverage.percent
            else "",
            "buckets": buckets,
            "age_chart": bar_chart(buckets, title="Open nonconformities by age", unit="", maximum=None),
            "due_docs": due_docs,
            "overdue": list(overdue_actions(user=request.user, organization=org, today=today)),
            "answers_due": list(cb_findings_to_answer(user=request.user, organization=org, today=today)[:20]),
            "today": today,
            "transitions": _transitions(request, org, today),
        },
    )


def _transitions(request: HttpRequest, org: Any, today: date) -> list[dict[str, Any]]:
    """The latest transition assessments (at most 3) with their progress, deadline and days left."""
    rows: list[dict[str, Any]] = []
    for assessment in selectors.transition_assessments(user=request.user, organization=org)[:3]:
        new = next((s for s in assessment.standards.all() if s.replaces_id == assessment.replaced_edition_id), None)
        deadline = selectors.transition_deadline(organization=org, standard=new) if new else None
        rows.append(
            {
                "assessment": assessment,
                "standard": new,
                "progress": selectors.transition_progress(assessment=assessment),
                "deadline": deadline,
                "days_left": (deadline - today).days if deadline else None,
            }
        )
    return rows
