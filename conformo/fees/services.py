"""Writes of the fees app: the CB's price list (its administrators) and quotations (its administrators and
programme managers), each checked, written and audit-logged in one transaction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from conformo.audits.choices import ApplicationStatus
from conformo.audits.models import Application
from conformo.audits.selectors import current_agreement_template
from conformo.audits.services import determination_of
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.core.tenancy import MANAGERS, require_cb_role
from conformo.domain.errors import InvalidInput
from conformo.domain.fees import AuditTime, price_problems, quote
from conformo.fees.choices import TravelMode
from conformo.fees.models import PriceSettings, Quotation
from conformo.organizations.models import CertificationBody

PRICE_FIELDS = [
    "currency",
    "day_rate",
    "stage1_day_rate",
    "stage2_day_rate",
    "surveillance_day_rate",
    "recertification_day_rate",
    "travel_mode",
    "travel_days",
    "travel_day_rate",
    "travel_flat",
    "expenses",
    "certificate_fee",
    "registration_fee",
    "tax_percent",
    "validity_days",
]
MAX_VALIDITY_DAYS = 365
QUOTABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED)
"""An application is quoted (and quoted again) until it is accepted or declined."""


def price_settings_get(cb: CertificationBody) -> PriceSettings:
    """The CB's price list, or an unsaved one with the documented defaults while the CB has set none."""
    return PriceSettings.objects.filter(certification_body=cb).first() or PriceSettings(certification_body=cb)


def _snapshot(settings: PriceSettings) -> dict[str, Any]:
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name, value in ((name, getattr(settings, name)) for name in PRICE_FIELDS)
    }


def _check_prices(settings: PriceSettings) -> None:
    """Every problem of the price list at once, by field (the domain's checks need a known travel mode)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(settings.validity_days, int) or not 1 <= settings.validity_days <= MAX_VALIDITY_DAYS:
        errors["validity_days"] = [f"1 to {MAX_VALIDITY_DAYS} days."]
    if settings.travel_mode not in TravelMode.values:
        errors["travel_mode"] = [f"One of {', '.join(TravelMode.values)}."]
    else:
        for name, message in price_problems(settings.price_list()).items():
            # a kind's day rate (`day_rates.surveillance`) is the field `surveillance_day_rate`
            kind = name.removeprefix("day_rates.")
            errors[f"{kind}_day_rate" if kind != name else name] = [message]
    if errors:
        raise ValidationFailed("The prices are not valid.", fields=errors)


@transaction.atomic
def price_settings_update(*, actor: Actor, certification_body: CertificationBody, **values: Any) -> PriceSettings:
    """Set the CB's price list (CB administrators only): amounts not negative and in the currency's decimals,
    a known currency, a tax rate of 0 to 100 %, travel in half days, a validity of 1 to 365 days. Quotations
    already made keep the prices they were made with."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="change the CB's prices")
    unknown = set(values) - set(PRICE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown price settings: {', '.join(sorted(unknown))}.")
    settings = price_settings_get(certification_body)
    before = _snapshot(settings) if settings.pk else None
    for name, value in values.items():
        setattr(settings, name, value)
    _check_prices(settings)
    settings.save()
    audit_log_record(
        actor=actor,
        action="price_settings.update",
        obj=settings,
        before=before,
        after=_snapshot(settings),
        certification_body_id=certification_body.pk,
    )
    return settings


def _agreement_facts(cb: CertificationBody) -> dict[str, Any] | None:
    """The CB's current certification agreement version, which the proposal carries (ISO/IEC 17021-1 5.1.2)."""
    template = current_agreement_template(cb)
    if template is None:
        return None
    return {
        "id": str(template.public_id),
        "version": template.version,
        "title": template.title,
        "published_on": template.published_at.date().isoformat() if template.published_at else None,
        "mark_rules": template.mark_rules,
    }


def _facts(application: Application, reference: str) -> dict[str, Any]:
    cb = application.certification_body
    org = application.organization
    return {
        "agreement": _agreement_facts(cb),
        "reference": reference,
        "certification_body": {"name": cb.name, "address": cb.address, "country": cb.country, "website": cb.website},
        "client": {"name": org.legal_name, "country": org.country},
        "standards": [str(standard) for standard in application.standards.order_by("code")],
        "scope": application.scope,
        "sites": [site.name for site in application.sites.order_by("-is_headquarters", "name")],
        "sector_codes": list(application.sector_codes),
    }


@transaction.atomic
def quotation_create(*, actor: Actor, application: Application, on: date | None = None) -> Quotation:
    """Quote an application (CB administrators and programme managers): the current audit-time determination's
    audits at the CB's prices of today, valid for the CB's validity days. Possible until the application is
    accepted or declined; each quotation is a new one, the earlier ones kept as they were."""
    cb = application.certification_body
    require_cb_role(actor, cb.pk, *MANAGERS, action="quote applications")
    if application.status not in QUOTABLE:
        raise Conflict(
            f"This application is {application.get_status_display().lower()}; it can no longer be quoted.",
            code="quotation_closed",
        )
    determination = determination_of(application)
    if determination is None:
        raise Conflict("Determine the audit time before quoting the application.", code="no_determination")
    settings = PriceSettings.objects.filter(certification_body=cb).first()
    if settings is None:
        raise Conflict("Set the CB's prices before quoting an application.", code="prices_not_set")
    prices = settings.price_list()
    try:
        result = quote([AuditTime.from_row(row) for row in determination.result["audits"]], prices)
    except InvalidInput as exc:
        raise Conflict(f"The application cannot be quoted: {exc.message}", code=exc.code) from exc
    on = on or timezone.localdate()
    number = (Quotation.objects.filter(application=application).aggregate(n=Max("number"))["n"] or 0) + 1
    reference = f"Q-{on:%Y}-{str(application.public_id)[:8].upper()}-{number}"
    quotation = Quotation.objects.create(
        certification_body=cb,
        organization=application.organization,
        application=application,
        determination=determination,
        number=number,
        currency=result.currency,
        prices=prices.as_dict(),
        result=result.as_dict(),
        trace=[step.as_dict() for step in result.trace],
        facts=_facts(application, reference),
        subtotal=result.subtotal,
        tax=result.tax,
        total=result.total,
        valid_until=on + timedelta(days=settings.validity_days),
        created_by=acting_user(actor),
    )
    audit_log_record(
        actor=actor,
        action="quotation.create",
        obj=quotation,
        after={
            "number": number,
            "determination": str(determination.public_id),
            "currency": result.currency,
            "total": str(result.total),
            "valid_until": quotation.valid_until.isoformat(),
        },
        certification_body_id=cb.pk,
        organization_id=application.organization_id,
    )
    return quotation
