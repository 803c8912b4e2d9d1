"""Scrapy settings: a polite base, then per-outlet and environment overlays.

``build_settings(outlet, settings)`` is what ``crawlers.run`` uses; the module-level names are
the base (also what ``scrapy`` CLI tools would read with ``SCRAPY_SETTINGS_MODULE``).

Extra Scrapy settings from the environment: ``NEWSLOOM_SCRAPY_SETTINGS`` holds a JSON object
of Scrapy settings applied last, on every crawl. Component settings
(``DOWNLOADER_MIDDLEWARES``, ``SPIDER_MIDDLEWARES``, ``EXTENSIONS``, ``ITEM_PIPELINES``,
``DOWNLOAD_HANDLERS``, ``ADDONS``) are merged entry by entry (``null`` disables one); any other
setting replaces the value. It is how a deployment adds a middleware of its own (a proxy, a
cache), and how the development kit routes crawls to its local mirror (devkit/mirror/route.py)::

    NEWSLOOM_SCRAPY_SETTINGS='{"DOWNLOADER_MIDDLEWARES": {"myproxy.Route": 990},
                               "MYPROXY_URL": "http://10.0.0.5:3128"}'

The classes it names must be importable by the crawl subprocess (installed, or on
``PYTHONPATH``).
"""

from __future__ import annotations

import json
import os

from crawlers.registry import Outlet
from processing.core.config import USER_AGENT, Settings
from processing.core.jsontypes import JSONValue

BOT_NAME = "newsloom"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = USER_AGENT
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # each delay drawn in [0.5, 1.5] x DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
NEWSLOOM_BACKOFF_BASE = 2.0  # s: rest after a 429/503 without Retry-After, doubled per retry
NEWSLOOM_RETRY_AFTER_MAX = 120.0  # s: the longest Retry-After honoured (longer ones capped)
NEWSLOOM_PROGRESS_INTERVAL = 60.0  # s between the crawl's progress lines (0: none)
# The crawl's journal in S3 (crawlers/journal.py): what it fetched so far, uploaded every so
# many article pages or seconds, whichever comes first; a killed crawl loses at most that.
NEWSLOOM_JOURNAL_PAGES = 50  # 0: no journal
NEWSLOOM_JOURNAL_SECONDS = 60.0
REDIRECT_ENABLED = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

DOWNLOADER_MIDDLEWARES = {
    # priority numbers: lower runs first on the way out (process_request) and last on the way
    # back (process_response). Retry is 550.
    # Scrapy's off-site, robots.txt and redirect middlewares are replaced by subclasses that
    # fail a refused request with a named outcome instead of dropping it silently (off-site
    # at scheduling) or with a bare IgnoreRequest; robots.txt follows RFC 9309 on 5xx.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawlers.middlewares.OffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawlers.middlewares.RedirectMiddleware": 600,
    "crawlers.middlewares.BackoffMiddleware": 560,  # sees 429/503 before Retry (550)
    "crawlers.middlewares.ChallengeMiddleware": 585,  # after decompression (590)
}
ITEM_PIPELINES = {
    "crawlers.pipelines.ValidationPipeline": 100,
    "crawlers.pipelines.RecordPipeline": 800,
}
EXTENSIONS = {
    "crawlers.extensions.RunRecorder": 100,
    "crawlers.extensions.RobotsPoliteness": 110,
    "crawlers.extensions.CrawlProgress": 120,  # pages, articles, errors per minute at INFO
}
LOGSTATS_INTERVAL = 0  # Scrapy's own per-minute line: CrawlProgress says more


# Scrapy settings by name: every value here is one JSON could hold (numbers, strings, lists,
# objects of class paths and orders), as those of NEWSLOOM_SCRAPY_SETTINGS are.
ScrapySettings = dict[str, JSONValue]

SCRAPY_SETTINGS_VAR = "NEWSLOOM_SCRAPY_SETTINGS"
COMPONENT_SETTINGS = (
    "DOWNLOADER_MIDDLEWARES",
    "SPIDER_MIDDLEWARES",
    "EXTENSIONS",
    "ITEM_PIPELINES",
    "DOWNLOAD_HANDLERS",
    "ADDONS",
)


def base_settings() -> ScrapySettings:
    return {k: v for k, v in globals().items() if k.isupper()}


def env_scrapy_settings(environ: dict[str, str] | None = None) -> ScrapySettings:
    """The extra Scrapy settings of ``NEWSLOOM_SCRAPY_SETTINGS`` (empty when unset).

    Raises ``ValueError`` naming the variable when it is not a JSON object of
    upper-case setting names, or gives a component setting something else than an object."""
    raw = (os.environ if environ is None else environ).get(SCRAPY_SETTINGS_VAR, "").strip()
    if not raw:
        return {}
    shown = f"{SCRAPY_SETTINGS_VAR}={raw[:120]!r}"
    try:
        extra = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{shown}: not JSON ({exc})") from None
    if not isinstance(extra, dict) or not all(k.isupper() for k in extra):
        raise ValueError(
            f"{shown}: not a JSON object of Scrapy settings (upper-case names, e.g. "
            '{"DOWNLOADER_MIDDLEWARES": {"pkg.Middleware": 900}})'
        )
    for name in COMPONENT_SETTINGS:
        if name in extra and not isinstance(extra[name], dict):
            raise ValueError(f"{shown}: {name} must be an object of class paths and orders")
    return extra


def overlay(base: ScrapySettings, extra: ScrapySettings) -> ScrapySettings:
    """``base`` with ``extra`` applied: component settings merged entry by entry (a ``None``
    entry disables the component, as in Scrapy), the others replaced."""
    merged = dict(base)
    for name, value in extra.items():
        if name in COMPONENT_SETTINGS:
            current = merged.get(name, {})
            if not isinstance(current, dict) or not isinstance(value, dict):
                raise ValueError(f"{name} must be an object of class paths and orders")
            merged[name] = {**current, **value}
        else:
            merged[name] = value
    return merged


def build_settings(outlet: Outlet, settings: Settings) -> ScrapySettings:
    """Base settings, then the outlet's politeness, then environment overlays, then the
    extra Scrapy settings of ``NEWSLOOM_SCRAPY_SETTINGS``."""
    s = base_settings()
    p = outlet.politeness
    s.update(
        CONCURRENT_REQUESTS_PER_DOMAIN=p.concurrency,
        DOWNLOAD_DELAY=p.delay,
        AUTOTHROTTLE_ENABLED=p.autothrottle,
        AUTOTHROTTLE_START_DELAY=max(p.delay, 0.1),
        CLOSESPIDER_PAGECOUNT=p.max_pages,
        USER_AGENT=settings.user_agent,
        DOWNLOAD_MAXSIZE=settings.max_response_bytes,
        DOWNLOAD_WARNSIZE=min(settings.max_response_bytes, DOWNLOAD_WARNSIZE),
        LOG_LEVEL=settings.log_level,
    )
    # Environment overlays (tests and the mirror demo shrink delays; operators can raise them),
    # validated with the rest of the settings before any work.
    if settings.crawl_delay is not None:
        s["DOWNLOAD_DELAY"] = settings.crawl_delay
        s["AUTOTHROTTLE_START_DELAY"] = max(settings.crawl_delay, 0.01)
        s["DOWNLOAD_DELAY_JITTER"] = 0.5 if settings.crawl_delay > 0 else 0.0
    if settings.backoff_base is not None:
        s["NEWSLOOM_BACKOFF_BASE"] = settings.backoff_base
    if settings.retry_after_max is not None:
        s["NEWSLOOM_RETRY_AFTER_MAX"] = settings.retry_after_max
    return overlay(s, env_scrapy_settings())
