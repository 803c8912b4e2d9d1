"""The ``articles`` Iceberg table: reads, and upserts by ``article_id`` — one snapshot each.

A commit merges a batch of rows into the table in ONE Iceberg snapshot and one catalog commit
(``processing.corpus.writer``): the previous versions of the rows it replaces leave their
files and the new versions arrive, together, so a reader at any snapshot — by id, by time,
through ``corpus snapshots`` or the change feed — sees whole publishes only.

Merge rules per article (``plan_upsert``):
- not in the table: inserted (``ingested_at`` = ``updated_at`` = commit time);
- same ``content_hash`` and publication day, not forced, and no better translation: left
  alone (no write, no event);
- otherwise replaced, unless the new version differs from the stored one only in
  bookkeeping columns (:data:`BOOKKEEPING`: a forced rewrite of equal content changes
  nothing): ``ingested_at`` kept, ``updated_at`` = commit time, and a changed page that does
  not say when it changed gets ``modified_at`` = its fetch time. When the publication day
  changed, the old version leaves its old partition in the same snapshot (a move).

Every commit records its change events (insert / update / delete, with the old and new
``content_hash`` and the columns that changed) in a small Parquet object named by the
snapshot's ``newsloom.changes`` property: the change feed reads those.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyiceberg.expressions import BooleanExpression
from pyiceberg.io.pyarrow import _dataframe_to_data_files
from pyiceberg.manifest import DataFile
from pyiceberg.table import DataScan, Table

from processing.core.errors import (
    CommitConflict,
    CorpusUnreadable,
    ReadOnlyCorpus,
    SnapshotNotFound,
)
from processing.core.errors import TableMissing as TableMissing  # re-exported
from processing.core.jsontypes import JSONValue
from processing.core.records import ArticleRow
from processing.corpus import events as ev
from processing.corpus import index as ix
from processing.corpus import schema as S
from processing.corpus import writer as W
from processing.corpus.expr import both, eq

logger = logging.getLogger(__name__)

# re-exported for the change feed and maintenance
COMMIT_PROPERTY = W.COMMIT_PROPERTY
RUN_PROPERTY = W.RUN_PROPERTY
KIND_PROPERTY = W.KIND_PROPERTY
COUNTS_PROPERTY = W.COUNTS_PROPERTY

# columns that say when and by which run a version was written, not what it says: a version
# that differs from the stored one only in these is not written again
BOOKKEEPING = frozenset(
    {"updated_at", "run_id", "ingested_at", "fetched_at", "raw_ref", "http_status"}
)


def _scan_arrow(tbl: Table, scan: DataScan) -> pa.Table:
    """``scan.to_arrow()``, turning an unreadable data file into :class:`CorpusUnreadable`
    that names every such file of the scan (pyarrow's own error names none)."""
    try:
        return scan.to_arrow()
    except (OSError, pa.ArrowException) as exc:
        bad = _unreadable_files(tbl, scan)
        if not bad:
            raise
        listed = "; ".join(f"{path} ({err})" for path, err in bad[:5])
        raise CorpusUnreadable(
            f"{len(bad)} data file(s) of the articles table cannot be read: {listed}. The "
            "table's snapshots still reference them: read an earlier snapshot "
            "(`newsloom corpus snapshots`, `--snapshot`), or restore the objects from backup"
        ) from exc


def _unreadable_files(tbl: Table, scan: DataScan) -> list[tuple[str, str]]:
    bad = []
    for task in scan.plan_files():
        path = task.file.file_path
        try:
            with tbl.io.new_input(path).open() as f:
                pq.read_metadata(f)
        except (OSError, pa.ArrowException) as exc:
            bad.append((path, str(exc).splitlines()[0][:200]))
    return bad


@dataclass
class CommitResult:
    """What one commit did. ``snapshot_id`` is None when nothing changed (no commit)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    deleted: int = 0
    days: list[str] = field(default_factory=list)  # partition days written (UTC)
    snapshot_id: int | None = None
    committed_at: str | None = None
    attempts: int = 0
    reapplied: int = 0
    changed_ids: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.new + self.updated

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "moved": self.moved,
            "deleted": self.deleted,
            "days": list(self.days),
            "snapshot_id": self.snapshot_id,
            "committed_at": self.committed_at,
            "attempts": self.attempts,
        }

    def add(self, other: CommitResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.moved += other.moved
        self.deleted += other.deleted
        self.days = sorted(set(self.days) | set(other.days))
        self.attempts += other.attempts
        self.reapplied += other.reapplied
        self.changed_ids += other.changed_ids
        if other.snapshot_id is not None:
            self.snapshot_id, self.committed_at = other.snapshot_id, other.committed_at


def _better_translation(old_status: str, new: ArticleRow) -> bool:
    return old_status in ("pending", "failed") and new.translation_status in (
        "translated",
        "source_english",
    )


def changed_columns(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """The columns (other than :data:`BOOKKEEPING`) whose values differ."""
    return [c for c in S.COLUMNS if c not in BOOKKEEPING and old.get(c) != new.get(c)]


TableSource = Callable[[], Table]


class ArticlesTable:
    """The corpus table. ``load`` gives the table at its current snapshot; a writable table
    also commits (``commit``, ``delete``) through a ``writer.TableWriter``."""

    def __init__(self, load: TableSource, where: str, writable: bool = False) -> None:
        self._load = load
        self.where = where  # a human description of where the table is found
        self.writable = writable
        self.writer = W.TableWriter(load)
        self.index_cache: dict[str, dict[str, ix.Entry]] = {}

    # ---- the table ----------------------------------------------------------------------
    def table(self) -> Table:
        """The table at its current snapshot (fresh metadata)."""
        tbl = self._load()
        if self.writable:
            self.writer._table = tbl
        return tbl

    @property
    def metadata_location(self) -> str:
        return str(self.table().metadata_location)

    def current_snapshot_id(self) -> int | None:
        snap = self.table().current_snapshot()
        return snap.snapshot_id if snap else None

    # ---- reads --------------------------------------------------------------------------
    def read(
        self,
        columns: Sequence[str] | None = None,
        outlet: str | None = None,
        row_filter: BooleanExpression | None = None,
        snapshot_id: int | None = None,
    ) -> pa.Table:
        """The current rows (or those of ``snapshot_id``) as an Arrow table."""
        if columns:
            unknown = [c for c in columns if c not in S.COLUMNS]
            if unknown:
                raise ValueError(
                    f"unknown column(s) {', '.join(unknown)}; the columns are: "
                    + ", ".join(S.COLUMNS)
                )
        tbl = self.table()
        expr = both(row_filter) if row_filter is not None else both()
        if outlet:
            expr = both(eq("outlet", outlet), expr)
        if tbl.current_snapshot() is None and snapshot_id is None:
            empty = S.ARTICLE_SCHEMA.empty_table()
            return empty.select(list(columns)) if columns else empty
        if snapshot_id is not None and tbl.metadata.snapshot_by_id(snapshot_id) is None:
            raise SnapshotNotFound(f"snapshot {snapshot_id} is not in the table (expired?)")
        scan = tbl.scan(
            row_filter=expr,
            selected_fields=tuple(columns) if columns else ("*",),
            snapshot_id=snapshot_id,
        )
        return _scan_arrow(tbl, scan)

    def known_ids(self, outlet: str) -> set[str]:
        """Every article id the table holds for ``outlet`` (from the writers' index)."""
        tbl = self.table()
        path = tbl.metadata.properties.get(ix.property_name(outlet))
        return set(self.writer.index(tbl, outlet, path)[0])

    # ---- writes -------------------------------------------------------------------------
    def _require_writable(self) -> None:
        if not self.writable:
            raise ReadOnlyCorpus(
                "this corpus was opened for reading; open it with open_corpus(write=True)"
            )

    def commit(
        self,
        rows: Iterable[ArticleRow],
        *,
        run_id: str,
        kind: str,
        force: bool = False,
        keep_ingested_at: bool = False,
        properties: dict[str, str] | None = None,
    ) -> CommitResult:
        """Upsert ``rows`` in one snapshot (re-applied or re-planned on conflicts);
        idempotent. ``properties``: extra ``newsloom.*`` summary entries."""
        if properties and any(not k.startswith("newsloom.") for k in properties):
            raise ValueError("extra snapshot properties must be newsloom.* names")
        self._require_writable()
        incoming: dict[str, ArticleRow] = {}
        for row in rows:
            incoming[row.article_id] = row  # the last one wins inside a batch
        if not incoming:
            return CommitResult()
        results: list[CommitResult] = []

        def planner(tbl: Table) -> W.Plan:
            plan, result = plan_upsert(
                tbl,
                self.writer,
                incoming,
                run_id=run_id,
                kind=kind,
                force=force,
                keep_ingested_at=keep_ingested_at,
            )
            results.append(result)
            plan.properties = dict(properties or {})
            return plan

        return self._finish(planner, results, run_id, "committed")

    def delete(self, ids: Iterable[str], *, run_id: str, reason: str) -> CommitResult:
        """Remove the articles ``ids`` (a takedown) in one snapshot; absent ids are ignored,
        so a repeated delete commits nothing."""
        self._require_writable()
        wanted = sorted(set(ids))
        results: list[CommitResult] = []

        def planner(tbl: Table) -> W.Plan:
            plan, result = plan_delete(tbl, self.writer, wanted, run_id=run_id, reason=reason)
            results.append(result)
            return plan

        return self._finish(planner, results, run_id, "deleted")

    def patch(
        self,
        patches: Mapping[str, Mapping[str, object]],
        *,
        run_id: str,
        kind: str,
        expect: Mapping[str, Mapping[str, object]] | None = None,
        properties: Mapping[str, str] | None = None,
        serial: str | None = None,
    ) -> CommitResult:
        """Set columns of stored articles in one snapshot: ``patches[article_id]`` maps
        columns to their new values; the rest of each row is its stored version, read when
        the commit is planned (a concurrent change is seen). ``expect[article_id]``: column
        values the stored version must still have, else that article is left alone (a newer
        version came). Rows keep their ``run_id`` (the snapshot names ``run_id``);
        ``updated_at`` is the commit's. ``serial``: commits with the same name are never
        re-applied over one another (each is planned on the other's result)."""
        self._require_writable()
        bad = sorted({c for p in patches.values() for c in p} & UNPATCHABLE)
        if bad:
            raise ValueError(f"columns that place or identify a row cannot be patched: {bad}")
        unknown = sorted({c for p in patches.values() for c in p} - set(S.COLUMNS))
        if unknown:
            raise ValueError(f"unknown column(s) {unknown}")
        results: list[CommitResult] = []

        def planner(tbl: Table) -> W.Plan:
            plan, result = plan_patch(
                tbl, self.writer, patches, expect or {}, run_id=run_id, kind=kind
            )
            plan.properties = dict(properties or {})
            if serial:
                plan.partitions.add(serial_partition(serial))
            results.append(result)
            return plan

        return self._finish(planner, results, run_id, "patched")

    def _finish(
        self,
        planner: Callable[[Table], W.Plan],
        results: list[CommitResult],
        run_id: str,
        verb: str,
    ) -> CommitResult:
        from pyiceberg.exceptions import CommitFailedException

        try:
            _, applied = self.writer.commit(planner)
        except CommitFailedException as exc:
            raise CommitConflict(f"{run_id}: gave up after repeated conflicts: {exc}") from exc
        result = results[-1]
        if applied is None:
            return result
        snap = applied.snapshot
        result.snapshot_id = snap.snapshot_id
        result.committed_at = datetime.fromtimestamp(snap.timestamp_ms / 1000, UTC).isoformat()
        result.attempts, result.reapplied = applied.attempts, applied.reapplied
        logger.info(
            "%s %s: %d new, %d updated, %d unchanged, %d moved, %d deleted; snapshot %s "
            "(attempt %d, %d re-applied)",
            verb,
            run_id,
            result.new,
            result.updated,
            result.unchanged,
            result.moved,
            result.deleted,
            result.snapshot_id,
            result.attempts,
            result.reapplied,
        )
        return result


# ---- planning -----------------------------------------------------------------------------
@dataclass
class _Old:
    """An article's stored version, as the index knows it."""

    outlet: str
    entry: ix.Entry


def _load_indexes(
    tbl: Table, writer: W.TableWriter, outlets: Iterable[str]
) -> dict[str, W.IndexUpdate]:
    """Every outlet index of the table, plus those of ``outlets`` (rebuilt from the table
    when they have none yet)."""
    pointers = dict(W.indexes_of(tbl.metadata))
    out: dict[str, W.IndexUpdate] = {}
    for outlet in sorted(set(pointers) | set(outlets)):
        path = pointers.get(outlet)
        entries, rebuilt = writer.index(tbl, outlet, path)
        out[outlet] = W.IndexUpdate(base_path=path, base=entries, rebuilt=rebuilt)
    return out


def _locate(
    tbl: Table,
    writer: W.TableWriter,
    ids: Iterable[str],
    outlets: Iterable[str],
    plan: W.Plan,
) -> dict[str, _Old]:
    """Where each of ``ids`` is stored (any outlet), recording what was seen in ``plan``."""
    plan.indexes = _load_indexes(tbl, writer, outlets)
    found: dict[str, _Old] = {}
    wanted = list(ids)
    for outlet, upd in plan.indexes.items():
        entries = upd.base or {}
        for aid in wanted:
            entry = entries.get(aid)
            if entry is not None:
                found[aid] = _Old(outlet, entry)
    for aid in wanted:
        old = found.get(aid)
        plan.seen[aid] = (old.outlet, old.entry) if old else None
    return found


def _time_keys(layout: W.Layout, outlet: str, day: int | None) -> list[W.PartKey]:
    """The partition keys (one per spec) an article of ``outlet`` published on ``day``
    would be in."""
    return [(info.spec_id, outlet, info.time_value(day)) for info in layout.specs.values()]


def _default_key(layout: W.Layout, outlet: str, day: int | None) -> W.PartKey:
    info = layout.default
    return (info.spec_id, outlet, info.time_value(day))


def _read_files(tbl: Table, files: Iterable[DataFile]) -> pa.Table:
    tables = []
    for f in files:
        with tbl.io.new_input(f.file_path).open() as fh:
            tables.append(S.conform(pq.read_table(fh)))
    if not tables:
        return S.conform(S.ARTICLE_SCHEMA.empty_table())
    return pa.concat_tables(tables)


def _ids_in(tbl: Table, f: DataFile) -> set[str]:
    with tbl.io.new_input(f.file_path).open() as fh:
        return set(pq.read_table(fh, columns=["article_id"]).column(0).to_pylist())


def _rewrite_sets(
    tbl: Table,
    layout: W.Layout,
    keys: set[W.PartKey],
    old_keys: dict[W.PartKey, set[str]],
) -> dict[W.PartKey, list[DataFile]]:
    """The files to rewrite per touched partition: any file holding a version being replaced,
    and — when the partition would otherwise hold more than ``newsloom.commit.max-small-files``
    small files — all its small ones (folded with the commit's rows into one)."""
    props = tbl.metadata.properties
    small = int(props.get(W.SMALL_FILE_PROPERTY, W.SMALL_FILE_DEFAULT))
    max_small = int(props.get(W.MAX_SMALL_FILES_PROPERTY, W.MAX_SMALL_FILES_DEFAULT))
    clusters = {layout.specs[k[0]].cluster(k) for k in keys}
    files = layout.files(clusters)
    out: dict[W.PartKey, list[DataFile]] = {}
    for key in keys:
        chosen: list[DataFile] = []
        replaced = old_keys.get(key, set())
        parts = files.get(key, [])
        smalls = [f for f in parts if f.file_size_in_bytes < small]
        fold = key[0] == layout.default.spec_id and len(smalls) + 1 > max_small
        for f in parts:
            if fold and f.file_size_in_bytes < small:
                chosen.append(f)
            elif replaced and _ids_in(tbl, f) & replaced:
                chosen.append(f)
        out[key] = chosen
    return out


def _write(tbl: Table, rows: pa.Table) -> list[DataFile]:
    if rows.num_rows == 0:
        return []
    order = [("outlet", "ascending"), ("published_at", "ascending"), ("article_id", "ascending")]
    schema = _table_arrow_schema(tbl)
    rows = rows.sort_by(order).select(schema.names).cast(schema)
    files = list(_dataframe_to_data_files(tbl.metadata, rows, tbl.io))
    for f in files:
        f.spec_id = tbl.metadata.default_spec_id  # not set by the writer function
    return files


def _table_arrow_schema(tbl: Table) -> pa.Schema:
    names = set(tbl.metadata.schema().column_names)
    return pa.schema([f for f in S.ARTICLE_SCHEMA.remove_metadata() if f.name in names])


def _event(
    op: str,
    aid: str,
    outlet: str,
    day: date | None,
    *,
    previous_day: date | None = None,
    previous_outlet: str | None = None,
    content_hash: str | None = None,
    previous_content_hash: str | None = None,
    changed: list[str] | None = None,
    reason: str | None = None,
) -> ev.ChangeEvent:
    return {
        "operation": op,
        "article_id": aid,
        "outlet": outlet,
        "day": day,
        "previous_day": previous_day,
        "previous_outlet": previous_outlet,
        "content_hash": content_hash,
        "previous_content_hash": previous_content_hash,
        "content_changed": previous_content_hash != content_hash,
        "changed_columns": changed or [],
        "reason": reason,
    }


def plan_upsert(
    tbl: Table,
    writer: W.TableWriter,
    incoming: dict[str, ArticleRow],
    *,
    run_id: str,
    kind: str,
    force: bool,
    keep_ingested_at: bool,
    now: datetime | None = None,
) -> tuple[W.Plan, CommitResult]:
    """The snapshot that merges ``incoming`` into ``tbl`` (see the module docstring)."""
    now = now or datetime.now(UTC)
    layout = writer.layout(tbl)
    plan = W.Plan(base_snapshot_id=layout.snapshot_id, kind=kind, run_id=run_id)
    result = CommitResult()
    outlets = sorted({r.outlet for r in incoming.values()})
    stored = _locate(tbl, writer, incoming, outlets, plan)
    new_rows: list[ArticleRow] = []
    candidates: dict[str, tuple[ArticleRow, _Old]] = {}
    for aid, row in incoming.items():
        old = stored.get(aid)
        if old is None:
            new_rows.append(row)
            continue
        same = old.entry.content_hash == row.content_hash
        moved = old.entry.day != ix.day_number(row.published_at) or old.outlet != row.outlet
        better = _better_translation(old.entry.translation_status, row)
        if same and not moved and not force and not better:
            result.unchanged += 1
            continue
        candidates[aid] = (row, old)
    # partitions: where new versions go, and where the replaced versions are
    old_keys: dict[W.PartKey, set[str]] = defaultdict(set)
    for aid, (_, old) in candidates.items():
        for key in _time_keys(layout, old.outlet, old.entry.day):
            old_keys[key].add(aid)
    keys = set(old_keys)
    for row in [*new_rows, *(r for r, _ in candidates.values())]:
        keys.add(_default_key(layout, row.outlet, ix.day_number(row.published_at)))
    rewrite = _rewrite_sets(tbl, layout, keys, old_keys)
    current = {key: _read_files(tbl, files) for key, files in rewrite.items() if files}
    # the stored versions of the candidates, as full rows
    old_rows: dict[str, tuple[W.PartKey, dict[str, Any]]] = {}
    for key, table in current.items():
        wanted = [a for a in old_keys.get(key, ()) if a not in old_rows]
        if not wanted:
            continue
        hits = table.filter(pc.is_in(table.column("article_id"), pa.array(wanted)))
        for d in hits.to_pylist():
            old_rows[d["article_id"]] = (key, d)
    lost = sorted(set(candidates) - set(old_rows))
    if lost:
        _forget_indexes(writer, {candidates[a][1].outlet for a in lost})
        raise W.StalePlan(
            f"{len(lost)} article(s) the index places in the table were not found there "
            f"({lost[:3]}); rebuilding the index"
        )
    changed_keys: set[W.PartKey] = set()
    removed_ids: dict[W.PartKey, set[str]] = defaultdict(set)
    out_rows: list[ArticleRow] = []
    events: list[ev.ChangeEvent] = []
    days: set[str] = set()
    for row in new_rows:
        first = row.ingested_at if keep_ingested_at else now
        version = replace(row, ingested_at=first, updated_at=now, run_id=run_id or row.run_id)
        out_rows.append(version)
        changed_keys.add(_default_key(layout, row.outlet, ix.day_number(row.published_at)))
        events.append(
            _event(
                "insert",
                row.article_id,
                row.outlet,
                row.partition_day,
                content_hash=row.content_hash,
            )
        )
        plan.indexes[row.outlet].put[row.article_id] = _entry_of(row)
        result.new += 1
    for aid, (row, old) in candidates.items():
        key, old_row = old_rows[aid]
        same = old.entry.content_hash == row.content_hash
        modified = row.modified_at
        if not same and modified is None:
            modified = row.fetched_at  # changed without saying when: the fetch dates it
        version = replace(
            row,
            ingested_at=old_row["ingested_at"],
            updated_at=now,
            modified_at=modified,
            run_id=run_id or row.run_id,
        )
        diff = changed_columns(old_row, version.to_dict())
        if not diff:
            result.unchanged += 1  # a rewrite of equal content: nothing to write
            continue
        removed_ids[key].add(aid)
        changed_keys.add(key)
        changed_keys.add(_default_key(layout, row.outlet, ix.day_number(row.published_at)))
        out_rows.append(version)
        moved = old.entry.day != ix.day_number(row.published_at) or old.outlet != row.outlet
        events.append(
            _event(
                "update",
                aid,
                row.outlet,
                row.partition_day,
                previous_day=old.entry.published_day if moved else None,
                previous_outlet=old.outlet if old.outlet != row.outlet else None,
                content_hash=row.content_hash,
                previous_content_hash=old.entry.content_hash,
                changed=diff,
            )
        )
        if old.outlet != row.outlet:
            plan.indexes[old.outlet].remove.add(aid)
        plan.indexes[row.outlet].put[aid] = _entry_of(row)
        result.updated += 1
        result.moved += int(moved)
    # the files of every changed partition are rewritten with what stays in them
    kept: list[pa.Table] = []
    for key in sorted(changed_keys, key=lambda k: (k[0], k[1], k[2] if k[2] is not None else -1)):
        files = rewrite.get(key, [])
        if not files:
            continue
        table = current[key]
        gone = removed_ids.get(key)
        if gone:
            table = table.filter(
                pc.invert(pc.is_in(table.column("article_id"), pa.array(sorted(gone))))
            )
        kept.append(table)
        plan.removed.extend(files)
    incoming_table = S.conform(S.to_arrow(out_rows))
    output = pa.concat_tables([*kept, incoming_table]) if kept else incoming_table
    plan.added = _write(tbl, output)
    plan.partitions = {*(k for k in changed_keys if rewrite.get(k)), *_keys_of(layout, plan.added)}
    for r in out_rows:
        days.add(r.partition_day.isoformat() if r.partition_day else "null")
    result.days = sorted(days)
    result.changed_ids = [r.article_id for r in out_rows]
    plan.events = events
    plan.counts = f"new={result.new},updated={result.updated}"
    return plan, result


def plan_delete(
    tbl: Table, writer: W.TableWriter, ids: list[str], *, run_id: str, reason: str
) -> tuple[W.Plan, CommitResult]:
    """The snapshot that removes ``ids`` (those present) from ``tbl``."""
    layout = writer.layout(tbl)
    plan = W.Plan(base_snapshot_id=layout.snapshot_id, kind="takedown", run_id=run_id)
    result = CommitResult()
    stored = _locate(tbl, writer, ids, [], plan)
    old_keys: dict[W.PartKey, set[str]] = defaultdict(set)
    for aid, old in stored.items():
        for key in _time_keys(layout, old.outlet, old.entry.day):
            old_keys[key].add(aid)
    rewrite = _rewrite_sets(tbl, layout, set(old_keys), old_keys)
    events: list[ev.ChangeEvent] = []
    kept: list[pa.Table] = []
    found: set[str] = set()
    for key, files in rewrite.items():
        if not files:
            continue
        table = _read_files(tbl, files)
        here = table.filter(pc.is_in(table.column("article_id"), pa.array(sorted(old_keys[key]))))
        if here.num_rows == 0:
            continue
        for d in here.to_pylist():
            found.add(d["article_id"])
            pub = d["published_at"]
            events.append(
                _event(
                    "delete",
                    d["article_id"],
                    d["outlet"],
                    pub.astimezone(UTC).date() if pub else None,
                    previous_content_hash=d["content_hash"],
                    reason=reason,
                )
            )
            plan.indexes[d["outlet"]].remove.add(d["article_id"])
        kept.append(
            table.filter(pc.invert(pc.is_in(table.column("article_id"), pa.array(sorted(found)))))
        )
        plan.removed.extend(files)
        plan.partitions.add(key)
    _check_found(writer, stored, found)
    if kept:
        plan.added = _write(tbl, pa.concat_tables(kept))
        plan.partitions |= _keys_of(layout, plan.added)
    result.deleted = len(found)
    result.changed_ids = sorted(found)
    plan.events = events
    plan.counts = f"deleted={result.deleted}"
    return plan, result


# a patch may not move or re-identify a row, nor change its content behind its hash
UNPATCHABLE = frozenset(
    {"article_id", "outlet", "published_at", "title", "text", "content_hash", "ingested_at"}
)


def serial_partition(name: str) -> W.PartKey:
    """A pseudo-partition: commits that name it conflict with each other (re-planned, never
    re-applied over one another) and with nothing else."""
    return (-1, name, None)


def plan_patch(
    tbl: Table,
    writer: W.TableWriter,
    patches: Mapping[str, Mapping[str, object]],
    expect: Mapping[str, Mapping[str, object]],
    *,
    run_id: str,
    kind: str,
    now: datetime | None = None,
) -> tuple[W.Plan, CommitResult]:
    """The snapshot that sets ``patches``' columns on the stored versions (see
    ``ArticlesTable.patch``)."""
    now = now or datetime.now(UTC)
    layout = writer.layout(tbl)
    plan = W.Plan(base_snapshot_id=layout.snapshot_id, kind=kind, run_id=run_id)
    result = CommitResult()
    stored = _locate(tbl, writer, patches, [], plan)
    old_keys: dict[W.PartKey, set[str]] = defaultdict(set)
    for aid, old in stored.items():
        for key in _time_keys(layout, old.outlet, old.entry.day):
            old_keys[key].add(aid)
    rewrite = _rewrite_sets(tbl, layout, set(old_keys), old_keys)
    events: list[ev.ChangeEvent] = []
    kept: list[pa.Table] = []
    versions: list[dict[str, object]] = []
    found: set[str] = set()
    for key, files in rewrite.items():
        if not files:
            continue
        table = _read_files(tbl, files)
        wanted = pa.array(sorted(old_keys[key]))
        here = table.filter(pc.is_in(table.column("article_id"), wanted))
        changed: set[str] = set()
        for d in here.to_pylist():
            aid = d["article_id"]
            found.add(aid)
            if any(d.get(c) != v for c, v in expect.get(aid, {}).items()):
                result.unchanged += 1  # a newer version than the patch was made for
                continue
            new = {**d, **patches[aid]}
            diff = changed_columns(d, new)
            if not diff:
                result.unchanged += 1
                continue
            new["updated_at"] = now
            versions.append(new)
            changed.add(aid)
            pub = d["published_at"]
            day = pub.astimezone(UTC).date() if pub else None
            events.append(
                _event(
                    "update",
                    aid,
                    d["outlet"],
                    day,
                    content_hash=d["content_hash"],
                    previous_content_hash=d["content_hash"],
                    changed=diff,
                )
            )
            if "translation_status" in diff:
                plan.indexes[d["outlet"]].put[aid] = ix.Entry(
                    ix.day_number(pub), d["content_hash"], str(new["translation_status"])
                )
        if not changed:
            continue
        kept.append(
            table.filter(pc.invert(pc.is_in(table.column("article_id"), pa.array(sorted(changed)))))
        )
        plan.removed.extend(files)
        plan.partitions.add(key)
    _check_found(writer, stored, found)
    if versions:
        incoming = S.conform(pa.Table.from_pylist(versions, schema=S.ARTICLE_SCHEMA))
        plan.added = _write(tbl, pa.concat_tables([*kept, incoming]))
        plan.partitions |= _keys_of(layout, plan.added)
    result.updated = len(versions)
    result.changed_ids = [str(v["article_id"]) for v in versions]
    plan.events = events
    plan.counts = f"updated={result.updated}"
    return plan, result


def _keys_of(layout: W.Layout, files: Iterable[DataFile]) -> set[W.PartKey]:
    return {layout.specs[f.spec_id].key(f.partition) for f in files}


def _entry_of(row: ArticleRow) -> ix.Entry:
    return ix.Entry(ix.day_number(row.published_at), row.content_hash, row.translation_status)


def _check_found(writer: W.TableWriter, stored: Mapping[str, _Old], found: set[str]) -> None:
    """Raise ``StalePlan`` (forgetting the outlets' indexes) when articles the index places
    in the table were not found in the partitions read."""
    lost = sorted(set(stored) - found)
    if lost:
        _forget_indexes(writer, {stored[a].outlet for a in lost})
        raise W.StalePlan(
            f"{len(lost)} article(s) the index places in the table were not found there"
        )


def _forget_indexes(writer: W.TableWriter, outlets: set[str]) -> None:
    """Make the next plan rebuild these outlets' indexes from the table (they disagreed
    with it); the commit then writes the rebuilt ones."""
    for outlet in outlets:
        writer.rebuild_next.add(outlet)
        logger.warning("the index of %s disagrees with the table; it will be rebuilt", outlet)
