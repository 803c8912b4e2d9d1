"""Corpus maintenance without re-crawling: re-translation and re-processing from raw WARC.

Both rewrite rows in place through the normal commit (``force=True``), partition by
partition, so row counts stay the same and nothing is duplicated; each writes a manifest under
``runs/`` like a crawl run.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from processing import corpus
from processing.core import layout
from processing.core.config import Settings
from processing.core.s3 import ObjectStore
from processing.core.warc import RawRef, read_record
from processing.extraction import ExtractionError, extractor_version
from processing.pipeline.stages import apply_translations, article_row

logger = logging.getLogger(__name__)


@dataclass
class MaintenanceReport:
    kind: str
    run_id: str
    examined: int = 0
    selected: int = 0
    rewritten: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    partitions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "run_id": self.run_id,
            "status": "committed",
            "examined": self.examined,
            "selected": self.selected,
            "rewritten": self.rewritten,
            "statuses": dict(self.statuses),
            "problems": dict(self.problems),
            "partitions": self.partitions,
            "committed_at": datetime.now(UTC).isoformat(),
        }


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def needs_translation(row: dict[str, Any], model: str, everything: bool) -> bool:
    """Pending or failed rows, and rows translated by another model (or all, if asked)."""
    status = row["translation_status"]
    if status == "source_english":
        return False
    if everything or status in ("pending", "failed"):
        return True
    return status == "translated" and row.get("translation_model") != model


def retranslate(
    store: ObjectStore, settings: Settings, outlet: str | None = None, everything: bool = False
) -> MaintenanceReport:
    """Fill pending translations and redo rows made by another model than the configured one."""
    report = MaintenanceReport("retranslate", f"retranslate.{outlet or 'all'}.{_stamp()}")
    by_outlet: dict[str, list[tuple[str, str]]] = {}
    for o, day, key in corpus.partitions(store, outlet):
        by_outlet.setdefault(o, []).append((day, key))
    for o, parts in by_outlet.items():
        for day, _ in parts:
            rows = corpus.read_partition(store, o, day)
            report.examined += len(rows)
            todo = [r for r in rows if needs_translation(r, settings.translation_model, everything)]
            if not todo:
                continue
            report.selected += len(todo)
            statuses = apply_translations(todo, settings, store)
            report.statuses.update(statuses)
            changed = [
                r for r in todo if r["translation_status"] in ("translated", "failed") or everything
            ]
            if not changed:
                continue
            result = corpus.commit_articles(store, o, changed, force=True)
            report.rewritten += result.updated
            report.partitions += result.partitions
    store.put_json(layout.manifest_key(report.run_id), report.to_dict())
    logger.info("retranslate: %d selected, %s", report.selected, dict(report.statuses))
    return report


def reprocess(
    store: ObjectStore,
    settings: Settings,
    outlet_id: str,
    first: date,
    last: date,
    translate: bool = True,
) -> MaintenanceReport:
    """Rebuild the rows of [first, last] from their raw WARC records with the current
    extractor (and translation where the text changed); rows that no longer pass extraction
    are kept as they were and counted under ``problems``."""
    from crawlers.registry import get_outlet

    outlet = get_outlet(outlet_id, settings.outlets_dirs)
    run_id = f"reprocess.{outlet_id}.{first.isoformat()}..{last.isoformat()}.{_stamp()}"
    report = MaintenanceReport("reprocess", run_id)
    started = time.monotonic()
    for o, day, _ in corpus.partitions(store, outlet_id):
        if not first.isoformat() <= day <= last.isoformat():
            continue
        rows = corpus.read_partition(store, o, day)
        report.examined += len(rows)
        rebuilt: list[dict[str, Any]] = []
        for old in rows:
            if not old.get("raw_ref"):
                report.problems["no_raw_ref"] += 1
                continue
            ref = RawRef.parse(old["raw_ref"])
            raw = read_record(store.get_range(ref.key, ref.offset, ref.length))
            fetch = {
                "url": old["url"],
                "final_url": raw.url,
                "canonical_url": old["canonical_url"],
                "content_type": raw.header("content-type"),
                "raw_ref": old["raw_ref"],
                "status": raw.status,
                "fetched_at": old["fetched_at"].isoformat(),
            }
            try:
                new = article_row(outlet, run_id, fetch, raw.body, settings)
            except ExtractionError as exc:
                report.problems[exc.reason] += 1
                continue
            new["article_id"] = old["article_id"]  # identity never changes on reprocessing
            new["canonical_url"] = old["canonical_url"]
            new["first_seen_at"] = old["first_seen_at"]
            if new["content_hash"] == old["content_hash"] and old["translation_status"] in (
                "translated",
                "source_english",
            ):
                for k in (
                    "title_en",
                    "text_en",
                    "translation_status",
                    "translation_model",
                    "translation_model_version",
                    "translation_backend",
                    "translation_reason",
                    "translated_at",
                    "translation_segments",
                ):
                    new[k] = old[k]
            rebuilt.append(new)
        report.selected += len(rebuilt)
        to_translate = [r for r in rebuilt if r["translation_status"] == "pending"]
        if translate and to_translate:
            report.statuses.update(apply_translations(to_translate, settings, store))
        if rebuilt:
            result = corpus.commit_articles(store, o, rebuilt, force=True)
            report.rewritten += result.updated
            report.partitions += result.partitions
    out = report.to_dict() | {
        "extractor_version": extractor_version(),
        "seconds": round(time.monotonic() - started, 2),
    }
    store.put_json(layout.manifest_key(run_id), out)
    logger.info(
        "reprocess %s %s..%s: %d rows rebuilt, problems %s",
        outlet_id,
        first,
        last,
        report.rewritten,
        dict(report.problems),
    )
    return report
