"""The run manifest (``runs/<run_id>.json``): what a run saw, did, and committed.

One shape for every kind of run (daily, backfill, retranslate, reprocess): keys a run kind
does not use are zero or empty. Written last, so its presence with ``"status": "committed"``
means the run's commits are in the table; ``snapshot_id`` names the table snapshot of its last
commit (null when it changed nothing). Run ids are unique per execution, so a manifest is
never overwritten and ``runs/`` lists every execution.

:class:`RunManifest` is its JSON shape (docs/corpus.md, "The run manifest"), as a TypedDict:
what a run writes is that dict itself. What :func:`list_manifests` reads back is open JSON
(``JSONObject``): manifests of older versions, and of other writers, read defensively.
"""

from __future__ import annotations

import logging
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Literal, NotRequired, TypedDict

from processing.core import layout
from processing.core.config import Settings
from processing.core.jsonl import read_jsonl_gz
from processing.core.jsontypes import JSONObject
from processing.core.records import (
    DISCOVERY_ROLES,
    PUBLICATION_HINTS,
    ArticleRow,
    Candidate,
    CrawlSummary,
    FetchRecord,
)
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.corpus import CommitResult, Corpus
from processing.pipeline.reports import ExtractReport, TranslateReport

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 2


class StoredCounts(TypedDict):
    """Rows a run committed: ``new``, ``updated``, ``unchanged``, ``moved`` (to another
    partition) and their ``total``."""

    new: int
    updated: int
    unchanged: int
    moved: int
    total: int


class ManifestCounts(TypedDict):
    """``counts``: what a run saw and did (zero where its kind does not do it); a takedown adds
    what it was asked for and what it removed."""

    discovered: int
    discovery: dict[str, int]  # candidates by decision
    requests: int
    fetched: int
    reused: int
    examined: int
    selected: int
    extracted: int
    rejected: dict[str, int]  # by reason
    translated: int
    source_english: int
    pending: int
    translation_failed: int
    stored: StoredCounts
    requested: NotRequired[int]  # takedown
    deleted: NotRequired[int]
    absent: NotRequired[int]
    raw_blanked: NotRequired[int]


RefusalKind = Literal["blocked_by_robots", "bot_challenge", "unreachable", "paywall"]


class Access(TypedDict):
    """``access``: the outlet's overall access ``status``, plus counts of each kind of refusal
    the run met (only those it met)."""

    status: str
    blocked_by_robots: NotRequired[int]
    bot_challenge: NotRequired[int]
    unreachable: NotRequired[int]
    paywall: NotRequired[int]


class Window(TypedDict):
    start: str  # ISO 8601 UTC
    end: str


class DayCounts(TypedDict):
    """Articles of one UTC day: dated to it by the listings, held by the table, added."""

    expected: int
    stored: int
    new: int


class Timings(TypedDict, total=False):
    """Seconds per stage (a crawl run), or of the whole run (maintenance kinds)."""

    crawl_seconds: float | None
    extract_seconds: float | None
    translate_seconds: float | None
    publish_seconds: float
    seconds: float


class CrawlInfo(TypedDict, total=False):
    """From the crawl's summary (None where the run has none)."""

    finish_reason: str | None
    started_at: str | None
    finished_at: str | None
    raw_key: str | None


class TranslationInfo(TypedDict, total=False):
    """The model and what came of it (a crawl run: from its translate report; a
    re-translation: the translator's statistics too)."""

    model: str | None
    models_used: list[str] | None
    reasons: dict[str, int] | None
    stats: dict[str, int | float]
    target_tokens_per_s: float


class LinkFailure(TypedDict):
    """``links`` when the link pass after a publish failed (the next pass links its rows)."""

    error: str


class LinkSummary(TypedDict):
    """``links``: what the link pass after this run's commits did
    (``processing.pipeline.links.LinkReport``)."""

    run_id: str
    full: bool
    through: int | None
    since: int | None
    to_link: int
    duplicates: int
    linked: int
    rewritten: int
    renamed: int
    loaded: int
    restarts: int
    snapshot_id: int | None
    seconds: float


class RunManifest(TypedDict):
    """``runs/<run_id>.json`` (docs/corpus.md, "The run manifest")."""

    manifest_version: int
    run_id: str
    kind: str  # daily, backfill, retranslate, reprocess, maintenance, takedown, link
    outlet: str | None
    status: Literal["committed", "skipped"]
    reason: str | None
    first: str | None  # ISO days
    last: str | None
    window: Window | None
    started_at: str | None
    committed_at: str
    snapshot_id: int | None
    access: Access
    counts: ManifestCounts
    days: dict[str, DayCounts]  # by ISO day
    routes: list[str]
    timings: Timings
    crawl: CrawlInfo
    translation: TranslationInfo
    versions: dict[str, str]
    events: list[dict[str, str]]  # per-URL outcomes (a takedown: per article)
    links: NotRequired[LinkSummary | LinkFailure]
    maintenance: NotRequired[JSONObject]  # table maintenance: what it did


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


def empty_counts() -> ManifestCounts:
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


def base_manifest(run_id: str, kind: str, outlet: str | None) -> RunManifest:
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
) -> tuple[str, dict[RefusalKind, int]]:
    """The outlet's overall access status and counts of each kind of refusal.

    ``blocked_by_robots`` / ``bot_challenge`` / ``unreachable`` when no discovery request
    got through for that reason; ``partial`` when some article fetches met one; else ``ok``.
    """
    issues: Counter[RefusalKind] = Counter()
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
) -> dict[str, DayCounts]:
    """Per UTC day of the run: articles the listings dated to it (``expected``), articles
    the table holds for it after the run (``stored``) and those this run added (``new``)."""
    days: dict[str, DayCounts] = {
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
) -> RunManifest:
    store = corpus.store
    rid = spec.run_id
    found = store.get_json_or_none(layout.staging(rid, "crawl/summary.json"))
    summary = CrawlSummary.from_dict(found) if isinstance(found, dict) else None
    fetches = [
        FetchRecord.from_dict(d)
        for d in read_jsonl_gz(store, layout.staging(rid, "crawl/fetches.jsonl.gz"), True)
    ]
    candidates = [
        Candidate.from_dict(d)
        for d in read_jsonl_gz(store, layout.staging(rid, "crawl/candidates.jsonl.gz"), True)
    ]
    found = store.get_json_or_none(layout.staging(rid, "extract_report.json"))
    extract_report = ExtractReport.from_dict(found) if isinstance(found, dict) else None
    found = store.get_json_or_none(layout.staging(rid, "translate_report.json"))
    translate_report = TranslateReport.from_dict(found) if isinstance(found, dict) else None
    status, issues = access_status(fetches, candidates)
    statuses = Counter(r.translation_status for r in rows)
    article_fetches = [f for f in fetches if f.role == "article"]
    m = base_manifest(rid, spec.kind, spec.outlet)
    access: Access = {"status": status}
    for kind, n in issues.items():
        access[kind] = n
    m.update(
        {
            "first": spec.first.isoformat(),
            "last": spec.last.isoformat(),
            "window": {"start": spec.start.isoformat(), "end": spec.end.isoformat()},
            "started_at": summary.started_at if summary else None,
            "snapshot_id": result.snapshot_id,
            "access": access,
            "routes": sorted({c.route for c in candidates}),
            "days": per_day(spec, candidates, rows, result, stored_per_day(corpus, spec)),
            "timings": {
                "crawl_seconds": summary.seconds if summary else None,
                "extract_seconds": extract_report.seconds if extract_report else None,
                "translate_seconds": translate_report.seconds if translate_report else None,
                "publish_seconds": publish_seconds,
            },
            "crawl": {
                "finish_reason": summary.finish_reason if summary else None,
                "started_at": summary.started_at if summary else None,
                "finished_at": summary.finished_at if summary else None,
                "raw_key": summary.raw_key if summary else None,
            },
            "translation": {
                "model": translate_report.model if translate_report else None,
                "models_used": translate_report.models_used if translate_report else None,
                "reasons": translate_report.reasons if translate_report else None,
            },
            "events": extract_report.events if extract_report else [],
        }
    )
    extractor = extract_report.extractor_version if extract_report else ""
    m["versions"] = versions() | {"extractor": extractor}
    c = m["counts"]
    c.update(
        {
            "discovered": len(candidates),
            "discovery": dict(sorted(Counter(c_.decision for c_ in candidates).items())),
            "requests": len(fetches),
            # article pages this crawl asked the outlet for and got; ``reused``: those it took
            # from an earlier crawl's WARC instead (crawlers.journal)
            "fetched": sum(
                1 for f in article_fetches if f.outcome == "fetched" and not f.reused_from
            ),
            "reused": sum(1 for f in article_fetches if f.reused_from),
            "extracted": extract_report.extracted if extract_report else len(rows),
            "rejected": extract_report.rejected if extract_report else {},
            "translated": statuses.get("translated", 0),
            "source_english": statuses.get("source_english", 0),
            "pending": statuses.get("pending", 0),
            "translation_failed": statuses.get("failed", 0),
            "stored": {
                "new": result.new,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "moved": result.moved,
                "total": len(rows),
            },
        }
    )
    return m


def list_manifests(
    store: ObjectStore, prefix: str = layout.RUNS_PREFIX, since: datetime | None = None
) -> list[JSONObject]:
    """Every run manifest under ``runs/`` (crawl and maintenance runs), in key order;
    with ``since``, only those written at or after it. As stored: any version's shape."""
    keys = [
        obj["Key"]
        for obj in store.list_objects(prefix)
        if obj["Key"].endswith(".json") and (since is None or obj["LastModified"] >= since)
    ]
    with ThreadPoolExecutor(max_workers=16) as pool:
        return [m for m in pool.map(store.get_json, keys) if isinstance(m, dict)]


def latest_manifests(store: ObjectStore, slot_prefix: str) -> list[JSONObject]:
    """Manifests whose run id starts with ``slot_prefix`` (e.g. ``sohr_ar.backfill.``)."""
    return list_manifests(store, layout.manifest_key(slot_prefix)[: -len(".json")])


def per_day_totals(manifests: Sequence[Mapping[str, object]]) -> dict[str, dict[str, int]]:
    """Expected/stored/new per day over several runs (the largest expected figure per day,
    the latest run's stored figure, the sum for new)."""
    out: dict[str, dict[str, int]] = {}
    for m in sorted(manifests, key=lambda m: str(m.get("committed_at") or "")):
        add_day_totals(out, m)
    return dict(sorted(out.items()))


def add_day_totals(out: dict[str, dict[str, int]], manifest: Mapping[str, object]) -> None:
    """Fold one more run's manifest (newer than those already folded) into ``out``, the
    per-day totals of :func:`per_day_totals`: a long backfill keeps these, not manifests.
    Read defensively (a manifest read back from S3 is any version's JSON)."""
    days = manifest.get("days")
    for day, counts in days.items() if isinstance(days, Mapping) else ():
        if not isinstance(counts, Mapping):
            continue
        d = out.setdefault(str(day), {"expected": 0, "stored": 0, "new": 0})
        d["expected"] = max(d["expected"], _count(counts, "expected"))
        d["stored"] = _count(counts, "stored")
        d["new"] += _count(counts, "new")


def _count(counts: Mapping[str, object], key: str) -> int:
    value = counts.get(key, 0)
    return value if isinstance(value, int) else 0
