"""Downloader middlewares: challenge detection, back-off, the mirror route (devkit's, added
through NEWSLOOM_SCRAPY_SETTINGS), failure outcomes."""

from __future__ import annotations

import ast
import inspect
import logging
import textwrap
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings as ScrapySettings

import crawlers.middlewares as mw
from crawlers.extensions import real_url
from crawlers.middlewares import (
    BackoffMiddleware,
    ChallengeMiddleware,
    OffsiteRequest,
    RedirectDropped,
    RobotsBlocked,
    is_bot_challenge,
    retry_after_seconds,
)
from crawlers.settings import DOWNLOADER_MIDDLEWARES
from crawlers.spiders.base import failure_outcome
from devkit.mirror.route import MirrorMiddleware
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


def _slot(delay: float = 1.0, jitter: float = 0.5) -> Slot:
    """Scrapy's own download slot: an attribute the middleware sets that Scrapy renamed or
    dropped fails here (the slot class has ``__slots__``)."""
    return Slot(concurrency=2, delay=delay, jitter=jitter)


def next_send(slot: Slot) -> float:
    """When the downloader sends the slot's next request: ``delay`` after ``lastseen``
    (Scrapy's rule; the pause turns the jitter off, so the delay is exact)."""
    assert slot.jitter == 0.0
    return slot.lastseen + slot.download_delay()


def _backoff(slot: Slot, **settings: Any) -> BackoffMiddleware:
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


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [100.0]
    monkeypatch.setattr(mw.time, "monotonic", lambda: now[0])
    return now


def test_long_retry_after_is_capped_and_says_so(
    caplog: pytest.LogCaptureFixture, clock: list[float]
) -> None:
    slot = _slot()
    backoff = _backoff(slot)
    request = _request()
    with caplog.at_level(logging.INFO, logger="crawlers.middlewares"):
        backoff.process_response(request, _answer(429, request, **{"Retry-After": "3600"}))
    rest = next_send(slot) - clock[0]
    assert rest == 120.0  # the rest is exact, not jittered
    assert "Retry-After 3600s capped at 120s" in caplog.text and request.url in caplog.text
    assert backoff.crawler.stats.values["newsloom/backoff/retry_after_capped"] == 1
    row = reliability.record(
        area="crawl",
        case="429 with Retry-After: 3600",
        expected="host rests 120 s, cap logged",
        observed=f"host rests {rest:.0f} s, cap logged"
        if "capped" in caplog.text
        else f"host rests {rest:.0f} s",
    )
    assert row.observed == row.expected


def test_backoff_without_retry_after_doubles_per_retry() -> None:
    slot = _slot()
    backoff = _backoff(slot)
    waits = []
    for retries in range(8):
        request = _request(retry_times=retries)
        waits.append(backoff.wait_for(request, _answer(503, request)))
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]


def test_delay_decays_to_politeness_after_the_pause(clock: list[float]) -> None:
    """Retry-After: 8 on a host whose politeness delay is 1 s: its next request goes 8 s
    later (answers to requests already in flight, and AutoThrottle lowering the delay on
    them, change nothing), then the host's requests are 4, 2, 1 s apart, and the jitter is
    back."""
    slot = _slot(1.0, 0.5)
    backoff = _backoff(slot)
    throttled = _request()
    backoff.process_response(throttled, _answer(429, throttled, **{"Retry-After": "8"}))
    assert next_send(slot) == 108.0 and slot.delay == 4.0
    other = _request("https://news.example/b/")
    clock[0] = 100.2  # an answer to a request sent before the throttle ...
    slot.delay = 0.6  # ... on which AutoThrottle lowered the delay (its own signal handler)
    backoff.response_downloaded(_answer(200, other), other)
    assert next_send(slot) == 108.0
    slot.delay = 4.0
    delays = []
    for t in (108.1, 112.2, 114.3, 115.4, 116.5):
        clock[0] = t
        backoff.response_downloaded(_answer(200, other), other)
        delays.append(slot.delay)
    assert delays == [2.0, 1.0, 1.0, 1.0, 1.0]
    assert slot.jitter == 0.5
    assert backoff.crawler.stats.values["newsloom/backoff/restored"] == 1


def test_pause_of_a_host_without_politeness_delay(clock: list[float]) -> None:
    """A slot with no delay sends at once: the pause still holds its next request."""
    slot = _slot(0.0, 0.0)
    backoff = _backoff(slot, DOWNLOAD_DELAY=0.0)
    request = _request()
    backoff.process_response(request, _answer(503, request, **{"Retry-After": "0.05"}))
    assert slot.delay > 0 and next_send(slot) == pytest.approx(100.05)
    clock[0] = 100.1
    backoff.response_downloaded(_answer(200, request), request)
    assert slot.delay == 0.0


def test_bot_challenge_503_is_no_throttle() -> None:
    slot = _slot()
    backoff = _backoff(slot)
    request = _request(bot_challenge=True)
    backoff.process_response(request, _answer(503, request, **{"Retry-After": "30"}))
    assert slot.delay == 1.0 and slot.lastseen == 0


def test_backoff_uses_no_private_scrapy_name() -> None:
    """An upgrade must not break the back-off silently: it reads and sets only public names
    of Scrapy's objects (no ``downloader._process_queue``, no ``slot.latercall``)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(BackoffMiddleware)))
    private = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    }
    private |= {  # getattr(obj, "_name")
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "setattr")
        for arg in node.args[1:2]
        if isinstance(arg, ast.Constant) and str(arg.value).startswith("_")
    }
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert private == set() and "latercall" not in used, private
    for name in ("delay", "jitter", "lastseen"):
        assert name in Slot.__slots__, name  # the slot fields the pause sets


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
