"""The change events of commits, as objects under the table's ``metadata/newsloom/``.

- One object per commit, ``changes/<commit>.jsonl.gzip`` (gzip-compressed JSON lines: a few
  hundred bytes), named by the snapshot's ``newsloom.changes`` property and written before
  the commit.
- When snapshots expire, their events are gathered into one ``segments/<uuid>.parquet`` per
  expiry batch (with each event's ``snapshot_id``), which the history object names instead;
  the per-commit objects then become orphans. The feed's cost for old history is one read
  per batch of commits, and the number of objects stays bounded.
"""

from __future__ import annotations

import gzip
import io
import json
import uuid
from collections.abc import Iterable
from datetime import date
from typing import NotRequired, TypedDict

import pyarrow as pa
import pyarrow.parquet as pq
from pyiceberg.io import FileIO

EVENT_SCHEMA = pa.schema(
    [
        pa.field("operation", pa.string(), nullable=False),  # insert | update | delete
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("outlet", pa.string(), nullable=False),
        pa.field("day", pa.date32()),  # UTC publication day of the version (deleted one's)
        pa.field("previous_day", pa.date32()),  # update: the old version's day
        pa.field("previous_outlet", pa.string()),
        pa.field("content_hash", pa.string()),  # the new version's (null for delete)
        pa.field("previous_content_hash", pa.string()),  # null for insert
        pa.field("content_changed", pa.bool_(), nullable=False),
        pa.field("changed_columns", pa.list_(pa.string())),
        pa.field("reason", pa.string()),
    ]
)
SEGMENT_SCHEMA = pa.schema([pa.field("snapshot_id", pa.int64(), nullable=False), *EVENT_SCHEMA])
_DATES = ("day", "previous_day")


class ChangeEvent(TypedDict):
    """One event as stored: the fields of :data:`EVENT_SCHEMA` (``snapshot_id`` in a segment)."""

    operation: str
    article_id: str
    outlet: str
    day: date | None
    previous_day: date | None
    previous_outlet: str | None
    content_hash: str | None
    previous_content_hash: str | None
    content_changed: bool
    changed_columns: list[str] | None
    reason: str | None
    snapshot_id: NotRequired[int]


def commit_events_path(table_location: str, commit_id: str) -> str:
    return f"{table_location.rstrip('/')}/metadata/newsloom/changes/{commit_id}.jsonl.gzip"


def segment_path(table_location: str) -> str:
    return f"{table_location.rstrip('/')}/metadata/newsloom/segments/{uuid.uuid4().hex}.parquet"


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write_commit_events(fileio: FileIO, path: str, events: list[ChangeEvent]) -> None:
    text = "\n".join(json.dumps(e, default=_json_default, ensure_ascii=False) for e in events)
    with fileio.new_output(path).create(overwrite=True) as f:
        f.write(gzip.compress(text.encode("utf-8"), mtime=0))


def read_events(fileio: FileIO, path: str) -> list[ChangeEvent]:
    """The events in an object: a commit's (``.jsonl.gzip``), a segment's (``.parquet``, each
    row with its ``snapshot_id``) or an older commit's (``.parquet``)."""
    with fileio.new_input(path).open() as f:
        data = f.read()
    if path.endswith(".jsonl.gzip"):
        rows = [json.loads(line) for line in gzip.decompress(data).decode("utf-8").splitlines()]
        for r in rows:
            for name in _DATES:
                if r.get(name):
                    r[name] = date.fromisoformat(r[name])
        return rows
    return pq.read_table(io.BytesIO(data)).to_pylist()


def write_segment(fileio: FileIO, path: str, events: Iterable[ChangeEvent]) -> None:
    table = pa.Table.from_pylist(list(events), schema=SEGMENT_SCHEMA)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    with fileio.new_output(path).create(overwrite=True) as f:
        f.write(buf.getvalue())
