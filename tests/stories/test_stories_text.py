"""Text normalisation and features, and the fingerprint (signatures, bytes, estimates)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from processing.stories import Fingerprint, FingerprintError, fingerprint_text, normalize
from processing.stories.fingerprint import NUM_PERM, signature, similarity
from processing.stories.text import content_words, paragraph_tokens, shingles
from tests.stories.helpers import VOCABULARY, edited, text


def test_normalize_folds_what_spellings_vary_on():
    # diacritics, tatweel, alef forms, alef maqsura, ta marbuta, Arabic-Indic digits
    assert normalize("أَحْمَد إلى مدرسـة ٢٠١٨") == normalize("احمد الي مدرسه 2018")
    assert normalize("Ｆｕｌｌ WIDTH") == "full width"
    assert normalize("1,250 people; 3.500 more") == "1250 people; 3500 more"
    assert normalize("line one\nline two").count("\n") == 1


def test_tokens_split_unspaced_scripts_into_characters():
    (zh,) = paragraph_tokens("中国人民 news")
    assert zh == ["中", "国", "人", "民", "news"]
    (mixed,) = paragraph_tokens("“Quoted,” she said — twice.")
    assert mixed == ["quoted", "she", "said", "twice"]


def test_shingles_stay_inside_paragraphs():
    a = paragraph_tokens("one two three four\nfive six seven")
    b = paragraph_tokens("five six seven\none two three four")
    assert (
        shingles(a, 3)
        == shingles(b, 3)
        == {
            "one two three",
            "two three four",
            "five six seven",
        }
    )
    assert shingles(paragraph_tokens("short line"), 3) == {"short line"}


def test_content_words_leave_out_stopwords():
    words = content_words(paragraph_tokens("The minister said that 40 people were killed in Homs"))
    assert words == {"minister", "40", "people", "killed", "homs"}


def test_minhash_estimates_jaccard():
    rng = random.Random(1)
    for overlap in (0.1, 0.3, 0.5, 0.8):
        shared = set(rng.sample(VOCABULARY, int(600 * overlap)))
        a = shared | {f"a{i}" for i in range(600 - len(shared))}
        b = shared | {f"b{i}" for i in range(600 - len(shared))}
        exact = len(a & b) / len(a | b)
        sa, sb = signature(a), signature(b)
        assert sa is not None and sb is not None
        assert abs(similarity(sa, sb) - exact) < 0.13  # three standard errors at J = 0.5
    assert signature(set()) is None


def test_fingerprint_round_trips_through_bytes():
    fp = fingerprint_text(text(1), text(1))
    assert fp.text is not None and fp.english is not None
    data = fp.to_bytes()
    assert len(data) == 2 + 2 * (4 + 2 * NUM_PERM)
    back = Fingerprint.from_bytes(data)
    assert back == fp
    assert np.array_equal(back.text, fp.text) and back.text_features == fp.text_features
    only_text = fingerprint_text(text(2), None)
    assert only_text.english is None
    assert Fingerprint.from_bytes(only_text.to_bytes()) == only_text
    assert len(only_text.to_bytes()) == 2 + 4 + 2 * NUM_PERM


@pytest.mark.parametrize(
    "data",
    [b"", b"\x02\x01" + b"\x00" * 260, b"\x01\x01" + b"\x00" * 10, b"\x01\x04"],
)
def test_fingerprint_rejects_other_bytes(data):
    with pytest.raises(FingerprintError):
        Fingerprint.from_bytes(data)


def test_short_texts_get_no_signature():
    fp = fingerprint_text("Breaking news in brief", "Breaking news in brief")
    assert fp.empty


def test_an_edited_copy_stays_close_and_another_text_does_not():
    body = text(3)
    a = fingerprint_text(body, body)
    b = fingerprint_text(edited(body, 1), edited(body, 1))
    c = fingerprint_text(text(4), text(4))
    assert a.text is not None and b.text is not None and c.text is not None
    assert similarity(a.text, b.text) > 0.6
    assert similarity(a.text, c.text) < 0.05
