from datetime import UTC, date, datetime

from crawlers.discovery import month_range, parse_archive, parse_feed, parse_sitemap
from crawlers.sitemaps import sitemap_span
from tests.conftest import shared_data

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>x</title>
<item><title>A</title><link>https://sputnikglobe.com/20261101/a-1120000001.html?utm_source=rss</link>
<pubDate>Sun, 01 Nov 2026 10:15:00 +0300</pubDate></item>
<item><title>B</title><guid isPermaLink="true">https://sputnikglobe.com/20261101/b-1120000002.html</guid>
<dc:date>2026-11-01T09:00:00Z</dc:date></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>C</title><link rel="alternate" href="https://e.example/c"/>
<updated>2026-11-02T08:00:00-0400</updated></entry></feed>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://sarabic.ae/sitemap_article.xml?date_start=20261101&amp;date_end=20261130</loc></sitemap>
<sitemap><loc>https://sarabic.ae/sitemap_article.xml?date_start=20261001&amp;date_end=20261031</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://www.politico.com/news/2026/11/20/story-00170882</loc>
<news:news><news:publication><news:name>POLITICO</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2026-11-20T06:30:00-05:00</news:publication_date>
<news:title>Story</news:title></news:news><image:image><image:loc>https://x/i.jpg</image:loc></image:image>
<lastmod>2026-11-21T00:00:00Z</lastmod></url></urlset>"""


def test_rss_items_with_dates_and_guid_fallback():
    links = parse_feed(RSS, "https://sputnikglobe.com/export/rss2/archive/index.xml")
    assert [ln.title for ln in links] == ["A", "B"]
    assert links[0].published == datetime(2026, 11, 1, 7, 15, tzinfo=UTC)
    assert links[1].url == "https://sputnikglobe.com/20261101/b-1120000002.html"
    assert links[1].published == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_atom_entry_offset_without_colon():
    (link,) = parse_feed(ATOM, "https://e.example/feed")
    assert link.url == "https://e.example/c"
    assert link.published == datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def test_sitemap_index_with_escaped_ampersand():
    sm = parse_sitemap(INDEX, "https://sarabic.ae/sitemap_article_index.xml")
    assert sm is not None and sm.is_index
    assert "&date_end=20261130" in sm.links[0].url
    assert sitemap_span(sm.links[0].url) == (date(2026, 11, 1), date(2026, 11, 30))


def test_news_sitemap_prefers_publication_date_over_lastmod():
    sm = parse_sitemap(NEWS, "https://www.politico.com/news-sitemap.xml")
    assert sm is not None and not sm.is_index
    (link,) = sm.links
    assert link.published == datetime(2026, 11, 20, 11, 30, tzinfo=UTC)
    assert link.title == "Story"


def test_not_a_sitemap():
    assert parse_sitemap(b"<html><body>hi</body></html>", "https://x/") is None
    assert parse_feed(b"", "https://x/") == []


def test_archive_links_dates_and_next():
    page = b"""<html><body>
    <article class="post"><h2><a href="/2026/11/20/one/">One</a></h2>
      <time datetime="2026-11-20T10:00:00+03:00">x</time></article>
    <article class="post"><h2><a href="/2026/11/19/two/">Two</a></h2></article>
    <a href="/about/">About</a>
    <a class="next page-numbers" href="/2026/11/page/2/">Next</a></body></html>"""
    ap = parse_archive(page, "https://www.levantdaily.example/2026/11/")
    by_url = {ln.url: ln for ln in ap.links}
    one = by_url["https://www.levantdaily.example/2026/11/20/one/"]
    assert one.published == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    # no <time>: only the URL's (local) day, flagged as such
    two = by_url["https://www.levantdaily.example/2026/11/19/two/"]
    assert two.published == datetime(2026, 11, 19, 0, 0, tzinfo=UTC) and two.day_only
    assert not one.day_only
    assert ap.next_page == "https://www.levantdaily.example/2026/11/page/2/"


def test_month_range_newest_first():
    assert month_range(date(2026, 11, 28), date(2027, 1, 3)) == [(2027, 1), (2026, 12), (2026, 11)]


def test_real_feeds_parse():
    cnn = parse_feed(
        shared_data("feeds", "rss-fetcher", "real-cnn.rss").read_bytes(), "https://www.cnn.com/"
    )
    assert len(cnn) == 69 and all(ln.url.startswith("http") for ln in cnn)
    # 53 <pubDate> elements: 52 items carry one, the 53rd is the channel's
    assert sum(1 for ln in cnn if ln.published) == 52
    kt = parse_feed(
        shared_data("feeds", "rss-fetcher", "real-korean-times.rss").read_bytes(),
        "https://www.koreatimes.co.kr/",
    )
    assert len(kt) == 195
    sm = parse_sitemap(
        shared_data("feeds", "news-crawl", "sitemap-news.xml").read_bytes(),
        "https://www.example.com/",
    )
    assert sm is not None and sm.links[0].title
