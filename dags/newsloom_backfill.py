"""One backfill DAG per outlet, ``newsloom_backfill_<outlet>``: collect a date range on demand.

Params are validated when the run is triggered. The plan splits the range into chunks (a
crawl process each, a week by default); the chunks run as mapped task instances in the
outlet's pool, the same pool as its daily crawls, so one crawl of an outlet runs at a time.
Each chunk skips the articles the table already holds (unless ``force``), stores every
article on its publication day in one commit per chunk; a final task reports expected vs
stored per day (skipped, with the reason, when the outlet listed nothing for the range).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from airflow.sdk import Param, dag, get_current_context, task

from processing.airflow import (
    DEFAULT_ARGS,
    corpus_alias,
    outlet_pool,
    registry,
    stage_task,
    translation_pool,
    translation_queue,
)
from processing.airflow import tasks as t
from processing.core.runspec import RunSpecDict

if TYPE_CHECKING:
    from airflow.sdk import DAG

DATE = r"^\d{4}-\d{2}-\d{2}$"


def build(outlet_id: str, tags: list[str]) -> DAG:
    @dag(
        dag_id=f"newsloom_backfill_{outlet_id}",
        schedule=None,
        is_paused_upon_creation=False,  # runs only when triggered: a paused one never would
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        default_args=DEFAULT_ARGS,
        tags=["newsloom", "backfill", outlet_id, *tags],
        params={
            "from": Param("2026-01-01", type="string", pattern=DATE, description="first day"),
            "to": Param("2026-01-01", type="string", pattern=DATE, description="last day"),
            "force": Param(False, type="boolean", description="fetch again what is stored"),
            "chunk_days": Param(
                7, type="integer", minimum=1, maximum=31, description="days per crawl"
            ),
        },
        render_template_as_native_obj=True,
        doc_md=__doc__,
    )
    def backfill() -> None:
        @task
        def plan() -> list[RunSpecDict]:
            p = get_current_context()["params"]
            return t.backfill_plan(
                outlet_id, p["from"], p["to"], bool(p.get("force")), int(p.get("chunk_days", 7))
            )

        crawl = stage_task(t.crawl, pool=outlet_pool(outlet_id))
        extract = stage_task(t.extract)
        translate = stage_task(t.translate, pool=translation_pool(), queue=translation_queue())
        publish = stage_task(t.publish, outlets=[corpus_alias()])
        validate = stage_task(t.validate)

        @task(trigger_rule="all_done")
        def report(specs: list[RunSpecDict], _: object) -> t.BackfillSummary:
            p = get_current_context()["params"]
            return t.backfill_report(outlet_id, p["from"], p["to"], specs)

        specs = plan()
        done = validate.expand(
            spec=publish.expand(
                spec=translate.expand(spec=extract.expand(spec=crawl.expand(spec=specs)))
            )
        )
        # Airflow's Task type cannot say that a task called with an XComArg gets its value
        report(specs, done)  # type: ignore[arg-type]

    return backfill()


for _outlet in registry():
    globals()[f"newsloom_backfill_{_outlet.id}"] = build(_outlet.id, _outlet.tags)
