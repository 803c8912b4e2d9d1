"""Extraction metrics, exactly as the public article-extraction benchmarks compute them.

Body text (see ../shared/data/README.md): tokens are ``\\w+`` matches (Unicode, case kept);
shingles are runs of 4 consecutive tokens (a text of 1-3 tokens is one shingle, an empty one
has none). Per page, tp = shared shingles counted with multiplicity, fp = extra predicted,
fn = missed, normalised to sum to 1. Precision and recall are averaged over pages (a page with
tp+fp = 0 is left out of precision, one with tp+fn = 0 out of recall; a page with fp = fn = 0
scores 1 for both) and F1 is the harmonic mean of the two averages.

Metadata: title exact match after whitespace normalisation; published date on the same
calendar day; authors as a set-based F1 over normalised names (names read out of a byline:
by-words, URLs, "Updated …" and parts that are only a date or a time left out).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

_TOKEN = re.compile(r"\w+", re.UNICODE)
NGRAM = 4


def tokenize(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Word n-gram counts; a text shorter than ``n`` tokens is one shingle, empty text none."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def shingle_counts(
    truth: str | None, pred: str | None, n: int = NGRAM
) -> tuple[float, float, float]:
    """(tp, fp, fn) for one page, normalised so that they sum to 1 (all 0 for two empties)."""
    t, p = shingles(truth, n), shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum(p.values())) - tp
    fn = float(sum(t.values())) - tp
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def page_precision_recall(tp: float, fp: float, fn: float) -> tuple[float | None, float | None]:
    """Per-page precision and recall; None where the page is left out of that average."""
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp > 0 else None
    recall = tp / (tp + fn) if tp + fn > 0 else None
    return precision, recall


@dataclass(frozen=True)
class BodyScore:
    precision: float
    recall: float
    f1: float
    pages: int


def body_score(pairs: Iterable[tuple[str | None, str | None]]) -> BodyScore:
    """Aggregate over (truth, prediction) pairs: averaged P and R, F1 of the averages."""
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for truth, pred in pairs:
        pages += 1
        p, r = page_precision_recall(*shingle_counts(truth, pred))
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return BodyScore(precision, recall, f1, pages)


# ---- metadata ---------------------------------------------------------------------------
_WS = re.compile(r"\s+")


def normalise_ws(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def title_match(truth: str | None, pred: str | None) -> bool:
    """Exact match after whitespace normalisation (case and punctuation count)."""
    return normalise_ws(truth) == normalise_ws(pred)


def same_day(truth: date | datetime | str | None, pred: date | datetime | str | None) -> bool:
    """Same calendar day; ``truth``/``pred`` may be dates, datetimes or ISO strings."""
    t, p = _as_date(truth), _as_date(pred)
    return t is not None and p is not None and t == p


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def date_in_page(
    truth: date | datetime | str | None, html: str | bytes | None, url: str | None = None
) -> bool:
    """Whether the reference day is written anywhere in the page's HTML or its URL.

    Used to split date accuracy into pages whose reference date the page shows (in some
    form) and pages where it does not (a reference date that the page never carries cannot be
    extracted from it). Forms: ISO and slashed (``2023-12-19``, ``2023/12/19``), compact
    ``20231219``, numeric day/month orders (``12/19/2023``, ``19.12.2023``) and English month
    names, full or abbreviated, day first or month first, with or without ordinal suffixes
    ("Dec. 19th, 2023", "19 December 2023"). Case-insensitive.
    """
    day = _as_date(truth)
    if day is None:
        return False
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    text = _WS.sub(" ", f"{url or ''} {html or ''}".replace("&nbsp;", " ").replace("\xa0", " "))
    y, m, d = day.year, day.month, day.day
    full = _MONTH_NAMES[m - 1]
    names = "|".join(dict.fromkeys((full, full[:3], "sept" if m == 9 else full[:3])))
    mon = rf"(?:{names})\.?"
    dd = rf"0?{d}(?:st|nd|rd|th)?"
    patterns = (
        rf"(?<!\d){y}[-/.]0?{m}[-/.]0?{d}(?!\d)",
        rf"(?<!\d){y}{m:02d}{d:02d}(?!\d)",
        rf"(?<!\d)0?{m}[-/.]0?{d}[-/.]{y}(?!\d)",
        rf"(?<!\d)0?{d}[-/.]0?{m}[-/.]{y}(?!\d)",
        rf"(?<![a-z]){mon}\s*{dd},?\s*{y}(?!\d)",
        rf"(?<!\d){dd}\s+(?:of\s+)?{mon},?\s*{y}(?!\d)",
    )
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


_AUTHOR_SPLIT = re.compile(r"\s*(?:\n|,|;|\||&|\band\b|\bو\s)\s*", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(
    r"^(?:by|written by|words by|story by|par|por|von|بقلم|كتب|كتبت)\s*:?\s+", re.IGNORECASE
)
# what a byline holds besides names: URLs, dates, times, "Updated …", "Last Updated: …"
_BYLINE_URL = re.compile(r"\(?\s*(?:https?://|www\.)\S*\s*\)?")
_BYLINE_UPDATED = re.compile(r"\b(?:last\s+)?updated\b.*$", re.IGNORECASE | re.DOTALL)
_DATE_WORDS = re.compile(
    rf"\b(?:{'|'.join(m[:3] for m in _MONTH_NAMES)})[a-z]*\.?|\b(?:at|am|pm|a\.m\.|p\.m\.)\b"
    r"|\d{1,2}:\d{2}|\d+",
    re.IGNORECASE,
)


def normalise_author(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of one name."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _AUTHOR_PREFIX.sub("", normalise_ws(name))
    name = re.sub(r"[^\w\s]", " ", name.casefold())
    return normalise_ws(name).removeprefix("the ")


_BY_WORD_ONLY = re.compile(r"^(?:by|written by|par|por|von|بقلم|كتب)\s*:?$", re.IGNORECASE)


def _only_date(part: str) -> bool:
    """A byline part that is a date or a time and nothing else ("March 25, 2015", "3:46 PM")."""
    return bool(re.search(r"\d", part)) and not re.sub(r"[\W_]+", "", _DATE_WORDS.sub(" ", part))


def author_set(authors: str | Iterable[str] | None) -> set[str]:
    """A set of normalised names from a byline string ("By A, B and C\nMarch 25, 2015") or a
    list of names. Reference bylines (Readability's are the byline as the page shows it) hold
    more than names: URLs, "Updated …" and parts that are only a date or a time are left out,
    as is a by-word before a name; lines and commas separate names. Applied to both sides."""
    if not authors:
        return set()
    items = [authors] if isinstance(authors, str) else list(authors)
    names: set[str] = set()
    for item in items:
        item = _BYLINE_UPDATED.sub("", _BYLINE_URL.sub(" ", item or ""))
        for part in _AUTHOR_SPLIT.split(item):
            part = _AUTHOR_PREFIX.sub("", part.strip())
            if _only_date(part) or _BY_WORD_ONLY.match(part):
                continue
            n = normalise_author(part)
            if n:
                names.add(n)
    return names


def author_f1(truth: str | Iterable[str] | None, pred: str | Iterable[str] | None) -> float:
    """Set-based F1 of normalised names (0 when either side is empty and the other is not)."""
    t, p = author_set(truth), author_set(pred)
    if not t and not p:
        return 1.0
    shared = len(t & p)
    if not shared:
        return 0.0
    precision, recall = shared / len(p), shared / len(t)
    return 2 * precision * recall / (precision + recall)


# ---- reference text from HTML (readability's expected output) ---------------------------
_BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr td th thead tbody figure"
    " figcaption section article header footer aside dl dt dd br hr main nav details"
    " summary".split()
)


def html_to_text(markup: str | bytes) -> str:
    """Visible text of an HTML fragment, one block element per line (inline elements stay
    inside their line, so words on either side of ``</p><p>`` are never glued together)."""
    from lxml import html as lxml_html

    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", errors="replace")
    if not markup.strip():
        return ""
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    for bad in root.xpath(".//script | .//style | .//noscript"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: object) -> None:
        tag = getattr(el, "tag", None)
        block = isinstance(tag, str) and tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if isinstance(tag, str) and getattr(el, "text", None):
            parts.append(el.text)  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            walk(child)
        if block:
            parts.append("\n")
        tail = getattr(el, "tail", None)
        if tail:
            parts.append(tail)

    walk(root)
    lines = (_WS.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
