"""Pages of the certification path: workspace, applications and their review, programmes, audits with
their teams, findings with the client's response and the auditor's review and verification.

A refused action comes back to the same page with the service's reason as an error message.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from conformo.audits import selectors, services
from conformo.audits.choices import FindingGrade, QualificationRole, VerificationMethod
from conformo.audits.models import Auditor
from conformo.audits.permissions import reach
from conformo.audits.services.findings import attachment_limits, size_label
from conformo.audits.services.setup import check_sector_codes
from conformo.audits.views.common import act, by_id, ids, is_manager, parse_date, parse_decimal
from conformo.organizations.models import CertificationBody, Organization
from conformo.standards.models import Clause, Standard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workspace: applications, audits with their timing, findings (and overdue responses)."""
    from conformo.certification.selectors import suspension_proposals

    today = timezone.localdate()
    r = reach(request.user)
    audits = list(selectors.audit_list(user=request.user).exclude(status__in=["completed", "cancelled"])[:100])
    findings = list(selectors.finding_list(user=request.user).exclude(status__in=["verified", "closed"])[:100])
    is_dm = any("decision_maker" in roles for roles in r.roles_by_cb.values())
    return render(
        request,
        "audits/home.html",
        {
            "applications": selectors.application_list(user=request.user)[:50],
            "audits": [(a, a.timing(today)) for a in audits],
            "findings": [(f, f.response_overdue(today)) for f in findings],
            "proposals": suspension_proposals(user=request.user, today=today) if is_dm else [],
            "can_apply": bool(r.organizations) or is_manager(request.user),
            "is_manager": is_manager(request.user),
            "cb_staff": bool(r.roles_by_cb) or r.superuser,
            "my_auditor": Auditor.objects.filter(user_id=request.user.pk or 0, active=True).first(),
        },
    )


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    orgs = Organization.objects.visible_to(request.user)
    cbs = CertificationBody.objects.filter(clients__organization__in=orgs).distinct()
    if request.method == "POST":
        org = by_id(orgs, request.POST.get("organization"))
        cb = by_id(cbs, request.POST.get("certification_body"))
        if org is None or cb is None:
            messages.error(request, "Choose the organization and the certification body.")
        else:
            application = act(
                request,
                lambda: services.application_submit(
                    actor=request.user,
                    certification_body=cb,
                    organization=org,
                    standards=list(Standard.objects.filter(code__in=request.POST.getlist("standards"))),
                    scope=request.POST.get("scope", ""),
                    sites=list(org.sites.filter(public_id__in=ids(request.POST.getlist("sites")))),
                    sector_codes=check_sector_codes(request.POST.get("sector_codes", "")),
                    complexity=request.POST.get("complexity", "medium"),
                    outsourced_processes=request.POST.get("outsourced_processes", ""),
                    consultancy_used=request.POST.get("consultancy_used", ""),
                ),
                "Application submitted.",
            )
            if application:
                return redirect("audits:application-detail", application.public_id)
    return render(
        request,
        "audits/application_form.html",
        {
            "organizations": orgs.prefetch_related("sites"),
            "cbs": cbs,
            "standards": Standard.objects.filter(is_harmonized_structure=False),
        },
    )


@login_required
def application_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "review":
            act(
                request,
                lambda: services.application_review(actor=request.user, application=application),
                "Review recorded.",
            )
        elif action == "accept":
            programme = act(
                request,
                lambda: services.application_accept(actor=request.user, application=application),
                "Accepted: the 3-year programme is created.",
            )
            if programme:
                return redirect("audits:programme-detail", programme.public_id)
        elif action == "decline":
            act(
                request,
                lambda: services.application_decline(
                    actor=request.user, application=application, reason=request.POST.get("reason", "")
                ),
                "Application declined.",
            )
        return redirect("audits:application-detail", application.public_id)
    return render(
        request,
        "audits/application_detail.html",
        {
            "application": application,
            "review": services.latest_review(application),
            "programme": application.programme.first(),
            "is_manager": is_manager(request.user),
        },
    )


@login_required
def programme_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        if request.POST.get("action") == "combine":
            act(
                request,
                lambda: services.programme_record_combined_audit(
                    actor=request.user, programme=programme, justification=request.POST.get("justification", "")
                ),
                "Combined audit recorded.",
            )
        elif request.POST.get("action") == "special":
            act(
                request,
                lambda: services.special_audit_create(
                    actor=request.user,
                    programme=programme,
                    purpose=request.POST.get("purpose", ""),
                    due_by=parse_date(request.POST.get("due_by")),
                    days=parse_decimal(request.POST.get("days"), Decimal(1)) or Decimal(1),
                ),
                "Special audit added.",
            )
        return redirect("audits:programme-detail", programme.public_id)
    today = timezone.localdate()
    return render(
        request,
        "audits/programme_detail.html",
        {
            "programme": programme,
            "audits": [(a, a.timing(today)) for a in programme.audits.prefetch_related("sites", "team__auditor__user")],
            "concerns": selectors.stage1_concerns(programme),
            "is_manager": is_manager(request.user),
        },
    )


@login_required
def audit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    programme = audit.programme
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "plan":
            act(
                request,
                lambda: services.audit_plan(
                    actor=request.user,
                    audit=audit,
                    planned_start=parse_date(request.POST.get("planned_start")) or timezone.localdate(),
                    planned_end=parse_date(request.POST.get("planned_end")) or timezone.localdate(),
                    onsite_days=parse_decimal(request.POST.get("onsite_days")),
                    remote_days=parse_decimal(request.POST.get("remote_days"), Decimal(0)) or Decimal(0),
                    notes=request.POST.get("notes"),
                ),
                "Plan saved.",
            )
        elif action == "team":
            members = []
            for auditor in Auditor.objects.filter(certification_body_id=programme.certification_body_id):
                role = request.POST.get(f"role-{auditor.public_id}")
                if role:
                    members.append(services.Member(auditor, role))
            act(
                request,
                lambda: services.audit_team_assign(actor=request.user, audit=audit, members=members),
                "Team assigned.",
            )
        elif action == "start":
            act(request, lambda: services.audit_start(actor=request.user, audit=audit), "Audit started.")
        elif action == "complete":
            act(
                request,
                lambda: services.audit_complete(
                    actor=request.user, audit=audit, summary=request.POST.get("summary", "")
                ),
                "Audit completed.",
            )
        elif action == "finding":
            clauses = list(Clause.objects.filter(public_id__in=ids(request.POST.getlist("clauses"))))
            site = by_id(programme.organization.sites, request.POST.get("site"))
            act(
                request,
                lambda: services.finding_raise(
                    actor=request.user,
                    audit=audit,
                    grade=request.POST.get("grade", ""),
                    statement=request.POST.get("statement", ""),
                    evidence=request.POST.get("evidence", ""),
                    clauses=clauses,
                    site=site,
                ),
                "Finding raised.",
            )
        return redirect("audits:audit-detail", audit.public_id)
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "timing": audit.timing(timezone.localdate()),
            "team": audit.team.select_related("auditor__user"),
            "findings": audit.findings.prefetch_related("clauses__standard"),
            "auditors": Auditor.objects.filter(
                certification_body_id=programme.certification_body_id, active=True
            ).select_related("user"),
            "clauses": Clause.objects.filter(standard__in=programme.standards.all()).select_related("standard"),
            "sites": programme.organization.sites.all(),
            "grades": FindingGrade.choices,
            "roles": QualificationRole.choices,
            "is_manager": is_manager(request.user),
            "concerns": selectors.stage1_concerns(programme) if audit.kind == "stage2" else [],
        },
    )


@login_required
def finding_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The finding, with the client's respond form and the auditor's review and verification."""
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "respond":
            act(
                request,
                lambda: services.finding_respond(
                    actor=request.user,
                    finding=finding,
                    correction=request.POST.get("correction", ""),
                    root_cause=request.POST.get("root_cause", ""),
                    corrective_action=request.POST.get("corrective_action", ""),
                    planned_completion=parse_date(request.POST.get("planned_completion")),
                ),
                "Response submitted.",
            )
        elif action in ("accept", "reject"):
            response = by_id(finding.responses, request.POST.get("response"))
            if response is None:
                raise Http404
            act(
                request,
                lambda: services.finding_response_review(
                    actor=request.user,
                    response=response,
                    accept=action == "accept",
                    comment=request.POST.get("comment", ""),
                ),
                f"Response {action}ed.",
            )
        elif action == "attach":
            act(
                request,
                lambda: services.finding_attach(actor=request.user, finding=finding, file=request.FILES.get("file")),
                "File attached.",
            )
        elif action == "verify":
            act(
                request,
                lambda: services.finding_verify(
                    actor=request.user,
                    finding=finding,
                    method=request.POST.get("method", ""),
                    effective=request.POST.get("effective") == "yes",
                    notes=request.POST.get("notes", ""),
                ),
                "Verification recorded.",
            )
        return redirect("audits:finding-detail", finding.public_id)
    r = reach(request.user)
    max_bytes, extensions = attachment_limits()
    return render(
        request,
        "audits/finding_detail.html",
        {
            "finding": finding,
            "overdue": finding.response_overdue(timezone.localdate()),
            "is_client": finding.audit.programme.organization_id in r.organizations,
            "is_cb": finding.audit.programme.organization_id not in r.organizations,
            "methods": VerificationMethod.choices,
            "attachment_limit": size_label(max_bytes),
            "attachment_types": sorted(extensions),
        },
    )


@login_required
def finding_attachment(request: HttpRequest, public_id: str, attachment_id: str) -> FileResponse:
    """Download an attachment: only someone who may see the finding."""
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    attachment = by_id(finding.attachments.all(), attachment_id)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
