"""``newsloom retranslate`` and ``reprocess``: corpus maintenance without re-crawling."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from processing.cli.common import day
from processing.core.config import Settings


def register(sub: Any) -> None:
    s = sub.add_parser("retranslate", help="translate pending rows / rows of another model")
    s.add_argument("--outlet")
    s.add_argument("--model", help="model id or directory (default NEWSLOOM_TRANSLATION_MODEL)")
    s.add_argument("--all", action="store_true", help="re-translate every non-English row")
    s.set_defaults(func=cmd_retranslate)

    s = sub.add_parser("reprocess", help="rebuild rows from raw WARC without re-crawling")
    s.add_argument("--outlet", required=True)
    s.add_argument("--from", dest="from_", type=day, required=True)
    s.add_argument("--to", type=day, required=True)
    s.add_argument("--no-translate", action="store_true", help="leave changed rows pending")
    s.set_defaults(func=cmd_reprocess)


def cmd_retranslate(args: argparse.Namespace, settings: Settings) -> int:
    from processing.core.s3 import open_store
    from processing.pipeline.maintenance import retranslate

    if args.model:
        settings = dataclasses.replace(settings, translation_model=args.model)
    store = open_store(settings)
    r = retranslate(store, settings, args.outlet, everything=args.all)
    print(
        f"retranslate: examined {r.examined} rows, selected {r.selected}, rewrote "
        f"{r.rewritten}; statuses {dict(r.statuses)}; manifest "
        f"{store.uri('runs/' + r.run_id + '.json')}"
    )
    if r.statuses.get("pending"):
        print(
            "  some rows are still pending: is NEWSLOOM_TRANSLATION_MODEL "
            f"({settings.translation_model}) reachable?"
        )
    return 0


def cmd_reprocess(args: argparse.Namespace, settings: Settings) -> int:
    from processing.core.s3 import open_store
    from processing.pipeline.maintenance import reprocess

    store = open_store(settings)
    r = reprocess(
        store, settings, args.outlet, args.from_, args.to, translate=not args.no_translate
    )
    print(
        f"reprocess {args.outlet} {args.from_}..{args.to}: examined {r.examined} rows, "
        f"rebuilt {r.selected}, rewrote {r.rewritten}; problems {dict(r.problems) or 'none'}"
    )
    return 0
