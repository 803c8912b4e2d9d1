"""The command line and corpus maintenance, end to end against SeaweedFS and the mirror."""

from __future__ import annotations

import gzip
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from processing import corpus
from processing.cli import main
from processing.core.runspec import RunSpec
from processing.core.s3 import open_store
from processing.pipeline.runner import run_pipeline
from tests.conftest import ANCHOR, shared_data

pytestmark = [pytest.mark.integration]
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture
def small_corpus(mirror_env):
    store = open_store(mirror_env)
    for outlet in ("sohr_ar", "sohr_en"):
        run_pipeline(RunSpec.span(outlet, ANCHOR - timedelta(days=1), ANCHOR), mirror_env, store)
    return mirror_env, store


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.split("\n") if line.strip()]


@pytest.mark.slow
def test_corpus_export_ls_stats(small_corpus, capsys):
    _, store = small_corpus
    assert main(["corpus", "export"]) == 0
    rows = _jsonl(capsys.readouterr().out)
    n = sum(1 for _ in corpus.iter_articles(store))
    assert len(rows) == n > 0
    assert {r["outlet"] for r in rows} == {"sohr_ar", "sohr_en"}
    assert {r["language"] for r in rows} == {"ar", "en"}
    assert main(["corpus", "export", "--outlet", "sohr_en", "--columns", "article_id,title"]) == 0
    en = _jsonl(capsys.readouterr().out)
    assert en and all(set(r) == {"article_id", "title"} for r in en)
    assert main(["corpus", "ls"]) == 0
    ls = capsys.readouterr().out
    assert "outlet=sohr_ar/date=" in ls and "part-00000.parquet" in ls
    assert main(["corpus", "stats"]) == 0
    stats = capsys.readouterr().out
    assert re.search(rf"total\s+{n}\b", stats)


@pytest.mark.slow
def test_reprocess_after_extractor_change_rewrites_rows_and_keeps_count(
    small_corpus, monkeypatch, capsys
):
    _, store = small_corpus
    before = {r["article_id"]: r for r in corpus.iter_articles(store, "sohr_ar")}
    old_version = next(iter(before.values()))["extractor_version"]
    import processing.extraction.core as core

    monkeypatch.setattr(core, "EXTRACTOR_REVISION", core.EXTRACTOR_REVISION + 100)
    first, last = ANCHOR - timedelta(days=1), ANCHOR
    assert (
        main(
            [
                "reprocess",
                "--outlet",
                "sohr_ar",
                "--from",
                first.isoformat(),
                "--to",
                last.isoformat(),
            ]
        )
        == 0
    )
    assert "rewrote" in capsys.readouterr().out
    after = {r["article_id"]: r for r in corpus.iter_articles(store, "sohr_ar")}
    assert after.keys() == before.keys()
    new_version = core.extractor_version()
    assert new_version != old_version
    in_range = [
        a
        for a, r in after.items()
        if first.isoformat() <= corpus.partition_day(r) <= last.isoformat()
    ]
    assert in_range and all(after[a]["extractor_version"] == new_version for a in in_range)
    assert all(after[a]["run_id"].startswith("reprocess.sohr_ar.") for a in in_range)
    assert all(after[a]["first_seen_at"] == before[a]["first_seen_at"] for a in in_range)


def test_extract_command_on_a_saved_page(tmp_path, capsys, mirror):
    import urllib.request

    page = next(p for p in mirror.catalog.for_outlet("sohr_en", "stored"))
    req = urllib.request.Request(
        mirror.url + page.url.split("www.syriahr.com", 1)[1], headers={"Host": "www.syriahr.com"}
    )
    html = urllib.request.urlopen(req).read()
    plain = tmp_path / "a.html"
    plain.write_bytes(html)
    packed = tmp_path / "a.html.gz"
    packed.write_bytes(gzip.compress(html))
    assert main(["extract", "--url", page.url, str(plain), str(packed)]) == 0
    out = _jsonl(capsys.readouterr().out)
    assert len(out) == 2 and out[0]["text"] == out[1]["text"]
    for key in ("path", "url", "title", "text", "published", "authors", "language"):
        assert key in out[0]
    assert out[0]["title"] == page.title and out[0]["language"] == "en"
    assert "Please enter your comment" not in out[0]["text"]


def test_extract_command_reports_unreadable_files(tmp_path, capsys):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert main(["extract", str(empty)]) == 1
    (out,) = _jsonl(capsys.readouterr().out)
    assert out["error"] == "empty_body"


def test_extract_command_on_the_arabic_reference_page(capsys):
    folder = shared_data("multilingual")
    html = (
        next(p for p in (folder / "html").iterdir() if "arabic" in p.name.lower())
        if (folder / "html").is_dir()
        else None
    )
    if html is None:
        pytest.skip("no Arabic page in the multilingual set")
    assert main(["extract", str(html)]) == 0
    (out,) = _jsonl(capsys.readouterr().out)
    assert out["language"] == "ar" and len(out["text"]) > 500


def test_s3_commands(env, capsys):
    assert main(["s3", "status"]) == 0
    assert "running" in capsys.readouterr().out
    assert main(["s3", "up"]) == 0
    assert "bucket" in capsys.readouterr().out


def test_unknown_outlet_is_a_clear_error(env, capsys):
    assert main(["run", "--outlet", "no_such_outlet"]) == 2
    assert "unknown outlet" in capsys.readouterr().err


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


@pytest.mark.slow
def test_duckdb_example_in_the_docs_reads_the_corpus(mirror_env, monkeypatch, capfd):
    """The first Python example of docs/corpus.md, pasted as is (bucket ``newsloom``)."""
    from processing.core.config import Settings

    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", "newsloom")
    settings = Settings.from_env()
    store = open_store(settings)
    store.delete_prefix("articles/")
    store.delete_prefix("state/")
    run_pipeline(RunSpec.span("sohr_en", ANCHOR, ANCHOR), settings, store)
    n = sum(1 for _ in corpus.iter_articles(store, "sohr_en"))
    block = _python_blocks((DOCS / "corpus.md").read_text())[0]
    assert "duckdb_connect" in block and "read_parquet('s3://newsloom/articles/v1/" in block
    capfd.readouterr()
    exec(compile(block, "docs/corpus.md", "exec"), {})
    out = capfd.readouterr().out
    assert re.search(rf"sohr_en\s*│\s*en\s*│\s*source_english\s*│\s*{n}\b", out), out


@pytest.mark.slow
def test_pyarrow_example_in_the_docs_reads_the_corpus(mirror_env, monkeypatch, capfd):
    """The pyarrow example, with the endpoint moved to this test's server."""
    from processing.core.config import Settings

    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", "newsloom")
    settings = Settings.from_env()
    store = open_store(settings)
    store.delete_prefix("articles/")
    store.delete_prefix("state/")
    run_pipeline(RunSpec.span("sohr_ar", ANCHOR, ANCHOR), settings, store)
    block = _python_blocks((DOCS / "corpus.md").read_text())[1]
    block = block.replace("http://127.0.0.1:8333", str(store.endpoint))
    ns: dict = {}
    exec(compile(block, "docs/corpus.md", "exec"), ns)
    df = ns["df"]
    assert len(df) == sum(1 for _ in corpus.iter_articles(store, "sohr_ar")) > 0
    assert list(df.columns) == ["article_id", "title", "title_en", "published_at"]
