"""``newsloom outlets``: the outlet registry (loading it validates it)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.cli.common import Subcommands


def register(sub: Subcommands) -> None:
    s = sub.add_parser("outlets", help="list the outlet registry (validates it)")
    s.set_defaults(func=cmd_outlets)


def cmd_outlets(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.registry import load_registry

    for o in load_registry(settings.outlets_dirs).values():
        routes = ",".join(o.backfill_routes())
        print(f"{o.id:<16}{'/'.join(o.languages):<6}{o.domains[0]:<28}backfill: {routes}")
    return 0
