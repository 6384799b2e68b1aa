"""The certification agreement (ISO/IEC 17021-1 5.1.2, 8.3, 9.6.5): the CB's versioned templates, the client's
acceptance in Conformo or the CB's record of a signed copy, and the stage-1 exception.

- A CB administrator writes drafts and publishes them; a published version never changes. The CB's current
  agreement is its latest published version (`selectors.current_agreement_template`).
- The client's administrator accepts the current version for an application "on behalf of" the organization:
  who, when, which version and from which address are recorded and logged.
- The CB's office (administrator, programme manager) records a signed copy instead (an upload, with the date on
  it) of any published version.
- Stage 1 starts only once an agreement is accepted (`stage1_agreement_refusal`, checked by `audit_start`),
  unless the CB's settings allow it to be signed at stage 1 and the CB has recorded why
  (`agreement_stage1_record`).
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from conformo.audits.choices import AgreementMethod, AgreementTemplateStatus, ApplicationStatus
from conformo.audits.models import Agreement, AgreementTemplate, Application
from conformo.audits.selectors import accepted_agreement, application_agreements, current_agreement_template
from conformo.audits.services.common import check_upload
from conformo.audits.services.setup import cb_settings_get
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record, snapshot
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import MANAGERS, has_cb_role, has_org_role, require_cb_role
from conformo.domain.agreement import stage1_agreement_refusal
from conformo.organizations.models import CertificationBody

TEMPLATE_FIELDS = ["title", "body", "mark_rules", "suspension_duties"]
TEMPLATE_LIMITS = {"title": 200, "body": 100_000, "mark_rules": 20_000, "suspension_duties": 20_000}
MAX_VERSION = 1_000_000
"""Versions number from 1; a larger number names none (and is never sent to the database)."""
SIGNED_COPY_EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".jpeg"})
"""A signed copy is a scan or a signed PDF (within the attachment size limit of `attachment_limits`)."""


def _log_template(actor: Actor, action: str, template: AgreementTemplate, **kwargs: Any) -> None:
    audit_log_record(
        actor=actor, action=action, obj=template, certification_body_id=template.certification_body_id, **kwargs
    )


def _log_application(actor: Actor, action: str, obj: Any, application: Application, **kwargs: Any) -> None:
    audit_log_record(
        actor=actor,
        action=action,
        obj=obj,
        certification_body_id=application.certification_body_id,
        organization_id=application.organization_id,
        **kwargs,
    )


def _texts(values: dict[str, str]) -> dict[str, str]:
    """The template's texts, trimmed; each required and within its length."""
    texts = {name: str(values.get(name) or "").strip() for name in TEMPLATE_FIELDS}
    errors = {name: ["Required."] for name, text in texts.items() if not text}
    errors |= {
        name: [f"At most {TEMPLATE_LIMITS[name]} characters."]
        for name, text in texts.items()
        if len(text) > TEMPLATE_LIMITS[name]
    }
    if errors:
        raise ValidationFailed(
            "Give the agreement a title, its text, the rules for marks and the duties.", fields=errors
        )
    return texts


@transaction.atomic
def agreement_template_create(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    title: str,
    body: str,
    mark_rules: str,
    suspension_duties: str,
) -> AgreementTemplate:
    """Write a draft of the next version of the CB's agreement (CB administrators)."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="write the certification agreement")
    texts = _texts({"title": title, "body": body, "mark_rules": mark_rules, "suspension_duties": suspension_duties})
    # One writer at a time numbers the versions: lock the CB's row.
    CertificationBody.objects.select_for_update().filter(pk=certification_body.pk).first()
    last = AgreementTemplate.objects.filter(certification_body=certification_body).aggregate(v=Max("version"))["v"]
    template = AgreementTemplate.objects.create(certification_body=certification_body, version=(last or 0) + 1, **texts)
    _log_template(actor, "agreement_template.create", template, after={"version": template.version, **texts})
    return template


@transaction.atomic
def agreement_template_update(
    *, actor: Actor, template: AgreementTemplate, title: str, body: str, mark_rules: str, suspension_duties: str
) -> AgreementTemplate:
    """Change a draft (CB administrators). A published version never changes: write a new version instead."""
    require_cb_role(actor, template.certification_body_id, "cb_admin", action="change the certification agreement")
    template = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_published:
        raise Conflict(
            f"Version {template.version} is published and cannot change; write a new version instead.",
            code="agreement_template_published",
        )
    texts = _texts({"title": title, "body": body, "mark_rules": mark_rules, "suspension_duties": suspension_duties})
    before = snapshot(template, TEMPLATE_FIELDS)
    for name, value in texts.items():
        setattr(template, name, value)
    template.save(update_fields=[*TEMPLATE_FIELDS, "updated_at"])
    _log_template(actor, "agreement_template.update", template, before=before, after=texts)
    return template


@transaction.atomic
def agreement_template_publish(*, actor: Actor, template: AgreementTemplate) -> AgreementTemplate:
    """Publish a draft (CB administrators): it becomes the CB's current agreement, and stays as it is."""
    require_cb_role(actor, template.certification_body_id, "cb_admin", action="publish the certification agreement")
    template = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_published:
        raise Conflict(f"Version {template.version} is already published.", code="agreement_template_published")
    newer = AgreementTemplate.objects.filter(
        certification_body_id=template.certification_body_id,
        status=AgreementTemplateStatus.PUBLISHED,
        version__gt=template.version,
    ).first()
    if newer is not None:
        raise Conflict(
            f"Version {newer.version} is already published; a draft older than it cannot become current.",
            code="agreement_template_outdated",
        )
    template.status = AgreementTemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    template.published_by = acting_user(actor)
    template.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    _log_template(
        actor,
        "agreement_template.publish",
        template,
        before={"status": AgreementTemplateStatus.DRAFT},
        after={"status": template.status, "version": template.version},
    )
    return template


def _open_application(application: Application) -> None:
    if application.status == ApplicationStatus.DECLINED:
        raise Conflict("The application is declined; there is no agreement to accept.", code="application_declined")


def _facts(agreement: Agreement) -> dict[str, Any]:
    return {
        "version": agreement.template.version,
        "method": agreement.method,
        "accepted_at": agreement.accepted_at,
        "ip_address": agreement.ip_address,
        "signed_on": agreement.signed_on,
        "signed_copy": agreement.signed_copy_name,
    }


def _already(application: Application, template: AgreementTemplate) -> None:
    if Agreement.objects.filter(application=application, template=template).exists():
        raise Conflict(
            f"Version {template.version} of the agreement is already accepted for this application.",
            code="agreement_already_accepted",
        )


@transaction.atomic
def agreement_accept(
    *, actor: Actor, application: Application, version: int, ip_address: str | None = None
) -> Agreement:
    """The client's administrator accepts, on behalf of the organization, the CB's current agreement — the
    `version` they were shown (a newer version published meanwhile is refused, to be read first)."""
    if not has_org_role(actor, application.organization_id, "client_admin"):
        raise PermissionDenied(
            "Only the client's administrator can accept the agreement on behalf of the organization."
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    _open_application(application)
    template = current_agreement_template(application.certification_body)
    if template is None:
        raise Conflict(
            "The certification body has not published its certification agreement yet.", code="agreement_unpublished"
        )
    if template.version != version:
        raise Conflict(
            f"The current agreement is version {template.version}, not {version}; read it before accepting.",
            code="agreement_version_changed",
            fields={"version": [f"The current version is {template.version}."]},
        )
    _already(application, template)
    agreement = Agreement.objects.create(
        application=application,
        template=template,
        method=AgreementMethod.IN_APP,
        accepted_by=acting_user(actor),
        accepted_at=timezone.now(),
        ip_address=ip_address or None,
    )
    _log_application(actor, "agreement.accept", agreement, application, after=_facts(agreement))
    return agreement


@transaction.atomic
def agreement_record(
    *,
    actor: Actor,
    application: Application,
    file: Any,
    signed_on: date,
    version: int | None = None,
    ip_address: str | None = None,
) -> Agreement:
    """The CB's office records a copy of the agreement signed by the client: the file (a scan or signed PDF),
    the date on it and the published `version` signed (the current one when not given)."""
    if not has_cb_role(actor, application.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can record a signed agreement.")
    application = Application.objects.select_for_update().get(pk=application.pk)
    _open_application(application)
    if version is None:
        template = current_agreement_template(application.certification_body)
        if template is None:
            raise Conflict(
                "The certification body has not published its certification agreement yet.",
                code="agreement_unpublished",
            )
    else:
        template = None
        if 1 <= version <= MAX_VERSION:
            template = AgreementTemplate.objects.filter(
                certification_body_id=application.certification_body_id,
                version=version,
                status=AgreementTemplateStatus.PUBLISHED,
            ).first()
        if template is None:
            raise ValidationFailed(
                f"Version {version} is not a published version of the agreement.",
                fields={"version": ["Not a published version."]},
            )
    if signed_on > timezone.localdate():
        raise ValidationFailed("The signature date cannot be in the future.", fields={"signed_on": ["In the future."]})
    check_upload(file, only=SIGNED_COPY_EXTENSIONS)
    _already(application, template)
    agreement = Agreement.objects.create(
        application=application,
        template=template,
        method=AgreementMethod.SIGNED_PAPER,
        recorded_by=acting_user(actor),
        accepted_at=timezone.now(),
        signed_on=signed_on,
        signed_copy=file,
        signed_copy_name=PurePath(file.name or "signed-agreement").name[:200],
        ip_address=ip_address or None,
    )
    _log_application(actor, "agreement.record", agreement, application, after=_facts(agreement))
    return agreement


@transaction.atomic
def agreement_stage1_record(*, actor: Actor, application: Application, reason: str) -> Application:
    """Record why the agreement will be signed at stage 1, so that stage 1 may start before it is (only when the
    CB's settings allow it: `CBSettings.allow_agreement_at_stage1`)."""
    if not has_cb_role(actor, application.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can record this.")
    application = Application.objects.select_for_update().get(pk=application.pk)
    _open_application(application)
    if not cb_settings_get(application.certification_body).allow_agreement_at_stage1:
        raise Conflict(
            "The CB's settings require the agreement before stage 1; it cannot be left to stage 1.",
            code="agreement_at_stage1_not_allowed",
        )
    if accepted_agreement(application) is not None:
        raise Conflict("The agreement is already accepted.", code="agreement_already_accepted")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Say why the agreement is signed at stage 1.", fields={"reason": ["Required."]})
    before = {"agreement_stage1_reason": application.agreement_stage1_reason}
    application.agreement_stage1_reason = reason[:2000]
    application.agreement_stage1_by = acting_user(actor)
    application.agreement_stage1_at = timezone.now()
    application.save(
        update_fields=["agreement_stage1_reason", "agreement_stage1_by", "agreement_stage1_at", "updated_at"]
    )
    _log_application(
        actor,
        "agreement.stage1_exception",
        application,
        application,
        before=before,
        after={"agreement_stage1_reason": application.agreement_stage1_reason},
    )
    return application


def stage1_agreement_block(application: Application | None) -> str | None:
    """Why stage 1 of this application's programme cannot start for want of an agreement (None when it can).
    A programme without an application (made before applications were recorded) is not held."""
    if application is None:
        return None
    return stage1_agreement_refusal(
        accepted=accepted_agreement(application) is not None,
        deferral_allowed=cb_settings_get(application.certification_body).allow_agreement_at_stage1,
        deferral_reason=application.agreement_stage1_reason,
    )


def agreement_overview(application: Application) -> dict[str, Any]:
    """What the application page and `GET /applications/{id}/agreement` show: the CB's current agreement, the
    acceptances (latest first), the stage-1 exception and why stage 1 is held, if it is."""
    acceptances = application_agreements(application)
    exception = None
    if application.agreement_stage1_reason:
        by = application.agreement_stage1_by
        exception = {
            "reason": application.agreement_stage1_reason,
            "recorded_by": by.email if by else None,
            "recorded_at": application.agreement_stage1_at,
        }
    return {
        "current": current_agreement_template(application.certification_body),
        "accepted": acceptances[0] if acceptances else None,
        "acceptances": acceptances,
        "stage1_exception": exception,
        "stage1_blocked": stage1_agreement_block(application),
        "allow_at_stage1": cb_settings_get(application.certification_body).allow_agreement_at_stage1,
    }
