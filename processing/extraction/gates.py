"""Quality gates: the reasons an extraction is not stored as an article.

``check_quality`` is a pure function the pipeline calls after ``extract`` and
``detect_language``; it returns rejection reasons from a fixed vocabulary (``REASONS``), in
that order, and an empty list accepts the article:

- ``too_short``: fewer than ``min_body_chars`` characters of body text (after stripping);
- ``no_title``: no title at all;
- ``no_language``: language identification gave ``und`` (no letters, nothing declared);
- ``boilerplate_leak``: a comment-form or cookie-banner phrase survived extraction
  (``boilerplate.leaks``) in the title or the text - a bug to fix, never stored silently;
- ``title_too_long``: a title of more than ``MAX_TITLE_CHARS`` characters (a whole page of
  text in ``<title>`` or ``og:title``, hostile or broken markup): never stored.

A missing publication date is *not* a rejection: the article is stored, flagged with
``quality_flags`` (``"missing_date"``), and the caller records
``published_at_source = "missing"`` (see ``published_at_source``) and partitions the row by
its fetch day.
"""

from __future__ import annotations

from typing import Protocol

from processing.extraction.boilerplate import leaks
from processing.extraction.model import Extraction

REASONS = ("too_short", "no_title", "no_language", "boilerplate_leak", "title_too_long")
MAX_TITLE_CHARS = 1000
FLAGS = ("missing_date",)


class IdentifiedLanguage(Protocol):
    """What the gates read of a language identification (``processing.language``'s
    ``LanguageResult`` fits; extraction does not import its sibling layer)."""

    @property
    def language(self) -> str: ...


def check_quality(
    extraction: Extraction, language_result: IdentifiedLanguage, *, min_body_chars: int = 200
) -> list[str]:
    """Rejection reasons (a sub-list of ``REASONS``); an empty list accepts the article."""
    reasons: list[str] = []
    if len((extraction.text or "").strip()) < min_body_chars:
        reasons.append("too_short")
    if not (extraction.title or "").strip():
        reasons.append("no_title")
    if getattr(language_result, "language", "und") in ("und", "", None):
        reasons.append("no_language")
    if leaks(extraction.text or "") or leaks(extraction.title or ""):
        reasons.append("boilerplate_leak")
    if len(extraction.title or "") > MAX_TITLE_CHARS:
        reasons.append("title_too_long")
    return reasons


def quality_flags(extraction: Extraction) -> list[str]:
    """Problems that do not reject an article but are recorded (a sub-list of ``FLAGS``)."""
    return [] if getattr(extraction, "published_at", None) is not None else ["missing_date"]


def published_at_source(extraction: Extraction) -> str:
    """The value for the corpus column ``published_at_source``: where the date came from
    (``meta``, ``json-ld``, ``itemprop``, ``time``, ``unixtime``, ``visible``, ``url``,
    ``htmldate``, ``selector``), or ``"missing"``."""
    if getattr(extraction, "published_at", None) is None:
        return "missing"
    return getattr(extraction, "published_source", None) or "missing"
