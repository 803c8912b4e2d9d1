"""extract() on real pages nobody on the project wrote (skipped when ../shared/data is absent):
a sample of the naeb benchmark must beat plain trafilatura, and the Arabic page of the
multilingual set must come out as Arabic text, language ``ar`` and the right date."""

from __future__ import annotations

import logging
from datetime import date

import trafilatura

from benchmarks.metrics import body_score, page_precision_recall, shingle_counts
from processing.extraction import extract
from processing.language import detect_language


def test_naeb_sample_beats_plain_trafilatura(naeb_sample):
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    ours, plain = [], []
    for page in naeb_sample:
        ours.append((page["text"], extract(page["html"], page["link"]).text))
        plain.append((page["text"], trafilatura.extract(page["html"], url=page["link"]) or ""))
    ours_score, plain_score = body_score(ours), body_score(plain)
    assert ours_score.f1 > plain_score.f1, (ours_score, plain_score)
    assert ours_score.precision > plain_score.precision
    assert ours_score.f1 >= 0.93


def test_arabic_page(arabic_page):
    url = arabic_page["meta"].get(
        "url", "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
    )
    ext = extract(arabic_page["html"], url)
    plain = trafilatura.extract(arabic_page["html"], url=url) or ""
    p, r = page_precision_recall(*shingle_counts(arabic_page["text"], ext.text))
    p0, r0 = page_precision_recall(*shingle_counts(arabic_page["text"], plain))
    f1 = 2 * p * r / (p + r)
    assert f1 >= 2 * p0 * r0 / (p0 + r0)
    assert r >= 0.95  # the whole reference text is there
    assert ext.title == arabic_page["meta"].get("title", ext.title)
    lang = detect_language(f"{ext.title}\n{ext.text}", ext.declared_language)
    assert lang.language == "ar" and lang.confidence > 0.9
    # the metadata has no publish_date: the page's dateline says
    # "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)"
    expected = arabic_page["meta"].get("publish_date")
    assert ext.published_at is not None
    if expected:
        assert ext.published_at.date() == date.fromisoformat(expected[:10])
    else:
        assert ext.published_at.date() == date(2013, 8, 28)
        assert ext.published_source == "visible"
