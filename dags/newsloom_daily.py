"""One daily DAG per outlet in the registry: crawl -> extract -> translate -> publish -> validate.

Thin wiring only: every task calls a function in ``processing.airflow.tasks`` (imported inside the
task), and the tasks hand data to each other through S3 keyed by the run id. Publishing emits
an Asset event for the outlet's corpus so downstream DAGs can schedule on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow.sdk import dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

from processing.airflow import (
    DEFAULT_ARGS,
    corpus_asset,
    outlet_pool,
    registry,
    stage_task,
    start_datetime,
    translation_queue,
)


def build(outlet_id: str, schedule: str, start_date: datetime, tags: list[str]) -> Any:
    # A data-interval timetable: the run that starts after day D's interval closes collects
    # day D (its logical date), whole.
    @dag(
        dag_id=f"newsloom_daily_{outlet_id}",
        schedule=CronDataIntervalTimetable(schedule, timezone="UTC"),
        start_date=start_date,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["newsloom", "daily", outlet_id, *tags],
        doc_md=f"Daily crawl of `{outlet_id}` into the corpus (see docs/operations.md).",
    )
    def daily() -> None:
        @task(pool=outlet_pool(outlet_id))
        def crawl() -> Any:
            from processing.airflow import tasks

            ctx = get_current_context()
            spec = tasks.daily_spec(
                outlet_id,
                ctx.get("data_interval_start"),
                ctx.get("data_interval_end"),
                ctx.get("logical_date"),
            )
            tasks.crawl(spec)
            return spec

        extract = stage_task("extract")
        translate = stage_task("translate", queue=translation_queue())
        publish = stage_task("publish", outlets=[corpus_asset(outlet_id)])
        validate = stage_task("validate")
        validate(publish(translate(extract(crawl()))))

    return daily()


for _outlet in registry():
    globals()[f"newsloom_daily_{_outlet.id}"] = build(
        _outlet.id, _outlet.schedule, start_datetime(_outlet), _outlet.tags
    )
