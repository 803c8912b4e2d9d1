"""The pipeline's stages. Each reads its input from S3 and writes its output to S3, keyed by
run, so any stage can be retried on any worker; the CLI and the Airflow DAGs call these same
functions.

crawl -> ``raw/...warc.gz`` + ``staging/<run>/crawl/*``
extract -> ``staging/<run>/extracted.parquet`` + ``extract_report.json``
translate -> ``staging/<run>/translated.parquet`` + ``translate_report.json``
publish -> partitions under ``articles/v1/`` then ``runs/<run>.json`` (last: the commit mark)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crawlers.registry import Outlet, get_outlet
from processing import corpus
from processing.core import layout
from processing.core.config import Settings
from processing.core.dates import iso
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.core.urls import article_id, canonical_url
from processing.core.warc import RawRef, read_record
from processing.extraction import ExtractionError, extract, extractor_version
from processing.extraction.gates import check_quality
from processing.language import detect_language
from processing.pipeline.outlets import extraction_profile

logger = logging.getLogger(__name__)

MAX_EVENTS = 500  # per-URL outcomes kept in a manifest


class StageError(RuntimeError):
    """A stage cannot run (missing input, crawler crashed); Airflow retries it."""


@dataclass
class Event:
    url: str
    stage: str
    outcome: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "url": self.url,
            "stage": self.stage,
            "outcome": self.outcome,
            "detail": self.detail[:300],
        }


def read_jsonl_gz(store: ObjectStore, key: str, missing_ok: bool = False) -> list[dict[str, Any]]:
    """A gzipped JSON-lines object (records are split on "\n" only: text fields may hold
    other Unicode line separators)."""
    if missing_ok and not store.exists(key):
        return []
    data = gzip.decompress(store.get_bytes(key)).decode("utf-8")
    return [json.loads(line) for line in data.split("\n") if line.strip()]


def _require(store: ObjectStore, key: str, stage: str) -> None:
    if not store.exists(key):
        raise StageError(f"{stage}: input {store.uri(key)} is missing; run the previous stage")


# ---- crawl ------------------------------------------------------------------------------
def crawl(
    spec: RunSpec,
    settings: Settings,
    store: ObjectStore,
    routes: list[str] | None = None,
    timeout: float = 3600.0,
) -> dict[str, Any]:
    """Run the Scrapy crawl in a subprocess; returns its summary (also in S3)."""
    cmd = [sys.executable, "-m", "crawlers.run", "--spec", json.dumps(spec.to_dict())]
    if routes:
        cmd += ["--routes", ",".join(routes)]
    summary_key = layout.staging(spec.run_id, "crawl/summary.json")
    if store.exists(summary_key):
        store.delete(summary_key)  # a re-run must not read the previous attempt's summary
    env = dict(os.environ)
    if settings.embedded:
        # the child reuses the embedded server through the same state directory
        env["NEWSLOOM_STATE_DIR"] = str(settings.state_dir)
    started = time.monotonic()
    logger.info("crawl %s: %s .. %s", spec.run_id, spec.start.isoformat(), spec.end.isoformat())
    # One crawl per outlet at a time, across DAGs, workers and the CLI (politeness).
    with corpus.OutletLock(store, spec.outlet, "crawl", stale_after=timeout + 60, wait=2 * timeout):
        proc = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    for line in proc.stderr.splitlines()[-40:]:
        logger.debug("crawler: %s", line)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-15:])
        raise StageError(f"crawl {spec.run_id} exited with {proc.returncode}:\n{tail}")
    summary: dict[str, Any] = store.get_json(summary_key)
    summary["seconds"] = round(time.monotonic() - started, 2)
    store.put_json(summary_key, summary)
    return summary


# ---- extract ----------------------------------------------------------------------------
def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()


def _on_site_canonical(outlet: Outlet, declared: str | None, fallback: str) -> str:
    """``rel=canonical`` when it is on the outlet's site and an article URL, else ours."""
    if declared:
        c = canonical_url(declared, outlet.keep_query)
        if outlet.owns(c) and outlet.is_article(c):
            return c
    return fallback


def _parse_ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def article_row(
    outlet: Outlet,
    run_id: str,
    fetch: dict[str, Any],
    body: bytes,
    settings: Settings,
    window: tuple[datetime, datetime] | None = None,
) -> dict[str, Any]:
    """One fetched page to a corpus row (translation fields empty); raises ExtractionError.

    With ``window``, a page published outside it is rejected as ``out_of_window``.
    """
    url = fetch["url"]
    ext = extract(
        body,
        fetch.get("final_url") or url,
        profile=extraction_profile(outlet),
        content_type=fetch.get("content_type"),
    )
    if not ext.text.strip():
        raise ExtractionError("empty_body", "no article text on the page")
    lang = detect_language(f"{ext.title or ''}\n{ext.text}", ext.declared_language)
    reasons = check_quality(ext, lang, min_body_chars=settings.min_body_chars)
    if reasons:
        raise ExtractionError(reasons[0], f"quality gates: {', '.join(reasons)}")
    canonical = _on_site_canonical(
        outlet, ext.canonical_url, fetch.get("canonical_url") or canonical_url(url)
    )
    fetched_at = _parse_ts(fetch.get("fetched_at")) or datetime.now(UTC)
    published = ext.published_at
    published_source = ext.published_source or "missing"
    if published is None and fetch.get("hint_published"):
        published, published_source = _parse_ts(fetch["hint_published"]), "listing"
    if window and published is not None and not window[0] <= published < window[1]:
        raise ExtractionError(
            "out_of_window",
            f"published {iso(published)} outside {iso(window[0])}..{iso(window[1])}",
        )
    return {
        "article_id": article_id(canonical),
        "outlet": outlet.id,
        "url": url,
        "canonical_url": canonical,
        "title": ext.title,
        "text": ext.text,
        "description": ext.description,
        "language": lang.language,
        "language_confidence": lang.confidence,
        "other_languages": lang.others,
        "published_at": published,
        "published_at_source": published_source,
        "modified_at": ext.modified_at,
        "authors": ext.authors,
        "section": ext.section,
        "tags": ext.tags,
        "title_en": None,
        "text_en": None,
        "translation_status": "pending",
        "translation_model": None,
        "translation_model_version": None,
        "translation_backend": None,
        "translation_reason": "not translated yet",
        "translated_at": None,
        "translation_segments": [],
        "content_hash": content_hash(ext.title, ext.text),
        "fetched_at": fetched_at,
        "first_seen_at": fetched_at,
        "raw_ref": fetch.get("raw_ref"),
        "http_status": fetch.get("status"),
        "extractor_version": extractor_version(),
        "run_id": run_id,
    }


def _fetch_outcome_reason(fetch: dict[str, Any]) -> str:
    outcome = fetch["outcome"]
    if outcome == "http_error":
        return f"http_{fetch.get('status', 0)}"
    return str(outcome)


def extract_stage(spec: RunSpec, settings: Settings, store: ObjectStore) -> dict[str, Any]:
    """Fetched article pages -> rows, each rejected page with a named reason."""
    outlet = get_outlet(spec.outlet, settings.outlets_dirs)
    fetch_key = layout.staging(spec.run_id, "crawl/fetches.jsonl.gz")
    _require(store, fetch_key, "extract")
    started = time.monotonic()
    rows: dict[str, dict[str, Any]] = {}
    rejected: Counter[str] = Counter()
    events: list[Event] = []
    articles = [f for f in read_jsonl_gz(store, fetch_key) if f["role"] == "article"]
    for fetch in articles:
        url = fetch["url"]
        if fetch["outcome"] != "fetched":
            reason = _fetch_outcome_reason(fetch)
            rejected[reason] += 1
            events.append(Event(url, "crawl", reason, fetch.get("reason", "")))
            continue
        try:
            ref = RawRef.parse(fetch["raw_ref"])
            body = read_record(store.get_range(ref.key, ref.offset, ref.length)).body
            row = article_row(
                outlet, spec.run_id, fetch, body, settings, window=(spec.start, spec.end)
            )
        except ExtractionError as exc:
            rejected[exc.reason] += 1
            events.append(Event(url, "extract", exc.reason, exc.detail))
            logger.info("rejected %s: %s", url, exc)
            continue
        if row["article_id"] in rows:
            rejected["duplicate"] += 1
            events.append(
                Event(
                    url,
                    "extract",
                    "duplicate",
                    f"same canonical URL as {rows[row['article_id']]['url']}",
                )
            )
            continue
        rows[row["article_id"]] = row
    out = list(rows.values())
    store.put_bytes(
        layout.staging(spec.run_id, "extracted.parquet"),
        corpus.encode_parquet(corpus.to_table(out)) if out else b"",
    )
    report = {
        "article_fetches": len(articles),
        "extracted": len(out),
        "rejected": dict(sorted(rejected.items())),
        "events": [e.to_dict() for e in events[:MAX_EVENTS]],
        "extractor_version": extractor_version(),
        "seconds": round(time.monotonic() - started, 2),
    }
    store.put_json(layout.staging(spec.run_id, "extract_report.json"), report)
    logger.info("extract %s: %d articles, rejected %s", spec.run_id, len(out), dict(rejected))
    return report


def read_staged(store: ObjectStore, key: str) -> list[dict[str, Any]]:
    data = store.get_bytes(key)
    return corpus.decode_parquet(data).to_pylist() if data else []


def write_staged(store: ObjectStore, key: str, rows: list[dict[str, Any]]) -> None:
    store.put_bytes(key, corpus.encode_parquet(corpus.to_table(rows)) if rows else b"")


# ---- translate --------------------------------------------------------------------------
def apply_translations(
    rows: list[dict[str, Any]], settings: Settings, store: ObjectStore | None
) -> Counter[str]:
    """Translate rows in place (title_en, text_en, provenance); returns status counts."""
    from processing.translation import TranslationInput, Translator

    translator = Translator(settings, store)
    try:
        outcomes = translator.translate(
            [
                TranslationInput(
                    key=r["article_id"], language=r["language"], title=r["title"], text=r["text"]
                )
                for r in rows
            ]
        )
    finally:
        translator.close()
    now = datetime.now(UTC)
    statuses: Counter[str] = Counter()
    for row, out in zip(rows, outcomes, strict=True):
        statuses[out.status] += 1
        row.update(
            title_en=out.title_en,
            text_en=out.text_en,
            translation_status=out.status,
            translation_model=out.model,
            translation_model_version=out.model_version,
            translation_backend=out.backend,
            translation_reason=out.reason,
            translated_at=now if out.status in ("translated", "source_english") else None,
            translation_segments=[
                {"paragraph": s.paragraph, "source": s.source, "target": s.target}
                for s in out.segments
            ],
        )
    return statuses


def translate_stage(spec: RunSpec, settings: Settings, store: ObjectStore) -> dict[str, Any]:
    src = layout.staging(spec.run_id, "extracted.parquet")
    _require(store, src, "translate")
    started = time.monotonic()
    rows = read_staged(store, src)
    statuses = apply_translations(rows, settings, store) if rows else Counter()
    write_staged(store, layout.staging(spec.run_id, "translated.parquet"), rows)
    reasons = Counter(
        r["translation_reason"] for r in rows if r["translation_status"] in ("pending", "failed")
    )
    report = {
        "statuses": dict(statuses),
        "model": settings.translation_model,
        "models_used": sorted(
            {
                f"{r['translation_model']}@{r['translation_model_version']}"
                for r in rows
                if r["translation_status"] == "translated"
            }
        ),
        "reasons": dict(reasons.most_common(5)),
        "seconds": round(time.monotonic() - started, 2),
    }
    store.put_json(layout.staging(spec.run_id, "translate_report.json"), report)
    logger.info("translate %s: %s", spec.run_id, dict(statuses))
    return report


# ---- publish ----------------------------------------------------------------------------
def publish_stage(spec: RunSpec, settings: Settings, store: ObjectStore) -> dict[str, Any]:
    """Commit the run's rows into the corpus, then write the run manifest (last)."""
    from processing.pipeline.manifest import build_manifest

    src = layout.staging(spec.run_id, "translated.parquet")
    _require(store, src, "publish")
    started = time.monotonic()
    rows = read_staged(store, src)
    result = corpus.commit_articles(store, spec.outlet, rows)
    manifest = build_manifest(
        spec, settings, store, rows, result, publish_seconds=round(time.monotonic() - started, 2)
    )
    store.put_json(layout.manifest_key(spec.run_id), manifest)
    return manifest
