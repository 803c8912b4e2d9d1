"""The local outlet mirror: routing by Host, feeds, archives, traps, and catalog contracts.

Runs its own server on a free port with a fixed anchor and talks to it with urllib, the way
the crawler's mirror middleware does (real host in ``Host``, path and query unchanged).
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from lxml import html as lxml_html

from crawlers.registry import load_registry
from devkit.mirror.catalog import Catalog, MirrorPage, build_catalog
from devkit.mirror.server import MirrorServer

ANCHOR = date(2026, 11, 20)
FIRST = ANCHOR - timedelta(days=6)
MIRROR_OUTLETS = Path(__file__).resolve().parents[2] / "devkit" / "mirror" / "outlets"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
}
FEEDS = {
    "sohr_ar": "https://www.syriahr.com/feed/",
    "sohr_en": "https://www.syriahr.com/en/feed/",
    "levant_daily": "https://www.levantdaily.example/feed/",
    "closed_gazette": "https://www.closedgazette.example/feed/",
}
# The outlets this file covers; the others have their own test files in this folder
# (test_sites_*.py), and their pages are skipped in the catalog-wide checks below.
OUTLETS = ("sohr_ar", "sohr_en", "levant_daily", "closed_gazette")
ZONE_SOHR = timezone(timedelta(hours=3))  # Asia/Damascus
ZONE_LEVANT = timezone(timedelta(hours=2))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # redirects point at the real (unreachable) hosts: report them instead


_OPENER = urllib.request.build_opener(_NoRedirect)


class Fetched:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def ctype(self) -> str:
        return self.headers.get("content-type", "")


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(anchor=ANCHOR) as mirror:
        yield mirror


@pytest.fixture(scope="module")
def catalog(server: MirrorServer) -> Catalog:
    return server.catalog


def fetch(server: MirrorServer, url: str, method: str = "GET") -> Fetched:
    """GET a real URL through the mirror, as the mirror middleware does."""
    parts = urlsplit(url)
    target = server.url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    req = urllib.request.Request(
        target, method=method, headers={"Host": parts.netloc, "X-Newsloom-Original-Url": url}
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


def norm(url: str) -> str:
    """One spelling per URL: upper-case escapes, no fragment, no utm_* parameters."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")])
    return upper(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")))


def hrefs(page: Fetched, base: str) -> set[str]:
    doc = lxml_html.fromstring(page.text)
    return {norm(urljoin(base, h)) for h in doc.xpath("//a/@href")}


def feed_items(page: Fetched) -> list[ET.Element]:
    root = ET.fromstring(page.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def body_paragraphs(doc: lxml_html.HtmlElement) -> list[str]:
    container = (doc.cssselect(".td-post-content") or doc.cssselect(".entry-content"))[0]
    texts = [p.text_content() for p in container.findall("p")]
    return [t for t in texts if t.strip("\xa0 \n")]


# ---- hosts and robots.txt ----------------------------------------------------------------


def test_unknown_host_is_a_bad_gateway(server: MirrorServer) -> None:
    got = fetch(server, "https://www.nosuchsite.example/feed/")
    assert got.status == 502
    assert got.ctype.startswith("text/plain") and len(got.body) < 200
    # the port in Host is ignored
    req = urllib.request.Request(
        server.url + "/robots.txt", headers={"Host": "www.syriahr.com:443"}
    )
    with _OPENER.open(req, timeout=10) as resp:
        assert b"Disallow: /wp-admin/" in resp.read()


def test_robots_txt(server: MirrorServer) -> None:
    sohr = fetch(server, "https://www.syriahr.com/robots.txt")
    assert sohr.status == 200 and sohr.ctype.startswith("text/plain")
    lines = sohr.text.splitlines()
    assert lines[:3] == ["User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php"]
    assert any(line.startswith("Sitemap: https://www.syriahr.com/") for line in lines)
    assert "crawl-delay" not in sohr.text.lower()

    levant = fetch(server, "https://www.levantdaily.example/robots.txt")
    assert "Crawl-delay: 0.2" in levant.text.splitlines()
    closed = fetch(server, "https://www.closedgazette.example/robots.txt")
    assert closed.text.splitlines() == ["User-agent: *", "Disallow: /"]

    def parser(text: str) -> urllib.robotparser.RobotFileParser:
        rp = urllib.robotparser.RobotFileParser()
        rp.parse(text.splitlines())
        return rp

    assert parser(sohr.text).can_fetch("newsloom", "https://www.syriahr.com/feed/")
    assert not parser(sohr.text).can_fetch("newsloom", "https://www.syriahr.com/wp-admin/x")
    from protego import Protego  # Scrapy's robots.txt parser (urllib's wants an integer delay)

    assert Protego.parse(levant.text).crawl_delay("newsloom") == 0.2
    assert not parser(closed.text).can_fetch("newsloom", FEEDS["closed_gazette"])


def test_bare_domain_redirects_to_www(server: MirrorServer) -> None:
    got = fetch(server, "https://syriahr.com/en/feed/")
    assert got.status == 301
    assert got.headers["location"] == "https://www.syriahr.com/en/feed/"


# ---- feeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", ["sohr_ar", "sohr_en", "levant_daily"])
def test_feed_lists_the_ten_newest(server: MirrorServer, catalog: Catalog, outlet: str) -> None:
    got = fetch(server, FEEDS[outlet])
    assert got.status == 200 and "rss+xml" in got.ctype
    items = feed_items(got)
    assert len(items) == 10
    newest = sorted(catalog.for_outlet(outlet), key=lambda p: p.published_at, reverse=True)
    assert len(newest) > 10
    expected = [norm(p.url) for p in newest[:10]]
    links = [item.findtext("link") or "" for item in items]
    assert [norm(u) for u in links] == expected
    dates = [parsedate_to_datetime(item.findtext("pubDate") or "") for item in items]
    assert dates == sorted(dates, reverse=True)
    assert dates == [p.published_at for p in newest[:10]]
    for item, page in zip(items, newest[:10], strict=True):
        assert item.findtext("title") == page.title
        if page.expect != "not_article":
            assert item.findtext("dc:creator", namespaces=NS)
            assert item.findtext("category")
            assert item.findtext("content:encoded", namespaces=NS)


def test_feed_link_spellings(server: MirrorServer, catalog: Catalog) -> None:
    ar_links = [i.findtext("link") or "" for i in feed_items(fetch(server, FEEDS["sohr_ar"]))]
    articles = [u for u in ar_links if re.search(r"/\d{6}/$", u)]
    assert articles and all(u == upper(u) and "%D8" in u for u in articles)
    lev_links = [i.findtext("link") or "" for i in feed_items(fetch(server, FEEDS["levant_daily"]))]
    assert all("utm_source=rss" in u for u in lev_links)


# ---- archives ----------------------------------------------------------------------------


def test_monthly_archive_pages_end_with_404(server: MirrorServer, catalog: Catalog) -> None:
    base = "https://www.syriahr.com/date/2026/11/"
    first = fetch(server, base)
    assert first.status == 200
    assert fetch(server, base + "page/1/").status == 301
    listed: set[str] = set()
    page, n = first, 1
    while page.status == 200:
        links = {u for u in hrefs(page, base) if re.search(r"/\d{6}/$", u)}
        listed |= links
        assert 'rel="next"' in page.text or n > 1
        n += 1
        page = fetch(server, f"{base}page/{n}/")
    assert page.status == 404
    posts = [p for p in catalog.for_outlet("sohr_ar") if p.expect != "not_article"]
    assert n - 1 == -(-len(posts) // 8)  # 8 posts a page
    assert {norm(p.url) for p in posts} <= listed
    # archives spell escapes in lower case, like <link rel=canonical>
    raw = re.findall(r'href="(https://www\.syriahr\.com/%[^"]+/\d{6}/)"', first.text)
    assert raw and all(u == u.lower() for u in raw)


def test_english_daily_archives(server: MirrorServer, catalog: Catalog) -> None:
    pages_per_day = {}
    for i in range(7):
        day = FIRST + timedelta(days=i)
        base = f"https://www.syriahr.com/en/date/{day:%Y/%m/%d}/"
        n = 1
        while fetch(server, base if n == 1 else f"{base}page/{n}/").status == 200:
            n += 1
        pages_per_day[day] = n - 1
    assert all(v >= 1 for v in pages_per_day.values())
    assert max(pages_per_day.values()) == 2  # the busy day spills onto page 2
    assert fetch(server, "https://www.syriahr.com/en/date/2026/11/").status == 200
    assert fetch(server, "https://www.syriahr.com/en/date/2026/10/").status == 404


def test_levant_archive_and_permalinks(server: MirrorServer, catalog: Catalog) -> None:
    base = "https://www.levantdaily.example/2026/11/"
    listed: set[str] = set()
    n = 1
    while (page := fetch(server, base if n == 1 else f"{base}page/{n}/")).status == 200:
        listed |= hrefs(page, base)
        n += 1
    assert n > 2
    assert {norm(p.url) for p in catalog.for_outlet("levant_daily")} <= listed
    for p in catalog.for_outlet("levant_daily"):
        local = p.published_at.astimezone(ZONE_LEVANT)
        assert f"/{local:%Y/%m/%d}/" in p.url


# ---- articles ----------------------------------------------------------------------------


def test_upper_and_lower_percent_encoding_serve_the_same_article(
    server: MirrorServer, catalog: Catalog
) -> None:
    pages = catalog.for_outlet("sohr_ar", "stored")
    assert len(pages) >= 20
    for page in pages[:6]:
        lower = fetch(server, page.url)
        upper_ = fetch(server, upper(page.url))
        assert page.url != upper(page.url) and upper(page.url) in page.alt_urls
        assert lower.status == upper_.status == 200
        assert lower.body == upper_.body
        # no trailing slash: WordPress redirects to the slash form
        assert fetch(server, page.url.rstrip("/")).status == 301


def test_article_pages_hold_exactly_the_catalog_text(
    server: MirrorServer, catalog: Catalog
) -> None:
    for outlet in ("sohr_ar", "sohr_en", "levant_daily"):
        for page in catalog.for_outlet(outlet, "stored"):
            got = fetch(server, page.url)
            assert got.status == 200, page.url
            charset = "windows-1256" if "1256" in got.ctype else "utf-8"
            doc = lxml_html.fromstring(got.body.decode(charset))
            assert body_paragraphs(doc) == list(page.paragraphs), page.url
            assert doc.xpath("//h1")[0].text_content() == page.title
            assert doc.xpath("//link[@rel='canonical']/@href") == [page.url]
            published = doc.xpath("//meta[@property='article:published_time']/@content")[0]
            assert datetime.fromisoformat(published) == page.published_at
            if page.modified_at:
                modified = doc.xpath("//meta[@property='article:modified_time']/@content")[0]
                assert datetime.fromisoformat(modified) == page.modified_at
            stamp = doc.xpath("//time/@datetime")[0]
            assert datetime.fromisoformat(stamp) == page.published_at
            if outlet.startswith("sohr"):
                assert stamp.endswith("+03:00")
                starts = (
                    ("محافظة", "العاصمة")
                    if outlet == "sohr_ar"
                    else tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                )
                assert page.paragraphs[0].startswith(starts)
                assert re.search(
                    r"المرصد السوري لحقوق الإنسان::|Syrian Observatory for Human "
                    r"Rights:",
                    page.paragraphs[0],
                )


def test_sohr_page_chrome(server: MirrorServer, catalog: Catalog) -> None:
    plain_forms = cookie_in_body = 0
    for page in catalog.for_outlet("sohr_ar", "stored") + catalog.for_outlet("sohr_en", "stored"):
        got = fetch(server, page.url)
        text = got.body.decode("windows-1256" if "1256" in got.ctype else "utf-8")
        doc = lxml_html.fromstring(text)
        if page.language == "ar":
            assert doc.get("lang") == "ar" and doc.get("dir") == "rtl"
        views = doc.cssselect(".td-post-views span")[0].text_content()
        assert views.isdigit()
        assert doc.cssselect(".td-post-sharing-top") and doc.cssselect(".td-related-posts")
        assert doc.xpath("//script[@type='application/ld+json']")
        assert "This website uses cookies to improve your experience." in text
        assert "Please enter your comment!" in text and "Please enter your name here" in text
        assert "You have entered an incorrect email address!" in text
        assert text.count("<p>&nbsp;</p>") >= 2
        if not doc.xpath("//*[@id='comments' or @id='respond']"):
            plain_forms += 1
            assert not re.search(
                r'(id|class)="[^"]*(comment|respond)',
                text.split('class="td-related-posts')[-1]
                .split("td-footer-wrapper")[0]
                .split("td-main-sidebar")[0],
            )
        content = doc.cssselect(".td-post-content")[0].text_content()
        if "This website uses cookies" in content:
            cookie_in_body += 1
    assert plain_forms >= 4
    assert cookie_in_body >= 2


def test_asterisk_words_are_published(catalog: Catalog) -> None:
    words = {
        w
        for p in catalog.for_outlet("sohr_en", "stored")
        for para in p.paragraphs
        for w in para.split()
        if "*" in w
    }
    assert words & {"fata*lities", "fata*lities.", "Assa*ssinations", "ki*lled"}


def test_legacy_short_link(server: MirrorServer, catalog: Catalog) -> None:
    legacy = [p for p in catalog.for_outlet("sohr_en") if any("?p=" in u for u in p.alt_urls)]
    assert len(legacy) == 1
    page = legacy[0]
    short = next(u for u in page.alt_urls if "?p=" in u)
    a, b = fetch(server, short), fetch(server, page.url)
    assert a.status == b.status == 200 and a.body == b.body
    assert f'<link rel="canonical" href="{page.url}" />' in a.text
    day = page.published_at.astimezone(ZONE_SOHR).date()
    listing = fetch(server, f"https://www.syriahr.com/en/date/{day:%Y/%m/%d}/")
    assert short in listing.text and page.url in listing.text


# ---- traps -------------------------------------------------------------------------------


def _one(catalog: Catalog, outlet: str, expect: str) -> MirrorPage:
    pages = catalog.for_outlet(outlet, expect)
    assert len(pages) == 1, (outlet, expect)
    return pages[0]


def test_bot_challenges(server: MirrorServer, catalog: Catalog) -> None:
    statuses = []
    for outlet in ("sohr_ar", "sohr_en"):
        page = _one(catalog, outlet, "bot_challenge")
        got = fetch(server, page.url)
        statuses.append(got.status)
        assert "<title>Just a moment...</title>" in got.text
        assert "Checking your browser before accessing www.syriahr.com" in got.text
        assert "/cdn-cgi/challenge-platform/" in got.text
        assert got.headers.get("cf-mitigated") == "challenge"
        assert page.title not in got.text
    assert sorted(statuses) == [200, 503]


def test_empty_body(server: MirrorServer, catalog: Catalog) -> None:
    page = _one(catalog, "sohr_ar", "empty_body")
    got = fetch(server, page.url)
    assert got.status == 200 and page.paragraphs == ()
    doc = lxml_html.fromstring(got.text)
    assert doc.xpath("//h1")[0].text_content() == page.title
    container = doc.cssselect(".td-post-content")[0]
    assert container.findall("p") and body_paragraphs(doc) == []
    assert not container.text_content().strip("\xa0 \n")


def test_not_article_is_a_listing(server: MirrorServer, catalog: Catalog) -> None:
    page = _one(catalog, "sohr_ar", "not_article")
    registry = load_registry([MIRROR_OUTLETS])
    assert not registry["sohr_ar"].is_article(page.url)
    assert "/tag/" in page.url
    got = fetch(server, page.url)
    assert got.status == 200 and "td_module_wrap" in got.text
    links = [i.findtext("link") for i in feed_items(fetch(server, FEEDS["sohr_ar"]))]
    assert page.url in links


def test_http_errors(server: MirrorServer, catalog: Catalog) -> None:
    missing = _one(catalog, "sohr_ar", "http_404")
    broken = _one(catalog, "sohr_en", "http_500")
    assert fetch(server, missing.url).status == 404
    got = fetch(server, broken.url)
    assert got.status == 500 and "critical error" in got.text
    # both are listed like normal posts
    listing = fetch(server, "https://www.syriahr.com/date/2026/11/")
    all_ar = set()
    n = 1
    while listing.status == 200:
        all_ar |= hrefs(listing, "https://www.syriahr.com/")
        n += 1
        listing = fetch(server, f"https://www.syriahr.com/date/2026/11/page/{n}/")
    assert norm(missing.url) in all_ar
    day = broken.published_at.astimezone(ZONE_SOHR).date()
    daily = fetch(server, f"https://www.syriahr.com/en/date/{day:%Y/%m/%d}/")
    assert broken.url in daily.text


def test_too_large(server: MirrorServer, catalog: Catalog) -> None:
    page = _one(catalog, "sohr_en", "too_large")
    head = fetch(server, page.url, method="HEAD")
    assert head.status == 200 and int(head.headers["content-length"]) > 6 * 1024 * 1024
    got = fetch(server, page.url)
    assert len(got.body) == int(head.headers["content-length"])
    assert got.body.rstrip().endswith(b"</html>") and page.title.encode() in got.body[:200000]


def test_bad_encoding(server: MirrorServer, catalog: Catalog) -> None:
    page = _one(catalog, "sohr_ar", "bad_encoding")
    got = fetch(server, page.url)
    assert got.status == 200
    assert got.ctype == "text/html; charset=windows-1256"
    with pytest.raises(UnicodeDecodeError):
        got.body.decode("utf-8")
    as_declared = got.body.decode("windows-1256")
    controls = sum(1 for ch in as_declared if ch < " " and ch not in "\t\n\r\f")
    assert controls > len(as_declared) // 500  # visibly broken, not just mojibake


def test_valid_windows_1256_page(server: MirrorServer, catalog: Catalog) -> None:
    pages = [
        p
        for p in catalog.for_outlet("sohr_ar", "stored")
        if catalog.extra(p).get("charset") == "windows-1256"
    ]
    assert len(pages) == 1
    page = pages[0]
    got = fetch(server, page.url)
    assert got.ctype == "text/html; charset=windows-1256"
    with pytest.raises(UnicodeDecodeError):
        got.body.decode("utf-8")  # really single-byte Arabic, not UTF-8
    text = got.body.decode("windows-1256")  # strict: every byte is valid
    assert 'charset="windows-1256"' in text or "charset=windows-1256" in text
    assert page.title in text and all(p in text for p in page.paragraphs)


# ---- discovery: every page is reachable from a feed or an archive ------------------------


def test_every_page_is_listed_in_a_feed_or_archive(server: MirrorServer, catalog: Catalog) -> None:
    seen: set[str] = set()
    for url in FEEDS.values():
        seen |= {norm(i.findtext("link") or "") for i in feed_items(fetch(server, url))}
    listings = []
    for y, m in sorted({(d.year, d.month) for d in (FIRST, ANCHOR)}):
        listings += [
            f"https://www.syriahr.com/date/{y:04d}/{m:02d}/",
            f"https://www.levantdaily.example/{y:04d}/{m:02d}/",
        ]
    listings += [
        f"https://www.syriahr.com/en/date/{FIRST + timedelta(days=i):%Y/%m/%d}/" for i in range(7)
    ]
    for base in listings:
        n = 1
        while (listing := fetch(server, base if n == 1 else f"{base}page/{n}/")).status == 200:
            seen |= hrefs(listing, base)
            n += 1
    for page in catalog.pages:
        if page.outlet == "closed_gazette" or page.outlet not in OUTLETS:
            continue  # only its feed (robots.txt forbids fetching even that)
        assert any(norm(u) in seen for u in page.urls), (page.outlet, page.expect, page.url)
    closed = {
        norm(i.findtext("link") or "") for i in feed_items(fetch(server, FEEDS["closed_gazette"]))
    }
    assert {norm(p.url) for p in catalog.for_outlet("closed_gazette")} == closed


# ---- catalog -------------------------------------------------------------------------------


def test_catalog_is_deterministic() -> None:
    a, b = build_catalog(ANCHOR, seed=7), build_catalog(ANCHOR, seed=7)
    assert a == b and a.pages == b.pages
    c = build_catalog(ANCHOR, seed=8)
    assert c.pages != a.pages
    assert {p.title for p in c.pages} != {p.title for p in a.pages}
    d = build_catalog(ANCHOR + timedelta(days=1), seed=7)
    assert [p.published_at + timedelta(days=1) for p in a.pages] == [
        p.published_at for p in d.pages
    ]


def test_catalog_counts_and_expectations(catalog: Catalog) -> None:
    from collections import Counter

    counts = Counter((p.outlet, p.expect) for p in catalog.pages if p.outlet in OUTLETS)
    assert counts == {
        ("sohr_ar", "stored"): 22,
        ("sohr_ar", "bot_challenge"): 1,
        ("sohr_ar", "empty_body"): 1,
        ("sohr_ar", "not_article"): 1,
        ("sohr_ar", "http_404"): 1,
        ("sohr_ar", "bad_encoding"): 1,
        ("sohr_en", "stored"): 15,
        ("sohr_en", "bot_challenge"): 1,
        ("sohr_en", "http_500"): 1,
        ("sohr_en", "too_large"): 1,
        ("levant_daily", "stored"): 12,
        ("closed_gazette", "robots_blocked"): 4,
    }
    for p in (p for p in catalog.pages if p.outlet in OUTLETS):
        assert p.published_at.tzinfo is not None and p.published_at.utcoffset() == timedelta(0)
        assert p.modified_at is None or p.modified_at > p.published_at
        # published on one of the 7 local days (an hour of slack either side for offsets)
        assert (
            datetime.combine(FIRST, datetime.min.time(), UTC) - timedelta(hours=3)
            <= p.published_at
            < datetime.combine(ANCHOR + timedelta(days=1), datetime.min.time(), UTC)
        )
        if p.expect not in ("stored", "robots_blocked"):
            assert FIRST <= p.published_at.date() <= ANCHOR  # traps sit inside the window
    assert len({p.url for p in catalog.pages}) == len(catalog.pages)
    ar_ids = [
        int(p.url.rstrip("/").rsplit("/", 1)[1])
        for p in catalog.for_outlet("sohr_ar")
        if p.expect != "not_article"
    ]
    assert all(100000 <= i <= 999999 for i in ar_ids) and ar_ids == sorted(ar_ids)


def test_stored_between(catalog: Catalog) -> None:
    assert len(catalog.stored_between("sohr_ar", FIRST, ANCHOR)) == 21
    assert len(catalog.stored_between("sohr_en", FIRST, ANCHOR)) == 14
    assert len(catalog.stored_between("levant_daily", FIRST, ANCHOR)) == 11
    assert catalog.stored_between("closed_gazette", FIRST, ANCHOR) == []
    for outlet in ("sohr_ar", "sohr_en", "levant_daily"):
        per_day = [
            catalog.stored_between(outlet, FIRST + timedelta(days=i), FIRST + timedelta(days=i))
            for i in range(7)
        ]
        assert sum(map(len, per_day)) == len(catalog.stored_between(outlet, FIRST, ANCHOR))
        # one stored page lies just before the window: published 00:30-00:50 local time
        before = catalog.stored_between(
            outlet, FIRST - timedelta(days=1), FIRST - timedelta(days=1)
        )
        assert len(before) == 1
        assert before[0].published_at.hour >= 21
    # pages whose local (archive) day differs from their UTC day, besides the one above
    crossing = [
        p
        for p in catalog.for_outlet("sohr_en", "stored")
        if p.published_at.astimezone(ZONE_SOHR).date() != p.published_at.date()
    ]
    assert len(crossing) == 2


def test_catalog_urls_match_the_registry(catalog: Catalog) -> None:
    from processing.core.urls import canonical_url

    registry = load_registry([MIRROR_OUTLETS])
    assert {"levant_daily", "closed_gazette"} <= set(registry)
    for page in catalog.pages:
        outlet = registry[page.outlet]
        for url in page.urls:
            canon = canonical_url(url, outlet.keep_query)
            if page.expect == "paywall":  # off-site on purpose: reported, never fetched
                assert outlet.is_paywalled(canon) and not outlet.is_article(canon), url
                continue
            assert outlet.is_article(canon) == (page.expect != "not_article"), url
    assert (
        catalog.find(upper(catalog.for_outlet("sohr_ar")[3].url))
        == catalog.for_outlet("sohr_ar")[3]
    )


def test_sitemaps(server: MirrorServer, catalog: Catalog) -> None:
    index = fetch(server, "https://www.syriahr.com/sitemap_index.xml")
    locs = [e.text for e in ET.fromstring(index.body).iter(f"{{{NS['sm']}}}loc")]
    assert "https://www.syriahr.com/post-sitemap.xml" in locs
    posts = fetch(server, "https://www.syriahr.com/post-sitemap.xml")
    urls = {e.text for e in ET.fromstring(posts.body).iter(f"{{{NS['sm']}}}loc")}
    assert {p.url for p in catalog.for_outlet("sohr_ar", "stored")} <= urls
    core = fetch(server, "https://www.levantdaily.example/wp-sitemap-posts-post-1.xml")
    urls = {e.text for e in ET.fromstring(core.body).iter(f"{{{NS['sm']}}}loc")}
    assert urls == {p.url for p in catalog.for_outlet("levant_daily")}


def test_command_line_runs_a_command_against_the_mirror() -> None:
    """``python -m devkit mirror -- CMD`` serves the mirror, hands its URL to CMD through
    NEWSLOOM_MIRROR_URL, and ends with CMD's exit code."""
    probe = (
        "import os, urllib.request as u; "
        "r = u.Request(os.environ['NEWSLOOM_MIRROR_URL'] + '/robots.txt', "
        "headers={'Host': 'www.syriahr.com'}); "
        "body = u.build_opener(u.ProxyHandler({})).open(r, timeout=5).read(); "
        "raise SystemExit(0 if b'User-agent: *' in body else 5)"
    )
    cmd = [sys.executable, "-m", "devkit", "mirror", "--anchor", ANCHOR.isoformat()]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([*cmd, "--", sys.executable, "-c", probe], cwd=root, timeout=60)
    assert done.returncode == 0
    failed = subprocess.run([*cmd, "--", sys.executable, "-c", "raise SystemExit(7)"], cwd=root)
    assert failed.returncode == 7
