"""A real Airflow (``airflow standalone``: scheduler, dag-processor, api-server, triggerer,
LocalExecutor, a fresh AIRFLOW_HOME), driven by every command block of docs/operations.md's
standalone section as written (ports replaced by free ones, the failed run's day filled in),
against the outlet mirror; the embedded S3 server is not started beforehand.

Three daily DAGs unpaused at the same moment each finish their first run with no task
retried (their first tasks race to start the embedded S3 server), each collecting the day the
documented date rule gives; a backfill over three days succeeds; a daily run cleared while
its catalog is unreadable fails, and the documented clear of what failed runs it again to
success without changing a row (every ``raw_ref`` stays valid); the documented stop ends
this standalone's processes and no other Airflow's.
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
import time as clock
from datetime import UTC, date, datetime, time, timedelta
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


def first_run_day(cron: str, unpaused: datetime) -> set[date]:
    """The day docs/operations.md says a daily DAG's first run collects ("The date rule"):
    unpaused on day T at or after the outlet's cron time, T-1, else T-2 (both within two
    minutes of it)."""
    minute, hour = (int(x) for x in cron.split()[:2])
    due = datetime.combine(unpaused.date(), time(hour, minute), UTC)
    day = unpaused.date() - timedelta(days=1 if unpaused >= due else 2)
    if abs((unpaused - due).total_seconds()) < 120:
        return {unpaused.date() - timedelta(days=1), unpaused.date() - timedelta(days=2)}
    return {day}


def _session_alive(sid: int) -> list[str]:
    """Processes of session ``sid`` still running (zombies left out)."""
    alive = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            alive.append(f"{proc.name} {cmd[:80]}")
    return alive


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
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        if predicate():
            return
        clock.sleep(3)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project directory as the docs assume: dags/, infra/, devkit/ from the checkout."""
    for name in ("dags", "infra", "devkit", "Makefile", "pyproject.toml"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    return tmp_path


@pytest.mark.timeout(1800)  # a hang guard: a real scheduler on a loaded 2-core machine is slow
def test_standalone_runs_the_documented_commands(project: Path, tmp_path: Path):
    from crawlers.registry import get_outlet
    from devkit.mirror.route import route_env
    from devkit.mirror.server import MirrorServer
    from processing.core.config import Settings
    from processing.core.warc import RawRef, read_record
    from processing.corpus import open_corpus
    from tests.conftest import _free_port_block
    from tests.reliability import record

    if any(not os.access(p, os.X_OK) for p in [Path(sys.executable).parent / "airflow"]):
        pytest.skip("no airflow executable in the virtualenv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSLOOM_", "AIRFLOW"))}
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    mirror = MirrorServer(anchor=yesterday).start()
    env.update(
        route_env(mirror.url, env),
        NEWSLOOM_CRAWL_DELAY="0",
        NEWSLOOM_S3_PORT=str(_free_port_block()),  # beside any other server on this machine
        HF_HOME=str(tmp_path / "hf"),  # an empty model cache: the documented model is not in it
        NEWSLOOM_TASK_RETRIES="0",  # a failure fails at once (and the first runs retry nothing)
        AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL="5",
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
        AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="5",
        # a loaded CI machine answers the tasks' Execution API calls slowly (5 s by default)
        AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT="60",
    )
    setup = doc_block("setup").replace("make venv", "true  # make venv")  # already built
    setup = setup.replace("newsloom s3 up", "true  # newsloom s3 up")  # not started before
    for port in ("8080", "8793", "8794"):  # the documented defaults: free ones here
        assert port in setup, f"the setup block no longer sets port {port}"
        setup = setup.replace(port, str(_free_port()))
    bash = ["bash", "-euo", "pipefail", "-c"]
    done = subprocess.run(
        [*bash, setup], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    home = project / ".newsloom" / "airflow"
    db = home / "airflow.db"
    log = tmp_path / "standalone.log"
    prefix = ". .venv/bin/activate; " + " ".join(
        f"export {line.split('export ', 1)[1].split('  #')[0].strip()};"
        for line in setup.splitlines()
        if line.startswith("export ")
    )
    with log.open("wb") as fh:
        standalone = subprocess.Popen(
            [*bash, f"{prefix} exec {doc_block('start').strip()}"],
            cwd=project,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run_doc_block(name: str, text: str | None = None) -> None:
        done = subprocess.run(
            [*bash, f"{prefix} {text or doc_block(name)}"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]

    settings = None
    stopped = False
    try:
        _wait(
            lambda: db.exists() and {r["dag_id"] for r in _dags(db)} >= {*DAILY, BACKFILL},
            300,
            "the dag-processor to register the DAGs",
            log,
        )
        _wait(lambda: b"Airflow is ready" in log.read_bytes(), 300, "standalone to be ready", log)
        assert (home / "standalone.pid").read_text().strip() == str(standalone.pid)
        unpaused = datetime.now(UTC)
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
        }, _failed_logs(db, home)
        first = [t for t in _tis(db) if t["dag_id"] in DAILY]
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
        # the setup block's HF_HUB_OFFLINE: no translate task looked for the model hub
        translate_logs = list((home / "logs").glob("dag_id=*/*/task_id=translate/**/*.log"))
        assert translate_logs
        assert not [p for p in translate_logs if "model hub unreachable" in p.read_text()]

        # the date rule: the first run of each newly unpaused DAG collects the documented day
        days = {d: _day(runs[d]["logical_date"]) for d in DAILY}
        expected = {
            d: first_run_day(get_outlet(d.removeprefix("newsloom_daily_")).schedule, unpaused)
            for d in DAILY
        }
        record(
            "airflow",
            "the first scheduled run of a newly unpaused daily DAG",
            "collects the day docs/operations.md's date rule gives",
            "collects the day docs/operations.md's date rule gives"
            if all(days[d] in expected[d] for d in DAILY)
            else f"collected {days}, the doc says {expected}",
        )
        assert all(days[d] in expected[d] for d in DAILY), (days, expected, unpaused)

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

        # the documented rerun, while the catalog cannot be opened: a task fails
        catalog = settings.sqlite_catalog_path
        aside = catalog.with_name(catalog.name + ".aside")
        catalog.rename(aside)
        catalog.mkdir()  # in its place, something SQLite cannot open (and no task can replace)
        try:
            run_doc_block("rerun")
            rerun_id = runs["newsloom_daily_sohr_en"]["run_id"]

            def run_state() -> str:
                return next(r["state"] for r in _runs(db) if r["run_id"] == rerun_id)

            _wait(lambda: run_state() == "failed", 600, "the cleared run to fail", log)
        finally:
            catalog.rmdir()
            aside.rename(catalog)
        tis = [t for t in _tis(db) if t["run_id"] == rerun_id]
        failed = sorted(t["task_id"] for t in tis if t["state"] == "failed")
        held = sorted(t["task_id"] for t in tis if t["state"] == "upstream_failed")
        assert failed, [dict(t) for t in tis]

        # the documented clear of what failed, for that run's day
        day = days["newsloom_daily_sohr_en"].isoformat()
        block = doc_block("clear-failed")
        assert "day=2026-11-20" in block
        tries = {t["task_id"]: t["try_number"] for t in _tis(db) if t["run_id"] == rerun_id}
        run_doc_block("clear-failed", block.replace("day=2026-11-20", f"day={day}"))

        def cleared_and_done() -> bool:
            now = {t["task_id"]: t for t in _tis(db) if t["run_id"] == rerun_id}
            ran = all(now[t]["try_number"] > tries[t] for t in failed)
            return ran and run_state() in ("success", "failed")

        _wait(cleared_and_done, 600, "the documented clear to run the failed task again", log)
        tis = {t["task_id"]: t for t in _tis(db) if t["run_id"] == rerun_id}
        again = sorted(t for t in (*failed, *held) if tis[t]["state"] in ("success", "skipped"))
        after = corpus.read(["article_id", "content_hash", "raw_ref"]).to_pylist()
        key = lambda r: (r["article_id"], r["content_hash"])  # noqa: E731
        same = sorted(map(key, after)) == sorted(map(key, before))
        record(
            "airflow",
            "a failed daily run cleared with the documented --only-failed command",
            "the failed task and those it held back run again; the run succeeds; no row changes",
            "the failed task and those it held back run again; the run succeeds; no row changes"
            if run_state() == "success" and again == sorted((*failed, *held)) and same
            else f"run {run_state()}, run again {again} of {sorted((*failed, *held))}, "
            f"table {'unchanged' if same else 'changed'}",
            rows_lost=len({r["article_id"] for r in before} - {r["article_id"] for r in after}),
            duplicates=len(after) - len({r["article_id"] for r in after}),
        )
        assert run_state() == "success", [dict(t) for t in tis.values()]
        assert again == sorted((*failed, *held))
        assert same
        for r in after:
            ref = RawRef.parse(r["raw_ref"])
            assert (
                read_record(corpus.store.get_range(ref.key, ref.offset, ref.length)).status == 200
            )

        # the documented stop: this standalone's processes end, another Airflow's do not
        decoy = subprocess.Popen(
            ["bash", "-c", 'exec -a "airflow scheduler (another Airflow)" sleep 600'],
            start_new_session=True,
        )
        try:
            run_doc_block("stop")
            standalone.wait(timeout=120)
            stopped = True
            deadline = clock.monotonic() + 60
            while _session_alive(standalone.pid) and clock.monotonic() < deadline:
                clock.sleep(1)
            left = _session_alive(standalone.pid)
            record(
                "airflow",
                "standalone stopped with the documented stop block, another Airflow beside it",
                "every process of this standalone ends; the other Airflow's go on",
                "every process of this standalone ends; the other Airflow's go on"
                if not left and decoy.poll() is None
                else f"{len(left)} process(es) left; the other Airflow "
                f"{'went on' if decoy.poll() is None else 'was stopped too'}",
            )
            assert not left, left
            assert decoy.poll() is None, "the stop block ended another Airflow's process"
        finally:
            decoy.kill()
            decoy.wait()
    finally:
        if not stopped:
            try:
                os.killpg(standalone.pid, signal.SIGTERM)
                standalone.wait(timeout=60)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(standalone.pid, signal.SIGKILL)
                standalone.wait()
        try:  # the components that outlived standalone (none when the stop block worked)
            os.killpg(standalone.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        mirror.stop()
        from processing.core.embedded_s3 import EmbeddedS3

        # started by the first task (whatever happened after): never left running
        EmbeddedS3((project / ".newsloom").resolve(), int(env["NEWSLOOM_S3_PORT"])).down()


def _failed_logs(db: Path, home: Path) -> str:
    """The failed task instances and the end of each one's log."""
    out = []
    for t in _tis(db):
        if t["state"] == "failed":
            logs = sorted(
                (home / "logs").glob(f"dag_id={t['dag_id']}/*/task_id={t['task_id']}/**/*.log")
            )
            tail = logs[-1].read_text(errors="replace")[-1500:] if logs else "(no log)"
            out.append(f"{t['dag_id']}.{t['task_id']}: {tail}")
    return "\n".join(out) or str([dict(t) for t in _tis(db)])


def _day(logical_date: str) -> date:
    """The UTC day of a logical date as the metadata database stores it."""
    when = datetime.fromisoformat(str(logical_date))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).date()


def _dags(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT dag_id FROM dag").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()
