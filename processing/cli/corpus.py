"""``newsloom corpus …``: look at the table, follow its changes, take articles down, migrate
and maintain it. The looking commands (info, ls, stats, export, changes, snapshots) open the
corpus for reading and create nothing anywhere."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from processing.cli.common import out
from processing.cli.exitcodes import Exit
from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.cli.common import Subcommands
    from processing.corpus import Corpus

READ_ACTIONS = ("info", "ls", "stats", "export", "changes", "snapshots", "stories")
WRITE_ACTIONS = ("delete", "migrate", "maintain", "link")
ACTIONS = READ_ACTIONS + WRITE_ACTIONS


def register(sub: Subcommands) -> None:
    s = sub.add_parser(
        "corpus",
        help="the article table: info, ls, stats, export, changes, snapshots, stories (read); "
        "delete, migrate, maintain, link (write)",
    )
    s.add_argument("action", choices=ACTIONS)
    s.add_argument("--outlet")
    s.add_argument("--columns", help="export: comma-separated columns")
    s.add_argument("--snapshot", type=int, help="export: read this snapshot (time travel)")
    s.add_argument(
        "--since",
        help="changes: after this snapshot id or ISO time (exclusive; default: the start); "
        "stories: articles published from this ISO day or time on",
    )
    s.add_argument(
        "--until",
        help="changes: up to this snapshot id or ISO time (inclusive; default: now); "
        "stories: articles published before this ISO day or time",
    )
    s.add_argument(
        "--min-size", type=int, default=2, help="stories: only stories of this many articles"
    )
    s.add_argument(
        "--all",
        action="store_true",
        help="link: link every row from scratch (after changing NEWSLOOM_STORY_*)",
    )
    s.add_argument(
        "--article-id", action="append", default=[], help="delete: an article id (repeatable)"
    )
    s.add_argument(
        "--url", action="append", default=[], help="delete: an article's URL (repeatable)"
    )
    s.add_argument("--reason", help="delete: why (a takedown request, a legal notice…); required")
    s.add_argument(
        "--raw",
        action="store_true",
        help="delete: also blank the article's raw WARC record (same length, so every other "
        "raw_ref stays valid)",
    )
    s.add_argument(
        "--retention-days", type=float, default=30.0, help="maintain: keep snapshots this long"
    )
    s.set_defaults(func=cmd_corpus)


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from processing.corpus import SnapshotNotFound, open_corpus

    action = args.action
    if action == "delete":
        return cmd_delete(args, settings)
    corpus = open_corpus(settings=settings, write=action in WRITE_ACTIONS)
    try:
        return (
            _read_action(corpus, args, settings)
            if action in READ_ACTIONS
            else _write_action(corpus, args)
        )
    except SnapshotNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE


def _read_action(corpus: Corpus, args: argparse.Namespace, settings: Settings) -> int:
    action = args.action
    if action == "info":
        from processing.corpus.writer import hint_location

        tbl = corpus.articles.table()
        where = corpus.locator.where("articles")
        print(f"table:     {where}")
        print(f"location:  {tbl.location()}")
        print(f"metadata:  {tbl.metadata_location}")
        print(f"hint:      {hint_location(tbl.location())} (catalog-less readers)")
        print(f"snapshot:  {corpus.snapshot_id()}")
        print(f"snapshots: {len(tbl.metadata.snapshots)} kept")
        return Exit.OK
    if action == "ls":
        from processing.corpus.maintenance import table_stats
        from processing.corpus.writer import EntryCache, Layout

        tbl = corpus.articles.table()
        layout = Layout(tbl, EntryCache(size=100_000))
        per: dict[tuple[str, str], list[int]] = {}
        for m, e in layout.entries(layout.manifests):
            _, outlet, value = m.spec.key(e.data_file.partition)
            label = _time_label(m.spec.time_unit, value)
            acc = per.setdefault((outlet, label), [0, 0, 0])
            acc[0] += e.data_file.record_count
            acc[1] += 1
            acc[2] += e.data_file.file_size_in_bytes
        for (outlet, label), (rows, files, size) in sorted(per.items()):
            if args.outlet and outlet != args.outlet:
                continue
            print(f"{outlet:<16}{label:<12}{rows:>7} rows{files:>4} file(s)  {size:>9} B")
        stats = table_stats(tbl)
        print(
            f"{stats['rows']} rows in {stats['data_files']} file(s), {stats['partitions']} "
            f"partition(s), {stats['manifests']} manifest(s), {stats['snapshots']} snapshot(s)"
        )
        return Exit.OK
    if action == "stats":
        table = corpus.read(["outlet", "language", "translation_status"], outlet=args.outlet)
        per_key: Counter[tuple[str, str, str]] = Counter(
            zip(
                table.column("outlet").to_pylist(),
                table.column("language").to_pylist(),
                table.column("translation_status").to_pylist(),
                strict=True,
            )
        )
        print(f"{'outlet':<16}{'language':<10}{'translation':<16}{'articles':>9}")
        for (o, lang, st), n in sorted(per_key.items()):
            print(f"{o:<16}{lang:<10}{st:<16}{n:>9}")
        print(f"{'total':<42}{sum(per_key.values()):>9}")
        return Exit.OK
    if action == "export":
        columns = (
            [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
        )
        try:
            table = corpus.read(columns, outlet=args.outlet, snapshot_id=args.snapshot)
        except ValueError as exc:  # an unknown column
            print(f"error: {exc}", file=sys.stderr)
            return Exit.USAGE
        for batch in table.to_batches(1000):
            for row in batch.to_pylist():
                out(row)
        return Exit.OK
    if action == "stories":
        from processing.corpus.clusters import story_clusters

        try:
            since, until = _when(args.since), _when(args.until)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return Exit.USAGE
        for cluster in story_clusters(corpus, since, until, args.outlet, args.min_size):
            out(cluster.to_dict())
        return Exit.OK
    if action == "changes":
        for change in corpus.changes(args.since, args.until):
            if args.outlet and change.outlet != args.outlet:
                continue
            out(change.to_dict())
        return Exit.OK
    for snap in corpus.snapshots():  # snapshots
        out(snap)
    return Exit.OK


def _time_label(unit: str, value: int | None) -> str:
    from datetime import date

    if value is None:
        return "undated"
    if unit == "month":
        return f"{1970 + value // 12:04d}-{value % 12 + 1:02d}"
    return date.fromordinal(date(1970, 1, 1).toordinal() + value).isoformat()


def _when(text: str | None) -> datetime | None:
    """An ISO day or time (UTC unless it says otherwise), or None."""
    from datetime import UTC

    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"not an ISO day or time (2026-11-20, 2026-11-20T06:00Z): {text!r}"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _write_action(corpus: Corpus, args: argparse.Namespace) -> int:
    if args.action == "link":
        from processing.pipeline.links import link_corpus

        r = link_corpus(corpus, corpus.settings, everything=args.all, cause="corpus link").to_dict()
        print(
            f"linked {r['to_link']} row(s){' from scratch' if r['full'] else ''}: "
            f"{r['duplicates']} duplicate(s), {r['linked']} linked to another article; "
            f"{r['rewritten']} row(s) rewritten; snapshot {r['snapshot_id']}; "
            f"linked through snapshot {r['through']}"
        )
        return Exit.OK
    if args.action == "migrate":
        from processing.pipeline.migrate import migrate_v1

        report = migrate_v1(corpus, args.outlet)
        print(
            f"migrated {report.rows} row(s) from {report.objects} v1 object(s): "
            f"{report.new} new, {report.unchanged} already in the table; "
            f"snapshot {report.snapshot_id}"
        )
        return Exit.OK
    from processing.pipeline.maintenance import maintain_table

    m = maintain_table(corpus, retention=timedelta(days=args.retention_days))
    print(f"table maintenance: {m['maintenance']}")
    return Exit.OK


def cmd_delete(args: argparse.Namespace, settings: Settings) -> int:
    """A takedown: the rows go in one snapshot with a ``delete`` event carrying the reason,
    the run manifest records it; deleting what is not there changes nothing."""
    from processing.corpus import open_corpus
    from processing.pipeline.takedown import takedown

    if not args.reason or not args.reason.strip():
        print(
            "error: corpus delete needs --reason (it is kept in the change feed)", file=sys.stderr
        )
        return Exit.USAGE
    if not args.article_id and not args.url:
        print("error: corpus delete needs --article-id or --url", file=sys.stderr)
        return Exit.USAGE
    corpus = open_corpus(settings=settings, write=True)
    manifest = takedown(corpus, args.article_id, args.url, reason=args.reason.strip(), raw=args.raw)
    c = manifest["counts"]
    print(
        f"deleted {c['deleted']} article(s) ({c['absent']} not in the table); raw records "
        f"blanked: {c['raw_blanked']}; snapshot {manifest['snapshot_id']}; manifest "
        f"{corpus.store.uri('runs/' + manifest['run_id'] + '.json')}"
    )
    return Exit.OK
