"""Health rules: named findings about outlets that look broken, loud for as long as the fault
lasts.

The comparison rules judge an outlet's recent days against its own **reference**: the 14
days before the current fault began (found by trying each split point up to
``memory_days`` back, keeping the one where the drop is sharpest), so an outlet that never has
authors is not flagged for lacking them, one whose pages lost their dates after a redesign is,
and it stays flagged day after day until the dates come back (not only until the fault fills
its own trailing baseline). The absolute rules need no history at all. The rules:

``volume_drop``
    every covered day since the fault began below ``volume_fraction`` of the reference median
    and ``volume_sigmas`` Poisson standard deviations below it (reference median at least
    ``min_baseline_volume``).
``stored_below_expected``
    of the articles the outlet's feeds and sitemaps announced since the fault began, at most
    ``expected_fraction`` are in the corpus under those days (also over the latest days), when
    the reference days had most of theirs (a redesign that loses the dates files articles
    under wrong days).
``field_fill_drop``
    a field's fill rate (title, published date found on the page, authors, tags, section,
    substantial body) since the fault began, and over the latest days, fell by at least
    ``fill_drop_points`` and to at most ``fill_drop_ratio`` of its reference rate, and so few
    filled ones would happen by chance at that rate with probability below ``p_value``.
``body_length_collapse``
    median body length since the fault began, and over the latest days, below
    ``body_fraction`` of the reference median, with their upper quartile below it.
``requests_refused``
    at least ``blocked_share_min`` of the latest run's requests refused (robots.txt, bot
    challenge, unreachable, HTTP errors): absolute, so an outlet blocked since its first run
    is a finding; the message says since when.
``translation_backlog``
    at least ``backlog_share`` of the non-English articles that arrived on the
    ``backlog_share_days`` days before the last one (waiting more than a day) are still
    untranslated at the end of the range (at least ``backlog_aged_min`` of them), or the
    backlog is at least ``backlog_min`` and ``backlog_growth`` times what it was
    ``backlog_days`` earlier.
``outlet_stale``
    no committed crawl covering any of the last ``stale_days`` days of the range, for an
    outlet that was collected before.
``outlet_config_invalid``
    the outlet's registry file does not load: it is not crawled until the file is fixed.

"Latest days" end at the outlet's latest day covered whole by a committed crawl run (so an
outlet whose daily run has not happened yet is not judged on a half day), and extend back (at
most ``max_recent_days``) until they hold ``min_recent_articles`` articles.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from dataclasses import field as dc_field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from processing.core.jsontypes import JSONScalar, JSONValue
from processing.report.aggregate import Aggregates

logger = logging.getLogger(__name__)

Severity = Literal["warning", "critical"]


class BrokenOutletFile(Protocol):
    """A registry file that does not load (``crawlers.registry.BrokenOutlet``)."""

    @property
    def id(self) -> str: ...
    @property
    def path(self) -> Path: ...
    @property
    def error(self) -> str: ...


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong with one outlet (``field`` names the article field or
    figure concerned; ``figures`` holds the numbers behind the message)."""

    name: str
    outlet: str
    field: str | None
    severity: Severity
    message: str
    figures: dict[str, JSONScalar] = dc_field(default_factory=dict)

    def to_dict(self) -> dict[str, JSONValue]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Finding:
        """A finding from its ``to_dict`` form (an XCom, a JSON line)."""
        field, figures = d.get("field"), d.get("figures")
        return cls(
            name=str(d["name"]),
            outlet=str(d["outlet"]),
            field=field if isinstance(field, str) else None,
            severity="critical" if d.get("severity") == "critical" else "warning",
            message=str(d.get("message", "")),
            figures=dict(figures) if isinstance(figures, dict) else {},
        )

    def line(self) -> str:
        where = f"{self.outlet}" + (f" {self.field}" if self.field else "")
        return f"{self.severity.upper():<8} {self.name:<28} {where}: {self.message}"


@dataclass(frozen=True)
class Thresholds:
    trailing_days: int = 14  # reference days before a fault
    memory_days: int = 90  # how far back a fault's start is looked for (LOOKBACK_DAYS)
    min_baseline_days: int = 3
    min_recent_articles: int = 3
    max_recent_days: int = 3
    volume_fraction: float = 0.5
    volume_sigmas: float = 3.0
    min_baseline_volume: float = 3.0
    fill_drop_points: float = 0.3
    fill_drop_ratio: float = 0.6
    min_baseline_fill: float = 0.5
    min_baseline_articles: int = 8
    expected_fraction: float = 0.5
    body_fraction: float = 0.5
    p_value: float = 0.001  # how unlikely by chance a drop of a share must be (per test)
    blocked_share_min: float = 0.2
    backlog_share: float = 0.5
    backlog_share_days: int = 2  # arrival days judged: the ones before the range's last day
    backlog_aged_min: int = 2
    backlog_min: int = 20
    backlog_growth: float = 1.5
    backlog_days: int = 7
    stale_days: int = 2


@dataclass(frozen=True)
class _Window:
    outlet: int
    asof: int  # day index of the latest covered day
    recent: slice  # day indexes of the latest days
    baseline: slice  # the trailing days before them


def _windows(agg: Aggregates, o: int, th: Thresholds) -> _Window | None:
    covered = np.flatnonzero(agg.covered[o])
    if not covered.size:
        return None
    asof = int(covered[-1])
    start = asof
    while (
        agg.articles[o, start : asof + 1].sum() < th.min_recent_articles
        and asof - start + 1 < th.max_recent_days
        and start > 0
    ):
        start -= 1
    lo = max(0, start - th.trailing_days)
    return _Window(o, asof, slice(start, asof + 1), slice(lo, start))


def _splits(w: _Window, th: Thresholds, first_start: int | None = None) -> range:
    """Candidate first days of a fault, latest first: from the latest days' start back
    ``memory_days``, leaving room for ``min_baseline_days`` of reference."""
    latest = w.recent.start if first_start is None else first_start
    earliest = max(th.min_baseline_days, w.asof - th.memory_days)
    return range(latest, earliest - 1, -1)


def _reference(s: int, th: Thresholds) -> slice:
    return slice(max(0, s - th.trailing_days), s)


@dataclass(frozen=True)
class _Drop:
    """A share that fell: ``hits`` of ``n`` since the fault began (``since``), ``now_hits`` of
    ``now_n`` over the latest days, ``base_hits`` of ``base_n`` over the reference."""

    since: int
    hits: int
    n: int
    now_hits: int
    now_n: int
    base_hits: int
    base_n: int
    base_days: int

    @property
    def rate(self) -> float:
        return self.hits / self.n

    @property
    def now(self) -> float:
        return self.now_hits / self.now_n

    @property
    def base(self) -> float:
        return self.base_hits / self.base_n


def _share_drop(
    n: np.ndarray, hits: np.ndarray, w: _Window, th: Thresholds, latest: slice
) -> _Drop | None:
    """The sharpest fall of ``hits / n`` that still holds over the ``latest`` days: tried at
    every split point within memory, the one with the largest drop (in standard errors) whose
    whole span since and latest days both pass the thresholds; then the binomial test, at
    ``p_value`` shared among the split points tried (one small outlet's chance dip must not
    become a finding because ninety splits were looked at)."""
    cn, ch = np.concatenate([[0], np.cumsum(n)]), np.concatenate([[0], np.cumsum(hits)])
    days = np.concatenate([[0], np.cumsum(n > 0)])
    end = w.asof + 1
    now_n = int(cn[end] - cn[latest.start])
    now_hits = int(ch[end] - ch[latest.start])
    if now_n < th.min_recent_articles:
        return None
    best: tuple[float, _Drop] | None = None
    tried = 0
    for s in _splits(w, th, latest.start):
        ref = _reference(s, th)
        base_n, base_hits = int(cn[ref.stop] - cn[ref.start]), int(ch[ref.stop] - ch[ref.start])
        base_days = int(days[ref.stop] - days[ref.start])
        span_n, span_hits = int(cn[end] - cn[s]), int(ch[end] - ch[s])
        if (
            base_n < th.min_baseline_articles
            or base_days < th.min_baseline_days
            or span_n < th.min_recent_articles
        ):
            continue
        tried += 1
        base = base_hits / base_n
        if base < th.min_baseline_fill:
            continue
        ok = all(
            rate <= base - th.fill_drop_points and rate <= th.fill_drop_ratio * base
            for rate in (span_hits / span_n, now_hits / now_n)
        )
        if not ok:
            continue
        pooled = (base_hits + span_hits + 1) / (base_n + span_n + 2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / base_n + 1 / span_n))
        z = (base - span_hits / span_n) / se if se > 0 else math.inf
        drop = _Drop(s, span_hits, span_n, now_hits, now_n, base_hits, base_n, base_days)
        if best is None or z > best[0]:
            best = (z, drop)
    if best is None:
        return None
    drop = best[1]
    # the split was chosen among ``tried``: the chance level is shared among them (Bonferroni)
    strict = replace(th, p_value=th.p_value / max(tried, 1))
    if not surprising_drop(drop.hits, drop.n, drop.base_hits, drop.base_n, strict):
        return None
    return drop


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), in log space (n may be thousands)."""
    if k >= n or p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0 if k < n else 1.0
    lp, lq = math.log(p), math.log1p(-p)
    logs = [
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq
        for i in range(k + 1)
    ]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(x - top) for x in logs))


def surprising_drop(hits: int, n: int, base_hits: int, base_n: int, th: Thresholds) -> bool:
    """Are ``hits`` of ``n`` too few to be chance at the trailing rate? The trailing rate is
    smoothed ((hits + 1) / (n + 2)), so a perfect small baseline does not make one miss a
    finding: 1 of 3 after 15 of 15 is noise, 0 of 19 after 88 of 88 is not."""
    p = (base_hits + 1) / (base_n + 2)
    return binom_cdf(hits, n, p) < th.p_value


def _span(agg: Aggregates, s: slice) -> str:
    first, last = agg.day_at(s.start), agg.day_at(s.stop - 1)
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _since(agg: Aggregates, since: int, asof: int) -> tuple[str, int]:
    """The fault's first day (ISO) and how many days it has lasted up to ``asof``."""
    return agg.day_at(since).isoformat(), asof - since + 1


def volume_drop(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    covered = agg.covered[o]
    current = int(agg.articles[o, w.asof])
    best: tuple[int, float, int] | None = None  # since, reference median, reference days
    for s in _splits(w, th, w.asof):
        ref = [i for i in range(_reference(s, th).start, s) if covered[i]]
        if len(ref) < th.min_baseline_days:
            continue
        median = float(np.median(agg.articles[o, ref]))
        if median < th.min_baseline_volume:
            continue
        # below the fraction, and clearly so for a count: Poisson noise of a small outlet is
        # not a collapse (median 12/day: a 6-article day happens; a 1-article day is news)
        limit = min(th.volume_fraction * median, median - th.volume_sigmas * np.sqrt(median))
        span = [i for i in range(s, w.asof + 1) if covered[i]]
        if all(agg.articles[o, i] < limit for i in span):
            best = (s, median, len(ref))  # keep going back: the earliest start that holds
        elif best is not None:  # the low streak ends here
            break
    if best is None:
        return []
    since, median, n_ref = best
    day = agg.day_at(w.asof).isoformat()
    first, lasted = _since(agg, since, w.asof)
    return [
        Finding(
            "volume_drop",
            agg.outlets[o],
            None,
            "critical" if current == 0 else "warning",
            f"{current} article(s) on {day}, every day since {first} ({lasted} day(s)) below "
            f"{_pct(th.volume_fraction)} of the median {median:g}/day of the {n_ref} days "
            "before: blocked, or a broken listing?",
            {
                "day": day,
                "articles": current,
                "trailing_median": median,
                "days": n_ref,
                "since": first,
                "lasted_days": lasted,
            },
        )
    ]


def field_fill_drop(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    n = agg.articles[o]
    found = []
    for spec in agg.fields:
        hits = agg.field_hits.get(spec.name)
        if not spec.judged or hits is None:
            continue
        drop = _share_drop(n, hits[o], w, th, w.recent)
        if drop is None:
            continue
        what = {
            "published_at": "published date found on the page",
            "body": "a body of substantial length",
        }.get(spec.name, spec.name)
        first, lasted = _since(agg, drop.since, w.asof)
        found.append(
            Finding(
                "field_fill_drop",
                agg.outlets[o],
                spec.name,
                "warning",
                f"{what} for {_pct(drop.rate)} of {drop.n} article(s) since {first} "
                f"({lasted} day(s); {_pct(drop.now)} on {_span(agg, w.recent)}), down from "
                f"{_pct(drop.base)} of {drop.base_n} over the {drop.base_days} day(s) before: "
                "layout changed?",
                {
                    "recent_fill": round(drop.now, 4),
                    "fill_since": round(drop.rate, 4),
                    "baseline_fill": round(drop.base, 4),
                    "recent_articles": drop.now_n,
                    "articles_since": drop.n,
                    "baseline_articles": drop.base_n,
                    "recent_days": _span(agg, w.recent),
                    "since": first,
                    "lasted_days": lasted,
                },
            )
        )
    return found


def stored_below_expected(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    start = w.asof
    while (
        np.nansum(agg.expected[o, start : w.asof + 1]) < th.min_recent_articles
        and w.asof - start + 1 < th.max_recent_days
        and start > 0
    ):
        start -= 1
    exp = np.nan_to_num(agg.expected[o]).astype(np.int64)
    there = np.minimum(agg.placed[o], exp)
    drop = _share_drop(exp, there, w, th, slice(start, w.asof + 1))
    if drop is None or drop.rate > th.expected_fraction or drop.now > th.expected_fraction:
        return []
    first, lasted = _since(agg, drop.since, w.asof)
    return [
        Finding(
            "stored_below_expected",
            agg.outlets[o],
            None,
            "warning",
            f"{drop.hits} of the {drop.n} article(s) its feeds and sitemaps announced since "
            f"{first} ({lasted} day(s)) are in the corpus under those days ({_pct(drop.rate)}; "
            f"{_pct(drop.base)} before): rejected, or filed under other days (dates lost?)",
            {
                "stored": drop.hits,
                "expected": drop.n,
                "ratio": round(drop.rate, 4),
                "recent_ratio": round(drop.now, 4),
                "baseline_ratio": round(drop.base, 4),
                "since": first,
                "lasted_days": lasted,
            },
        )
    ]


def body_length_collapse(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    mine = agg.row_outlet == o
    days = agg.row_day[mine]
    bodies = agg.row_body[mine]

    def rows(lo: int, hi: int) -> np.ndarray:
        return bodies[(days >= lo) & (days < hi)]

    now = rows(w.recent.start, w.recent.stop)
    if now.size < th.min_recent_articles:
        return []

    def collapsed(part: np.ndarray, before: float) -> bool:
        # most of the bodies short, not a median dragged down by one or two briefs
        return bool(
            np.median(part) < th.body_fraction * before and np.percentile(part, 75) < before
        )

    best: tuple[float, int, float, float] | None = None  # ratio, since, before, median since
    for s in _splits(w, th):
        ref = _reference(s, th)
        base, span = rows(ref.start, ref.stop), rows(s, w.recent.stop)
        if base.size < th.min_baseline_articles:
            continue
        before = float(np.median(base))
        if before <= 0 or not (collapsed(now, before) and collapsed(span, before)):
            continue
        ratio = before / max(float(np.median(span)), 1.0)
        if best is None or ratio > best[0]:
            best = (ratio, s, before, float(np.median(span)))
    if best is None:
        return []
    _, since, before, median_since = best
    first, lasted = _since(agg, since, w.asof)
    now_median = float(np.median(now))
    return [
        Finding(
            "body_length_collapse",
            agg.outlets[o],
            "text",
            "warning",
            f"median body {now_median:.0f} characters on {_span(agg, w.recent)} "
            f"({median_since:.0f} since {first}, {lasted} day(s)), down from {before:.0f} "
            "before: extraction picking the wrong block?",
            {
                "recent_median_chars": now_median,
                "median_chars_since": median_since,
                "baseline_median_chars": before,
                "since": first,
                "lasted_days": lasted,
            },
        )
    ]


def requests_refused(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    """Absolute: an outlet refusing a fifth of the requests is a finding whether it started
    today or with the outlet's first run."""
    o = w.outlet
    shares = agg.blocked_share[o]
    ran = np.flatnonzero(~np.isnan(shares[: w.asof + 1]))
    if not ran.size:
        return []
    latest = int(ran[-1])
    now = float(shares[latest])
    if now < th.blocked_share_min:
        return []
    streak = latest
    for i in ran[::-1]:
        if shares[i] < th.blocked_share_min:
            break
        streak = int(i)
    runs = int(sum(1 for i in ran if i >= streak))
    before = [i for i in ran if streak - th.trailing_days <= i < streak]
    base = float(np.median(shares[before])) if before else None
    run = agg.last_runs.get(agg.outlets[o])
    status = run.access_status if run else "?"
    first = agg.day_at(streak).isoformat()
    history = (
        f"since {first} ({runs} run(s)), before that a median of {_pct(base)}"
        if base is not None
        else f"in every run since {first} ({runs} run(s)), the first ones in view"
    )
    return [
        Finding(
            "requests_refused",
            agg.outlets[o],
            "access",
            "critical" if now >= 0.99 else "warning",
            f"{_pct(now)} of requests refused (robots.txt, bot challenge, unreachable, HTTP "
            f"errors) on {agg.day_at(latest).isoformat()}, at least "
            f"{_pct(th.blocked_share_min)} {history}; latest access status: {status}",
            {
                "share": round(now, 4),
                "baseline_share": None if base is None else round(base, 4),
                "access_status": status,
                "since": first,
                "runs": runs,
            },
        )
    ]


def translation_backlog(agg: Aggregates, o: int, th: Thresholds) -> list[Finding]:
    """By age and share (most of what arrived more than a day ago still untranslated: a
    stopped translation, however few articles), or by growth (a large backlog piling up)."""
    end = agg.n_days - 1
    lo = max(0, end - th.backlog_share_days)
    arrived = int(agg.arrived[o, lo:end].sum())
    aged = int(agg.still_waiting[o, lo:end].sum())
    oldest = np.flatnonzero(agg.still_waiting[o, :end])
    then = max(0, end - th.backlog_days)
    now, before = int(agg.backlog[o, end]), int(agg.backlog[o, then])
    by_age = aged >= th.backlog_aged_min and aged >= th.backlog_share * arrived > 0
    by_growth = now >= th.backlog_min and now >= th.backlog_growth * max(before, 1)
    if not (by_age or by_growth):
        return []
    since = agg.day_at(int(oldest[0])).isoformat() if oldest.size else None
    why = (
        f"{aged} of the {arrived} that arrived {_span(agg, slice(lo, end))} "
        f"({_pct(aged / arrived)}) still untranslated"
        if by_age
        else f"up from {before} on {agg.day_at(then).isoformat()}"
    )
    return [
        Finding(
            "translation_backlog",
            agg.outlets[o],
            "translation_status",
            "warning",
            f"{now} article(s) waiting for a translation at the end of "
            f"{agg.day_at(end).isoformat()}, {why}"
            + (f"; the oldest arrived {since}" if since else "")
            + ": is the translation model reachable?",
            {
                "backlog": now,
                "backlog_before": before,
                "aged_waiting": aged,
                "aged_arrived": arrived,
                "oldest_arrival": since,
                "by": "age" if by_age else "growth",
            },
        )
    ]


def outlet_stale(agg: Aggregates, o: int, th: Thresholds) -> list[Finding]:
    covered = np.flatnonzero(agg.covered[o])
    last_seen = agg.last_runs.get(agg.outlets[o])
    if last_seen is None:
        return []
    end = agg.n_days - 1
    if covered.size and end - int(covered[-1]) < th.stale_days:
        return []
    latest = agg.day_at(int(covered[-1])).isoformat() if covered.size else None
    return [
        Finding(
            "outlet_stale",
            agg.outlets[o],
            None,
            "critical",
            f"no committed crawl covers {agg.last - timedelta(days=th.stale_days - 1)}.."
            f"{agg.last}; the latest covered day is {latest or 'before the range'} "
            f"(last run {last_seen.run_id}): is its DAG paused or failing?",
            {"latest_covered_day": latest, "last_run": last_seen.run_id},
        )
    ]


def registry_findings(broken: Iterable[BrokenOutletFile]) -> list[Finding]:
    """One critical finding per outlet whose registry file does not load."""
    return [
        Finding(
            "outlet_config_invalid",
            b.id,
            "registry",
            "critical",
            f"registry file does not load, the outlet is not crawled until it is fixed: {b.error}",
            {"path": str(b.path)},
        )
        for b in broken
    ]


def evaluate(
    agg: Aggregates,
    thresholds: Thresholds | None = None,
    broken: Iterable[BrokenOutletFile] = (),
) -> list[Finding]:
    """Every finding over the aggregates (and the broken registry files), ordered by outlet
    then rule."""
    th = thresholds or Thresholds()
    findings: list[Finding] = []
    for o, outlet in enumerate(agg.outlets):
        mine: list[Finding] = outlet_stale(agg, o, th)
        w = _windows(agg, o, th)
        if w is not None:
            for rule in (
                volume_drop,
                stored_below_expected,
                field_fill_drop,
                body_length_collapse,
                requests_refused,
            ):
                mine.extend(rule(agg, w, th))
        mine.extend(translation_backlog(agg, o, th))
        for f in mine:
            logger.debug("finding %s on %s: %s", f.name, outlet, f.message)
        findings.extend(mine)
    findings.extend(registry_findings(broken))
    return sorted(findings, key=lambda f: f.outlet)


def default_range(last: date | None, first: date | None, days: int = 30) -> tuple[date, date]:
    """``[first, last]`` with defaults: last = today (UTC), first = ``days`` - 1 before it."""
    from datetime import UTC, datetime

    end = last or datetime.now(UTC).date()
    start = first or end - timedelta(days=days - 1)
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    return start, end
