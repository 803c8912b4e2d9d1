"""The test suite's own rules: parallel workers that do not collide, CI that fails when the
real data is missing, no wall-clock assertion anywhere, the commands the README names."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests import conftest

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def test_missing_shared_data_skips_for_a_developer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(conftest.REQUIRE_SHARED_DATA, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-data-set"):
        conftest.shared_data("no-such-data-set")


def test_missing_shared_data_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(conftest.REQUIRE_SHARED_DATA, "1")
    with pytest.raises(pytest.fail.Exception, match=r"no-such-data-set.*absent.*CI"):
        conftest.shared_data("no-such-data-set")


def test_ci_without_the_data_stops_at_once_saying_why(tmp_path: Path) -> None:
    env = {
        **os.environ,
        conftest.REQUIRE_SHARED_DATA: "1",
        "NEWSLOOM_SHARED_DATA": str(tmp_path / "nowhere"),
    }
    done = subprocess.run(
        [*PYTEST, "--collect-only", "-p", "no:xdist", "tests/test_urls.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert f"{tmp_path / 'nowhere'} does not exist" in done.stderr
    assert "NEWSLOOM_SHARED_DATA" in done.stderr


def test_ci_requires_the_data_and_runs_every_test() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert f"export {conftest.REQUIRE_SHARED_DATA}=1" in script
    assert "\nmake test-all\n" in script and "\nmake test\n" not in script


def test_make_test_leaves_out_slow_tests_and_runs_in_parallel() -> None:
    dry = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "test", "test-all", "BIN=.venv/bin"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    runs = [line for line in dry.splitlines() if "-m pytest" in line]
    assert len(runs) == 2, dry
    test, test_all = runs
    assert '-m "not slow"' in test and "-m " not in test_all.replace("-m pytest", "")
    assert all("-n " in line for line in runs)


_CLAIM = """
import json, sys
from tests.conftest import _free_port_block
print(json.dumps([_free_port_block() for _ in range(int(sys.argv[1]))]))
"""


def test_parallel_workers_draw_disjoint_port_blocks() -> None:
    """Two workers of one run (the same PYTEST_XDIST_TESTRUNUID) draw port blocks at the same
    time: no port of one block (gRPC ports included) is a port of another."""
    env = {**os.environ, "PYTEST_XDIST_TESTRUNUID": f"t{uuid.uuid4().hex}"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _CLAIM, "12"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    drawn = [json.loads(w.communicate(timeout=120)[0]) for w in workers]
    ports = [p for worker in drawn for p in worker]
    assert len(ports) == 24
    blocks = [conftest._block(p) | conftest._block(p + 10000) for p in ports]
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            assert not a & b
    assert not any(conftest._block(p) & conftest._block(conftest.DEFAULT_S3_PORT) for p in ports)


# ---- no wall-clock assertion in any test -------------------------------------------------
_TIMERS = {"monotonic", "perf_counter", "time", "process_time"}
_DURATION_WORDS = ("took", "elapsed", "seconds", "duration", "wall")


def _names(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            found.add(n.id)
        elif isinstance(n, ast.Attribute):
            found.add(n.attr)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            found.add(n.value)
    return found


def _is_timer(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _TIMERS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "time"
    )


def wall_clock_asserts(source: str) -> list[int]:
    """Lines of ``assert`` statements that bound a duration from above: an elapsed time
    measured in the assertion (``time.monotonic() - started``), or ``x < limit`` where x names
    a duration (took, elapsed, seconds…). A polling loop's hang guard
    (``assert time.monotonic() < deadline``) is no speed assertion: it only stops a wait
    that would never end."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assert):
            continue
        timer = any(  # an elapsed time measured inside the assertion
            isinstance(n, ast.BinOp)
            and isinstance(n.op, ast.Sub)
            and any(_is_timer(side) for side in (n.left, n.right))
            for n in ast.walk(node.test)
        )
        bounded = any(
            isinstance(n, ast.Compare)
            and any(isinstance(op, ast.Lt | ast.LtE) for op in n.ops)
            and any(
                word in _DURATION_WORDS
                for name in _names(n.left)
                for word in re.split(r"[^a-z]+", name.lower())
            )
            for n in ast.walk(node.test)
        )
        if timer or bounded:
            lines.append(node.lineno)
    return lines


def test_the_wall_clock_check_finds_what_it_looks_for() -> None:
    assert wall_clock_asserts("assert time.monotonic() - t0 < 180") == [1]
    assert wall_clock_asserts("x = 1\nassert report['seconds'] < 1.0") == [2]
    assert wall_clock_asserts("assert took < 180") == [1]
    assert wall_clock_asserts("assert retry.at - first.at >= 0.95") == []  # a lower bound
    assert wall_clock_asserts("assert call.seconds > 0") == []
    assert wall_clock_asserts("assert time.monotonic() < deadline, 'never got there'") == []
    assert wall_clock_asserts("assert len(paywalled) < 3") == []


def test_no_test_asserts_a_wall_clock_time() -> None:
    """Speed lives in benchmarks/ (docs/BENCHMARKS.md); in a test it is a flaky test."""
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if (lines := wall_clock_asserts(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_cpu_hog_starts_and_stops() -> None:
    from benchmarks.cpu_hog import CpuHog

    hog = CpuHog(procs=2, seconds=60).start()
    try:
        assert len(hog.workers) == 2 and all(w.is_alive() for w in hog.workers)
    finally:
        workers = list(hog.workers)
        hog.stop()
    assert not any(w.is_alive() for w in workers)
