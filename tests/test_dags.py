"""Airflow: DagBag integrity, light DAG files, and real ``dag.test()`` runs against the
mirror and SeaweedFS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import ANCHOR

DAGS = Path(__file__).resolve().parents[1] / "dags"
HEAVY = (
    "torch",
    "transformers",
    "scrapy",
    "trafilatura",
    "ctranslate2",
    "langdetect",
    "pyarrow",
    "boto3",
    "twisted",
)


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """A migrated SQLite metadata database in the session's AIRFLOW_HOME."""
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        check=True,
        capture_output=True,
        env=dict(os.environ),
    )


@pytest.fixture(scope="module")
def dagbag(airflow_db: None):
    from airflow.dag_processing.dagbag import DagBag

    return (
        DagBag(str(DAGS), include_examples=False)
        if "include_examples" in DagBag.__init__.__code__.co_varnames
        else DagBag(str(DAGS))
    )


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    ids = set(dagbag.dag_ids)
    assert {
        "newsloom_daily_sohr_ar",
        "newsloom_daily_sohr_en",
        "newsloom_backfill_sohr_ar",
        "newsloom_backfill_sohr_en",
        "newsloom_retranslate",
        "newsloom_reprocess",
        "newsloom_maintenance",
    } <= ids


def test_dag_integrity(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert "newsloom" in dag.tags, dag_id
        assert dag.catchup is False, dag_id
        if not dag.timetable.can_be_scheduled:  # triggered only: a paused one would never run
            assert dag.is_paused_upon_creation is False, dag_id
        for t in dag.tasks:
            assert t.retries >= 2, f"{dag_id}.{t.task_id} retries {t.retries}"
            assert t.owner == "newsloom", f"{dag_id}.{t.task_id}"
            assert t.execution_timeout is not None, f"{dag_id}.{t.task_id}"
            assert t.retry_exponential_backoff, f"{dag_id}.{t.task_id}"


def test_daily_dag_shape(dagbag):
    dag = dagbag.dags["newsloom_daily_sohr_ar"]
    order = (
        [t.task_id for t in dag.topological_sort()]
        if hasattr(dag, "topological_sort")
        else [t.task_id for t in dag.tasks]
    )
    assert order == ["crawl", "extract", "translate", "publish", "validate"]
    assert dag.get_task("crawl").pool == "newsloom_sohr_ar"
    assert dag.get_task("translate").pool == "newsloom_translation"
    assert [a.name for a in dag.get_task("publish").outlets] == ["newsloom-articles"]


def test_one_date_rule_and_future_days_refused(dagbag):
    """A run collects the UTC day of its logical date (scheduled and manual alike); a manual
    trigger for a future day is refused when it is made."""
    from processing.airflow.tasks import run_day
    from processing.airflow.timetables import FutureDayRefused

    dag = dagbag.dags["newsloom_daily_sohr_ar"]
    interval = dag.timetable.infer_manual_data_interval(
        run_after=datetime(2026, 11, 20, 4, 15, tzinfo=UTC)
    )
    assert (interval.start, interval.end) == (
        datetime(2026, 11, 20, tzinfo=UTC),
        datetime(2026, 11, 21, tzinfo=UTC),
    )
    assert run_day(datetime(2026, 11, 20, 4, 15, tzinfo=UTC)) == datetime(2026, 11, 20).date()
    # a scheduled run: its logical date is its data interval's start, the day it collects
    info = dag.timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=_restriction(dag),
    )
    assert info is not None and run_day(info.logical_date) == info.data_interval.start.date()
    # no logical date: the last complete day before the trigger
    assert run_day(None, datetime(2026, 11, 20, 1, 0, tzinfo=UTC)) == datetime(2026, 11, 19).date()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(FutureDayRefused, match="future"):
        dag.timetable.infer_manual_data_interval(run_after=tomorrow)


def _restriction(dag):
    from airflow.timetables.base import TimeRestriction

    return TimeRestriction(earliest=datetime(2026, 11, 1, tzinfo=UTC), latest=None, catchup=True)


def test_backfill_dags_crawl_in_the_outlets_pool(dagbag):
    dag = dagbag.dags["newsloom_backfill_sohr_en"]
    assert dag.get_task("crawl").pool == "newsloom_sohr_en"
    assert dag.get_task("translate").pool == "newsloom_translation"
    assert (
        dagbag.dags["newsloom_retranslate"].get_task("retranslate").pool == "newsloom_translation"
    )


@pytest.mark.parametrize("path", sorted(DAGS.glob("*.py")), ids=lambda p: p.name)
def test_dag_file_parses_without_heavy_imports(path: Path):
    """Parse each DAG file in a fresh interpreter (Airflow already imported, as in the
    dag-processor) and report which heavy modules it pulled in. What keeps a parse fast is
    what it imports: the check is on the modules, not on a wall-clock time (a loaded machine
    would make that flaky)."""
    code = f"""
import json, sys
import airflow.sdk  # the dag-processor has Airflow loaded already
from airflow.dag_processing.dagbag import DagBag
before = set(sys.modules)
bag = DagBag({str(path)!r})
new = sorted(m.split('.')[0] for m in set(sys.modules) - before)
errors = {{k: str(v) for k, v in bag.import_errors.items()}}
print(json.dumps({{"errors": errors, "modules": sorted(set(new)), "dags": len(bag.dags)}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["errors"] == {}
    # the outlet registry check defines no DAG: it only raises for broken outlet files
    assert report["dags"] >= (0 if path.name == "newsloom_outlet_registry.py" else 1)
    heavy = [m for m in report["modules"] if m in HEAVY]
    assert heavy == [], f"{path.name} imports {heavy} at parse time"


# ---- end to end with dag.test() ---------------------------------------------------------
def _create_pools() -> None:
    from airflow.models.pool import Pool

    from processing.airflow import TRANSLATION_POOL, outlet_pool, registry

    for o in registry():
        Pool.create_or_update_pool(
            outlet_pool(o.id), slots=1, description=o.name, include_deferred=False
        )
    Pool.create_or_update_pool(
        TRANSLATION_POOL, slots=1, description="translation", include_deferred=False
    )


def _states(dr) -> dict[str, str]:
    return {
        ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else ""): str(ti.state)
        for ti in dr.get_task_instances()
    }


def _fresh_dag(dag_id: str):
    """Parse the DAG files again, so the registry reflects this test's environment."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(DAGS))
    assert bag.import_errors == {}
    return bag.dags[dag_id]


def _article_ids(corpus, outlet):
    return corpus.read(["article_id"], outlet=outlet).column(0).to_pylist()


def _asset_events() -> list[dict]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        asset = (
            session.query(AssetModel)
            .filter(AssetModel.uri == "iceberg://newsloom/articles")
            .one_or_none()
        )
        if asset is None:
            return []
        return [
            dict(e.extra or {})
            for e in session.query(AssetEvent).filter(AssetEvent.asset_id == asset.id).all()
        ]


@pytest.mark.slow
@pytest.mark.integration
def test_daily_then_overlapping_backfill_no_duplicates(
    mirror_env, corpus, tiny_model_dir, monkeypatch, airflow_db, mirror
):
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    _create_pools()
    events_before = len(_asset_events())

    logical = datetime.combine(ANCHOR, datetime.min.time(), UTC)
    daily = _fresh_dag("newsloom_daily_sohr_en")
    dr = daily.test(logical_date=logical)
    states = _states(dr)
    assert states == {
        t: "success" for t in ("crawl", "extract", "translate", "publish", "validate")
    }, states
    after_daily = _article_ids(corpus, "sohr_en")
    assert after_daily, "the daily run stored nothing"
    events = _asset_events()[events_before:]
    assert len(events) == 1 and events[0]["new"] == len(after_daily) and events[0]["snapshot_id"]

    backfill = _fresh_dag("newsloom_backfill_sohr_en")
    first, last = ANCHOR - timedelta(days=2), ANCHOR
    dr = backfill.test(
        run_conf={"from": first.isoformat(), "to": last.isoformat(), "chunk_days": 2}
    )
    states = _states(dr)
    assert states and all(s == "success" for s in states.values()), states
    assert sum(1 for t in states if t.startswith("crawl[")) == 2  # two chunks
    ids = _article_ids(corpus, "sohr_en")
    assert len(ids) == len(set(ids)), "duplicate article_id after daily + backfill"
    assert set(after_daily) <= set(ids)
    expected = mirror.catalog.stored_between("sohr_en", first, last)
    in_range = [
        r
        for r in corpus.read(["published_at"], outlet="sohr_en").to_pylist()
        if first <= r["published_at"].date() <= last
    ]
    assert len(in_range) == len(expected)

    # the same day again: nothing changes, so no Asset event
    n_events = len(_asset_events())
    dr = _fresh_dag("newsloom_daily_sohr_en").test(logical_date=logical)
    assert set(_states(dr).values()) == {"success"}
    assert len(_asset_events()) == n_events
    assert sorted(_article_ids(corpus, "sohr_en")) == sorted(ids)


@pytest.mark.slow
@pytest.mark.integration
def test_retried_stages_do_not_duplicate(mirror_env, corpus, airflow_db):
    """The chain run again by hand (what retried tasks do), then publish once more: same rows."""
    from processing.airflow import tasks

    _create_pools()
    logical = datetime.combine(ANCHOR, datetime.min.time(), UTC)
    dr = _fresh_dag("newsloom_daily_sohr_ar").test(logical_date=logical)
    assert set(_states(dr).values()) == {"success"}
    before = sorted(_article_ids(corpus, "sohr_ar"))
    spec = tasks.daily_spec("sohr_ar", logical, None)
    assert spec["run_id"].startswith(f"sohr_ar.daily.{ANCHOR.isoformat()}.")
    for stage in (tasks.crawl, tasks.extract, tasks.translate):
        stage(spec)
    from processing.core.runspec import RunSpec
    from processing.pipeline import stages

    settings = mirror_env
    stages.publish_stage(RunSpec.from_dict(spec), settings, corpus)
    stages.publish_stage(RunSpec.from_dict(spec), settings, corpus)  # a retried publish
    assert sorted(_article_ids(corpus, "sohr_ar")) == before
    tasks.validate(spec)


@pytest.mark.slow
@pytest.mark.integration
def test_retranslate_dag_skips_without_a_model_then_fills_pending_rows(
    mirror_env, corpus, tiny_model_dir, airflow_db, monkeypatch
):
    from processing.core.runspec import RunSpec
    from processing.pipeline.runner import run_pipeline

    _create_pools()
    # two days: the mirror does not file a sohr_ar article on every day
    run_pipeline(
        RunSpec.backfill("sohr_ar", ANCHOR - timedelta(days=1), ANCHOR), mirror_env, corpus
    )
    before = corpus.read(outlet="sohr_ar").to_pylist()
    assert before and {r["translation_status"] for r in before} == {"pending"}
    n_events = len(_asset_events())
    dr = _fresh_dag("newsloom_retranslate").test(run_conf={"outlet": "sohr_ar"})
    assert _states(dr) == {"retranslate": "skipped"}, "no model: nothing to do, said so"
    assert len(_asset_events()) == n_events
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    dr = _fresh_dag("newsloom_retranslate").test(run_conf={"outlet": "sohr_ar"})
    assert set(_states(dr).values()) == {"success"}
    after = corpus.read(outlet="sohr_ar").to_pylist()
    assert len(after) == len(before)
    assert {r["translation_status"] for r in after} == {"translated"}
    (event,) = _asset_events()[n_events:]
    assert event["updated"] == len(after) and event["kind"] == "retranslate"
