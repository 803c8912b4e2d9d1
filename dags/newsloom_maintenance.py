"""``newsloom_maintenance``: daily upkeep of the ``articles`` table, safe while writers commit:
expire snapshots past the retention (time travel and the change feed reach back that far),
compact partitions into one file each, remove orphan files older than a grace period, and
delete staging objects of long-finished runs."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from airflow.sdk import dag, task

from processing.airflow import DEFAULT_ARGS
from processing.airflow import tasks as t


@dag(
    dag_id="newsloom_maintenance",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newsloom", "maintenance"],
    doc_md=__doc__,
)
def newsloom_maintenance() -> None:
    @task
    def maintain_table() -> t.TableUpkeep:
        days = float(os.environ.get("NEWSLOOM_SNAPSHOT_RETENTION_DAYS", "30"))
        return t.maintain_table(days)

    maintain_table()


newsloom_maintenance()
