"""The mirror's Sputnik, Politico, Enab Baladi and North Press sites: routes, traps, markup,
and the catalog contracts their registry entries and crawl tests rely on.

Like ``test_mirror.py``, each module-level server talks HTTP through urllib with the real host
in ``Host`` (the way the crawler's mirror middleware does).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html
from protego import Protego

from crawlers.registry import load_registry
from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.server import MirrorServer
from processing.core.urls import canonical_url

ANCHOR = date(2026, 11, 20)
FIRST = ANCHOR - timedelta(days=6)
MIRROR_OUTLETS = Path(__file__).resolve().parents[2] / "devkit" / "mirror" / "outlets"
NEW = ("sputnik_ar", "sputnik_en", "politico", "enab_ar", "enab_en", "npa_ar", "npa_en")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MSK = timezone(timedelta(hours=3))
DAMASCUS = timezone(timedelta(hours=3))
ET_ZONE = ZoneInfo("America/New_York")
ZONES = {
    "sputnik_ar": MSK,
    "sputnik_en": MSK,
    "enab_ar": DAMASCUS,
    "enab_en": DAMASCUS,
    "npa_ar": DAMASCUS,
    "npa_en": DAMASCUS,
}
NEWSLOOM_UA = "newsloom/0.1 (+https://github.com/newsloom/newsloom; news research crawler)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Fetched:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def doc(self) -> lxml_html.HtmlElement:
        return lxml_html.fromstring(self.body.decode("utf-8"))


def fetch(server: MirrorServer, url: str) -> Fetched:
    parts = urlsplit(url)
    target = server.url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    req = urllib.request.Request(
        target, headers={"Host": parts.netloc, "X-Newsloom-Original-Url": url}
    )
    try:
        with _OPENER.open(req, timeout=10) as resp:
            return Fetched(
                resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
            )
    except urllib.error.HTTPError as err:
        return Fetched(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def upper(url: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), url)


def lower(url: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).lower(), url)


def texts(doc: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(n.text_content().split()) for n in doc.cssselect(css)]


def feed_links(page: Fetched) -> list[str]:
    return [i.findtext("link") or "" for i in ET.fromstring(page.body).iter("item")]


def locs(page: Fetched) -> list[str]:
    return [e.text or "" for e in ET.fromstring(page.body).iter(f"{SM}loc")]


def json_lds(doc: lxml_html.HtmlElement) -> list[dict]:
    return [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(anchor=ANCHOR) as mirror:
        yield mirror


@pytest.fixture(scope="module")
def catalog(server: MirrorServer) -> Catalog:
    return server.catalog


# ---- catalog -------------------------------------------------------------------------------


def test_catalog_counts_and_expectations(catalog: Catalog) -> None:
    counts = Counter((p.outlet, p.expect) for p in catalog.pages if p.outlet in NEW)
    assert counts == {
        ("sputnik_ar", "stored"): 20,
        ("sputnik_ar", "not_article"): 1,
        ("sputnik_en", "stored"): 15,
        ("politico", "stored"): 21,
        ("politico", "bot_challenge"): 1,
        ("politico", "not_article"): 4,
        ("politico", "paywall"): 2,
        ("enab_ar", "stored"): 10,
        ("enab_ar", "not_article"): 1,
        ("enab_en", "stored"): 10,
        ("npa_ar", "stored"): 10,
        ("npa_en", "stored"): 10,
    }
    window_start = datetime.combine(FIRST, time(), UTC)
    window_end = datetime.combine(ANCHOR + timedelta(days=1), time(), UTC)
    for p in (p for p in catalog.pages if p.outlet in NEW):
        assert p.published_at.utcoffset() == timedelta(0)
        assert p.modified_at is None or p.modified_at > p.published_at
        zone = ZONES.get(p.outlet) or (ET_ZONE if ".com" in p.url else ZoneInfo("Europe/Brussels"))
        local_day = p.published_at.astimezone(zone).date()
        assert FIRST <= local_day <= ANCHOR, p.url  # published on one of the 7 local days
        if p.expect != "stored":
            assert window_start <= p.published_at < window_end, p.url  # traps inside the window
    assert len({p.title for p in catalog.pages if p.outlet in NEW}) == len(
        [p for p in catalog.pages if p.outlet in NEW]
    )


def test_stored_between_and_midnight_crossings(catalog: Catalog) -> None:
    expected = {
        "sputnik_ar": 19,
        "sputnik_en": 14,
        "politico": 19,
        "enab_ar": 10,
        "enab_en": 9,
        "npa_ar": 10,
        "npa_en": 9,
    }
    for outlet, n in expected.items():
        assert len(catalog.stored_between(outlet, FIRST, ANCHOR)) == n, outlet
        per_day = [
            catalog.stored_between(outlet, FIRST + timedelta(days=i), FIRST + timedelta(days=i))
            for i in range(7)
        ]
        assert sum(map(len, per_day)) == n
    # Sputnik Arabic: two articles whose Moscow (URL, sitemap) day is the day after their UTC day
    crossing = [
        p
        for p in catalog.stored_between("sputnik_ar", FIRST, ANCHOR)
        if p.published_at.astimezone(MSK).date() != p.published_at.date()
    ]
    assert len(crossing) == 2
    for p in crossing:
        assert f"/{p.published_at.astimezone(MSK):%Y%m%d}/" in p.url


def test_registry_validates_and_owns_every_catalog_url(catalog: Catalog) -> None:
    registry = load_registry([MIRROR_OUTLETS])
    assert set(NEW) <= set(registry)
    schedules = [o.schedule for o in registry.values()]
    assert len(set(schedules)) == len(schedules)  # every outlet crawls at its own minute
    for outlet in NEW:
        o = registry[outlet]
        assert o.selectors.body and o.selectors.title and o.deny_patterns and o.tags
        assert o.backfill_routes()[0] in ("ranged_sitemap", "monthly_sitemap", "archive")
        for page in catalog.for_outlet(outlet):
            for url in page.urls:
                canon = canonical_url(url, o.keep_query)
                if page.expect == "paywall":
                    assert o.is_paywalled(canon)
                else:
                    assert o.is_article(canon) == (page.expect != "not_article"), url
    assert registry["sputnik_ar"].backfill_routes()[0] == "ranged_sitemap"
    assert registry["politico"].backfill_routes()[0] == "monthly_sitemap"
    assert registry["enab_en"].is_article(
        "https://english.enabbaladi.net/archives/2026/11/some-story/"
    )
    assert not registry["enab_en"].is_article("https://english.enabbaladi.net/archives/2026/11/20/")


# ---- Sputnik -------------------------------------------------------------------------------


def test_sputnik_robots_and_sitemap_index(server: MirrorServer) -> None:
    robots = fetch(server, "https://sarabic.ae/robots.txt").text
    assert "Sitemap: https://sarabic.ae/sitemap_article_index.xml" in robots
    index = fetch(server, "https://sarabic.ae/sitemap_article_index.xml")
    assert "&amp;date_end=" in index.text  # the & is escaped inside the XML
    children = locs(index)
    assert children[0] == (
        "https://sarabic.ae/sitemap_article.xml?date_start=20261101&date_end=20261130"
    )
    assert children[-1].endswith("date_start=20141101&date_end=20141130")
    starts = [parse_qs(urlsplit(u).query)["date_start"][0] for u in children]
    assert starts == sorted(starts, reverse=True)  # newest first
    en = locs(fetch(server, "https://sputnikglobe.com/sitemap_article_index.xml"))
    assert len(en) == 267  # 2004-09 .. 2026-11


def test_sputnik_ranged_sitemap_serves_any_range(server: MirrorServer, catalog: Catalog) -> None:
    pages = catalog.for_outlet("sputnik_ar", "stored")
    for i in range(7):
        day = FIRST + timedelta(days=i)
        got = fetch(
            server,
            f"https://sarabic.ae/sitemap_article.xml?date_start={day:%Y%m%d}&date_end={day:%Y%m%d}",
        )
        assert got.status == 200
        want = {p.url for p in pages if p.published_at.astimezone(MSK).date() == day}
        assert set(locs(got)) == want
        assert all(f"/{day:%Y%m%d}/" in u for u in want)
    week = fetch(
        server,
        f"https://sarabic.ae/sitemap_article.xml?date_start={FIRST:%Y%m%d}"
        f"&date_end={ANCHOR:%Y%m%d}",
    )
    assert set(locs(week)) == {p.url for p in pages}
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in week.text
    assert fetch(server, "https://sarabic.ae/sitemap_article.xml?date_start=2026").status == 400
    old = fetch(
        server, "https://sarabic.ae/sitemap_article.xml?date_start=20141101&date_end=20141130"
    )
    assert old.status == 200 and locs(old) == []


def test_sputnik_feeds(server: MirrorServer, catalog: Catalog) -> None:
    ar = fetch(server, "https://sarabic.ae/export/rss2/archive/index.xml")
    assert ar.status == 200 and "rss" in ar.headers["content-type"]
    links = feed_links(ar)
    assert len(links) == 20
    old = [u for u in links if u.startswith("https://arabic.sputniknews.com/")]
    assert len(old) == 1
    twin = old[0].replace("https://arabic.sputniknews.com/", "https://sarabic.ae/")
    assert twin in links  # the same article under both domains
    assert "https://sarabic.ae/radio_madar_allail_wa_alnahar/" in links
    assert all(u == upper(u) for u in links)
    dates = [i.findtext("pubDate") or "" for i in ET.fromstring(ar.body).iter("item")]
    assert all(d.endswith(" +0300") for d in dates)  # Moscow time, RFC 822
    stamps = [parsedate_to_datetime(d) for d in dates]
    assert stamps == sorted(stamps, reverse=True)
    same = fetch(server, "https://sputnikarabic.ae/export/rss2/archive/index.xml")
    assert same.body == ar.body
    moved = fetch(server, old[0])
    assert moved.status == 301 and moved.headers["location"] == twin
    en_links = feed_links(fetch(server, "https://sputnikglobe.com/export/rss2/archive/index.xml"))
    assert len(en_links) == 15
    assert all("?utm_source=rss&utm_medium=rss" in u for u in en_links)
    assert {canonical_url(u) for u in en_links} <= {p.url for p in catalog.for_outlet("sputnik_en")}


def test_sputnik_article_markup(server: MirrorServer, catalog: Catalog) -> None:
    current = [
        p
        for p in catalog.for_outlet("sputnik_ar", "stored")
        if catalog.extra(p)["layout"] == "current"
    ]
    assert len(current) == 16
    quotes = 0
    for page in current + catalog.for_outlet("sputnik_en", "stored")[:4]:
        got = fetch(server, page.url)
        if got.status == 429:
            got = fetch(server, page.url)
        assert got.status == 200, page.url
        doc = got.doc()
        blocks = texts(
            doc,
            ".article__announce-text, .article__body .article__block"
            "[data-type=text] .article__text, .article__body .article__block"
            "[data-type=quote] .article__quote-text",
        )
        assert blocks == list(page.paragraphs)
        quotes += bool(doc.cssselect(".article__block[data-type=quote]"))
        assert doc.cssselect("h1.article__title")[0].text_content() == page.title
        compact = doc.xpath("//meta[@property='article:published_time']/@content")[0]
        assert re.fullmatch(r"\d{8}T\d{4}\+0300", compact)
        assert datetime.strptime(compact, "%Y%m%dT%H%M%z") == page.published_at
        unix = doc.cssselect(".article")[0].get("data-unixtime")
        assert datetime.fromtimestamp(int(unix), UTC) == page.published_at
        ld = json_lds(doc)[0]
        assert datetime.fromisoformat(ld["datePublished"]) == page.published_at
        assert "author" not in ld
        og = doc.xpath("//meta[@property='og:title']/@content")[0]
        local = page.published_at.astimezone(MSK)
        suffix = "Sputnik عربي" if page.language == "ar" else "Sputnik International"
        assert og == f"{page.title} - {local:%d.%m.%Y}, {suffix}"
        if page.language == "ar":
            assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"
            text = got.text
            assert all(f">{h:02d}:00<" in text for h in range(24))
            assert "مدار الليل والنهار" in text and "بث مباشر" in text and "تابعنا عبر" in text
            if doc.cssselect(".article__block[data-type=media]"):
                assert "- سبوتنيك عربي, 1920" in text
    assert quotes >= 3


def test_sputnik_old_layout_has_zero_width_spaces(server: MirrorServer, catalog: Catalog) -> None:
    old = [
        p for p in catalog.for_outlet("sputnik_ar", "stored") if catalog.extra(p)["layout"] == "old"
    ]
    assert len(old) == 4
    for page in old:
        got = fetch(server, page.url)
        doc = got.doc()
        assert "\u200b" in got.text
        assert not doc.xpath("//meta[@property='article:published_time']")
        assert not doc.xpath("//script[@type='application/ld+json']")
        stamp = doc.xpath("//time[@itemprop='datePublished']/@datetime")[0]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", stamp)  # Moscow time, no offset
        assert datetime.fromisoformat(stamp).replace(tzinfo=MSK) == page.published_at
        body = doc.cssselect("div.b-article__text[itemprop=articleBody]")[0]
        raw = [p.text_content() for p in body.findall("p")]
        assert any("\u200b" in r for r in raw)
        # the truth is the text without them; they sit next to spaces, never inside a word
        assert [" ".join(r.replace("\u200b", " ").split()) for r in raw] == list(page.paragraphs)
        assert not any("\u200b" in para for para in page.paragraphs)


def test_sputnik_percent_encoding_spellings(server: MirrorServer, catalog: Catalog) -> None:
    page = catalog.for_outlet("sputnik_ar", "stored")[5]
    assert page.url == upper(page.url) and lower(page.url) in page.alt_urls
    a, b = fetch(server, page.url), fetch(server, lower(page.url))
    assert a.status == b.status == 200 and a.body == b.body
    assert f'href="{page.url}"' in a.text  # canonical in upper case
    related = a.doc().cssselect(".article__article-link")
    assert related and related[0].get("href") == lower(related[0].get("href"))


def test_sputnik_en_answers_429_once() -> None:
    with MirrorServer(anchor=ANCHOR) as fresh:
        pages = [
            p
            for p in fresh.catalog.for_outlet("sputnik_en", "stored")
            if fresh.catalog.extra(p)["throttle_first"]
        ]
        assert len(pages) == 1
        page = pages[0]
        assert FIRST < page.published_at.date() < ANCHOR
        first = fetch(fresh, page.url)
        assert first.status == 429 and first.headers["retry-after"] == "1"
        assert fetch(fresh, page.url).status == 200
        assert fetch(fresh, page.url).status == 200


# ---- Politico ------------------------------------------------------------------------------


def test_politico_robots_blocks_named_bots_only(server: MirrorServer, catalog: Catalog) -> None:
    rp = Protego.parse(fetch(server, "https://www.politico.com/robots.txt").text)
    url = catalog.for_outlet("politico", "stored")[0].url
    assert not rp.can_fetch(url, "Scrapy/2.13.3 (+https://scrapy.org)")
    assert not rp.can_fetch(url, "Mozilla/5.0 (compatible; GPTBot/1.2)")
    assert not rp.can_fetch(url, "CCBot/2.0 (https://commoncrawl.org/faq/)")
    assert rp.can_fetch(url, NEWSLOOM_UA)
    assert rp.can_fetch("https://www.politico.com/rss/politicopicks.xml", NEWSLOOM_UA)
    assert not rp.can_fetch("https://www.politico.com/_preview/news/x", NEWSLOOM_UA)
    assert "https://www.politico.com/sitemap.xml" in rp.sitemaps


def test_politico_feeds_hold_the_traps(server: MirrorServer, catalog: Catalog) -> None:
    picks = feed_links(fetch(server, "https://www.politico.com/rss/politicopicks.xml"))
    politics = feed_links(fetch(server, "https://www.politico.com/rss/politics08.xml"))
    paywalled = {p.url for p in catalog.for_outlet("politico", "paywall")}
    assert paywalled and paywalled <= set(picks)
    assert all(u.startswith("https://subscriber.politicopro.com/article/") for u in paywalled)
    assert any("/podcasts/" in u for u in picks)
    assert any("/_preview/" in u for u in politics)
    eu = feed_links(fetch(server, "https://www.politico.eu/feed/"))
    assert {
        p.url
        for p in catalog.for_outlet("politico", "stored")
        if p.url.startswith("https://www.politico.eu/")
    } == set(eu)
    pro = fetch(server, sorted(paywalled)[0])
    assert pro.status == 200 and "POLITICO Pro subscribers" in pro.text


def test_politico_sitemaps(server: MirrorServer, catalog: Catalog) -> None:
    index = locs(fetch(server, "https://www.politico.com/sitemap.xml"))
    assert index[0] == "https://www.politico.com/sitemap-202611.xml"
    assert index[-1] == "https://www.politico.com/sitemap-200701.xml"
    assert len(index) == (2026 - 2007) * 12 + 11
    month = set(locs(fetch(server, "https://www.politico.com/sitemap-202611.xml")))
    com = [
        p for p in catalog.for_outlet("politico") if p.url.startswith("https://www.politico.com")
    ]
    assert {p.url for p in com if p.expect in ("stored", "bot_challenge")} <= month
    assert any("/video/" in u for u in month) and any("/gallery/" in u for u in month)
    assert not any("/_preview/" in u or "/podcasts/" in u for u in month)
    assert locs(fetch(server, "https://www.politico.com/sitemap-202610.xml")) == []
    assert fetch(server, "https://www.politico.com/sitemap-202612.xml").status == 404
    assert fetch(server, "https://www.politico.com/sitemap-200612.xml").status == 404

    news = fetch(server, "https://www.politico.com/news-sitemap.xml")
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in news.text
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in news.text
    root = ET.fromstring(news.body)
    dates = [datetime.fromisoformat(e.text or "") for e in root.iter(f"{NEWS}publication_date")]
    assert dates and all(d.utcoffset() == timedelta(hours=-5) for d in dates)
    days = {d.date() for d in dates}
    assert days == {ANCHOR - timedelta(days=1), ANCHOR}  # New York days: the newest two
    assert any("/video/" in u for u in locs(news))
    eu_news = fetch(server, "https://www.politico.eu/news-sitemap.xml")
    assert locs(eu_news) and all(
        u.startswith("https://www.politico.eu/article/") for u in locs(eu_news)
    )


def _politico_body(doc: lxml_html.HtmlElement, drop: bool) -> list[str]:
    if drop:
        for css in ("figcaption", ".story-meta", ".ad", ".story-interrupt", "aside"):
            for node in doc.cssselect(css):
                node.drop_tree()
    return texts(doc, "main#main p[class*=font-text], main#main p.story-text__paragraph")


def test_politico_article_markup(server: MirrorServer, catalog: Catalog) -> None:
    templates = Counter()
    for page in catalog.for_outlet("politico", "stored"):
        if not page.url.startswith("https://www.politico.com/") or "/live-updates/" in page.url:
            continue
        got = fetch(server, page.url)
        assert got.status == 200
        doc = got.doc()
        ld = json_lds(doc)[0]
        assert ld["@type"] == "NewsArticle" and ld["headline"] == page.title
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0500", ld["datePublished"])
        assert datetime.strptime(
            ld["datePublished"], "%Y-%m-%dT%H:%M:%S%z"
        ) == page.published_at.replace(microsecond=0)
        assert [a["name"] for a in ld["author"]] == list(page.authors)
        assert not doc.xpath("//meta[@property='article:published_time']")
        assert _politico_body(doc, drop=True) == list(page.paragraphs)
        # without the registry's drop list the promo, captions and related links leak in
        leaky = _politico_body(got.doc(), drop=False)
        assert len(leaky) > len(page.paragraphs)
        templates[catalog.extra(page)["template"]] += 1
        local = page.published_at.astimezone(ET_ZONE)
        assert f"/{local:%Y/%m/%d}/" in page.url
    assert templates == {"current": 13, "older": 2}  # 11 news stories + 2 newsletters
    newsletters = [p for p in catalog.for_outlet("politico") if "/newsletters/" in p.url]
    assert len(newsletters) == 2


def test_politico_live_updates_text_only_in_json_ld(server: MirrorServer, catalog: Catalog) -> None:
    live = [p for p in catalog.for_outlet("politico") if "/live-updates/" in p.url]
    assert len(live) == 1
    page = live[0]
    doc = fetch(server, page.url).doc()
    ld = json_lds(doc)[0]
    assert ld["@type"] == "LiveBlogPosting"
    assert ld["articleBody"].split("\n\n") == list(page.paragraphs)
    assert len(ld["articleBody"]) > 500
    assert _politico_body(doc, drop=True) == []
    visible = doc.cssselect("main#main")[0].text_content()
    assert page.paragraphs[0] not in visible


def test_politico_challenge_and_redirects(server: MirrorServer, catalog: Catalog) -> None:
    page = catalog.for_outlet("politico", "bot_challenge")[0]
    got = fetch(server, page.url)
    assert got.status == 403 and "<title>Just a moment...</title>" in got.text
    assert got.headers.get("cf-mitigated") == "challenge" and page.title not in got.text
    assert (
        fetch(server, "https://politico.com/rss/politics08.xml").headers["location"]
        == "https://www.politico.com/rss/politics08.xml"
    )


def test_politico_eu_markup(server: MirrorServer, catalog: Catalog) -> None:
    eu = [
        p
        for p in catalog.for_outlet("politico", "stored")
        if p.url.startswith("https://www.politico.eu/")
    ]
    assert len(eu) == 5
    for page in eu:
        doc = fetch(server, page.url).doc()
        assert texts(doc, ".article__content > p") == list(page.paragraphs)
        assert doc.cssselect("h1.article-meta__title")[0].text_content() == page.title
        stamp = doc.xpath("//meta[@property='article:published_time']/@content")[0]
        assert stamp.endswith("+00:00") and datetime.fromisoformat(
            stamp
        ) == page.published_at.replace(microsecond=0)


# ---- Enab Baladi and North Press -----------------------------------------------------------


def _walk(server: MirrorServer, first: str) -> tuple[set[str], int, int]:
    """Links on every page of a paginated listing; (links, pages, status past the end)."""
    seen: set[str] = set()
    n = 1
    while (got := fetch(server, first if n == 1 else f"{first}page/{n}/")).status == 200:
        seen |= {upper(h) for h in got.doc().xpath("//a/@href")}
        n += 1
    return seen, n - 1, got.status


def test_enab_routes(server: MirrorServer, catalog: Catalog) -> None:
    moved = fetch(server, "https://www.enabbaladi.net/feed")
    assert moved.status == 301 and moved.headers["location"] == "https://www.enabbaladi.net/feed/"
    feed = feed_links(fetch(server, "https://www.enabbaladi.net/feed/"))
    assert "https://www.enabbaladi.net/archives/category/economy/" in feed  # not an article
    economy = feed_links(
        fetch(server, "https://www.enabbaladi.net/archives/category/economy/feed/")
    )
    assert economy and all(
        re.fullmatch(r"https://www\.enabbaladi\.net/archives/\d+", u) for u in economy
    )
    listed, pages, past = _walk(server, "https://www.enabbaladi.net/archives/date/2026/11/")
    assert pages == 3 and past == 404
    assert {p.url for p in catalog.for_outlet("enab_ar", "stored")} <= listed
    online = fetch(server, "https://www.enabbaladi.net/archives/category/online/page/2")
    assert online.status == 301 and online.headers["location"].endswith("/online/page/2/")
    assert fetch(server, online.headers["location"]).status == 200
    page = catalog.for_outlet("enab_ar", "stored")[0]
    assert fetch(server, page.url + "/").headers["location"] == page.url
    en_listed, en_pages, _ = _walk(server, "https://english.enabbaladi.net/archives/2026/11/")
    assert en_pages == 3
    assert {p.url for p in catalog.for_outlet("enab_en", "stored")} <= en_listed
    for p in catalog.for_outlet("enab_en", "stored"):
        assert f"/archives/{p.published_at.astimezone(DAMASCUS):%Y/%m}/" in p.url


def test_enab_and_npa_article_markup(server: MirrorServer, catalog: Catalog) -> None:
    jnews = (".content-inner", "h1.jeg_post_title", ".jnews_inline_related_post_wrapper")
    enab = (".post-content", "h1.post-title", ".related-inline")
    for outlet, (body, title, drop) in (
        ("enab_ar", enab),
        ("enab_en", enab),
        ("npa_ar", jnews),
        ("npa_en", jnews),
    ):
        for page in catalog.for_outlet(outlet, "stored"):
            got = fetch(server, page.url)
            assert got.status == 200
            doc = got.doc()
            assert doc.cssselect(title)[0].text_content() == page.title
            assert doc.cssselect(drop), page.url  # the inline related box is there ...
            for node in doc.cssselect(drop):
                node.drop_tree()
            assert texts(doc, f"{body} > p") == list(page.paragraphs)  # ... and not the text
            stamp = doc.xpath("//meta[@property='article:published_time']/@content")[0]
            assert datetime.fromisoformat(stamp) == page.published_at.replace(microsecond=0)
            if page.language == "ar":
                assert doc.get("dir") == "rtl"


def test_npa_routes(server: MirrorServer, catalog: Catalog) -> None:
    for outlet, base in (
        ("npa_ar", "https://npasyria.com/"),
        ("npa_en", "https://npasyria.com/en/"),
    ):
        pages = catalog.for_outlet(outlet, "stored")
        feed = feed_links(fetch(server, f"{base}feed/"))
        assert len(feed) == 10 and set(feed) == {p.url for p in pages}
        listed, n, past = _walk(server, f"{base}date/2026/11/")
        assert n == 2 and past == 404 and {p.url for p in pages} <= listed
        for p in pages:
            assert re.fullmatch(re.escape(base) + r"\d{6}/", p.url)
    assert (
        fetch(server, "https://www.npasyria.com/en/feed/").headers["location"]
        == "https://npasyria.com/en/feed/"
    )
    ar = catalog.for_outlet("npa_ar", "stored")[0]
    text = fetch(server, ar.url).text
    assert re.search("[٠-٩]{4}", text)  # the Arabic edition prints Arabic-Indic dates
    assert ar.paragraphs[0].split(" – ")[1].startswith("نورث برس:")
    en = catalog.for_outlet("npa_en", "stored")[0]
    assert re.match(r"[A-Z][A-Z -]+, Syria \(North Press\) – ", en.paragraphs[0])


def test_every_new_page_is_discoverable(server: MirrorServer, catalog: Catalog) -> None:
    """Each stored page is in a feed, a sitemap or an archive of its outlet."""
    seen: set[str] = set()
    for feed in (
        "https://sarabic.ae/export/rss2/archive/index.xml",
        "https://sputnikglobe.com/export/rss2/archive/index.xml",
        "https://www.politico.com/rss/politicopicks.xml",
        "https://www.politico.com/rss/politics08.xml",
        "https://www.politico.eu/feed/",
        "https://www.enabbaladi.net/feed/",
        "https://english.enabbaladi.net/feed/",
    ):
        seen |= {upper(canonical_url(u)) for u in feed_links(fetch(server, feed))}
    for sitemap in (
        f"https://sarabic.ae/sitemap_article.xml?date_start={FIRST:%Y%m%d}"
        f"&date_end={ANCHOR:%Y%m%d}",
        f"https://sputnikglobe.com/sitemap_article.xml?date_start={FIRST:%Y%m%d}"
        f"&date_end={ANCHOR:%Y%m%d}",
        "https://www.politico.com/sitemap-202611.xml",
        "https://www.politico.eu/news-sitemap.xml",
    ):
        seen |= {upper(u) for u in locs(fetch(server, sitemap))}
    for archive in (
        "https://www.enabbaladi.net/archives/date/2026/11/",
        "https://english.enabbaladi.net/archives/2026/11/",
        "https://npasyria.com/date/2026/11/",
        "https://npasyria.com/en/date/2026/11/",
    ):
        seen |= _walk(server, archive)[0]
    for page in catalog.pages:
        if page.outlet in NEW:
            assert any(upper(canonical_url(u)) in seen for u in page.urls), page.url


def test_pages_are_deterministic(catalog: Catalog) -> None:
    """Same anchor and seed, same bytes: the golden files depend on it."""
    with MirrorServer(anchor=ANCHOR) as a, MirrorServer(anchor=ANCHOR) as b:
        for outlet in NEW:
            page: MirrorPage = catalog.for_outlet(outlet, "stored")[2]
            assert fetch(a, page.url).body == fetch(b, page.url).body
