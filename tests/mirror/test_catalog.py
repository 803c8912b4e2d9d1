"""The catalog: determinism, spans of N days, volume, local days and midnight crossings,
trap placement, and the expectation helpers tests rely on (``stored_between`` ...)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta, timezone
from statistics import mean
from zoneinfo import ZoneInfo

import pytest

from crawlers.registry import load_registry
from devkit.mirror.catalog import BOGUS_DATE, Catalog, build_catalog, normalise_faults
from processing.core.urls import canonical_url
from tests.mirror.conftest import ANCHOR, FIRST, MIRROR_OUTLETS

PLUS3 = timezone(timedelta(hours=3))
ZONES = dict.fromkeys(
    ("sohr_ar", "sohr_en", "sputnik_ar", "sputnik_en", "enab_ar", "enab_en", "npa_ar", "npa_en"),
    PLUS3,
)
ZONES["levant_daily"] = timezone(timedelta(hours=2))
ZONES["closed_gazette"] = timezone(timedelta(hours=1))


def zone(page_outlet: str, url: str) -> object:
    if page_outlet == "politico":
        return ZoneInfo("Europe/Brussels" if ".eu/" in url else "America/New_York")
    return ZONES[page_outlet]


@pytest.fixture(scope="module")
def month() -> Catalog:
    return build_catalog(ANCHOR, days=30)


def test_deterministic_and_seeded(catalog: Catalog) -> None:
    again = build_catalog(ANCHOR)
    assert again == catalog and again.pages == catalog.pages
    other = build_catalog(ANCHOR, seed=8)
    assert {p.title for p in other.pages} != {p.title for p in catalog.pages}


def test_longer_spans_only_add_older_days(catalog: Catalog, month: Catalog) -> None:
    assert set(catalog.pages) <= set(month.pages)
    older = set(month.pages) - set(catalog.pages)
    assert older and all(p.listed_on is not None and p.listed_on < FIRST for p in older)
    assert month.first_day == ANCHOR - timedelta(days=29) and catalog.first_day == FIRST
    assert all(month.extra(p) == catalog.extra(p) for p in catalog.pages)


def test_every_outlet_publishes_every_day_with_its_own_rhythm(month: Catalog) -> None:
    for outlet in month.outlets:
        per_day = Counter(p.listed_on for p in month.for_outlet(outlet))
        days = [ANCHOR - timedelta(days=k) for k in range(30)]
        assert all(per_day[d] >= 1 for d in days), outlet
    sohr = Counter(p.listed_on for p in month.for_outlet("sohr_ar"))
    fridays = [n for d, n in sohr.items() if d and d.weekday() == 4]
    others = [n for d, n in sohr.items() if d and d.weekday() != 4]
    assert mean(fridays) < mean(others)  # SOHR's quiet day
    week = Counter(
        p.listed_on for p in month.for_outlet("sohr_en") if p.listed_on and p.listed_on >= FIRST
    )
    assert week[ANCHOR - timedelta(days=3)] == max(week.values()) >= 5  # the busy day


def test_volume_scales_every_outlet() -> None:
    base, triple = build_catalog(ANCHOR), build_catalog(ANCHOR, volume=3)
    for outlet in ("sohr_ar", "sputnik_ar", "politico", "npa_en"):
        ratio = len(triple.for_outlet(outlet)) / len(base.for_outlet(outlet))
        assert 2 <= ratio <= 4, (outlet, ratio)
    assert len({p.url for p in triple.pages}) == len(triple.pages)
    assert len({p.title for p in triple.for_outlet("sohr_en")}) == len(triple.for_outlet("sohr_en"))


def test_pages_sit_on_their_local_day(month: Catalog) -> None:
    for p in month.pages:
        assert p.published_at.utcoffset() == timedelta(0)
        assert p.modified_at is None or p.modified_at > p.published_at
        assert p.listed_on == p.published_at.astimezone(zone(p.outlet, p.url)).date(), p.url  # type: ignore[arg-type]
        assert month.first_day <= p.listed_on <= ANCHOR  # type: ignore[operator]
        if p.expect not in ("stored", "robots_blocked"):  # traps: their UTC day is their local day
            assert p.published_at.date() == p.listed_on, p.url


def test_midnight_crossings(catalog: Catalog) -> None:
    """East of Greenwich every day has a post from just after local midnight, filed under
    that local day but published on the UTC day before; in New York, evening posts belong to
    the next UTC day."""
    for outlet in ("sohr_ar", "sohr_en", "sputnik_ar", "sputnik_en"):
        early = {p.listed_on for p in catalog.for_outlet(outlet, "stored")
                 if p.published_at.date() == p.listed_on - timedelta(days=1)}  # type: ignore[operator]  # fmt: skip
        assert len(early) == 7, outlet
        # the oldest day's early post lies before a 7-day UTC window: not stored_between it
        before = catalog.stored_between(
            outlet, FIRST - timedelta(days=1), FIRST - timedelta(days=1)
        )
        assert before and all(p.published_at.hour >= 21 for p in before)
    late = [
        p for p in catalog.for_outlet("politico", "stored") if p.published_at.date() > p.listed_on
    ]  # type: ignore[operator]
    assert len(late) >= 5
    # test_pipeline relies on a sohr_en post late in the UTC evening of ANCHOR - 5
    day = ANCHOR - timedelta(days=5)
    assert any(p.published_at.hour >= 21 for p in catalog.stored_between("sohr_en", day, day))


def test_stored_between_partitions_the_days(month: Catalog) -> None:
    first = month.first_day
    for outlet in month.outlets:
        whole = month.stored_between(outlet, first, ANCHOR)
        per_day = [
            month.stored_between(outlet, first + timedelta(days=i), first + timedelta(days=i))
            for i in range(30)
        ]
        assert sum(map(len, per_day)) == len(whole)
        assert {p.url for p in whole} == {
            p.url for p in month.for_outlet(outlet, "stored") if first <= p.stored_day <= ANCHOR
        }
    assert month.stored_between("closed_gazette", first, ANCHOR) == []


def test_traps_of_a_week(catalog: Catalog) -> None:
    def kinds(outlet: str) -> Counter[str]:
        return Counter(p.expect for p in catalog.for_outlet(outlet) if p.expect != "stored")

    assert kinds("sohr_ar") == {
        "not_article": 1,
        "bot_challenge": 1,
        "http_404": 1,
        "empty_body": 1,
        "bad_encoding": 1,
    }
    assert kinds("sohr_en") == {"bot_challenge": 1, "http_500": 1, "too_large": 1}
    assert kinds("politico") == {"bot_challenge": 1, "paywall": 2, "not_article": 4}
    assert kinds("sputnik_ar") == kinds("enab_ar") == {"not_article": 1}
    assert not kinds("sputnik_en") and not kinds("npa_ar") and not kinds("levant_daily")
    assert {p.expect for p in catalog.for_outlet("closed_gazette")} == {"robots_blocked"}

    def flagged(outlet: str, key: str) -> list[str]:
        return [p.url for p in catalog.for_outlet(outlet) if catalog.extra(p).get(key)]

    assert len(flagged("sohr_ar", "charset")) == len(flagged("sohr_en", "legacy_link")) == 1
    assert (
        len(flagged("sputnik_ar", "old_domain"))
        == len(flagged("sputnik_en", "throttle_first"))
        == 1
    )
    assert len(catalog.bogus_dates()) == len(catalog.bogus_dates("levant_daily")) == 2
    statuses = sorted(
        int(catalog.extra(p)["status"])
        for o in ("sohr_ar", "sohr_en")
        for p in catalog.for_outlet(o, "bot_challenge")
    )
    assert statuses == [200, 503]
    # a shorter span keeps the traps that fall in it
    short = build_catalog(ANCHOR, days=2)
    assert {p.expect for p in short.for_outlet("sohr_ar")} == {
        "stored",
        "not_article",
        "bot_challenge",
    }


def test_bogus_date_pages_are_listed_on_their_day(catalog: Catalog) -> None:
    for p in catalog.bogus_dates():
        assert p.dates == "bogus" and p.expect == "stored" and p.modified_at is None
        assert p.listed_on == p.stored_day == p.published_at.date()
        assert time(8) <= p.published_at.time() <= time(12)  # local midday, UTC+2
        assert p in catalog.stored_between("levant_daily", p.listed_on, p.listed_on)
    assert {ANCHOR - p.listed_on for p in catalog.bogus_dates()} == {
        timedelta(days=2),
        timedelta(days=4),
    }  # type: ignore[operator]
    assert BOGUS_DATE == "0001-01-01T00:00:00Z"


def test_faults() -> None:
    assert normalise_faults({"no_dates": ("sohr_en", 3)}) == (("no_dates", "sohr_en", 3),)
    assert normalise_faults({"no_dates": {"sohr_en": 3, "npa_en": 1}}) == (
        ("no_dates", "npa_en", 1), ("no_dates", "sohr_en", 3))  # fmt: skip
    assert normalise_faults({"no_dates": [("sohr_en", 3)]}) == (("no_dates", "sohr_en", 3),)
    with pytest.raises(ValueError, match="unknown mirror fault"):
        build_catalog(ANCHOR, faults={"no_time": ("sohr_en", 3)})
    with pytest.raises(ValueError, match="unknown outlet"):
        build_catalog(ANCHOR, faults={"no_dates": ("sohr", 3)})
    with pytest.raises(ValueError):
        build_catalog(ANCHOR, days=0)
    faulty = build_catalog(ANCHOR, faults={"no_dates": ("sohr_en", 3)})
    undated = faulty.undated("sohr_en")
    assert undated and faulty.undated() == undated
    assert {p.listed_on for p in undated} == {ANCHOR - timedelta(days=k) for k in range(3)}
    assert {p.url for p in undated} == {
        p.url for p in faulty.for_outlet("sohr_en") if p.listed_on >= ANCHOR - timedelta(days=2)
    }  # type: ignore[operator]
    assert [p.url for p in faulty.pages] == [p.url for p in build_catalog(ANCHOR).pages]


def test_urls_titles_and_ids(month: Catalog) -> None:
    assert len({p.url for p in month.pages}) == len(month.pages)
    for outlet in month.outlets:
        titles = [p.title for p in month.for_outlet(outlet)]
        assert len(set(titles)) == len(titles), outlet
    ids = [
        int(p.url.rstrip("/").rsplit("/", 1)[1])
        for p in month.for_outlet("sohr_ar")
        if p.expect != "not_article"
    ]
    assert all(100000 <= i <= 999999 for i in ids) and ids == sorted(ids)
    assert (
        month.find(
            month.for_outlet("sohr_ar")[3]
            .url.upper()
            .replace("HTTPS://WWW.SYRIAHR.COM", "https://www.syriahr.com")
        )
        == month.for_outlet("sohr_ar")[3]
    )


def test_registry_owns_every_catalog_url(month: Catalog) -> None:
    registry = load_registry([MIRROR_OUTLETS])
    assert {"levant_daily", "closed_gazette"} <= set(registry)
    assert set(month.outlets) <= set(registry)
    for page in month.pages:
        outlet = registry[page.outlet]
        for url in page.urls:
            canon = canonical_url(url, outlet.keep_query)
            if page.expect == "paywall":  # off-site on purpose: reported, never fetched
                assert outlet.is_paywalled(canon) and not outlet.is_article(canon), url
            else:
                assert outlet.is_article(canon) == (page.expect != "not_article"), url
    assert registry["sputnik_ar"].backfill_routes()[0] == "ranged_sitemap"
    assert registry["politico"].backfill_routes()[0] == "monthly_sitemap"
    assert registry["levant_daily"].backfill_routes() == ["archive", "sitemap", "feed"]
    window = datetime.combine(FIRST, time(), UTC)  # nothing older than the first local day
    assert all(p.published_at >= window - timedelta(hours=3) for p in build_catalog(ANCHOR).pages)
