"""The reliability table (docs/RELIABILITY.md) is produced by the test suite.

A test that tries a fault or a hostile input calls :func:`record` with what it expected and
what it observed, then asserts on them itself. At the end of the session the rows are written
to ``$NEWSLOOM_RELIABILITY_OUT`` (default ``.newsloom/reliability.jsonl``);
``make reliability`` runs the marked tests and renders docs/RELIABILITY.md from them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    area: str  # crawl | extract | storage | operations | airflow
    case: str
    expected: str
    observed: str
    rows_lost: int = 0
    duplicates: int = 0
    test: str = ""


ROWS: list[Case] = []


def record(
    area: str,
    case: str,
    expected: str,
    observed: str,
    rows_lost: int = 0,
    duplicates: int = 0,
) -> Case:
    """Add one row to the table (the calling test still asserts on it)."""
    # "tests/x.py::name[param id] (call)": the test's name (the case column says the rest;
    # a param id may hold spaces)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split("[")[0].split(" (")[0]
    row = Case(area, case, expected, observed, rows_lost, duplicates, test)
    ROWS.append(row)
    return row


def write(path: Path | None = None) -> Path | None:
    if not ROWS:
        return None
    path = path or Path(
        os.environ.get("NEWSLOOM_RELIABILITY_OUT", ROOT / ".newsloom/reliability.jsonl")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for row in ROWS:
            fh.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
    return path


def render(rows: list[dict[str, object]]) -> str:
    """docs/RELIABILITY.md from recorded rows (latest row per case wins)."""
    latest: dict[tuple[str, str], dict[str, object]] = {}
    for r in rows:
        latest[(str(r["area"]), str(r["case"]))] = r
    lines = [
        "# Reliability: faults and hostile inputs, as the test suite observed them",
        "",
        "Produced by `make reliability` (the tests marked `reliability` record each case they",
        "try; this file is rendered from what they observed). Every row is also an assertion in",
        "its test: the expected status must be the observed one, with no row lost and no",
        "duplicate.",
        "",
        "| area | case | expected | observed | rows lost | duplicates | test |",
        "|---|---|---|---|---|---|---|",
    ]
    for (area, case), r in sorted(latest.items()):
        lines.append(
            f"| {area} | {case} | {r['expected']} | {r['observed']} | {r['rows_lost']} | "
            f"{r['duplicates']} | `{str(r['test']).split('::')[-1]}` |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    src = Path(os.environ.get("NEWSLOOM_RELIABILITY_OUT", ROOT / ".newsloom/reliability.jsonl"))
    rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line]
    (ROOT / "docs" / "RELIABILITY.md").write_text(render(rows), encoding="utf-8")
    print(f"docs/RELIABILITY.md: {len({(r['area'], r['case']) for r in rows})} case(s)")


if __name__ == "__main__":
    main()
