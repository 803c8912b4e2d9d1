"""infra/: the docker-compose stack, the Helm values, the Terraform for the bucket and IAM, and the
scripts they run. Fast and offline: files are parsed and cross-checked against each other and
against the code (pool names, S3 layout); `docker compose config` and `terraform fmt` run only
where those tools are installed."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
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
    "airflow-init",
    *AIRFLOW_SERVICES,
)
INTERP = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+]([^}]*))?\}")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)  # SafeLoader resolves YAML anchors and `<<` merge keys


def _default(value: str) -> str:
    """The value compose uses when the variable is unset: "${X:-d}" -> "d", "a${X:-b}c" -> "abc"."""
    return INTERP.sub(lambda m: m.group(2) or "", value)


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
    assert "airflow-init" not in init
    assert deps("seaweedfs-init").get("seaweedfs") == "service_healthy"
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
    for script in ("create_pools.py", "ensure_bucket.py", "entrypoint.sh"):
        assert (INFRA / "scripts" / script).is_file(), script
    assert bucket.get("restart") == "no" and services["airflow-init"].get("restart") == "no"


def test_env_example_documents_exactly_the_compose_variables():
    used = {
        m.group(1)
        for f in (COMPOSE, COMPOSE_GPU)
        for m in INTERP.finditer(f.read_text(encoding="utf-8"))
    }
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
    project = text.find('pip install ".[airflow]"')
    assert project > torch.start(), "torch (CPU) must be installed before the project"
    for provider in ("celery", "fab", "postgres", "amazon"):
        assert f"apache-airflow-providers-{provider}" in text, provider
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
    from processing.airflow import outlet_pool, registry

    pools = _script("create_pools").build_pools()
    expected = {outlet_pool(o.id) for o in registry()}
    # Literal pool keys in the DAG files (e.g. outlet_pool("backfill")).
    for dag_file in (ROOT / "dags").glob("*.py"):
        for key in re.findall(r'outlet_pool\(\s*"([^"]+)"\s*\)', dag_file.read_text()):
            expected.add(outlet_pool(key))
    assert "newsloom_backfill" in expected
    assert set(pools) == expected
    for name, pool in pools.items():
        assert pool["slots"] in (1, 2), name
        assert pool["description"], name
        assert pool["include_deferred"] is False, name
    json.loads(json.dumps(pools))  # the `airflow pools import` file format


def test_pool_slots_follow_outlet_concurrency():
    mod = _script("create_pools")

    def outlet(oid: str, concurrency: int) -> SimpleNamespace:
        return SimpleNamespace(id=oid, politeness=SimpleNamespace(concurrency=concurrency))

    pools = mod.build_pools(
        [outlet("a1", 1), outlet("a2", 2), outlet("b4", 4), outlet("b8", 8)], backfill_slots=3
    )
    assert {k: v["slots"] for k, v in pools.items()} == {
        "newsloom_a1": 1,
        "newsloom_a2": 1,
        "newsloom_b4": 2,
        "newsloom_b8": 2,
        "newsloom_backfill": 3,
    }


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
    secret_names = {
        helm["fernetKeySecretName"],
        helm["jwtSecretName"],
        helm["apiSecretKeySecretName"],
        helm["data"]["metadataSecretName"],
        "newsloom-s3",
    }
    assert all(secret_names)
    readme = HELM_README.read_text(encoding="utf-8")
    for name in secret_names:
        assert f"create secret generic {name}" in readme, f"README must show how to create {name}"
    env = _helm_env(helm)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "NEWSLOOM_S3_ENDPOINT"):
        assert key not in env, f"{key} belongs in the newsloom-s3 Secret"
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


def test_terraform_lifecycle_rules(tf):
    lc = _resources(tf, "aws_s3_bucket_lifecycle_configuration")["corpus"]
    assert lc["bucket"] == "${aws_s3_bucket.corpus.id}"
    rules = {(r.get("filter") or [{}])[0].get("prefix", ""): r for r in lc["rule"]}
    variables = _variables(tf)
    raw = rules["raw/"]
    assert raw["status"] == "Enabled"
    transition = raw["transition"][0]
    assert transition["days"] == "${var.raw_transition_days}"
    assert transition["storage_class"] == "${var.raw_storage_class}"
    assert variables["raw_storage_class"]["default"] in ("GLACIER_IR", "DEEP_ARCHIVE")
    for cls in ("GLACIER_IR", "DEEP_ARCHIVE"):
        assert cls in json.dumps(variables["raw_storage_class"]["validation"])
    staging = rules["staging/"]
    assert staging["expiration"][0]["days"] == "${var.staging_expiration_days}"
    assert variables["staging_expiration_days"]["default"] == 14
    # Noncurrent versions expire bucket-wide (the empty filter).
    everything = rules[""]
    assert everything["noncurrent_version_expiration"][0]["noncurrent_days"]
    assert "abort_incomplete_multipart_upload" in everything
    assert all(r["status"] == "Enabled" for r in lc["rule"])
    # Nothing under the corpus or the manifests ever expires or moves.
    for prefix in rules:
        assert not prefix.startswith(("articles", "runs")), prefix


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


def test_terraform_loads_the_policy_json_files(tf):
    policies = _resources(tf, "aws_iam_policy")
    loaded = {}
    for name, body in policies.items():
        m = re.search(
            r'templatefile\("\$\{path\.module\}/([^"]+)",\s*local\.policy_vars\)', body["policy"]
        )
        if m:
            loaded[name] = m.group(1)
    assert sorted(loaded.values()) == ["policies/downstream-ro.json", "policies/pipeline-rw.json"]
    policy_vars = set(tf["locals"][0]["policy_vars"])
    for path in loaded.values():
        placeholders = set(re.findall(r"\$\{(\w+)\}", (TF / path).read_text(encoding="utf-8")))
        assert placeholders == policy_vars, path
    attached = _resources(tf, "aws_iam_role_policy_attachment")["pipeline_rw"]
    assert attached["role"] == "${aws_iam_role.pipeline.name}"
    pipeline = next(n for n, p in loaded.items() if p.endswith("pipeline-rw.json"))
    assert attached["policy_arn"] == f"${{aws_iam_policy.{pipeline}.arn}}"


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


# --------------------------------------------------------------------------------------------
# IAM policy documents
# --------------------------------------------------------------------------------------------
BUCKET = "example-newsloom-bucket"


def _policy(name: str) -> dict[str, Any]:
    text = (POLICIES / name).read_text(encoding="utf-8")
    return json.loads(text.replace("${bucket}", BUCKET))


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
    for name in ("pipeline-rw.json", "downstream-ro.json"):
        doc = _policy(name)
        assert doc["Version"] == "2012-10-17"
        sids = [st.get("Sid") for st in doc["Statement"]]
        assert len(set(sids)) == len(sids), name
        for st in doc["Statement"]:
            assert st["Effect"] in ("Allow", "Deny")
            assert st["Action"] and st["Resource"]
            assert "NotAction" not in st and "NotResource" not in st and "Principal" not in st
            for r in _as_list(st["Resource"]):
                assert r == f"arn:aws:s3:::{BUCKET}" or r.startswith(f"arn:aws:s3:::{BUCKET}/"), r


def test_pipeline_policy_is_scoped_to_the_bucket():
    doc = _policy("pipeline-rw.json")
    for st in doc["Statement"]:
        assert st["Effect"] == "Allow"
        for action in _as_list(st["Action"]):
            assert "*" not in action, f"wildcard action {action}"
            assert action.startswith("s3:")
        assert "*" not in _as_list(st["Resource"])
    actions = {a for st in doc["Statement"] for a in _as_list(st["Action"])}
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
    keys = [
        layout.raw_key("sohr_ar", day, "sohr_ar.daily.2026-11-20"),
        layout.staging("sohr_ar.daily.2026-11-20", "crawl/summary.json"),
        layout.partition_key("sohr_ar", day),
        layout.manifest_key("sohr_ar.daily.2026-11-20"),
        layout.index_key("sohr_ar"),
        layout.lock_key("sohr_ar"),
        layout.translation_cache_prefix("opus-mt-ar-en") + "ab.json",
        "airflow-logs/dag_id=newsloom_backfill/attempt=1.log",
    ]
    for key in keys:
        arn = f"arn:aws:s3:::{BUCKET}/{key}"
        for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
            assert _allowed(doc, action, arn), f"{action} {key}"
    bucket = f"arn:aws:s3:::{BUCKET}"
    assert _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": "state/"})
    assert not _allowed(doc, "s3:GetObject", f"arn:aws:s3:::other-bucket/{keys[0]}")


def test_downstream_policy_reads_only_the_corpus_and_manifests():
    doc = _policy("downstream-ro.json")
    for st in doc["Statement"]:
        assert st["Effect"] == "Allow"
        for action in _as_list(st["Action"]):
            assert "*" not in action, action
            assert re.fullmatch(r"s3:(Get|List)[A-Za-z]*", action), f"not read-only: {action}"
        for r in _as_list(st["Resource"]):
            if r != f"arn:aws:s3:::{BUCKET}":
                assert r in (
                    f"arn:aws:s3:::{BUCKET}/articles/*",
                    f"arn:aws:s3:::{BUCKET}/runs/*",
                ), r
        if "s3:ListBucket" in _as_list(st["Action"]):
            prefixes = st["Condition"]["StringLike"]["s3:prefix"]
            assert all(p.split("/")[0] in ("articles", "runs") for p in _as_list(prefixes))

    obj = f"arn:aws:s3:::{BUCKET}/"
    bucket = f"arn:aws:s3:::{BUCKET}"
    assert _allowed(
        doc, "s3:GetObject", obj + "articles/v1/outlet=sohr_ar/date=2026-11-20/part-00000.parquet"
    )
    assert _allowed(doc, "s3:GetObject", obj + "runs/sohr_ar.daily.2026-11-20.json")
    for key in (
        "raw/outlet=sohr_ar/date=2026-11-20/r.warc.gz",
        "staging/r/extracted.parquet",
        "state/index/outlet=sohr_ar.parquet",
        "airflow-logs/x.log",
        "articlesX/y",
    ):
        assert not _allowed(doc, "s3:GetObject", obj + key), key
    for action in ("s3:PutObject", "s3:DeleteObject"):
        assert not _allowed(doc, action, obj + "articles/v1/x.parquet"), action
    assert _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": "articles/v1/"})
    assert _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": "runs/"})
    for prefix in ("", "raw/", "state/", "staging/"):
        assert not _allowed(doc, "s3:ListBucket", bucket, {"s3:prefix": prefix}), prefix
    assert not _allowed(doc, "s3:ListBucket", bucket), "listing without a prefix"


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
    ):
        assert needle in text, needle


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
