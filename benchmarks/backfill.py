"""Backfill at scale on the outlet mirror: fetches per stored article, crawl and processing speed.

    python -m benchmarks.backfill [--days 30] [--outlets sputnik_ar,sohr_en,levant_daily]
                                  [--polite] [--update-docs]

For each outlet, a ``--days`` backfill (``newsloom backfill``'s function, chunked by a week)
against the mirror serving that many days, into a fresh bucket of an embedded SeaweedFS server:

- politeness off (``NEWSLOOM_CRAWL_DELAY=0``): pages per minute of crawling, article fetches
  per stored article, and processing throughput without translation (articles per second
  through extract + language ID, one process = one core);
- with ``--polite``, the same with the outlets' own delays (their registry politeness):
  measured crawl time against requests × delay / concurrency, the time politeness alone
  would take.

Results: a table on stdout, ``benchmarks/out/backfill.json``; ``--update-docs`` rewrites the
"Backfill" section of docs/BENCHMARKS.md (and only that section).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from processing.pipeline.manifest import RunManifest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "backfill.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Backfill"
ANCHOR = date(2026, 11, 20)
OUTLETS = ("sputnik_ar", "sohr_en", "levant_daily")


def _run(
    outlet: str, days: int, polite: bool, mirror: Any, state: Path, port: int
) -> dict[str, Any]:
    from crawlers.registry import get_outlet
    from devkit.mirror.route import route_env
    from processing.core.config import Settings
    from processing.core.s3 import open_store
    from processing.corpus import open_corpus
    from processing.pipeline.runner import backfill

    env = {
        "NEWSLOOM_STATE_DIR": str(state),
        "NEWSLOOM_S3_PORT": str(port),
        "NEWSLOOM_S3_BUCKET": f"bench-{outlet.replace('_', '-')}-{'polite' if polite else 'fast'}",
        **route_env(mirror.url),
        "NEWSLOOM_TRANSLATION_MODEL": str(state / "no-model"),  # processing without translation
        "HF_HUB_OFFLINE": "1",
        "NEWSLOOM_OUTLETS_DIR": str(ROOT / "devkit" / "mirror" / "outlets"),
    }
    os.environ.update(env)
    if polite:
        os.environ.pop("NEWSLOOM_CRAWL_DELAY", None)
    else:
        os.environ["NEWSLOOM_CRAWL_DELAY"] = "0"
    settings = Settings.from_env()
    corpus = open_corpus(
        store=open_store(settings, create_bucket=True), settings=settings, write=True
    )
    first, last = ANCHOR - timedelta(days=days - 1), ANCHOR
    started = time.monotonic()
    report = backfill(outlet, first, last, settings, corpus)
    wall = time.monotonic() - started
    manifests = [  # the chunks' own manifests, just written
        cast("RunManifest", corpus.store.get_json(f"runs/{c.run_id}.json")) for c in report.chunks
    ]
    requests = sum(m["counts"]["requests"] for m in manifests)
    crawl_s = sum(m["timings"]["crawl_seconds"] or 0 for m in manifests)
    extract_s = sum(m["timings"]["extract_seconds"] or 0 for m in manifests)
    publish_s = sum(m["timings"]["publish_seconds"] or 0 for m in manifests)
    extracted = sum(m["counts"]["extracted"] for m in manifests)
    stored = sum(d.stored for d in report.days)
    expected = len(mirror.catalog.stored_between(outlet, first, last))
    p = get_outlet(outlet, settings.outlets_dirs).politeness
    return {
        "outlet": outlet,
        "polite": polite,
        "days": days,
        "chunks": len(report.chunks),
        "catalog_articles": expected,
        "stored": stored,
        "article_fetches": report.fetched,
        "requests": requests,
        "fetches_per_stored": round(report.fetched / max(1, stored), 3),
        "wall_seconds": round(wall, 1),
        "crawl_seconds": round(crawl_s, 1),
        "pages_per_minute": round(requests / max(crawl_s, 1e-9) * 60, 1),
        "extract_seconds": round(extract_s, 2),
        "articles_per_second_per_core": round(extracted / max(extract_s, 1e-9), 1),
        "publish_seconds": round(publish_s, 2),
        "delay": p.delay,
        "concurrency": p.concurrency,
        "politeness_floor_seconds": round(requests * p.delay, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--outlets", default=",".join(OUTLETS))
    parser.add_argument("--polite", action="store_true", help="also run with the outlets' delays")
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from devkit.mirror.server import MirrorServer
    from processing.core.embedded_s3 import EmbeddedS3
    from tests.conftest import _free_port_block

    results = []
    with tempfile.TemporaryDirectory(prefix="newsloom-bench-backfill-") as tmp:
        state, port = Path(tmp), _free_port_block()
        try:
            with MirrorServer(anchor=ANCHOR, days=args.days) as mirror:
                for outlet in args.outlets.split(","):
                    for polite in (False, True) if args.polite else (False,):
                        r = _run(outlet, args.days, polite, mirror, state, port)
                        results.append(r)
                        print(json.dumps(r), flush=True)
        finally:
            EmbeddedS3(state, port).down()
    meta = {
        "command": "python -m benchmarks.backfill " + " ".join(argv or sys.argv[1:]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    table = render(meta, results)
    print(table)
    if args.update_docs:
        _update_docs(table)
    return 0


def render(meta: dict[str, Any], results: list[dict[str, Any]]) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `{meta['command']}` ({meta['machine']}; load average at the end "
        f"{meta['load_average']}). A {results[0]['days']}-day backfill per outlet against the "
        "mirror, chunked by a week, translation off; each article page fetched at most once "
        "(tests/test_backfill_scale.py checks it for every outlet).",
        "",
        "| outlet | politeness | catalog | stored | article fetches | fetches/stored | requests "
        "| crawl s | pages/min | extract: articles/s/core | wall s | requests × delay s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['outlet']} | {'own delay ' + str(r['delay']) + ' s' if r['polite'] else 'off'} "
            f"| {r['catalog_articles']} | {r['stored']} | {r['article_fetches']} "
            f"| {r['fetches_per_stored']} | {r['requests']} | {r['crawl_seconds']} "
            f"| {r['pages_per_minute']} | {r['articles_per_second_per_core']} "
            f"| {r['wall_seconds']} | {r['politeness_floor_seconds'] if r['polite'] else '—'} |"
        )
    return "\n".join(lines) + "\n"


def _update_docs(table: str) -> None:
    text = DOCS.read_text()
    start = text.find(SECTION)
    if start < 0:
        DOCS.write_text(text.rstrip() + "\n\n" + table)
        return
    nxt = text.find("\n## ", start + len(SECTION))
    DOCS.write_text(text[:start] + table + (text[nxt:] if nxt >= 0 else ""))


if __name__ == "__main__":
    raise SystemExit(main())
