"""Configuration is validated before any work: a bad environment value or argument is one
line naming the variable (or argument) and the configuration-error exit code; nothing is
started, created or crawled first."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from processing.cli import main
from processing.cli.exitcodes import Exit
from processing.core.config import ConfigError, Settings
from tests import reliability

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No NEWSLOOM_* variable but a private state directory."""
    for name in list(os.environ):
        if name.startswith("NEWSLOOM_"):
            monkeypatch.delenv(name)
    state = tmp_path / "state"
    monkeypatch.setenv("NEWSLOOM_STATE_DIR", str(state))
    return state


def test_defaults_and_public_attributes(clean_env: Path) -> None:
    s = Settings.from_env()
    assert s.state_dir == clean_env.resolve()
    assert (s.s3_endpoint, s.s3_bucket, s.embedded_s3_port) == (None, "newsloom", 8333)
    assert s.embedded and s.warehouse == "s3://newsloom/warehouse"
    assert s.translation_beams == 4 and s.translation_target_vocabulary is True
    assert s.crawl_delay is None and s.outlets_dirs == ()
    # still a plain frozen dataclass: tests and the CLI derive variants with replace()
    assert dataclasses.replace(s, translation_beams=1).translation_beams == 1


def test_values_are_parsed(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSLOOM_S3_ENDPOINT", "https://s3.eu-west-1.amazonaws.com")
    monkeypatch.setenv("NEWSLOOM_S3_PORT", "8433")
    monkeypatch.setenv("NEWSLOOM_CATALOG", "GLUE")
    monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", os.pathsep.join(["/a", "", "/b"]))
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_TARGET_VOCABULARY", "0")
    monkeypatch.setenv("NEWSLOOM_CRAWL_DELAY", "0.05")
    monkeypatch.setenv("NEWSLOOM_WINDOW_OVERLAP_HOURS", "3.5")
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", "")  # empty: the default
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    s = Settings.from_env()
    assert s.s3_endpoint == "https://s3.eu-west-1.amazonaws.com" and not s.embedded
    assert s.embedded_s3_port == 8433 and s.catalog == "glue"
    assert s.outlets_dirs == (Path("/a"), Path("/b"))
    assert s.translation_target_vocabulary is False
    assert s.crawl_delay == 0.05 and s.window_overlap_hours == 3.5
    assert s.s3_bucket == "newsloom" and s.s3_region == "eu-west-1"


BAD = [
    ("NEWSLOOM_S3_PORT", "notaport"),
    ("NEWSLOOM_TRANSLATION_BEAMS", "four"),
    ("NEWSLOOM_S3_ENDPOINT", "localhost:8433"),
    ("NEWSLOOM_CRAWL_DELAY", "abc"),
    ("NEWSLOOM_CRAWL_DELAY", "-1"),
    ("NEWSLOOM_S3_PORT", "70000"),
    ("NEWSLOOM_CATALOG", "hive"),
    ("NEWSLOOM_TRANSLATION_BACKEND", "onnx"),
    ("NEWSLOOM_TRANSLATION_TARGET_VOCABULARY", "maybe"),
    ("NEWSLOOM_LOG_LEVEL", "LOUD"),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_value_names_its_variable(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env()
    message = str(caught.value)
    assert f"{name}={value!r}" in message and "\n" not in message


def test_every_bad_variable_is_named_at_once(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSLOOM_S3_PORT", "notaport")
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_BEAMS", "four")
    with pytest.raises(ConfigError) as caught:
        Settings.from_env()
    assert caught.value.variables == ["NEWSLOOM_S3_PORT", "NEWSLOOM_TRANSLATION_BEAMS"]


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("name", "value", "argv"),
    [
        ("NEWSLOOM_S3_PORT", "notaport", ["health"]),
        ("NEWSLOOM_TRANSLATION_BEAMS", "four", ["retranslate"]),
        ("NEWSLOOM_S3_ENDPOINT", "localhost:8433", ["corpus", "info"]),
        ("NEWSLOOM_CRAWL_DELAY", "abc", ["run", "--outlet", "sohr_en"]),
    ],
)
def test_cli_refuses_bad_configuration_before_any_work(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    argv: list[str],
) -> None:
    monkeypatch.setenv(name, value)
    code = main(argv)
    err = capsys.readouterr().err.strip()
    lines = err.splitlines()
    nothing_done = not clean_env.exists()  # no S3 server started, no catalog, no lock
    observed = (
        f"exit {code}, one line naming {name}"
        if len(lines) == 1 and name in err and "Traceback" not in err
        else f"exit {code}: {err[-200:]}"
    )
    reliability.record(
        "operations",
        f"{name}={value} ({' '.join(argv)})",
        f"exit {int(Exit.CONFIG)}, one line naming {name}",
        observed + ("" if nothing_done else ", but work started"),
    )
    assert code == Exit.CONFIG, err
    assert len(lines) == 1 and lines[0].startswith("error: configuration:"), err
    assert f"{name}={value!r}" in lines[0]
    assert nothing_done, f"{clean_env} was created before the configuration was checked"


@pytest.mark.reliability
@pytest.mark.parametrize("chunk_days", ["0", "-3"])
def test_backfill_chunk_days_is_range_checked(clean_env: Path, chunk_days: str) -> None:
    """It used to loop forever, growing memory; now argparse refuses it at once."""
    started = time.monotonic()
    done = subprocess.run(
        [
            *(sys.executable, "-m", "processing.cli", "backfill", "--outlet", "sohr_ar"),
            *("--from", "2026-11-01", "--to", "2026-11-03", "--chunk-days", chunk_days),
        ],
        capture_output=True,
        text=True,
        timeout=20,  # refused at once; before, it never ended
        cwd=ROOT,
        env={**os.environ},
    )
    took = time.monotonic() - started
    observed = (
        f"exit {done.returncode}, --chunk-days named"
        if done.returncode == Exit.USAGE and "--chunk-days" in done.stderr
        else f"exit {done.returncode} after {took:.0f} s: {done.stderr[-200:]}"
    )
    reliability.record(
        "operations",
        f"backfill --chunk-days {chunk_days}",
        f"exit {int(Exit.USAGE)}, --chunk-days named",
        observed,
    )
    assert done.returncode == Exit.USAGE, done.stderr
    assert "--chunk-days" in done.stderr and "at least 1" in done.stderr
    assert not clean_env.exists()


def test_chunks_refuse_a_non_positive_size() -> None:
    from datetime import date

    from processing.pipeline.runner import chunks

    with pytest.raises(ValueError, match="chunk"):
        chunks(date(2026, 11, 1), date(2026, 11, 3), 0)


@pytest.mark.reliability
def test_airflow_tasks_fail_without_retry_on_bad_configuration(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retry reads the same environment: the task fails for good (AirflowFailException),
    naming the variable, before it touches S3 or the outlet (it used to fail inside the crawl
    as a stage error, retried three times)."""
    from datetime import date

    from airflow.exceptions import AirflowFailException

    from processing.airflow import tasks
    from processing.core.runspec import RunSpec

    monkeypatch.setenv("NEWSLOOM_CRAWL_DELAY", "abc")
    spec = RunSpec.daily("sohr_en", date(2026, 11, 20)).to_dict()
    failed = []
    for task in (tasks.crawl, tasks.extract, tasks.translate, tasks.publish, tasks.validate):
        with pytest.raises(AirflowFailException, match="NEWSLOOM_CRAWL_DELAY='abc'"):
            task(spec)
        failed.append(task.__name__)
    with pytest.raises(AirflowFailException, match="NEWSLOOM_CRAWL_DELAY"):
        tasks.daily_spec("sohr_en", None, None)
    r = reliability.record(
        "airflow",
        "NEWSLOOM_CRAWL_DELAY=abc on the workers",
        "every task fails without retry (AirflowFailException), the variable named",
        "every task fails without retry (AirflowFailException), the variable named"
        if len(failed) == 5
        else f"only {failed}",
    )
    assert r.observed == r.expected
    assert not clean_env.exists()


def test_airflow_crawl_of_a_broken_outlet_fails_without_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.exceptions import AirflowFailException

    from processing.airflow.tasks import outlet_or_fail

    (tmp_path / "gazette_fr.yaml").write_text("id: gazette_fr\nname: G\nfeedz: []\n")
    settings = dataclasses.replace(Settings.from_env(), outlets_dirs=(tmp_path,))
    with pytest.raises(AirflowFailException, match=r"gazette_fr\.yaml.*feedz"):
        outlet_or_fail("gazette_fr", settings)
    assert outlet_or_fail("sohr_en", settings).id == "sohr_en"
