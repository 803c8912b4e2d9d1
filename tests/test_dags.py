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
        "newsloom_backfill",
        "newsloom_retranslate",
    } <= ids


def test_dag_integrity(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert "newsloom" in dag.tags, dag_id
        assert dag.catchup is False, dag_id
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
    # the run after day D's interval closes collects day D
    interval = dag.timetable.infer_manual_data_interval(
        run_after=datetime(2026, 11, 21, 4, 15, tzinfo=UTC)
    )
    assert interval.start.date().isoformat() == "2026-11-20"
    outlets = dag.get_task("publish").outlets
    assert [a.uri for a in outlets] == ["s3://newsloom/articles/v1/outlet=sohr_ar"]


@pytest.mark.parametrize("path", sorted(DAGS.glob("*.py")), ids=lambda p: p.name)
def test_dag_file_parses_fast_without_heavy_imports(path: Path):
    """Parse each DAG file in a fresh interpreter (Airflow already imported, as in the
    dag-processor) and report its parse time and which heavy modules it pulled in."""
    code = f"""
import json, sys, time
import airflow.sdk  # the dag-processor has Airflow loaded already
from airflow.dag_processing.dagbag import DagBag
before = set(sys.modules)
t = time.perf_counter()
bag = DagBag({str(path)!r})
seconds = time.perf_counter() - t
new = sorted(m.split('.')[0] for m in set(sys.modules) - before)
errors = {{k: str(v) for k, v in bag.import_errors.items()}}
print(json.dumps({{"seconds": seconds, "errors": errors, "modules": sorted(set(new)),
                  "dags": len(bag.dags)}}))
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
    assert report["dags"] >= 1
    heavy = [m for m in report["modules"] if m in HEAVY]
    assert heavy == [], f"{path.name} imports {heavy} at parse time"
    assert report["seconds"] < 1.0, f"{path.name} took {report['seconds']:.2f}s to parse"


# ---- end to end -------------------------------------------------------------------------
def _create_pools() -> None:
    from airflow.models.pool import Pool

    from processing.airflow import registry

    for o in registry():
        Pool.create_or_update_pool(
            f"newsloom_{o.id}", slots=1, description=o.name, include_deferred=False
        )
    Pool.create_or_update_pool(
        "newsloom_backfill", slots=2, description="backfills", include_deferred=False
    )


def _run(dag, **kwargs):
    dr = dag.test(**kwargs)
    states = {
        ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else ""): ti.state
        for ti in dr.get_task_instances()
    }
    return dr, states


# ---- end to end with dag.test() ---------------------------------------------------------
def _create_pools() -> None:
    from airflow.models.pool import Pool

    from processing.airflow import outlet_pool, registry

    for o in registry():
        Pool.create_or_update_pool(
            outlet_pool(o.id), slots=1, description=o.name, include_deferred=False
        )
    Pool.create_or_update_pool(
        outlet_pool("backfill"), slots=2, description="backfills", include_deferred=False
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


def _article_ids(store, outlet):
    from processing import corpus

    return [r["article_id"] for r in corpus.iter_articles(store, outlet, ["article_id"])]


@pytest.mark.slow
@pytest.mark.integration
def test_daily_then_overlapping_backfill_no_duplicates(
    mirror_env, tiny_model_dir, monkeypatch, airflow_db, mirror
):
    from processing.core.s3 import open_store

    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", mirror_env.s3_bucket)
    _create_pools()
    store = open_store(mirror_env)

    # a run triggered at noon the next day collects the whole of ANCHOR
    logical = datetime.combine(ANCHOR, datetime.min.time(), UTC) + timedelta(hours=36)
    daily = _fresh_dag("newsloom_daily_sohr_en")
    dr = daily.test(logical_date=logical)
    states = _states(dr)
    assert states == {
        t: "success" for t in ("crawl", "extract", "translate", "publish", "validate")
    }, states
    after_daily = _article_ids(store, "sohr_en")
    assert after_daily, "the daily run stored nothing"
    assert store.exists(f"runs/sohr_en.daily.{ANCHOR.isoformat()}.json")

    backfill = _fresh_dag("newsloom_backfill")
    first, last = ANCHOR - timedelta(days=2), ANCHOR
    dr = backfill.test(
        run_conf={"outlet": "sohr_en", "from": first.isoformat(), "to": last.isoformat()}
    )
    states = _states(dr)
    assert states and all(s == "success" for s in states.values()), states
    assert sum(1 for t in states if t.startswith("crawl[")) == 3
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    uri = f"s3://{mirror_env.s3_bucket}/articles/v1/outlet=sohr_en"
    with create_session() as session:
        asset = session.query(AssetModel).filter(AssetModel.uri == uri).one()
        events = session.query(AssetEvent).filter(AssetEvent.asset_id == asset.id).count()
    assert events >= 2, "daily and backfill publishes announce the outlet's corpus Asset"
    ids = _article_ids(store, "sohr_en")
    assert len(ids) == len(set(ids)), "duplicate article_id after daily + backfill"
    assert set(after_daily) <= set(ids)
    expected = mirror.catalog.stored_between("sohr_en", first, last)
    assert len(ids) == len(expected)


@pytest.mark.slow
@pytest.mark.integration
def test_failed_publish_rerun_does_not_duplicate(mirror_env, airflow_db, monkeypatch):
    """Publish twice for the same run (what a retried task does): same rows, same count."""
    from processing.airflow import tasks
    from processing.core.s3 import open_store

    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", mirror_env.s3_bucket)
    _create_pools()
    store = open_store(mirror_env)
    daily = _fresh_dag("newsloom_daily_sohr_ar")
    # a run triggered at noon the next day collects the whole of ANCHOR
    logical = datetime.combine(ANCHOR, datetime.min.time(), UTC) + timedelta(hours=36)
    dr = daily.test(logical_date=logical)
    assert set(_states(dr).values()) == {"success"}
    before = sorted(_article_ids(store, "sohr_ar"))
    day_start = datetime.combine(ANCHOR, datetime.min.time(), UTC)
    spec = tasks.daily_spec("sohr_ar", day_start, day_start + timedelta(days=1), logical)
    assert spec["run_id"] == f"sohr_ar.daily.{ANCHOR.isoformat()}"
    tasks.publish(spec)  # a retry of publish after it had already committed
    tasks.crawl(spec)  # and of the whole chain
    tasks.extract(spec)
    tasks.translate(spec)
    tasks.publish(spec)
    assert sorted(_article_ids(store, "sohr_ar")) == before
    tasks.validate(spec)


@pytest.mark.slow
@pytest.mark.integration
def test_retranslate_dag_fills_pending_rows(mirror_env, tiny_model_dir, airflow_db, monkeypatch):
    from processing import corpus
    from processing.core.runspec import RunSpec
    from processing.core.s3 import open_store
    from processing.pipeline.runner import run_pipeline

    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", mirror_env.s3_bucket)
    store = open_store(mirror_env)
    run_pipeline(RunSpec.span("sohr_ar", ANCHOR, ANCHOR), mirror_env, store)  # no model: pending
    before = list(corpus.iter_articles(store, "sohr_ar"))
    assert before and {r["translation_status"] for r in before} == {"pending"}
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    dr = _fresh_dag("newsloom_retranslate").test(run_conf={"outlet": "sohr_ar"})
    assert set(_states(dr).values()) == {"success"}
    after = list(corpus.iter_articles(store, "sohr_ar"))
    assert len(after) == len(before)
    assert {r["translation_status"] for r in after} == {"translated"}
