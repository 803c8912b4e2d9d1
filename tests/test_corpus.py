"""The corpus table against a real SeaweedFS server and a real SQL catalog: commit semantics,
concurrency, the change feed, time travel, DuckDB, migration and maintenance."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from processing.core.records import ArticleRow
from processing.core.urls import article_id
from processing.corpus import open_corpus
from processing.pipeline.stages import content_hash

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def row(
    n: int,
    *,
    published: datetime | None = T0,
    text: str = "body",
    run: str = "r1",
    outlet: str = "sohr_ar",
    status: str = "pending",
) -> ArticleRow:
    url = f"https://www.syriahr.com/{outlet}/{n}/"
    return ArticleRow(
        article_id=article_id(url),
        outlet=outlet,
        url=url,
        canonical_url=url,
        title=f"title {n}",
        text=text,
        language="ar",
        published_at=published,
        published_at_source="meta" if published else "missing",
        translation_status=status,
        content_hash=content_hash(f"title {n}", text),
        fetched_at=T0,
        extractor_version="test",
        run_id=run,
    )


def aid(n: int, outlet: str = "sohr_ar") -> str:
    return article_id(f"https://www.syriahr.com/{outlet}/{n}/")


def ids(corpus, outlet=None, snapshot_id=None):
    return sorted(
        corpus.read(["article_id"], outlet=outlet, snapshot_id=snapshot_id).column(0).to_pylist()
    )


def test_commit_inserts_then_leaves_unchanged_rows_alone(corpus):
    first = corpus.commit([row(1), row(2)], run_id="r1", kind="daily")
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    assert first.snapshot_id == corpus.snapshot_id()
    again = corpus.commit([row(1), row(2)], run_id="r2", kind="daily")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert again.snapshot_id is None and corpus.snapshot_id() == first.snapshot_id
    rows = corpus.read().to_pylist()
    assert {r["run_id"] for r in rows} == {"r1"}
    assert all(r["ingested_at"] == r["updated_at"] for r in rows)


def test_changed_and_moved_articles_replace_their_row(corpus):
    corpus.commit([row(1), row(2), row(3)], run_id="r1", kind="daily")
    before = {r["article_id"]: r for r in corpus.read().to_pylist()}
    moved_to = T0 + timedelta(days=3)
    result = corpus.commit(
        [row(1, text="changed"), row(2, published=moved_to), row(3)], run_id="r2", kind="daily"
    )
    assert (result.new, result.updated, result.unchanged, result.moved) == (0, 2, 1, 1)
    after = {r["article_id"]: r for r in corpus.read().to_pylist()}
    assert len(after) == 3 == len(corpus.read())  # one row per article, the move included
    a1, a2, a3 = (aid(n) for n in (1, 2, 3))
    assert after[a1]["text"] == "changed" and after[a1]["modified_at"] == T0  # fetch time
    assert after[a2]["published_at"] == moved_to
    for a in (a1, a2):
        assert after[a]["ingested_at"] == before[a]["ingested_at"]
        assert after[a]["updated_at"] > before[a]["updated_at"]
        assert after[a]["run_id"] == "r2"
    assert after[a3] == before[a3]


def test_force_and_better_translation_replace_an_unchanged_row(corpus):
    corpus.commit([row(1)], run_id="r1", kind="daily")
    translated = replace(row(1), translation_status="translated", text_en="english")
    assert corpus.commit([translated], run_id="t", kind="retranslate").updated == 1
    assert corpus.commit([translated], run_id="t2", kind="retranslate").unchanged == 1
    # a forced rewrite of equal content is not a new version (no snapshot, no event) ...
    before = corpus.snapshot_id()
    same = corpus.commit([translated], run_id="p", kind="reprocess", force=True)
    assert same.updated == 0 and same.unchanged == 1 and corpus.snapshot_id() == before
    # ... one that changes what the row says (here its provenance) is
    newer = replace(translated, extractor_version="test-2")
    assert corpus.commit([newer], run_id="p2", kind="reprocess", force=True).updated == 1
    (event,) = corpus.changes(since=before)
    assert event.operation == "update" and not event.content_changed
    assert event.changed_columns == ["extractor_version"]


def test_content_hash_is_documented_exactly(corpus):
    """docs/corpus.md: sha256 hex of the UTF-8 bytes of (title or "") + "\\n" + text."""
    corpus.commit([row(1, text="نص عربي\nسطر ثان"), row(2)], run_id="r1", kind="daily")
    for r in corpus.read().to_pylist():
        want = hashlib.sha256(((r["title"] or "") + "\n" + r["text"]).encode("utf-8")).hexdigest()
        assert r["content_hash"] == want


def test_undated_articles_are_kept_in_the_null_day(corpus):
    corpus.commit([row(1, published=None)], run_id="r1", kind="daily")
    (r,) = corpus.read().to_pylist()
    assert r["published_at"] is None and r["published_at_source"] == "missing"


def _writer(bucket: str, state: str, port: str, outlet: str, rounds: int, batch: int) -> None:
    import os

    os.environ.update(NEWSLOOM_S3_BUCKET=bucket, NEWSLOOM_STATE_DIR=state, NEWSLOOM_S3_PORT=port)
    from processing.corpus import open_corpus as oc

    c = oc(write=True)
    for r in range(rounds):
        rows = [
            row(1000 * r + i, outlet=outlet, run=f"{outlet}-{r}", published=T0 + timedelta(hours=i))
            for i in range(batch)
        ]
        # each round also rewrites the previous round's first row (an update)
        if r:
            rows.append(row(1000 * (r - 1), outlet=outlet, run=f"{outlet}-{r}", text=f"v{r}"))
        c.commit(rows, run_id=f"{outlet}-{r}", kind="daily")


@pytest.mark.slow  # 40 commits from two processes: the suite's longest non-crawl test
@pytest.mark.reliability
def test_two_outlets_committing_at_once_lose_nothing(env, corpus):
    """Two processes commit 20 rounds each at the same moment while a reader scans: every
    commit lands, no article twice, and the reader only ever sees whole commits."""
    rounds, batch = 20, 5
    ctx = multiprocessing.get_context("spawn")
    args = (env.s3_bucket, str(env.state_dir), str(env.embedded_s3_port))
    procs = [
        ctx.Process(target=_writer, args=(*args, outlet, rounds, batch))
        for outlet in ("sohr_ar", "sohr_en")
    ]
    seen_partial: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        # each round adds exactly `batch` new articles and rewrites one (delete + append in
        # the same commit): a whole commit keeps each outlet's count a multiple of `batch`
        while not stop.is_set():
            table = corpus.read(["article_id", "outlet"])
            per = Counter(table.column("outlet").to_pylist())
            if any(n % batch for n in per.values()):
                seen_partial.append(f"counts {dict(per)}")
            if len(set(table.column("article_id").to_pylist())) != table.num_rows:
                seen_partial.append("a duplicate article_id was visible")

    t = threading.Thread(target=reader)
    t.start()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
    stop.set()
    t.join()
    assert [p.exitcode for p in procs] == [0, 0]
    table = corpus.read(["article_id", "outlet", "run_id", "text"]).to_pylist()
    per_outlet = Counter(r["outlet"] for r in table)
    from tests.reliability import record

    want = {"sohr_ar": rounds * batch, "sohr_en": rounds * batch}
    record(
        "storage",
        f"two outlets commit at the same moment, {rounds} rounds each, a reader scanning",
        "every commit lands, no duplicate, no half-written commit seen",
        "every commit lands, no duplicate, no half-written commit seen"
        if dict(per_outlet) == want and not seen_partial
        else f"{dict(per_outlet)}; partial reads: {len(seen_partial)}",
        rows_lost=sum(want.values()) - len(table),
        duplicates=len(table) - len({r["article_id"] for r in table}),
    )
    assert len({r["article_id"] for r in table}) == len(table), "duplicate article_id"
    assert sum(per_outlet.values()) == len(table)
    assert not seen_partial, seen_partial[:5]
    runs = {r["run_id"] for r in table}
    assert any(r.startswith("sohr_ar-19") for r in runs) and any(
        r.startswith("sohr_en-19") for r in runs
    )


def test_change_feed_equals_the_difference_of_two_exports(corpus):
    corpus.commit([row(i) for i in range(1, 7)], run_id="day1", kind="daily")
    first = corpus.snapshot_id()
    export1 = {r["article_id"]: r for r in corpus.read().to_pylist()}
    # a second day's crawl: new articles, a changed one, a moved one
    corpus.commit(
        [row(7), row(8), row(2, text="edited"), row(3, published=T0 + timedelta(days=2))],
        run_id="day2",
        kind="daily",
    )
    # a retranslate of two rows
    corpus.commit(
        [
            replace(row(4), translation_status="translated"),
            replace(row(5), translation_status="translated"),
        ],
        run_id="rt",
        kind="retranslate",
    )
    export2 = {r["article_id"]: r for r in corpus.read().to_pylist()}
    changes = corpus.changes(since=first)
    inserted = set(export2) - set(export1)
    deleted = set(export1) - set(export2)
    updated = {
        a
        for a in set(export1) & set(export2)
        if export1[a]["updated_at"] != export2[a]["updated_at"]
    }
    ops: dict[str, list[str]] = {}
    for c in changes:
        ops.setdefault(c.article_id, []).append(c.operation)
        assert c.snapshot_id and c.committed_at and c.outlet == "sohr_ar"
    assert {a for a, o in ops.items() if o[0] == "insert"} == inserted
    assert {a for a, o in ops.items() if o[-1] == "delete"} == deleted == set()
    assert {a for a, o in ops.items() if o[-1] == "update"} == updated
    moved = aid(3)
    assert ops[moved] == ["update"]  # one event: the old day's version left in the same commit
    (move,) = [c for c in changes if c.article_id == moved]
    assert (move.previous_day, move.day) == ("2026-11-20", "2026-11-22")
    assert not move.content_changed and move.changed_columns == ["published_at"]
    (edit,) = [c for c in changes if c.article_id == aid(2)]
    assert edit.content_changed and edit.previous_content_hash != edit.content_hash
    assert "text" in edit.changed_columns
    assert {c.run_id for c in changes} == {"day2", "rt"}


def test_time_travel_reads_an_old_snapshot(corpus):
    corpus.commit([row(1), row(2)], run_id="a", kind="daily")
    old = corpus.snapshot_id()
    corpus.commit([row(3), row(1, text="new")], run_id="b", kind="daily")
    assert ids(corpus, snapshot_id=old) == sorted(aid(n) for n in (1, 2))
    (old1,) = [r for r in corpus.read(snapshot_id=old).to_pylist() if r["article_id"] == aid(1)]
    assert old1["text"] == "body"
    assert len(corpus.read()) == 3


def test_duckdb_iceberg_scan_reads_the_same_rows_offline(corpus, env):
    from processing.corpus.query import articles, duckdb_connect

    corpus.commit([row(i) for i in range(1, 12)], run_id="r", kind="daily")
    con = duckdb_connect(env)
    n, distinct = con.sql(
        f"SELECT count(*), count(DISTINCT article_id) FROM {articles(con, env)}"
    ).fetchone()
    assert n == distinct == len(corpus.read()) == 11


def test_schema_is_derived_from_the_record_and_documented(corpus):
    import re
    from pathlib import Path

    from processing.core.records import ARTICLE_FIELDS

    corpus.commit([row(1)], run_id="r", kind="daily")
    table_fields = {f.name: f for f in corpus.articles.table().schema().fields}
    assert list(table_fields) == [f.name for f in ARTICLE_FIELDS]
    for f in ARTICLE_FIELDS:
        assert table_fields[f.name].required == f.metadata["required"], f.name
        assert table_fields[f.name].doc == f.metadata["doc"], f.name
    doc = (Path(__file__).resolve().parents[1] / "docs" / "corpus.md").read_text()
    documented = dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", doc, re.M))
    for f in ARTICLE_FIELDS:
        assert f.name in documented, f"docs/corpus.md does not document {f.name}"
        assert documented[f.name].split(",")[0].strip() == f.metadata["kind"], f.name


def test_migrate_moves_a_v1_corpus_into_the_table(corpus):
    from processing.pipeline.migrate import migrate_v1

    rows = [row(1), row(2, published=T0 + timedelta(days=1))]
    v1 = []
    for r in rows:
        d = r.to_dict()
        del d["ingested_at"]
        d["first_seen_at"] = T0 - timedelta(days=30)  # v1's name for it
        del d["updated_at"]
        v1.append(d)
    for d in v1:
        sink = io.BytesIO()
        pq.write_table(pa.Table.from_pylist([d]), sink)
        day = d["published_at"].date().isoformat()
        corpus.store.put_bytes(
            f"articles/v1/outlet=sohr_ar/date={day}/part-00000.parquet", sink.getvalue()
        )
    report = migrate_v1(corpus)
    assert (report.objects, report.rows, report.new) == (2, 2, 2)
    got = {r["article_id"]: r for r in corpus.read().to_pylist()}
    assert {r.article_id for r in rows} == set(got)
    assert all(r["ingested_at"] == T0 - timedelta(days=30) for r in got.values())
    again = migrate_v1(corpus)
    assert again.new == 0 and again.unchanged == 2 and len(corpus.read()) == 2


def test_maintenance_while_a_writer_commits(corpus):
    """Compaction, snapshot expiry and orphan removal run while another thread commits:
    nothing a writer committed is lost, and readers keep seeing every row once."""
    from processing.corpus import maintenance as m
    from processing.corpus.schema import to_arrow

    tbl = corpus.articles.table()
    for i in range(6):  # many small files in one partition, as plain appends leave them
        tbl.append(to_arrow([row(i)]))
    assert m.table_stats(corpus.articles.table())["files_per_partition_max"] == 6
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(6, 16):
                corpus.commit([row(i)], run_id=f"w{i}", kind="daily")
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    result = m.compact(corpus.articles)
    expired = m.expire_snapshots(corpus.articles, timedelta(0))
    t.join()
    assert not errors, errors
    assert result.compacted_partitions >= 1 or result.files_after < result.files_before
    assert expired >= 1
    assert ids(corpus) == sorted(aid(n) for n in range(16))
    m.compact(corpus.articles)  # what the writer added meanwhile, folded too
    assert m.table_stats(corpus.articles.table())["files_per_partition_max"] == 1
    # an orphan: a file under the table location that no snapshot references
    location = corpus.articles.table().location().split(f"{corpus.store.bucket}/", 1)[1]
    orphan = f"{location}/data/orphan-{time.time_ns()}.parquet"
    corpus.store.put_bytes(orphan, b"not referenced")
    assert m.remove_orphans(corpus.articles, corpus.store, grace=timedelta(days=1)) == 0
    assert corpus.store.exists(orphan)  # younger than the grace period: kept
    removed = m.remove_orphans(corpus.articles, corpus.store, grace=timedelta(0))
    assert removed >= 1 and not corpus.store.exists(orphan)
    assert len(corpus.read()) == 16  # nothing referenced was removed


def test_outlets_table_joins_with_articles(corpus):
    rows = [
        {"id": "sohr_ar", "name": "SOHR", "site": "https://www.syriahr.com/", "enabled": True},
        {
            "id": "sohr_en",
            "name": "SOHR (en)",
            "site": "https://www.syriahr.com/en/",
            "enabled": True,
        },
    ]
    assert corpus.sync_outlets(rows) is True
    assert corpus.sync_outlets(rows) is False  # unchanged: no commit
    outlets = corpus.read_outlets()
    assert sorted(outlets.column("id").to_pylist()) == ["sohr_ar", "sohr_en"]


def test_open_corpus_names_an_unusable_catalog(env, monkeypatch):
    from processing.core.config import Settings
    from processing.corpus import CatalogUnavailable

    monkeypatch.setenv("NEWSLOOM_CATALOG_URI", "postgresql+psycopg2://nobody@127.0.0.1:1/nothing")
    with pytest.raises(CatalogUnavailable, match=r"SQL catalog 127\.0\.0\.1:1/nothing"):
        open_corpus(settings=Settings.from_env())


def test_two_first_writers_creating_the_namespace_at_once_both_open_it(env, monkeypatch):
    """The SQL catalog's check-then-create race: both first writers see no namespace, one
    creates it, the other's insert fails on the database's unique key. Its open goes on."""
    from sqlalchemy.exc import IntegrityError

    from processing.core.config import Settings
    from processing.corpus.catalog import load_catalog
    from processing.corpus.sqlcatalog import LeanSqlCatalog

    settings = Settings.from_env()
    create = LeanSqlCatalog.create_namespace

    def raced(self, namespace, properties=None):  # the other writer wins between the two
        create(self, namespace, properties or {})
        raise IntegrityError("INSERT INTO iceberg_namespace_properties", {}, Exception("UNIQUE"))

    monkeypatch.setattr(LeanSqlCatalog, "create_namespace", raced)
    catalog = load_catalog(settings, None, create=True)
    assert catalog.namespace_exists(settings.catalog_namespace)


def test_patch_sets_columns_on_the_stored_version_only_when_expected(corpus):
    corpus.commit([row(1), row(2)], run_id="r1", kind="daily")
    before = corpus.snapshot_id()
    stored = {r["article_id"]: r for r in corpus.read().to_pylist()}
    result = corpus.articles.patch(
        {aid(1): {"section": "news"}, aid(2): {"section": "sport"}},
        expect={aid(2): {"content_hash": "not the stored one"}},
        run_id="fix",
        kind="metadata",
    )
    assert (result.updated, result.unchanged) == (1, 1)  # row 2's version is not the expected
    after = {r["article_id"]: r for r in corpus.read().to_pylist()}
    assert after[aid(1)]["section"] == "news" and after[aid(2)]["section"] is None
    assert after[aid(1)]["run_id"] == stored[aid(1)]["run_id"]  # the row keeps its run
    assert after[aid(1)]["updated_at"] > stored[aid(1)]["updated_at"]
    (event,) = corpus.changes(since=before)
    assert (event.operation, event.changed_columns, event.run_id) == ("update", ["section"], "fix")
    assert not event.content_changed
    with pytest.raises(ValueError, match="cannot be patched"):
        corpus.articles.patch({aid(1): {"text": "x"}}, run_id="bad", kind="metadata")


def test_the_writers_index_grows_by_deltas_and_folds_into_a_new_base(corpus):
    from processing.corpus import index as ix

    for n in range(ix.MAX_DELTAS + 3):
        corpus.commit([row(n)], run_id=f"r{n}", kind="daily")
    pointer = corpus.articles.table().metadata.properties[ix.property_name("sohr_ar")]
    objects = ix.parts(pointer)
    assert 1 < len(objects) <= ix.MAX_DELTAS + 1  # a base and this commit's deltas
    # a cold writer reads base + deltas into the same index the table holds
    from processing.corpus.writer import TableWriter

    cold = TableWriter(corpus.articles._load)
    entries, rebuilt = cold.index(corpus.articles.table(), "sohr_ar", pointer)
    assert not rebuilt and set(entries) == {aid(n) for n in range(ix.MAX_DELTAS + 3)}
    corpus.delete([aid(0)], run_id="t", reason="test")
    pointer = corpus.articles.table().metadata.properties[ix.property_name("sohr_ar")]
    entries, _ = TableWriter(corpus.articles._load).index(
        corpus.articles.table(), "sohr_ar", pointer
    )
    assert aid(0) not in entries and len(entries) == ix.MAX_DELTAS + 2
