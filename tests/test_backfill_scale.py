"""Backfill at scale on the mirror: 30 days of each outlet, every article page fetched at most
once, exactly the catalog's articles stored, and a second run fetches no article page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from processing.core.config import Settings
from processing.core.urls import canonical_url
from processing.corpus import open_corpus
from processing.pipeline.runner import backfill
from tests.conftest import ANCHOR, route_to_mirror, rows_of

pytestmark = [pytest.mark.slow, pytest.mark.integration]
DAYS = 30
FIRST, LAST = ANCHOR - timedelta(days=DAYS - 1), ANCHOR
OUTLETS = [
    "sputnik_ar",
    "sputnik_en",
    "sohr_ar",
    "sohr_en",
    "politico",
    "enab_ar",
    "enab_en",
    "npa_ar",
    "npa_en",
    "levant_daily",
]


@pytest.fixture(scope="module")
def month_mirror() -> Iterator[object]:
    from devkit.mirror.server import MirrorServer

    with MirrorServer(anchor=ANCHOR, days=DAYS) as server:
        yield server


@pytest.fixture
def month_env(env: Settings, month_mirror, monkeypatch) -> Settings:
    import devkit.mirror

    route_to_mirror(monkeypatch, month_mirror.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", str(Path(devkit.mirror.__file__).parent / "outlets"))
    return Settings.from_env()


def _rejections(corpus, run_id: str) -> list[dict]:
    from processing.core import layout
    from processing.core.jsonl import read_jsonl_gz

    outlet = run_id.split(".")[0]
    return read_jsonl_gz(corpus.store, layout.rejections_key(outlet, run_id), missing_ok=True)


def _key(outlet: str, url: str) -> str:
    return canonical_url(url, ["p"] if outlet == "sohr_en" else [])


@pytest.mark.parametrize("outlet", OUTLETS)
def test_a_month_fetches_each_article_once_and_a_rerun_none(month_env, month_mirror, outlet):
    catalog = month_mirror.catalog
    corpus = open_corpus(settings=month_env, write=True)
    month_mirror.reset_log()
    report = backfill(outlet, FIRST, LAST, month_env, corpus)
    pages = catalog.for_outlet(outlet)
    # requests answered with a page: a 429, or a 5xx the crawler retries, is not a page
    from devkit.mirror.server import url_key

    served = Counter(r.url for r in month_mirror.requests if r.status < 500 and r.status != 429)
    hits = {p.url: served[url_key(p.url)] for p in pages}
    twice = {u: n for u, n in hits.items() if n > 1}
    assert not twice, f"fetched more than once: {list(twice.items())[:5]}"
    expected = {_key(outlet, p.url) for p in catalog.stored_between(outlet, FIRST, LAST)}
    rows = rows_of(corpus, outlet)
    stored = {
        r["canonical_url"]
        for r in rows
        if r["published_at"] is not None and FIRST <= r["published_at"].date() <= LAST
    }
    assert stored == expected, (sorted(expected - stored)[:5], sorted(stored - expected)[:5])
    assert len({r["article_id"] for r in rows}) == len(rows)
    ratio = report.fetched / max(1, len(expected))
    assert ratio <= 1.2, f"{report.fetched} article fetches for {len(expected)} articles"
    # a second run fetches nothing again, but for pages that failed for a transient reason
    # (a server error, a bot challenge): those are retried
    from processing.pipeline.ledger import PERMANENT

    transient = {
        e["url"]
        for c in report.chunks
        for e in _rejections(corpus, c.run_id)
        if e["reason"] not in PERMANENT and e["reason"] != "out_of_window"
    }
    month_mirror.reset_log()
    again = backfill(outlet, FIRST, LAST, month_env, corpus)
    assert again.new == 0
    refetched = {_key(outlet, p.url) for p in pages if month_mirror.hits(p.url)}
    assert refetched <= transient, sorted(refetched - transient)[:5]
