"""``processing.airflow.tasks.validate`` catches a duplicate without reading the whole corpus."""

from datetime import timedelta

import pytest

from processing import corpus
from processing.airflow import tasks
from processing.core import layout
from processing.core.runspec import RunSpec
from processing.pipeline import stages
from tests.test_corpus import T0, row

pytestmark = pytest.mark.integration


def _committed_run(store, rows):
    spec = RunSpec.backfill_day("sohr_ar", T0.date())
    stages.write_staged(store, layout.staging(spec.run_id, "translated.parquet"), rows)
    result = corpus.commit_articles(store, "sohr_ar", rows)
    store.put_json(
        layout.manifest_key(spec.run_id),
        {"status": "committed", "counts": {"stored": result.to_dict()}},
    )
    return spec.to_dict()


def test_validate_passes_a_clean_run(store):
    spec = _committed_run(store, [row(1), row(2)])
    assert tasks.validate(spec)["run_rows"] == 2


def test_validate_finds_a_copy_in_another_partition(store):
    spec = _committed_run(store, [row(1), row(2)])
    # a stray copy of article 1 filed under another day (what a broken commit would leave)
    stray = row(1, published=T0 - timedelta(days=30))
    store.put_bytes(
        layout.partition_key("sohr_ar", corpus.partition_day(stray)),
        corpus.encode_parquet(corpus.to_table([stray])),
    )
    # the run did not touch that day; the check still sees the conflict from the run's side
    other = RunSpec.backfill_day("sohr_ar", (T0 - timedelta(days=30)).date())
    stages.write_staged(store, layout.staging(other.run_id, "translated.parquet"), [stray])
    store.put_json(
        layout.manifest_key(other.run_id),
        {"status": "committed", "counts": {"stored": {"partitions": []}}},
    )
    with pytest.raises(tasks.ValidationError, match="belongs to"):
        tasks.validate(other.to_dict())
    assert tasks.validate(spec)["run_rows"] == 2


def test_validate_requires_a_committed_manifest(store):
    spec = RunSpec.backfill_day("sohr_ar", T0.date()).to_dict()
    with pytest.raises(tasks.ValidationError, match="no committed manifest"):
        tasks.validate(spec)
