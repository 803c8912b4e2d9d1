"""Publication and modification dates: one reader over the page's date sources.

``published_at`` returns a :class:`PublishedDate`: the time in UTC, where it came from
(``Extraction.published_source``) and the calendar day as the page writes it. Sources, most
trusted first: the outlet's selector (``selector``), ``article:published_time``-style meta
tags (``meta``), JSON-LD ``datePublished`` (``json-ld``), ``itemprop=datePublished``
(``itemprop``), ``<time datetime>`` (``time``), ``data-unixtime`` (``unixtime``), a visible
dateline (``visible``), the date in the URL (``url``) and htmldate's search of the whole page
(``htmldate``) when nothing else gives one.

Plausibility: a date before 1990-01-01 (``0001-01-01T00:00:00Z`` placeholders, Unix epoch
zeros) or more than a day after ``reference_time`` (the fetch time) is ignored wherever it
comes from, and the next value or source is tried.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from processing.core.dates import (
    date_from_url,
    has_time,
    parse_date_value,
    parse_visible_date,
    written_day,
)
from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line

logger = logging.getLogger(__name__)

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


class PublishedDate(NamedTuple):
    at: datetime | None
    source: str | None
    day: date | None  # the day as the page writes it


NO_DATE = PublishedDate(None, None, None)


class Plausible:
    """The window a publication date must fall in: [1990-01-01, reference_time + 1 day]."""

    def __init__(self, reference_time: datetime | None = None) -> None:
        ref = reference_time or datetime.now(UTC)
        if ref.tzinfo is None:
            ref = ref.replace(tzinfo=UTC)
        self.latest = ref.astimezone(UTC) + FUTURE_SLACK

    def __call__(self, dt: datetime | None) -> bool:
        return dt is not None and EARLIEST <= dt <= self.latest

    def day(self, day: date | None) -> bool:
        return day is not None and EARLIEST.date() <= day <= self.latest.date()


def _parse(value: Any, tz: str | None, ok: Plausible) -> datetime | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    dt = parse_date_value(value, tz)
    return dt if ok(dt) else None


def published_at(
    tree: Any,
    ld: dict[str, Any],
    url: str,
    tz: str | None,
    css: str | None = None,
    reference_time: datetime | None = None,
) -> PublishedDate:
    """The publication date (see the module docstring for the sources).

    - When the meta tags and JSON-LD disagree by more than a day (a CMS that writes the
      creation or the last-modified time into ``article:published_time``), the one that the
      page's visible dateline confirms wins.
    - A ``<time>``/unixtime/visible date more than a day away from the URL's date loses to the
      URL (page clocks and event dates are common ``<time>`` elements).
    - Dates outside [1990-01-01, ``reference_time`` + 1 day] are skipped.
    """
    ok = Plausible(reference_time)
    if css:
        for node in sel.css(tree, css):
            for v in (node.get("datetime"), node.get("content"), node.text_content()):
                dt = _parse(v, tz, ok) if v else None
                if dt:
                    return PublishedDate(dt, "selector", written_day(v) or dt.date())
    url_day = date_from_url(url)
    if not ok.day(url_day):
        url_day = None
    found: list[list[str]] = []

    def datelines() -> list[str]:
        if not found:
            found.append(_visible_candidates(tree))
        return found[0]

    times: list[list[str]] = []

    def time_values() -> list[str]:
        if not times:
            times.append([v for xp in sel.TIME_DATETIME for v in xp(tree)])
        return times[0]

    machine: list[tuple[str, str | int | float, datetime, date]] = []
    for source, values in (
        ("meta", sel.META_PUBLISHED(tree)),
        ("json-ld", [ld.get("datePublished"), ld.get("dateCreated")]),
        ("itemprop", sel.ITEMPROP_PUBLISHED(tree)),
    ):
        for v in values:
            dt = _parse(v, tz, ok)
            if dt is not None and isinstance(v, str | int | float):
                machine.append((source, v, dt, written_day(v) or dt.date()))
                break
    if machine:
        source, v, dt, day = machine[0]
        # meta tags and JSON-LD both describe the page itself (itemprop=datePublished repeats
        # for every item of a live blog or a list, so it does not take part)
        contenders = [m for m in machine if m[0] in ("meta", "json-ld")]
        confirmed = False
        if len(contenders) > 1 and abs((contenders[1][2] - dt).total_seconds()) > 86400:
            visible = visible_date(datelines(), tz, ok)
            if visible:
                for cand in contenders:
                    if visible[1] in (cand[3], cand[2].date()):
                        source, v, dt, day = cand
                        confirmed = True
                        break
        if not confirmed and len(contenders) > 1:
            # the later "published" value equal to the page's own modification time is that
            # time (CMSs that rewrite article:published_time on every edit): the earlier one
            first, later = sorted(contenders[:2], key=lambda m: m[2])
            if (later[2] - first[2]).total_seconds() > 3600:
                modified = modified_at(tree, ld, tz, reference_time)
                if modified is not None and abs((later[2] - modified).total_seconds()) <= 120:
                    source, v, dt, day = first
        if _is_utc_value(v, tz):  # written in UTC: the page's own dateline tells the local day
            day = _local_day(datelines, time_values(), dt) or day
        return PublishedDate(dt, source, day)
    for source, values in (("time", time_values()), ("unixtime", sel.DATA_UNIXTIME(tree))):
        for v in values:
            dt = _parse(v, tz, ok)
            if dt is None:
                continue
            day = written_day(v) or dt.date()
            if url_day and abs((day - url_day).days) > 1:
                continue
            if _is_utc_value(v, tz):
                day = _local_day(datelines, [], dt) or day
            return PublishedDate(dt, source, day)
    visible = visible_date(datelines(), tz, ok)
    if visible and (url_day is None or abs((visible[1] - url_day).days) <= 1):
        return PublishedDate(visible[0], "visible", visible[1])
    if url_day:
        return PublishedDate(
            datetime(url_day.year, url_day.month, url_day.day, tzinfo=UTC), "url", url_day
        )
    dt = _htmldate(tree, url, tz, ok)
    return PublishedDate(dt, "htmldate", dt.date()) if dt else NO_DATE


_UTC_SUFFIX = re.compile(r"(?:Z|[+-]00:?00|UTC|GMT)\s*$", re.IGNORECASE)
_HAS_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Z]{2,4}T)\s*$", re.IGNORECASE)
_HAS_CLOCK = re.compile(r"\d[T\s]\d{1,2}:\d{2}")


def _is_utc_value(value: str | int | float, tz: str | None = None) -> bool:
    """Whether a metadata value gives a UTC time: an explicit Z/+00:00, a Unix timestamp, or
    (without an outlet zone) a time of day with no offset at all, which is read as UTC."""
    if not isinstance(value, str):
        return True
    text = value.strip()
    if _UTC_SUFFIX.search(text):
        return True
    return tz is None and bool(_HAS_CLOCK.search(text)) and not _HAS_OFFSET.search(text)


def _visible_candidates(tree: Any) -> list[str]:
    """Short texts that may be datelines: elements whose class/id names a date, time or
    publication, then the first elements after the ``h1``."""
    nodes = sel.VISIBLE_DATE(tree)[:12]
    for h1 in sel.H1(tree)[:1]:
        nodes += h1.xpath(
            "following::*[self::div or self::span or self::p or self::time]"
            "[normalize-space(text())][position() <= 8]"
        )
    texts = (normalise_line(n.text_content()) for n in nodes)
    return [t for t in texts if 6 <= len(t) <= 120]


def visible_date(
    lines: list[str], tz: str | None, ok: Plausible | None = None
) -> tuple[datetime, date] | None:
    """The first (plausible) date in the page's dateline candidates (``_visible_candidates``):
    UTC time and the day as written."""
    ok = ok or Plausible()
    for text in lines:
        dt = parse_visible_date(text, tz)
        if ok(dt) and dt is not None:
            return dt, written_day(text) or dt.date()
    return None


def _local_day(lines: Callable[[], list[str]], values: list[str], utc: datetime) -> date | None:
    """The local day of a UTC timestamp, from the page's own rendering of the same instant in
    its zone: a ``<time datetime>`` value with a non-zero offset, or a dateline whose written
    time differs from ``utc`` by a whole zone offset ("Published 8:00 PM EST, Tue December 19,
    2023" for 01:00 UTC on the 20th)."""
    for value in values:
        if not isinstance(value, str) or _UTC_SUFFIX.search(value.strip()):
            continue
        seen = parse_date_value(value)
        if seen is not None and abs((seen - utc).total_seconds()) <= 90 and written_day(value):
            return written_day(value)
    for text in lines():
        if not has_time(text):
            continue
        seen = parse_visible_date(text, "UTC")  # a written zone is honoured, else read as UTC
        if seen is None:
            continue
        minutes = (seen - utc).total_seconds() / 60
        if abs(minutes) <= 14 * 60 + 1 and abs(minutes - 15 * round(minutes / 15)) <= 1.5:
            return written_day(text)
    return None


def _htmldate(tree: Any, url: str, tz: str | None, ok: Plausible) -> datetime | None:
    """htmldate's search of the whole page, bounded by the plausibility window; the last
    resort. Its quick pass (markup, scripts, timestamps) first; its extensive pass (free-text
    date expressions through dateparser: slow, up to seconds on some pages) only when the
    quick one finds nothing."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate ships with trafilatura
        return None
    for extensive in (False, True):
        try:
            value = find_date(
                tree,
                url=url or None,
                extensive_search=extensive,
                original_date=True,
                min_date=EARLIEST.date().isoformat(),
                max_date=ok.latest.date().isoformat(),
            )
        except (ValueError, TypeError) as exc:  # htmldate raises on odd trees
            logger.debug("htmldate failed on %s: %s", url, exc)
            return None
        dt = parse_date_value(value, tz) if value else None
        if ok(dt):
            return dt
    return None


def modified_at(
    tree: Any, ld: dict[str, Any], tz: str | None, reference_time: datetime | None = None
) -> datetime | None:
    """``article:modified_time``-style meta tags, then JSON-LD ``dateModified`` (plausible
    values only)."""
    ok = Plausible(reference_time)
    for v in [*sel.META_MODIFIED(tree), ld.get("dateModified")]:
        dt = _parse(v, tz, ok)
        if dt:
            return dt
    return None
