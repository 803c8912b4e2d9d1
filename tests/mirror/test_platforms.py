"""The two non-WordPress platforms: Sputnik (RIA) and politico.com (Brightspot): feeds,
sitemap indexes with ``&amp;``, ranged and monthly sitemaps, the Google News sitemap, article
markup with compact and colon-less dates, and their traps."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

from protego import Protego

from devkit.mirror.catalog import Catalog
from devkit.mirror.server import MirrorServer
from processing.core.urls import canonical_url
from tests.mirror.conftest import (
    ANCHOR,
    FIRST,
    feed_links,
    fetch,
    json_lds,
    locs,
    lower,
    texts,
    upper,
)

MSK = timezone(timedelta(hours=3))
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
LEAD, BLOCK = ".article__announce-text", ".article__body .article__block"
QUOTE = f"{BLOCK}[data-type=quote] .article__quote-text"
NEWSLOOM_UA = "newsloom/0.1 (+https://github.com/newsloom/newsloom; news research crawler)"


# ---- Sputnik -------------------------------------------------------------------------------------


def test_sputnik_sitemap_index_and_ranges(server: MirrorServer, catalog: Catalog) -> None:
    assert (
        "Sitemap: https://sarabic.ae/sitemap_article_index.xml"
        in fetch(server, "https://sarabic.ae/robots.txt").text
    )
    index = fetch(server, "https://sarabic.ae/sitemap_article_index.xml")
    assert "&amp;date_end=" in index.text  # the & is escaped inside the XML
    children = locs(index)
    assert (
        children[0]
        == "https://sarabic.ae/sitemap_article.xml?date_start=20261101&date_end=20261130"
    )
    assert children[-1].endswith("date_start=20141101&date_end=20141130")
    starts = [parse_qs(urlsplit(u).query)["date_start"][0] for u in children]
    assert starts == sorted(starts, reverse=True)  # newest first
    assert (
        len(locs(fetch(server, "https://sputnikglobe.com/sitemap_article_index.xml"))) == 267
    )  # 2004-09 .. 2026-11
    pages = [p for p in catalog.for_outlet("sputnik_ar") if p.expect == "stored"]
    for i in range(7):
        day = FIRST + timedelta(days=i)
        got = fetch(
            server,
            f"https://sarabic.ae/sitemap_article.xml?date_start={day:%Y%m%d}&date_end={day:%Y%m%d}",
        )
        want = {p.url for p in pages if p.listed_on == day}
        assert set(locs(got)) == want and all(f"/{day:%Y%m%d}/" in u for u in want)
    week = fetch(
        server,
        f"https://sarabic.ae/sitemap_article.xml?date_start={FIRST:%Y%m%d}&date_end={ANCHOR:%Y%m%d}",
    )
    assert set(locs(week)) == {p.url for p in pages}
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in week.text
    assert fetch(server, "https://sarabic.ae/sitemap_article.xml?date_start=2026").status == 400
    assert (
        locs(
            fetch(
                server,
                "https://sarabic.ae/sitemap_article.xml?date_start=20141101&date_end=20141130",
            )
        )
        == []
    )


def test_sputnik_feeds(server: MirrorServer, catalog: Catalog) -> None:
    ar = fetch(server, "https://sarabic.ae/export/rss2/archive/index.xml")
    links = feed_links(ar)
    assert len(links) == 20 and all(u == upper(u) for u in links)
    (old,) = [u for u in links if u.startswith("https://arabic.sputniknews.com/")]
    twin = old.replace("https://arabic.sputniknews.com/", "https://sarabic.ae/")
    assert twin in links  # the same article under both domains ...
    moved = fetch(server, old)
    assert moved.status == 301 and moved.headers["location"] == twin  # ... and a 301 between them
    assert "https://sarabic.ae/radio_madar_allail_wa_alnahar/" in links
    dates = [i.findtext("pubDate") or "" for i in ET.fromstring(ar.body).iter("item")]
    assert all(d.endswith(" +0300") for d in dates)  # Moscow time, RFC 822
    stamps = [parsedate_to_datetime(d) for d in dates]
    assert stamps == sorted(stamps, reverse=True)
    assert fetch(server, "https://sputnikarabic.ae/export/rss2/archive/index.xml").body == ar.body
    en = feed_links(fetch(server, "https://sputnikglobe.com/export/rss2/archive/index.xml"))
    assert len(en) == 15 and all("?utm_source=rss&utm_medium=rss" in u for u in en)
    assert {canonical_url(u) for u in en} <= {p.url for p in catalog.for_outlet("sputnik_en")}


def test_sputnik_article_markup(server: MirrorServer, catalog: Catalog) -> None:
    quotes = 0
    for page in catalog.for_outlet("sputnik_ar", "stored") + catalog.for_outlet(
        "sputnik_en", "stored"
    ):
        if catalog.extra(page)["layout"] != "current" or catalog.extra(page)["throttle_first"]:
            continue
        doc = fetch(server, page.url).doc()
        blocks = texts(doc, f"{LEAD}, {BLOCK}[data-type=text] .article__text, {QUOTE}")
        assert blocks == list(page.paragraphs)
        quotes += bool(doc.cssselect(".article__block[data-type=quote]"))
        assert texts(doc, "h1.article__title") == [page.title]
        compact = doc.xpath("//meta[@property='article:published_time']/@content")[0]
        assert re.fullmatch(r"\d{8}T\d{4}\+0300", compact)  # the compact form
        assert datetime.strptime(compact, "%Y%m%dT%H%M%z") == page.published_at
        assert (
            datetime.fromtimestamp(int(doc.cssselect(".article")[0].get("data-unixtime")), UTC)
            == page.published_at
        )
        assert datetime.fromisoformat(json_lds(doc)[0]["datePublished"]) == page.published_at
        assert "author" not in json_lds(doc)[0]
        local = page.published_at.astimezone(MSK)
        suffix = "Sputnik عربي" if page.language == "ar" else "Sputnik International"
        assert (
            doc.xpath("//meta[@property='og:title']/@content")[0]
            == f"{page.title} - {local:%d.%m.%Y}, {suffix}"
        )
        if page.language == "ar":
            text = fetch(server, page.url).text
            assert doc.get("dir") == "rtl" and all(f">{h:02d}:00<" in text for h in range(24))
            assert "مدار الليل والنهار" in text and "بث مباشر" in text and "تابعنا عبر" in text
            assert "- سبوتنيك عربي, 1920" in text
    assert quotes >= 3


def test_sputnik_old_layout(server: MirrorServer, catalog: Catalog) -> None:
    old = [
        p for p in catalog.for_outlet("sputnik_ar", "stored") if catalog.extra(p)["layout"] == "old"
    ]
    assert len(old) >= 3
    for page in old:
        got = fetch(server, page.url)
        doc = got.doc()
        assert "\u200b" in got.text
        assert not doc.xpath("//meta[@property='article:published_time']") and not json_lds(doc)
        stamp = doc.xpath("//time[@itemprop='datePublished']/@datetime")[0]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", stamp)  # Moscow time, no offset
        assert datetime.fromisoformat(stamp).replace(tzinfo=MSK) == page.published_at
        raw = [
            p.text_content()
            for p in doc.cssselect("div.b-article__text[itemprop=articleBody]")[0].findall("p")
        ]
        assert any("\u200b" in r for r in raw)
        # the truth is the text without them; they sit next to spaces, never inside a word
        assert [" ".join(r.replace("\u200b", " ").split()) for r in raw] == list(page.paragraphs)


def test_sputnik_percent_encoding_spellings(server: MirrorServer, catalog: Catalog) -> None:
    page = catalog.for_outlet("sputnik_ar", "stored")[5]
    assert page.url == upper(page.url) and lower(page.url) in page.alt_urls
    a, b = fetch(server, page.url), fetch(server, lower(page.url))
    assert a.status == b.status == 200 and a.body == b.body
    assert f'href="{page.url}"' in a.text  # canonical in upper case
    related = a.doc().cssselect(".article__article-link, .b-inject a")
    assert related and related[0].get("href") == lower(related[0].get("href"))


def test_sputnik_en_answers_429_once() -> None:
    with MirrorServer(anchor=ANCHOR) as fresh:
        (page,) = [
            p
            for p in fresh.catalog.for_outlet("sputnik_en", "stored")
            if fresh.catalog.extra(p)["throttle_first"]
        ]
        assert page.listed_on == ANCHOR - timedelta(days=3)
        first = fetch(fresh, page.url)
        assert first.status == 429 and first.headers["retry-after"] == "1"
        assert fetch(fresh, page.url).status == fetch(fresh, page.url).status == 200


# ---- Politico ------------------------------------------------------------------------------------


def test_politico_robots_blocks_named_bots_only(server: MirrorServer, catalog: Catalog) -> None:
    rp = Protego.parse(fetch(server, "https://www.politico.com/robots.txt").text)
    url = catalog.for_outlet("politico", "stored")[0].url
    for bot in (
        "Scrapy/2.13.3 (+https://scrapy.org)",
        "Mozilla/5.0 (compatible; GPTBot/1.2)",
        "CCBot/2.0",
    ):
        assert not rp.can_fetch(url, bot)
    assert rp.can_fetch(url, NEWSLOOM_UA) and rp.can_fetch(
        "https://www.politico.com/rss/politicopicks.xml", NEWSLOOM_UA
    )
    assert not rp.can_fetch("https://www.politico.com/_preview/news/x", NEWSLOOM_UA)
    assert "https://www.politico.com/sitemap.xml" in rp.sitemaps


def test_politico_feeds_hold_the_traps(server: MirrorServer, catalog: Catalog) -> None:
    picks = feed_links(fetch(server, "https://www.politico.com/rss/politicopicks.xml"))
    paywalled = {p.url for p in catalog.for_outlet("politico", "paywall")}
    assert len(paywalled) == 2 and paywalled <= set(picks)
    assert all(u.startswith("https://subscriber.politicopro.com/article/") for u in paywalled)
    assert any("/podcasts/" in u for u in picks)
    assert any(
        "/_preview/" in u
        for u in feed_links(fetch(server, "https://www.politico.com/rss/politics08.xml"))
    )
    pro = fetch(server, sorted(paywalled)[0])
    assert pro.status == 200 and "POLITICO Pro subscribers" in pro.text


def test_politico_sitemaps(server: MirrorServer, catalog: Catalog) -> None:
    index = locs(fetch(server, "https://www.politico.com/sitemap.xml"))
    assert index[0] == "https://www.politico.com/sitemap-202611.xml" and index[-1].endswith(
        "/sitemap-200701.xml"
    )
    assert len(index) == (2026 - 2007) * 12 + 11
    month = set(locs(fetch(server, index[0])))
    com = [
        p for p in catalog.for_outlet("politico") if p.url.startswith("https://www.politico.com")
    ]
    assert {
        p.url
        for p in com
        if p.expect in ("stored", "bot_challenge") and f"{p.listed_on:%Y%m}" == "202611"
    } <= month
    assert any("/video/" in u for u in month) and any("/gallery/" in u for u in month)
    assert not any("/_preview/" in u or "/podcasts/" in u for u in month)
    assert locs(fetch(server, "https://www.politico.com/sitemap-202610.xml")) == []
    assert fetch(server, "https://www.politico.com/sitemap-202612.xml").status == 404
    assert fetch(server, "https://www.politico.com/sitemap-200612.xml").status == 404

    news = fetch(server, "https://www.politico.com/news-sitemap.xml")
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in news.text
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in news.text
    root = ET.fromstring(news.body)
    assert all(e.findtext(f"{NEWS}name") == "POLITICO" for e in root.iter(f"{NEWS}publication"))
    dates = [datetime.fromisoformat(e.text or "") for e in root.iter(f"{NEWS}publication_date")]
    assert dates and all(d.utcoffset() == timedelta(hours=-5) for d in dates)
    assert {d.date() for d in dates} == {
        ANCHOR - timedelta(days=1),
        ANCHOR,
    }  # New York's newest two days
    assert any("/video/" in u for u in locs(news))
    eu = locs(fetch(server, "https://www.politico.eu/news-sitemap.xml"))
    assert eu and all(u.startswith("https://www.politico.eu/article/") for u in eu)


def _body(doc: object, drop: bool) -> list[str]:
    if drop:
        for css in ("figcaption", ".story-meta", ".ad", ".story-interrupt", "aside"):
            for node in doc.cssselect(css):  # type: ignore[attr-defined]
                node.drop_tree()
    return texts(doc, "main#main p[class*=font-text], main#main p.story-text__paragraph")  # type: ignore[arg-type]


def test_politico_article_markup(server: MirrorServer, catalog: Catalog) -> None:
    templates: Counter[str] = Counter()
    for page in catalog.for_outlet("politico", "stored"):
        if not page.url.startswith("https://www.politico.com/") or "/live-updates/" in page.url:
            continue
        got = fetch(server, page.url)
        doc = got.doc()
        ld = json_lds(doc)[0]
        assert ld["@type"] == "NewsArticle" and ld["headline"] == page.title
        assert re.fullmatch(
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0500", ld["datePublished"]
        )  # no colon
        assert datetime.strptime(
            ld["datePublished"], "%Y-%m-%dT%H:%M:%S%z"
        ) == page.published_at.replace(microsecond=0)
        assert [a["name"] for a in ld["author"]] == list(page.authors)
        assert not doc.xpath("//meta[@property='article:published_time']")
        assert _body(doc, drop=True) == list(page.paragraphs)
        assert len(_body(got.doc(), drop=False)) > len(page.paragraphs)  # the drop list matters
        templates[catalog.extra(page)["template"]] += 1
        assert f"/{page.listed_on:%Y/%m/%d}/" in page.url
    assert templates["older"] >= 1 and templates["current"] >= 10
    assert len([p for p in catalog.for_outlet("politico") if "/newsletters/" in p.url]) == 2


def test_politico_live_updates_only_in_json_ld(server: MirrorServer, catalog: Catalog) -> None:
    (page,) = [p for p in catalog.for_outlet("politico") if "/live-updates/" in p.url]
    doc = fetch(server, page.url).doc()
    ld = json_lds(doc)[0]
    assert ld["@type"] == "LiveBlogPosting" and ld["articleBody"].split("\n\n") == list(
        page.paragraphs
    )
    assert len(ld["articleBody"]) > 500
    assert (
        _body(doc, drop=True) == []
        and page.paragraphs[0] not in doc.cssselect("main#main")[0].text_content()
    )


def test_politico_challenge_and_redirects(server: MirrorServer, catalog: Catalog) -> None:
    (page,) = catalog.for_outlet("politico", "bot_challenge")
    got = fetch(server, page.url)
    assert (
        got.status == 403
        and "<title>Just a moment...</title>" in got.text
        and page.title not in got.text
    )
    assert got.headers["cf-mitigated"] == "challenge"
    moved = fetch(server, "https://politico.com/rss/politics08.xml")
    assert moved.headers["location"] == "https://www.politico.com/rss/politics08.xml"


def test_pages_are_byte_identical_across_servers(catalog: Catalog) -> None:
    """Same anchor and seed, same bytes: the golden files depend on it."""
    with MirrorServer(anchor=ANCHOR) as a, MirrorServer(anchor=ANCHOR) as b:
        for outlet in catalog.outlets:
            pages = catalog.for_outlet(outlet, "stored") or catalog.for_outlet(outlet)
            assert fetch(a, pages[2].url).body == fetch(b, pages[2].url).body
