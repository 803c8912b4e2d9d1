"""The report page: self-contained, every plot a real non-empty image, findings and last runs
shown; an empty corpus still renders."""

from __future__ import annotations

import base64
import io
import re
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image

from devkit.synthetic import synthesize
from processing.report import ReportInputs, render_inputs
from processing.report.loader import WANTED_COLUMNS, reduce_articles

LAST = date(2026, 11, 20)
PLOT_IDS = ["volume", "fill", "page-dates", "languages", "translation", "body"]


@pytest.fixture(scope="module")
def page() -> str:
    inputs = synthesize(LAST - timedelta(days=59), LAST, 6, faults={"sohr_en": ("no_dates", 3)})
    html, _ = render_inputs(inputs, LAST - timedelta(days=29), LAST)
    return html


def _images(html: str) -> dict[str, Image.Image]:
    found = re.findall(
        r'<img class="plot" id="plot-([\w-]+)"[^>]*src="data:image/png;base64,([^"]+)"', html
    )
    return {
        pid: Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB") for pid, data in found
    }


def ink(image: Image.Image) -> tuple[float, int]:
    """Share of non-white pixels and number of distinct colours."""
    px = np.asarray(image.convert("RGB"), dtype=np.int16)
    non_white = (np.abs(px - 255).sum(axis=2) > 30).mean()
    colours = len(np.unique(px.reshape(-1, 3) // 8, axis=0))
    return float(non_white), colours


def test_every_plot_is_an_embedded_non_empty_png(page):
    images = _images(page)
    assert list(images) == PLOT_IDS
    for pid, image in images.items():
        assert image.width >= 1000 and image.height >= 150, pid
        share, colours = ink(image)
        assert share > 0.03, f"{pid}: {share:.1%} of pixels drawn"
        assert colours >= 12, f"{pid}: {colours} colours"


def test_page_is_self_contained(page):
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_findings_and_last_runs_are_on_the_page(page):
    assert "field_fill_drop" in page and "sohr_en" in page and "published_at" in page
    assert "Last run of each outlet" in page
    assert "sohr_en.daily.2026-11-20" in page


def test_empty_corpus_renders():
    empty = ReportInputs(pa.table({c: pa.array([], pa.string()) for c in ("outlet",)}), [])
    html, findings = render_inputs(empty, LAST - timedelta(days=6), LAST)
    assert findings == []
    assert len(_images(html)) == len(PLOT_IDS)
    assert "No findings" in html


def test_loader_reduces_text_to_its_length():
    t = pa.table({"outlet": ["a", "b"], "text": ["مرحبا بالعالم", None]})
    reduced = reduce_articles(t)
    assert reduced.column_names == ["outlet", "body_chars"]
    assert reduced.column("body_chars").to_pylist() == [13, 0]
    assert "text" in WANTED_COLUMNS and "ingested_at" in WANTED_COLUMNS
