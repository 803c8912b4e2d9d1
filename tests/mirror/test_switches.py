"""The mirror's switches and instruments: the request log, ``days=N``, the ``no_dates`` fault,
Levant Daily's bogus-date pages (the "site added by configuration alone" shape), and the
``python -m devkit mirror`` command."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from protego import Protego

from devkit.mirror.catalog import BOGUS_DATE, Catalog
from devkit.mirror.server import MirrorServer
from devkit.mirror.sites.common import Request, display_date
from tests.mirror.conftest import ANCHOR, feed_links, fetch, json_lds, locs, lower, norm, walk

LEVANT = "https://www.levantdaily.example"
FEEDS = {
    "sohr_en": "https://www.syriahr.com/en/feed/",
    "npa_ar": "https://npasyria.com/feed/",
    "sputnik_en": "https://sputnikglobe.com/export/rss2/archive/index.xml",
}


# ---- the request log -----------------------------------------------------------------------------


def test_request_log(catalog: Catalog) -> None:
    with MirrorServer(anchor=ANCHOR) as mirror:
        page = catalog.for_outlet("sohr_ar", "stored")[0]
        before = datetime.now(UTC)
        fetch(mirror, page.url)
        fetch(mirror, page.alt_urls[0])  # the upper-case spelling
        fetch(mirror, "https://www.syriahr.com/en/feed/")
        fetch(mirror, "https://www.syriahr.com/no-such-page/")
        fetch(mirror, "https://www.nosuchsite.example/")
        log = mirror.requests
        assert [(r.host, r.status) for r in log] == [("www.syriahr.com", 200)] * 3 + [
            ("www.syriahr.com", 404), ("www.nosuchsite.example", 502)]  # fmt: skip
        assert log[0].target == page.url.split("www.syriahr.com", 1)[1] and log[0].method == "GET"
        assert all(before <= r.at <= datetime.now(UTC) for r in log)
        assert [r.at for r in log] == sorted(r.at for r in log)
        assert mirror.hits(page.url) == mirror.hits(lower(page.url)) == 2  # any %-case
        assert mirror.count(host="www.syriahr.com") == 4
        assert mirror.count(host="www.syriahr.com", path_regex=r"^/en/feed/$") == 1
        assert mirror.count(status=404) == 1 and mirror.count(method="HEAD") == 0
        assert mirror.fetch_counts()[log[0].url] == 2
        mirror.respond(
            Request("GET", "www.syriahr.com", "/feed/", "", {})
        )  # in-process: not logged
        assert len(mirror.requests) == 5
        mirror.reset_log()
        assert mirror.requests == [] and mirror.hits(page.url) == 0


def test_request_log_is_thread_safe(catalog: Catalog) -> None:
    urls = [p.url for p in catalog.for_outlet("sputnik_ar", "stored")][:10] * 6
    with MirrorServer(anchor=ANCHOR) as mirror, ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda u: fetch(mirror, u).status, urls))
        assert statuses == [200] * len(urls)
        assert (
            len(mirror.requests)
            == len(urls)
            == mirror.count(host="sarabic.ae", path_regex=r"\.html$")
        )
        assert all(mirror.hits(u) == 6 for u in urls[:10])


# ---- days=N --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def month() -> Iterator[MirrorServer]:
    with MirrorServer(anchor=ANCHOR, days=30) as mirror:
        yield mirror


def test_thirty_days(month: MirrorServer, catalog: Catalog) -> None:
    c = month.catalog
    assert c.days == 30 and c.first_day == ANCHOR - timedelta(days=29)
    old = ANCHOR - timedelta(days=25)
    sohr = {norm(p.url) for p in c.for_outlet("sohr_en") if p.listed_on == old}
    assert sohr and sohr <= walk(month, f"https://www.syriahr.com/en/date/{old:%Y/%m/%d}/")[0]
    sputnik = {p.url for p in c.for_outlet("sputnik_ar", "stored") if p.listed_on == old}
    got = fetch(
        month,
        f"https://sarabic.ae/sitemap_article.xml?date_start={old:%Y%m%d}&date_end={old:%Y%m%d}",
    )
    assert sputnik and set(locs(got)) == sputnik
    october = {
        p.url
        for p in c.for_outlet("politico", "stored")
        if p.url.startswith("https://www.politico.com") and p.listed_on.month == 10
    }  # type: ignore[union-attr]
    assert october and october <= set(
        locs(fetch(month, "https://www.politico.com/sitemap-202610.xml"))
    )
    assert locs(fetch(month, f"{LEVANT}/sitemap.xml")) == [
        f"{LEVANT}/sitemap-pt-post-2026-11.xml",
        f"{LEVANT}/sitemap-pt-post-2026-10.xml",
    ]
    assert len(feed_links(fetch(month, "https://www.syriahr.com/en/feed/"))) == 10
    # the newest week is the default mirror's, byte for byte
    page = catalog.for_outlet("npa_en", "stored")[-1]
    with MirrorServer(anchor=ANCHOR) as week:
        assert fetch(week, page.url).status == 200
        week_span = (ANCHOR - timedelta(days=6), ANCHOR)
        assert month.catalog.stored_between("npa_en", *week_span) == catalog.stored_between(
            "npa_en", *week_span
        )


# ---- the no_dates fault --------------------------------------------------------------------------

DATE_SIGNALS = re.compile(
    r"published_time|modified_time|datePublished|dateModified|<time|data-unixtime|\d{4}-\d{2}-\d{2}|/20\d\d/\d\d/|\d{8}T\d{4}"
)


@pytest.mark.parametrize("outlet", ["sohr_en", "npa_ar", "sputnik_en"])
def test_no_dates_fault_removes_every_date_signal(outlet: str) -> None:
    with MirrorServer(anchor=ANCHOR, faults={"no_dates": (outlet, 3)}) as mirror:
        c = mirror.catalog
        undated = c.undated(outlet)
        assert undated and {p.listed_on for p in undated} == {
            ANCHOR - timedelta(days=k) for k in range(3)
        }
        for page in undated:
            if page.expect != "stored":
                continue
            text = fetch(mirror, page.url).text
            found = DATE_SIGNALS.findall(
                text.replace(page.url, "").replace(page.url.replace("/20", "/x"), "")
            )
            if (
                outlet == "sputnik_en"
            ):  # its URLs carry the date: links to itself and others keep it
                found = [f for f in found if not re.fullmatch(r"/20\d\d/\d\d/", f)]
            assert not found, (page.url, found)
            local = page.published_at.astimezone(page.published_at.tzinfo)
            assert display_date(page.language, local.date()) not in text
            assert page.title in text and all(p.split(" ")[1] in text for p in page.paragraphs)
        dated = [p for p in c.for_outlet(outlet, "stored") if p.dates == "real"]
        assert dated and all(DATE_SIGNALS.search(fetch(mirror, p.url).text) for p in dated[:3])
        # listings keep their dates
        feed = fetch(mirror, FEEDS[outlet])
        assert feed.text.count("<pubDate>") == feed.text.count("<item>") >= 9


# ---- the "WordPress site added by configuration alone" with bogus dates --------------------------


def test_levant_daily_has_the_held_out_shape(server: MirrorServer, catalog: Catalog) -> None:
    robots = Protego.parse(fetch(server, f"{LEVANT}/robots.txt").text)
    (index_url,) = robots.sitemaps
    children = locs(fetch(server, index_url))
    assert children == [f"{LEVANT}/sitemap-pt-post-2026-11.xml"]  # monthly sitemaps
    monthly = fetch(server, children[0]).text
    feed = fetch(server, f"{LEVANT}/feed/")
    bogus = catalog.bogus_dates("levant_daily")
    assert len(bogus) == 2
    for page in bogus:
        assert not re.search(r"/\d{4}/\d{2}/", page.url)  # no date in the URL
        day = page.listed_on
        assert day == page.stored_day == page.published_at.date()
        # the site's own sitemap places it on that day ...
        lastmod = re.search(re.escape(page.url) + r"</loc>\s*<lastmod>([^<]+)</lastmod>", monthly)
        assert lastmod and datetime.fromisoformat(lastmod[1]).date() == day
        # ... and so does its daily archive, and its feed
        assert norm(page.url) in walk(server, f"{LEVANT}/{day:%Y/%m/%d}/")[0]
        if page in catalog.for_outlet("levant_daily")[-10:]:  # the feed holds the 10 newest
            assert norm(page.url) in {norm(u) for u in feed_links(feed)}
        # while the page itself says the year 1, everywhere
        got = fetch(server, page.url)
        doc = got.doc()
        assert doc.xpath("//meta[@property='article:published_time']/@content") == [BOGUS_DATE]
        ld = json_lds(doc)[0]
        assert ld["datePublished"] == ld["dateModified"] == BOGUS_DATE
        assert doc.xpath("//time/@datetime") == [BOGUS_DATE]
        assert "January 1, 0001" in got.text
        assert not re.search(r"2026-\d\d-\d\d|November \d+, 2026|/2026/", got.text)
    others = [p for p in catalog.for_outlet("levant_daily") if p.dates == "real"]
    assert others and all(BOGUS_DATE not in fetch(server, p.url).text for p in others)


# ---- the command line ----------------------------------------------------------------------------


def test_command_line_runs_a_command_against_the_mirror() -> None:
    """``python -m devkit mirror -- CMD`` serves the mirror, hands its URL to CMD through
    DEVKIT_MIRROR_URL (and routes its crawls there through NEWSLOOM_SCRAPY_SETTINGS), and
    ends with CMD's exit code."""
    probe = (
        "import os, urllib.request as u; "
        "r = u.Request(os.environ['DEVKIT_MIRROR_URL'] + '/robots.txt', "
        "headers={'Host': 'www.syriahr.com'}); "
        "body = u.build_opener(u.ProxyHandler({})).open(r, timeout=5).read(); "
        "raise SystemExit(0 if b'User-agent: *' in body else 5)"
    )
    cmd = [sys.executable, "-m", "devkit", "mirror", "--anchor", ANCHOR.isoformat()]
    root = Path(__file__).resolve().parents[2]
    assert (
        subprocess.run([*cmd, "--", sys.executable, "-c", probe], cwd=root, timeout=60).returncode
        == 0
    )
    assert (
        subprocess.run(
            [*cmd, "--", sys.executable, "-c", "raise SystemExit(7)"], cwd=root, timeout=60
        ).returncode
        == 7
    )
