from decimal import Decimal

import pytest

from conformo.domain.errors import InvalidInput
from conformo.domain.remote import remote_share_check


def test_remote_days_up_to_the_limit_are_allowed():
    check = remote_share_check(onsite_days=Decimal(2), remote_days=Decimal(2), limit_percent=Decimal(50), isms=False)
    assert check.ok
    assert check.share_percent == Decimal(50)


def test_remote_days_above_the_limit_are_refused_with_the_figures():
    check = remote_share_check(onsite_days=Decimal(1), remote_days=Decimal(3), limit_percent=Decimal(50), isms=True)
    assert not check.ok
    assert "3 of 4 audit days are remote (75 %)" in check.message()
    assert "27006-1" in check.message()


def test_a_wholly_remote_audit_is_allowed_when_the_policy_allows_100_percent():
    check = remote_share_check(onsite_days=Decimal(0), remote_days=Decimal(2), limit_percent=Decimal(100), isms=False)
    assert check.ok


def test_an_audit_without_days_passes_any_limit():
    assert remote_share_check(onsite_days=Decimal(0), remote_days=Decimal(0), limit_percent=Decimal(0), isms=False).ok


@pytest.mark.parametrize("limit", [Decimal(-1), Decimal(101), Decimal("NaN")])
def test_a_limit_outside_0_to_100_percent_is_invalid(limit):
    with pytest.raises(InvalidInput):
        remote_share_check(onsite_days=Decimal(1), remote_days=Decimal(0), limit_percent=limit, isms=False)
