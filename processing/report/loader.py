"""The report's only data access: the run manifests and the article columns it needs.

Everything else in :mod:`processing.report` works on the :class:`ReportInputs` this module
returns, so a change of storage (Parquet partitions today, an Iceberg table tomorrow) touches
this file alone, and only through the two stable reading APIs:
``processing.corpus.open_corpus(store).read(columns=...)`` and
``processing.pipeline.manifest.list_manifests(store)``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as day_start

import pyarrow as pa
import pyarrow.compute as pc

from processing.core.jsontypes import JSONValue
from processing.core.s3 import ObjectStore

logger = logging.getLogger(__name__)

# Columns the report reads when the corpus has them (``ingested_at``/``updated_at`` arrive
# with the v2 table; older corpora simply lack them). ``text`` is reduced to its length on
# load so a year of bodies is never held in memory.
WANTED_COLUMNS = (
    "outlet",
    "title",
    "text",
    "language",
    "published_at",
    "published_at_source",
    "authors",
    "tags",
    "section",
    "description",
    "sources",
    "duplicate_of",
    "story_id",
    "translation_status",
    "translated_at",
    "fetched_at",
    "first_seen_at",
    "ingested_at",
    "updated_at",
    "run_id",
)


@dataclass(frozen=True)
class ReportInputs:
    """What the report and the health rules are computed from.

    ``articles`` has the columns of :data:`WANTED_COLUMNS` that the corpus offers, with
    ``text`` replaced by ``body_chars`` (int64). ``manifests`` are the run manifests as
    stored (crawl and maintenance runs alike; read them defensively).
    """

    articles: pa.Table
    manifests: list[dict[str, JSONValue]]


def reduce_articles(table: pa.Table) -> pa.Table:
    """Replace ``text`` by its length in characters (``body_chars``)."""
    if "text" not in table.column_names:
        return table
    lengths = pc.fill_null(pc.utf8_length(table.column("text")), 0).cast(pa.int64())
    i = table.column_names.index("text")
    return table.remove_column(i).append_column("body_chars", lengths)


def load_inputs(
    store: ObjectStore, outlet: str | None = None, since: date | None = None
) -> ReportInputs:
    """Read the manifests and the wanted article columns (of one outlet, or all).

    ``since``: only manifests written on or after that day. A run covers days before it is
    written, so no manifest written earlier can speak for a day from ``since`` on."""
    from processing.core.errors import TableMissing
    from processing.corpus import ARTICLE_SCHEMA, open_corpus
    from processing.pipeline.manifest import list_manifests

    started = time.monotonic()
    available = set(ARTICLE_SCHEMA.names)
    columns = [c for c in WANTED_COLUMNS if c in available]
    try:
        table = open_corpus(store).read(columns=columns, outlet=outlet)
    except TableMissing:  # no run has committed yet: the manifests still tell what happened
        logger.info("no articles table yet; the report covers the run manifests only")
        table = ARTICLE_SCHEMA.empty_table().select(columns)
    articles = reduce_articles(table)
    after = datetime.combine(since, day_start(), UTC) if since else None
    manifests = [
        m
        for m in list_manifests(store, since=after)
        if outlet is None or m.get("outlet") in (None, outlet) or _mentions(m, outlet)
    ]
    logger.info(
        "report inputs: %d articles, %d manifests in %.1f s",
        articles.num_rows,
        len(manifests),
        time.monotonic() - started,
    )
    return ReportInputs(articles=articles, manifests=manifests)


def _mentions(manifest: Mapping[str, object], outlet: str) -> bool:
    return f".{outlet}." in str(manifest.get("run_id", ""))
