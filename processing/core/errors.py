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
is this ``StoreUnavailable``).
"""

from __future__ import annotations

from pyiceberg.exceptions import CommitFailedException

__all__ = [
    "BrokenOutletFiles",
    "BucketMissing",
    "CatalogUnavailable",
    "CommitConflict",
    "ConfigError",
    "CorpusUnreadable",
    "EmbeddedS3Error",
    "FutureDayRefused",
    "HookError",
    "LockBusy",
    "ModelUnavailable",
    "NewsloomError",
    "ReadOnlyCorpus",
    "SnapshotNotFound",
    "StalePlan",
    "StoreUnavailable",
    "TableMissing",
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
