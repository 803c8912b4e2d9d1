"""The architecture holds: imports run one way (import-linter contracts in ``make lint``), the
contracts bite, and the curated public API is fully typed (no ``Any`` leaks to callers)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_tree(dst: Path) -> Path:
    for name in ("processing", "crawlers", "devkit"):
        shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def test_the_layer_contracts_hold():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("processing/core/urls.py", "processing.pipeline.stages"),  # core importing up
        ("processing/extraction/profile.py", "crawlers.registry"),  # sibling internals
        ("crawlers/registry.py", "processing.corpus"),  # crawl importing the table
        ("processing/corpus/table.py", "devkit.mirror"),  # the product importing the kit
        ("processing/errors.py", "processing.corpus"),  # the errors' public home importing up
    ],
)
def test_a_forbidden_import_breaks_the_lint(tmp_path, module, forbidden):
    tree = _copy_tree(tmp_path)
    path = tree / module
    path.write_text(path.read_text() + f"\nimport {forbidden}  # noqa\n")
    done = _lint_imports(tree)
    assert done.returncode != 0, done.stdout[-2000:]
    assert "BROKEN" in done.stdout or "broken" in done.stdout
    assert forbidden in done.stdout


@pytest.mark.slow
def test_the_public_api_leaks_no_any(tmp_path):
    import processing

    names = [n for n in processing.__all__]
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import processing\n" + "".join(f"reveal_type(processing.{n})\n" for n in names)
    )
    done = subprocess.run(
        [
            str(BIN / "mypy"),
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(probe),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    revealed = re.findall(r'Revealed type is "(.*)"', done.stdout)
    assert len(revealed) == len(names), done.stdout[-3000:]
    leaks = [(n, t) for n, t in zip(names, revealed, strict=True) if t == "Any"]
    assert not leaks, leaks
