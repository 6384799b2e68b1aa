"""Reads of the impartiality mechanism, through the user's visibility: the CB's office (administrators, programme
managers, decision makers) reads its register, related bodies and committee; auditors and clients see none."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from conformo.audits.models import ConflictOfInterest, RelatedBody
from conformo.core.errors import NotFound
from conformo.impartiality.models import CommitteeMeeting, CommitteeMember, Threat, ThreatReview
from conformo.organizations.models import CertificationBody


def threat_list(*, user: Any, cb: CertificationBody) -> QuerySet[Threat]:
    """The CB's register, the next review due first."""
    return (
        Threat.objects.visible_to(user)
        .filter(certification_body=cb)
        .select_related("owner", "related_body", "organization")
        .order_by("status", "review_due_on", "title")
    )


def threat_get(*, user: Any, public_id: Any) -> Threat:
    """One threat of the register (404 for anyone who may not read it)."""
    found = (
        Threat.objects.visible_to(user)
        .select_related("certification_body", "owner", "related_body", "organization")
        .prefetch_related(Prefetch("reviews", ThreatReview.objects.select_related("reviewed_by", "meeting")))
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound("No such threat.")
    return found


def related_body_list(*, user: Any, cb: CertificationBody) -> QuerySet[RelatedBody]:
    """The CB's related bodies with their declared relationships with clients."""
    return (
        RelatedBody.objects.visible_to(user)
        .filter(certification_body=cb)
        .prefetch_related(Prefetch("conflicts", ConflictOfInterest.objects.select_related("organization")))
    )


def related_body_get(*, user: Any, public_id: Any) -> RelatedBody:
    found = RelatedBody.objects.visible_to(user).select_related("certification_body").filter(public_id=public_id)
    body = found.first()
    if body is None:
        raise NotFound("No such related body.")
    return body


def committee_members(*, user: Any, cb: CertificationBody) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.visible_to(user).filter(certification_body=cb)


def meetings(*, user: Any, cb: CertificationBody) -> QuerySet[CommitteeMeeting]:
    """The committee's meetings, the latest first, with attendees and the threats reviewed."""
    return (
        CommitteeMeeting.objects.visible_to(user)
        .filter(certification_body=cb)
        .prefetch_related("attendees", Prefetch("reviews", ThreatReview.objects.select_related("threat")))
    )
