"""Task adapters for Airflow: small JSON in, small JSON out, the real work in
``processing.pipeline``. Imported by DAG files at parse time, so everything heavy is imported
inside the functions.

Each function builds its settings, store and catalog connection from the worker's
environment, so a task runs on any worker; what passes between tasks (XCom) is only the run
spec and counts. Decisions at this boundary:
- nothing to do (nothing listed for the window, no translation model, no rows) ends the task
  as *skipped* with the reason;
- an Asset event for the ``articles`` table is emitted only when a task changed rows, with
  the snapshot id and the counts;
- every task logs one line with its counts.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

# Task return types are resolved at run time (Airflow reads a task's return annotation to
# decide whether it has multiple outputs), so they are imported for real; both modules are
# light (the standard library only).
from processing.core.jsontypes import JSONObject, JSONValue
from processing.core.runspec import RunSpecDict

if TYPE_CHECKING:
    from crawlers.registry import Outlet
    from processing.core.config import Settings
    from processing.corpus import Corpus
    from processing.pipeline.manifest import ManifestCounts, StoredCounts

logger = logging.getLogger(__name__)


def settings_or_fail() -> Settings:
    """The worker's settings; a configuration error fails the task for good (a retry reads
    the same environment), naming every bad variable."""
    from airflow.exceptions import AirflowFailException

    from processing.core.config import Settings
    from processing.core.errors import ConfigError

    try:
        return Settings.from_env()
    except ConfigError as exc:
        logger.error("configuration error: %s", exc)
        raise AirflowFailException(f"configuration error: {exc}") from None


def outlet_or_fail(outlet_id: str, settings: Settings) -> Outlet:
    """The run's outlet; its broken registry file fails the task for good (not retried)."""
    from airflow.exceptions import AirflowFailException

    from crawlers.registry import RegistryError, get_outlet

    try:
        return get_outlet(outlet_id, settings.outlets_dirs)
    except RegistryError as exc:
        logger.error("registry: %s", exc)
        raise AirflowFailException(f"configuration error: {exc}") from None


def _context(create_bucket: bool = False) -> tuple[Settings, Corpus]:
    """Settings and corpus from the worker's environment; only the first task of a run (the
    crawl) may create the bucket."""
    from processing.core.logs import demote_third_party_warnings
    from processing.core.s3 import open_store
    from processing.corpus import open_corpus

    demote_third_party_warnings()
    settings = settings_or_fail()
    store = open_store(settings, create_bucket=create_bucket)
    return settings, open_corpus(store=store, settings=settings, write=True)


def _skip(reason: str) -> None:
    from airflow.exceptions import AirflowSkipException

    logger.warning("skipped: %s", reason)
    raise AirflowSkipException(reason)


def announce(counts: StoredCounts, snapshot_id: int | None, **extra: str) -> bool:
    """Emit an Asset event for the table through the task's alias when rows changed."""
    changed = int(counts.get("new", 0)) + int(counts.get("updated", 0))
    if not changed or snapshot_id is None:
        logger.info("no rows changed: no Asset event")
        return False
    from airflow.sdk import get_current_context

    from processing.airflow import articles_asset, corpus_alias

    payload: dict[str, JSONValue] = {
        "snapshot_id": snapshot_id,
        "new": int(counts.get("new", 0)),
        "updated": int(counts.get("updated", 0)),
        "moved": int(counts.get("moved", 0)),
        **extra,
    }
    get_current_context()["outlet_events"][corpus_alias()].add(articles_asset(), extra=payload)
    logger.info("Asset event for the articles table: %s", payload)
    return True


# ---- the date rule ----------------------------------------------------------------------
def run_day(logical_date: datetime | None, run_after: datetime | None = None) -> date:
    """The one date rule for daily runs (docs/operations.md): a run collects the UTC day of
    its logical date — scheduled, manual, cleared and catch-up runs alike. A manual run
    without a logical date collects the last complete UTC day before it was triggered."""
    from processing.core.runspec import last_complete_day

    if logical_date is not None:
        return logical_date.astimezone(UTC).date()
    return last_complete_day(run_after)


def daily_spec(
    outlet: str, logical_date: datetime | None, run_after: datetime | None
) -> RunSpecDict:
    from airflow.exceptions import AirflowFailException

    from processing.core.runspec import RunSpec

    day = run_day(logical_date, run_after)
    today = datetime.now(UTC).date()
    if day > today:
        raise AirflowFailException(f"{day} is in the future (today is {today} UTC)")
    return RunSpec.daily(outlet, day, settings_or_fail().window_overlap_hours).to_dict()


# ---- stages -----------------------------------------------------------------------------
def crawl(spec: RunSpecDict) -> RunSpecDict:
    """Crawl the run's window (known articles skipped for backfills). Exclusivity per outlet
    comes from the task's pool, so no lock is taken here."""
    from processing.core.runspec import RunSpec
    from processing.pipeline import stages
    from processing.pipeline.runner import known_urls, routes_for

    settings, corpus = _context(create_bucket=True)
    run = RunSpec.from_dict(spec)
    outlet = outlet_or_fail(run.outlet, settings)
    known = known_urls(corpus, run) if run.kind == "backfill" and not run.force else None
    summary = stages.crawl(
        run, settings, corpus.store, known_urls=known, routes=routes_for(run, outlet), lock=False
    )
    logger.info(
        "crawl %s: %s requests, %s candidates, finish %s",
        run.run_id,
        summary.fetch_count,
        summary.candidate_count,
        summary.finish_reason,
    )
    return spec


def extract(spec: RunSpecDict) -> RunSpecDict:
    from processing.core.runspec import RunSpec
    from processing.pipeline import stages

    settings, corpus = _context()
    stages.extract_stage(RunSpec.from_dict(spec), settings, corpus.store)
    return spec


def translate(spec: RunSpecDict) -> RunSpecDict:
    from processing.core.runspec import RunSpec
    from processing.pipeline import stages

    settings, corpus = _context()
    stages.translate_stage(RunSpec.from_dict(spec), settings, corpus.store)
    return spec


def publish(spec: RunSpecDict) -> RunSpecDict:
    """Commit and write the manifest; announce the table when rows changed; skipped when the
    outlet listed nothing at all for the window."""
    from processing.core.runspec import RunSpec
    from processing.pipeline import stages

    settings, corpus = _context()
    run = RunSpec.from_dict(spec)
    manifest = stages.publish_stage(run, settings, corpus)
    counts = manifest["counts"]
    announce(counts["stored"], manifest["snapshot_id"], run_id=run.run_id, outlet=run.outlet)
    listed = sum(
        n for k, n in counts["discovery"].items() if k in ("queued", "already_stored", "duplicate")
    )
    if listed == 0 and manifest["access"]["status"] == "ok":
        _skip(f"{run.outlet} listed no article for {run.first}..{run.last}")
    return spec


def validate(spec: RunSpecDict) -> dict[str, JSONValue]:
    """Check what the run committed, then judge the run: a blocked outlet (robots.txt, a
    bot challenge, unreachable listings: nothing could be collected) fails the task without
    retries (a retry asks the same outlet the same thing); a partial run (some requests
    refused or failed) succeeds with a WARNING naming what was lost."""
    from airflow.exceptions import AirflowFailException

    from processing.core import layout
    from processing.core.runspec import RunSpec
    from processing.pipeline import stages
    from processing.pipeline.outcome import run_outcome

    settings, corpus = _context()
    run = RunSpec.from_dict(spec)
    report = stages.validate_stage(run, settings, corpus).to_dict()
    manifest = corpus.store.get_json_or_none(layout.manifest_key(run.run_id))
    outcome = run_outcome(manifest if isinstance(manifest, dict) else {})
    report["outcome"] = outcome.kind
    if outcome.kind == "blocked":
        logger.error("blocked: %s", outcome.message)
        raise AirflowFailException(f"blocked: {outcome.message}")
    if outcome.kind == "partial":
        logger.warning("partial: %s", outcome.message)
    return report


# ---- backfill ---------------------------------------------------------------------------
def backfill_plan(
    outlet: str, first: str, last: str, force: bool = False, chunk_days: int = 7
) -> list[RunSpecDict]:
    """One spec per chunk of the range (a crawl process each, mapped over in Airflow)."""
    from processing.pipeline.runner import backfill_specs

    start, end = date.fromisoformat(first), date.fromisoformat(last)
    if end < start:
        raise ValueError(f"'to' ({last}) is before 'from' ({first})")
    if end > datetime.now(UTC).date():
        from airflow.exceptions import AirflowFailException

        raise AirflowFailException(f"'to' ({last}) is in the future")
    specs = [s.to_dict() for s in backfill_specs(outlet, start, end, chunk_days, force)]
    logger.info("backfill %s %s..%s: %d chunk(s)", outlet, first, last, len(specs))
    return specs


class BackfillSummary(TypedDict):
    """What the backfill's last task reports: expected and stored articles per day
    (``days``: ISO day -> its figures) and over the range."""

    outlet: str
    days: dict[str, dict[str, int]]
    expected: int
    stored: int


class MaintenanceSummary(TypedDict):
    """A re-translation's or re-processing's run id and its counts (from its manifest)."""

    run_id: str
    counts: ManifestCounts


class TableUpkeep(TypedDict):
    """The table maintenance run's id and what it did (from its manifest)."""

    run_id: str
    maintenance: JSONObject


def backfill_report(
    outlet: str, first: str, last: str, specs: list[RunSpecDict]
) -> BackfillSummary:
    """Expected vs stored per day over the range, from the chunks' manifests."""
    from processing.core import layout
    from processing.core.runspec import RunSpec
    from processing.pipeline.manifest import per_day_totals, stored_per_day

    _, corpus = _context()
    manifests = [
        m
        for s in specs
        if isinstance(m := corpus.store.get_json_or_none(layout.manifest_key(s["run_id"])), dict)
    ]
    days = per_day_totals(manifests)
    held = stored_per_day(
        corpus, RunSpec.backfill(outlet, date.fromisoformat(first), date.fromisoformat(last))
    )
    for d, counts in days.items():
        counts["stored"] = held.get(d, 0)  # the table once every chunk committed
        logger.info("backfill %s %s: %s", outlet, d, counts)
    expected = sum(c["expected"] for c in days.values())
    stored = sum(c["stored"] for c in days.values())
    logger.info(
        "backfill %s %s..%s: %d/%d chunk manifests, expected %d, stored %d",
        outlet,
        first,
        last,
        len(manifests),
        len(specs),
        expected,
        stored,
    )
    if expected == 0 and stored == 0:
        _skip(f"{outlet} listed no article for {first}..{last}: nothing to backfill")
    return BackfillSummary(outlet=outlet, days=days, expected=expected, stored=stored)


# ---- maintenance ------------------------------------------------------------------------
def retranslate(outlet: str | None, everything: bool) -> MaintenanceSummary:
    from processing.pipeline.maintenance import retranslate as run

    settings, corpus = _context()
    m = run(corpus, settings, outlet or None, everything)
    announce(m["counts"]["stored"], m["snapshot_id"], run_id=m["run_id"], kind="retranslate")
    if m["status"] == "skipped":
        _skip(m["reason"] or "nothing to do")
    return MaintenanceSummary(run_id=m["run_id"], counts=m["counts"])


def reprocess(outlet: str, first: str, last: str) -> MaintenanceSummary:
    from processing.pipeline.maintenance import reprocess as run

    settings, corpus = _context()
    m = run(corpus, settings, outlet, date.fromisoformat(first), date.fromisoformat(last))
    announce(m["counts"]["stored"], m["snapshot_id"], run_id=m["run_id"], kind="reprocess")
    if m["status"] == "skipped":
        _skip(m["reason"] or "nothing to do")
    return MaintenanceSummary(run_id=m["run_id"], counts=m["counts"])


def maintain_table(retention_days: float = 30.0) -> TableUpkeep:
    from processing.pipeline.maintenance import maintain_table as run

    _, corpus = _context()
    m = run(corpus, retention=timedelta(days=retention_days))
    return TableUpkeep(run_id=m["run_id"], maintenance=m["maintenance"])
