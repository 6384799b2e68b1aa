"""Helpers shared by the CB pages: submit an action's form to its service and report, roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from conformo.core.errors import ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import MANAGERS, reach


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a date (YYYY-MM-DD).") from None


def is_manager(user: Any) -> bool:
    r = reach(user)
    return r.superuser or any(set(roles) & set(MANAGERS) for roles in r.roles_by_cb.values())


CB_ADMIN = Role.CB_ADMIN.value


def plan_section(user: Any, audit: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """The audit page's plan section: the versions this user may read, the issued one with its objections,
    the CB's draft, and the forms of the plan's actions (a bound form when it was just refused)."""
    from conformo.audits import forms, selectors
    from conformo.audits.choices import PlanStatus
    from conformo.audits.services.common import is_lead
    from conformo.audits.services.plans import plan_facts
    from conformo.core.tenancy import has_cb_role, has_org_role

    versions = list(selectors.plan_versions(user=user, audit=audit))
    current = next((p for p in versions if p.status == PlanStatus.ISSUED), None)
    draft = next((p for p in versions if p.status == PlanStatus.DRAFT), None)
    programme = audit.programme
    manager = has_cb_role(user, programme.certification_body_id, *MANAGERS)
    return {
        "plan_versions": versions,
        "plan_current": current,
        "plan_draft": draft,
        "plan_objections": list(selectors.plan_objections(plan=current)) if current else [],
        "plan_manager": manager,
        "plan_stale": current is not None and current.facts != plan_facts(audit),
        "plan_staff": manager or is_lead(user, audit),
        "plan_client": has_org_role(user, programme.organization_id, Role.CLIENT_ADMIN.value),
        "plan_draft_form": bound.get("plan_draft_form") or forms.EmptyForm(),
        "plan_edit_form": bound.get("plan_edit_form")
        or forms.PlanEditForm(initial=forms.PlanEditForm.initial_for(draft or current)),
        "plan_issue_form": bound.get("plan_issue_form") or forms.PlanIssueForm(),
        "plan_accept_form": bound.get("plan_accept_form") or forms.EmptyForm(),
        "plan_object_form": bound.get("plan_object_form")
        or forms.PlanObjectForm(team=current.facts.get("team", []) if current else []),
        "resolve_form": bound.get("resolve_form") or forms.ObjectionResolveForm(),
    }


def report_section(user: Any, audit: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """The audit page's report section (17021-1 9.4.8; stage 1: 9.3.1.2): the revisions this user may read,
    the issued one, the draft, when a completed audit's report is due, and the forms of the report's actions
    (the lead auditor's, a team member's section)."""
    from django.utils import timezone

    from conformo.audits import forms, selectors
    from conformo.audits.choices import ReportStatus
    from conformo.audits.services.common import is_lead, on_team
    from conformo.audits.services.reports import report_due_on, report_kind_for

    revisions = list(selectors.report_revisions(user=user, audit=audit))
    current = next((r for r in revisions if r.status == ReportStatus.ISSUED), None)
    draft = next((r for r in revisions if r.status == ReportStatus.DRAFT), None)
    due_on = report_due_on(audit)
    lead = is_lead(user, audit)
    member = on_team(user, audit)
    mine = ""
    if draft is not None and member:
        ids = {str(m.auditor.public_id) for m in audit.team.filter(auditor__user=user).select_related("auditor")}
        mine = next((s["text"] for s in draft.sections if s["auditor_id"] in ids), "")
    kind = report_kind_for(audit)
    return {
        "report_revisions": revisions,
        "report_current": current,
        "report_draft": draft,
        "report_due_on": due_on,
        "report_overdue": due_on is not None and due_on < timezone.localdate(),
        "report_lead": lead,
        "report_member": member,
        "report_draft_form": bound.get("report_draft_form") or forms.EmptyForm(),
        "report_edit_form": bound.get("report_edit_form")
        or forms.ReportEditForm(initial=forms.ReportEditForm.initial_for(draft), kind=kind),
        "report_section_form": bound.get("report_section_form") or forms.ReportSectionForm(initial={"text": mine}),
        "report_issue_form": bound.get("report_issue_form") or forms.EmptyForm(),
        "report_revise_form": bound.get("report_revise_form") or forms.ReportReviseForm(),
    }


def agreement_section(user: Any, application: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """The application page's agreement section (17021-1 5.1.2): the CB's current version, the acceptances,
    the stage-1 exception, and the forms of the actions this user may take — the client's administrator accepts
    the current version, the CB's office records a signed copy or its reason to sign at stage 1."""
    from conformo.audits import forms, selectors, services
    from conformo.audits.choices import ApplicationStatus
    from conformo.core.tenancy import has_cb_role, has_org_role

    overview = services.agreement_overview(application)
    current = overview["current"]
    open_application = application.status != ApplicationStatus.DECLINED
    accepted_versions = {a.template_id for a in overview["acceptances"]}
    client_admin = has_org_role(user, application.organization_id, Role.CLIENT_ADMIN.value)
    office = has_cb_role(user, application.certification_body_id, *MANAGERS)
    published = selectors.published_agreement_templates(application.certification_body_id) if office else []
    return {
        "agreement": overview,
        "agreement_can_accept": client_admin
        and open_application
        and current is not None
        and current.pk not in accepted_versions,
        "agreement_can_record": office and open_application and bool(published),
        "agreement_can_stage1": office
        and open_application
        and overview["allow_at_stage1"]
        and overview["accepted"] is None,
        "accept_form": bound.get("accept_form")
        or forms.AgreementAcceptForm(
            initial={"version": current.version if current else None}, organization=application.organization
        ),
        "record_form": bound.get("record_form") or forms.AgreementRecordForm(versions=published),
        "stage1_form": bound.get("stage1_form") or forms.AgreementStage1Form(),
    }
