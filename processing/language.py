"""Language identification: seeded langdetect, paragraph by paragraph, with the page's
declared ``lang`` as a prior and the fallback for very short texts.

- Deterministic: langdetect is seeded once (``DetectorFactory.seed = 0``) and every call
  builds a fresh detector from that seed, under a lock (the factory is a module singleton).
- Paragraph-level: a page is cut into chunks of consecutive paragraphs written in the same
  script (a paragraph that switches script - an English quotation in an Arabic paragraph -
  is cut at the switch when each side has at least ``MIN_LETTERS`` letters); chunks hold at
  least ``CHUNK_LETTERS`` letters each, at most ``MAX_CHUNKS`` of them, spread over the whole
  text; each chunk is detected on its own and weighted by its letters. The language with the
  most letters wins; every other language holding at least ``OTHERS_SHARE`` of the letters
  is listed in ``others`` (a mixed Arabic/English page is ``ar`` with ``others=["en"]`` or
  the reverse).
- The declared language (``<html lang>``) is a prior: when langdetect's first guess for a
  chunk differs but it also gives the declared language a fair probability, the declared one
  is taken. A text with fewer than ``MIN_LETTERS`` letters is not detected at all: the
  declared language is returned (method ``declared``), or ``und`` (method ``none``).
- ``confidence``: langdetect's own probability (``detect_langs``) of the winning language,
  averaged over the chunks weighted by their letters - a chunk in another language counts
  with the (near zero) probability langdetect gives the winner there, so a mixed page scores
  about its winner's share of letters. A probability, not rounded to 1: langdetect is sure
  of long monolingual text (0.99999…), less of short, mixed or near-language text. 0.5 for
  a declared-only answer (too short to detect), 0 for ``und``.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

MIN_LETTERS = 40  # below this a text is not worth a guess (langdetect is unreliable)
MIN_CHARS = MIN_LETTERS  # the name the first version exported
CHUNK_LETTERS = 300  # paragraphs of one script are merged up to at least this many letters
MAX_CHUNKS = 8  # at most this many langdetect calls per text
OTHERS_SHARE = 0.10
DECLARED_PRIOR = 0.2  # the declared language wins a chunk when langdetect gives it this much

_lock = threading.Lock()
_ready = False
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class LanguageResult:
    language: str  # ISO 639-1 ("ar", "en", "zh"...), "und" when unknown
    confidence: float  # share of the text's letters in that language, times langdetect's p
    others: list[str] = field(default_factory=list)  # other languages with >= 10% of letters
    method: str = "langdetect"  # langdetect | declared | none


def _init() -> None:
    global _ready
    with _lock:
        if not _ready:
            from langdetect import DetectorFactory

            DetectorFactory.seed = 0
            _ready = True


def _normalise(code: str) -> str:
    code = code.strip().lower().replace("_", "-")
    return {"zh-cn": "zh", "zh-tw": "zh", "iw": "he", "in": "id"}.get(code, code.split("-")[0])


def _detect(text: str) -> list[tuple[str, float]]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    try:
        with _lock:  # langdetect's factory is a module-level singleton
            DetectorFactory.seed = 0
            return [(_normalise(r.lang), float(r.prob)) for r in detect_langs(text)]
    except LangDetectException:
        return []


def _script(text: str) -> str:
    """The dominant Unicode script family of a paragraph (first word of the letters' names)."""
    counts: Counter[str] = Counter()
    for ch in _LETTERS.findall(text[:400]):
        name = unicodedata.name(ch, "")
        counts[name.split(" ")[0] if name else "?"] += 1
    return counts.most_common(1)[0][0] if counts else "?"


_WORD = re.compile(r"\S+")


def _script_runs(para: str) -> list[str]:
    """A paragraph cut where its script changes, when each side holds at least MIN_LETTERS
    letters (an English sentence inside an Arabic paragraph); else the paragraph whole."""
    runs: list[tuple[str, list[str], int]] = []
    for word in _WORD.findall(para):
        n = len(_LETTERS.findall(word))
        script = _script(word) if n else (runs[-1][0] if runs else "?")
        if runs and runs[-1][0] == script:
            runs[-1][1].append(word)
            runs[-1] = (script, runs[-1][1], runs[-1][2] + n)
        else:
            runs.append((script, [word], n))
    # short runs (a name, a figure) join the run before them
    merged: list[tuple[str, list[str], int]] = []
    for run in runs:
        if merged and (run[2] < MIN_LETTERS or merged[-1][0] == run[0]):
            merged[-1] = (merged[-1][0], merged[-1][1] + run[1], merged[-1][2] + run[2])
        else:
            merged.append(run)
    if len(merged) > 1 and merged[0][2] < MIN_LETTERS:
        first, second = merged[0], merged[1]
        merged[:2] = [(second[0], first[1] + second[1], first[2] + second[2])]
    return [" ".join(words) for _, words, _ in merged] if len(merged) > 1 else [para]


def _chunks(text: str) -> list[tuple[str, int]]:
    """(chunk, letters): consecutive same-script paragraphs merged to >= CHUNK_LETTERS."""
    chunks: list[tuple[str, int]] = []
    buf: list[str] = []
    buf_letters = 0
    buf_script = ""
    paras = [run for para in re.split(r"\n+", text) for run in _script_runs(para)]
    for para in paras:
        n = len(_LETTERS.findall(para))
        if n == 0:
            continue
        script = _script(para)
        if buf and (script != buf_script or buf_letters >= CHUNK_LETTERS):
            chunks.append(("\n".join(buf), buf_letters))
            buf, buf_letters = [], 0
        buf.append(para)
        buf_letters += n
        buf_script = script
    if buf:
        chunks.append(("\n".join(buf), buf_letters))
    # scraps under MIN_LETTERS (a stray caption in another script) are not worth a guess
    chunks = [c for c in chunks if c[1] >= MIN_LETTERS] or chunks
    if len(chunks) > MAX_CHUNKS:  # spread the sample over the whole text
        step = len(chunks) / MAX_CHUNKS
        chunks = [chunks[int(i * step)] for i in range(MAX_CHUNKS)]
    return chunks


def detect_language(text: str, declared: str | None = None) -> LanguageResult:
    """Dominant language of ``text``; ``declared`` (the page's ``lang``) breaks near-ties and
    decides when the text is too short to detect."""
    _init()
    declared = _normalise(declared) if declared and declared.strip() else None
    letters_total = len(_LETTERS.findall(text or ""))
    if letters_total < MIN_LETTERS:
        if declared:
            return LanguageResult(declared, 0.5, [], "declared")
        return LanguageResult("und", 0.0, [], "none")
    weight: Counter[str] = Counter()
    detected: list[tuple[int, dict[str, float]]] = []  # (letters, langdetect's distribution)
    for chunk, n in _chunks(text):
        guesses = _detect(chunk)
        if not guesses:
            continue
        lang, p = guesses[0]
        if declared and lang != declared:
            for g_lang, g_p in guesses[1:]:
                if g_lang == declared and g_p >= DECLARED_PRIOR:
                    lang, p = g_lang, g_p
                    break
        weight[lang] += n
        distribution = dict(guesses)
        distribution[lang] = max(distribution.get(lang, 0.0), p)
        detected.append((n, distribution))
    if not weight:
        return LanguageResult(
            declared or "und", 0.5 if declared else 0.0, [], "declared" if declared else "none"
        )
    total = sum(weight.values())
    lang = weight.most_common(1)[0][0]
    # P(lang) over the text's letters: each chunk's langdetect probability, letter-weighted
    confidence = round(sum(n * dist.get(lang, 0.0) for n, dist in detected) / total, 6)
    others = [lg for lg, n in weight.most_common() if lg != lang and n / total >= OTHERS_SHARE]
    logger.debug("language %s (%.2f), others %s, %d letters", lang, confidence, others, total)
    return LanguageResult(lang, confidence, others, "langdetect")
