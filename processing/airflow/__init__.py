"""What the DAG files share. Light by design: DAG files import this at parse time, so it pulls
in nothing heavier than the outlet registry (pydantic + PyYAML, which Airflow already loads).

Resources and exclusivity come from Airflow, not from tasks sleeping on locks:
- one pool per outlet, ``newsloom_<outlet>`` (1 slot by default), holds every crawl of that
  outlet (daily runs, cleared reruns, backfill chunks): one crawl of an outlet at a time;
- ``newsloom_translation`` holds every task that loads a translation model (size it to the
  machine: a model copy per slot);
- the table commit needs no exclusivity: Iceberg commits are optimistic and retried.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from processing.core.errors import BrokenOutletFiles

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newsloom",
    "retries": int(os.environ.get("NEWSLOOM_TASK_RETRIES", "3")),
    # the first retry's delay, doubled at each further try (seconds; tests use a few)
    "retry_delay": timedelta(seconds=int(os.environ.get("NEWSLOOM_TASK_RETRY_DELAY", "120"))),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=60),
    "execution_timeout": timedelta(hours=3),
}

TRANSLATION_POOL = "newsloom_translation"
CORPUS_ALIAS = "newsloom-articles"  # tasks that change rows announce the table through it


def _outlet_dirs() -> list[Any]:
    from pathlib import Path

    return [Path(p) for p in os.environ.get("NEWSLOOM_OUTLETS_DIR", "").split(os.pathsep) if p]


def registry() -> list[Any]:
    """Enabled outlets, built-in plus ``NEWSLOOM_OUTLETS_DIR`` folders. A broken registry
    file leaves out only its own outlet (``dags/newsloom_outlet_registry.py`` names it)."""
    from crawlers.registry import load_registry

    return [o for o in load_registry(_outlet_dirs()).values() if o.enabled]


def check_registry() -> None:
    """Raise :class:`BrokenOutletFiles` naming every outlet whose registry file is broken."""
    from crawlers.registry import registry_errors

    broken = registry_errors(_outlet_dirs())
    if broken:
        raise BrokenOutletFiles(
            f"{len(broken)} outlet registry file(s) broken; their outlets have no DAG until "
            "fixed, the other outlets are unaffected:\n"
            + "\n".join(f"outlet {b.id}: {b.error}" for b in broken)
        )


def start_datetime(outlet: Any) -> datetime:
    return datetime.combine(outlet.start_date, time(), UTC)


def _pools_enabled() -> bool:
    return os.environ.get("NEWSLOOM_AIRFLOW_POOLS", "1") != "0"


def outlet_pool(outlet_id: str) -> str:
    """The Airflow pool that holds every crawl of one outlet (politeness, exclusivity).

    ``NEWSLOOM_AIRFLOW_POOLS=0`` puts tasks in the default pool (for a bare Airflow where the
    newsloom pools were not created).
    """
    return f"newsloom_{outlet_id}" if _pools_enabled() else "default_pool"


def translation_pool() -> str:
    return TRANSLATION_POOL if _pools_enabled() else "default_pool"


def translation_queue() -> str:
    """Celery queue for translation tasks (``gpu`` when a GPU worker set exists)."""
    return os.environ.get("NEWSLOOM_TRANSLATION_QUEUE", "default")


def articles_asset() -> Any:
    """The Airflow Asset of the corpus: the Iceberg ``articles`` table."""
    from airflow.sdk import Asset

    namespace = os.environ.get("NEWSLOOM_CATALOG_NAMESPACE", "newsloom")
    return Asset(
        name=f"{namespace}.articles",
        uri=f"iceberg://{namespace}/articles",
        group="newsloom",
        extra={"format": "iceberg", "table": f"{namespace}.articles"},
    )


def corpus_alias() -> Any:
    from airflow.sdk import AssetAlias

    return AssetAlias(CORPUS_ALIAS)


def stage_task(fn: Callable[[dict[str, Any]], dict[str, Any]], **task_kwargs: Any) -> Any:
    """A TaskFlow task running one adapter function of ``processing.airflow.tasks`` on the
    run spec (and returning what it returns: the spec for the next stage). Used by every DAG,
    so the stage wiring is written once."""
    from airflow.sdk import task

    return task(task_id=fn.__name__, **task_kwargs)(fn)
