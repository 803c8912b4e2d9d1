"""``newsloom corpus ls|stats|export``: look at the corpus."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from processing.cli.common import out
from processing.core.config import Settings


def register(sub: Any) -> None:
    s = sub.add_parser("corpus", help="look at the corpus in S3")
    s.add_argument("action", choices=["ls", "stats", "export"])
    s.add_argument("--outlet")
    s.add_argument("--format", choices=["jsonl"], default="jsonl")
    s.add_argument("--columns", help="comma-separated columns to export")
    s.set_defaults(func=cmd_corpus)


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from processing import corpus
    from processing.core.s3 import open_store

    store = open_store(settings)
    if args.action == "ls":
        for outlet, day_, key in corpus.partitions(store, args.outlet):
            size = next(iter(store.list_objects(key)), {}).get("Size", 0)
            print(f"{outlet:<16}{day_}  {size:>9} B  {store.uri(key)}")
        return 0
    if args.action == "stats":
        per: Counter[tuple[str, str, str]] = Counter()
        for row in corpus.iter_articles(
            store, args.outlet, ["outlet", "language", "translation_status"]
        ):
            per[(row["outlet"], row["language"], row["translation_status"])] += 1
        print(f"{'outlet':<16}{'language':<10}{'translation':<16}{'articles':>9}")
        for (o, lang, st), n in sorted(per.items()):
            print(f"{o:<16}{lang:<10}{st:<16}{n:>9}")
        print(f"{'total':<42}{sum(per.values()):>9}")
        return 0
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    for row in corpus.iter_articles(store, args.outlet, columns):
        out(row)
    return 0
