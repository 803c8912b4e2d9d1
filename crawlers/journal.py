"""The crawl journal: what a crawl has fetched so far, in S3 while it runs.

A crawl keeps its WARC in a local file and uploads it whole when it ends. So that a crawl
killed part-way (``kill -9``, a lost worker) does not lose what it fetched, the recorder also
uploads, every ``NEWSLOOM_JOURNAL_PAGES`` article pages or ``NEWSLOOM_JOURNAL_SECONDS``
seconds, the part of the WARC written since the last upload and the fetch records made since
(their ``raw_ref`` pointing into that slice)::

    staging/<run_id>/crawl/journal/<writer>-<n>.warc.gz    a slice of the crawl's WARC
    staging/<run_id>/crawl/journal/<writer>-<n>.jsonl.gz   fetch records (raw_ref into slices)

``writer`` names one crawl process (a retried Airflow task runs under the same run id). Once
the crawl's outputs are uploaded, its slices are deleted: ``crawl/fetches.jsonl.gz`` (raw_refs
into the raw WARC) says the same for good. Staging expires after 14 days.

:func:`reusable_pages` reads them back for the next crawl of the outlet: the article pages
any crawl of the outlet fetched in the last ``REUSE_WITHIN`` (a killed one from its journal, a
finished one from its fetch records, whether it was committed or not), so a re-run, a retry
or a second run started at the same time takes them from S3 instead of asking the outlet
again. The crawl copies each one into its own WARC (``RunRecorder.copy_page``): every row's
``raw_ref`` stays in its own run's raw archive, which is never deleted.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from processing.core import layout
from processing.core.jsonl import jsonl_gz, read_jsonl_gz
from processing.core.jsontypes import JSONObject
from processing.core.records import FetchRecord, parse_ts
from processing.core.s3 import ObjectStore
from processing.core.urls import identity_url

logger = logging.getLogger(__name__)

JOURNAL_DIR = "crawl/journal/"
FETCHES = "crawl/fetches.jsonl.gz"
# A page fetched this recently is taken from S3 rather than asked for again. Longer than a
# killed task's retries take (3 retries, backoff capped at an hour) and a cleared run's usual
# delay; short enough that a page collected again a day later is fetched again (it may have
# been updated). ``force`` runs never reuse.
REUSE_WITHIN = timedelta(hours=6)
# Answers the next crawl would get again: a page, or a page gone for good. Challenges, server
# and network errors are asked again.
KEPT_STATUSES = frozenset({404, 410})


def reusable(record: FetchRecord) -> bool:
    """An article answer worth keeping for the next crawl (a page, or a page gone for good)."""
    if record.role != "article" or (record.raw_offset is None and record.raw_ref is None):
        return False
    if record.outcome == "fetched":
        return True
    return record.outcome == "http_error" and record.status in KEPT_STATUSES


class JournalWriter:
    """Uploads a crawl's WARC slices and fetch records as it goes (see the module doc)."""

    def __init__(self, store: ObjectStore, run_id: str) -> None:
        self.store = store
        self.run_id = run_id
        self.writer = secrets.token_hex(4)
        self.slices: list[tuple[int, int, str]] = []  # (start, end, uri) in the local WARC
        self.keys: list[str] = []
        self.uploaded_to = 0  # bytes of the local WARC uploaded so far
        self.journaled = 0  # fetch records journaled so far (a prefix of the run's list)
        self.broken: str | None = None

    def _key(self, n: int, suffix: str) -> str:
        return layout.staging(self.run_id, f"{JOURNAL_DIR}{self.writer}-{n:05d}.{suffix}")

    def _ref(self, offset: int, length: int) -> str | None:
        for start, end, uri in reversed(self.slices):
            if start <= offset < end:
                return f"{uri}#offset={offset - start}&length={length}"
        return None

    def flush(self, warc: bytes, end: int, fetches: list[FetchRecord]) -> int:
        """Upload ``warc`` (the local WARC's bytes from ``uploaded_to`` to ``end``) and the
        reusable records among ``fetches[journaled:]``; returns how many records were
        journaled. Never raises: a journal that cannot be written only costs refetches."""
        if self.broken is not None:
            return 0
        n = len(self.slices) + 1
        try:
            if end > self.uploaded_to:
                key = self._key(n, "warc.gz")
                self.store.put_bytes(key, warc, "application/warc")
                self.keys.append(key)
                self.slices.append((self.uploaded_to, end, self.store.uri(key)))
                self.uploaded_to = end
            entries = []
            for f in fetches[self.journaled :]:
                if f.raw_offset is None or f.raw_length is None or not reusable(f):
                    continue
                ref = self._ref(f.raw_offset, f.raw_length)
                if ref is not None:
                    entries.append({**f.to_dict(), "raw_ref": ref})
            self.journaled = len(fetches)
            if entries:
                key = self._key(n, "jsonl.gz")
                self.store.put_bytes(key, jsonl_gz(entries))
                self.keys.append(key)
        except Exception as exc:  # the journal only saves refetches: the crawl goes on
            self.broken = f"{type(exc).__name__}: {exc}"
            logger.warning("crawl journal off for %s: %s", self.run_id, self.broken)
            return 0
        return len(entries)

    def discard(self) -> None:
        """Delete the slices once the crawl's outputs are uploaded (they say the same)."""
        for key in self.keys:
            try:
                self.store.delete(key)
            except Exception as exc:  # staging expires anyway
                logger.debug("journal object %s not deleted: %s", key, exc)
        self.keys.clear()


def reusable_pages(
    store: ObjectStore, outlet: str, now: datetime, within: timedelta = REUSE_WITHIN
) -> dict[str, FetchRecord]:
    """Article answers crawls of ``outlet`` got since ``now - within``, by the identity form
    of the URL requested (``processing.core.urls.identity_url``); each record's ``raw_ref``
    is where its response lies and ``reused_from`` the run whose crawl fetched it."""
    since = now - within
    prefix = f"{layout.STAGING_PREFIX}{outlet}."
    finished: dict[str, str] = {}
    journals: dict[str, list[str]] = defaultdict(list)
    for obj in store.list_objects(prefix):
        if obj["LastModified"] < since:
            continue
        run_id, _, name = obj["Key"][len(layout.STAGING_PREFIX) :].partition("/")
        if name == FETCHES:
            finished[run_id] = obj["Key"]
        elif name.startswith(JOURNAL_DIR) and name.endswith(".jsonl.gz"):
            journals[run_id].append(obj["Key"])
    sources = [(rid, key) for rid, key in finished.items()]
    sources += [(rid, k) for rid, keys in journals.items() if rid not in finished for k in keys]

    def read(source: tuple[str, str]) -> list[tuple[str, JSONObject]]:
        return [(source[0], d) for d in read_jsonl_gz(store, source[1], True)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(read, sources))
    pages: dict[str, FetchRecord] = {}
    for run_id, d in (item for batch in batches for item in batch):
        record = FetchRecord.from_dict(d)
        fetched = parse_ts(record.fetched_at)
        if not record.raw_ref or not reusable(record) or fetched is None or fetched < since:
            continue
        record.reused_from = run_id  # the run whose WARC holds it
        key = identity_url(record.url)
        held = pages.get(key)
        if held is None or (parse_ts(held.fetched_at) or since) < fetched:
            pages[key] = record
    if pages:
        logger.info(
            "%d article page(s) fetched by %d earlier crawl(s) of %s since %s: taken from S3, "
            "not fetched again",
            len(pages),
            len({p.reused_from for p in pages.values()}),
            outlet,
            since.isoformat(timespec="seconds"),
        )
    return pages
