"""A crawl's local work folder, and the removal of those a killed crawl left behind.

Each crawl process writes its WARC into ``<system temp>/newsloom-crawl-*`` and holds an
exclusive ``flock`` on ``.owner`` inside it for as long as it lives. The kernel drops that
lock when the process ends, however it ends, so at its start every crawl removes the folders
whose owner is gone (a ``kill -9``, an out-of-memory kill, a lost machine's container) — and
never one a live crawl holds, whoever started it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

logger = logging.getLogger(__name__)

PREFIX = "newsloom-crawl-"
OWNER = ".owner"
# A folder without an owner file is either being created this instant (its owner is between
# mkdtemp and the lock) or was left by a crawl older than owner files: removed only when
# nothing in it changed for this long.
UNOWNED_GRACE_S = 3600.0


class WorkDir:
    """A fresh work folder, locked by this process until :meth:`cleanup` (or its death)."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX))
        # locked before it has its name: a folder whose owner file exists is always locked
        # while its owner lives
        pending = self.path / f"{OWNER}.new"
        self._fd: int | None = os.open(pending, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(self._fd, str(os.getpid()).encode())
        os.rename(pending, self.path / OWNER)

    def cleanup(self) -> None:
        """Remove the folder (idempotent)."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None


def _newest_mtime(folder: Path) -> float:
    newest = folder.stat().st_mtime
    for p in folder.rglob("*"):
        try:
            newest = max(newest, p.lstat().st_mtime)
        except OSError:
            continue
    return newest


def _owner_gone(folder: Path, now: float) -> bool:
    owner = folder / OWNER
    try:
        fd = os.open(owner, os.O_RDONLY)
    except FileNotFoundError:
        return now - _newest_mtime(folder) > UNOWNED_GRACE_S
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a live crawl holds it
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def clean_stale(temp_dir: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the crawl work folders in ``temp_dir`` (the system temp folder) whose owner
    process is gone; returns them."""
    root = Path(temp_dir or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    for folder in root.glob(f"{PREFIX}*"):
        try:
            if not folder.is_dir() or folder.is_symlink() or not _owner_gone(folder, now):
                continue
        except OSError:  # vanished meanwhile, or not ours to read
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    if removed:
        logger.info(
            "removed %d crawl work folder(s) left by crawls that ended without cleaning up: %s",
            len(removed),
            ", ".join(str(p) for p in removed[:5]),
        )
    return removed
