"""A plan as plain data, for group commit: a writer waiting for the catalog's lock leaves its
plan in the catalog's commit queue, and whichever writer holds the lock commits every waiting
plan in one catalog commit — still one snapshot per plan, each with its own change events
(:meth:`processing.corpus.writer.TableWriter._apply`).

Only what a plan names is encoded: the data files it adds and removes (their Iceberg fields),
its partitions, what its indexes looked like and the index objects it wrote, what it saw of
each article, its summary entries, its snapshot id and its change events object. The data,
index and events objects themselves are already in the table's storage when a plan is
queued. JSON, not pickle: the queue is read by other processes and machines.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import TYPE_CHECKING, Any

from pyiceberg.manifest import DataFile, DataFileContent, FileFormat
from pyiceberg.typedef import Record

from processing.corpus import index as ix

if TYPE_CHECKING:
    from processing.corpus.writer import IndexUpdate, PartKey, Plan

# plans larger than this commit themselves (their queue row would be as large as their data)
MAX_FILES = 400
MAX_ARTICLES = 20_000


def stageable(plan: Plan) -> bool:
    """Whether another writer may commit ``plan``: small enough, with its change events and
    index objects written."""
    if len(plan.added) + len(plan.removed) > MAX_FILES or len(plan.seen) > MAX_ARTICLES:
        return False
    if plan.events and plan.events_path is None:
        return False
    return all(u.written is not None for u in _changed(plan))


def _changed(plan: Plan) -> list[IndexUpdate]:
    return [u for u in plan.indexes.values() if u.put or u.remove or u.rebuilt]


def encode(plan: Plan) -> bytes:
    doc = {
        "base": plan.base_snapshot_id,
        "kind": plan.kind,
        "run_id": plan.run_id,
        "commit_id": plan.commit_id,
        "added": [_file(f) for f in plan.added],
        "removed": [_file(f) for f in plan.removed],
        "partitions": sorted([list(p) for p in plan.partitions], key=repr),
        "indexes": {
            outlet: {
                "base_path": u.base_path,
                "put": {aid: _entry(e) for aid, e in u.put.items()},
                "remove": sorted(u.remove),
                "rebuilt": u.rebuilt,
                "written": list(u.written) if u.written is not None else None,
            }
            for outlet, u in plan.indexes.items()
        },
        "seen": {
            aid: None if seen is None else [seen[0], _entry(seen[1])]
            for aid, seen in plan.seen.items()
        },
        "counts": plan.counts,
        "properties": plan.properties,
        "snapshot_id": plan.snapshot_id,
        "events_path": plan.events_path,
    }
    return zlib.compress(json.dumps(doc, separators=(",", ":")).encode())


def decode(data: bytes) -> Plan:
    from processing.corpus.writer import IndexUpdate, Plan

    doc = json.loads(zlib.decompress(data))
    indexes = {}
    for outlet, u in doc["indexes"].items():
        written = u["written"]
        indexes[outlet] = IndexUpdate(
            base_path=u["base_path"],
            put={aid: _unentry(e) for aid, e in u["put"].items()},
            remove=set(u["remove"]),
            rebuilt=u["rebuilt"],
            written=(written[0], written[1]) if written is not None else None,
        )
    seen: dict[str, tuple[str, ix.Entry] | None] = {
        aid: None if s is None else (s[0], _unentry(s[1])) for aid, s in doc["seen"].items()
    }
    partitions: set[PartKey] = {(int(p[0]), str(p[1]), p[2]) for p in doc["partitions"]}
    return Plan(
        base_snapshot_id=doc["base"],
        kind=doc["kind"],
        run_id=doc["run_id"],
        commit_id=doc["commit_id"],
        added=[_unfile(f) for f in doc["added"]],
        removed=[_unfile(f) for f in doc["removed"]],
        partitions=partitions,
        indexes=indexes,
        seen=seen,
        counts=doc["counts"],
        properties=doc["properties"],
        snapshot_id=doc["snapshot_id"],
        events_path=doc["events_path"],
    )


def _entry(e: ix.Entry) -> list[Any]:
    return [e.day, e.content_hash, e.translation_status]


def _unentry(v: list[Any]) -> ix.Entry:
    return ix.Entry(day=v[0], content_hash=v[1], translation_status=v[2])


# DataFile fields in order (Iceberg v2 manifest entry's data_file struct)
def _file(f: DataFile) -> dict[str, Any]:
    return {
        "spec_id": f.spec_id,
        "content": int(f.content),
        "file_path": f.file_path,
        "file_format": f.file_format.name,
        "partition": [_value(f.partition[i]) for i in range(len(f.partition))],
        "record_count": f.record_count,
        "file_size_in_bytes": f.file_size_in_bytes,
        "column_sizes": _int_map(f.column_sizes),
        "value_counts": _int_map(f.value_counts),
        "null_value_counts": _int_map(f.null_value_counts),
        "nan_value_counts": _int_map(f.nan_value_counts),
        "lower_bounds": _bytes_map(f.lower_bounds),
        "upper_bounds": _bytes_map(f.upper_bounds),
        "key_metadata": _b64(f.key_metadata),
        "split_offsets": f.split_offsets,
        "equality_ids": f.equality_ids,
        "sort_order_id": f.sort_order_id,
    }


def _unfile(d: dict[str, Any]) -> DataFile:
    f = DataFile(
        DataFileContent(d["content"]),
        d["file_path"],
        FileFormat[d["file_format"]],
        Record(*d["partition"]),
        d["record_count"],
        d["file_size_in_bytes"],
        _unint_map(d["column_sizes"]),
        _unint_map(d["value_counts"]),
        _unint_map(d["null_value_counts"]),
        _unint_map(d["nan_value_counts"]),
        _unbytes_map(d["lower_bounds"]),
        _unbytes_map(d["upper_bounds"]),
        _unb64(d["key_metadata"]),
        d["split_offsets"],
        d["equality_ids"],
        d["sort_order_id"],
    )
    f.spec_id = d["spec_id"]
    return f


def _value(v: object) -> object:
    """A partition value: the transforms newsloom uses give str, int or None."""
    if v is None or isinstance(v, (str, int)):
        return v
    raise TypeError(f"partition value {v!r} ({type(v).__name__}) cannot be queued")


def _int_map(m: dict[int, int] | None) -> list[list[int]] | None:
    return None if m is None else [[k, v] for k, v in m.items()]


def _unint_map(v: list[list[int]] | None) -> dict[int, int] | None:
    return None if v is None else {int(k): int(x) for k, x in v}


def _bytes_map(m: dict[int, bytes] | None) -> list[list[Any]] | None:
    return None if m is None else [[k, _b64(v)] for k, v in m.items()]


def _unbytes_map(v: list[list[Any]] | None) -> dict[int, bytes] | None:
    if v is None:
        return None
    return {int(k): _unb64(x) or b"" for k, x in v}


def _b64(b: bytes | None) -> str | None:
    return None if b is None else base64.b64encode(b).decode()


def _unb64(s: str | None) -> bytes | None:
    return None if s is None else base64.b64decode(s)
