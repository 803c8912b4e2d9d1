"""Running the stages in-process: one run, or a backfill planned over its whole range.

The CLI uses these; Airflow runs the same stage functions as separate tasks.

A backfill of ``first..last``:
1. splits the range into chunks (``chunk_days``, a week by default), one crawl process each;
   discovery reads one more local day only at the edges of the whole range, not between
   chunks, so each listed article belongs to one chunk;
2. gives each chunk's crawl the canonical URLs its listings can show that need no fetch
   (unless ``force``): the articles the table holds for the outlet in the chunk's
   :func:`discovery_span` (its days and one more on each side, widened to whole months) and
   in the range's last days (a "latest posts" box), those earlier runs rejected for good,
   and those earlier chunks of the same backfill requested — a re-run or a resumed
   backfill fetches only what is missing, and an article listed by several chunks is
   fetched by the first. A page a killed crawl had fetched is taken from its journal in S3
   (``crawlers.journal``), not from the outlet;
3. stores every article a chunk fetched that was published anywhere in the whole range (or
   that the outlet's listing placed in it), on its publication day, in ONE commit per chunk:
   the chunk is the resumable unit, so an interrupted backfill keeps every chunk it finished.

Nothing grows with the length of the range but the per-day report: the URLs handed to a
chunk cover about two months whatever the range, the earlier chunks' requests are forgotten
once the chunks have moved past their days, and manifests are folded into per-day totals as
they come. Each chunk logs one INFO line (``backfill sohr_en chunk 3/53 …``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.corpus import Corpus
from processing.pipeline import stages
from processing.pipeline.manifest import RunManifest, add_day_totals, stored_per_day

if TYPE_CHECKING:
    from crawlers.registry import Outlet
    from processing.translation import Translator

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_DAYS = 7
# Feeds and news sitemaps list about the last two days; an older day needs the backfill routes.
FEED_REACH_DAYS = 2


def routes_for(spec: RunSpec, outlet: Outlet, today: date | None = None) -> list[str] | None:
    """Discovery routes for a run: a daily run of a day older than the feeds reach uses the
    backfill routes (a cleared or caught-up old run must not read only today's feed)."""
    today = today or datetime.now(UTC).date()
    if spec.kind == "daily" and spec.last < today - timedelta(days=FEED_REACH_DAYS):
        return list(outlet.backfill_routes())
    return None


def discovery_span(spec: RunSpec) -> tuple[date, date]:
    """The publication days whose articles a run's listings can show: its days and one more
    on each side (a site's local day is not the UTC one), widened to whole months (a
    monthly archive or sitemap lists its whole month)."""
    first = (spec.first - timedelta(days=1)).replace(day=1)
    after = spec.last + timedelta(days=1)
    last = (after.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


# A site's "latest posts" box, on every listing page, shows its newest articles: those of the
# last days of a range that ends near today are listed by every chunk of its backfill.
NEWEST_DAYS = 4


def known_urls(corpus: Corpus, spec: RunSpec) -> set[str]:
    """Canonical URLs a run of ``spec`` need not fetch: the articles the table holds for its
    outlet that its listings can show — published in its :func:`discovery_span`, in the
    last ``NEWEST_DAYS`` of the whole range (a "latest posts" box), or undated — by their
    canonical URL and by the URL they were fetched from (a listing may give an old or
    redirecting address), and those an earlier run rejected for good
    (``processing.pipeline.ledger``). The span, not the table, bounds it: a chunk of a
    year's backfill reads about two months of rows. (An article stored on a day far from
    where its outlet lists it, by a page date the listing contradicts, is fetched again by a
    later run, or taken from the crawl journal when it was fetched in the last hours.)"""
    from crawlers.registry import get_outlet
    from processing.core.urls import canonical_url
    from processing.corpus.expr import either, is_null, published_days
    from processing.pipeline import ledger

    keep = get_outlet(spec.outlet, corpus.settings.outlets_dirs).keep_query
    newest = spec.range_last or spec.last
    span = either(
        either(
            published_days(*discovery_span(spec)),
            published_days(newest - timedelta(days=NEWEST_DAYS - 1), newest),
        ),
        is_null("published_at"),
    )
    table = corpus.read(["canonical_url", "url"], outlet=spec.outlet, row_filter=span)
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
    translator: Translator | None = None,
) -> RunManifest:
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
    number: int = 1  # 1-based, of ``chunks``
    chunks: int = 1
    reused: int = 0  # article pages taken from an earlier crawl's WARC, not fetched
    stored: int = 0  # rows the chunk committed (new, updated or unchanged)
    seconds: float = 0.0


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
    translator: Translator | None = None,
    fetched_before: set[str] | None = None,
) -> RunManifest:
    """One chunk: crawl what the table lacks (and what earlier chunks of the same backfill
    already fetched), then extract, translate, publish (one commit)."""
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


class RecentFetches:
    """Article pages earlier chunks of one backfill listed and requested, by the publication
    day of each listing that showed them (the chunk's first day when a listing gave none). A
    chunk is handed those its listings can still show; days before its
    :func:`discovery_span` are forgotten, as chunks only move forward: a year's backfill
    holds about two months of URLs, not the year.

    Strays are kept for the whole backfill: pages the listings of several chunks show (a
    site's "latest posts" box on every archive page links the newest articles, which every
    later chunk's listings show again, a page that failed for a passing reason among them).
    There are about as many as such boxes hold."""

    LISTED = ("queued", "duplicate")  # candidate decisions of pages this chunk requested

    def __init__(self) -> None:
        self.by_day: dict[date, set[str]] = {}
        self.strays: set[str] = set()

    def add(self, store: ObjectStore, spec: RunSpec) -> None:
        """Remember what the chunk ``spec`` listed (its crawl's candidates)."""
        from processing.core import layout
        from processing.core.jsonl import read_jsonl_gz
        from processing.core.records import parse_ts

        key = layout.staging(spec.run_id, "crawl/candidates.jsonl.gz")
        listed: list[tuple[date, str]] = []
        for c in read_jsonl_gz(store, key, True):
            url, hinted = c.get("canonical_url"), c.get("hint_published")
            if not url or not isinstance(url, str):
                continue
            if c.get("decision") == "already_stored" and self._holds(url):
                self.strays.add(url)  # listed again by this chunk: a box on every page
            elif c.get("decision") in self.LISTED:
                hint = parse_ts(hinted) if isinstance(hinted, str) else None
                listed.append((hint.astimezone(UTC).date() if hint else spec.first, url))
        for day, url in listed:
            self.by_day.setdefault(day, set()).add(url)

    def _holds(self, url: str) -> bool:
        return url in self.strays or any(url in urls for urls in self.by_day.values())

    def for_chunk(self, spec: RunSpec) -> set[str]:
        """The URLs to hand the chunk ``spec`` (days before its span are forgotten)."""
        first, _ = discovery_span(spec)
        for day in [d for d in self.by_day if d < first]:
            del self.by_day[day]
        return self.strays.union(*self.by_day.values())

    def __len__(self) -> int:
        return len(self.strays | set().union(*self.by_day.values()))


def backfill(
    outlet: str,
    first: date,
    last: date,
    settings: Settings,
    corpus: Corpus,
    progress: Callable[[ChunkReport, RunManifest], None] | None = None,
    force: bool = False,
    chunk_days: int = DEFAULT_CHUNK_DAYS,
) -> BackfillReport:
    """Backfill ``first..last`` chunk by chunk (see the module docstring)."""
    report = BackfillReport(outlet, first, last)
    totals: dict[str, dict[str, int]] = {}  # per day, folded from each chunk's manifest
    translator = _translator(settings, corpus)
    recent = RecentFetches()
    specs = backfill_specs(outlet, first, last, chunk_days, force)
    try:
        for number, spec in enumerate(specs, start=1):
            started = time.monotonic()
            m = run_backfill_chunk(spec, settings, corpus, translator, recent.for_chunk(spec))
            recent.add(corpus.store, spec)
            add_day_totals(totals, m)
            c = m["counts"]
            chunk = ChunkReport(
                spec.first,
                spec.last,
                spec.run_id,
                c["fetched"],
                c["stored"]["new"],
                m["access"]["status"],
                c["rejected"],
                c["discovery"].get("already_stored", 0),
                number=number,
                chunks=len(specs),
                reused=c.get("reused", 0),
                stored=c["stored"]["total"],
                seconds=round(time.monotonic() - started, 1),
            )
            report.chunks.append(chunk)
            logger.info(
                "backfill %s chunk %d/%d %s..%s done in %.1fs: %d article page(s) fetched, "
                "%d reused, %d already stored; stored %d (new %d); rejected %d; access %s",
                outlet,
                number,
                len(specs),
                spec.first,
                spec.last,
                chunk.seconds,
                chunk.fetched,
                chunk.reused,
                chunk.skipped_known,
                chunk.stored,
                chunk.stored_new,
                sum(chunk.rejected.values()),
                chunk.access,
            )
            if progress:
                progress(chunk, m)
            del m
    finally:
        if translator is not None:
            translator.close()
    # what the table holds per day once every chunk committed (a later chunk may store an
    # article on an earlier chunk's day)
    held = stored_per_day(corpus, RunSpec.backfill(outlet, first, last))
    for day, counts in sorted(totals.items()):
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


def _translator(settings: Settings, corpus: Corpus) -> Translator:
    """One translator (one model load) for a whole multi-chunk job."""
    from processing.translation import Translator

    return Translator(settings, corpus.store)
