"""One daily DAG per outlet in the registry: crawl -> extract -> translate -> publish -> validate.

Thin wiring only: every task calls a function of ``processing.airflow.tasks`` (heavy imports
happen inside it), and the tasks hand data to each other through S3 keyed by the run id.
A run collects the UTC day of its logical date (docs/operations.md, "The date rule"); the
crawl holds the outlet's pool, translation the translation pool; publishing announces the
``articles`` table (Asset) only when rows changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from airflow.sdk import dag, get_current_context, task

from processing.airflow import (
    DEFAULT_ARGS,
    corpus_alias,
    outlet_pool,
    registry,
    stage_task,
    start_datetime,
    translation_pool,
    translation_queue,
)
from processing.airflow import tasks as t
from processing.airflow.timetables import DailyCollection
from processing.core.runspec import RunSpecDict

if TYPE_CHECKING:
    from airflow.sdk import DAG


def build(outlet_id: str, schedule: str, start_date: datetime, tags: list[str]) -> DAG:
    @dag(
        dag_id=f"newsloom_daily_{outlet_id}",
        schedule=DailyCollection(schedule, timezone="UTC"),
        start_date=start_date,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["newsloom", "daily", outlet_id, *tags],
        doc_md=f"Daily crawl of `{outlet_id}` into the corpus (see docs/operations.md).",
    )
    def daily() -> None:
        @task(pool=outlet_pool(outlet_id), multiple_outputs=False)  # the spec, as one XCom
        def crawl() -> RunSpecDict:
            ctx = get_current_context()
            dag_run = ctx.get("dag_run")
            spec = t.daily_spec(
                outlet_id, ctx.get("logical_date"), getattr(dag_run, "run_after", None)
            )
            return t.crawl(spec)

        extract = stage_task(t.extract)
        translate = stage_task(t.translate, pool=translation_pool(), queue=translation_queue())
        publish = stage_task(t.publish, outlets=[corpus_alias()])
        validate = stage_task(t.validate)
        validate(publish(translate(extract(crawl()))))

    return daily()


for _outlet in registry():
    globals()[f"newsloom_daily_{_outlet.id}"] = build(
        _outlet.id, _outlet.schedule, start_datetime(_outlet), _outlet.tags
    )
