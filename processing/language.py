"""Language identification: seeded langdetect, paragraph by paragraph, with the page's
declared ``lang`` as a prior and the fallback for very short texts."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

MIN_CHARS = 40  # below this a paragraph (or a whole text) is not worth a guess
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
    code = code.lower()
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(code, code.split("-")[0])


def _detect(text: str) -> list[tuple[str, float]]:
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    try:
        return [(_normalise(r.lang), float(r.prob)) for r in detect_langs(text)]
    except LangDetectException:
        return []


def detect_language(text: str, declared: str | None = None) -> LanguageResult:
    """Dominant language of ``text``; ``declared`` (the page's ``lang``) breaks near-ties and
    decides when the text is too short to detect."""
    _init()
    declared = _normalise(declared) if declared else None
    letters_total = len(_LETTERS.findall(text or ""))
    if letters_total < MIN_CHARS:
        if declared:
            return LanguageResult(declared, 0.5, [], "declared")
        return LanguageResult("und", 0.0, [], "none")
    paragraphs = [p for p in re.split(r"\n+", text) if len(_LETTERS.findall(p)) >= MIN_CHARS]
    if not paragraphs:
        paragraphs = [text]
    weight: Counter[str] = Counter()
    prob_sum: Counter[str] = Counter()
    for para in paragraphs:
        with _lock:  # langdetect's factory is a module-level singleton
            guesses = _detect(para)
        if not guesses:
            continue
        lang, p = guesses[0]
        if declared and lang != declared:
            # the declared language as a prior: take it when langdetect also found it likely
            for g_lang, g_p in guesses[1:]:
                if g_lang == declared and g_p >= 0.3:
                    lang, p = g_lang, g_p
                    break
        n = len(_LETTERS.findall(para))
        weight[lang] += n
        prob_sum[lang] += p * n
    if not weight:
        return LanguageResult(declared or "und", 0.5 if declared else 0.0, [],
                              "declared" if declared else "none")
    total = sum(weight.values())
    lang, w = weight.most_common(1)[0]
    share = w / total
    confidence = round(share * (prob_sum[lang] / w), 4)
    others = [lg for lg, n in weight.most_common() if lg != lang and n / total >= 0.1]
    return LanguageResult(lang, confidence, others, "langdetect")
