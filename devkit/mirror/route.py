"""The route to the mirror: every outlet request goes to the local mirror, keeping its real URL
everywhere else. Development only; the shipped crawler knows nothing of it.

It reaches the crawler through the crawler's documented extension point,
``NEWSLOOM_SCRAPY_SETTINGS`` (a JSON object of extra Scrapy settings, see
``crawlers/settings.py``): :func:`route_env` gives the variables that add
:class:`MirrorMiddleware` to ``DOWNLOADER_MIDDLEWARES`` with the mirror's address in the
``DEVKIT_MIRROR_URL`` Scrapy setting, and put this checkout on ``PYTHONPATH`` so the crawl
subprocess can import the middleware (``devkit/`` is not installed with the package)::

    with MirrorServer(anchor=ANCHOR) as mirror:
        os.environ.update(route_env(mirror.url))
        ...  # every crawl this process launches now reads the mirror

``python -m devkit mirror -- CMD`` and the demo set them for you.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawlers.extensions import ROUTE_ORIGINAL_URL, ROUTE_ROUTED_URL

SCRAPY_SETTINGS_VAR = "NEWSLOOM_SCRAPY_SETTINGS"  # the crawler's extension point
MIRROR_URL_SETTING = "DEVKIT_MIRROR_URL"  # the Scrapy setting (and, for scripts, the variable)
PRIORITY = 990  # after every other downloader middleware on the way out: the last address
CHECKOUT = Path(__file__).resolve().parents[2]  # where ``devkit`` is importable from


def scrapy_settings(mirror_url: str) -> dict[str, Any]:
    """The Scrapy settings that route a crawl to the mirror at ``mirror_url``."""
    return {
        "DOWNLOADER_MIDDLEWARES": {f"{__name__}.MirrorMiddleware": PRIORITY},
        MIRROR_URL_SETTING: mirror_url,
    }


def route_env(mirror_url: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables that send every crawl launched with them to the mirror:
    ``NEWSLOOM_SCRAPY_SETTINGS`` (merged into any settings ``environ`` already adds),
    ``PYTHONPATH`` with this checkout first, and ``DEVKIT_MIRROR_URL`` for scripts."""
    environ = os.environ if environ is None else environ
    extra: dict[str, Any] = {}
    if environ.get(SCRAPY_SETTINGS_VAR, "").strip():
        extra = json.loads(environ[SCRAPY_SETTINGS_VAR])
    ours = scrapy_settings(mirror_url)
    merged = {**extra, **ours}
    merged["DOWNLOADER_MIDDLEWARES"] = {
        **extra.get("DOWNLOADER_MIDDLEWARES", {}),
        **ours["DOWNLOADER_MIDDLEWARES"],
    }
    paths = [p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(CHECKOUT) not in paths:
        paths.insert(0, str(CHECKOUT))
    return {
        SCRAPY_SETTINGS_VAR: json.dumps(merged),
        "PYTHONPATH": os.pathsep.join(paths),
        MIRROR_URL_SETTING: mirror_url,
    }


class MirrorMiddleware:
    """Send every request to the local outlet mirror, keeping the real URL everywhere else.

    Enabled by :func:`scrapy_settings` (the ``DEVKIT_MIRROR_URL`` setting). The request goes
    to ``<mirror><path>?<query>`` with the real host in ``Host``; the response comes back with
    the real URL, so robots handling, WARC records and canonical URLs never see the mirror
    (the crawler's ``real_url`` reads the route's meta keys for the rest). The route changes
    nothing else: a redirect is resolved against the real URL and keeps the original
    request's ``dont_filter`` (so the dupe and off-site filters judge it as they would without
    a mirror), a retry keeps the real URL, and each real host keeps its own download slot.
    """

    def __init__(self, mirror_url: str) -> None:
        parts = urlsplit(mirror_url)
        self.scheme, self.netloc = parts.scheme, parts.netloc

    @classmethod
    def from_crawler(cls, crawler: Any) -> MirrorMiddleware:
        url = crawler.settings.get(MIRROR_URL_SETTING)
        if not url:
            raise NotConfigured(f"{MIRROR_URL_SETTING} is not set")
        return cls(url)

    def process_request(self, request: Request, spider: Any = None) -> Request | None:
        parts = urlsplit(request.url)
        if parts.netloc == self.netloc:  # already routed (a retry keeps the routed URL)
            return None
        target = urlunsplit((self.scheme, self.netloc, parts.path or "/", parts.query, ""))
        meta = dict(request.meta)
        meta[ROUTE_ORIGINAL_URL] = request.url
        meta["mirror_dont_filter"] = request.dont_filter
        meta["download_slot"] = parts.hostname  # one slot per real host, as without a mirror
        meta.pop("mirror_skipped_robots", None)
        if not meta.get("dont_obey_robotstxt"):
            # robots.txt was already checked on the real URL on the way here.
            meta["dont_obey_robotstxt"] = meta["mirror_skipped_robots"] = True
        headers: dict[bytes, Any] = dict(request.headers)
        headers[b"Host"] = [parts.netloc.encode()]
        headers[b"X-Newsloom-Original-Url"] = [request.url.encode()]
        routed = request.replace(url=target, headers=headers, meta=meta, dont_filter=True)
        routed.meta[ROUTE_ROUTED_URL] = routed.url  # tells a retry (same URL) from a redirect
        return routed

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        original = request.meta.get(ROUTE_ORIGINAL_URL)
        if not original or urlsplit(request.url).netloc != self.netloc:
            return response
        request.dont_filter = bool(request.meta.get("mirror_dont_filter", request.dont_filter))
        location = response.headers.get(b"Location")
        if location and 300 <= response.status < 400:
            # Redirects from the mirror point at mirror URLs, real ones or relative ones:
            # make them absolute real URLs.
            loc = location.decode("latin-1")
            if loc.startswith(f"{self.scheme}://{self.netloc}"):
                real = urlsplit(original)
                rest = urlsplit(loc)
                loc = urlunsplit((real.scheme, real.netloc, rest.path, rest.query, ""))
            response.headers[b"Location"] = urljoin(original, loc).encode("latin-1")
            if request.meta.pop("mirror_skipped_robots", False):
                request.meta.pop("dont_obey_robotstxt", None)  # the target gets checked
        return response.replace(url=original)
