"""Certificates on an edition being replaced (reference/cb-rules.md §8c): the transition end each carries, as
its CB applies it (`audits.TransitionPolicy`, else the standard-level `standards.Transition.ends_on`).

The end is copied onto the certificate row (`transition_ends_on`, `transition_edition`) so that the registry
keeps reading one row with no join; the status is still computed when read (`domain.transitions.edition_state`):
the day after the end an old-edition certificate reads expired, with the reason, although no job ran. The copy
is written when a certificate is issued, after a CertSearch import, and when a CB's policy changes
(`certificate_transition_refresh`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from conformo.audits.models import TransitionPolicy
from conformo.certificates.models import Certificate
from conformo.standards.models import Transition


@dataclass(frozen=True, slots=True)
class EditionEnd:
    """The transition of one old edition as a CB applies it."""

    code: str
    designation: str
    new_code: str
    new_designation: str
    published_on: date
    ends_on: date


def edition_ends(certification_body_id: int, codes: Iterable[str] | None = None) -> dict[str, EditionEnd]:
    """Old edition code → its transition as the CB applies it (the earliest end when an edition has several
    successors); `codes` limits it to those editions. Two queries."""
    transitions = Transition.objects.select_related("old_standard", "new_standard")
    if codes is not None:
        transitions = transitions.filter(old_standard__code__in=list(codes))
    found = list(transitions)
    if not found:
        return {}
    policies = {
        p.transition_id: p.ends_on
        for p in TransitionPolicy.objects.filter(
            certification_body_id=certification_body_id, transition__in=[t.pk for t in found]
        )
    }
    ends: dict[str, EditionEnd] = {}
    for t in found:
        end = EditionEnd(
            code=t.old_standard.code,
            designation=t.old_standard.designation,
            new_code=t.new_standard.code,
            new_designation=t.new_standard.designation,
            published_on=t.published_on,
            ends_on=policies.get(t.pk) or t.ends_on,
        )
        if end.code not in ends or end.ends_on < ends[end.code].ends_on:
            ends[end.code] = end
    return ends


def earliest_end(ends: dict[str, EditionEnd], codes: Iterable[str]) -> EditionEnd | None:
    """Of a certificate's standards, the old edition whose transition ends first (None: none is old)."""
    found = [ends[code] for code in codes if code in ends]
    return min(found, key=lambda e: e.ends_on) if found else None


def certificate_transition_refresh(*, certification_body_id: int, codes: Iterable[str] | None = None) -> int:
    """Copy the CB's transition ends onto its current certificates on an old edition (one UPDATE per
    transition, the earliest end written last so it wins) and clear it where none applies any more; `codes`
    (an import's standards) limits it to those editions and clears nothing. Runs in the caller's transaction (a
    policy change, an import); the caller writes the audit-log entry. Returns the number of rows written."""
    mine = Certificate.objects.filter(certification_body_id=certification_body_id, is_current=True)
    ends = edition_ends(certification_body_id, codes)
    written = 0
    if codes is None:
        written = (
            mine.filter(transition_ends_on__isnull=False)
            .exclude(standard_links__code__in=list(ends))
            .update(transition_ends_on=None, transition_edition="")
        )
    for end in sorted(ends.values(), key=lambda e: e.ends_on, reverse=True):
        written += mine.filter(standard_links__code=end.code).update(
            transition_ends_on=end.ends_on, transition_edition=end.designation
        )
    return written
