"""The link pass against the real table (embedded SeaweedFS): links in their own snapshot, the
change feed carrying them, late originals, re-runs, takedowns, a kept index against a cold
one, and two processes publishing at once."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from processing.core.records import ArticleRow
from processing.pipeline.links import (
    LINK_KIND,
    MARKER_PROPERTY,
    forget_state,
    link_corpus,
    prepare_rows,
)
from processing.pipeline.stages import content_hash
from processing.stories import LINK_COLUMNS, METHOD
from tests.stories.helpers import arabic_text, edited, text

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cold():
    forget_state()
    yield
    forget_state()


def article(
    key: str,
    body: str,
    *,
    outlet: str = "sohr_en",
    hours: float = 0.0,
    language: str = "en",
    text_en: str | None = None,
    model: str | None = None,
) -> ArticleRow:
    url = f"https://{outlet}.example/{key}"
    status = "source_english" if language == "en" else ("translated" if text_en else "pending")
    return ArticleRow(
        article_id=key,
        outlet=outlet,
        url=url,
        canonical_url=url,
        title=f"title {key}",
        text=body,
        language=language,
        published_at=T0 + timedelta(hours=hours),
        published_at_source="meta",
        text_en=body if status == "source_english" else text_en,
        translation_status=status,
        translation_model=model if status == "translated" else None,
        content_hash=content_hash(f"title {key}", body),
        fetched_at=T0 + timedelta(hours=hours + 1),
        extractor_version="test",
        run_id="r",
    )


def publish(corpus, rows: list[ArticleRow], run_id: str, kind: str = "daily"):
    """What the publish stage does: fingerprints, one commit, then the link pass."""
    result = corpus.commit(prepare_rows(corpus, rows), run_id=run_id, kind=kind)
    report = link_corpus(corpus, corpus.settings, cause=run_id) if result.changed else None
    return result, report


def stored(corpus) -> dict[str, dict]:
    return {d["article_id"]: d for d in corpus.read().to_pylist()}


def kinds(corpus) -> list[str | None]:
    return [s["kind"] for s in corpus.snapshots()]


def test_links_are_committed_in_their_own_snapshot_and_the_feed_carries_them(corpus):
    body = text(1)
    rows = [
        article("a-orig", body, outlet="sohr_en"),
        article("b-copy", edited(body, 1), outlet="npa_en", hours=3),
        article("c-other", text(2), outlet="sohr_en", hours=1),
    ]
    result, report = publish(corpus, rows, "run-1")
    assert result.new == 3 and report is not None
    assert kinds(corpus) == ["daily", LINK_KIND]
    table = stored(corpus)
    assert table["b-copy"]["duplicate_of"] == "a-orig"
    assert table["b-copy"]["duplicate_similarity"] >= 0.5
    assert table["a-orig"]["duplicate_of"] is None and table["c-other"]["duplicate_of"] is None
    assert table["a-orig"]["story_id"] == table["b-copy"]["story_id"] == "a-orig"
    assert table["c-other"]["story_id"] == "c-other" and table["c-other"]["story_link"] is None
    assert table["b-copy"]["story_link"] == "text"
    assert all(
        d["link_method"] == METHOD and len(d["story_fingerprint"]) == 522 for d in table.values()
    )
    # the publish snapshot already held the fingerprints; the link snapshot adds the links
    publish_snap, link_snap = (s["snapshot_id"] for s in corpus.snapshots())
    feed = corpus.changes(since=publish_snap)
    assert {c.article_id for c in feed} == {"a-orig", "b-copy", "c-other"}
    assert all(
        c.kind == LINK_KIND and c.operation == "update" and not c.content_changed for c in feed
    )
    assert all(set(c.changed_columns) <= set(LINK_COLUMNS) for c in feed)
    assert "duplicate_of" in next(c for c in feed if c.article_id == "b-copy").changed_columns
    tbl = corpus.articles.table()
    props = tbl.metadata.snapshot_by_id(link_snap).summary.additional_properties
    assert props[MARKER_PROPERTY] == str(publish_snap)
    # the link run has its manifest, like every run a row may name
    assert corpus.store.get_json(f"runs/{report.run_id}.json")["links"]["rewritten"] == 3
    # a second pass finds nothing new and commits nothing
    again = link_corpus(corpus, corpus.settings)
    assert again.to_link == 0 and again.snapshot_ids == []
    assert kinds(corpus) == ["daily", LINK_KIND]


def test_a_re_publish_of_the_same_rows_changes_nothing_and_links_nothing(corpus):
    body = text(3)
    rows = [article("a", body), article("b", edited(body, 2), outlet="npa_en", hours=2)]
    publish(corpus, rows, "run-1")
    before = stored(corpus)
    result, report = publish(corpus, rows, "run-2")  # a re-run: nothing new
    assert result.changed == 0 and report is None
    forced = corpus.commit(prepare_rows(corpus, rows), run_id="run-3", kind="reprocess", force=True)
    assert forced.changed == 0  # a forced rewrite of equal rows keeps their links: no write
    assert kinds(corpus) == ["daily", LINK_KIND]
    assert stored(corpus) == before


def test_a_late_original_re_points_the_stored_copy_and_the_feed_carries_it(corpus):
    body = text(4)
    publish(corpus, [article("copy", edited(body, 3), outlet="npa_en", hours=30)], "run-1")
    assert stored(corpus)["copy"]["duplicate_of"] is None
    mark = corpus.snapshot_id()
    publish(corpus, [article("orig", body, outlet="sohr_en", hours=0)], "backfill-1", "backfill")
    table = stored(corpus)
    assert table["copy"]["duplicate_of"] == "orig"
    assert table["copy"]["story_id"] == table["orig"]["story_id"] == "orig"  # the earlier one
    feed = [c for c in corpus.changes(since=mark) if c.article_id == "copy"]
    (update,) = feed
    assert update.kind == LINK_KIND and update.operation == "update"
    assert {"duplicate_of", "story_id"} <= set(update.changed_columns) <= set(LINK_COLUMNS)


def test_a_changed_text_keeps_its_story_and_a_kept_index_links_like_a_cold_one(corpus):
    body = text(5)
    rows = [article("p1", body), article("p2", edited(body, 1), outlet="npa_en", hours=1)]
    publish(corpus, rows, "run-1")
    changed = [article("p1", text(6))]  # the original is replaced by another text
    publish(corpus, changed, "run-2")  # the kept index (this process) links it
    warm = stored(corpus)
    assert warm["p2"]["duplicate_of"] is None and warm["p1"]["duplicate_of"] is None
    assert warm["p1"]["story_id"] == warm["p2"]["story_id"] == "p1"  # a story never splits
    # the same publishes, on another table, with a cold index for every pass
    from processing.corpus import open_corpus

    other = open_corpus(
        settings=replace(corpus.settings, s3_bucket=corpus.settings.s3_bucket + "c"), write=True
    )
    try:
        for rs, run in ((rows, "run-1"), (changed, "run-2")):
            forget_state()
            publish(other, rs, run)
        cold = stored(other)
        for aid in warm:
            assert {c: warm[aid][c] for c in LINK_COLUMNS} == {
                c: cold[aid][c] for c in LINK_COLUMNS
            }
    finally:
        other.store.client.delete_bucket(Bucket=other.store.bucket)


def test_a_takedown_re_points_the_copies_of_the_removed_article(corpus):
    from processing.pipeline.takedown import takedown

    body = text(7)
    publish(
        corpus,
        [
            article("t0", body),
            article("t1", edited(body, 1), outlet="npa_en", hours=2),
            article("t2", edited(body, 2), outlet="enab_en", hours=4),
        ],
        "run-1",
    )
    assert stored(corpus)["t2"]["duplicate_of"] == "t0"
    manifest = takedown(corpus, ["t0"], [], reason="test")
    assert manifest["links"]["rewritten"] >= 1
    table = stored(corpus)
    assert "t0" not in table
    assert table["t1"]["duplicate_of"] is None and table["t2"]["duplicate_of"] == "t1"


def test_an_unlinked_table_is_linked_from_scratch(corpus):
    """Rows committed before the link pass existed (no fingerprint, no links) get both."""
    body = text(8)
    old = [
        article("u1", body, hours=-24 * 40),
        article("u2", edited(body, 4), outlet="npa_en", hours=-24 * 40 + 5),
        article("u3", text(9), hours=0),
    ]
    corpus.commit(old, run_id="old", kind="daily")  # no fingerprints, no links
    report = link_corpus(corpus, corpus.settings)
    assert report.full and report.to_link == 3
    table = stored(corpus)
    assert table["u2"]["duplicate_of"] == "u1" and table["u3"]["story_id"] == "u3"
    assert table["u1"]["link_method"] == METHOD and table["u1"]["story_fingerprint"]
    # the next pass is incremental from the full pass's marker
    assert link_corpus(corpus, corpus.settings).full is False


def _publish_in_process(settings, rows, run_id, barrier) -> None:
    from processing.corpus import open_corpus

    corpus = open_corpus(settings=settings, write=True)
    barrier.wait(timeout=120)
    publish(corpus, rows, run_id)


@pytest.mark.slow
def test_two_outlets_publishing_at_once_end_linked(corpus):
    """Two processes each publish one outlet's copy of the same stories at the same moment
    and run their link pass: whichever commits last has seen both, and neither overwrites the
    other's links."""
    ctx = multiprocessing.get_context("spawn")
    for round_ in range(2):
        bodies = [text(100 + 10 * round_ + i) for i in range(6)]
        ra = [
            article(f"a{i}-{round_}", body, outlet="sohr_en", hours=i)
            for i, body in enumerate(bodies)
        ]
        rb = [
            article(f"b{i}-{round_}", edited(body, i), outlet="npa_en", hours=i + 0.5)
            for i, body in enumerate(bodies)
        ]
        barrier = ctx.Barrier(2)
        procs = [
            ctx.Process(
                target=_publish_in_process, args=(corpus.settings, rs, f"run-{n}-{round_}", barrier)
            )
            for n, rs in enumerate((ra, rb))
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=300)
            assert p.exitcode == 0
        table = stored(corpus)
        for i in range(len(bodies)):
            copy, orig = table[f"b{i}-{round_}"], table[f"a{i}-{round_}"]
            assert copy["duplicate_of"] == orig["article_id"], (round_, i)
            assert copy["story_id"] == orig["story_id"] == orig["article_id"]
    # every row published is linked, and the last link snapshot covers both publishes
    assert all(d["story_id"] for d in stored(corpus).values())
    assert link_corpus(corpus, corpus.settings).to_link == 0


def test_arabic_links_to_english_once_translated(corpus):
    """Pending Arabic rows are linked within Arabic only; when the translation lands (the
    same row, translated) the link pass links it to the English article and the feed shows
    the update with the model."""
    english = text(11)
    en = article("en-1", english, outlet="sputnik_en")
    ar = article("ar-1", arabic_text(11), outlet="sputnik_ar", language="ar", hours=1)
    publish(corpus, [en, ar], "run-1")
    assert stored(corpus)["ar-1"]["story_id"] == "ar-1"
    mark = corpus.snapshot_id()
    translated = replace(
        ar,
        text_en=edited(english, 2),
        title_en="title",
        translation_status="translated",
        translation_model="test-model",
    )
    publish(corpus, [translated], "retranslate-1", "retranslate")
    table = stored(corpus)
    assert table["ar-1"]["story_id"] == "en-1" and table["ar-1"]["story_link"] == "translation"
    assert table["ar-1"]["story_link_model"] == "test-model"
    assert table["en-1"]["story_link_model"] == "test-model"
    feed = corpus.changes(since=mark)
    by = {(c.kind, c.article_id): c for c in feed}
    assert "story_fingerprint" in by["retranslate", "ar-1"].changed_columns  # the English side
    assert {"story_id", "story_link"} <= set(by[LINK_KIND, "ar-1"].changed_columns)
    assert "story_link_model" in by[LINK_KIND, "en-1"].changed_columns


def test_the_health_report_shows_the_duplicate_share_per_outlet(corpus):
    from processing.report.aggregate import aggregate
    from processing.report.loader import load_inputs
    from processing.report.render import _links_html

    body = text(12)
    publish(
        corpus,
        [
            article("r-orig", body, outlet="sohr_en"),
            article("r-copy", edited(body, 1), outlet="npa_en", hours=2),
            article("r-other", text(13), outlet="sohr_en", hours=1),
        ],
        "run-1",
    )
    agg = aggregate(load_inputs(corpus.store), T0.date(), T0.date(), lookback=1)
    i = {o: n for n, o in enumerate(agg.outlets)}
    assert agg.links["duplicates"][i["npa_en"]] == 1 and agg.links["duplicates"][i["sohr_en"]] == 0
    assert agg.links["linked"][i["sohr_en"]] == 2
    assert agg.links["shared"][i["sohr_en"]] == 1 and agg.links["shared"][i["npa_en"]] == 1
    html = _links_html(agg)
    assert "<td>npa_en</td>" in html and "100.0%" in html and "0.0%" in html


def test_the_command_line_links_and_lists_stories(corpus, capsys):
    import json

    from processing.cli import main

    body = text(14)
    corpus.commit(
        [article("s-orig", body), article("s-copy", edited(body, 1), outlet="npa_en", hours=2)],
        run_id="old",
        kind="daily",
    )  # committed without a link pass
    assert main(["corpus", "stories"]) == 0
    assert capsys.readouterr().out == ""  # nothing linked yet
    assert main(["corpus", "link"]) == 0
    assert "linked 2 row(s) from scratch: 1 duplicate(s)" in capsys.readouterr().out
    assert main(["corpus", "stories", "--since", T0.date().isoformat()]) == 0
    (story,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert story["story_id"] == "s-orig" and story["size"] == 2 and story["originals"] == 1
    assert story["outlets"] == ["npa_en", "sohr_en"] and story["languages"] == ["en"]
    assert main(["corpus", "stories", "--since", "2027-01-01"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["corpus", "stories", "--since", "soon"]) == 2


def test_a_link_commit_keeps_each_row_s_run_and_names_its_own_in_the_snapshot(corpus):
    body = text(15)
    _, report = publish(
        corpus, [article("k-a", body), article("k-b", edited(body, 2), hours=1)], "run-k"
    )
    assert {d["run_id"] for d in stored(corpus).values()} == {"run-k"}
    link_snapshot = corpus.snapshots()[-1]
    assert link_snapshot["kind"] == LINK_KIND and link_snapshot["run_id"] == report.run_id
    assert {c.run_id for c in corpus.changes(since=corpus.snapshots()[0]["snapshot_id"])} == {
        report.run_id
    }


def test_a_late_article_renames_its_story_beyond_the_days_it_loads(corpus):
    """A story whose rows run past the days a pass loads (copies a few days apart, each
    linked to the next): a late, earlier copy renames it, and the rows beyond the loaded days
    are found by their story id and renamed too."""
    body = text(16)
    chain = [
        article(f"x{n}", edited(body, n) if n else body, outlet="npa_en", hours=24 * (10 + 6 * n))
        for n in range(4)
    ]  # days 10, 16, 22, 28: each within a window of the next
    publish(corpus, chain, "run-chain")
    assert {d["story_id"] for d in stored(corpus).values()} == {"x0"}
    mark = corpus.snapshot_id()
    forget_state()  # a cold process: it loads the days around the late article only
    _, report = publish(corpus, [article("late", edited(body, 9), hours=24 * 4)], "run-late")
    assert report.renamed >= 1  # rows beyond the loaded days
    table = stored(corpus)
    assert {d["story_id"] for d in table.values()} == {"late"}
    assert table["x0"]["duplicate_of"] == "late"
    renamed = {c.article_id for c in corpus.changes(since=mark) if c.kind == LINK_KIND}
    assert {"x0", "x1", "x2", "x3"} <= renamed
