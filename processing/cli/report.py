"""``newsloom report`` and ``newsloom health``: see whether each outlet is healthy."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from processing.cli.common import day, out
from processing.core.config import Settings

if TYPE_CHECKING:
    from crawlers.registry import BrokenOutlet
    from processing.cli.common import Subcommands
    from processing.core.s3 import ObjectStore

# Exit codes of ``newsloom health``: 0 healthy, 1 at least one finding (2-4: the usual
# registry / S3 / stage errors of every command).
HEALTHY, FINDINGS = 0, 1


def register(sub: Subcommands) -> None:
    s = sub.add_parser(
        "report", help="write a self-contained HTML health report (plots, findings, last runs)"
    )
    _range(s)
    s.add_argument("--out", type=Path, default=Path("report.html"), help="the HTML file")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("health", help="print health findings per outlet; exit 1 when there is any")
    _range(s)
    s.add_argument("--json", action="store_true", help="one JSON object per finding")
    s.add_argument(
        "--notify",
        action="store_true",
        help="also send findings to the hook named by NEWSLOOM_HEALTH_HOOK",
    )
    s.set_defaults(func=cmd_health)


def _range(s: argparse.ArgumentParser) -> None:
    s.add_argument("--from", dest="from_", type=day, help="first day (default: 30 days back)")
    s.add_argument("--to", type=day, help="last day (default: today, UTC)")


def open_store(settings: Settings) -> ObjectStore:
    from processing.core.s3 import open_store as open_configured

    return open_configured(settings)


def broken_outlets(settings: Settings) -> list[BrokenOutlet]:
    """The registry files that do not load (each a finding: ``outlet_config_invalid``)."""
    from crawlers.registry import registry_errors

    return list(registry_errors(settings.outlets_dirs))


def _bad_range(args: argparse.Namespace) -> bool:
    if args.from_ and args.to and args.to < args.from_:
        print(f"error: --to {args.to} is before --from {args.from_}", file=sys.stderr)
        return True
    return False


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from processing.report import write_report

    if _bad_range(args):
        return 2
    result = write_report(
        open_store(settings), args.out, args.from_, args.to, broken=broken_outlets(settings)
    )
    print(
        f"report: {len(result.findings)} finding(s), built in {result.seconds:.1f} s "
        f"(loading {result.load_seconds:.1f} s)"
    )
    print(f"report written to {result.path.resolve()}")
    return 0


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    from processing.report import check
    from processing.report.hooks import HOOK_ENV, notify

    if _bad_range(args):
        return 2
    result = check(open_store(settings), args.from_, args.to, broken=broken_outlets(settings))
    for f in result.findings:
        if args.json:
            out(f.to_dict())
        else:
            print(f.line())
    if args.notify:
        notify(result.findings, os.environ.get(HOOK_ENV))
    summary = (
        f"health {result.first}..{result.last}: {len(result.outlets)} outlet(s), "
        f"{len(result.findings)} finding(s)"
    )
    print(summary, file=sys.stderr if args.json else sys.stdout)
    return FINDINGS if result.findings else HEALTHY
