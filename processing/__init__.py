"""newsloom's processing library: extraction, language ID, translation, the corpus table,
and the pipeline that runs them.

The curated public API is re-exported here lazily, so importing ``processing`` (as every DAG
file does, through ``processing.airflow``) stays cheap::

    from processing import extract, detect_language, Translator, open_corpus, run_pipeline

Type checkers see the real objects (the ``TYPE_CHECKING`` imports below), so nothing taken
from this module is ``Any``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from processing.core.config import Settings
    from processing.core.errors import StoreUnavailable
    from processing.core.records import ArticleRow, Candidate, FetchRecord
    from processing.core.runspec import RunSpec
    from processing.core.s3 import ObjectStore, open_store
    from processing.core.urls import article_id, canonical_url
    from processing.corpus import Corpus, open_corpus
    from processing.extraction import Extraction, ExtractionError, ExtractionProfile, extract
    from processing.language import detect_language
    from processing.pipeline.runner import backfill, run_pipeline
    from processing.translation import TranslationInput, Translator

_EXPORTS = {
    "Settings": "processing.core.config",
    "ArticleRow": "processing.core.records",
    "Candidate": "processing.core.records",
    "FetchRecord": "processing.core.records",
    "RunSpec": "processing.core.runspec",
    "open_store": "processing.core.s3",
    "ObjectStore": "processing.core.s3",
    "StoreUnavailable": "processing.core.errors",
    "canonical_url": "processing.core.urls",
    "article_id": "processing.core.urls",
    "Corpus": "processing.corpus",
    "open_corpus": "processing.corpus",
    "extract": "processing.extraction",
    "Extraction": "processing.extraction",
    "ExtractionError": "processing.core.errors",  # defined there (no trafilatura to load)
    "ExtractionProfile": "processing.extraction",
    "detect_language": "processing.language",
    "run_pipeline": "processing.pipeline.runner",
    "backfill": "processing.pipeline.runner",
    "Translator": "processing.translation",
    "TranslationInput": "processing.translation",
}

__all__ = [
    "ArticleRow",
    "Candidate",
    "Corpus",
    "Extraction",
    "ExtractionError",
    "ExtractionProfile",
    "FetchRecord",
    "ObjectStore",
    "RunSpec",
    "Settings",
    "StoreUnavailable",
    "TranslationInput",
    "Translator",
    "article_id",
    "backfill",
    "canonical_url",
    "detect_language",
    "extract",
    "open_corpus",
    "open_store",
    "run_pipeline",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'processing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
