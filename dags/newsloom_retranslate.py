"""``newsloom_retranslate``: fill pending translations and redo rows made by an older model.

Manual trigger (or schedule it after a model upgrade); optional params narrow it to one outlet
or redo every row.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import Param, dag, get_current_context, task

from processing.airflow import DEFAULT_ARGS, translation_queue


@dag(
    dag_id="newsloom_retranslate",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    default_args=DEFAULT_ARGS,
    tags=["newsloom", "translation"],
    params={
        "outlet": Param("", type="string", description="registry id; empty = every outlet"),
        "everything": Param(
            False, type="boolean", description="re-translate every non-English row"
        ),
    },
    doc_md=__doc__,
)
def newsloom_retranslate() -> None:
    @task(queue=translation_queue())
    def retranslate() -> dict:
        from processing.airflow.tasks import open_context
        from processing.pipeline.maintenance import retranslate as run

        p = get_current_context()["params"]
        settings, store = open_context()
        return run(store, settings, p.get("outlet") or None, bool(p.get("everything"))).to_dict()

    retranslate()


newsloom_retranslate()
