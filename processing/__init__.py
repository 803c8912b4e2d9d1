"""newsloom's processing library: extraction, language ID, translation, corpus I/O, stages.

The curated public API is re-exported here lazily, so importing ``processing`` (as every DAG
file does, through ``processing.airflow_support``) stays cheap::

    from processing import extract, detect_language, Translator, open_store, run_pipeline
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Settings": "processing.config",
    "extract": "processing.extraction",
    "Extraction": "processing.extraction",
    "ExtractionError": "processing.extraction",
    "detect_language": "processing.language",
    "Translator": "processing.translation",
    "TranslationInput": "processing.translation",
    "open_store": "processing.s3",
    "ObjectStore": "processing.s3",
    "StoreUnavailable": "processing.s3",
    "RunSpec": "processing.runspec",
    "run_pipeline": "processing.runner",
    "backfill": "processing.runner",
    "canonical_url": "processing.urls",
    "article_id": "processing.urls",
    "commit_articles": "processing.corpus",
    "iter_articles": "processing.corpus",
    "ARTICLE_SCHEMA": "processing.corpus",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'processing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
