"""The stories the mirror's outlets share (devkit.mirror.republish): re-posts, agency copy and
translated versions, written into existing pages without moving anything else; unrelated
pages share little text, so the story linker finds the shared stories and little else."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

from devkit.mirror.catalog import build_catalog
from devkit.mirror.republish import AGENCY, REPOST, TRANSLATION
from processing.core.records import ArticleRow
from processing.stories import StoryIndex
from tests.mirror.conftest import ANCHOR


def test_every_kind_of_shared_story_is_in_a_week():
    c = build_catalog(ANCHOR)
    kinds = Counter(g.kind for g in c.shared)
    assert kinds[REPOST] >= 1 and kinds[AGENCY] >= 3 and kinds[TRANSLATION] >= 3
    for g in c.shared:
        pages = [c.find(u) for u in g.urls]
        assert all(p is not None and p.expect == "stored" for p in pages)
        assert [p.published_at for p in pages] == sorted(p.published_at for p in pages)
        if g.kind == TRANSLATION:
            assert sorted(p.language for p in pages) == ["ar", "en"]
            ar, en = sorted(pages, key=lambda p: p.language)
            for a, e in g.pairs:  # the English says the Arabic, sentence for sentence
                assert a in ar.text and e in en.text
        else:
            assert len({p.language for p in pages}) == 1
        if g.kind == AGENCY:
            assert len({p.outlet for p in pages}) == len(pages) >= 2
        if g.kind == REPOST:
            assert len({p.outlet for p in pages}) == 1


def test_sharing_moves_no_page_and_an_outlet_alone_gets_the_same_pages():
    full = build_catalog(ANCHOR)
    for outlet in ("sohr_ar", "npa_en"):
        alone = build_catalog(ANCHOR, outlets=[outlet])
        assert alone.for_outlet(outlet) == full.for_outlet(outlet)
    # a longer catalog holds the same shared pages in the days both cover
    month = build_catalog(ANCHOR, days=30)
    recent = {
        u for g in full.shared for u in g.urls if full.find(u).listed_on >= ANCHOR.replace(day=16)
    }
    assert recent and all(month.find(u) == full.find(u) for u in recent)


def test_the_linker_finds_the_shared_stories_and_little_else():
    c = build_catalog(ANCHOR)
    english = {}  # a perfect translation of the Arabic versions: their English twins' text
    for g in c.shared:
        if g.kind == TRANSLATION:
            ar, en = sorted((c.find(u) for u in g.urls), key=lambda p: p.language)
            english[ar.url] = en.text
    rows = []
    for p in c.pages:
        if p.expect != "stored":
            continue
        status = (
            "source_english"
            if p.language == "en"
            else "translated"
            if p.url in english
            else "pending"
        )
        rows.append(
            ArticleRow(
                article_id=p.url,
                outlet=p.outlet,
                url=p.url,
                canonical_url=p.url,
                text=p.text,
                language=p.language,
                published_at=p.published_at,
                translation_status=status,
                text_en=p.text if p.language == "en" else english.get(p.url),
                translation_model="oracle" if status == "translated" else None,
            )
        )
    index = StoryIndex()
    index.load([], datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    index.link(rows)
    links = {r.article_id: index.links_of(r.article_id) for r in rows}
    for g in c.shared:
        assert len({links[u].story_id for u in g.urls}) == 1, g
        if g.kind != TRANSLATION:  # the later copies name the first
            assert all(links[u].duplicate_of == g.urls[0] for u in g.urls[1:]), g
    members = defaultdict(set)
    for url, link in links.items():
        members[link.story_id].add(url)
    shared = [set(g.urls) for g in c.shared]
    stray = [m for m in members.values() if len(m) > 1 and not any(m <= s for s in shared)]
    # templated prose still makes a few pairs; not one story per outlet
    assert len(stray) <= 6 and max((len(m) for m in stray), default=0) <= 4, stray
