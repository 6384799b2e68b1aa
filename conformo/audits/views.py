"""Pages of the CB workflow: thin views that parse, call a service or selector, and render.

A refused action comes back to the same page with the service's reason as an error message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from conformo.accounts.models import User
from conformo.audits import selectors, services
from conformo.audits.choices import FindingGrade, QualificationRole, VerificationMethod
from conformo.audits.ical import auditor_calendar
from conformo.audits.models import Auditor
from conformo.audits.permissions import MANAGERS, reach
from conformo.core.errors import ApplicationError, ValidationFailed
from conformo.organizations.models import CertificationBody, Organization
from conformo.standards.models import Clause, Standard


def _act(request: HttpRequest, action: Callable[[], Any], success: str) -> Any:
    """Run a service; on refusal show its reason and return None."""
    try:
        result = action()
    except ApplicationError as exc:
        detail = (
            " ".join(m for ms in exc.fields.values() for m in ms)
            if exc.fields and exc.code == "validation_error"
            else ""
        )
        messages.error(request, f"{exc.message} {detail}".strip())
        return None
    messages.success(request, success)
    return result


def _by_id(queryset: Any, value: Any) -> Any:
    """The object of `queryset` with this public id, or None (also for a malformed id)."""
    try:
        return queryset.filter(public_id=UUID(str(value))).first() if value else None
    except ValueError:
        return None


def _ids(values: list[str]) -> list[UUID]:
    result = []
    for value in values:
        try:
            result.append(UUID(value))
        except ValueError:
            continue
    return result


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(f"{value!r} is not a date (YYYY-MM-DD).") from None


def _decimal(value: str | None, default: Decimal | None = None) -> Decimal | None:
    if not value:
        return default
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationFailed(f"{value!r} is not a number.") from None


def _is_manager(user: Any) -> bool:
    r = reach(user)
    return r.superuser or any(set(roles) & set(MANAGERS) for roles in r.roles_by_cb.values())


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
            "can_apply": bool(r.organizations) or _is_manager(request.user),
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    orgs = Organization.objects.visible_to(request.user)
    cbs = CertificationBody.objects.filter(clients__organization__in=orgs).distinct()
    if request.method == "POST":
        org = _by_id(orgs, request.POST.get("organization"))
        cb = _by_id(cbs, request.POST.get("certification_body"))
        if org is None or cb is None:
            messages.error(request, "Choose the organization and the certification body.")
        else:
            application = _act(
                request,
                lambda: services.application_submit(
                    actor=request.user,
                    certification_body=cb,
                    organization=org,
                    standards=list(Standard.objects.filter(code__in=request.POST.getlist("standards"))),
                    scope=request.POST.get("scope", ""),
                    sites=list(org.sites.filter(public_id__in=_ids(request.POST.getlist("sites")))),
                    sector_codes=[
                        int(c) for c in request.POST.get("sector_codes", "").replace(",", " ").split() if c.isdigit()
                    ],
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
            _act(
                request,
                lambda: services.application_review(actor=request.user, application=application),
                "Review recorded.",
            )
        elif action == "accept":
            programme = _act(
                request,
                lambda: services.application_accept(actor=request.user, application=application),
                "Accepted: the 3-year programme is created.",
            )
            if programme:
                return redirect("audits:programme-detail", programme.public_id)
        elif action == "decline":
            _act(
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
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
def programme_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, public_id=public_id)
    if request.method == "POST":
        if request.POST.get("action") == "combine":
            _act(
                request,
                lambda: services.programme_record_combined_audit(
                    actor=request.user, programme=programme, justification=request.POST.get("justification", "")
                ),
                "Combined audit recorded.",
            )
        elif request.POST.get("action") == "special":
            _act(
                request,
                lambda: services.special_audit_create(
                    actor=request.user,
                    programme=programme,
                    purpose=request.POST.get("purpose", ""),
                    due_by=_date(request.POST.get("due_by")),
                    days=_decimal(request.POST.get("days"), Decimal(1)) or Decimal(1),
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
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
def audit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    audit = selectors.audit_get(user=request.user, public_id=public_id)
    programme = audit.programme
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "plan":
            _act(
                request,
                lambda: services.audit_plan(
                    actor=request.user,
                    audit=audit,
                    planned_start=_date(request.POST.get("planned_start")) or timezone.localdate(),
                    planned_end=_date(request.POST.get("planned_end")) or timezone.localdate(),
                    onsite_days=_decimal(request.POST.get("onsite_days")),
                    remote_days=_decimal(request.POST.get("remote_days"), Decimal(0)) or Decimal(0),
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
            _act(
                request,
                lambda: services.audit_team_assign(actor=request.user, audit=audit, members=members),
                "Team assigned.",
            )
        elif action == "start":
            _act(request, lambda: services.audit_start(actor=request.user, audit=audit), "Audit started.")
        elif action == "complete":
            _act(
                request,
                lambda: services.audit_complete(
                    actor=request.user, audit=audit, summary=request.POST.get("summary", "")
                ),
                "Audit completed.",
            )
        elif action == "finding":
            clauses = list(Clause.objects.filter(public_id__in=_ids(request.POST.getlist("clauses"))))
            site = _by_id(programme.organization.sites, request.POST.get("site"))
            _act(
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
            "is_manager": _is_manager(request.user),
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
            _act(
                request,
                lambda: services.finding_respond(
                    actor=request.user,
                    finding=finding,
                    correction=request.POST.get("correction", ""),
                    root_cause=request.POST.get("root_cause", ""),
                    corrective_action=request.POST.get("corrective_action", ""),
                    planned_completion=_date(request.POST.get("planned_completion")),
                ),
                "Response submitted.",
            )
        elif action in ("accept", "reject"):
            response = _by_id(finding.responses, request.POST.get("response"))
            if response is None:
                raise Http404
            _act(
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
            _act(
                request,
                lambda: services.finding_attach(actor=request.user, finding=finding, file=request.FILES.get("file")),
                "File attached.",
            )
        elif action == "verify":
            _act(
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
    return render(
        request,
        "audits/finding_detail.html",
        {
            "finding": finding,
            "overdue": finding.response_overdue(timezone.localdate()),
            "is_client": finding.audit.programme.organization_id in r.organizations,
            "is_cb": finding.audit.programme.organization_id not in r.organizations,
            "methods": VerificationMethod.choices,
        },
    )


@login_required
def auditor_list(request: HttpRequest) -> HttpResponse:
    auditors = selectors.auditor_list(user=request.user).prefetch_related("conflicts__organization")
    if request.method == "POST":
        auditor = _by_id(auditors, request.POST.get("auditor"))
        if request.POST.get("action") == "register":
            cb = CertificationBody.objects.filter(memberships__user_id=getattr(request.user, "pk", 0)).first()
            user = User.objects.filter(
                email__iexact=request.POST.get("email", ""), memberships__certification_body=cb
            ).first()
            if cb is None or user is None:
                messages.error(request, "No member of your CB has that address.")
            else:
                _act(
                    request,
                    lambda: services.auditor_register(actor=request.user, certification_body=cb, user=user),
                    "Auditor registered.",
                )
        elif auditor is not None and request.POST.get("action") == "qualify":
            standard = Standard.objects.filter(code=request.POST.get("standard")).first()
            if standard is None:
                messages.error(request, "Choose a standard.")
            else:
                _act(
                    request,
                    lambda: services.qualification_add(
                        actor=request.user,
                        auditor=auditor,
                        standard=standard,
                        sector_codes=[
                            int(c)
                            for c in request.POST.get("sector_codes", "").replace(",", " ").split()
                            if c.isdigit()
                        ],
                        role=request.POST.get("role", "auditor"),
                        valid_from=_date(request.POST.get("valid_from")) or timezone.localdate(),
                        valid_until=_date(request.POST.get("valid_until")),
                    ),
                    "Qualification recorded.",
                )
        return redirect("audits:auditors")
    return render(
        request,
        "audits/auditors.html",
        {
            "auditors": auditors,
            "standards": Standard.objects.filter(is_harmonized_structure=False),
            "roles": QualificationRole.choices,
            "is_manager": _is_manager(request.user),
            "base_url": request.build_absolute_uri("/")[:-1],
        },
    )


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    start = _date(request.GET.get("start")) or timezone.localdate()
    end = start + timedelta(days=int(request.GET.get("days", "90")) if request.GET.get("days", "").isdigit() else 90)
    today = timezone.localdate()
    audits = selectors.schedule(user=request.user, start=start, end=end)
    return render(
        request,
        "audits/schedule.html",
        {
            "audits": [(a, a.timing(today)) for a in audits],
            "start": start,
            "end": end,
        },
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The auditor's iCalendar feed, addressed by the secret token that calendar apps subscribe to."""
    auditor = Auditor.objects.filter(calendar_token=token, active=True).first()
    if auditor is None:
        raise Http404
    response = HttpResponse(auditor_calendar(auditor), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="audits.ics"'
    return response


@login_required
def complaints(request: HttpRequest) -> HttpResponse:
    items = selectors.complaint_list(user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "receive":
            cb = (
                CertificationBody.objects.filter(memberships__user_id=getattr(request.user, "pk", 0)).first()
                or CertificationBody.objects.filter(
                    clients__organization__in=Organization.objects.visible_to(request.user)
                ).first()
            )
            org = _by_id(Organization.objects.visible_to(request.user), request.POST.get("organization"))
            if cb is None:
                messages.error(request, "No certification body to complain to.")
            else:
                _act(
                    request,
                    lambda: services.complaint_receive(
                        actor=request.user,
                        certification_body=cb,
                        organization=org,
                        complainant=request.POST.get("complainant", "") or str(request.user),
                        subject=request.POST.get("subject", ""),
                        description=request.POST.get("description", ""),
                    ),
                    "Complaint registered.",
                )
        else:
            complaint = _by_id(items, request.POST.get("complaint"))
            if complaint is None:
                raise Http404
            if action == "assign":
                handler = User.objects.filter(email__iexact=request.POST.get("handler", "")).first()
                if handler is None:
                    messages.error(request, "No user has that address.")
                else:
                    _act(
                        request,
                        lambda: services.complaint_assign(actor=request.user, complaint=complaint, handler=handler),
                        "Handler assigned.",
                    )
            elif action == "advance":
                _act(
                    request,
                    lambda: services.complaint_advance(
                        actor=request.user,
                        complaint=complaint,
                        status=request.POST.get("status", ""),
                        outcome=request.POST.get("outcome", ""),
                    ),
                    "Complaint updated.",
                )
        return redirect("audits:complaints")
    return render(
        request,
        "audits/complaints.html",
        {
            "complaints": items,
            "organizations": Organization.objects.visible_to(request.user),
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    from conformo.certification.selectors import decision_list

    items = selectors.appeal_list(user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "lodge":
            decision = _by_id(decision_list(user=request.user), request.POST.get("decision"))
            if decision is None:
                messages.error(request, "Choose the decision you appeal against.")
            else:
                _act(
                    request,
                    lambda: services.appeal_lodge(
                        actor=request.user,
                        decision=decision,
                        subject=request.POST.get("subject", ""),
                        grounds=request.POST.get("grounds", ""),
                    ),
                    "Appeal lodged.",
                )
        else:
            appeal = _by_id(items, request.POST.get("appeal"))
            if appeal is None:
                raise Http404
            if action == "assign":
                handler = User.objects.filter(email__iexact=request.POST.get("handler", "")).first()
                if handler is None:
                    messages.error(request, "No user has that address.")
                else:
                    _act(
                        request,
                        lambda: services.appeal_assign(actor=request.user, appeal=appeal, handler=handler),
                        "Handler assigned.",
                    )
            elif action == "decide":
                _act(
                    request,
                    lambda: services.appeal_decide(
                        actor=request.user,
                        appeal=appeal,
                        upheld=request.POST.get("upheld") == "yes",
                        outcome=request.POST.get("outcome", ""),
                    ),
                    "Appeal decided.",
                )
        return redirect("audits:appeals")
    return render(
        request,
        "audits/appeals.html",
        {
            "appeals": items,
            "decisions": decision_list(user=request.user)[:100],
            "is_manager": _is_manager(request.user),
        },
    )


@login_required
def finding_attachment(request: HttpRequest, public_id: str, attachment_id: str) -> FileResponse:
    """Download an attachment: only someone who may see the finding."""
    finding = selectors.finding_get(user=request.user, public_id=public_id)
    attachment = _by_id(finding.attachments.all(), attachment_id)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
