"""Publication and modification dates: one function per source, and a conflict rule.

``published_at`` returns a :class:`PublishedDate`: the time in UTC, where it came from
(``Extraction.published_source``) and the calendar day as the page writes it. Sources, most
trusted first, each read by its own function:

======================  ================================================================
``selector``            the outlet's CSS selector (:func:`selector_date`)
``meta``                ``article:published_time``-style meta tags (:func:`meta_date`)
``json-ld``             JSON-LD ``datePublished``, then ``dateCreated`` (:func:`json_ld_date`)
``itemprop``            ``itemprop=datePublished`` microdata (:func:`itemprop_date`)
``time``                ``<time datetime>`` of this article (:func:`time_date`)
``unixtime``            ``data-unixtime`` (:func:`unixtime_date`)
``visible``             a visible dateline that is not an "Updated …" line (:func:`visible_date`)
``url``                 the date in the URL (:func:`url_date`)
``htmldate``            htmldate's search of the whole page, the last resort
                        (:func:`htmldate_date`)
======================  ================================================================

The conflict rule (:func:`published_at`): the page's metadata (meta tags, JSON-LD) wins over
what the page shows, what the page shows over the URL, and each of them is checked against
the others:

- meta tag and JSON-LD disagreeing by more than a day: the one the visible dateline or the
  URL confirms; else the earlier, when the later equals the page's modification time (CMSs
  that rewrite ``article:published_time`` on every edit); else the meta tag.
- a ``<time>``, unixtime or visible date more than a day away from the URL's date loses to
  the URL (page clocks, event dates, the date of a related article);
- never a modification date when a publication date exists: "Updated …" datelines,
  ``dateModified`` and ``article:modified_time`` feed ``modified_at`` only;
- never a date of another article: ``<time>`` elements and datelines in navigation,
  sidebars, footers, related/recirculation/teaser blocks, or in another ``<article>`` than
  the one holding the headline;
- never a copyright year: htmldate's copyright fallback (1 January of a year the page writes
  in a "©"/"Copyright" notice) is not a publication date.

Plausibility: a date before 1990-01-01 (``0001-01-01T00:00:00Z`` placeholders, Unix epoch
zeros) or more than a day after ``reference_time`` (the fetch time) is ignored wherever it
comes from, and the next value or source is tried.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from lxml.html import HtmlElement

from processing.core.dates import (
    date_from_url,
    has_time,
    parse_date_value,
    parse_visible_date,
    written_day,
)
from processing.core.jsontypes import JSONObject, JSONValue
from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line

logger = logging.getLogger(__name__)

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
DAY = 86400.0


class PublishedDate(NamedTuple):
    at: datetime | None
    source: str | None
    day: date | None  # the day as the page writes it


NO_DATE = PublishedDate(None, None, None)


class Candidate(NamedTuple):
    """One date a source gives: its source name, the value as written, the UTC time and the
    day as written."""

    source: str
    value: str | int | float
    at: datetime
    day: date

    def published(self, day: date | None = None) -> PublishedDate:
        return PublishedDate(self.at, self.source, day or self.day)


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


def _parse(value: str | int | float, tz: str | None, ok: Plausible) -> datetime | None:
    if isinstance(value, bool):
        return None
    dt = parse_date_value(value, tz)
    return dt if ok(dt) else None


def _first(
    source: str,
    values: Iterable[JSONValue],
    tz: str | None,
    ok: Plausible,
    url_day: Candidate | None = None,
) -> Candidate | None:
    """The first plausible value of a source as a candidate; with ``url_day``, the first
    within a day of the URL's date."""
    for v in values:
        if not isinstance(v, str | int | float):
            continue  # an object or a list: not a date value
        dt = _parse(v, tz, ok)
        if dt is not None:
            found = Candidate(source, v, dt, written_day(v) or dt.date())
            if _near(found.day, url_day):
                return found
    return None


# ---- one function per source ----------------------------------------------------------
def selector_date(tree: HtmlElement, css: str, tz: str | None, ok: Plausible) -> Candidate | None:
    """The outlet's selector: a ``datetime`` or ``content`` attribute, else the text."""
    for node in sel.css(tree, css):
        for v in (node.get("datetime"), node.get("content"), node.text_content()):
            dt = _parse(v, tz, ok) if v else None
            if dt is not None and v:
                return Candidate("selector", v, dt, written_day(v) or dt.date())
    return None


def meta_date(tree: HtmlElement, tz: str | None, ok: Plausible) -> Candidate | None:
    return _first("meta", sel.META_PUBLISHED(tree), tz, ok)


def json_ld_date(ld: JSONObject, tz: str | None, ok: Plausible) -> Candidate | None:
    return _first("json-ld", (ld.get("datePublished"), ld.get("dateCreated")), tz, ok)


def itemprop_date(tree: HtmlElement, tz: str | None, ok: Plausible) -> Candidate | None:
    return _first("itemprop", sel.ITEMPROP_PUBLISHED(tree), tz, ok)


def time_date(
    values: list[str], tz: str | None, ok: Plausible, url_day: Candidate | None = None
) -> Candidate | None:
    """``<time datetime>`` of this article (see ``selectors.TIME_DATETIME``), within a day
    of the URL's date (page clocks and event dates are common ``<time>`` elements)."""
    return _first("time", values, tz, ok, url_day)


def unixtime_date(
    tree: HtmlElement, tz: str | None, ok: Plausible, url_day: Candidate | None = None
) -> Candidate | None:
    return _first("unixtime", sel.DATA_UNIXTIME(tree), tz, ok, url_day)


def url_date(url: str, ok: Plausible) -> Candidate | None:
    day = date_from_url(url)
    if not ok.day(day) or day is None:
        return None
    return Candidate(
        "url", day.isoformat(), datetime(day.year, day.month, day.day, tzinfo=UTC), day
    )


# "Updated …", "Last modified …", "آخر تحديث …": a modification dateline
_UPDATED = re.compile(
    r"^\W*(?:last\s+)?(?:updated|modified|edited|revised|mis à jour|mise à jour|actualizado"
    r"|aktualisiert|atualizado|aggiornato|آخر تحديث|تم التحديث|تحديث|عُدّل|عدل)\b",
    re.IGNORECASE,
)
# "Published …", "Posted …": the publication dateline, preferred over other lines
_PUBLISHED = re.compile(
    r"^\W*(?:first\s+)?(?:published|posted|publié|publicado|veröffentlicht|pubblicato"
    r"|نشر|نُشر|تاريخ النشر)\b",
    re.IGNORECASE,
)
# the updated part of a combined dateline: "Published 3 May | Updated 4 May"
_UPDATE_TAIL = re.compile(
    r"\s*(?:[|•·,;–—-]\s*)?(?:last\s+)?(?:updated|modified|mis à jour|actualizado"
    r"|aktualisiert|آخر تحديث|تحديث)\b.*$",
    re.IGNORECASE,
)


def visible_date(
    lines: list[str], tz: str | None, ok: Plausible | None = None
) -> tuple[datetime, date] | None:
    """The publication date the page shows: a "Published …" dateline first, else the first
    dateline that is not an "Updated …" line (the updated part of "Published X | Updated Y"
    is left out). UTC time and the day as written."""
    ok = ok or Plausible()
    shown = [line for line in lines if not _UPDATED.match(line)]
    for text in [*(x for x in shown if _PUBLISHED.match(x)), *shown]:
        text = _UPDATE_TAIL.sub("", text)
        dt = parse_visible_date(text, tz)
        if ok(dt) and dt is not None:
            return dt, written_day(text) or dt.date()
    return None


def updated_dateline(lines: list[str], tz: str | None, ok: Plausible) -> datetime | None:
    """The modification date the page shows: "Updated 4 May 2024 10:15", or the time of a
    "…, last updated 14:00" written after the publication day."""
    for text in lines:
        m = _UPDATED.match(text) or _UPDATE_TAIL.search(text)
        if not m:
            continue
        tail = text[m.start() :]
        dt = parse_visible_date(tail, tz)
        if dt is None and re.search(r"\d", tail):  # a time only: on the day written before it
            dt = parse_visible_date(_UPDATE_WORDS.sub(" ", text), tz)
        if ok(dt):
            return dt
    return None


_UPDATE_WORDS = re.compile(
    r"(?:last\s+)?(?:updated|modified|mis à jour|actualizado|aktualisiert|آخر تحديث|تحديث)",
    re.IGNORECASE,
)


_COPYRIGHT_YEAR = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}\s*[-–]\s*)?((?:19|20)\d{2})", re.IGNORECASE
)


def htmldate_date(tree: HtmlElement, url: str, tz: str | None, ok: Plausible) -> Candidate | None:
    """htmldate's search of the whole page, bounded by the plausibility window; the last
    resort. Its quick pass (markup, scripts, timestamps) first; its extensive pass (free-text
    date expressions through dateparser: slow, up to seconds on some pages) only when the
    quick one finds nothing. Navigation, sidebars, footers and lists of other articles are
    left out of what it searches; a 1 January of a year the page names in a copyright notice
    is htmldate's copyright fallback, not a publication date."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate ships with trafilatura
        return None
    # htmldate reads every <time> and dateline of the page: not those of other articles
    page = deepcopy(tree)
    for node in sel.OTHER_ARTICLES(page):
        if node.getparent() is not None:
            node.drop_tree()
    for extensive in (False, True):
        try:
            value = find_date(
                page,
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
        if dt is None or not ok(dt) or not value:
            continue
        if (dt.month, dt.day) == (1, 1) and _copyright_years(tree) & {dt.year}:
            logger.debug("htmldate gave the copyright year on %s", url)
            return None
        return Candidate("htmldate", value, dt, dt.date())
    return None


def _copyright_years(tree: HtmlElement) -> set[int]:
    text = " ".join(sel.COPYRIGHT_TEXT(tree))
    return {int(y) for y in _COPYRIGHT_YEAR.findall(text)}


# ---- the conflict rule ------------------------------------------------------------------
def published_at(
    tree: HtmlElement,
    ld: JSONObject,
    url: str,
    tz: str | None,
    css: str | None = None,
    reference_time: datetime | None = None,
) -> PublishedDate:
    """The publication date (the module docstring gives the sources and the rule)."""
    ok = Plausible(reference_time)
    if css:
        chosen = selector_date(tree, css, tz, ok)
        if chosen is not None:
            return chosen.published()

    @cache
    def datelines() -> list[str]:
        return _visible_candidates(tree)

    @cache
    def time_values() -> list[str]:
        return [v for xp in sel.TIME_DATETIME for v in xp(tree)]

    url_day = url_date(url, ok)
    machine = [c for c in (meta_date(tree, tz, ok), json_ld_date(ld, tz, ok)) if c is not None]
    if machine:
        chosen = _resolve_metadata(
            machine, url_day, lambda: visible_date(datelines(), tz, ok), tree, ld, tz, ok
        )
        return chosen.published(_shown_day(chosen, datelines, time_values, tz))
    item = itemprop_date(tree, tz, ok)
    if item is not None:
        return item.published(_shown_day(item, datelines, time_values, tz))
    for found in (time_date(time_values(), tz, ok, url_day), unixtime_date(tree, tz, ok, url_day)):
        if found is not None:
            return found.published(_shown_day(found, datelines, lambda: [], tz))
    visible = visible_date(datelines(), tz, ok)
    if visible and _near(visible[1], url_day):
        return PublishedDate(visible[0], "visible", visible[1])
    if url_day is not None:
        return url_day.published()
    found = htmldate_date(tree, url, tz, ok)
    return found.published() if found is not None else NO_DATE


def _near(day: date, url_day: Candidate | None) -> bool:
    """Within a day of the URL's date (or the URL has none)."""
    return url_day is None or abs((day - url_day.day).days) <= 1


def _resolve_metadata(
    machine: list[Candidate],
    url_day: Candidate | None,
    visible: Callable[[], tuple[datetime, date] | None],
    tree: HtmlElement,
    ld: JSONObject,
    tz: str | None,
    ok: Plausible,
) -> Candidate:
    """The meta tag's date, unless the JSON-LD disagrees with it (see the module docstring).
    ``itemprop=datePublished`` takes no part: it repeats for every item of a live blog or a
    list."""
    first = machine[0]
    if len(machine) < 2:
        return first
    other = machine[1]
    gap = abs((other.at - first.at).total_seconds())
    if gap > DAY:
        shown = visible()
        for witness in (shown[1] if shown else None, url_day.day if url_day else None):
            if witness is None:
                continue
            agreeing = [c for c in machine if witness in (c.day, c.at.date())]
            if len(agreeing) == 1:
                return agreeing[0]
    if gap > 3600:
        earlier, later = sorted(machine, key=lambda c: c.at)
        modified = modified_at(tree, ld, tz, None, ok)
        if modified is not None and abs((later.at - modified).total_seconds()) <= 120:
            return earlier
    return first


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


def _shown_day(
    chosen: Candidate,
    datelines: Callable[[], list[str]],
    time_values: Callable[[], list[str]],
    tz: str | None,
) -> date:
    """The day as the page writes it: a value written in UTC is rendered in the page's own
    zone somewhere (a ``<time datetime>`` with an offset, a dateline), and that gives it."""
    if not _is_utc_value(chosen.value, tz):
        return chosen.day
    return _local_day(datelines, time_values(), chosen.at) or chosen.day


def _visible_candidates(tree: HtmlElement) -> list[str]:
    """Short texts that may be datelines: elements whose class/id names a date, time or
    publication, then the first elements after the ``h1`` (outside lists of other
    articles). Found once per reading of the page (the published and the modified date
    both ask)."""
    return sel.once(tree, "datelines", _find_visible_candidates)


def _find_visible_candidates(tree: HtmlElement) -> list[str]:
    nodes = sel.VISIBLE_DATE(tree)[:12]
    for h1 in sel.H1(tree)[:1]:
        nodes += [
            n
            for n in h1.xpath(
                "following::*[self::div or self::span or self::p or self::time]"
                "[normalize-space(text())][position() <= 8]"
            )
            if not sel.IN_OTHER_ARTICLES(n)
        ]
    texts = (normalise_line(n.text_content()) for n in nodes)
    return [t for t in texts if 6 <= len(t) <= 120]


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


def modified_at(
    tree: HtmlElement,
    ld: JSONObject,
    tz: str | None,
    reference_time: datetime | None = None,
    ok: Plausible | None = None,
) -> datetime | None:
    """The last modification: ``article:modified_time``-style meta tags, JSON-LD
    ``dateModified``, ``itemprop=dateModified``, then an "Updated …" dateline the page shows
    (plausible values only)."""
    ok = ok or Plausible(reference_time)

    def values() -> Iterator[JSONValue]:  # in order; the page searched only when needed
        yield from sel.META_MODIFIED(tree)
        yield ld.get("dateModified")
        yield from sel.ITEMPROP_MODIFIED(tree)

    found = _first("modified", values(), tz, ok)
    if found is not None:
        return found.at
    return updated_dateline(_visible_candidates(tree), tz, ok)
