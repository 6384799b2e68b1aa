"""The daily reminder scan as a periodic task (`settings.PERIODIC_TASKS`, at `DAILY_SCAN_TIME`), run by
`conformo worker`. A missed run is run once when the worker is back: the scan catches up by date window."""

from __future__ import annotations

from django.tasks import task

from conformo.inbox.reminders import daily_scan


@task()
def daily_reminders() -> int:
    """Run the daily reminder scan for today; returns how many notices it created."""
    return daily_scan().total
