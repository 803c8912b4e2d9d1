"""The run manifest (``runs/<run_id>.json``): what a run saw, did, and committed.

Written last by the publish stage, so its presence means the run's partitions are committed.
"""

from __future__ import annotations

import logging
import subprocess
from collections import Counter, defaultdict
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from processing import corpus
from processing.core import layout
from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.pipeline.stages import read_jsonl_gz

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1
DISCOVERY_ROLES = ("feed", "sitemap", "archive")


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


def access_status(
    fetches: list[dict[str, Any]], candidates: list[dict[str, Any]]
) -> tuple[str, dict[str, int]]:
    """The outlet's overall access status and counts of each kind of refusal.

    ``blocked_by_robots`` / ``bot_challenge`` / ``unreachable`` when no discovery request
    got through for that reason; ``partial`` when some article fetches met one; else ``ok``.
    """
    issues: Counter[str] = Counter()
    for f in fetches:
        if f["outcome"] == "robots_blocked":
            issues["blocked_by_robots"] += 1
        elif f["outcome"] == "bot_challenge":
            issues["bot_challenge"] += 1
        elif f["outcome"] == "network_error":
            issues["unreachable"] += 1
    issues["paywall"] = sum(1 for c in candidates if c["decision"] == "paywall")
    discovery = [f for f in fetches if f["role"] in DISCOVERY_ROLES]
    status = "ok"
    if discovery and not any(f["outcome"] == "fetched" for f in discovery):
        outcomes = Counter(f["outcome"] for f in discovery)
        top = outcomes.most_common(1)[0][0]
        status = {
            "robots_blocked": "blocked_by_robots",
            "bot_challenge": "bot_challenge",
            "network_error": "unreachable",
        }.get(top, "discovery_failed")
    elif any(issues[k] for k in ("blocked_by_robots", "bot_challenge", "unreachable")):
        status = "partial"
    return status, {k: v for k, v in issues.items() if v}


def per_day(
    spec: RunSpec, candidates: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> dict[str, dict[str, int]]:
    """Expected (discovered with a publication date) vs stored articles per UTC day."""
    days: dict[str, dict[str, int]] = defaultdict(lambda: {"expected": 0, "stored": 0})
    seen: set[str] = set()
    for c in candidates:
        if c["decision"] not in ("queued", "duplicate") or not c.get("hint_published"):
            continue
        if (
            c.get("extra", {}).get("hint_kind") not in ("published", "day")
            or c["canonical_url"] in seen
        ):
            continue
        when = datetime.fromisoformat(c["hint_published"])
        if spec.start <= when < spec.end:
            seen.add(c["canonical_url"])
            days[when.astimezone(UTC).date().isoformat()]["expected"] += 1
    for r in rows:
        day = corpus.partition_day(r)
        if spec.start.date().isoformat() <= day <= spec.end.date().isoformat():
            days[day]["stored"] += 1
    return dict(sorted(days.items()))


def build_manifest(
    spec: RunSpec,
    settings: Settings,
    store: ObjectStore,
    rows: list[dict[str, Any]],
    result: corpus.CommitResult,
    publish_seconds: float,
) -> dict[str, Any]:
    rid = spec.run_id
    summary = store.get_json_or_none(layout.staging(rid, "crawl/summary.json")) or {}
    fetches = read_jsonl_gz(store, layout.staging(rid, "crawl/fetches.jsonl.gz"), True)
    candidates = read_jsonl_gz(store, layout.staging(rid, "crawl/candidates.jsonl.gz"), True)
    extract_report = store.get_json_or_none(layout.staging(rid, "extract_report.json")) or {}
    translate_report = store.get_json_or_none(layout.staging(rid, "translate_report.json")) or {}
    status, issues = access_status(fetches, candidates)
    decisions = Counter(c["decision"] for c in candidates)
    statuses = Counter(r["translation_status"] for r in rows)
    article_fetches = [f for f in fetches if f["role"] == "article"]
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": rid,
        "outlet": spec.outlet,
        "kind": spec.kind,
        "day": spec.day.isoformat(),
        "window": {"start": spec.start.isoformat(), "end": spec.end.isoformat()},
        "status": "committed",
        "access": {"status": status, **issues},
        "committed_at": datetime.now(UTC).isoformat(),
        "counts": {
            "discovered": len(candidates),
            "discovery": dict(sorted(decisions.items())),
            "requests": len(fetches),
            "fetched": sum(1 for f in article_fetches if f["outcome"] == "fetched"),
            "extracted": extract_report.get("extracted", len(rows)),
            "rejected": extract_report.get("rejected", {}),
            "translated": statuses.get("translated", 0),
            "source_english": statuses.get("source_english", 0),
            "pending": statuses.get("pending", 0),
            "translation_failed": statuses.get("failed", 0),
            "stored": result.to_dict() | {"total": len(rows)},
        },
        "days": per_day(spec, candidates, rows),
        "routes": sorted({c["route"] for c in candidates}),
        "timings": {
            "crawl_seconds": summary.get("seconds"),
            "extract_seconds": extract_report.get("seconds"),
            "translate_seconds": translate_report.get("seconds"),
            "publish_seconds": publish_seconds,
        },
        "crawl": {
            k: summary.get(k) for k in ("finish_reason", "started_at", "finished_at", "raw_key")
        },
        "translation": {k: translate_report.get(k) for k in ("model", "models_used", "reasons")},
        "versions": versions() | {"extractor": extract_report.get("extractor_version", "")},
        "events": extract_report.get("events", []),
    }


def list_manifests(store: ObjectStore, prefix: str = "runs/") -> list[dict[str, Any]]:
    """Every run manifest under ``runs/`` (crawl runs and maintenance runs), in key order."""
    from concurrent.futures import ThreadPoolExecutor

    keys = [k for k in store.list_keys(prefix) if k.endswith(".json")]
    with ThreadPoolExecutor(max_workers=16) as pool:
        return [m for m in pool.map(store.get_json, keys) if isinstance(m, dict)]
