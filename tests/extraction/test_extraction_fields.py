"""extract() field by field, on small pages shaped like the outlets' real structures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawlers.registry import Outlet
from processing.extraction import (
    Extraction,
    ExtractionError,
    decode_html,
    extract,
    extractor_version,
)
from processing.extraction.authors import clean_authors
from processing.extraction.titles import strip_site_suffix, title
from processing.pipeline.outlets import extraction_profile

PARA_AR = (
    "قال المرصد السوري لحقوق الإنسان إن قصفاً مدفعياً استهدف بلدات في ريف إدلب الجنوبي "
    "صباح اليوم، ما أسفر عن سقوط ضحايا بين المدنيين وأضرار مادية كبيرة في الممتلكات."
)
PARA_EN = (
    "The Syrian Observatory for Human Rights said artillery shelling hit several towns in "
    "southern Idlib countryside on Tuesday morning, causing civilian casualties and heavy "
    "damage to property, according to local sources."
)

SPUTNIK = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>عنوان الخبر الرئيسي - 29.07.2026, Sputnik عربي</title>
<meta property="og:title" content="عنوان الخبر الرئيسي - 29.07.2026, Sputnik عربي">
<meta property="og:site_name" content="Sputnik عربي">
<meta property="article:published_time" content="20260729T1319+0800">
<link rel="canonical" href="https://sarabic.ae/20260729/slug-1093361261.html">
</head><body>
<div class="radio"><p>00:00</p><p>مدار الليل والنهار</p><p>بث مباشر</p></div>
<div class="article">
<div class="article__announce-text">{PARA_AR}</div>
<div class="article__body">
<div class="article__block" data-type="text">
<div class="article__text">{PARA_AR} الجزء الثاني.</div></div>
<div class="article__block" data-type="text">
<div class="article__text">- سبوتنيك عربي, 1920</div></div>
<div class="article__block" data-type="text">
<div class="article__text">{PARA_AR} الجزء الثالث.</div></div>
</div></div>
<p>تابعنا عبر تيليجرام</p>
</body></html>"""

POLITICO = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Senate passes the border bill - POLITICO</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Senate passes the border bill", "datePublished": "2024-07-24T06:00:00-0400",
 "dateModified": "2024-07-24T09:30:00-0400",
 "author": [{{"@type": "Person", "name": "Jane Doe"}}, {{"@type": "Person", "name": "John Roe"}},
            {{"@type": "Organization", "name": "POLITICO"}}],
 "publisher": {{"@type": "Organization", "name": "POLITICO"}}}}</script>
</head><body><main id="main"><h1>Senate passes the border bill</h1>
<p class="story-meta">By Jane Doe and John Roe</p>
<figure><img src="x.jpg"><figcaption>Senators leave the chamber. | AP Photo</figcaption></figure>
<p class="font-text">{PARA_EN}</p><p class="font-text">{PARA_EN} A second paragraph.</p>
<p class="font-text">{PARA_EN} A third paragraph.</p>
<aside class="story-interrupt"><p>Sign up for our daily newsletter in your inbox.</p></aside>
</main></body></html>"""

SOHR = f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
<title>Shelling on Idlib countryside | The Syrian Observatory For Human Rights</title>
<meta property="article:published_time" content="2026-11-18T10:15:00+00:00">
</head><body>
<div class="cookie-notice">This website uses cookies to improve your experience. We'll assume
you're ok with this, but you can opt-out if you wish. Accept</div>
<h1 class="entry-title">Shelling on Idlib countryside</h1><div class="td-post-views">1530</div>
<div class="td-post-content">
<p>Idlib province, the Syrian Observatory for Human Rights:</p>
<p>{PARA_EN} Fata*lities rose to 12 after the assa*ssination of a local commander.</p>
<p>&nbsp;</p><p>{PARA_EN}</p>
</div>
<div id="respond"><p>Please enter your comment!</p><p>Please enter your name here</p></div>
</body></html>"""


def sohr_outlet() -> Outlet:
    return Outlet.model_validate(
        {
            "id": "sohr_en",
            "name": "SOHR",
            "languages": ["en"],
            "domains": ["www.syriahr.com"],
            "homepage": "https://www.syriahr.com/en/",
            "feeds": ["https://www.syriahr.com/en/feed/"],
            "article_patterns": [r"^https://www\.syriahr\.com/en/\d+/$"],
            "selectors": {
                "title": "h1.entry-title",
                "body": ".td-post-content",
                "drop": [".td-post-views", "#respond", ".cookie-notice"],
            },
            "timezone": "Asia/Damascus",
        }
    )


def test_sputnik_page():
    from crawlers.registry import get_outlet

    profile = extraction_profile(get_outlet("sputnik_ar"))
    ext = extract(
        SPUTNIK.encode(), "https://sarabic.ae/20260729/slug-1093361261.html", profile=profile
    )
    assert isinstance(ext, Extraction)
    assert ext.title == "عنوان الخبر الرئيسي"  # og:title's " - 29.07.2026, Sputnik عربي" stripped
    assert ext.published_at == datetime(2026, 7, 29, 5, 19, tzinfo=UTC)
    assert ext.published_source == "meta"
    assert ext.published_local_date == date(2026, 7, 29)
    assert ext.declared_language == "ar"
    assert ext.canonical_url == "https://sarabic.ae/20260729/slug-1093361261.html"
    assert "الجزء الثالث" in ext.text
    for junk in ("00:00", "مدار الليل والنهار", "بث مباشر", "سبوتنيك عربي, 1920", "تابعنا"):
        assert junk not in ext.text
    assert ext.authors == []
    assert ext.layout == "2021-01-01.."


def test_politico_page():
    ext = extract(POLITICO, "https://www.politico.com/news/2024/07/24/border-bill-00170882")
    assert ext.title == "Senate passes the border bill"
    assert ext.published_at == datetime(2024, 7, 24, 10, 0, tzinfo=UTC)  # -0400, no colon
    assert ext.modified_at == datetime(2024, 7, 24, 13, 30, tzinfo=UTC)
    assert ext.published_source == "json-ld"
    assert ext.authors == ["Jane Doe", "John Roe"]  # the publisher is not an author
    assert ext.text.count(PARA_EN) == 3
    assert "newsletter" not in ext.text and "AP Photo" not in ext.text
    assert not ext.text.startswith("Senate passes")


def test_sohr_page_with_the_outlet_selectors():
    ext = extract(
        SOHR.encode(),
        "https://www.syriahr.com/en/345678/",
        profile=extraction_profile(sohr_outlet()),
    )
    assert ext.title == "Shelling on Idlib countryside"
    assert ext.text.startswith("Idlib province, the Syrian Observatory for Human Rights:")
    assert "Fata*lities" in ext.text and "assa*ssination" in ext.text  # kept as published
    for junk in ("1530", "Please enter", "cookies"):
        assert junk not in ext.text
    assert ext.published_at == datetime(2026, 11, 18, 10, 15, tzinfo=UTC)


def test_sohr_page_without_an_outlet_uses_the_generic_path():
    ext = extract(SOHR.encode(), "https://www.syriahr.com/en/345678/")
    assert "Fata*lities" in ext.text
    for junk in ("1530", "Please enter", "cookies"):
        assert junk not in ext.text


def test_date_falls_back_to_a_visible_dateline_then_the_url():
    page = (
        f"<html lang='ar'><body><h1>عنوان</h1><div class='post-date'>الأربعاء، ٢٨ آب/اغسطس "
        f"٢٠١٣، آخر تحديث ١٤:٠٠ (GMT+0400)</div><p>{PARA_AR}</p><p>{PARA_AR}</p></body></html>"
    )
    ext = extract(page, "https://example.com/news/1")
    # the day is the publication's; the time belongs to "آخر تحديث" (last updated)
    assert ext.published_at == datetime(2013, 8, 28, tzinfo=UTC)
    assert ext.published_source == "visible"
    assert ext.modified_at == datetime(2013, 8, 28, 10, 0, tzinfo=UTC)
    page = f"<html><body><h1>Title here</h1><p>{PARA_EN}</p><p>{PARA_EN}</p></body></html>"
    ext = extract(page, "https://www.example.com/2024/07/24/some-story/")
    assert ext.published_at == datetime(2024, 7, 24, tzinfo=UTC)
    assert ext.published_source == "url"


def test_missing_date_is_none_not_an_error():
    page = f"<html><body><h1>Title here</h1><p>{PARA_EN}</p><p>{PARA_EN}</p></body></html>"
    ext = extract(page, "https://www.example.com/story")
    assert ext.published_at is None and ext.published_source is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        (["By Jane Doe and John Roe, CNN"], ["Jane Doe", "John Roe"]),  # acronyms look like roles
        (["Jane Doe | Sponsored"], ["Jane Doe"]),
        (["View all posts by Sam Example"], ["Sam Example"]),
        (["https://www.facebook.com/someone", "Chris Example"], ["Chris Example"]),
        (["Alex Writer - Contributing Writer"], ["Alex Writer"]),
        (["Dana Dietitian MS, RDN, LD"], ["Dana Dietitian"]),
        (["George T. Conway III"], ["George T. Conway III"]),  # a generation, not a credential
        (["By Jon Talton Columnist"], ["Jon Talton"]),
        (
            ["Ben Silverman Games Editor", "Chicago Tribune staff"],
            ["Ben Silverman", "Chicago Tribune"],
        ),
        (["Amie Mock as told to Heather Eastman"], ["Heather Eastman"]),
        (["By Nathan Willis March 25, 2015"], ["Nathan Willis"]),
        (["Marie Dupont et Jean Martin"], ["Marie Dupont", "Jean Martin"]),
        (["بقلم محمد أحمد"], ["محمد أحمد"]),
        (["أحمد وليد و وائل حسن"], ["أحمد وليد", "وائل حسن"]),  # names starting with و stay whole
        (["Jane Doe", "jane doe"], ["Jane Doe"]),
    ],
)
def test_clean_authors(raw, expected):
    assert clean_authors(raw) == expected


def test_clean_authors_drops_the_publication():
    publication = ["EXAMPLE TODAY", "exampletoday.com"]
    assert clean_authors(["Jane Doe", "EXAMPLE TODAY"], publication) == ["Jane Doe"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("عنوان الخبر - 29.07.2026, Sputnik عربي", "عنوان الخبر"),
        ("Senate passes the border bill - POLITICO", "Senate passes the border bill"),
        ("Healing through art | The Daily Example", "Healing through art"),
        ("POLITICO | Senate passes the border bill", "Senate passes the border bill"),
        ("Biden - the comeback", "Biden - the comeback"),  # not a site name: kept
    ],
)
def test_strip_site_suffix(raw, expected):
    sites = ["POLITICO", "The Daily Example", "Sputnik عربي", "politico.com"]
    assert strip_site_suffix(raw, sites) == expected


def test_title_prefers_the_h1_the_metadata_confirms():
    from lxml import html

    tree = html.document_fromstring(
        "<html><head><title>Real headline of the story | Site</title>"
        "<meta property='og:site_name' content='Site'></head>"
        "<body><h1>Section</h1><h1>Opinion | Real headline of the story</h1></body></html>"
    )
    assert title(tree, {}, "https://site.example/x") == "Real headline of the story"


def test_unreadable_documents_raise_with_a_reason():
    with pytest.raises(ExtractionError) as err:
        extract(b"   ", "https://example.com/")
    assert err.value.reason == "empty_body"
    with pytest.raises(ExtractionError) as err:
        decode_html(b"<p>" + b"\x81\x8d\x90" * 200, "text/html; charset=windows-1252")
    assert err.value.reason == "bad_encoding"


def test_decode_html_follows_the_declared_charset():
    body = "<html><head><meta charset='windows-1256'></head><body>مرحبا</body></html>"
    text, enc = decode_html(body.encode("cp1256"))
    assert "مرحبا" in text and enc == "cp1256"
    assert decode_html(b"\xef\xbb\xbf<p>x</p>")[1] == "utf-8"


def test_extractor_version_names_both_parts():
    assert extractor_version().startswith("newsloom-extract/")
    assert "+trafilatura-" in extractor_version()


def test_an_empty_article_under_the_outlet_selector_stays_empty():
    """The selector matched the article template and found no text: the page is rejected
    (empty_body), not filled with the sidebar's headlines."""
    sidebar = "".join(f"<li><a href='/{i}'>{PARA_EN[:60]} {i}</a></li>" for i in range(12))
    page = SOHR.replace(
        f"<p>{PARA_EN} Fata*lities rose to 12 after the assa*ssination of a local commander.</p>",
        "",
    ).replace(f"<p>&nbsp;</p><p>{PARA_EN}</p>", "")
    page = page.replace(
        "</body>", f"<aside><ul>{sidebar}</ul></aside><div>{PARA_EN * 3}</div></body>"
    )
    ext = extract(
        page, "https://www.syriahr.com/en/345678/", profile=extraction_profile(sohr_outlet())
    )
    assert ext.text == "Idlib province, the Syrian Observatory for Human Rights:"


def test_json_ld_article_body_when_the_page_shows_little():
    body = " ".join([PARA_EN] * 6)
    page = (
        '<html><head><script type=\'application/ld+json\'>{"@type": "LiveBlogPosting", '
        f'"headline": "Live: the latest", "articleBody": "{body}"}}</script></head>'
        "<body><h1>Live: the latest</h1><p>Loading the live blog, please wait.</p>"
        "</body></html>"
    )
    ext = extract(page, "https://example.com/live")
    assert ext.text.count("Syrian Observatory") == 6


# ---- publication date: which source wins -------------------------------------------------
def _dated_page(head: str = "", body: str = "") -> str:
    return (
        f"<html><head>{head}</head><body>{body}<article><h1>Title of the story</h1>"
        f"<p>{PARA_EN}</p><p>{PARA_EN}</p></article></body></html>"
    )


def test_dates_of_other_articles_are_not_the_page_date():
    # a "latest news" list with <time> elements before the article, a related-stories block
    # with datelines: neither is the page's date
    nav = (
        "<nav><ul><li><span class='time-posted'><time datetime='2023-12-24T13:05:00-05:00'>"
        "Dec 24</time></span> <a href='/other'>Another story</a></li></ul></nav>"
    )
    related = (
        "<div id='related_releases'><div class='related-summary'>"
        "<span class='story-date'>Nov. 29, 2022 —</span> An older release</div></div>"
    )
    head = ""
    body = f"{nav}{related}<dl><dt>Date:</dt><dd id='date_posted'>December 18, 2023</dd></dl>"
    ext = extract(_dated_page(head, body), "https://www.example.com/releases/231218.htm")
    assert ext.published_at == datetime(2023, 12, 18, tzinfo=UTC)
    assert ext.published_source == "visible"
    # the article's own <time> wins over a sidebar clock that comes first in the document
    body = (
        "<aside><time datetime='2023-12-24T09:00:00Z'>9:00</time></aside>"
        "<article><time datetime='2023-12-19T15:00:00-05:00'>Dec 19</time></article>"
    )
    ext = extract(_dated_page("", body), "https://www.example.com/story")
    assert ext.published_at == datetime(2023, 12, 19, 20, 0, tzinfo=UTC)
    assert ext.published_source == "time"


def test_meta_and_json_ld_disagreeing_the_visible_dateline_decides():
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2023-10-08T07:00:25-04:00", '
        '"dateModified": "2023-10-08T07:00:25-04:00"}</script>'
    )
    meta = '<meta property="article:published_time" content="2023-10-05T15:18:28-04:00">'
    dateline = "<span class='article-date'>Published October 8, 2023 7:00am EDT</span>"
    ext = extract(_dated_page(meta + ld, dateline), "https://www.example.com/story")
    assert ext.published_at == datetime(2023, 10, 8, 11, 0, 25, tzinfo=UTC)
    assert ext.published_source == "json-ld"
    # no visible dateline: the meta tag keeps its priority
    ext = extract(_dated_page(meta + ld), "https://www.example.com/story")
    assert ext.published_source == "meta"
    assert ext.published_at.date() == date(2023, 10, 5)
    # itemprop=datePublished repeats per item of a live blog: it does not overrule the meta tag
    item = (
        "<div class='date-mobile'><time itemprop='datePublished' "
        "datetime='2022-11-01T10:34:37-04:00'>November 1, 2022</time></div>"
    )
    ext = extract(_dated_page(meta, item), "https://www.example.com/story")
    assert ext.published_source == "meta"


def test_the_local_day_of_a_utc_timestamp():
    # a <time datetime> with the site's offset shows the same instant: its day is the local day
    meta = '<meta property="article:published_time" content="2023-12-02T00:46:23+00:00">'
    body = (
        "<span class='td-post-date'><time class='entry-date updated' "
        "datetime='2023-12-01T19:46:23-05:00'>December 1, 2023</time></span>"
    )
    ext = extract(_dated_page(meta, body), "https://www.example.com/story")
    assert ext.published_at == datetime(2023, 12, 2, 0, 46, 23, tzinfo=UTC)
    assert ext.published_local_date == date(2023, 12, 1)
    # a time written before the date in the dateline
    meta = '<meta property="article:published_time" content="2023-12-20T01:00:21.174Z">'
    body = "<div class='timestamp'>Published 8:00 PM EST, Tue December 19, 2023</div>"
    ext = extract(_dated_page(meta, body), "https://www.example.com/story")
    assert ext.published_local_date == date(2023, 12, 19)
    # a value without an offset is read as UTC (no outlet zone): same rule
    meta = '<meta property="article:published_time" content="2023-12-23T03:00:46.074">'
    body = "<div class='ArticlePage-datePublished'>December 22, 2023 10:00 PM</div>"
    ext = extract(_dated_page(meta, body), "https://www.example.com/story")
    assert ext.published_at == datetime(2023, 12, 23, 3, 0, 46, 74000, tzinfo=UTC)
    assert ext.published_local_date == date(2023, 12, 22)


# ---- standfirst ------------------------------------------------------------------------
DEK = "Officials say the repairs will take at least three more weeks to finish."


def _dek_page(dek_html: str, description: str = DEK) -> str:
    return (
        f"<html><head><meta name='description' content='{description}'></head><body>"
        f"<header><h1>Bridge closed for repairs</h1>{dek_html}</header>"
        f"<div class='story'><p>{PARA_EN}</p><p>{PARA_EN} More.</p><p>{PARA_EN} End.</p>"
        "</div></body></html>"
    )


def test_the_standfirst_shown_under_the_headline_starts_the_text():
    ext = extract(_dek_page(f"<p class='x1'>{DEK}</p>"), "https://www.example.com/story")
    assert ext.text.startswith(DEK + "\n")
    assert ext.text.count(DEK) == 1


def test_the_description_shown_above_the_headline_is_not_a_standfirst():
    # the same words in a teaser or summary box before the h1 (a "speakable" block, a list
    # of key points above the story): not the line under the headline
    page = _dek_page("").replace("<header>", f"<div class='box'><b>{DEK}</b></div><header>")
    ext = extract(page, "https://www.example.com/story")
    assert DEK not in ext.text


def test_no_standfirst_when_the_page_does_not_show_the_description():
    ext = extract(_dek_page(""), "https://www.example.com/story")
    assert DEK not in ext.text
    # shown only inside a link (a teaser of this story elsewhere on the page): not a standfirst
    ext = extract(
        _dek_page(f"<a href='/story'><span>{DEK}</span></a>"), "https://www.example.com/story"
    )
    assert not ext.text.startswith(DEK)
    # the element must show the description and nothing else
    ext = extract(
        _dek_page(f"<p class='x1'>{DEK} And another sentence here.</p>"),
        "https://www.example.com/story",
    )
    assert not ext.text.startswith(DEK)


def test_what_several_readers_search_for_is_found_once_per_reading():
    from lxml import html as lxml_html

    from processing.extraction import selectors as sel

    page = lxml_html.fromstring(
        "<html><head><meta property='og:title' content='A'><meta name='author' content='B'>"
        "</head><body><p>x</p></body></html>"
    )
    other = lxml_html.fromstring("<html><head><meta property='og:title' content='C'></head>")
    calls: list[object] = []

    def find(tree: object) -> int:
        calls.append(tree)
        return len(calls)

    assert sel.once(page, "n", find) == 1 and sel.once(page, "n", find) == 2  # no reading
    calls.clear()
    with sel.reading(page):
        assert sel.once(page, "n", find) == 1
        assert sel.once(page, "n", find) == 1  # found once
        assert sel.once(other, "n", find) == 2  # another tree: not the one being read
        assert sel.OG_TITLE(page) == ["A"] and sel.META_AUTHOR_TAGS(page) == ["B"]
        assert sel.OG_TITLE(other) == ["C"]
        with sel.reading(other):
            assert sel.once(other, "n", find) == 3
        assert sel.once(page, "n", find) == 1  # the outer reading is back
    assert sel.once(page, "n", find) == 4  # over: every time again
