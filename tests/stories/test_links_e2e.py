"""Story links after real crawls of the mirror (whose outlets share stories:
devkit.mirror.republish): agency copy and re-posts linked as duplicates, a late original
re-pointing the stored copy, a backfill re-run that changes nothing, and a retranslation that
links Arabic articles to their English versions, each change in the feed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from processing.pipeline.links import LINK_KIND, forget_state
from tests.conftest import ANCHOR

pytestmark = [pytest.mark.slow, pytest.mark.integration]
FIRST = ANCHOR - timedelta(days=6)
OUTLETS = ("npa_ar", "sohr_ar", "sohr_en")  # npa_ar first: sohr_ar's originals come late


def _run(settings, corpus, outlet: str) -> dict:
    from processing.core.runspec import RunSpec
    from processing.pipeline.runner import run_pipeline

    return run_pipeline(RunSpec.backfill(outlet, FIRST, ANCHOR), settings, corpus)


def _table(corpus) -> dict[str, dict]:
    return {d["url"]: d for d in corpus.read().to_pylist()}


def _by_url(table: dict[str, dict], url: str) -> dict | None:
    from processing.core.urls import canonical_url

    return table.get(url) or next(
        (d for d in table.values() if d["canonical_url"] == canonical_url(url)), None
    )


def _seed_translations(settings, store, groups) -> int:
    """Put the English versions' sentences in the translation cache as the translations of
    the Arabic ones: a model good enough to link through (docs/BENCHMARKS.md says how good
    that is); the tiny model translates whatever else there is. The test measures the
    linking, not the model."""
    from processing.translation import TranslationInput, Translator
    from processing.translation.cache import CachedTranslation

    translator = Translator(settings, store)
    loaded = translator._load(settings.translation_model)
    assert not isinstance(loaded, str), loaded
    seeded = 0
    for g in groups:
        for ar, en in g.pairs:
            plan = translator._plan(
                TranslationInput(key="s", language="ar", title=None, text=ar), loaded
            )
            for n, (_, _, h) in enumerate(plan.pieces):
                loaded.cache.add(h, CachedTranslation(en if n == 0 else ""))
                seeded += 1
    loaded.cache.flush()
    translator.close()
    return seeded


def test_links_after_real_crawls_of_the_mirror(
    mirror_env, corpus, mirror, tiny_model_dir, monkeypatch
):
    forget_state()
    catalog = mirror.catalog
    ran = set(OUTLETS)
    groups = [g for g in catalog.shared if {catalog.find(u).outlet for u in g.urls} <= ran]
    same_language = [g for g in groups if g.kind != "translation"]
    translations = [g for g in groups if g.kind == "translation"]
    assert same_language and translations

    marks = {}
    for outlet in OUTLETS:
        manifest = _run(mirror_env, corpus, outlet)
        assert manifest["links"]["snapshot_id"] is not None, manifest["links"]
        marks[outlet] = manifest["links"]["snapshot_id"]  # its link pass
    table = _table(corpus)
    assert all(d["story_id"] for d in table.values())  # every row seen by a link pass
    for g in same_language:
        rows = [_by_url(table, u) for u in g.urls]
        stored = [r for r in rows if r is not None]
        assert len(stored) == len(rows), g
        assert len({r["story_id"] for r in stored}) == 1, g
        first = stored[0]["article_id"]
        assert stored[0]["duplicate_of"] is None
        assert all(r["duplicate_of"] == first for r in stored[1:]), g
    # a late original: npa_ar's copy of an agency story stored before sohr_ar's original
    late = [
        g
        for g in same_language
        if [catalog.find(u).outlet for u in g.urls][:2] == ["sohr_ar", "npa_ar"]
    ]
    assert late
    copy = _by_url(table, late[0].urls[1])["article_id"]
    feed = corpus.changes(since=marks["npa_ar"], until=marks["sohr_ar"])
    (repointed,) = [c for c in feed if c.article_id == copy]
    assert repointed.kind == LINK_KIND and repointed.operation == "update"
    assert {"duplicate_of", "story_id"} <= set(repointed.changed_columns)
    # translations pending: the Arabic and English versions are not linked yet
    for g in translations:
        rows = [_by_url(table, u) for u in g.urls]
        assert len({r["story_id"] for r in rows}) == 2

    # a backfill re-run: nothing new, no commit, no link snapshot
    before = len(corpus.snapshots())
    forget_state()
    again = _run(mirror_env, corpus, "npa_ar")
    assert again["counts"]["stored"]["new"] == 0 and "links" not in again
    assert len(corpus.snapshots()) == before

    # the translations land: the retranslation's link pass links each Arabic version to its
    # English one, and the feed carries the updates
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    from processing.core.config import Settings
    from processing.pipeline.maintenance import retranslate

    settings = Settings.from_env()
    assert _seed_translations(settings, corpus.store, translations) > 0
    mark = corpus.snapshot_id()
    manifest = retranslate(corpus, settings, outlet="sohr_ar")
    assert manifest["counts"]["translated"] > 0 and manifest["links"]["snapshot_id"]
    table = _table(corpus)
    linked_ids = set()
    for g in translations:
        ar, en = sorted((_by_url(table, u) for u in g.urls), key=lambda r: r["language"])
        assert ar["translation_status"] == "translated"
        assert ar["story_id"] == en["story_id"], g
        assert ar["story_link"] == "translation" and ar["story_link_model"] == str(tiny_model_dir)
        linked_ids.add(ar["article_id"])
    feed = [c for c in corpus.changes(since=mark) if c.kind == LINK_KIND]
    assert linked_ids <= {c.article_id for c in feed if "story_link" in c.changed_columns}

    from devkit.demo import link_counts

    counts = link_counts(list(table.values()))
    assert counts["duplicates"] >= len(same_language)
    assert counts["cross_outlet"] >= 1 and counts["cross_language"] >= len(translations)
