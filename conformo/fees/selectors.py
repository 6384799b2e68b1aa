"""Reads of the fees app, each through the user's visibility: the CB's staff see their CB's quotations, the
client's people their organization's; auditors see none (prices are the CB office's business)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from conformo.audits.models import Application
from conformo.core.errors import NotFound
from conformo.fees.models import Quotation


def quotation_list(*, user: Any, application: Application) -> QuerySet[Quotation]:
    """The application's quotations this user may read, the latest first."""
    return Quotation.objects.visible_to(user).filter(application=application).order_by("-number")


def quotation_get(*, user: Any, public_id: Any) -> Quotation:
    """One quotation this user may read (404 otherwise, as if it did not exist)."""
    found = (
        Quotation.objects.visible_to(user)
        .filter(public_id=public_id)
        .select_related("application", "determination", "certification_body", "organization", "created_by")
        .first()
    )
    if found is None:
        raise NotFound("No such quotation.")
    return found


def is_current(quotation: Quotation) -> bool:
    """Whether no later quotation of the application exists."""
    return not Quotation.objects.filter(application_id=quotation.application_id, number__gt=quotation.number).exists()
