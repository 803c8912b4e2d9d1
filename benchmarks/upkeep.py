"""Table upkeep on a corpus of 50,000+ rows: files per partition and scan times before and
after ``newsloom corpus maintain``.

    python -m benchmarks.upkeep [--days 180] [--outlets 9] [--rows 31] [--update-docs]

The "before" table is laid out as earlier versions left it: partitioned by day, and one data
file per commit in every partition it touched (``--rows`` articles per outlet-day, committed a
week per outlet at a time, three re-crawls of each week adding small files). ``maintain_table``
then moves the table to month partitions and compacts; the benchmark times a full scan, one
outlet-month and one outlet-day, counts data files, files per partition and metadata/data
bytes, before and after.

Results: a table on stdout, ``benchmarks/out/upkeep.json``; ``--update-docs`` rewrites the
"Table upkeep" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.scale import FIRST_DAY, OUTLETS, Articles, _env, _metadata_usage

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "upkeep.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Table upkeep"


def _legacy_table(corpus: Any) -> None:
    """Re-create the articles table partitioned by day (as earlier versions made it) and let
    small files pile up (no folding at commit)."""
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import DayTransform, IdentityTransform

    from processing.corpus import schema as S
    from processing.corpus.setup import ARTICLE_PROPERTIES

    catalog = corpus.catalog
    ident = corpus.locator.identifier("articles")
    catalog.drop_table(ident)
    schema = S.iceberg_schema()
    spec = PartitionSpec(
        PartitionField(schema.find_field("outlet").field_id, 1000, IdentityTransform(), "outlet"),
        PartitionField(
            schema.find_field("published_at").field_id, 1001, DayTransform(), "published_day"
        ),
    )
    catalog.create_table(
        ident,
        schema=schema,
        location=corpus.locator.location("articles") + "-legacy",
        partition_spec=spec,
        properties={
            **ARTICLE_PROPERTIES,
            "format-version": "2",
            "newsloom.commit.max-small-files": "100000",  # what earlier versions did
        },
    )


def _scans(corpus: Any) -> dict[str, Any]:
    from processing.corpus.expr import both, eq, published_days
    from processing.corpus.maintenance import table_stats

    def timed(fn: Any) -> tuple[int, float]:
        t0 = time.perf_counter()
        rows = fn().num_rows
        return rows, round(time.perf_counter() - t0, 3)

    month = (FIRST_DAY + timedelta(days=60)).replace(day=1)
    last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    day = month + timedelta(days=9)
    full = timed(lambda: corpus.read())
    one_month = timed(
        lambda: corpus.read(row_filter=both(eq("outlet", "sohr_ar"), published_days(month, last)))
    )
    one_day = timed(
        lambda: corpus.read(row_filter=both(eq("outlet", "sohr_ar"), published_days(day, day)))
    )
    return {
        "table": table_stats(corpus.articles.table()),
        "usage": _metadata_usage(corpus),
        "full_scan": {"rows": full[0], "seconds": full[1]},
        "outlet_month": {"rows": one_month[0], "seconds": one_month[1]},
        "outlet_day": {"rows": one_day[0], "seconds": one_day[1]},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--outlets", type=int, default=len(OUTLETS))
    ap.add_argument("--rows", type=int, default=31)
    ap.add_argument("--recrawls", type=int, default=3)
    ap.add_argument("--port", type=int, default=18533)
    ap.add_argument("--update-docs", action="store_true")
    args = ap.parse_args(argv)

    from processing.core.embedded_s3 import EmbeddedS3

    state = Path(tempfile.mkdtemp(prefix="newsloom-upkeep-"))
    server = EmbeddedS3(state, args.port)
    server.up()
    try:
        _env(state, args.port, f"upkeep-{os.getpid()}")
        from processing.core.config import Settings
        from processing.core.s3 import open_store
        from processing.corpus import open_corpus
        from processing.pipeline.maintenance import maintain_table

        settings = Settings.from_env()
        corpus = open_corpus(
            store=open_store(settings, create_bucket=True), settings=settings, write=True
        )
        corpus.articles.table()
        _legacy_table(corpus)
        corpus = open_corpus(settings=settings, write=True)
        articles = Articles(args.rows)
        outlets = OUTLETS[: args.outlets]
        t0 = time.monotonic()
        for week in range(0, args.days, 7):
            for outlet in outlets:
                days = [
                    FIRST_DAY + timedelta(days=d) for d in range(week, min(week + 7, args.days))
                ]
                for recrawl in range(args.recrawls):
                    # each re-crawl finds a few late articles per day: a small file per day
                    rows = [
                        r
                        for day in days
                        for r in (
                            articles.rows(outlet, day)
                            if recrawl == 0
                            else articles.rows(outlet, day, first=1000 * recrawl)[:2]
                        )
                    ]
                    corpus.commit(rows, run_id=f"{outlet}.{week}.{recrawl}", kind="backfill")
        build_s = round(time.monotonic() - t0, 1)
        before = _scans(corpus)
        print(f"before: {json.dumps(before)}", flush=True)
        t0 = time.perf_counter()
        # every writer has finished: expire the history and remove orphans at once, so the
        # "after" figures are the steady state (a live table keeps 30 days, 3 days' grace)
        manifest = maintain_table(
            corpus,
            retention=timedelta(0),
            orphan_grace=timedelta(0),
            staging_retention=timedelta(0),
        )
        maintain_s = round(time.perf_counter() - t0, 1)
        after = _scans(corpus)
        result = {
            "command": "python -m benchmarks.upkeep " + " ".join(argv or sys.argv[1:]),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "build_seconds": build_s,
            "maintain_seconds": maintain_s,
            "maintenance": manifest["maintenance"],
            "before": before,
            "after": after,
        }
    finally:
        server.down()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(OUT.read_text()) if OUT.exists() else []
    runs = [*runs[-4:], result]
    OUT.write_text(json.dumps(runs, indent=1))
    print(render(result))
    if args.update_docs:
        update_docs(runs)
    return 0


def render(r: dict[str, Any]) -> str:
    lines = [
        f"built in {r['build_seconds']}s; maintain took {r['maintain_seconds']}s",
        "| | data files | partitions | files per partition (max / mean) | full scan | "
        "one outlet-month | one outlet-day | metadata / data bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in ("before", "after"):
        s = r[label]
        t, u = s["table"], s["usage"]
        lines.append(
            f"| {label} | {t['data_files']} | {t['partitions']} | "
            f"{t['files_per_partition_max']} / {t['files_per_partition_mean']} | "
            f"{s['full_scan']['rows']} rows, {s['full_scan']['seconds']} s | "
            f"{s['outlet_month']['rows']} rows, {s['outlet_month']['seconds']} s | "
            f"{s['outlet_day']['rows']} rows, {s['outlet_day']['seconds']} s | "
            f"{u['metadata_bytes']} / {u['data_bytes']} |"
        )
    return "\n".join(lines)


def update_docs(runs: list[dict[str, Any]]) -> None:
    text = DOCS.read_text()
    body = [
        SECTION,
        "",
        "`python -m benchmarks.upkeep` (module docstring: what and how). Runs, newest last:",
        "",
    ]
    for r in runs[-2:]:
        body += [f"### {r['date']} — `{r['command'].strip()}` ({r['machine']})", "", render(r), ""]
    block = "\n".join(body)
    if SECTION in text:
        start = text.index(SECTION)
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + block + (text[nxt + 1 :] if nxt != -1 else "")
    else:
        text = text.rstrip() + "\n\n" + block
    DOCS.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
