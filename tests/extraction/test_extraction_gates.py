"""Quality gates: a fixed vocabulary of rejection reasons; a missing date is only flagged."""

from __future__ import annotations

from datetime import UTC, datetime

from processing.extraction import Extraction
from processing.extraction.gates import (
    FLAGS,
    MAX_TITLE_CHARS,
    REASONS,
    check_quality,
    published_at_source,
    quality_flags,
)
from processing.language import LanguageResult

TEXT = "A paragraph of real reporting from the ground, long enough to count. " * 5
EN = LanguageResult("en", 0.99, [], "langdetect")


def article(**kw) -> Extraction:
    fields = {
        "url": "https://example.com/a",
        "title": "A title",
        "text": TEXT,
        "published_at": datetime(2024, 7, 24, tzinfo=UTC),
        "published_source": "meta",
    }
    fields.update(kw)
    return Extraction(**fields)


def test_a_good_article_passes():
    assert check_quality(article(), EN) == []
    assert quality_flags(article()) == []
    assert published_at_source(article()) == "meta"


def test_each_reason():
    assert check_quality(article(text="Too short."), EN) == ["too_short"]
    assert check_quality(article(text="x" * 150), EN, min_body_chars=100) == []
    assert check_quality(article(title=None), EN) == ["no_title"]
    assert check_quality(article(title="  "), EN) == ["no_title"]
    assert check_quality(article(), LanguageResult("und", 0.0, [], "none")) == ["no_language"]
    leaky = article(text=TEXT + "\nPlease enter your comment! Please enter your name here")
    assert check_quality(leaky, EN) == ["boilerplate_leak"]


def test_reasons_come_from_the_fixed_vocabulary_in_order():
    bad = article(text="", title="", published_at=None)
    reasons = check_quality(bad, LanguageResult("und", 0.0, [], "none"))
    assert reasons == ["too_short", "no_title", "no_language"]
    assert set(reasons) <= set(REASONS)


def test_a_missing_date_is_flagged_not_rejected():
    undated = article(published_at=None, published_source=None)
    assert check_quality(undated, EN) == []
    assert quality_flags(undated) == ["missing_date"]
    assert set(quality_flags(undated)) <= set(FLAGS)
    assert published_at_source(undated) == "missing"


def test_a_huge_title_is_rejected():
    huge = article(title="Breaking " * 25_000)  # 225,000 characters
    assert check_quality(huge, EN) == ["title_too_long"]
    assert check_quality(article(title="x" * MAX_TITLE_CHARS), EN) == []
    assert "title_too_long" in REASONS
