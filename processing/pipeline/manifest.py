"""The run manifest (``runs/<run_id>.json``): what a run saw, did, and committed.

One shape for every kind of run (daily, backfill, retranslate, reprocess): keys a run kind
does not use are zero or empty. Written last, so its presence with ``"status": "committed"``
means the run's commits are in the table; ``snapshot_id`` names the table snapshot of its last
commit (null when it changed nothing). Run ids are unique per execution, so a manifest is
never overwritten and ``runs/`` lists every execution.
"""

from __future__ import annotations

import logging
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from processing.core import layout
from processing.core.config import Settings
from processing.core.jsonl import read_jsonl_gz
from processing.core.records import (
    DISCOVERY_ROLES,
    PUBLICATION_HINTS,
    ArticleRow,
    Candidate,
    FetchRecord,
)
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.corpus import CommitResult, Corpus

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 2


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for dist in (
        "newsloom",
        "scrapy",
        "trafilatura",
        "langdetect",
        "transformers",
        "ctranslate2",
        "torch",
        "pyarrow",
        "pyiceberg",
        "boto3",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=5,
            check=False,
        ).stdout.strip()
        if sha:
            out["newsloom_git"] = sha
    except (OSError, subprocess.SubprocessError):
        logger.debug("no git revision available")
    return out


def empty_counts() -> dict[str, Any]:
    return {
        "discovered": 0,
        "discovery": {},
        "requests": 0,
        "fetched": 0,
        "reused": 0,
        "examined": 0,
        "selected": 0,
        "extracted": 0,
        "rejected": {},
        "translated": 0,
        "source_english": 0,
        "pending": 0,
        "translation_failed": 0,
        "stored": {"new": 0, "updated": 0, "unchanged": 0, "moved": 0, "total": 0},
    }


def base_manifest(run_id: str, kind: str, outlet: str | None) -> dict[str, Any]:
    """The common shape; every manifest starts from it."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": run_id,
        "kind": kind,
        "outlet": outlet,
        "status": "committed",
        "reason": None,
        "first": None,
        "last": None,
        "window": None,
        "started_at": None,
        "committed_at": datetime.now(UTC).isoformat(),
        "snapshot_id": None,
        "access": {"status": "ok"},
        "counts": empty_counts(),
        "days": {},
        "routes": [],
        "timings": {},
        "crawl": {},
        "translation": {},
        "versions": versions(),
        "events": [],
    }


def access_status(
    fetches: list[FetchRecord], candidates: list[Candidate]
) -> tuple[str, dict[str, int]]:
    """The outlet's overall access status and counts of each kind of refusal.

    ``blocked_by_robots`` / ``bot_challenge`` / ``unreachable`` when no discovery request
    got through for that reason; ``partial`` when some article fetches met one; else ``ok``.
    """
    issues: Counter[str] = Counter()
    for f in fetches:
        if f.outcome == "robots_blocked":
            issues["blocked_by_robots"] += 1
        elif f.outcome == "bot_challenge":
            issues["bot_challenge"] += 1
        elif f.outcome == "network_error":
            issues["unreachable"] += 1
    issues["paywall"] = sum(1 for c in candidates if c.decision == "paywall")
    discovery = [f for f in fetches if f.role in DISCOVERY_ROLES]
    status = "ok"
    if discovery and not any(f.outcome == "fetched" for f in discovery):
        top = Counter(f.outcome for f in discovery).most_common(1)[0][0]
        status = {
            "robots_blocked": "blocked_by_robots",
            "bot_challenge": "bot_challenge",
            "network_error": "unreachable",
        }.get(top, "discovery_failed")
    elif any(issues[k] for k in ("blocked_by_robots", "bot_challenge", "unreachable")):
        status = "partial"
    return status, {k: v for k, v in issues.items() if v}


def per_day(
    spec: RunSpec,
    candidates: list[Candidate],
    rows: list[ArticleRow],
    result: CommitResult,
    in_corpus: dict[str, int],
) -> dict[str, dict[str, int]]:
    """Per UTC day of the run: articles the listings dated to it (``expected``), articles
    the table holds for it after the run (``stored``) and those this run added (``new``)."""
    days: dict[str, dict[str, int]] = {
        d.isoformat(): {"expected": 0, "stored": in_corpus.get(d.isoformat(), 0), "new": 0}
        for d in spec.days
    }
    seen: set[str] = set()
    for c in candidates:
        if c.decision not in ("queued", "duplicate", "already_stored") or not c.hint_published:
            continue
        if c.hint_kind not in PUBLICATION_HINTS or c.canonical_url in seen:
            continue
        day = datetime.fromisoformat(c.hint_published).astimezone(UTC).date().isoformat()
        if day in days:
            seen.add(c.canonical_url)
            days[day]["expected"] += 1
    new_ids = set(result.changed_ids)
    for r in rows:
        day_ = r.partition_day.isoformat() if r.partition_day else None
        if day_ in days and r.article_id in new_ids:
            days[day_]["new"] += 1
    return days


def stored_per_day(corpus: Corpus, spec: RunSpec) -> dict[str, int]:
    """How many articles the table holds for each UTC day of the run."""
    from processing.corpus.expr import published_days

    table = corpus.read(
        ["published_at"], outlet=spec.outlet, row_filter=published_days(spec.first, spec.last)
    )
    out: Counter[str] = Counter()
    for ts in table.column("published_at").to_pylist():
        out[ts.astimezone(UTC).date().isoformat()] += 1
    return dict(out)


def build_manifest(
    spec: RunSpec,
    settings: Settings,
    corpus: Corpus,
    rows: list[ArticleRow],
    result: CommitResult,
    publish_seconds: float,
) -> dict[str, Any]:
    store = corpus.store
    rid = spec.run_id
    summary = store.get_json_or_none(layout.staging(rid, "crawl/summary.json")) or {}
    fetches = [
        FetchRecord.from_dict(d)
        for d in read_jsonl_gz(store, layout.staging(rid, "crawl/fetches.jsonl.gz"), True)
    ]
    candidates = [
        Candidate.from_dict(d)
        for d in read_jsonl_gz(store, layout.staging(rid, "crawl/candidates.jsonl.gz"), True)
    ]
    extract_report = store.get_json_or_none(layout.staging(rid, "extract_report.json")) or {}
    translate_report = store.get_json_or_none(layout.staging(rid, "translate_report.json")) or {}
    status, issues = access_status(fetches, candidates)
    statuses = Counter(r.translation_status for r in rows)
    article_fetches = [f for f in fetches if f.role == "article"]
    m = base_manifest(rid, spec.kind, spec.outlet)
    m.update(
        first=spec.first.isoformat(),
        last=spec.last.isoformat(),
        window={"start": spec.start.isoformat(), "end": spec.end.isoformat()},
        started_at=summary.get("started_at"),
        snapshot_id=result.snapshot_id,
        access={"status": status, **issues},
        routes=sorted({c.route for c in candidates}),
        days=per_day(spec, candidates, rows, result, stored_per_day(corpus, spec)),
        timings={
            "crawl_seconds": summary.get("seconds"),
            "extract_seconds": extract_report.get("seconds"),
            "translate_seconds": translate_report.get("seconds"),
            "publish_seconds": publish_seconds,
        },
        crawl={
            k: summary.get(k) for k in ("finish_reason", "started_at", "finished_at", "raw_key")
        },
        translation={k: translate_report.get(k) for k in ("model", "models_used", "reasons")},
        events=extract_report.get("events", []),
    )
    m["versions"] = versions() | {"extractor": extract_report.get("extractor_version", "")}
    c = m["counts"]
    c.update(
        discovered=len(candidates),
        discovery=dict(sorted(Counter(c_.decision for c_ in candidates).items())),
        requests=len(fetches),
        # article pages this crawl asked the outlet for and got; ``reused``: those it took
        # from an earlier crawl's WARC instead (crawlers.journal)
        fetched=sum(1 for f in article_fetches if f.outcome == "fetched" and not f.reused_from),
        reused=sum(1 for f in article_fetches if f.reused_from),
        extracted=extract_report.get("extracted", len(rows)),
        rejected=extract_report.get("rejected", {}),
        translated=statuses.get("translated", 0),
        source_english=statuses.get("source_english", 0),
        pending=statuses.get("pending", 0),
        translation_failed=statuses.get("failed", 0),
        stored={
            "new": result.new,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "moved": result.moved,
            "total": len(rows),
        },
    )
    return m


def list_manifests(
    store: ObjectStore, prefix: str = layout.RUNS_PREFIX, since: datetime | None = None
) -> list[dict[str, Any]]:
    """Every run manifest under ``runs/`` (crawl and maintenance runs), in key order;
    with ``since``, only those written at or after it."""
    keys = [
        obj["Key"]
        for obj in store.list_objects(prefix)
        if obj["Key"].endswith(".json") and (since is None or obj["LastModified"] >= since)
    ]
    with ThreadPoolExecutor(max_workers=16) as pool:
        return [m for m in pool.map(store.get_json, keys) if isinstance(m, dict)]


def latest_manifests(store: ObjectStore, slot_prefix: str) -> list[dict[str, Any]]:
    """Manifests whose run id starts with ``slot_prefix`` (e.g. ``sohr_ar.backfill.``)."""
    return list_manifests(store, layout.manifest_key(slot_prefix)[: -len(".json")])


def per_day_totals(manifests: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Expected/stored/new per day over several runs (the largest expected figure per day,
    the latest run's stored figure, the sum for new)."""
    out: dict[str, dict[str, int]] = {}
    for m in sorted(manifests, key=lambda m: m.get("committed_at") or ""):
        add_day_totals(out, m)
    return dict(sorted(out.items()))


def add_day_totals(out: dict[str, dict[str, int]], manifest: dict[str, Any]) -> None:
    """Fold one more run's manifest (newer than those already folded) into ``out``, the
    per-day totals of :func:`per_day_totals`: a long backfill keeps these, not manifests."""
    for day, counts in (manifest.get("days") or {}).items():
        d = out.setdefault(day, {"expected": 0, "stored": 0, "new": 0})
        d["expected"] = max(d["expected"], counts.get("expected", 0))
        d["stored"] = counts.get("stored", 0)
        d["new"] += counts.get("new", 0)
