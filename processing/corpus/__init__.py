"""The article corpus: an Apache Iceberg table (docs/corpus.md).

``open_corpus()`` is the way in. By default it opens the corpus **for reading**: it creates
nothing anywhere (no bucket, catalog file, namespace, table or metadata file), and finds the
table through the configured catalog — or, with the embedded default catalog on a machine
that does not hold it, through the table's ``metadata/version-hint.text`` in the bucket, so a
downstream team needs only S3 access::

    corpus = open_corpus()
    corpus.read(["article_id", "title"], outlet="sohr_ar")   # pyarrow.Table, current snapshot
    corpus.changes(since=snapshot_id)                          # the change feed

The pipeline opens it for writing (``open_corpus(write=True)``), which creates the bucket,
namespace and tables on first use::

    corpus.commit(rows, run_id=..., kind="daily")             # one atomic upsert, one snapshot
    corpus.delete(ids, run_id=..., reason=...)                # a takedown

Raw WARC, run manifests and the translation cache stay plain S3 objects (``corpus.store``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypedDict

import pyarrow as pa

from processing.core.config import Settings
from processing.core.errors import (
    CatalogUnavailable,
    CommitConflict,
    CorpusUnreadable,
    ReadOnlyCorpus,
    SnapshotNotFound,
    TableMissing,
)
from processing.core.records import ArticleRow
from processing.core.s3 import ObjectStore, open_store
from processing.corpus import schema
from processing.corpus.catalog import describe, embedded_catalog, load_catalog, s3_properties
from processing.corpus.changes import Change, changes
from processing.corpus.schema import ARTICLE_SCHEMA, COLUMNS, from_arrow, to_arrow
from processing.corpus.table import ArticlesTable, CommitResult

if TYPE_CHECKING:
    from pyiceberg.catalog import Catalog
    from pyiceberg.expressions import BooleanExpression
    from pyiceberg.table import Table

logger = logging.getLogger(__name__)

__all__ = [
    "ARTICLE_SCHEMA",
    "COLUMNS",
    "CatalogUnavailable",
    "Change",
    "CommitConflict",
    "CommitResult",
    "Corpus",
    "CorpusUnreadable",
    "ReadOnlyCorpus",
    "SnapshotInfo",
    "SnapshotNotFound",
    "TableMissing",
    "from_arrow",
    "open_corpus",
    "to_arrow",
]


class SnapshotInfo(TypedDict):
    """One snapshot of the table as ``Corpus.snapshots`` lists it (a whole commit)."""

    snapshot_id: int
    parent_id: int | None
    committed_at: str  # ISO 8601, UTC
    operation: str | None  # append | overwrite | delete | replace
    run_id: str | None  # the newsloom run that wrote it
    kind: str | None  # daily | backfill | retranslate | ... | link | outlets
    counts: str | None  # the run's counts, as JSON text
    total_records: int | None


@dataclass
class Corpus:
    """One deployment's corpus: its S3 store and its tables (``articles``, ``outlets``)."""

    settings: Settings
    store: ObjectStore
    locator: TableLocator
    articles: ArticlesTable

    @property
    def writable(self) -> bool:
        return self.locator.write

    @property
    def catalog(self) -> Catalog | None:
        return self.locator.catalog

    def read(
        self,
        columns: Sequence[str] | None = None,
        outlet: str | None = None,
        row_filter: BooleanExpression | None = None,
        snapshot_id: int | None = None,
    ) -> pa.Table:
        """Current articles (or those of ``snapshot_id``) as a table with the corpus schema
        (or just ``columns``), optionally one outlet's, optionally filtered (an expression
        from ``processing.corpus.expr``)."""
        return self.articles.read(columns, outlet, row_filter, snapshot_id)

    def rows(
        self, outlet: str | None = None, row_filter: BooleanExpression | None = None
    ) -> list[ArticleRow]:
        return from_arrow(self.read(None, outlet, row_filter))

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
        """Upsert ``rows`` in one snapshot; ``properties``: extra ``newsloom.*`` entries for
        the snapshot's summary (a stage's progress marker)."""
        return self.articles.commit(
            rows,
            run_id=run_id,
            kind=kind,
            force=force,
            keep_ingested_at=keep_ingested_at,
            properties=properties,
        )

    def delete(self, ids: Iterable[str], *, run_id: str, reason: str) -> CommitResult:
        """Remove articles (a takedown), in one snapshot with a ``delete`` event each."""
        return self.articles.delete(ids, run_id=run_id, reason=reason)

    def changes(
        self,
        since: int | datetime | str | None = None,
        until: int | datetime | str | None = None,
    ) -> list[Change]:
        return changes(self.articles, since, until)

    def snapshot_id(self) -> int | None:
        return self.articles.current_snapshot_id()

    def snapshots(self) -> list[SnapshotInfo]:
        """Every snapshot of the table, oldest first: id, parent, time, operation, the
        writing run and kind, and its counts. Each is a whole commit."""
        from processing.corpus.writer import (
            COUNTS_PROPERTY,
            KIND_PROPERTY,
            RUN_PROPERTY,
            parent_of,
        )

        tbl = self.articles.table()
        out: list[SnapshotInfo] = []
        for s in sorted(tbl.metadata.snapshots, key=lambda s: s.timestamp_ms):
            props = dict(s.summary.additional_properties) if s.summary else {}
            out.append(
                SnapshotInfo(
                    snapshot_id=s.snapshot_id,
                    parent_id=parent_of(s),
                    committed_at=datetime.fromtimestamp(s.timestamp_ms / 1000, UTC).isoformat(),
                    operation=str(s.summary.operation.value) if s.summary else None,
                    run_id=props.get(RUN_PROPERTY),
                    kind=props.get(KIND_PROPERTY),
                    counts=props.get(COUNTS_PROPERTY),
                    total_records=_int(props.get("total-records")),
                )
            )
        return out

    # ---- the outlets table ----------------------------------------------------------------
    def sync_outlets(self, rows: Sequence[Mapping[str, object]]) -> bool:
        """Make the ``outlets`` table hold exactly ``rows`` (one snapshot, only if different).
        A commit that keeps conflicting is given up with a warning: the table is refreshed by
        the next run anyway, and an article publish must not fail over it."""
        from processing.corpus.outlets_table import sync_outlets

        return sync_outlets(self.locator.loader(schema.OUTLETS_TABLE_NAME), rows)

    def read_outlets(self) -> pa.Table:
        try:
            tbl = self.locator.loader(schema.OUTLETS_TABLE_NAME)()
        except TableMissing:
            return schema.outlets_arrow_schema().empty_table()
        if tbl.current_snapshot() is None:
            return schema.outlets_arrow_schema().empty_table()
        return tbl.scan().to_arrow()


def _catalog_tables_missing(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "iceberg_tables" in text and ("no such table" in text or "does not exist" in text)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


class TableLocator:
    """Where the corpus tables are, for a reader or a writer.

    - A writer (``write=True``) uses the configured catalog, creating the namespace and the
      tables on first use (and bringing an older table's schema and properties up to date).
    - A reader uses the configured catalog too, except with the embedded default (SQLite in
      a state directory) on a machine whose state directory has no catalog: then it opens the
      table the catalog-less way, from ``<warehouse>/<namespace>/<table>/metadata/
      version-hint.text``. A reader creates nothing.
    """

    def __init__(self, settings: Settings, endpoint: str | None, write: bool) -> None:
        self.settings = settings
        self.endpoint = endpoint
        self.write = write
        self.properties = s3_properties(settings, endpoint)
        self.static = (
            not write and embedded_catalog(settings) and not settings.sqlite_catalog_path.exists()
        )
        self.catalog: Catalog | None = (
            None if self.static else load_catalog(settings, endpoint, create=write)
        )

    def location(self, name: str) -> str:
        """The table's root: ``<warehouse>/<namespace>/<name>``."""
        s = self.settings
        return f"{s.warehouse.rstrip('/')}/{s.catalog_namespace}/{name}"

    def identifier(self, name: str) -> str:
        return f"{self.settings.catalog_namespace}.{name}"

    def where(self, name: str) -> str:
        if self.static:
            return f"{self.location(name)} (metadata/version-hint.text; no catalog configured)"
        return f"{self.identifier(name)} in the {describe(self.settings)}"

    def loader(self, name: str) -> Callable[[], Table]:
        if self.static:
            return lambda: self._static(name)
        return lambda: self._from_catalog(name)

    def _static(self, name: str) -> Table:
        from pyiceberg.table import StaticTable

        root = self.location(name)
        last: Exception | None = None
        for _ in range(3):  # the hint may move on between reading it and its metadata file
            try:
                return StaticTable.from_metadata(root, properties=self.properties)
            except FileNotFoundError as exc:
                last = exc
            except OSError as exc:
                if "not found" not in str(exc).lower() and "nosuchkey" not in str(exc).lower():
                    raise
                last = exc
        raise TableMissing(
            f"no {name} table at {root}: {root}/metadata/version-hint.text or the metadata "
            f"file it names is missing ({type(last).__name__}). Set NEWSLOOM_S3_BUCKET / "
            "NEWSLOOM_CATALOG_WAREHOUSE to the producer's, or NEWSLOOM_CATALOG* to its catalog"
        ) from last

    def _from_catalog(self, name: str) -> Table:
        from pyiceberg.exceptions import NoSuchTableError

        from processing.corpus.retry import connection_retrying, is_connection_error

        assert self.catalog is not None
        try:
            for attempt in connection_retrying():
                with attempt:
                    tbl = self.catalog.load_table(self.identifier(name))
        except NoSuchTableError:
            if not self.write:
                if embedded_catalog(self.settings):
                    return self._static(name)  # this machine's catalog never held it
                raise TableMissing(
                    f"no table {self.identifier(name)} in the {describe(self.settings)}"
                ) from None
            tbl = self._create(name)
        except Exception as exc:
            if _catalog_tables_missing(exc):  # a catalog database nobody has written to yet
                raise TableMissing(
                    f"no table {self.identifier(name)} in the {describe(self.settings)} (its "
                    "catalog tables do not exist)"
                ) from None
            if is_connection_error(exc):
                raise CatalogUnavailable(
                    f"{describe(self.settings)}: {type(exc).__name__}: {str(exc).splitlines()[0]}"
                ) from exc
            raise
        if self.write and name == schema.TABLE_NAME:
            from processing.corpus.setup import upgrade_articles

            tbl = upgrade_articles(tbl)
        return tbl

    def _create(self, name: str) -> Table:
        from processing.corpus.setup import create_table

        assert self.catalog is not None
        return create_table(self.catalog, self.identifier(name), name, self.location(name))


def open_corpus(
    store: ObjectStore | None = None, settings: Settings | None = None, *, write: bool = False
) -> Corpus:
    """The corpus, for reading (default) or for writing (``write=True``).

    Raises ``StoreUnavailable``/``BucketMissing`` (S3), ``CatalogUnavailable`` (catalog) or,
    on a read, ``TableMissing`` (no table where it looked) with the cause.
    """
    settings = settings or Settings.from_env()
    store = store or open_store(settings, create_bucket=write)
    locator = TableLocator(settings, store.endpoint, write)
    articles = ArticlesTable(
        locator.loader(schema.TABLE_NAME), locator.where(schema.TABLE_NAME), writable=write
    )
    corpus = Corpus(settings, store, locator, articles)
    if not write:
        articles.table()  # a missing table is a one-line error now, not at the first read
    logger.debug(
        "corpus (%s): %s, warehouse %s",
        "write" if write else "read",
        describe(settings),
        settings.warehouse,
    )
    return corpus
