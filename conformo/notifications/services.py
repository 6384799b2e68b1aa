"""Telling people of the work that waits for them: notices, their delivery choices, resending.

Every service that changes something a person must act on calls `notify` inside its own transaction. The notice
is written with the change; its e-mail is put on the task queue once the transaction commits (a rollback tells
nobody anything), and `conformo worker` sends it. A notice whose enqueuing was lost (the process died between the
commit and the enqueue) is picked up by the periodic sweep (`conformo.notifications.tasks.sweep_notices`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.roles import Role
from conformo.core.tenancy import has_cb_role, reach
from conformo.notifications.kinds import MANDATORY, Delivery, Kind
from conformo.notifications.models import Notice, NoticeStatus, Preference

_STATUS_FOR = {
    Delivery.IMMEDIATE: NoticeStatus.PENDING,
    Delivery.DIGEST: NoticeStatus.DIGEST,
    Delivery.OFF: NoticeStatus.OFF,
}


def deliveries_for(user: Any) -> dict[str, str]:
    """The user's delivery choice for every kind (at once unless chosen otherwise; mandatory kinds at once)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: Delivery.IMMEDIATE if kind in MANDATORY else chosen.get(kind, Delivery.IMMEDIATE) for kind in Kind}


def _enqueue_send(notice_id: int) -> None:
    from conformo.notifications.tasks import send_notice

    send_notice.enqueue(notice_id)


def notify(
    *,
    recipient: Any = None,
    to_email: str = "",
    kind: str,
    key: str,
    subject: str,
    lines: Sequence[str],
    link: str,
    action: str = "Open",
    certification_body_id: int | None = None,
    organization_id: int | None = None,
    delivery: str | None = None,
) -> Notice | None:
    """Tell `recipient` of one event. `key` names the event: a second call with the same recipient, kind and key
    (the next day's scan, a retried request) tells nothing and returns None. `link` is the path of the page where
    the work is. Delivery follows the recipient's choice for the kind (`delivery`, if given, is that choice already
    read). Must run inside the caller's transaction; the e-mail is queued when it commits.

    A person without an account (someone invited) is told at an address instead: `to_email`, with no recipient —
    for the mandatory kinds only, since nobody could have chosen otherwise."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must run inside the service's transaction.")
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of notice {kind!r}.")
    to_email = to_email.strip().lower()
    if (recipient is None) == (not to_email):
        raise ValueError("Tell either a recipient user or an address (to_email).")
    if recipient is None and kind not in MANDATORY:
        raise ValueError(f"A notice of kind {kind!r} goes to a user; only {sorted(MANDATORY)} go to an address.")
    if recipient is not None and (not recipient.is_active or not recipient.email):
        return None
    if kind in MANDATORY:
        delivery = Delivery.IMMEDIATE
    elif delivery is None:
        delivery = (
            Preference.objects.filter(user=recipient, kind=kind).values_list("delivery", flat=True).first()
            or Delivery.IMMEDIATE
        )
    told = Notice.objects.filter(kind=kind, key=key[:200])
    told = told.filter(recipient=recipient) if recipient is not None else told.filter(to_email=to_email)
    if told.exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                recipient=recipient,
                to_email=to_email,
                kind=kind,
                key=key[:200],
                subject=subject[:200],
                lines=[str(line) for line in lines],
                link=link[:500],
                action=action[:60],
                delivery=delivery,
                status=_STATUS_FOR[Delivery(delivery)],
                certification_body_id=certification_body_id,
                organization_id=organization_id,
            )
    except IntegrityError:
        return None  # the same event told at the same moment by another process: it is told once
    if notice.status == NoticeStatus.PENDING:
        transaction.on_commit(partial(_enqueue_send, notice.pk), robust=True)
    return notice


def notify_all(*, recipients: Iterable[Any], **message: Any) -> list[Notice]:
    """`notify` each distinct recipient of one event (their delivery choices read in one query)."""
    people = {person.pk: person for person in recipients if person is not None}
    chosen = dict(
        Preference.objects.filter(user_id__in=list(people), kind=message["kind"]).values_list("user_id", "delivery")
    )
    notices = []
    for pk, person in people.items():
        notice = notify(recipient=person, delivery=chosen.get(pk, Delivery.IMMEDIATE), **message)
        if notice is not None:
            notices.append(notice)
    return notices


@transaction.atomic
def preferences_set(*, actor: Actor, user: Any, choices: dict[str, str]) -> dict[str, str]:
    """Set the user's delivery per kind (`{kind: immediate|digest|off}`); only the user themself may. Mandatory
    kinds cannot be changed. Returns every kind's delivery after the change."""
    if acting_user(actor) is None or acting_user(actor) != user:
        raise PermissionDenied("You can choose only your own notifications.")
    errors: dict[str, list[str]] = {}
    for kind, delivery in choices.items():
        if kind not in Kind.values:
            errors[kind] = [f"Unknown kind of notice; kinds: {', '.join(Kind.values)}."]
        elif delivery not in Delivery.values:
            errors[kind] = [f"Choose one of {', '.join(Delivery.values)}."]
        elif kind in MANDATORY and delivery != Delivery.IMMEDIATE:
            errors[kind] = [f"“{Kind(kind).label}” is always sent at once: it cannot be switched off."]
    if errors:
        raise ValidationFailed("Some choices are not valid.", fields=errors, code="invalid_preferences")
    before = deliveries_for(user)
    changed = {kind: delivery for kind, delivery in choices.items() if before[kind] != delivery}
    for kind, delivery in changed.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    if changed:
        audit_log_record(
            actor=actor,
            action="notification_preferences.set",
            obj=user,
            before={kind: before[kind] for kind in changed},
            after=changed,
        )
    return {**before, **changed}


def _may_resend(actor: Actor, notice: Notice) -> bool:
    if reach(actor).superuser or acting_user(actor) == notice.recipient:
        return True
    return notice.certification_body_id is not None and has_cb_role(actor, notice.certification_body_id, Role.CB_ADMIN)


@transaction.atomic
def notice_resend(*, actor: Actor, notice: Notice) -> Notice:
    """Send a notice that failed again, from its first attempt (its recipient or the CB administrator)."""
    if not _may_resend(actor, notice):
        raise PermissionDenied("Only the recipient or the certification body's administrator can resend a notice.")
    if notice.status != NoticeStatus.FAILED:
        raise Conflict("Only a notice whose sending failed can be sent again.", code="notice_not_failed")
    notice.status, notice.attempts, notice.next_attempt_at = NoticeStatus.PENDING, 0, None
    notice.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    audit_log_record(
        actor=actor,
        action="notice.resend",
        obj=notice,
        before={"status": NoticeStatus.FAILED, "last_error": notice.last_error},
        after={"status": NoticeStatus.PENDING},
        certification_body_id=notice.certification_body_id,
        organization_id=notice.organization_id,
    )
    transaction.on_commit(partial(_enqueue_send, notice.pk), robust=True)
    return notice
