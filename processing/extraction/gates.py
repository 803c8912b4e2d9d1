"""Quality gates: the reasons an extraction is not stored as an article.

A missing publication date is not a rejection: the caller flags it
(``published_at_source = "missing"``) and partitions the row by its fetch day.
"""

from __future__ import annotations

from typing import Any

from processing.extraction.boilerplate import leaks

REASONS = ("too_short", "no_title", "no_language", "boilerplate_leak")


def check_quality(extraction: Any, language_result: Any, *, min_body_chars: int = 200
                  ) -> list[str]:
    """Rejection reasons (from ``REASONS``); an empty list accepts the article."""
    reasons: list[str] = []
    if len((extraction.text or "").strip()) < min_body_chars:
        reasons.append("too_short")
    if not (extraction.title or "").strip():
        reasons.append("no_title")
    if getattr(language_result, "language", "und") in ("und", "", None):
        reasons.append("no_language")
    if leaks(extraction.text or "") or leaks(extraction.title or ""):
        reasons.append("boilerplate_leak")
    return reasons
