"""Where everything lives in the bucket: the one place S3 keys are spelled out.

See docs/corpus.md for the contract downstream readers rely on.
"""

from __future__ import annotations

from datetime import date

CORPUS_VERSION = "v1"
ARTICLES_PREFIX = f"articles/{CORPUS_VERSION}/"
PART_NAME = "part-00000.parquet"


def raw_key(outlet: str, day: date, run_id: str) -> str:
    return f"raw/outlet={outlet}/date={day.isoformat()}/{run_id}.warc.gz"


def staging(run_id: str, name: str) -> str:
    return f"staging/{run_id}/{name}"


def partition_prefix(outlet: str, day: date | str) -> str:
    day_s = day if isinstance(day, str) else day.isoformat()
    return f"{ARTICLES_PREFIX}outlet={outlet}/date={day_s}/"


def partition_key(outlet: str, day: date | str) -> str:
    return partition_prefix(outlet, day) + PART_NAME


def outlet_prefix(outlet: str) -> str:
    return f"{ARTICLES_PREFIX}outlet={outlet}/"


def manifest_key(run_id: str) -> str:
    return f"runs/{run_id}.json"


def index_key(outlet: str) -> str:
    return f"state/index/outlet={outlet}.parquet"


def lock_key(outlet: str, purpose: str = "commit") -> str:
    return f"state/locks/{purpose}/outlet={outlet}.lock"


def translation_cache_prefix(model_key: str) -> str:
    return f"state/translation-cache/{model_key}/"


def parse_partition(key: str) -> tuple[str, str] | None:
    """``(outlet, YYYY-MM-DD)`` of an articles key, or None."""
    if not key.startswith(ARTICLES_PREFIX):
        return None
    parts = key[len(ARTICLES_PREFIX) :].split("/")
    if len(parts) < 3 or not parts[0].startswith("outlet=") or not parts[1].startswith("date="):
        return None
    return parts[0][len("outlet=") :], parts[1][len("date=") :]
