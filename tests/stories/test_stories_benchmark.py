"""The story-links benchmark on a small sample: its data, its scoring and a whole run (also
through a translation model: the tiny test model stands in for a real one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import stories as bench
from benchmarks import stories_data as data
from processing.stories import StoryLinks
from tests.conftest import missing_shared_data


@pytest.fixture(scope="module")
def needs_data() -> None:
    for name in ("naeb", "ntrex-ar-en", "multilingual"):
        if not (data.DATA / name).exists():
            missing_shared_data(data.DATA / name)


def test_parts_split_documents_and_keep_events_together(needs_data):
    tune, held = data.build("tune", 1, copies=0.0), data.build("heldout", 2, copies=0.0)
    assert not {it.group for it in tune.items} & {it.group for it in held.items}
    for members in data.NTREX_EVENTS.values():
        parts = {
            "tune" if any(it.group == f"ntrex-{m}" for it in tune.items) else "heldout"
            for m in members
        }
        assert len(parts) == 1, members
    assert {it.kind for it in tune.items} >= {"original", "version"}


def test_edits_stay_within_their_budget(needs_data):
    import random

    naeb, pools = data.naeb_sources()
    rng = random.Random(3)
    for src in naeb[:40]:
        doc, names = data.light_edit(src.doc, rng, pools.get(src.outlet, []), [], naeb[0].doc)
        assert 1 <= len(names) <= 4
        before, after = set(src.doc.paras), set(doc.paras)
        changed = sum(len(p.split()) for p in before ^ after)
        # each edit moves at most its budget of words (a figure or a merge rewrites paragraphs)
        if not {"figure", "resegment", "typography"} & set(names):
            assert changed <= len(names) * data.budget_of(src.doc), names


def test_scores_count_pairs_the_way_the_docs_say():
    def item(key: str, group: str, kind: str = "copy", lang: str = "en", event: str | None = None):
        from datetime import UTC, datetime

        doc = data.Doc("t", ["p"])
        return data.Item(
            key, "o", lang, datetime(2026, 1, 1, tzinfo=UTC), doc, "x", group, kind, event
        )

    items = [
        item("a1", "A", "original"),
        item("a2", "A"),
        item("a3", "A", "version", "ar"),
        item("b1", "B", "original", event="E"),
        item("c1", "C", "original", event="E"),
        item("d1", "D", "original"),
    ]
    links = {
        "a1": StoryLinks("a1"),
        "a2": StoryLinks("a1", duplicate_of="a1"),
        "a3": StoryLinks("a1"),
        "b1": StoryLinks("b1"),
        "c1": StoryLinks("b1"),  # same event, another document: not counted
        "d1": StoryLinks("a1"),  # a wrong link: two negative pairs... three (a1, a2, a3)
    }
    s = bench.score(items, links)
    assert (s.duplicate_precision, s.duplicate_recall) == (1.0, 1.0)
    assert s.story_pairs == 3 and s.negative_pairs_linked == 3
    assert s.story_precision == 0.5 and s.story_recall == 1.0
    assert s.cross_language_pairs == 2 and s.cross_language_recall == 1.0
    assert s.independent_reports_linked == 1.0


def test_a_small_run_end_to_end(needs_data, tmp_path: Path):
    out = tmp_path / "stories.json"
    argv = ["--part", "heldout", "--sample", "4", "--noise", "0.3", "--no-compare"]
    assert bench.main([*argv, "--scale", "200", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    part = report["parts"]["heldout"]
    assert part["feed_consistent"] and part["order_independent"]
    oracle = part["oracle"]
    assert oracle["articles"] == part["articles"] > 8
    assert oracle["duplicate_precision"] >= 0.9 and oracle["duplicate_recall"] >= 0.9
    assert oracle["story_f1"] >= 0.8
    assert part["noise"][0]["noise"] == 0.3
    assert report["scale"]["stored_articles"] == 200
    assert 262 <= part["stored_fingerprint_bytes"] <= 522  # text only, or text and English


def test_a_run_through_a_translation_model(
    needs_data, tiny_model_dir: Path, tmp_path: Path, monkeypatch
):
    """The path a real model takes (NEWSLOOM_TRANSLATION_MODEL), with the tiny model: its
    English is nonsense, so its links across languages are not expected to hold."""
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_BACKEND", "transformers")
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_BEAMS", "1")
    monkeypatch.setenv("NEWSLOOM_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "stories.json"
    argv = ["--part", "heldout", "--sample", "2", "--noise", "", "--no-compare"]
    assert bench.main([*argv, "--json", str(out)]) == 0
    model = json.loads(out.read_text())["parts"]["heldout"]["model"]
    assert model["model"] == str(tiny_model_dir)
    assert model["translated"] >= 1
    assert 0.0 <= model["overlap_with_human"] < 0.5
