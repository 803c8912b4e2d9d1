"""The benchmark metrics (benchmarks/metrics.py), checked against hand-computed values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from benchmarks.metrics import (
    author_f1,
    author_set,
    body_score,
    date_in_page,
    page_precision_recall,
    same_day,
    shingle_counts,
    shingles,
    title_match,
    tokenize,
)


def test_tokens_are_unicode_words_with_case_kept():
    assert tokenize("Shares of Apple-fell, 3.5%!") == ["Shares", "of", "Apple", "fell", "3", "5"]
    assert tokenize("قال المرصد: ٣ قتلى") == ["قال", "المرصد", "٣", "قتلى"]
    assert tokenize(None) == []


def test_shingles_are_word_4_grams_with_multiplicity():
    s = shingles("a b c d e")
    assert s == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("x y z x y z x y z")[("x", "y", "z", "x")] == 2


def test_short_text_is_one_shingle_and_empty_text_none():
    assert shingles("only three words") == {("only", "three", "words"): 1}
    assert shingles("") == {}
    assert shingles("!!! ...") == {}


def test_counts_are_normalised_to_sum_to_one():
    # truth: 3 shingles (a b c d / b c d e / c d e f); prediction shares 2 and adds 1
    tp, fp, fn = shingle_counts("a b c d e f", "b c d e f g")
    assert (tp, fp, fn) == pytest.approx((2 / 4, 1 / 4, 1 / 4))
    assert tp + fp + fn == pytest.approx(1.0)


def test_page_precision_recall_rules():
    assert page_precision_recall(*shingle_counts("a b c d e", "a b c d e")) == (1.0, 1.0)
    # both empty: fp = fn = 0 scores 1 for both
    assert page_precision_recall(*shingle_counts("", "")) == (1.0, 1.0)
    # nothing predicted: left out of precision, recall 0
    assert page_precision_recall(*shingle_counts("a b c d e", "")) == (None, 0.0)
    # nothing expected but something predicted: precision 0, left out of recall
    assert page_precision_recall(*shingle_counts("", "a b c d e")) == (0.0, None)


def test_body_score_averages_pages_then_takes_harmonic_mean():
    pairs = [
        ("a b c d e f", "a b c d e f"),  # P 1, R 1
        ("a b c d e f", "a b c d"),  # P 1, R 1/3
        ("a b c d e f", ""),  # left out of P, R 0
    ]
    score = body_score(pairs)
    assert score.pages == 3
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx((1 + 1 / 3 + 0) / 3)
    p, r = score.precision, score.recall
    assert score.f1 == pytest.approx(2 * p * r / (p + r))


def test_multiplicity_counts_repeated_shingles_once_each():
    # the prediction repeats the text: "a b c d" twice, plus three shingles across the join;
    # the truth has it once, so only one of the five predicted shingles is shared
    tp, fp, fn = shingle_counts("a b c d", "a b c d\na b c d")
    p, r = page_precision_recall(tp, fp, fn)
    assert r == pytest.approx(1.0)
    assert p == pytest.approx(1 / 5)


def test_title_match_ignores_whitespace_only():
    assert title_match(" Gaza  aid\nvote ", "Gaza aid vote")
    assert not title_match("Gaza aid vote", "gaza aid vote")
    assert not title_match("Gaza aid vote", None)


def test_same_day():
    assert same_day("2023-12-19", datetime(2023, 12, 19, 23, 59, tzinfo=UTC))
    assert same_day(date(2023, 12, 19), "2023-12-19T05:00:00+05:00")
    assert not same_day("2023-12-19", "2023-12-20")
    assert not same_day("2023-12-19", None)


def test_author_sets_are_split_and_normalised():
    assert author_set("MARY K. JONES, PAUL SMITH") == {"mary k jones", "paul smith"}
    assert author_set(["By Ana Lopez and Omar Haddad"]) == {"ana lopez", "omar haddad"}
    assert author_set(["José Pérez"]) == {"jose perez"}
    assert author_set("") == set()


def test_author_f1():
    assert author_f1("Mary K. Jones, Paul Smith", ["Mary K Jones", "Paul Smith"]) == 1.0
    assert author_f1("A Person, B Person", ["A Person"]) == pytest.approx(2 / 3)
    assert author_f1("A Person", []) == 0.0
    assert author_f1("A Person", ["Someone Else"]) == 0.0


@pytest.mark.parametrize(
    "page, url",
    [
        ("<p>Published 8:00 PM EST, Tue December 19, 2023</p>", ""),
        ("<span>Dec. 19th, 2023</span>", ""),
        ("<span>19 December&nbsp;2023</span>", ""),
        ('{"datePublished": "2023-12-19T03:00:00Z"}', ""),
        ("<dd>12/19/2023</dd>", ""),
        ("<dd>19.12.2023</dd>", ""),
        ("", "https://example.com/2023/12/19/story/"),
        ("", "https://example.com/news/20231219/story"),
    ],
)
def test_date_in_page_finds_the_written_forms(page, url):
    assert date_in_page("2023-12-19", page, url)
    assert date_in_page(date(2023, 12, 19), page.encode(), url)


def test_date_in_page_needs_the_same_day():
    assert not date_in_page(
        "2023-12-19", "<p>December 1, 2023 and 2023-12-190</p>", "https://example.com/2023/12/18/x/"
    )
    assert not date_in_page("2023-12-01", "<p>December 10, 2023</p>")
    assert date_in_page("2023-09-05", "<p>Sept. 5, 2023</p>")
    assert not date_in_page(None, "<p>December 19, 2023</p>")


def test_the_reference_convention_reads_the_metadata_title_as_written():
    from benchmarks.extraction import _metadata_title_as_written

    page = (
        b"<html><head><title>Headline | Site</title>"
        b"<meta property='og:title' content='Headline  - The Site'></head><body></body></html>"
    )
    assert _metadata_title_as_written(page) == "Headline - The Site"  # og first, nothing cut
    assert _metadata_title_as_written(b"<html><head><title>A | B</title></head></html>") == "A | B"
    assert _metadata_title_as_written(b"<html><body><p>no title</p></body></html>") is None
