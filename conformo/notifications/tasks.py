"""Background tasks of notices: sending one, the daily digests, and the sweep that catches what was stranded.

Each task is safe to run twice: a notice is claimed (its status moved on in one UPDATE) before its e-mail goes,
so two runs of the same send never both send it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from conformo.notifications.emails import digest_email, notice_email
from conformo.notifications.models import Notice, NoticeStatus

logger = logging.getLogger(__name__)

# How long a notice may wait in a state before the sweep takes it as stranded (its task lost or its worker killed).
STRANDED_AFTER = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: NOTIFY_RETRY_BASE_SECONDS × 4^(attempts−1)."""
    return timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS * 4 ** max(attempts - 1, 0))


def _enqueue_retry(notice: Notice) -> None:
    """Queue the next attempt for when it is due (the database queue defers; other backends leave it to the sweep)."""
    if default_task_backend.supports_defer and notice.next_attempt_at is not None:
        send_notice.using(run_after=notice.next_attempt_at).enqueue(notice.pk)


@task()
def send_notice(notice_id: int) -> str:
    """Send one notice's e-mail. A failure is recorded on the notice and tried again later with back-off; after
    NOTIFY_MAX_ATTEMPTS it is marked failed (the CB administrator sees it and can send it again)."""
    now = timezone.now()
    claimable = Q(status=NoticeStatus.PENDING) | Q(status=NoticeStatus.RETRYING, next_attempt_at__lte=now)
    if not Notice.objects.filter(claimable, pk=notice_id).update(status=NoticeStatus.SENDING, updated_at=now):
        return "not due"  # sent already, not yet due for another attempt, or switched to the digest
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    try:
        notice_email(notice).send()
    except Exception as exc:  # any failure of the mail server or the network: record it, try again later
        notice.attempts += 1
        notice.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if notice.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            notice.status, notice.next_attempt_at = NoticeStatus.FAILED, None
        else:
            notice.status, notice.next_attempt_at = NoticeStatus.RETRYING, now + retry_delay(notice.attempts)
        notice.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"])
        logger.warning("Sending notice %s failed (attempt %s): %s", notice.pk, notice.attempts, notice.last_error)
        if notice.status == NoticeStatus.RETRYING:
            _enqueue_retry(notice)
        return notice.status
    notice.attempts += 1
    notice.status, notice.sent_at, notice.next_attempt_at = NoticeStatus.SENT, timezone.now(), None
    notice.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "updated_at"])
    return notice.status


@task()
def send_digests() -> int:
    """Send each recipient one e-mail with the notices they chose to get as a daily digest. Returns how many
    digests went out. A digest that cannot be sent stays for the next run."""
    sent = 0
    waiting = (
        Notice.objects.filter(status=NoticeStatus.DIGEST)
        .select_related("recipient")
        .order_by("recipient_id", "kind", "created_at")
    )
    for _recipient_id, group in groupby(waiting.iterator(chunk_size=500), key=lambda notice: notice.recipient_id):
        notices = list(group)
        ids = [notice.pk for notice in notices]
        try:
            digest_email(notices[0].recipient, notices).send()
        except Exception as exc:  # the mail server is down: the notices wait for the next digest
            Notice.objects.filter(pk__in=ids).update(last_error=f"{type(exc).__name__}: {exc}"[:500])
            logger.warning("Sending the digest of user %s failed: %s", notices[0].recipient_id, exc)
            continue
        now = timezone.now()
        Notice.objects.filter(pk__in=ids, status=NoticeStatus.DIGEST).update(
            status=NoticeStatus.SENT, sent_at=now, updated_at=now
        )
        sent += 1
    return sent


@task()
def sweep_notices() -> int:
    """Queue again every notice whose sending was stranded: pending with no task (the process died between the
    commit and the enqueue), a retry whose task was lost, or a send whose worker was killed mid-way. Returns how
    many were queued."""
    now = timezone.now()
    stale = now - STRANDED_AFTER
    with transaction.atomic():
        killed = list(
            Notice.objects.filter(status=NoticeStatus.SENDING, updated_at__lt=stale).values_list("pk", flat=True)
        )
        Notice.objects.filter(pk__in=killed).update(status=NoticeStatus.RETRYING, next_attempt_at=now, updated_at=now)
    stranded = list(
        Notice.objects.filter(
            Q(status=NoticeStatus.PENDING, updated_at__lt=stale)
            | Q(status=NoticeStatus.RETRYING, next_attempt_at__lt=now - timedelta(minutes=1))
        ).values_list("pk", flat=True)[:1000]
    )
    for notice_id in [*killed, *stranded]:
        send_notice.enqueue(notice_id)
    return len(killed) + len(stranded)
