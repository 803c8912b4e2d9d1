"""The rejection ledger: article pages an outlet served that were not stored, and why.

A backfill skips what the table already holds; this ledger lets it also skip what an earlier
run fetched and rejected for a reason that will not change by fetching again (a 404, not an
article, too large, undecodable, too short, a duplicate…, or published outside the range
being collected), so a re-run of the same range fetches no article page. Transient failures
(5xx, network errors, bot challenges, robots.txt, pages never attempted) are fetched again.
``--force`` ignores the ledger. One object per run:
``state/rejected/outlet=<id>/<run_id>.jsonl.gz``.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TypedDict

from processing.core import layout
from processing.core.jsonl import jsonl_gz, read_jsonl_gz
from processing.core.records import parse_ts
from processing.core.s3 import ObjectStore

logger = logging.getLogger(__name__)


class Rejection(TypedDict):
    """One line of the ledger: an article page of the run that was not stored."""

    url: str  # canonical, as discovery spells it (not where a redirect led)
    reason: str  # the rejection reason (the manifest's)
    published: str | None  # ISO 8601, for an ``out_of_window`` page


# rejections that fetching the same page again would repeat
PERMANENT = frozenset(
    {
        "http_400",
        "http_401",
        "http_403",
        "http_404",
        "http_410",
        "not_article",
        "too_large",
        "bad_encoding",
        "unparsable",
        "empty_body",
        "too_short",
        "no_title",
        "title_too_long",
        "no_language",
        "duplicate",
        "offsite",
        "redirect_dropped",
        "paywall",
    }
)


def write(store: ObjectStore, outlet: str, run_id: str, entries: list[Rejection]) -> None:
    """Record one run's rejections (``url``, ``reason``, ``published`` ISO or None)."""
    if entries:
        store.put_bytes(layout.rejections_key(outlet, run_id), jsonl_gz(entries))


def skip_urls(store: ObjectStore, outlet: str, first: date, last: date) -> set[str]:
    """Canonical URLs not worth fetching again for a run collecting ``first``..``last``."""
    keys = list(store.list_keys(layout.rejections_prefix(outlet)))
    with ThreadPoolExecutor(max_workers=16) as pool:
        batches = list(pool.map(lambda k: read_jsonl_gz(store, k), keys))
    skip: set[str] = set()
    for entry in (e for batch in batches for e in batch):
        reason, url, when = entry.get("reason"), entry.get("url"), entry.get("published")
        if not isinstance(url, str):
            continue
        if reason in PERMANENT:
            skip.add(url)
        elif reason == "out_of_window":
            published = parse_ts(when) if isinstance(when, str) else None
            if published is not None and not first <= published.date() <= last:
                skip.add(url)
    logger.debug("%s: %d rejected URL(s) not worth fetching again", outlet, len(skip))
    return skip
