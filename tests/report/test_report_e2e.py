"""End to end: a mirror outlet changes its layout (its pages lose every date signal for the
last 3 days); real crawl runs over the days store it in a real SeaweedFS + Iceberg corpus;
``newsloom health`` names the outlet and the field; the daily health DAG turns the finding
into a warning (WARNING lines + the deployment's hook); ``newsloom report`` shows it."""

from __future__ import annotations

import inspect
import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from processing.report.health import Finding
from tests.conftest import ANCHOR, route_to_mirror

DAYS = 14  # the mirror serves two weeks: a baseline before the change
FAULT_DAYS = 3
VOLUME = 3.0  # three times the outlet's usual articles: enough on each of the changed days
OUTLET = "sohr_en"

received: list[list[Finding]] = []


def hook(findings: list[Finding]) -> None:
    """The deployment's hook in this test (``NEWSLOOM_HEALTH_HOOK``)."""
    received.append(findings)


@pytest.fixture
def faulty_mirror(env, monkeypatch: pytest.MonkeyPatch):
    import devkit.mirror
    from devkit.mirror.server import MirrorServer

    if "faults" not in inspect.signature(MirrorServer).parameters:
        pytest.skip("the mirror has no fault switch (MirrorServer(faults=...)) yet")
    server = MirrorServer(
        anchor=ANCHOR, days=DAYS, volume=VOLUME, faults={"no_dates": (OUTLET, FAULT_DAYS)}
    )
    with server:
        route_to_mirror(monkeypatch, server.url)
        monkeypatch.setenv(
            "NEWSLOOM_OUTLETS_DIR", str(Path(devkit.mirror.__file__).parent / "outlets")
        )
        yield server


@pytest.mark.slow
@pytest.mark.integration
def test_layout_change_is_found_named_and_warned(
    faulty_mirror, airflow_db, monkeypatch, tmp_path, capsys
):
    from airflow.dag_processing.dagbag import DagBag

    from processing.cli import main
    from processing.core.config import Settings
    from processing.corpus import open_corpus
    from processing.pipeline.runner import backfill

    settings = Settings.from_env()
    corpus = open_corpus(settings=settings, write=True)
    first = ANCHOR - timedelta(days=DAYS - 1)
    done = backfill(OUTLET, first, ANCHOR, settings, corpus)
    assert len(done.chunks) >= 2, "runs over the days"
    undated = {p.url for p in faulty_mirror.catalog.undated(OUTLET)}
    assert undated, "the mirror served no undated page"
    rows = corpus.read(["canonical_url", "published_at_source"], outlet=OUTLET).to_pylist()
    sources = {r["canonical_url"]: r["published_at_source"] for r in rows}
    assert sources, "nothing stored"

    # newsloom health names the outlet and the field, and exits 1
    capsys.readouterr()
    assert main(["health", "--to", ANCHOR.isoformat()]) == 1
    printed = capsys.readouterr().out
    lines = [ln for ln in printed.splitlines() if "field_fill_drop" in ln]
    assert any(f"{OUTLET} published_at" in ln for ln in lines), (printed, sources)

    # the daily health DAG turns it into a warning and calls the hook
    received.clear()
    monkeypatch.setenv("NEWSLOOM_HEALTH_HOOK", f"{__name__}:hook")
    dag = DagBag(str(Path(__file__).resolve().parents[2] / "dags" / "newsloom_health.py")).dags[
        "newsloom_health"
    ]
    # not 06:00: test_report_dag.py already has a run of that logical date in this database
    run_at = datetime.combine(ANCHOR + timedelta(days=1), time(6, 30), UTC)
    dr = dag.test(logical_date=run_at)
    states = {ti.task_id: str(ti.state) for ti in dr.get_task_instances()}
    assert states == {"evaluate": "success", "notify": "success"}, states
    assert len(received) == 1
    named = [(f.name, f.outlet, f.field) for f in received[0]]
    assert ("field_fill_drop", OUTLET, "published_at") in named, named

    # and the report shows it
    out = tmp_path / "report.html"
    assert main(["report", "--to", ANCHOR.isoformat(), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "field_fill_drop" in page and OUTLET in page
    keep = os.environ.get("REPORT_ARTIFACTS_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "e2e-report.html").write_text(page, encoding="utf-8")
        (Path(keep) / "e2e-health.txt").write_text(printed, encoding="utf-8")
