"""Reads of the fees app, each through the user's visibility: the CB's staff see their CB's quotations, the
client's people their organization's; auditors see none (prices are the CB office's business)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from conformo.audits.models import Application
from conformo.core.tenancy import not_visible
from conformo.fees.models import Quotation


def _visible(user: Any) -> QuerySet[Quotation]:
    """Quotations this user may read, each with `latest_number`: the number of its application's latest
    quotation (a quotation is current when it is the latest)."""
    latest = Quotation.objects.filter(application=OuterRef("application")).order_by("-number").values("number")[:1]
    return (
        Quotation.objects.visible_to(user)
        .annotate(latest_number=Subquery(latest))
        .select_related("application", "determination", "created_by")
    )


def quotation_list(*, user: Any, application: Application) -> QuerySet[Quotation]:
    """The application's quotations this user may read, the latest first."""
    return _visible(user).filter(application=application).order_by("-number")


def quotation_get(*, user: Any, public_id: Any) -> Quotation:
    """One quotation this user may read: else 404, as if it did not exist (the API), and on pages a refusal (403)
    for the CB's auditors, who know the application but not its prices (`core.tenancy.not_visible`)."""
    found = _visible(user).filter(public_id=public_id).first()
    if found is None:
        raise not_visible(Quotation, user, "quotation", public_id=public_id)
    return found


def is_current(quotation: Quotation) -> bool:
    """Whether no later quotation of the application exists (read from the selectors' annotation)."""
    return bool(getattr(quotation, "latest_number", quotation.number) == quotation.number)
