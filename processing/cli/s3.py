"""``newsloom s3 up|down|status``: the embedded S3 server."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from processing.cli.exitcodes import Exit
from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.cli.common import Subcommands


def register(sub: Subcommands) -> None:
    s = sub.add_parser("s3", help="manage the embedded S3 server (SeaweedFS)")
    s.add_argument("action", choices=["up", "down", "status"])
    s.set_defaults(func=cmd_s3)


def cmd_s3(args: argparse.Namespace, settings: Settings) -> int:
    from processing.core.embedded_s3 import EmbeddedS3
    from processing.core.errors import EmbeddedS3Error

    if not settings.embedded:
        print(
            f"S3 is external ({settings.s3_endpoint}, bucket {settings.s3_bucket}); "
            "nothing to manage here"
        )
        return 0
    server = EmbeddedS3(settings.state_dir, settings.embedded_s3_port)
    if args.action == "up":
        try:
            status = server.up()
        except EmbeddedS3Error as exc:
            print(f"error: {exc}", file=sys.stderr)
            return Exit.UNAVAILABLE
        from processing.core.s3 import open_store

        open_store(settings, create_bucket=True)
        print(f"embedded S3 {status.describe()}; bucket {settings.s3_bucket}")
    elif args.action == "down":
        print("stopped" if server.down() else "not running")
    else:
        print(f"embedded S3 {server.status().describe()}")
    return 0
