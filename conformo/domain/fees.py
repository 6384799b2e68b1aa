"""Fees of a certification cycle: the quotation of each audit the determination gives days to, from a CB's
price list, in a currency's minor units, with tax and a trace.

Money is `Decimal`, never float. Every amount is rounded once, where it arises (a line = quantity × unit price;
the tax = subtotal × rate), to the currency's minor unit, half up (`ROUND_HALF_UP`: 0.005 → 0.01, the rounding
of commercial invoices, which clients recompute by hand; banker's rounding would surprise them). Sums of rounded
amounts need no rounding, so the total is exactly the sum of the lines plus the tax (a tested property).

What is charged where (CB choices, docs/rules.md §10):

- audit days: the audit's days × the day rate of its kind (stage 1, stage 2, surveillance, recertification;
  the general day rate where the CB set none for the kind). The rate is per audit kind, not per auditor role:
  a quotation is made at the review, before any team exists;
- travel and expenses: once per audit with days on site (a remote-only audit has none): travel as travel days ×
  the travel day rate, or a flat amount per audit; expenses as a flat amount per audit;
- the certificate fee with each audit after which a certificate is issued (stage 2, recertification);
- the registration fee once per year of the certificate's validity, with that year's audit (stage 2,
  surveillance 1, surveillance 2; the recertification's year opens the next cycle);
- tax on the subtotal of the whole quotation (one rounding), at the CB's rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from conformo.domain.determination.inputs import AUDIT_LABELS, AUDITS
from conformo.domain.errors import InvalidInput
from conformo.domain.trace import TraceStep, fmt

CURRENCY_SOURCE = "ISO 4217, list one (current currencies), column 'Minor unit' (maintenance agency: SIX)"
MINOR_UNITS: Mapping[str, int] = MappingProxyType(
    {
        "AUD": 2,
        "BHD": 3,
        "CAD": 2,
        "CHF": 2,
        "CNY": 2,
        "CZK": 2,
        "DKK": 2,
        "EUR": 2,
        "GBP": 2,
        "HUF": 2,
        "INR": 2,
        "JPY": 0,
        "KRW": 0,
        "KWD": 3,
        "NOK": 2,
        "NZD": 2,
        "OMR": 3,
        "PLN": 2,
        "SEK": 2,
        "SGD": 2,
        "USD": 2,
        "ZAR": 2,
    }
)
"""The currencies Conformo quotes in, with their ISO 4217 exponent: the number of decimals of an amount."""

ROUNDING = ROUND_HALF_UP
ROUNDING_RULE = "Each amount to the currency's minor unit, half up (Conformo's choice, docs/rules.md §10)"
MAX_AMOUNT = Decimal("999999999")
"""Largest price or fee accepted (what the stored fields hold with three decimals)."""
MAX_TRAVEL_DAYS = Decimal(30)
HALF = Decimal("0.5")

CERTIFICATE_AUDITS: tuple[str, ...] = ("stage2", "recertification")
"""Audits after which a certificate is issued: they carry the certificate fee."""
REGISTRATION_AUDITS: tuple[str, ...] = ("stage2", "surveillance1", "surveillance2")
"""The audit of each year of the certificate's validity: each carries one annual registration fee."""
RATE_KIND: Mapping[str, str] = MappingProxyType(
    {
        "stage1": "stage1",
        "stage2": "stage2",
        "surveillance1": "surveillance",
        "surveillance2": "surveillance",
        "recertification": "recertification",
    }
)
"""Which day rate of the price list an audit takes (both surveillances take the surveillance rate)."""
RATE_KINDS: tuple[str, ...] = ("stage1", "stage2", "surveillance", "recertification")


class TravelMode(StrEnum):
    NONE = "none"
    DAYS = "days"
    FLAT = "flat"


class LineKind(StrEnum):
    AUDIT_DAYS = "audit_days"
    TRAVEL = "travel"
    EXPENSES = "expenses"
    CERTIFICATE = "certificate"
    REGISTRATION = "registration"


LINE_LABELS: Mapping[LineKind, str] = MappingProxyType(
    {
        LineKind.AUDIT_DAYS: "Audit days",
        LineKind.TRAVEL: "Travel",
        LineKind.EXPENSES: "Expenses",
        LineKind.CERTIFICATE: "Certificate fee",
        LineKind.REGISTRATION: "Annual registration fee",
    }
)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of `currency` (``Decimal('0.01')`` for EUR, ``Decimal('1')`` for JPY)."""
    if currency not in MINOR_UNITS:
        raise InvalidInput(
            f"Unknown currency {currency!r}; choose one of {', '.join(MINOR_UNITS)}.", code="unknown_currency"
        )
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def to_minor(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half up to the minor unit of `currency`: its exponent is exactly the currency's."""
    return amount.quantize(minor_unit(currency), rounding=ROUNDING)


def amount_problem(value: Decimal, currency: str) -> str | None:
    """Why `value` is not a price in `currency` (negative, too large, finer than the minor unit), or None."""
    if not value.is_finite():
        return "Enter a number."
    if value < 0:
        return "Must not be negative."
    if value > MAX_AMOUNT:
        return f"At most {MAX_AMOUNT}."
    if currency in MINOR_UNITS and value != value.quantize(minor_unit(currency), rounding=ROUNDING):
        units = MINOR_UNITS[currency]
        return (
            f"{currency} amounts have {units} decimal{'s' if units != 1 else ''} at most."
            if units
            else (f"{currency} amounts are whole numbers.")
        )
    return None


@dataclass(frozen=True, slots=True)
class PriceList:
    """A CB's prices for a quotation. `day_rates` may give a rate per kind of `RATE_KINDS`; a kind without one
    takes `day_rate`. `tax_percent` is 0 to 100."""

    currency: str
    day_rate: Decimal
    day_rates: Mapping[str, Decimal] = field(default_factory=dict)
    travel_mode: TravelMode = TravelMode.NONE
    travel_days: Decimal = Decimal(0)
    travel_day_rate: Decimal = Decimal(0)
    travel_flat: Decimal = Decimal(0)
    expenses: Decimal = Decimal(0)
    certificate_fee: Decimal = Decimal(0)
    registration_fee: Decimal = Decimal(0)
    tax_percent: Decimal = Decimal(0)

    def rate_for(self, audit: str) -> Decimal:
        return self.day_rates.get(RATE_KIND.get(audit, ""), self.day_rate)

    def as_dict(self) -> dict[str, Any]:
        """The stored shape (amounts as exact strings): a quotation keeps it as its snapshot of the prices."""
        return {
            "currency": self.currency,
            "day_rate": str(self.day_rate),
            "day_rates": {kind: str(rate) for kind, rate in sorted(self.day_rates.items())},
            "travel_mode": self.travel_mode.value,
            "travel_days": str(self.travel_days),
            "travel_day_rate": str(self.travel_day_rate),
            "travel_flat": str(self.travel_flat),
            "expenses": str(self.expenses),
            "certificate_fee": str(self.certificate_fee),
            "registration_fee": str(self.registration_fee),
            "tax_percent": str(self.tax_percent),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriceList:
        return cls(
            currency=data["currency"],
            day_rate=Decimal(data["day_rate"]),
            day_rates={kind: Decimal(rate) for kind, rate in data.get("day_rates", {}).items()},
            travel_mode=TravelMode(data.get("travel_mode", "none")),
            **{
                name: Decimal(data.get(name, "0"))
                for name in (
                    "travel_days",
                    "travel_day_rate",
                    "travel_flat",
                    "expenses",
                    "certificate_fee",
                    "registration_fee",
                    "tax_percent",
                )
            },
        )


MONEY_FIELDS = ("day_rate", "travel_day_rate", "travel_flat", "expenses", "certificate_fee", "registration_fee")


def price_problems(prices: PriceList) -> dict[str, str]:
    """Every problem of a price list, by field (`day_rates.surveillance` for a kind's rate); empty when valid."""
    problems: dict[str, str] = {}
    if prices.currency not in MINOR_UNITS:
        problems["currency"] = f"Choose one of {', '.join(MINOR_UNITS)} (ISO 4217)."
    for name in MONEY_FIELDS:
        problem = amount_problem(getattr(prices, name), prices.currency)
        if problem:
            problems[name] = problem
    for kind, rate in prices.day_rates.items():
        if kind not in RATE_KINDS:
            problems[f"day_rates.{kind}"] = f"A day rate is for one of {', '.join(RATE_KINDS)}."
            continue
        problem = amount_problem(rate, prices.currency)
        if problem:
            problems[f"day_rates.{kind}"] = problem
    days = prices.travel_days
    if not days.is_finite() or days < 0 or days > MAX_TRAVEL_DAYS or days % HALF != 0:
        problems["travel_days"] = f"Half days from 0 to {MAX_TRAVEL_DAYS}."
    tax = prices.tax_percent
    if not tax.is_finite() or not 0 <= tax <= 100 or tax != tax.quantize(Decimal("0.01"), rounding=ROUNDING):
        problems["tax_percent"] = "A percent from 0 to 100, with 2 decimals at most."
    return problems


@dataclass(frozen=True, slots=True)
class AuditTime:
    """The days of one audit of the cycle as determined: in all, on site and remote."""

    audit: str
    days: Decimal
    onsite_days: Decimal
    remote_days: Decimal = Decimal(0)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AuditTime:
        """From a stored determination's `result["audits"]` row."""
        days = Decimal(str(row["days"]))
        return cls(
            audit=str(row["audit"]),
            days=days,
            onsite_days=Decimal(str(row.get("onsite_days", days))),
            remote_days=Decimal(str(row.get("remote_days", 0))),
        )


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One line of the quotation: quantity × unit price = amount (rounded to the minor unit)."""

    kind: LineKind
    label: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "label": self.label,
            "quantity": fmt(self.quantity),
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
        }


@dataclass(frozen=True, slots=True)
class AuditFees:
    """The fees of one audit: its lines and their sum."""

    audit: str
    days: Decimal
    onsite_days: Decimal
    remote_days: Decimal
    lines: tuple[FeeLine, ...]
    subtotal: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "audit": self.audit,
            "label": AUDIT_LABELS.get(self.audit, self.audit),
            "days": fmt(self.days),
            "onsite_days": fmt(self.onsite_days),
            "remote_days": fmt(self.remote_days),
            "lines": [line.as_dict() for line in self.lines],
            "subtotal": str(self.subtotal),
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: the fees per audit, the subtotal, the tax and the total, with the trace of every figure."""

    currency: str
    audits: tuple[AuditFees, ...]
    subtotal: Decimal
    tax_percent: Decimal
    tax: Decimal
    total: Decimal
    trace: tuple[TraceStep, ...]

    @property
    def lines(self) -> tuple[FeeLine, ...]:
        return tuple(line for fees in self.audits for line in fees.lines)

    def as_dict(self) -> dict[str, Any]:
        """The stored and published shape (amounts as exact strings in the currency's minor units)."""
        return {
            "currency": self.currency,
            "minor_units": MINOR_UNITS[self.currency],
            "audits": [fees.as_dict() for fees in self.audits],
            "subtotal": str(self.subtotal),
            "tax_percent": fmt(self.tax_percent),
            "tax": str(self.tax),
            "total": str(self.total),
        }


def _line(kind: LineKind, quantity: Decimal, unit_price: Decimal, currency: str, label: str = "") -> FeeLine:
    return FeeLine(
        kind=kind,
        label=label or LINE_LABELS[kind],
        quantity=quantity,
        unit_price=to_minor(unit_price, currency),
        amount=to_minor(quantity * unit_price, currency),
    )


def _lines_of(audit: AuditTime, prices: PriceList) -> list[FeeLine]:
    currency = prices.currency
    lines = [_line(LineKind.AUDIT_DAYS, audit.days, prices.rate_for(audit.audit), currency)]
    if audit.onsite_days > 0:
        if prices.travel_mode == TravelMode.DAYS and prices.travel_days > 0:
            lines.append(_line(LineKind.TRAVEL, prices.travel_days, prices.travel_day_rate, currency, "Travel days"))
        elif prices.travel_mode == TravelMode.FLAT:
            lines.append(_line(LineKind.TRAVEL, Decimal(1), prices.travel_flat, currency, "Travel (flat)"))
        lines.append(_line(LineKind.EXPENSES, Decimal(1), prices.expenses, currency))
    if audit.audit in CERTIFICATE_AUDITS:
        lines.append(_line(LineKind.CERTIFICATE, Decimal(1), prices.certificate_fee, currency))
    if audit.audit in REGISTRATION_AUDITS:
        lines.append(_line(LineKind.REGISTRATION, Decimal(1), prices.registration_fee, currency))
    return [line for line in lines if line.kind == LineKind.AUDIT_DAYS or line.amount > 0]


def quote(audits: Sequence[AuditTime], prices: PriceList) -> Quote:
    """The quotation of `audits` (in the order given) at `prices`. Refuses an invalid price list, an audit
    outside the cycle's (`determination.AUDITS`), or days that are negative or not in half days."""
    problems = price_problems(prices)
    if problems:
        field_name, message = next(iter(problems.items()))
        raise InvalidInput(f"The price list is not valid: {field_name}: {message}", code="invalid_prices")
    currency = prices.currency
    zero = to_minor(Decimal(0), currency)
    trace = [
        TraceStep(
            "Currency",
            f"{currency}: amounts in {MINOR_UNITS[currency]} decimals",
            CURRENCY_SOURCE,
            str(minor_unit(currency)),
        ),
        TraceStep("Rounding", "Each line and the tax, once", ROUNDING_RULE, "half up"),
    ]
    result = []
    for audit in audits:
        if audit.audit not in AUDITS:
            raise InvalidInput(f"Unknown audit {audit.audit!r}; one of {', '.join(AUDITS)}.", code="unknown_audit")
        for days in (audit.days, audit.onsite_days, audit.remote_days):
            if days < 0 or days % HALF != 0:
                raise InvalidInput(f"The days of {audit.audit} must be half days, not negative.", code="invalid_days")
        lines = _lines_of(audit, prices)
        subtotal = sum((line.amount for line in lines), zero)
        label = AUDIT_LABELS[audit.audit]
        trace.extend(
            TraceStep(
                f"{label}: {line.label.lower()}",
                f"{fmt(line.quantity)} × {line.unit_price}",
                "CB price list",
                str(line.amount),
            )
            for line in lines
        )
        result.append(AuditFees(audit.audit, audit.days, audit.onsite_days, audit.remote_days, tuple(lines), subtotal))
    subtotal = sum((fees.subtotal for fees in result), zero)
    tax = to_minor(subtotal * prices.tax_percent / 100, currency)
    total = subtotal + tax
    trace += [
        TraceStep("Subtotal", "Sum of the lines", "—", str(subtotal)),
        TraceStep("Tax", f"{fmt(prices.tax_percent)} % of the subtotal", "CB price list", str(tax)),
        TraceStep("Total", "Subtotal + tax", "—", str(total)),
    ]
    return Quote(currency, tuple(result), subtotal, prices.tax_percent, tax, total, tuple(trace))
