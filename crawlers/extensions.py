"""Crawl extensions: record every response as WARC and hand the run's outputs to S3.

:class:`RunRecorder` owns a run's crawl outputs. During the crawl it appends each HTTP response
to a local WARC file and collects fetch records and candidates; when the spider closes it
uploads the WARC, ``fetches.jsonl``, ``candidates.jsonl`` and ``summary.json`` to S3 (the
task's only output, so any worker can run the next stage). Meanwhile it keeps the run's
journal in S3 (``crawlers.journal``), so a crawl killed part-way loses at most its last few
pages, and copies in the pages an earlier crawl of the outlet already fetched.

When the outputs cannot be written (a full disk under the WARC temp file, S3 refusing the
upload) the recorder stops the crawl, uploads nothing and keeps the cause as a
:class:`CrawlFailure`, which ``crawlers.run`` prints before exiting with its code.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from crawlers.items import Candidate, FetchRecord
from crawlers.journal import JournalWriter
from crawlers.workdir import WorkDir
from processing.core import layout
from processing.core.errors import LocalWriteError as LocalWriteError  # re-exported
from processing.core.records import RobotsReport
from processing.core.s3 import StoreUnavailable
from processing.core.warc import RawRef, WarcFileWriter, read_record

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

    from crawlers.run import CrawlSink

logger = logging.getLogger(__name__)

# Exit codes of ``python -m crawlers.run`` for a crawl that could not hand over its outputs.
EXIT_STORE_UNAVAILABLE = 3  # S3 unusable (at start, or refusing the upload)
EXIT_NO_SUMMARY = 4  # the crawl ended without its summary (the cause is printed)
EXIT_LOCAL_WRITE = 5  # a local write failed (the WARC temp file: disk full, quota, …)


@dataclass(frozen=True)
class CrawlFailure:
    """Why a crawl handed over no outputs: printed by ``crawlers.run``, which exits with
    ``exit_code``; the crawl stage turns both into a StageError."""

    message: str
    exit_code: int


# Headers describing the transfer, not the payload: the WARC stores the decoded body.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


# A downloader middleware that sends a request to another address than its URL's (a local
# replica of the sites, a routing proxy; added with NEWSLOOM_SCRAPY_SETTINGS, see
# crawlers/settings.py) keeps the outlet URL in ``meta[ROUTE_ORIGINAL_URL]`` and the address
# it routed to in ``meta[ROUTE_ROUTED_URL]``: records and logs then name the outlet URL.
ROUTE_ORIGINAL_URL = "route_original_url"
ROUTE_ROUTED_URL = "route_routed_url"


def real_url(request: Request) -> str:
    """The outlet URL of a request, even after a routing middleware rerouted it (a request
    built from a routed one, such as a redirect, carries its own real URL)."""
    original = request.meta.get(ROUTE_ORIGINAL_URL)
    if original and request.url == request.meta.get(ROUTE_ROUTED_URL):
        return str(original)
    return str(request.url)


class RunRecorder:
    """Collects a crawl's WARC, fetch records and candidates; uploads them at close.

    While the crawl runs, the WARC written so far and the fetch records made so far go to the
    run's journal in S3 every ``NEWSLOOM_JOURNAL_PAGES`` article pages or
    ``NEWSLOOM_JOURNAL_SECONDS`` seconds (``crawlers.journal``): a crawl killed part-way
    loses at most that much. The local WARC lives in a work folder of its own
    (``crawlers.workdir``), removed at close, or by the next crawl when this one is killed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sink: CrawlSink | None = None  # handed over by the spider
        self.failure: CrawlFailure | None = None
        try:
            self._workdir = WorkDir()
            self.warc_path = self._workdir.path / "crawl.warc.gz"
            self._warc_file = open(self.warc_path, "w+b")  # closed at spider_closed
        except OSError as exc:
            raise LocalWriteError(
                f"{type(exc).__name__}: {exc} while creating the WARC temp file "
                f"in {tempfile.gettempdir()}"
            ) from exc
        self.warc = WarcFileWriter(self._warc_file)
        self.fetches: list[FetchRecord] = []
        self.candidates: list[Candidate] = []
        self.started = datetime.now(UTC)
        self.journal: JournalWriter | None = None
        self.journal_pages = crawler.settings.getint("NEWSLOOM_JOURNAL_PAGES", 50)
        self.journal_seconds = crawler.settings.getfloat("NEWSLOOM_JOURNAL_SECONDS", 60.0)
        self._since_flush = 0
        self._flushed_at = time.monotonic()
        self._sources: dict[str, bytes] = {}  # journal slices read whole (reused pages)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        return cls(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> RunRecorder | None:
        """The crawler's recorder (None before its extensions are built)."""
        try:
            extensions = crawler.extensions
        except (AttributeError, RuntimeError):  # Scrapy raises before the crawl starts
            return None
        for ext in getattr(extensions, "middlewares", ()):
            if isinstance(ext, cls):
                return ext
        return None

    def _fail(self, message: str, exit_code: int) -> None:
        """Keep the first failure, and stop the crawl: its outputs cannot be complete."""
        if self.failure is not None:
            return
        logger.error("crawl outputs cannot be written: %s", message)
        self.failure = CrawlFailure(message, exit_code)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "spider", None) is not None:
            deferred_from_coro(engine.close_spider_async(reason="output_write_failed"))

    def spider_opened(self, spider: Spider) -> None:
        self.sink = getattr(spider, "sink", None)
        if self.sink is None:
            raise NotConfigured("the spider carries no sink for its crawl outputs")
        store, spec = getattr(self.sink, "store", None), getattr(self.sink, "spec", None)
        if self.journal_pages > 0 and store is not None and spec is not None:
            self.journal = JournalWriter(store, spec.run_id)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        headers: list[tuple[str, str]] = []
        for key, values in response.headers.items():
            name = key.decode("latin-1")
            if name.lower() in _TRANSFER_HEADERS:
                continue
            headers.extend((name, v.decode("latin-1")) for v in values)
        if self.failure is not None:
            return
        fetched_at = datetime.now(UTC)
        reason = "OK" if 200 <= response.status < 300 else ""
        try:
            offset, length = self.warc.write_response(
                response.url, response.status, reason, headers, response.body, fetched_at
            )
        except OSError as exc:
            self._fail(
                f"{type(exc).__name__}: {exc} while writing the WARC {self.warc_path} "
                f"(response of {response.url})",
                EXIT_LOCAL_WRITE,
            )
            return
        request.meta["warc"] = (offset, length, fetched_at.isoformat())
        if response.url.endswith("/robots.txt"):
            self.fetches.append(
                FetchRecord(
                    url=response.url,
                    role="robots",
                    outcome="fetched" if response.status < 400 else "http_error",
                    reason="" if response.status < 400 else f"HTTP {response.status}",
                    status=response.status,
                    raw_offset=offset,
                    raw_length=length,
                    fetched_at=fetched_at.isoformat(),
                )
            )

    def add_fetch(self, record: FetchRecord) -> None:
        self.fetches.append(record)
        if record.role == "article":
            self._since_flush += 1
            if self._since_flush >= self.journal_pages or (
                time.monotonic() - self._flushed_at >= self.journal_seconds
            ):
                self.flush_journal()

    def flush_journal(self) -> None:
        """Upload the WARC written and the fetch records made since the last flush."""
        journal = self.journal
        if journal is None or self.failure is not None or journal.broken is not None:
            return
        self._since_flush, self._flushed_at = 0, time.monotonic()
        try:
            self._warc_file.flush()
            end = self._warc_file.tell()
            with open(self.warc_path, "rb") as fh:
                fh.seek(journal.uploaded_to)
                data = fh.read(end - journal.uploaded_to)
        except OSError as exc:
            logger.warning("crawl journal not written (%s: %s)", type(exc).__name__, exc)
            return
        journal.flush(data, end, self.fetches)

    def copy_page(self, prior: FetchRecord) -> tuple[int, int] | None:
        """Copy the response ``prior.raw_ref`` points at (an earlier crawl's WARC record)
        into this crawl's WARC, as it was received; its (offset, length) here, or None when
        it cannot be read (the page is then fetched)."""
        if self.failure is not None or not prior.raw_ref or self.sink is None:
            return None
        store = self.sink.store
        try:
            ref = RawRef.parse(prior.raw_ref)
            if ref.key.startswith(layout.STAGING_PREFIX):  # a journal slice: small, read whole
                if ref.key not in self._sources:
                    if len(self._sources) >= 4:
                        self._sources.pop(next(iter(self._sources)))
                    self._sources[ref.key] = store.get_bytes(ref.key)
                data = self._sources[ref.key][ref.offset : ref.offset + ref.length]
            else:
                data = store.get_range(ref.key, ref.offset, ref.length)
            page = read_record(data)
        except Exception as exc:  # gone, unreadable: fetch it instead
            logger.warning("%s: earlier response not readable (%s); fetching it", prior.url, exc)
            return None
        try:
            return self.warc.write_response(
                page.url,
                page.status,
                "OK" if 200 <= page.status < 300 else "",
                page.headers,
                page.body,
                page.fetched_at,
            )
        except OSError as exc:
            self._fail(
                f"{type(exc).__name__}: {exc} while writing the WARC {self.warc_path} "
                f"(copy of {prior.url})",
                EXIT_LOCAL_WRITE,
            )
            return None

    def add_candidate(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            if self.failure is None:
                self._hand_over(spider, reason)
            if self.failure is None and self.journal is not None:
                self.journal.discard()  # the uploaded outputs say the same for good
        finally:
            if not self._warc_file.closed:
                try:
                    self._warc_file.close()
                except OSError as exc:  # the failure that stopped the crawl is already kept
                    logger.debug("closing the WARC after a failure: %s", exc)
            self._workdir.cleanup()

    def _hand_over(self, spider: Spider, reason: str) -> None:
        try:
            self._warc_file.close()
            warc = self.warc_path.read_bytes()
        except OSError as exc:
            self._fail(
                f"{type(exc).__name__}: {exc} while finishing the WARC {self.warc_path}",
                EXIT_LOCAL_WRITE,
            )
            return
        unaccounted = getattr(spider, "unaccounted", None)
        if unaccounted is not None:
            missing = unaccounted([f.url for f in self.fetches], reason)
            if missing:
                logger.warning(
                    "%d requested URL(s) never fetched (%s), first %s",
                    len(missing),
                    reason,
                    missing[0].url,
                )
            self.fetches.extend(missing)
        stats = {
            k: v
            for k, v in self.crawler.stats.get_stats().items()
            if isinstance(v, int | float | str)
        }
        try:
            if self.sink is None:
                raise RuntimeError("the spider carries no sink for its crawl outputs")
            self.sink.upload(
                warc=warc,
                fetches=[f.to_dict() for f in self.fetches],
                candidates=[c.to_dict() for c in self.candidates],
                finish_reason=reason,
                started_at=self.started.isoformat(),
                finished_at=datetime.now(UTC).isoformat(),
                stats={
                    k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()
                },
                # an OutletSpider's (processing.core.records.RobotsReport); none: empty
                robots=cast(RobotsReport, getattr(spider, "robots_report", {})),
            )
        except StoreUnavailable as exc:
            self._fail(
                f"StoreUnavailable: {exc} while uploading the crawl outputs",
                EXIT_STORE_UNAVAILABLE,
            )
            return
        except Exception as exc:  # any upload error: the crawl's outputs are not handed over
            self._fail(
                f"{type(exc).__name__}: {exc} while uploading the crawl outputs",
                EXIT_NO_SUMMARY,
            )
            return
        logger.info(
            "crawl closed (%s): %d fetch records, %d candidates",
            reason,
            len(self.fetches),
            len(self.candidates),
        )


class RobotsPoliteness:
    """Holds each host's download slot to at least its robots.txt ``Crawl-delay``.

    AutoThrottle moves slot delays with latency; after each response the delay is clamped back
    to the floor robots.txt asked for, so the outlet's wish always wins over a fast local replica.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.useragent = crawler.settings.get("USER_AGENT")
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsPoliteness:
        return cls(crawler)

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        rp = getattr(robotparser, "rp", None)  # Protego
        delay = rp.crawl_delay(self.useragent) if rp is not None else None
        host = urlsplit(real_url(request)).hostname or ""
        report = getattr(self.crawler.spider, "robots_report", None)  # an OutletSpider's
        if report is not None:
            report.setdefault("crawl_delay", {})[host] = delay
        if delay:
            logger.info("robots.txt asks for crawl-delay %.2fs on %s", float(delay), host)
            self.floors[host] = float(delay)
            self._clamp(host)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        host = urlsplit(real_url(request)).hostname or ""
        if host in self.floors:
            self._clamp(host)

    def _clamp(self, host: str) -> None:
        if self.crawler.engine is None:  # no crawl running: no slot to hold
            return
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is not None and slot.delay < self.floors[host]:
            slot.delay = self.floors[host]


# Fetch outcomes counted as errors in the progress lines (the others are decisions: robots,
# off-site, redirect limits…).
ERROR_OUTCOMES = frozenset({"http_error", "network_error", "too_large", "bot_challenge"})


class CrawlProgress:
    """One INFO line every ``NEWSLOOM_PROGRESS_INTERVAL`` seconds (60) while the crawl runs,
    and one at its end: pages fetched, article pages fetched, errors, each with its rate per
    minute over the last interval::

        progress: 412 pages (+38/min), 377 articles (+35/min), 3 errors (+0/min)

    The crawl stage relays the crawl subprocess's ``crawlers.*`` log lines at their level, so
    these show in the run's log by default. Counted from the run's fetch records."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("NEWSLOOM_PROGRESS_INTERVAL", 60.0)
        if self.interval <= 0:
            raise NotConfigured
        self.task: LoopingCall | None = None
        self.last = (0, 0, 0)
        self.last_at = 0.0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        return cls(crawler)

    def counts(self) -> tuple[int, int, int]:
        recorder = RunRecorder.of(self.crawler)
        # pages the outlet served: those copied from an earlier crawl's WARC are not fetches
        fetches = [f for f in recorder.fetches if not f.reused_from] if recorder else []
        pages = sum(1 for f in fetches if f.outcome == "fetched")
        articles = sum(1 for f in fetches if f.outcome == "fetched" and f.role == "article")
        errors = sum(1 for f in fetches if f.outcome in ERROR_OUTCOMES)
        return pages, articles, errors

    def spider_opened(self, spider: Spider) -> None:
        self.last_at = time.monotonic()
        self.task = LoopingCall(self.log)
        self.task.start(self.interval, now=False)

    def log(self, final: bool = False) -> None:
        now = time.monotonic()
        counts = self.counts()
        minutes = max(now - self.last_at, 1e-6) / 60
        rates = [(c - p) / minutes for c, p in zip(counts, self.last, strict=True)]
        self.last, self.last_at = counts, now
        logger.info(
            "%s: %d pages (+%.0f/min), %d articles (+%.0f/min), %d errors (+%.0f/min)",
            "crawled" if final else "progress",
            counts[0],
            rates[0],
            counts[1],
            rates[1],
            counts[2],
            rates[2],
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.log(final=True)
