"""Reading a v1 corpus (Hive-partitioned Parquet under ``articles/v1/``), for migration.

v1 wrote one Parquet object per outlet and day: ``articles/v1/outlet=<id>/date=<day>/
part-00000.parquet``. ``newsloom corpus migrate`` reads them through this module and commits
the rows into the Iceberg table; nothing here writes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from processing.core.records import CellValue
from processing.core.s3 import ObjectStore

V1_PREFIX = "articles/v1/"
V1_PART = "part-00000.parquet"


def parse_v1_key(key: str) -> tuple[str, str] | None:
    """``(outlet, YYYY-MM-DD)`` of a v1 partition object key, or None."""
    if not key.startswith(V1_PREFIX) or not key.endswith(V1_PART):
        return None
    parts = key[len(V1_PREFIX) :].split("/")
    if len(parts) != 3 or not parts[0].startswith("outlet=") or not parts[1].startswith("date="):
        return None
    return parts[0][len("outlet=") :], parts[1][len("date=") :]


def v1_partitions(store: ObjectStore, outlet: str | None = None) -> list[tuple[str, str, str]]:
    """``(outlet, day, key)`` of every v1 partition object, sorted."""
    prefix = f"{V1_PREFIX}outlet={outlet}/" if outlet else V1_PREFIX
    found = []
    for key in store.list_keys(prefix):
        parsed = parse_v1_key(key)
        if parsed:
            found.append((parsed[0], parsed[1], key))
    return sorted(found)


def read_v1_partition(store: ObjectStore, key: str) -> list[dict[str, CellValue]]:
    """The rows of one v1 object as dicts, renamed to the current field names."""
    table: pa.Table = pq.read_table(io.BytesIO(store.get_bytes(key)))
    rows = table.to_pylist()
    for row in rows:
        if "first_seen_at" in row:
            row.setdefault("ingested_at", row.pop("first_seen_at"))
        row.setdefault("updated_at", row.get("fetched_at"))
    return rows


def iter_v1_rows(store: ObjectStore, outlet: str | None = None) -> Iterator[dict[str, CellValue]]:
    for _, _, key in v1_partitions(store, outlet):
        yield from read_v1_partition(store, key)
