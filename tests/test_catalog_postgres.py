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


def test_writers_queued_behind_the_row_lock_land_in_one_catalog_update(
    env, postgres_url, monkeypatch
):
    """Group commit with PostgreSQL: while the test holds the table's catalog row lock, three
    writers (processes) queue their plans in the catalog database; once it is released the
    first to get the lock commits all three — three snapshots, one new metadata version —
    and marks the others' plans in the same transaction."""
    import multiprocessing

    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from processing.core.config import Settings
    from processing.corpus import open_corpus
    from processing.corpus.sqlcatalog import COMMIT_QUEUE, _lock_row
    from tests.test_group_commit import _commit_once, _seed

    monkeypatch.setenv("NEWSLOOM_CATALOG_URI", postgres_url)
    monkeypatch.setenv("NEWSLOOM_CATALOG_NAMESPACE", "grouped")
    corpus = open_corpus(settings=Settings.from_env(), write=True)
    outlets = ["sohr_ar", "sohr_en", "sputnik_ar"]
    _seed(corpus, outlets)
    before = corpus.articles.table()
    engine = corpus.catalog.engine

    def queued() -> int:
        with engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.count()).where(COMMIT_QUEUE.c.done.is_(None))
            ).scalar_one()

    ctx = multiprocessing.get_context("spawn")
    args = [
        (env.s3_bucket, str(env.state_dir), str(env.embedded_s3_port), o, 100, "v1")
        for o in outlets
    ]
    with ctx.Pool(len(outlets)) as pool:
        with Session(engine) as session:
            session.begin()
            _lock_row(corpus.catalog, session, before)
            pending = pool.map_async(_commit_once, args)
            deadline = time.monotonic() + 120
            while queued() < len(outlets) and time.monotonic() < deadline:
                assert not pending.ready(), pending.get()
                time.sleep(0.05)
            assert queued() == len(outlets), "the writers did not all queue their plans"
            session.rollback()  # the lock goes; the writers take their turns
        results = pending.get(timeout=120)
    assert sorted(r["by_other"] for r in results) == [0, 1, 1]
    assert all(r["new"] == 4 and r["attempts"] == 1 for r in results)
    after = corpus.articles.table()
    version = int(before.metadata_location.rsplit("/", 1)[-1].split("-", 1)[0])
    assert int(after.metadata_location.rsplit("/", 1)[-1].split("-", 1)[0]) == version + 1
    ids = {r["snapshot"] for r in results}
    assert ids <= {s.snapshot_id for s in after.metadata.snapshots}
    assert {
        c.snapshot_id for c in corpus.changes(since=before.metadata.current_snapshot().snapshot_id)
    } == ids
    assert queued() == 0
