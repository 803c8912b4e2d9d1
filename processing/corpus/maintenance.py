"""Table maintenance, safe while writers commit: expire old snapshots, compact small files,
remove orphan files.

- ``expire_snapshots``: drops snapshots older than the retention from the table metadata (the
  current one and its refs are always kept). The change feed and time travel reach back as far
  as the retention.
- ``compact``: rewrites each partition that holds more than one data file into one file, in
  its own commit (rows unchanged, so the change feed shows nothing). A writer committing to the
  same table meanwhile makes the compaction commit conflict; it is recomputed and retried, so
  nothing a writer committed is lost.
- ``remove_orphans``: deletes files under the table's location that no snapshot, manifest or
  metadata file references and that are older than a grace period (a writer's files exist
  before its commit does; the grace period protects them).
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from processing.core.s3 import ObjectStore
from processing.corpus.expr import both, eq, is_null, time_range
from processing.corpus.table import COMMIT_PROPERTY, KIND_PROPERTY, ArticlesTable

logger = logging.getLogger(__name__)


@dataclass
class MaintenanceResult:
    expired_snapshots: int = 0
    compacted_partitions: int = 0
    files_before: int = 0
    files_after: int = 0
    orphans_removed: int = 0
    conflicts: int = 0
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expired_snapshots": self.expired_snapshots,
            "compacted_partitions": self.compacted_partitions,
            "files_before": self.files_before,
            "files_after": self.files_after,
            "orphans_removed": self.orphans_removed,
            "conflicts": self.conflicts,
        }


def expire_snapshots(articles: ArticlesTable, older_than: timedelta) -> int:
    tbl = articles.table()
    cutoff = datetime.now(UTC) - older_than
    current = tbl.current_snapshot()
    old = [
        s.snapshot_id
        for s in tbl.metadata.snapshots
        if s.timestamp_ms < cutoff.timestamp() * 1000
        and (current is None or s.snapshot_id != current.snapshot_id)
    ]
    if not old:
        return 0
    tbl.maintenance.expire_snapshots().by_ids(old).commit()
    logger.info("expired %d snapshot(s) older than %s", len(old), cutoff.isoformat())
    return len(old)


def _partition_files(tbl: Any) -> dict[tuple[str, int | None], list[Any]]:
    files: dict[tuple[str, int | None], list[Any]] = defaultdict(list)
    for task in tbl.scan().plan_files():
        part = task.file.partition
        files[(part[0], part[1])].append(task.file)
    return files


def compact(
    articles: ArticlesTable, min_files: int = 2, max_attempts: int = 20
) -> MaintenanceResult:
    """Rewrite partitions with ``min_files`` or more data files into one file each."""
    from pyiceberg.exceptions import CommitFailedException

    result = MaintenanceResult()
    files = _partition_files(articles.table())
    result.files_before = sum(len(v) for v in files.values())
    for (outlet, day_ordinal), parts in sorted(
        files.items(), key=lambda kv: (kv[0][0], kv[0][1] or -1)
    ):
        if len(parts) < min_files:
            continue
        if day_ordinal is None:
            where: Any = both(eq("outlet", outlet), is_null("published_at"))
        else:
            start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day_ordinal)
            where = both(
                eq("outlet", outlet), time_range("published_at", start, start + timedelta(days=1))
            )
        for attempt in range(1, max_attempts + 1):
            tbl = articles.table()
            rows = tbl.scan(row_filter=where).to_arrow()
            props = {
                COMMIT_PROPERTY: f"compact-{outlet}-{day_ordinal}-{time.time_ns()}",
                KIND_PROPERTY: "compact",
            }
            try:
                with tbl.transaction() as tx:
                    tx.overwrite(
                        rows.sort_by([("published_at", "ascending"), ("article_id", "ascending")]),
                        overwrite_filter=where,
                        snapshot_properties=props,
                    )
            except CommitFailedException:
                result.conflicts += 1
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
                continue
            result.compacted_partitions += 1
            break
    result.files_after = sum(len(v) for v in _partition_files(articles.table()).values())
    logger.info(
        "compacted %d partition(s): %d -> %d data files (%d conflicts retried)",
        result.compacted_partitions,
        result.files_before,
        result.files_after,
        result.conflicts,
    )
    return result


def referenced_files(tbl: Any) -> set[str]:
    """Every file any snapshot of the table still needs: data files, manifests, manifest
    lists and metadata files."""
    refs: set[str] = {tbl.metadata_location}
    refs.update(entry.metadata_file for entry in tbl.metadata.metadata_log)
    for snap in tbl.metadata.snapshots:
        refs.add(snap.manifest_list)
        for manifest in snap.manifests(tbl.io):
            refs.add(manifest.manifest_path)
            for entry in manifest.fetch_manifest_entry(tbl.io, discard_deleted=False):
                refs.add(entry.data_file.file_path)
    for stats in tbl.metadata.statistics:
        refs.add(stats.statistics_path)
    return refs


def remove_orphans(
    articles: ArticlesTable, store: ObjectStore, grace: timedelta = timedelta(days=3)
) -> int:
    """Delete unreferenced files under the table location older than ``grace``."""
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
