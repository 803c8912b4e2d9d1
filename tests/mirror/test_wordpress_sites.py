"""The WordPress sites: SOHR (tagDiv), Enab Baladi, North Press (JNews), politico.eu, and the
mirror-only Levant Daily and Closed Gazette: hosts, robots.txt, feeds, archives, sitemaps,
article markup against the catalog's truth, and SOHR's traps."""

from __future__ import annotations

import re
import urllib.robotparser
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from protego import Protego

from crawlers.registry import load_registry
from devkit.mirror.catalog import Catalog, MirrorPage
from devkit.mirror.server import MirrorServer
from tests.mirror.conftest import (
    FIRST,
    MIRROR_OUTLETS,
    NS_CONTENT,
    feed_links,
    fetch,
    hrefs,
    items,
    json_lds,
    locs,
    norm,
    texts,
    upper,
    walk,
)

DAMASCUS = timezone(timedelta(hours=3))
FEEDS = {
    "sohr_ar": "https://www.syriahr.com/feed/",
    "sohr_en": "https://www.syriahr.com/en/feed/",
    "levant_daily": "https://www.levantdaily.example/feed/",
    "closed_gazette": "https://www.closedgazette.example/feed/",
    "enab_ar": "https://www.enabbaladi.net/feed/",
    "enab_en": "https://english.enabbaladi.net/feed/",
    "npa_ar": "https://npasyria.com/feed/",
    "npa_en": "https://npasyria.com/en/feed/",
}
# (title, body container, what the registry drops) per theme
MARKUP = {
    "sohr": ("h1.entry-title", ".td-post-content", ".td-post-views, .td-post-sharing"),
    "levant": ("h1.entry-title", "article.post .entry-content", ".post-navigation, .entry-footer"),
    "enab": ("h1.post-title", ".post-content", ".related-inline, .wp-caption"),
    "npa": ("h1.jeg_post_title", ".content-inner", ".jnews_inline_related_post_wrapper"),
    "politico": ("h1.article-meta__title", ".article__content", ".ad, .newsletter-promo, figure"),
}  # fmt: skip


def body(page_doc: object, theme: str) -> list[str]:
    """The paragraphs a selector-based extractor keeps: the container's ``<p>`` children after
    the registry's drop list, without the empty ``&nbsp;`` ones."""
    _, container, drop = MARKUP[theme]
    for node in page_doc.cssselect(drop):  # type: ignore[attr-defined]
        node.drop_tree()
    box = page_doc.cssselect(container)[0]  # type: ignore[attr-defined]
    return [t for t in (" ".join(p.text_content().split()) for p in box.findall("p")) if t]


def theme_of(page: MirrorPage) -> str:
    if page.outlet == "politico":
        return "politico"
    return {"sohr": "sohr", "levant": "levant", "enab": "enab", "npa": "npa"}[
        page.outlet.split("_")[0]
    ]


# ---- hosts and robots.txt ------------------------------------------------------------------------


def test_hosts_and_redirects(server: MirrorServer) -> None:
    got = fetch(server, "https://www.nosuchsite.example/feed/")
    assert got.status == 502 and got.ctype.startswith("text/plain")
    for bare, www in (
        ("https://syriahr.com/en/feed/", "https://www.syriahr.com/en/feed/"),
        ("https://www.npasyria.com/en/feed/", "https://npasyria.com/en/feed/"),
        ("https://enabbaladi.net/feed/", "https://www.enabbaladi.net/feed/"),
        ("https://politico.eu/feed/", "https://www.politico.eu/feed/"),
    ):
        moved = fetch(server, bare)
        assert moved.status == 301 and moved.headers["location"] == www
    index = fetch(server, "http://localhost/")
    assert index.status == 200 and "www.syriahr.com" in index.text


def test_robots_txt(server: MirrorServer) -> None:
    sohr = fetch(server, "https://www.syriahr.com/robots.txt").text
    assert sohr.splitlines()[:3] == [
        "User-agent: *",
        "Disallow: /wp-admin/",
        "Allow: /wp-admin/admin-ajax.php",
    ]
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(sohr.splitlines())
    assert rp.can_fetch("newsloom", FEEDS["sohr_en"]) and not rp.can_fetch(
        "newsloom", "https://www.syriahr.com/wp-admin/x"
    )
    levant = fetch(server, "https://www.levantdaily.example/robots.txt").text
    assert Protego.parse(levant).crawl_delay("newsloom") == 0.2
    assert list(Protego.parse(levant).sitemaps) == ["https://www.levantdaily.example/sitemap.xml"]
    closed = fetch(server, "https://www.closedgazette.example/robots.txt").text
    assert closed.splitlines() == ["User-agent: *", "Disallow: /"]
    assert not Protego.parse(closed).can_fetch(FEEDS["closed_gazette"], "newsloom")


# ---- feeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", sorted(FEEDS))
def test_feeds_list_the_ten_newest(server: MirrorServer, catalog: Catalog, outlet: str) -> None:
    got = fetch(server, FEEDS[outlet])
    assert got.status == 200 and "rss+xml" in got.ctype
    newest = sorted(catalog.for_outlet(outlet), key=lambda p: p.published_at, reverse=True)[:10]
    entries = items(got)
    assert [norm(i.findtext("link") or "") for i in entries] == [norm(p.url) for p in newest]
    dates = [parsedate_to_datetime(i.findtext("pubDate") or "") for i in entries]
    assert dates == [p.published_at.replace(microsecond=0) for p in newest]
    for item, page in zip(entries, newest, strict=True):
        assert item.findtext("title") == page.title
        if page.expect != "not_article":
            assert item.findtext("category") and item.findtext(NS_CONTENT)


def test_feed_link_spellings_and_redirects(server: MirrorServer) -> None:
    ar = [u for u in feed_links(fetch(server, FEEDS["sohr_ar"])) if re.search(r"/\d{6}/$", u)]
    assert ar and all(u == upper(u) and "%D8" in u for u in ar)  # the feed: upper case
    assert all("utm_source=rss" in u for u in feed_links(fetch(server, FEEDS["levant_daily"])))
    moved = fetch(server, "https://www.enabbaladi.net/feed")
    assert moved.status == 301 and moved.headers["location"] == "https://www.enabbaladi.net/feed/"
    economy = feed_links(
        fetch(server, "https://www.enabbaladi.net/archives/category/economy/feed/")
    )
    assert economy and all(
        re.fullmatch(r"https://www\.enabbaladi\.net/archives/\d+", u) for u in economy
    )
    assert "https://www.enabbaladi.net/archives/category/economy/" in feed_links(
        fetch(server, FEEDS["enab_ar"])
    )


# ---- archives ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outlet", "archive", "per_page"),
    [
        ("sohr_ar", "https://www.syriahr.com/date/2026/11/", 8),
        ("sohr_en", "https://www.syriahr.com/en/date/2026/11/", 5),
        ("enab_ar", "https://www.enabbaladi.net/archives/date/2026/11/", 5),
        ("enab_en", "https://english.enabbaladi.net/archives/2026/11/", 5),
        ("npa_ar", "https://npasyria.com/date/2026/11/", 6),
        ("npa_en", "https://npasyria.com/en/date/2026/11/", 6),
        ("levant_daily", "https://www.levantdaily.example/2026/11/", 4),
    ],
)
def test_monthly_archives(
    server: MirrorServer, catalog: Catalog, outlet: str, archive: str, per_page: int
) -> None:
    posts = [p for p in catalog.for_outlet(outlet) if p.expect != "not_article"]
    listed, pages, past = walk(server, archive)
    assert pages == -(-len(posts) // per_page) and past == 404
    assert {norm(p.url) for p in posts} <= listed
    assert fetch(server, archive + "page/1/").status == 301
    assert fetch(server, archive.replace("/11/", "/10/")).status == 404  # nothing in October


def test_sohr_archives_spell_escapes_in_lower_case(server: MirrorServer) -> None:
    first = fetch(server, "https://www.syriahr.com/date/2026/11/")
    raw = re.findall(r'href="(https://www\.syriahr\.com/%[^"]+/\d{6}/)"', first.text)
    assert raw and all(u == u.lower() for u in raw)
    assert 'rel="next"' in first.text and "td_module_wrap" in first.text


@pytest.mark.parametrize(
    ("outlet", "template"),
    [
        ("sohr_en", "https://www.syriahr.com/en/date/{:%Y/%m/%d}/"),
        ("levant_daily", "https://www.levantdaily.example/{:%Y/%m/%d}/"),
    ],
)
def test_daily_archives_file_posts_under_their_local_day(
    server: MirrorServer, catalog: Catalog, outlet: str, template: str
) -> None:
    pages_per_day = {}
    for i in range(7):
        day = FIRST + timedelta(days=i)
        listed, pages, _ = walk(server, template.format(day))
        pages_per_day[day] = pages
        want = {norm(p.url) for p in catalog.for_outlet(outlet) if p.listed_on == day}
        assert want and want <= listed, day
    if outlet == "sohr_en":
        assert max(pages_per_day.values()) == 2  # the busy day spills onto page 2


def test_levant_sitemaps_are_monthly(server: MirrorServer, catalog: Catalog) -> None:
    index = fetch(server, "https://www.levantdaily.example/sitemap.xml")
    assert index.status == 200 and "<sitemapindex" in index.text
    assert locs(index) == ["https://www.levantdaily.example/sitemap-pt-post-2026-11.xml"]
    month = fetch(server, locs(index)[0])
    urls = locs(month)
    assert set(urls) == {p.url for p in catalog.for_outlet("levant_daily")}
    lastmods = re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", month.text)
    for url, stamp in lastmods:
        page = catalog.find(url)
        assert page is not None
        assert datetime.fromisoformat(stamp) == (page.modified_at or page.published_at).replace(
            microsecond=0
        )
    assert (
        fetch(server, "https://www.levantdaily.example/sitemap-pt-post-2026-10.xml").text.count(
            "<url>"
        )
        == 0
    )


def test_yoast_sitemaps(server: MirrorServer, catalog: Catalog) -> None:
    index = locs(fetch(server, "https://www.syriahr.com/sitemap_index.xml"))
    assert "https://www.syriahr.com/post-sitemap.xml" in index
    posts = set(locs(fetch(server, "https://www.syriahr.com/post-sitemap.xml")))
    assert {p.url for p in catalog.for_outlet("sohr_ar", "stored")} <= posts
    eu = set(locs(fetch(server, "https://www.politico.eu/post-sitemap.xml")))
    assert eu == {
        p.url
        for p in catalog.for_outlet("politico")
        if p.url.startswith("https://www.politico.eu/")
    }


# ---- articles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outlet",
    ["sohr_ar", "sohr_en", "levant_daily", "enab_ar", "enab_en", "npa_ar", "npa_en", "politico"],
)
def test_article_pages_hold_exactly_the_catalog_text(
    server: MirrorServer, catalog: Catalog, outlet: str
) -> None:
    pages = [
        p for p in catalog.for_outlet(outlet, "stored") if outlet != "politico" or ".eu/" in p.url
    ]
    assert pages
    for page in pages:
        got = fetch(server, page.url)
        assert got.status == 200, page.url
        doc = got.doc()
        assert texts(doc, MARKUP[theme_of(page)][0]) == [page.title]
        assert doc.xpath("//link[@rel='canonical']/@href") == [page.url]
        assert body(got.doc(), theme_of(page)) == list(page.paragraphs), page.url
        if page.dates == "bogus":
            continue
        meta = doc.xpath("//meta[@property='article:published_time']/@content")[0]
        assert datetime.fromisoformat(meta) == page.published_at.replace(microsecond=0)
        ld = json_lds(doc)[0]
        assert datetime.fromisoformat(ld["datePublished"]) == page.published_at.replace(
            microsecond=0
        )
        stamp = doc.xpath("//time/@datetime")[0]
        assert datetime.fromisoformat(stamp) == page.published_at.replace(microsecond=0)
        if page.modified_at:
            modified = doc.xpath("//meta[@property='article:modified_time']/@content")[0]
            assert datetime.fromisoformat(modified) == page.modified_at.replace(microsecond=0)
        if page.language == "ar":
            assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"


def test_datelines(catalog: Catalog) -> None:
    for page in catalog.for_outlet("sohr_ar", "stored") + catalog.for_outlet("sohr_en", "stored"):
        assert re.match(
            r"(محافظة .+ – المرصد السوري لحقوق الإنسان::"
            r"|[A-Z].+ province, the Syrian Observatory for Human Rights:)",
            page.paragraphs[0],
        )
    for page in catalog.for_outlet("npa_en", "stored"):
        assert re.match(r"[A-Z][A-Z -]+, Syria \(North Press\) – ", page.paragraphs[0])
    for page in catalog.for_outlet("npa_ar", "stored"):
        assert page.paragraphs[0].split(" – ")[1].startswith("نورث برس:")


def test_sohr_page_chrome(server: MirrorServer, catalog: Catalog) -> None:
    plain_forms = cookie_in_body = 0
    for page in catalog.for_outlet("sohr_ar", "stored") + catalog.for_outlet("sohr_en", "stored"):
        got = fetch(server, page.url)
        text = got.body.decode("windows-1256" if "1256" in got.ctype else "utf-8")
        doc = got.doc()
        assert texts(doc, ".td-post-views span")[0].isdigit()  # the bare view counter
        assert texts(doc, ".td-category")[0] == page.section
        assert doc.cssselect(".td-post-sharing-top") and doc.cssselect(".td-related-posts")
        assert "This website uses cookies to improve your experience." in text
        assert "Please enter your comment!" in text and "Please enter your name here" in text
        assert text.count("<p>&nbsp;</p>") >= 2
        if not doc.xpath("//*[@id='comments' or @id='respond']"):
            plain_forms += 1  # only the phrases betray this form
            assert not re.search(
                r'(id|class)="[^"]*(comment|respond)',
                text.split('class="td_block_wrap')[-1].split("</body>")[0],
            )
        if "This website uses cookies" in doc.cssselect(".td-post-content")[0].text_content():
            cookie_in_body += 1
    assert plain_forms >= 4 and cookie_in_body >= 2


def test_asterisk_words_are_published(catalog: Catalog) -> None:
    words = {
        w.strip(".,")
        for p in catalog.for_outlet("sohr_en", "stored")
        for para in p.paragraphs
        for w in para.split()
        if "*" in w
    }
    assert words & {"fata*lities", "Assa*ssinations", "ki*lled", "assa*ssinate"}


def test_percent_encoding_and_slashes(server: MirrorServer, catalog: Catalog) -> None:
    for page in catalog.for_outlet("sohr_ar", "stored")[:6]:
        assert page.url != upper(page.url) and upper(page.url) in page.alt_urls
        a, b = fetch(server, page.url), fetch(server, upper(page.url))
        assert a.status == b.status == 200 and a.body == b.body
        assert fetch(server, page.url.rstrip("/")).status == 301  # WordPress adds the slash
    enab = catalog.for_outlet("enab_ar", "stored")[0]
    assert fetch(server, enab.url + "/").headers["location"] == enab.url  # ... or drops it
    online = fetch(server, "https://www.enabbaladi.net/archives/category/online/page/2")
    assert online.status == 301 and fetch(server, online.headers["location"]).status == 200


def test_legacy_short_link(server: MirrorServer, catalog: Catalog) -> None:
    (page,) = [p for p in catalog.for_outlet("sohr_en") if any("?p=" in u for u in p.alt_urls)]
    short = next(u for u in page.alt_urls if "?p=" in u)
    a, b = fetch(server, short), fetch(server, page.url)
    assert a.status == b.status == 200 and a.body == b.body
    assert f'<link rel="canonical" href="{page.url}" />' in a.text
    listing = fetch(server, f"https://www.syriahr.com/en/date/{page.listed_on:%Y/%m/%d}/")
    assert short in listing.text and page.url in listing.text


# ---- traps ------------------------------------------------------------------------------


def one(catalog: Catalog, outlet: str, expect: str) -> MirrorPage:
    (page,) = catalog.for_outlet(outlet, expect)
    return page


def test_bot_challenges(server: MirrorServer, catalog: Catalog) -> None:
    statuses = []
    for outlet in ("sohr_ar", "sohr_en"):
        page = one(catalog, outlet, "bot_challenge")
        got = fetch(server, page.url)
        statuses.append(got.status)
        assert "<title>Just a moment...</title>" in got.text
        assert "Checking your browser before accessing www.syriahr.com" in got.text
        assert (
            "/cdn-cgi/challenge-platform/" in got.text
            and got.headers["cf-mitigated"] == "challenge"
        )
        assert page.title not in got.text
    assert sorted(statuses) == [200, 503]


def test_not_article_listings(server: MirrorServer, catalog: Catalog) -> None:
    registry = load_registry([MIRROR_OUTLETS])
    for outlet in ("sohr_ar", "enab_ar"):
        page = one(catalog, outlet, "not_article")
        assert not registry[outlet].is_article(page.url)
        got = fetch(server, page.url)
        assert got.status == 200 and len(hrefs(got, page.url)) > 5
        assert page.url in feed_links(fetch(server, FEEDS[outlet]))
    assert "/tag/" in one(catalog, "sohr_ar", "not_article").url


def test_errors_and_empty_body(server: MirrorServer, catalog: Catalog) -> None:
    missing, broken = one(catalog, "sohr_ar", "http_404"), one(catalog, "sohr_en", "http_500")
    assert fetch(server, missing.url).status == 404
    got = fetch(server, broken.url)
    assert got.status == 500 and "critical error" in got.text
    listed, _, _ = walk(server, "https://www.syriahr.com/date/2026/11/")
    assert norm(missing.url) in listed  # listed like normal posts
    assert (
        broken.url
        in fetch(server, f"https://www.syriahr.com/en/date/{broken.listed_on:%Y/%m/%d}/").text
    )
    empty = one(catalog, "sohr_ar", "empty_body")
    got = fetch(server, empty.url)
    assert got.status == 200 and empty.paragraphs == ()
    container = got.doc().cssselect(".td-post-content")[0]
    assert container.findall("p") and not container.text_content().strip("\xa0 \n")
    assert texts(got.doc(), "h1")[0] == empty.title


def test_too_large(server: MirrorServer, catalog: Catalog) -> None:
    page = one(catalog, "sohr_en", "too_large")
    head = fetch(server, page.url, method="HEAD")
    assert head.status == 200 and int(head.headers["content-length"]) > 6 * 1024 * 1024
    got = fetch(server, page.url)
    assert len(got.body) == int(head.headers["content-length"])
    assert got.body.rstrip().endswith(b"</html>") and page.title.encode() in got.body[:200000]


def test_windows_1256(server: MirrorServer, catalog: Catalog) -> None:
    broken = fetch(server, one(catalog, "sohr_ar", "bad_encoding").url)
    assert broken.status == 200 and broken.ctype == "text/html; charset=windows-1256"
    with pytest.raises(UnicodeDecodeError):
        broken.body.decode("utf-8")
    as_declared = broken.body.decode("windows-1256")
    assert (
        sum(1 for ch in as_declared if ch < " " and ch not in "\t\n\r\f") > len(as_declared) // 500
    )
    (page,) = [
        p for p in catalog.for_outlet("sohr_ar", "stored") if catalog.extra(p).get("charset")
    ]
    valid = fetch(server, page.url)
    assert valid.ctype == "text/html; charset=windows-1256"
    text = valid.body.decode("windows-1256")  # strict: every byte is valid
    assert (
        'charset="windows-1256"' in text
        and page.title in text
        and all(p in text for p in page.paragraphs)
    )


def test_closed_gazette_lists_what_robots_forbids(server: MirrorServer, catalog: Catalog) -> None:
    links = {norm(u) for u in feed_links(fetch(server, FEEDS["closed_gazette"]))}
    assert links == {norm(p.url) for p in catalog.for_outlet("closed_gazette")}
    assert fetch(server, catalog.for_outlet("closed_gazette")[0].url).status == 200
