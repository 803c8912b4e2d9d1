"""infra/: the docker-compose stack, the Helm values, the Terraform for the bucket, the Glue
catalog and IAM, and the scripts they run. Fast and offline: files are parsed and cross-checked
against each other and against the code (pool names, S3 layout, catalog settings); `docker
compose config` and `terraform fmt` run only where those tools are installed, and the catalog
database script runs against a throwaway PostgreSQL server where one is installed."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "infra"
COMPOSE = INFRA / "docker-compose.yaml"
COMPOSE_GPU = INFRA / "docker-compose.gpu.yaml"
ENV_EXAMPLE = INFRA / ".env.example"
DOCKERFILE = INFRA / "Dockerfile"
HELM_VALUES = INFRA / "helm" / "values.yaml"
HELM_README = INFRA / "helm" / "README.md"
TF = INFRA / "terraform"
POLICIES = TF / "policies"

AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-worker-gpu",
)
LONG_RUNNING_AIRFLOW = AIRFLOW_SERVICES
REQUIRED_SERVICES = (
    "postgres",
    "redis",
    "seaweedfs",
    "seaweedfs-init",
    "catalog-db-init",
    "airflow-init",
    *AIRFLOW_SERVICES,
)
CATALOG_SQL = INFRA / "scripts" / "create_catalog_db.sql"
# Files that configure a deployment; none may refer to the v1 layout, locks or the old pool.
DEPLOYMENT_FILES = (
    COMPOSE,
    COMPOSE_GPU,
    ENV_EXAMPLE,
    DOCKERFILE,
    HELM_VALUES,
    HELM_README,
    INFRA / "scripts" / "create_pools.py",
    INFRA / "scripts" / "entrypoint.sh",
    CATALOG_SQL,
)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)  # SafeLoader resolves YAML anchors and `<<` merge keys


def _interpolations(text: str) -> list[tuple[int, int, str, str]]:
    """Compose's ``${NAME}``, ``${NAME:-default}`` (defaults may nest: ``${A:-x${B:-y}}``):
    (start, end, name, default) of each outermost one; ``$$`` is a literal dollar."""
    found: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(text):
        if text.startswith("$$", i):
            i += 2
            continue
        if not text.startswith("${", i):
            i += 1
            continue
        depth, j = 1, i + 2
        while depth and j < len(text):
            if text.startswith("${", j):
                depth, j = depth + 1, j + 2
                continue
            depth += {"}": -1, "{": 1}.get(text[j], 0)
            j += 1
        assert depth == 0, f"unclosed ${{ at {i}: {text[i : i + 60]!r}"
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+](.*))?", text[i + 2 : j - 1], re.S)
        assert m, f"not a compose interpolation: {text[i:j]!r}"
        found.append((i, j, m.group(1), m.group(2) or ""))
        i = j
    return found


def _variables_used(text: str) -> set[str]:
    names: set[str] = set()
    for _, _, name, default in _interpolations(text):
        names |= {name, *_variables_used(default)}
    return names


def _default(value: str) -> str:
    """The value compose uses when the variables are unset: "${X:-d}" -> "d", "a${X:-b}c" ->
    "abc", "${X:-${Y:-z}}" -> "z"."""
    out, last = [], 0
    for start, end, _, default in _interpolations(value):
        out += [value[last:start], _default(default)]
        last = end
    return "".join([*out, value[last:]]).replace("$$", "$")


def _script(name: str) -> ModuleType:
    path = INFRA / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"infra_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _command_text(service: dict[str, Any]) -> str:
    cmd = service.get("command", "")
    return " ".join(cmd) if isinstance(cmd, list) else str(cmd)


def _queues(command: str) -> set[str]:
    m = re.search(r"(?:--queues|-q)[ =](\S+)", command)
    return set(m.group(1).split(",")) if m else set()


def _compose_cli() -> list[str] | None:
    """`docker compose` (plugin) or a v2 `docker-compose`; None when neither is installed."""
    if shutil.which("docker"):
        r = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30
        )
        if r.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        r = subprocess.run(
            ["docker-compose", "version"], capture_output=True, text=True, timeout=30
        )
        if r.returncode == 0 and re.search(r"v?2\.\d+", r.stdout):
            return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return _yaml(COMPOSE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


@pytest.fixture(scope="module")
def common(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["x-airflow-common"]


# --------------------------------------------------------------------------------------------
# docker-compose
# --------------------------------------------------------------------------------------------
def test_compose_config_validates_with_the_docker_cli():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("no `docker compose` plugin and no v2 docker-compose on PATH")
    env = {k: v for k, v in os.environ.items() if k not in ("COMPOSE_FILE", "COMPOSE_PROFILES")}
    for files in ([COMPOSE], [COMPOSE, COMPOSE_GPU]):
        args = [a for f in files for a in ("-f", str(f))]
        for extra in ([], ["--env-file", str(ENV_EXAMPLE)]):
            r = subprocess.run(
                [*cli, *args, *extra, "config", "-q"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env,
                timeout=60,
            )
            assert r.returncode == 0, f"{files} {extra}: {r.stderr}"


def test_compose_has_every_service(services):
    missing = [s for s in REQUIRED_SERVICES if s not in services]
    assert not missing, f"missing services: {missing}"


def test_airflow_services_share_one_image_build_and_environment(services, common):
    assert common["image"].startswith("${NEWSLOOM_IMAGE")
    assert common["build"] == {"context": "..", "dockerfile": "infra/Dockerfile"}
    assert (INFRA / common["build"]["context"]).resolve() == ROOT
    for name in (*AIRFLOW_SERVICES, "airflow-init"):
        svc = services[name]
        assert svc["image"] == common["image"], name
        assert svc["build"] == common["build"], name
        assert svc.get("user") == common["user"], name
        env = svc["environment"]
        for key, value in common["environment"].items():
            assert env.get(key) == value, f"{name}: {key} differs from x-airflow-common"


def test_airflow3_components_and_settings(services, common):
    env = common["environment"]
    assert _command_text(services["airflow-apiserver"]) == "api-server"
    assert _command_text(services["airflow-scheduler"]) == "scheduler"
    assert _command_text(services["airflow-dag-processor"]) == "dag-processor"
    assert _command_text(services["airflow-triggerer"]) == "triggerer"
    for name, svc in services.items():
        assert "webserver" not in _command_text(svc), f"{name}: Airflow 3 has no webserver"
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith(("FabAuthManager", "SimpleAuthManager"))
    assert _default(env["AIRFLOW__API_AUTH__JWT_SECRET"]).strip()
    assert _default(env["AIRFLOW__API__SECRET_KEY"]).strip()
    # The Execution API is served by the api-server service, on the port it listens on.
    url = re.fullmatch(
        r"http://([\w-]+):(\d+)/execution/", env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
    )
    assert url, env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
    assert url.group(1) == "airflow-apiserver"
    published = [str(p).rsplit(":", 1)[-1] for p in services["airflow-apiserver"]["ports"]]
    assert url.group(2) in published
    assert re.match(r"redis://(.*@)?redis:6379/", env["AIRFLOW__CELERY__BROKER_URL"])
    assert re.match(
        r"postgresql\+psycopg2://[^@]+@postgres:5432/", env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )


def test_project_is_mounted_and_is_the_dags_folder(common):
    mounts = [str(v).split(":") for v in common["volumes"]]
    project = [m for m in mounts if len(m) >= 2 and m[1] == "/opt/newsloom"]
    assert project, f"the project is not mounted at /opt/newsloom: {common['volumes']}"
    assert (INFRA / project[0][0]).resolve() == ROOT
    dags = common["environment"]["AIRFLOW__CORE__DAGS_FOLDER"]
    assert dags == "/opt/newsloom/dags"
    assert (ROOT / Path(dags).relative_to("/opt/newsloom")).is_dir()


def test_workers_serve_the_default_and_translation_queues(services, common):
    env = common["environment"]
    default_queue = env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"]
    translation_queue = _default(env["NEWSLOOM_TRANSLATION_QUEUE"])
    assert _queues(_command_text(services["airflow-worker"])) == {default_queue}
    assert _queues(_command_text(services["airflow-worker-gpu"])) == {translation_queue}
    assert translation_queue == "gpu"
    for name in ("airflow-worker", "airflow-worker-gpu"):
        assert _command_text(services[name]).startswith("celery worker"), name


def test_depends_on_wiring(services):
    def deps(name: str) -> dict[str, str]:
        d = services[name].get("depends_on", {})
        return (
            {k: v.get("condition", "service_started") for k, v in d.items()}
            if isinstance(d, dict)
            else dict.fromkeys(d, "service_started")
        )

    for name in LONG_RUNNING_AIRFLOW:
        d = deps(name)
        assert d.get("airflow-init") == "service_completed_successfully", name
        assert d.get("postgres") == "service_healthy", name
        assert d.get("redis") == "service_healthy", name
    init = deps("airflow-init")
    assert init.get("postgres") == "service_healthy"
    assert init.get("seaweedfs-init") == "service_completed_successfully"
    # No task starts before the catalog's database exists (every Airflow service waits for
    # airflow-init, which waits for catalog-db-init).
    assert init.get("catalog-db-init") == "service_completed_successfully"
    assert "airflow-init" not in init
    assert deps("seaweedfs-init").get("seaweedfs") == "service_healthy"
    assert deps("catalog-db-init") == {"postgres": "service_healthy"}
    # Every dependency exists, waits only on services that can report health, and there is
    # no cycle.
    for name in services:
        for dep, condition in deps(name).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            if condition == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep}'s health"
    state: dict[str, int] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert state.get(name) != 1, f"depends_on cycle: {' -> '.join((*path, name))}"
        if state.get(name) == 2:
            return
        state[name] = 1
        for dep in deps(name):
            visit(dep, (*path, name))
        state[name] = 2

    for name in services:
        visit(name, ())


def test_healthchecks(services):
    for name in (
        "postgres",
        "redis",
        "seaweedfs",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-worker",
        "airflow-worker-gpu",
    ):
        test = services[name].get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), name
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert any("8333" in part for part in services["seaweedfs"]["healthcheck"]["test"])


def test_s3_settings_reach_seaweedfs(services, common):
    env = common["environment"]
    for key in (
        "NEWSLOOM_S3_ENDPOINT",
        "NEWSLOOM_S3_BUCKET",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
    ):
        assert key in env, key
    endpoint = _default(env["NEWSLOOM_S3_ENDPOINT"])
    assert endpoint == "http://seaweedfs:8333"
    assert "-ip.bind=0.0.0.0" in services["seaweedfs"]["command"]
    # The pipeline's default keys are the ones SeaweedFS enforces, or every request gets 403.
    sw_env = services["seaweedfs"]["environment"]
    assert _default(env["AWS_ACCESS_KEY_ID"]) == _default(sw_env["AWS_ACCESS_KEY_ID"])
    assert _default(env["AWS_SECRET_ACCESS_KEY"]) == _default(sw_env["AWS_SECRET_ACCESS_KEY"])
    init_env = services["seaweedfs-init"]["environment"]
    assert _default(init_env["NEWSLOOM_S3_BUCKET"]) == _default(env["NEWSLOOM_S3_BUCKET"])
    assert _default(init_env["SEAWEEDFS_ACCESS_KEY"]) == _default(sw_env["AWS_ACCESS_KEY_ID"])


def test_init_services_run_scripts_that_exist(services):
    init = _command_text(services["airflow-init"])
    assert "airflow db migrate" in init
    assert "airflow users create" in init
    assert "/opt/newsloom/infra/scripts/create_pools.py --apply" in init
    bucket = services["seaweedfs-init"]
    assert "/opt/newsloom/infra/scripts/ensure_bucket.py" in " ".join(bucket["entrypoint"])
    for script in ("create_pools.py", "ensure_bucket.py", "entrypoint.sh", CATALOG_SQL.name):
        assert (INFRA / "scripts" / script).is_file(), script
    for name in ("seaweedfs-init", "catalog-db-init", "airflow-init"):
        assert services[name].get("restart") == "no", name


def _psql_options(service: dict[str, Any]) -> dict[str, str]:
    assert service["entrypoint"] == ["psql"]
    opts: dict[str, str] = {}
    for arg in service["command"]:
        m = re.fullmatch(r"--([\w-]+)(?:=(.*))?", arg)
        assert m, f"catalog-db-init: unexpected argument {arg!r}"
        key = m.group(1)
        if key == "set":
            name, _, value = (m.group(2) or "").partition("=")
            opts[f"set:{name}"] = value
        else:
            opts[key] = m.group(2) or ""
    return opts


def test_compose_pipeline_env_has_a_shared_postgres_catalog(services, common, monkeypatch):
    """Every Airflow container gets one catalog: the stack's PostgreSQL, database and role
    `newsloom` (made by catalog-db-init), with the password from infra/.env."""
    from sqlalchemy.engine import make_url

    from processing.core.config import Settings
    from processing.corpus.catalog import catalog_properties

    env = common["environment"]
    assert _default(env["NEWSLOOM_CATALOG"]) == "sql"
    raw_uri = env["NEWSLOOM_CATALOG_URI"]
    # The URL is overridable as a whole and its password comes from infra/.env.
    assert [name for _, _, name, _ in _interpolations(raw_uri)] == ["NEWSLOOM_CATALOG_URI"]
    assert "NEWSLOOM_CATALOG_DB_PASSWORD" in _variables_used(raw_uri)
    url = make_url(_default(raw_uri))
    assert url.drivername == "postgresql+psycopg2"
    assert (url.host, url.port) == ("postgres", 5432)

    # catalog-db-init creates exactly that database and role, on the same server, as the
    # server's superuser, with the same password; the password is not on its command line.
    init = services["catalog-db-init"]
    opts = _psql_options(init)
    pg = services["postgres"]["environment"]
    assert opts["host"] == "postgres"
    assert opts["username"] == pg["POSTGRES_USER"]
    assert opts["dbname"] == pg["POSTGRES_DB"]
    assert opts["set:ON_ERROR_STOP"] == "1"
    assert (opts["set:catalog_db"], opts["set:catalog_user"]) == (url.database, url.username)
    assert url.database != pg["POSTGRES_DB"], "the catalog has its own database"
    init_env = init["environment"]
    assert _default(init_env["PGPASSWORD"]) == _default(pg["POSTGRES_PASSWORD"])
    assert init_env["NEWSLOOM_CATALOG_DB_PASSWORD"] == "${NEWSLOOM_CATALOG_DB_PASSWORD:-newsloom}"
    assert _default(init_env["NEWSLOOM_CATALOG_DB_PASSWORD"]) == url.password
    assert not any("password" in a.lower() for a in init["command"])
    sql_in_container = opts["file"]
    mounts = [str(v).split(":") for v in init["volumes"]]
    assert any(
        m[1] == sql_in_container and (INFRA / m[0]).resolve() == CATALOG_SQL for m in mounts
    ), f"{sql_in_container} is not infra/scripts/{CATALOG_SQL.name}: {init['volumes']}"

    # What the code makes of that environment: a SQL catalog on that URL, the tables under
    # s3://<bucket>/warehouse.
    for key in list(os.environ):
        if key.startswith(("NEWSLOOM_", "PYICEBERG_")):
            monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("NEWSLOOM_"):
            monkeypatch.setenv(key, _default(str(value)))
    settings = Settings.from_env()
    props = catalog_properties(settings, settings.s3_endpoint)
    assert props["type"] == "sql"
    assert make_url(props["uri"]) == url
    assert props["warehouse"] == f"s3://{_default(env['NEWSLOOM_S3_BUCKET'])}/warehouse"
    assert settings.catalog_namespace == "newsloom"


def test_catalog_db_script_is_idempotent_and_takes_the_password_from_the_environment():
    sql = CATALOG_SQL.read_text(encoding="utf-8")
    assert "\\getenv catalog_password NEWSLOOM_CATALOG_DB_PASSWORD" in sql
    statements = re.findall(r"SELECT format\('(CREATE|ALTER) (ROLE|DATABASE)", sql)
    assert ("CREATE", "ROLE") in statements and ("CREATE", "DATABASE") in statements
    # Every CREATE is guarded; the password is set on every run (a changed .env takes effect).
    assert sql.count("WHERE NOT EXISTS") == 2
    assert "ALTER ROLE %I WITH LOGIN PASSWORD %L" in sql
    # Identifiers and the password are quoted by format(%I, %L), never pasted into SQL.
    for line in sql.splitlines():
        if not line.strip().startswith(("\\if", "--")):  # \if takes a boolean variable bare
            assert not re.search(r":catalog_\w", line), f"unquoted psql variable: {line}"


def _postgres_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


@pytest.fixture(scope="module")
def postgres_server():
    """A throwaway PostgreSQL server (superuser `airflow`, password auth over TCP), like the
    stack's; skipped where PostgreSQL is not installed."""
    binaries = {n: _postgres_bin(n) for n in ("initdb", "pg_ctl", "psql")}
    if not all(binaries.values()):
        pytest.skip(f"PostgreSQL is not installed: {binaries}")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as nobody
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser")
        as_user = ["runuser", "-u", "nobody", "--"]
    base = Path(tempfile.mkdtemp(prefix="newsloom-pg-"))
    (base / "pw").write_text("airflow-pw\n")
    if as_user:
        shutil.chown(base, "nobody")
        shutil.chown(base / "pw", "nobody")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"

    def run(*cmd: str) -> None:
        r = subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr

    run(str(binaries["initdb"]), "-D", str(data), "-U", "airflow", f"--pwfile={base / 'pw'}",
        "--auth-local=trust", "--auth-host=scram-sha-256")  # fmt: skip
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(binaries["pg_ctl"]), "-D", str(data), "-o", options, "-l", str(base / "log"),
        "-w", "start")  # fmt: skip
    try:
        env = {**os.environ, "PGPASSWORD": "airflow-pw"}
        r = subprocess.run(
            [str(binaries["psql"]), "-h", "127.0.0.1", "-p", str(port), "-U", "airflow",
             "-d", "postgres", "-c", "CREATE DATABASE airflow"],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        yield SimpleNamespace(port=port, psql=binaries["psql"], base=base)
    finally:
        subprocess.run(
            [*as_user, str(binaries["pg_ctl"]), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


def test_catalog_db_init_against_postgres_then_pyiceberg_uses_it(
    postgres_server, services, tmp_path
):
    """catalog-db-init's psql invocation, run as written against a real server: it creates the
    role and database (twice: idempotent), refuses an empty password, and pyiceberg's SQL
    catalog then works there with the compose URL's credentials."""
    from pyiceberg.catalog import load_catalog
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url

    opts = _psql_options(services["catalog-db-init"])
    args = [
        str(postgres_server.psql),
        *(a for a in services["catalog-db-init"]["command"] if not a.startswith("--file=")),
        f"--file={CATALOG_SQL}",
    ]
    args = [a for a in args if not a.startswith("--host=")]
    args += ["--host=127.0.0.1", f"--port={postgres_server.port}"]
    env = {**os.environ, "PGPASSWORD": "airflow-pw", "NEWSLOOM_CATALOG_DB_PASSWORD": "pw-1"}
    for _ in range(2):
        r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0, r.stderr
    r = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env={**env, "NEWSLOOM_CATALOG_DB_PASSWORD": ""},
        timeout=60,
    )
    assert r.returncode != 0 and "NEWSLOOM_CATALOG_DB_PASSWORD" in r.stderr

    url = make_url(_default(services["airflow-worker"]["environment"]["NEWSLOOM_CATALOG_URI"]))
    assert (url.username, url.database) == (opts["set:catalog_user"], opts["set:catalog_db"])
    url = url.set(host="127.0.0.1", port=postgres_server.port, password="pw-1")
    uri = url.render_as_string(hide_password=False)
    catalog = load_catalog("newsloom", type="sql", uri=uri, warehouse=tmp_path.as_uri())
    catalog.create_namespace_if_not_exists("newsloom")
    catalog.create_namespace_if_not_exists("newsloom")  # a second task finds it there

    import pyarrow as pa

    table = catalog.create_table("newsloom.probe", schema=pa.schema([("a", pa.int64())]))
    table.append(pa.table({"a": [1, 2, 3]}))
    assert len(catalog.load_table("newsloom.probe").scan().to_arrow()) == 3
    assert table.location().endswith("/newsloom/probe"), "<warehouse>/<namespace>/<table>"
    engine = create_engine(uri)
    try:
        assert {"iceberg_tables", "iceberg_namespace_properties"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_env_example_documents_exactly_the_compose_variables():
    used = {name for f in (COMPOSE, COMPOSE_GPU) for name in _variables_used(f.read_text("utf-8"))}
    documented = {
        line.split("=", 1)[0].strip()
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    assert used - documented == set(), f"not in .env.example: {sorted(used - documented)}"
    assert documented - used == set(), f"unused in compose: {sorted(documented - used)}"


def test_gpu_overlay_gives_the_translation_worker_a_gpu(services):
    overlay = _yaml(COMPOSE_GPU)["services"]
    assert set(overlay) <= set(services), "the overlay may only extend services of the stack"
    gpu = overlay["airflow-worker-gpu"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert any(d.get("driver") == "nvidia" and "gpu" in d.get("capabilities", []) for d in devices)
    assert "cu" in _default(gpu["build"]["args"]["TORCH_INDEX_URL"]).rsplit("/", 1)[-1]
    assert gpu["build"]["dockerfile"] == "infra/Dockerfile"
    assert gpu["image"] != services["airflow-worker-gpu"]["image"], (
        "the CUDA image must not overwrite the CPU image's tag"
    )


def test_dockerfile_installs_the_project_the_documented_way():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    torch = re.search(
        r'pip install "torch==\$\{TORCH_VERSION\}" --index-url "\$\{TORCH_INDEX_URL\}"', text
    )
    assert torch, "torch must come from an explicit index"
    assert re.search(r"ARG TORCH_VERSION=2\.13\.0", text)
    assert re.search(r"ARG TORCH_INDEX_URL=https://download\.pytorch\.org/whl/cpu", text)
    project = text.find('pip install ".[pipeline,airflow]"')
    assert project > torch.start(), "torch (CPU) must be installed before the project"
    for provider in ("celery", "fab", "postgres", "amazon"):
        assert f"apache-airflow-providers-{provider}" in text, provider
    # The project is installed (not only on PYTHONPATH): its PostgreSQL driver and its Airflow
    # plugin entry point are there, and the build checks both.
    check = text.find("import psycopg2", project)
    assert check > project, "the build must check that psycopg2 came with the project"
    assert "group='airflow.plugins'" in text[check:] and "'newsloom'" in text[check:]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'newsloom = "processing.airflow.plugin:NewsloomPlugin"' in pyproject
    assert re.search(r'^\s*"psycopg2(-binary)?[<>=~! ]', pyproject, re.M), (
        "psycopg2 must be a main dependency of the project"
    )
    # Every COPY source exists and is not excluded from the build context.
    ignore = (INFRA / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in ignore if line.strip() and not line.startswith("#")]
    assert rules[0] == "**", "the build context should be an allow-list"
    allowed = [line[1:] for line in ignore if line.startswith("!")]
    for src in re.findall(r"^COPY (?:--\S+ )*(.+) \S+$", text, re.M):
        for item in src.split():
            assert (ROOT / item).exists(), f"COPY {item}: missing"
            assert any(
                fnmatch.fnmatch(item, a) or fnmatch.fnmatch(item + "/x", a) for a in allowed
            ), f"COPY {item}: excluded by Dockerfile.dockerignore"
    assert "AIRFLOW__CORE__DAGS_FOLDER" not in text, (
        "an image-level DAGS_FOLDER would override the Helm chart's git-sync folder"
    )


def test_no_deployment_file_refers_to_the_v1_layout_locks_or_the_backfill_pool():
    for path in DEPLOYMENT_FILES:
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"articles/",
            r"\block(s|ed|ing)?\b",
            r"newsloom_backfill\b(?!_)",
            r"backfill[_-]slots",
            r"state/index",
        ):
            hit = re.search(pattern, text, re.I)
            # create_pools.py says that no task sleeps on a lock: that is the point.
            if hit and not (path.name == "create_pools.py" and "sleeping on a lock" in text):
                raise AssertionError(f"{path.relative_to(ROOT)}: {hit.group(0)!r}")


def test_entrypoint_dispatches_like_the_official_image(tmp_path):
    if not shutil.which("bash"):
        pytest.skip("bash is missing")
    fake = tmp_path / "airflow"
    fake.write_text('#!/bin/sh\necho "AIRFLOW $*"\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}"}
    entry = str(INFRA / "scripts" / "entrypoint.sh")

    def run(*args: str) -> str:
        r = subprocess.run(
            ["bash", entry, *args], capture_output=True, text=True, env=env, timeout=30
        )
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert run("scheduler") == "AIRFLOW scheduler"
    assert run("celery", "worker", "--queues", "gpu") == "AIRFLOW celery worker --queues gpu"
    assert run("bash", "-c", "echo plain bash") == "plain bash"
    assert run("airflow", "db", "migrate") == "AIRFLOW db migrate"
    assert run() == "AIRFLOW version"


# --------------------------------------------------------------------------------------------
# pools and the bucket init script
# --------------------------------------------------------------------------------------------
def test_pools_cover_every_pool_the_dags_use(monkeypatch):
    monkeypatch.delenv("NEWSLOOM_AIRFLOW_POOLS", raising=False)
    from processing.airflow import outlet_pool, registry, translation_pool

    pools = _script("create_pools").build_pools()
    expected = {outlet_pool(o.id) for o in registry()} | {translation_pool()}
    # Literal pool keys in the DAG files (e.g. outlet_pool("x")).
    for dag_file in (ROOT / "dags").glob("*.py"):
        for key in re.findall(r'outlet_pool\(\s*"([^"]+)"\s*\)', dag_file.read_text()):
            expected.add(outlet_pool(key))
    assert translation_pool() == "newsloom_translation"
    assert "newsloom_backfill" not in expected, "backfills share their outlet's pool"
    assert set(pools) == expected
    for name, pool in pools.items():
        assert pool["slots"] >= 1, name
        assert pool["description"], name
        assert pool["include_deferred"] is False, name
    json.loads(json.dumps(pools))  # the `airflow pools import` file format


def test_pool_slots_follow_outlet_concurrency():
    mod = _script("create_pools")

    def outlet(oid: str, concurrency: int) -> SimpleNamespace:
        return SimpleNamespace(id=oid, politeness=SimpleNamespace(concurrency=concurrency))

    pools = mod.build_pools(
        [outlet("a1", 1), outlet("a2", 2), outlet("b4", 4), outlet("b8", 8)], translation_slots=3
    )
    assert {k: v["slots"] for k, v in pools.items()} == {
        "newsloom_a1": 1,
        "newsloom_a2": 1,
        "newsloom_b4": 2,
        "newsloom_b8": 2,
        "newsloom_translation": 3,
    }


def _translation_slots_arg(args: list[str]) -> int:
    text = " ".join(args)
    m = re.search(r"--translation-slots[ =](\S+)", text)
    assert m, f"--translation-slots missing: {text}"
    return int(m.group(1).strip("'\""))


def test_compose_creates_the_pools_build_pools_makes(services, monkeypatch):
    """airflow-init runs create_pools.py with one translation slot per task the gpu-queue worker
    runs at once; the pools are build_pools(registry, translation_slots=that)."""
    monkeypatch.delenv("NEWSLOOM_AIRFLOW_POOLS", raising=False)
    from processing.airflow import outlet_pool, registry

    init = services["airflow-init"]
    text = _command_text(init)
    m = re.search(r'create_pools\.py --apply[\s\\]+--translation-slots "\$\$\{(\w+)\}"', text)
    assert m, text
    slots_value = _default(str(init["environment"][m.group(1)]))
    gpu_cmd = services["airflow-worker-gpu"]["command"]
    concurrency = _default(gpu_cmd[gpu_cmd.index("--concurrency") + 1])
    assert slots_value == concurrency, "translation slots != gpu worker concurrency"
    mod = _script("create_pools")
    pools = mod.build_pools(registry(), translation_slots=int(slots_value))
    assert set(pools) == {outlet_pool(o.id) for o in registry()} | {"newsloom_translation"}
    assert pools["newsloom_translation"]["slots"] == int(slots_value)
    # The script's own command line gives the same pools.
    out = subprocess.run(
        [sys.executable, str(INFRA / "scripts" / "create_pools.py"),
         "--translation-slots", slots_value],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(pools))


def test_no_pools_when_the_dags_use_the_default_pool(monkeypatch):
    monkeypatch.setenv("NEWSLOOM_AIRFLOW_POOLS", "0")
    assert _script("create_pools").build_pools() == {}


@pytest.mark.integration
def test_ensure_bucket_creates_once(s3_server):
    from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY

    _, port = s3_server
    mod = _script("ensure_bucket")
    args = (
        f"http://127.0.0.1:{port}",
        f"infra-{os.getpid()}",
        EMBEDDED_ACCESS_KEY,
        EMBEDDED_SECRET_KEY,
    )
    assert mod.ensure_bucket(*args, wait=10) is True
    assert mod.ensure_bucket(*args, wait=10) is False


# --------------------------------------------------------------------------------------------
# Helm values
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def helm() -> dict[str, Any]:
    return _yaml(HELM_VALUES)


def _helm_env(helm: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: str(e.get("value", "")) for e in yaml.safe_load(helm["extraEnv"])}


def test_helm_executor_and_airflow3(helm):
    assert helm["executor"] in (
        "CeleryExecutor",
        "CeleryKubernetesExecutor",
        "CeleryExecutor,KubernetesExecutor",
    )
    assert str(helm["airflowVersion"]).startswith("3.")
    assert "webserver" not in helm, "Airflow 3: apiServer, not webserver"
    assert helm["dagProcessor"]["enabled"] is True
    assert helm["config"]["core"]["auth_manager"].endswith("AuthManager")
    assert helm["images"]["airflow"]["repository"] and helm["images"]["airflow"]["tag"]


def test_helm_gpu_worker_set_serves_the_translation_queue(helm):
    queue = _helm_env(helm)["NEWSLOOM_TRANSLATION_QUEUE"]
    sets = helm["workers"]["celery"]["sets"]
    gpu = [s for s in sets if s.get("queue") == queue]
    assert len(gpu) == 1, f"exactly one worker set must serve queue {queue!r}"
    gpu_set = gpu[0]
    for kind in ("limits", "requests"):
        assert int(gpu_set["resources"][kind]["nvidia.com/gpu"]) >= 1, kind
    assert gpu_set["nodeSelector"]
    assert any(t.get("key") == "nvidia.com/gpu" for t in gpu_set["tolerations"])
    if gpu_set.get("args"):
        assert _queues(" ".join(gpu_set["args"])) == {queue}
    assert "nvidia.com/gpu" not in json.dumps(helm["workers"]["celery"].get("resources", {})), (
        "the default workers must not claim GPUs"
    )
    assert helm["workers"]["celery"]["enableDefault"] is True


def test_helm_dags_from_git_sync(helm):
    git = helm["dags"]["gitSync"]
    assert git["enabled"] is True
    assert git["repo"].startswith(("https://", "git@", "ssh://"))
    assert (ROOT / git["subPath"]).is_dir() and git["subPath"] == "dags"


def test_helm_secrets_are_referenced_not_inlined(helm):
    env_from = yaml.safe_load(helm["extraEnvFrom"])
    assert {"secretRef": {"name": "newsloom-s3"}} in env_from
    assert {"secretRef": {"name": "newsloom-catalog"}} in env_from
    for ref in env_from:
        assert not ref["secretRef"].get("optional"), "every pod must get the shared catalog"
    secret_names = {
        helm["fernetKeySecretName"],
        helm["jwtSecretName"],
        helm["apiSecretKeySecretName"],
        helm["data"]["metadataSecretName"],
        "newsloom-s3",
        "newsloom-catalog",
    }
    assert all(secret_names)
    readme = HELM_README.read_text(encoding="utf-8")
    for name in secret_names:
        assert f"create secret generic {name}" in readme, f"README must show how to create {name}"
    env = _helm_env(helm)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "NEWSLOOM_S3_ENDPOINT"):
        assert key not in env, f"{key} belongs in the newsloom-s3 Secret"
    for key in ("NEWSLOOM_CATALOG", "NEWSLOOM_CATALOG_URI"):
        assert key not in env, f"{key} belongs in the newsloom-catalog Secret"
    text = HELM_VALUES.read_text(encoding="utf-8")
    assert not re.search(r"AKIA[0-9A-Z]{16}", text)
    assert not re.search(r"(?im)^\s*(pass|password|secret):\s*\S", text)


def test_helm_has_no_persistent_volume_claims(helm):
    assert helm["postgresql"]["enabled"] is False
    assert helm["workers"]["celery"]["persistence"]["enabled"] is False
    for s in helm["workers"]["celery"]["sets"]:
        assert s.get("persistence", {}).get("enabled", False) is False
    for key in ("triggerer", "logs", "dags", "redis"):
        assert helm[key]["persistence"]["enabled"] is False, key
    logging = helm["config"]["logging"]
    assert str(logging["remote_logging"]) == "True"
    assert logging["remote_base_log_folder"].startswith("s3://")
    assert logging["remote_base_log_folder"].endswith("/airflow-logs")


def test_helm_creates_the_pools(helm):
    inits = helm["scheduler"]["extraInitContainers"]
    pools = [c for c in inits if "create_pools.py" in " ".join(c.get("args", []))]
    assert len(pools) == 1
    c = pools[0]
    assert "--apply" in c["args"]
    image = helm["images"]["airflow"]
    assert c["image"] == f"{image['repository']}:{image['tag']}"
    conn = {e["name"]: e for e in c["env"]}["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert conn["valueFrom"]["secretKeyRef"]["name"] == helm["data"]["metadataSecretName"]
    assert "/opt/newsloom/infra/scripts/create_pools.py" in c["args"]
    # One translation slot per translation task the gpu worker set runs at once.
    queue = _helm_env(helm)["NEWSLOOM_TRANSLATION_QUEUE"]
    gpu = next(s for s in helm["workers"]["celery"]["sets"] if s.get("queue") == queue)
    concurrency = re.search(r"--concurrency[ =](\d+)", " ".join(gpu["args"]))
    assert concurrency
    assert _translation_slots_arg(c["args"]) == gpu["replicas"] * int(concurrency.group(1))
    assert "backfill" not in " ".join(c["args"])


def test_helm_readme_shows_the_catalog_secret_for_glue_and_postgres():
    readme = HELM_README.read_text(encoding="utf-8")
    continued = r"(?:\s*\\\n\s*#?\s*--from-literal=\S+)+"
    blocks = re.findall(rf"create secret generic newsloom-catalog({continued})", readme)
    literals = [dict(re.findall(r"--from-literal=([A-Z_]+)=(\S+)", b)) for b in blocks]
    assert {"NEWSLOOM_CATALOG": "glue"} in [
        {k: v for k, v in lit.items() if k == "NEWSLOOM_CATALOG"} for lit in literals
    ]
    sql = [lit for lit in literals if lit.get("NEWSLOOM_CATALOG") == "sql"]
    assert sql and sql[0]["NEWSLOOM_CATALOG_URI"].strip("'").startswith("postgresql+psycopg2://")


def test_helm_readme_has_the_install_command():
    readme = HELM_README.read_text(encoding="utf-8")
    assert re.search(r"helm upgrade --install \S+ apache-airflow/airflow", readme)
    assert "-f infra/helm/values.yaml" in readme


# --------------------------------------------------------------------------------------------
# Terraform
# --------------------------------------------------------------------------------------------
def _unquote(x: Any) -> Any:
    """python-hcl2 keeps HCL quotes in labels and string values, and adds __meta__ keys."""
    if isinstance(x, dict):
        return {
            _unquote(k): _unquote(v)
            for k, v in x.items()
            if not (isinstance(k, str) and k.startswith("__"))
        }
    if isinstance(x, list):
        return [_unquote(i) for i in x]
    if isinstance(x, str) and len(x) >= 2 and x[0] == x[-1] == '"':
        return x[1:-1]
    return x


@pytest.fixture(scope="module")
def tf() -> dict[str, Any]:
    hcl2 = pytest.importorskip("hcl2")
    parsed: dict[str, Any] = {}
    for path in sorted(TF.glob("*.tf")):
        doc = _unquote(hcl2.loads(path.read_text(encoding="utf-8")))
        for key, blocks in doc.items():
            parsed.setdefault(key, []).extend(blocks)
    return parsed


def _resources(tf: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for block in tf.get("resource", []):
        for name, body in block.get(rtype, {}).items():
            out[name] = body
    return out


def _variables(tf: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: body for block in tf["variable"] for name, body in block.items()}


def test_terraform_files_parse():
    hcl2 = pytest.importorskip("hcl2")
    files = sorted(TF.glob("*.tf"))
    assert {f.name for f in files} >= {"main.tf", "variables.tf", "outputs.tf", "versions.tf"}
    for path in [*files, *TF.glob("*.tfvars")]:
        hcl2.loads(path.read_text(encoding="utf-8"))


def test_terraform_fmt():
    if not shutil.which("terraform"):
        pytest.skip("terraform is not installed")
    r = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", str(TF)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_terraform_aws_provider_pin(tf):
    providers = tf["terraform"][0]["required_providers"][0]
    assert providers["aws"]["source"] == "hashicorp/aws"
    assert re.fullmatch(r"~>\s*5(\.\d+)*", providers["aws"]["version"])


def test_terraform_bucket_hardening(tf):
    buckets = _resources(tf, "aws_s3_bucket")
    assert list(buckets) == ["corpus"]
    ref = "${aws_s3_bucket.corpus.id}"
    versioning = _resources(tf, "aws_s3_bucket_versioning")["corpus"]
    assert versioning["bucket"] == ref
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    pab = _resources(tf, "aws_s3_bucket_public_access_block")["corpus"]
    assert pab["bucket"] == ref
    for key in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert pab[key] is True, key
    own = _resources(tf, "aws_s3_bucket_ownership_controls")["corpus"]
    assert own["rule"][0]["object_ownership"] == "BucketOwnerEnforced"
    sse = _resources(tf, "aws_s3_bucket_server_side_encryption_configuration")["corpus"]
    assert sse["bucket"] == ref
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default["sse_algorithm"] == "${var.sse_algorithm}"
    algo = _variables(tf)["sse_algorithm"]
    assert algo["default"] in ("aws:kms", "AES256")
    rule = json.dumps(algo["validation"])
    assert "aws:kms" in rule and "AES256" in rule


def _contains_list(expr: str) -> set[str]:
    """The literal list of a `contains([...], var.x)` validation."""
    m = re.search(r"contains\(\[([^\]]*)\]", expr)
    assert m, expr
    return set(re.findall(r'"([^"]*)"', m.group(1)))


def _rules_covering(lc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The lifecycle rules whose prefix filter matches an object key."""
    return [r for r in lc["rule"] if key.startswith((r.get("filter") or [{}])[0].get("prefix", ""))]


# Keys the table and the manifests hold: nothing may ever expire them or move them.
TABLE_KEYS = (
    "warehouse/newsloom/articles/data/outlet=sohr_ar/published_at_day=2026-11-20/0.parquet",
    "warehouse/newsloom/articles/metadata/00007-abc.metadata.json",
    "warehouse/newsloom/articles/metadata/snap-1-1-abc.avro",
    "warehouse/newsloom/outlets/metadata/00001-abc.metadata.json",
    "runs/sohr_ar.daily.2026-11-20.20261121T060000Z-ab12.json",
)
RAW_KEY = "raw/outlet=sohr_ar/date=2026-11-20/sohr_ar.daily.2026-11-20.warc.gz"
RESTORE_ONLY_CLASSES = {"GLACIER", "DEEP_ARCHIVE"}


def test_terraform_lifecycle_rules(tf):
    lc = _resources(tf, "aws_s3_bucket_lifecycle_configuration")["corpus"]
    assert lc["bucket"] == "${aws_s3_bucket.corpus.id}"
    rules = {(r.get("filter") or [{}])[0].get("prefix", ""): r for r in lc["rule"]}
    variables = _variables(tf)
    staging = rules["staging/"]
    assert staging["expiration"][0]["days"] == "${var.staging_expiration_days}"
    assert variables["staging_expiration_days"]["default"] == 14, (
        "14 days is what the pipeline's own maintenance assumes"
    )
    # Noncurrent versions expire bucket-wide (the empty filter).
    everything = rules[""]
    assert everything["noncurrent_version_expiration"][0]["noncurrent_days"]
    assert "abort_incomplete_multipart_upload" in everything
    assert all(r["status"] == "Enabled" for r in lc["rule"])


def _expires_current_objects(rule: dict[str, Any]) -> bool:
    return any(set(e) - {"expired_object_delete_marker"} for e in rule.get("expiration", []))


def test_terraform_raw_never_expires_nor_needs_a_restore(tf):
    """Every raw_ref must stay one plain ranged GET: raw/ is never expired, and only moves to
    a class read without a restore."""
    lc = _resources(tf, "aws_s3_bucket_lifecycle_configuration")["corpus"]
    variables = _variables(tf)
    covering = _rules_covering(lc, RAW_KEY)
    assert covering
    allowed_classes = _contains_list(variables["raw_storage_class"]["validation"][0]["condition"])
    assert allowed_classes and allowed_classes <= {"STANDARD_IA", "GLACIER_IR"}
    assert variables["raw_storage_class"]["default"] in allowed_classes
    for rule in covering:
        assert not _expires_current_objects(rule), f"{rule['id']} expires raw/"
        for key in ("transition", "noncurrent_version_transition"):
            for t in rule.get(key, []):
                cls = t["storage_class"]
                if cls == "${var.raw_storage_class}":
                    continue
                assert cls not in RESTORE_ONLY_CLASSES, f"{rule['id']}: {cls}"
                assert cls in {"STANDARD_IA", "GLACIER_IR", "INTELLIGENT_TIERING"}, cls
    raw = next(r for r in covering if r["filter"][0].get("prefix") == "raw/")
    assert raw["transition"][0]["storage_class"] == "${var.raw_storage_class}"
    assert raw["transition"][0]["days"] == "${var.raw_transition_days}"
    # STANDARD_IA is only reachable after 30 days: a precondition says so before AWS does.
    conditions = [p["condition"] for p in lc["lifecycle"][0]["precondition"]]
    assert any("STANDARD_IA" in c and "raw_transition_days >= 30" in c for c in conditions)


def test_terraform_lifecycle_leaves_the_table_and_the_manifests_alone(tf):
    """The table's files are removed by its own maintenance (snapshot expiry, orphan removal),
    never by lifecycle rules; manifests are kept forever."""
    lc = _resources(tf, "aws_s3_bucket_lifecycle_configuration")["corpus"]
    for key in TABLE_KEYS:
        for rule in _rules_covering(lc, key):
            assert not _expires_current_objects(rule), f"{rule['id']} expires {key}"
            assert "transition" not in rule, f"{rule['id']} moves {key}"
    assert _rules_covering(lc, "staging/r/extracted.parquet")[0]["expiration"]


def test_terraform_bucket_policy_denies_plain_http(tf):
    policy = _resources(tf, "aws_s3_bucket_policy")["corpus"]
    assert policy["policy"] == "${data.aws_iam_policy_document.bucket.json}"
    docs = {
        name: body
        for block in tf["data"]
        for name, body in block.get("aws_iam_policy_document", {}).items()
    }
    statements = docs["bucket"]["statement"]
    tls = [
        s
        for s in statements
        if any(
            c["variable"] == "aws:SecureTransport"
            and c["values"] == ["false"]
            and c["test"] == "Bool"
            for c in s.get("condition", [])
        )
    ]
    assert tls and tls[0]["effect"] == "Deny"
    assert "${aws_s3_bucket.corpus.arn}/*" in tls[0]["resources"]


def test_terraform_variables_are_declared_and_used(tf):
    declared = set(_variables(tf))
    text = "\n".join(p.read_text(encoding="utf-8") for p in TF.glob("*.tf"))
    used = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used - declared == set(), f"undeclared: {sorted(used - declared)}"
    assert declared - used == set(), f"unused variables: {sorted(declared - used)}"
    for name, body in _variables(tf).items():
        assert body.get("description"), f"variable {name} has no description"


def _loaded_policies(tf: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """aws_iam_policy name -> (policy file, locals map it is rendered with)."""
    loaded = {}
    for name, body in _resources(tf, "aws_iam_policy").items():
        m = re.search(
            r'templatefile\("\$\{path\.module\}/([^"]+)",\s*local\.(\w+)\)', body["policy"]
        )
        if m:
            loaded[name] = (m.group(1), m.group(2))
    return loaded


def test_terraform_loads_the_policy_json_files(tf):
    loaded = _loaded_policies(tf)
    # Every policy file is loaded, once: they are the single source of truth.
    files = sorted(f"policies/{p.name}" for p in POLICIES.glob("*.json"))
    assert sorted(path for path, _ in loaded.values()) == files
    assert {"policies/downstream-ro.json", "policies/pipeline-rw.json"} <= set(files)
    local_maps = tf["locals"][0]
    for path, vars_name in loaded.values():
        placeholders = set(re.findall(r"\$\{(\w+)\}", (TF / path).read_text(encoding="utf-8")))
        assert placeholders == set(local_maps[vars_name]), path
    attachments = _resources(tf, "aws_iam_role_policy_attachment")
    by_file = {path: name for name, (path, _) in loaded.items()}
    for path, role in (
        ("policies/pipeline-rw.json", "${aws_iam_role.pipeline.name}"),
        ("policies/pipeline-glue.json", "${aws_iam_role.pipeline.name}"),
        ("policies/downstream-ro.json", "${each.value}"),
        ("policies/downstream-v1-ro.json", "${each.value}"),
        ("policies/downstream-glue-ro.json", "${each.value}"),
    ):
        name = by_file[path]
        attached = [
            a
            for a in attachments.values()
            if re.search(rf"aws_iam_policy\.{name}\b", a["policy_arn"])
        ]
        assert len(attached) == 1, path
        assert attached[0]["role"] == role, path
        if role == "${each.value}":
            assert "var.downstream_role_names" in attached[0]["for_each"], path


# A tiny evaluator for the count / for_each expressions of this module: enough to say which
# resources exist for a given set of variable values.
def _tf_eval(expr: str, tf: dict[str, Any], variables: dict[str, Any]) -> Any:
    local_maps = tf["locals"][0]
    text = expr.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    for _ in range(5):  # locals may refer to locals
        text = re.sub(
            r"\blocal\.(\w+)\b",
            lambda m: "(" + str(local_maps[m.group(1)]).removeprefix("${").removesuffix("}") + ")",
            text,
        )
    text = re.sub(r"\bvar\.(\w+)\b", lambda m: repr(variables[m.group(1)]), text)
    text = re.sub(r"\btoset\(", "_set(", text)
    text = text.replace("&&", " and ").replace("||", " or ").replace("null", "None")
    m = re.fullmatch(r"(.+?)\s\?\s(.+?)\s:\s(.+)", text)
    if m:
        text = f"({m.group(2)}) if ({m.group(1)}) else ({m.group(3)})"
    return eval(text, {"_set": lambda x: set(x), "__builtins__": {}}, {})


def _instances(body: dict[str, Any], tf: dict[str, Any], variables: dict[str, Any]) -> int:
    if "count" in body:
        return int(_tf_eval(body["count"], tf, variables))
    if "for_each" in body:
        return len(_tf_eval(body["for_each"], tf, variables))
    return 1


def _tf_defaults(tf: dict[str, Any]) -> dict[str, Any]:
    return {name: body.get("default") for name, body in _variables(tf).items()}


def test_terraform_catalog_variable(tf):
    variables = _variables(tf)
    catalog = variables["catalog"]
    assert _contains_list(catalog["validation"][0]["condition"]) == {"glue", "sql", "rest"}
    assert catalog["default"] in ("glue", "sql", "rest")
    for value in ("glue", "sql", "rest"):
        assert value in catalog["description"], f"catalog = {value!r} is not documented"
    assert variables["catalog_namespace"]["default"] == "newsloom"
    from processing.core.config import Settings

    assert variables["catalog_namespace"]["default"] == Settings.catalog_namespace


def test_terraform_glue_database_exists_iff_catalog_is_glue(tf):
    glue_types = ("aws_glue_catalog_database",)
    defaults = _tf_defaults(tf)
    for catalog in ("glue", "sql", "rest"):
        values = {**defaults, "catalog": catalog, "downstream_role_names": ["analysts"]}
        dbs = _resources(tf, "aws_glue_catalog_database")
        assert list(dbs) == ["corpus"]
        assert _instances(dbs["corpus"], tf, values) == (1 if catalog == "glue" else 0), catalog
        # Everything about Glue follows the database: the policies and their attachments.
        for block in tf["resource"]:
            for rtype, named in block.items():
                for name, body in named.items():
                    text = json.dumps(body)
                    if rtype in glue_types or "glue" in name or "_glue" in text:
                        expected = 1 if catalog == "glue" else 0
                        assert _instances(body, tf, values) == expected, (catalog, rtype, name)
    db = _resources(tf, "aws_glue_catalog_database")["corpus"]
    assert db["name"] == "${var.catalog_namespace}"


def test_terraform_glue_database_location_is_in_the_warehouse(tf, monkeypatch):
    """The database's location is the namespace's folder of the warehouse, so the tables land
    where the SQL catalog puts them (<warehouse>/<namespace>/<table>) and where the code and
    docs/corpus.md say they are."""
    from processing.core.config import Settings

    local_maps = tf["locals"][0]
    assert local_maps["warehouse"] == "s3://${aws_s3_bucket.corpus.id}/warehouse"
    db = _resources(tf, "aws_glue_catalog_database")["corpus"]
    location = db["location_uri"].replace("${local.warehouse}", local_maps["warehouse"])
    location = location.replace("${aws_s3_bucket.corpus.id}", BUCKET)
    location = location.replace("${var.catalog_namespace}", "newsloom")
    for key in list(os.environ):
        if key.startswith("NEWSLOOM_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", BUCKET)
    settings = Settings.from_env()
    assert location == f"{settings.warehouse}/{settings.catalog_namespace}"
    corpus_md = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")
    assert "warehouse/newsloom/articles/" in corpus_md


def test_terraform_catalog_outputs(tf, monkeypatch):
    outputs = {name: body for block in tf["output"] for name, body in block.items()}
    for name, env in (
        ("catalog", "NEWSLOOM_CATALOG"),
        ("catalog_namespace", "NEWSLOOM_CATALOG_NAMESPACE"),
        ("catalog_warehouse", "NEWSLOOM_CATALOG_WAREHOUSE"),
    ):
        assert name in outputs, name
        assert env in outputs[name]["description"], name
    assert outputs["catalog"]["value"] == "${var.catalog}"
    assert outputs["catalog_warehouse"]["value"] == "${local.warehouse}"
    env = outputs["pipeline_environment"]["value"]
    assert env["NEWSLOOM_CATALOG"] == "${var.catalog}"
    assert env["NEWSLOOM_CATALOG_WAREHOUSE"] == "${local.warehouse}"
    assert env["NEWSLOOM_S3_BUCKET"] == "${aws_s3_bucket.corpus.id}"
    assert set(env) >= {
        "NEWSLOOM_S3_ENDPOINT",
        "NEWSLOOM_S3_BUCKET",
        "AWS_REGION",
        "NEWSLOOM_CATALOG",
        "NEWSLOOM_CATALOG_NAMESPACE",
        "NEWSLOOM_CATALOG_WAREHOUSE",
    }


def test_terraform_pipeline_role_trust_is_configurable(tf):
    docs = {
        name: body
        for block in tf["data"]
        for name, body in block.get("aws_iam_policy_document", {}).items()
    }
    trust = json.dumps(docs["pipeline_trust"])
    assert "sts:AssumeRoleWithWebIdentity" in trust and "var.eks_oidc_provider_arn" in trust
    assert "sts:AssumeRole" in trust and "var.pipeline_trusted_principal_arns" in trust
    role = _resources(tf, "aws_iam_role")["pipeline"]
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.pipeline_trust.json}"


def test_terraform_outputs_reference_declared_resources(tf):
    text = "\n".join(json.dumps(o) for o in tf["output"])
    declared = {
        f"{rtype}.{name}"
        for block in tf["resource"]
        for rtype, named in block.items()
        for name in named
    }
    for ref in set(re.findall(r"\b(aws_[a-z0-9_]+\.[a-z0-9_]+)", text)):
        assert ref in declared, ref
    names = {name for block in tf["output"] for name in block}
    assert {"bucket_name", "pipeline_role_arn", "downstream_policy_arn"} <= names
    assert {"downstream_glue_policy_arn", "downstream_v1_policy_arn"} <= names


# --------------------------------------------------------------------------------------------
# IAM policy documents
# --------------------------------------------------------------------------------------------
BUCKET = "example-newsloom-bucket"
REGION = "eu-west-1"
ACCOUNT = "123456789012"
NAMESPACE = "newsloom"
GLUE = f"arn:aws:glue:{REGION}:{ACCOUNT}"
S3_POLICIES = ("pipeline-rw.json", "downstream-ro.json", "downstream-v1-ro.json")
GLUE_POLICIES = ("pipeline-glue.json", "downstream-glue-ro.json")


def _policy(name: str) -> dict[str, Any]:
    text = (POLICIES / name).read_text(encoding="utf-8")
    for key, value in (
        ("bucket", BUCKET),
        ("region", REGION),
        ("account_id", ACCOUNT),
        ("namespace", NAMESPACE),
    ):
        text = text.replace("${" + key + "}", value)
    return json.loads(text)


def _as_list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else [x]


def _matches(pattern: str, value: str) -> bool:
    """IAM wildcard matching: `*` any run of characters, `?` one character."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value) is not None


def _conditions_hold(statement: dict[str, Any], context: dict[str, str]) -> bool:
    for operator, pairs in statement.get("Condition", {}).items():
        for key, wanted in pairs.items():
            if key not in context:
                return False
            if operator == "StringLike":
                ok = any(_matches(w, context[key]) for w in _as_list(wanted))
            elif operator == "StringEquals":
                ok = context[key] in _as_list(wanted)
            else:
                raise AssertionError(f"the evaluator does not know {operator}")
            if not ok:
                return False
    return True


def _allowed(
    policy: dict[str, Any], action: str, resource: str, context: dict[str, str] | None = None
) -> bool:
    """IAM evaluation of one policy: an explicit Deny wins, else any Allow, else denied."""
    context = context or {}
    verdict = False
    for st in policy["Statement"]:
        if not any(_matches(a, action) for a in _as_list(st["Action"])):
            continue
        if not any(_matches(r, resource) for r in _as_list(st["Resource"])):
            continue
        if not _conditions_hold(st, context):
            continue
        if st["Effect"] == "Deny":
            return False
        verdict = True
    return verdict


def test_policy_files_are_valid_iam_documents():
    assert sorted(p.name for p in POLICIES.glob("*.json")) == sorted(S3_POLICIES + GLUE_POLICIES)
    for name in S3_POLICIES + GLUE_POLICIES:
        doc = _policy(name)
        assert doc["Version"] == "2012-10-17"
        sids = [st.get("Sid") for st in doc["Statement"]]
        assert len(set(sids)) == len(sids), name
        for st in doc["Statement"]:
            assert st["Effect"] in ("Allow", "Deny")
            assert st["Action"] and st["Resource"]
            assert "NotAction" not in st and "NotResource" not in st and "Principal" not in st
            for action in _as_list(st["Action"]):
                assert "*" not in action, f"{name}: wildcard action {action}"
                service = "glue" if name in GLUE_POLICIES else "s3"
                assert action.startswith(f"{service}:"), f"{name}: {action}"
            for r in _as_list(st["Resource"]):
                if name in GLUE_POLICIES:
                    assert r == f"{GLUE}:catalog" or r.startswith(
                        (f"{GLUE}:database/", f"{GLUE}:table/{NAMESPACE}/")
                    ), r
                else:
                    assert r == f"arn:aws:s3:::{BUCKET}" or r.startswith(
                        f"arn:aws:s3:::{BUCKET}/"
                    ), r


def test_pipeline_policy_is_scoped_to_the_bucket():
    doc = _policy("pipeline-rw.json")
    for st in doc["Statement"]:
        assert "*" not in _as_list(st["Resource"])
    actions = {
        a for st in doc["Statement"] if st["Effect"] == "Allow" for a in _as_list(st["Action"])
    }
    forbidden = {
        "s3:DeleteObjectVersion",
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutObjectAcl",
        "s3:PutBucketAcl",
    }
    assert actions & forbidden == set(), "the pipeline must not be able to destroy history"


def test_pipeline_policy_allows_every_key_the_code_writes():
    from datetime import date

    from processing.core import layout

    doc = _policy("pipeline-rw.json")
    day = date(2026, 11, 20)
    run_id = "sohr_ar.daily.2026-11-20.20261121T060000Z-ab12"
    keys = [
        layout.staging(run_id, "crawl/summary.json"),
        layout.manifest_key(run_id),
        layout.translation_cache_prefix("opus-mt-ar-en") + "ab.json",
        *(k for k in TABLE_KEYS if k.startswith("warehouse/")),
        "airflow-logs/dag_id=newsloom_backfill_sohr_ar/attempt=1.log",
    ]
    for key in keys:
        arn = f"arn:aws:s3:::{BUCKET}/{key}"
        # Delete: staging clean-up, translation cache compaction, the table's orphan removal.
        for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
            assert _allowed(doc, action, arn), f"{action} {key}"
    # raw/: written once and read, never deleted (every raw_ref stays valid).
    raw = f"arn:aws:s3:::{BUCKET}/{layout.raw_key('sohr_ar', day, run_id)}"
    assert _allowed(doc, "s3:PutObject", raw) and _allowed(doc, "s3:GetObject", raw)
    assert not _allowed(doc, "s3:DeleteObject", raw)
    bucket = f"arn:aws:s3:::{BUCKET}"
    assert _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": "warehouse/newsloom/"})
    assert not _allowed(doc, "s3:GetObject", f"arn:aws:s3:::other-bucket/{keys[0]}")


def test_downstream_policy_reads_the_table_manifests_and_raw_only():
    doc = _policy("downstream-ro.json")
    for st in doc["Statement"]:
        assert st["Effect"] == "Allow"
        for action in _as_list(st["Action"]):
            assert re.fullmatch(r"s3:(Get|List)[A-Za-z]*", action), f"not read-only: {action}"
        for r in _as_list(st["Resource"]):
            if r != f"arn:aws:s3:::{BUCKET}":
                assert r in {
                    f"arn:aws:s3:::{BUCKET}/{prefix}/*" for prefix in ("warehouse", "runs", "raw")
                }, r
        if "s3:ListBucket" in _as_list(st["Action"]):
            prefixes = st["Condition"]["StringLike"]["s3:prefix"]
            assert all(p.split("/")[0] in ("warehouse", "runs", "raw") for p in prefixes)

    obj = f"arn:aws:s3:::{BUCKET}/"
    bucket = f"arn:aws:s3:::{BUCKET}"
    for key in (*TABLE_KEYS, RAW_KEY):
        assert _allowed(doc, "s3:GetObject", obj + key), key
        for action in ("s3:PutObject", "s3:DeleteObject"):
            assert not _allowed(doc, action, obj + key), f"{action} {key}"
    for key in (
        "staging/r/extracted.parquet",
        "state/translation-cache/opus-mt-ar-en/ab.json",
        "airflow-logs/x.log",
        "articles/v1/outlet=sohr_ar/date=2026-11-20/part-00000.parquet",
        "warehouseX/y",
        "rawX/y",
    ):
        assert not _allowed(doc, "s3:GetObject", obj + key), key
    for prefix in ("warehouse/newsloom/articles/", "runs/", "raw/outlet=sohr_ar/"):
        assert _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": prefix}), prefix
    for prefix in ("", "staging/", "state/", "articles/v1/", "airflow-logs/"):
        assert not _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": prefix}), prefix
    assert not _allowed(doc, "s3:ListBucket", bucket), "listing without a prefix"


def test_downstream_v1_policy_reads_only_the_v1_corpus(tf):
    doc = _policy("downstream-v1-ro.json")
    obj = f"arn:aws:s3:::{BUCKET}/"
    v1 = obj + "articles/v1/outlet=sohr_ar/date=2026-11-20/part-00000.parquet"
    assert _allowed(doc, "s3:GetObject", v1)
    assert not _allowed(doc, "s3:PutObject", v1) and not _allowed(doc, "s3:DeleteObject", v1)
    for key in ("staging/x", "state/x", "warehouse/x", "articles/v2/x"):
        assert not _allowed(doc, "s3:GetObject", obj + key), key
    bucket = f"arn:aws:s3:::{BUCKET}"
    assert _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": "articles/v1/outlet=sohr_ar/"})
    assert not _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": "state/"})
    # It exists only while downstream_read_v1 is true (the migration window).
    values = {**_tf_defaults(tf), "downstream_role_names": ["analysts"]}
    policy = _resources(tf, "aws_iam_policy")["downstream_v1_ro"]
    assert _instances(policy, tf, {**values, "downstream_read_v1": True}) == 1
    assert _instances(policy, tf, {**values, "downstream_read_v1": False}) == 0


# What pyiceberg's Glue catalog calls for newsloom: load_catalog() -> namespace_exists
# (GetDatabase), then CreateDatabase only when the database is missing;
# load_table (GetTable); create_table (CreateTable, GetDatabase for the location);
# commits (GetTable, UpdateTable); drop_table (DeleteTable); list_tables (GetTables).
PIPELINE_GLUE = {
    "glue:CreateDatabase": ("catalog", "database/newsloom"),
    "glue:GetDatabase": ("catalog", "database/newsloom"),
    "glue:GetDatabases": ("catalog",),
    "glue:GetTable": ("catalog", "database/newsloom", "table/newsloom/articles"),
    "glue:GetTables": ("catalog", "database/newsloom", "table/newsloom/articles"),
    "glue:CreateTable": ("catalog", "database/newsloom", "table/newsloom/articles"),
    "glue:UpdateTable": ("catalog", "database/newsloom", "table/newsloom/articles"),
    "glue:DeleteTable": ("catalog", "database/newsloom", "table/newsloom/articles"),
    "glue:GetPartitions": ("catalog", "database/newsloom", "table/newsloom/articles"),
}


def test_pipeline_glue_policy_covers_the_catalog_database_and_tables():
    doc = _policy("pipeline-glue.json")
    for action, resources in PIPELINE_GLUE.items():
        for r in resources:
            assert _allowed(doc, action, f"{GLUE}:{r}"), f"{action} {r}"
    for r in ("database/other", "table/other/articles"):
        for action in ("glue:GetTable", "glue:UpdateTable", "glue:DeleteTable"):
            assert not _allowed(doc, action, f"{GLUE}:{r}"), f"{action} {r}"
    for action in ("glue:DeleteDatabase", "glue:UpdateDatabase", "glue:PutResourcePolicy"):
        assert not _allowed(doc, action, f"{GLUE}:database/newsloom"), action
    assert not _allowed(doc, "glue:CreateDatabase", f"{GLUE}:database/other")


def test_downstream_glue_policy_is_read_only_for_athena():
    doc = _policy("downstream-glue-ro.json")
    for st in doc["Statement"]:
        assert st["Effect"] == "Allow"
        for action in _as_list(st["Action"]):
            assert re.fullmatch(r"glue:(Get|BatchGet)[A-Za-z]*", action), action
    for action in ("glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"):
        for r in ("catalog", "database/newsloom", "table/newsloom/articles"):
            if action == "glue:GetDatabase" and r.startswith("table/"):
                continue
            assert _allowed(doc, action, f"{GLUE}:{r}"), f"{action} {r}"
    for action in ("glue:UpdateTable", "glue:CreateTable", "glue:DeleteTable"):
        assert not _allowed(doc, action, f"{GLUE}:table/newsloom/articles"), action
    assert not _allowed(doc, "glue:GetTable", f"{GLUE}:table/other/x")


def test_docs_operations_names_the_infra_entry_points():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for needle in (
        "airflow standalone",
        "docker compose -f infra/docker-compose.yaml",
        "infra/scripts/create_pools.py",
        "helm upgrade --install",
        "terraform apply",
        "NEWSLOOM_TRANSLATION_QUEUE",
        "runs/",
        "NEWSLOOM_CATALOG_URI",
        "newsloom-catalog",
        "catalog-db-init",
        "warehouse/",
        "downstream_read_v1",
    ):
        assert needle in text, needle
    for stale in (
        "--backfill-slots",
        "`newsloom_backfill` pool",
        "commit lock",
        "restore `raw/` first",
    ):
        assert stale not in text, stale


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
