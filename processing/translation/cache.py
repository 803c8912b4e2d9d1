"""The segment translation cache, shared by every worker through S3.

An entry maps a normalised source segment to its translation, for one model version and one
decoding variant (backend, precision, beams): translations from another backend are never
served under this backend's name, so the provenance fields stay exact. Layout::

    state/translation-cache/<model_key>/<variant>/<shard>/<content sha>.json

``shard`` is the first two hex digits of the entry's hash (256 shards). A ``translate()`` call
reads only the shards its segments fall in (once per translator), and writes at most one new
object per shard it added entries to: objects are immutable and named by their content, so
concurrent workers never overwrite each other and a retried task writes the same names again.
A shard that has accumulated many objects is compacted into one by the next reader (the merged
object is written before the old ones are deleted, so no entry is ever lost).

Without a store the cache lives in memory for the translator's lifetime.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeAlias, cast

from processing.core.jsontypes import JSONValue

logger = logging.getLogger(__name__)

SHARD_CHARS = 2
COMPACT_AT = 16  # objects in one shard before a reader merges them
CACHE_FORMAT = 1
IO_THREADS = 16


# One cached translation as stored: [target text, 1 when cut else 0].
Entry: TypeAlias = list[str | int]


class CacheStore(Protocol):
    """The part of ``processing.core.s3.ObjectStore`` the cache uses."""

    def put_json(self, key: str, obj: object) -> None: ...
    def get_json_or_none(self, key: str) -> JSONValue: ...
    def list_keys(self, prefix: str) -> Iterable[str]: ...
    def delete(self, key: str) -> None: ...


@dataclass(frozen=True)
class CachedTranslation:
    target: str
    cut: bool = False  # the target hit the generation limit even after splitting


def entry_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class SegmentCache:
    """A memory cache in front of the S3 shards of one (model version, variant)."""

    def __init__(
        self, store: CacheStore | None, prefix: str, stats: dict[str, int] | None = None
    ) -> None:
        self.store = store
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.stats = stats if stats is not None else {}
        self._memory: dict[str, CachedTranslation] = {}
        self._loaded: set[str] = set()
        self._new: dict[str, CachedTranslation] = {}

    def __len__(self) -> int:
        return len(self._memory)

    def _count(self, name: str, n: int = 1) -> None:
        self.stats[name] = self.stats.get(name, 0) + n

    def lookup(self, hashes: Iterable[str]) -> dict[str, CachedTranslation]:
        """The cached translations among ``hashes``, loading their shards from S3 if needed."""
        wanted = set(hashes)
        if self.store is not None:
            shards = {h[:SHARD_CHARS] for h in wanted if h not in self._memory} - self._loaded
            if shards:
                self._load_shards(sorted(shards))
        return {h: self._memory[h] for h in wanted if h in self._memory}

    def add(self, h: str, value: CachedTranslation) -> None:
        self._memory[h] = value
        if self.store is not None:
            self._new[h] = value

    def flush(self) -> int:
        """Write the entries added since the last flush (one object per shard); returns how many
        objects were written."""
        if self.store is None or not self._new:
            self._new.clear()
            return 0
        by_shard: dict[str, dict[str, Entry]] = {}
        for h, v in self._new.items():
            by_shard.setdefault(h[:SHARD_CHARS], {})[h] = [v.target, int(v.cut)]
        self._new = {}
        with ThreadPoolExecutor(min(IO_THREADS, len(by_shard))) as pool:
            list(pool.map(lambda item: self._write(item[0], item[1]), by_shard.items()))
        self._count("cache_objects_written", len(by_shard))
        return len(by_shard)

    # ---- S3 ------------------------------------------------------------------------------
    def _write(self, shard: str, entries: dict[str, Entry]) -> str:
        assert self.store is not None
        body = {"format": CACHE_FORMAT, "entries": entries}
        digest = hashlib.sha256(
            json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:20]
        key = f"{self.prefix}{shard}/{digest}.json"
        self.store.put_json(key, body)
        return key

    def _load_shards(self, shards: list[str]) -> None:
        assert self.store is not None
        store = self.store

        def load(shard: str) -> tuple[str, list[str], list[dict[str, JSONValue]]]:
            keys = sorted(store.list_keys(f"{self.prefix}{shard}/"))
            objects = []
            for key in keys:
                obj = store.get_json_or_none(key)  # None: compacted away meanwhile
                if isinstance(obj, dict) and obj.get("format") == CACHE_FORMAT:
                    objects.append(obj)
            return shard, keys, objects

        with ThreadPoolExecutor(min(IO_THREADS, len(shards))) as pool:
            results = list(pool.map(load, shards))
        for shard, keys, objects in results:
            merged: dict[str, Entry] = {}
            for obj in objects:
                entries = obj.get("entries")
                if isinstance(entries, dict):  # the cache's own format: hash -> Entry
                    merged.update(cast("dict[str, Entry]", entries))
            for h, (target, cut) in merged.items():
                self._memory.setdefault(h, CachedTranslation(str(target), bool(cut)))
            self._loaded.add(shard)
            self._count("cache_objects_read", len(objects))
            if len(keys) >= COMPACT_AT and merged:
                self._compact(shard, keys, merged)

    def _compact(self, shard: str, keys: list[str], merged: dict[str, Entry]) -> None:
        assert self.store is not None
        new_key = self._write(shard, merged)
        for key in keys:
            if key != new_key:
                self.store.delete(key)
        logger.info(
            "translation cache: compacted %d objects of %s%s/ into %s",
            len(keys),
            self.prefix,
            shard,
            new_key,
        )
