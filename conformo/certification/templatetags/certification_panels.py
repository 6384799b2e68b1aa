"""Panels the certification app lends to other apps' pages: the CB workspace shows its suspension proposals,
the appeals register its form to lodge an appeal against a decision."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils import timezone

from conformo.certification.forms import AppealLodgeForm
from conformo.certification.selectors import suspension_proposals_shown
from conformo.core.tenancy import has_cb_role

register = template.Library()


@register.inclusion_tag("certification/_proposals.html", takes_context=True)
def suspension_proposals_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The certifications the user can see for which suspension is proposed, with the reasons: the first
    `selectors.PROPOSALS_SHOWN` and how many there are (the rest: the certifications list, `?suspension=proposed`)."""
    user = context["request"].user
    proposals, count = suspension_proposals_shown(user=user, today=timezone.localdate())
    return {"proposals": proposals, "proposal_count": count}


#: Above this many decisions to choose from (a CB's staff: every client's), the appeals page does not offer one
#: long list: the appeal is lodged from the certification's page, among that certification's decisions.
LODGE_CHOICES_MAX = 50


@register.inclusion_tag("certification/_appeal_lodge.html", takes_context=True)
def appeal_lodge_panel(context: dict[str, Any], certification: Any = None) -> dict[str, Any]:
    """The form to lodge an appeal, for a user who may appeal at least one decision (of `certification` when
    given); it posts to certification:appeal-lodge (where a refused form is shown again with its errors)."""
    form = AppealLodgeForm(user=context["request"].user, certification=certification)
    field = form.fields["decision"]
    assert isinstance(field, forms.ModelChoiceField)
    count = field.queryset.count() if field.queryset is not None else 0
    too_many = certification is None and count > LODGE_CHOICES_MAX
    return {"form": form, "show": count > 0 and not too_many, "too_many": too_many}


@register.simple_tag(takes_context=True)
def certification_file_allowed(context: dict[str, Any], certification: Any) -> bool:
    """Whether the user may download the certification file (the CB-wide staff of its CB)."""
    from conformo.certification.export import STAFF

    return has_cb_role(context["request"].user, certification.certification_body_id, *STAFF)
