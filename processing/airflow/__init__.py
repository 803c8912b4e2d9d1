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
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar, cast

from typing_extensions import Unpack

from processing.core.errors import BrokenOutletFiles
from processing.core.runspec import RunSpecDict

if TYPE_CHECKING:
    from airflow.sdk import Asset, AssetAlias, XComArg
    from airflow.sdk.bases.decorator import Task

    from crawlers.registry import Outlet

R = TypeVar("R")

DEFAULT_ARGS: dict[str, str | int | bool | timedelta] = {
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


def _outlet_dirs() -> list[Path]:
    return [Path(p) for p in os.environ.get("NEWSLOOM_OUTLETS_DIR", "").split(os.pathsep) if p]


def registry() -> list[Outlet]:
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


def start_datetime(outlet: Outlet) -> datetime:
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


def articles_asset() -> Asset:
    """The Airflow Asset of the corpus: the Iceberg ``articles`` table."""
    from airflow.sdk import Asset

    namespace = os.environ.get("NEWSLOOM_CATALOG_NAMESPACE", "newsloom")
    return Asset(
        name=f"{namespace}.articles",
        uri=f"iceberg://{namespace}/articles",
        group="newsloom",
        extra={"format": "iceberg", "table": f"{namespace}.articles"},
    )


def corpus_alias() -> AssetAlias:
    from airflow.sdk import AssetAlias

    return AssetAlias(CORPUS_ALIAS)


class TaskOptions(TypedDict, total=False):
    """What a stage's task may set besides its id: its pool, Celery queue, the assets (or
    alias) it announces."""

    pool: str
    queue: str
    outlets: list[AssetAlias]


def stage_task(
    fn: Callable[[RunSpecDict], R], **task_kwargs: Unpack[TaskOptions]
) -> Task[[RunSpecDict | XComArg], R]:
    """A TaskFlow task running one adapter function of ``processing.airflow.tasks`` on the
    run spec (and returning what it returns: the spec for the next stage). Used by every DAG,
    so the stage wiring is written once. A DAG calls it with the upstream task's result (an
    ``XComArg``, the spec at run time), hence the parameter type."""
    from airflow.sdk import task

    made = task(task_id=fn.__name__, **task_kwargs)(fn)
    return cast("Task[[RunSpecDict | XComArg], R]", made)
