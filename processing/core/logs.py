"""Logging policy shared by every entry point (CLI, Airflow tasks, the crawl subprocess):
third-party warnings about their input go to DEBUG; newsloom's own records stay as they are.
Never configures logging at import: entry points call :func:`demote_third_party_warnings`."""

from __future__ import annotations

import logging

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
