"""The change feed: what each commit inserted, updated and deleted.

Every newsloom commit is one snapshot whose ``newsloom.changes`` property names a small
Parquet object of its events, written before the commit (``processing.corpus.table``):

- ``insert``: a new article;
- ``update``: a new version of an article: ``content_hash`` and ``previous_content_hash``,
  ``content_changed`` (whether title or text changed) and ``changed_columns`` (every column
  that differs, bookkeeping such as ``updated_at``/``run_id`` excepted: a rewrite with equal
  content is never an event); an article whose publication day changed (a move) carries its
  ``previous_day`` — the old version is gone from that day's partition in the same snapshot;
- ``delete``: an article removed (a takedown), with its ``reason``.

``since`` is exclusive and ``until`` inclusive; both take a snapshot id or a time (ISO 8601;
``Z`` or an offset, UTC when neither): the feed lists the commits made after ``since`` and up
to ``until`` (default: the current snapshot). Maintenance snapshots (compaction) change no
row and give no event. Snapshots written by older versions (without an events object) are
diffed from their data files instead (a move then shows as ``delete`` + ``update``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

import pyarrow.parquet as pq
from pyiceberg.table import Table
from pyiceberg.table.snapshots import Snapshot

from processing.core.errors import SnapshotNotFound
from processing.core.jsontypes import JSONValue
from processing.corpus.events import ChangeEvent, read_events
from processing.corpus.table import ArticlesTable
from processing.corpus.writer import (
    CHANGES_PROPERTY,
    COMMIT_PROPERTY,
    KIND_PROPERTY,
    RUN_PROPERTY,
    parent_of,
    read_history,
)

_COLUMNS = ["article_id", "outlet", "published_at", "updated_at", "content_hash"]
NO_EVENTS_KINDS = frozenset({"compact", "outlets"})


@dataclass(frozen=True)
class Change:
    """One event of the feed (docs/corpus.md, "The change feed"; schema in
    docs/schemas/change.schema.json)."""

    operation: str  # insert | update | delete
    article_id: str
    outlet: str
    day: str | None  # UTC publication day of the version (the deleted one's for delete)
    snapshot_id: int
    committed_at: str
    run_id: str | None
    kind: str | None = None  # the writing run's kind: daily, backfill, retranslate, takedown…
    content_hash: str | None = None
    previous_content_hash: str | None = None
    content_changed: bool = True
    changed_columns: list[str] = field(default_factory=list)
    previous_day: str | None = None
    previous_outlet: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, JSONValue]:
        return asdict(self)


def _parse_time(text: str) -> datetime:
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SnapshotNotFound(
            f"{text!r} is neither a snapshot id nor an ISO 8601 time (e.g. 2026-11-28T00:00:00Z)"
        ) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _point(value: int | datetime | str | None) -> int | datetime | None:
    if value is None or isinstance(value, int | datetime):
        return value
    text = value.strip()
    return int(text) if text.lstrip("-").isdigit() else _parse_time(text)


def _ms(dt: datetime) -> int:
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp() * 1000)


@dataclass(frozen=True)
class Commit:
    """One commit of the history: a kept snapshot, or one expired (from the table's history
    object, ``newsloom.history``)."""

    snapshot_id: int
    parent_id: int | None
    timestamp_ms: int
    props: dict[str, str]
    snapshot: Snapshot | None  # None: expired


def _props(snap: Snapshot) -> dict[str, str]:
    return dict(snap.summary.additional_properties) if snap.summary else {}


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


class _History:
    """The main branch's commits: kept snapshots and the expired ones recorded by writers."""

    def __init__(self, tbl: Table) -> None:
        self.tbl = tbl
        self.expired: dict[int, Commit] = {}
        for r in read_history(tbl).to_pylist():
            props: dict[str, str] = json.loads(r["properties"]) if r["properties"] else {}
            props |= {
                k: v
                for k, v in (
                    (RUN_PROPERTY, r["run_id"]),
                    (KIND_PROPERTY, r["kind"]),
                    (COMMIT_PROPERTY, r["commit"]),
                    (CHANGES_PROPERTY, r["changes"]),
                )
                if v is not None
            }
            self.expired[r["snapshot_id"]] = Commit(
                r["snapshot_id"], r["parent_id"], r["committed_at_ms"], props, None
            )

    def get(self, snapshot_id: int) -> Commit | None:
        snap = self.tbl.metadata.snapshot_by_id(snapshot_id)
        if snap is not None:
            return Commit(snap.snapshot_id, parent_of(snap), snap.timestamp_ms, _props(snap), snap)
        return self.expired.get(snapshot_id)

    def ancestry(self, head: Commit | None) -> Iterator[Commit]:
        commit = head
        while commit is not None:
            yield commit
            if commit.parent_id is None:
                return
            commit = self.get(commit.parent_id)


def commits_between(
    tbl: Table, since: int | datetime | str | None, until: int | datetime | str | None
) -> list[Commit]:
    """The commits after ``since`` up to ``until``, oldest first."""
    history = _History(tbl)
    since_p, until_p = _point(since), _point(until)
    current = tbl.metadata.current_snapshot()
    head = history.get(current.snapshot_id) if current else None
    if isinstance(until_p, int):
        head = history.get(until_p)
        if head is None:
            raise SnapshotNotFound(f"snapshot {until_p} is not in the table's history")
    elif isinstance(until_p, datetime):
        cutoff = _ms(until_p)
        head = next((c for c in history.ancestry(head) if c.timestamp_ms <= cutoff), None)
    if isinstance(since_p, int) and history.get(since_p) is None:
        raise SnapshotNotFound(f"snapshot {since_p} is not in the table's history")
    chain: list[Commit] = []
    reached = since_p is None
    for commit in history.ancestry(head):
        if isinstance(since_p, int) and commit.snapshot_id == since_p:
            reached = True
            break
        if isinstance(since_p, datetime) and commit.timestamp_ms <= _ms(since_p):
            reached = True
            break
        chain.append(commit)
    if not reached:
        oldest = chain[-1] if chain else None
        if isinstance(since_p, int):
            raise SnapshotNotFound(f"snapshot {since_p} is not an ancestor of the current one")
        if oldest is not None and oldest.parent_id is not None:
            raise SnapshotNotFound(
                f"the table's history starts at {_iso(oldest.timestamp_ms)} (parent snapshot "
                f"{oldest.parent_id} is not recorded)"
            )
    chain.reverse()
    return chain


def changes(
    articles: ArticlesTable,
    since: int | datetime | str | None = None,
    until: int | datetime | str | None = None,
) -> list[Change]:
    """Changes of the commits after ``since`` up to ``until``, oldest first."""
    tbl = articles.table()
    if tbl.metadata.current_snapshot() is None:
        return []
    chain = commits_between(tbl, since, until)
    # a commit's events come from its events object; older commits are diffed, the snapshots
    # of one older commit (same newsloom.commit) together
    units: list[list[Commit]] = []
    for commit in chain:
        props = commit.props
        if props.get(KIND_PROPERTY) in NO_EVENTS_KINDS:
            continue
        if CHANGES_PROPERTY not in props and commit.snapshot is None:
            raise SnapshotNotFound(
                f"commit {commit.snapshot_id} ({_iso(commit.timestamp_ms)}) recorded no events "
                "and its snapshot expired: the feed cannot cover it"
            )
        key = props.get(COMMIT_PROPERTY)
        previous = units[-1][-1].props if units else {}
        if (
            CHANGES_PROPERTY not in props
            and units
            and CHANGES_PROPERTY not in previous
            and key is not None
            and previous.get(COMMIT_PROPERTY) == key
        ):
            units[-1].append(commit)
        else:
            units.append([commit])
    paths = sorted({u[0].props[CHANGES_PROPERTY] for u in units if CHANGES_PROPERTY in u[0].props})
    with ThreadPoolExecutor(max_workers=8) as pool:
        read = dict(zip(paths, pool.map(lambda p: read_events(tbl.io, p), paths), strict=True))
        results = pool.map(lambda unit: _unit_changes(tbl, unit, read), units)
        return [c for result in results for c in result]


def _unit_changes(
    tbl: Table, unit: list[Commit], read: dict[str, list[ChangeEvent]]
) -> list[Change]:
    props = unit[0].props
    if CHANGES_PROPERTY in props:
        return _logged(unit[0], read[props[CHANGES_PROPERTY]])
    return _diffed(tbl, [c.snapshot for c in unit if c.snapshot is not None])


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _logged(commit: Commit, rows: list[ChangeEvent]) -> list[Change]:
    """The commit's events: all of its own object's, or its share of a segment's."""
    props = commit.props
    when = _iso(commit.timestamp_ms)
    return [
        Change(
            operation=r["operation"],
            article_id=r["article_id"],
            outlet=r["outlet"],
            day=_day(r["day"]),
            snapshot_id=commit.snapshot_id,
            committed_at=when,
            run_id=props.get(RUN_PROPERTY),
            kind=props.get(KIND_PROPERTY),
            content_hash=r["content_hash"],
            previous_content_hash=r["previous_content_hash"],
            content_changed=bool(r["content_changed"]),
            changed_columns=list(r["changed_columns"] or []),
            previous_day=_day(r["previous_day"]),
            previous_outlet=r["previous_outlet"],
            reason=r["reason"],
        )
        for r in rows
        if r.get("snapshot_id", commit.snapshot_id) == commit.snapshot_id
    ]


# ---- snapshots written before events objects existed: diff their data files ----------------
Version = tuple[str, str, str | None, str, str]  # article_id, outlet, day, updated_at, hash


def _versions(tbl: Table, path: str) -> list[Version]:
    with tbl.io.new_input(path).open() as f:
        rows = pq.read_table(f, columns=_COLUMNS).to_pylist()
    out = []
    for r in rows:
        pub = r["published_at"]
        day = pub.astimezone(UTC).date().isoformat() if pub else None
        out.append(
            (r["article_id"], r["outlet"], day, r["updated_at"].isoformat(), r["content_hash"])
        )
    return out


def _diffed(tbl: Table, group: list[Snapshot]) -> list[Change]:
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
    when = _iso(last.timestamp_ms)
    props = _props(last)
    run_id, kind = props.get(RUN_PROPERTY), props.get(KIND_PROPERTY)
    new_by_id = {v[0]: v for v in net_added}
    old_by_id = {v[0]: v for v in net_removed}
    result: list[Change] = []
    for aid, outlet, day, _, old_hash in sorted(net_removed, key=lambda v: (v[0], v[2] or "")):
        new = new_by_id.get(aid)
        if new is None or new[2] != day:
            result.append(
                Change(
                    "delete",
                    aid,
                    outlet,
                    day,
                    last.snapshot_id,
                    when,
                    run_id,
                    kind,
                    previous_content_hash=old_hash,
                )
            )
    for aid, outlet, day, _, new_hash in sorted(net_added, key=lambda v: v[0]):
        old = old_by_id.get(aid)
        result.append(
            Change(
                "update" if old else "insert",
                aid,
                outlet,
                day,
                last.snapshot_id,
                when,
                run_id,
                kind,
                content_hash=new_hash,
                previous_content_hash=old[4] if old else None,
                content_changed=old is None or old[4] != new_hash,
            )
        )
    return result
