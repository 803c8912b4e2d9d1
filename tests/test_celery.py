"""Workers on separate machines, for real: Airflow 3 with the CeleryExecutor, run from the
blocks of docs/operations.md ("Workers on separate machines") as written, hosts and ports
replaced.

Services the test starts: PostgreSQL (Debian's binaries; Airflow's metadata and Celery results
in database ``airflow``, the Iceberg catalog in ``newsloom``), Redis (Debian's
``redis-server``, the broker), one SeaweedFS S3 server, the outlet mirror. Machines: a
control machine (scheduler, dag-processor, API server) and three workers, each with its own
HOME, working directory, AIRFLOW_HOME (logs) and NEWSLOOM_STATE_DIR: two on ``default``, one
on ``gpu``. They share only S3 and the catalog.

Asserted: three daily DAGs and a two-outlet backfill succeed; every task ran on exactly one
worker (its log is on that machine only), the tasks of a DAG run land on both ``default``
workers, translate tasks ran only on the ``gpu`` worker; the corpus (article ids, content
hashes, translation statuses) equals a single-machine run's (the CLI, same outlets and days,
another bucket and catalog); a worker killed with SIGKILL in the middle of a crawl ends with
that crawl retried on the other worker and the corpus unchanged; and the compose file and the
Helm values use the executor, broker, result backend and queues that ran here.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.reliability]
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "operations.md"
VENV_BIN = Path(sys.executable).parent
DAILY = ("sohr_ar", "sohr_en", "sputnik_en")
BACKFILL = ("sohr_ar", "sputnik_en")
KILLED = "sohr_en"  # the daily DAG whose crawl loses its worker
ENV_FILE = "/etc/newsloom/airflow.env"
SOURCE = f"set -a; . {ENV_FILE}; set +a\n"  # how a shell on a machine reads it


# ---- the recipe ---------------------------------------------------------------------------
def doc_block(marker: str) -> str:
    m = re.search(rf"<!-- ops:{marker} -->\n```sh\n(.*?)```", DOC.read_text(), re.S)
    assert m, f"docs/operations.md has no ops:{marker} block"
    return m.group(1)


def env_file_values(text: str) -> dict[str, str]:
    """KEY=VALUE lines of an environment file (later lines win, as when sourced)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def commands(block: str) -> list[str]:
    return [ln.strip() for ln in block.splitlines() if ln.strip().startswith("airflow ")]


def queues_of(command: str) -> set[str]:
    m = re.search(r"--queues[ =](\S+)", command)
    return set(m.group(1).strip("\"'").split(",")) if m else set()


def concurrency_of(command: str) -> str | None:
    m = re.search(r"--concurrency[ =](\S+)", command)
    return m.group(1).strip("\"'") if m else None


def scheme(url: str) -> str:
    return url.split("://", 1)[0]


# ---- compose and Helm ---------------------------------------------------------------------
def _compose_default(value: str) -> str:
    """A compose value with every ``${VAR:-default}`` replaced by its default (innermost
    first) and every bare ``${VAR}`` by nothing: what runs with an empty infra/.env."""
    value = str(value)
    while True:
        new = re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*:-([^${}]*)\}", r"\1", value)
        new = re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}", "", new)
        if new == value:
            return value
        value = new


def _command_text(service: dict[str, Any]) -> str:
    cmd = service.get("command", "")
    return _compose_default(" ".join(cmd) if isinstance(cmd, list) else cmd)


@dataclass(frozen=True)
class ExecutorSettings:
    executor: str
    broker: str  # URL scheme
    result_backend: str  # URL scheme
    default_queue: str
    translation_queue: str
    worker_queues: frozenset[str]
    gpu_concurrency: str | None


def compose_settings() -> ExecutorSettings:
    compose = yaml.safe_load((ROOT / "infra" / "docker-compose.yaml").read_text())
    env = {k: _compose_default(v) for k, v in compose["x-airflow-common"]["environment"].items()}
    workers = {
        name: _command_text(s)
        for name, s in compose["services"].items()
        if _command_text(s).startswith("celery worker")
    }
    gpu = [c for c in workers.values() if "gpu" in queues_of(c)]
    return ExecutorSettings(
        executor=env["AIRFLOW__CORE__EXECUTOR"],
        broker=scheme(env["AIRFLOW__CELERY__BROKER_URL"]),
        result_backend=scheme(env["AIRFLOW__CELERY__RESULT_BACKEND"]),
        default_queue=env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"],
        translation_queue=env["NEWSLOOM_TRANSLATION_QUEUE"],
        worker_queues=frozenset(q for c in workers.values() for q in queues_of(c)),
        gpu_concurrency=concurrency_of(gpu[0]) if len(gpu) == 1 else None,
    )


def helm_settings() -> ExecutorSettings:
    helm = yaml.safe_load((ROOT / "infra" / "helm" / "values.yaml").read_text())
    extra_env = {e["name"]: e.get("value") for e in yaml.safe_load(helm["extraEnv"])}
    data = helm.get("data", {})
    # The chart's broker is its own Redis (redis.enabled) or a URL from data.brokerUrl*;
    # its result backend is the metadata database (db+ + its URL) unless data.resultBackend*
    # names another.
    assert helm["redis"]["enabled"] is True or data.get("brokerUrlSecretName"), helm["redis"]
    assert not any(k.startswith("resultBackend") for k in data), data
    assert helm["postgresql"]["enabled"] is False and data.get("metadataSecretName")
    default_queue = helm["config"]["operators"]["default_queue"]
    celery = helm["workers"]["celery"]
    queues = {default_queue} if celery.get("enableDefault", True) else set()
    gpu_concurrency = None
    for s in celery.get("sets", []):
        args = " ".join(s.get("args", []))
        assert queues_of(args) in (set(), {s["queue"]}), s  # the command agrees with `queue`
        queues.add(s["queue"])
        if s["queue"] == extra_env.get("NEWSLOOM_TRANSLATION_QUEUE"):
            gpu_concurrency = concurrency_of(args)
    return ExecutorSettings(
        executor=helm["executor"],
        broker="redis",
        result_backend="db+postgresql",
        default_queue=default_queue,
        translation_queue=extra_env["NEWSLOOM_TRANSLATION_QUEUE"],
        worker_queues=frozenset(queues),
        gpu_concurrency=gpu_concurrency,
    )


def recipe_settings(env: dict[str, str]) -> ExecutorSettings:
    """What this test runs: the recipe's settings file and worker commands."""
    worker, gpu = doc_block("celery-worker"), doc_block("celery-worker-gpu")
    return ExecutorSettings(
        executor=env["AIRFLOW__CORE__EXECUTOR"],
        broker=scheme(env["AIRFLOW__CELERY__BROKER_URL"]),
        result_backend=scheme(env["AIRFLOW__CELERY__RESULT_BACKEND"]),
        default_queue=env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"],
        translation_queue=env["NEWSLOOM_TRANSLATION_QUEUE"],
        worker_queues=frozenset(q for c in commands(worker + gpu) for q in queues_of(c)),
        gpu_concurrency=concurrency_of(commands(gpu)[0]),
    )


# ---- processes ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _tree(pid: int) -> list[Any]:
    import psutil

    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def kill_tree(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Signal a process we started, every descendant (task processes and crawls run in
    process groups of their own) and its process group. psutil checks each process's start
    time, so a recycled pid is never signalled."""
    import psutil

    for p in _tree(proc.pid):
        with contextlib.suppress(psutil.NoSuchProcess):
            p.send_signal(sig)
    if proc.poll() is None:  # not reaped: its pid is still its process group's id
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)


def stop(*procs: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a Celery worker's warm shutdown), then SIGKILL whatever is left after 15 s."""
    import psutil

    trees = [(proc, _tree(proc.pid)) for proc in procs]
    for proc, _ in trees:
        kill_tree(proc, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc, _ in trees:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    for proc, tree in trees:
        kill_tree(proc, signal.SIGKILL)
        for p in tree:  # descendants orphaned since the first look
            with contextlib.suppress(psutil.NoSuchProcess):
                p.send_signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)


def wait_for(
    predicate: Callable[[], Any], timeout: float, what: str, logs: list[Path], every: float = 2
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(every)
    tails = "\n".join(
        f"--- {p}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists()
    )
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}\n{tails}")


@dataclass
class Machine:
    """One "machine": its own HOME (AIRFLOW_HOME is ~/airflow), working directory and state."""

    name: str
    root: Path
    env: dict[str, str]
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def state(self) -> Path:
        return self.home / ".newsloom"

    def start(self, command: str, env_file: Path) -> subprocess.Popen[bytes]:
        log = self.root / f"{command.split()[1]}.log"
        self.logs.append(log)
        with log.open("ab") as fh:
            proc = subprocess.Popen(
                ["bash", "-c", f"set -a; . {env_file}; set +a; exec {command}"],
                cwd=self.home,
                env=self.env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def attempts(self) -> set[tuple[str, str, str, int, int]]:
        """(dag_id, run_id, task_id, map_index, try) of every task log on this machine."""
        logs = self.home / "airflow" / "logs"
        out = set()
        for path in logs.glob("dag_id=*/**/attempt=*.log"):
            parts = dict(seg.split("=", 1) for seg in path.relative_to(logs).parts[:-1])
            out.add(
                (
                    parts["dag_id"],
                    parts["run_id"],
                    parts["task_id"],
                    int(parts.get("map_index", -1)),
                    int(path.stem.split("=", 1)[1]),
                )
            )
        return out


def machine(tmp: Path, name: str, base: dict[str, str], **extra: str) -> Machine:
    root = tmp / name
    m = Machine(name, root, {})
    m.home.mkdir(parents=True)
    m.env = {**base, "HOME": str(m.home), "NEWSLOOM_STATE_DIR": str(m.state), **extra}
    return m


# ---- PostgreSQL and Redis -----------------------------------------------------------------
def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@contextlib.contextmanager
def postgres(tmp: Path) -> Iterator[int]:
    initdb, pg_ctl, psql = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("psql")
    if not initdb or not pg_ctl or not psql:
        pytest.skip(
            "no PostgreSQL server binaries (Debian package postgresql; .ci/run installs it)"
        )
    as_user: list[str] = []
    data = tmp / "pg" / "data"
    data.parent.mkdir()
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use its system user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        as_user = ["runuser", "-u", "postgres", "--"]
        for parent in [data.parent, *data.parent.parents]:
            if str(parent) in ("/", "/tmp"):
                break
            parent.chmod(parent.stat().st_mode | 0o055)
        subprocess.run(["chown", "postgres", str(data.parent)], check=True)
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=300"
    subprocess.run(
        [
            *as_user,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(data.parent / "pg.log"),
            "-o",
            options,
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield port
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], check=False)


@contextlib.contextmanager
def redis(tmp: Path) -> Iterator[int]:
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("no redis-server (Debian package redis-server; .ci/run installs it)")
    port = _free_port()
    log = tmp / "redis.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp),
            ],
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: _port_open(port), 30, "redis-server", [log])
        yield port
    finally:
        stop(proc)


def query(pg_port: int, sql: str) -> list[dict[str, Any]]:
    import psycopg2
    import psycopg2.extras

    con = psycopg2.connect(host="127.0.0.1", port=pg_port, user="postgres", dbname="airflow")
    try:
        with con.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(sql)
            return [dict(r) for r in cur.fetchall()]
    except psycopg2.errors.UndefinedTable:
        return []
    finally:
        con.close()


# ---- the corpus ---------------------------------------------------------------------------
def corpus_rows(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> list[tuple[str, ...]]:
    """(article_id, content_hash, translation_status, outlet) of every row, sorted."""
    from processing.core.config import Settings
    from processing.corpus import open_corpus

    with monkeypatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("NEWSLOOM_"):
                mp.delenv(name)
        for name, value in env.items():
            mp.setenv(name, value)
        corpus = open_corpus(settings=Settings.from_env())
        rows = corpus.read(["article_id", "content_hash", "translation_status", "outlet"])
    return sorted(
        (r["article_id"], r["content_hash"], r["translation_status"], r["outlet"])
        for r in rows.to_pylist()
    )


@pytest.mark.timeout(1800)
def test_workers_on_separate_machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.fernet import Fernet

    from devkit.mirror.route import route_env
    from devkit.mirror.server import MirrorServer
    from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY
    from processing.core.embedded_s3 import EmbeddedS3
    from tests.conftest import _free_port_block
    from tests.reliability import record

    if not (VENV_BIN / "airflow").exists():
        pytest.skip("no airflow executable in the virtualenv")
    started = time.monotonic()

    def phase(what: str) -> None:  # shown with the output of a failed run
        print(f"[{time.monotonic() - started:6.1f}s] {what}", flush=True)

    today = datetime.now(UTC).date()
    backfill_days = (today - timedelta(days=4), today - timedelta(days=3))
    with contextlib.ExitStack() as stack:
        pg_port = stack.enter_context(postgres(tmp_path))
        redis_port = stack.enter_context(redis(tmp_path))
        s3_port = _free_port_block()
        s3 = EmbeddedS3(tmp_path / "s3", s3_port)
        s3.up()
        stack.callback(s3.down)
        mirror = MirrorServer(anchor=today - timedelta(days=1)).start()
        stack.callback(mirror.stop)
        api_port = _free_port()

        # --- the settings file of the recipe, hosts and ports replaced ----------------------
        text = doc_block("celery-env")
        for old, new in {
            "db.internal:5432": f"127.0.0.1:{pg_port}",
            "redis.internal:6379": f"127.0.0.1:{redis_port}",
            "control.internal:8080": f"127.0.0.1:{api_port}",
            "/opt/newsloom": str(ROOT),
        }.items():
            assert old in text, f"the ops:celery-env block no longer names {old}"
            text = text.replace(old, new)
        s3_endpoint = f"http://127.0.0.1:{s3_port}"
        overrides = {
            "AIRFLOW__API__PORT": str(api_port),
            "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),
            "NEWSLOOM_S3_ENDPOINT": s3_endpoint,
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": EMBEDDED_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": EMBEDDED_SECRET_KEY,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",  # 2 cores here
            # a dead worker's task is failed (and retried) 30 s after its last heartbeat
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
            "NEWSLOOM_TASK_RETRIES": "3",
            "NEWSLOOM_TASK_RETRY_DELAY": "3",
            "NEWSLOOM_CRAWL_DELAY": "0",
            "NEWSLOOM_BACKOFF_BASE": "0.05",
            # no model: Arabic rows stay pending (the translate tasks still run, on gpu1)
            "NEWSLOOM_TRANSLATION_MODEL": str(tmp_path / "no-model"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        text += "# the test's own\n" + "".join(f"{k}={v}\n" for k, v in overrides.items())
        env_file = tmp_path / "airflow.env"
        env_file.write_text(text)
        settings = env_file_values(text)

        # --- what runs here is what compose and Helm configure ------------------------------
        ran = recipe_settings(settings)
        assert ran.executor == "CeleryExecutor"
        assert ran == compose_settings(), "docker-compose.yaml differs from the recipe"
        assert ran == helm_settings(), "helm/values.yaml differs from the recipe"
        # the default workers serve the default queue, the third one only translation's
        (worker_command,) = commands(doc_block("celery-worker"))
        (gpu_command,) = commands(doc_block("celery-worker-gpu"))
        assert queues_of(worker_command) == {ran.default_queue}
        assert queues_of(gpu_command) == {ran.translation_queue} != {ran.default_queue}

        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("NEWSLOOM_", "AIRFLOW", "AWS_", "PG", "HF_", "TRANSFORMERS_", "DEVKIT_")
            )
        }
        base["PATH"] = f"{VENV_BIN}{os.pathsep}{base.get('PATH', '')}"
        # Every crawl goes to the mirror: the development kit's route, in the environment of
        # every machine (no setting of the recipe).
        base.update(route_env(mirror.url, base))
        bash = ["bash", "-euo", "pipefail", "-c"]

        def run_block(block: str, m: Machine | None, timeout: float = 300, **env: str) -> None:
            block = block.replace(ENV_FILE, str(env_file)).replace("/opt/newsloom", str(ROOT))
            done = subprocess.run(
                [*bash, block],
                cwd=m.home if m else ROOT,
                env={**(m.env if m else base), **env},
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            assert done.returncode == 0, block + done.stdout[-3000:] + done.stderr[-3000:]

        # --- the databases, Airflow's schema, the pools -------------------------------------
        run_block(
            doc_block("celery-db"),
            None,
            PGHOST="127.0.0.1",
            PGPORT=str(pg_port),
            PGUSER="postgres",
            PGDATABASE="postgres",
            PATH=f"{Path(str(_pg_bin('psql'))).parent}{os.pathsep}{base['PATH']}",
        )
        control = machine(tmp_path, "control", base)
        phase("services up, databases made; airflow db migrate")
        run_block(doc_block("celery-init"), control, timeout=600)
        phase("schema and pools made; starting the machines")

        # --- the machines ---------------------------------------------------------------------
        workers = {
            name: machine(
                tmp_path, name, base, AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(_free_port())
            )
            for name in ("worker1", "worker2", "gpu1")
        }
        default_workers = ("worker1", "worker2")
        machines = [control, *workers.values()]
        stack.callback(lambda: stop(*(p for m in machines for p in m.procs)))
        logs = [log for m in machines for log in m.logs]
        for command in commands(doc_block("celery-control")):
            control.start(command, env_file)
        for name, m in workers.items():
            command = gpu_command if name.startswith("gpu") else worker_command
            m.start(command.replace("$(hostname)", name), env_file)
        logs = [log for m in machines for log in m.logs]

        daily_ids = [f"newsloom_daily_{o}" for o in DAILY]
        backfill_ids = [f"newsloom_backfill_{o}" for o in BACKFILL]
        wait_for(
            lambda: (
                {r["dag_id"] for r in query(pg_port, "SELECT dag_id FROM dag")}
                >= {*daily_ids, *backfill_ids}
            ),
            300,
            "the dag-processor to register the DAGs",
            logs,
        )
        phase("DAGs registered; unpausing and triggering")
        conf = json.dumps(
            {"from": backfill_days[0].isoformat(), "to": backfill_days[1].isoformat()}
        )
        run_block(
            f"{SOURCE}airflow dags unpause --yes --treat-dag-id-as-regex "
            f"'^newsloom_daily_({'|'.join(DAILY)})$'"
            + "".join(f"\nairflow dags trigger {d} --conf '{conf}'" for d in backfill_ids),
            control,
        )

        def runs() -> list[dict[str, Any]]:
            return query(pg_port, "SELECT dag_id, run_id, state, logical_date FROM dag_run")

        def tis() -> list[dict[str, Any]]:
            return query(
                pg_port,
                "SELECT dag_id, run_id, task_id, map_index, state, try_number, queue "
                "FROM task_instance",
            )

        # --- the single-machine reference: the CLI, same outlets and days, its own bucket ----
        def daily_runs() -> dict[tuple[str, date], str]:
            """(outlet, day collected) -> run_id of every daily run so far."""
            return {
                (
                    r["dag_id"].removeprefix("newsloom_daily_"),
                    r["logical_date"].astimezone(UTC).date(),
                ): r["run_id"]
                for r in runs()
                if r["dag_id"] in daily_ids
            }

        first_runs = wait_for(
            lambda: (d := daily_runs()) and {o for o, _ in d} == set(DAILY) and d,
            120,
            "the daily runs to be created",
            logs,
        )
        single = machine(
            tmp_path,
            "single",
            base,
            **{
                k: v
                for k, v in overrides.items()
                if k.startswith(("NEWSLOOM_", "AWS_", "HF_", "TRANSFORMERS_"))
            },
            NEWSLOOM_S3_BUCKET="single",  # its own bucket and (SQLite) catalog
        )
        newsloom = VENV_BIN / "newsloom"
        reference_log = single.root / "cli.log"

        def reference_run(days: list[tuple[str, date]], backfills: tuple[str, ...]) -> Any:
            script = [f"{newsloom} run --outlet {o} --date {d}" for o, d in sorted(days)] + [
                f"{newsloom} backfill --outlet {o} --from {backfill_days[0]} "
                f"--to {backfill_days[1]}"
                for o in backfills
            ]
            # 6: a partial run (the mirror refuses some requests, as real sites do): committed
            script = [f"{c} || test $? -eq 6" for c in script]
            with reference_log.open("ab") as fh:
                proc = subprocess.Popen(
                    [*bash, "\n".join(script)],
                    cwd=single.home,
                    env=single.env,
                    stdout=fh,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            single.procs.append(proc)
            return proc

        stack.callback(lambda: stop(*single.procs))
        reference = reference_run(list(first_runs), BACKFILL)  # while the cluster works

        # --- the distributed runs -----------------------------------------------------------
        dag_ids = {*daily_ids, *backfill_ids}

        def finished() -> bool:
            ours = [r for r in runs() if r["dag_id"] in dag_ids]
            return {r["dag_id"] for r in ours} == dag_ids and all(
                r["state"] in ("success", "failed") for r in ours
            )

        wait_for(finished, 1200, "the daily and backfill runs", logs)
        phase("the runs finished")
        states = [(r["dag_id"], r["state"]) for r in runs() if r["dag_id"] in dag_ids]
        assert {s for _, s in states} == {"success"}, (states, tis())
        first = [t for t in tis() if t["dag_id"] in dag_ids]
        assert {t["state"] for t in first} <= {"success", "skipped"}, first

        # where each task ran: its log is on exactly one machine
        where: dict[tuple[str, str, str, int, int], list[str]] = {}
        for name, m in workers.items():
            for key in m.attempts():
                where.setdefault(key, []).append(name)
        assert not list(control.home.glob("airflow/logs/dag_id=*/**/attempt=*.log"))
        placed: dict[tuple[str, str, str, int], str] = {}
        for t in first:
            key = (t["dag_id"], t["run_id"], t["task_id"], t["map_index"], t["try_number"])
            ran_on = where.get(key, [])
            if t["state"] == "success":
                assert len(ran_on) == 1, (key, ran_on)
            if ran_on:
                placed[key[:4]] = ran_on[0]
                if t["task_id"] == "translate":
                    assert t["queue"] == ran.translation_queue and ran_on == ["gpu1"], (t, ran_on)
                else:
                    assert t["queue"] == ran.default_queue, t
                    assert ran_on[0] in default_workers, (t, ran_on)
        assert {k[0] for k, w in placed.items() if k[2] == "translate"} == dag_ids, placed
        assert {w for k, w in placed.items() if k[2] != "translate"} == set(default_workers)
        per_run: dict[tuple[str, str], set[str]] = {}
        for k, w in placed.items():
            if w in default_workers:
                per_run.setdefault(k[:2], set()).add(w)
        split = [r for r, ws in per_run.items() if ws == set(default_workers)]
        assert split, f"no DAG run had tasks on both default workers: {per_run}"
        # nothing shared went to a machine's own disk: no local catalog, no local S3 server
        for m in workers.values():
            assert not list(m.state.glob("catalog/*.db")), m.name
            assert not (m.state / "seaweedfs").exists(), m.name

        # the corpus equals the single-machine run's
        assert reference.wait(timeout=600) == 0, reference_log.read_text()[-4000:]
        # a daily DAG whose next cron time passed during the test has a run more
        if later := sorted(set(daily_runs()) - set(first_runs)):
            assert reference_run(later, ()).wait(timeout=600) == 0, reference_log.read_text()
        phase("the single-machine reference finished")
        cluster_env = {
            "NEWSLOOM_S3_ENDPOINT": s3_endpoint,
            "NEWSLOOM_S3_BUCKET": settings["NEWSLOOM_S3_BUCKET"],
            "NEWSLOOM_CATALOG": settings["NEWSLOOM_CATALOG"],
            "NEWSLOOM_CATALOG_URI": settings["NEWSLOOM_CATALOG_URI"],
            "NEWSLOOM_STATE_DIR": str(tmp_path / "reader"),
            "AWS_ACCESS_KEY_ID": EMBEDDED_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": EMBEDDED_SECRET_KEY,
            "AWS_REGION": "us-east-1",
        }
        single_env = {
            **{k: v for k, v in cluster_env.items() if not k.startswith("NEWSLOOM_CATALOG")},
            "NEWSLOOM_S3_BUCKET": "single",
            "NEWSLOOM_STATE_DIR": str(single.state),
        }
        before = corpus_rows(monkeypatch, cluster_env)
        reference_rows = corpus_rows(monkeypatch, single_env)
        assert before, "the runs stored nothing"
        assert {r[3] for r in before} == {*DAILY, *BACKFILL}
        assert len({r[0] for r in before}) == len(before), "duplicate article ids"
        assert before == reference_rows

        # --- a worker dies in the middle of a crawl -----------------------------------------
        dag_id = f"newsloom_daily_{KILLED}"
        ((day, run_id),) = [(d, r) for (o, d), r in first_runs.items() if o == KILLED]
        run_block(
            f"{SOURCE}airflow tasks clear {dag_id} --yes --start-date {day} "
            f"--end-date {day + timedelta(days=1)}",
            control,
        )

        def crawling() -> tuple[str, Any] | None:
            for name in default_workers:
                for proc in _tree(workers[name].procs[0].pid):
                    with contextlib.suppress(Exception):
                        if "crawlers.run" in " ".join(proc.cmdline()):
                            return name, proc
            return None

        victim, _ = wait_for(crawling, 300, "the cleared run's crawl", logs, every=0.2)

        def run_tis() -> list[dict[str, Any]]:
            return [t for t in tis() if t["dag_id"] == dag_id and t["run_id"] == run_id]

        (crawl_ti,) = [t for t in run_tis() if t["task_id"] == "crawl"]
        assert crawl_ti["state"] == "running", crawl_ti
        killed_try = crawl_ti["try_number"]
        kill_tree(workers[victim].procs[0], signal.SIGKILL)  # the machine is gone
        phase(f"{victim} killed during try {killed_try} of the crawl")
        survivor = next(w for w in default_workers if w != victim)

        def run_state() -> str:
            (state,) = [r["state"] for r in runs() if r["run_id"] == run_id]
            return str(state)

        def rerun_done() -> bool:
            return run_state() in ("success", "failed") and any(
                t["try_number"] > killed_try for t in run_tis() if t["task_id"] == "crawl"
            )

        wait_for(rerun_done, 600, "the crawl's retry on the other worker", logs)
        phase("the cleared run finished")
        after_tis = run_tis()
        assert run_state() == "success", after_tis
        assert {t["state"] for t in after_tis} <= {"success", "skipped"}, after_tis
        (crawl_ti,) = [t for t in after_tis if t["task_id"] == "crawl"]
        assert (dag_id, run_id, "crawl", -1, killed_try) in workers[victim].attempts()
        assert (dag_id, run_id, "crawl", -1, crawl_ti["try_number"]) in workers[survivor].attempts()
        for t in after_tis:
            if t["state"] == "success":
                key = (dag_id, run_id, t["task_id"], t["map_index"], t["try_number"])
                host = "gpu1" if t["task_id"] == "translate" else survivor
                assert key in workers[host].attempts(), (t, victim)
        after = corpus_rows(monkeypatch, cluster_env)
        lost = len({r[0] for r in before} - {r[0] for r in after})
        duplicates = len(after) - len({r[0] for r in after})
        record(
            "airflow",
            "a Celery worker killed (SIGKILL, whole machine) in the middle of a crawl",
            "the crawl is retried on another worker; the corpus is unchanged",
            "the crawl is retried on another worker; the corpus is unchanged"
            if after == before and crawl_ti["try_number"] > killed_try
            else "the corpus changed",
            rows_lost=lost,
            duplicates=duplicates,
        )
        assert after == before
