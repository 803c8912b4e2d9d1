"""Creating the corpus tables, and bringing an older ``articles`` table up to date (writers
only).

The ``articles`` table is partitioned by ``identity(outlet)`` and ``month(published_at)``
(hidden partitioning: readers filter on ``published_at`` and Iceberg prunes months) and
sorted by ``published_at, article_id`` inside each file. Tables created by earlier versions
(partitioned by ``day(published_at)``) keep their layout and are written the same way.

Table properties (Iceberg's own where one exists):

- ``commit.retry.num-retries`` 0: newsloom retries commits itself (re-apply or re-plan);
- ``write.metadata.delete-after-commit.enabled`` true and
  ``write.metadata.previous-versions-max`` 2: old metadata files are deleted;
- ``history.expire.max-snapshot-age-ms`` 30 days and ``newsloom.history.max-snapshots`` 200:
  snapshots (time travel) are kept this long and at most this many (the change feed reaches
  further: the writers' history object); a tagged snapshot is never expired;
- ``newsloom.commit.small-file-bytes`` 8 MiB and ``newsloom.commit.max-small-files`` 8: a
  commit adds its rows to a partition as a new file, and folds the partition's files smaller
  than 8 MiB into one when there would be more than 8 of them (maintenance compacts the
  rest);
- ``write.target-file-size-bytes`` 128 MiB: where data files are cut;
- ``write.metadata.metrics.*``: column bounds only for times, outlet, language and statuses
  (what filters use), counts for the other columns.
"""

from __future__ import annotations

import logging

import pyarrow as pa
from pyiceberg.catalog import Catalog
from pyiceberg.table import Table

from processing.corpus import schema as S
from processing.corpus import writer as W

logger = logging.getLogger(__name__)

# column statistics kept in manifests: bounds where a filter can use them (times, outlet,
# language, status), counts elsewhere (bounds of long texts or hash-like ids prune nothing and
# made every manifest entry kilobytes long)
METRICS: dict[str, str] = {
    "write.metadata.metrics.default": "counts",
    **{
        f"write.metadata.metrics.column.{c}": "truncate(16)"
        for c in (
            "outlet",
            "language",
            "published_at",
            "modified_at",
            "fetched_at",
            "ingested_at",
            "updated_at",
            "translated_at",
            "translation_status",
            "published_at_source",
        )
    },
}

ARTICLE_PROPERTIES: dict[str, str] = {
    **METRICS,
    "commit.retry.num-retries": "0",
    "write.parquet.compression-codec": "zstd",
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": str(W.PREVIOUS_VERSIONS_DEFAULT),
    W.MAX_AGE_PROPERTY: str(W.MAX_AGE_DEFAULT_MS),
    W.MAX_SNAPSHOTS_PROPERTY: str(W.MAX_SNAPSHOTS_DEFAULT),
    W.SMALL_FILE_PROPERTY: str(W.SMALL_FILE_DEFAULT),
    W.MAX_SMALL_FILES_PROPERTY: str(W.MAX_SMALL_FILES_DEFAULT),
    "write.target-file-size-bytes": str(128 * 1024 * 1024),
}
OUTLETS_PROPERTIES: dict[str, str] = {
    "write.parquet.compression-codec": "zstd",
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "20",
}


def create_table(catalog: Catalog, identifier: str, name: str, location: str) -> Table:
    """Create table ``name`` at ``location`` (concurrently safe: a table a concurrent first
    writer created is loaded instead)."""
    from pyiceberg.exceptions import TableAlreadyExistsError

    try:
        if name == S.TABLE_NAME:
            schema = S.iceberg_schema()
            tbl = catalog.create_table(
                identifier,
                schema=schema,
                location=location,
                partition_spec=S.partition_spec(schema),
                sort_order=S.sort_order(schema),
                properties={
                    **ARTICLE_PROPERTIES,
                    "format-version": "2",
                    "newsloom.schema_version": S.SCHEMA_VERSION,
                    "comment": "newsloom articles: one row per article (docs/corpus.md)",
                },
            )
        else:
            tbl = catalog.create_table(
                identifier,
                schema=S.outlets_arrow_schema(),
                location=location,
                properties={**OUTLETS_PROPERTIES, "format-version": "2"},
            )
    except TableAlreadyExistsError:
        return catalog.load_table(identifier)
    logger.info("created table %s at %s", identifier, location)
    W.publish_version_hint(tbl)
    return tbl


def upgrade_articles(tbl: Table) -> Table:
    """Add the columns of the current schema that an older table lacks (optional columns
    only: a minor version) and the properties it does not set yet. A concurrent writer doing
    the same first is not an error."""
    from pyiceberg.exceptions import CommitFailedException

    for _ in range(5):
        try:
            return _upgrade(tbl)
        except CommitFailedException:
            tbl = tbl.refresh()
    return _upgrade(tbl)


def _upgrade(tbl: Table) -> Table:
    names = set(tbl.metadata.schema().column_names)
    missing = [f for f in S.ARTICLE_SCHEMA if f.name not in names]
    if missing:
        with tbl.update_schema() as update:
            update.union_by_name(pa.schema(missing))
        logger.info("articles table: added column(s) %s", ", ".join(f.name for f in missing))
    unset = {k: v for k, v in ARTICLE_PROPERTIES.items() if k not in tbl.metadata.properties}
    if unset:
        tbl.transaction().set_properties(unset).commit_transaction()
        logger.info("articles table: set propert(ies) %s", ", ".join(sorted(unset)))
    if missing or unset:
        W.publish_version_hint(tbl)
    return tbl
