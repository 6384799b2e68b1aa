"""Writes of the impartiality mechanism (ISO/IEC 17021-1 5.2), by the CB administrator (the quality manager):
the review interval, threats and their reviews, related bodies and their relationships with clients, the
committee's members and meetings. Each checked, written and audit-logged in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.audits.choices import ConflictKind
from conformo.audits.models import ConflictOfInterest, RelatedBody
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import MANAGERS, require_cb_role
from conformo.domain.cycle import add_months
from conformo.domain.impartiality import review_months_refusal, threat_level
from conformo.impartiality.choices import Level, ThreatKind, ThreatSource, ThreatStatus
from conformo.impartiality.models import CommitteeMeeting, CommitteeMember, ImpartialitySettings, Threat, ThreatReview
from conformo.organizations.models import CertificationBody, Organization

ADMIN = Role.CB_ADMIN.value


def settings_get(cb: CertificationBody) -> ImpartialitySettings:
    """The CB's impartiality settings, or an unsaved one with the documented defaults."""
    return ImpartialitySettings.objects.filter(certification_body=cb).first() or ImpartialitySettings(
        certification_body=cb
    )


@transaction.atomic
def settings_update(*, actor: Actor, certification_body: CertificationBody, review_months: int) -> ImpartialitySettings:
    """Set how often each threat is reviewed (1 to 36 months; the CB administrator). Threats already on the
    register keep their due dates until their next review."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="change the impartiality settings")
    refusal = review_months_refusal(review_months)
    if refusal:
        raise ValidationFailed(refusal, fields={"review_months": [refusal]})
    settings = settings_get(certification_body)
    before = {"review_months": settings.review_months} if settings.pk else None
    settings.review_months = review_months
    settings.save()
    audit_log_record(
        actor=actor,
        action="impartiality_settings.update",
        obj=settings,
        before=before,
        after={"review_months": review_months},
        certification_body_id=certification_body.pk,
    )
    return settings


def _check_threat(values: dict[str, Any]) -> str:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in ThreatKind.values:
        errors["kind"] = [f"One of {', '.join(ThreatKind.values)}."]
    if values.get("source") not in ThreatSource.values:
        errors["source"] = [f"One of {', '.join(ThreatSource.values)}."]
    if values.get("residual_level") not in Level.values:
        errors["residual_level"] = [f"One of {', '.join(Level.values)}."]
    if not str(values.get("title", "")).strip():
        errors["title"] = ["Required."]
    for name in ("likelihood", "severity"):
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3:
            errors[name] = ["1 (low), 2 (medium) or 3 (high)."]
    if errors:
        raise ValidationFailed("The threat is not valid.", fields=errors)
    return threat_level(values["likelihood"], values["severity"])


@transaction.atomic
def threat_create(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    kind: str,
    source: str,
    title: str,
    likelihood: int,
    severity: int,
    residual_level: str,
    description: str = "",
    controls: str = "",
    related_body: RelatedBody | None = None,
    organization: Organization | None = None,
    owner: Any = None,
    on: date | None = None,
) -> Threat:
    """Put a threat on the CB's register with its assessment and controls (the CB administrator); its first
    review is due one review interval after today."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="keep the impartiality register")
    values = {"kind": kind, "source": source, "title": title, "likelihood": likelihood, "severity": severity}
    level = _check_threat({**values, "residual_level": residual_level})
    if related_body is not None and related_body.certification_body_id != certification_body.pk:
        raise ValidationFailed("No such related body.", fields={"related_body": ["Not a body related to this CB."]})
    today = on or timezone.localdate()
    threat = Threat.objects.create(
        certification_body=certification_body,
        **values,
        level=level,
        residual_level=residual_level,
        description=description,
        controls=controls,
        related_body=related_body,
        organization=organization,
        owner=owner,
        review_due_on=add_months(today, settings_get(certification_body).review_months),
    )
    audit_log_record(
        actor=actor,
        action="threat.create",
        obj=threat,
        after={**values, "level": level, "residual_level": residual_level, "review_due_on": threat.review_due_on},
        certification_body_id=certification_body.pk,
    )
    return threat


def _review(
    actor: Actor, threat: Threat, reviewed_on: date, outcome: str, residual_level: str, months: int, **extra: Any
) -> ThreatReview:
    if threat.status != ThreatStatus.OPEN:
        raise Conflict(f"“{threat}” is retired; it is no longer reviewed.", code="threat_retired")
    if residual_level not in Level.values:
        raise ValidationFailed("Unknown level.", fields={"residual_level": [f"One of {', '.join(Level.values)}."]})
    if not outcome.strip():
        raise ValidationFailed("Say what the review found.", fields={"outcome": ["Required."]})
    if reviewed_on > timezone.localdate():
        raise ValidationFailed("A review is not in the future.", fields={"reviewed_on": ["Today or earlier."]})
    review = ThreatReview.objects.create(
        threat=threat,
        reviewed_on=reviewed_on,
        reviewed_by=acting_user(actor),
        outcome=outcome.strip(),
        residual_level=residual_level,
        **extra,
    )
    before = {"residual_level": threat.residual_level, "review_due_on": threat.review_due_on}
    threat.residual_level = residual_level
    threat.last_reviewed_on = max(reviewed_on, threat.last_reviewed_on or reviewed_on)
    threat.review_due_on = add_months(threat.last_reviewed_on, months)
    threat.save(update_fields=["residual_level", "last_reviewed_on", "review_due_on", "updated_at"])
    audit_log_record(
        actor=actor,
        action="threat.review",
        obj=threat,
        before=before,
        after={"residual_level": residual_level, "review_due_on": threat.review_due_on, "outcome": review.outcome},
        certification_body_id=threat.certification_body_id,
    )
    return review


@transaction.atomic
def threat_review(
    *, actor: Actor, threat: Threat, reviewed_on: date, outcome: str, residual_level: str
) -> ThreatReview:
    """Record a review of a threat (the CB administrator): the outcome and the residual level found; the next
    review is due one interval after it."""
    require_cb_role(actor, threat.certification_body_id, ADMIN, action="review the impartiality register")
    months = settings_get(threat.certification_body).review_months
    return _review(actor, threat, reviewed_on, outcome, residual_level, months)


@transaction.atomic
def threat_reassess(
    *, actor: Actor, threat: Threat, likelihood: int, severity: int, controls: str, description: str = ""
) -> Threat:
    """Change a threat's assessment and controls (the CB administrator): the level is found again; the residual
    level stays what the last review found until the next review."""
    require_cb_role(actor, threat.certification_body_id, ADMIN, action="keep the impartiality register")
    if threat.status != ThreatStatus.OPEN:
        raise Conflict(f"“{threat}” is retired; it is no longer assessed.", code="threat_retired")
    values = {
        "kind": threat.kind,
        "source": threat.source,
        "title": threat.title,
        "likelihood": likelihood,
        "severity": severity,
        "residual_level": threat.residual_level,
    }
    level = _check_threat(values)
    before = {"likelihood": threat.likelihood, "severity": threat.severity, "level": threat.level}
    threat.likelihood, threat.severity, threat.level = likelihood, severity, level
    threat.controls, threat.description = controls, description
    threat.save(update_fields=["likelihood", "severity", "level", "controls", "description", "updated_at"])
    audit_log_record(
        actor=actor,
        action="threat.reassess",
        obj=threat,
        before=before,
        after={"likelihood": likelihood, "severity": severity, "level": level, "controls": controls},
        certification_body_id=threat.certification_body_id,
    )
    return threat


@transaction.atomic
def threat_retire(*, actor: Actor, threat: Threat, reason: str) -> Threat:
    """Take a threat off the open register (it no longer exists); it stays with its reviews."""
    require_cb_role(actor, threat.certification_body_id, ADMIN, action="keep the impartiality register")
    if threat.status == ThreatStatus.RETIRED:
        raise Conflict("This threat is already retired.", code="threat_retired")
    if not reason.strip():
        raise ValidationFailed("Say why the threat no longer exists.", fields={"reason": ["Required."]})
    threat.status = ThreatStatus.RETIRED
    threat.save(update_fields=["status", "updated_at"])
    audit_log_record(
        actor=actor,
        action="threat.retire",
        obj=threat,
        before={"status": ThreatStatus.OPEN},
        after={"status": threat.status, "reason": reason.strip()},
        certification_body_id=threat.certification_body_id,
    )
    return threat


@transaction.atomic
def related_body_create(
    *, actor: Actor, certification_body: CertificationBody, name: str, relationship: str, services: str = ""
) -> RelatedBody:
    """Record a body related to the CB and the services it offers (the CB administrator)."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="record related bodies")
    errors = {f: ["Required."] for f, v in (("name", name), ("relationship", relationship)) if not v.strip()}
    if RelatedBody.objects.filter(certification_body=certification_body, name=name.strip()).exists():
        errors["name"] = ["The CB already has a related body of this name."]
    if errors:
        raise ValidationFailed("The related body is not valid.", fields=errors)
    body = RelatedBody.objects.create(
        certification_body=certification_body, name=name.strip(), relationship=relationship.strip(), services=services
    )
    audit_log_record(
        actor=actor,
        action="related_body.create",
        obj=body,
        after={"name": body.name, "relationship": body.relationship, "services": services},
        certification_body_id=certification_body.pk,
    )
    return body


@transaction.atomic
def related_body_relationship_declare(
    *,
    actor: Actor,
    related_body: RelatedBody,
    organization: Organization,
    started_on: date,
    ended_on: date | None = None,
    kind: str = ConflictKind.CONSULTANCY,
    description: str = "",
) -> ConflictOfInterest:
    """Declare a related body's relationship with a client (e.g. its consultancy), read by the cooling-off check
    for the whole CB (a CB administrator or programme manager)."""
    require_cb_role(actor, related_body.certification_body_id, *MANAGERS, action="declare relationships")
    errors: dict[str, list[str]] = {}
    if kind not in ConflictKind.values:
        errors["kind"] = [f"One of {', '.join(ConflictKind.values)}."]
    if ended_on is not None and ended_on < started_on:
        errors["ended_on"] = ["On or after the start."]
    if errors:
        raise ValidationFailed("The relationship is not valid.", fields=errors)
    conflict = ConflictOfInterest.objects.create(
        related_body=related_body,
        organization=organization,
        kind=kind,
        description=description,
        started_on=started_on,
        ended_on=ended_on,
    )
    audit_log_record(
        actor=actor,
        action="related_body.relationship",
        obj=conflict,
        after={"organization": organization.legal_name, "kind": kind, "started_on": started_on, "ended_on": ended_on},
        certification_body_id=related_body.certification_body_id,
    )
    return conflict


@transaction.atomic
def committee_member_add(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    name: str,
    interest: str,
    joined_on: date,
    left_on: date | None = None,
) -> CommitteeMember:
    """Add a member to the CB's impartiality committee (the CB administrator)."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="keep the impartiality committee")
    errors = {f: ["Required."] for f, v in (("name", name), ("interest", interest)) if not v.strip()}
    if left_on is not None and left_on < joined_on:
        errors["left_on"] = ["On or after the day they joined."]
    if errors:
        raise ValidationFailed("The member is not valid.", fields=errors)
    member = CommitteeMember.objects.create(
        certification_body=certification_body,
        name=name.strip(),
        interest=interest.strip(),
        joined_on=joined_on,
        left_on=left_on,
    )
    audit_log_record(
        actor=actor,
        action="committee_member.add",
        obj=member,
        after={"name": member.name, "interest": member.interest, "joined_on": joined_on},
        certification_body_id=certification_body.pk,
    )
    return member


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    held_on: date,
    attendees: Sequence[CommitteeMember],
    agenda: str,
    minutes: str,
    reviewed: Sequence[Threat] = (),
    outcome: str = "",
) -> CommitteeMeeting:
    """Record a committee meeting (the CB administrator): who attended, the agenda, the decisions and minutes, and
    the threats it reviewed — each gets a review with the meeting's outcome and keeps its residual level. All in
    one transaction: a refused threat leaves nothing recorded."""
    require_cb_role(actor, certification_body.pk, ADMIN, action="record committee meetings")
    errors: dict[str, list[str]] = {}
    if not attendees:
        errors["attendees"] = ["At least one member attended."]
    if any(m.certification_body_id != certification_body.pk for m in attendees):
        errors["attendees"] = ["Members of this CB's committee only."]
    if any(t.certification_body_id != certification_body.pk for t in reviewed):
        errors["reviewed"] = ["Threats of this CB's register only."]
    if any(t.status != ThreatStatus.OPEN for t in reviewed):
        errors["reviewed"] = ["Retired threats are no longer reviewed."]
    for name, value in (("agenda", agenda), ("minutes", minutes)):
        if not value.strip():
            errors[name] = ["Required."]
    if reviewed and not outcome.strip():
        errors["outcome"] = ["Say what the committee found about the threats it reviewed."]
    if held_on > timezone.localdate():
        errors["held_on"] = ["Today or earlier."]
    if errors:
        raise ValidationFailed("The meeting is not valid.", fields=errors)
    meeting = CommitteeMeeting.objects.create(
        certification_body=certification_body,
        held_on=held_on,
        agenda=agenda.strip(),
        minutes=minutes.strip(),
        recorded_by=acting_user(actor),
    )
    meeting.attendees.set(attendees)
    months = settings_get(certification_body).review_months
    for threat in reviewed:
        _review(actor, threat, held_on, outcome, threat.residual_level, months, meeting=meeting)
    audit_log_record(
        actor=actor,
        action="committee_meeting.record",
        obj=meeting,
        after={
            "held_on": held_on,
            "attendees": [m.name for m in attendees],
            "reviewed": [str(t.public_id) for t in reviewed],
        },
        certification_body_id=certification_body.pk,
    )
    return meeting
