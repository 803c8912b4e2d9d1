"""Gzipped JSON lines: how the crawl hands its records to the next stages."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping

from processing.core.jsontypes import JSONObject
from processing.core.s3 import ObjectStore


def jsonl_gz(rows: Iterable[Mapping[str, object]]) -> bytes:
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def read_jsonl_gz(store: ObjectStore, key: str, missing_ok: bool = False) -> list[JSONObject]:
    """A gzipped JSON-lines object (records are split on "\\n" only: text fields may hold
    other Unicode line separators); each line a JSON object."""
    if missing_ok and not store.exists(key):
        return []
    data = gzip.decompress(store.get_bytes(key)).decode("utf-8")
    return [json.loads(line) for line in data.split("\n") if line.strip()]
