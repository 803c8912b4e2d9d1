"""Downloader middlewares: bot-challenge detection, 429/503 back-off, robots.txt by RFC 9309,
recorded off-site and redirect drops.

Every request the spider makes must end in a fetch record. Scrapy drops some requests without
calling their errback (its off-site filter at scheduling time, its dupe filter for redirects)
or calls it with a bare ``IgnoreRequest``; the middlewares here refuse requests with a
:class:`NamedIgnore` instead, which carries the outcome and the reason the spider records.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware as ScrapyOffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as ScrapyRedirectMiddleware
from scrapy.downloadermiddlewares.robotstxt import (
    RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware,
)
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawlers.extensions import real_url
from processing.core.records import FetchOutcome

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class NamedIgnore(IgnoreRequest):
    """A request refused for a named reason: the spider records ``outcome`` and ``reason``."""

    outcome: FetchOutcome = "ignored"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RobotsBlocked(NamedIgnore):
    outcome: FetchOutcome = "robots_blocked"


class OffsiteRequest(NamedIgnore):
    outcome: FetchOutcome = "offsite"


class RedirectDropped(NamedIgnore):
    outcome: FetchOutcome = "redirect_dropped"


# Cloudflare / generic interstitials. Any two signals, or the title alone, mark a challenge.
_CHALLENGE_TITLE = re.compile(
    rb"<title>\s*(Just a moment\.\.\.|Attention Required!|"
    rb"DDoS-Guard|Access denied)[^<]*</title>",
    re.IGNORECASE,
)
_CHALLENGE_SIGNALS = (
    re.compile(rb"/cdn-cgi/challenge-platform/", re.IGNORECASE),
    re.compile(rb"Checking (your|if the site connection is secure|your browser)", re.IGNORECASE),
    re.compile(rb"cf-browser-verification|cf_chl_opt|challenge-form", re.IGNORECASE),
    re.compile(rb"Enable JavaScript and cookies to continue", re.IGNORECASE),
)


def is_bot_challenge(status: int, headers: dict[str, str], body: bytes) -> bool:
    """A bot-wall interstitial instead of the page, whatever its status (403, 503, even 200)."""
    head = body[:20000]
    signals = sum(1 for rx in _CHALLENGE_SIGNALS if rx.search(head))
    if _CHALLENGE_TITLE.search(head):
        signals += 2
    if headers.get("cf-mitigated", "").lower() == "challenge":
        signals += 2
    return signals >= 2


class ChallengeMiddleware:
    """Marks challenge responses (``meta['bot_challenge']``) and stops them being retried."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        headers = {
            k.decode().lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v
        }
        if is_bot_challenge(response.status, headers, response.body):
            logger.warning("bot challenge (status %s) at %s", response.status, request.url)
            request.meta["bot_challenge"] = True
            request.meta["dont_retry"] = True
        return response


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with RFC 9309's rules for an unavailable robots.txt.

    - 2xx: the rules apply (a 3xx is followed first);
    - 4xx (robots.txt "unavailable"): allow all, whatever the error page says;
    - 5xx, and 429 (treated as a server error, like major crawlers do), after Retry's
      retries: disallow all;
    - unreachable (DNS, connection refused, timeout): disallow all.

    A refused request fails with :class:`RobotsBlocked`, whose reason says which case it is
    (``robots.txt unavailable (HTTP 500): disallow all (RFC 9309)``); the spider records it
    as ``robots_blocked``, so the run's access status becomes ``blocked_by_robots``.
    """

    DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.unavailable: dict[str, str] = {}  # netloc -> why everything is disallowed

    def _mark_unavailable(self, netloc: str, reason: str) -> None:
        logger.warning("robots.txt of %s: %s", netloc, reason)
        self.unavailable[netloc] = reason
        self._stats.inc_value("newsloom/robots/disallow_all")
        spider = self.crawler.spider
        report = getattr(spider, "robots_report", None)
        if isinstance(report, dict):
            report.setdefault("unavailable", {})[netloc] = reason

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        if status >= 500 or status == 429:
            self._mark_unavailable(
                netloc, f"robots.txt unavailable (HTTP {status}): disallow all (RFC 9309)"
            )
            response = response.replace(body=self.DISALLOW_ALL)
        elif status >= 400:
            logger.info("robots.txt of %s answers HTTP %s: allow all (RFC 9309)", netloc, status)
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # refused by a middleware: no answer to judge
            logger.warning("robots.txt of %s not fetched (%s): allow all", netloc, exc)
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._mark_unavailable(
            netloc,
            f"robots.txt unreachable ({type(exc).__name__}: {exc}): disallow all (RFC 9309)"[:300],
        )
        rp = build_from_crawler(self._parserimpl, self.crawler, self.DISALLOW_ALL)
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = rp
        if isinstance(pending, Deferred):
            pending.callback(rp)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            netloc = urlparse_cached(request).netloc
            raise RobotsBlocked(
                self.unavailable.get(netloc, "blocked by robots.txt (Disallow)")
            ) from None


class OffsiteMiddleware(ScrapyOffsiteMiddleware):
    """Scrapy's off-site filter, deciding only on the way to the downloader.

    Scrapy also filters at scheduling time, where a refused request (a redirect to another
    site, say) vanishes without its errback. Here the decision is taken in
    ``process_request`` only, which fails the request with :class:`OffsiteRequest` naming
    the target, so the spider records it as ``offsite``.
    """

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        return None  # decided in process_request, where the errback fires

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            chain = request.meta.get("redirect_urls")
            if chain:
                origin = request.meta.get("requested_url") or chain[0]
                reason = f"redirected off-site to {request.url} (from {origin})"
            else:
                reason = f"off-site request to {request.url}"
            raise OffsiteRequest(reason) from None


class RedirectMiddleware(ScrapyRedirectMiddleware):
    """Scrapy's redirects, with a named outcome when the redirect limit stops a chain."""

    def _redirect(self, redirected: Request, request: Request, reason: object) -> Request:
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest:
            hops = len(request.meta.get("redirect_urls", [])) + 1
            raise RedirectDropped(
                f"redirect limit ({self.max_redirect_times}) reached after {hops} redirects; "
                f"next target {redirected.url}"
            ) from None


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for: delta-seconds or an HTTP date (RFC 9110
    10.2.3). None when absent or unreadable; never negative."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffMiddleware:
    """On 429/503 (not a bot challenge): pause the host, then let its delay decay.

    - **pause**: the host's next request (Retry's retry of this one, or another) waits what
      ``Retry-After`` asks (seconds or an HTTP date), capped at ``NEWSLOOM_RETRY_AFTER_MAX``
      (120 s; a capped wait is logged as such), or without the header
      ``NEWSLOOM_BACKOFF_BASE`` (2 s) doubled per retry of the request, at most 60 s;
    - **decay**: after the pause the host's requests are spaced by half the pause, then by
      half that with every answer that is not a throttle, back to the outlet's politeness
      delay (``DOWNLOAD_DELAY``), so one throttle slows a few requests, not the rest of the
      run. Answers to requests already in flight when the throttle came cannot shorten the
      pause (nor can AutoThrottle lowering the delay on them).

    Only Scrapy's public surface is used, the way its AutoThrottle extension does it: the
    host's download slot (``engine.downloader.slots[request.meta["download_slot"]]``) and its
    ``delay``, ``jitter`` and ``lastseen``. The downloader sends a slot's next request
    ``delay`` after ``lastseen``, so the pause dates ``lastseen`` to ``delay`` before its end
    (the delay's random jitter off, so it is honoured exactly; the jitter returns with the
    politeness delay). The decay runs on the ``response_downloaded`` signal, before the
    downloader picks the host's next request. A request the slot had already released when
    the throttle answer arrived still goes. Stats: ``newsloom/backoff/<status>``,
    ``…/paused`` (pauses), ``…/retry_after_capped``, ``…/decay_steps``, ``…/restored``.
    """

    MAX_BACKOFF = 60.0
    MIN_DELAY = 0.01  # a slot with no delay sends at once: a pause needs one, however short

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.base = crawler.settings.getfloat("NEWSLOOM_BACKOFF_BASE", 2.0)
        self.retry_after_max = crawler.settings.getfloat("NEWSLOOM_RETRY_AFTER_MAX", 120.0)
        self.politeness = crawler.settings.getfloat("DOWNLOAD_DELAY", 0.0)
        # slot key -> the slot's jitter before its pause, while its delay decays
        self.throttled: dict[str, float] = {}
        self.resume_at: dict[str, float] = {}  # slot key -> monotonic end of its last pause

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def _slot(self, request: Request) -> tuple[str, Slot | None]:
        key = request.meta.get("download_slot") or urlsplit(request.url).hostname or ""
        engine = self.crawler.engine
        return key, engine.downloader.slots.get(key) if engine is not None else None

    def wait_for(self, request: Request, response: Response) -> float:
        """How long the host must rest after this throttle response (logged)."""
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        url = real_url(request)
        if asked is None:
            retries = int(request.meta.get("retry_times", 0))
            wait = min(self.base * 2**retries, self.MAX_BACKOFF)
            logger.info(
                "status %s from %s without Retry-After: host rests %.2fs (backoff)",
                response.status,
                url,
                wait,
            )
            return wait
        if asked > self.retry_after_max:
            self.crawler.stats.inc_value("newsloom/backoff/retry_after_capped")
            logger.warning(
                "status %s from %s: Retry-After %.0fs capped at %.0fs "
                "(NEWSLOOM_RETRY_AFTER_MAX): host rests %.0fs",
                response.status,
                url,
                asked,
                self.retry_after_max,
                self.retry_after_max,
            )
            return self.retry_after_max
        logger.info(
            "status %s from %s: Retry-After %.2fs honoured: host rests %.2fs",
            response.status,
            url,
            asked,
            asked,
        )
        return asked

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if response.status not in (429, 503) or request.meta.get("bot_challenge"):
            return response
        self.crawler.stats.inc_value(f"newsloom/backoff/{response.status}")
        wait = self.wait_for(request, response)
        key, slot = self._slot(request)
        if slot is None or wait <= 0:
            return response
        if key not in self.throttled:
            self.throttled[key] = slot.jitter
        slot.jitter = 0.0
        resume = max(self.resume_at.get(key, 0.0), time.monotonic() + wait)
        self.resume_at[key] = resume
        slot.delay = max(wait / 2, self.politeness, self.MIN_DELAY)  # the first step after
        self._hold(slot, resume)
        self.crawler.stats.inc_value("newsloom/backoff/paused")
        return response

    def response_downloaded(
        self, response: Response, request: Request, spider: Spider | None = None
    ) -> None:
        """Each answer, before the downloader picks the host's next request: during a pause
        keep it whole, after it let the delay decay (a throttle is judged in
        :meth:`process_response`, once the challenge check has seen it)."""
        if response.status in (429, 503):
            return
        key, slot = self._slot(request)
        if slot is None or key not in self.throttled:
            return
        resume = self.resume_at.get(key, 0.0)
        if time.monotonic() < resume:
            self._hold(slot, resume)
        else:
            self._decay(key, slot)

    def _hold(self, slot: Slot, resume: float) -> None:
        """Date the slot's last request so that its next one goes at ``resume``."""
        slot.delay = max(slot.delay, self.MIN_DELAY)
        slot.lastseen = resume - slot.delay

    def _decay(self, key: str, slot: Slot) -> None:
        floor = self.politeness
        halved = slot.delay / 2
        if halved <= floor * 1.05 or halved < 0.05:
            slot.delay = floor
            slot.jitter = self.throttled.pop(key)
            self.crawler.stats.inc_value("newsloom/backoff/restored")
            logger.info("host %s back to its politeness delay %.2fs", key, floor)
        else:
            slot.delay = halved
            self.crawler.stats.inc_value("newsloom/backoff/decay_steps")
            logger.debug("host %s delay decays to %.2fs", key, halved)
