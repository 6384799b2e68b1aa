"""The fees of a cycle: lines per audit, minor units, half-up rounding, tax, and the property that the total is
exactly the sum of the lines plus the tax."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.errors import InvalidInput
from conformo.domain.fees import (
    MINOR_UNITS,
    AuditTime,
    LineKind,
    PriceList,
    TravelMode,
    amount_problem,
    price_problems,
    quote,
    to_minor,
)

D = Decimal
CYCLE = [
    AuditTime("stage1", D("1.5"), D("1.5")),
    AuditTime("stage2", D("3.5"), D("3"), D("0.5")),
    AuditTime("surveillance1", D("1.5"), D("1.5")),
    AuditTime("surveillance2", D("1.5"), D("0"), D("1.5")),
    AuditTime("recertification", D("2.5"), D("2.5")),
]
PRICES = PriceList(
    currency="EUR",
    day_rate=D("1200"),
    day_rates={"stage1": D("1000"), "surveillance": D("1100")},
    travel_mode=TravelMode.DAYS,
    travel_days=D("0.5"),
    travel_day_rate=D("600"),
    expenses=D("250"),
    certificate_fee=D("300"),
    registration_fee=D("150"),
    tax_percent=D("19"),
)


def _lines(result: object, audit: str) -> dict[str, str]:
    fees = next(f for f in result.audits if f.audit == audit)  # type: ignore[attr-defined]
    return {line.kind.value: str(line.amount) for line in fees.lines}


def test_it_charges_each_audit_its_days_at_the_rate_of_its_kind() -> None:
    result = quote(CYCLE, PRICES)
    assert _lines(result, "stage1") == {"audit_days": "1500.00", "travel": "300.00", "expenses": "250.00"}
    assert _lines(result, "stage2") == {
        "audit_days": "4200.00",
        "travel": "300.00",
        "expenses": "250.00",
        "certificate": "300.00",
        "registration": "150.00",
    }
    assert _lines(result, "surveillance1")["audit_days"] == "1650.00"


def test_a_remote_only_audit_has_no_travel_and_no_expenses() -> None:
    assert _lines(quote(CYCLE, PRICES), "surveillance2") == {"audit_days": "1650.00", "registration": "150.00"}


def test_the_recertification_carries_the_certificate_fee_but_no_registration() -> None:
    lines = _lines(quote(CYCLE, PRICES), "recertification")
    assert lines["certificate"] == "300.00"
    assert "registration" not in lines


def test_the_tax_is_taken_once_on_the_subtotal() -> None:
    result = quote(CYCLE, PRICES)
    assert result.subtotal == D("15250.00")
    assert result.tax == D("2897.50")
    assert result.total == D("18147.50")
    assert result.as_dict()["total"] == "18147.50"


def test_a_flat_travel_amount_is_one_line_per_on_site_audit() -> None:
    prices = PriceList(currency="EUR", day_rate=D("1000"), travel_mode=TravelMode.FLAT, travel_flat=D("180"))
    result = quote(CYCLE, prices)
    travel = [line for line in result.lines if line.kind == LineKind.TRAVEL]
    assert [str(line.amount) for line in travel] == ["180.00"] * 4


def test_half_a_minor_unit_rounds_up() -> None:
    prices = PriceList(currency="EUR", day_rate=D("100.01"))
    result = quote([AuditTime("stage1", D("0.5"), D("0.5"))], prices)
    assert result.lines[0].amount == D("50.01")  # 50.005 → 50.01
    assert to_minor(D("2.5"), "JPY") == D("3")
    assert to_minor(D("0.0005"), "KWD") == D("0.001")


def test_yen_amounts_have_no_decimals_and_dinar_amounts_three() -> None:
    yen = quote(CYCLE, PriceList(currency="JPY", day_rate=D("150001"), tax_percent=D("10")))
    assert yen.total.as_tuple().exponent == 0
    dinar = quote(CYCLE, PriceList(currency="KWD", day_rate=D("350.125"), tax_percent=D("5")))
    assert dinar.total.as_tuple().exponent == -3
    assert dinar.as_dict()["minor_units"] == 3


def test_it_refuses_prices_finer_than_the_currency_negative_or_in_an_unknown_currency() -> None:
    assert amount_problem(D("10.005"), "EUR") == "EUR amounts have 2 decimals at most."
    assert amount_problem(D("10.5"), "JPY") == "JPY amounts are whole numbers."
    assert amount_problem(D("-1"), "EUR") == "Must not be negative."
    problems = price_problems(PriceList(currency="XXX", day_rate=D("1"), tax_percent=D("101"), travel_days=D("0.3")))
    assert set(problems) == {"currency", "tax_percent", "travel_days"}
    with pytest.raises(InvalidInput) as refused:
        quote(CYCLE, PriceList(currency="EUR", day_rate=D("-5")))
    assert refused.value.code == "invalid_prices"


def test_it_refuses_an_unknown_audit_and_days_that_are_not_half_days() -> None:
    with pytest.raises(InvalidInput) as unknown:
        quote([AuditTime("stage3", D("1"), D("1"))], PRICES)
    assert unknown.value.code == "unknown_audit"
    with pytest.raises(InvalidInput) as days:
        quote([AuditTime("stage1", D("1.25"), D("1.25"))], PRICES)
    assert days.value.code == "invalid_days"


def test_a_price_list_survives_its_stored_shape() -> None:
    assert PriceList.from_dict(PRICES.as_dict()) == PRICES
    assert quote(CYCLE, PriceList.from_dict(PRICES.as_dict())) == quote(CYCLE, PRICES)


def test_the_trace_names_the_currency_source_and_every_line() -> None:
    result = quote(CYCLE, PRICES)
    steps = [step.step for step in result.trace]
    assert steps[0] == "Currency"
    assert "ISO 4217" in result.trace[0].source
    assert "Stage 2: certificate fee" in steps
    assert steps[-1] == "Total"


def _amounts(currency: str) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=10**8).map(lambda n: D(n).scaleb(-MINOR_UNITS[currency]))


@st.composite
def _cases(draw: st.DrawFn) -> tuple[list[AuditTime], PriceList]:
    currency = draw(st.sampled_from(sorted(MINOR_UNITS)))
    money = _amounts(currency)
    halves = st.integers(min_value=0, max_value=60).map(lambda n: D(n) / 2)
    audits = []
    for audit in draw(st.lists(st.sampled_from(["stage1", "stage2", "surveillance1", "recertification"]), max_size=5)):
        onsite = draw(halves)
        remote = draw(halves)
        audits.append(AuditTime(audit, onsite + remote, onsite, remote))
    prices = PriceList(
        currency=currency,
        day_rate=draw(money),
        day_rates={"stage2": draw(money)},
        travel_mode=draw(st.sampled_from(list(TravelMode))),
        travel_days=draw(st.integers(min_value=0, max_value=6).map(lambda n: D(n) / 2)),
        travel_day_rate=draw(money),
        travel_flat=draw(money),
        expenses=draw(money),
        certificate_fee=draw(money),
        registration_fee=draw(money),
        tax_percent=draw(st.integers(min_value=0, max_value=10000).map(lambda n: D(n) / 100)),
    )
    return audits, prices


@given(_cases())
def test_the_total_is_the_sum_of_the_lines_plus_the_tax_in_the_currencys_minor_units(
    case: tuple[list[AuditTime], PriceList],
) -> None:
    audits, prices = case
    result = quote(audits, prices)
    exponent = -MINOR_UNITS[prices.currency]
    assert result.total == sum((line.amount for line in result.lines), D(0)) + result.tax
    amounts = [line.amount for line in result.lines] + [f.subtotal for f in result.audits]
    for amount in [*amounts, result.subtotal, result.tax, result.total]:
        assert amount.as_tuple().exponent == exponent
        assert amount >= 0
