"""The corpus seen from outside (issue 19): a reader on another machine with S3 access alone,
whole snapshots under concurrent writers, the change feed's bounds, takedowns, a reader that
never writes."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY
from processing.core.records import ArticleRow
from processing.core.urls import article_id
from processing.pipeline.stages import content_hash

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def row(n: int, outlet: str = "sohr_ar", day: int = 0, text: str = "body") -> ArticleRow:
    url = f"https://example.org/{outlet}/{n}"
    return ArticleRow(
        article_id=article_id(url),
        outlet=outlet,
        url=url,
        canonical_url=url,
        title=f"title {n}",
        text=text,
        language="ar" if outlet.endswith("_ar") else "en",
        published_at=T0 + timedelta(days=day),
        published_at_source="meta",
        content_hash=content_hash(f"title {n}", text),
        fetched_at=T0,
        extractor_version="test",
    )


def _objects(store: object) -> dict[str, str]:
    return {o["Key"]: o["ETag"] for o in store.list_objects("")}  # type: ignore[attr-defined]


def _reader_env(settings: object, state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLOOM_")}
    env.update(
        NEWSLOOM_S3_ENDPOINT=f"http://127.0.0.1:{settings.embedded_s3_port}",  # type: ignore[attr-defined]
        AWS_ACCESS_KEY_ID=EMBEDDED_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=EMBEDDED_SECRET_KEY,
        NEWSLOOM_S3_BUCKET=settings.s3_bucket,  # type: ignore[attr-defined]
        NEWSLOOM_STATE_DIR=str(state),
        PATH=f"{BIN}:{os.environ['PATH']}",
    )
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "newsloom"), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def history(corpus):
    """Several outlet-days with an update, a move and a translation."""
    corpus.commit([row(i) for i in range(5)], run_id="d1", kind="daily")
    corpus.commit([row(i, "sohr_en") for i in range(4)], run_id="d1en", kind="daily")
    corpus.commit(
        [row(5, day=1), row(6, day=1), row(1, text="edited"), row(2, day=1)],
        run_id="d2",
        kind="daily",
    )
    corpus.commit(
        [replace(row(3), translation_status="translated", text_en="english")],
        run_id="rt",
        kind="retranslate",
    )
    return corpus


def test_a_reader_elsewhere_sees_the_producers_table_and_writes_nothing(history, tmp_path):
    corpus = history
    producer = {r["article_id"]: r["content_hash"] for r in corpus.read().to_pylist()}
    env = _reader_env(corpus.settings, tmp_path / "fresh-state")
    before = _objects(corpus.store)

    export = _cli(env, "corpus", "export", "--columns", "article_id,content_hash")
    assert export.returncode == 0, export.stderr
    assert {r["article_id"]: r["content_hash"] for r in _lines(export.stdout)} == producer

    probe = (
        "from processing.corpus.query import duckdb_connect, table_root\n"
        "con = duckdb_connect()\n"
        'print(con.sql(f"SELECT count(*), count(DISTINCT article_id) FROM '
        "iceberg_scan('{table_root()}')\").fetchone())\n"
    )
    duck = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300
    )
    assert duck.returncode == 0, duck.stderr
    assert duck.stdout.strip() == f"({len(producer)}, {len(producer)})"

    future = _cli(env, "corpus", "changes", "--since", "2030-01-01T00:00:00Z")
    assert future.returncode == 0 and future.stdout == ""
    everything = _lines(_cli(env, "corpus", "changes", "--since", "2000-01-01T00:00:00Z").stdout)
    whole = _lines(_cli(env, "corpus", "changes").stdout)
    assert everything == whole and len(whole) == 9 + 2 + 1 + 1 + 1  # inserts, edit, move, rt
    assert {c["article_id"] for c in whole if c["operation"] == "insert"} == set(producer)
    for action in ("info", "ls", "stats", "snapshots"):
        done = _cli(env, "corpus", action)
        assert done.returncode == 0, (action, done.stderr)
    assert _objects(corpus.store) == before  # the reader added, changed and removed nothing
    assert not (tmp_path / "fresh-state" / "catalog").exists()


def test_a_missing_table_is_one_line_naming_where_it_looked(env, tmp_path):
    from processing.core.s3 import open_store

    store = open_store(env, create_bucket=True)  # an empty bucket: nobody wrote a corpus
    reader = _reader_env(env, tmp_path / "state")
    done = _cli(reader, "corpus", "export")
    assert done.returncode == 10
    (line,) = done.stderr.strip().splitlines()
    assert f"s3://{env.s3_bucket}/warehouse/newsloom/articles" in line
    assert "version-hint.text" in line
    assert _objects(store) == {}


def test_change_feed_bounds_are_exclusive_and_inclusive(history):
    corpus = history
    snaps = corpus.snapshots()
    assert len(snaps) == 4  # one snapshot per publish
    ids = [s["snapshot_id"] for s in snaps]
    per = Counter(c.snapshot_id for c in corpus.changes())
    assert [per[i] for i in ids] == [5, 4, 4, 1]
    # since is exclusive, until inclusive, by id and by time alike
    assert {c.snapshot_id for c in corpus.changes(since=ids[1], until=ids[2])} == {ids[2]}
    t1 = datetime.fromisoformat(snaps[1]["committed_at"])
    t2 = datetime.fromisoformat(snaps[2]["committed_at"])
    assert {c.snapshot_id for c in corpus.changes(since=t1, until=t2)} == {ids[2]}
    assert corpus.changes(since=datetime.now(UTC) + timedelta(days=1)) == []
    assert len(corpus.changes(since="2000-01-01T00:00:00Z")) == sum(per.values())
    move = next(c for c in corpus.changes(since=ids[1]) if c.article_id == row(2).article_id)
    assert (move.operation, move.previous_day, move.day) == ("update", "2026-11-20", "2026-11-21")
    assert not move.content_changed and move.changed_columns == ["published_at"]
    (rt,) = corpus.changes(since=ids[2])
    assert not rt.content_changed and "text_en" in rt.changed_columns and rt.kind == "retranslate"


def test_takedown_deletes_once_with_its_reason(history, capsys):
    from processing.cli import main
    from processing.core import layout

    corpus = history
    before = corpus.snapshot_id()
    gone = row(4).url
    assert main(["corpus", "delete", "--url", gone, "--reason", "legal request 7"]) == 0
    assert row(4).article_id not in set(corpus.read(["article_id"]).column(0).to_pylist())
    (event,) = corpus.changes(since=before)
    assert (event.operation, event.reason, event.kind) == ("delete", "legal request 7", "takedown")
    out = capsys.readouterr().out
    run_id = out.split("manifest s3://")[1].split("/runs/")[1].removesuffix(".json\n")
    manifest = corpus.store.get_json(layout.manifest_key(run_id))
    assert manifest["kind"] == "takedown" and manifest["counts"]["deleted"] == 1
    after = corpus.snapshot_id()
    assert main(["corpus", "delete", "--url", gone, "--reason", "legal request 7"]) == 0
    assert corpus.snapshot_id() == after  # idempotent: nothing to delete, no snapshot
    assert "deleted 0 article(s) (1 not in the table)" in capsys.readouterr().out


def test_a_takedown_blanks_the_raw_record_in_place(history):
    from processing.core.warc import RawRef, WarcFileWriter, is_tombstone, read_record
    from processing.pipeline.takedown import takedown

    corpus = history
    import io

    buf = io.BytesIO()
    writer = WarcFileWriter(buf)
    refs = []
    for n in range(3):
        body = os.urandom(2000).hex().encode()  # incompressible enough to look like a page
        refs.append(writer.write_response(row(n).url, 200, "OK", [], body))
    key = "raw/outlet=sohr_ar/date=2026-11-20/test.warc.gz"
    corpus.store.put_bytes(key, buf.getvalue())
    bucket = corpus.store.bucket
    rows = [
        replace(
            row(n, text="with raw"),
            raw_ref=str(RawRef(bucket, key, off, length)),
        )
        for n, (off, length) in enumerate(refs)
    ]
    corpus.commit(rows, run_id="raw", kind="daily")
    manifest = takedown(corpus, [rows[1].article_id], [], reason="privacy", raw=True)
    assert manifest["counts"]["raw_blanked"] == 1
    data = corpus.store.get_bytes(key)
    assert len(data) == len(buf.getvalue())
    off, length = refs[1]
    assert is_tombstone(data[off : off + length])
    for n in (0, 2):  # the other records keep their offsets
        off, length = refs[n]
        assert read_record(data[off : off + length]).url == row(n).url


def _writer(bucket: str, state: str, port: str, outlet: str, rounds: int) -> None:
    os.environ.update(NEWSLOOM_S3_BUCKET=bucket, NEWSLOOM_STATE_DIR=state, NEWSLOOM_S3_PORT=port)
    from processing.corpus import open_corpus

    corpus = open_corpus(write=True)
    for r in range(rounds):
        rows = [row(100 * r + i, outlet, day=r % 3) for i in range(3)]
        if r:  # an update and a move of the previous round's articles
            rows.append(row(100 * (r - 1), outlet, day=(r - 1) % 3, text=f"v{r}"))
            rows.append(row(100 * (r - 1) + 1, outlet, day=(r + 1) % 3))
        corpus.commit(rows, run_id=f"{outlet}-{r}", kind="daily")


def test_every_snapshot_is_whole_under_concurrent_writers(env, corpus):
    """Two processes commit updates and moves at the same time; afterwards every snapshot,
    reached by id and by time, holds exactly the articles its history says — each commit
    entirely or not at all — and no article twice; the feed replays to each snapshot."""
    rounds = 8
    ctx = multiprocessing.get_context("spawn")
    args = (env.s3_bucket, str(env.state_dir), str(env.embedded_s3_port))
    procs = [ctx.Process(target=_writer, args=(*args, o, rounds)) for o in ("sohr_ar", "sohr_en")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
    assert [p.exitcode for p in procs] == [0, 0]
    snaps = corpus.snapshots()
    assert len(snaps) == 2 * rounds  # one snapshot per publish, none in between
    expected: set[str] = set()
    for snap in snaps:
        events = corpus.changes(since=snap["parent_id"], until=snap["snapshot_id"])
        expected |= {c.article_id for c in events if c.operation == "insert"}
        by_id = corpus.read(["article_id"], snapshot_id=snap["snapshot_id"])
        ids = by_id.column("article_id").to_pylist()
        assert len(ids) == len(set(ids)) == len(expected) == snap["total_records"]
        assert set(ids) == expected
    # by time: the snapshot as of each commit's time is that commit
    tbl = corpus.articles.table()
    for snap in snaps:
        ms = int(datetime.fromisoformat(snap["committed_at"]).timestamp() * 1000)
        as_of = tbl.snapshot_as_of_timestamp(ms)
        assert as_of is not None and as_of.snapshot_id == snap["snapshot_id"]


def test_published_json_schemas_match_the_code_and_validate_real_output(history, capsys):
    import jsonschema

    from processing.cli import main
    from processing.corpus.jsonschema import render, schemas

    docs = Path(__file__).resolve().parents[1] / "docs" / "schemas"
    for name, schema in schemas().items():
        assert (docs / name).read_text() == render(schema), (
            f"docs/schemas/{name} is stale: python -m processing.corpus.jsonschema docs/schemas"
        )
    published = {n: json.loads((docs / n).read_text()) for n in schemas()}
    checker = jsonschema.FormatChecker()
    assert main(["corpus", "export"]) == 0
    rows = _lines(capsys.readouterr().out)
    assert main(["corpus", "changes"]) == 0
    events = _lines(capsys.readouterr().out)
    assert rows and events
    for r in rows:
        jsonschema.validate(r, published["article.schema.json"], format_checker=checker)
    for e in events:
        jsonschema.validate(e, published["change.schema.json"], format_checker=checker)
    with pytest.raises(jsonschema.ValidationError):  # the schema does say something
        jsonschema.validate({**events[0], "operation": "upsert"}, published["change.schema.json"])


def test_the_feed_outlives_expired_snapshots(corpus):
    """Snapshots past the table's cap expire in batches, in the commits themselves; their
    events move into segment objects, and the feed still covers every commit."""
    from processing.corpus import SnapshotNotFound
    from processing.corpus.writer import (
        EXPIRE_BATCH_PROPERTY,
        HISTORY_PROPERTY,
        MAX_SNAPSHOTS_PROPERTY,
    )

    tbl = corpus.articles.table()
    tbl.transaction().set_properties(
        {MAX_SNAPSHOTS_PROPERTY: "5", EXPIRE_BATCH_PROPERTY: "3"}
    ).commit_transaction()
    first = None
    for n in range(20):
        result = corpus.commit(
            [row(n, day=n % 4), row(0, text=f"v{n}")], run_id=f"r{n}", kind="daily"
        )
        first = first or result.snapshot_id
    tbl = corpus.articles.table()
    assert len(tbl.metadata.snapshots) <= 5 + 3  # the cap and one batch waiting
    assert tbl.metadata.properties.get(HISTORY_PROPERTY)
    events = corpus.changes()
    assert len({c.snapshot_id for c in events}) == 20
    inserts = {c.article_id for c in events if c.operation == "insert"}
    assert inserts == {row(n).article_id for n in range(20)}
    assert sum(c.operation == "update" and c.article_id == row(0).article_id for c in events) == 19
    since_expired = corpus.changes(since=first)  # an expired snapshot still bounds the feed
    assert len({c.snapshot_id for c in since_expired}) == 19
    with pytest.raises(SnapshotNotFound):  # time travel reaches back only over kept ones
        corpus.read(snapshot_id=first)
