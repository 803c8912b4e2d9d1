"""Real crawls of the mirrored Sputnik, Politico, Enab Baladi and North Press sites: each
outlet's backfill route stores exactly the catalog's articles, and the traps end up as the
outcomes the manifest promises (paywall, bot challenge, robots, 429 back-off, duplicates).

Real Scrapy subprocesses, real extraction, a real SeaweedFS server; each test its own bucket.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from crawlers.registry import get_outlet
from devkit.mirror.server import MirrorServer
from processing import corpus
from processing.core import layout
from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore, open_store
from processing.core.urls import canonical_url
from processing.pipeline.runner import backfill, run_pipeline
from processing.pipeline.stages import read_jsonl_gz
from tests.conftest import ANCHOR

pytestmark = [pytest.mark.slow, pytest.mark.integration]

FIRST = ANCHOR - timedelta(days=6)
OUTLETS = ("sputnik_ar", "sputnik_en", "politico", "enab_ar", "enab_en", "npa_ar", "npa_en")


def stored_urls(store: ObjectStore, outlet: str) -> set[str]:
    return {r["canonical_url"] for r in corpus.iter_articles(store, outlet)}


def expected_urls(
    mirror: MirrorServer, outlet: str, first: date, last: date, settings: Settings
) -> set[str]:
    o = get_outlet(outlet, settings.outlets_dirs)
    return {
        canonical_url(p.url, o.keep_query)
        for p in mirror.catalog.stored_between(outlet, first, last)
    }


def fetches(store: ObjectStore, run_id: str) -> list[dict]:
    return read_jsonl_gz(store, layout.staging(run_id, "crawl/fetches.jsonl.gz"))


@pytest.mark.parametrize("outlet", OUTLETS)
def test_backfill_route_stores_exactly_the_catalog(outlet, mirror_env, mirror):
    store = open_store(mirror_env)
    m = run_pipeline(RunSpec.span(outlet, FIRST, ANCHOR), mirror_env, store)
    assert m["status"] == "committed"
    assert "blocked_by_robots" not in m["access"], m["access"]
    got = stored_urls(store, outlet)
    expected = expected_urls(mirror, outlet, FIRST, ANCHOR, mirror_env)
    assert got == expected, {
        "missing": sorted(expected - got),
        "extra": sorted(got - expected),
        "rejected": m["counts"]["rejected"],
        "routes": m["routes"],
    }
    language = get_outlet(outlet, mirror_env.outlets_dirs).language
    rows = list(corpus.iter_articles(store, outlet))
    assert {r["language"] for r in rows} == {language}
    assert all(r["published_at"] is not None and r["title"] for r in rows)
    if outlet == "politico":
        assert m["access"]["status"] == "partial" and m["access"]["bot_challenge"] == 1
        assert m["counts"]["rejected"].get("bot_challenge") == 1


def test_politico_daily_run_paywall_challenge_and_robots(mirror_env, mirror):
    store = open_store(mirror_env)
    spec = RunSpec.daily("politico", ANCHOR)
    m = run_pipeline(spec, mirror_env, store)
    outlet = get_outlet("politico", mirror_env.outlets_dirs)
    expected = {
        canonical_url(p.url)
        for p in mirror.catalog.for_outlet("politico", "stored")
        if spec.start <= p.published_at < spec.end
    }
    assert stored_urls(store, "politico") == expected
    # Politico Pro links in the feed: reported, never fetched
    assert m["counts"]["discovery"]["paywall"] == 2
    assert m["access"]["paywall"] == 2
    records = fetches(store, spec.run_id)
    assert not any(outlet.is_paywalled(f["url"]) for f in records)
    # the Cloudflare page (403) is a bot challenge, the rest of the site is reachable
    assert m["access"]["status"] == "partial" and m["access"]["bot_challenge"] == 1
    # robots.txt blocks Scrapy's default agent and named bots, not newsloom's
    assert not any(f["outcome"] == "robots_blocked" for f in records)
    robots = {f["url"] for f in records if f["role"] == "robots"}
    assert {"https://www.politico.com/robots.txt", "https://www.politico.eu/robots.txt"} <= robots
    # video, gallery, podcast and preview links are discovered and never fetched
    assert m["counts"]["discovery"].get("not_article", 0) >= 3
    assert not any(
        x in f["url"] for f in records for x in ("/video/", "/gallery/", "/podcasts/", "/_preview/")
    )


def test_sputnik_ar_daily_run_two_urls_one_article(mirror_env, mirror):
    store = open_store(mirror_env)
    spec = RunSpec.daily("sputnik_ar", ANCHOR)
    m = run_pipeline(spec, mirror_env, store)
    expected = {
        canonical_url(p.url)
        for p in mirror.catalog.for_outlet("sputnik_ar", "stored")
        if spec.start <= p.published_at < spec.end
    }
    assert stored_urls(store, "sputnik_ar") == expected
    # the old-domain link answers 301 and lands on the article the feed also lists directly
    assert m["counts"]["rejected"].get("duplicate") == 1
    assert m["counts"]["discovery"].get("not_article") == 1  # the radio programme
    records = fetches(store, spec.run_id)
    old = [
        f
        for f in records
        if f["url"].startswith("https://arabic.sputniknews.com/") and f["role"] == "article"
    ]
    assert len(old) == 1 and old[0]["final_url"].startswith("https://sarabic.ae/")


def test_sputnik_ar_backfill_per_day(mirror_env, mirror):
    """Day-by-day backfill through the ranged sitemap, over two days where an article
    published late in the UTC evening carries the next (Moscow) day in its URL and sitemap."""
    store = open_store(mirror_env)
    first, last = ANCHOR - timedelta(days=4), ANCHOR - timedelta(days=3)
    reports = backfill("sputnik_ar", first, last, mirror_env, store)
    for r in reports:
        want = expected_urls(mirror, "sputnik_ar", r.day, r.day, mirror_env)
        assert r.stored == len(want), (r.day, r.stored, len(want), r.rejected)
    assert stored_urls(store, "sputnik_ar") == expected_urls(
        mirror, "sputnik_ar", first, last, mirror_env
    )
    before = sorted(r["article_id"] for r in corpus.iter_articles(store, "sputnik_ar"))
    again = backfill("sputnik_ar", first, last, mirror_env, store, force=True)
    assert [r.new for r in again] == [0, 0]
    assert sorted(r["article_id"] for r in corpus.iter_articles(store, "sputnik_ar")) == before


def test_sputnik_en_backs_off_on_429(env, monkeypatch):
    """A fresh mirror answers the first request for one article with 429 + Retry-After."""
    import devkit.mirror

    with MirrorServer(anchor=ANCHOR) as fresh:
        monkeypatch.setenv("NEWSLOOM_MIRROR_URL", fresh.url)
        monkeypatch.setenv(
            "NEWSLOOM_OUTLETS_DIR", str(Path(devkit.mirror.__file__).parent / "outlets")
        )
        settings = Settings.from_env()
        store = open_store(settings)
        throttled = next(
            p
            for p in fresh.catalog.for_outlet("sputnik_en", "stored")
            if fresh.catalog.extra(p)["throttle_first"]
        )
        day = throttled.published_at.date()
        spec = RunSpec.backfill_day("sputnik_en", day)
        m = run_pipeline(spec, settings, store)
        assert canonical_url(throttled.url) in stored_urls(store, "sputnik_en")
        assert stored_urls(store, "sputnik_en") == expected_urls(
            fresh, "sputnik_en", day, day, settings
        )
        stats = store.get_json(layout.staging(spec.run_id, "crawl/summary.json"))["stats"]
        assert stats.get("newsloom/backoff/429") == 1
        assert stats.get("retry/count", 0) >= 1
        assert set(m["counts"]["rejected"]) <= {"out_of_window"}


def test_enab_ar_daily_run_follows_the_feed_redirect(mirror_env, mirror):
    """The registry's feed URL ``/feed`` answers 301 (WordPress adds the slash): a daily run
    must follow it, like the old-domain redirect of Sputnik Arabic."""
    store = open_store(mirror_env)
    spec = RunSpec.daily("enab_ar", ANCHOR)
    m = run_pipeline(spec, mirror_env, store)
    expected = {
        canonical_url(p.url)
        for p in mirror.catalog.for_outlet("enab_ar", "stored")
        if spec.start <= p.published_at < spec.end
    }
    assert len(expected) >= 2
    feeds = [f for f in fetches(store, spec.run_id) if f["role"] == "feed"]
    assert all(f["outcome"] == "fetched" for f in feeds), feeds
    assert stored_urls(store, "enab_ar") == expected
    assert m["counts"]["discovery"].get("not_article") == 1  # the category page in the feed
