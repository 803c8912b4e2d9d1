"""The README's exit-code table lists every code `newsloom` can return, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from processing.cli.exitcodes import Exit

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_table_matches_the_enum() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = [int(m) for m in re.findall(r"^\| (\d+) \|", section, flags=re.M)]
    assert documented == sorted(int(code) for code in Exit)
