"""Dated layouts: a backfill across an outlet's template change extracts both eras, each with
its own selectors - through the real crawl path (newsloom's backfill, Scrapy, the devkit
mirror, the table) - and the choice between eras on single pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawlers.registry import get_outlet
from processing.core.config import Settings
from processing.core.warc import RawRef, read_record
from processing.corpus import open_corpus
from processing.extraction import extract
from processing.extraction.profile import ExtractionProfile, Layout
from processing.pipeline.outlets import extraction_profile
from processing.pipeline.runner import backfill
from tests.conftest import route_to_mirror, rows_of

SWITCH_ANCHOR = date(2021, 1, 3)  # the mirror serves 2020-12-28 .. 2021-01-03 (Moscow days)
OLD, NEW = "..2020-12-31", "2021-01-01.."


@pytest.fixture
def era_mirror():
    from devkit.mirror.server import MirrorServer

    with MirrorServer(anchor=SWITCH_ANCHOR, outlets=["sputnik_ar"]) as server:
        yield server


def test_a_backfill_across_a_layout_change_extracts_both_eras(env, era_mirror, monkeypatch):
    route_to_mirror(monkeypatch, era_mirror.url)
    settings = Settings.from_env()
    corpus = open_corpus(settings=settings, write=True)
    first, last = date(2020, 12, 29), date(2021, 1, 2)
    backfill("sputnik_ar", first, last, settings, corpus)

    catalog = era_mirror.catalog
    wanted = {p.url for p in catalog.stored_between("sputnik_ar", first, last)}
    pages = {p.url: p for p in catalog.for_outlet("sputnik_ar", "stored")}
    rows = rows_of(corpus, "sputnik_ar")
    assert wanted <= {r["canonical_url"] for r in rows}
    served = {url: catalog.extra(p)["layout"] for url, p in pages.items()}
    assert "old" in served.values() and "current" in served.values()

    profile = extraction_profile(get_outlet("sputnik_ar"))
    eras = set()
    for row in rows:
        page = pages[row["canonical_url"]]
        # the text as published, in both templates (the old one's zero-width spaces gone)
        assert row["text"].split("\n") == list(page.paragraphs), page.url
        assert row["title"] == page.title
        # the stored page, extracted again as the pipeline did: the era whose selectors read it
        ref = RawRef.parse(row["raw_ref"])
        body = read_record(corpus.store.get_range(ref.key, ref.offset, ref.length)).body
        again = extract(body, page.url, profile=profile, reference_time=row["fetched_at"])
        era = OLD if served[page.url] == "old" else NEW
        assert again.layout == era, (page.url, page.published_at)
        if page.published_at.astimezone(UTC).date() < date(2020, 12, 31):
            assert again.layout == OLD  # chosen by its date, before the switch
        eras.add(again.layout)
    assert eras == {OLD, NEW}


PAGE = """<html><body><h1 class="{title_class}">A headline for the layout test</h1>
<div class="{body_class}"><p>{para}</p><p>{para} Second.</p></div>
<div class="other"><p>Furniture text that the old template keeps in its body block.</p></div>
</body></html>"""
PARA = "The council met on Tuesday and voted on the new budget for the town after a debate."
ERAS = ExtractionProfile(
    layouts=(
        Layout(until=date(2020, 12, 31), title="h1.old-title", body="div.old-body"),
        Layout(since=date(2021, 1, 1), title="h1.new-title", body="div.new-body"),
    ),
    layout_date="fetched",
)


def test_layouts_chosen_by_fetch_date_or_by_what_the_page_holds():
    old_page = PAGE.format(title_class="old-title", body_class="old-body", para=PARA)
    new_page = PAGE.format(title_class="new-title", body_class="new-body", para=PARA)
    fetched_2020 = datetime(2020, 6, 1, tzinfo=UTC)
    fetched_2022 = datetime(2022, 6, 1, tzinfo=UTC)
    assert (
        extract(old_page, "https://x.example/a", profile=ERAS, reference_time=fetched_2020).layout
        == OLD
    )
    assert (
        extract(new_page, "https://x.example/a", profile=ERAS, reference_time=fetched_2022).layout
        == NEW
    )
    # a page served in the other template than its date says: the era whose body it holds
    got = extract(old_page, "https://x.example/a", profile=ERAS, reference_time=fetched_2022)
    assert got.layout == OLD
    assert got.text.split("\n") == [PARA, f"{PARA} Second."]


def test_layouts_must_be_in_order_and_must_not_overlap():
    from pydantic import ValidationError

    from crawlers.registry import Outlet

    base = get_outlet("sputnik_en").model_dump()
    base["layouts"] = [{"since": "2021-01-01"}, {"until": "2020-12-31"}]
    with pytest.raises(ValidationError, match="oldest first"):
        Outlet.model_validate(base)
    base["layouts"] = [{"until": "2021-06-30"}, {"since": "2021-06-01"}]
    with pytest.raises(ValidationError, match="overlap"):
        Outlet.model_validate(base)
    base["layouts"] = [{"title": "h1"}]
    with pytest.raises(ValidationError, match="since, until"):
        Outlet.model_validate(base)
