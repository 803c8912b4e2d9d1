"""Item pipelines: validate each crawl item, then hand it to the run recorder."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem, NotConfigured

from crawlers.extensions import RunRecorder
from crawlers.items import ROLES, Candidate, CrawlItem, FetchRecord

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ValidationPipeline:
    """Drops malformed items with a reason instead of letting them reach the run's records."""

    def process_item(self, item: object, spider: Spider | None = None) -> CrawlItem:
        if isinstance(item, FetchRecord):
            if not item.url.startswith(("http://", "https://")):
                raise DropItem(f"fetch record without an http(s) URL: {item.url!r}")
            if item.role not in ROLES:
                raise DropItem(f"unknown role {item.role!r} for {item.url}")
            if item.outcome == "fetched" and item.raw_offset is None:
                raise DropItem(f"fetched response without a WARC record: {item.url}")
            return item
        if isinstance(item, Candidate):
            if not item.canonical_url.startswith(("http://", "https://")):
                raise DropItem(f"candidate without a canonical URL: {item.url}")
            return item
        raise DropItem(f"unexpected item type {type(item).__name__}")


class RecordPipeline:
    """Adds items to the run's records (uploaded to S3 when the spider closes)."""

    def __init__(self, recorder: RunRecorder) -> None:
        self.recorder = recorder

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        for ext in crawler.extensions.middlewares:
            if isinstance(ext, RunRecorder):
                return cls(ext)
        raise NotConfigured("RecordPipeline needs the RunRecorder extension")

    def process_item(self, item: CrawlItem, spider: Spider | None = None) -> CrawlItem:
        if isinstance(item, FetchRecord):
            self.recorder.add_fetch(item)
        elif isinstance(item, Candidate):
            self.recorder.add_candidate(item)
        return item
