"""The test suite's own figures: wall time and failures of `make test` / `make test-all`.

``python -m benchmarks.suite [--target test-all] [--runs 3] [--hog] [--workers auto]`` runs
the make target RUNS times in a row (beside a CPU hog with ``--hog``, one busy process per
core: :mod:`benchmarks.cpu_hog`) and prints one markdown row per run (the target, the
workers, the cores, whether the hog ran, the wall time, pytest's summary) for docs/BENCHMARKS.md's
"Test suite" section. Exit status 1 when any run failed. Measure on an otherwise quiet
machine: other work on the cores changes the times.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.cpu_hog import CpuHog

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^=*\s*(\d+ (?:passed|failed|error).*?) in [\d.]+s", re.MULTILINE)


@dataclass(frozen=True)
class Run:
    target: str
    workers: str
    hog: bool
    seconds: float
    returncode: int
    summary: str

    def row(self) -> str:
        hog = "yes" if self.hog else "no"
        machine = f"{os.cpu_count()} cores"
        return (
            f"| `make {self.target} WORKERS={self.workers}` | {machine} | {hog} "
            f"| {self.seconds:.0f} s | {self.summary} |"
        )


def run_once(target: str, workers: str, hog: bool) -> Run:
    cmd = ["make", "-s", target, f"WORKERS={workers}"]
    log = ROOT / ".newsloom" / f"suite-{target}-{int(time.time())}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log.open("w") as out:
        if hog:
            with CpuHog():
                done = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        else:
            done = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    found = SUMMARY.findall(log.read_text(errors="replace"))
    summary = found[-1] if found else f"no pytest summary (exit {done.returncode}; see {log})"
    return Run(target, workers, hog, seconds, done.returncode, summary)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite", description=__doc__)
    parser.add_argument("--target", default="test-all", choices=("test", "test-all"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hog", action="store_true", help="a CPU hog beside every run")
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers (-n)")
    args = parser.parse_args(argv)
    print("| command | machine | CPU hog | wall time | pytest |")
    print("|---|---|---|---|---|")
    failed = False
    for _ in range(args.runs):
        run = run_once(args.target, args.workers, args.hog)
        print(run.row(), flush=True)
        failed |= run.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
