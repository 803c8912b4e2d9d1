"""The daily DAGs' timetable: one date rule, and future days refused when triggered.

Scheduled like ``CronDataIntervalTimetable`` (the run for day D starts at the outlet's cron
time on D+1, once D is over). Its difference is for manual runs: a run triggered with
logical date X collects the UTC day of X (the plain cron timetable would infer the interval
ending at X, i.e. the day before), and a logical date in a future day is refused at trigger
time (the trigger fails with the reason, instead of a run that waits, blocking the outlet).
Registered through the ``newsloom`` Airflow plugin (``processing.airflow.plugin``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from airflow.timetables.base import DataInterval
from airflow.timetables.interval import CronDataIntervalTimetable

from processing.core.errors import FutureDayRefused

if TYPE_CHECKING:
    from pendulum import DateTime


class DailyCollection(CronDataIntervalTimetable):
    description = "daily collection of the UTC day of the logical date"

    def infer_manual_data_interval(self, *, run_after: DateTime) -> DataInterval:
        day = run_after.astimezone(UTC).date()
        today = datetime.now(UTC).date()
        if day > today:
            raise FutureDayRefused(
                f"{day} is in the future (today is {today} UTC): a daily run collects a past day"
            )
        import pendulum

        start = pendulum.instance(datetime.combine(day, time(), UTC))
        return DataInterval(start=start, end=start + timedelta(days=1))
