"""Golden files: every registry outlet has a saved mirror page whose extraction must equal the
catalog's truth (title, text, publication minute, language). Regenerate them with
``python -m tests.golden.regenerate`` after a deliberate mirror change."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from crawlers.registry import load_registry
from processing.extraction import extract
from processing.language import detect_language
from processing.pipeline.outlets import extraction_profile
from tests.golden.regenerate import GOLDEN, MIRROR_OUTLETS, render_all

REGISTRY = load_registry([MIRROR_OUTLETS])


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


@pytest.mark.parametrize("outlet_id", sorted(REGISTRY))
def test_golden_page(outlet_id: str) -> None:
    folder = GOLDEN / outlet_id
    assert (folder / "page.html").is_file() and (folder / "expected.json").is_file(), (
        f"no golden files for {outlet_id}: run python -m tests.golden.regenerate"
    )
    want = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    html = (folder / "page.html").read_bytes()
    got = extract(html, want["url"], profile=extraction_profile(REGISTRY[outlet_id]))
    assert got.title == want["title"]
    assert got.text == want["text"]
    assert got.published_at is not None
    assert _minute(got.published_at) == _minute(datetime.fromisoformat(want["published_at"]))
    lang = detect_language(f"{got.title or ''}\n{got.text}", got.declared_language)
    assert lang.language == want["language"]


def test_regenerate_reproduces_the_committed_files() -> None:
    files = render_all()
    assert {rel.split("/")[0] for rel in files} == set(REGISTRY)
    for rel, data in files.items():
        path = GOLDEN / rel
        assert path.is_file(), f"{rel} is missing: run python -m tests.golden.regenerate"
        assert path.read_bytes() == data, f"{rel} differs from the mirror's current output"
    on_disk = {
        f"{p.parent.name}/{p.name}"
        for p in GOLDEN.glob("*/*")
        if p.name in ("page.html", "expected.json")
    }
    assert on_disk == set(files), "stale golden folders: remove them"
