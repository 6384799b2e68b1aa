"""Fees under /api/v1/: the CB's price list, an application's quotations, one quotation and its proposal PDF.
The CB's staff read prices and quotations; the CB administrator sets prices; CB administrators and programme
managers quote; the client's people read their organization's quotations and proposals."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from conformo.audits import selectors as audit_selectors
from conformo.audits.api.lookups import E, my_cb
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.fees import selectors, services
from conformo.fees.models import PriceSettings, Quotation
from conformo.fees.pdf import proposal_pdf
from conformo.fees.schemas import PriceSettingsIn, PriceSettingsOut, QuotationOut, QuotationSummaryOut

router = Router(tags=["fees"])


def price_settings_out(settings: PriceSettings) -> dict[str, Any]:
    def text(value: Any) -> str | None:
        return None if value is None else str(settings.amount(value))

    return {
        "set": settings.pk is not None,
        "currency": settings.currency,
        **{
            name: text(getattr(settings, name))
            for name in services.PRICE_FIELDS
            if name not in ("currency", "travel_mode", "travel_days", "tax_percent", "validity_days")
        },
        "travel_mode": settings.travel_mode,
        "travel_days": str(settings.travel_days),
        "tax_percent": str(settings.tax_percent),
        "validity_days": settings.validity_days,
    }


@router.get("/certification-bodies/{cb_id}/prices", response={200: PriceSettingsOut, 404: ErrorOut})
def price_settings(request: HttpRequest, cb_id: UUID) -> dict[str, Any]:
    """The CB's price list (its staff); `set` is false while only the defaults exist."""
    return price_settings_out(services.price_settings_get(my_cb(request.user, cb_id)))


@router.put("/certification-bodies/{cb_id}/prices", response={200: PriceSettingsOut, **E})
def price_settings_put(request: HttpRequest, cb_id: UUID, payload: PriceSettingsIn) -> dict[str, Any]:
    """Set the CB's price list (the CB administrator). Amounts finer than the currency's minor unit, an unknown
    currency or travel mode are refused field by field (422); quotations already made keep their prices."""
    settings = services.price_settings_update(
        actor=request.user, certification_body=my_cb(request.user, cb_id), **payload.model_dump()
    )
    return price_settings_out(settings)


@router.get("/applications/{application_id}/quotations", response={200: list[QuotationSummaryOut], 404: ErrorOut})
@paginate(PageNumberPagination)
def application_quotations(request: HttpRequest, application_id: UUID, **kwargs: Any) -> QuerySet[Quotation]:
    """The application's quotations, the latest (current) first: the CB's staff and the client's people."""
    application = audit_selectors.application_get(user=request.user, public_id=application_id)
    return selectors.quotation_list(user=request.user, application=application)


@router.post("/applications/{application_id}/quotations", response={201: QuotationOut, **E})
def quotation_create(request: HttpRequest, application_id: UUID) -> Status[Any]:
    """Quote the application from its current audit-time determination at the CB's prices (a CB administrator or
    programme manager); refused without a determination (`no_determination`) or prices (`prices_not_set`), and
    once the application is accepted or declined (`quotation_closed`), each 409."""
    application = audit_selectors.application_get(user=request.user, public_id=application_id)
    quotation = services.quotation_create(actor=request.user, application=application)
    return Status(201, selectors.quotation_get(user=request.user, public_id=quotation.public_id))


@router.get("/quotations/{quotation_id}", response={200: QuotationOut, 404: ErrorOut})
def quotation_get(request: HttpRequest, quotation_id: UUID) -> Quotation:
    """One quotation with its fees per audit, tax, total, the prices it was made with and its trace."""
    return selectors.quotation_get(user=request.user, public_id=quotation_id)


@router.get(
    "/quotations/{quotation_id}/proposal.pdf",
    response={404: ErrorOut},
    url_name="quotation_proposal",
    openapi_extra={
        "responses": {
            200: {
                "description": "The proposal (PDF)",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def quotation_proposal(request: HttpRequest, quotation_id: UUID) -> HttpResponse:
    """The quotation's proposal as PDF: the CB's identity, the audit-time justification, the programme, the fees
    and the total with tax, valid until a date."""
    quotation = selectors.quotation_get(user=request.user, public_id=quotation_id)
    response = HttpResponse(proposal_pdf(quotation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proposal-{quotation.facts.get("reference", "")}.pdf"'
    return response
