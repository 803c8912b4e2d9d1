"""Sentence segmentation: Arabic and English sentence ends, what is not a sentence end, and
splitting long sentences under a token budget without losing or truncating anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from processing.translation.segment import (
    fit_to_budget,
    normalize,
    segment_paragraph,
    split_in_two,
    split_sentences,
)


def words(n: str) -> int:
    """A token counter for unit tests: one token per word plus </s>."""
    return len(n.split()) + 1


def test_english_sentences_keep_abbreviations_decimals_and_quotes():
    text = (
        "Mr. Smith flew to the U.S. on Monday. Prices rose 3.5 percent! Why? "
        'He said: "We are leaving." Then he left. "Is it over?" she asked. '
        "Talks, e.g. in Geneva, failed."
    )
    assert split_sentences(text) == [
        "Mr. Smith flew to the U.S. on Monday.",
        "Prices rose 3.5 percent!",
        "Why?",
        'He said: "We are leaving."',
        "Then he left.",
        '"Is it over?" she asked.',
        "Talks, e.g. in Geneva, failed.",
    ]


def test_arabic_sentences():
    text = (
        "قال المرصد إن 3.5 مليون شخص نزحوا. هل ستنجح المفاوضات؟ نعم! "
        "وأضاف د. أحمد «انتهى الأمر.» ثم غادر، وقال إن الوضع صعب؛ لكنه مستقر."
    )
    assert split_sentences(text) == [
        "قال المرصد إن 3.5 مليون شخص نزحوا.",
        "هل ستنجح المفاوضات؟",
        "نعم!",
        "وأضاف د. أحمد «انتهى الأمر.»",
        "ثم غادر، وقال إن الوضع صعب؛ لكنه مستقر.",  # commas/semicolons only when too long
    ]


def test_line_breaks_and_list_numbers():
    assert split_sentences("1. First point. 2. Second point.\nA new line") == [
        "1. First point.",
        "2. Second point.",
        "A new line",
    ]
    assert split_sentences("   ") == []


def test_long_sentence_split_at_commas_first_then_words():
    sentence = (
        "واحد اثنان ثلاثة، أربعة خمسة ستة، سبعة ثمانية تسعة عشرة أحد عشر اثنا عشر "
        "ثلاثة عشر أربعة عشر خمسة عشر، ستة عشر"
    )
    pieces = fit_to_budget(sentence, words, budget=7)
    assert all(words(p) <= 7 for p in pieces)
    assert " ".join(pieces).split() == sentence.split()  # nothing lost, order kept
    assert pieces[0] == "واحد اثنان ثلاثة، أربعة خمسة ستة،"  # packed up to a comma
    assert len(pieces) > 3


def test_semicolon_before_comma_and_untouched_when_short():
    sentence = "a b, c d; e f, g h"
    assert fit_to_budget(sentence, words, budget=20) == [sentence]
    assert fit_to_budget(sentence, words, budget=5) == ["a b, c d;", "e f, g h"]


def test_an_overlong_word_is_split_between_characters():
    url = "https://example.com/" + "x" * 200

    def chars(text: str) -> int:
        return len(text) // 10 + 1

    pieces = fit_to_budget(f"see {url}", chars, budget=5)
    assert all(chars(p) <= 5 for p in pieces)
    assert "".join(pieces).replace(" ", "") == f"see{url}"


def test_split_in_two_prefers_punctuation_near_the_middle():
    assert split_in_two("one two three, four five six") == ("one two three,", "four five six")
    assert split_in_two("one, two three four five six seven eight") == (
        "one, two three four",
        "five six seven eight",
    )
    assert split_in_two("abcdef") == ("abc", "def")
    assert split_in_two("x") is None


def test_normalize():
    assert normalize("  a\u00a0 b\n c ") == "a b c"


def test_segments_fit_the_real_tokenizer(tiny_model_dir: Path, arabic_sentences: list[str]):
    from devkit.tiny_model import TINY_MAX_INPUT_TOKENS
    from processing.translation.backends import load_tokenizer

    tokenizer = load_tokenizer(str(tiny_model_dir))

    def count(text: str) -> int:
        return len(tokenizer(text, verbose=False)["input_ids"])

    paragraph = "، ".join(s.rstrip(".") for s in arabic_sentences[:12]) + "."
    assert count(paragraph) > 4 * TINY_MAX_INPUT_TOKENS  # really long
    pieces = segment_paragraph(paragraph, count, TINY_MAX_INPUT_TOKENS)
    assert len(pieces) > 4
    assert all(count(p) <= TINY_MAX_INPUT_TOKENS for p in pieces)
    assert " ".join(pieces).split() == paragraph.split()


@pytest.mark.parametrize("budget", [3, 8, 40])
def test_budget_property(budget: int):
    sentence = " ".join(f"w{i}," if i % 7 == 0 else f"w{i}" for i in range(100))
    pieces = fit_to_budget(sentence, words, budget)
    assert all(words(p) <= budget for p in pieces)
    assert " ".join(pieces).split() == sentence.split()
