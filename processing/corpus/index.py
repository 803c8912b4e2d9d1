"""The writers' article index: one small Parquet object per outlet, ``article_id`` → where
and what its current version is (publication day, ``content_hash``, translation status).

A commit decides from it which incoming articles are new, unchanged or replaced, and which
partitions hold the versions it replaces, so it reads only the partitions it touches instead
of every file of the outlet. The table property ``newsloom.index.<outlet>`` names the index's
objects (under the table's ``metadata/newsloom/index/``), ``;``-separated: a base and up to
:data:`MAX_DELTAS` deltas. A commit that changes an outlet's articles writes a small delta
(its own entries, and the ids it removes) — or, every :data:`MAX_DELTAS` commits, a new base
holding everything — and names it in the same catalog commit as its snapshot: the index and
the table can never disagree, and a commit's index cost does not grow with the outlet's
history. Readers never need it; a lost or unreadable index is rebuilt from the table (one
scan of the outlet) by the next writer.
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

MAX_DELTAS = 24
SEPARATOR = ";"

INDEX_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("day", pa.int32()),  # UTC publication day, days since 1970-01-01; null: undated
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("translation_status", pa.string(), nullable=False),
        pa.field("removed", pa.bool_()),  # a delta's: the article left the table
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


def read_index(fileio: FileIO, path: str) -> tuple[dict[str, Entry], set[str]]:
    """One index object (raises ``OSError``/``ArrowException`` when unreadable): the entries
    it sets and the ids it removes."""
    with fileio.new_input(path).open() as f:
        table = pq.read_table(f)
    ids = table.column("article_id").to_pylist()
    days = table.column("day").to_pylist()
    hashes = table.column("content_hash").to_pylist()
    statuses = table.column("translation_status").to_pylist()
    gone = (
        table.column("removed").to_pylist()
        if "removed" in table.column_names
        else [False] * len(ids)
    )
    entries: dict[str, Entry] = {}
    removed: set[str] = set()
    for a, d, h, st, r in zip(ids, days, hashes, statuses, gone, strict=True):
        if r:
            removed.add(a)
        else:
            entries[a] = Entry(d, h, st)
    return entries, removed


def write_index(
    fileio: FileIO, path: str, entries: Mapping[str, Entry], removed: Iterable[str] = ()
) -> int:
    """Write ``entries`` (and, for a delta, the ``removed`` ids) sorted by id to ``path``;
    returns the object's size in bytes."""
    gone = sorted(set(removed) - set(entries))
    ids = sorted(entries)
    table = pa.Table.from_arrays(
        [
            pa.array(ids + gone, pa.string()),
            pa.array([entries[a].day for a in ids] + [None] * len(gone), pa.int32()),
            pa.array([entries[a].content_hash for a in ids] + [""] * len(gone), pa.string()),
            pa.array([entries[a].translation_status for a in ids] + [""] * len(gone), pa.string()),
            pa.array([False] * len(ids) + [True] * len(gone), pa.bool_()),
        ],
        schema=INDEX_SCHEMA,
    )
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    data = buf.getvalue()
    with fileio.new_output(path).create(overwrite=True) as f:
        f.write(data)
    return len(data)


def parts(pointer: str | None) -> list[str]:
    """The objects a ``newsloom.index.<outlet>`` value names: the base first."""
    return [p for p in (pointer or "").split(SEPARATOR) if p]


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
