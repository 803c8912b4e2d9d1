"""Corpus maintenance without re-crawling: re-translation, re-processing from raw WARC, and
the table's own upkeep (snapshot expiry, compaction, orphan files, old staging objects).

Re-translation and re-processing rewrite rows through the normal commit (``force``), so row
counts stay the same, nothing is duplicated, and every rewritten row gets a new
``updated_at`` and this run's ``run_id`` (the change feed shows them as updates). Each writes
a manifest in the common shape (``processing.pipeline.manifest``).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from processing.core import layout
from processing.core.config import Settings
from processing.core.records import TRANSLATION_COLUMNS, ArticleRow, FetchRecord
from processing.core.runspec import new_attempt
from processing.core.warc import RawRef, RawResponse, read_record
from processing.corpus import CommitResult, Corpus
from processing.extraction import ExtractionError, extractor_version
from processing.pipeline.links import link_after, prepare_rows
from processing.pipeline.manifest import RunManifest, base_manifest
from processing.pipeline.stages import apply_translations, article_row, commit_by_day
from processing.stories import LINK_COLUMNS

if TYPE_CHECKING:
    from pyiceberg.expressions import BooleanExpression

logger = logging.getLogger(__name__)

BATCH_ROWS = 256  # rows translated and committed together


class Progress(Protocol):
    """What the maintenance jobs report progress to (``processing.cli.progress`` fits)."""

    def __call__(self, n: int = 1) -> None: ...

    def set_total(self, total: int) -> None: ...


def _finish(
    corpus: Corpus,
    manifest: RunManifest,
    result: CommitResult,
    started: float,
) -> RunManifest:
    c = manifest["counts"]
    c["stored"] = {
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "moved": result.moved,
        "total": result.new + result.updated + result.unchanged,
    }
    manifest["snapshot_id"] = result.snapshot_id
    manifest["committed_at"] = datetime.now(UTC).isoformat()
    manifest["timings"] = {"seconds": round(time.monotonic() - started, 2)}
    corpus.store.put_json(layout.manifest_key(manifest["run_id"]), manifest)
    return manifest


def needs_translation_filter(model: str, everything: bool) -> BooleanExpression:
    """Rows to (re)translate: pending or failed ones, and rows another model translated
    (every non-English row with ``everything``)."""
    from processing.corpus.expr import both, either, eq, isin, ne

    if everything:
        return ne("translation_status", "source_english")
    return either(
        isin("translation_status", ["pending", "failed"]),
        both(eq("translation_status", "translated"), ne("translation_model", model)),
    )


def retranslate(
    corpus: Corpus,
    settings: Settings,
    outlet: str | None = None,
    everything: bool = False,
    progress: Progress | None = None,
) -> RunManifest:
    """Fill pending translations and redo rows made by another model than the configured one.

    One translator (one model load) for the whole run; rows go through it in batches of
    ``BATCH_ROWS`` (their segments share the model's token batches) and each batch is one
    commit. When the model cannot be used at all, the run stops after the first batch and its
    manifest says ``skipped`` with the reason (nothing is rewritten).
    """
    from processing.translation import Translator

    run_id = f"retranslate.{outlet or 'all'}.{new_attempt()}"
    manifest = base_manifest(run_id, "retranslate", outlet)
    started = time.monotonic()
    todo = corpus.rows(outlet, needs_translation_filter(settings.translation_model, everything))
    todo.sort(key=lambda r: (r.outlet, r.published_at or datetime.min.replace(tzinfo=UTC)))
    c = manifest["counts"]
    c["selected"] = len(todo)
    if progress:
        progress.set_total(len(todo))
    statuses: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    result = CommitResult()
    translator = Translator(settings, corpus.store)
    try:
        for i in range(0, len(todo), BATCH_ROWS):
            batch, got = apply_translations(todo[i : i + BATCH_ROWS], translator)
            statuses.update(got)
            reasons.update(
                r.translation_reason or "" for r in batch if r.translation_status == "pending"
            )
            if i == 0 and got.get("pending") == len(batch):
                manifest["status"] = "skipped"
                manifest["reason"] = "translation model unavailable: " + (
                    reasons.most_common(1)[0][0] or "?"
                )
                break
            changed = [
                r for r in batch if r.translation_status in ("translated", "failed") or everything
            ]
            if changed:
                changed = prepare_rows(corpus, changed)  # the English text's fingerprint
                result.add(corpus.commit(changed, run_id=run_id, kind="retranslate", force=True))
            if progress:
                progress(len(batch))
    finally:
        translator.close()
    c.update(
        {
            "translated": statuses.get("translated", 0),
            "source_english": statuses.get("source_english", 0),
            "pending": statuses.get("pending", 0),
            "translation_failed": statuses.get("failed", 0),
        }
    )
    manifest["translation"] = {
        "model": settings.translation_model,
        "reasons": dict(reasons.most_common(5)),
        "stats": {k: v for k, v in translator.stats.items() if v},
        "target_tokens_per_s": round(translator.target_tokens_per_s, 1),
    }
    if not todo:
        manifest.update({"status": "skipped", "reason": "no row needs translation"})
    if result.changed:  # translations link Arabic articles to English ones
        manifest["links"] = link_after(corpus, settings, run_id)
    _finish(corpus, manifest, result, started)
    logger.info(
        "retranslate %s done: %d selected, %s; %d rewritten (%s); %d target tokens, "
        "%.0f target tokens/s",
        run_id,
        len(todo),
        dict(statuses),
        result.updated,
        manifest["status"] if manifest["reason"] is None else manifest["reason"],
        translator.stats["target_tokens"],
        translator.target_tokens_per_s,
    )
    return manifest


def _fetch_for(old: ArticleRow, raw: RawResponse) -> FetchRecord:
    return FetchRecord(
        url=old.url,
        role="article",
        outcome="fetched",
        status=raw.status,
        final_url=raw.url,
        content_type=raw.header("content-type"),
        raw_ref=old.raw_ref,
        fetched_at=old.fetched_at.isoformat(),
        canonical_url=old.canonical_url,
    )


def reprocess(
    corpus: Corpus,
    settings: Settings,
    outlet_id: str,
    first: date,
    last: date,
    translate: bool = True,
    progress: Progress | None = None,
) -> RunManifest:
    """Rebuild the rows published in [first, last] from their raw WARC records with the
    current extractor (and translation where the text changed); rows that no longer pass
    extraction are kept as they were and counted under ``rejected``."""
    from crawlers.registry import get_outlet
    from processing.corpus.expr import published_days

    outlet = get_outlet(outlet_id, settings.outlets_dirs)
    run_id = f"reprocess.{outlet_id}.{first.isoformat()}..{last.isoformat()}.{new_attempt()}"
    manifest = base_manifest(run_id, "reprocess", outlet_id)
    manifest.update({"first": first.isoformat(), "last": last.isoformat()})
    started = time.monotonic()
    rows = corpus.rows(outlet_id, published_days(first, last))
    if progress:
        progress.set_total(len(rows))
    problems: Counter[str] = Counter()
    rebuilt: list[ArticleRow] = []
    for old in rows:
        if not old.raw_ref:
            problems["no_raw_ref"] += 1
            continue
        try:
            ref = RawRef.parse(old.raw_ref)
            raw = read_record(corpus.store.get_range(ref.key, ref.offset, ref.length))
            new = article_row(outlet, run_id, _fetch_for(old, raw), raw.body, settings)
        except ExtractionError as exc:
            problems[exc.reason] += 1
            continue
        # identity never changes on reprocessing; the links stay until the link pass
        new = replace(
            new,
            article_id=old.article_id,
            canonical_url=old.canonical_url,
            **{c: getattr(old, c) for c in LINK_COLUMNS},
        )
        if new.content_hash == old.content_hash and old.translation_status in (
            "translated",
            "source_english",
        ):
            new = replace(new, **{k: getattr(old, k) for k in TRANSLATION_COLUMNS})
        rebuilt.append(new)
        if progress:
            progress(1)
    statuses: Counter[str] = Counter()
    pending = [r for r in rebuilt if r.translation_status == "pending"]
    if translate and pending:
        from processing.translation import Translator

        translator = Translator(settings, corpus.store)
        try:
            done, statuses = apply_translations(pending, translator)
        finally:
            translator.close()
        by_id = {r.article_id: r for r in done}
        rebuilt = [by_id.get(r.article_id, r) for r in rebuilt]
    result = commit_by_day(corpus, rebuilt, run_id, "reprocess", force=True)
    if result.changed:
        manifest["links"] = link_after(corpus, settings, run_id)
    c = manifest["counts"]
    c.update(
        {
            "examined": len(rows),
            "selected": len(rebuilt),
            "rejected": dict(problems),
            "translated": statuses.get("translated", 0),
            "pending": statuses.get("pending", 0),
            "translation_failed": statuses.get("failed", 0),
        }
    )
    manifest["versions"] = manifest["versions"] | {"extractor": extractor_version()}
    if not rows:
        manifest.update(
            {"status": "skipped", "reason": f"no rows of {outlet_id} in {first}..{last}"}
        )
    _finish(corpus, manifest, result, started)
    logger.info(
        "reprocess %s done: %d examined, %d rebuilt, %d rewritten; problems %s",
        run_id,
        len(rows),
        len(rebuilt),
        result.updated,
        dict(problems) or "none",
    )
    return manifest


def clean_staging(corpus: Corpus, older_than: timedelta) -> int:
    """Delete staging objects older than ``older_than`` (their runs are long finished)."""
    cutoff = datetime.now(UTC) - older_than
    old = [
        o["Key"]
        for o in corpus.store.list_objects(layout.STAGING_PREFIX)
        if o["LastModified"] < cutoff
    ]
    for key in old:
        corpus.store.delete(key)
    return len(old)


def maintain_table(
    corpus: Corpus,
    retention: timedelta = timedelta(days=30),
    orphan_grace: timedelta = timedelta(days=3),
    staging_retention: timedelta = timedelta(days=14),
) -> RunManifest:
    """Expire snapshots past ``retention``, compact partitions (moving a day-partitioned
    table of an earlier version to month partitions first), remove orphan files older than
    ``orphan_grace`` and staging objects older than ``staging_retention``, and rewrite the
    table's version hint."""
    from processing.corpus import maintenance as m

    run_id = f"maintenance.table.{new_attempt()}"
    manifest = base_manifest(run_id, "maintenance", None)
    started = time.monotonic()
    before = m.table_stats(corpus.articles.table())
    respec = m.respec_to_month(corpus.articles)
    compacted = m.compact(corpus.articles)
    expired = m.expire_snapshots(corpus.articles, retention)
    orphans = m.remove_orphans(corpus.articles, corpus.store, orphan_grace)
    staged = clean_staging(corpus, staging_retention)
    m.publish_version_hint(corpus.articles)
    after = m.table_stats(corpus.articles.table())
    manifest["maintenance"] = compacted.to_dict() | {
        "expired_snapshots": expired,
        "orphans_removed": orphans,
        "staging_removed": staged,
        "respec": respec,
        "before": before,
        "after": after,
    }
    manifest["snapshot_id"] = corpus.snapshot_id()
    manifest["timings"] = {"seconds": round(time.monotonic() - started, 2)}
    corpus.store.put_json(layout.manifest_key(run_id), manifest)
    logger.info("table maintenance done: %s", manifest["maintenance"])
    return manifest
