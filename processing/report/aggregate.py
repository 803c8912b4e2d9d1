"""From :class:`ReportInputs` to per-outlet, per-day arrays: what the plots draw and the health
rules judge. Pure: no I/O, no plotting.

Day buckets
    An article counts on the UTC day it was published when that date lies inside the window of
    the crawl run that stored it. Without a date, or with one the run was not collecting (an
    undated page after a redesign, which a heuristic then dated years or weeks off), it counts
    on that run's last day, where it was collected, and its publication date does not count as
    filled. Runs count on the days their publication window covers whole.

Which run speaks for a day
    Run ids are unique per execution (older ones repeated on a re-run), and a
    day can be covered by a daily run, a backfill day and a multi-day run. For a day's
    *expected* count the run covering that day whole is used, preferring one whose own day it
    is, then the latest committed. Rejections, requests and access refusals are per run: they
    are shown on the run's own day, from the latest run of that day (a multi-day run's on its
    last day).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from processing.core.jsontypes import JSONValue
from processing.core.records import LISTING_DATE_SOURCES, NO_DATE_SOURCE
from processing.report.loader import ReportInputs

logger = logging.getLogger(__name__)

CRAWL_KINDS = frozenset({"daily", "backfill"})
EPOCH = date(1970, 1, 1)
# Access refusals: the outlet (or a CDN in front of it) said no.
REFUSAL_KEYS = ("blocked_by_robots", "bot_challenge", "unreachable")
REFUSED_RUN = frozenset({"blocked_by_robots", "bot_challenge", "unreachable", "discovery_failed"})
SUBSTANTIAL_BODY_CHARS = 500
# Days before the shown range the health rules look back: a fault is judged against the 14
# days before it began, up to 90 days ago (health.Thresholds.memory_days + trailing_days).
LOOKBACK_DAYS = 105


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the id a finding names
    label: str  # what the heatmap says
    judged: bool = True  # does a health rule watch it?


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "title"),
    FieldSpec("published_at", "published date\n(on the page)"),
    FieldSpec("published_any", "published date\n(any source)", judged=False),
    FieldSpec("authors", "authors"),
    FieldSpec("tags", "tags"),
    FieldSpec("section", "section"),
    # metadata coverage shown per outlet, not judged by a health rule: many pages carry none
    FieldSpec("description", "description", judged=False),
    FieldSpec("sources", "agency credited", judged=False),
    FieldSpec("body", f"body ≥ {SUBSTANTIAL_BODY_CHARS}\nchars"),
)
TRANSLATION_STATUSES = ("source_english", "translated", "pending", "failed")


# ---- runs ---------------------------------------------------------------------------------
def _ts(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dict(value: object) -> dict[str, JSONValue]:
    return value if isinstance(value, dict) else {}


def _int(value: object) -> int:
    if not isinstance(value, int | float | str):  # None, or not a number at all
        return 0
    try:
        return int(value or 0)
    except ValueError:
        return 0


@dataclass(frozen=True)
class CrawlRun:
    """One committed crawl manifest, read defensively (missing keys become zeros)."""

    run_id: str
    outlet: str
    kind: str
    day: date
    start: datetime | None
    end: datetime | None
    committed_at: datetime | None
    access_status: str
    refusals: int  # robots, challenge and unreachable requests
    requests: int
    fetched: int
    stored_total: int
    stored_new: int
    rejected: Mapping[str, int]
    translated: int
    pending: int
    days: Mapping[str, Mapping[str, int]]

    def covers(self, day: date) -> bool:
        if self.start is None or self.end is None:
            return day == self.day
        begin = datetime.combine(day, time(), UTC)
        return self.start <= begin and self.end >= begin + timedelta(days=1)

    @property
    def covered_days(self) -> list[date]:
        if self.start is None or self.end is None:
            return [self.day]
        d = self.start.astimezone(UTC).date()
        out = []
        while d <= self.end.astimezone(UTC).date():
            if self.covers(d):
                out.append(d)
            d += timedelta(days=1)
        return out

    @property
    def http_errors(self) -> int:
        return sum(n for r, n in self.rejected.items() if r.startswith("http_"))

    @property
    def blocked_share(self) -> float:
        """Share of the run's requests refused (robots, challenge, unreachable, HTTP errors);
        1.0 when the outlet refused discovery altogether."""
        if self.access_status in REFUSED_RUN:
            return 1.0
        blocked = self.refusals + self.http_errors
        return min(1.0, blocked / self.requests) if self.requests else 0.0

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.committed_at or datetime.min.replace(tzinfo=UTC), self.run_id)


def crawl_run(manifest: Mapping[str, object]) -> CrawlRun | None:
    """The crawl run a manifest describes, or None (maintenance run, not committed, garbage)."""
    if manifest.get("status", "committed") != "committed":
        return None
    kind = str(manifest.get("kind") or "")
    window = _dict(manifest.get("window"))
    if kind not in CRAWL_KINDS and not (kind == "" and window):
        return None
    # manifest v2 names the run's days ``first``..``last``; v1 had its ``day``
    outlet = manifest.get("outlet")
    day = _day(manifest.get("last")) or _day(manifest.get("day"))
    if not isinstance(outlet, str) or not outlet or day is None:
        return None
    counts = _dict(manifest.get("counts"))
    stored = _dict(counts.get("stored"))
    access = _dict(manifest.get("access"))
    rejected = _dict(counts.get("rejected"))
    days = _dict(manifest.get("days"))
    return CrawlRun(
        run_id=str(manifest.get("run_id", "")),
        outlet=outlet,
        kind=kind or "unknown",
        day=day,
        start=_ts(window.get("start")),
        end=_ts(window.get("end")),
        committed_at=_ts(manifest.get("committed_at")),
        access_status=str(access.get("status") or "ok"),
        refusals=sum(_int(access.get(k)) for k in REFUSAL_KEYS),
        requests=_int(counts.get("requests")),
        fetched=_int(counts.get("fetched")),
        stored_total=_int(stored.get("total")),
        stored_new=_int(stored.get("new")),
        rejected={str(k): _int(v) for k, v in rejected.items()},
        translated=_int(counts.get("translated")),
        pending=_int(counts.get("pending")),
        days={
            str(k): {str(f): _int(n) for f, n in v.items()}
            for k, v in days.items()
            if isinstance(v, dict)
        },
    )


# ---- the aggregates -----------------------------------------------------------------------
@dataclass
class Aggregates:
    """Per-outlet (rows) and per-day (columns) arrays over ``[origin, last]``; the report shows
    ``[first, last]``, the health rules also look back before ``first``."""

    first: date
    last: date
    origin: date
    outlets: list[str]
    articles: np.ndarray  # int: articles per bucket day
    covered: np.ndarray  # bool: a committed crawl covers the day whole
    expected: np.ndarray  # float, nan = no covering run
    requests: np.ndarray  # int: requests of the run(s) of that day
    blocked_share: np.ndarray  # float, nan = no run on that day
    rejected: dict[str, np.ndarray]  # reason -> int array (on the run's day)
    field_hits: dict[str, np.ndarray]  # field -> articles with the field filled, per day
    placed: np.ndarray  # int: articles on their own (plausible) publication day
    backlog: np.ndarray  # int: untranslated non-English articles at the end of each day
    arrived: np.ndarray  # int: non-English articles needing a translation, by arrival day
    still_waiting: np.ndarray  # int: of those, still untranslated at the end of the range
    row_outlet: np.ndarray  # per article: outlet index
    row_day: np.ndarray  # per article: day index (may be <0 or >= n_days: outside)
    row_body: np.ndarray  # per article: body length in characters
    languages: dict[str, np.ndarray]  # language -> articles per outlet, shown range
    statuses: dict[str, np.ndarray]  # translation status -> articles per outlet, shown range
    last_runs: dict[str, CrawlRun]
    fields: tuple[FieldSpec, ...] = FIELDS
    notes: list[str] = field(default_factory=list)
    # story links per outlet over the shown range: "linked" (the link pass has seen them),
    # "duplicates" (duplicate_of set: a copy of an earlier article), "shared" (in a story with
    # an article of another outlet)
    links: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_days(self) -> int:
        return (self.last - self.origin).days + 1

    def index(self, day: date) -> int:
        return (day - self.origin).days

    def day_at(self, i: int) -> date:
        return self.origin + timedelta(days=i)

    @property
    def shown(self) -> slice:
        return slice(self.index(self.first), self.n_days)

    @property
    def shown_days(self) -> list[date]:
        return [self.day_at(i) for i in range(self.index(self.first), self.n_days)]

    def fill_rates(self) -> dict[str, np.ndarray]:
        """field -> fill rate per outlet over the shown range (nan: no articles)."""
        total = self.articles[:, self.shown].sum(axis=1).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return {
                f: np.where(total > 0, hits[:, self.shown].sum(axis=1) / total, np.nan)
                for f, hits in self.field_hits.items()
            }

    def body_lengths(self, outlet_index: int) -> np.ndarray:
        lo, hi = self.index(self.first), self.n_days
        sel = (self.row_outlet == outlet_index) & (self.row_day >= lo) & (self.row_day < hi)
        return self.row_body[sel]


def _epoch_days(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Timestamps to days since 1970-01-01 (float, nan for null)."""
    days = pc.cast(pc.cast(column, pa.date32()), pa.int32())
    return np.asarray(days.to_numpy(zero_copy_only=False), dtype=float)


def _column(table: pa.Table, name: str) -> pa.ChunkedArray | None:
    return table.column(name) if name in table.column_names else None


def _bool(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _field_flags(t: pa.Table, plausible: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """field -> per-article bool (filled); fields whose column is absent are left out.

    ``published_at`` counts when the date came from the page (not a listing: feed, sitemap,
    archive day; not missing)
    and is ``plausible``: inside the window of the run that stored the article."""
    flags: dict[str, np.ndarray] = {}
    if (title := _column(t, "title")) is not None:
        flags["title"] = _bool(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(title)), 0))
    published = _column(t, "published_at")
    if published is not None:
        valid = pc.is_valid(published)
        source = _column(t, "published_at_source")
        if source is not None:
            known = pc.invert(pc.fill_null(pc.equal(source, NO_DATE_SOURCE), False))
            not_page = pa.array(sorted(LISTING_DATE_SOURCES | {NO_DATE_SOURCE}))
            on_page = pc.invert(pc.fill_null(pc.is_in(source, not_page), False))
            flags["published_any"] = _bool(pc.and_(valid, known))
            flags["published_at"] = _bool(pc.and_(valid, on_page))
        else:
            flags["published_any"] = flags["published_at"] = _bool(valid)
        if plausible is not None:
            flags["published_at"] &= plausible
    for name in ("authors", "tags", "sources"):
        if (col := _column(t, name)) is not None:
            flags[name] = _bool(pc.greater(pc.list_value_length(col), 0))
    for name in ("section", "description"):
        if (col := _column(t, name)) is not None:
            flags[name] = _bool(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(col)), 0))
    if (body := _column(t, "body_chars")) is not None:
        flags["body"] = _bool(pc.greater_equal(body, SUBSTANTIAL_BODY_CHARS))
    return flags


@dataclass(frozen=True)
class _Window:
    start_us: int  # the run's publication window, microseconds since the epoch
    end_us: int
    last: int  # day index of the run's last day


def _run_windows(runs: list[CrawlRun], origin: date) -> dict[str, _Window]:
    out = {}
    for r in runs:
        if r.start is not None and r.end is not None:
            out[r.run_id] = _Window(
                int(r.start.timestamp() * 1_000_000),
                int(r.end.timestamp() * 1_000_000),
                (r.day - origin).days,
            )
    return out


def _micros(column: pa.ChunkedArray) -> np.ndarray:
    """Timestamps as float microseconds since the epoch (nan for null)."""
    us = pc.cast(pc.cast(column, pa.timestamp("us", tz="UTC")), pa.int64())
    return np.asarray(us.to_numpy(zero_copy_only=False), dtype=float)


def _bucket_days(
    t: pa.Table, windows: Mapping[str, _Window], origin: date
) -> tuple[np.ndarray, np.ndarray]:
    """Per article: its day index and whether its publication date is plausible.

    An article counts on its publication day when that lies inside the window of the crawl
    run that stored it (or when the run is unknown: older than the loaded manifests, or a
    maintenance run). Otherwise (no date, or a date the run was not collecting: a guess
    gone wrong after a redesign) it counts on that run's last day, where it was collected;
    without a run, on the day it was fetched.
    """
    shift = (origin - EPOCH).days
    n = t.num_rows
    published = _column(t, "published_at")
    pub_us = _micros(published) if published is not None else np.full(n, np.nan)
    day = np.floor(pub_us / 86_400_000_000) - shift
    plausible = ~np.isnan(pub_us)
    run_col = _column(t, "run_id")
    if run_col is not None and windows:
        ids = run_col.to_pylist()
        start = np.array([windows[x].start_us if x in windows else np.nan for x in ids])
        end = np.array([windows[x].end_us if x in windows else np.nan for x in ids])
        last = np.array([windows[x].last if x in windows else np.nan for x in ids], dtype=float)
        known = ~np.isnan(start)
        with np.errstate(invalid="ignore"):
            inside = (pub_us >= start) & (pub_us < end)
        misplaced = known & ~inside
        plausible &= ~misplaced
        day = np.where(misplaced, last, day)
    fetched = _column(t, "fetched_at")
    if fetched is not None and np.isnan(day).any():
        fetched_day = np.floor(_micros(fetched) / 86_400_000_000) - shift
        day = np.where(np.isnan(day), fetched_day, day)
    return np.nan_to_num(day, nan=-1e9).astype(np.int64), plausible


def _coalesce(t: pa.Table, *names: str) -> pa.ChunkedArray | None:
    cols = [c for n in names if (c := _column(t, n)) is not None]
    if not cols:
        return None
    return cols[0] if len(cols) == 1 else pc.coalesce(*cols)


def _grid(
    outlet_idx: np.ndarray,
    day_idx: np.ndarray,
    n_out: int,
    n_days: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    inside = (day_idx >= 0) & (day_idx < n_days) & (outlet_idx >= 0)
    flat = outlet_idx[inside] * n_days + day_idx[inside]
    w = None if weights is None else np.asarray(weights)[inside]
    counts = np.bincount(flat, weights=w, minlength=n_out * n_days)
    return counts.reshape(n_out, n_days)


def aggregate(
    inputs: ReportInputs, first: date, last: date, lookback: int = LOOKBACK_DAYS
) -> Aggregates:
    """Everything the report and the health rules need over ``[first - lookback, last]``."""
    if last < first:
        raise ValueError(f"empty report range {first} .. {last}")
    origin = first - timedelta(days=lookback)
    n_days = (last - origin).days + 1
    runs = [r for m in inputs.manifests if isinstance(m, dict) and (r := crawl_run(m))]
    t = inputs.articles
    outlet_col = _column(t, "outlet")
    article_outlets = (
        set(pc.unique(outlet_col).to_pylist()) - {None}
        if outlet_col is not None and t.num_rows
        else set()
    )
    outlets = sorted(article_outlets | {r.outlet for r in runs if r.day >= origin})
    oi = {o: i for i, o in enumerate(outlets)}
    n_out = len(outlets)
    zeros = np.zeros((n_out, n_days), dtype=np.int64)

    # -- runs: coverage, expected, per-run-day figures
    by_run_day: dict[tuple[str, date], CrawlRun] = {}
    covering: dict[tuple[str, date], CrawlRun] = {}
    last_runs: dict[str, CrawlRun] = {}
    for r in sorted(runs, key=lambda r: r.sort_key):
        if r.outlet not in oi:
            continue
        by_run_day[(r.outlet, r.day)] = r  # the latest wins
        if r.day <= last and (
            r.outlet not in last_runs or r.sort_key >= last_runs[r.outlet].sort_key
        ):
            last_runs[r.outlet] = r
        for d in r.covered_days:
            prev = covering.get((r.outlet, d))
            if prev is None or (prev.day != d) or r.day == d:
                covering[(r.outlet, d)] = r
    covered = np.zeros((n_out, n_days), dtype=bool)
    expected = np.full((n_out, n_days), np.nan)
    for (o, d), r in covering.items():
        i = (d - origin).days
        if 0 <= i < n_days:
            covered[oi[o], i] = True
            expected[oi[o], i] = _int(r.days.get(d.isoformat(), {}).get("expected"))
    requests = zeros.copy()
    share = np.full((n_out, n_days), np.nan)
    rejected: dict[str, np.ndarray] = defaultdict(lambda: zeros.copy())
    for (o, d), r in by_run_day.items():
        i = (d - origin).days
        if 0 <= i < n_days:
            requests[oi[o], i] = r.requests
            share[oi[o], i] = r.blocked_share
            for reason, n in r.rejected.items():
                rejected[reason][oi[o], i] += n
    windows = _run_windows(runs, origin)

    # -- articles: bucket day per row (see the module docstring)
    if t.num_rows and outlet_col is not None:
        codes = np.array([oi.get(o, -1) for o in outlet_col.to_pylist()], dtype=np.int64)
        row_day, plausible = _bucket_days(t, windows, origin)
        body = _column(t, "body_chars")
        row_body = (
            np.asarray(body.to_numpy(zero_copy_only=False), dtype=np.int64)
            if body is not None
            else np.zeros(t.num_rows, dtype=np.int64)
        )
        flags = _field_flags(t, plausible)
    else:
        codes = row_day = row_body = np.zeros(0, dtype=np.int64)
        plausible = np.zeros(0, dtype=bool)
        flags = {}
    articles = _grid(codes, row_day, n_out, n_days).astype(np.int64)
    placed = _grid(codes, row_day, n_out, n_days, plausible).astype(np.int64)
    field_hits = {
        f.name: _grid(codes, row_day, n_out, n_days, flags[f.name]).astype(np.int64)
        for f in FIELDS
        if f.name in flags
    }

    # -- outlet-level counts over the shown range
    lo = (first - origin).days
    in_shown = (row_day >= lo) & (row_day < n_days) & (codes >= 0)
    languages = _counts_by(t, "language", codes, in_shown, n_out)
    statuses = _counts_by(t, "translation_status", codes, in_shown, n_out)

    # -- translation backlog at the end of each day
    backlog, arrived, still_waiting = _backlog(t, codes, origin, n_out, n_days)
    links = _links(t, codes, in_shown, n_out)

    if not t.num_rows:
        logger.info("report: the corpus is empty")
    return Aggregates(
        first=first,
        last=last,
        origin=origin,
        outlets=outlets,
        articles=articles,
        covered=covered,
        expected=expected,
        requests=requests,
        blocked_share=share,
        rejected=dict(rejected),
        field_hits=field_hits,
        placed=placed,
        backlog=backlog,
        arrived=arrived,
        still_waiting=still_waiting,
        row_outlet=codes,
        row_day=row_day,
        row_body=row_body,
        languages=languages,
        statuses=statuses,
        last_runs=last_runs,
        links=links,
    )


def _links(t: pa.Table, codes: np.ndarray, mask: np.ndarray, n_out: int) -> dict[str, np.ndarray]:
    """Per outlet: articles linked, duplicates, and articles sharing a story with another
    outlet (the shown range's rows)."""
    story, dup = _column(t, "story_id"), _column(t, "duplicate_of")
    if story is None or dup is None or not t.num_rows:
        return {}
    stories = story.to_pylist()
    linked = np.array([s is not None for s in stories], dtype=bool)
    copies = np.asarray(pc.is_valid(dup).to_numpy(zero_copy_only=False), dtype=bool)
    outlets_of: dict[str, set[int]] = defaultdict(set)
    for s, c, keep in zip(stories, codes.tolist(), mask.tolist(), strict=True):
        if s is not None and keep:
            outlets_of[s].add(c)
    shared = np.array([s is not None and len(outlets_of.get(s, ())) > 1 for s in stories])
    return {
        name: np.bincount(codes[mask & sel], minlength=n_out).astype(np.int64)
        for name, sel in (("linked", linked), ("duplicates", copies), ("shared", shared))
    }


def _counts_by(
    t: pa.Table, name: str, codes: np.ndarray, mask: np.ndarray, n_out: int
) -> dict[str, np.ndarray]:
    col = _column(t, name)
    if col is None or not t.num_rows:
        return {}
    encoded = pc.dictionary_encode(pc.fill_null(col, "unknown")).combine_chunks()
    values = encoded.dictionary.to_pylist()
    idx = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    for k, v in enumerate(values):
        sel = mask & (idx == k)
        out[str(v)] = np.bincount(codes[sel], minlength=n_out).astype(np.int64)
    return dict(sorted(out.items(), key=lambda kv: -int(kv[1].sum())))


def _backlog(
    t: pa.Table, codes: np.ndarray, origin: date, n_out: int, n_days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Articles waiting for a translation at the end of each day, reconstructed from when each
    row came in (``ingested_at``, else ``first_seen_at``, else ``fetched_at``) and when it was
    translated (``translated_at``, else ``updated_at``). English and ``failed`` rows (no model
    for the language: nothing will come) are not backlog. Also, by arrival day, the articles
    that needed a translation and those of them still waiting at the end of the range."""
    status = _column(t, "translation_status")
    came = _coalesce(t, "ingested_at", "first_seen_at", "fetched_at")
    out = np.zeros((n_out, n_days), dtype=np.int64)
    if status is None or came is None or not t.num_rows:
        return out, out.copy(), out.copy()
    shift = (origin - EPOCH).days
    waiting = _bool(pc.is_in(status, pa.array(["pending", "translated"])))
    start = np.nan_to_num(_epoch_days(came) - shift, nan=0.0)
    done_col = _coalesce(t, "translated_at", "updated_at")
    pending = _bool(pc.equal(status, "pending"))
    if done_col is not None:
        done = _epoch_days(done_col) - shift
    else:
        done = np.full(t.num_rows, np.nan)
    # a translated row without a time: treat as translated on arrival
    end = np.where(pending, float(n_days), np.where(np.isnan(done), start, done))
    sel = waiting & (codes >= 0) & (end > 0) & (end > start)
    s = np.clip(start[sel], 0, n_days).astype(np.int64)
    e = np.clip(end[sel], 0, n_days).astype(np.int64)
    o = codes[sel]
    delta = np.zeros((n_out, n_days + 1), dtype=np.int64)
    np.add.at(delta, (o, s), 1)
    np.add.at(delta, (o, e), -1)
    # by arrival day (inside the range): every row needing a translation, and those not
    # translated by the end of the last day
    need = waiting & (codes >= 0) & (start >= 0) & (start < n_days)
    day = start[need].astype(np.int64)
    arrived = np.zeros((n_out, n_days), dtype=np.int64)
    still = np.zeros((n_out, n_days), dtype=np.int64)
    np.add.at(arrived, (codes[need], day), 1)
    late = end[need] >= n_days
    np.add.at(still, (codes[need][late], day[late]), 1)
    return np.cumsum(delta, axis=1)[:, :n_days], arrived, still
