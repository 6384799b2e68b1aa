"""The forms of the certification pages: take a decision; lodge an appeal against one. They parse and label
input; the rules (who decides, what each decision needs) stay in the services and conformo.domain."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms

from conformo.audits.forms import ActionForm, ConfirmForm
from conformo.audits.forms.base import DATE
from conformo.audits.forms.scope import ScopeRows
from conformo.certification.models import Decision as DecisionRecord
from conformo.certification.selectors import appealable_decisions
from conformo.certification.services import DecisionOption
from conformo.domain.transitions import MAX_EXTRA_DAYS, MAX_EXTRA_PERCENT


class DecisionForm(ConfirmForm):
    """One of the decisions the certification's state allows, with its reason, confirmed (a decision is
    recorded for good)."""

    confirm_label = "I confirm this certification decision; it is recorded and cannot be withdrawn."

    kind = forms.ChoiceField(choices=(), widget=forms.RadioSelect, label="Decision")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Reason", max_length=4000)
    scope = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="New scope statement (scope changes only)",
        help_text="Left empty, it is generated from the scope lines below.",
    )
    issue_resolved = forms.BooleanField(required=False, label="The issue behind the suspension is resolved")

    SCOPE_KINDS = ("reduce_scope", "extend_scope")

    def __init__(
        self,
        *args: Any,
        options: Sequence[DecisionOption],
        standards: Sequence[tuple[str, str]] = (),
        sites: Sequence[tuple[str, str]] = (),
        lines: Sequence[dict[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The scope lines after a scope change, starting from the current ones: a reduction removes lines,
        # sites or codes; an extension adds them. Other decisions ignore them.
        self.scope_rows = ScopeRows(
            self.data if self.is_bound else None, prefix="scope_lines", standards=standards, sites=sites, lines=lines
        )
        self.has_lines = bool(lines)
        # Only the decisions that can be taken today are shown, none pre-selected (the decider chooses); the
        # others are listed with the domain's reason (`unavailable`). The field still accepts every decision
        # the state allows, so a blocked one posted anyway gets the domain's own refusal, code and clause.
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.decision.value, o.label) for o in options]
        field.widget.choices = [
            (o.decision.value, f"{o.label} — needs: {o.needs}") for o in options if not o.blocked_by
        ]
        self.offered = [o for o in options if not o.blocked_by]
        self.unavailable = [o for o in options if o.blocked_by]

    def clean_scope(self) -> str | None:
        return self.cleaned_data["scope"] or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["scope_lines"] = None
        if data.get("kind") in self.SCOPE_KINDS and (self.has_lines or self.scope_rows.formset.total_form_count()):
            lines = self.scope_rows.cleaned()
            if isinstance(lines, str):
                raise forms.ValidationError(lines)
            # A certification without lines yet (made before they existed) may still change by its statement alone.
            data["scope_lines"] = lines if lines or self.has_lines else None
        return data

    def route_error(self, name: str, error: str) -> bool:
        return self.scope_rows.route_error(name, error)


class AppealLodgeForm(ActionForm):
    """An appeal against a certification decision the user can see (ISO/IEC 17021-1 9.7)."""

    id_prefix = "appeal"
    decision = forms.ModelChoiceField(
        queryset=DecisionRecord.objects.none(), to_field_name="public_id", label="Against the decision"
    )
    subject = forms.CharField(max_length=300, required=False, label="Subject")
    grounds = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Grounds")

    def __init__(self, *args: Any, user: Any, certification: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ModelChoiceField)
        rows = appealable_decisions(user=user)
        field.queryset = rows if certification is None else rows.filter(certification=certification)


class TransitionPolicyForm(ActionForm):
    """The CB's policy for one edition transition (conformo.certification.transitions.transition_policy_save)."""

    id_prefix = "policy"
    ends_on = forms.DateField(
        widget=DATE,
        required=False,
        label="Transition end applied by the CB",
        help_text="The CB's or its accreditation body's decision; empty: the standard-level end.",
    )
    ends_on_basis = forms.CharField(max_length=300, required=False, label="Whose decision (e.g. the AB's notice)")
    extra_percent = forms.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal(0), max_value=MAX_EXTRA_PERCENT, label="Extra time (%)"
    )
    extra_days = forms.DecimalField(
        max_digits=3, decimal_places=1, min_value=Decimal(0), max_value=MAX_EXTRA_DAYS, label="Extra time (days)"
    )
    combine_with_surveillance = forms.BooleanField(required=False, label="May be combined with a surveillance audit")
    combine_with_recertification = forms.BooleanField(
        required=False, label="May be combined with a recertification audit"
    )
