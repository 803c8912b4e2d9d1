"""Table maintenance, safe while writers commit: expire old snapshots, compact small files,
remove orphan files, and keep the catalog-less entry point current.

- ``expire_snapshots``: drops snapshots older than the retention (and beyond the table's
  ``newsloom.history.max-snapshots``) from the table metadata; the current one and anything a
  branch or tag names are always kept. Time travel and the change feed reach back as far as
  the retention. (Writers also expire at each commit, by the table's own properties.)
- ``compact``: in every outlet-month, rewrites the files of a partition that holds two or
  more files smaller than the target file size (``write.target-file-size-bytes``, 128 MiB)
  into one, and moves files written under an older partition spec (a table made by an
  earlier version, partitioned by day) into the current one — one snapshot per outlet-month,
  of kind ``compact``: no row changes, so the change feed shows nothing. A writer committing
  meanwhile to another outlet-month is not disturbed; one committing to the same is retried.
- ``remove_orphans``: deletes the objects under the table's location that nothing the table
  keeps references (data files of expired snapshots, files of commits that lost a race or
  died, old metadata, index and change objects) once they are older than a grace period (a
  writer's files exist before its commit does; the grace period protects them). Each
  distinct manifest is read once, so the cost grows with the manifests, not with
  snapshots × manifests.
- ``publish_version_hint``: rewrites ``metadata/version-hint.text`` for the current metadata
  (a writer that died between its catalog commit and the hint left it one commit behind).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from pyiceberg.manifest import DataFile, ManifestFile
from pyiceberg.table import Table

from processing.core.jsontypes import JSONValue
from processing.core.s3 import ObjectStore
from processing.corpus import index as ix
from processing.corpus import writer as W
from processing.corpus.table import ArticlesTable, _read_files, _write

logger = logging.getLogger(__name__)

TARGET_FILE_DEFAULT = 128 * 1024 * 1024


@dataclass
class MaintenanceResult:
    expired_snapshots: int = 0
    compacted_partitions: int = 0
    files_before: int = 0
    files_after: int = 0
    orphans_removed: int = 0
    conflicts: int = 0
    respec: bool = False
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        return {
            "expired_snapshots": self.expired_snapshots,
            "compacted_partitions": self.compacted_partitions,
            "files_before": self.files_before,
            "files_after": self.files_after,
            "orphans_removed": self.orphans_removed,
            "conflicts": self.conflicts,
            "respec": self.respec,
        }


def expire_snapshots(articles: ArticlesTable, older_than: timedelta) -> int:
    """Expire snapshots older than ``older_than`` or beyond the table's snapshot cap."""
    tbl = articles.table()
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    max_age = int(older_than.total_seconds() * 1000)
    old = W.expirable(tbl.metadata, now_ms=now_ms)
    old += [
        s.snapshot_id
        for s in tbl.metadata.snapshots
        if now_ms - s.timestamp_ms > max_age
        and s.snapshot_id not in old
        and s.snapshot_id not in {r.snapshot_id for r in tbl.metadata.refs.values()}
    ]
    if not old:
        return 0
    from pyiceberg.exceptions import CommitFailedException

    from processing.corpus.retry import conflict_retrying

    for attempt in conflict_retrying():
        with attempt:
            try:
                W.expire(tbl, old)
            except CommitFailedException:
                tbl = articles.table()  # a writer committed meanwhile: look again
                old = [s for s in old if tbl.metadata.snapshot_by_id(s) is not None]
                raise
    logger.info("expired %d snapshot(s) older than %s", len(old), older_than)
    return len(old)


# ---- compaction ----------------------------------------------------------------------------
def respec_to_month(articles: ArticlesTable) -> bool:
    """Move a table partitioned by day (made by an earlier version) to month partitions for
    what is written from now on; ``compact`` then rewrites the older files. True when the
    spec changed."""
    tbl = articles.table()
    info = W.spec_info(tbl.metadata.spec(), tbl.metadata)
    if info.time_unit == "month":
        return False
    from pyiceberg.transforms import MonthTransform

    day_field = tbl.metadata.spec().fields[info.time_pos]
    with tbl.update_spec() as update:
        update.remove_field(day_field.name)
        update.add_field("published_at", MonthTransform(), "published_month")
    logger.info("articles table: partitioned by outlet and month from now on")
    return True


def _needs_compaction(
    layout: W.Layout, files: dict[W.PartKey, list[DataFile]], target: int
) -> list[W.PartKey]:
    keys = []
    for key, parts in files.items():
        if key[0] != layout.default.spec_id:
            keys.append(key)  # an older spec: rewrite into the current one
        elif sum(1 for f in parts if f.file_size_in_bytes < target) >= 2:
            keys.append(key)
    return keys


def compact(articles: ArticlesTable, target: int | None = None) -> MaintenanceResult:
    """Rewrite, per outlet-month, the partitions with two or more small files (or files of
    an older spec) into one file each (see the module docstring)."""
    result = MaintenanceResult()
    writer = articles.writer
    tbl = articles.table()
    target = target or int(
        tbl.metadata.properties.get("write.target-file-size-bytes", TARGET_FILE_DEFAULT)
    )
    layout = writer.layout(tbl)
    clusters: dict[W.Cluster, int] = defaultdict(int)
    for m in layout.manifests:
        for _, e in layout.entries([m]):
            key = m.spec.key(e.data_file.partition)
            clusters[m.spec.cluster(key)] += 1
            result.files_before += 1
    for cluster in sorted(clusters, key=lambda c: (c[0], -1 if c[1] is None else c[1])):
        compacted: list[int] = []

        def planner(
            tbl: Table, cluster: W.Cluster = cluster, compacted: list[int] = compacted
        ) -> W.Plan:
            layout = writer.layout(tbl)
            files = layout.files({cluster})
            plan = W.Plan(base_snapshot_id=layout.snapshot_id, kind="compact", run_id="maintenance")
            keys = _needs_compaction(layout, files, target)
            for key in keys:
                plan.removed.extend(f for f in files[key] if _small(f, key, layout, target))
                plan.partitions.add(key)
            if plan.removed:
                plan.added = _write(tbl, _read_files(tbl, plan.removed))
                plan.partitions |= {layout.default.key(f.partition) for f in plan.added}
                plan.counts = f"files={len(plan.removed)}->{len(plan.added)}"
            compacted.append(len(keys))
            return plan

        _, applied = writer.commit(planner)
        if applied is not None:
            result.compacted_partitions += compacted[-1]
            result.conflicts += applied.attempts - 1
    result.files_after = sum(1 for _ in W.iter_entries(articles.table(), writer.cache))
    logger.info(
        "compacted %d partition(s): %d -> %d data files (%d conflicts retried)",
        result.compacted_partitions,
        result.files_before,
        result.files_after,
        result.conflicts,
    )
    return result


def _small(f: DataFile, key: W.PartKey, layout: W.Layout, target: int) -> bool:
    return key[0] != layout.default.spec_id or f.file_size_in_bytes < target


# ---- orphans -------------------------------------------------------------------------------
def referenced_files(tbl: Table, cache: W.EntryCache | None = None) -> set[str]:
    """Every object the table still needs: metadata (current, its log and their ``v<N>``
    copies, the hint), manifest lists, manifests and data files of every kept snapshot
    (each distinct manifest read once), index objects and change events."""
    cache = cache or W.EntryCache(size=100_000)
    md = tbl.metadata
    base = f"{tbl.location().rstrip('/')}/metadata"
    refs: set[str] = {tbl.metadata_location, W.hint_location(tbl.location())}
    logged = [entry.metadata_file for entry in md.metadata_log] + [tbl.metadata_location]
    refs.update(logged)
    current = W.metadata_version(tbl.metadata_location)
    if current is not None:  # the newest v<N> copies (catalog-less readers)
        refs.update(
            f"{base}/v{v}.metadata.json" for v in range(current - W.HINT_COPIES + 1, current + 1)
        )
    manifests: dict[str, ManifestFile] = {}
    for snap in md.snapshots:
        refs.add(snap.manifest_list)
        props = dict(snap.summary.additional_properties) if snap.summary else {}
        changes = props.get(W.CHANGES_PROPERTY)
        if changes:
            refs.add(changes)
        for manifest in snap.manifests(tbl.io):
            manifests.setdefault(manifest.manifest_path, manifest)
    refs.update(manifests)
    for manifest in manifests.values():
        # deleted entries too: the files a kept snapshot still reads through older manifests
        for entry in manifest.fetch_manifest_entry(tbl.io, discard_deleted=False):
            refs.add(entry.data_file.file_path)
    refs.update(path for pointer in W.indexes_of(md).values() for path in ix.parts(pointer))
    history = md.properties.get(W.HISTORY_PROPERTY)
    if history:
        refs.add(history)
        refs.update(p for p in W.read_history(tbl).column("changes").to_pylist() if p)
    for stats in md.statistics:
        refs.add(stats.statistics_path)
    return refs


def remove_orphans(
    articles: ArticlesTable, store: ObjectStore, grace: timedelta = timedelta(days=3)
) -> int:
    """Delete unreferenced objects under the table location older than ``grace``."""
    tbl = articles.table()
    location = urlsplit(tbl.location())
    if location.netloc != store.bucket:
        logger.warning(
            "table location %s is outside bucket %s; skipping", tbl.location(), store.bucket
        )
        return 0
    prefix = location.path.lstrip("/").rstrip("/") + "/"
    refs = {urlsplit(r).path.lstrip("/") for r in referenced_files(tbl)}
    cutoff = datetime.now(UTC) - grace
    orphans = [
        obj["Key"]
        for obj in store.list_objects(prefix)
        if obj["Key"] not in refs and obj["LastModified"] < cutoff
    ]
    for key in orphans:
        store.delete(key)
    if orphans:
        logger.info("removed %d orphan file(s) under %s", len(orphans), prefix)
    return len(orphans)


def publish_version_hint(articles: ArticlesTable) -> None:
    W.publish_version_hint(articles.table())


def table_stats(tbl: Table) -> dict[str, JSONValue]:
    """Files, rows and bytes of the current snapshot, and files per partition."""
    per: dict[W.PartKey, int] = defaultdict(int)
    rows = size = 0
    layout = W.Layout(tbl, W.EntryCache(size=100_000))
    for m, e in layout.entries(layout.manifests):
        per[m.spec.key(e.data_file.partition)] += 1
        rows += e.data_file.record_count
        size += e.data_file.file_size_in_bytes
    files = sum(per.values())
    return {
        "data_files": files,
        "partitions": len(per),
        "rows": rows,
        "data_bytes": size,
        "files_per_partition_max": max(per.values(), default=0),
        "files_per_partition_mean": round(files / len(per), 2) if per else 0.0,
        "manifests": len(layout.manifests),
        "snapshots": len(tbl.metadata.snapshots),
    }
