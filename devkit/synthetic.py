"""Synthetic report inputs: run manifests and article columns for any number of outlets and
days, with optional faults (a layout change that drops dates, a volume collapse, …).

For the health rules' tests, the report's screenshot test and ``benchmarks/report.py``
(development only: the shipped packages never import it); deterministic for a given seed.
The shapes follow the real manifest and corpus schema, so the same aggregation code runs on
them as on a real store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from processing.report.loader import ReportInputs

_TS = pa.timestamp("us", tz="UTC")
FAULTS = ("no_dates", "misdated", "volume", "short_body", "blocked", "no_translation")


@dataclass(frozen=True)
class SynthOutlet:
    id: str
    language: str = "en"
    per_day: float = 20.0
    authors_rate: float = 0.9
    tags_rate: float = 0.8
    body_median: float = 2500.0


def default_outlets(n: int) -> list[SynthOutlet]:
    names = [
        "sohr_ar", "sohr_en", "sputnik_ar", "sputnik_en", "politico", "enab_ar", "enab_en",
        "npa_ar", "npa_en", "levant_daily", "north_ar", "north_en",
    ]  # fmt: skip
    out = []
    for i in range(n):
        name = names[i] if i < len(names) else f"outlet_{i:02d}"
        lang = "ar" if name.endswith("_ar") else "en"
        out.append(
            SynthOutlet(
                name,
                lang,
                per_day=12.0 + 7 * (i % 5),
                authors_rate=0.0 if i % 4 == 3 else 0.92,
                tags_rate=0.85 if i % 3 else 0.4,
                body_median=1800.0 + 400 * (i % 4),
            )
        )
    return out


def synthesize(
    first: date,
    last: date,
    outlets: list[SynthOutlet] | int = 10,
    faults: Mapping[str, tuple[str, int]] | None = None,
    seed: int = 7,
    with_text: bool = False,
) -> ReportInputs:
    """Daily runs of every outlet over ``[first, last]`` and the articles they stored.

    ``faults`` maps an outlet to ``(fault, days)``: the fault applies to its last ``days``
    days: ``no_dates`` (pages lose their date: published_at from the listing), ``misdated``
    (pages lose their date and a heuristic dates them three weeks back),
    ``volume`` (a tenth of the articles), ``short_body`` (bodies a tenth as long),
    ``blocked`` (a bot challenge refuses most requests), ``no_translation`` (non-English
    articles stay pending).
    """
    rng = np.random.default_rng(seed)
    specs = default_outlets(outlets) if isinstance(outlets, int) else outlets
    faults = dict(faults or {})
    for o, (kind, _) in faults.items():
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r} for {o}; known: {FAULTS}")
    n_days = (last - first).days + 1
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "outlet", "title", "language", "published_at", "published_at_source", "authors",
            "tags", "section", "translation_status", "translated_at", "fetched_at",
            "ingested_at", "updated_at", "run_id", "body_chars",
        )
    }  # fmt: skip
    manifests: list[dict[str, Any]] = []
    for spec in specs:
        fault, fault_days = faults.get(spec.id, ("", 0))
        for i in range(n_days):
            day = first + timedelta(days=i)
            faulty = fault and i >= n_days - fault_days
            start = datetime.combine(day, time(), UTC)
            n = int(rng.poisson(spec.per_day))
            expected = n + int(rng.integers(0, 3))
            if faulty and fault == "volume":
                n = n // 10
            rejected = {
                "not_article": int(rng.integers(0, 4)),
                "too_short": int(rng.integers(0, 2)),
            }
            requests = expected + 6
            access: dict[str, Any] = {"status": "ok"}
            if faulty and fault == "blocked":
                access = {"status": "partial", "bot_challenge": int(requests * 0.8)}
                rejected["bot_challenge"] = int(expected * 0.8)
                n = max(0, n - rejected["bot_challenge"])
            elif rng.random() < 0.05:
                rejected["http_404"] = 1
            run_id = f"{spec.id}.daily.{day.isoformat()}.{day:%Y%m%d}T041000Z-{i % 65536:04x}"
            fetch_time = start + timedelta(days=1, hours=4)
            pending = 0
            translated = 0
            for _ in range(n):
                published = start + timedelta(seconds=int(rng.integers(0, 86400)))
                cols["outlet"].append(spec.id)
                cols["title"].append(f"{spec.id} headline" if rng.random() > 0.005 else None)
                cols["language"].append(spec.language)
                source = "meta"
                if faulty and fault == "no_dates":
                    source = "listing"
                elif faulty and fault == "misdated":
                    published, source = published - timedelta(days=21), "htmldate"
                cols["published_at"].append(published)
                cols["published_at_source"].append(source)
                cols["authors"].append(["A. Writer"] if rng.random() < spec.authors_rate else [])
                cols["tags"].append(["politics", "syria"] if rng.random() < spec.tags_rate else [])
                cols["section"].append("news")
                body = max(220.0, rng.lognormal(np.log(spec.body_median), 0.45))
                if faulty and fault == "short_body":
                    body = max(210.0, body / 10)
                cols["body_chars"].append(int(body))
                if spec.language == "en":
                    status, done = "source_english", fetch_time
                elif faulty and fault == "no_translation":
                    status, done = "pending", None
                    pending += 1
                else:
                    status, done = "translated", fetch_time + timedelta(minutes=5)
                    translated += 1
                cols["translation_status"].append(status)
                cols["translated_at"].append(done)
                cols["fetched_at"].append(fetch_time)
                cols["ingested_at"].append(fetch_time)
                cols["updated_at"].append(done or fetch_time)
                cols["run_id"].append(run_id)
            manifests.append(
                {
                    "manifest_version": 2,
                    "run_id": run_id,
                    "outlet": spec.id,
                    "kind": "daily",
                    "first": day.isoformat(),
                    "last": day.isoformat(),
                    "window": {
                        "start": (start - timedelta(hours=6)).isoformat(),
                        "end": (start + timedelta(days=1)).isoformat(),
                    },
                    "status": "committed",
                    "access": access,
                    "committed_at": (fetch_time + timedelta(minutes=10)).isoformat(),
                    "counts": {
                        "discovered": expected + 3,
                        "requests": requests,
                        "fetched": n + sum(rejected.values()),
                        "extracted": n,
                        "rejected": rejected,
                        "translated": translated,
                        "source_english": n if spec.language == "en" else 0,
                        "pending": pending,
                        "translation_failed": 0,
                        "stored": {"new": n, "updated": 0, "unchanged": 0, "total": n},
                    },
                    "days": {day.isoformat(): {"expected": expected, "stored": n, "new": n}},
                }
            )
    table = pa.table(
        {
            "outlet": pa.array(cols["outlet"], pa.string()),
            "title": pa.array(cols["title"], pa.string()),
            "language": pa.array(cols["language"], pa.string()),
            "published_at": pa.array(cols["published_at"], _TS),
            "published_at_source": pa.array(cols["published_at_source"], pa.string()),
            "authors": pa.array(cols["authors"], pa.list_(pa.string())),
            "tags": pa.array(cols["tags"], pa.list_(pa.string())),
            "section": pa.array(cols["section"], pa.string()),
            "translation_status": pa.array(cols["translation_status"], pa.string()),
            "translated_at": pa.array(cols["translated_at"], _TS),
            "fetched_at": pa.array(cols["fetched_at"], _TS),
            "ingested_at": pa.array(cols["ingested_at"], _TS),
            "updated_at": pa.array(cols["updated_at"], _TS),
            "run_id": pa.array(cols["run_id"], pa.string()),
            "body_chars": pa.array(cols["body_chars"], pa.int64()),
        }
    )
    if with_text:
        text = pa.array(["x" * n for n in cols["body_chars"]], pa.string())
        table = table.remove_column(table.column_names.index("body_chars")).append_column(
            "text", text
        )
    return ReportInputs(articles=table, manifests=manifests)
