"""Golden files on REAL pages of the seed outlets (fundus-style): one test parametrised over
``tests/golden/<outlet>/<name>.json``. The pages are read from the shared data beside the
project (skipped when absent); the expected values were written by
``python -m tests.golden.regenerate`` from the data sets' ground truth and reviewed against the
pages (each file's ``review`` says what was checked).

Per page and per mode (without the outlet profile, and with it as the pipeline applies it):
title, publication day as the page writes it, authors, first and last paragraph, and the
body against the reference (word 4-gram shingle F1) or the reviewed paragraph count."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks.metrics import page_precision_recall, shingle_counts
from crawlers.registry import get_outlet, load_registry
from processing.extraction import extract
from processing.language import detect_language
from processing.pipeline.outlets import extraction_profile
from tests.conftest import shared_data
from tests.golden.regenerate import reference_text

GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = sorted(GOLDEN.glob("*/*.json"))


def _page(golden: dict) -> bytes:
    page = golden["page"]
    if page["dataset"] == "naeb":
        path = shared_data("naeb", "html", f"{page['key']}.html.gz")
    else:
        path = shared_data(page["dataset"], page["key"])
    return gzip.decompress(path.read_bytes())


def test_there_are_goldens_for_the_seed_outlets_with_real_pages():
    outlets = {path.parent.name for path in FILES}
    assert {"politico", "sputnik_en", "sputnik_ar"} <= outlets
    assert outlets <= set(load_registry())
    for path in FILES:
        golden = json.loads(path.read_text(encoding="utf-8"))
        assert golden["outlet"] == path.parent.name
        assert golden["review"], f"{path.name} was not reviewed"
        assert golden["reference"] or golden["paragraphs"], path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.parametrize("mode", ["generic", "profile"])
def test_golden_page(path: Path, mode: str) -> None:
    golden = json.loads(path.read_text(encoding="utf-8"))
    if mode not in golden["modes"]:
        pytest.skip(f"the page does not allow the {mode} path")
    html = _page(golden)
    profile = extraction_profile(get_outlet(golden["outlet"])) if mode == "profile" else None
    got = extract(html, golden["url"], profile=profile)

    assert got.title == golden["title"]
    assert got.published_at is not None
    assert got.published_local_date is not None
    assert got.published_local_date.isoformat() == golden["published_day"]
    # the byline: the people, or the agency when the page names no person (with the outlet's
    # profile its own agency is a source, not an author)
    assert (got.authors or got.sources) == golden["authors"]
    paragraphs = [line for line in got.text.split("\n") if line.strip()]
    assert paragraphs[0] == golden["first_paragraph"]
    assert paragraphs[-1] == golden["last_paragraph"]
    reference = reference_text(golden)
    if reference is not None:
        precision, recall = page_precision_recall(*shingle_counts(reference, got.text))
        assert precision is not None and recall is not None
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        assert f1 >= golden["min_body_f1"], (precision, recall)
    else:
        assert len(paragraphs) == golden["paragraphs"]
    lang = detect_language(f"{got.title}\n{got.text}", got.declared_language)
    assert lang.language == golden["language"]
