"""docs/corpus.md, run as a reader would: every Python example, pasted as is, against the
defaults it assumes (the embedded S3 server on 127.0.0.1:8333, bucket ``newsloom``, the
SQLite catalog under ``.newsloom/`` in the current directory)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import ANCHOR, route_to_mirror

pytestmark = [pytest.mark.slow, pytest.mark.integration]
DOC = Path(__file__).resolve().parents[1] / "docs" / "corpus.md"
PORTS = (8333, 8888, 9333, 9340, 18333, 18888, 19333, 19340)


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


def _free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind (TIME_WAIT)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@pytest.fixture
def default_deployment(tmp_path, monkeypatch, mirror):
    """A project directory with the demo's defaults: embedded S3 on 8333, bucket newsloom."""
    if not all(_free(p) for p in PORTS):
        pytest.skip("the default S3 ports (8333 and its companions) are in use here")
    for name in list(os.environ):
        if name.startswith("NEWSLOOM_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    route_to_mirror(monkeypatch, mirror.url)
    monkeypatch.setenv("NEWSLOOM_CRAWL_DELAY", "0")
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tmp_path / "no-model"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from processing.core.config import Settings
    from processing.core.embedded_s3 import EmbeddedS3

    settings = Settings.from_env()
    assert settings.embedded_s3_port == 8333 and settings.s3_bucket == "newsloom"
    yield settings
    EmbeddedS3(settings.state_dir, settings.embedded_s3_port).down()


def test_every_python_example_runs_as_written(default_deployment):
    from processing.core.runspec import RunSpec
    from processing.core.s3 import open_store
    from processing.corpus import open_corpus
    from processing.pipeline.runner import run_pipeline

    store = open_store(default_deployment, create_bucket=True)  # as the first run does
    corpus = open_corpus(store=store, settings=default_deployment, write=True)
    for outlet in ("sohr_ar", "sohr_en"):
        run_pipeline(
            RunSpec.backfill(outlet, ANCHOR - timedelta(days=1), ANCHOR),
            default_deployment,
            corpus,
        )
    n_ar = len(corpus.read(["article_id"], outlet="sohr_ar"))
    blocks = _python_blocks()
    assert len(blocks) >= 5
    ns: dict = {}
    outputs = []
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(DOC), "exec"), ns)
        outputs.append(out.getvalue())
    # pyiceberg -> pandas: the outlet's rows since November (the mirror's days are in it)
    assert len(ns["df"]) == n_ar > 0
    assert set(ns["df"].columns) == {"article_id", "title", "title_en", "published_at"}
    # polars: the Arabic rows
    assert ns["recent"].height == n_ar
    # time travel: the first snapshot holds fewer rows than the table now
    assert 0 < len(ns["as_it_was"]) < len(corpus.read())
    assert "insert" in outputs[2] and "update" not in outputs[2].split("rows in the first")[0]
    # DuckDB: counts per outlet/language/status equal the table's
    assert re.search(rf"sohr_ar\s*│\s*ar\s*│\s*pending\s*│\s*{n_ar}\b", outputs[3]), outputs[3]
    # raw_ref: the WARC record of a stored page
    assert re.match(r"200 https://www\.syriahr\.com/\S+ \d+ bytes", outputs[4]), outputs[4]
