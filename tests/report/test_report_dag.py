"""The ``newsloom_health`` DAG: parses cleanly and light; ``dag.test()`` turns findings into a
warning (WARNING lines + the hook, ``notify`` succeeds) and a healthy corpus into a skipped
``notify``. The inputs are synthetic here; tests/report/test_report_e2e.py uses real runs."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from devkit.synthetic import synthesize
from processing.report.health import Finding

DAG_FILE = Path(__file__).resolve().parents[2] / "dags" / "newsloom_health.py"
LAST = date(2026, 11, 20)


def health_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(DAG_FILE))
    assert bag.import_errors == {}
    return bag.dags["newsloom_health"]


def states(dr) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in dr.get_task_instances()}


def test_dag_shape(airflow_db):
    from airflow.timetables.trigger import CronTriggerTimetable

    dag = health_dag()
    assert "newsloom" in dag.tags and "health" in dag.tags
    assert dag.catchup is False
    assert [t.task_id for t in dag.tasks] == ["evaluate", "notify"]
    assert isinstance(dag.timetable, CronTriggerTimetable)
    for t in dag.tasks:
        assert t.retries >= 2 and t.owner == "newsloom" and t.execution_timeout is not None


def test_as_of_is_the_day_before_the_run():
    from processing.airflow.health import as_of

    assert as_of(datetime(2026, 11, 21, 6, 0, tzinfo=UTC)) == LAST


received: list[list[Finding]] = []


def hook(findings: list[Finding]) -> None:
    received.append(findings)


@pytest.fixture
def synthetic(monkeypatch: pytest.MonkeyPatch):
    import processing.airflow.health
    import processing.report

    state = {"faults": None}
    monkeypatch.setattr(processing.airflow.health, "open_store", lambda: object())
    monkeypatch.setattr(
        processing.report,
        "load_inputs",
        lambda store, **kw: synthesize(LAST - timedelta(days=59), LAST, 4, faults=state["faults"]),
    )
    monkeypatch.setenv("NEWSLOOM_HEALTH_HOOK", f"{__name__}:hook")
    received.clear()
    return state


RUN_AT = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # judges LAST


@pytest.mark.slow
def test_findings_become_a_warning(airflow_db, synthetic, caplog):
    synthetic["faults"] = {"sohr_en": ("no_dates", 3)}
    caplog.set_level(logging.WARNING)
    dr = health_dag().test(logical_date=RUN_AT)
    assert states(dr) == {"evaluate": "success", "notify": "success"}
    assert [[(f.name, f.outlet, f.field) for f in c] for c in received] == [
        [("field_fill_drop", "sohr_en", "published_at")]
    ]


@pytest.mark.slow
def test_healthy_corpus_skips_notify(airflow_db, synthetic):
    dr = health_dag().test(logical_date=RUN_AT + timedelta(days=1))
    assert states(dr) == {"evaluate": "success", "notify": "skipped"}
    assert received == []


def test_warn_logs_each_finding_as_a_warning_and_calls_the_hook(monkeypatch, caplog):
    from processing.airflow import health

    received.clear()
    f = Finding("volume_drop", "politico", None, "critical", "0 article(s) on 2026-11-20")
    monkeypatch.setenv("NEWSLOOM_HEALTH_HOOK", f"{__name__}:hook")
    caplog.set_level(logging.INFO)
    out = health.warn({"findings": [f.to_dict()], "last": "2026-11-20"})
    assert out == {"findings": 1, "hook": f"{__name__}:hook", "last": "2026-11-20"}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [f.line()]
    assert received == [[f]]


def test_warn_without_a_hook_says_how_to_set_one(monkeypatch, caplog):
    from processing.airflow import health

    monkeypatch.delenv("NEWSLOOM_HEALTH_HOOK", raising=False)
    f = Finding("volume_drop", "politico", None, "warning", "m")
    caplog.set_level(logging.WARNING)
    assert health.warn({"findings": [f.to_dict()]})["hook"] is None
    assert "NEWSLOOM_HEALTH_HOOK" in caplog.records[-1].getMessage()


def test_failing_hook_fails_the_task(monkeypatch):
    from processing.airflow import health

    monkeypatch.setenv("NEWSLOOM_HEALTH_HOOK", f"{__name__}:broken")
    f = Finding("volume_drop", "politico", None, "warning", "m")
    with pytest.raises(RuntimeError, match="Slack is down"):
        health.warn({"findings": [f.to_dict()]})


def broken(findings: list[Finding]) -> None:
    raise RuntimeError("Slack is down")
