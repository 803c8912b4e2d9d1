"""Running stages in-process: one run, or a backfill day by day (resumable).

The CLI uses these; Airflow runs the same stage functions as separate tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from processing.core import layout
from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.pipeline import stages

logger = logging.getLogger(__name__)


def run_pipeline(
    spec: RunSpec, settings: Settings, store: ObjectStore, routes: list[str] | None = None
) -> dict[str, Any]:
    """crawl -> extract -> translate -> publish for one run; returns the manifest."""
    stages.crawl(spec, settings, store, routes=routes)
    stages.extract_stage(spec, settings, store)
    stages.translate_stage(spec, settings, store)
    return stages.publish_stage(spec, settings, store)


def committed_manifest(store: ObjectStore, run_id: str) -> dict[str, Any] | None:
    manifest = store.get_json_or_none(layout.manifest_key(run_id))
    if manifest and manifest.get("status") == "committed":
        return manifest
    return None


@dataclass
class DayReport:
    day: date
    run_id: str
    expected: int
    stored: int
    new: int
    skipped: bool  # already committed by an earlier (interrupted) backfill
    access: str
    rejected: dict[str, int]


def _day_report(day: date, manifest: dict[str, Any], skipped: bool) -> DayReport:
    per_day = manifest.get("days", {}).get(day.isoformat(), {})
    counts = manifest["counts"]
    return DayReport(
        day,
        manifest["run_id"],
        per_day.get("expected", 0),
        per_day.get("stored", 0),
        counts["stored"].get("new", 0),
        skipped,
        manifest["access"]["status"],
        counts.get("rejected", {}),
    )


def backfill(
    outlet: str,
    first: date,
    last: date,
    settings: Settings,
    store: ObjectStore,
    progress: Callable[[DayReport], None] | None = None,
    force: bool = False,
) -> list[DayReport]:
    """Walk [first, last] day by day; days already committed are skipped (resume).

    Each day is its own run (``<outlet>.backfill.<day>``), so an interrupted backfill
    re-run continues where it stopped, and a re-run day replaces its own output.
    """
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    reports: list[DayReport] = []
    day = first
    while day <= last:
        spec = RunSpec.backfill_day(outlet, day)
        done = None if force else committed_manifest(store, spec.run_id)
        if done is not None:
            report = _day_report(day, done, skipped=True)
        else:
            manifest = run_pipeline(spec, settings, store)
            report = _day_report(day, manifest, skipped=False)
        reports.append(report)
        if progress:
            progress(report)
        day += timedelta(days=1)
    return reports
