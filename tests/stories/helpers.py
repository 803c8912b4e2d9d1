"""Articles for the story-link tests: texts of made-up words (unrelated texts share almost no
word triples and few words), edited copies of them, and rows around them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from processing.core.records import ArticleRow

T0 = datetime(2026, 11, 20, 12, tzinfo=UTC)
_SYLLABLES = ["ba", "ko", "ri", "ta", "mu", "se", "lo", "ne", "vi", "da", "gu", "pe"]
_ENDINGS = ["rin", "tok", "sam", "lep", "dor", "mig", "vas", "pul", "ket", "zon", "fal", "jub"]
VOCABULARY = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _ENDINGS]
_ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def text(seed: int, paragraphs: int = 6, words: int = 30) -> str:
    rng = random.Random(seed)
    return "\n".join(
        " ".join(rng.choice(VOCABULARY) for _ in range(words)) for _ in range(paragraphs)
    )


def arabic_text(seed: int, paragraphs: int = 6, words: int = 30) -> str:
    rng = random.Random(seed)
    return "\n".join(
        " ".join(
            "".join(rng.choice(_ARABIC_LETTERS) for _ in range(rng.randint(3, 7)))
            for _ in range(words)
        )
        for _ in range(paragraphs)
    )


def edited(body: str, seed: int) -> str:
    """A re-publication: a boilerplate line added, the last paragraph cut, two paragraphs
    swapped, a figure added to the first."""
    rng = random.Random(seed)
    paras = body.split("\n")
    paras = paras[:-1]
    i, j = rng.sample(range(1, len(paras)), 2)
    paras[i], paras[j] = paras[j], paras[i]
    paras[0] += " 1,250"
    return "\n".join([*paras, "Follow us for more news"])


def row(
    article_id: str,
    body: str,
    *,
    hours: float = 0.0,
    outlet: str = "wire",
    language: str = "en",
    text_en: str | None = None,
    model: str | None = None,
    status: str | None = None,
) -> ArticleRow:
    if status is None:
        status = "source_english" if language == "en" else ("translated" if text_en else "pending")
    return ArticleRow(
        article_id=article_id,
        outlet=outlet,
        url=f"https://{outlet}.example/{article_id}",
        canonical_url=f"https://{outlet}.example/{article_id}",
        text=body,
        language=language,
        published_at=T0 + timedelta(hours=hours),
        text_en=body if status == "source_english" else text_en,
        translation_status=status,
        translation_model=model,
    )
