"""Read-only commands never create a bucket (a mistyped one is a one-line error naming it and
its own exit code), and one broken outlet file breaks only that outlet: the CLI warns and runs
the others, Airflow shows one import error naming it while every other outlet's DAGs load,
the health report lists it."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from crawlers.registry import BUILTIN_DIR, OutletFileError, get_outlet, load_registry
from processing.cli import main
from processing.cli.exitcodes import Exit
from processing.core.config import Settings
from tests import reliability

BROKEN = "id: npa_en\nname: North Press\npolitness: {delay: 1}\n"


# ---- a missing bucket -----------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.reliability
@pytest.mark.parametrize("argv", [["health"], ["runs"], ["report", "--out", "{tmp}/r.html"]])
def test_read_only_command_on_a_missing_bucket(env, monkeypatch, capsys, tmp_path, argv):
    from processing.core.s3 import open_store

    typo = f"t-typo-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", typo)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    store = open_store(env)  # the test's own bucket: the server is up
    created = store.client.list_buckets()["Buckets"]
    exists = any(b["Name"] == typo for b in created)
    observed = f"exit {code}, {len(err)} line(s) naming it" if typo in " ".join(err) else err
    reliability.record(
        "storage",
        f"`newsloom {argv[0]}` against a mistyped bucket",
        f"exit {int(Exit.NO_BUCKET)}, 1 line(s) naming it, no bucket created",
        f"{observed}" + (", bucket created" if exists else ", no bucket created"),
    )
    assert code == Exit.NO_BUCKET, err
    assert len(err) == 1 and typo in err[0] and "does not exist" in err[0]
    assert not exists


@pytest.mark.integration
def test_only_the_write_paths_create_the_bucket(env, monkeypatch):
    from processing.core.s3 import BucketMissing, open_store

    fresh = f"t-new-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", fresh)
    settings = Settings.from_env()
    with pytest.raises(BucketMissing, match=fresh):
        open_store(settings)
    store = open_store(settings, create_bucket=True)
    try:
        assert store.bucket_exists()
        open_store(settings)  # now a reader finds it
    finally:
        store.client.delete_bucket(Bucket=fresh)


@pytest.mark.integration
def test_s3_up_creates_the_bucket(env, monkeypatch, capsys):
    from processing.core.s3 import open_store

    fresh = f"t-up-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", fresh)
    assert main(["s3", "up"]) == Exit.OK
    store = open_store(Settings.from_env())
    assert store.bucket_exists()
    store.client.delete_bucket(Bucket=fresh)


# ---- a broken outlet file ---------------------------------------------------------------------
@pytest.fixture
def broken_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in registry with npa_en's file broken (a misspelt key), used as
    the built-in folder."""
    folder = tmp_path / "outlets"
    shutil.copytree(BUILTIN_DIR, folder)
    (folder / "npa_en.yaml").write_text(
        (BUILTIN_DIR / "npa_en.yaml").read_text().replace("politeness:", "politness:")
        if "politeness:" in (BUILTIN_DIR / "npa_en.yaml").read_text()
        else BROKEN
    )
    monkeypatch.setattr("crawlers.registry.BUILTIN_DIR", folder)
    return folder


@pytest.mark.reliability
def test_a_broken_outlet_file_breaks_only_that_outlet(broken_registry, capsys, caplog):
    outlets = load_registry()
    assert "npa_en" not in outlets and {"sohr_en", "npa_ar", "sputnik_ar"} <= set(outlets)
    assert get_outlet("sohr_en").id == "sohr_en"
    with pytest.raises(OutletFileError, match=r"npa_en\.yaml.*politness"):
        get_outlet("npa_en")
    with pytest.raises(OutletFileError):
        load_registry(strict=True)
    # the CLI: a warning naming the file, the other outlets listed, exit 0
    code = main(["outlets"])
    out, err = capsys.readouterr()
    warned = [r.getMessage() for r in caplog.records if "npa_en" in r.getMessage()]
    listed = "sohr_en" in out and "npa_en" not in out.replace("npa_en.yaml", "")
    r = reliability.record(
        "operations",
        "one outlet file with a misspelt key (politness:)",
        "only that outlet left out, named in a warning",
        "only that outlet left out, named in a warning"
        if code == 0 and listed and warned and "politness" in warned[0]
        else f"exit {code}, listed {listed}, warned {warned}",
    )
    assert r.observed == r.expected, (out, err)


def test_running_the_broken_outlet_is_a_configuration_error(broken_registry, capsys, env):
    code = main(["run", "--outlet", "npa_en"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == Exit.CONFIG
    assert len(err) == 1 and "npa_en.yaml" in err[0] and "politness" in err[0]


def test_an_unknown_outlet_is_a_usage_error(capsys, env):
    assert main(["run", "--outlet", "no_such_outlet"]) == Exit.USAGE


@pytest.mark.reliability
def test_airflow_shows_one_import_error_and_loads_the_other_outlets(tmp_path, monkeypatch):
    """A deployment's extra outlet folder holds one broken file."""
    from airflow.dag_processing.dagbag import DagBag

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "gazette_fr.yaml").write_text("id: gazette_fr\nname: Gazette\nfeedz: []\n")
    monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", str(extra))
    dags = Path(__file__).resolve().parents[1] / "dags"
    bag = DagBag(str(dags))
    errors = {Path(k).name: v for k, v in bag.import_errors.items()}
    daily = {d for d in bag.dag_ids if d.startswith("newsloom_daily_")}
    r = reliability.record(
        "airflow",
        "one outlet file broken in the DAGs' registry",
        "one import error naming it; every other outlet's DAGs load",
        "one import error naming it; every other outlet's DAGs load"
        if list(errors) == ["newsloom_outlet_registry.py"]
        and "gazette_fr" in errors["newsloom_outlet_registry.py"]
        and "newsloom_daily_sohr_en" in daily
        else f"import errors {sorted(errors)}, {len(daily)} daily DAGs",
    )
    assert r.observed == r.expected, errors
    assert "feedz" in errors["newsloom_outlet_registry.py"]
    assert {f"newsloom_daily_{o.id}" for o in load_registry().values() if o.enabled} <= daily
    assert "newsloom_daily_gazette_fr" not in daily
