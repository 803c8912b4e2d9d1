"""``newsloom corpus migrate``: move a v1 corpus (Hive-partitioned Parquet) into the table.

Each v1 outlet's rows are committed like any run (kind ``migrate``), so a second migration
changes nothing and an article already in the table keeps its newer version unless the v1
row differs. The v1 objects are left in place (delete ``articles/v1/`` once readers moved).
"""

from __future__ import annotations

import logging

from processing.core.records import ArticleRow
from processing.core.runspec import new_attempt
from processing.core.urls import article_id
from processing.corpus import CommitResult, Corpus
from processing.corpus.legacy import read_v1_partition, v1_partitions
from processing.pipeline.reports import MigrateReport
from processing.pipeline.stages import commit_by_day

logger = logging.getLogger(__name__)


def migrate_v1(corpus: Corpus, outlet: str | None = None) -> MigrateReport:
    run_id = f"migrate.{outlet or 'all'}.{new_attempt()}"
    objects = v1_partitions(corpus.store, outlet)
    rows: list[ArticleRow] = []
    for _, _, key in objects:
        for d in read_v1_partition(corpus.store, key):
            # v1 ids hashed the canonical URL itself; today's hash its identity form (https,
            # no trailing slash), so re-key: a re-crawled article must meet its own row
            canonical = d["canonical_url"]
            if not isinstance(canonical, str):
                raise ValueError(f"a v1 row of {key} has no canonical_url")
            d["article_id"] = article_id(canonical)
            rows.append(ArticleRow.from_dict(d))
    result = CommitResult()
    by_outlet: dict[str, list[ArticleRow]] = {}
    for r in rows:
        by_outlet.setdefault(r.outlet, []).append(r)
    for name in sorted(by_outlet):
        result.add(commit_by_day(corpus, by_outlet[name], run_id, "migrate", keep_ingested_at=True))
    logger.info("migrated %d v1 row(s) from %d object(s)", len(rows), len(objects))
    if result.changed:
        from processing.pipeline.links import link_after

        link_after(corpus, corpus.settings, run_id)
    return MigrateReport(
        run_id=run_id,
        objects=len(objects),
        rows=len(rows),
        new=result.new,
        unchanged=result.unchanged,
        snapshot_id=result.snapshot_id,
    )
