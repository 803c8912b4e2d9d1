"""The writers' article index: one small Parquet object per outlet, ``article_id`` → where
and what its current version is (publication day, ``content_hash``, translation status).

A commit decides from it which incoming articles are new, unchanged or replaced, and which
partitions hold the versions it replaces, so it reads only the partitions it touches instead
of every file of the outlet. Each commit that changes an outlet's articles writes that
outlet's next index object (under the table's ``metadata/newsloom/index/``) and points the
table property ``newsloom.index.<outlet>`` at it in the same catalog commit as its snapshot:
the index and the table can never disagree. Readers never need it; a lost or unreadable
index is rebuilt from the table (one scan of the outlet) by the next writer.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
from pyiceberg.io import FileIO

logger = logging.getLogger(__name__)

PROPERTY_PREFIX = "newsloom.index."
EPOCH = date(1970, 1, 1)

INDEX_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("day", pa.int32()),  # UTC publication day, days since 1970-01-01; null: undated
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("translation_status", pa.string(), nullable=False),
    ]
)


@dataclass(frozen=True)
class Entry:
    """What a commit needs to know of an article's current version."""

    day: int | None
    content_hash: str
    translation_status: str

    @property
    def published_day(self) -> date | None:
        return None if self.day is None else date.fromordinal(EPOCH.toordinal() + self.day)


def day_number(published_at: datetime | None) -> int | None:
    """The UTC day of a publication time as days since 1970-01-01 (the index's ``day``)."""
    if published_at is None:
        return None
    return (published_at.astimezone(UTC).date() - EPOCH).days


def property_name(outlet: str) -> str:
    return f"{PROPERTY_PREFIX}{outlet}"


def index_path(table_location: str, outlet: str) -> str:
    return (
        f"{table_location.rstrip('/')}/metadata/newsloom/index/{outlet}/{uuid.uuid4().hex}.parquet"
    )


def read_index(fileio: FileIO, path: str) -> dict[str, Entry]:
    """The index object at ``path`` (raises ``OSError``/``ArrowException`` when unreadable)."""
    with fileio.new_input(path).open() as f:
        table = pq.read_table(f)
    ids = table.column("article_id").to_pylist()
    days = table.column("day").to_pylist()
    hashes = table.column("content_hash").to_pylist()
    statuses = table.column("translation_status").to_pylist()
    return {a: Entry(d, h, s) for a, d, h, s in zip(ids, days, hashes, statuses, strict=True)}


def write_index(fileio: FileIO, path: str, entries: Mapping[str, Entry]) -> int:
    """Write ``entries`` (sorted by id) to ``path``; returns the object's size in bytes."""
    ids = sorted(entries)
    table = pa.Table.from_arrays(
        [
            pa.array(ids, pa.string()),
            pa.array([entries[a].day for a in ids], pa.int32()),
            pa.array([entries[a].content_hash for a in ids], pa.string()),
            pa.array([entries[a].translation_status for a in ids], pa.string()),
        ],
        schema=INDEX_SCHEMA,
    )
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    data = buf.getvalue()
    with fileio.new_output(path).create(overwrite=True) as f:
        f.write(data)
    return len(data)


def entries_from_rows(rows: pa.Table) -> dict[str, Entry]:
    """Index entries for table rows (``article_id``, ``published_at``, ``content_hash``,
    ``translation_status``)."""
    out: dict[str, Entry] = {}
    columns = [rows.column(c).to_pylist() for c in INDEX_SOURCE_COLUMNS]
    for aid, pub, h, status in zip(*columns, strict=True):
        out[aid] = Entry(day_number(pub), h, status)
    return out


INDEX_SOURCE_COLUMNS = ("article_id", "published_at", "content_hash", "translation_status")


def apply_delta(
    base: Mapping[str, Entry], put: Mapping[str, Entry], remove: Iterable[str]
) -> dict[str, Entry]:
    out = dict(base)
    for aid in remove:
        out.pop(aid, None)
    out.update(put)
    return out
