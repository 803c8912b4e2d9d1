"""``newsloom_retranslate``: fill pending translations and redo rows made by an older model;
``newsloom_reprocess``: rebuild an outlet's rows of a date range from their raw WARC.

Manual triggers (or schedule them after a model or extractor upgrade). Each runs in the
translation pool (it loads the model once), ends *skipped* with the reason when there is
nothing to do (no model, no rows), and announces the ``articles`` table only when it
rewrote rows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import Param, dag, get_current_context, task

from processing.airflow import DEFAULT_ARGS, corpus_alias, translation_pool, translation_queue
from processing.airflow import tasks as t

DATE = r"^\d{4}-\d{2}-\d{2}$"


@dag(
    dag_id="newsloom_retranslate",
    schedule=None,
    is_paused_upon_creation=False,  # runs only when triggered: a paused one would never run
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    default_args=DEFAULT_ARGS,
    tags=["newsloom", "translation"],
    params={
        "outlet": Param("", type="string", description="registry id; empty = every outlet"),
        "everything": Param(False, type="boolean", description="re-translate every row"),
    },
    doc_md=__doc__,
)
def newsloom_retranslate() -> None:
    @task(pool=translation_pool(), queue=translation_queue(), outlets=[corpus_alias()])
    def retranslate() -> t.MaintenanceSummary:
        p = get_current_context()["params"]
        return t.retranslate(p.get("outlet") or None, bool(p.get("everything")))

    retranslate()


@dag(
    dag_id="newsloom_reprocess",
    schedule=None,
    is_paused_upon_creation=False,  # runs only when triggered: a paused one would never run
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    default_args=DEFAULT_ARGS,
    tags=["newsloom", "maintenance"],
    params={
        "outlet": Param("", type="string", minLength=1, description="registry id"),
        "from": Param("2026-01-01", type="string", pattern=DATE, description="first day"),
        "to": Param("2026-01-01", type="string", pattern=DATE, description="last day"),
    },
    doc_md=__doc__,
)
def newsloom_reprocess() -> None:
    @task(pool=translation_pool(), queue=translation_queue(), outlets=[corpus_alias()])
    def reprocess() -> t.MaintenanceSummary:
        p = get_current_context()["params"]
        return t.reprocess(p["outlet"], p["from"], p["to"])

    reprocess()


newsloom_retranslate()
newsloom_reprocess()
