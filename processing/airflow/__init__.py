"""What the DAG files share. Light by design: DAG files import this at parse time, so it pulls
in nothing heavier than the outlet registry (pydantic + PyYAML, which Airflow already loads)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from typing import Any

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newsloom",
    "retries": int(os.environ.get("NEWSLOOM_TASK_RETRIES", "3")),
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=60),
    "execution_timeout": timedelta(hours=3),
}


def registry() -> list[Any]:
    """Enabled outlets, built-in plus ``NEWSLOOM_OUTLETS_DIR`` folders."""
    from pathlib import Path

    from crawlers.registry import load_registry

    extra = [Path(p) for p in os.environ.get("NEWSLOOM_OUTLETS_DIR", "").split(os.pathsep) if p]
    return [o for o in load_registry(extra).values() if o.enabled]


def start_datetime(outlet: Any) -> datetime:
    return datetime.combine(outlet.start_date, time(), UTC)


def outlet_pool(outlet_id: str) -> str:
    """The Airflow pool that bounds concurrent crawls of one outlet (politeness).

    ``NEWSLOOM_AIRFLOW_POOLS=0`` puts crawls in the default pool (for a bare Airflow where
    the per-outlet pools were not created).
    """
    if os.environ.get("NEWSLOOM_AIRFLOW_POOLS", "1") == "0":
        return "default_pool"
    return f"newsloom_{outlet_id}"


def translation_queue() -> str:
    """Celery queue for translation tasks (``gpu`` when a GPU worker set exists)."""
    return os.environ.get("NEWSLOOM_TRANSLATION_QUEUE", "default")


CORPUS_ALIAS = "newsloom-corpus"  # backfills announce the outlet's Asset through it


def corpus_asset(outlet_id: str) -> Any:
    from airflow.sdk import Asset

    bucket = os.environ.get("NEWSLOOM_S3_BUCKET", "newsloom")
    return Asset(
        f"s3://{bucket}/articles/v1/outlet={outlet_id}",
        extra={"outlet": outlet_id, "format": "parquet", "corpus": "v1"},
    )


def stage_task(stage: str, **task_kwargs: Any) -> Any:
    """A TaskFlow task that runs ``processing.airflow.tasks.<stage>(spec)``.

    It returns the spec for the next stage (``validate`` returns its report). Used by every
    DAG, so the stage wiring is written once.
    """
    from airflow.sdk import task

    def run(spec: Any) -> Any:
        from processing.airflow import tasks

        result = getattr(tasks, stage)(spec)
        return result if stage == "validate" else spec

    run.__name__ = run.__qualname__ = stage
    return task(task_id=stage, **task_kwargs)(run)
