"""The audit-time determination on a page: one form, with a row per adjustment and a row per site besides the
central function, usable without JavaScript. Its cleaned data is the API's input shape (`DeterminationIn`), so
the page and the API call the service the same way; a refusal's dotted field names (`adjustments.2.percent`,
`sites.0.reduction_justification`, `isms.percent`) land on their row or field (`route_error`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms

from conformo.audits.forms.base import ActionForm
from conformo.domain.adjustments import INTEGRATION_BANDS, INTEGRATION_LABELS, MD5_FACTORS, Direction
from conformo.domain.audit_time import EMS, ISMS, OHS, QMS, check_standard
from conformo.domain.determination import AUDIT_LABELS, QMS_RISK, SAMPLED_AUDITS, SiteFacts, multi_site
from conformo.domain.isms_complexity import BUSINESS_FACTORS, IT_FACTORS
from conformo.domain.settings import RepetitiveReduction
from conformo.domain.trace import fmt

EXTRA_ADJUSTMENTS = 3
"""Blank adjustment rows offered below the recorded ones (post the page again for more)."""

SCORE_CHOICES = [("1", "1 — low"), ("2", "2 — medium"), ("3", "3 — high")]
REPETITIVE_CHOICES = [
    (RepetitiveReduction.NONE.value, "None: count everyone in full"),
    (RepetitiveReduction.WEIGHT.value, "A weight per person (the CB's setting)"),
    (RepetitiveReduction.SQUARE_ROOT.value, "The square root of their number (ISO/IEC 27006-1 C.3.4)"),
]
METHOD_CHOICES = [
    ("sampling", "Sampling (IAF MD 1 cl. 6.1): the central function and a sample of the sites"),
    ("all_sites", "No sampling (IAF MD 1 cl. 6.2): every site at initial and recertification"),
]
ARROWS = {Direction.INCREASE: "+", Direction.DECREASE: "−", Direction.EITHER: "±"}
FACTOR_CHOICES = [("", "—")] + [(f.code.value, f"{ARROWS[f.direction]} {f.label}") for f in MD5_FACTORS]


def _percent(label: str, *, minimum: int = 0, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        min_value=minimum,
        max_value=100,
        label=label,
        help_text=help_text,
        max_digits=6,
        decimal_places=2,
    )


class AdjustmentRowForm(forms.Form):
    """One MD 5 adjustment of one standard. A row left blank is no adjustment."""

    factor = forms.ChoiceField(choices=FACTOR_CHOICES, required=False, label="Factor")
    percent = forms.DecimalField(
        required=False, min_value=-100, max_value=100, label="Percent", max_digits=6, decimal_places=2
    )
    justification = forms.CharField(
        required=False, max_length=2000, label="Justification", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, standards: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        standard = forms.ChoiceField(choices=[(code, code) for code in standards], label="Standard")
        self.fields = {"standard": standard, **self.fields}

    def blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("factor") and data.get("percent") is None and not (data.get("justification") or "").strip()


class SiteRowForm(forms.Form):
    """A site besides the central function: its MD 1 reduction and the audits that visit it."""

    site_id = forms.CharField(widget=forms.HiddenInput)
    reduction_percent = forms.DecimalField(
        required=False, min_value=0, max_value=100, label="Reduction %", max_digits=6, decimal_places=2
    )
    reduction_justification = forms.CharField(
        required=False, max_length=2000, label="Justification", widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args: Any, audits: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audits = [audit for audit in audits if audit in SAMPLED_AUDITS]
        for audit in self.audits:
            self.fields[audit] = forms.BooleanField(required=False, label=AUDIT_LABELS[audit])

    def audit_fields(self) -> list[forms.BoundField]:
        return [self[audit] for audit in self.audits]


class DeterminationForm(ActionForm):
    """The CB's choices for an audit-time determination, for the standards, sites and audits given."""

    id_prefix = "det"

    def __init__(
        self,
        data: Any = None,
        *,
        standards: Sequence[str],
        sites: Sequence[SiteFacts],
        audits: Sequence[str],
        initial_input: dict[str, Any],
        purposes: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(data, initial=self._flat(initial_input))
        self.standards, self.sites, self.audits = list(standards), list(sites), list(audits)
        self.multi_site = multi_site(sites)
        if purposes:
            self.fields["purpose"] = forms.ChoiceField(choices=list(purposes), label="Why determine it again")
        self._complexity_fields()
        self.fields["repetitive_reduction"] = forms.ChoiceField(
            choices=REPETITIVE_CHOICES,
            label="Personnel in similar, repetitive functions (IAF MD 5 cl. 2.3.4)",
        )
        self.fields["repetitive_justification"] = forms.CharField(
            required=False,
            max_length=2000,
            label="Why they may count for less",
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        if ISMS in standards:
            self._isms_fields()
        if len(standards) > 1:
            self._integration_fields()
        if self.multi_site:
            self.fields["method"] = forms.ChoiceField(choices=METHOD_CHOICES, label="Multi-site method")
        for audit in audits:
            self.fields[f"remote_{audit}"] = _percent(f"{AUDIT_LABELS[audit]}: remote share (%)")
        rows = list(initial_input.get("adjustments") or [])
        self.adjustment_rows = [
            AdjustmentRowForm(
                data,
                prefix=f"adj-{index}",
                standards=standards,
                initial=rows[index] if index < len(rows) else {"standard": standards[0]},
            )
            for index in range(len(rows) + EXTRA_ADJUSTMENTS)
        ]
        plans = {str(p["site_id"]): p for p in initial_input.get("sites") or []}
        self.site_rows = (
            [
                SiteRowForm(
                    data,
                    prefix=f"site-{index}",
                    audits=audits,
                    initial={
                        "site_id": site.key,
                        "reduction_percent": plans.get(site.key, {}).get("reduction_percent") or None,
                        "reduction_justification": plans.get(site.key, {}).get("reduction_justification", ""),
                        **{audit: audit in plans.get(site.key, {}).get("audits", []) for audit in audits},
                    },
                )
                for index, site in enumerate(s for s in sites if not s.central)
            ]
            if self.multi_site
            else []
        )
        self.site_names = {site.key: site for site in sites}
        self._adjustment_index: list[int] = []

    @staticmethod
    def _flat(initial: dict[str, Any]) -> dict[str, Any]:
        flat = {k: v for k, v in initial.items() if not isinstance(v, dict | list)}
        for name, value in (initial.get("isms") or {}).items():
            flat[f"isms_{name}"] = str(value) if name not in ("percent", "justification") else value
        for name, value in (initial.get("integration") or {}).items():
            flat[f"integration_{name}"] = value
        for audit, value in (initial.get("remote_percent") or {}).items():
            flat[f"remote_{audit}"] = value or None
        flat["isms_percent"] = flat.get("isms_percent") or None
        flat["integration_percent"] = flat.get("integration_percent") or None
        return flat

    def _complexity_fields(self) -> None:
        if QMS in self.standards:
            self.fields["qms_risk"] = forms.ChoiceField(
                choices=[(r, r) for r in QMS_RISK],
                label="ISO 9001: risk category",
                help_text="Table QMS 1 has one column: record the risk as adjustments below (IAF MD 5).",
            )
        if EMS in self.standards:
            columns = check_standard(EMS).columns
            self.fields["ems_complexity"] = forms.ChoiceField(
                choices=[(c, c) for c in (*columns, "special")],
                label="ISO 14001: complexity category (Table EMS 1)",
                help_text="By the nature, number and gravity of the environmental aspects; special is case by case.",
            )
        if OHS in self.standards:
            self.fields["ohs_complexity"] = forms.ChoiceField(
                choices=[(c, c) for c in check_standard(OHS).columns],
                label="ISO 45001: risk category (Table OH&SMS 1)",
            )

    def _isms_fields(self) -> None:
        for code, label in BUSINESS_FACTORS + IT_FACTORS:
            self.fields[f"isms_{code}"] = forms.ChoiceField(choices=SCORE_CHOICES, label=label)
        self.fields["isms_percent"] = forms.DecimalField(
            required=False,
            min_value=-100,
            max_value=100,
            label="ISMS adjustment (%) within the impact matrix's range",
            help_text="ISO/IEC 27006-1 Annex C: the business row and the IT column give the range.",
            max_digits=6,
            decimal_places=2,
        )
        self.fields["isms_justification"] = forms.CharField(
            required=False, max_length=2000, label="Why this percent", widget=forms.Textarea(attrs={"rows": 2})
        )

    def _integration_fields(self) -> None:
        self.fields["integration_level"] = forms.ChoiceField(
            choices=[
                (level.value, f"{INTEGRATION_LABELS[level]} ({fmt(low)}–{fmt(high)} %)")
                for level, (low, high) in INTEGRATION_BANDS.items()
            ],
            label="Level of integration (IAF MD 11)",
        )
        self.fields["integration_percent"] = _percent(
            "Integration reduction (%)", help_text="At most 20 % (IAF MD 11); more is cut with a warning."
        )
        self.fields["integration_evidence"] = forms.CharField(
            required=False, max_length=2000, label="Evidence of integration", widget=forms.Textarea(attrs={"rows": 2})
        )

    # --- validation: the form, its rows, and the API's input shape --------------------------------------

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        rows_valid = all(row.is_valid() for row in [*self.adjustment_rows, *self.site_rows])
        if not rows_valid:
            self.add_error(None, "Some rows below need attention.")
            return
        if not self.errors:
            self.cleaned_data["input"] = self._input()

    def _input(self) -> dict[str, Any]:
        data = self.cleaned_data
        self._adjustment_index = [i for i, row in enumerate(self.adjustment_rows) if not row.blank()]
        adjustments = []
        for index in self._adjustment_index:
            row = self.adjustment_rows[index].cleaned_data
            adjustments.append(
                {
                    "standard": row["standard"],
                    "factor": row["factor"] or "",
                    "percent": row["percent"] if row["percent"] is not None else Decimal(0),
                    "justification": row["justification"],
                }
            )
        isms: dict[str, Any] | None = None
        if ISMS in self.standards:
            isms = {code: int(data[f"isms_{code}"]) for code, _ in BUSINESS_FACTORS + IT_FACTORS}
            isms["percent"] = data.get("isms_percent") or Decimal(0)
            isms["justification"] = data.get("isms_justification") or ""
        result: dict[str, Any] = {
            "qms_risk": data.get("qms_risk"),
            "ems_complexity": data.get("ems_complexity"),
            "ohs_complexity": data.get("ohs_complexity"),
            "repetitive_reduction": data["repetitive_reduction"],
            "repetitive_justification": data.get("repetitive_justification") or "",
            "adjustments": adjustments,
            "isms": isms,
            "integration": {
                "level": data.get("integration_level") or "none",
                "percent": data.get("integration_percent") or Decimal(0),
                "evidence": data.get("integration_evidence") or "",
            },
            "method": data.get("method") or None,
            "sites": None,
            "remote_percent": {audit: data.get(f"remote_{audit}") or Decimal(0) for audit in self.audits},
        }
        if self.multi_site:
            result["sites"] = [
                {
                    "site_id": row.cleaned_data["site_id"],
                    "reduction_percent": row.cleaned_data["reduction_percent"] or Decimal(0),
                    "reduction_justification": row.cleaned_data["reduction_justification"],
                    "audits": [audit for audit in row.audits if row.cleaned_data.get(audit)],
                }
                for row in self.site_rows
            ]
        if "purpose" in self.fields:
            result["purpose"] = data["purpose"]
        return result

    def route_error(self, name: str, error: str) -> bool:
        """Place a refusal's dotted field name (the API's) on this form's field or row."""
        head, _, rest = name.partition(".")
        index, _, leaf = rest.partition(".")
        if head == "adjustments" and index.isdigit() and int(index) < len(self._adjustment_index):
            adjustment = self.adjustment_rows[self._adjustment_index[int(index)]]
            adjustment.add_error(leaf if leaf in adjustment.fields else None, error)
            return True
        if head == "sites" and index.isdigit() and int(index) < len(self.site_rows):
            site = self.site_rows[int(index)]
            site.add_error(leaf if leaf in site.fields else None, error)
            return True
        flat = {
            "isms": "isms_business_type",
            "isms.percent": "isms_percent",
            "isms.justification": "isms_justification",
            "integration.level": "integration_level",
            "integration.percent": "integration_percent",
            "integration.evidence": "integration_evidence",
        }.get(name)
        if head == "remote_percent":
            flat = f"remote_{rest}"
        if flat is not None and flat in self.fields:
            self.add_error(flat, error)
            return True
        return False
