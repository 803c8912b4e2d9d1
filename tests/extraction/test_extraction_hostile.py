"""Hostile and odd input found by fault tests: charsets, byte-order marks, paywalled teasers,
absurd titles, placeholder dates. Each would break or pollute a corpus row without its fix."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from processing.extraction import ExtractionError, decode_html, extract
from processing.extraction.gates import check_quality
from processing.language import LanguageResult

BODY = "".join(
    f"<p>Paragraph {i} of the report says that the council met on Tuesday and voted again.</p>"
    for i in range(6)
)


def page(head: str = "", body: str = BODY, title: str = "Council votes again") -> str:
    return (
        f"<html><head>{head}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


# ---- charsets -----------------------------------------------------------------------------
def test_utf16_with_a_bom_and_no_charset_label_decodes():
    html = page(title="Déjà vu in Zürich — ça va")
    for data in (html.encode("utf-16"), html.encode("utf-16-be"), html.encode("utf-32")):
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data = b"\xfe\xff" + data  # utf-16-be has no BOM of its own
        text, encoding = decode_html(data)
        assert "Déjà vu in Zürich" in text
        assert encoding.startswith(("utf-16", "utf-32"))
        ext = extract(data, "https://example.com/a")
        assert ext.title == "Déjà vu in Zürich — ça va"


def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes():
    data = page(title="Zürich").encode("utf-16-le")
    assert extract(data, "https://example.com/a").title == "Zürich"


def test_valid_utf8_wins_over_a_meta_tag_that_says_latin1():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    data = page(head=head, title="Ça coûte 5 € à Zürich").encode("utf-8")
    _, encoding = decode_html(data)
    assert encoding == "utf-8"
    ext = extract(data, "https://example.com/a")
    assert ext.title == "Ça coûte 5 € à Zürich"
    assert "Ã" not in ext.title


def test_a_real_latin1_page_is_read_as_windows_1252():
    head = '<meta charset="iso-8859-1">'
    data = page(head=head, title="“Ça coûte” à Zürich").encode("cp1252")
    text, encoding = decode_html(data)
    assert encoding == "cp1252"
    assert "“Ça coûte” à Zürich" in text


def test_the_http_header_charset_comes_first():
    # the server says windows-1251 and the bytes are windows-1251 (valid UTF-8 they are not)
    data = page(head='<meta charset="utf-8">', title="Новости дня").encode("cp1251")
    assert decode_html(data, "text/html; charset=windows-1251")[1] == "cp1251"
    assert (
        extract(data, "https://example.com/a", content_type="text/html; charset=windows-1251").title
        == "Новости дня"
    )


def test_bytes_that_decode_to_garbage_are_refused():
    with pytest.raises(ExtractionError) as err:
        decode_html(bytes(range(0, 32)) * 200)
    assert err.value.reason == "bad_encoding"


# ---- paywalls -----------------------------------------------------------------------------
def _ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


@pytest.mark.parametrize(
    "ld, expected",
    [
        ('{"@type": "NewsArticle", "isAccessibleForFree": false}', False),
        ('{"@type": "NewsArticle", "isAccessibleForFree": "False"}', False),
        ('{"@type": "NewsArticle", "isAccessibleForFree": "false"}', False),
        (
            '{"@type": "NewsArticle", "hasPart": {"@type": "WebPageElement",'
            ' "isAccessibleForFree": "False", "cssSelector": ".paywall"}}',
            False,
        ),
        (
            '{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle", "hasPart": ['
            '{"@type": "WebPageElement", "isAccessibleForFree": false}]}]}',
            False,
        ),
        ('{"@type": "NewsArticle", "isAccessibleForFree": true}', True),
        ('{"@type": "NewsArticle", "isAccessibleForFree": "True"}', True),
        ('{"@type": "NewsArticle", "headline": "Council votes again"}', None),
    ],
)
def test_paywalled_teasers_are_flagged(ld, expected):
    assert extract(page(head=_ld(ld)), "https://example.com/a").accessible_for_free is expected


def test_paywall_in_microdata():
    head = '<meta itemprop="isAccessibleForFree" content="False">'
    assert extract(page(head=head), "https://example.com/a").accessible_for_free is False


# ---- absurd titles --------------------------------------------------------------------------
def test_a_200000_character_title_is_never_stored():
    title = "Breaking " * 22_223  # 200,007 characters in <title>, og:title and h1
    html = page(head=f'<meta property="og:title" content="{title}">', title=title)
    ext = extract(html, "https://example.com/a")
    reasons = check_quality(ext, LanguageResult("en", 0.99, [], "langdetect"))
    assert "title_too_long" in reasons


# ---- placeholder dates ------------------------------------------------------------------------
def test_a_year_one_placeholder_is_not_a_publication_date():
    head = '<meta property="article:published_time" content="0001-01-01T00:00:00Z">' + _ld(
        '{"@type": "NewsArticle", "datePublished": "2024-03-05T10:00:00Z"}'
    )
    ext = extract(page(head=head), "https://example.com/a")
    assert ext.published_at == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert ext.published_source == "json-ld"


def test_placeholders_with_offsets_do_not_crash():
    for value in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1970-01-01T00:00:00Z"):
        head = f'<meta property="article:published_time" content="{value}">'
        ext = extract(page(head=head), "https://example.com/a")
        assert ext.published_at is None or ext.published_at.year >= 1990
