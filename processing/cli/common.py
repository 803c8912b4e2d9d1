"""What every command module shares: argument types, JSON output, logging set-up."""

from __future__ import annotations

import argparse
import base64
import json
import logging
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, TypeAlias

from processing.core.config import Settings
from processing.core.logs import NOISY_LOGGERS, demote_third_party_warnings

if TYPE_CHECKING:
    # what ``ArgumentParser.add_subparsers()`` returns, where each command group registers
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


class Command(Protocol):
    def __call__(self, args: argparse.Namespace, settings: Settings) -> int: ...


def setup_logging(level: str, verbose: bool) -> None:
    """Log lines on stderr: in a terminal through rich's ``RichHandler`` on the console the
    progress bars use (lines print above a running bar), elsewhere (Airflow, CI, a pipe) as
    plain timestamped lines. ``NEWSLOOM_PROGRESS`` chooses as it does for the bars."""
    from processing.cli.progress import interactive_default, rich_log_handler

    threshold = logging.DEBUG if verbose else getattr(logging, level.upper(), logging.INFO)
    if interactive_default():
        logging.basicConfig(
            level=threshold, format="%(name)s: %(message)s", handlers=[rich_log_handler()]
        )
    else:
        logging.basicConfig(
            level=threshold,
            format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
            datefmt="%H:%M:%S",
            stream=sys.stderr,
        )
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    demote_third_party_warnings(show_debug=threshold <= logging.DEBUG)


def day(text: str) -> date:
    """argparse type: an ISO day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def at_least(minimum: int) -> Callable[[str], int]:
    """argparse type: a whole number no smaller than ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = f"at_least_{minimum}"
    return parse


def _default(o: object) -> str:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, bytes):  # a binary column (story_fingerprint): base64, as the schema says
        return base64.b64encode(o).decode("ascii")
    raise TypeError(type(o).__name__)


def out(obj: object) -> None:
    """One JSON line on stdout (dates as ISO strings, bytes as base64)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_default) + "\n")
