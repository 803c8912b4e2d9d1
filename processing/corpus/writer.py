"""Committing to an Iceberg table of the corpus: one snapshot per publish, at a cost that does
not grow with the table's history.

A commit is planned against one base snapshot (:class:`Plan`: the data files it adds and
removes, the change events, the writers' index updates) and then *applied*: manifests,
manifest list, snapshot and one catalog commit that adds the snapshot, moves ``main``, points
the index properties at the new index objects and expires snapshots past the retention —
atomically, or not at all.

What keeps the cost flat:

- **Manifests clustered by outlet and month.** Every manifest this writer produces holds the
  files of one outlet-month (of one partition spec). A commit rewrites only the manifests of
  the clusters it touches and carries every other manifest over untouched, so a snapshot has
  about as many manifests as outlet-months, and a commit reads and writes a handful.
- **One small file per partition at most.** A commit rewrites the small files (under
  ``newsloom.commit.small-file-bytes``, 8 MiB) of each partition it changes together with its
  new rows, so partitions never accumulate one file per commit.
- **Bounded history.** Snapshots older than ``history.expire.max-snapshot-age-ms`` (30 days)
  or beyond ``newsloom.history.max-snapshots`` (the newest 500 are kept) are expired in the
  commit itself, and old metadata files are deleted after it
  (``write.metadata.delete-after-commit.enabled``).
- **Re-apply on conflict.** When another writer committed first, the plan is re-applied on the
  new snapshot without re-reading or re-writing data — unless that writer touched one of the
  plan's partitions or indexed one of its articles differently; only then is the plan
  recomputed. Writers to different outlets (or days) therefore never starve each other.
- **Group commit.** With newsloom's SQL catalog a plan waiting for the catalog's lock is
  queued (:mod:`processing.corpus.staging`), and the writer holding the lock commits every
  queued plan with its own, each as its own snapshot, in one catalog update: writers that
  arrive together wait about two turns, whatever their number.

After each commit the table's ``metadata/version-hint.text`` and ``metadata/v<N>.metadata.json``
(Iceberg's file-system table convention) name the new metadata, so readers with S3 access
alone find the current table without any catalog.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import logging
import time
import uuid
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
from pyiceberg.conversions import from_bytes
from pyiceberg.exceptions import CommitFailedException
from pyiceberg.io import FileIO
from pyiceberg.manifest import (
    DataFile,
    ManifestContent,
    ManifestEntry,
    ManifestEntryStatus,
    ManifestFile,
    write_manifest,
    write_manifest_list,
)
from pyiceberg.partitioning import PartitionSpec
from pyiceberg.table import Table, TableProperties
from pyiceberg.table.metadata import TableMetadata
from pyiceberg.table.refs import MAIN_BRANCH, SnapshotRefType
from pyiceberg.table.snapshots import (
    Operation,
    Snapshot,
    SnapshotSummaryCollector,
    Summary,
    update_snapshot_summaries,
)
from pyiceberg.table.update import (
    AddSnapshotUpdate,
    AssertRefSnapshotId,
    AssertTableUUID,
    RemoveSnapshotsUpdate,
    SetPropertiesUpdate,
    SetSnapshotRefUpdate,
    TableRequirement,
    TableUpdate,
)
from pyiceberg.transforms import DayTransform, IdentityTransform, MonthTransform

from processing.core.errors import StalePlan, UnsupportedLayout
from processing.corpus import events as ev
from processing.corpus import index as ix
from processing.corpus import staging
from processing.corpus.retry import conflict_retrying
from processing.corpus.sqlcatalog import PlanStillQueued, Queued, apply_updates

logger = logging.getLogger(__name__)

# snapshot summary properties
COMMIT_PROPERTY = "newsloom.commit"  # a unique id per logical commit (kept across re-applies)
RUN_PROPERTY = "newsloom.run_id"
KIND_PROPERTY = "newsloom.kind"
COUNTS_PROPERTY = "newsloom.counts"
PARTITIONS_PROPERTY = "newsloom.partitions"  # the partitions whose files the snapshot changed
CHANGES_PROPERTY = "newsloom.changes"  # the commit's change events object
PARENT_PROPERTY = "newsloom.parent"  # the parent snapshot, kept when the parent expires
ALL_PARTITIONS = "*"
MAX_LISTED_PARTITIONS = 400

# table properties
MAX_SNAPSHOTS_PROPERTY = "newsloom.history.max-snapshots"
MAX_SNAPSHOTS_DEFAULT = 200
MAX_AGE_PROPERTY = "history.expire.max-snapshot-age-ms"
MAX_AGE_DEFAULT_MS = 30 * 24 * 3600 * 1000
SMALL_FILE_PROPERTY = "newsloom.commit.small-file-bytes"
SMALL_FILE_DEFAULT = 8 * 1024 * 1024
MAX_SMALL_FILES_PROPERTY = "newsloom.commit.max-small-files"
MAX_SMALL_FILES_DEFAULT = 8
PREVIOUS_VERSIONS_DEFAULT = 2
HINT_COPIES = 2  # v<N>.metadata.json copies kept for catalog-less readers (the newest ones)
HISTORY_PROPERTY = "newsloom.history"  # the expired snapshots' record (the change feed's)
EXPIRE_BATCH = 50
EXPIRE_BATCH_PROPERTY = "newsloom.history.expire-batch"
GROUP_ROUNDS = 4  # a group commit asks the queue for late arrivals this many times at most

# (outlet, month number since 1970-01; None: undated)
Cluster = tuple[str, int | None]
# (spec id, outlet, the partition's time value: a day or month number; None: undated)
PartKey = tuple[int, str, int | None]

_EPOCH = date(1970, 1, 1)


def month_of_day(day: int | None) -> int | None:
    if day is None:
        return None
    d = date.fromordinal(_EPOCH.toordinal() + day)
    return (d.year - 1970) * 12 + d.month - 1


@dataclass(frozen=True)
class SpecInfo:
    """Where the outlet and the time value sit in one partition spec's records."""

    spec_id: int
    outlet_pos: int
    time_pos: int
    time_unit: str  # "day" | "month"

    def key(self, partition: object) -> PartKey:
        values = list(partition)  # type: ignore[call-overload]
        return (self.spec_id, str(values[self.outlet_pos]), _opt_int(values[self.time_pos]))

    def time_value(self, day: int | None) -> int | None:
        """The partition's time value of an article published on ``day``."""
        if day is None:
            return None
        return day if self.time_unit == "day" else month_of_day(day)

    def cluster(self, key: PartKey) -> Cluster:
        _, outlet, value = key
        return (outlet, value if self.time_unit == "month" else month_of_day(value))


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, date):
        return (value - _EPOCH).days
    return int(value)  # type: ignore[call-overload]


def spec_info(spec: PartitionSpec, metadata: TableMetadata) -> SpecInfo:
    schema = metadata.schema()
    outlet_pos = time_pos = -1
    unit = ""
    for pos, pf in enumerate(spec.fields):
        name = schema.find_column_name(pf.source_id)
        if name == "outlet" and isinstance(pf.transform, IdentityTransform):
            outlet_pos = pos
        elif name == "published_at" and isinstance(pf.transform, DayTransform | MonthTransform):
            time_pos = pos
            unit = "day" if isinstance(pf.transform, DayTransform) else "month"
    if outlet_pos < 0 or time_pos < 0 or len(spec.fields) != 2:
        raise UnsupportedLayout(f"partition spec {spec.spec_id} is not outlet + day/month: {spec}")
    return SpecInfo(spec.spec_id, outlet_pos, time_pos, unit)


# ---- reading a snapshot's layout ----------------------------------------------------------
class EntryCache:
    """Live entries of manifests by path (manifests are immutable), least recently used out."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._data: OrderedDict[str, list[ManifestEntry]] = OrderedDict()
        self.reads = 0
        # manifest lists by path (this process wrote or read them), and each manifest's
        # classification by path: a commit on the process's own last snapshot reads neither
        self.lists: OrderedDict[str, list[ManifestFile]] = OrderedDict()
        self.classes: dict[str, _Manifest] = {}

    def manifest_list(self, snap: Snapshot, fileio: FileIO) -> list[ManifestFile]:
        path = snap.manifest_list
        if path not in self.lists:
            self.remember_list(path, list(snap.manifests(fileio)))
        self.lists.move_to_end(path)
        return self.lists[path]

    def remember_list(self, path: str, manifests: list[ManifestFile]) -> None:
        self.lists[path] = manifests
        while len(self.lists) > 8:
            self.lists.popitem(last=False)
        if len(self.classes) > 100_000:
            self.classes.clear()

    def get(self, manifest: ManifestFile, fileio: FileIO) -> list[ManifestEntry]:
        path = manifest.manifest_path
        if path in self._data:
            self._data.move_to_end(path)
            return self._data[path]
        entries = manifest.fetch_manifest_entry(fileio, discard_deleted=True)
        self.reads += 1
        self.put(path, entries)
        return entries

    def put(self, path: str, entries: list[ManifestEntry]) -> None:
        self._data[path] = entries
        self._data.move_to_end(path)
        while len(self._data) > self._size:
            self._data.popitem(last=False)


@dataclass
class _Manifest:
    manifest: ManifestFile
    spec: SpecInfo
    cluster: Cluster | None  # None: it spans several outlet-months ("mixed")
    outlets: tuple[str, str] | None  # lower/upper bound of the outlet
    months: tuple[int | None, int | None] | None


class Layout:
    """The data manifests of one snapshot, classified by cluster, entries read on demand."""

    def __init__(self, tbl: Table, cache: EntryCache) -> None:
        self.tbl = tbl
        self.cache = cache
        self.metadata = tbl.metadata
        self.specs = {sid: spec_info(s, tbl.metadata) for sid, s in tbl.metadata.specs().items()}
        self.default = self.specs[tbl.metadata.default_spec_id]
        snap = tbl.metadata.current_snapshot()
        self.snapshot_id = snap.snapshot_id if snap else None
        self.manifests: list[_Manifest] = []
        self.other: list[ManifestFile] = []  # delete manifests and anything not ours to touch
        if snap is not None:
            schema = tbl.metadata.schema()
            for m in cache.manifest_list(snap, tbl.io):
                if m.content != ManifestContent.DATA:
                    self.other.append(m)
                    continue
                known = cache.classes.get(m.manifest_path)
                if known is None:
                    info = self.specs[m.partition_spec_id]
                    ptype = tbl.metadata.specs()[m.partition_spec_id].partition_type(schema)
                    known = cache.classes[m.manifest_path] = _classify(m, info, ptype)
                self.manifests.append(known)

    def relevant(self, clusters: set[Cluster]) -> list[_Manifest]:
        """Manifests that may hold files of ``clusters``."""
        return [m for m in self.manifests if _may_hold(m, clusters)]

    def entries(self, manifests: Iterable[_Manifest]) -> list[tuple[_Manifest, ManifestEntry]]:
        out = []
        for m in manifests:
            for e in self.cache.get(m.manifest, self.tbl.io):
                out.append((m, e))
        return out

    def files(self, clusters: set[Cluster]) -> dict[PartKey, list[DataFile]]:
        """The live data files of ``clusters``, by partition (every spec)."""
        out: dict[PartKey, list[DataFile]] = defaultdict(list)
        for m, e in self.entries(self.relevant(clusters)):
            key = m.spec.key(e.data_file.partition)
            if m.spec.cluster(key) in clusters:
                out[key].append(e.data_file)
        return out


def _classify(m: ManifestFile, info: SpecInfo, ptype: object) -> _Manifest:
    parts = m.partitions or []
    fields = ptype.fields  # type: ignore[attr-defined]
    try:
        o = parts[info.outlet_pos]
        t = parts[info.time_pos]
        o_lo = (
            from_bytes(fields[info.outlet_pos].field_type, o.lower_bound) if o.lower_bound else None
        )
        o_hi = (
            from_bytes(fields[info.outlet_pos].field_type, o.upper_bound) if o.upper_bound else None
        )
        ttype = fields[info.time_pos].field_type
        t_lo = _opt_int(from_bytes(ttype, t.lower_bound)) if t.lower_bound else None
        t_hi = _opt_int(from_bytes(ttype, t.upper_bound)) if t.upper_bound else None
    except (IndexError, ValueError, TypeError):
        return _Manifest(m, info, None, None, None)
    if o_lo is None or o_hi is None:
        return _Manifest(m, info, None, None, None)
    outlets = (str(o_lo), str(o_hi))
    to_month = (lambda v: v) if info.time_unit == "month" else month_of_day
    cluster: Cluster | None
    months: tuple[int | None, int | None]
    if t_lo is None and t_hi is None:  # only undated rows (or an empty manifest)
        cluster = (outlets[0], None) if outlets[0] == outlets[1] else None
        return _Manifest(m, info, cluster, outlets, (None, None))
    months = (to_month(t_lo), to_month(t_hi))
    single = outlets[0] == outlets[1] and months[0] == months[1] and not t.contains_null
    cluster = (outlets[0], months[0]) if single else None
    return _Manifest(m, info, cluster, outlets, months)


def _may_hold(m: _Manifest, clusters: set[Cluster]) -> bool:
    if m.cluster is not None:
        return m.cluster in clusters
    if m.outlets is None or m.months is None:
        return True
    lo_o, hi_o = m.outlets
    lo_m, hi_m = m.months
    for outlet, month in clusters:
        if not lo_o <= outlet <= hi_o:
            continue
        if month is None or lo_m is None or hi_m is None or lo_m <= month <= hi_m:
            return True
    return False


# ---- plans -----------------------------------------------------------------------------
@dataclass
class IndexUpdate:
    """One outlet's index at the plan's base and the plan's change to it."""

    base_path: str | None
    base: dict[str, ix.Entry] | None = None  # the base index itself, when loaded
    put: dict[str, ix.Entry] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)
    rebuilt: bool = False  # built from the table: written by the commit even without a delta
    written: tuple[str | None, str] | None = None  # (base path, object) already written


@dataclass
class Plan:
    """A commit computed against snapshot ``base_snapshot_id``."""

    base_snapshot_id: int | None
    kind: str
    run_id: str
    commit_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    added: list[DataFile] = field(default_factory=list)
    removed: list[DataFile] = field(default_factory=list)
    partitions: set[PartKey] = field(default_factory=set)
    indexes: dict[str, IndexUpdate] = field(default_factory=dict)
    # what the base indexes said of every article the plan decided on: (outlet, entry) or
    # None (absent); a re-apply checks that the new snapshot's indexes still say the same
    seen: dict[str, tuple[str, ix.Entry] | None] = field(default_factory=dict)
    events: list[ev.ChangeEvent] = field(default_factory=list)  # the commit's change events
    counts: str = ""
    properties: dict[str, str] = field(default_factory=dict)  # extra summary entries
    snapshot_id: int | None = None  # stable across re-applies (an idempotency key)
    events_path: str | None = None  # the change events, written once per plan
    attempt_paths: list[str] = field(default_factory=list)  # manifests, lists, index objects

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


@dataclass
class Applied:
    """The outcome of a commit that landed."""

    table: Table
    snapshot: Snapshot
    attempts: int
    reapplied: int


# ---- the writer --------------------------------------------------------------------------
class TableWriter:
    """Commits plans to one table, keeping the last committed table as the next base."""

    def __init__(self, load: Callable[[], Table], max_attempts: int = 60) -> None:
        self._load = load
        self._table: Table | None = None
        self.cache = EntryCache()
        self.max_attempts = max_attempts
        self._indexes: OrderedDict[str, dict[str, ix.Entry]] = OrderedDict()  # by object path
        self.rebuild_next: set[str] = set()  # outlets whose index disagreed with the table
        self._layout: tuple[str, Layout] | None = None
        self.rebased = 0  # plans rebased on a newer snapshot under the catalog lock
        self.grouped = 0  # plans another writer committed in its group commit
        self._delta_cache: OrderedDict[str, set[str]] = OrderedDict()  # index delta: its ids

    def index(
        self, tbl: Table, outlet: str, pointer: str | None
    ) -> tuple[dict[str, ix.Entry], bool]:
        """The outlet's index named by ``pointer`` (its base and deltas, cached: index objects
        never change), or the index rebuilt from the table when there is none, it cannot be
        read, or it disagreed with the table. Returns it and whether it was rebuilt."""
        if outlet in self.rebuild_next:
            self.rebuild_next.discard(outlet)
            return rebuild_index(tbl, outlet), True
        if pointer is None:
            return rebuild_index(tbl, outlet), True
        if pointer in self._indexes:
            self._indexes.move_to_end(pointer)
            return self._indexes[pointer], False
        objects = ix.parts(pointer)
        try:
            # the usual case: this process wrote or read the pointer before its last deltas
            entries, todo = {}, objects
            for known in range(len(objects) - 1, 0, -1):
                prefix = ix.SEPARATOR.join(objects[:known])
                if prefix in self._indexes:
                    entries, todo = dict(self._indexes[prefix]), objects[known:]
                    break
            for path in todo:
                put, removed = ix.read_index(tbl.io, path)
                for aid in removed:
                    entries.pop(aid, None)
                entries.update(put)
        except (OSError, pa.ArrowException) as exc:
            logger.warning("index of %s (%s) unreadable, rebuilding it: %s", outlet, pointer, exc)
            return rebuild_index(tbl, outlet), True
        self._remember(pointer, entries)
        return entries, False

    def _remember(self, path: str, entries: dict[str, ix.Entry]) -> None:
        self._indexes[path] = entries
        while len(self._indexes) > 32:
            self._indexes.popitem(last=False)

    def table(self, refresh: bool = False) -> Table:
        if self._table is None or refresh:
            self._table = self._load()
        return self._table

    def layout(self, tbl: Table) -> Layout:
        """The layout of ``tbl``'s current snapshot (the last one is reused: a plan and its
        apply read the same manifest list once)."""
        key = tbl.metadata_location
        if self._layout is not None and self._layout[0] == key:
            return self._layout[1]
        layout = Layout(tbl, self.cache)
        self._layout = (key, layout)
        return layout

    def commit(self, planner: Callable[[Table], Plan]) -> tuple[Plan, Applied | None]:
        """Plan against the current table and commit; on a conflict re-apply the plan on the
        new snapshot when it is still valid there, else plan again. Returns the final plan
        and what landed (None when the plan was empty)."""
        tbl = self.table()
        plan: Plan | None = None
        attempts = reapplied = 0
        rebased_before = self.rebased
        replan = False
        try:
            for attempt in conflict_retrying(self.max_attempts):
                with attempt:
                    attempts += 1
                    if attempts > 1:
                        fresh = self.table(refresh=True)
                        if plan is not None and not replan and self._still_valid(plan, fresh):
                            self._rebase(plan, fresh)
                            reapplied += 1
                        elif plan is not None:
                            self._discard(plan)
                            plan = None
                        tbl, replan = fresh, False
                    if plan is None:
                        plan = planner(tbl)
                        if plan.empty:
                            return plan, None
                    try:
                        applied = self._apply(tbl, plan)
                    except StalePlan:
                        replan = True
                        raise
        except BaseException as exc:
            if plan is not None and not isinstance(exc, PlanStillQueued) and not self._landed(plan):
                self._discard(plan)
            raise
        assert plan is not None
        applied.attempts = attempts
        applied.reapplied = reapplied + self.rebased - rebased_before
        self._table = applied.table
        return plan, applied

    # ---- applying --------------------------------------------------------------------
    def _apply(self, tbl: Table, plan: Plan) -> Applied:
        """Commit ``plan``. With newsloom's SQL catalog it is a group commit
        (``commit_group``): the plan is queued, and the writer holding the catalog row's lock
        — this one or another — commits it with every plan queued meanwhile, each as its own
        snapshot, in one catalog update; a plan made on an older snapshot is rebased there,
        under the lock, so writers take turns instead of losing races, and a turn serves
        everybody waiting. With other catalogs the commit is optimistic (a conflict is raised
        and the caller rebases and retries)."""
        group = getattr(tbl.catalog, "commit_group", None)
        if group is not None:
            # what does not depend on the snapshot it lands on is written before the lock
            if plan.events:
                self._write_events(tbl, plan)
            self._index_properties(tbl, plan)
            if plan.snapshot_id is None:
                plan.snapshot_id = tbl.metadata.new_snapshot_id()
            payload = staging.encode(plan) if staging.stageable(plan) else None
            outcome = group(
                tbl,
                plan.commit_id,
                payload,
                lambda current, queued: self._build_group(tbl, current, plan, queued),
            )
            if outcome.snapshot is None:
                raise StalePlan("a concurrent commit touched the plan's partitions")
            plan.snapshot_id = outcome.snapshot.snapshot_id
            plan.attempt_paths = []  # in the table now
            if outcome.table is None:  # another writer committed it in its turn
                self.grouped += 1
                return Applied(self.table(refresh=True), outcome.snapshot, 1, 0)
            committed_tbl: Table = outcome.table
        else:
            updates, requirements, _ = self._build(tbl, plan)
            try:
                tbl._do_commit(updates, requirements)  # also deletes metadata past the max
            except CommitFailedException:
                raise
            except Exception:
                # the outcome is unknown (a lost response): look before deciding
                fresh = self.table(refresh=True)
                assert plan.snapshot_id is not None
                if fresh.metadata.snapshot_by_id(plan.snapshot_id) is None:
                    raise
                tbl = fresh
            committed_tbl = tbl
        assert plan.snapshot_id is not None
        committed = committed_tbl.metadata.snapshot_by_id(plan.snapshot_id)
        assert committed is not None
        publish_version_hint(committed_tbl)
        return Applied(committed_tbl, committed, 1, 0)

    def _build_group(
        self, planned_on: Table, current: Table, own: Plan, queued: Queued
    ) -> tuple[TableMetadata, dict[str, Snapshot]]:
        """Under the catalog lock: ``own`` (planned on ``planned_on``) and the plans other
        writers queued, each rebased on the snapshots before it and built as its own
        snapshot, in order; the queue is asked again after each round, so plans queued
        while the group is built join it (up to :data:`GROUP_ROUNDS` rounds). A plan that
        cannot be applied as it is (a concurrent commit touched its partitions or articles)
        is left out: its owner plans again. Returns the new metadata (``current``'s itself
        when nothing was built) and the snapshot of each plan in it by commit id (a plan
        committed earlier included)."""
        md = current.metadata
        tbl = current
        landed: dict[str, Snapshot] = {}
        taken: set[str] = set()
        todo: list[tuple[Plan, bool]] = [(own, True)]
        step = 0
        for round_ in range(GROUP_ROUNDS):
            for plan, mine in todo:
                done = _snapshot_of(md, plan)
                if done is not None:  # a group commit that could not mark it committed it
                    landed[plan.commit_id] = done
                    continue
                snap = md.current_snapshot()
                moved = (snap.snapshot_id if snap else None) != plan.base_snapshot_id
                if mine:
                    moved = moved or tbl.metadata_location != planned_on.metadata_location
                try:
                    if moved:
                        if not self._still_valid(plan, tbl):
                            raise StalePlan("a concurrent commit touched the plan's partitions")
                        self._rebase(plan, tbl)
                        if mine:
                            self.rebased += 1
                    updates, _, _ = self._build(tbl, plan)
                except Exception as exc:
                    stale = isinstance(exc, StalePlan)
                    if mine and not stale:
                        raise
                    if stale:
                        logger.info("plan %s left to its writer: %s", plan.commit_id, exc)
                    else:
                        logger.exception("queued plan %s left to its writer", plan.commit_id)
                    if not mine:  # what this writer wrote for another's plan
                        for path in plan.attempt_paths:
                            _delete_quietly(tbl.io, path)
                    continue
                md = apply_updates(md, updates, None)
                assert plan.snapshot_id is not None
                landed[plan.commit_id] = md.snapshot_by_id(plan.snapshot_id)  # type: ignore[assignment]
                step += 1
                tbl = Table(
                    identifier=current.name(),
                    metadata=md,
                    metadata_location=f"{current.metadata_location}#{step}",  # the layout's key
                    io=current.io,
                    catalog=current.catalog,
                )
            todo = []
            for commit_id, payload in queued(taken) if round_ + 1 < GROUP_ROUNDS else []:
                taken.add(commit_id)
                try:
                    todo.append((staging.decode(payload), False))
                except (ValueError, KeyError, TypeError, zlib.error) as exc:
                    logger.warning(
                        "queued plan %s unreadable, left to its writer: %s", commit_id, exc
                    )
            if not todo:
                break
        if len(landed) > 1:
            logger.info("group commit of %d plans", len(landed))
        return md, landed

    def _build(
        self, tbl: Table, plan: Plan
    ) -> tuple[tuple[TableUpdate, ...], tuple[TableRequirement, ...], list[int]]:
        """The manifests, manifest list and snapshot of ``plan`` on ``tbl``'s current
        snapshot, and the catalog updates and requirements that commit them."""
        md = tbl.metadata
        fileio = tbl.io
        layout = self.layout(tbl)
        if plan.snapshot_id is None or md.snapshot_by_id(plan.snapshot_id) is not None:
            plan.snapshot_id = md.new_snapshot_id()
        snapshot_id = plan.snapshot_id
        schema = md.schema()
        compression = md.properties.get(
            TableProperties.WRITE_AVRO_COMPRESSION, TableProperties.WRITE_AVRO_COMPRESSION_DEFAULT
        )
        removed_paths = {f.file_path for f in plan.removed}
        clusters: set[Cluster] = set()
        for f in itertools.chain(plan.added, plan.removed):
            info = layout.specs[f.spec_id]
            clusters.add(info.cluster(info.key(f.partition)))
        touched = layout.relevant(clusters)
        touched_paths = {m.manifest.manifest_path for m in touched}
        # every entry of the touched manifests goes to the manifest of its own cluster
        groups: dict[tuple[int, Cluster], list[ManifestEntry]] = defaultdict(list)
        found: set[str] = set()
        for m, e in layout.entries(touched):
            key = m.spec.key(e.data_file.partition)
            cluster_key = (m.spec.spec_id, m.spec.cluster(key))
            if e.data_file.file_path in removed_paths:
                found.add(e.data_file.file_path)
                groups[cluster_key].append(_entry(ManifestEntryStatus.DELETED, e, snapshot_id))
            else:
                groups[cluster_key].append(_entry(ManifestEntryStatus.EXISTING, e, None))
        missing = removed_paths - found
        if missing:
            raise StalePlan(
                f"{len(missing)} file(s) to replace are no longer in the table (a concurrent "
                f"commit replaced them): {sorted(missing)[:3]}"
            )
        for f in plan.added:
            info = layout.specs[f.spec_id]
            cluster_key = (f.spec_id, info.cluster(info.key(f.partition)))
            groups[cluster_key].append(
                ManifestEntry.from_args(
                    status=ManifestEntryStatus.ADDED,
                    snapshot_id=snapshot_id,
                    sequence_number=None,
                    file_sequence_number=None,
                    data_file=f,
                )
            )
        location = tbl.location_provider()
        new_manifests: list[ManifestFile] = []
        for (spec_id, cluster), entries in sorted(groups.items(), key=_group_order):
            name = f"{plan.commit_id}-{snapshot_id}-{_cluster_label(cluster)}-m{spec_id}.avro"
            path = location.new_metadata_location(name)
            plan.attempt_paths.append(path)
            with write_manifest(
                format_version=md.format_version,
                spec=md.specs()[spec_id],
                schema=schema,
                output_file=fileio.new_output(path),
                snapshot_id=snapshot_id,
                avro_compression=compression,  # type: ignore[arg-type]
            ) as writer:
                for e in entries:
                    writer.add_entry(e)
            manifest = writer.to_manifest_file()
            new_manifests.append(manifest)
        # manifests of untouched clusters are carried over as they are; one that records only
        # deletes (of an earlier snapshot) is dropped, as Iceberg's appends do
        kept = [
            m.manifest
            for m in layout.manifests
            if m.manifest.manifest_path not in touched_paths
            and (m.manifest.has_added_files() or m.manifest.has_existing_files())
        ]
        manifests = new_manifests + kept + layout.other
        sequence_number = md.next_sequence_number()
        list_path = location.new_metadata_location(
            f"snap-{snapshot_id}-{plan.commit_id}-{uuid.uuid4().hex[:8]}.avro"
        )
        plan.attempt_paths.append(list_path)
        with write_manifest_list(
            format_version=md.format_version,
            output_file=fileio.new_output(list_path),
            snapshot_id=snapshot_id,
            parent_snapshot_id=layout.snapshot_id,
            sequence_number=sequence_number,
            avro_compression=compression,  # type: ignore[arg-type]
        ) as list_writer:
            list_writer.add_manifests(manifests)
        self.cache.remember_list(list_path, [_sequenced(m, sequence_number) for m in manifests])
        summary = self._summary(md, plan, layout)
        snapshot = Snapshot(  # type: ignore[call-arg]
            snapshot_id=snapshot_id,
            parent_snapshot_id=layout.snapshot_id,
            sequence_number=sequence_number,
            timestamp_ms=int(time.time() * 1000),
            manifest_list=list_path,
            summary=summary,
            schema_id=md.current_schema_id,
        )
        updates: list[TableUpdate] = [
            AddSnapshotUpdate(snapshot=snapshot),
            SetSnapshotRefUpdate(  # type: ignore[call-arg]
                snapshot_id=snapshot_id,
                ref_name=MAIN_BRANCH,
                type=SnapshotRefType.BRANCH,
            ),
        ]
        props = self._index_properties(tbl, plan)
        if props:
            updates.append(SetPropertiesUpdate(updates=props))
        expired = due_for_expiry(md, keep=frozenset({snapshot_id}))
        if expired:
            path, segment = write_history(tbl, expired)
            plan.attempt_paths += [path, segment] if segment else [path]
            updates.append(SetPropertiesUpdate(updates={HISTORY_PROPERTY: path}))
            updates.append(RemoveSnapshotsUpdate(snapshot_ids=expired))  # type: ignore[call-arg]
        requirements: tuple[TableRequirement, ...] = (
            AssertTableUUID(uuid=md.table_uuid),
            AssertRefSnapshotId(snapshot_id=layout.snapshot_id, ref=MAIN_BRANCH),  # type: ignore[call-arg]
        )
        # cache what we wrote: the next commit of this process reads these manifests
        for manifest, (_, entries) in zip(
            new_manifests, sorted(groups.items(), key=_group_order), strict=True
        ):
            live = [e for e in entries if e.status != ManifestEntryStatus.DELETED]
            self.cache.put(manifest.manifest_path, _with_sequence(live, sequence_number))
        if expired:
            logger.info("expiring %d snapshot(s) past the retention", len(expired))
        return tuple(updates), requirements, expired

    def _summary(self, md: TableMetadata, plan: Plan, layout: Layout) -> Summary:
        collector = SnapshotSummaryCollector(partition_summary_limit=0)
        schema = md.schema()
        for f in plan.added:
            collector.add_file(f, schema=schema, partition_spec=md.specs()[f.spec_id])
        for f in plan.removed:
            collector.remove_file(f, schema=schema, partition_spec=md.specs()[f.spec_id])
        if plan.added and plan.removed:
            op = Operation.OVERWRITE
        elif plan.removed:
            op = Operation.DELETE
        else:
            op = Operation.APPEND
        props = {
            COMMIT_PROPERTY: plan.commit_id,
            RUN_PROPERTY: plan.run_id,
            KIND_PROPERTY: plan.kind,
            PARTITIONS_PROPERTY: encode_partitions(plan.partitions),
        }
        props.update(plan.properties)
        if plan.counts:
            props[COUNTS_PROPERTY] = plan.counts
        if layout.snapshot_id is not None:
            # Iceberg forgets a snapshot's parent when the parent expires; the history needs it
            props[PARENT_PROPERTY] = str(layout.snapshot_id)
        if plan.events:
            props[CHANGES_PROPERTY] = self._write_events(layout.tbl, plan)
        parent = md.snapshot_by_id(layout.snapshot_id) if layout.snapshot_id is not None else None
        return update_snapshot_summaries(
            summary=Summary(operation=op, **collector.build(), **props),
            previous_summary=parent.summary if parent is not None else None,
        )

    def _write_events(self, tbl: Table, plan: Plan) -> str:
        if plan.events_path is not None:
            return plan.events_path  # written by an earlier attempt of the same plan
        path = ev.commit_events_path(tbl.location(), plan.commit_id)
        ev.write_commit_events(tbl.io, path, plan.events)
        plan.events_path = path
        return path

    def _index_properties(self, tbl: Table, plan: Plan) -> dict[str, str]:
        """Write each changed outlet index (base + the plan's delta) and name it."""
        props: dict[str, str] = {}
        for outlet, upd in plan.indexes.items():
            if not upd.put and not upd.remove and not upd.rebuilt:
                continue
            if upd.written is not None and upd.written[0] == upd.base_path:
                props[ix.property_name(outlet)] = upd.written[1]  # still on the same base
                continue
            if upd.written is not None:
                for stale in set(ix.parts(upd.written[1])) - set(ix.parts(upd.base_path)):
                    _delete_quietly(tbl.io, stale)  # written for a base that moved on
            base = upd.base if upd.base is not None else self.index(tbl, outlet, upd.base_path)[0]
            entries = ix.apply_delta(base, upd.put, upd.remove)
            objects = ix.parts(upd.base_path)
            path = ix.index_path(tbl.location(), outlet)
            if upd.rebuilt or not objects or len(objects) > ix.MAX_DELTAS:
                ix.write_index(tbl.io, path, entries)  # a new base: everything
                pointer = path
            else:
                ix.write_index(tbl.io, path, upd.put, upd.remove)  # a delta: this commit's
                self._delta_cache[path] = set(upd.put) | upd.remove
                pointer = ix.SEPARATOR.join([*objects, path])
            self._remember(pointer, entries)
            upd.written = (upd.base_path, pointer)
            props[ix.property_name(outlet)] = pointer
        return props

    # ---- conflicts ------------------------------------------------------------------
    def _still_valid(self, plan: Plan, fresh: Table) -> bool:
        """Whether ``plan`` (made on ``base``) can be applied on ``fresh`` as it is."""
        if plan.base_snapshot_id is None:
            return fresh.metadata.current_snapshot() is None and not plan.removed
        between = snapshots_since(fresh.metadata, plan.base_snapshot_id)
        if between is None:
            return False  # the base is gone from the history (expired): recompute
        for snap in between:
            theirs = decode_partitions(_props(snap).get(PARTITIONS_PROPERTY))
            if theirs is None or theirs & plan.partitions:
                return False
        pointers = dict(indexes_of(fresh.metadata))
        for outlet in sorted(set(pointers) | set(plan.indexes)):
            upd = plan.indexes.get(outlet)
            path = pointers.get(outlet)
            if upd is not None and path == upd.base_path:
                continue
            if upd is not None and not (upd.put or upd.remove or upd.rebuilt):
                added = _deltas_after(upd.base_path, path)
                if added is not None:
                    # an index the plan only looked at grew by deltas: the plan still holds
                    # when none of them touches an article it decided on
                    for delta in added:
                        if self._delta_ids(fresh, delta) & plan.seen.keys():
                            return False
                    upd.base_path, upd.base = path, None
                    continue
            now, rebuilt = self.index(fresh, outlet, path)
            for aid, seen in plan.seen.items():
                expected = seen[1] if seen is not None and seen[0] == outlet else None
                if now.get(aid) != expected:
                    return False
            if upd is None:
                plan.indexes[outlet] = IndexUpdate(base_path=path, base=now, rebuilt=rebuilt)
            else:
                upd.base_path, upd.base, upd.rebuilt = path, now, upd.rebuilt or rebuilt
        return True

    def _delta_ids(self, tbl: Table, path: str) -> set[str]:
        """The article ids an index delta sets or removes (cached: objects never change)."""
        ids = self._delta_cache.get(path)
        if ids is None:
            put, removed = ix.read_index(tbl.io, path)
            ids = self._delta_cache[path] = set(put) | removed
            while len(self._delta_cache) > 512:
                self._delta_cache.popitem(last=False)
        return ids

    def _rebase(self, plan: Plan, fresh: Table) -> None:
        """Drop what the failed attempt wrote for its base (manifests, manifest list, index
        objects); the data files and the change events stay valid."""
        for p in plan.attempt_paths:
            _delete_quietly(fresh.io, p)
        plan.attempt_paths = []
        snap = fresh.metadata.current_snapshot()
        plan.base_snapshot_id = snap.snapshot_id if snap else None

    def _landed(self, plan: Plan) -> bool:
        if plan.snapshot_id is None:
            return False
        try:
            return self.table(refresh=True).metadata.snapshot_by_id(plan.snapshot_id) is not None
        except Exception:  # unknown: keep the files (orphan removal cleans them up)
            return True

    def _discard(self, plan: Plan) -> None:
        """Delete what a plan that will not land wrote (data files, manifests, index, log)."""
        fileio = self.table().io
        paths = [*plan.attempt_paths, *(f.file_path for f in plan.added)]
        paths += [
            path
            for u in plan.indexes.values()
            if u.written is not None
            for path in set(ix.parts(u.written[1])) - set(ix.parts(u.base_path))
        ]
        if plan.events_path:
            paths.append(plan.events_path)
        for p in paths:
            _delete_quietly(fileio, p)
        plan.attempt_paths, plan.events_path = [], None


def _props(snap: Snapshot) -> dict[str, str]:
    return dict(snap.summary.additional_properties) if snap.summary else {}


def _deltas_after(base: str | None, pointer: str | None) -> list[str] | None:
    """The index objects ``pointer`` names after those of ``base``, when it is ``base`` plus
    deltas (None: a new base, or no index before)."""
    old, new = ix.parts(base), ix.parts(pointer)
    if not old or len(new) <= len(old) or new[: len(old)] != old:
        return None
    return new[len(old) :]


def _snapshot_of(md: TableMetadata, plan: Plan) -> Snapshot | None:
    """``plan``'s snapshot when it is in ``md`` already (its id and commit id match)."""
    snap = md.snapshot_by_id(plan.snapshot_id) if plan.snapshot_id is not None else None
    if snap is not None and _props(snap).get(COMMIT_PROPERTY) == plan.commit_id:
        return snap
    return None


def _group_order(item: tuple[tuple[int, Cluster], list[ManifestEntry]]) -> tuple[int, str, int]:
    (spec_id, (outlet, month)), _ = item
    return (spec_id, outlet, -1 if month is None else month)


def _cluster_label(cluster: Cluster) -> str:
    outlet, month = cluster
    if month is None:
        return f"{outlet}-undated"
    return f"{outlet}-{1970 + month // 12:04d}{month % 12 + 1:02d}"


def _entry(status: ManifestEntryStatus, e: ManifestEntry, snapshot_id: int | None) -> ManifestEntry:
    return ManifestEntry.from_args(
        status=status,
        snapshot_id=snapshot_id if status == ManifestEntryStatus.DELETED else e.snapshot_id,
        sequence_number=e.sequence_number,
        file_sequence_number=e.file_sequence_number,
        data_file=e.data_file,
    )


def _sequenced(manifest: ManifestFile, sequence_number: int) -> ManifestFile:
    """A manifest as the manifest list it was written to records it (a new one gets the
    snapshot's sequence number), for the next snapshot's list."""
    from pyiceberg.manifest import UNASSIGNED_SEQ

    if (
        manifest.sequence_number != UNASSIGNED_SEQ
        and manifest.min_sequence_number != UNASSIGNED_SEQ
    ):
        return manifest
    out = copy.copy(manifest)
    if out.sequence_number == UNASSIGNED_SEQ:
        out.sequence_number = sequence_number
    if out.min_sequence_number == UNASSIGNED_SEQ:
        out.min_sequence_number = sequence_number
    return out


def _with_sequence(entries: list[ManifestEntry], sequence_number: int) -> list[ManifestEntry]:
    """Entries as a reader of the written manifest sees them (added ones inherit the
    snapshot's sequence number)."""
    out = []
    for e in entries:
        if e.sequence_number is None:
            e = ManifestEntry.from_args(
                status=e.status,
                snapshot_id=e.snapshot_id,
                sequence_number=sequence_number,
                file_sequence_number=sequence_number,
                data_file=e.data_file,
            )
        out.append(e)
    return out


def _delete_quietly(fileio: FileIO, path: str) -> None:
    try:
        fileio.delete(path)
    except (OSError, FileNotFoundError) as exc:
        logger.debug("could not delete %s: %s", path, exc)


# ---- history ------------------------------------------------------------------------------
def parent_of(snap: Snapshot) -> int | None:
    """A snapshot's parent, also when the parent expired (newsloom records it)."""
    recorded = _props(snap).get(PARENT_PROPERTY)
    return int(recorded) if recorded else snap.parent_snapshot_id


def snapshots_since(md: TableMetadata, base_id: int) -> list[Snapshot] | None:
    """The snapshots of ``main`` after ``base_id`` (oldest first), or None when ``base_id``
    is not an ancestor of the current snapshot any more."""
    out: list[Snapshot] = []
    snap = md.current_snapshot()
    while snap is not None and snap.snapshot_id != base_id:
        out.append(snap)
        parent = parent_of(snap)
        if parent is None:
            return None
        snap = md.snapshot_by_id(parent)
    if snap is None:
        return None
    out.reverse()
    return out


def expirable(
    md: TableMetadata, keep: frozenset[int] = frozenset(), now_ms: int | None = None
) -> list[int]:
    """Snapshots past the table's retention: older than ``history.expire.max-snapshot-age-ms``
    or beyond the newest ``newsloom.history.max-snapshots`` (the new snapshot counts), never
    one a branch or tag points at."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    max_age = int(md.properties.get(MAX_AGE_PROPERTY, MAX_AGE_DEFAULT_MS))
    max_count = int(md.properties.get(MAX_SNAPSHOTS_PROPERTY, MAX_SNAPSHOTS_DEFAULT))
    referenced = {ref.snapshot_id for ref in md.refs.values()} | set(keep)
    snaps = sorted(md.snapshots, key=lambda s: s.timestamp_ms, reverse=True)
    out = []
    budget = max(1, max_count - len(keep))
    for i, s in enumerate(snaps):
        if s.snapshot_id in referenced:
            continue
        if i >= budget or now_ms - s.timestamp_ms > max_age:
            out.append(s.snapshot_id)
    return out


def due_for_expiry(md: TableMetadata, keep: frozenset[int] = frozenset()) -> list[int]:
    """What a commit expires: the :func:`expirable` snapshots, once there are
    ``EXPIRE_BATCH`` of them or one is a day past the age limit (expiring in batches keeps
    the history object from being rewritten at every commit)."""
    out = expirable(md, keep)
    if len(out) >= int(md.properties.get(EXPIRE_BATCH_PROPERTY, EXPIRE_BATCH)):
        return out
    max_age = int(md.properties.get(MAX_AGE_PROPERTY, MAX_AGE_DEFAULT_MS))
    now_ms = int(time.time() * 1000)
    by_id = {s.snapshot_id: s for s in md.snapshots}
    if any(now_ms - by_id[sid].timestamp_ms > max_age + 86_400_000 for sid in out):
        return out
    return []


# ---- the history of expired snapshots (the change feed outlives them) ----------------------
HISTORY_SCHEMA = pa.schema(
    [
        pa.field("snapshot_id", pa.int64(), nullable=False),
        pa.field("parent_id", pa.int64()),
        pa.field("committed_at_ms", pa.int64(), nullable=False),
        pa.field("operation", pa.string()),
        pa.field("run_id", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("commit", pa.string()),
        pa.field("changes", pa.string()),  # the commit's events object (null: none recorded)
        pa.field("properties", pa.string()),  # its other newsloom.* summary entries (JSON)
    ]
)
_history_cache: OrderedDict[str, pa.Table] = OrderedDict()


def read_history(tbl: Table) -> pa.Table:
    """The expired snapshots of the table's ``main`` history (oldest first), as the writers
    recorded them when expiring them: their ids, times, runs and events objects."""
    path = tbl.metadata.properties.get(HISTORY_PROPERTY)
    if not path:
        return HISTORY_SCHEMA.empty_table()
    if path in _history_cache:
        return _history_cache[path]
    with tbl.io.new_input(path).open() as f:
        table = pq.read_table(f)
    for name in HISTORY_SCHEMA.names:  # a history written before a column existed
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    table = table.select(HISTORY_SCHEMA.names).cast(HISTORY_SCHEMA)
    _history_cache[path] = table
    while len(_history_cache) > 8:
        _history_cache.popitem(last=False)
    return table


def write_history(tbl: Table, expired: Iterable[int]) -> tuple[str, str | None]:
    """The history object after expiring ``expired``: the previous one plus a row per expired
    snapshot, whose events move into one segment object for the batch (``events``). Both
    are written before the commit that names the history."""
    md = tbl.metadata
    rows = []
    gathered: list[ev.ChangeEvent] = []
    segment = ev.segment_path(tbl.location())
    for sid in expired:
        snap = md.snapshot_by_id(sid)
        if snap is None:
            continue
        props = _props(snap)
        changes = props.get(CHANGES_PROPERTY)
        if changes:
            for event in ev.read_events(tbl.io, changes):
                event.pop("snapshot_id", None)
                gathered.append({"snapshot_id": sid, **event})
        rows.append(
            {
                "snapshot_id": snap.snapshot_id,
                "parent_id": parent_of(snap),
                "committed_at_ms": snap.timestamp_ms,
                "operation": snap.summary.operation.value if snap.summary else None,
                "run_id": props.get(RUN_PROPERTY),
                "kind": props.get(KIND_PROPERTY),
                "commit": props.get(COMMIT_PROPERTY),
                "changes": segment if changes else None,
                "properties": json.dumps(
                    {
                        k: v
                        for k, v in props.items()
                        if k.startswith("newsloom.") and k != CHANGES_PROPERTY
                    },
                    sort_keys=True,
                ),
            }
        )
    if gathered:
        ev.write_segment(tbl.io, segment, gathered)
    new = pa.Table.from_pylist(rows, schema=HISTORY_SCHEMA)
    table = pa.concat_tables([read_history(tbl), new]).sort_by("committed_at_ms")
    path = f"{tbl.location().rstrip('/')}/metadata/newsloom/history/{uuid.uuid4().hex}.parquet"
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    with tbl.io.new_output(path).create(overwrite=True) as f:
        f.write(buf.getvalue())
    _history_cache[path] = table
    return path, segment if gathered else None


def expire(tbl: Table, expired: list[int]) -> int:
    """Expire ``expired`` in one metadata commit (no new snapshot), recording them in the
    history first. Raises ``CommitFailedException`` when the table moved meanwhile."""
    if not expired:
        return 0
    path, segment = write_history(tbl, expired)
    snap = tbl.metadata.current_snapshot()
    try:
        tbl._do_commit(
            (
                SetPropertiesUpdate(updates={HISTORY_PROPERTY: path}),
                RemoveSnapshotsUpdate(snapshot_ids=expired),  # type: ignore[call-arg]
            ),
            (
                AssertTableUUID(uuid=tbl.metadata.table_uuid),
                AssertRefSnapshotId(  # type: ignore[call-arg]
                    snapshot_id=snap.snapshot_id if snap else None, ref=MAIN_BRANCH
                ),
            ),
        )
    except CommitFailedException:
        for written in (path, segment):
            if written:
                _delete_quietly(tbl.io, written)
        raise
    publish_version_hint(tbl)
    return len(expired)


def encode_partitions(parts: set[PartKey]) -> str:
    if len(parts) > MAX_LISTED_PARTITIONS:
        return ALL_PARTITIONS
    return ";".join(
        f"{spec}:{outlet}:{'' if value is None else value}"
        for spec, outlet, value in sorted(parts, key=lambda p: (p[0], p[1], p[2] or -1))
    )


def decode_partitions(text: str | None) -> set[PartKey] | None:
    """The partitions a snapshot changed; None when unknown (touches everything)."""
    if text is None or text == ALL_PARTITIONS:
        return None
    out: set[PartKey] = set()
    for item in filter(None, text.split(";")):
        spec, outlet, value = item.split(":", 2)
        out.add((int(spec), outlet, int(value) if value else None))
    return out


# ---- the writers' index ------------------------------------------------------------------
def rebuild_index(tbl: Table, outlet: str) -> dict[str, ix.Entry]:
    from processing.corpus.expr import eq

    if tbl.metadata.current_snapshot() is None:
        return {}
    rows = tbl.scan(
        row_filter=eq("outlet", outlet), selected_fields=ix.INDEX_SOURCE_COLUMNS
    ).to_arrow()
    logger.info("index of %s rebuilt from the table: %d article(s)", outlet, rows.num_rows)
    return ix.entries_from_rows(rows)


# ---- version hint (catalog-less readers) ---------------------------------------------------
def metadata_version(metadata_location: str) -> int | None:
    """The version number of a metadata file name (``00042-<uuid>.metadata.json`` or
    ``v42.metadata.json``)."""
    name = metadata_location.rsplit("/", 1)[-1]
    head = name.split("-", 1)[0].split(".", 1)[0].lstrip("v")
    return int(head) if head.isdigit() else None


def hint_location(table_location: str) -> str:
    return f"{table_location.rstrip('/')}/metadata/version-hint.text"


def publish_version_hint(tbl: Table) -> None:
    """Write ``metadata/v<N>.metadata.json`` (the committed metadata) and then
    ``metadata/version-hint.text`` = N, unless the hint already names a newer version; drop
    the ``v`` copy that fell out of the kept metadata versions. A failure is logged, not
    raised: the commit stands, and the next commit (or ``corpus maintain``) writes the hint."""
    from pyiceberg.serializers import ToOutputFile

    version = metadata_version(tbl.metadata_location)
    if version is None:
        return
    base = f"{tbl.location().rstrip('/')}/metadata"
    try:
        written = getattr(tbl.catalog, "last_written", None)
        copy = f"{base}/v{version}.metadata.json"
        if written is not None and written[0] == tbl.metadata_location:
            with tbl.io.new_output(copy).create(overwrite=True) as f:
                f.write(written[1])  # the bytes the catalog just wrote: no second serialisation
        else:
            ToOutputFile.table_metadata(tbl.metadata, tbl.io.new_output(copy), overwrite=True)
        hint = hint_location(tbl.location())
        current = read_hint(tbl.io, hint)
        if current is None or current < version:
            with tbl.io.new_output(hint).create(overwrite=True) as f:
                f.write(str(version).encode())
        old = version - HINT_COPIES
        if old >= 0:
            _delete_quietly(tbl.io, f"{base}/v{old}.metadata.json")
    except OSError as exc:
        logger.warning("version hint of %s not written: %s", tbl.location(), exc)


def read_hint(fileio: FileIO, hint: str) -> int | None:
    try:
        with fileio.new_input(hint).open() as f:
            text = f.read().decode().strip()
    except (OSError, FileNotFoundError):
        return None
    return int(text) if text.isdigit() else None


def iter_entries(tbl: Table, cache: EntryCache | None = None) -> Iterator[ManifestEntry]:
    """Every live entry of the current snapshot."""
    layout = Layout(tbl, cache or EntryCache())
    for _, e in layout.entries(layout.manifests):
        yield e


def as_of(ts: datetime) -> int:
    return int(ts.astimezone(UTC).timestamp() * 1000)


def indexes_of(md: TableMetadata) -> Mapping[str, str]:
    return {
        k[len(ix.PROPERTY_PREFIX) :]: v
        for k, v in md.properties.items()
        if k.startswith(ix.PROPERTY_PREFIX)
    }
