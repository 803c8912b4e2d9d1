"""A real Airflow (``airflow standalone``: scheduler, dag-processor, api-server, triggerer,
LocalExecutor, a fresh AIRFLOW_HOME), driven by the commands of docs/operations.md as
written, against the outlet mirror; the embedded S3 server is not started beforehand.

Three daily DAGs unpaused at the same moment each finish their first run with no task
retried (their first tasks race to start the embedded S3 server); a backfill over three days
succeeds; clearing a daily run collects its day again and changes no count, and every
``raw_ref`` stays valid.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.reliability]
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "operations.md"
DAILY = ("newsloom_daily_sohr_ar", "newsloom_daily_sohr_en", "newsloom_daily_sputnik_en")
BACKFILL = "newsloom_backfill_sohr_en"


def doc_block(marker: str) -> str:
    m = re.search(rf"<!-- ops:{marker} -->\n```sh\n(.*?)```", DOC.read_text(), re.S)
    assert m, f"docs/operations.md has no ops:{marker} block"
    return m.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _runs(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT dag_id, run_id, state, logical_date FROM dag_run").fetchall()
    finally:
        con.close()


def _tis(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(
            "SELECT dag_id, run_id, task_id, map_index, state, try_number FROM task_instance"
        ).fetchall()
    finally:
        con.close()


def _wait(predicate, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(3)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory as the docs assume: dags/, infra/, devkit/ from the checkout."""
    for name in ("dags", "infra", "devkit", "Makefile", "pyproject.toml"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    return tmp_path


def test_standalone_runs_the_documented_commands(project: Path, tmp_path: Path):
    from devkit.mirror.route import route_env
    from devkit.mirror.server import MirrorServer
    from processing.core.config import Settings
    from processing.core.warc import RawRef, read_record
    from processing.corpus import open_corpus

    if any(not os.access(p, os.X_OK) for p in [Path(sys.executable).parent / "airflow"]):
        pytest.skip("no airflow executable in the virtualenv")
    api_port = _free_port()
    from tests.conftest import _free_port_block

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSLOOM_", "AIRFLOW"))}
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    mirror = MirrorServer(anchor=yesterday).start()
    env.update(
        route_env(mirror.url, env),
        NEWSLOOM_CRAWL_DELAY="0",
        NEWSLOOM_S3_PORT=str(_free_port_block()),  # beside any other server on this machine
        NEWSLOOM_TRANSLATION_MODEL=str(tmp_path / "no-model"),
        HF_HUB_OFFLINE="1",
        NEWSLOOM_TASK_RETRIES="2",
        # the documented way to move the UI off 8080 (8080 may be taken where tests run)
        AIRFLOW__API__PORT=str(api_port),
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://localhost:{api_port}/execution/",
        AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL="5",
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
        AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="5",
    )
    setup = doc_block("setup").replace("make venv", "true  # make venv")  # already built
    setup = setup.replace("newsloom s3 up", "true  # newsloom s3 up")  # not started before
    bash = ["bash", "-euo", "pipefail", "-c"]
    done = subprocess.run(
        [*bash, setup], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    home = project / ".newsloom" / "airflow"
    db = home / "airflow.db"
    log = tmp_path / "standalone.log"
    start = doc_block("start").strip()
    prefix = ". .venv/bin/activate; " + " ".join(
        f"export {line.split('export ', 1)[1].split('  #')[0].strip()};"
        for line in setup.splitlines()
        if line.startswith("export ")
    )
    with log.open("wb") as fh:
        standalone = subprocess.Popen(
            [*bash, f"{prefix} exec {start}"],
            cwd=project,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    settings = None
    try:
        _wait(
            lambda: db.exists() and {r["dag_id"] for r in _dags(db)} >= {*DAILY, BACKFILL},
            300,
            "the dag-processor to register the DAGs",
            log,
        )

        def run_doc_block(name: str) -> None:
            done = subprocess.run(
                [*bash, f"{prefix} {doc_block(name)}"],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]

        run_doc_block("use")

        def finished(dag_ids: tuple[str, ...]) -> bool:
            runs = [r for r in _runs(db) if r["dag_id"] in dag_ids]
            return {r["dag_id"] for r in runs} >= set(dag_ids) and all(
                r["state"] in ("success", "failed") for r in runs
            )

        _wait(lambda: finished((*DAILY, BACKFILL)), 1200, "the first runs", log)
        runs = {r["dag_id"]: r for r in _runs(db)}
        assert {d: runs[d]["state"] for d in (*DAILY, BACKFILL)} == {
            d: "success" for d in (*DAILY, BACKFILL)
        }, _tis(db)
        first = [t for t in _tis(db) if t["dag_id"] in DAILY]
        from tests.reliability import record

        retried = sum(1 for t in first if t["try_number"] != 1)
        record(
            "airflow",
            "3 daily DAGs unpaused at once under a real scheduler, embedded S3 not started",
            "every first run succeeds, no task retried",
            "every first run succeeds, no task retried"
            if first and not retried
            else f"{retried} task(s) retried",
        )
        assert first and all(t["try_number"] == 1 for t in first), [dict(t) for t in first]
        assert all(t["state"] in ("success", "skipped") for t in first)
        backfill_tis = [t for t in _tis(db) if t["dag_id"] == BACKFILL]
        assert {t["state"] for t in backfill_tis} <= {"success", "skipped"}

        settings = dataclasses.replace(
            Settings.from_env(),
            state_dir=(project / ".newsloom").resolve(),
            embedded_s3_port=int(env["NEWSLOOM_S3_PORT"]),
            s3_bucket="newsloom",
            s3_endpoint=None,
        )
        corpus = open_corpus(settings=settings)
        before = corpus.read(["article_id", "content_hash", "raw_ref"]).to_pylist()
        assert before, "the runs stored nothing"
        per_outlet = {
            o: len(corpus.read(["article_id"], outlet=o))
            for o in ("sohr_ar", "sohr_en", "sputnik_en")
        }
        assert all(per_outlet.values()), per_outlet

        run_doc_block("rerun")

        def rerun_done() -> bool:
            tis = [t for t in _tis(db) if t["dag_id"] == "newsloom_daily_sohr_en"]
            return all(
                t["try_number"] >= 2 and t["state"] in ("success", "skipped", "failed") for t in tis
            )

        _wait(rerun_done, 900, "the cleared run", log)
        tis = [t for t in _tis(db) if t["dag_id"] == "newsloom_daily_sohr_en"]
        assert {t["state"] for t in tis} <= {"success", "skipped"}, [dict(t) for t in tis]
        after = corpus.read(["article_id", "content_hash", "raw_ref"]).to_pylist()
        key = lambda r: (r["article_id"], r["content_hash"])  # noqa: E731
        record(
            "airflow",
            "a daily run cleared and run again (same day)",
            "no count changes, every raw_ref valid",
            "no count changes, every raw_ref valid"
            if sorted(map(key, after)) == sorted(map(key, before))
            else "the table changed",
            rows_lost=len({r["article_id"] for r in before} - {r["article_id"] for r in after}),
            duplicates=len(after) - len({r["article_id"] for r in after}),
        )
        assert sorted(map(key, after)) == sorted(map(key, before))
        for r in after:
            ref = RawRef.parse(r["raw_ref"])
            assert (
                read_record(corpus.store.get_range(ref.key, ref.offset, ref.length)).status == 200
            )
    finally:
        try:
            os.killpg(standalone.pid, signal.SIGINT)
            standalone.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(standalone.pid, signal.SIGKILL)
        mirror.stop()
        if settings is not None:
            from processing.core.embedded_s3 import EmbeddedS3

            EmbeddedS3(settings.state_dir, settings.embedded_s3_port).down()


def _dags(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT dag_id FROM dag").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()
