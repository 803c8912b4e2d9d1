"""The story index: duplicates, stories, translation links, late arrivals, re-runs, rebuilds."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from processing.core.records import ArticleRow
from processing.stories import (
    LINK_COLUMNS,
    TEXT_LINK,
    TRANSLATION_LINK,
    LinkSettings,
    SpanNotLoaded,
    StoredArticle,
    StoryIndex,
    StoryLinks,
)
from processing.stories.bands import BandIndex, band_params, candidate_probability
from processing.stories.fingerprint import signature
from tests.stories.helpers import T0, arabic_text, edited, row, text

EVERYTHING = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
MODEL = "Helsinki-NLP/opus-mt-ar-en"


def index(settings: LinkSettings | None = None) -> StoryIndex:
    idx = StoryIndex(settings)
    idx.load([], *EVERYTHING)
    return idx


def stored_columns(idx: StoryIndex, rows: list[ArticleRow]) -> list[dict[str, object]]:
    """The table's rows as a reader would give them: row fields plus the link columns."""
    out = []
    for r in rows:
        links = idx.links_of(r.article_id)
        assert links is not None
        out.append({**r.to_dict(), **links.columns()})
    return out


# ---- the LSH bands ----------------------------------------------------------------------------
def test_bands_find_similar_signatures_and_forget_removed_ones():
    bands = BandIndex(64, 2)
    a = signature({f"w{i}" for i in range(300)})
    b = signature({f"w{i}" for i in range(60, 360)})  # Jaccard 0.67
    c = signature({f"x{i}" for i in range(300)})
    assert a is not None and b is not None and c is not None
    bands.add(1, a)
    bands.add(2, c)
    assert bands.query(b) == {1}
    bands.remove(1)
    assert bands.query(b) == set()
    # many entries: the sorted arrays take over from the buffer; answers do not change
    rng = np.random.default_rng(0)
    many = rng.integers(0, 1 << 16, size=(5000, 128), dtype=np.uint16)
    bands.add_many(np.arange(10, 5010), many)
    for i in range(3000):
        bands.add(6000 + i, many[i])
    assert bands.query(many[7]) == {17, 6007}
    assert bands.query(c) == {2}


def test_band_parameters_put_the_threshold_on_the_steep_part():
    bands, rows = band_params(0.5, 128)
    assert (bands, rows) == (42, 3)
    assert candidate_probability(0.5, bands, rows) >= 0.95
    assert candidate_probability(0.1, bands, rows) < 0.05
    assert band_params(0.2, 128, recall=0.9) == (64, 2)


# ---- duplicates and stories -------------------------------------------------------------------
def test_an_edited_copy_is_a_duplicate_and_an_unrelated_article_is_not():
    idx = index()
    body = text(1)
    res = idx.link(
        [
            row("orig", body, outlet="agency"),
            row("copy", edited(body, 1), hours=3, outlet="daily"),
            row("other", text(2), hours=1, outlet="agency"),
        ]
    )
    orig, copy, other = res.rows["orig"], res.rows["copy"], res.rows["other"]
    assert copy.duplicate_of == "orig" and copy.duplicate_similarity is not None
    assert copy.duplicate_similarity >= 0.5
    assert orig.duplicate_of is None and other.duplicate_of is None
    assert copy.story_id == orig.story_id == "orig"  # the story's earliest article
    assert copy.story_link == TEXT_LINK and copy.story_link_model is None
    assert other.story_id == "other" and other.story_link is None
    assert set(copy.columns()) == set(LINK_COLUMNS)
    assert copy.fingerprint and len(copy.fingerprint) == 522


def test_a_late_original_takes_over_and_the_feed_carries_the_change():
    idx = index()
    body = text(3)
    first = idx.link([row("b-copy", edited(body, 2), hours=5)])
    assert first.rows["b-copy"].duplicate_of is None
    late = idx.link([row("a-orig", body, hours=0)])
    assert late.rows["a-orig"].duplicate_of is None
    update = late.updates["b-copy"]
    assert update.duplicate_of == "a-orig"
    assert update.story_id == late.rows["a-orig"].story_id == "a-orig"
    assert late.renames == []  # every row of the story is in the index


def test_links_do_not_depend_on_arrival_order():
    bodies = [text(10 + i) for i in range(4)]
    rows = []
    for i, body in enumerate(bodies):
        rows.append(row(f"o{i}", body, hours=i))
        for c in range(3):
            rows.append(row(f"c{i}{c}", edited(body, c), hours=i + 1 + c, outlet=f"out{c}"))
    results = []
    for seed in range(4):
        order = rows[:]
        random.Random(seed).shuffle(order)
        idx = index()
        table: dict[str, StoryLinks] = {}
        for k in range(0, len(order), 3):
            res = idx.link(order[k : k + 3])
            table.update(res.rows)
            table.update(res.updates)
        final = {r.article_id: idx.links_of(r.article_id) for r in rows}
        assert table == final  # rows + updates, applied in order, give the index's state
        results.append({k: (v.duplicate_of, v.story_id) for k, v in final.items() if v})
    assert all(r == results[0] for r in results)
    assert results[0]["c12"] == ("o1", "o1")


def test_two_stories_joined_by_a_late_article_take_one_id():
    a, b = text(20), text(21)
    bridge = "\n".join(a.split("\n")[:4] + b.split("\n")[:4])  # half of each
    idx = index(LinkSettings(story_threshold=0.25, duplicate_threshold=0.6))
    first = idx.link([row("m-a", a), row("n-b", b, hours=1)])
    assert first.rows["m-a"].story_id != first.rows["n-b"].story_id
    res = idx.link([row("z-bridge", bridge, hours=2)])
    assert res.rows["z-bridge"].story_id == "m-a"
    assert res.updates["n-b"].story_id == "m-a"
    # m-a keeps its story id; its strongest link (now to the bridge) is new
    assert res.updates["m-a"].story_id == "m-a" and res.updates["m-a"].story_link == TEXT_LINK


def test_articles_further_apart_than_the_window_are_not_linked():
    body = text(30)
    idx = index(LinkSettings(window_days=2))
    res = idx.link([row("x1", body), row("x2", edited(body, 1), hours=24 * 3)])
    assert res.rows["x2"].duplicate_of is None
    assert res.rows["x2"].story_id == "x2"


def test_languages_do_not_make_duplicates_of_each_other_without_translation():
    body = text(31)
    idx = index()
    res = idx.link([row("en1", body), row("fr1", body, hours=1, language="fr", status="pending")])
    assert res.rows["fr1"].duplicate_of is None and res.rows["fr1"].story_id == "fr1"


# ---- across languages -------------------------------------------------------------------------
def test_arabic_links_through_its_translation_and_names_the_model():
    english = text(40)
    idx = index()
    res = idx.link(
        [
            row("en-1", english, outlet="sputnik_en"),
            row(
                "ar-1",
                arabic_text(40),
                hours=2,
                language="ar",
                text_en=edited(english, 4),
                model=MODEL,
                outlet="sputnik_ar",
            ),
        ]
    )
    ar = res.rows["ar-1"]
    assert ar.story_id == res.rows["en-1"].story_id == "en-1"  # the earlier one
    assert ar.story_link == TRANSLATION_LINK and ar.story_link_model == MODEL
    assert ar.duplicate_of is None  # duplicates are within a language
    assert res.rows["en-1"].story_link_model == MODEL  # the translated side's model


def test_a_retranslation_links_a_pending_article_and_updates_the_stored_row():
    english = text(41)
    idx = index()
    pending = row("ar-2", arabic_text(41), hours=1, language="ar")
    first = idx.link([row("en-2", english), pending])
    assert first.rows["ar-2"].story_id == "ar-2" and first.rows["en-2"].story_id == "en-2"
    translated = replace(
        pending, text_en=english, translation_status="translated", translation_model=MODEL
    )
    res = idx.link([translated])
    assert res.rows["ar-2"].story_link == TRANSLATION_LINK
    assert res.rows["ar-2"].story_id == "en-2"  # the story's earliest article
    assert res.updates["en-2"].story_id == "en-2"
    assert res.updates["en-2"].story_link_model == MODEL


def test_a_rerun_of_the_same_rows_changes_nothing():
    body = text(50)
    rows = [row("r1", body), row("r2", edited(body, 5), hours=1), row("r3", text(51), hours=2)]
    idx = index()
    first = idx.link(rows)
    again = idx.link(rows)
    assert again.updates == {} and again.renames == []
    assert again.rows == first.rows


def test_a_changed_text_is_linked_again():
    body = text(60)
    idx = index()
    idx.link([row("p1", body), row("p2", edited(body, 1), hours=1)])
    res = idx.link([row("p1", text(61))])  # the original was replaced by another text
    assert res.updates["p2"].duplicate_of is None
    assert res.rows["p1"].duplicate_of is None
    # a story never splits: p2 keeps the story it had
    assert res.updates.get("p2", idx.links_of("p2")).story_id == "p1"


# ---- rebuilding from the table ----------------------------------------------------------------
def test_an_index_rebuilt_from_stored_columns_links_like_the_one_that_made_them():
    body = text(70)
    rows = [
        row("s1", body),
        row("s2", edited(body, 1), hours=2),
        row("s3", text(71), hours=3),
        row("s4", arabic_text(72), hours=4, language="ar", text_en=edited(body, 3), model=MODEL),
    ]
    live = index()
    live.link(rows)
    stored = [StoredArticle.from_columns(d) for d in stored_columns(live, rows)]
    rebuilt = StoryIndex()
    newcomer = row("s0", edited(body, 7), hours=-1)  # an earlier copy arrives
    start, end = rebuilt.span([newcomer]) or EVERYTHING
    assert rebuilt.missing(start, end) == [(start, end)]
    assert rebuilt.load(stored, start, end) == 4
    assert rebuilt.missing(start, end) == []
    a, b = live.link([newcomer]), rebuilt.link([newcomer])
    assert a.rows == b.rows and a.updates == b.updates
    assert a.updates["s2"].duplicate_of == "s0" and a.rows["s0"].story_id == "s0"


def test_linking_outside_the_loaded_span_is_refused():
    idx = StoryIndex()
    idx.load([], T0 - timedelta(days=3), T0 + timedelta(days=3))
    r = row("late", text(80), hours=24 * 10)
    with pytest.raises(SpanNotLoaded) as info:
        idx.link([r])
    assert info.value.missing[-1][1] == T0 + timedelta(days=10 + 14)
    assert idx.link([r], strict=False).rows["late"].story_id == "late"


def test_a_join_near_the_edge_of_the_span_asks_for_a_rename_outside():
    a = text(90)
    idx = StoryIndex()
    start, end = T0 - timedelta(days=14), T0 + timedelta(days=14)
    stored = row("q-old", a, hours=24 * 13)  # near the end: its story may reach past it
    live = index()
    live.link([stored])
    idx.load([StoredArticle.from_columns(d) for d in stored_columns(live, [stored])], start, end)
    # an earlier copy arrives: the story now begins with it and takes its id
    res = idx.link([row("a-new", edited(a, 1), hours=24 * 12)], strict=False)
    (rename,) = res.renames
    assert (rename.old, rename.new) == ("q-old", "a-new")
    # a story's rows all follow its first: none of q-old's lies before the span
    assert rename.before is None and rename.after == end
    # a later copy joins the story without renaming it
    later = idx.link([row("b-later", edited(a, 2), hours=24 * 12.5)], strict=False)
    assert later.renames == [] and later.rows["b-later"].story_id == "a-new"


def test_a_stored_fingerprint_of_another_version_is_dropped_not_fatal(caplog):
    article = StoredArticle.from_columns(
        {
            "article_id": "v0",
            "language": "en",
            "published_at": T0.isoformat(),
            "translation_status": "source_english",
            "story_fingerprint": b"\x09\x01" + b"\x00" * 260,
            "story_id": "v0",
        }
    )
    assert article.fingerprint is None and article.links.story_id == "v0"
    assert "version 9" in caplog.text


def test_settings_from_the_environment_are_checked():
    s = LinkSettings.from_env({"NEWSLOOM_STORY_WINDOW_DAYS": "3", "NEWSLOOM_STORY_THRESHOLD": ""})
    assert s.window_days == 3.0 and s.story_threshold == LinkSettings().story_threshold
    with pytest.raises(ValueError, match="not a number"):
        LinkSettings.from_env({"NEWSLOOM_STORY_DUPLICATE_THRESHOLD": "high"})
    with pytest.raises(ValueError):
        LinkSettings.from_env({"NEWSLOOM_STORY_DUPLICATE_THRESHOLD": "0.1"})  # below story


# ---- what the link pass uses --------------------------------------------------------------------
def test_a_forgotten_row_linked_again_with_its_story_links_like_the_kept_one():
    """The link pass forgets the rows it links (their stored links may be stale) and links
    them with the story they carry: the result is the same as with the index's old version."""
    body = text(100)
    rows = [
        row("k1", body),
        row("k2", edited(body, 1), hours=1),
        row("k3", edited(body, 2), hours=2),
    ]
    changed = replace(row("k1", text(101)), story_id="k1")  # the original's text replaced
    kept, forgot = index(), index()
    kept.link(rows)
    forgot.link(rows)
    a = kept.link([changed])
    assert forgot.forget(["k1"]) == 1 and "k1" not in forgot
    b = forgot.link([changed])
    assert a.rows == b.rows
    for aid in ("k1", "k2", "k3"):
        assert kept.links_of(aid) == forgot.links_of(aid)
    assert kept.links_of("k3").duplicate_of == "k2"  # the next earliest copy
    assert kept.links_of("k2").story_id == "k1"  # the story keeps its id


def test_a_removed_article_leaves_its_copies_pointing_at_the_next_one():
    body = text(102)
    idx = index()
    idx.link(
        [row("r0", body), row("r1", edited(body, 1), hours=1), row("r2", edited(body, 3), hours=2)]
    )
    changed = idx.remove(["r0", "absent"])
    assert changed["r1"].duplicate_of is None and changed["r2"].duplicate_of == "r1"
    assert "r0" not in idx and idx.remove(["r0"]) == {}


def test_refresh_takes_rows_of_the_loaded_days_only():
    body = text(103)
    live = index()
    rows = [
        row("f1", body),
        row("f2", edited(body, 1), hours=1),
        row("far", text(104), hours=24 * 40),
    ]
    live.link(rows)
    idx = StoryIndex()
    idx.load([], T0 - timedelta(days=2), T0 + timedelta(days=2))
    stored = [StoredArticle.from_columns(d) for d in stored_columns(live, rows)]
    assert idx.refresh(stored) == 2
    assert "f1" in idx and "f2" in idx and "far" not in idx
    assert idx.links_of("f2") == live.links_of("f2")


def test_a_stored_fingerprint_of_this_version_is_used_and_stamp_makes_it():
    from processing.stories import METHOD, fingerprint_row, row_fingerprint, stamp

    r = row("s1", text(105))
    stamped = stamp(r)
    assert (
        stamped.link_method == METHOD and stamped.story_fingerprint == fingerprint_row(r).to_bytes()
    )
    # the stored fingerprint stands for the text (the link pass reads no text)
    assert row_fingerprint(replace(stamped, text="")) == fingerprint_row(r)
    short = stamp(row("s2", "too short"))
    assert short.story_fingerprint is None and row_fingerprint(replace(short, text=text(5))).empty
    # another version's fingerprint is computed again from the text
    other = replace(stamped, link_method="minhash64/v0")
    assert row_fingerprint(other) == fingerprint_row(r)
