"""Crawl work folders: the next crawl removes those of dead crawls and never a live one's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crawlers.workdir import PREFIX, UNOWNED_GRACE_S, clean_stale

HOLDER = """
import sys, time
from crawlers.workdir import WorkDir
w = WorkDir()
(w.path / "crawl.warc.gz").write_bytes(b"x" * 1024)
print(w.path, flush=True)
time.sleep(600)
"""


def _holder(tmp: Path) -> tuple[subprocess.Popen[str], Path]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        env=dict(os.environ, TMPDIR=str(tmp)),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def test_only_dead_crawls_folders_are_removed(tmp_path: Path):
    live, live_dir = _holder(tmp_path)
    dead, dead_dir = _holder(tmp_path)
    try:
        os.kill(dead.pid, signal.SIGKILL)
        dead.wait()
        fresh = tmp_path / f"{PREFIX}being-made"  # no owner file yet: its crawl is starting
        fresh.mkdir()
        old = tmp_path / f"{PREFIX}from-an-older-release"  # no owner file, untouched for long
        old.mkdir()
        (old / "crawl.warc.gz").write_bytes(b"x")
        past = time.time() - UNOWNED_GRACE_S - 60
        os.utime(old / "crawl.warc.gz", (past, past))
        os.utime(old, (past, past))
        other = tmp_path / "someone-elses-folder"
        other.mkdir()

        removed = clean_stale(tmp_path)

        assert sorted(removed) == sorted([dead_dir, old])
        assert live_dir.is_dir() and (live_dir / "crawl.warc.gz").is_file()
        assert fresh.is_dir() and other.is_dir()
        assert not dead_dir.exists() and not old.exists()
    finally:
        live.kill()
        live.wait()
    assert clean_stale(tmp_path) == [live_dir]  # its owner is gone now
