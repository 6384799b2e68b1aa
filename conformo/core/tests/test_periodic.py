"""Periodic tasks: the worker keeps the next run of each on the queue, and a missed run happens at once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from conformo.core.periodic import Schedule, ensure_scheduled, schedules

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DIGESTS = "conformo.notifications.tasks.send_digests"
SWEEP = "conformo.notifications.tasks.sweep_notices"
REMINDERS = "conformo.inbox.tasks.daily_reminders"
NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_a_daily_task_was_last_due_today_after_its_time_and_yesterday_before_it() -> None:
    daily = Schedule("x", at=time(7, 0))
    assert daily.last_due(NOON) == datetime(2026, 12, 5, 7, 0, tzinfo=UTC)
    assert daily.next_due(NOON) == datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    assert daily.last_due(NOON.replace(hour=6)) == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


def test_an_interval_task_is_due_every_interval_from_midnight() -> None:
    every = Schedule("x", every=timedelta(minutes=15))
    assert every.last_due(NOON + timedelta(minutes=7)) == NOON
    assert every.next_due(NOON + timedelta(minutes=7)) == NOON + timedelta(minutes=15)


@pytest.mark.parametrize(
    "spec", [{"at": "25:00"}, {"every_minutes": 0}, {"every_minutes": 2000}, {"hourly": True}], ids=str
)
def test_a_malformed_schedule_is_refused_with_its_task_named(spec: dict[str, Any]) -> None:
    with (
        override_settings(PERIODIC_TASKS={"conformo.x": spec}),
        pytest.raises(ImproperlyConfigured, match=r"conformo\.x"),
    ):
        schedules()


@pytest.mark.django_db
def test_without_the_database_queue_nothing_is_scheduled() -> None:
    assert ensure_scheduled() == []


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_each_periodic_task_is_queued_once_and_runs_at_once_when_it_never_ran() -> None:
    with time_machine.travel(NOON, tick=False):
        enqueued = dict(ensure_scheduled())
        assert enqueued == {SWEEP: NOON, REMINDERS: NOON, DIGESTS: NOON}
        assert ensure_scheduled() == []  # a run is waiting already
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 3


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_that_ran_today_is_queued_for_its_next_time_and_a_missed_day_runs_at_once() -> None:
    # The worker closes stale connections between tasks, as a request does; here the test's connection holds the
    # test's transaction (on PostgreSQL closing it would end the test), so that is left out.
    with (
        time_machine.travel(NOON, tick=False),
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
    ):
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        waiting = dict(DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list("task_path", "run_after"))
        assert waiting == {
            DIGESTS: datetime(2026, 12, 6, 7, 0, tzinfo=UTC),
            REMINDERS: datetime(2026, 12, 6, 6, 0, tzinfo=UTC),
            SWEEP: NOON + timedelta(minutes=15),
        }
        assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 3
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()  # the queue was lost; three days pass
    with time_machine.travel(NOON + timedelta(days=3), tick=False):
        assert dict(ensure_scheduled())[DIGESTS] == NOON + timedelta(days=3)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_run_whose_worker_was_killed_holds_back_the_next_only_for_a_while() -> None:
    with time_machine.travel(NOON, tick=False):
        ensure_scheduled()
        DBTaskResult.objects.filter(task_path=DIGESTS).update(status=TaskResultStatus.RUNNING, started_at=NOON)
        assert DIGESTS not in dict(ensure_scheduled())
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        assert DIGESTS in dict(ensure_scheduled())
