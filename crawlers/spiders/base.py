"""The outlet spider: discovery routes from the registry, a date window, polite fetching.

One generic class does the work for every outlet whose site follows a common pattern (feeds,
sitemaps, WordPress date archives); an outlet with special needs gets a thin subclass in its
own module registered with :func:`register`. The spider never parses articles: it records
what it fetched (WARC + fetch records) and what it discovered (candidates); extraction runs
in ``processing`` on the stored responses.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.discovery import Link, month_range, parse_archive, parse_feed, parse_sitemap
from crawlers.extensions import RunRecorder, real_url
from crawlers.items import (
    Candidate,
    CandidateDecision,
    CrawlItem,
    FetchOutcome,
    FetchRecord,
    Role,
)
from crawlers.middlewares import NamedIgnore
from crawlers.registry import DateArchive, Outlet, Route
from processing.core.dates import date_from_url
from processing.core.records import RobotsReport
from processing.core.urls import canonical_url, identity_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawlers.run import CrawlSink

logger = logging.getLogger(__name__)

SpiderOutput = Request | CrawlItem  # what the spider's callbacks yield

# Every status reaches the callbacks (which record it), except redirects, which Scrapy's
# RedirectMiddleware must still follow (it skips requests that handle every status).
NON_REDIRECT_STATUSES = [s for s in range(100, 600) if s not in (301, 302, 303, 307, 308)]
# Request meta copied into the fetch record of a request that never got a response.
_RECORD_META = ("role", "route", "source", "hint", "hint_kind")


def failure_outcome(exc: BaseException, limit: int) -> tuple[FetchOutcome, str]:
    """The fetch outcome and reason of a request that ended in an exception. ``limit``: the
    response size limit in bytes (DOWNLOAD_MAXSIZE, from NEWSLOOM_MAX_RESPONSE_BYTES)."""
    text = str(exc)
    if isinstance(exc, NamedIgnore):  # robots, off-site, redirect limit: already named
        return exc.outcome, exc.reason
    if "DOWNLOAD_MAXSIZE" in text and "decompression" in text:
        return "too_large", (
            f"response over the {limit}-byte limit (NEWSLOOM_MAX_RESPONSE_BYTES) once "
            "decompressed: its compressed body inflated past it"
        )
    if "larger than download max size" in text.lower():
        return "too_large", f"response over the {limit}-byte limit (NEWSLOOM_MAX_RESPONSE_BYTES)"
    if isinstance(exc, IgnoreRequest):
        return "ignored", f"refused by a downloader middleware: {text or type(exc).__name__}"
    return "network_error", f"{type(exc).__name__}: {text}"[:300]


@dataclass(frozen=True)
class Window:
    """Half-open UTC interval [start, end) of publication times a run collects."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("window bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError(f"empty window {self.start} .. {self.end}")

    def contains(self, when: datetime) -> bool:
        return self.start <= when < self.end

    def may_contain_day(self, day: date, before: int = 1, after: int = 1) -> bool:
        """A date-only hint (URL or archive day): keep it unless clearly outside (``before``
        and ``after``: days of slack for local days that differ from UTC ones)."""
        first = self.start.date() - timedelta(days=before)
        last = (self.end - timedelta(microseconds=1)).date() + timedelta(days=after)
        return first <= day <= last

    def days(self) -> list[date]:
        last = (self.end - timedelta(microseconds=1)).date()
        out, d = [], self.start.date()
        while d <= last:
            out.append(d)
            d += timedelta(days=1)
        return out


class OutletSpider(Spider):
    """Crawl one outlet over a window through its discovery routes."""

    name = "outlet"
    outlet_ids: ClassVar[tuple[str, ...]] = ()  # set by subclasses bound to outlets

    def __init__(
        self,
        outlet: Outlet,
        window: Window,
        mode: str = "daily",
        routes: list[Route] | None = None,
        sink: CrawlSink | None = None,
        pad_before: bool = True,
        pad_after: bool = True,
        known: frozenset[str] = frozenset(),
        accept: Window | None = None,
        reuse: Mapping[str, FetchRecord] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(name=f"outlet_{outlet.id}", **kwargs)
        self.sink = sink  # receives the crawl's outputs (crawlers.run.CrawlSink)
        self.outlet = outlet
        self.window = window
        self.accept = accept or window  # publication times the run takes (see _in_window)
        self.mode = mode
        # discovery reads one more local day at a padded edge of the window
        self.pad = (int(pad_before), int(pad_after))
        # canonical URLs the corpus already holds: not fetched again (backfill resume)
        self.known = known
        self.allowed_domains = list(outlet.domains)
        self.routes: list[Route] = routes or (
            outlet.daily_routes() if mode == "daily" else outlet.backfill_routes()
        )
        # In a backfill only the best route runs; the next one takes over if it fails.
        self.active_routes: list[Route] = self.routes if mode == "daily" else self.routes[:1]
        # identity forms (processing.core.urls.identity_url) of queued and stored articles:
        # the http/https and trailing-slash spellings of one article are one article
        self.seen: set[str] = set()
        self.known_ids = frozenset(identity_url(u) for u in known)
        # responses earlier crawls of the outlet got, by identity form (crawlers.journal):
        # copied from their WARC instead of being fetched again
        self.reuse: Mapping[str, FetchRecord] = reuse or {}
        # every request the spider made, by the URL its fetch record will carry
        self.requested: dict[str, dict[str, Any]] = {}
        self.robots_report: RobotsReport = {}
        self.route_pending: dict[str, int] = {}
        self.route_links: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: object, **kwargs: object) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    # ---- start -------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        for route in self.active_routes:
            for request in self.route_requests(route):
                yield request
        for url in self._uncovered_indexes():
            yield self._listing(url, "sitemap", "sitemap")

    def _uncovered_indexes(self) -> list[str]:
        """Sitemap indexes on hosts a backfill's date-templated sitemap does not serve (an
        outlet on two sites, like politico.com and politico.eu)."""
        if self.mode == "daily" or self.active_routes[0] not in (
            "ranged_sitemap",
            "monthly_sitemap",
        ):
            return []
        template = (
            self.outlet.sitemaps.ranged
            if self.active_routes[0] == "ranged_sitemap"
            else self.outlet.sitemaps.monthly
        )
        covered = urlsplit(template or "").hostname
        return [u for u in self.outlet.sitemaps.index if urlsplit(u).hostname != covered]

    def route_requests(self, route: Route) -> Iterator[Request]:
        o, w = self.outlet, self.window
        self.route_pending.setdefault(route, 0)
        self.route_links.setdefault(route, 0)
        if route == "feed":
            for url in o.feeds:
                yield self._listing(url, "feed", route)
        elif route == "news_sitemap":
            for url in o.sitemaps.news:
                yield self._listing(url, "sitemap", route)
        elif route == "sitemap":
            for url in o.sitemaps.index:
                yield self._listing(url, "sitemap", route)
        elif route == "ranged_sitemap" and o.sitemaps.ranged:
            # the outlet's days are local ones: ask for a day more on each side
            first = w.start.date() - timedelta(days=self.pad[0])
            last = (w.end - timedelta(microseconds=1)).date() + timedelta(days=self.pad[1])
            url = o.sitemaps.ranged.format(start=f"{first:%Y%m%d}", end=f"{last:%Y%m%d}")
            yield self._listing(url, "sitemap", route)
        elif route == "monthly_sitemap" and o.sitemaps.monthly:
            last = (w.end - timedelta(microseconds=1)).date()
            for y, m in month_range(w.start.date(), last):
                yield self._listing(
                    o.sitemaps.monthly.format(yyyy=f"{y:04d}", mm=f"{m:02d}"), "sitemap", route
                )
        elif route == "archive":
            for archive in o.archives:
                for url, day in self._archive_first_pages(archive):
                    yield self._listing(
                        url, "archive", route, archive=archive, archive_day=day, page=1
                    )

    def _archive_first_pages(self, archive: DateArchive) -> Iterator[tuple[str, date]]:
        # Archives are filed by the outlet's local day, which can be a day off the UTC one:
        # read one more day on each side; the window filter drops what is outside.
        inner = self.window.days()
        days = [
            *([inner[0] - timedelta(days=1)] if self.pad[0] else []),
            *inner,
            *([inner[-1] + timedelta(days=1)] if self.pad[1] else []),
        ]
        if archive.granularity == "day":
            for d in reversed(days):
                yield self._archive_url(archive, d, 1), d
        else:
            for y, m in month_range(days[0], days[-1]):
                yield self._archive_url(archive, date(y, m, 1), 1), date(y, m, 1)

    @staticmethod
    def _archive_url(archive: DateArchive, day: date, page: int) -> str:
        template = archive.first_page if page == 1 and archive.first_page else archive.template
        return template.format(
            yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", dd=f"{day.day:02d}", page=page
        )

    def _listing(self, url: str, role: Role, route: Route, **meta: object) -> Request:
        self.route_pending[route] = self.route_pending.get(route, 0) + 1
        self.requested[url] = {"role": role, "route": route}
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            meta={
                "role": role,
                "route": route,
                "handle_httpstatus_list": NON_REDIRECT_STATUSES,
                "requested_url": url,
                **meta,
            },
            priority=10,
        )

    # ---- listings ----------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[SpiderOutput]:
        meta = response.meta
        role: Role = meta["role"]
        route: Route = meta["route"]
        record = self._fetch_record(response, role)
        yield record
        try:
            if record.outcome == "fetched":
                yield from self._parse_listing_body(response, role, route)
        finally:
            self._route_done(route)
        # a route that found nothing hands over to the next one (backfill)
        yield from self._maybe_fallback(route)

    def _parse_listing_body(
        self, response: Response, role: Role, route: Route
    ) -> Iterator[SpiderOutput]:
        tz = self.outlet.timezone
        if role == "feed":
            for link in parse_feed(response.body, response.url, tz):
                yield from self._candidate(
                    link, response.url, route, explicit=True, hint_kind="published"
                )
        elif role == "sitemap":
            sitemap = parse_sitemap(response.body, response.url, tz)
            if sitemap is None:
                return
            if sitemap.is_index:
                for child in sitemap.links:
                    if self._child_sitemap_wanted(child):
                        yield self._listing(child.url, "sitemap", route)
            else:
                kind = "published" if route == "news_sitemap" else "modified"
                for link in sitemap.links:
                    yield from self._candidate(
                        link, response.url, route, explicit=True, hint_kind=kind
                    )
        elif role == "archive":
            yield from self._parse_archive(response, route)

    def _parse_archive(self, response: Response, route: Route) -> Iterator[SpiderOutput]:
        meta = response.meta
        archive: DateArchive = meta["archive"]
        page = parse_archive(response.text, response.url, self.outlet.timezone)
        articles = [
            ln
            for ln in page.links
            if self.outlet.is_article(canonical_url(ln.url, self._keep(ln.url)))
        ]
        day_archive = archive.granularity == "day"
        for link in articles:
            if link.published is None and day_archive:
                # Undated links (sidebars, "most read") are fetched and judged by their page;
                # the archive's day is kept as a last-resort date for a page that gives none.
                day: date = meta["archive_day"]
                link = replace(link, published=datetime(day.year, day.month, day.day, tzinfo=UTC))
                kind = "archive_day"
            else:
                kind = "day" if link.day_only else "published"
            yield from self._candidate(link, response.url, route, explicit=False, hint_kind=kind)
        dated = [ln.published for ln in articles if ln.published and not ln.day_only]
        oldest = min(dated) if dated else None
        page_no: int = meta["page"]
        if not articles:
            return  # an empty page ends the archive
        if oldest is not None and oldest < self.window.start - timedelta(days=1):
            return  # newest first: everything further back is older than the window
        if page_no >= archive.max_pages:
            logger.warning("archive page limit %d reached at %s", archive.max_pages, response.url)
            return
        nxt = self._archive_url(archive, meta["archive_day"], page_no + 1)
        yield self._listing(
            nxt,
            "archive",
            route,
            archive=archive,
            archive_day=meta["archive_day"],
            page=page_no + 1,
        )

    def _child_sitemap_wanted(self, child: Link) -> bool:
        """Follow a child sitemap only if its URL date range or lastmod can meet the window."""
        from crawlers.sitemaps import sitemap_span

        span = sitemap_span(child.url)
        if span is not None:
            first, last = span
            return (
                first <= (self.window.end - timedelta(microseconds=1)).date()
                and last >= self.window.start.date()
            )
        if child.published is not None:
            return child.published >= self.window.start - timedelta(days=1)
        return True

    # ---- candidates and articles -------------------------------------------------------
    def _keep(self, url: str) -> list[str] | None:
        return self.outlet.keep_query

    def _candidate(
        self, link: Link, source: str, route: Route, explicit: bool, hint_kind: str
    ) -> Iterator[SpiderOutput]:
        canonical = canonical_url(link.url, self._keep(link.url))
        hint = link.published
        url_day = date_from_url(canonical)
        if hint_kind == "modified" and url_day is not None:
            # a sitemap's lastmod is a modification time; the URL's day says publication
            hint, hint_kind = datetime(url_day.year, url_day.month, url_day.day, tzinfo=UTC), "day"
        decision: CandidateDecision = "queued"
        if self.outlet.is_paywalled(canonical):
            decision = "paywall"
        elif not self.outlet.owns(canonical):
            decision = "offsite"
        elif not self.outlet.is_article(canonical):
            if not explicit:
                return  # navigation links on listing pages are not worth a record
            decision = "not_article"
        elif identity_url(canonical) in self.seen:
            decision = "duplicate"
        elif not self._in_window(canonical, hint, hint_kind):
            decision = "out_of_window"
        elif identity_url(canonical) in self.known_ids:
            decision = "already_stored"
        if decision in ("queued", "already_stored"):
            # the route lists the window's articles (even if the corpus holds them all):
            # no fallback to the next route
            self.route_links[route] = self.route_links.get(route, 0) + 1
        if decision == "queued":
            self.seen.add(identity_url(canonical))
        yield Candidate(
            url=link.url,
            canonical_url=canonical,
            source=source,
            route=route,
            decision=decision,
            hint_published=hint.isoformat() if hint else None,
            hint_title=link.title,
            hint_kind=hint_kind,
        )
        if decision == "queued":
            meta = {
                "role": "article",
                "route": route,
                "source": source,
                "hint": hint.isoformat() if hint else None,
                "hint_kind": hint_kind if hint else None,
                "requested_url": canonical,
                "handle_httpstatus_list": NON_REDIRECT_STATUSES,
            }
            prior = self.reuse.get(identity_url(canonical))
            reused = self._reused(prior, canonical, meta) if prior is not None else None
            if reused is not None:
                yield reused
                return
            self.requested[canonical] = {k: meta[k] for k in _RECORD_META}
            yield Request(canonical, callback=self.parse_article, errback=self.on_error, meta=meta)

    def _reused(
        self, prior: FetchRecord, canonical: str, meta: dict[str, Any]
    ) -> FetchRecord | None:
        """The record of a page an earlier crawl fetched, copied into this crawl's WARC (None
        when it cannot be copied: the page is then fetched)."""
        recorder = RunRecorder.of(self.crawler)
        copied = recorder.copy_page(prior) if recorder is not None else None
        if copied is None:
            return None
        logger.debug("%s: taken from %s's WARC, not fetched again", canonical, prior.reused_from)
        return replace(
            prior,
            url=canonical,
            raw_offset=copied[0],
            raw_length=copied[1],
            raw_ref=None,
            hint_published=meta["hint"],
            hint_kind=meta["hint_kind"],
            source=meta["source"],
            route=meta["route"],
        )

    def _in_window(self, url: str, hint: datetime | None, hint_kind: str) -> bool:
        """Whether a listed article may belong to the run. A backfill chunk accepts the whole
        backfill's range (``accept``): an article its listings show is fetched by this chunk,
        once, wherever in the range it was published; the next chunk will not fetch it again."""
        w = self.accept
        pad = self.pad if self.accept == self.window else (1, 1)
        if hint is not None and hint_kind == "published":
            # listings round dates to the day sometimes; allow the overlap the window has
            return w.start - timedelta(hours=1) <= hint < w.end + timedelta(hours=1)
        if hint is not None and hint_kind == "modified" and hint < w.start:
            return False  # not modified since before the window: published before it too
        if hint_kind == "archive_day":
            return True  # an undated link on a day's archive page: its page decides
        if hint is not None and hint_kind == "day":
            return w.may_contain_day(hint.date(), *pad)
        day = date_from_url(url)
        return w.may_contain_day(day, *pad) if day else True

    def parse_article(self, response: Response) -> Iterator[FetchRecord]:
        record = self._fetch_record(response, "article")
        record.source = response.meta.get("source")
        record.hint_published = response.meta.get("hint")
        record.hint_kind = response.meta.get("hint_kind")
        record.route = response.meta.get("route")
        yield record

    # ---- records -----------------------------------------------------------------------
    def _fetch_record(self, response: Response, role: Role) -> FetchRecord:
        offset, length, fetched_at = response.meta.get("warc", (None, None, None))
        original = response.meta.get("requested_url") or response.url
        ctype = response.headers.get(b"Content-Type")
        record = FetchRecord(
            url=original,
            role=role,
            outcome="fetched",
            status=response.status,
            final_url=response.url,
            raw_offset=offset,
            raw_length=length,
            content_type=ctype.decode("latin-1") if ctype else None,
            fetched_at=fetched_at,
            canonical_url=canonical_url(response.url, self._keep(response.url)),
        )
        if response.meta.get("bot_challenge"):
            record.outcome, record.reason = (
                "bot_challenge",
                (f"bot challenge page (status {response.status})"),
            )
        elif not 200 <= response.status < 300:
            record.outcome, record.reason = "http_error", f"HTTP {response.status}"
        return record

    def _unfetched_record(
        self, meta: dict[str, Any], url: str, outcome: FetchOutcome, reason: str
    ) -> FetchRecord:
        """The record of a request that got no usable response."""
        return FetchRecord(
            url=url,
            role=meta.get("role", "other"),
            outcome=outcome,
            reason=reason,
            canonical_url=canonical_url(url, self._keep(url)),
            source=meta.get("source"),
            hint_published=meta.get("hint"),
            hint_kind=meta.get("hint_kind"),
            route=meta.get("route"),
            fetched_at=datetime.now(UTC).isoformat(),
        )

    def on_error(self, failure: Failure) -> Iterator[SpiderOutput]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        role: Role = meta.get("role", "other")
        url = meta.get("requested_url") or real_url(request)
        limit = int(meta.get("download_maxsize") or self.settings.getint("DOWNLOAD_MAXSIZE"))
        exc = failure.value or RuntimeError("failure without an exception")
        outcome, reason = failure_outcome(exc, limit)
        # one line per URL at DEBUG: the progress lines count errors, the fetch records say why
        logger.debug("%s: %s: %s (%s)", url, outcome, reason, role)
        yield self._unfetched_record(meta, url, outcome, reason)
        route = meta.get("route")
        if role in ("feed", "sitemap", "archive") and route:
            self._route_done(route)
            yield from self._maybe_fallback(route)

    def request_dropped(self, request: Request, spider: Spider | None = None) -> None:
        """Scrapy's scheduler dropped a request (its dupe filter): record it, since no
        callback or errback of the request will ever run."""
        meta = request.meta
        url = meta.get("requested_url") or real_url(request)
        target = real_url(request)
        outcome: FetchOutcome
        if meta.get("redirect_urls"):
            outcome = "redirect_dropped"
            reason = f"redirected to {target}, which this run already requested (duplicate)"
        else:
            outcome = "ignored"
            reason = f"{target} was already requested in this run (duplicate request)"
        logger.debug("%s: %s: %s", url, outcome, reason)
        recorder = RunRecorder.of(self.crawler)
        if recorder is not None:
            recorder.add_fetch(self._unfetched_record(meta, url, outcome, reason))
        route = meta.get("route")
        if meta.get("role") in ("feed", "sitemap", "archive") and route:
            self._route_done(route)
            for nxt in self._maybe_fallback(route):
                self.crawler.engine.crawl(nxt)

    def unaccounted(self, recorded: Iterable[str], finish_reason: str) -> list[FetchRecord]:
        """``not_attempted`` records for the requests that have none when the crawl ends
        (a page limit or a shutdown closed it before they were fetched)."""
        done = set(recorded)
        return [
            self._unfetched_record(
                meta,
                url,
                "not_attempted",
                f"the crawl ended ({finish_reason}) before this URL was fetched",
            )
            for url, meta in self.requested.items()
            if url not in done
        ]

    # ---- route fallback (backfill) -----------------------------------------------------
    def _route_done(self, route: str) -> None:
        self.route_pending[route] = self.route_pending.get(route, 1) - 1

    def _maybe_fallback(self, route: str) -> Iterator[Request]:
        if self.mode == "daily" or self.route_pending.get(route, 0) > 0:
            return
        if self.route_links.get(route, 0) > 0 or route != self.active_routes[-1]:
            return
        remaining = [r for r in self.routes if r not in self.active_routes]
        if not remaining:
            return
        nxt = remaining[0]
        logger.warning(
            "route %s found no articles for %s; falling back to %s", route, self.outlet.id, nxt
        )
        self.active_routes.append(nxt)
        yield from self.route_requests(nxt)


_REGISTRY: dict[str, type[OutletSpider]] = {}


def register(cls: type[OutletSpider]) -> type[OutletSpider]:
    """Class decorator binding a spider subclass to the outlet ids in ``outlet_ids``."""
    for outlet_id in cls.outlet_ids:
        _REGISTRY[outlet_id] = cls
    return cls


def spider_for(outlet: Outlet) -> type[OutletSpider]:
    import crawlers.spiders  # noqa: F401 - registers the outlet-specific subclasses

    return _REGISTRY.get(outlet.id, OutletSpider)
