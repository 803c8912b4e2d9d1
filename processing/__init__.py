"""newsloom's processing library: extraction, language ID, translation, corpus I/O, stages.

The curated public API is re-exported here lazily, so importing ``processing`` (as every DAG
file does, through ``processing.airflow``) stays cheap::

    from processing import extract, detect_language, Translator, open_store, run_pipeline
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Settings": "processing.core.config",
    "extract": "processing.extraction",
    "Extraction": "processing.extraction",
    "ExtractionError": "processing.extraction",
    "detect_language": "processing.language",
    "Translator": "processing.translation",
    "TranslationInput": "processing.translation",
    "open_store": "processing.core.s3",
    "ObjectStore": "processing.core.s3",
    "StoreUnavailable": "processing.core.s3",
    "RunSpec": "processing.core.runspec",
    "run_pipeline": "processing.pipeline.runner",
    "backfill": "processing.pipeline.runner",
    "canonical_url": "processing.core.urls",
    "article_id": "processing.core.urls",
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
