"""The article corpus: an Apache Iceberg table in a catalog (docs/corpus.md).

``open_corpus()`` is the way in; it connects S3 (starting the embedded server if configured)
and the catalog, and creates the tables on first use::

    corpus = open_corpus()
    corpus.read(["article_id", "title"], outlet="sohr_ar")   # pyarrow.Table, current snapshot
    corpus.commit(rows, run_id=..., kind="daily")             # one atomic upsert
    corpus.changes(since=snapshot_id)                          # the change feed

Raw WARC, run manifests and the translation cache stay plain S3 objects (``corpus.store``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from processing.core.config import Settings
from processing.core.records import ArticleRow
from processing.core.s3 import ObjectStore, open_store
from processing.corpus import schema
from processing.corpus.catalog import CatalogUnavailable, describe, load_catalog
from processing.corpus.changes import Change, SnapshotNotFound, changes
from processing.corpus.schema import ARTICLE_SCHEMA, COLUMNS, from_arrow, to_arrow
from processing.corpus.table import ArticlesTable, CommitConflict, CommitResult, CorpusUnreadable

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
    "SnapshotNotFound",
    "from_arrow",
    "open_corpus",
    "to_arrow",
]


@dataclass
class Corpus:
    """One deployment's corpus: its S3 store, its catalog and the ``articles`` table."""

    settings: Settings
    store: ObjectStore
    catalog: Any
    articles: ArticlesTable

    def read(
        self,
        columns: Sequence[str] | None = None,
        outlet: str | None = None,
        row_filter: Any = None,
        snapshot_id: int | None = None,
    ) -> pa.Table:
        """Current articles (or those of ``snapshot_id``) as a table with the corpus schema
        (or just ``columns``), optionally one outlet's, optionally filtered (a pyiceberg
        expression such as ``EqualTo("language", "ar")``)."""
        return self.articles.read(columns, outlet, row_filter, snapshot_id)

    def rows(self, outlet: str | None = None, row_filter: Any = None) -> list[ArticleRow]:
        return from_arrow(self.read(None, outlet, row_filter))

    def commit(
        self,
        rows: Iterable[ArticleRow],
        *,
        run_id: str,
        kind: str,
        force: bool = False,
        keep_ingested_at: bool = False,
    ) -> CommitResult:
        return self.articles.commit(
            rows, run_id=run_id, kind=kind, force=force, keep_ingested_at=keep_ingested_at
        )

    def changes(
        self,
        since: int | datetime | str | None = None,
        until: int | datetime | str | None = None,
    ) -> list[Change]:
        return changes(self.articles, since, until)

    def snapshot_id(self) -> int | None:
        return self.articles.current_snapshot_id()

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot of the table: id, time, operation and newsloom's run/commit."""
        tbl = self.articles.table()
        out = []
        for s in tbl.metadata.snapshots:
            props = dict(s.summary.additional_properties) if s.summary else {}
            out.append(
                {
                    "snapshot_id": s.snapshot_id,
                    "parent_id": s.parent_snapshot_id,
                    "committed_at": datetime.fromtimestamp(s.timestamp_ms / 1000, UTC).isoformat(),
                    "operation": str(s.summary.operation.value) if s.summary else None,
                    "run_id": props.get("newsloom.run_id"),
                    "kind": props.get("newsloom.kind"),
                }
            )
        return out

    # ---- the outlets table ----------------------------------------------------------------
    def sync_outlets(self, rows: list[dict[str, Any]], attempts: int = 5) -> bool:
        """Make the ``outlets`` table hold exactly ``rows`` (one commit, only if different).
        A commit that keeps conflicting is given up with a warning: the table is refreshed by
        the next run anyway, and an article publish must not fail over it."""
        from pyiceberg.exceptions import CommitFailedException

        for attempt in range(attempts):
            try:
                return self._sync_outlets(rows)
            except CommitFailedException as exc:
                logger.info("outlets table commit conflict (%s), attempt %d", exc, attempt + 1)
        logger.warning("outlets table not updated: %d conflicting commits", attempts)
        return False

    def _sync_outlets(self, rows: list[dict[str, Any]]) -> bool:
        from pyiceberg.exceptions import NoSuchTableError, TableAlreadyExistsError

        ident = f"{self.settings.catalog_namespace}.{schema.OUTLETS_TABLE_NAME}"
        arrow_schema = schema.outlets_arrow_schema()
        try:
            tbl = self.catalog.load_table(ident)
        except NoSuchTableError:
            try:
                tbl = self.catalog.create_table(ident, schema=arrow_schema)
            except TableAlreadyExistsError:
                tbl = self.catalog.load_table(ident)
        keys = [c for c in arrow_schema.names if c != "updated_at"]
        current = tbl.scan().to_arrow().select(keys).sort_by("id").to_pylist()
        wanted = sorted(({k: r.get(k) for k in keys} for r in rows), key=lambda r: str(r["id"]))
        if current == wanted:
            return False
        now = datetime.now(UTC)
        table = pa.Table.from_pylist(
            [{**r, "updated_at": now} for r in wanted], schema=arrow_schema
        )
        if current:
            tbl.overwrite(table, snapshot_properties={"newsloom.kind": "outlets"})
        else:
            tbl.append(table, snapshot_properties={"newsloom.kind": "outlets"})
        logger.info("outlets table: %d outlet(s) written", len(wanted))
        return True

    def read_outlets(self) -> pa.Table:
        from pyiceberg.exceptions import NoSuchTableError

        ident = f"{self.settings.catalog_namespace}.{schema.OUTLETS_TABLE_NAME}"
        try:
            return self.catalog.load_table(ident).scan().to_arrow()
        except NoSuchTableError:
            return schema.outlets_arrow_schema().empty_table()


def open_corpus(store: ObjectStore | None = None, settings: Settings | None = None) -> Corpus:
    """Connect the configured S3 store and catalog (see ``processing.corpus.catalog``).

    Raises ``StoreUnavailable`` (S3) or ``CatalogUnavailable`` (catalog) with the cause.
    """
    settings = settings or Settings.from_env()
    store = store or open_store(settings)
    catalog = load_catalog(settings, store.endpoint)
    corpus = Corpus(settings, store, catalog, ArticlesTable(catalog, settings.catalog_namespace))
    logger.debug("corpus: %s, warehouse %s", describe(settings), settings.warehouse)
    return corpus
