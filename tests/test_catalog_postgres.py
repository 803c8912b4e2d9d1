"""The corpus with a PostgreSQL catalog (what the compose stack and Helm use), against a real
PostgreSQL server started for the test (Debian's ``postgresql``; .ci/run installs it).
Skipped, with the reason, where no PostgreSQL server binaries exist."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.integration


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip(
            "no PostgreSQL server binaries (Debian package postgresql; .ci/run installs it)"
        )
    data = tmp_path_factory.mktemp("pg") / "data"
    port = _free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use its system user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        as_user = ["runuser", "-u", "postgres", "--"]
        data.parent.chmod(0o777)
        for parent in data.parents:
            if str(parent) in ("/", "/tmp"):
                break
            parent.chmod(parent.stat().st_mode | 0o055)
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "newsloom", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    log = data.parent / "pg.log"
    if as_user:
        subprocess.run(["chown", "postgres", str(data.parent)], check=True)
    subprocess.run(
        [
            *as_user,
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"postgresql+psycopg2://newsloom@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "fast", "stop"], check=False)


def test_commits_reads_and_the_change_feed_through_postgres(env, postgres_url, monkeypatch):
    from processing.core.config import Settings
    from processing.corpus import open_corpus
    from processing.corpus.catalog import describe
    from tests.test_corpus import row

    monkeypatch.setenv("NEWSLOOM_CATALOG_URI", postgres_url)
    settings = Settings.from_env()
    assert describe(settings).startswith("SQL catalog 127.0.0.1:")
    corpus = open_corpus(settings=settings, write=True)
    from pyiceberg.catalog.sql import SqlCatalog

    assert isinstance(corpus.catalog, SqlCatalog)
    assert corpus.catalog.engine.dialect.name == "postgresql"
    first = corpus.commit([row(1), row(2)], run_id="a", kind="daily")
    corpus.commit([row(2, text="edited"), row(3)], run_id="b", kind="daily")
    assert len(corpus.read()) == 3
    ops = sorted((c.operation, c.article_id) for c in corpus.changes(since=first.snapshot_id))
    assert [o for o, _ in ops] == ["insert", "update"]
    # a second process sees the same table through the same catalog
    again = open_corpus(settings=Settings.from_env())
    assert again.snapshot_id() == corpus.snapshot_id()
    assert not settings.sqlite_catalog_path.exists()  # nothing went to the embedded catalog
