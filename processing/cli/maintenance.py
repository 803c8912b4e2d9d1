"""``newsloom retranslate`` and ``reprocess``: corpus maintenance without re-crawling."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING

from processing.cli.common import day
from processing.cli.progress import progress
from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.cli.common import Subcommands
    from processing.pipeline.manifest import RunManifest


def register(sub: Subcommands) -> None:
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


def _status(m: RunManifest) -> str:
    return m["status"] + (f" ({m['reason']})" if m.get("reason") else "")


def cmd_retranslate(args: argparse.Namespace, settings: Settings) -> int:
    from processing.corpus import open_corpus
    from processing.pipeline.maintenance import retranslate

    if args.model:
        settings = dataclasses.replace(settings, translation_model=args.model)
    corpus = open_corpus(settings=settings, write=True)
    with progress("retranslate", unit="row") as advance:
        m = retranslate(corpus, settings, args.outlet, everything=args.all, progress=advance)
    c = m["counts"]
    print(
        f"retranslate: selected {c['selected']}, translated {c['translated']}, pending "
        f"{c['pending']}, failed {c['translation_failed']}; rewrote {c['stored']['updated']}; "
        f"{_status(m)}; manifest {corpus.store.uri('runs/' + m['run_id'] + '.json')}"
    )
    if c["pending"]:
        print(
            "  some rows are still pending: is NEWSLOOM_TRANSLATION_MODEL "
            f"({settings.translation_model}) reachable?"
        )
    return 0


def cmd_reprocess(args: argparse.Namespace, settings: Settings) -> int:
    from processing.corpus import open_corpus
    from processing.pipeline.maintenance import reprocess

    corpus = open_corpus(settings=settings, write=True)
    m = reprocess(
        corpus, settings, args.outlet, args.from_, args.to, translate=not args.no_translate
    )
    c = m["counts"]
    print(
        f"reprocess {args.outlet} {args.from_}..{args.to}: examined {c['examined']} rows, "
        f"rebuilt {c['selected']}, rewrote {c['stored']['updated']}; problems "
        f"{c['rejected'] or 'none'}; {_status(m)}"
    )
    return 0
