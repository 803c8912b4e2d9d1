"""Task adapters for Airflow: small JSON in, small JSON out, the real work in ``stages``.

Each function builds its settings and store from the worker's environment, so a task can run
on any worker; what passes between tasks (through XCom) is only the run spec and counts.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from processing import corpus, layout, stages
from processing.config import Settings
from processing.runspec import RunSpec
from processing.s3 import ObjectStore, open_store

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
    """Check what the run committed: manifest present, no duplicate article in the outlet,
    every row of the run present exactly once, schema as documented."""
    _, store = open_context()
    run = RunSpec.from_dict(spec)
    manifest = store.get_json_or_none(layout.manifest_key(run.run_id))
    if not manifest or manifest.get("status") != "committed":
        raise ValidationError(f"run {run.run_id} has no committed manifest")
    seen: dict[str, str] = {}
    for _, _, key in corpus.partitions(store, run.outlet):
        table = corpus.decode_parquet(store.get_bytes(key))
        if table.schema.metadata.get(b"newsloom.schema_version") is None:
            raise ValidationError(f"{key} lacks the schema version stamp")
        for aid in table.column("article_id").to_pylist():
            if aid in seen:
                raise ValidationError(f"article {aid} is in {seen[aid]} and {key}")
            seen[aid] = key
    staged = stages.read_staged(store, layout.staging(run.run_id, "translated.parquet"))
    missing = [r["article_id"] for r in staged if r["article_id"] not in seen]
    if missing:
        raise ValidationError(f"{len(missing)} article(s) of {run.run_id} are not in the corpus")
    return {"run_id": run.run_id, "articles_in_outlet": len(seen), "run_rows": len(staged)}


def backfill_plan(outlet: str, first: str, last: str, force: bool = False) -> list[dict[str, Any]]:
    """One spec per day in [first, last] that has no committed run yet (resume)."""
    from processing.runner import committed_manifest

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
    from processing.runner import committed_manifest

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
