"""``newsloom_backfill``: collect one outlet over a date range on demand (manual trigger).

Params are validated before anything runs. Days already committed are skipped (resume); the
remaining days run as mapped task instances, bounded by the outlet's pool (politeness), and a
final task reports expected-vs-stored per day.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.sdk import AssetAlias, Param, dag, get_current_context, task

from processing.airflow import (
    CORPUS_ALIAS,
    DEFAULT_ARGS,
    corpus_asset,
    outlet_pool,
    registry,
    stage_task,
    translation_queue,
)

OUTLETS = sorted(o.id for o in registry())
DATE = r"^\d{4}-\d{2}-\d{2}$"


@dag(
    dag_id="newsloom_backfill",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    default_args=DEFAULT_ARGS,
    tags=["newsloom", "backfill"],
    params={
        "outlet": Param(
            OUTLETS[0] if OUTLETS else "",
            type="string",
            enum=OUTLETS or [""],
            description="registry id of the outlet",
        ),
        "from": Param("2026-01-01", type="string", pattern=DATE, description="first day"),
        "to": Param("2026-01-01", type="string", pattern=DATE, description="last day"),
        "force": Param(False, type="boolean", description="redo days already committed"),
    },
    render_template_as_native_obj=True,
    doc_md=__doc__,
)
def newsloom_backfill() -> None:
    @task
    def plan() -> list[dict]:
        from processing.airflow import tasks

        p = get_current_context()["params"]
        return tasks.backfill_plan(p["outlet"], p["from"], p["to"], bool(p.get("force")))

    # The pool is per outlet, known only at run time: backfill crawls share the pool
    # "newsloom_backfill"; the crawl lock in S3 still keeps one crawl per outlet at a time.
    crawl = stage_task("crawl", pool=outlet_pool("backfill"), max_active_tis_per_dag=2)
    extract = stage_task("extract")
    translate = stage_task("translate", queue=translation_queue())
    validate = stage_task("validate")

    # The outlet is a run-time parameter, so the corpus Asset is announced through an alias.
    @task(outlets=[AssetAlias(CORPUS_ALIAS)])
    def publish(spec: Any) -> Any:
        from processing.airflow import tasks

        tasks.publish(spec)
        get_current_context()["outlet_events"][AssetAlias(CORPUS_ALIAS)].add(
            corpus_asset(spec["outlet"])
        )
        return spec

    @task(trigger_rule="all_done")
    def report(_: object) -> dict:
        from processing.airflow import tasks

        p = get_current_context()["params"]
        return tasks.backfill_report(p["outlet"], p["from"], p["to"])

    done = validate.expand(
        spec=publish.expand(
            spec=translate.expand(spec=extract.expand(spec=crawl.expand(spec=plan())))
        )
    )
    report(done)


newsloom_backfill()
