"""The wheel ships the library and the crawler, nothing of the development kit.

The wheel is built with pip from a clean copy of the source tree (so a stale ``build/`` in
the checkout can neither leak files into it nor hide a packaging mistake), then its file list
is checked: every module of ``processing`` and ``crawlers``, the built-in outlet registry and
``py.typed``; no simulator (``devkit/``, any ``mirror`` module, the mirror-only outlets), no
tiny model, no tests.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
IGNORED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache",
           ".ruff_cache", ".pytest_cache", ".newsloom", "out", "node_modules")  # fmt: skip


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    src = tmp_path_factory.mktemp("src") / "newsloom"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(*IGNORED))
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)]
    if importlib.util.find_spec("setuptools") and importlib.util.find_spec("wheel"):
        cmd.insert(5, "--no-build-isolation")  # offline and fast: the venv's setuptools
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (built,) = out.glob("newsloom-*.whl")
    return zipfile.ZipFile(built)


def sources(package: str, pattern: str = "*.py") -> set[str]:
    return {
        p.relative_to(REPO).as_posix()
        for p in (REPO / package).rglob(pattern)
        if "__pycache__" not in p.parts
    }


def test_wheel_ships_the_library_and_the_crawler(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert sources("processing") <= names, sorted(sources("processing") - names)
    assert sources("crawlers") <= names, sorted(sources("crawlers") - names)
    outlets = sources("crawlers", "outlets/*.yaml")
    assert len(outlets) >= 9 and outlets <= names
    assert "processing/py.typed" in names
    dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    metadata = wheel.read(f"{dist_info}/METADATA").decode()
    assert "Name: newsloom" in metadata
    assert "newsloom = processing.cli:main" in wheel.read(f"{dist_info}/entry_points.txt").decode()


def test_wheel_ships_no_simulator_or_test_fixtures(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    top = {n.split("/")[0] for n in names}
    assert top <= {"processing", "crawlers"} | {t for t in top if t.endswith(".dist-info")}, top
    for name in names:
        parts = name.split("/")
        assert parts[0] not in ("devkit", "tests", "dags", "benchmarks"), name
        assert not any(p in ("mirror", "mirror.py") for p in parts), name
        assert "tiny_model" not in name, name
        assert not name.endswith(("levant_daily.yaml", "closed_gazette.yaml")), name


# Names of development hooks that used to live in the product: the mirror route is the
# development kit's (devkit/mirror/route.py), reaching the crawler through
# NEWSLOOM_SCRAPY_SETTINGS.
DEV_HOOKS = ("MirrorMiddleware", "MIRROR_URL", "mirror_url")


def test_wheel_ships_no_development_hook(wheel: zipfile.ZipFile) -> None:
    found = {
        (name, hook)
        for name in wheel.namelist()
        if name.endswith(".py")
        for hook in DEV_HOOKS
        if hook in wheel.read(name).decode("utf-8")
    }
    assert found == set()
