"""pyiceberg's SQL catalog (SQLite, PostgreSQL: Iceberg's JDBC catalog schema) with a commit
whose cost does not grow with the table's history.

pyiceberg's ``SqlCatalog.commit_table`` re-reads and parses the table's current metadata,
deep-copies it while applying the commit, and compares the old and new metadata object by
object — three passes over every snapshot the table keeps, on every commit. This subclass
commits the way the catalog's own optimistic check already makes safe: it applies the
updates to the metadata the writer planned against (no re-read: the SQL ``UPDATE … WHERE
metadata_location = <the writer's>`` fails when anybody committed since, exactly as
pyiceberg's does) without a deep copy (nothing here mutates metadata objects in place),
writes the new metadata file once and keeps its bytes for the table's ``v<N>.metadata.json``
(``processing.corpus.writer.publish_version_hint``). Table creation and everything else are
pyiceberg's.

Writers commit through :meth:`LeanSqlCatalog.commit_group`: plans queue in the
``newsloom_commit_queue`` table (with SQLite, a WAL file beside the catalog), and the writer
holding the table's row lock commits every queued plan, one snapshot each, in one catalog
update (docs/operations.md, "Concurrent writers").

Readers open it with ``init_catalog_tables=false``: a reader never creates the catalog's
tables, nor the commit queue.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pyiceberg.catalog import CommitTableResponse
from pyiceberg.catalog.sql import IcebergTables, SqlCatalog
from pyiceberg.exceptions import CommitFailedException
from pyiceberg.io import FileIO
from pyiceberg.serializers import Compressor, FromInputFile
from pyiceberg.table import Table
from pyiceberg.table.locations import load_location_provider
from pyiceberg.table.metadata import TableMetadata
from pyiceberg.table.snapshots import Snapshot
from pyiceberg.table.update import (
    TableRequirement,
    TableUpdate,
    _apply_table_update,
    _TableMetadataUpdateContext,
    _update_table_metadata_log,
)
from sqlalchemy import (
    ColumnElement,
    Engine,
    Executable,
    Row,
    create_engine,
    delete,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

# a group commit's builder: (the current table, a function giving the plans other writers
# queued — commit id and encoded plan — less those already taken) -> the new metadata (the
# current one itself: nothing to commit) and the snapshot of each plan in it, by commit id
Queued = Callable[[set[str]], list[tuple[str, bytes]]]
GroupBuild = Callable[[Table, Queued], tuple[TableMetadata, dict[str, Snapshot]]]
logger = logging.getLogger(__name__)

QUEUE_TTL_S = 120.0  # a queued plan older than this is left to its owner (maybe dead)
MAX_GROUP = 64  # queued plans one group commit takes at most

COMMIT_QUEUE = sa.Table(
    "newsloom_commit_queue",
    sa.MetaData(),
    sa.Column("commit_id", sa.String(64), primary_key=True),
    sa.Column("table_key", sa.String(1024), nullable=False, index=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),  # processing.corpus.staging
    sa.Column("done", sa.Text, nullable=True),  # the committed snapshot (JSON)
)


class PlanStillQueued(RuntimeError):
    """A failed group commit whose plan could not be taken out of the queue: another writer
    may still commit it, so its files must stay (orphan removal takes them if it does not)."""


@dataclass
class GroupOutcome:
    """What a group commit did with the writer's plan."""

    table: Table | None  # the table after this writer's catalog commit (None: it made none)
    snapshot: Snapshot | None  # the plan's snapshot (None: not committed: plan again)
    by_other: bool = False  # another writer committed it


def apply_updates(
    base: TableMetadata, updates: tuple[TableUpdate, ...], metadata_location: str | None
) -> TableMetadata:
    """``base`` with ``updates`` applied and the metadata log extended by ``base``'s file
    (pyiceberg's ``update_table_metadata`` without its final deep copy); ``None``: a step of
    a group commit, logged once for the group (:func:`with_metadata_log`)."""
    context = _TableMetadataUpdateContext()
    new = base
    for change in updates:
        new = _apply_table_update(change, new, context)
    if context.has_changes() and metadata_location is not None:
        new = with_metadata_log(base, new, metadata_location)
    new.spec().check_compatible(new.schema())
    new.sort_order().check_compatible(new.schema())
    return new


def with_metadata_log(
    base: TableMetadata, new: TableMetadata, metadata_location: str
) -> TableMetadata:
    """``new`` (made from ``base``, read from ``metadata_location``) with ``base``'s file in
    its metadata log, and a last-updated time after ``base``'s."""
    new = _update_table_metadata_log(new, metadata_location, base.last_updated_ms)
    if base.last_updated_ms == new.last_updated_ms:
        new = new.model_copy(update={"last_updated_ms": int(time.time() * 1000)})
    return new


class LeanSqlCatalog(SqlCatalog):
    """``SqlCatalog`` whose ``commit_table`` costs the same at any history length."""

    last_written: tuple[str, bytes] | None = None

    def __init__(self, name: str, **properties: str) -> None:
        super().__init__(name, **properties)
        # seconds each locked commit waited for the lock (the newest ones)
        self.lock_waits: deque[float] = deque(maxlen=10_000)
        self._queue: Engine | None = None
        self._queue_created = False

    def commit_group(
        self, table: Table, commit_id: str, payload: bytes | None, build: GroupBuild
    ) -> GroupOutcome:
        """Group commit: queue the plan (``payload``: encoded, :mod:`processing.corpus.staging`)
        for whoever holds the catalog row's lock, then wait for its turn. Then either another
        writer has committed the plan meanwhile (its snapshot comes back), or this writer
        commits it together with every plan still queued: ``build`` gets the table at its
        current metadata and the queued plans, and returns the new metadata with the snapshot
        of each plan it committed — one metadata file and one catalog update for all of them
        (:func:`_commit_group`). Without ``payload`` the plan is only this writer's to
        commit."""
        self._queue_ready()
        if payload is not None:
            with self._queue_engine().begin() as conn:
                conn.execute(
                    insert(COMMIT_QUEUE).values(
                        commit_id=commit_id,
                        table_key=_table_key(self, table),
                        created=time.time(),
                        payload=payload,
                    )
                )
        started = time.monotonic()
        try:
            with self._turn():
                return _commit_group(self, table, commit_id, payload is not None, build, started)
        except BaseException as exc:
            if payload is not None:
                try:
                    self._unqueue(table, commit_id)
                except Exception as unqueue_error:
                    raise PlanStillQueued(
                        f"plan {commit_id} may still be committed by another writer "
                        f"(it could not be taken out of the queue: {unqueue_error})"
                    ) from exc
            raise

    def _unqueue(self, table: Table, commit_id: str) -> None:
        """Take a plan out of the queue holding the lock: no other writer is committing it
        then, nor can start to (its owner gave up on it)."""
        with self._turn(), Session(self.engine) as session, session.begin():
            _lock_row(self, session, table)
            with self._queue_engine().begin() as conn:
                conn.execute(delete(COMMIT_QUEUE).where(COMMIT_QUEUE.c.commit_id == commit_id))

    def _queue_engine(self) -> Engine:
        """The commit queue's database: the catalog's own, or with SQLite a file beside it
        (queueing must not wait for SQLite's single write lock, which the committer holds)."""
        if self._queue is None:
            database = self.engine.url.database
            if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
                self._queue = create_engine(
                    f"sqlite:///{database}.queue", connect_args={"timeout": 60}
                )
                sa.event.listen(self._queue, "connect", _transient)
            else:
                self._queue = self.engine
        return self._queue

    def _queue_ready(self) -> None:
        if self._queue_created:
            return
        engine = self._queue_engine()
        try:
            COMMIT_QUEUE.create(engine, checkfirst=True)
        except (OperationalError, ProgrammingError, IntegrityError):  # another writer made it
            if not inspect(engine).has_table(COMMIT_QUEUE.name):
                raise
        self._queue_created = True

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """With an SQLite file, writers (all on this machine) first queue on a file lock
        beside it: the kernel hands it to a waiter as soon as it is released, where SQLite's
        own busy handler has every waiter poll (up to 100 ms apart, and unfairly). A file
        lock dies with its holder. PostgreSQL queues row-lock waiters itself."""
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield
            return
        fd = os.open(f"{database}.commits.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _write_next_metadata(
        self, new: TableMetadata, base_location: str
    ) -> tuple[str, bytes, FileIO]:
        """Write ``new`` as the metadata file after ``base_location``'s version (never over an
        existing one); returns its location, the bytes written and the FileIO that wrote it."""
        version = self._parse_metadata_version(base_location) + 1
        location = load_location_provider(
            new.location, new.properties
        ).new_table_metadata_file_location(version)
        data = new.model_dump_json(exclude_none=True).encode("utf-8")
        data = Compressor.get_compressor(location).bytes_compressor()(data)
        fileio = self._load_file_io(properties=new.properties, location=location)
        with fileio.new_output(location).create(overwrite=False) as f:
            f.write(data)
        return location, data, fileio

    def commit_table(
        self,
        table: Table,
        requirements: tuple[TableRequirement, ...],
        updates: tuple[TableUpdate, ...],
    ) -> CommitTableResponse:
        base_location = table.metadata_location
        if not base_location or not self.engine.dialect.supports_sane_rowcount:
            return super().commit_table(table, requirements, updates)
        base = table.metadata
        for requirement in requirements:
            requirement.validate(base)  # against what the writer planned on
        new = apply_updates(base, updates, base_location)
        location, data, fileio = self._write_next_metadata(new, base_location)
        with Session(self.engine) as session:
            result = session.execute(
                update(IcebergTables)
                .where(*_row(self, table), IcebergTables.metadata_location == base_location)
                .values(metadata_location=location, previous_metadata_location=base_location)
            )
            if result.rowcount < 1:  # type: ignore[attr-defined]
                session.rollback()
                _delete(fileio, location)
                raise CommitFailedException(
                    "Table has been updated by another process: " + ".".join(_ident(self, table))
                )
            session.commit()
        self.last_written = (location, data)
        return CommitTableResponse(metadata=new, metadata_location=location)  # type: ignore[call-arg]


def _transient(dbapi_connection: Any, _record: object) -> None:
    """The SQLite queue holds only what live writers wait on: write-ahead log, no fsync per
    queued plan (WAL with ``synchronous=NORMAL`` cannot corrupt; the last entries lost with
    the machine lose nothing — each writer finds its plan in the table or commits it)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _ident(catalog: LeanSqlCatalog, table: Table) -> tuple[str, str]:
    """The table's namespace and name, as the catalog's rows hold them."""
    ns = catalog.namespace_to_string(catalog.namespace_from(table.name()))
    return ns, catalog.table_name_from(table.name())


def _table_key(catalog: LeanSqlCatalog, table: Table) -> str:
    ns, name = _ident(catalog, table)
    return f"{catalog.name}.{ns}.{name}"


def _row(catalog: LeanSqlCatalog, table: Table) -> tuple[ColumnElement[bool], ...]:
    ns, name = _ident(catalog, table)
    return (
        IcebergTables.catalog_name == catalog.name,
        IcebergTables.table_namespace == ns,
        IcebergTables.table_name == name,
    )


def _lock_row(catalog: LeanSqlCatalog, session: Session, table: Table) -> None:
    """A no-op ``UPDATE`` of the table's catalog row: SQLite's write lock, PostgreSQL's row
    lock, held until the session's transaction ends (or its connection dies)."""
    session.execute(
        update(IcebergTables)
        .where(*_row(catalog, table))
        .values(metadata_location=IcebergTables.metadata_location)
    )


def _commit_group(
    catalog: LeanSqlCatalog,
    table: Table,
    commit_id: str,
    queued_own: bool,
    build: GroupBuild,
    started: float,
) -> GroupOutcome:
    """One group commit holding the table's catalog row locked (:func:`_lock_row`) from
    reading its current metadata to swapping it, so concurrent writers queue here instead of
    failing their commit and trying again. ``build`` gets the table at its current metadata
    (``table`` itself when nobody committed since) and the plans queued by other writers, and
    returns the new metadata and the snapshot of each plan in it; the new metadata is written
    and the row moved to it before the lock is released. The queued plans it committed are
    marked with their snapshot in the same transaction (PostgreSQL) or right after it, still
    holding the lock (SQLite: the queue's own file), so their owners find them committed when
    their turn comes — or, should the mark be lost, find their snapshot in the table."""
    row = _row(catalog, table)
    key = _table_key(catalog, table)
    queue = catalog._queue_engine()
    shared = queue is catalog.engine
    written: str | None = None
    fileio = None
    snapshots: dict[str, Snapshot] = {}
    swapped = False
    if queued_own:
        # committed in another writer's group while this one waited? Read without taking
        # the catalog's lock: a marked plan is never taken again, and with SQLite no
        # group runs while this writer holds its turn
        with queue.begin() as conn:
            done = _done(conn.execute, commit_id)
        if done is not None:
            catalog.lock_waits.append(time.monotonic() - started)
            return GroupOutcome(None, done, by_other=True)
    try:
        with Session(catalog.engine) as session, session.begin():
            _lock_row(catalog, session, table)
            catalog.lock_waits.append(time.monotonic() - started)

            def run(statement: Executable) -> list[Row[Any]]:
                """A queue statement: in the catalog's transaction when they share a
                database, else in one of its own."""
                if shared:
                    return _rows(session.execute(statement))
                with queue.begin() as conn:
                    return _rows(conn.execute(statement))

            if queued_own and shared:  # marked by a group that committed since the look above
                done = _done(session.execute, commit_id)
                if done is not None:
                    return GroupOutcome(None, done, by_other=True)
            current = session.execute(select(IcebergTables.metadata_location).where(*row)).scalar()
            if current is None:
                raise CommitFailedException(f"table {key} is gone from the catalog")
            if current != table.metadata_location:  # moved on: read it under the lock
                fileio = catalog._load_file_io(location=current)
                metadata = FromInputFile.table_metadata(fileio.new_input(current))
                table = Table(
                    identifier=table.name(),
                    metadata=metadata,
                    metadata_location=current,
                    io=catalog._load_file_io(properties=metadata.properties, location=current),
                    catalog=catalog,
                )

            def queued(taken: set[str]) -> list[tuple[str, bytes]]:
                """The plans other writers queued for the table, oldest first, less
                ``taken`` (asked again as the group is built: late arrivals join it)."""
                room = MAX_GROUP - len(taken)
                if room <= 0:
                    return []
                return [
                    (r.commit_id, r.payload)
                    for r in run(
                        select(COMMIT_QUEUE.c.commit_id, COMMIT_QUEUE.c.payload)
                        .where(
                            COMMIT_QUEUE.c.table_key == key,
                            COMMIT_QUEUE.c.done.is_(None),
                            COMMIT_QUEUE.c.created >= time.time() - QUEUE_TTL_S,
                            COMMIT_QUEUE.c.commit_id.notin_(taken | {commit_id}),
                        )
                        .order_by(COMMIT_QUEUE.c.created)
                        .limit(room)
                    )
                ]

            base = table.metadata
            new, snapshots = build(table, queued)
            if new is not base:
                new = with_metadata_log(base, new, current)
                location, data, fileio = catalog._write_next_metadata(new, current)
                written = location
                session.execute(
                    update(IcebergTables)
                    .where(*row, IcebergTables.metadata_location == current)
                    .values(metadata_location=location, previous_metadata_location=current)
                )
            own = snapshots.pop(commit_id, None)
            if shared:
                _settle(run, commit_id, snapshots)
        swapped = True
    except BaseException:
        if written is not None and fileio is not None and not swapped:
            _delete(fileio, written)
        raise
    if not shared:
        try:
            with queue.begin() as conn:
                _settle(conn.execute, commit_id, snapshots)
        except Exception as exc:  # their owners find their snapshots in the table instead
            logger.warning("commit queue of %s not updated: %s", key, exc)
    if written is None:  # nothing new: the plan was committed already, or cannot be
        return GroupOutcome(None, own, by_other=own is not None)
    catalog.last_written = (location, data)
    committed = Table(
        identifier=table.name(),
        metadata=new,
        metadata_location=location,
        io=catalog._load_file_io(properties=new.properties, location=location),
        catalog=catalog,
    )
    try:
        catalog._delete_old_metadata(committed.io, base, new)
    except OSError:
        pass  # left for `corpus maintain`
    return GroupOutcome(committed, own)


def _done(run: Callable[[Executable], Any], commit_id: str) -> Snapshot | None:
    """The snapshot another writer's group commit gave the queued plan (its queue entry then
    goes), or None."""
    mark = _rows(run(select(COMMIT_QUEUE.c.done).where(COMMIT_QUEUE.c.commit_id == commit_id)))
    if not mark or mark[0].done is None:
        return None
    run(delete(COMMIT_QUEUE).where(COMMIT_QUEUE.c.commit_id == commit_id))
    return Snapshot.model_validate_json(mark[0].done)


def _rows(result: Any) -> list[Row[Any]]:
    return list(result.all()) if result.returns_rows else []


def _settle(run: Callable[[Executable], object], commit_id: str, done: dict[str, Snapshot]) -> None:
    """Mark the queued plans a group commit committed, drop the committer's own entry and
    any left by writers that died queued (older than ``QUEUE_TTL_S`` and then an hour)."""
    for cid, snap in done.items():
        run(
            update(COMMIT_QUEUE)
            .where(COMMIT_QUEUE.c.commit_id == cid)
            .values(done=snap.model_dump_json())
        )
    run(delete(COMMIT_QUEUE).where(COMMIT_QUEUE.c.commit_id == commit_id))
    run(delete(COMMIT_QUEUE).where(COMMIT_QUEUE.c.created < time.time() - QUEUE_TTL_S - 3600))


def _delete(fileio: object, location: str) -> None:
    try:
        fileio.delete(location)  # type: ignore[attr-defined]
    except OSError:
        pass  # an orphan: `corpus maintain` removes it
