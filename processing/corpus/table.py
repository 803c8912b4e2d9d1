"""The ``articles`` Iceberg table: atomic upserts by ``article_id``, snapshots, reads.

A commit merges a batch of rows into the table in ONE catalog commit (an Iceberg transaction:
delete the rows' previous versions wherever they are, append the new versions). The catalog
accepts the commit only if nobody committed since the table was read (optimistic
concurrency); on a conflict the commit is recomputed against the new state and retried.
Readers always see whole commits: the previous snapshot or the new one.

Merge rules per article (``merge``):
- not in the table: inserted (``ingested_at`` = ``updated_at`` = commit time);
- same ``content_hash`` and publication day, not forced, and no better translation: left
  alone;
- otherwise replaced: ``ingested_at`` kept, ``updated_at`` = commit time, and a changed page
  that does not say when it changed gets ``modified_at`` = its fetch time. When the
  publication day changed, the old version is deleted from its old partition in the same
  commit (a move).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from processing.core.records import ArticleRow
from processing.corpus import schema as S
from processing.corpus.expr import both, eq, isin

logger = logging.getLogger(__name__)

COMMIT_PROPERTY = "newsloom.commit"  # groups the snapshots of one commit
RUN_PROPERTY = "newsloom.run_id"
KIND_PROPERTY = "newsloom.kind"
COUNTS_PROPERTY = "newsloom.counts"
MAX_COMMIT_ATTEMPTS = 40
_LOOKUP_COLUMNS = (
    "article_id",
    "outlet",
    "published_at",
    "content_hash",
    "translation_status",
    "ingested_at",
    "modified_at",
)


class CommitConflict(RuntimeError):
    """A commit kept losing against concurrent writers; nothing was committed."""


class CorpusUnreadable(RuntimeError):
    """Data files of the table cannot be read (corrupt, or missing); the message names them."""


def _scan_arrow(tbl: Any, scan: Any) -> pa.Table:
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


def _unreadable_files(tbl: Any, scan: Any) -> list[tuple[str, str]]:
    import pyarrow.parquet as pq

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
    days: list[str] = field(default_factory=list)  # partition days written (UTC)
    snapshot_id: int | None = None
    committed_at: str | None = None
    attempts: int = 0
    changed_ids: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.new + self.updated

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "moved": self.moved,
            "days": self.days,
            "snapshot_id": self.snapshot_id,
            "committed_at": self.committed_at,
            "attempts": self.attempts,
        }

    def add(self, other: CommitResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.moved += other.moved
        self.days = sorted(set(self.days) | set(other.days))
        self.attempts += other.attempts
        self.changed_ids += other.changed_ids
        if other.snapshot_id is not None:
            self.snapshot_id, self.committed_at = other.snapshot_id, other.committed_at


@dataclass(frozen=True)
class Stored:
    """What the merge needs to know of an article's current version."""

    article_id: str
    outlet: str
    day: date | None
    content_hash: str
    translation_status: str
    ingested_at: datetime
    modified_at: datetime | None


def _better_translation(old: Stored, new: ArticleRow) -> bool:
    return old.translation_status in ("pending", "failed") and new.translation_status in (
        "translated",
        "source_english",
    )


def merge(
    stored: dict[str, Stored],
    incoming: Iterable[ArticleRow],
    now: datetime,
    force: bool,
    keep_ingested_at: bool = False,
    run_id: str | None = None,
) -> tuple[list[ArticleRow], CommitResult]:
    """The rows to write for ``incoming`` given what is stored (see the module docstring).
    Every written row carries ``run_id`` (the run writing this version), when given;
    ``keep_ingested_at``: new rows keep their own ``ingested_at`` (a migration)."""
    result = CommitResult()
    out: list[ArticleRow] = []
    for row in incoming:
        old = stored.get(row.article_id)
        if old is None:
            first = row.ingested_at if keep_ingested_at else now
            out.append(replace(row, ingested_at=first, updated_at=now, run_id=run_id or row.run_id))
            result.new += 1
            continue
        same = old.content_hash == row.content_hash
        moved = old.day != row.partition_day
        if same and not moved and not force and not _better_translation(old, row):
            result.unchanged += 1
            continue
        modified = row.modified_at
        if not same and modified is None:
            modified = row.fetched_at  # changed without saying when: the fetch dates it
        out.append(
            replace(
                row,
                ingested_at=old.ingested_at,
                updated_at=now,
                modified_at=modified,
                run_id=run_id or row.run_id,
            )
        )
        result.updated += 1
        result.moved += int(moved)
    result.days = sorted({r.partition_day.isoformat() if r.partition_day else "null" for r in out})
    result.changed_ids = [r.article_id for r in out]
    return out, result


class ArticlesTable:
    """The corpus table in a catalog. Cheap to create; ``table()`` loads fresh metadata."""

    def __init__(self, catalog: Any, namespace: str) -> None:
        self.catalog = catalog
        self.identifier = f"{namespace}.{S.TABLE_NAME}"

    # ---- the table ----------------------------------------------------------------------
    def table(self) -> Any:
        """The table at its current snapshot, created on first use (concurrently safe)."""
        from pyiceberg.exceptions import NoSuchTableError

        try:
            return self.catalog.load_table(self.identifier)
        except NoSuchTableError:
            return self._create()

    def _create(self) -> Any:
        from pyiceberg.exceptions import TableAlreadyExistsError

        schema = S.iceberg_schema()
        try:
            return self.catalog.create_table(
                self.identifier,
                schema=schema,
                partition_spec=S.partition_spec(schema),
                sort_order=S.sort_order(schema),
                properties={
                    # pyiceberg would retry a conflicting commit by re-applying it on the new
                    # snapshot; our merge must be recomputed instead (commit() retries)
                    "commit.retry.num-retries": "0",
                    "format-version": "2",
                    "write.parquet.compression-codec": "zstd",
                    "newsloom.schema_version": S.SCHEMA_VERSION,
                    "comment": "newsloom articles: one row per article (docs/corpus.md)",
                },
            )
        except TableAlreadyExistsError:
            return self.catalog.load_table(self.identifier)

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
        row_filter: Any = None,
        snapshot_id: int | None = None,
    ) -> pa.Table:
        """The current rows (or those of ``snapshot_id``) as an Arrow table."""
        tbl = self.table()
        expr = both(row_filter) if row_filter is not None else both()
        if outlet:
            expr = both(eq("outlet", outlet), expr)
        if tbl.current_snapshot() is None and snapshot_id is None:
            empty = S.ARTICLE_SCHEMA.empty_table()
            return empty.select(list(columns)) if columns else empty
        scan = tbl.scan(
            row_filter=expr,
            selected_fields=tuple(columns) if columns else ("*",),
            snapshot_id=snapshot_id,
        )
        return _scan_arrow(tbl, scan)

    def stored(
        self, ids: Iterable[str], outlets: Iterable[str], tbl: Any = None
    ) -> dict[str, Stored]:
        """The current version of each of ``ids`` (looked up in ``outlets``' partitions)."""
        ids = list(dict.fromkeys(ids))
        tbl = tbl if tbl is not None else self.table()
        if not ids or tbl.current_snapshot() is None:
            return {}
        found: dict[str, Stored] = {}
        for i in range(0, len(ids), 2000):
            chunk = ids[i : i + 2000]
            expr = both(isin("outlet", sorted(set(outlets))), isin("article_id", chunk))
            scan = tbl.scan(row_filter=expr, selected_fields=_LOOKUP_COLUMNS)
            table = _scan_arrow(tbl, scan)
            for d in table.to_pylist():
                pub = d["published_at"]
                found[d["article_id"]] = Stored(
                    d["article_id"],
                    d["outlet"],
                    pub.astimezone(UTC).date() if pub else None,
                    d["content_hash"],
                    d["translation_status"],
                    d["ingested_at"],
                    d["modified_at"],
                )
        return found

    def known_ids(self, outlet: str) -> set[str]:
        """Every article id the table holds for ``outlet``."""
        return set(self.read(["article_id"], outlet=outlet).column("article_id").to_pylist())

    # ---- writes -------------------------------------------------------------------------
    def commit(
        self,
        rows: Iterable[ArticleRow],
        *,
        run_id: str,
        kind: str,
        force: bool = False,
        keep_ingested_at: bool = False,
        max_attempts: int = MAX_COMMIT_ATTEMPTS,
    ) -> CommitResult:
        """Upsert ``rows`` in one atomic commit (retried on conflicts); idempotent."""
        from pyiceberg.exceptions import CommitFailedException

        incoming: dict[str, ArticleRow] = {}
        for row in rows:
            incoming[row.article_id] = row  # the last one wins inside a batch
        if not incoming:
            return CommitResult()
        outlets = sorted({r.outlet for r in incoming.values()})
        commit_id = uuid.uuid4().hex
        for attempt in range(1, max_attempts + 1):
            tbl = self.table()
            stored = self.stored(incoming, outlets, tbl)
            now = datetime.now(UTC)
            out, result = merge(stored, incoming.values(), now, force, keep_ingested_at, run_id)
            result.attempts = attempt
            if not out:
                return result
            replaced = [r.article_id for r in out if r.article_id in stored]
            props = {
                COMMIT_PROPERTY: commit_id,
                RUN_PROPERTY: run_id,
                KIND_PROPERTY: kind,
                COUNTS_PROPERTY: f"new={result.new},updated={result.updated}",
            }
            try:
                with tbl.transaction() as tx:
                    if replaced:
                        old_outlets = sorted({stored[a].outlet for a in replaced})
                        tx.delete(
                            both(isin("outlet", old_outlets), isin("article_id", replaced)),
                            snapshot_properties=props,
                        )
                    tx.append(S.to_arrow(out), snapshot_properties=props)
            except CommitFailedException as exc:
                self._backoff(attempt, exc)
                continue
            except Exception as exc:
                if not _is_lock_error(exc):
                    raise
                self._backoff(attempt, exc)
                continue
            snap = tbl.current_snapshot()
            result.snapshot_id = snap.snapshot_id
            result.committed_at = datetime.fromtimestamp(snap.timestamp_ms / 1000, UTC).isoformat()
            logger.info(
                "committed %s (%s): %d new, %d updated, %d unchanged, %d moved; snapshot %s "
                "(attempt %d)",
                run_id,
                ",".join(outlets),
                result.new,
                result.updated,
                result.unchanged,
                result.moved,
                result.snapshot_id,
                attempt,
            )
            return result
        raise CommitConflict(f"{run_id}: gave up after {max_attempts} conflicting commits")

    @staticmethod
    def _backoff(attempt: int, exc: BaseException) -> None:
        delay = min(2.0, 0.05 * 2 ** min(attempt, 6)) * (0.5 + random.random())
        logger.info("commit conflict (%s); retrying in %.2fs", type(exc).__name__, delay)
        time.sleep(delay)


def _is_lock_error(exc: BaseException) -> bool:
    """SQLite's "database is locked" (a busy embedded catalog): retried like a conflict."""
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text
