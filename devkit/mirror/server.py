"""The mirror's HTTP server: routes by the ``Host`` header, then by path and query.

The crawler's mirror middleware sends ``http://127.0.0.1:<port><path>?<query>`` with the real
host in ``Host`` (and the full real URL in ``X-Newsloom-Original-Url``); the mirror answers
exactly as that host would. An unknown host gets a 502. Requests for the mirror's own address
(``127.0.0.1``/``localhost``) get a small index of the mirrored hosts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from devkit.mirror.catalog import Catalog, build_catalog
from devkit.mirror.sites import host_table
from devkit.mirror.sites.common import Request, Response, bad_host, esc, html_response

logger = logging.getLogger(__name__)

Handler = Callable[[Request], Response]
_SELF_HOSTS = ("127.0.0.1", "localhost", "::1", "")


class MirrorServer:
    """Serve the outlet mirror on ``host:port`` (port 0 picks a free one) in a daemon thread."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, anchor: date | None = None, seed: int = 7
    ) -> None:
        self.host = host
        self.port = port
        self.seed = seed
        self.catalog: Catalog = build_catalog(anchor or datetime.now(UTC).date(), seed)
        self._sites: dict[str, Handler] = {}
        mounted: dict[str, Handler] = {}
        for host_name, site in host_table().items():
            if site.name not in mounted:
                mounted[site.name] = site.mount(self.catalog)
            self._sites[host_name] = mounted[site.name]
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
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def serve_forever(self) -> None:
        """Start and block until interrupted (the ``python -m devkit.mirror`` entry point)."""
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

    # ---- dispatch --------------------------------------------------------------------------
    def respond(self, request: Request) -> Response:
        """The response for one request (also usable without the HTTP layer)."""
        site = self._sites.get(request.host)
        if site is not None:
            return site(request)
        if request.host in _SELF_HOSTS:
            return self._index()
        return bad_host(request.host)

    def _index(self) -> Response:
        rows = "".join(
            f"<li><code>{esc(h)}</code>: "
            f"{len([p for p in self.catalog.pages if urlsplit(p.url).hostname == h])} pages</li>"
            for h in self.hosts
        )
        return html_response(
            "<!doctype html><html><head><title>newsloom outlet mirror</title></head><body>"
            f"<h1>newsloom outlet mirror</h1><p>Anchor {self.catalog.anchor}, seed {self.seed}."
            " Send requests with the real site in the <code>Host</code> header.</p>"
            f"<ul>{rows}</ul></body></html>"
        )


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
        # http.server decodes the request line as latin-1; undo that for raw UTF-8 paths.
        try:
            raw = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        path, _, query = raw.partition("?")
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):  # [::1]:port
            host = host[1:].split("]", 1)[0]
        else:
            host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        host = host.rstrip(".")
        headers = {k.lower(): v for k, v in self.headers.items()}
        original = headers.get("x-newsloom-original-url")
        if host in _SELF_HOSTS and original:  # no real Host sent: trust the original URL
            host = (urlsplit(original).hostname or "").lower()
        return Request(self.command, host, path or "/", query, headers)

    def _serve(self, head: bool) -> None:
        mirror: MirrorServer = self.server.mirror  # type: ignore[attr-defined]
        request = self._request()
        try:
            response = mirror.respond(request)
        except Exception:
            logger.exception("mirror failed on %s %s%s", request.method, request.host, self.path)
            response = Response(
                500, [("Content-Type", "text/plain; charset=utf-8")], b"mirror error\n"
            )
        try:
            self._write(response, head)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up (e.g. a crawler refusing an oversized body)
            self.close_connection = True

    def _write(self, response: Response, head: bool) -> None:
        self.send_response_only(response.status)
        self.send_header("Date", self.date_time_string())
        names = {k.lower() for k, _ in response.headers}
        if "server" not in names:
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
