"""The mirror's HTTP server: routes by the ``Host`` header, then by path and query, and logs
every request.

The crawler's mirror middleware sends ``http://127.0.0.1:<port><path>?<query>`` with the real
host in ``Host`` (and the full real URL in ``X-Newsloom-Original-Url``); the mirror answers
exactly as that host would. An unknown host gets a 502; the mirror's own address
(``127.0.0.1``/``localhost``) a small index of the mirrored hosts.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from devkit.mirror.catalog import Catalog, FaultSpec, build_catalog, url_key
from devkit.mirror.sites import host_table
from devkit.mirror.sites.common import Handler, Request, Response, bad_host, esc, html_response

logger = logging.getLogger(__name__)

_SELF_HOSTS = ("127.0.0.1", "localhost", "::1", "")


@dataclass(frozen=True)
class Logged:
    """One request the mirror answered."""

    at: datetime  # when it arrived (UTC)
    method: str
    host: str  # the real host (from Host, else X-Newsloom-Original-Url)
    target: str  # path + "?" + query, exactly as sent
    status: int

    @property
    def url(self) -> str:
        """The real URL asked for, escapes in upper case (``url_key`` spelling)."""
        return url_key(f"https://{self.host}{self.target}")


class Hold:
    """Requests the mirror keeps waiting (see :meth:`MirrorServer.hold`)."""

    def __init__(self, match: Callable[[Request], bool], after: int) -> None:
        self.match, self.after = match, after
        self.passed = 0  # matching requests answered before the hold closed
        self.waiting = 0  # matching requests held now
        self.dropped = 0  # held requests let go without an answer
        self._open = threading.Event()
        self._drop = False
        self._lock = threading.Lock()

    def enter(self, request: Request) -> bool:
        """Whether to answer ``request`` (after waiting while the hold is closed)."""
        if not self.match(request):
            return True
        with self._lock:
            if self.passed < self.after and not self._open.is_set():
                self.passed += 1
                return True
            self.waiting += 1
        self._open.wait()
        with self._lock:
            self.waiting -= 1
            if self._drop:
                self.dropped += 1
        return not self._drop

    def release(self, drop: bool = False) -> None:
        """Let the held requests go: answered, or (``drop``) closed without an answer."""
        self._drop = drop
        self._open.set()


class MirrorServer:
    """Serve the outlet mirror on ``host:port`` (port 0 picks a free one) in a daemon thread.

    ``days`` local days ending on ``anchor`` (default: today, UTC), ``volume`` times each
    outlet's usual articles per day, ``faults`` such as ``{"no_dates": ("sohr_en", 3)}``,
    ``outlets`` to build only some outlets (a year of two starts in seconds); see
    :mod:`devkit.mirror`. Pages are rendered per request from the catalog, never kept.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        anchor: date | None = None,
        seed: int = 7,
        *,
        days: int = 7,
        volume: float = 1.0,
        faults: FaultSpec | None = None,
        outlets: Iterable[str] | None = None,
    ) -> None:
        self.host, self.port, self.seed = host, port, seed
        self.catalog: Catalog = build_catalog(
            anchor or datetime.now(UTC).date(),
            seed,
            days=days,
            volume=volume,
            faults=faults,
            outlets=outlets,
        )
        mounted: dict[str, Handler] = {}
        self._sites: dict[str, Handler] = {}
        for host_name, site in host_table().items():
            if site.name not in mounted:
                mounted[site.name] = site.mount(self.catalog)
            self._sites[host_name] = mounted[site.name]
        self._log: list[Logged] = []
        self._log_lock = threading.Lock()
        self._holds: list[Hold] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the mirror is not started")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    @property
    def hosts(self) -> list[str]:
        return sorted(self._sites)

    # ---- the request log -----------------------------------------------------------------------
    @property
    def requests(self) -> list[Logged]:
        """Every request answered so far, oldest first (a copy)."""
        with self._log_lock:
            return list(self._log)

    def count(
        self,
        host: str | None = None,
        path_regex: str | None = None,
        status: int | None = None,
        method: str | None = None,
    ) -> int:
        """How many logged requests match: ``host`` exactly, ``path_regex`` searched
        (``re.search``) in the path + query as sent, ``status``, ``method``."""
        rx = re.compile(path_regex) if path_regex is not None else None
        return sum(
            1
            for r in self.requests
            if (host is None or r.host == host.lower())
            and (rx is None or rx.search(r.target))
            and (status is None or r.status == status)
            and (method is None or r.method == method)
        )

    def hits(self, url: str) -> int:
        """Requests for exactly this real URL (any %-case; query included)."""
        key = url_key(url)
        return sum(1 for r in self.requests if r.url == key)

    def fetch_counts(self) -> Counter[str]:
        """Requests per real URL (``Logged.url`` spelling)."""
        return Counter(r.url for r in self.requests)

    def reset_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, entry: Logged) -> None:
        with self._log_lock:
            self._log.append(entry)

    # ---- holding requests ----------------------------------------------------------------------
    def hold(self, match: Callable[[Request], bool] | str, after: int = 0) -> Hold:
        """Keep requests waiting: after ``after`` matching requests are answered, each further
        one waits until ``release()``; released with ``drop=True`` it is closed without an
        answer and logged with status 0. ``match``: a predicate on the :class:`Request`, or
        a regular expression searched in ``https://<host><path>?<query>``.

        For a test that kills a client at a known point: hold an outlet's article pages after
        the 20th, wait until ``waiting`` is non-zero, kill, ``release(drop=True)``: every
        article page the log shows as answered was received by the client."""
        if isinstance(match, str):
            rx = re.compile(match)

            def by_url(req: Request) -> bool:
                query = f"?{req.query}" if req.query else ""
                return rx.search(f"https://{req.host}{req.path}{query}") is not None

            match = by_url
        held = Hold(match, after)
        with self._log_lock:
            self._holds.append(held)
        return held

    def release_all(self, drop: bool = False) -> None:
        """Release every hold (``drop``: without answering the held requests)."""
        with self._log_lock:
            holds, self._holds = self._holds, []
        for h in holds:
            h.release(drop)

    def _admit(self, request: Request) -> bool:
        with self._log_lock:
            holds = list(self._holds)
        return all(h.enter(request) for h in holds)

    # ---- life cycle ----------------------------------------------------------------------------
    def start(self) -> MirrorServer:
        if self._httpd is not None:
            return self
        httpd = ThreadingHTTPServer((self.host, self.port), _RequestHandler)
        httpd.daemon_threads = True
        httpd.mirror = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            name="newsloom-mirror",
            kwargs={"poll_interval": 0.2},
            daemon=True,
        )
        self._thread.start()
        logger.info("mirror serving at %s (anchor %s)", self.url, self.catalog.anchor)
        return self

    def stop(self) -> None:
        self.release_all(drop=True)
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def serve_forever(self) -> None:
        """Start and block until interrupted."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- dispatch ------------------------------------------------------------------------------
    def respond(self, request: Request) -> Response:
        """The response for one request (also usable without the HTTP layer; not logged)."""
        site = self._sites.get(request.host)
        if site is not None:
            return site(request)
        if request.host in _SELF_HOSTS:
            counts = Counter(urlsplit(p.url).hostname for p in self.catalog.pages)
            rows = "".join(f"<li><code>{esc(h)}</code>: {counts[h]} pages</li>" for h in self.hosts)
            c = self.catalog
            return html_response(
                "<!doctype html><html><head><title>newsloom outlet mirror</title></head><body>"
                f"<h1>newsloom outlet mirror</h1><p>{c.days} days to {c.anchor}, seed {c.seed}."
                " Send requests with the real site in the <code>Host</code> header.</p>"
                f"<ul>{rows}</ul></body></html>"
            )
        return bad_host(request.host)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def do_GET(self) -> None:  # http.server's naming
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _request(self) -> Request:
        raw = self.path
        if raw.startswith(("http://", "https://")):  # absolute-form request target
            parts = urlsplit(raw)
            raw = parts.path + (f"?{parts.query}" if parts.query else "")
        try:  # http.server decodes the request line as latin-1; undo that for raw UTF-8 paths
            raw = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        path, _, query = raw.partition("?")
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):  # [::1]:port
            host = host[1:].split("]", 1)[0]
        elif host.count(":") == 1:
            host = host.rsplit(":", 1)[0]
        host = host.rstrip(".")
        headers = {k.lower(): v for k, v in self.headers.items()}
        original = headers.get("x-newsloom-original-url")
        if host in _SELF_HOSTS and original:  # no real Host sent: trust the original URL
            host = (urlsplit(original).hostname or "").lower()
        return Request(self.command, host, path or "/", query, headers)

    def _serve(self, head: bool) -> None:
        mirror: MirrorServer = self.server.mirror  # type: ignore[attr-defined]
        at = datetime.now(UTC)
        request = self._request()
        target = request.path + (f"?{request.query}" if request.query else "")
        if not mirror._admit(request):  # a held request let go without an answer
            mirror._record(Logged(at, request.method, request.host, target, 0))
            self.close_connection = True
            return
        try:
            response = mirror.respond(request)
        except Exception:
            logger.exception("mirror failed on %s %s%s", request.method, request.host, self.path)
            response = Response(
                500, [("Content-Type", "text/plain; charset=utf-8")], b"mirror error\n"
            )
        mirror._record(Logged(at, request.method, request.host, target, response.status))
        try:
            self._write(response, head)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. too large)
            self.close_connection = True

    def _write(self, response: Response, head: bool) -> None:
        self.send_response_only(response.status)
        self.send_header("Date", self.date_time_string())
        if "server" not in {k.lower() for k, _ in response.headers}:
            self.send_header("Server", "nginx")
        for key, value in response.headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(response.content_length))
        self.end_headers()
        if head:
            return
        if response.stream is not None:
            for chunk in response.stream():
                self.wfile.write(chunk)
        else:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.headers.get("Host") if self.headers else "-", format % args)
