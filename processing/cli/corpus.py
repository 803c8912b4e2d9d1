"""``newsloom corpus …``: look at the table, follow its changes, migrate and maintain it."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import timedelta
from typing import Any

from processing.cli.common import out
from processing.core.config import Settings

ACTIONS = ("info", "ls", "stats", "export", "changes", "snapshots", "migrate", "maintain")


def register(sub: Any) -> None:
    s = sub.add_parser(
        "corpus",
        help="the article table: info, ls, stats, export, changes, snapshots, migrate, maintain",
    )
    s.add_argument("action", choices=ACTIONS)
    s.add_argument("--outlet")
    s.add_argument("--columns", help="export: comma-separated columns")
    s.add_argument("--snapshot", type=int, help="export: read this snapshot (time travel)")
    s.add_argument("--since", help="changes: a snapshot id (exclusive) or an ISO time")
    s.add_argument("--until", help="changes: a snapshot id or an ISO time (default: now)")
    s.add_argument(
        "--retention-days", type=float, default=30.0, help="maintain: keep snapshots this long"
    )
    s.set_defaults(func=cmd_corpus)


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from processing.corpus import open_corpus

    corpus = open_corpus(settings=settings)
    action = args.action
    if action == "info":
        from processing.corpus.catalog import describe

        print(f"catalog:   {describe(settings)} (namespace {settings.catalog_namespace})")
        print(f"table:     {settings.catalog_namespace}.articles")
        print(f"metadata:  {corpus.articles.metadata_location}")
        print(f"snapshot:  {corpus.snapshot_id()}")
        print(f"warehouse: {settings.warehouse}")
        return 0
    if action == "ls":
        tbl = corpus.articles.table()
        if tbl.current_snapshot() is None:
            return 0
        parts = tbl.inspect.partitions().to_pylist()
        for p in sorted(
            parts, key=lambda p: (p["partition"]["outlet"], str(p["partition"]["published_day"]))
        ):
            part = p["partition"]
            print(
                f"{part['outlet']:<16}{part['published_day']!s:<12}{p['record_count']:>7} rows"
                f"{p['file_count']:>4} file(s)  {p['total_data_file_size_in_bytes']:>9} B"
            )
        return 0
    if action == "stats":
        table = corpus.read(["outlet", "language", "translation_status"], outlet=args.outlet)
        per: Counter[tuple[str, str, str]] = Counter(
            zip(
                table.column("outlet").to_pylist(),
                table.column("language").to_pylist(),
                table.column("translation_status").to_pylist(),
                strict=True,
            )
        )
        print(f"{'outlet':<16}{'language':<10}{'translation':<16}{'articles':>9}")
        for (o, lang, st), n in sorted(per.items()):
            print(f"{o:<16}{lang:<10}{st:<16}{n:>9}")
        print(f"{'total':<42}{sum(per.values()):>9}")
        return 0
    if action == "export":
        columns = (
            [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
        )
        table = corpus.read(columns, outlet=args.outlet, snapshot_id=args.snapshot)
        for batch in table.to_batches(1000):
            for row in batch.to_pylist():
                out(row)
        return 0
    if action == "changes":
        from processing.corpus import SnapshotNotFound

        try:
            for change in corpus.changes(args.since, args.until):
                if args.outlet and change.outlet != args.outlet:
                    continue
                out(change.to_dict())
        except SnapshotNotFound as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    if action == "snapshots":
        for snap in corpus.snapshots():
            out(snap)
        return 0
    if action == "migrate":
        from processing.pipeline.migrate import migrate_v1

        report = migrate_v1(corpus, args.outlet)
        print(
            f"migrated {report['rows']} row(s) from {report['objects']} v1 object(s): "
            f"{report['new']} new, {report['unchanged']} already in the table; "
            f"snapshot {report['snapshot_id']}"
        )
        return 0
    from processing.pipeline.maintenance import maintain_table

    m = maintain_table(corpus, retention=timedelta(days=args.retention_days))
    print(f"table maintenance: {m['maintenance']}")
    return 0
