"""``newsloom report`` and ``newsloom health`` as commands: output, exit codes, the hook.

The store is replaced by synthetic inputs here (the end-to-end test reads a real one)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from devkit.synthetic import synthesize
from processing.report import ReportInputs
from processing.report.health import Finding

LAST = date(2026, 11, 20)


@pytest.fixture
def inputs(monkeypatch: pytest.MonkeyPatch):
    """Point the commands at synthetic inputs; returns a setter for the faults."""
    import processing.cli.report
    import processing.report

    state: dict[str, ReportInputs] = {"inputs": synthesize(LAST - timedelta(days=59), LAST, 4)}
    monkeypatch.setattr(processing.cli.report, "open_store", lambda settings: object())
    monkeypatch.setattr(processing.report, "load_inputs", lambda store, **kw: state["inputs"])

    def use(faults: dict[str, tuple[str, int]] | None) -> None:
        state["inputs"] = synthesize(LAST - timedelta(days=59), LAST, 4, faults=faults)

    return use


def _main(*argv: str) -> int:
    from processing.cli import main

    return main(list(argv))


def test_health_healthy_exits_zero(inputs, capsys):
    assert _main("health", "--to", LAST.isoformat()) == 0
    out = capsys.readouterr().out
    assert "4 outlet(s), 0 finding(s)" in out


def test_health_prints_findings_and_exits_one(inputs, capsys):
    inputs({"sohr_en": ("no_dates", 3)})
    assert _main("health", "--to", LAST.isoformat()) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(
        "field_fill_drop" in line and "sohr_en published_at" in line and "WARNING" in line
        for line in out
    ), out
    assert out[-1].endswith("1 finding(s)")


def test_health_json(inputs, capsys):
    inputs({"sohr_en": ("no_dates", 3)})
    assert _main("health", "--to", LAST.isoformat(), "--json") == 1
    (line,) = capsys.readouterr().out.splitlines()
    f = Finding.from_dict(json.loads(line))
    assert (f.name, f.outlet, f.field) == ("field_fill_drop", "sohr_en", "published_at")


calls: list[list[Finding]] = []


def hook(findings: list[Finding]) -> None:
    calls.append(findings)


def test_health_notify_calls_the_hook(inputs, monkeypatch, capsys):
    calls.clear()
    inputs({"sohr_en": ("no_dates", 3)})
    monkeypatch.setenv("NEWSLOOM_HEALTH_HOOK", f"{__name__}:hook")
    assert _main("health", "--to", LAST.isoformat(), "--notify") == 1
    assert [[f.outlet for f in c] for c in calls] == [["sohr_en"]]


def test_report_writes_the_page_and_prints_its_path(inputs, tmp_path: Path, capsys):
    inputs({"sohr_en": ("no_dates", 3)})
    out = tmp_path / "sub" / "report.html"
    assert _main("report", "--from", "2026-11-01", "--to", LAST.isoformat(), "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert f"report written to {out.resolve()}" in printed
    assert "1 finding(s)" in printed
    page = out.read_text(encoding="utf-8")
    assert page.count('<img class="plot"') == 6
    assert "2026-11-01 .. 2026-11-20" in page


def test_bad_range_is_refused(inputs, capsys):
    assert _main("health", "--from", "2026-11-20", "--to", "2026-11-01") == 2
    assert "--to 2026-11-01 is before --from 2026-11-20" in capsys.readouterr().err
