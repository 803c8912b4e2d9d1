"""newsloom's exception classes, in one module (``processing.errors`` re-exports it: that is
the name to import them by).

Why one module and not one per layer (scrapy keeps most of its own in ``scrapy.exceptions``
too): the places that decide what an error means, the command line's ``main`` and the
Airflow task adapters, catch errors of several layers at once (S3, catalog, table, model), and
import them from here without reaching into each layer's internals; and ``processing.core`` is
the layer every other one may import (the import-linter layers in pyproject.toml), so any
layer raises any of these without an upward import. The classes carry a message and at most
a field, so keeping them together costs no dependency: only ``pyiceberg.exceptions`` (light),
for :class:`StalePlan`, which must stay one of pyiceberg's commit failures.

Every class derives from :class:`NewsloomError` (one ``except`` for "any named newsloom
failure") and from the builtin it always derived from (``except ValueError`` and the like
keep working). Each layer's module re-exports its own (``processing.core.s3.StoreUnavailable``
is this ``StoreUnavailable``, ``crawlers.registry.UnknownOutlet`` this ``UnknownOutlet``).

One family stays where it is: the crawler's refusals of a request (``crawlers.middlewares``'
``NamedIgnore`` and its subclasses) are Scrapy ``IgnoreRequest`` subclasses, which Scrapy
itself raises and routes to a request's errback inside the crawl process; defining them here
would make this module (and every layer) import Scrapy, and nothing outside the crawl
catches them.
"""

from __future__ import annotations

from datetime import datetime

from pyiceberg.exceptions import CommitFailedException

__all__ = [
    "BrokenOutletFiles",
    "BucketMissing",
    "CatalogUnavailable",
    "CommitConflict",
    "ConfigError",
    "CorpusUnreadable",
    "EmbeddedS3Error",
    "ExtractionError",
    "FingerprintError",
    "FutureDayRefused",
    "HookError",
    "InvariantBroken",
    "LinkRestart",
    "LocalWriteError",
    "LockBusy",
    "ModelUnavailable",
    "NewsloomError",
    "NothingToDo",
    "OutOfWindow",
    "OutletFileError",
    "ReadOnlyCorpus",
    "RegistryError",
    "SnapshotNotFound",
    "SpanNotLoaded",
    "StageError",
    "StalePlan",
    "StoreUnavailable",
    "TableMissing",
    "UnknownOutlet",
    "UnsupportedLayout",
]


class NewsloomError(Exception):
    """Base of newsloom's named failures: the message says what failed and why."""


# ---- configuration and local machinery (processing.core) ------------------------------------


class ConfigError(NewsloomError, ValueError):
    """The environment holds values newsloom cannot use; the message names each variable,
    its value and what is wrong, on one line."""

    def __init__(self, message: str, variables: list[str] | None = None) -> None:
        super().__init__(message)
        self.variables = variables or []


class LockBusy(NewsloomError, RuntimeError):
    """The lock stayed held by a live process for the whole wait; the message names it."""


class EmbeddedS3Error(NewsloomError, RuntimeError):
    """The embedded server could not be started or reached; the message says why."""


# ---- the object store (processing.core.s3) --------------------------------------------------


class StoreUnavailable(NewsloomError, RuntimeError):
    """S3 cannot be reached or refuses us; the message says which endpoint and why."""


class BucketMissing(StoreUnavailable):
    """The configured bucket does not exist. Only the write paths (a run, a backfill, ``newsloom
    s3 up``, the demo) create it; a read names the bucket instead of creating an empty one."""

    def __init__(self, bucket: str, where: str) -> None:
        super().__init__(
            f"bucket {bucket!r} does not exist at {where} (check NEWSLOOM_S3_BUCKET; a run, a "
            "backfill or `newsloom s3 up` creates it)"
        )
        self.bucket = bucket


# ---- the corpus table (processing.corpus) ---------------------------------------------------


class CatalogUnavailable(NewsloomError, RuntimeError):
    """The catalog cannot be reached or configured; the message says which and why."""


class CommitConflict(NewsloomError, RuntimeError):
    """A commit kept losing against concurrent writers; nothing was committed."""


class CorpusUnreadable(NewsloomError, RuntimeError):
    """Data files of the table cannot be read (corrupt, or missing); the message names them."""


class TableMissing(NewsloomError, LookupError):
    """There is no table where the reader looked; the message says where that was."""


class ReadOnlyCorpus(NewsloomError, PermissionError):
    """A write was attempted through a corpus opened for reading."""


class SnapshotNotFound(NewsloomError, ValueError):
    """``since``/``until`` names a snapshot the table does not have (expired, or a typo), or
    a time before the history the table still keeps."""


class StalePlan(NewsloomError, CommitFailedException):
    """A plan that cannot be applied on the current snapshot: it must be made again (a
    pyiceberg commit failure, so the commit retry makes it again)."""


class UnsupportedLayout(NewsloomError, RuntimeError):
    """The table's partition spec is not one this writer knows (identity(outlet) plus
    day() or month() of published_at)."""


# ---- translation (processing.translation) ---------------------------------------------------


class ModelUnavailable(NewsloomError, RuntimeError):
    """The model cannot be found or loaded; the message says why."""


# ---- the health report (processing.report) --------------------------------------------------


class HookError(NewsloomError, RuntimeError):
    """The hook named in ``NEWSLOOM_HEALTH_HOOK`` cannot be found or is not callable."""


# ---- Airflow (processing.airflow) -----------------------------------------------------------


class BrokenOutletFiles(NewsloomError):
    """Registry files that do not load; raised at parse time by the registry check DAG file,
    so each shows in Airflow's import errors by name while every other outlet's DAGs load."""


class FutureDayRefused(NewsloomError, ValueError):
    """A manual daily run asked for a day after today (UTC): a daily run collects a past day."""


# ---- the outlet registry (crawlers.registry) ------------------------------------------------


class RegistryError(NewsloomError, ValueError):
    """A registry problem; the message names the file or the outlet."""


class OutletFileError(RegistryError):
    """An outlet's registry file cannot be used (YAML, a key, a value); the message names the
    file. A configuration error: a retry cannot fix it."""


class UnknownOutlet(RegistryError):
    """No registry file defines this outlet id (a typo on the command line)."""


# ---- the crawl process (crawlers) -----------------------------------------------------------


class LocalWriteError(NewsloomError, RuntimeError):
    """The crawl's local files (the WARC temp file) cannot be created or written."""


# ---- extraction (processing.extraction) -----------------------------------------------------


class ExtractionError(NewsloomError, ValueError):
    """The document cannot be turned into an article; ``reason`` is a manifest key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# ---- story links (processing.stories, processing.pipeline.links) ----------------------------


class FingerprintError(NewsloomError, ValueError):
    """Stored bytes that are not a fingerprint of a known version."""


class SpanNotLoaded(NewsloomError, RuntimeError):
    """The index lacks stored rows of days the linking needs (``StoryIndex.missing``)."""

    def __init__(self, missing: list[tuple[datetime, datetime]]) -> None:
        self.missing = missing
        spans = ", ".join(f"{a.isoformat()}..{b.isoformat()}" for a, b in missing)
        super().__init__(f"story index: stored rows of {spans} are not loaded")


class LinkRestart(NewsloomError, RuntimeError):
    """Another link pass committed after this one read the table: start over."""


# ---- the pipeline's stages (processing.pipeline) --------------------------------------------


class StageError(NewsloomError, RuntimeError):
    """A stage cannot run (missing input, crawler crashed); Airflow retries it."""


class NothingToDo(NewsloomError, RuntimeError):
    """A stage has nothing to do, for a named reason (adapters end it as skipped)."""


class OutOfWindow(ExtractionError):
    """A page published outside the run's range (and not listed inside it)."""

    def __init__(self, published: datetime, detail: str) -> None:
        super().__init__("out_of_window", detail)
        self.published = published


class InvariantBroken(NewsloomError, AssertionError):
    """The committed corpus breaks a promise of the contract (the validate stage: a run's
    rows missing or stored twice, a required column gone). Named apart from pydantic's
    ``ValidationError``, which means bad input, not a broken corpus."""
