"""The report as a person sees it: headless Chromium opens the file (no network), takes a
screenshot, and every plot's area on the screen must hold a drawn, non-empty picture.

Needs Debian's ``chromium`` (``.ci/run`` installs it when missing); skipped with a message
where it is absent. ``REPORT_ARTIFACTS_DIR`` keeps the page and the screenshot for a human.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from devkit.synthetic import synthesize
from processing.report import render_inputs
from tests.report.test_report_render import PLOT_IDS, ink

CHROMIUM = Path("/usr/bin/chromium")
LAST = date(2026, 11, 20)
WIDTH = 1400


def _chromium(user_data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={user_data}",
    ]
    return subprocess.run(
        [str(CHROMIUM), *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is absent: install Debian's chromium (`apt-get install -y chromium`; "
            ".ci/run does it) to run the report screenshot test"
        )
    return CHROMIUM


def test_report_screenshot_shows_every_plot(chromium, tmp_path):
    inputs = synthesize(
        LAST - timedelta(days=59),
        LAST,
        8,
        faults={"sohr_en": ("no_dates", 3), "politico": ("volume", 1)},
    )
    page, findings = render_inputs(inputs, LAST - timedelta(days=29), LAST)
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")

    # 1. where the plots are, as laid out by the browser (the page records it on load)
    dom = _chromium(
        tmp_path / "profile-dom",
        "--virtual-time-budget=5000",
        f"--window-size={WIDTH},4000",
        "--dump-dom",
        report.as_uri(),
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    m = re.search(r'<pre id="plot-geometry" hidden="">(.*?)</pre>', dom.stdout, re.S)
    assert m, "the page did not record its plots' geometry (did the page's script run?)"
    geometry = {g["id"]: g for g in json.loads(htmllib.unescape(m.group(1)))}
    assert list(geometry) == [f"plot-{p}" for p in PLOT_IDS]
    for pid, g in geometry.items():
        assert g["natural_w"] > 0 and g["natural_h"] > 0, f"{pid} did not decode"
        assert g["w"] >= 900 and g["h"] >= 120, f"{pid} shown at {g['w']}x{g['h']}"
    height = int(max(g["y"] + g["h"] for g in geometry.values())) + 40

    # 2. the screenshot, tall enough for the whole page
    shot = tmp_path / "report.png"
    run = _chromium(
        tmp_path / "profile-shot",
        f"--window-size={WIDTH},{height}",
        f"--screenshot={shot}",
        report.as_uri(),
    )
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (WIDTH, height)
    keep = os.environ.get("REPORT_ARTIFACTS_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "report.png")
        shutil.copy(report, Path(keep) / "report.html")

    # 3. each plot's area on screen is drawn: ink, colours, and not a flat box
    for pid, g in geometry.items():
        box = (int(g["x"]), int(g["y"]), int(g["x"] + g["w"]), int(g["y"] + g["h"]))
        crop = image.crop(box)
        share, colours = ink(crop)
        assert share > 0.03, f"{pid}: only {share:.1%} of its area is drawn"
        assert colours >= 12, f"{pid}: {colours} colours on screen"
        rows = np.asarray(crop.convert("L"), dtype=float)
        assert rows.std() > 10, f"{pid}: a flat area"
    # the volume plot shows the stored articles' green over most days
    vg = geometry["plot-volume"]
    volume = np.asarray(
        image.crop((int(vg["x"]), int(vg["y"]), int(vg["x"] + vg["w"]), int(vg["y"] + vg["h"])))
    ).astype(int)
    green = (
        (np.abs(volume[..., 0] - 0x2E) < 20)
        & (np.abs(volume[..., 1] - 0x7D) < 20)
        & (np.abs(volume[..., 2] - 0x32) < 20)
    )
    assert green.mean() > 0.05, f"stored-articles green covers {green.mean():.1%}"
    # and the findings table the page opens with is on screen, above the plots
    assert any(f.name == "field_fill_drop" and f.outlet == "sohr_en" for f in findings)
    top = np.asarray(image.crop((0, 0, WIDTH, int(vg["y"]))).convert("L"))
    assert (top < 128).mean() > 0.005, "no text above the plots"
