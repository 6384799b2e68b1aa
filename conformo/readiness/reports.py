"""The PDF readiness report of an assessment (WeasyPrint)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from conformo.readiness import selectors
from conformo.readiness.models import Assessment
from conformo.readiness.stage1 import stage1_for


def readiness_report_pdf(*, user: Any, assessment: Assessment) -> bytes:
    from weasyprint import HTML

    summary = selectors.assessment_summary(assessment=assessment)
    groups, rows = selectors.heatmap(summary)
    html = render_to_string(
        "readiness/report_pdf.html",
        {
            "assessment": assessment,
            "organization": assessment.organization,
            "summary": summary,
            "groups": groups,
            "rows": rows,
            "stage1": stage1_for(user=user, organization=assessment.organization),
        },
    )
    return HTML(string=html).write_pdf()
