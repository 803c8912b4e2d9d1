"""The translation package's public records: what goes in, what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCE_ENGLISH = "source_english"
TRANSLATED = "translated"
PENDING = "pending"
FAILED = "failed"
STATUSES = (SOURCE_ENGLISH, TRANSLATED, PENDING, FAILED)

TITLE_PARAGRAPH = -1


@dataclass(frozen=True)
class TranslationInput:
    """One article to translate."""

    key: str  # article_id, opaque here
    language: str  # ISO 639-1 code detected upstream ("ar", "en", "fr", "und", ...)
    title: str | None
    text: str  # paragraphs separated by "\n"


@dataclass(frozen=True)
class Segment:
    """One aligned source/target pair: a sentence, or a piece of a sentence too long for the
    model. ``paragraph`` is -1 for the title and 0.. for the body's paragraphs."""

    paragraph: int
    source: str
    target: str


@dataclass(frozen=True)
class TranslationOutcome:
    """The result for one input, with its provenance.

    ``status``: ``source_english`` (title_en/text_en are the original), ``translated``,
    ``pending`` (the model could not be used; ``reason`` says why and what to set; retry later)
    or ``failed`` (no model for the language, or an undetermined language).
    """

    key: str
    status: str
    title_en: str | None
    text_en: str | None  # paragraphs joined by "\n", as many as the source text has
    model: str | None  # the model id or local path as configured
    model_version: str | None  # hub commit sha, else a sha256 prefix of the model's files
    backend: str | None  # "transformers" | "ctranslate2"
    reason: str | None
    segments: tuple[Segment, ...] = field(default=())
    # translated: the backend's exact set-up (precision, output vocabulary map, beam size),
    # e.g. "ctranslate2-int8-vmap-b4" or "transformers-fp32-b4"; the segment cache's key too
    variant: str | None = None
