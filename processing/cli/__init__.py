"""``newsloom``: the command line. One module per command group, each a thin wrapper over
library functions; this module assembles them and decides, at the boundary, how each named
failure ends (message and exit code)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from importlib import metadata

from processing.cli import corpus, extract, maintenance, outlets, report, runs, s3
from processing.cli.common import setup_logging
from processing.cli.exitcodes import Exit
from processing.core.config import Settings

COMMAND_GROUPS = (s3, runs, corpus, extract, maintenance, outlets, report)


def _translation(args: argparse.Namespace, settings: Settings) -> int:
    from processing.translation.cli import run

    return run(args, settings)


def missing_pipeline() -> list[str]:
    """The distributions of the ``pipeline`` extra that are not installed: empty when the
    extra is whole (or when newsloom runs from a source tree without being installed)."""
    try:
        requirements = metadata.requires("newsloom") or []
    except metadata.PackageNotFoundError:
        return []
    missing = []
    for requirement in requirements:
        name, _, marker = requirement.partition(";")
        if "extra" not in marker or '"pipeline"' not in marker:
            continue
        dist = re.match(r"[A-Za-z0-9._-]+", name.strip())
        if dist is None:
            continue
        try:
            metadata.distribution(dist.group())
        except metadata.PackageNotFoundError:
            missing.append(dist.group())
    return missing


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsloom",
        description="newsloom: multilingual news ingestion into a partitioned S3 corpus.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    from processing.translation.cli import add_commands

    t = sub.add_parser("translation", help="convert a model to CTranslate2, or translate stdin")
    add_commands(t)
    t.set_defaults(func=_translation)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, validate the configuration, run the command; every named failure ends as one
    line on stderr and its exit code (``processing.cli.exitcodes``)."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from processing.errors import ConfigError

    try:
        settings = Settings.from_env()  # before any work: nothing started, created or fetched
    except ConfigError as exc:
        print(f"error: configuration: {exc}", file=sys.stderr)
        return Exit.CONFIG
    setup_logging(settings.log_level, args.verbose)
    from processing.core.s3 import storage_error
    from processing.errors import (
        BucketMissing,
        CatalogUnavailable,
        CommitConflict,
        CorpusUnreadable,
        InvariantBroken,
        LockBusy,
        OutletFileError,
        RegistryError,
        SnapshotNotFound,
        StageError,
        StoreUnavailable,
        TableMissing,
    )

    # processing.errors defines every layer's errors (the crawler's and the stages' too) and
    # imports none of those layers: catching them loads neither, so a corpus command, and a
    # reader-only install (no `pipeline` extra), stay free of the pipeline's modules.
    try:
        return int(args.func(args, settings))
    except ModuleNotFoundError as exc:
        if not missing_pipeline():
            raise
        print(
            f"error: `newsloom {args.command}` needs the pipeline extra: "
            f'pip install "newsloom[pipeline]" ({exc})',
            file=sys.stderr,
        )
        return Exit.CONFIG
    except OutletFileError as exc:
        print(f"error: configuration: {exc}", file=sys.stderr)
        return Exit.CONFIG
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    except BucketMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.NO_BUCKET
    except StoreUnavailable as exc:
        print(f"error: S3 unavailable: {exc}", file=sys.stderr)
        return Exit.UNAVAILABLE
    except CatalogUnavailable as exc:
        print(f"error: catalog unavailable: {exc}", file=sys.stderr)
        return Exit.UNAVAILABLE
    except (LockBusy, CommitConflict) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.STAGE_FAILED
    except (StageError, InvariantBroken) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.STAGE_FAILED
    except CorpusUnreadable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.UNREADABLE
    except TableMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.NO_TABLE
    except SnapshotNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    except BrokenPipeError:  # `newsloom corpus export | head`
        return Exit.OK
    except Exception as exc:  # a storage failure anywhere: named, not a traceback
        described = storage_error(exc)
        if described is None:
            raise
        where = settings.s3_endpoint or f"embedded S3 on port {settings.embedded_s3_port}"
        print(f"error: {described} ({where}, bucket {settings.s3_bucket})", file=sys.stderr)
        return Exit.UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
