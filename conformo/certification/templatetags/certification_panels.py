"""Panels the certification app lends to other apps' pages (the CB workspace shows its suspension proposals)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from conformo.certification.selectors import suspension_proposals

register = template.Library()


@register.inclusion_tag("certification/_proposals.html", takes_context=True)
def suspension_proposals_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The certifications the user can see for which suspension is proposed, with the reasons."""
    user = context["request"].user
    return {"proposals": suspension_proposals(user=user, today=timezone.localdate())}
