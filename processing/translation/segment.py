"""Sentence segmentation for translation, Arabic and English, under a model's token budget.

Translation models see one sentence at a time (better quality, no silent truncation, and a
sentence is the unit the cache reuses). ``segment_paragraph`` splits a paragraph into sentences
and splits any sentence longer than the model's input limit further — at semicolons, then at
commas (Arabic ``؛`` and ``،`` included), then at whitespace, then between characters — measuring
with the model's own tokenizer, so nothing is ever truncated.

Sentence ends are ``. ! ? … ؟ ۔`` followed by optional closing quotes or brackets and
whitespace. Not a sentence end: decimals (``3.5``), known abbreviations (``Mr.``, ``U.S.``,
``e.g.``), initials (``J. Smith``, Arabic ``د.``), list numbers (``1. ``) and a full stop followed
by a lower-case Latin letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

TokenCounter = Callable[[str], int]

# Lower-cased, without the final full stop.
ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "rev",
        "pres",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "approx",
        "est",
        "dept",
        "univ",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "mt",
        "ft",
        "ave",
        "blvd",
        "maj",
        "brig",
        "adm",
        "hon",
        "messrs",
        "op",
        "ed",
        "eds",
    }
)

_HARD_END = ".!?…؟۔"
_CLOSERS = "\"'”’»)]}›"
_BOUNDARY = re.compile(rf"[{re.escape(_HARD_END)}]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_SPACE = re.compile(r"\s+")

# Split points for sentences over the token budget, strongest first: the punctuation (and any
# closing quote) stays with the left piece, the whitespace after it separates the pieces.
_SOFT_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"[;؛:][{re.escape(_CLOSERS)}]*\s+"),
    re.compile(rf"[,،][{re.escape(_CLOSERS)}]*\s+"),
    re.compile(r"\s+"),
)


def normalize(text: str) -> str:
    """The cache's view of a sentence: NFC, whitespace collapsed, stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _is_abbreviation(before: str) -> bool:
    """Whether the full stop ending ``before`` (the text up to it) does not end a sentence."""
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("\"'“‘«([{")
    if not word:
        return False
    low = word.lower()
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith", Arabic "د."
        return True
    if _DOTTED_ACRONYM.match(word):  # "U.S", "a.m"
        return True
    # A list number at the start of a sentence: "1. The first point".
    return word.isdigit() and before.strip() == word


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph (no line breaks inside; they are split on too)."""
    out: list[str] = []
    for line in paragraph.splitlines():
        out.extend(_split_line(line))
    return out


def _split_line(line: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        end = m.end()
        rest = line[end:].lstrip()
        if not rest:
            break
        punct = m.group(0).rstrip(_CLOSERS)
        if punct == ".":
            if _is_abbreviation(line[start : m.start()]):
                continue
            if rest[0].isascii() and rest[0].islower():
                continue
        elif rest[0].isascii() and rest[0].islower() and m.group(0)[-1] in _CLOSERS:
            continue  # '"Is it?" he asked.'
        sentence = line[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    tail = line[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _cuts(text: str, level: int) -> list[tuple[int, int]]:
    """(end of left piece, start of right piece) for each split point of ``level``."""
    return [
        (m.start() + len(m.group(0).rstrip()), m.end())
        for m in _SOFT_LEVELS[level].finditer(text)
        if 0 < m.start() and m.end() < len(text)
    ]


def _pieces(text: str, level: int) -> list[str]:
    pieces, pos = [], 0
    for end, start in _cuts(text, level):
        pieces.append(text[pos:end])
        pos = start
    pieces.append(text[pos:])
    return [p.strip() for p in pieces if p.strip()]


def fit_to_budget(
    sentence: str, count_tokens: TokenCounter, budget: int, level: int = 0
) -> list[str]:
    """``sentence`` as one or more pieces of at most ``budget`` tokens each (as counted by
    ``count_tokens``, special tokens included), split at the strongest available points."""
    sentence = sentence.strip()
    if not sentence or count_tokens(sentence) <= budget:
        return [sentence] if sentence else []
    for lvl in range(level, len(_SOFT_LEVELS)):
        parts = _pieces(sentence, lvl)
        if len(parts) > 1:
            out: list[str] = []
            for chunk in _pack(parts, count_tokens, budget):
                if count_tokens(chunk) <= budget:
                    out.append(chunk)
                else:  # a single part still too long: split it at weaker points
                    out.extend(fit_to_budget(chunk, count_tokens, budget, lvl + 1))
            return out
    return _split_characters(sentence, count_tokens, budget)


def _pack(parts: list[str], count_tokens: TokenCounter, budget: int) -> list[str]:
    """Greedily join consecutive parts into chunks that fit the budget."""
    special = count_tokens("")
    sizes = [max(1, count_tokens(p) - special) for p in parts]
    chunks: list[str] = []
    i = 0
    while i < len(parts):
        j, total = i + 1, special + sizes[i]
        while j < len(parts) and total + sizes[j] <= budget:
            total += sizes[j]
            j += 1
        # Token counts of joined text can differ slightly from the sum of the parts.
        while j - i > 1 and count_tokens(" ".join(parts[i:j])) > budget:
            j -= 1
        chunks.append(" ".join(parts[i:j]))
        i = j
    return chunks


def _split_characters(text: str, count_tokens: TokenCounter, budget: int) -> list[str]:
    """Last resort for a 'word' longer than the budget (a URL, a run of symbols)."""
    out: list[str] = []
    while text:
        lo, hi = 1, len(text)
        while lo < hi:  # the longest prefix that fits
            mid = (lo + hi + 1) // 2
            if count_tokens(text[:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        out.append(text[:lo])
        text = text[lo:]
    return out


def split_in_two(text: str) -> tuple[str, str] | None:
    """Two halves of ``text`` split near its middle, preferring punctuation, then whitespace;
    None when it cannot be split (a single character)."""
    text = text.strip()
    if len(text) < 2:
        return None
    middle = len(text) / 2
    for level in range(len(_SOFT_LEVELS)):
        cuts = _cuts(text, level)
        if level < len(_SOFT_LEVELS) - 1:  # punctuation only when it is near the middle
            cuts = [c for c in cuts if len(text) / 4 <= c[0] <= 3 * len(text) / 4]
        if cuts:
            end, start = min(cuts, key=lambda c: abs(c[0] - middle))
            left, right = text[:end].strip(), text[start:].strip()
            if left and right:
                return left, right
    cut = len(text) // 2
    return text[:cut], text[cut:]


def segment_paragraph(paragraph: str, count_tokens: TokenCounter, budget: int) -> list[str]:
    """The pieces the model translates for one paragraph, in order; each fits ``budget``."""
    out: list[str] = []
    for sentence in split_sentences(paragraph):
        out.extend(fit_to_budget(sentence, count_tokens, budget))
    return out
