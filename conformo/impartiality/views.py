"""Pages of the impartiality mechanism (ISO/IEC 17021-1 5.2): the register of threats with the review interval,
one threat with its reviews, related bodies and their relationships with clients, the committee and its
meetings. The CB's office reads them; the CB administrator writes (links and forms shown to them only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits.views.setup import current_cb, with_cb
from conformo.core.errors import NotFound
from conformo.core.forms import handle, posted
from conformo.core.roles import CB_WIDE_ROLES, Role
from conformo.core.tenancy import MANAGERS, has_cb_role
from conformo.impartiality import selectors, services
from conformo.impartiality.choices import ThreatStatus
from conformo.impartiality.forms import (
    MeetingForm,
    MemberForm,
    ReassessForm,
    RelatedBodyForm,
    RelationshipForm,
    RetireForm,
    ReviewForm,
    SettingsForm,
    ThreatForm,
)
from conformo.impartiality.models import Threat
from conformo.organizations.models import CertificationBody, Organization
from conformo.organizations.tenancy import cbs_of

ADMIN = Role.CB_ADMIN.value


def office_cb(request: HttpRequest) -> CertificationBody:
    """The CB the page is about, for a member of its office (auditors: 404)."""
    cb = current_cb(request)
    if not has_cb_role(request.user, cb.pk, *CB_WIDE_ROLES):
        raise NotFound("These pages are for the office of a certification body.")
    return cb


def _is_admin(request: HttpRequest, cb_id: int) -> bool:
    return has_cb_role(request.user, cb_id, ADMIN)


def _register_page(request: HttpRequest, cb: CertificationBody, status: int = 200, **bound: Any) -> HttpResponse:
    settings = services.settings_get(cb)
    return render(
        request,
        "impartiality/register.html",
        {
            "cb": cb,
            "cbs": cbs_of(request.user, *CB_WIDE_ROLES),
            "threats": selectors.threat_list(user=request.user, cb=cb),
            "settings": settings,
            "today": timezone.localdate(),
            "can_edit": _is_admin(request, cb.pk),
            "settings_form": bound.get("settings_form")
            or SettingsForm(initial={"review_months": settings.review_months}),
        },
        status=status,
    )


@login_required
@require_safe
def register(request: HttpRequest) -> HttpResponse:
    """The register of threats to impartiality, the next review due first, with the review interval."""
    return _register_page(request, office_cb(request))


@login_required
@require_http_methods(["GET", "POST"])
def settings_update(request: HttpRequest) -> HttpResponse:
    """Set how often each threat is reviewed (the CB administrator)."""
    cb = office_cb(request)
    form = SettingsForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.settings_update(actor=request.user, certification_body=cb, **data),
        success="Review interval saved.",
        done=with_cb("impartiality:register", cb),
        page=lambda status: _register_page(request, cb, status, settings_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def threat_create(request: HttpRequest) -> HttpResponse:
    """Put a threat on the register (the CB administrator)."""
    cb = office_cb(request)
    form = ThreatForm(posted(request), related_bodies=selectors.related_body_list(user=request.user, cb=cb))
    return handle(
        request,
        form,
        lambda data: services.threat_create(actor=request.user, certification_body=cb, owner=request.user, **data),
        success="Threat added to the register.",
        done=lambda threat: reverse("impartiality:threat-detail", args=[threat.public_id]),
        page=lambda status: render(request, "impartiality/threat_form.html", {"cb": cb, "form": form}, status=status),
    )


def _threat_page(request: HttpRequest, threat: Threat, status: int = 200, **bound: Any) -> HttpResponse:
    return render(
        request,
        "impartiality/threat_detail.html",
        {
            "threat": threat,
            "cb": threat.certification_body,
            "today": timezone.localdate(),
            "can_edit": _is_admin(request, threat.certification_body_id) and threat.status == ThreatStatus.OPEN,
            "review_form": bound.get("review_form")
            or ReviewForm(prefix="review", initial={"reviewed_on": timezone.localdate()}),
            "retire_form": bound.get("retire_form") or RetireForm(prefix="retire"),
            "reassess_form": bound.get("reassess_form")
            or ReassessForm(
                prefix="assess",
                initial={
                    "description": threat.description,
                    "likelihood": threat.likelihood,
                    "severity": threat.severity,
                    "controls": threat.controls,
                },
            ),
        },
        status=status,
    )


@login_required
@require_safe
def threat_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One threat: its assessment, controls, owner, next review and its review history."""
    return _threat_page(request, selectors.threat_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "POST"])
def threat_review(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a review of the threat (the CB administrator)."""
    threat = selectors.threat_get(user=request.user, public_id=public_id)
    form = ReviewForm(posted(request), prefix="review")
    return handle(
        request,
        form,
        lambda data: services.threat_review(actor=request.user, threat=threat, **data),
        success="Review recorded.",
        done=reverse("impartiality:threat-detail", args=[threat.public_id]),
        page=lambda status: _threat_page(request, threat, status, review_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def threat_reassess(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change the threat's assessment and controls (the CB administrator)."""
    threat = selectors.threat_get(user=request.user, public_id=public_id)
    form = ReassessForm(posted(request), prefix="assess")
    return handle(
        request,
        form,
        lambda data: services.threat_reassess(actor=request.user, threat=threat, **data),
        success="Assessment changed.",
        done=reverse("impartiality:threat-detail", args=[threat.public_id]),
        page=lambda status: _threat_page(request, threat, status, reassess_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def threat_retire(request: HttpRequest, public_id: str) -> HttpResponse:
    """Take the threat off the open register (the CB administrator)."""
    threat = selectors.threat_get(user=request.user, public_id=public_id)
    form = RetireForm(posted(request), prefix="retire")
    return handle(
        request,
        form,
        lambda data: services.threat_retire(actor=request.user, threat=threat, **data),
        success="Threat retired.",
        done=reverse("impartiality:threat-detail", args=[threat.public_id]),
        page=lambda status: _threat_page(request, threat, status, retire_form=form),
    )


def _clients(cb: CertificationBody) -> Any:
    return Organization.objects.filter(client_relationships__certification_body=cb).order_by("legal_name")


def _related_page(request: HttpRequest, cb: CertificationBody, status: int = 200, **bound: Any) -> HttpResponse:
    return render(
        request,
        "impartiality/related_bodies.html",
        {
            "cb": cb,
            "bodies": selectors.related_body_list(user=request.user, cb=cb),
            "can_edit": _is_admin(request, cb.pk),
            "can_declare": has_cb_role(request.user, cb.pk, *MANAGERS),
            "form": bound.get("form") or RelatedBodyForm(prefix="body"),
        },
        status=status,
    )


@login_required
@require_safe
def related_bodies(request: HttpRequest) -> HttpResponse:
    """The bodies related to the CB, the services they offer and their relationships with clients."""
    return _related_page(request, office_cb(request))


@login_required
@require_http_methods(["GET", "POST"])
def related_body_create(request: HttpRequest) -> HttpResponse:
    cb = office_cb(request)
    form = RelatedBodyForm(posted(request), prefix="body")
    return handle(
        request,
        form,
        lambda data: services.related_body_create(actor=request.user, certification_body=cb, **data),
        success="Related body recorded.",
        done=with_cb("impartiality:related-bodies", cb),
        page=lambda status: _related_page(request, cb, status, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_declare(request: HttpRequest, public_id: str) -> HttpResponse:
    """Declare the related body's relationship with a client (a CB administrator or programme manager)."""
    body = selectors.related_body_get(user=request.user, public_id=public_id)
    cb = body.certification_body
    form = RelationshipForm(posted(request), prefix="rel", clients=_clients(cb))
    return handle(
        request,
        form,
        lambda data: services.related_body_relationship_declare(actor=request.user, related_body=body, **data),
        success="Relationship declared; the cooling-off check reads it.",
        done=with_cb("impartiality:related-bodies", cb),
        page=lambda status: render(
            request, "impartiality/relationship_form.html", {"cb": cb, "body": body, "form": form}, status=status
        ),
    )


def _meeting_form(request: HttpRequest, cb: CertificationBody) -> MeetingForm:
    return MeetingForm(
        posted(request),
        members=selectors.committee_members(user=request.user, cb=cb),
        threats=selectors.threat_list(user=request.user, cb=cb).filter(status=ThreatStatus.OPEN),
        initial={"held_on": timezone.localdate()},
    )


def _committee_page(request: HttpRequest, cb: CertificationBody, status: int = 200, **bound: Any) -> HttpResponse:
    return render(
        request,
        "impartiality/committee.html",
        {
            "cb": cb,
            "members": selectors.committee_members(user=request.user, cb=cb),
            "meetings": selectors.meetings(user=request.user, cb=cb),
            "can_edit": _is_admin(request, cb.pk),
            "member_form": bound.get("member_form") or MemberForm(prefix="member"),
        },
        status=status,
    )


@login_required
@require_safe
def committee(request: HttpRequest) -> HttpResponse:
    """The impartiality committee: its members and meetings with the threats each reviewed."""
    return _committee_page(request, office_cb(request))


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest) -> HttpResponse:
    cb = office_cb(request)
    form = MemberForm(posted(request), prefix="member")
    return handle(
        request,
        form,
        lambda data: services.committee_member_add(actor=request.user, certification_body=cb, **data),
        success="Member added.",
        done=with_cb("impartiality:committee", cb),
        page=lambda status: _committee_page(request, cb, status, member_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest) -> HttpResponse:
    """Record a committee meeting and the threats it reviewed (the CB administrator)."""
    cb = office_cb(request)
    form = _meeting_form(request, cb)
    return handle(
        request,
        form,
        lambda data: services.meeting_record(actor=request.user, certification_body=cb, **data),
        success="Meeting recorded.",
        done=with_cb("impartiality:committee", cb),
        page=lambda status: render(request, "impartiality/meeting_form.html", {"cb": cb, "form": form}, status=status),
    )
