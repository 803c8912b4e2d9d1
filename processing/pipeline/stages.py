"""The pipeline's stages. Each reads its input from S3 and writes its output to S3 (or the
table), keyed by run, so any stage can be retried on any worker; the CLI and the Airflow DAGs
call these same functions, and each stage validates its own input.

crawl     -> ``raw/…/<run_id>.warc.gz`` (new object per execution) + ``staging/<run_id>/crawl/*``
extract   -> ``staging/<run_id>/extracted.parquet`` + ``extract_report.json``
translate -> ``staging/<run_id>/translated.parquet`` + ``translate_report.json``
publish   -> one atomic table commit per run (a daily run, or one chunk of a backfill), then
             ``runs/<run_id>.json`` (the manifest, last)
validate  -> checks what publish committed (every row of the run exactly once, the schema)

Every stage logs one closing line with its counts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING

from crawlers.registry import Outlet, get_outlet
from processing.core import layout
from processing.core.config import Settings
from processing.core.errors import InvariantBroken, OutOfWindow, StageError
from processing.core.errors import NothingToDo as NothingToDo  # re-exported
from processing.core.jsonl import read_jsonl_gz
from processing.core.locks import die_with_parent, file_lock
from processing.core.records import (
    ArticleRow,
    CrawlSummary,
    FetchRecord,
    SegmentDict,
    parse_ts,
)
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.core.urls import article_id, canonical_url
from processing.core.warc import RawRef, read_record
from processing.corpus import CommitResult, Corpus
from processing.corpus.schema import from_arrow, to_arrow
from processing.extraction import ExtractionError, extract, extractor_version
from processing.extraction.gates import check_quality
from processing.language import detect_language
from processing.pipeline.ledger import Rejection
from processing.pipeline.outlets import extraction_profile
from processing.pipeline.reports import ExtractReport, TranslateReport, ValidateReport

if TYPE_CHECKING:
    from processing.pipeline.manifest import RunManifest
    from processing.translation import Translator

logger = logging.getLogger(__name__)

MAX_EVENTS = 500  # per-URL outcomes kept in a manifest
WHOLE_WARC_LIMIT = 256 * 1024 * 1024  # read a WARC in one GET up to this size


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


def _require(store: ObjectStore, key: str, stage: str) -> None:
    if not store.exists(key):
        raise StageError(f"{stage}: input {store.uri(key)} is missing; run the previous stage")


def _counts(c: Counter[str] | dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none"


# ---- crawl ------------------------------------------------------------------------------
# A line of the crawl subprocess's log (crawlers/run.py's format): time, level, logger, message.
_CRAWL_LOG_LINE = re.compile(r"^\S+ \S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ([\w.]+): (.*)$")


def _relay_crawl_log(stream: IO[str], outlet: str, tail: deque[str]) -> None:
    """The crawl subprocess's stderr, as it comes: newsloom's own crawler lines (progress per
    minute, back-off, robots.txt…) at their level, everything else (Scrapy's lines, stats
    dumps) at DEBUG; the last lines kept in ``tail`` for the cause of a failure."""
    for raw in stream:
        line = raw.rstrip("\n")
        tail.append(line)
        m = _CRAWL_LOG_LINE.match(line)
        if m and m.group(2).startswith("crawlers") and m.group(1) != "DEBUG":
            level = logging.getLevelNamesMapping()[m.group(1)]
            logger.log(level, "crawl %s: %s", outlet, m.group(3))
        else:
            logger.debug("crawler: %s", line)


def crawl(
    spec: RunSpec,
    settings: Settings,
    store: ObjectStore,
    *,
    known_urls: set[str] | None = None,
    routes: list[str] | None = None,
    lock: bool = True,
    timeout: float = 3600.0,
) -> CrawlSummary:
    """Run the Scrapy crawl in a subprocess; returns its summary (also in S3).

    ``known_urls``: canonical URLs the corpus already holds (not fetched again). ``lock``: hold
    the outlet's crawl lock on this machine (politeness across CLI runs; in Airflow, pools do
    this). Pages the outlet's crawls of the last hours fetched (a crawl that held the lock
    before this one, a killed one) are copied from their WARC, not fetched again
    (``crawlers.journal``). The crawl child dies with this process (process group +
    parent-death signal).
    """
    from crawlers.run import KNOWN_URLS

    cmd = [sys.executable, "-m", "crawlers.run", "--spec", json.dumps(spec.to_dict())]
    if routes:
        cmd += ["--routes", ",".join(routes)]
    if known_urls:
        text = "\n".join(sorted(known_urls)).encode("utf-8")
        store.put_bytes(layout.staging(spec.run_id, KNOWN_URLS), gzip.compress(text, mtime=0))
    env = dict(os.environ)
    if settings.embedded:
        # the child reuses the embedded server through the same state directory
        env["NEWSLOOM_STATE_DIR"] = str(settings.state_dir)
    started = time.monotonic()
    logger.info("crawl %s: %s .. %s", spec.run_id, spec.start.isoformat(), spec.end.isoformat())
    lock_path = settings.state_dir / "locks" / f"crawl-{spec.outlet}.lock"
    with file_lock(lock_path, spec.run_id, wait=timeout) if lock else _nolock():
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        assert proc.stderr is not None
        tail: deque[str] = deque(maxlen=40)
        relay = threading.Thread(
            target=_relay_crawl_log, args=(proc.stderr, spec.outlet, tail), daemon=True
        )
        relay.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise StageError(
                f"crawl {spec.run_id} ran over {timeout:.0f}s and was stopped"
            ) from None
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)  # never leave the crawl running without us
            proc.wait()
            raise
        finally:
            relay.join(timeout=30)
    if proc.returncode != 0:
        # the crawl prints its cause as its last "crawl: …" line (crawlers/run.py)
        lines = [ln for ln in tail if ln.strip()]
        cause = next((ln for ln in reversed(lines) if ln.startswith("crawl: ")), None)
        raise StageError(
            f"crawl {spec.run_id} exited with {proc.returncode}: "
            f"{cause or (lines[-1] if lines else 'no message')}"
        )
    summary_key = layout.staging(spec.run_id, "crawl/summary.json")
    found = store.get_json(summary_key)
    if not isinstance(found, dict):
        raise StageError(f"crawl {spec.run_id}: {store.uri(summary_key)} is not a JSON object")
    summary = CrawlSummary.from_dict(found)
    summary.seconds = round(time.monotonic() - started, 2)
    store.put_json(summary_key, summary.to_dict())
    logger.info(
        "crawl %s done in %.1fs: %s requests, %s candidates (%s)",
        spec.run_id,
        summary.seconds,
        summary.fetch_count,
        summary.candidate_count,
        summary.finish_reason,
    )
    return summary


class _nolock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def read_fetches(store: ObjectStore, run_id: str) -> list[FetchRecord]:
    key = layout.staging(run_id, "crawl/fetches.jsonl.gz")
    return [FetchRecord.from_dict(d) for d in read_jsonl_gz(store, key)]


# ---- extract ----------------------------------------------------------------------------
def content_hash(title: str | None, text: str) -> str:
    """sha256 hex of the UTF-8 bytes of ``(title or "") + "\\n" + text`` (docs/corpus.md)."""
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()


def _on_site_canonical(outlet: Outlet, declared: str | None, fallback: str) -> str:
    """``rel=canonical`` when it is on the outlet's site and an article URL, else ours."""
    if declared:
        c = canonical_url(declared, outlet.keep_query)
        if outlet.owns(c) and outlet.is_article(c):
            return c
    return fallback


# where a listing's date came from, by (route, hint kind): published_at_source values
def listing_source(route: str | None, hint_kind: str | None) -> str:
    if hint_kind == "archive_day":
        return "archive"
    if hint_kind == "day":
        return "url"
    if route == "feed":
        return "feed"
    if route == "news_sitemap":
        return "news-sitemap"
    if route and "sitemap" in route:
        return "sitemap"
    if route == "archive":
        return "archive"
    return "listing"


def listed_inside(fetch: FetchRecord, spec: RunSpec) -> bool:
    """Whether the outlet's own listing placed the article inside the run's range: a
    publication time in the window, or a publication day (URL, day-only listing) among its
    days. Sitemap lastmods and undated archive links place nothing."""
    hint = parse_ts(fetch.hint_published)
    if hint is None:
        return False
    start, end = spec.accept_window
    if fetch.hint_kind == "published":
        return start <= hint < end
    if fetch.hint_kind == "day":
        return start.date() <= hint.date() < end.date()
    return False  # PUBLICATION_HINTS are the two kinds above


def article_row(
    outlet: Outlet,
    run_id: str,
    fetch: FetchRecord,
    body: bytes,
    settings: Settings,
    spec: RunSpec | None = None,
) -> ArticleRow:
    """One fetched page to a corpus row (translation fields empty); raises ExtractionError.

    The publication date is the page's own when it gives a plausible one (not a mere htmldate
    guess); otherwise the date
    the outlet's listing gave (feed, sitemap, archive day, URL), and ``published_at_source``
    says which. With ``spec``, a page published outside the run's window is rejected as
    ``out_of_window`` — unless the outlet's listing placed it inside the range: then it is
    stored on its publication day, whatever that day is.
    """
    url = fetch.url
    fetched_at = parse_ts(fetch.fetched_at) or datetime.now(UTC)
    ext = extract(
        body,
        fetch.final_url or url,
        profile=extraction_profile(outlet),
        content_type=fetch.content_type,
        reference_time=fetched_at,  # dates after the fetch (or before 1990) are not believed
    )
    if not ext.text.strip():
        raise ExtractionError("empty_body", "no article text on the page")
    lang = detect_language(f"{ext.title or ''}\n{ext.text}", ext.declared_language)
    reasons = check_quality(ext, lang, min_body_chars=settings.min_body_chars)
    if reasons:
        raise ExtractionError(reasons[0], f"quality gates: {', '.join(reasons)}")
    canonical = _on_site_canonical(
        outlet, ext.canonical_url, fetch.canonical_url or canonical_url(url)
    )
    published = ext.published_at
    source = ext.published_source or "missing"
    local_day = ext.published_local_date
    # htmldate's guess from the page's text (a copyright year, a date in the prose) is weaker
    # than any date the outlet's own listing gave, even a sitemap lastmod
    weak = source == "htmldate"
    if (published is None or weak) and fetch.hint_published:
        published = parse_ts(fetch.hint_published)
        source = listing_source(fetch.route, fetch.hint_kind)
        local_day = None
    if spec is not None and published is not None:
        start, end = spec.accept_window
        if not start <= published < end and not listed_inside(fetch, spec):
            raise OutOfWindow(
                published,
                f"published {published.isoformat()} outside {start.isoformat()}.."
                f"{end.isoformat()} and not listed inside it",
            )
    return ArticleRow(
        article_id=article_id(canonical),
        outlet=outlet.id,
        url=url,
        canonical_url=canonical,
        title=ext.title,
        text=ext.text,
        description=ext.description,
        language=lang.language,
        language_confidence=lang.confidence,
        other_languages=list(lang.others),
        published_at=published,
        published_at_source=source if published else "missing",
        published_local_date=local_day,
        modified_at=ext.modified_at,
        authors=list(ext.authors),
        section=ext.section,
        tags=list(ext.tags),
        accessible_for_free=ext.accessible_for_free,
        translation_reason="not translated yet",
        content_hash=content_hash(ext.title, ext.text),
        fetched_at=fetched_at,
        ingested_at=fetched_at,
        updated_at=fetched_at,
        raw_ref=fetch.raw_ref,
        http_status=fetch.status or None,
        extractor_version=extractor_version(),
        run_id=run_id,
        seo_title=ext.seo_title,
        sources=list(ext.sources),
    )


class RawReader:
    """Bodies of a run's WARC records: the whole WARC in one GET when it is not huge."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self._whole: dict[str, bytes] = {}

    def body(self, raw_ref: str) -> bytes:
        ref = RawRef.parse(raw_ref)
        if ref.key not in self._whole:
            size = next((o["Size"] for o in self.store.list_objects(ref.key)), 0)
            self._whole[ref.key] = (
                self.store.get_bytes(ref.key) if size <= WHOLE_WARC_LIMIT else b""
            )
        data = self._whole[ref.key]
        if data:
            chunk = data[ref.offset : ref.offset + ref.length]
        else:
            chunk = self.store.get_range(ref.key, ref.offset, ref.length)
        return read_record(chunk).body


def extract_stage(spec: RunSpec, settings: Settings, store: ObjectStore) -> ExtractReport:
    """Fetched article pages -> rows, each rejected page with a named reason."""
    outlet = get_outlet(spec.outlet, settings.outlets_dirs)
    _require(store, layout.staging(spec.run_id, "crawl/summary.json"), "extract")
    started = time.monotonic()
    rows: dict[str, ArticleRow] = {}
    rejected: Counter[str] = Counter()
    events: list[Event] = []
    articles = [f for f in read_fetches(store, spec.run_id) if f.role == "article"]
    raw = RawReader(store)
    ledger: list[Rejection] = []

    def reject(
        fetch: FetchRecord, stage: str, reason: str, detail: str, when: datetime | None = None
    ) -> None:
        rejected[reason] += 1
        events.append(Event(fetch.url, stage, reason, detail))
        ledger.append(
            {
                # the requested URL, as discovery spells it (not where a redirect led)
                "url": canonical_url(fetch.url, outlet.keep_query),
                "reason": reason,
                "published": when.isoformat() if when else None,
            }
        )

    for fetch in articles:
        if fetch.outcome != "fetched" or not fetch.raw_ref:
            reject(fetch, "crawl", fetch.rejection_reason, fetch.reason)
            continue
        try:
            row = article_row(outlet, spec.run_id, fetch, raw.body(fetch.raw_ref), settings, spec)
        except ExtractionError as exc:
            when = exc.published if isinstance(exc, OutOfWindow) else None
            reject(fetch, "extract", exc.reason, exc.detail, when)
            logger.debug("rejected %s: %s", fetch.url, exc)  # the summary below counts them
            continue
        if row.article_id in rows:
            reject(fetch, "extract", "duplicate", f"same article as {rows[row.article_id].url}")
            continue
        rows[row.article_id] = row
    from processing.pipeline import ledger as rejection_ledger

    rejection_ledger.write(store, spec.outlet, spec.run_id, ledger)
    out = list(rows.values())
    write_staged(store, layout.staging(spec.run_id, "extracted.parquet"), out)
    report = ExtractReport(
        article_fetches=len(articles),
        extracted=len(out),
        rejected=dict(sorted(rejected.items())),
        events=[e.to_dict() for e in events[:MAX_EVENTS]],
        extractor_version=extractor_version(),
        seconds=round(time.monotonic() - started, 2),
    )
    store.put_json(layout.staging(spec.run_id, "extract_report.json"), report.to_dict())
    logger.info(
        "extract %s done: %d article fetches, %d extracted, rejected: %s",
        spec.run_id,
        len(articles),
        len(out),
        _counts(rejected),
    )
    return report


def read_staged(store: ObjectStore, key: str) -> list[ArticleRow]:
    import io

    import pyarrow.parquet as pq

    data = store.get_bytes(key)
    return from_arrow(pq.read_table(io.BytesIO(data))) if data else []


def write_staged(store: ObjectStore, key: str, rows: list[ArticleRow]) -> None:
    import io

    import pyarrow.parquet as pq

    if not rows:
        store.put_bytes(key, b"")
        return
    sink = io.BytesIO()
    pq.write_table(to_arrow(rows), sink, compression="zstd")
    store.put_bytes(key, sink.getvalue())


# ---- translate --------------------------------------------------------------------------
def apply_translations(
    rows: list[ArticleRow], translator: Translator
) -> tuple[list[ArticleRow], Counter[str]]:
    """Translated copies of ``rows`` (title_en, text_en, provenance) and status counts. All
    rows go through one ``translate()`` call: their segments share the model's batches."""
    from processing.translation import TranslationInput

    outcomes = translator.translate(
        [
            TranslationInput(key=r.article_id, language=r.language, title=r.title, text=r.text)
            for r in rows
        ]
    )
    now = datetime.now(UTC)
    statuses: Counter[str] = Counter()
    out: list[ArticleRow] = []
    for row, res in zip(rows, outcomes, strict=True):
        statuses[res.status] += 1
        segments: list[SegmentDict] = [
            {"paragraph": s.paragraph, "source": s.source, "target": s.target} for s in res.segments
        ]
        # provenance describes a translation: only translated rows carry it (a pending row's
        # reason names the model that could not be used)
        made = res.status == "translated"
        out.append(
            replace(
                row,
                title_en=res.title_en,
                text_en=res.text_en,
                translation_status=res.status,
                translation_model=res.model if made else None,
                translation_model_version=res.model_version if made else None,
                translation_backend=res.backend if made else None,
                translation_variant=res.variant if made else None,
                translation_reason=res.reason,
                translated_at=now if made else None,
                translation_segments=segments,
            )
        )
    return out, statuses


def translate_stage(
    spec: RunSpec, settings: Settings, store: ObjectStore, translator: Translator | None = None
) -> TranslateReport:
    """Translate the run's extracted rows (one model load for the whole stage)."""
    src = layout.staging(spec.run_id, "extracted.parquet")
    _require(store, src, "translate")
    started = time.monotonic()
    rows = read_staged(store, src)
    statuses: Counter[str] = Counter()
    own = translator is None
    tokens, per_s = 0, 0.0
    if rows:
        from processing.translation import Translator

        translator = translator or Translator(settings, store)
        try:
            rows, statuses = apply_translations(rows, translator)
            if translator.last_call is not None:
                tokens = translator.last_call.target_tokens
                per_s = translator.last_call.target_tokens_per_s
        finally:
            if own:
                translator.close()
    write_staged(store, layout.staging(spec.run_id, "translated.parquet"), rows)
    reasons = Counter(
        r.translation_reason or "" for r in rows if r.translation_status in ("pending", "failed")
    )
    report = TranslateReport(
        statuses=dict(statuses),
        model=settings.translation_model,
        models_used=sorted(
            {
                f"{r.translation_model}@{r.translation_model_version}"
                for r in rows
                if r.translation_status == "translated"
            }
        ),
        reasons=dict(reasons.most_common(5)),
        seconds=round(time.monotonic() - started, 2),
        target_tokens=tokens,
        target_tokens_per_s=round(per_s, 1),
    )
    store.put_json(layout.staging(spec.run_id, "translate_report.json"), report.to_dict())
    logger.info(
        "translate %s done: %d rows; %s; %d target tokens, %.0f target tokens/s",
        spec.run_id,
        len(rows),
        _counts(statuses),
        tokens,
        per_s,
    )
    return report


# ---- publish ----------------------------------------------------------------------------
def commit_by_day(
    corpus: Corpus,
    rows: list[ArticleRow],
    run_id: str,
    kind: str,
    force: bool = False,
    keep_ingested_at: bool = False,
) -> CommitResult:
    """One atomic commit per publication day, oldest first (undated rows last), so an
    interrupted run keeps every day it finished."""
    by_day: dict[date | None, list[ArticleRow]] = defaultdict(list)
    for r in rows:
        by_day[r.partition_day].append(r)
    total = CommitResult()
    from processing.pipeline.links import prepare_rows

    for day in sorted(by_day, key=lambda d: (d is None, d or date.min)):
        total.add(
            corpus.commit(
                prepare_rows(corpus, by_day[day]),
                run_id=run_id,
                kind=kind,
                force=force,
                keep_ingested_at=keep_ingested_at,
            )
        )
    return total


def publish_stage(spec: RunSpec, settings: Settings, corpus: Corpus) -> RunManifest:
    """Commit the run's rows into the table, then write the run manifest (last)."""
    from processing.pipeline.manifest import build_manifest

    store = corpus.store
    src = layout.staging(spec.run_id, "translated.parquet")
    _require(store, src, "publish")
    started = time.monotonic()
    rows = read_staged(store, src)
    from processing.pipeline.links import link_after, prepare_rows

    rows = prepare_rows(corpus, rows)  # fingerprints; stored rows keep their links
    # one snapshot per run: a backfill chunk is the resumable unit, its commit atomic (a year
    # of nine outlets in weekly chunks is ~470 snapshots, not one per outlet-day)
    result = corpus.commit(rows, run_id=spec.run_id, kind=spec.kind, force=spec.force)
    publish_seconds = round(time.monotonic() - started, 2)
    # the story links, in their own snapshot, once the rows are in (processing.pipeline.links)
    links = link_after(corpus, settings, spec.run_id) if result.changed else None
    manifest = build_manifest(spec, settings, corpus, rows, result, publish_seconds)
    if links is not None:
        manifest["links"] = links
    store.put_json(layout.manifest_key(spec.run_id), manifest)
    from processing.pipeline.outlets import sync_outlets_table

    sync_outlets_table(corpus, settings, {spec.outlet: manifest["access"]["status"]})
    c = manifest["counts"]
    logger.info(
        "publish %s done: fetched %d, stored %d (new %d, updated %d, unchanged %d), "
        "rejected: %s; access %s; snapshot %s",
        spec.run_id,
        c["fetched"],
        c["stored"]["total"],
        c["stored"]["new"],
        c["stored"]["updated"],
        c["stored"]["unchanged"],
        _counts(c["rejected"]),
        manifest["access"]["status"],
        manifest["snapshot_id"],
    )
    return manifest


# ---- validate ---------------------------------------------------------------------------
def validate_stage(spec: RunSpec, settings: Settings, corpus: Corpus) -> ValidateReport:
    """Check what the run committed: its manifest, every row of the run present exactly once
    in the table (at its version or a newer one), and the table's schema."""
    from processing.corpus.expr import isin
    from processing.corpus.schema import REQUIRED_COLUMNS

    store = corpus.store
    manifest = store.get_json_or_none(layout.manifest_key(spec.run_id))
    if not isinstance(manifest, dict) or manifest.get("status") != "committed":
        raise InvariantBroken(f"run {spec.run_id} has no committed manifest")
    staged = read_staged(store, layout.staging(spec.run_id, "translated.parquet"))
    ids = [r.article_id for r in staged]
    found: Counter[str] = Counter()
    if ids:
        table = corpus.read(["article_id", "content_hash"], row_filter=isin("article_id", ids))
        found.update(table.column("article_id").to_pylist())
    twice = sorted(a for a, n in found.items() if n > 1)
    if twice:
        raise InvariantBroken(f"{len(twice)} article(s) stored more than once: {twice[:5]}")
    missing = [a for a in ids if a not in found]
    if missing:
        raise InvariantBroken(f"{len(missing)} article(s) of {spec.run_id} are not in the table")
    columns = set(corpus.articles.table().schema().column_names)
    lacking = [c for c in REQUIRED_COLUMNS if c not in columns]
    if lacking:
        raise InvariantBroken(f"the table lacks required columns {lacking}")
    report = ValidateReport(spec.run_id, len(ids), corpus.snapshot_id())
    logger.info("validate %s done: %d row(s) present exactly once", spec.run_id, len(ids))
    return report
