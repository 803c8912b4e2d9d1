"""A CPU hog: busy processes that keep the cores loaded while something else runs.

``python -m benchmarks.cpu_hog [--procs N] [--seconds S]`` (``make cpu-hog``) starts N
processes (default: one per core) that each spin on arithmetic until S seconds have passed
(default: until interrupted), like ``stress --cpu N``. It is the load of the test suite's
"three runs in a row beside a CPU hog" check (``python -m benchmarks.suite --hog``): a test
that fails only on a loaded machine is a flaky test.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Sequence
from multiprocessing.process import BaseProcess

logger = logging.getLogger(__name__)


def spin(until: float | None) -> None:
    """Burn one core until the monotonic time ``until`` (None: forever)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    x = 0
    while until is None or time.monotonic() < until:
        for _ in range(100_000):
            x = (x * 1_103_515_245 + 12_345) % 2_147_483_648


class CpuHog:
    """``procs`` spinning processes, started by ``start`` (or ``with``), ended by ``stop``."""

    def __init__(self, procs: int | None = None, seconds: float | None = None) -> None:
        self.procs = procs or os.cpu_count() or 1
        self.seconds = seconds
        self.workers: list[BaseProcess] = []

    def start(self) -> CpuHog:
        until = time.monotonic() + self.seconds if self.seconds else None
        ctx = multiprocessing.get_context("spawn")
        for _ in range(self.procs):
            worker = ctx.Process(target=spin, args=(until,), daemon=True)
            worker.start()
            self.workers.append(worker)
        logger.info("CPU hog: %s busy processes", self.procs)
        return self

    def stop(self) -> None:
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self.workers:
            worker.join(timeout=10)
        self.workers.clear()

    def __enter__(self) -> CpuHog:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cpu_hog", description=__doc__)
    parser.add_argument("--procs", type=int, default=None, help="busy processes (default: cores)")
    parser.add_argument("--seconds", type=float, default=None, help="stop after (default: never)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    hog = CpuHog(args.procs, args.seconds).start()
    try:
        for worker in hog.workers:
            worker.join()
    except KeyboardInterrupt:
        pass
    finally:
        hog.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
