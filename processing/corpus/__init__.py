"""The article corpus: schema, Parquet encoding, and exactly-once partition commits.

Layout (docs/corpus.md): ``articles/v1/outlet=<id>/date=<published UTC day>/part-00000.parquet``,
one object per partition. A commit merges a run's articles into the partitions they belong to
(by ``article_id``: new rows added, changed rows replaced, unchanged rows left alone) and
replaces each touched partition object with one PUT. S3 PUTs are atomic per key, so a reader
never sees a half-written partition or two rows for one article. A per-outlet index
(``state/index/outlet=<id>.parquet``) says which partition holds each article, so an article
whose publication date changed moves instead of being duplicated. Commits of one outlet are
serialised by a lock object created with a conditional PUT.
"""

from __future__ import annotations

import io
import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from processing.core import layout
from processing.core.s3 import ObjectStore

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"

_TS = pa.timestamp("us", tz="UTC")
SEGMENT = pa.struct([("paragraph", pa.int32()), ("source", pa.string()), ("target", pa.string())])

ARTICLE_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("outlet", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("description", pa.string()),
        pa.field("language", pa.string(), nullable=False),
        pa.field("language_confidence", pa.float64()),
        pa.field("other_languages", pa.list_(pa.string())),
        pa.field("published_at", _TS),
        pa.field("published_at_source", pa.string()),
        pa.field("modified_at", _TS),
        pa.field("authors", pa.list_(pa.string())),
        pa.field("section", pa.string()),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("title_en", pa.string()),
        pa.field("text_en", pa.string()),
        pa.field("translation_status", pa.string(), nullable=False),
        pa.field("translation_model", pa.string()),
        pa.field("translation_model_version", pa.string()),
        pa.field("translation_backend", pa.string()),
        pa.field("translation_reason", pa.string()),
        pa.field("translated_at", _TS),
        pa.field("translation_segments", pa.list_(SEGMENT)),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("fetched_at", _TS, nullable=False),
        pa.field("first_seen_at", _TS, nullable=False),
        pa.field("raw_ref", pa.string()),
        pa.field("http_status", pa.int32()),
        pa.field("extractor_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ],
    metadata={"newsloom.schema_version": SCHEMA_VERSION},
)

INDEX_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("date", pa.string()),
        ("content_hash", pa.string()),
    ]
)

COLUMNS = ARTICLE_SCHEMA.names


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (dicts keyed by column) to a table with exactly the corpus schema."""
    missing = [c for r in rows[:1] for c in COLUMNS if c not in r]
    if missing:
        raise ValueError(f"rows lack columns: {missing}")
    return pa.Table.from_pylist(
        [{c: r.get(c) for c in COLUMNS} for r in rows], schema=ARTICLE_SCHEMA
    )


def encode_parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", use_dictionary=True)
    return sink.getvalue()


def decode_parquet(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def _conform(table: pa.Table) -> pa.Table:
    """Cast an older table to the current schema (added nullable columns become null)."""
    cols = []
    for f in ARTICLE_SCHEMA:
        if f.name in table.column_names:
            cols.append(table.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=ARTICLE_SCHEMA)


def read_partition(store: ObjectStore, outlet: str, day: str) -> list[dict[str, Any]]:
    key = layout.partition_key(outlet, day)
    if not store.exists(key):
        return []
    return _conform(decode_parquet(store.get_bytes(key))).to_pylist()


def partitions(store: ObjectStore, outlet: str | None = None) -> list[tuple[str, str, str]]:
    """``(outlet, day, key)`` of every committed partition object, sorted."""
    prefix = layout.outlet_prefix(outlet) if outlet else layout.ARTICLES_PREFIX
    found = []
    for key in store.list_keys(prefix):
        parsed = layout.parse_partition(key)
        if parsed and key.endswith(layout.PART_NAME):
            found.append((parsed[0], parsed[1], key))
    return sorted(found)


def iter_articles(
    store: ObjectStore, outlet: str | None = None, columns: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    for _, _, key in partitions(store, outlet):
        table = _conform(decode_parquet(store.get_bytes(key)))
        if columns:
            table = table.select(columns)
        yield from table.to_pylist()


# ---- locking ----------------------------------------------------------------------------
class LockTimeout(RuntimeError):
    pass


@dataclass
class OutletLock:
    """A lock per outlet and purpose: an object created with ``If-None-Match: *``.

    ``commit`` serialises corpus commits; ``crawl`` keeps two runs (a daily run and a backfill,
    or two workers) from crawling one outlet at once, whatever scheduled them. A lock older
    than ``stale_after`` seconds (a crashed worker) is broken.
    """

    store: ObjectStore
    outlet: str
    purpose: str = "commit"
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    stale_after: float = 900.0
    wait: float = 300.0

    def __enter__(self) -> OutletLock:
        key = layout.lock_key(self.outlet, self.purpose)
        body = json.dumps({"owner": self.owner, "at": time.time()}).encode()
        deadline = time.monotonic() + self.wait
        while True:
            if self.store.put_if_absent(key, body):
                return self
            held = self.store.get_json_or_none(key) or {}
            if time.time() - float(held.get("at", 0)) > self.stale_after:
                logger.warning(
                    "breaking stale %s lock on %s held by %s",
                    self.purpose,
                    self.outlet,
                    held.get("owner"),
                )
                self.store.delete(key)
                continue
            if time.monotonic() > deadline:
                raise LockTimeout(
                    f"{self.purpose} lock on {self.outlet} held by {held.get('owner')}"
                )
            time.sleep(0.5)

    def __exit__(self, *exc: object) -> None:
        key = layout.lock_key(self.outlet, self.purpose)
        held = self.store.get_json_or_none(key) or {}
        if held.get("owner") == self.owner:
            self.store.delete(key)


# ---- commit -----------------------------------------------------------------------------
@dataclass
class CommitResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    partitions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "moved": self.moved,
            "partitions": self.partitions,
        }


def partition_day(row: dict[str, Any]) -> str:
    when = row.get("published_at") or row["fetched_at"]
    return when.astimezone(UTC).date().isoformat()


def load_index(store: ObjectStore, outlet: str) -> dict[str, tuple[str, str]]:
    """article_id -> (partition day, content_hash); rebuilt from the partitions if missing."""
    key = layout.index_key(outlet)
    if store.exists(key):
        t = decode_parquet(store.get_bytes(key))
        return {
            a: (d, h)
            for a, d, h in zip(
                t.column("article_id").to_pylist(),
                t.column("date").to_pylist(),
                t.column("content_hash").to_pylist(),
                strict=True,
            )
        }
    index: dict[str, tuple[str, str]] = {}
    for _, day, pkey in partitions(store, outlet):
        t = decode_parquet(store.get_bytes(pkey)).select(["article_id", "content_hash"])
        for a, h in zip(t.column(0).to_pylist(), t.column(1).to_pylist(), strict=True):
            index[a] = (day, h)
    return index


def _save_index(store: ObjectStore, outlet: str, index: dict[str, tuple[str, str]]) -> None:
    ids = sorted(index)
    table = pa.table(
        {
            "article_id": ids,
            "date": [index[i][0] for i in ids],
            "content_hash": [index[i][1] for i in ids],
        },
        schema=INDEX_SCHEMA,
    )
    store.put_bytes(layout.index_key(outlet), encode_parquet(table))


def _merge_row(
    old: dict[str, Any] | None, new: dict[str, Any], force: bool
) -> dict[str, Any] | None:
    """The row to keep for one article, or None when the stored one stays as it is."""
    if old is None:
        return new
    same = old["content_hash"] == new["content_hash"]
    better_translation = old.get("translation_status") in ("pending", "failed") and new.get(
        "translation_status"
    ) in ("translated", "source_english")
    if same and not force and not better_translation:
        return None
    merged = dict(new)
    merged["first_seen_at"] = old.get("first_seen_at") or new["first_seen_at"]
    if not same and merged.get("modified_at") is None:
        # the page changed without saying when: the fetch that saw the change dates it
        merged["modified_at"] = new["fetched_at"]
    return merged


def commit_articles(
    store: ObjectStore, outlet: str, rows: Iterable[dict[str, Any]], force: bool = False
) -> CommitResult:
    """Merge ``rows`` (one outlet) into the corpus; idempotent, exactly-once per article.

    ``force`` replaces rows even when their content hash is unchanged (reprocessing after an
    extractor or model upgrade, re-translation).
    """
    incoming: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["outlet"] != outlet:
            raise ValueError(f"row of {row['outlet']} committed to {outlet}")
        incoming[row["article_id"]] = row  # last one wins inside a run
    result = CommitResult()
    if not incoming:
        return result
    with OutletLock(store, outlet):
        index = load_index(store, outlet)
        by_day: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        removals: dict[str, set[str]] = defaultdict(set)
        for aid, row in incoming.items():
            by_day[partition_day(row)][aid] = row
            if aid in index and index[aid][0] != partition_day(row):
                removals[index[aid][0]].add(aid)
        # Days losing a moved article go first: a reader may briefly miss it, never see it twice.
        touched = sorted(removals) + sorted(set(by_day) - set(removals))
        for day in touched:
            existing = {r["article_id"]: r for r in read_partition(store, outlet, day)}
            changed = False
            for aid in removals.get(day, ()):  # moved to another day by this commit
                if aid in existing:
                    # keep the first-seen time on the row that moves
                    moved_row = by_day[partition_day(incoming[aid])][aid]
                    moved_row["first_seen_at"] = (
                        existing[aid].get("first_seen_at") or moved_row["first_seen_at"]
                    )
                    del existing[aid]
                    changed = True
                    result.moved += 1
            for aid, row in by_day.get(day, {}).items():
                old = existing.get(aid)
                merged = _merge_row(old, row, force)
                if merged is None:
                    result.unchanged += 1
                    continue
                if aid in index:
                    result.updated += 1
                else:
                    result.new += 1
                existing[aid] = merged
                changed = True
            for aid in by_day.get(day, {}):
                index[aid] = (day, existing[aid]["content_hash"])
            if not changed:
                continue
            key = layout.partition_key(outlet, day)
            if existing:
                ordered = sorted(
                    existing.values(),
                    key=lambda r: (r.get("published_at") or r["fetched_at"], r["article_id"]),
                )
                store.put_bytes(
                    key,
                    encode_parquet(to_table(ordered)),
                    metadata={"newsloom-schema": SCHEMA_VERSION},
                )
            else:
                store.delete(key)
            result.partitions.append(key)
        _save_index(store, outlet, index)
    logger.info(
        "committed %s: %d new, %d updated, %d unchanged, %d moved, %d partitions",
        outlet,
        result.new,
        result.updated,
        result.unchanged,
        result.moved,
        len(result.partitions),
    )
    return result


def now_utc() -> datetime:
    return datetime.now(UTC)


# ---- the reading API every consumer uses (stable across storage back ends) --------------
@dataclass
class Corpus:
    """The article corpus of one deployment: its S3 store (manifests, raw WARC) and its
    articles. ``read()`` is the one way to read articles as a table."""

    store: ObjectStore

    def read(self, columns: list[str] | None = None, outlet: str | None = None) -> pa.Table:
        """Every current article (optionally one outlet), as a table with the corpus schema
        (or just ``columns``)."""
        tables = [
            _conform(decode_parquet(self.store.get_bytes(key)))
            for _, _, key in partitions(self.store, outlet)
        ]
        table = pa.concat_tables(tables) if tables else ARTICLE_SCHEMA.empty_table()
        return table.select(columns) if columns else table


def open_corpus(store: ObjectStore) -> Corpus:
    return Corpus(store)
