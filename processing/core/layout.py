"""Where everything lives in the bucket: the one place S3 keys are spelled out.

See docs/corpus.md for the contract downstream readers rely on. The articles themselves are
an Iceberg table under the warehouse prefix (``warehouse/`` by default), managed by the
catalog; everything else is plain objects.
"""

from __future__ import annotations

from datetime import date

RAW_PREFIX = "raw/"
RUNS_PREFIX = "runs/"
STAGING_PREFIX = "staging/"


def raw_key(outlet: str, day: date, run_id: str) -> str:
    """The WARC of one crawl execution: written once, never overwritten."""
    return f"{RAW_PREFIX}outlet={outlet}/date={day.isoformat()}/{run_id}.warc.gz"


def staging(run_id: str, name: str) -> str:
    return f"{STAGING_PREFIX}{run_id}/{name}"


def manifest_key(run_id: str) -> str:
    return f"{RUNS_PREFIX}{run_id}.json"


def rejections_prefix(outlet: str) -> str:
    return f"state/rejected/outlet={outlet}/"


def rejections_key(outlet: str, run_id: str) -> str:
    return f"{rejections_prefix(outlet)}{run_id}.jsonl.gz"


def translation_cache_prefix(model_key: str) -> str:
    return f"state/translation-cache/{model_key}/"


def links_marker_key() -> str:
    """The link pass's fallback progress marker (the table's own is a snapshot property)."""
    return "state/links/linked-through.json"
