"""What every command module shares: argument types, JSON output, logging set-up."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date, datetime
from typing import Any, Protocol

from processing.core.config import Settings

NOISY_LOGGERS = (
    "botocore",
    "boto3",
    "urllib3",
    "s3transfer",
    "scrapy",
    "filelock",
    "trafilatura",
    "htmldate",
    "httpx",
    "huggingface_hub",
)


class Command(Protocol):
    def __call__(self, args: argparse.Namespace, settings: Settings) -> int: ...


# Libraries whose WARNING records are about their input (a page's markup, a model's config),
# not about newsloom going wrong: they go to DEBUG (shown with -v). ERROR and above stay.
THIRD_PARTY = (
    *NOISY_LOGGERS,
    "courlan",
    "justext",
    "readability",
    "charset_normalizer",
    "langdetect",
    "transformers",
    "sentencepiece",
    "ctranslate2",
    "torch",
    "twisted",
    "warcio",
    "py.warnings",  # warnings.warn() of any library, through logging.captureWarnings
)


class DemoteThirdPartyWarnings(logging.Filter):
    """A handler filter: WARNING records of third-party loggers become DEBUG records, dropped
    unless ``show_debug``. Installed on handlers (not loggers) so child loggers such as
    ``trafilatura.xml`` are covered."""

    def __init__(self, prefixes: tuple[str, ...] = THIRD_PARTY, show_debug: bool = False):
        super().__init__()
        self.prefixes = prefixes
        self.show_debug = show_debug

    def third_party(self, name: str) -> bool:
        return any(name == p or name.startswith(p + ".") for p in self.prefixes)

    def filter(self, record: logging.LogRecord) -> bool:
        # a record goes through every handler: demote it once, judge it in each
        if getattr(record, "newsloom_demoted", False):
            return self.show_debug
        if record.levelno == logging.WARNING and self.third_party(record.name):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.newsloom_demoted = True
            return self.show_debug
        return True


def demote_third_party_warnings(show_debug: bool = False) -> None:
    """Install :class:`DemoteThirdPartyWarnings` on every root handler (once each) and route
    ``warnings.warn`` through logging."""
    logging.captureWarnings(True)
    for handler in logging.getLogger().handlers:
        for f in [f for f in handler.filters if isinstance(f, DemoteThirdPartyWarnings)]:
            handler.removeFilter(f)
        handler.addFilter(DemoteThirdPartyWarnings(show_debug=show_debug))


def setup_logging(level: str, verbose: bool) -> None:
    threshold = logging.DEBUG if verbose else getattr(logging, level.upper(), logging.INFO)
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


def _default(o: Any) -> Any:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, bytes):
        return o.decode("utf-8", "replace")
    raise TypeError(type(o).__name__)


def out(obj: Any) -> None:
    """One JSON line on stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_default) + "\n")
