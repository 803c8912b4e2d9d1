"""``python -m devkit``: the development kit's commands (run from a source checkout).

python -m devkit demo [--anchor D] [--outlet ID ...]   # the offline demo (make demo)
python -m devkit mirror [--port 8765] [--anchor D] [--days N] [--outlets A,B]
                                     # serve the outlet mirror (N days ending on D)
python -m devkit mirror -- newsloom backfill --outlet sputnik_ar --from D1 --to D2
                                     # run one command against the mirror, then stop it
python -m devkit mirror --days 365 --outlets sputnik_ar,sohr_en -- newsloom backfill ...
                                     # a year of two outlets (starts in seconds)
python -m devkit tiny-model DIR                         # build the tiny test model
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from datetime import date
from pathlib import Path


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of days >= 1: {text!r}")
    return n


def _outlet_list(text: str) -> list[str]:
    from devkit.mirror.sites import SITES, outlet_names

    names = [n.strip() for n in text.split(",") if n.strip()]
    known = sorted(o for site in SITES for o in outlet_names(site))
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown mirror outlet(s) {unknown or text!r}; known: {', '.join(known)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in argv:  # everything after "--" is a command to run against the mirror
        cut = argv.index("--")
        argv, command = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(prog="python -m devkit", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("demo", help="run every outlet against the local mirror and summarise")
    s.add_argument("--anchor", type=_day, help="the mirror's newest day (default: yesterday)")
    s.add_argument("--outlet", action="append", help="only these outlets (repeatable)")
    s = sub.add_parser("mirror", help="serve the outlet mirror (or run one command against it)")
    s.add_argument("--port", type=int, default=0, help="default: 8765, or a free port with --")
    s.add_argument("--anchor", type=_day, help="the mirror's newest day (default: yesterday)")
    s.add_argument(
        "--days", type=_positive, default=7, help="days served, ending on the anchor (default 7)"
    )
    s.add_argument(
        "--outlets",
        type=_outlet_list,
        help="only these outlets, comma-separated (default: every mirrored outlet)",
    )
    s = sub.add_parser("tiny-model", help="build the tiny Arabic->English test model")
    s.add_argument("out_dir", type=Path)
    s.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    if args.command == "tiny-model":
        from devkit.tiny_model import build_tiny_marian

        print(build_tiny_marian(args.out_dir, seed=args.seed))
        return 0
    if args.command == "demo":
        from devkit.demo import run_demo
        from processing.cli.common import setup_logging
        from processing.core.config import Settings

        settings = Settings.from_env()
        setup_logging(settings.log_level, False)
        return run_demo(settings, anchor=args.anchor, outlets=args.outlet)
    from devkit.demo import local_mirror

    port = args.port or (0 if command else 8765)
    with local_mirror(args.anchor, port=port, days=args.days, outlets=args.outlets) as mirror:
        c = mirror.catalog
        print(
            f"mirror serving at {mirror.url} ({c.days} day(s) {c.first_day} .. {c.anchor}"
            f"{', outlets ' + ','.join(c.only) if c.only else ''}); "
            f"DEVKIT_MIRROR_URL={mirror.url}",
            file=sys.stderr,
            flush=True,
        )
        if not command:  # the route, for commands started from another shell
            from devkit.mirror.route import route_env

            exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in route_env(mirror.url).items())
            print(f"export {exports}", file=sys.stderr, flush=True)
        if command:
            return subprocess.run(command, check=False).returncode
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
