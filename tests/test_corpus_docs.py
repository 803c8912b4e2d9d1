"""docs/corpus.md, run as a downstream team would run it: every ``python`` and ``sh`` example,
pasted as is, on a second "machine" (a fresh directory and state dir, only the S3 endpoint,
keys and bucket in its environment) against a producer on a non-default port. The ``text``
blocks are templates for other engines (Spark, Athena, the DuckDB CLI) and are not run."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY
from tests.conftest import ANCHOR

pytestmark = [pytest.mark.slow, pytest.mark.integration]
DOC = Path(__file__).resolve().parents[1] / "docs" / "corpus.md"
BIN = Path(sys.executable).parent


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(), flags=re.S)


def _objects(store: object) -> dict[str, str]:
    return {o["Key"]: o["ETag"] for o in store.list_objects("")}  # type: ignore[attr-defined]


@pytest.fixture
def produced(mirror_env, corpus):
    """The producer: three outlets, two days each, through the pipeline (sohr_ar and npa_ar
    carry one agency story: a story of two outlets)."""
    from processing.core.runspec import RunSpec
    from processing.pipeline.runner import run_pipeline

    for outlet in ("sohr_ar", "sohr_en", "npa_ar"):
        run_pipeline(
            RunSpec.backfill(outlet, ANCHOR - timedelta(days=1), ANCHOR), mirror_env, corpus
        )
    return mirror_env, corpus


@pytest.fixture
def reader_env(produced, tmp_path, monkeypatch):
    """The reader's machine: a fresh directory and state dir, S3 settings only."""
    settings, corpus = produced
    for name in list(os.environ):
        if name.startswith("NEWSLOOM_"):
            monkeypatch.delenv(name)
    home = tmp_path / "reader"
    home.mkdir()
    monkeypatch.chdir(home)
    env = {
        "NEWSLOOM_S3_ENDPOINT": f"http://127.0.0.1:{settings.embedded_s3_port}",
        "AWS_ACCESS_KEY_ID": EMBEDDED_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": EMBEDDED_SECRET_KEY,
        "NEWSLOOM_S3_BUCKET": settings.s3_bucket,
        "NEWSLOOM_STATE_DIR": str(home / ".newsloom"),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env, corpus


def test_every_example_runs_as_written_from_another_machine(reader_env):
    env, corpus = reader_env
    assert corpus.settings.embedded_s3_port != 8333  # a non-default port and state dir
    n_ar = len(corpus.read(["article_id"], outlet="sohr_ar"))
    n_all = len(corpus.read(["article_id"]))
    before = _objects(corpus.store)
    python_blocks = _blocks("python")
    assert len(python_blocks) >= 6
    ns: dict = {}
    outputs = []
    for block in python_blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(DOC), "exec"), ns)
        outputs.append(out.getvalue())
    shell = {**os.environ, **env, "PATH": f"{BIN}:{os.environ['PATH']}"}
    sh_outputs = [
        subprocess.run(
            ["bash", "-eu", "-c", block],
            env=shell,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
        for block in _blocks("sh")
    ]
    # nothing the reader ran wrote anything to the bucket, nor a catalog on its machine
    assert _objects(corpus.store) == before
    assert not (Path(env["NEWSLOOM_STATE_DIR"]) / "catalog").exists()
    # open_corpus: the outlet's rows and the feed
    assert outputs[0].startswith(f"{n_ar} rows of sohr_ar at snapshot {corpus.snapshot_id()}")
    # pyiceberg without a catalog -> pandas: the outlet's rows since November
    assert len(ns["df"]) == n_ar > 0
    assert set(ns["df"].columns) == {"article_id", "title", "title_en", "published_at"}
    arabic = corpus.read(["language"]).column(0).to_pylist().count("ar")
    assert ns["recent"].height == arabic > n_ar  # polars: the Arabic rows (sohr_ar, npa_ar)
    assert 0 < len(ns["as_it_was"]) < n_all  # the first snapshot: one whole publish
    # DuckDB through the table root: counts per outlet/language/status equal the table's
    assert re.search(rf"sohr_ar\s*│\s*ar\s*│\s*pending\s*│\s*{n_ar}\b", outputs[4]), outputs[4]
    assert re.search(r"│\s*2026-11-\d\d\s*│", outputs[4]), outputs[4]
    # raw_ref: the WARC record of a stored page
    raw = r"200 https://(www\.syriahr|npasyria)\.com/\S+ \d+ bytes"
    assert re.match(raw, outputs[5]), outputs[5]
    # the sh blocks: snapshots, the feed since a time, info, stats, export
    assert '"snapshot_id"' in sh_outputs[1] and sh_outputs[1].count('"article_id"') == 3
    assert "version-hint.text" in sh_outputs[2]
    assert re.search(rf"total\s+{n_all}\b", sh_outputs[2])
    assert sh_outputs[2].count('"title_en"') == 2
    # story links: the stories of two articles or more, listed and counted from DuckDB
    import json
    from collections import Counter

    sizes = Counter(s for s in corpus.read(["story_id"]).column(0).to_pylist() if s)
    stories = sorted(n for n in sizes.values() if n > 1)
    assert stories, "the mirror's outlets share stories"
    assert outputs[6].startswith(f"{len(stories)} stories of two articles or more")
    assert re.search(r"npa_ar\s*│\s*\d+\s*│\s*[1-9]", outputs[6]), outputs[6]  # a copy
    listed = [json.loads(line) for line in sh_outputs[3].splitlines()]
    assert [s["size"] for s in listed] == sorted(stories, reverse=True)[:3]
