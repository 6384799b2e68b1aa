"""The certification agreement under /api/v1/ (ISO/IEC 17021-1 5.1.2): the CB's versions (write a draft, change
it, publish it), and an application's agreement (read it, accept it as the client, record a signed copy or the
reason to sign at stage 1 as the CB)."""

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conformo.accounts.throttling import client_address
from conformo.audits import selectors, services
from conformo.audits.api.lookups import E, my_cb
from conformo.audits.models import AgreementTemplate, Application
from conformo.audits.schemas import (
    AgreementAcceptanceOut,
    AgreementAcceptIn,
    AgreementStage1In,
    AgreementTemplateEditIn,
    AgreementTemplateIn,
    AgreementTemplateOut,
    ApplicationAgreementOut,
)
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.openapi import file_response
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut, PositiveInt32

router = Router()


@router.get("/agreement-templates", response=list[AgreementTemplateOut])
@paginate(PageNumberPagination)
def agreement_templates(request: HttpRequest, **kwargs: Any) -> QuerySet[AgreementTemplate]:
    """The agreement versions of the caller's CBs (CB administrators, programme managers, decision makers)."""
    return selectors.agreement_template_list(user=request.user)


@router.post("/agreement-templates", response={201: AgreementTemplateOut, **E})
def agreement_template_create(request: HttpRequest, payload: AgreementTemplateIn) -> Status[AgreementTemplate]:
    """Write a draft of the next version (CB administrators)."""
    data = payload.model_dump()
    cb = my_cb(request.user, data.pop("certification_body_id"))
    return Status(201, services.agreement_template_create(actor=request.user, certification_body=cb, **data))


@router.get("/agreement-templates/{template_id}", response={200: AgreementTemplateOut, 404: ErrorOut})
def agreement_template_detail(request: HttpRequest, template_id: UUID) -> AgreementTemplate:
    return selectors.agreement_template_get(user=request.user, public_id=template_id)


@router.put("/agreement-templates/{template_id}", response={200: AgreementTemplateOut, **E})
def agreement_template_update(
    request: HttpRequest, template_id: UUID, payload: AgreementTemplateEditIn
) -> AgreementTemplate:
    """Change a draft (a published version is refused with 409 `agreement_template_published`)."""
    template = selectors.agreement_template_get(user=request.user, public_id=template_id)
    return services.agreement_template_update(actor=request.user, template=template, **payload.model_dump())


@router.post("/agreement-templates/{template_id}/publish", response={200: AgreementTemplateOut, **E})
def agreement_template_publish(request: HttpRequest, template_id: UUID) -> AgreementTemplate:
    """Publish a draft: it becomes the CB's current agreement and never changes again."""
    template = selectors.agreement_template_get(user=request.user, public_id=template_id)
    return services.agreement_template_publish(actor=request.user, template=template)


def _application(request: HttpRequest, application_id: UUID) -> Application:
    return selectors.application_get(user=request.user, public_id=application_id)


@router.get("/applications/{application_id}/agreement", response={200: ApplicationAgreementOut, 404: ErrorOut})
def application_agreement(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    """The CB's current agreement, the application's acceptances (latest first), the stage-1 exception and why
    stage 1 is held for want of an agreement (null when it is not)."""
    return services.agreement_overview(_application(request, application_id))


@router.post("/applications/{application_id}/agreement/accept", response={201: AgreementAcceptanceOut, **E})
def application_agreement_accept(request: HttpRequest, application_id: UUID, payload: AgreementAcceptIn) -> Status[Any]:
    """The client's administrator accepts the current version on behalf of the organization; the time and the
    caller's address are recorded. A version that is no longer current is refused (409
    `agreement_version_changed`)."""
    application = _application(request, application_id)
    if not payload.on_behalf:
        raise ValidationFailed(
            "Confirm that you accept on behalf of the organization.", fields={"on_behalf": ["Must be true."]}
        )
    return Status(
        201,
        services.agreement_accept(
            actor=request.user, application=application, version=payload.version, ip_address=client_address(request)
        ),
    )


@router.post("/applications/{application_id}/agreement/record", response={201: AgreementAcceptanceOut, **E})
def application_agreement_record(
    request: HttpRequest,
    application_id: UUID,
    file: File[UploadedFile],
    signed_on: Form[date],
    version: Form[PositiveInt32 | None] = None,
) -> Status[Any]:
    """The CB's office records a signed copy (multipart: `file` — PDF, PNG or JPEG within the attachment size
    limit —, `signed_on`, optional `version`: the current one when not given)."""
    application = _application(request, application_id)
    return Status(
        201,
        services.agreement_record(
            actor=request.user,
            application=application,
            file=file,
            signed_on=signed_on,
            version=version,
            ip_address=client_address(request),
        ),
    )


@router.post("/applications/{application_id}/agreement/stage1", response={200: ApplicationAgreementOut, **E})
def application_agreement_stage1(request: HttpRequest, application_id: UUID, payload: AgreementStage1In) -> Any:
    """Record why the agreement is signed at stage 1, so that stage 1 may start before it (only when the CB's
    settings allow it: 409 `agreement_at_stage1_not_allowed` otherwise)."""
    application = services.agreement_stage1_record(
        actor=request.user, application=_application(request, application_id), reason=payload.reason
    )
    return services.agreement_overview(application)


@router.get(
    "/applications/{application_id}/agreement/{agreement_id}/file",
    response={404: ErrorOut},
    openapi_extra=file_response("The signed copy (PDF, PNG or JPEG)", "application/pdf", "image/png", "image/jpeg"),
)
def application_agreement_file(request: HttpRequest, application_id: UUID, agreement_id: UUID) -> FileResponse:
    """Download the signed copy of an acceptance (whoever may read the application)."""
    agreement = selectors.agreement_get(application=_application(request, application_id), public_id=agreement_id)
    if not agreement.signed_copy:
        raise NotFound("This acceptance has no signed copy.")
    return FileResponse(agreement.signed_copy.open("rb"), as_attachment=True, filename=agreement.signed_copy_name)
