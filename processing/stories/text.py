"""Text normalisation and the features a fingerprint is made of.

- :func:`normalize`: NFKC, case folded, Arabic-Indic and Persian digits as ASCII, Arabic
  diacritics and tatweel removed, the alef forms, alef maqsura and ta marbuta folded (the
  spellings outlets and translators vary on), typographic quotes and dashes gone with the
  rest of the punctuation (tokens are ``\\w+`` runs).
- :func:`paragraph_tokens`: the tokens of each paragraph of a text (paragraphs are the
  text's lines, as the corpus stores them). Tokens are ``\\w+`` runs, and single characters in
  the scripts written without spaces (Chinese, Japanese, Thai, Lao, Burmese, Khmer).
- :func:`shingles`: word n-grams taken inside each paragraph, never across two, so that
  reordered paragraphs (quotes moved, a standfirst put first) give the same set.

A paragraph repeated word for word (a share line, a sign-off) counts once: features are sets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Scripts written without spaces between words (Chinese, Japanese kana and kanji, Thai, Lao,
# Burmese, Khmer): each character is a token there, so shingles are character n-grams.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
_TOKEN = re.compile(f"[{_UNSPACED}]|[^\\W{_UNSPACED}]+", re.UNICODE)
# Arabic harakat, tanwin, shadda, sukun, superscript alef, Quranic marks; tatweel
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD: dict[str, str] = {
    "\u0623": "\u0627",  # alef with hamza above
    "\u0625": "\u0627",  # alef with hamza below
    "\u0622": "\u0627",  # alef with madda
    "\u0671": "\u0627",  # alef wasla
    "\u0649": "\u064a",  # alef maqsura -> yeh
    "\u0629": "\u0647",  # ta marbuta -> heh
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended Arabic-Indic (Persian)
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
}
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# a number written with thousands separators ("1,250" / "1.250") is one token
_GROUPED_NUMBER = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")


def normalize(text: str) -> str:
    """The comparable form of a text (see the module docstring); paragraph breaks kept."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _ARABIC.search(text):
        text = _ARABIC_MARKS.sub("", text)
        for char, folded in _FOLD.items():  # str.replace per character: C speed
            if char in text:
                text = text.replace(char, folded)
    return _GROUPED_NUMBER.sub("", text)


def tokens(text: str) -> list[str]:
    """The tokens of an already normalised text."""
    return _TOKEN.findall(text)


def paragraph_tokens(text: str) -> list[list[str]]:
    """The tokens of each non-empty paragraph (line) of ``text``, normalised."""
    out = []
    for line in normalize(text).split("\n"):
        toks = tokens(line)
        if toks:
            out.append(toks)
    return out


def shingles(paragraphs: Iterable[list[str]], n: int) -> set[str]:
    """Word ``n``-grams inside each paragraph, as space-joined strings; a paragraph shorter
    than ``n`` tokens is one shingle of its own."""
    out: set[str] = set()
    for toks in paragraphs:
        if len(toks) <= n:
            out.add(" ".join(toks))
            continue
        for i in range(len(toks) - n + 1):
            out.add(" ".join(toks[i : i + n]))
    return out


def word_count(paragraphs: Iterable[list[str]]) -> int:
    return sum(len(p) for p in paragraphs)


# Function words of English left out of the English content-word features: words that every
# article has say nothing about which story it tells, and translations differ on them most.
ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according also however would could may might must shall since within
    without upon whether yet still even ever already another many much one two three new last
    first mr mrs ms
    """.split()
)


def content_words(paragraphs: Iterable[list[str]]) -> set[str]:
    """The words of an English text that carry its content: stopwords and one-letter words
    left out (digits kept: figures and years tell stories apart)."""
    return {
        t
        for toks in paragraphs
        for t in toks
        if t not in ENGLISH_STOPWORDS and (len(t) > 1 or t.isdigit())
    }
