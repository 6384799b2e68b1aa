"""The audit plan and the audit report as PDFs (WeasyPrint), with the CB's identity: one version of the plan,
its frozen dates, days, sites and team (or, for a draft, today's), and the timetable; one revision of the
report, with the facts and findings frozen at its issue (or, for a draft, today's). Rendered like the certificate
(conformo/certificates/pdf.py): each thread keeps the fonts, the parsed stylesheet and a URL fetcher that reads
`data:` URLs only, so nothing outside the document is fetched."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from conformo.audits.models import AuditPlan, AuditReport

STATIC = Path(__file__).resolve().parent.parent / "static" / "audits"
STYLESHEET = STATIC / "plan-pdf.css"


class _Renderer:
    """What every plan rendered in one thread shares."""

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        self.fonts = FontConfiguration()
        self.fetcher = URLFetcher(allowed_protocols={"data"})
        self.stylesheet = CSS(filename=str(STYLESHEET), font_config=self.fonts, url_fetcher=self.fetcher)


_local = threading.local()


def _renderer() -> _Renderer:
    renderer: _Renderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def plan_context(plan: AuditPlan) -> dict[str, Any]:
    audit = plan.audit
    facts = plan.facts or {}
    team = facts.get("team")
    if team is None:
        team = [
            {"name": str(m.auditor), "role": m.get_role_display()} for m in audit.team.select_related("auditor__user")
        ]
    return {
        "plan": plan,
        "audit": audit,
        "cb": audit.programme.certification_body,
        "organization": audit.programme.organization,
        "facts": facts,
        "team": team,
        "lang_code": "en",
    }


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The PDF bytes of `template` with `context`, in the documents' stylesheet (the plan, the report, the
    proposal of conformo.fees)."""
    from weasyprint import HTML

    renderer = _renderer()
    html = HTML(
        string=render_to_string(template, context),
        base_url=str(STATIC),
        url_fetcher=renderer.fetcher,
    )
    document = html.render(font_config=renderer.fonts, stylesheets=[renderer.stylesheet])
    return bytes(document.write_pdf())


def plan_pdf(plan: AuditPlan) -> bytes:
    """The PDF bytes of one version of the audit plan."""
    return render_pdf("audits/plan_pdf.html", plan_context(plan))


def report_context(report: AuditReport) -> dict[str, Any]:
    from conformo.audits.services.reports import report_facts

    audit = report.audit
    return {
        "report": report,
        "audit": audit,
        "cb": audit.programme.certification_body,
        "facts": report.facts or report_facts(audit),
        "lang_code": "en",
    }


def report_pdf(report: AuditReport) -> bytes:
    """The PDF bytes of one revision of the audit report (or the stage 1 report)."""
    return render_pdf("audits/report_pdf.html", report_context(report))
