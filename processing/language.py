"""Language identification: seeded langdetect, paragraph by paragraph, with the page's
declared ``lang`` as a prior and the fallback for very short texts.

- Deterministic: langdetect is seeded once (``DetectorFactory.seed = 0``) and every call
  builds a fresh detector from that seed, under a lock (the factory is a module singleton).
- Paragraph-level: a page is cut into chunks of consecutive paragraphs written in the same
  script (at least ``CHUNK_LETTERS`` letters each, at most ``MAX_CHUNKS`` of them, spread over
  the whole text); each chunk is detected on its own and weighted by its letters. The
  language with the most letters wins; every other language holding at least
  ``OTHERS_SHARE`` of the letters is listed in ``others`` (a mixed Arabic/English page is
  ``ar`` with ``others=["en"]`` or the reverse).
- The declared language (``<html lang>``) is a prior: when langdetect's first guess for a
  chunk differs but it also gives the declared language a fair probability, the declared one
  is taken. A text with fewer than ``MIN_LETTERS`` letters is not detected at all: the
  declared language is returned (method ``declared``), or ``und`` (method ``none``).
- ``confidence`` = share of the letters in the winning language x langdetect's mean
  probability for it (0.5 for a declared-only answer).
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


def _chunks(text: str) -> list[tuple[str, int]]:
    """(chunk, letters): consecutive same-script paragraphs merged to >= CHUNK_LETTERS."""
    chunks: list[tuple[str, int]] = []
    buf: list[str] = []
    buf_letters = 0
    buf_script = ""
    for para in re.split(r"\n+", text):
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
    prob_sum: dict[str, float] = {}
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
        prob_sum[lang] = prob_sum.get(lang, 0.0) + p * n
    if not weight:
        return LanguageResult(
            declared or "und", 0.5 if declared else 0.0, [], "declared" if declared else "none"
        )
    total = sum(weight.values())
    lang, w = weight.most_common(1)[0]
    confidence = round((w / total) * (prob_sum[lang] / w), 4)
    others = [lg for lg, n in weight.most_common() if lg != lang and n / total >= OTHERS_SHARE]
    logger.debug("language %s (%.2f), others %s, %d letters", lang, confidence, others, total)
    return LanguageResult(lang, confidence, others, "langdetect")
