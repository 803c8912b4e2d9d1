"""Task adapters for Airflow: small JSON in, small JSON out, the real work in ``stages``.

Each function builds its settings and store from the worker's environment, so a task can run
on any worker; what passes between tasks (through XCom) is only the run spec and counts.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from processing import corpus
from processing.core import layout
from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore, open_store
from processing.pipeline import stages

logger = logging.getLogger(__name__)


def open_context() -> tuple[Settings, ObjectStore]:
    settings = Settings.from_env()
    return settings, open_store(settings)


def daily_spec(
    outlet: str,
    interval_start: datetime | None,
    interval_end: datetime | None,
    logical_date: datetime | None,
) -> dict[str, Any]:
    """The run spec of a daily DAG run: the UTC day its data interval starts on.

    The daily DAGs use a data-interval timetable, so the run that starts after day D's
    interval has closed collects day D. A run with an empty interval (another timetable)
    covers its logical date's day.
    """
    settings = Settings.from_env()
    if interval_start is not None and interval_end is not None and interval_end > interval_start:
        day = interval_start.date()
    else:
        day = (logical_date or interval_start or interval_end or datetime.now()).date()
    return RunSpec.daily(outlet, day, settings.window_overlap_hours).to_dict()


def crawl(spec: dict[str, Any]) -> dict[str, Any]:
    settings, store = open_context()
    summary = stages.crawl(RunSpec.from_dict(spec), settings, store)
    return {
        "run_id": spec["run_id"],
        "fetches": summary.get("fetch_count"),
        "candidates": summary.get("candidate_count"),
        "finish_reason": summary.get("finish_reason"),
    }


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    settings, store = open_context()
    report = stages.extract_stage(RunSpec.from_dict(spec), settings, store)
    return {
        "run_id": spec["run_id"],
        "extracted": report["extracted"],
        "rejected": report["rejected"],
    }


def translate(spec: dict[str, Any]) -> dict[str, Any]:
    settings, store = open_context()
    report = stages.translate_stage(RunSpec.from_dict(spec), settings, store)
    return {"run_id": spec["run_id"], "statuses": report["statuses"]}


def publish(spec: dict[str, Any]) -> dict[str, Any]:
    settings, store = open_context()
    manifest = stages.publish_stage(RunSpec.from_dict(spec), settings, store)
    return {
        "run_id": manifest["run_id"],
        "stored": manifest["counts"]["stored"],
        "access": manifest["access"],
        "days": manifest["days"],
    }


class ValidationError(AssertionError):
    """The committed corpus breaks a promise of the contract."""


def validate(spec: dict[str, Any]) -> dict[str, Any]:
    """Check what the run committed: manifest present, every row of the run present exactly
    once, no duplicate article, schema as documented.

    Only the partitions the run could have touched are read (its rows' days and the ones
    its commit rewrote): a duplicate would need one copy there, and the outlet's index says
    which single partition each article belongs to, so the check stays O(run), not O(corpus).
    """
    _, store = open_context()
    run = RunSpec.from_dict(spec)
    manifest = store.get_json_or_none(layout.manifest_key(run.run_id))
    if not manifest or manifest.get("status") != "committed":
        raise ValidationError(f"run {run.run_id} has no committed manifest")
    staged = stages.read_staged(store, layout.staging(run.run_id, "translated.parquet"))
    index = corpus.load_index(store, run.outlet)
    days = {corpus.partition_day(r) for r in staged}
    days |= {
        p[1]
        for k in manifest["counts"]["stored"].get("partitions", [])
        if (p := layout.parse_partition(k))
    }
    seen: dict[str, str] = {}
    for day in sorted(days):
        key = layout.partition_key(run.outlet, day)
        if not store.exists(key):
            continue
        table = corpus.decode_parquet(store.get_bytes(key))
        if table.schema.metadata.get(b"newsloom.schema_version") is None:
            raise ValidationError(f"{key} lacks the schema version stamp")
        for aid in table.column("article_id").to_pylist():
            if aid in seen:
                raise ValidationError(f"article {aid} is in {seen[aid]} and {key}")
            if index.get(aid, (day, ""))[0] != day:
                raise ValidationError(
                    f"article {aid} is in {key} but belongs to "
                    f"{index[aid][0]}: a duplicate elsewhere"
                )
            seen[aid] = key
    missing = [r["article_id"] for r in staged if r["article_id"] not in seen]
    if missing:
        raise ValidationError(f"{len(missing)} article(s) of {run.run_id} are not in the corpus")
    return {"run_id": run.run_id, "partitions_checked": len(days), "run_rows": len(staged)}


def backfill_plan(outlet: str, first: str, last: str, force: bool = False) -> list[dict[str, Any]]:
    """One spec per day in [first, last] that has no committed run yet (resume)."""
    from processing.pipeline.runner import committed_manifest

    _, store = open_context()
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    if end < start:
        raise ValueError(f"'to' ({last}) is before 'from' ({first})")
    specs = []
    day = start
    while day <= end:
        spec = RunSpec.backfill_day(outlet, day)
        if force or committed_manifest(store, spec.run_id) is None:
            specs.append(spec.to_dict())
        day += timedelta(days=1)
    logger.info("backfill %s %s..%s: %d day(s) to run", outlet, first, last, len(specs))
    return specs


def backfill_report(outlet: str, first: str, last: str) -> dict[str, Any]:
    """Expected vs stored per day over the whole range, from the committed manifests."""
    from processing.pipeline.runner import committed_manifest

    _, store = open_context()
    days: dict[str, dict[str, int]] = {}
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    while day <= end:
        m = committed_manifest(store, RunSpec.backfill_day(outlet, day).run_id)
        days[day.isoformat()] = (
            (m or {}).get("days", {}).get(day.isoformat(), {"expected": 0, "stored": 0})
            if m
            else {"missing": 1}
        )
        day += timedelta(days=1)
    for d, counts in days.items():
        logger.info("backfill %s %s: %s", outlet, d, counts)
    return {"outlet": outlet, "days": days}
