"""The impartiality mechanism under /api/v1/ (ISO/IEC 17021-1 5.2): the review interval, the register of threats
and their reviews, related bodies and their relationships with clients, the committee's members and meetings.
The CB's office (administrators, programme managers, decision makers) reads; the CB administrator writes (a
programme manager may also declare a related body's relationship)."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from conformo.audits.api.lookups import E, my_cb, visible_org
from conformo.audits.models import RelatedBody
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.pagination import PageNumberPagination
from conformo.core.roles import CB_WIDE_ROLES
from conformo.core.schemas import ErrorOut
from conformo.core.tenancy import has_cb_role
from conformo.impartiality import selectors, services
from conformo.impartiality.models import CommitteeMeeting, CommitteeMember, Threat
from conformo.impartiality.schemas import (
    CommitteeMemberIn,
    CommitteeMemberOut,
    ImpartialitySettingsIn,
    ImpartialitySettingsOut,
    MeetingIn,
    MeetingOut,
    RelatedBodyIn,
    RelatedBodyOut,
    RelationshipIn,
    RelationshipOut,
    ThreatDetailOut,
    ThreatIn,
    ThreatOut,
    ThreatReassessIn,
    ThreatReviewIn,
    ThreatReviewOut,
)
from conformo.organizations.models import CertificationBody

router = Router(tags=["impartiality"])
R = {404: ErrorOut}


def office_cb(user: Any, cb_id: UUID) -> CertificationBody:
    """The CB, for a member of its office (auditors and clients: 404, as if it did not exist)."""
    cb = my_cb(user, cb_id)
    if not has_cb_role(user, cb.pk, *CB_WIDE_ROLES):
        raise NotFound("No such certification body.")
    return cb


def _settings_out(cb: CertificationBody) -> dict[str, Any]:
    settings = services.settings_get(cb)
    return {"set": settings.pk is not None, "review_months": settings.review_months}


@router.get("/certification-bodies/{cb_id}/impartiality/settings", response={200: ImpartialitySettingsOut, **R})
def settings_get(request: HttpRequest, cb_id: UUID) -> dict[str, Any]:
    """How often each threat is reviewed (`set` is false while the default of 12 months applies)."""
    return _settings_out(office_cb(request.user, cb_id))


@router.put("/certification-bodies/{cb_id}/impartiality/settings", response={200: ImpartialitySettingsOut, **E})
def settings_put(request: HttpRequest, cb_id: UUID, payload: ImpartialitySettingsIn) -> dict[str, Any]:
    """Set the review interval (the CB administrator; 1 to 36 months)."""
    cb = office_cb(request.user, cb_id)
    services.settings_update(actor=request.user, certification_body=cb, review_months=payload.review_months)
    return _settings_out(cb)


@router.get("/certification-bodies/{cb_id}/impartiality/threats", response={200: list[ThreatOut], **R})
@paginate(PageNumberPagination)
def threat_list(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[Threat]:
    """The CB's register of threats to impartiality, the next review due first."""
    return selectors.threat_list(user=request.user, cb=office_cb(request.user, cb_id))


def _related_body(request: HttpRequest, cb: CertificationBody, public_id: UUID | None) -> RelatedBody | None:
    if public_id is None:
        return None
    body = selectors.related_body_list(user=request.user, cb=cb).filter(public_id=public_id).first()
    if body is None:
        raise ValidationFailed("No such related body.", fields={"related_body_id": ["Not a body related to this CB."]})
    return body


@router.post("/certification-bodies/{cb_id}/impartiality/threats", response={201: ThreatDetailOut, **E})
def threat_create(request: HttpRequest, cb_id: UUID, payload: ThreatIn) -> Status[Any]:
    """Put a threat on the register (the CB administrator); its level is found from likelihood × severity."""
    cb = office_cb(request.user, cb_id)
    data = payload.model_dump(exclude={"related_body_id"})
    threat = services.threat_create(
        actor=request.user,
        certification_body=cb,
        related_body=_related_body(request, cb, payload.related_body_id),
        owner=request.user,
        **data,
    )
    return Status(201, selectors.threat_get(user=request.user, public_id=threat.public_id))


@router.get("/impartiality/threats/{threat_id}", response={200: ThreatDetailOut, **R})
def threat_get(request: HttpRequest, threat_id: UUID) -> Threat:
    """One threat with its review history."""
    return selectors.threat_get(user=request.user, public_id=threat_id)


@router.put("/impartiality/threats/{threat_id}/assessment", response={200: ThreatDetailOut, **E})
def threat_reassess(request: HttpRequest, threat_id: UUID, payload: ThreatReassessIn) -> Threat:
    """Change the threat's likelihood, severity, controls and description (the CB administrator); the level is
    found again. 409 `threat_retired` for a retired threat."""
    threat = selectors.threat_get(user=request.user, public_id=threat_id)
    services.threat_reassess(actor=request.user, threat=threat, **payload.model_dump())
    return selectors.threat_get(user=request.user, public_id=threat_id)


@router.post("/impartiality/threats/{threat_id}/reviews", response={201: ThreatReviewOut, **E})
def threat_review(request: HttpRequest, threat_id: UUID, payload: ThreatReviewIn) -> Status[Any]:
    """Record a review of the threat (the CB administrator); its next review is due one interval later."""
    threat = selectors.threat_get(user=request.user, public_id=threat_id)
    return Status(201, services.threat_review(actor=request.user, threat=threat, **payload.model_dump()))


@router.get("/certification-bodies/{cb_id}/related-bodies", response={200: list[RelatedBodyOut], **R})
@paginate(PageNumberPagination)
def related_body_list(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[RelatedBody]:
    """The bodies related to the CB, the services they offer and their declared relationships with clients."""
    return selectors.related_body_list(user=request.user, cb=office_cb(request.user, cb_id))


@router.post("/certification-bodies/{cb_id}/related-bodies", response={201: RelatedBodyOut, **E})
def related_body_create(request: HttpRequest, cb_id: UUID, payload: RelatedBodyIn) -> Status[Any]:
    """Record a related body (the CB administrator)."""
    cb = office_cb(request.user, cb_id)
    body = services.related_body_create(actor=request.user, certification_body=cb, **payload.model_dump())
    return Status(201, selectors.related_body_list(user=request.user, cb=cb).get(pk=body.pk))


@router.post("/related-bodies/{related_body_id}/relationships", response={201: RelationshipOut, **E})
def relationship_declare(request: HttpRequest, related_body_id: UUID, payload: RelationshipIn) -> Status[Any]:
    """Declare the related body's relationship with a client (e.g. consultancy): while it runs and for the CB's
    cooling-off period after it ends, no auditor of the CB is eligible for that client's audits."""
    body = selectors.related_body_get(user=request.user, public_id=related_body_id)
    data = payload.model_dump(exclude={"organization_id"})
    org = visible_org(request.user, payload.organization_id)
    conflict = services.related_body_relationship_declare(
        actor=request.user, related_body=body, organization=org, **data
    )
    return Status(201, conflict)


@router.get("/certification-bodies/{cb_id}/impartiality/committee", response={200: list[CommitteeMemberOut], **R})
@paginate(PageNumberPagination)
def committee(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[CommitteeMember]:
    """The members of the CB's impartiality committee and the interests they bring."""
    return selectors.committee_members(user=request.user, cb=office_cb(request.user, cb_id))


@router.post("/certification-bodies/{cb_id}/impartiality/committee", response={201: CommitteeMemberOut, **E})
def committee_member_add(request: HttpRequest, cb_id: UUID, payload: CommitteeMemberIn) -> Status[Any]:
    """Add a member to the committee (the CB administrator)."""
    cb = office_cb(request.user, cb_id)
    return Status(201, services.committee_member_add(actor=request.user, certification_body=cb, **payload.model_dump()))


@router.get("/certification-bodies/{cb_id}/impartiality/meetings", response={200: list[MeetingOut], **R})
@paginate(PageNumberPagination)
def meeting_list(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[CommitteeMeeting]:
    """The committee's meetings, the latest first, with attendees, agenda, minutes and the threats reviewed."""
    return selectors.meetings(user=request.user, cb=office_cb(request.user, cb_id))


@router.post("/certification-bodies/{cb_id}/impartiality/meetings", response={201: MeetingOut, **E})
def meeting_record(request: HttpRequest, cb_id: UUID, payload: MeetingIn) -> Status[Any]:
    """Record a meeting (the CB administrator); each threat in `reviewed_threat_ids` gets a review with the
    meeting's `outcome`. Unknown members or threats are refused (422) and nothing is recorded."""
    cb = office_cb(request.user, cb_id)
    members = list(selectors.committee_members(user=request.user, cb=cb).filter(public_id__in=payload.attendee_ids))
    threats = list(selectors.threat_list(user=request.user, cb=cb).filter(public_id__in=payload.reviewed_threat_ids))
    errors: dict[str, list[str]] = {}
    if len(members) != len(set(payload.attendee_ids)):
        errors["attendee_ids"] = ["Members of this CB's committee only."]
    if len(threats) != len(set(payload.reviewed_threat_ids)):
        errors["reviewed_threat_ids"] = ["Threats of this CB's register only."]
    if errors:
        raise ValidationFailed("The meeting is not valid.", fields=errors)
    meeting = services.meeting_record(
        actor=request.user,
        certification_body=cb,
        held_on=payload.held_on,
        attendees=members,
        agenda=payload.agenda,
        minutes=payload.minutes,
        reviewed=threats,
        outcome=payload.outcome,
    )
    return Status(201, selectors.meetings(user=request.user, cb=cb).get(pk=meeting.pk))
