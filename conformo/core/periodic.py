"""Periodic tasks on the database queue, kept scheduled by the worker itself.

`settings.PERIODIC_TASKS` names each periodic task (its module path) with either a daily time (`{"at": "06:00"}`,
in `TIME_ZONE`) or an interval (`{"every_minutes": 15}`). There is no separate scheduler process: the next run of a
periodic task is enqueued (with `run_after`) when `conformo worker` starts and each time a run of it finishes.
A run that was missed — the worker was down at 06:00, or for a week — is enqueued to run at once, one run however
many were missed: the tasks select their work by date window, so one late run catches up on every missed day. A
run whose worker was killed mid-way stays marked running; after `ABANDONED` it no longer holds back the next.

Only the database queue (django-tasks-db) defers tasks; with any other backend nothing is scheduled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max, Q
from django.tasks import TaskResultStatus, default_task_backend, task_backends
from django.tasks.signals import task_finished
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# A run still marked running after this long was abandoned (its worker was killed): it no longer holds back the
# next run. Periodic tasks take seconds to minutes.
ABANDONED = timedelta(hours=2)


@dataclass(frozen=True)
class Schedule:
    """When one periodic task runs: daily `at` a local time, or `every` interval counted from local midnight."""

    path: str
    at: time | None = None
    every: timedelta | None = None

    def last_due(self, now: datetime) -> datetime:
        """The latest moment at or before `now` when the task was due."""
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.at is not None:
            due = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
            return due if due <= local else due - timedelta(days=1)
        assert self.every is not None
        periods = (local - midnight) // self.every
        return midnight + periods * self.every

    def next_due(self, now: datetime) -> datetime:
        """The first moment after `now` when the task is due."""
        if self.at is not None:
            return self.last_due(now) + timedelta(days=1)
        assert self.every is not None
        return self.last_due(now) + self.every


def _parse_time(path: str, raw: str) -> time:
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PERIODIC_TASKS[{path!r}]: {raw!r} is not a time of day (HH:MM).") from exc


def schedules() -> list[Schedule]:
    """The periodic tasks of `settings.PERIODIC_TASKS`, checked."""
    result = []
    for path, spec in getattr(settings, "PERIODIC_TASKS", {}).items():
        if "at" in spec:
            result.append(Schedule(path, at=_parse_time(path, str(spec["at"]))))
        elif "every_minutes" in spec:
            minutes = int(spec["every_minutes"])
            if not 1 <= minutes <= 1440:
                raise ImproperlyConfigured(f"PERIODIC_TASKS[{path!r}]: every_minutes runs from 1 to 1440.")
            result.append(Schedule(path, every=timedelta(minutes=minutes)))
        else:
            raise ImproperlyConfigured(f"PERIODIC_TASKS[{path!r}] needs 'at' (HH:MM) or 'every_minutes'.")
    return result


def _database_queue() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[default_task_backend.alias], DatabaseBackend)


def ensure_scheduled(now: datetime | None = None) -> list[tuple[str, datetime]]:
    """Enqueue the next run of every periodic task that has none waiting. Returns (path, run after) per task
    enqueued. A task whose last successful run is older than its last due time runs at once."""
    if not _database_queue():
        return []
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    enqueued = []
    for schedule in schedules():
        runs = DBTaskResult.objects.filter(task_path=schedule.path)
        waiting = Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=now - ABANDONED)
        if runs.filter(waiting).exists():
            continue
        last_success = runs.filter(status=TaskResultStatus.SUCCESSFUL).aggregate(at=Max("finished_at"))["at"]
        caught_up = last_success is not None and last_success >= schedule.last_due(now)
        run_after = schedule.next_due(now) if caught_up else now
        import_string(schedule.path).using(run_after=run_after).enqueue()
        enqueued.append((schedule.path, run_after))
    return enqueued


def _schedule_next_run(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """After a periodic task ran (well or not), its next run is put on the queue."""
    if task_result.task.module_path in {schedule.path for schedule in schedules()}:
        try:
            ensure_scheduled()
        except Exception:  # a failed re-scheduling must not fail the task; the next worker start repairs it
            logger.exception("Could not schedule the next run of %s", task_result.task.module_path)


task_finished.connect(_schedule_next_run, dispatch_uid="conformo.core.periodic")
