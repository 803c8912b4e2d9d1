"""Running the stages in-process: one run, or a backfill planned over its whole range.

The CLI uses these; Airflow runs the same stage functions as separate tasks.

A backfill of ``first..last``:
1. splits the range into chunks (``chunk_days``, a week by default), one crawl process each;
   discovery reads one more local day only at the edges of the whole range, not between
   chunks, so each listed article belongs to one chunk;
2. gives each chunk's crawl the canonical URLs the table already holds for the outlet, and
   those earlier chunks of the same backfill requested, which are not fetched again (unless
   ``force``) — a re-run or a resumed backfill fetches only what is missing, and an article
   listed by several chunks is fetched by the first;
3. stores every article a chunk fetched that was published anywhere in the whole range (or
   that the outlet's listing placed in it), on its publication day, and commits day by day,
   so an interrupted backfill keeps every day it finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.corpus import Corpus
from processing.pipeline import stages
from processing.pipeline.manifest import per_day_totals, stored_per_day

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_DAYS = 7
# Feeds and news sitemaps list about the last two days; an older day needs the backfill routes.
FEED_REACH_DAYS = 2


def routes_for(spec: RunSpec, outlet: Any, today: date | None = None) -> list[str] | None:
    """Discovery routes for a run: a daily run of a day older than the feeds reach uses the
    backfill routes (a cleared or caught-up old run must not read only today's feed)."""
    today = today or datetime.now(UTC).date()
    if spec.kind == "daily" and spec.last < today - timedelta(days=FEED_REACH_DAYS):
        return list(outlet.backfill_routes())
    return None


def known_urls(corpus: Corpus, spec: RunSpec) -> set[str]:
    """Canonical URLs a run of ``spec`` need not fetch: the articles the table holds for its
    outlet (by their canonical URL and by the URL they were fetched from: a listing may give
    an old or redirecting address), and those an earlier run rejected for good
    (``processing.pipeline.ledger``)."""
    from crawlers.registry import get_outlet
    from processing.core.urls import canonical_url
    from processing.pipeline import ledger

    keep = get_outlet(spec.outlet, corpus.settings.outlets_dirs).keep_query
    table = corpus.read(["canonical_url", "url"], outlet=spec.outlet)
    held = set(table.column("canonical_url").to_pylist())
    held |= {canonical_url(u, keep) for u in table.column("url").to_pylist()}
    first = spec.range_first or spec.first
    last = spec.range_last or spec.last
    return held | ledger.skip_urls(corpus.store, spec.outlet, first, last)


def run_pipeline(
    spec: RunSpec,
    settings: Settings,
    corpus: Corpus,
    routes: list[str] | None = None,
    known: set[str] | None = None,
    translator: Any = None,
) -> dict[str, Any]:
    """crawl -> extract -> translate -> publish -> validate for one run; returns the
    manifest."""
    from crawlers.registry import get_outlet

    outlet = get_outlet(spec.outlet, settings.outlets_dirs)
    store = corpus.store
    stages.crawl(spec, settings, store, known_urls=known, routes=routes or routes_for(spec, outlet))
    stages.extract_stage(spec, settings, store)
    stages.translate_stage(spec, settings, store, translator)
    manifest = stages.publish_stage(spec, settings, corpus)
    stages.validate_stage(spec, settings, corpus)
    return manifest


@dataclass
class DayReport:
    day: date
    expected: int
    stored: int
    new: int


@dataclass
class ChunkReport:
    first: date
    last: date
    run_id: str
    fetched: int
    stored_new: int
    access: str
    rejected: dict[str, int]
    skipped_known: int


@dataclass
class BackfillReport:
    outlet: str
    first: date
    last: date
    chunks: list[ChunkReport] = field(default_factory=list)
    days: list[DayReport] = field(default_factory=list)

    @property
    def fetched(self) -> int:
        return sum(c.fetched for c in self.chunks)

    @property
    def new(self) -> int:
        return sum(c.stored_new for c in self.chunks)


def chunks(first: date, last: date, chunk_days: int) -> list[tuple[date, date]]:
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    if chunk_days < 1:
        raise ValueError(f"chunk_days must be at least 1, got {chunk_days}")
    out = []
    day = first
    while day <= last:
        end = min(last, day + timedelta(days=chunk_days - 1))
        out.append((day, end))
        day = end + timedelta(days=1)
    return out


def backfill_specs(
    outlet: str, first: date, last: date, chunk_days: int = DEFAULT_CHUNK_DAYS, force: bool = False
) -> list[RunSpec]:
    """One run spec per chunk; padding only at the range's two edges."""
    parts = chunks(first, last, chunk_days)
    return [
        RunSpec.backfill(
            outlet,
            a,
            b,
            pad_before=(a == first),
            pad_after=(b == last),
            force=force,
            range_first=first,
            range_last=last,
        )
        for a, b in parts
    ]


def run_backfill_chunk(
    spec: RunSpec,
    settings: Settings,
    corpus: Corpus,
    translator: Any = None,
    fetched_before: set[str] | None = None,
) -> dict[str, Any]:
    """One chunk: crawl what the table lacks (and what earlier chunks of the same backfill
    already fetched), then extract, translate, publish (by day)."""
    known = set() if spec.force else known_urls(corpus, spec)
    known |= fetched_before or set()
    return run_pipeline(spec, settings, corpus, known=known, translator=translator)


def fetched_urls(corpus: Corpus, run_id: str) -> set[str]:
    """Canonical URLs of the article pages a run requested (whatever came of them)."""
    return {
        f.canonical_url
        for f in stages.read_fetches(corpus.store, run_id)
        if f.role == "article" and f.canonical_url
    }


def backfill(
    outlet: str,
    first: date,
    last: date,
    settings: Settings,
    corpus: Corpus,
    progress: Callable[[ChunkReport, dict[str, Any]], None] | None = None,
    force: bool = False,
    chunk_days: int = DEFAULT_CHUNK_DAYS,
) -> BackfillReport:
    """Backfill ``first..last`` chunk by chunk (see the module docstring)."""
    report = BackfillReport(outlet, first, last)
    manifests: list[dict[str, Any]] = []
    translator = _translator(settings, corpus)
    fetched: set[str] = set()
    try:
        for spec in backfill_specs(outlet, first, last, chunk_days, force):
            m = run_backfill_chunk(spec, settings, corpus, translator, fetched)
            fetched |= fetched_urls(corpus, spec.run_id)
            manifests.append(m)
            chunk = ChunkReport(
                spec.first,
                spec.last,
                spec.run_id,
                m["counts"]["fetched"],
                m["counts"]["stored"]["new"],
                m["access"]["status"],
                m["counts"]["rejected"],
                m["counts"]["discovery"].get("already_stored", 0),
            )
            report.chunks.append(chunk)
            if progress:
                progress(chunk, m)
    finally:
        if translator is not None:
            translator.close()
    # what the table holds per day once every chunk committed (a later chunk may store an
    # article on an earlier chunk's day)
    held = stored_per_day(corpus, RunSpec.backfill(outlet, first, last))
    for day, counts in per_day_totals(manifests).items():
        report.days.append(
            DayReport(date.fromisoformat(day), counts["expected"], held.get(day, 0), counts["new"])
        )
    logger.info(
        "backfill %s %s..%s done: %d chunk(s), %d article fetches, %d new",
        outlet,
        first,
        last,
        len(report.chunks),
        report.fetched,
        report.new,
    )
    return report


def _translator(settings: Settings, corpus: Corpus) -> Any:
    """One translator (one model load) for a whole multi-chunk job."""
    from processing.translation import Translator

    return Translator(settings, corpus.store)
