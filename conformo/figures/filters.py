"""What a figure is asked for: the CB, the date range and how it is grouped, the standard; and who may ask.

The CB's administrators and programme managers read the figures (the quality manager of a CB holds one of
these roles in Conformo); auditors, technical experts, decision makers and clients do not
(docs/cb-workflow.md, "Figures for the accreditation body and management review")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from conformo.core.errors import NotFound, PermissionDenied, ValidationFailed
from conformo.core.tenancy import MANAGERS, reach, require_cb_role
from conformo.domain.errors import DomainError
from conformo.domain.figures import Period, check_range, year_range
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Standard

#: The roles that read the figures.
READERS = MANAGERS


@dataclass(frozen=True)
class FigureFilter:
    """The CB, the range `start`–`end` (both included), the grouping over time, a standard's catalog code (None:
    all), `on`: the day auditors' qualifications are read on, and `today`: the day statuses are read on."""

    cb_id: int
    start: date
    end: date
    period: Period
    standard: str | None
    on: date
    today: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "period": self.period.value,
            "standard": self.standard,
            "on": self.on,
        }


def figure_filter(
    *,
    cb: CertificationBody,
    today: date,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    period: str = Period.QUARTER.value,
    standard: str | None = None,
    on: date | None = None,
) -> FigureFilter:
    """The filter from its parts: `start` and `end` default to the first and last day of `year`, itself the
    current year by default. Refuses (422, by field) an unknown standard or period and a range that ends before
    it starts."""
    fields: dict[str, list[str]] = {}
    try:
        first, last = year_range(year if year is not None else today.year)
    except DomainError as exc:
        raise ValidationFailed(str(exc), fields={"year": [str(exc)]}) from exc
    start, end = start or first, end or last
    try:
        check_range(start, end)
    except DomainError:
        fields["end"] = [f"The end is before the start ({start})."]
    try:
        grouping = Period(period)
    except ValueError:
        fields["period"] = ["Choose year, quarter or month."]
    if standard and not Standard.objects.filter(code=standard).exists():
        fields["standard"] = [f"Unknown standard {standard!r}."]
    if fields:
        details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
        raise ValidationFailed(f"The figures' filter is not valid ({details})", fields=fields)
    return FigureFilter(cb.pk, start, end, grouping, standard or None, on or today, today)


def cb_for_figures(user: Any, public_id: Any = None) -> CertificationBody:
    """The CB whose figures `user` reads: the one named (404 if the user is not of it), else the first CB where
    they hold a reading role. 403 for a member of the CB in another role (or of no CB)."""
    r = reach(user)
    if public_id is not None:
        cb = CertificationBody.objects.filter(public_id=public_id).first()
        if cb is None or not (r.superuser or cb.pk in r.roles_by_cb):
            raise NotFound("No such certification body.")
    else:
        ids = sorted(r.cbs_with(*READERS))
        cb = CertificationBody.objects.filter(pk=ids[0]).first() if ids else None
        if cb is None:
            raise PermissionDenied(
                "Only a CB administrator or programme manager of a certification body reads its figures."
            )
    require_cb_role(user, cb.pk, *READERS, action="read its figures")
    return cb


def may_read_figures(user: Any) -> bool:
    """Whether `user` may read some CB's figures (a superuser reads those of a CB they name)."""
    return bool(reach(user).cbs_with(*READERS))
