"""Commit semantics of the corpus against a real SeaweedFS server."""

from datetime import UTC, datetime, timedelta

import pytest

from processing import corpus
from processing.core import layout
from processing.core.urls import article_id

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
) -> dict:
    url = f"https://www.syriahr.com/x/{n}/"
    return {
        "article_id": article_id(url),
        "outlet": outlet,
        "url": url,
        "canonical_url": url,
        "title": f"title {n}",
        "text": text,
        "description": None,
        "language": "ar",
        "language_confidence": 0.99,
        "other_languages": [],
        "published_at": published,
        "published_at_source": "meta",
        "modified_at": None,
        "authors": [],
        "section": None,
        "tags": [],
        "title_en": None,
        "text_en": None,
        "translation_status": status,
        "translation_model": None,
        "translation_model_version": None,
        "translation_backend": None,
        "translation_reason": "x",
        "translated_at": None,
        "translation_segments": [],
        "content_hash": f"h-{text}",
        "fetched_at": T0,
        "first_seen_at": T0,
        "raw_ref": None,
        "http_status": 200,
        "extractor_version": "test",
        "run_id": run,
    }


def ids(store, outlet="sohr_ar"):
    return [r["article_id"] for r in corpus.iter_articles(store, outlet, ["article_id"])]


def test_commit_is_idempotent(store):
    rows = [row(1), row(2), row(3, published=T0 + timedelta(days=1))]
    first = corpus.commit_articles(store, "sohr_ar", rows)
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)
    assert len(first.partitions) == 2
    again = corpus.commit_articles(
        store, "sohr_ar", [row(1), row(2), row(3, published=T0 + timedelta(days=1))]
    )
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert again.partitions == []
    assert sorted(ids(store)) == sorted(r["article_id"] for r in rows)
    keys = [k for _, _, k in corpus.partitions(store, "sohr_ar")]
    assert keys == [
        layout.partition_key("sohr_ar", "2026-11-20"),
        layout.partition_key("sohr_ar", "2026-11-21"),
    ]


def test_changed_article_replaces_its_row_and_keeps_first_seen(store):
    corpus.commit_articles(store, "sohr_ar", [row(1)])
    later = row(1, text="corrected body", run="r2")
    later["fetched_at"] = T0 + timedelta(hours=5)
    later["first_seen_at"] = later["fetched_at"]
    res = corpus.commit_articles(store, "sohr_ar", [later])
    assert (res.new, res.updated) == (0, 1)
    (stored,) = list(corpus.iter_articles(store, "sohr_ar"))
    assert stored["text"] == "corrected body" and stored["run_id"] == "r2"
    assert stored["first_seen_at"] == T0
    assert stored["modified_at"] == T0 + timedelta(hours=5)  # no modified date on the page


def test_date_change_moves_the_row(store):
    corpus.commit_articles(store, "sohr_ar", [row(1), row(2)])
    moved = row(1, published=T0 - timedelta(days=3), text="redated")
    res = corpus.commit_articles(store, "sohr_ar", [moved])
    assert res.moved == 1 and res.updated == 1
    days = {d for _, d, _ in corpus.partitions(store, "sohr_ar")}
    assert days == {"2026-11-17", "2026-11-20"}
    assert len(ids(store)) == 2 == len(set(ids(store)))


def test_partition_emptied_by_a_move_is_deleted(store):
    corpus.commit_articles(store, "sohr_ar", [row(1)])
    corpus.commit_articles(store, "sohr_ar", [row(1, published=T0 + timedelta(days=2), text="x")])
    assert [d for _, d, _ in corpus.partitions(store, "sohr_ar")] == ["2026-11-22"]


def test_pending_translation_is_replaced_by_translated_row(store):
    corpus.commit_articles(store, "sohr_ar", [row(1)])
    done = row(1, status="translated")
    done["text_en"] = "english"
    res = corpus.commit_articles(store, "sohr_ar", [done])
    assert res.updated == 1
    (stored,) = list(corpus.iter_articles(store, "sohr_ar"))
    assert stored["translation_status"] == "translated" and stored["text_en"] == "english"


def test_missing_index_is_rebuilt_from_partitions(store):
    corpus.commit_articles(store, "sohr_ar", [row(1), row(2)])
    store.delete(layout.index_key("sohr_ar"))
    res = corpus.commit_articles(
        store, "sohr_ar", [row(1), row(2, published=T0 - timedelta(days=1))]
    )
    assert res.unchanged == 1 and res.moved == 1
    assert len(ids(store)) == 2


def test_rows_of_another_outlet_are_refused(store):
    with pytest.raises(ValueError, match="committed to"):
        corpus.commit_articles(store, "sohr_en", [row(1)])


def test_lock_is_exclusive_and_released(store):
    lock = corpus.OutletLock(store, "sohr_ar", wait=0.6)
    with lock:
        with pytest.raises(corpus.LockTimeout):
            with corpus.OutletLock(store, "sohr_ar", wait=0.6):
                pass
    with corpus.OutletLock(store, "sohr_ar", wait=0.6):
        pass


def test_stale_lock_is_broken(store):
    import json

    store.put_bytes(layout.lock_key("sohr_ar"), json.dumps({"owner": "dead", "at": 0}).encode())
    with corpus.OutletLock(store, "sohr_ar", wait=1):
        assert store.get_json(layout.lock_key("sohr_ar"))["owner"] != "dead"


def test_schema_is_stamped(store):
    corpus.commit_articles(store, "sohr_ar", [row(1)])
    ((_, _, key),) = corpus.partitions(store, "sohr_ar")
    table = corpus.decode_parquet(store.get_bytes(key))
    assert table.schema.metadata[b"newsloom.schema_version"] == corpus.SCHEMA_VERSION.encode()
    assert (
        table.schema.field("published_at").type == corpus.ARTICLE_SCHEMA.field("published_at").type
    )
