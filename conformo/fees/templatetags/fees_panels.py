"""What the fees app lends to other pages: the quotations panel of the application page, and the `money`
filter (an exact amount with thousands separators, its decimals kept)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from conformo.core.roles import CB_WIDE_ROLES
from conformo.core.tenancy import CLIENTS, MANAGERS, has_cb_role, has_org_role
from conformo.fees.forms import QuotationCreateForm
from conformo.fees.selectors import quotation_list
from conformo.fees.services import QUOTABLE

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """'12345.50' → '12,345.50' (the decimals as stored: the currency's minor units)."""
    try:
        return format(Decimal(str(value)), ",")
    except (InvalidOperation, ValueError):
        return str(value)


@register.inclusion_tag("fees/_quotations.html", takes_context=True)
def quotations_panel(context: dict[str, Any], application: Any) -> dict[str, Any]:
    """The application's quotations the user may read, and — for the CB's administrators and programme managers,
    while the application may still be quoted — the button to quote it (again). Auditors see no prices: nothing."""
    user = context["request"].user
    cb_id, org_id = application.certification_body_id, application.organization_id
    readers = has_cb_role(user, cb_id, *(role.value for role in CB_WIDE_ROLES)) or has_org_role(user, org_id, *CLIENTS)
    return {
        "show": readers,
        "application": application,
        "quotations": list(quotation_list(user=user, application=application)) if readers else [],
        "can_quote": application.status in QUOTABLE and has_cb_role(user, application.certification_body_id, *MANAGERS),
        "form": QuotationCreateForm(),
    }
