"""Run one outlet crawl in this process: ``python -m crawlers.run --spec '<json>'``.

Twisted's reactor cannot be restarted, so ``processing.pipeline.stages.crawl`` always launches
this module in a fresh subprocess. Its outputs go to S3 (see :class:`CrawlSink`): the WARC
(a new object per execution, never overwritten), fetch records, candidates and, last, the
summary that marks the crawl complete. Exit codes: 0 when the crawl finished (whatever it met:
robots blocks and challenges are outcomes, not failures), 2 on bad arguments, 3 when S3 is
unusable (at start or at the upload), 4 when the crawl ended without its summary, 5 when a
local write failed (the WARC temp file: a full disk, a quota). Whenever the exit code is not
0, the last line on stderr is the cause, e.g. ``crawl: OSError: [Errno 28] No space left on
device while writing the WARC …``; the crawl stage puts it in its StageError.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawlers.extensions import (
    EXIT_LOCAL_WRITE,
    EXIT_NO_SUMMARY,
    CrawlFailure,
    LocalWriteError,
    RunRecorder,
)
from crawlers.items import FetchRecord
from crawlers.journal import reusable_pages
from crawlers.registry import get_outlet
from crawlers.settings import build_settings, env_scrapy_settings
from crawlers.spiders import Window, spider_for
from crawlers.workdir import clean_stale
from processing.core import layout
from processing.core.config import Settings
from processing.core.jsonl import jsonl_gz
from processing.core.jsontypes import JSONValue
from processing.core.logs import demote_third_party_warnings
from processing.core.records import CrawlSummary, RobotsReport
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore, StoreUnavailable, open_store

if TYPE_CHECKING:
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

CRAWL_FILES = ("crawl/fetches.jsonl.gz", "crawl/candidates.jsonl.gz", "crawl/summary.json")
KNOWN_URLS = "crawl/known-urls.txt.gz"  # written by the crawl stage: canonical URLs to skip


@dataclass
class CrawlSink:
    """Uploads one crawl's outputs; the summary goes last and marks the crawl complete."""

    store: ObjectStore
    spec: RunSpec

    def upload(
        self,
        warc: bytes,
        fetches: list[dict[str, JSONValue]],
        candidates: list[dict[str, JSONValue]],
        *,
        finish_reason: str,
        started_at: str,
        finished_at: str,
        stats: dict[str, int | float | str],
        robots: RobotsReport,
    ) -> None:
        """The WARC (a new object), the fetch records with their ``raw_ref``, the candidates,
        then the :class:`CrawlSummary` of the crawl that ended for ``finish_reason``."""
        raw_key = layout.raw_key(self.spec.outlet, self.spec.first, self.spec.run_id)
        if not self.store.put_if_absent(raw_key, warc, "application/warc"):
            raise RuntimeError(f"{self.store.uri(raw_key)} exists: raw archives are immutable")
        for f in fetches:
            if f.get("raw_offset") is not None:
                f["raw_ref"] = (
                    f"{self.store.uri(raw_key)}#offset={f['raw_offset']}&length={f['raw_length']}"
                )
        rid = self.spec.run_id
        self.store.put_bytes(layout.staging(rid, CRAWL_FILES[0]), jsonl_gz(fetches))
        self.store.put_bytes(layout.staging(rid, CRAWL_FILES[1]), jsonl_gz(candidates))
        summary = CrawlSummary(
            finish_reason=finish_reason,
            started_at=started_at,
            finished_at=finished_at,
            stats=stats,
            robots=robots,
            run=self.spec.to_dict(),
            raw_key=raw_key,
            fetch_count=len(fetches),
            candidate_count=len(candidates),
        )
        self.store.put_json(layout.staging(rid, CRAWL_FILES[2]), summary.to_dict())


def _known_urls(store: ObjectStore, spec: RunSpec) -> frozenset[str]:
    key = layout.staging(spec.run_id, KNOWN_URLS)
    if not store.exists(key):
        return frozenset()
    return frozenset(gzip.decompress(store.get_bytes(key)).decode("utf-8").split("\n")) - {""}


def _reusable(store: ObjectStore, spec: RunSpec) -> dict[str, FetchRecord]:
    """Pages earlier crawls of the outlet fetched (``crawlers.journal``); none for a forced
    run. A journal that cannot be read costs refetches, not the crawl."""
    if spec.force:
        return {}
    try:
        return reusable_pages(store, spec.outlet, datetime.now(UTC))
    except StoreUnavailable:
        raise
    except Exception as exc:
        logger.warning(
            "earlier crawls' pages not read (%s: %s); fetching all", type(exc).__name__, exc
        )
        return {}


def _cause(message: str) -> None:
    """The cause of a failed crawl as the last line of stderr, ``crawl: …`` on one line (the
    crawl stage puts that line in its StageError)."""
    one_line = "; ".join(part.strip() for part in message.splitlines() if part.strip())
    print(f"crawl: {one_line}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run")
    parser.add_argument("--spec", required=True, help="RunSpec as JSON")
    parser.add_argument("--routes", default="", help="comma-separated discovery routes")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    demote_third_party_warnings()
    try:
        spec = RunSpec.from_dict(json.loads(args.spec))
        outlet = get_outlet(spec.outlet, settings.outlets_dirs)
        env_scrapy_settings()  # NEWSLOOM_SCRAPY_SETTINGS: refused here, before any work
    except (ValueError, KeyError) as exc:
        _cause(f"bad arguments: {exc}")
        return 2
    clean_stale()  # work folders of crawls killed before they could remove theirs
    try:
        store = open_store(settings)
        known = _known_urls(store, spec)
        reuse = _reusable(store, spec)
    except StoreUnavailable as exc:
        _cause(str(exc))
        return 3

    from scrapy.crawler import CrawlerProcess

    scrapy_settings = build_settings(outlet, settings)
    process = CrawlerProcess(scrapy_settings, install_root_handler=False)
    routes = [r for r in args.routes.split(",") if r] or None
    crawler = process.create_crawler(spider_for(outlet))
    errors: list[CrawlFailure] = []

    def crawl_failed(failure: Failure) -> None:
        exc = failure.value
        code = EXIT_LOCAL_WRITE if isinstance(exc, LocalWriteError) else EXIT_NO_SUMMARY
        message = str(exc) if isinstance(exc, LocalWriteError) else f"{type(exc).__name__}: {exc}"
        errors.append(CrawlFailure(message, code))

    done = process.crawl(
        crawler,
        outlet=outlet,
        window=Window(spec.start, spec.end),
        accept=Window(*spec.accept_window),
        mode=spec.kind,
        routes=routes,
        sink=CrawlSink(store, spec),
        pad_before=spec.pad_before,
        pad_after=spec.pad_after,
        known=known,
        reuse=reuse,
    )
    done.addErrback(crawl_failed)
    process.start()
    recorder = RunRecorder.of(crawler)
    failure = (recorder.failure if recorder is not None else None) or (
        errors[0] if errors else None
    )
    if failure is not None:
        _cause(failure.message)
        return failure.exit_code
    if not store.exists(layout.staging(spec.run_id, CRAWL_FILES[2])):
        _cause("finished without writing its summary (no cause was reported)")
        return EXIT_NO_SUMMARY
    return 0


if __name__ == "__main__":
    sys.exit(main())
