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
from processing.core import layout
from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.core.urls import canonical_url
from processing.corpus import open_corpus
from processing.pipeline.runner import backfill, run_pipeline
from processing.pipeline.stages import read_jsonl_gz
from tests.conftest import ANCHOR, route_to_mirror, rows_of

pytestmark = [pytest.mark.slow, pytest.mark.integration]

FIRST = ANCHOR - timedelta(days=6)
OUTLETS = ("sputnik_ar", "sputnik_en", "politico", "enab_ar", "enab_en", "npa_ar", "npa_en")


def stored_urls(
    corpus: object, outlet: str, first: date | None = None, last: date | None = None
) -> set[str]:
    """Canonical URLs stored for ``outlet`` (published in ``[first, last]`` when given). A run
    may also store what its padded routes fetched outside its window: those rows are checked
    against the catalog by :func:`assert_all_true`."""
    return {
        r["canonical_url"]
        for r in rows_of(corpus, outlet)
        if first is None or last is None or first <= r["published_at"].date() <= last
    }


def assert_all_true(corpus: object, mirror: MirrorServer, outlet: str, settings: Settings) -> None:
    """Every stored row is one of the catalog's articles, filed under its own UTC day."""
    keep = get_outlet(outlet, settings.outlets_dirs).keep_query
    truth = {canonical_url(p.url, keep): p for p in mirror.catalog.for_outlet(outlet, "stored")}
    for r in rows_of(corpus, outlet):
        page = truth.get(r["canonical_url"])
        assert page is not None, r["canonical_url"]
        assert r["published_at"].date() == page.stored_day, (r["canonical_url"], r["published_at"])


def expected_urls(
    mirror: MirrorServer, outlet: str, first: date, last: date, settings: Settings
) -> set[str]:
    o = get_outlet(outlet, settings.outlets_dirs)
    return {
        canonical_url(p.url, o.keep_query)
        for p in mirror.catalog.stored_between(outlet, first, last)
    }


def in_window(mirror: MirrorServer, outlet: str, spec: RunSpec) -> set[str]:
    return {
        canonical_url(p.url)
        for p in mirror.catalog.for_outlet(outlet, "stored")
        if spec.start <= p.published_at < spec.end
    }


def stored_in_window(corpus: object, outlet: str, spec: RunSpec) -> set[str]:
    return {
        r["canonical_url"]
        for r in rows_of(corpus, outlet)
        if spec.start <= r["published_at"] < spec.end
    }


@pytest.fixture
def feeds_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mirror's newest day counts as "yesterday": a daily run reads the daily routes."""
    import processing.pipeline.runner as runner

    monkeypatch.setattr(runner, "FEED_REACH_DAYS", 10_000)


def fetches(corpus: object, run_id: str) -> list[dict]:
    return read_jsonl_gz(corpus.store, layout.staging(run_id, "crawl/fetches.jsonl.gz"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("outlet", OUTLETS)
def test_backfill_route_stores_exactly_the_catalog(outlet, mirror_env, mirror, corpus):
    m = run_pipeline(RunSpec.backfill(outlet, FIRST, ANCHOR), mirror_env, corpus)
    assert m["status"] == "committed"
    assert "blocked_by_robots" not in m["access"], m["access"]
    got = stored_urls(corpus, outlet, FIRST, ANCHOR)
    expected = expected_urls(mirror, outlet, FIRST, ANCHOR, mirror_env)
    assert got == expected, {
        "missing": sorted(expected - got),
        "extra": sorted(got - expected),
        "rejected": m["counts"]["rejected"],
        "routes": m["routes"],
    }
    assert_all_true(corpus, mirror, outlet, mirror_env)
    language = get_outlet(outlet, mirror_env.outlets_dirs).language
    rows = rows_of(corpus, outlet)
    assert {r["language"] for r in rows} == {language}
    assert all(r["published_at"] is not None and r["title"] for r in rows)
    if outlet == "politico":
        assert m["access"]["status"] == "partial" and m["access"]["bot_challenge"] == 1
        assert m["counts"]["rejected"].get("bot_challenge") == 1


def test_politico_daily_run_paywall_challenge_and_robots(mirror_env, mirror, corpus, feeds_reach):
    spec = RunSpec.daily("politico", ANCHOR)
    m = run_pipeline(spec, mirror_env, corpus)
    outlet = get_outlet("politico", mirror_env.outlets_dirs)
    assert stored_in_window(corpus, "politico", spec) == in_window(mirror, "politico", spec)
    assert_all_true(corpus, mirror, "politico", mirror_env)
    # Politico Pro links in the feed: reported, never fetched
    assert m["counts"]["discovery"]["paywall"] == 2
    assert m["access"]["paywall"] == 2
    records = fetches(corpus, spec.run_id)
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


def test_sputnik_ar_daily_run_two_urls_one_article(mirror_env, mirror, corpus, feeds_reach):
    spec = RunSpec.daily("sputnik_ar", ANCHOR)
    m = run_pipeline(spec, mirror_env, corpus)
    assert stored_in_window(corpus, "sputnik_ar", spec) == in_window(mirror, "sputnik_ar", spec)
    assert_all_true(corpus, mirror, "sputnik_ar", mirror_env)
    # the old-domain link answers 301 to the article the feed also lists directly: the
    # redirect is dropped as a duplicate, and recorded as such
    assert m["counts"]["rejected"].get("redirect_dropped") == 1
    assert m["counts"]["discovery"].get("not_article") == 1  # the radio programme
    old = [
        f
        for f in fetches(corpus, spec.run_id)
        if f["url"].startswith("https://arabic.sputniknews.com/") and f["role"] == "article"
    ]
    assert len(old) == 1 and old[0]["outcome"] == "redirect_dropped"
    assert "https://sarabic.ae/" in old[0]["reason"]


def test_sputnik_ar_backfill_per_day(mirror_env, mirror, corpus):
    """Backfill through the ranged sitemap over two days where articles published late in the
    UTC evening carry the next (Moscow) day in their URL and sitemap."""
    first, last = ANCHOR - timedelta(days=4), ANCHOR - timedelta(days=3)
    crossing = [
        p
        for p in mirror.catalog.stored_between("sputnik_ar", first, last)
        if p.listed_on != p.published_at.date()
    ]
    assert crossing, "the mirror should have an article listed under the next Moscow day"
    report = backfill("sputnik_ar", first, last, mirror_env, corpus)
    for d in report.days:
        want = expected_urls(mirror, "sputnik_ar", d.day, d.day, mirror_env)
        assert d.stored == len(want), d
    assert stored_urls(corpus, "sputnik_ar", first, last) == expected_urls(
        mirror, "sputnik_ar", first, last, mirror_env
    )
    assert_all_true(corpus, mirror, "sputnik_ar", mirror_env)
    before = sorted(r["article_id"] for r in rows_of(corpus, "sputnik_ar"))
    again = backfill("sputnik_ar", first, last, mirror_env, corpus, force=True)
    assert again.new == 0
    assert sorted(r["article_id"] for r in rows_of(corpus, "sputnik_ar")) == before


def test_sputnik_en_backs_off_on_429_and_fetches_each_article_once(env, monkeypatch):
    """A fresh mirror answers the first request for one article with 429 + Retry-After; the
    request log shows the crawler asked for it twice and for every other article once."""
    import devkit.mirror

    with MirrorServer(anchor=ANCHOR) as fresh:
        route_to_mirror(monkeypatch, fresh.url)
        monkeypatch.setenv(
            "NEWSLOOM_OUTLETS_DIR", str(Path(devkit.mirror.__file__).parent / "outlets")
        )
        settings = Settings.from_env()
        corpus = open_corpus(settings=settings, write=True)
        throttled = next(
            p
            for p in fresh.catalog.for_outlet("sputnik_en", "stored")
            if fresh.catalog.extra(p)["throttle_first"]
        )
        day = throttled.published_at.date()
        spec = RunSpec.backfill("sputnik_en", day, day)
        m = run_pipeline(spec, settings, corpus)
        assert canonical_url(throttled.url) in stored_urls(corpus, "sputnik_en")
        assert stored_urls(corpus, "sputnik_en", day, day) == expected_urls(
            fresh, "sputnik_en", day, day, settings
        )
        stats = corpus.store.get_json(layout.staging(spec.run_id, "crawl/summary.json"))["stats"]
        assert stats.get("newsloom/backoff/429") == 1
        assert stats.get("retry/count", 0) >= 1
        assert set(m["counts"]["rejected"]) <= {"out_of_window"}
        assert fresh.hits(throttled.url) == 2
        assert fresh.count(host="sputnikglobe.com", status=429) == 1
        fetched = {canonical_url(u) for u, n in fresh.fetch_counts().items() if u.endswith(".html")}
        for url in fetched - {canonical_url(throttled.url)}:
            assert fresh.hits(url) == 1, url


def test_enab_ar_daily_run_follows_the_feed_redirect(mirror_env, mirror, corpus, feeds_reach):
    """The registry's feed URL ``/feed`` answers 301 (WordPress adds the slash): a daily run
    must follow it, like the old-domain redirect of Sputnik Arabic."""
    spec = RunSpec.daily("enab_ar", ANCHOR)
    m = run_pipeline(spec, mirror_env, corpus)
    expected = in_window(mirror, "enab_ar", spec)
    assert len(expected) >= 1
    feeds = [f for f in fetches(corpus, spec.run_id) if f["role"] == "feed"]
    assert all(f["outcome"] == "fetched" for f in feeds), feeds
    assert stored_in_window(corpus, "enab_ar", spec) == expected
    assert_all_true(corpus, mirror, "enab_ar", mirror_env)
    assert m["counts"]["discovery"].get("not_article") == 1  # the category page in the feed


@pytest.mark.parametrize("route", ["archive", "sitemap"])
def test_levant_daily_by_configuration_alone(route, mirror_env, mirror, corpus):
    """The WordPress-like site added by configuration alone, through its daily archives or its
    sitemap index of monthly sitemaps: exactly the catalog's articles, each page fetched
    once (the mirror's request log). Its two bogus-date pages: the next test."""
    mirror.reset_log()
    m = run_pipeline(
        RunSpec.backfill("levant_daily", FIRST, ANCHOR), mirror_env, corpus, routes=[route]
    )
    assert m["routes"] == [route] and m["access"]["status"] == "ok"
    bogus = {p.url for p in mirror.catalog.bogus_dates("levant_daily")}
    expected = expected_urls(mirror, "levant_daily", FIRST, ANCHOR, mirror_env)
    assert stored_urls(corpus, "levant_daily") - bogus == expected - bogus
    pages = mirror.catalog.for_outlet("levant_daily")
    fetched = [p for p in pages if mirror.hits(p.url)]
    assert {p.url for p in fetched} >= {p.url for p in mirror.catalog.bogus_dates()}
    assert all(mirror.hits(p.url) == 1 for p in fetched)
    assert mirror.count(host="www.levantdaily.example", path_regex="^/robots.txt$") >= 1


@pytest.mark.parametrize("route", ["archive", "sitemap"])
def test_levant_daily_bogus_dates_are_filed_on_their_listed_day(route, mirror_env, mirror, corpus):
    run_pipeline(
        RunSpec.backfill("levant_daily", FIRST, ANCHOR), mirror_env, corpus, routes=[route]
    )
    rows = {r["canonical_url"]: r for r in rows_of(corpus, "levant_daily")}
    for page in mirror.catalog.bogus_dates("levant_daily"):
        assert page.url in rows, page.url
        assert rows[page.url]["published_at"].date() == page.listed_on == page.stored_day
    assert_all_true(corpus, mirror, "levant_daily", mirror_env)
