"""One date rule for a run without a date: the last complete UTC day, from the command line as
from Airflow (docs/operations.md, "The date rule"), and the help says so."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from processing.core import layout

pytestmark = [pytest.mark.integration]


def test_run_without_a_date_collects_the_last_complete_utc_day(mirror_env, corpus, capsys):
    from processing.cli import main

    before = datetime.now(UTC).date()
    main(["run", "--outlet", "sohr_en"])  # the mirror may refuse some pages: any outcome
    after = datetime.now(UTC).date()
    out = capsys.readouterr().out
    [manifest_line] = [ln for ln in out.splitlines() if ln.startswith("manifest: ")]
    run_id = manifest_line.rsplit("/", 1)[1].removesuffix(".json")
    manifest = corpus.store.get_json(layout.manifest_key(run_id))
    assert manifest["first"] == manifest["last"]
    assert manifest["first"] in {
        (before - timedelta(days=1)).isoformat(),
        (after - timedelta(days=1)).isoformat(),
    }


def test_run_help_names_the_default_day():
    done = subprocess.run(
        [sys.executable, "-m", "processing.cli", "run", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "last complete UTC day" in " ".join(done.stdout.split())
