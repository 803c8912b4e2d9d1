"""Locks that die with their holder: ``flock`` on a file in the state directory.

Used where one machine's processes must not do something at once (start the embedded S3
server; crawl one outlet from two CLI runs). The kernel releases the lock when the holding
process exits, however it exits (SIGKILL included), so a killed run never leaves a stale
lock behind. Across machines (Celery workers) no file lock can hold: there the outlet's
Airflow pool keeps its crawls apart (the scheduler counts its slots for every worker), and
the crawl journal in S3 (``crawlers.journal``) lets a crawl that waited, on any machine, take
the pages the previous one fetched instead of fetching them again, whether or not that one
has committed yet (docs/operations.md, "What runs, and what holds what").
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from processing.core.errors import LockBusy

logger = logging.getLogger(__name__)


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "another process"
    return f"pid {info.get('pid')} ({info.get('what', '?')}) since {info.get('since', '?')}"


@contextmanager
def file_lock(path: Path, what: str, wait: float = 600.0, poll: float = 0.2) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the ``with`` block.

    Waits up to ``wait`` seconds for a live holder, logging who holds it, then raises
    :class:`LockBusy`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced:
                    logger.info("waiting for %s: held by %s", path.name, _holder(path))
                    announced = True
                if time.monotonic() > deadline:
                    raise LockBusy(f"{path} is held by {_holder(path)}") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {
                    "pid": os.getpid(),
                    "what": what,
                    "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
            ).encode(),
            0,
        )
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def die_with_parent() -> None:
    """``preexec_fn`` for a child process: SIGKILL it when its parent dies (Linux
    PR_SET_PDEATHSIG), so a killed run leaves no orphaned crawl behind."""
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except OSError:  # not Linux: the process group kill in the parent still applies
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
