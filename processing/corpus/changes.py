"""The change feed: what each commit inserted, updated and deleted, from the snapshots.

Every newsloom commit is one Iceberg transaction whose snapshots share the property
``newsloom.commit``. For each commit after ``since`` (a snapshot id, exclusive, or a time),
the data files it added and deleted are read (article id, outlet, publication day and
``updated_at`` only); rows rewritten unchanged by copy-on-write appear on both sides and
cancel out, so what remains is exact:

- ``insert``: a version added, none removed (a new article);
- ``update``: a version replaced (retranslate, reprocess, a changed page);
- ``delete``: a version removed without a replacement in the same partition day — an article
  whose publication day changed yields ``delete`` for the old day, then ``update`` for the new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow.parquet as pq

from processing.corpus.table import COMMIT_PROPERTY, RUN_PROPERTY, ArticlesTable

_COLUMNS = ["article_id", "outlet", "published_at", "updated_at"]


class SnapshotNotFound(ValueError):
    """``since``/``until`` names a snapshot the table does not have (expired, or a typo)."""


@dataclass(frozen=True)
class Change:
    operation: str  # insert | update | delete
    article_id: str
    outlet: str
    day: str | None  # UTC publication day (the partition), None when undated
    snapshot_id: int
    committed_at: str
    run_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Version = tuple[str, str, str | None, str]  # article_id, outlet, day, updated_at


def _versions(tbl: Any, path: str) -> list[Version]:
    with tbl.io.new_input(path).open() as f:
        rows = pq.read_table(f, columns=_COLUMNS).to_pylist()
    out = []
    for r in rows:
        pub = r["published_at"]
        day = pub.astimezone(UTC).date().isoformat() if pub else None
        out.append((r["article_id"], r["outlet"], day, r["updated_at"].isoformat()))
    return out


def _resolve(tbl: Any, point: int | datetime | str | None, default: int | None) -> int | None:
    """A snapshot id for a snapshot id or a time (the last snapshot at or before it)."""
    if point is None:
        return default
    if isinstance(point, str):
        point = int(point) if point.lstrip("-").isdigit() else _parse_time(point)
    if isinstance(point, int):
        if tbl.metadata.snapshot_by_id(point) is None:
            raise SnapshotNotFound(f"snapshot {point} is not in the table (expired?)")
        return point
    ms = point.timestamp() * 1000
    best: int | None = None
    for snap in _ancestry(tbl, default):
        if snap.timestamp_ms <= ms:
            best = snap.snapshot_id
            break
    return best if best is not None else 0  # 0: before the first snapshot


def _parse_time(text: str) -> datetime:
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _ancestry(tbl: Any, head: int | None) -> Iterator[Any]:
    """Snapshots of the main branch from ``head`` back to the first."""
    snap = tbl.metadata.snapshot_by_id(head) if head is not None else None
    while snap is not None:
        yield snap
        if snap.parent_snapshot_id is None:
            return
        snap = tbl.metadata.snapshot_by_id(snap.parent_snapshot_id)


def changes(
    articles: ArticlesTable,
    since: int | datetime | str | None = None,
    until: int | datetime | str | None = None,
) -> list[Change]:
    """Changes of the commits after ``since`` up to ``until`` (default: now), oldest first."""
    tbl = articles.table()
    current = tbl.current_snapshot()
    if current is None:
        return []
    head = _resolve(tbl, until, current.snapshot_id)
    start = _resolve(tbl, since, None)
    chain: list[Any] = []
    for snap in _ancestry(tbl, head):
        if start is not None and snap.snapshot_id == start:
            break
        chain.append(snap)
    else:
        if start not in (None, 0):
            raise SnapshotNotFound(f"snapshot {start} is not an ancestor of {head}")
    chain.reverse()
    # group the snapshots of one commit (consecutive, same newsloom.commit property)
    groups: list[list[Any]] = []
    for snap in chain:
        key = _props(snap).get(COMMIT_PROPERTY)
        if groups and key is not None and _props(groups[-1][-1]).get(COMMIT_PROPERTY) == key:
            groups[-1].append(snap)
        else:
            groups.append([snap])
    out: list[Change] = []
    for group in groups:
        out.extend(_group_changes(tbl, group))
    return out


def _props(snap: Any) -> dict[str, str]:
    return dict(snap.summary.additional_properties) if snap.summary else {}


def _group_changes(tbl: Any, group: list[Any]) -> list[Change]:
    from pyiceberg.manifest import ManifestEntryStatus

    added: Counter[Version] = Counter()
    removed: Counter[Version] = Counter()
    for snap in group:
        for manifest in snap.manifests(tbl.io):
            if manifest.added_snapshot_id != snap.snapshot_id:
                continue
            for entry in manifest.fetch_manifest_entry(tbl.io, discard_deleted=False):
                if entry.snapshot_id != snap.snapshot_id:
                    continue
                if entry.status == ManifestEntryStatus.ADDED:
                    added.update(_versions(tbl, entry.data_file.file_path))
                elif entry.status == ManifestEntryStatus.DELETED:
                    removed.update(_versions(tbl, entry.data_file.file_path))
    net_added = added - removed
    net_removed = removed - added
    last = group[-1]
    when = datetime.fromtimestamp(last.timestamp_ms / 1000, UTC).isoformat()
    run_id = _props(last).get(RUN_PROPERTY)
    new_by_id = {v[0]: v for v in net_added}
    result: list[Change] = []
    for aid, outlet, day, _ in sorted(net_removed, key=lambda v: (v[0], v[2] or "")):
        new = new_by_id.get(aid)
        if new is None or new[2] != day:
            result.append(Change("delete", aid, outlet, day, last.snapshot_id, when, run_id))
    removed_ids = {v[0] for v in net_removed}
    for aid, outlet, day, _ in sorted(net_added, key=lambda v: v[0]):
        op = "update" if aid in removed_ids else "insert"
        result.append(Change(op, aid, outlet, day, last.snapshot_id, when, run_id))
    return result
