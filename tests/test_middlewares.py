"""Downloader middlewares: challenge detection, back-off, the mirror route, failure outcomes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings as ScrapySettings

import crawlers.middlewares as mw
from crawlers.extensions import real_url
from crawlers.middlewares import (
    BackoffMiddleware,
    ChallengeMiddleware,
    MirrorMiddleware,
    OffsiteRequest,
    RedirectDropped,
    RobotsBlocked,
    is_bot_challenge,
    retry_after_seconds,
)
from crawlers.settings import DOWNLOADER_MIDDLEWARES
from crawlers.spiders.base import failure_outcome
from tests import reliability

CF = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<h2>Checking your browser before accessing www.syriahr.com.</h2>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>"""


def test_cloudflare_challenge_detected_whatever_the_status():
    for status in (403, 503, 200):
        assert is_bot_challenge(status, {}, CF)


def test_article_mentioning_cloudflare_is_not_a_challenge():
    page = (
        b"<html><head><title>Cloudflare outage hits sites</title></head><body><p>"
        b"Readers saw 'Just a moment...' pages as Cloudflare failed.</p></body></html>"
    )
    assert not is_bot_challenge(200, {}, page)


def test_cf_mitigated_header_counts():
    assert is_bot_challenge(
        403,
        {"cf-mitigated": "challenge"},
        b"<html><body>Enable JavaScript and cookies to continue</body></html>",
    )


# ---- back-off: Retry-After honoured (capped), then the delay decays ----------------------
class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


class _Slot:
    def __init__(self, delay: float, jitter: float) -> None:
        self.delay, self.jitter, self.lastseen = delay, jitter, 0.0
        self.latercall: Any = None


def _backoff(slot: _Slot, **settings: Any) -> BackoffMiddleware:
    crawler = SimpleNamespace(
        settings=ScrapySettings({"NEWSLOOM_BACKOFF_BASE": 2.0, "DOWNLOAD_DELAY": 1.0, **settings}),
        stats=_Stats(),
        engine=SimpleNamespace(downloader=SimpleNamespace(slots={"news.example": slot})),
    )
    return BackoffMiddleware(crawler)


def _request(url: str = "https://news.example/a/", **meta: Any) -> Request:
    return Request(url, meta={"download_slot": "news.example", **meta})


def _answer(status: int, request: Request, **headers: str) -> Response:
    return Response(request.url, status=status, headers=headers, request=request)


def test_retry_after_forms() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"1") == 1.0
    assert retry_after_seconds(" 120 ") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after_seconds("-5") == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_long_retry_after_is_capped_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    slot = _Slot(1.0, 0.5)
    backoff = _backoff(slot)
    request = _request()
    with caplog.at_level(logging.INFO, logger="crawlers.middlewares"):
        backoff.process_response(request, _answer(429, request, **{"Retry-After": "3600"}))
    assert slot.delay == 120.0 and slot.jitter == 0.0  # the rest is exact, not jittered
    assert "Retry-After 3600s capped at 120s" in caplog.text and request.url in caplog.text
    assert backoff.crawler.stats.values["newsloom/backoff/retry_after_capped"] == 1
    row = reliability.record(
        area="crawl",
        case="429 with Retry-After: 3600",
        expected="host rests 120 s, cap logged",
        observed=f"host rests {slot.delay:.0f} s, cap logged"
        if "capped" in caplog.text
        else f"host rests {slot.delay:.0f} s",
    )
    assert row.observed == row.expected


def test_backoff_without_retry_after_doubles_per_retry() -> None:
    slot = _Slot(1.0, 0.5)
    backoff = _backoff(slot)
    waits = []
    for retries in range(8):
        request = _request(retry_times=retries)
        waits.append(backoff.wait_for(request, _answer(503, request)))
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]


def test_delay_decays_to_politeness_after_the_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry-After: 8 on a host whose politeness delay is 1 s: 8 s rest (answers to requests
    already in flight change nothing), then 4, 2, 1 s, and the jitter is back."""
    clock = [100.0]
    monkeypatch.setattr(mw.time, "monotonic", lambda: clock[0])
    slot = _Slot(1.0, 0.5)
    backoff = _backoff(slot)
    throttled = _request()
    backoff.process_response(throttled, _answer(429, throttled, **{"Retry-After": "8"}))
    assert (slot.delay, slot.jitter, slot.lastseen) == (8.0, 0.0, 100.0)
    other = _request("https://news.example/b/")
    clock[0] = 100.2  # an answer to a request sent before the throttle
    backoff.process_response(other, _answer(200, other))
    assert slot.delay == 8.0
    delays = []
    for t in (108.1, 112.2, 114.3, 115.4, 116.5):
        clock[0] = t
        backoff.process_response(other, _answer(200, other))
        delays.append(slot.delay)
    assert delays == [4.0, 2.0, 1.0, 1.0, 1.0]
    assert slot.jitter == 0.5
    assert backoff.crawler.stats.values["newsloom/backoff/restored"] == 1


def test_bot_challenge_503_is_no_throttle() -> None:
    slot = _Slot(1.0, 0.5)
    backoff = _backoff(slot)
    request = _request(bot_challenge=True)
    backoff.process_response(request, _answer(503, request, **{"Retry-After": "30"}))
    assert slot.delay == 1.0


# ---- the mirror route changes nothing but the address ------------------------------------
def _routed(mirror: MirrorMiddleware, request: Request) -> Request:
    routed = mirror.process_request(request)
    assert routed is not None
    return routed


def test_mirror_resolves_relative_redirects_on_the_real_host() -> None:
    mirror = MirrorMiddleware("http://127.0.0.1:8099")
    routed = _routed(mirror, Request("https://news.example/a/b/", meta={"requested_url": "x"}))
    assert routed.url == "http://127.0.0.1:8099/a/b/" and routed.dont_filter
    answer = mirror.process_response(routed, _answer(301, routed, Location="../c/"))
    assert answer.url == "https://news.example/a/b/"
    assert answer.headers[b"Location"] == b"https://news.example/a/c/"
    assert routed.dont_filter is False  # a redirect from here meets the dupe filter


def test_mirror_keeps_the_real_url_of_a_retry() -> None:
    mirror = MirrorMiddleware("http://127.0.0.1:8099")
    routed = _routed(mirror, Request("https://news.example/a/"))
    answer = mirror.process_response(routed, _answer(503, routed))
    retry = routed.copy()  # what Retry does
    assert mirror.process_request(retry) is None  # already routed
    assert real_url(retry) == "https://news.example/a/"
    assert mirror.process_response(retry, _answer(200, retry)).url == "https://news.example/a/"
    assert answer.url == "https://news.example/a/"
    redirected = routed.replace(url="https://news.example/elsewhere/")  # what Redirect does
    assert real_url(redirected) == "https://news.example/elsewhere/"


# ---- failures to outcomes -------------------------------------------------------------
@pytest.mark.parametrize(
    ("exc", "outcome", "part"),
    [
        (
            IgnoreRequest(
                "Ignored response <200 https://x/> because its body (16 B compressed, "
                "5242881 B decompressed so far) exceeded DOWNLOAD_MAXSIZE (5242880 B) during "
                "decompression."
            ),
            "too_large",
            "5242880-byte limit (NEWSLOOM_MAX_RESPONSE_BYTES) once decompressed",
        ),
        (
            RuntimeError(
                "Expected to receive 9000000 bytes which is larger than download max size"
            ),
            "too_large",
            "5242880-byte limit",
        ),
        (
            RobotsBlocked("robots.txt unavailable (HTTP 500): disallow all (RFC 9309)"),
            "robots_blocked",
            "HTTP 500",
        ),
        (OffsiteRequest("redirected off-site to https://b.example/"), "offsite", "b.example"),
        (RedirectDropped("redirect limit (20) reached"), "redirect_dropped", "limit"),
        (IgnoreRequest("something else"), "ignored", "something else"),
        (ConnectionRefusedError("refused"), "network_error", "ConnectionRefusedError"),
    ],
)
def test_failure_outcomes_are_named(exc: BaseException, outcome: str, part: str) -> None:
    got, reason = failure_outcome(exc, 5 * 1024 * 1024)
    assert got == outcome and part in reason


def test_challenge_is_judged_after_decompression() -> None:
    """The challenge check must see the decoded body: it runs after HttpCompression (590)
    on the way back, i.e. it has a lower priority number."""
    assert DOWNLOADER_MIDDLEWARES["crawlers.middlewares.ChallengeMiddleware"] < 590
    request = Request("https://x/")
    ChallengeMiddleware().process_response(request, HtmlResponse("https://x/", status=503, body=CF))
    assert request.meta.get("bot_challenge") and request.meta.get("dont_retry")
