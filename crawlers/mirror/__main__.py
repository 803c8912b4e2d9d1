"""``python -m crawlers.mirror --port 8765 [--anchor YYYY-MM-DD] [--seed 7]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from crawlers.mirror.server import MirrorServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawlers.mirror", description="Serve the local outlet mirror."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--anchor",
        type=date.fromisoformat,
        help="the newest day the mirror publishes (default: today, UTC)",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    server = MirrorServer(args.host, args.port, anchor=args.anchor, seed=args.seed)
    server.start()
    print(f"{server.url}", flush=True)
    print(
        f"mirror of {', '.join(server.hosts)}; anchor {server.catalog.anchor}, "
        f"seed {args.seed}; set NEWSLOOM_MIRROR_URL={server.url}. Ctrl-C stops.",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
