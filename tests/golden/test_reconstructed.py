"""Per-outlet evidence: every outlet of the registry has a golden page. Real pages of the seed
outlets are in ``tests/golden/<outlet>/`` (tests/test_golden.py); for the outlets of which
no real page is beside the project, ``tests/golden/reconstructed/pages/<outlet>.html`` is a page
reconstructed by hand from ../shared/OUTLETS.md, and ``<outlet>.json`` holds what it says -
title, day, authors, agencies credited, section, tags and every paragraph - written by hand,
not rendered by the extractor. Extraction runs as the pipeline runs it (the outlet's
profile)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.registry import get_outlet, load_registry
from processing.extraction import extract
from processing.language import detect_language
from processing.pipeline.outlets import extraction_profile

GOLDEN = Path(__file__).resolve().parent
RECONSTRUCTED = sorted((GOLDEN / "reconstructed" / "pages").glob("*.json"))


def test_every_outlet_has_a_golden_page():
    real = {p.parent.name for p in GOLDEN.glob("*/*.json") if p.parent.name != "reconstructed"}
    built = {json.loads(p.read_text(encoding="utf-8"))["outlet"] for p in RECONSTRUCTED}
    assert set(load_registry()) <= real | built
    assert not real & built  # a reconstruction only where no real page exists


@pytest.mark.parametrize("path", RECONSTRUCTED, ids=lambda p: p.stem)
def test_reconstructed_golden_page(path: Path) -> None:
    golden = json.loads(path.read_text(encoding="utf-8"))
    html = path.with_suffix(".html").read_bytes()
    profile = extraction_profile(get_outlet(golden["outlet"]))
    got = extract(html, golden["url"], profile=profile)
    assert got.title == golden["title"]
    day = got.published_local_date.isoformat() if got.published_local_date else None
    assert day == golden["published_day"]
    assert got.authors == golden["authors"]
    assert got.sources == golden["sources"]
    assert got.section == golden["section"]
    assert got.tags == golden["tags"]
    assert [line for line in got.text.split("\n") if line.strip()] == golden["paragraphs"]
    lang = detect_language(f"{got.title}\n{got.text}", got.declared_language)
    assert lang.language == golden["language"]
