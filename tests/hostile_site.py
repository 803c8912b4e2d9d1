"""A hostile outlet for crawler fault tests: a fictional WordPress-like site on a local server.

:class:`HostileSite` serves ``www.hostile.example`` (robots.txt, an RSS feed, article pages
``/2026/11/20/<slug>/``) from a ``ThreadingHTTPServer`` in a daemon thread. The crawler's
mirror middleware sends every request there with the real host in ``Host``, so the same
server also answers for any other host a test names (an off-site redirect target, say).

Each test shapes the site with :meth:`HostileSite.route`: a path answers with a fixed
:class:`Reply`, a list of replies served in turn (the last one repeats: ``[429, 200]`` is a
throttle once), or a function of the request. The site logs every request it answers
(:attr:`HostileSite.hits`), with its time, so a test can count retries and measure pauses.
:meth:`HostileSite.write_outlet` writes the registry entry of the fictional outlet.
"""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape

logger = logging.getLogger(__name__)

HOST = "www.hostile.example"
OUTLET_ID = "hostile"
DAY = date(2026, 11, 20)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"

# Distinct sentences, so each article has its own text (and content hash).
_WORDS = (
    "council river market winter harbour bridge station museum village province mayor "
    "ministry farmers drought rainfall school hospital election bakery railway festival "
    "library orchard quarry ferry clinic border convoy tribunal factory"
).split()


@dataclass(frozen=True)
class Reply:
    """One answer: status, body and headers (``Content-Type`` defaults to HTML)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """One request the site answered."""

    at: float  # time.monotonic() when it arrived
    host: str
    path: str  # path + query, as sent
    status: int


@dataclass(frozen=True)
class Asked:
    """What a reply function sees of the request."""

    host: str
    path: str
    headers: dict[str, str]


Route = Reply | list[Reply] | Callable[[Asked], Reply]


def article_path(slug: str, day: date = DAY) -> str:
    return f"/{day:%Y/%m/%d}/{slug}/"


def article_url(slug: str, day: date = DAY, scheme: str = "https") -> str:
    return f"{scheme}://{HOST}{article_path(slug, day)}"


def article_html(slug: str, day: date = DAY, paragraphs: int = 5) -> bytes:
    """A plain news article page that passes the extraction quality gates."""
    seed = sum(ord(c) for c in slug)
    words = [_WORDS[(seed + i * 7) % len(_WORDS)] for i in range(40)]
    title = f"The {words[0]} and the {words[1]} of {slug.replace('-', ' ')}"
    paras = "\n".join(
        f"<p>Officials said on {day:%A} that the {words[i]} near the {words[i + 1]} would "
        f"reopen after the {words[i + 2]} closed it, and residents of the {words[i + 3]} "
        f"district welcomed the news about {slug} in paragraph {i + 1}.</p>"
        for i in range(paragraphs)
    )
    published = datetime.combine(day, dtime(9, 30), UTC).isoformat()
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{published}'></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
        f"<time datetime='{published}'>{day:%d %B %Y}</time>{paras}</article>"
        "<footer>Hostile Example News</footer></body></html>"
    ).encode()


def feed_xml(urls: list[str], day: date = DAY) -> bytes:
    """An RSS 2.0 feed listing ``urls``, all published on ``day`` (one minute apart)."""
    items = []
    for i, url in enumerate(urls):
        when = datetime.combine(day, dtime(8, 0), UTC).replace(minute=i % 60, hour=8 + i // 60)
        items.append(
            f"<item><title>Item {i}</title><link>{escape(url)}</link>"
            f"<pubDate>{format_datetime(when)}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Hostile Example</title><link>https://{HOST}/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def html(body: bytes, status: int = 200, **headers: str) -> Reply:
    return Reply(status, body, {"Content-Type": "text/html; charset=utf-8", **headers})


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status, b"", {"Location": location})


def gzip_bomb(inflated: int) -> Reply:
    """A small gzip body that inflates to ``inflated`` bytes of spaces inside a page."""
    raw = b"<html><body><p>" + b" " * inflated + b"</p></body></html>"
    return Reply(
        200,
        gzip.compress(raw, compresslevel=9, mtime=0),
        {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
    )


HANG_UP = Reply(0)  # close the connection without answering

CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<h2>Checking your browser before accessing www.hostile.example.</h2>"
    b"<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1'></script>"
    b"</body></html>"
)


class _Server(ThreadingHTTPServer):
    # The default backlog (5) drops connections a concurrent crawl opens at once, and the
    # client's SYN retry then waits a second: timings would measure the kernel, not the crawl.
    request_queue_size = 128
    daemon_threads = True


class HostileSite:
    """The fictional outlet's server; use as a context manager. ``url`` is where the mirror
    route sends the crawl (``tests.conftest.route_to_mirror``)."""

    def __init__(self, feed: list[str] | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.route("/robots.txt", Reply(200, ROBOTS, {"Content-Type": "text/plain"}))
        self.set_feed(feed or [])
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- shaping the site -------------------------------------------------------------
    def route(self, path: str, reply: Route, host: str = HOST) -> None:
        """Answer ``path`` (path + query) on ``host`` with ``reply``."""
        self.routes[f"{host}{path}"] = reply

    def set_feed(self, urls: list[str]) -> None:
        self.route(
            "/feed/",
            Reply(200, feed_xml(urls), {"Content-Type": "application/rss+xml; charset=utf-8"}),
        )

    def add_articles(self, *slugs: str) -> list[str]:
        """Serve plain article pages for ``slugs``; returns their URLs."""
        for slug in slugs:
            self.route(article_path(slug), html(article_html(slug)))
        return [article_url(s) for s in slugs]

    # ---- what happened ----------------------------------------------------------------
    def hits_of(self, path: str, host: str = HOST) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.host == host and h.path == path]

    # ---- serving ----------------------------------------------------------------------
    def answer(self, host: str, path: str, headers: dict[str, str]) -> Reply:
        key = f"{host}{path}"
        route = self.routes.get(key)
        if route is None:
            return html(b"<html><body><h1>Not found</h1></body></html>", 404)
        if isinstance(route, Reply):
            return route
        if isinstance(route, list):
            with self._lock:
                n = self._served.get(key, 0)
                self._served[key] = n + 1
            return route[min(n, len(route) - 1)]
        return route(Asked(host, path, headers))

    @property
    def url(self) -> str:
        assert self._server is not None, "the site is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def write_outlet(self, folder: Path, **politeness: Any) -> Path:
        """The fictional outlet's registry entry, ``<folder>/hostile.yaml``."""
        folder.mkdir(parents=True, exist_ok=True)
        options = {"concurrency": 2, "delay": 0.0, "autothrottle": False, **politeness}
        lines = "\n".join(f"  {k}: {str(v).lower()}" for k, v in options.items())
        path = folder / f"{OUTLET_ID}.yaml"
        path.write_text(
            f"""id: {OUTLET_ID}
name: Hostile Example News
languages: [en]
domains: [{HOST}]
homepage: https://{HOST}/
feeds:
  - https://{HOST}/feed/
article_patterns:
  - '^https?://www\\.hostile\\.example/(?:private/)?\\d{{4}}/\\d{{2}}/\\d{{2}}/[a-z0-9-]+/?$'
timezone: UTC
politeness:
{lines}
""",
            encoding="utf-8",
        )
        return path

    def __enter__(self) -> HostileSite:
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                asked = {k.lower(): v for k, v in self.headers.items()}
                reply = site.answer(host, self.path, asked)
                with site._lock:
                    site.hits.append(Hit(time.monotonic(), host, self.path, reply.status))
                if reply is HANG_UP:
                    self.close_connection = True  # no answer at all: the client sees a reset
                    return
                self.send_response(reply.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                try:
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    logger.debug("client left before the body of %s%s", host, self.path)

            def log_message(self, format: str, *args: Any) -> None:
                logger.debug("hostile site: " + format, *args)

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
