"""The ``newsloom`` Airflow plugin (entry point ``airflow.plugins``): registers the daily
timetable so the scheduler, the API server and the dag-processor can deserialize it."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from processing.airflow.timetables import DailyCollection


class NewsloomPlugin(AirflowPlugin):
    name = "newsloom"
    timetables = [DailyCollection]  # noqa: RUF012 - AirflowPlugin's own attribute
