"""Pages of the certification agreement (ISO/IEC 17021-1 5.1.2): the CB's versions (list, write a draft, change
it, publish it: the CB administrator; the CB-wide staff read them), and the application page's agreement actions
(the client's acceptance, the CB's record of a signed copy and of its reason to sign at stage 1, the signed copy's
download)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from conformo.accounts.throttling import client_address
from conformo.audits import forms, selectors, services
from conformo.audits.services.agreements import TEMPLATE_FIELDS
from conformo.audits.views.common import CB_ADMIN
from conformo.audits.views.setup import current_cb
from conformo.audits.views.workflow import _application_page
from conformo.core.errors import NotFound
from conformo.core.forms import handle, posted
from conformo.core.tenancy import has_cb_role
from conformo.organizations.tenancy import cbs_of


@login_required
@require_safe
def agreement_templates(request: HttpRequest) -> HttpResponse:
    """The CB's agreement versions, newest first; the current one marked."""
    cb = current_cb(request)
    templates = selectors.agreement_template_list(user=request.user).filter(certification_body=cb)
    current = selectors.current_agreement_template(cb)
    return render(
        request,
        "audits/agreement_templates.html",
        {
            "cb": cb,
            "cbs": cbs_of(request.user),
            "templates": templates,
            "current": current,
            "can_edit": has_cb_role(request.user, cb.pk, CB_ADMIN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_template_create(request: HttpRequest) -> HttpResponse:
    """Write a draft of the next version, starting from the current version's texts."""
    cb = current_cb(request)
    current = selectors.current_agreement_template(cb)
    initial = {name: getattr(current, name) for name in TEMPLATE_FIELDS} if current else {}
    form = forms.AgreementTemplateForm(posted(request), initial=initial)
    return handle(
        request,
        form,
        lambda data: services.agreement_template_create(actor=request.user, certification_body=cb, **data),
        success="Draft saved.",
        done=lambda template: reverse("audits:agreement-template-detail", args=[template.public_id]),
        page=lambda status: render(
            request, "audits/agreement_template_form.html", {"form": form, "cb": cb}, status=status
        ),
    )


def _template_page(request: HttpRequest, template: Any, status: int = 200, **bound: Any) -> HttpResponse:
    can_edit = has_cb_role(request.user, template.certification_body_id, CB_ADMIN)
    initial = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
    return render(
        request,
        "audits/agreement_template_detail.html",
        {
            "template": template,
            "current": selectors.current_agreement_template(template.certification_body_id),
            "can_edit": can_edit and not template.is_published,
            "edit_form": bound.get("edit_form") or forms.AgreementTemplateForm(initial=initial),
            "publish_form": bound.get("publish_form") or forms.EmptyForm(),
        },
        status=status,
    )


@login_required
@require_safe
def agreement_template_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _template_page(request, selectors.agreement_template_get(user=request.user, public_id=public_id))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_template_update(request: HttpRequest, public_id: str) -> HttpResponse:
    template = selectors.agreement_template_get(user=request.user, public_id=public_id)
    form = forms.AgreementTemplateForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.agreement_template_update(actor=request.user, template=template, **data),
        success="Draft saved.",
        done=reverse("audits:agreement-template-detail", args=[template.public_id]),
        page=lambda status: _template_page(request, template, status, edit_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_template_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    template = selectors.agreement_template_get(user=request.user, public_id=public_id)
    form = forms.EmptyForm(posted(request))
    return handle(
        request,
        form,
        lambda _: services.agreement_template_publish(actor=request.user, template=template),
        success=f"Version {template.version} published: it is now the current agreement.",
        done=reverse("audits:agreement-template-detail", args=[template.public_id]),
        page=lambda status: _template_page(request, template, status, publish_form=form),
    )


# --- an application's agreement ----------------------------------------------------------------------------


def _application_action(
    request: HttpRequest, public_id: str, key: str, form: Any, call: Any, success: str
) -> HttpResponse:
    application = selectors.application_get(user=request.user, public_id=public_id)
    return handle(
        request,
        form,
        lambda data: call(application, data),
        success=success,
        done=reverse("audits:application-detail", args=[application.public_id]) + "#agreement",
        page=lambda status: _application_page(request, application, status, **{key: form}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client's administrator accepts the version shown, on behalf of the organization."""
    application = selectors.application_get(user=request.user, public_id=public_id)
    form = forms.AgreementAcceptForm(posted(request), organization=application.organization)
    return _application_action(
        request,
        public_id,
        "accept_form",
        form,
        lambda application, data: services.agreement_accept(
            actor=request.user,
            application=application,
            version=data["version"],
            ip_address=client_address(request),
        ),
        "Agreement accepted.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_record(request: HttpRequest, public_id: str) -> HttpResponse:
    """The CB's office records a signed copy (upload)."""
    application = selectors.application_get(user=request.user, public_id=public_id)
    versions = selectors.published_agreement_templates(application.certification_body_id)
    data = posted(request)
    form = forms.AgreementRecordForm(data, request.FILES if data is not None else None, versions=versions)
    return _application_action(
        request,
        public_id,
        "record_form",
        form,
        lambda application, values: services.agreement_record(
            actor=request.user, application=application, ip_address=client_address(request), **values
        ),
        "Signed agreement recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_stage1(request: HttpRequest, public_id: str) -> HttpResponse:
    """The CB's office records why the agreement is signed at stage 1 (when its settings allow it)."""
    return _application_action(
        request,
        public_id,
        "stage1_form",
        forms.AgreementStage1Form(posted(request)),
        lambda application, data: services.agreement_stage1_record(actor=request.user, application=application, **data),
        "Recorded: the agreement is signed at stage 1.",
    )


@login_required
@require_safe
def agreement_file(request: HttpRequest, public_id: str, agreement_id: str) -> FileResponse:
    """The signed copy of an acceptance, for whoever reads the application."""
    application = selectors.application_get(user=request.user, public_id=public_id)
    agreement = selectors.agreement_get(application=application, public_id=agreement_id)
    if not agreement.signed_copy:
        raise NotFound("This acceptance has no signed copy.")
    return FileResponse(agreement.signed_copy.open("rb"), as_attachment=True, filename=agreement.signed_copy_name)
