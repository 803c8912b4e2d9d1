"""Shared fixtures: a real SeaweedFS server, the outlet mirror, a tiny translation model.

The S3 server is started through the same code users run (``EmbeddedS3``), on a free port,
in a temporary state directory; each test gets its own bucket.

Under pytest-xdist (``make test`` runs ``-n auto``) every worker is its own process with its
own session fixtures: its own S3 server (a port block no other worker of the run claimed, see
:func:`_free_port_block`), its own mirror (an OS-assigned port), its own Airflow home and
SQLite catalog (under its own temporary directories).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from processing.core.config import Settings

# One math thread per process: the suite's parallelism is its xdist workers, and OpenMP
# threads that spin at each barrier crawl when the cores are oversubscribed (another worker,
# a CPU hog). A developer's own value wins.
for _threads in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

# Airflow reads its configuration once, at import: point it at a throwaway home before any
# test imports it (tests/test_dags.py migrates the SQLite database there).
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="newsloom-airflow-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"

ANCHOR = date(2026, 11, 20)  # the mirror's newest day in tests (golden files use it too)
# Real-world data beside the checkout (../shared/data), or where NEWSLOOM_SHARED_DATA says.
SHARED_DATA = Path(
    os.environ.get("NEWSLOOM_SHARED_DATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)


# An embedded server on port P also listens on these offsets (docs: NEWSLOOM_S3_PORT).
_OFFSETS = (0, 555, 1000, 1007, 10000, 10555, 11000, 11007)
DEFAULT_S3_PORT = 8333  # tests/test_corpus_docs.py runs the docs' examples on the defaults


def _block(port: int) -> set[int]:
    """Every port a server on ``port`` binds (``port + 10000`` is itself a workable S3 port:
    tests use it to collide with a running server's gRPC port, so its block counts too)."""
    return {port + offset for offset in _OFFSETS}


def _claims_file() -> Path | None:
    """The run's record of claimed port blocks, shared by its xdist workers (None without
    xdist: one process, whose own list is enough)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return Path(tempfile.gettempdir()) / f"newsloom-ports-{run}" if run else None


_CLAIMED: set[int] = set(_block(DEFAULT_S3_PORT))


def _free_port_block(span: int = 1100) -> int:
    """An S3 port whose derived ports (up to +1007, gRPC +10000) are free and claimed by no
    other test or xdist worker of this run.

    Drawn so that the whole block, gRPC ports included, stays below the kernel's ephemeral
    range (32768+) where short-lived client sockets land. A port that is free now may be
    bound by another worker a moment later, before its server starts: the claims file
    (locked while read and written) keeps two workers from drawing overlapping blocks."""
    rng = random.SystemRandom()
    path = _claims_file()
    lock = path.with_suffix(".lock") if path else None
    with open(lock, "a+") if lock else open(os.devnull) as fh:
        if lock:
            fcntl.flock(fh, fcntl.LOCK_EX)
        claimed = set(_CLAIMED)
        if path and path.exists():
            claimed |= {int(p) for p in path.read_text().split()}
        for _ in range(200):
            port = rng.randrange(12000, 21700, 10)  # the whole block stays below 32768
            block = _block(port) | _block(port + 10000)
            if block & claimed or not all(_free(p) for p in _block(port)):
                continue
            _CLAIMED.update(block)
            if path:
                with path.open("a") as out:
                    out.write("".join(f"{p}\n" for p in sorted(block)))
            return port
    raise RuntimeError("no free port block for SeaweedFS")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    from processing.core.embedded_s3 import EmbeddedS3

    state = tmp_path_factory.mktemp("state")
    port = _free_port_block()
    server = EmbeddedS3(state, port)
    server.up()
    yield state, port
    server.down()


@pytest.fixture(scope="session")
def mirror() -> Iterator[object]:
    from devkit.mirror.server import MirrorServer

    with MirrorServer(anchor=ANCHOR) as server:
        yield server


# Built once per checkout and recipe, shared by the xdist workers and later runs.
TEST_CACHE = Path(__file__).resolve().parents[1] / ".newsloom" / "test-cache"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny translation model (devkit/tiny_model.py), trained once per checkout and
    recipe (the hash of that file): the parallel workers and later runs reuse it (a fresh
    clone builds it once, the first worker to ask while the others wait). Each session gets
    its own copy, so no test can change what the next one reads."""
    import devkit.tiny_model as recipe

    key = hashlib.sha256(Path(recipe.__file__).read_bytes()).hexdigest()[:16]
    cached = TEST_CACHE / f"tiny-marian-{key}"
    TEST_CACHE.mkdir(parents=True, exist_ok=True)
    with (TEST_CACHE / f"tiny-marian-{key}.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cached.is_dir():
            for stale in TEST_CACHE.glob("building-*"):  # a build that was killed
                shutil.rmtree(stale, ignore_errors=True)
            building = Path(tempfile.mkdtemp(prefix="building-", dir=TEST_CACHE))
            recipe.build_tiny_marian(building / "model")
            (building / "model").rename(cached)  # whole, or not there
            shutil.rmtree(building)
    copy = tmp_path_factory.mktemp("tiny-marian") / "model"
    shutil.copytree(cached, copy)
    return copy


@pytest.fixture
def env(
    s3_server: tuple[Path, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Settings]:
    """Environment for one pipeline test: embedded S3 (fresh bucket), offline model hub,
    no mirror (see ``mirror_env``). Returns the resulting Settings."""
    state, port = s3_server
    for name in list(os.environ):
        if name.startswith("NEWSLOOM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSLOOM_STATE_DIR", str(state))
    monkeypatch.setenv("NEWSLOOM_S3_PORT", str(port))
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", f"t-{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("NEWSLOOM_CRAWL_DELAY", "0")
    monkeypatch.setenv("NEWSLOOM_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tmp_path / "no-such-model"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    settings = Settings.from_env()
    _make_bucket(settings)
    yield settings
    _drop_bucket(settings)


def _make_bucket(settings: Settings) -> None:
    """The test's bucket, as a deployment's first run makes it (reads never create one)."""
    from processing.core.s3 import open_store

    open_store(settings, create_bucket=True)


def _drop_bucket(settings: Settings) -> None:
    """Give the test's bucket back: each bucket holds volumes of its own on the one session
    server, and a suite that only adds buckets runs the disk's volume budget out."""
    from processing.core.s3 import open_store

    try:
        store = open_store(settings, start_embedded=False)
        store.client.delete_bucket(Bucket=store.bucket)  # SeaweedFS drops its content
    except Exception:  # a test that stopped the server, or made no bucket
        pass


@pytest.fixture
def mirror_env(env: Settings, mirror: object, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """``env`` plus the outlet mirror and its mirror-only outlets."""
    import devkit.mirror

    route_to_mirror(monkeypatch, mirror.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", str(Path(devkit.mirror.__file__).parent / "outlets"))
    return Settings.from_env()


def route_to_mirror(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Send every crawl the test launches to the server at ``url`` (the development kit's
    mirror route, through the crawler's NEWSLOOM_SCRAPY_SETTINGS)."""
    from devkit.mirror.route import route_env

    for name, value in route_env(url).items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def store(env: Settings) -> object:
    from processing.core.s3 import open_store

    return open_store(env, create_bucket=True)


@pytest.fixture
def corpus(env: Settings) -> object:
    """The test's corpus (its own bucket and catalog), after ``env``/``mirror_env``, opened
    for writing."""
    from processing.corpus import open_corpus

    return open_corpus(settings=Settings.from_env(), write=True)


def rows_of(corpus: object, outlet: str | None = None) -> list[dict]:
    """The current rows of the table as dicts (optionally one outlet's)."""
    return corpus.read(outlet=outlet).to_pylist()  # type: ignore[attr-defined]


# CI (.ci/run) sets it: a real-data test whose data is absent fails instead of skipping, so a
# missing ../shared/data cannot pass for a green run.
REQUIRE_SHARED_DATA = "NEWSLOOM_REQUIRE_SHARED_DATA"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data: the test skips when it is absent, or fails when
    ``NEWSLOOM_REQUIRE_SHARED_DATA`` is set (CI)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        missing_shared_data(path)
    return path


def missing_shared_data(path: Path) -> None:
    """Skip (a developer without the data), or fail with how to fix it (CI)."""
    if os.environ.get(REQUIRE_SHARED_DATA):
        pytest.fail(
            f"{path} is absent and {REQUIRE_SHARED_DATA} is set (CI): the real-data tests "
            "need the shared data sets beside the checkout (../shared/data) or where "
            "NEWSLOOM_SHARED_DATA says",
            pytrace=False,
        )
    pytest.skip(f"{path} is absent")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "reliability: records a row of docs/RELIABILITY.md (tests/reliability.py)"
    )
    if os.environ.get(REQUIRE_SHARED_DATA) and not SHARED_DATA.is_dir():
        raise pytest.UsageError(
            f"{REQUIRE_SHARED_DATA} is set (CI) but the shared data sets are absent: "
            f"{SHARED_DATA} does not exist. Put them beside the checkout (../shared/data) or "
            "point NEWSLOOM_SHARED_DATA at them."
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests import reliability

    reliability.write()
