"""Dates: metadata values, visible datelines (English and both Arabic month series), Arabic-
Indic digits, Sputnik's compact form, offsets without a colon, URL dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from processing.core.dates import (
    date_from_url,
    has_time,
    iso,
    parse_date_value,
    parse_datetime,
    parse_visible_date,
    to_ascii_digits,
    written_day,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- machine-readable values (unchanged behaviour of parse_datetime) ---------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ("20260729T1319+0800", utc(2026, 7, 29, 5, 19)),  # Sputnik article:published_time
        ("2024-07-24T06:00:00-0400", utc(2024, 7, 24, 10, 0)),  # Politico JSON-LD, no colon
        ("2024-07-24T06:00:00-04:00", utc(2024, 7, 24, 10, 0)),
        ("2023-12-21T18:30:00.462Z", utc(2023, 12, 21, 18, 30, 0, 462000)),
        ("Tue, 19 Dec 2023 23:00:00 -0500", utc(2023, 12, 20, 4, 0)),  # RSS pubDate
        ("1703030400", utc(2023, 12, 20, 0, 0)),  # data-unixtime
        ("1703030400000", utc(2023, 12, 20, 0, 0)),
        ("٢٠٢٤-١٠-٠٢T١٠:٣٠:٠٠+03:00", utc(2024, 10, 2, 7, 30)),  # Arabic-Indic digits
    ],
)
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


def test_parse_datetime_reads_naive_values_in_the_outlet_zone():
    assert parse_datetime("2024-10-02 10:00", "Asia/Damascus") == utc(2024, 10, 2, 7, 0)
    assert parse_datetime("2024-10-02 10:00") == utc(2024, 10, 2, 10, 0)
    assert parse_datetime("not a date") is None
    assert parse_datetime(None) is None


def test_parse_date_value_keeps_bare_dates_on_their_day():
    # midnight Damascus would be the previous day in UTC; a bare date stays on its day
    assert parse_date_value("2023-12-17", "Asia/Damascus") == utc(2023, 12, 17)
    assert parse_date_value("Dec 21, 2023 10:00 AM") == utc(2023, 12, 21, 10, 0)
    assert parse_date_value("20260729T1319+0800") == utc(2026, 7, 29, 5, 19)


# ---- visible datelines ---------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        # Levantine series
        ("٥ كانون الثاني ٢٠٢٤", date(2024, 1, 5)),
        ("12 شباط 2024", date(2024, 2, 12)),
        ("3 آذار 2024", date(2024, 3, 3)),
        ("3 اذار 2024", date(2024, 3, 3)),
        ("22 نيسان 2024", date(2024, 4, 22)),
        ("1 أيار 2024", date(2024, 5, 1)),
        ("1 ايار 2024", date(2024, 5, 1)),
        ("30 حزيران 2024", date(2024, 6, 30)),
        ("29 تموز 2026", date(2026, 7, 29)),
        ("28 آب 2013", date(2013, 8, 28)),
        ("9 أيلول 2024", date(2024, 9, 9)),
        ("12 تشرين الأول 2023", date(2023, 10, 12)),
        ("12 تشرين الاول 2023", date(2023, 10, 12)),
        ("2 تشرين الثاني 2023", date(2023, 11, 2)),
        ("25 كانون الأول 2023", date(2023, 12, 25)),
        # Egyptian / Gulf series, with spelling variants
        ("5 يناير 2024", date(2024, 1, 5)),
        ("5 فبراير 2024", date(2024, 2, 5)),
        ("5 مارس 2024", date(2024, 3, 5)),
        ("5 أبريل 2024", date(2024, 4, 5)),
        ("5 ابريل 2024", date(2024, 4, 5)),
        ("5 إبريل 2024", date(2024, 4, 5)),
        ("5 مايو 2024", date(2024, 5, 5)),
        ("5 يونيو 2024", date(2024, 6, 5)),
        ("5 يونيه 2024", date(2024, 6, 5)),
        ("5 يوليو 2024", date(2024, 7, 5)),
        ("5 يوليه 2024", date(2024, 7, 5)),
        ("5 أغسطس 2024", date(2024, 8, 5)),
        ("5 اغسطس 2024", date(2024, 8, 5)),
        ("5 سبتمبر 2024", date(2024, 9, 5)),
        ("5 أكتوبر 2024", date(2024, 10, 5)),
        ("5 اكتوبر 2024", date(2024, 10, 5)),
        ("5 نوفمبر 2024", date(2024, 11, 5)),
        ("5 ديسمبر 2024", date(2024, 12, 5)),
        # both series at once, Arabic-Indic digits, weekday and Arabic comma
        ("الأربعاء، 28 آب/اغسطس 2013", date(2013, 8, 28)),
        ("٢٨ أكتوبر ٢٠٢٤", date(2024, 10, 28)),
        ("يوليو 4، 2022", date(2022, 7, 4)),
        # English forms
        ("December 21, 2023", date(2023, 12, 21)),
        ("Dec. 3rd, 2023", date(2023, 12, 3)),
        ("Saturday 14 June 2025", date(2025, 6, 14)),
        ("Posted on 2023/12/05", date(2023, 12, 5)),
        ("29.07.2026", date(2026, 7, 29)),
        ("12/21/2023", date(2023, 12, 21)),  # month first when the day cannot be first
        ("21/12/2023", date(2023, 12, 21)),
    ],
)
def test_visible_dates(text, expected):
    assert parse_visible_date(text) == datetime(
        expected.year, expected.month, expected.day, tzinfo=UTC
    )
    assert written_day(text) == expected


def test_visible_date_with_time_and_zone():
    # arabic.cnn.com's dateline: 14:00 at GMT+4 is 10:00 UTC
    text = "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)"
    assert parse_visible_date(text) == utc(2013, 8, 28, 10, 0)
    assert has_time(text)
    assert parse_visible_date("December 21, 2023 1:00 PM ET") == utc(2023, 12, 21, 18, 0)
    assert parse_visible_date("Saturday 14 June 2025 05:39, UK") == utc(2025, 6, 14, 4, 39)  # BST
    assert parse_visible_date("03 أيار 2021 الساعة 09:15 مساءً") == utc(2021, 5, 3, 21, 15)
    # no zone written: the outlet's zone
    assert parse_visible_date("12 تشرين الأول 2023 - 10:30", "Asia/Damascus") == utc(
        2023, 10, 12, 7, 30
    )
    assert not has_time("December 21, 2023")


def test_a_time_written_before_the_date_counts():
    text = "Published 8:00 PM EST, Tue December 19, 2023"
    assert parse_visible_date(text) == utc(2023, 12, 20, 1, 0)
    assert has_time(text)
    assert written_day(text) == date(2023, 12, 19)
    # a time after the date still wins over one before it
    assert parse_visible_date("Updated 9:00 AM, December 19, 2023 10:30 PM UTC") == utc(
        2023, 12, 19, 22, 30
    )


def test_not_dates():
    for text in ("", "Shares of Apple fell 3%", "مدار الليل والنهار", "32 مارس 2024", "Room 101"):
        assert parse_visible_date(text) is None


def test_written_day_is_the_day_before_conversion():
    assert written_day("2023-12-19T20:00:00-05:00") == date(2023, 12, 19)
    assert parse_datetime("2023-12-19T20:00:00-05:00").date() == date(2023, 12, 20)
    assert written_day("20260729T0130+0800") == date(2026, 7, 29)
    assert written_day("1703030400") is None


def test_dates_in_urls():
    assert date_from_url("https://sarabic.ae/20241002/slug-1093361261.html") == date(2024, 10, 2)
    assert date_from_url("https://www.politico.com/news/2024/07/24/slug-00170882") == date(
        2024, 7, 24
    )
    assert date_from_url("https://www.syriahr.com/en/345678/") is None


def test_helpers():
    assert to_ascii_digits("٢٠٢٤/۱۰") == "2024/10"
    assert iso(utc(2024, 10, 2, 7, 30)) == "2024-10-02T07:30:00Z"
    assert iso(None) is None


# ---- the date reader of extract(): plausibility, sources, fallbacks -------------------------
def _page(head: str = "", body: str = "") -> str:
    paras = "".join(
        f"<p>Paragraph {i}: the council met on Tuesday and voted on the budget again.</p>"
        for i in range(5)
    )
    return (
        f"<html><head><title>Council votes</title>{head}</head><body><article>"
        f"<h1>Council votes</h1>{paras}</article>{body}</body></html>"
    )


def _ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


FETCHED = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


def test_a_date_after_the_fetch_time_is_not_believed():
    from processing.extraction import extract

    head = '<meta property="article:published_time" content="2024-03-20T10:00:00Z">' + _ld(
        '{"@type": "NewsArticle", "datePublished": "2024-03-09T08:00:00Z"}'
    )
    ext = extract(_page(head), "https://example.com/a", reference_time=FETCHED)
    assert ext.published_at == utc(2024, 3, 9, 8, 0)
    assert ext.published_source == "json-ld"
    # the same page fetched later: the meta tag is plausible then
    later = extract(_page(head), "https://example.com/a", reference_time=utc(2024, 4, 1))
    assert later.published_source == "meta"


def test_a_date_up_to_a_day_after_the_fetch_time_is_allowed():
    from processing.extraction import extract

    head = '<meta property="article:published_time" content="2024-03-11T08:00:00+09:00">'
    ext = extract(_page(head), "https://example.com/a", reference_time=FETCHED)
    assert ext.published_at == utc(2024, 3, 10, 23, 0)


def test_dates_before_1990_are_placeholders():
    from processing.extraction import extract

    head = (
        '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
        '<time datetime="2024-03-01T09:00:00Z"></time>'
    )
    ext = extract(_page(head), "https://example.com/a", reference_time=FETCHED)
    assert ext.published_at is not None and ext.published_at.year == 2024
    assert ext.published_source != "meta"


def test_url_dates_outside_the_window_are_ignored():
    from processing.extraction import extract

    ext = extract(_page(), "https://example.com/2031/01/05/story", reference_time=FETCHED)
    assert ext.published_source != "url"


def test_htmldate_searches_the_whole_page_when_nothing_else_dates_it():
    from processing.extraction import extract

    more = "".join(f"<div><p>Aside {i} about the budget and the vote.</p></div>" for i in range(12))
    footer = "<footer><p>This report was first published on 4 February 2024.</p></footer>"
    ext = extract(_page(body=more + footer), "https://example.com/story", reference_time=FETCHED)
    assert ext.published_at is not None
    assert ext.published_at.date() == date(2024, 2, 4)
    assert ext.published_source == "htmldate"
    assert ext.published_local_date == date(2024, 2, 4)


def test_a_published_time_equal_to_the_modified_time_is_the_modified_time():
    from processing.extraction import extract

    head = (
        '<meta property="article:published_time" content="2024-03-07T12:43:39Z">'
        '<meta property="article:modified_time" content="2024-03-07T12:43:46Z">'
        + _ld('{"@type": "NewsArticle", "datePublished": "2024-03-06T22:00:40Z"}')
    )
    ext = extract(_page(head), "https://example.com/a", reference_time=FETCHED)
    assert ext.published_at == utc(2024, 3, 6, 22, 0, 40)
    assert ext.published_source == "json-ld"
    assert ext.modified_at == utc(2024, 3, 7, 12, 43, 46)


def test_json_ld_wrapped_in_cdata_or_comments_is_read():
    from processing.extraction import extract

    for wrapped in (
        '<![CDATA[{"@type": "NewsArticle", "datePublished": "2024-02-01T10:00:00Z"}]]>',
        '<!--{"@type": "NewsArticle", "datePublished": "2024-02-01T10:00:00Z"}-->',
        '//<![CDATA[\n{"@type": "NewsArticle", "datePublished": "2024-02-01T10:00:00Z"}\n//]]>',
    ):
        ext = extract(_page(_ld(wrapped)), "https://example.com/a", reference_time=FETCHED)
        assert ext.published_source == "json-ld", wrapped
        assert ext.published_at == utc(2024, 2, 1, 10, 0)


def test_parse_date_value_survives_placeholders_at_the_calendar_edges():
    assert parse_date_value("0001-01-01T00:00:00+05:00") is None
    assert parse_date_value("9999-12-31T23:59:59-05:00") is None
    assert parse_datetime("0001-01-01T00:00:00+05:00") is None


# ---- the conflict rule on pages carrying published, modified, copyright and related dates --
FETCHED_MAY = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
STORY = "<p>" + "The council met on Tuesday and voted on the new budget for the town. " * 5 + "</p>"
FOOTER = "<footer><p>© 2024 The Example Gazette. All rights reserved.</p></footer>"
RELATED = (
    '<aside class="related-stories"><ul><li><a href="/x">Older story</a>'
    '<time datetime="2024-05-09T08:00:00Z">May 9, 2024</time></li></ul></aside>'
)


def dated_page(head: str = "", header: str = "", after: str = "") -> str:
    return (
        f'<html lang="en"><head><meta charset="utf-8">{head}</head><body><main><article>'
        f"<h1>Council votes on the new budget for the town</h1>{header}{STORY}</article>"
        f"{after}{RELATED}</main>{FOOTER}</body></html>"
    )


def test_published_wins_over_modified_copyright_and_related_dates():
    from processing.extraction import extract

    html = dated_page(
        '<meta property="article:published_time" content="2024-05-02T09:00:00+02:00">'
        '<meta property="article:modified_time" content="2024-05-08T16:30:00+02:00">',
        '<p class="dateline">Published 2 May 2024 | Updated 8 May 2024</p>',
    )
    got = extract(html, "https://gazette.example/council-budget", reference_time=FETCHED_MAY)
    assert got.published_at == utc(2024, 5, 2, 7, 0)
    assert got.published_source == "meta"
    assert got.modified_at == utc(2024, 5, 8, 14, 30)


def test_without_metadata_the_published_dateline_not_the_updated_one():
    from processing.extraction import extract

    html = dated_page(
        header='<div class="post-date"><span>Updated May 8, 2024</span></div>'
        '<div class="publish-date">Published May 2, 2024</div>'
    )
    got = extract(html, "https://gazette.example/council-budget", reference_time=FETCHED_MAY)
    assert got.published_local_date == date(2024, 5, 2)
    assert got.published_source == "visible"
    assert got.modified_at is not None and got.modified_at.date() == date(2024, 5, 8)


def test_a_related_articles_time_is_not_the_page_date():
    from processing.extraction import extract

    # the article's own <time> and a teaser card's, both <article> elements
    html = dated_page(
        header='<time datetime="2024-05-02T09:00:00Z">2 May</time>',
        after='<article class="card"><h2>Another story</h2>'
        '<time datetime="2024-05-09T10:00:00Z">9 May</time></article>',
    )
    got = extract(html, "https://gazette.example/council-budget", reference_time=FETCHED_MAY)
    assert got.published_at == utc(2024, 5, 2, 9, 0)
    assert got.published_source == "time"


def test_a_copyright_year_is_never_the_publication_date():
    from processing.extraction import extract

    html = dated_page()  # only the copyright notice and a related story carry dates
    got = extract(html, "https://gazette.example/council-budget", reference_time=FETCHED_MAY)
    assert got.published_at is None or got.published_at.date() != date(2024, 1, 1)
    assert got.published_at is None or got.published_at.date() != date(2024, 5, 9)


def test_meta_and_json_ld_disagreeing_the_url_decides():
    from processing.extraction import extract

    html = dated_page(
        '<meta property="article:published_time" content="2024-05-08T16:30:00Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2024-05-02T09:00:00Z"}</script>'
    )
    got = extract(
        html, "https://gazette.example/2024/05/02/council-budget", reference_time=FETCHED_MAY
    )
    assert got.published_at == utc(2024, 5, 2, 9, 0)
    assert got.published_source == "json-ld"


def test_a_rewritten_published_time_equal_to_the_modified_time_gives_way():
    from processing.extraction import extract

    html = dated_page(
        '<meta property="article:published_time" content="2024-05-08T16:30:00Z">'
        '<meta property="article:modified_time" content="2024-05-08T16:30:00Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2024-05-02T09:00:00Z", "dateModified": "2024-05-08T16:30:00Z"}'
        "</script>"
    )
    got = extract(html, "https://gazette.example/council-budget", reference_time=FETCHED_MAY)
    assert got.published_at == utc(2024, 5, 2, 9, 0)
    assert got.modified_at == utc(2024, 5, 8, 16, 30)


def test_a_time_far_from_the_url_date_loses_to_the_url():
    from processing.extraction import extract

    html = dated_page(header='<time datetime="2024-06-30T18:00:00Z">Concert: 30 June</time>')
    got = extract(
        html, "https://gazette.example/2024/05/02/council-budget", reference_time=FETCHED_MAY
    )
    assert got.published_local_date == date(2024, 5, 2)
    assert got.published_source == "url"
