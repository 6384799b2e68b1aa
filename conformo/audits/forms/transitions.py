"""The programme page's form to plan a client's move to a new edition (conformo.audits.services.transitions)."""

from __future__ import annotations

from typing import Any

from django import forms

from conformo.audits.choices import AuditKind, AuditStatus
from conformo.audits.forms.base import ActionForm
from conformo.audits.models import Audit, AuditProgramme
from conformo.standards.models import Transition


class TransitionChoiceField(forms.ModelChoiceField[Transition]):
    def label_from_instance(self, obj: Transition) -> str:
        return f"{obj.old_standard.designation} → {obj.new_standard.designation} (ends {obj.ends_on:%Y-%m-%d})"


class CombinableAuditField(forms.ModelChoiceField[Audit]):
    def label_from_instance(self, obj: Audit) -> str:
        kind = str(obj.get_kind_display())
        return f"{kind} (due {obj.due_by:%Y-%m-%d})" if obj.due_by else kind


class TransitionAuditForm(ActionForm):
    """Which transition, and either a transition audit of its own or a planned surveillance / recertification
    to combine it with (the service checks the CB's policy allows it)."""

    id_prefix = "transition"
    transition = TransitionChoiceField(queryset=Transition.objects.none(), label="Move to the new edition")
    combine_with = CombinableAuditField(
        queryset=Audit.objects.none(),
        required=False,
        label="Combine with",
        empty_label="— a transition audit of its own —",
        help_text="A planned surveillance or recertification audit, when the CB's transition policy allows it.",
    )

    def __init__(self, *args: Any, programme: AuditProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        transition = self.fields["transition"]
        assert isinstance(transition, forms.ModelChoiceField)
        transition.queryset = Transition.objects.filter(old_standard__in=programme.standards.all()).select_related(
            "old_standard", "new_standard"
        )
        combine = self.fields["combine_with"]
        assert isinstance(combine, forms.ModelChoiceField)
        combine.queryset = programme.audits.filter(
            status=AuditStatus.PLANNED,
            kind__in=[AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION],
        )
