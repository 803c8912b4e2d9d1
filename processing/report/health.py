"""Health rules: named findings about outlets that look broken.

Each rule compares an outlet's recent days with its own trailing baseline (default 14 days),
so an outlet that never has authors is not flagged for lacking them, while one whose pages
lose their dates after a redesign is. The rules:

``volume_drop``
    articles of the outlet's latest collected day below ``volume_fraction`` of the median of
    its trailing days and ``volume_sigmas`` Poisson standard deviations below it (judged
    only when that median is at least ``min_baseline_volume``).
``stored_below_expected``
    of the articles the outlet's feeds and sitemaps announced for the recent days, at most
    ``expected_fraction`` are in the corpus under those days, when the trailing days had
    most of theirs (a redesign that loses the dates files articles under wrong days).
``field_fill_drop``
    a field's fill rate (title, published date found on the page, authors, tags, section,
    substantial body) over the recent days fell by at least ``fill_drop_points`` and to at
    most ``fill_drop_ratio`` of its trailing rate, and so few filled ones would happen by
    chance at the trailing rate with probability below ``p_value``: "layout changed?".
``body_length_collapse``
    median body length of the recent days below ``body_fraction`` of the trailing median, and
    their upper quartile below the trailing median.
``blocked_share_rising``
    the share of the latest run's requests refused (robots.txt, bot challenge, unreachable,
    HTTP errors) at least ``blocked_share_min`` and ``blocked_share_rise`` above the trailing
    median.
``translation_backlog_growing``
    untranslated non-English articles at least ``backlog_min`` and ``backlog_growth`` times
    what they were ``backlog_days`` earlier.
``outlet_stale``
    no committed crawl covering any of the last ``stale_days`` days of the range, for an
    outlet that was collected before.

"Recent days" end at the outlet's latest day covered whole by a committed crawl run (so an
outlet whose daily run has not happened yet is not judged on a half day), and extend back (at
most ``max_recent_days``) until they hold ``min_recent_articles`` articles.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np

from processing.report.aggregate import Aggregates

logger = logging.getLogger(__name__)

Severity = Literal["warning", "critical"]


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong with one outlet (``field`` names the article field or
    figure concerned; ``figures`` holds the numbers behind the message)."""

    name: str
    outlet: str
    field: str | None
    severity: Severity
    message: str
    figures: dict[str, Any] = dc_field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        return cls(
            name=str(d["name"]),
            outlet=str(d["outlet"]),
            field=d.get("field"),
            severity="critical" if d.get("severity") == "critical" else "warning",
            message=str(d.get("message", "")),
            figures=dict(d.get("figures") or {}),
        )

    def line(self) -> str:
        where = f"{self.outlet}" + (f" {self.field}" if self.field else "")
        return f"{self.severity.upper():<8} {self.name:<28} {where}: {self.message}"


@dataclass(frozen=True)
class Thresholds:
    trailing_days: int = 14
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
    blocked_share_rise: float = 0.15
    backlog_min: int = 20
    backlog_growth: float = 1.5
    backlog_days: int = 7
    stale_days: int = 2


@dataclass(frozen=True)
class _Window:
    outlet: int
    asof: int  # day index of the latest covered day
    recent: slice  # day indexes of the recent window
    baseline: slice  # the trailing days before it


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


def volume_drop(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    days = [i for i in range(w.asof - th.trailing_days, w.asof) if i >= 0 and agg.covered[o, i]]
    if len(days) < th.min_baseline_days:
        return []
    median = float(np.median(agg.articles[o, days]))
    current = int(agg.articles[o, w.asof])
    # below the fraction, and clearly so for a count: Poisson noise of a small outlet is not
    # a collapse (median 12/day: a 6-article day happens; a 1-article day is news)
    limit = min(th.volume_fraction * median, median - th.volume_sigmas * np.sqrt(median))
    if median < th.min_baseline_volume or current >= limit:
        return []
    day = agg.day_at(w.asof).isoformat()
    return [
        Finding(
            "volume_drop",
            agg.outlets[o],
            None,
            "critical" if current == 0 else "warning",
            f"{current} article(s) on {day}, below {_pct(th.volume_fraction)} of the "
            f"trailing median {median:g}/day ({len(days)} days): blocked, or a broken listing?",
            {"day": day, "articles": current, "trailing_median": median, "days": len(days)},
        )
    ]


def field_fill_drop(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    n_recent = int(agg.articles[o, w.recent].sum())
    n_base = int(agg.articles[o, w.baseline].sum())
    base_days = int((agg.articles[o, w.baseline] > 0).sum())
    if (
        n_recent < th.min_recent_articles
        or n_base < th.min_baseline_articles
        or base_days < th.min_baseline_days
    ):
        return []
    found = []
    for spec in agg.fields:
        hits = agg.field_hits.get(spec.name)
        if not spec.judged or hits is None:
            continue
        got, base_got = int(hits[o, w.recent].sum()), int(hits[o, w.baseline].sum())
        recent, base = got / n_recent, base_got / n_base
        if (
            base < th.min_baseline_fill
            or recent > base - th.fill_drop_points
            or recent > th.fill_drop_ratio * base
            or not surprising_drop(got, n_recent, base_got, n_base, th)
        ):
            continue
        what = {
            "published_at": "published date found on the page",
            "body": "a body of substantial length",
        }.get(spec.name, spec.name)
        found.append(
            Finding(
                "field_fill_drop",
                agg.outlets[o],
                spec.name,
                "warning",
                f"{what} for {_pct(recent)} of {n_recent} article(s) on {_span(agg, w.recent)}, "
                f"down from {_pct(base)} of {n_base} over the trailing {base_days} day(s): "
                "layout changed?",
                {
                    "recent_fill": round(recent, 4),
                    "baseline_fill": round(base, 4),
                    "recent_articles": n_recent,
                    "baseline_articles": n_base,
                    "recent_days": _span(agg, w.recent),
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
    recent = slice(start, w.asof + 1)
    baseline = slice(max(0, start - th.trailing_days), start)

    def ratio(s: slice) -> tuple[float, int, int]:
        exp = np.nan_to_num(agg.expected[o, s])
        days = exp > 0
        announced = int(exp[days].sum())
        there = int(np.minimum(agg.placed[o, s][days], exp[days]).sum())
        return (there / announced if announced else np.nan), there, announced

    now, there, announced = ratio(recent)
    before, base_there, base_announced = ratio(baseline)
    if (
        announced < th.min_recent_articles
        or base_announced < th.min_baseline_articles
        or now > th.expected_fraction
        or before < th.min_baseline_fill
        or before - now < th.fill_drop_points
        or not surprising_drop(there, announced, base_there, base_announced, th)
    ):
        return []
    span = _span(agg, recent)
    return [
        Finding(
            "stored_below_expected",
            agg.outlets[o],
            None,
            "warning",
            f"{there} of the {announced} article(s) its feeds and sitemaps announced for {span} "
            f"are in the corpus under those days ({_pct(now)}; trailing {_pct(before)}): "
            "rejected, or filed under other days (dates lost?)",
            {
                "stored": there,
                "expected": announced,
                "ratio": round(now, 4),
                "baseline_ratio": round(before, 4),
                "days": span,
            },
        )
    ]


def body_length_collapse(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    mine = agg.row_outlet == o
    recent = agg.row_body[mine & (agg.row_day >= w.recent.start) & (agg.row_day < w.recent.stop)]
    base = agg.row_body[mine & (agg.row_day >= w.baseline.start) & (agg.row_day < w.baseline.stop)]
    if recent.size < th.min_recent_articles or base.size < th.min_baseline_articles:
        return []
    now, before = float(np.median(recent)), float(np.median(base))
    # most of the recent bodies short, not a median dragged down by one or two briefs
    upper = float(np.percentile(recent, 75))
    if before <= 0 or now >= th.body_fraction * before or upper >= before:
        return []
    return [
        Finding(
            "body_length_collapse",
            agg.outlets[o],
            "text",
            "warning",
            f"median body {now:.0f} characters on {_span(agg, w.recent)}, down from "
            f"{before:.0f} over the trailing days: extraction picking the wrong block?",
            {"recent_median_chars": now, "baseline_median_chars": before},
        )
    ]


def blocked_share_rising(agg: Aggregates, w: _Window, th: Thresholds) -> list[Finding]:
    o = w.outlet
    shares = agg.blocked_share[o]
    ran = np.flatnonzero(~np.isnan(shares[: w.asof + 1]))
    if not ran.size:
        return []
    latest = int(ran[-1])
    before = [i for i in ran[:-1] if i >= latest - th.trailing_days]
    if len(before) < th.min_baseline_days:
        return []
    now, base = float(shares[latest]), float(np.median(shares[before]))
    if now < th.blocked_share_min or now < base + th.blocked_share_rise:
        return []
    run = agg.last_runs.get(agg.outlets[o])
    status = run.access_status if run else "?"
    return [
        Finding(
            "blocked_share_rising",
            agg.outlets[o],
            "access",
            "critical" if now >= 0.99 else "warning",
            f"{_pct(now)} of requests refused (robots.txt, bot challenge, unreachable, HTTP "
            f"errors) on {agg.day_at(latest).isoformat()}, up from a trailing median of "
            f"{_pct(base)}; latest access status: {status}",
            {"share": round(now, 4), "baseline_share": round(base, 4), "access_status": status},
        )
    ]


def translation_backlog_growing(agg: Aggregates, o: int, th: Thresholds) -> list[Finding]:
    end = agg.n_days - 1
    then = max(0, end - th.backlog_days)
    now, before = int(agg.backlog[o, end]), int(agg.backlog[o, then])
    if now < th.backlog_min or now < th.backlog_growth * max(before, 1):
        return []
    return [
        Finding(
            "translation_backlog_growing",
            agg.outlets[o],
            "translation_status",
            "warning",
            f"{now} article(s) waiting for a translation at the end of "
            f"{agg.day_at(end).isoformat()}, up from {before} on "
            f"{agg.day_at(then).isoformat()}: is the translation model reachable?",
            {"backlog": now, "backlog_before": before, "since": agg.day_at(then).isoformat()},
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


def evaluate(agg: Aggregates, thresholds: Thresholds | None = None) -> list[Finding]:
    """Every finding over the aggregates, ordered by outlet then rule."""
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
                blocked_share_rising,
            ):
                mine.extend(rule(agg, w, th))
        mine.extend(translation_backlog_growing(agg, o, th))
        for f in mine:
            logger.debug("finding %s on %s: %s", f.name, outlet, f.message)
        findings.extend(mine)
    return findings


def default_range(last: date | None, first: date | None, days: int = 30) -> tuple[date, date]:
    """``[first, last]`` with defaults: last = today (UTC), first = ``days`` - 1 before it."""
    from datetime import UTC, datetime

    end = last or datetime.now(UTC).date()
    start = first or end - timedelta(days=days - 1)
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    return start, end
