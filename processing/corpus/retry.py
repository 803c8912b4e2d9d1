"""The one retry policy of the corpus (tenacity): catalog connections, commits and
maintenance retry only what can succeed on a second try, with jittered exponential waits.

- **Commit conflicts** (``CommitFailedException``: another writer committed first) and a
  busy embedded catalog (SQLite's "database is locked"): the commit is re-applied or
  re-planned on the new snapshot (``processing.corpus.writer``). Up to 60 attempts, waits
  drawn between 0 and 0.05·2ⁿ s, at most 2 s.
- **Catalog connections** (``load_catalog``): a database that refuses or drops a connection
  (SQLAlchemy ``OperationalError``/``InterfaceError``, ``ConnectionError``, ``OSError``),
  8 attempts, waits up to 2 s. Configuration errors (a bad URI, a missing driver) fail at once.

Anything else is raised at once: retrying a bug or a bad configuration only hides it.
"""

from __future__ import annotations

import logging

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

logger = logging.getLogger(__name__)

COMMIT_ATTEMPTS = 60
CONNECT_ATTEMPTS = 8


def is_lock_error(exc: BaseException) -> bool:
    """SQLite's "database is locked" (a busy embedded catalog): worth another try."""
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def is_conflict(exc: BaseException) -> bool:
    from pyiceberg.exceptions import CommitFailedException

    return isinstance(exc, CommitFailedException) or is_lock_error(exc)


def is_connection_error(exc: BaseException) -> bool:
    try:
        from sqlalchemy.exc import InterfaceError, OperationalError
    except ImportError:  # pragma: no cover - sqlalchemy comes with pyiceberg[sql-sqlite]
        return isinstance(exc, ConnectionError | TimeoutError)
    return isinstance(exc, OperationalError | InterfaceError | ConnectionError | TimeoutError)


def _log(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    logger.info(
        "retrying after %s (attempt %d): %s",
        type(exc).__name__,
        state.attempt_number,
        str(exc).splitlines()[0][:200] if exc else "",
    )


def conflict_retrying(attempts: int = COMMIT_ATTEMPTS) -> Retrying:
    """``for attempt in conflict_retrying(): with attempt: …`` — retries commit conflicts."""
    return Retrying(
        retry=retry_if_exception(is_conflict),
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(multiplier=0.05, max=2.0),
        before_sleep=_log,
        reraise=True,
    )


def connection_retrying(attempts: int = CONNECT_ATTEMPTS) -> Retrying:
    """Retries a catalog connection that failed for a reason that can pass."""
    return Retrying(
        retry=retry_if_exception(lambda e: is_connection_error(e) or is_lock_error(e)),
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(multiplier=0.1, max=2.0),
        before_sleep=_log,
        reraise=True,
    )
