"""Downloader middlewares: bot-challenge detection, 429/503 back-off, the local mirror route."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

logger = logging.getLogger(__name__)

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
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        headers = {
            k.decode().lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v
        }
        if is_bot_challenge(response.status, headers, response.body):
            logger.warning("bot challenge (status %s) at %s", response.status, request.url)
            request.meta["bot_challenge"] = True
            request.meta["dont_retry"] = True
        return response


class BackoffMiddleware:
    """On 429/503 (not a challenge) slow the whole download slot down before Retry retries.

    Honours ``Retry-After`` (seconds), else doubles the slot delay from
    ``NEWSLOOM_BACKOFF_BASE`` (default 2 s), capped at 60 s.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.base = crawler.settings.getfloat("NEWSLOOM_BACKOFF_BASE", 2.0)

    @classmethod
    def from_crawler(cls, crawler: Any) -> BackoffMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        if response.status not in (429, 503) or request.meta.get("bot_challenge"):
            return response
        retry_after = response.headers.get(b"Retry-After")
        try:
            wait = float(retry_after.decode()) if retry_after else 0.0
        except ValueError:
            wait = 0.0
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or urlsplit(request.url).hostname
        slot = downloader.slots.get(key)
        if slot is not None:
            new_delay = min(max(wait, slot.delay * 2, self.base), 60.0)
            if new_delay > slot.delay:
                logger.info(
                    "status %s from %s: slot delay %.1fs -> %.1fs",
                    response.status,
                    request.url,
                    slot.delay,
                    new_delay,
                )
                slot.delay = new_delay
        self.crawler.stats.inc_value(f"newsloom/backoff/{response.status}")
        return response


class MirrorMiddleware:
    """Send every request to the local outlet mirror, keeping the real URL everywhere else.

    Enabled only when ``NEWSLOOM_MIRROR_URL`` is set. The request goes to
    ``<mirror><path>?<query>`` with the real host in ``Host``; the response comes back with
    the real URL, so robots handling, WARC records and canonical URLs never see the mirror.
    """

    def __init__(self, mirror_url: str) -> None:
        parts = urlsplit(mirror_url)
        self.scheme, self.netloc = parts.scheme, parts.netloc

    @classmethod
    def from_crawler(cls, crawler: Any) -> MirrorMiddleware:
        url = crawler.settings.get("NEWSLOOM_MIRROR_URL")
        if not url:
            raise NotConfigured
        return cls(url)

    def process_request(self, request: Request, spider: Any = None) -> Request | None:
        parts = urlsplit(request.url)
        if parts.netloc == self.netloc:  # already routed
            return None
        target = urlunsplit((self.scheme, self.netloc, parts.path or "/", parts.query, ""))
        meta = dict(request.meta)
        meta["mirror_original_url"] = request.url
        meta.setdefault("download_slot", parts.hostname)
        if not meta.get("dont_obey_robotstxt"):
            # robots.txt was already checked on the real URL on the way here.
            meta["dont_obey_robotstxt"] = meta["mirror_skipped_robots"] = True
        headers: dict[bytes, Any] = dict(request.headers)
        headers[b"Host"] = [parts.netloc.encode()]
        headers[b"X-Newsloom-Original-Url"] = [request.url.encode()]
        return request.replace(url=target, headers=headers, meta=meta, dont_filter=True)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        original = request.meta.pop("mirror_original_url", None)
        if not original:
            return response
        if request.meta.pop("mirror_skipped_robots", False):
            request.meta.pop("dont_obey_robotstxt", None)  # redirects get checked again
        location = response.headers.get(b"Location")
        if location:
            # Redirects from the mirror point at mirror URLs or real ones; make them real.
            loc = location.decode("latin-1")
            if loc.startswith(f"{self.scheme}://{self.netloc}"):
                real = urlsplit(original)
                rest = urlsplit(loc)
                loc = urlunsplit((real.scheme, real.netloc, rest.path, rest.query, ""))
                response.headers[b"Location"] = loc.encode("latin-1")
        return response.replace(url=original)
