"""Crawl extensions: record every response as WARC and hand the run's outputs to S3.

:class:`RunRecorder` owns a run's crawl outputs. During the crawl it appends each HTTP response
to a local WARC file and collects fetch records and candidates; when the spider closes it
uploads the WARC, ``fetches.jsonl``, ``candidates.jsonl`` and ``summary.json`` to S3 (the
task's only output, so any worker can run the next stage).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawlers.items import Candidate, FetchRecord
from processing.core.warc import WarcFileWriter

logger = logging.getLogger(__name__)

# Headers describing the transfer, not the payload: the WARC stores the decoded body.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def real_url(request: Request) -> str:
    """The outlet URL of a request, even after the mirror middleware rerouted it."""
    return str(request.meta.get("mirror_original_url") or request.url)


class RunRecorder:
    """Collects a crawl's WARC, fetch records and candidates; uploads them at close."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.sink: Any = None  # crawlers.run.CrawlSink, handed over by the spider
        self._tmp = tempfile.TemporaryDirectory(prefix="newsloom-crawl-")
        self.warc_path = Path(self._tmp.name) / "crawl.warc.gz"
        self._warc_file = open(self.warc_path, "wb")
        self.warc = WarcFileWriter(self._warc_file)
        self.fetches: list[FetchRecord] = []
        self.candidates: list[Candidate] = []
        self.started = datetime.now(UTC)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecorder:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.sink = getattr(spider, "sink", None)
        if self.sink is None:
            raise NotConfigured("the spider carries no sink for its crawl outputs")

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        headers: list[tuple[str, str]] = []
        for key, values in response.headers.items():
            name = key.decode("latin-1")
            if name.lower() in _TRANSFER_HEADERS:
                continue
            headers.extend((name, v.decode("latin-1")) for v in values)
        fetched_at = datetime.now(UTC)
        reason = "OK" if 200 <= response.status < 300 else ""
        offset, length = self.warc.write_response(
            response.url, response.status, reason, headers, response.body, fetched_at
        )
        request.meta["warc"] = (offset, length, fetched_at.isoformat())
        if response.url.endswith("/robots.txt"):
            self.fetches.append(
                FetchRecord(
                    url=response.url,
                    role="robots",
                    outcome="fetched" if response.status < 400 else "http_error",
                    status=response.status,
                    raw_offset=offset,
                    raw_length=length,
                    fetched_at=fetched_at.isoformat(),
                )
            )

    def add_fetch(self, record: FetchRecord) -> None:
        self.fetches.append(record)

    def add_candidate(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self._warc_file.close()
        stats = {
            k: v
            for k, v in self.crawler.stats.get_stats().items()
            if isinstance(v, int | float | str)
        }
        summary = {
            "finish_reason": reason,
            "started_at": self.started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "stats": {
                k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()
            },
            "robots": getattr(spider, "robots_report", {}),
        }
        try:
            self.sink.upload(
                warc=self.warc_path.read_bytes(),
                fetches=[f.to_dict() for f in self.fetches],
                candidates=[c.to_dict() for c in self.candidates],
                summary=summary,
            )
        finally:
            self._tmp.cleanup()
        logger.info(
            "crawl closed (%s): %d fetch records, %d candidates",
            reason,
            len(self.fetches),
            len(self.candidates),
        )


class RobotsPoliteness:
    """Holds each host's download slot to at least its robots.txt ``Crawl-delay``.

    AutoThrottle moves slot delays with latency; after each response the delay is clamped back
    to the floor robots.txt asked for, so the outlet's wish always wins over a fast mirror.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.useragent = crawler.settings.get("USER_AGENT")
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsPoliteness:
        return cls(crawler)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        rp = getattr(robotparser, "rp", None)  # Protego
        delay = rp.crawl_delay(self.useragent) if rp is not None else None
        host = urlsplit(real_url(request)).hostname or ""
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "robots_report"):
            spider.robots_report.setdefault("crawl_delay", {})[host] = delay
        if delay:
            logger.info("robots.txt asks for crawl-delay %.2fs on %s", float(delay), host)
            self.floors[host] = float(delay)
            self._clamp(host)

    def response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        host = urlsplit(real_url(request)).hostname or ""
        if host in self.floors:
            self._clamp(host)

    def _clamp(self, host: str) -> None:
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is not None and slot.delay < self.floors[host]:
            slot.delay = self.floors[host]
