"""The command line and corpus maintenance, end to end against SeaweedFS and the mirror."""

from __future__ import annotations

import gzip
import json
import re
from datetime import timedelta

import pytest

from processing.cli import main
from processing.core.runspec import RunSpec
from processing.pipeline.runner import run_pipeline
from tests.conftest import ANCHOR, rows_of, shared_data

pytestmark = [pytest.mark.integration]


@pytest.fixture
def small_corpus(mirror_env, corpus):
    for outlet in ("sohr_ar", "sohr_en"):
        run_pipeline(
            RunSpec.backfill(outlet, ANCHOR - timedelta(days=1), ANCHOR), mirror_env, corpus
        )
    return mirror_env, corpus


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.split("\n") if line.strip()]


@pytest.mark.slow
def test_corpus_export_ls_stats_info_changes(small_corpus, capsys):
    _, corpus = small_corpus
    assert main(["corpus", "export"]) == 0
    rows = _jsonl(capsys.readouterr().out)
    n = len(corpus.read(["article_id"]))
    assert len(rows) == n > 0
    assert {r["outlet"] for r in rows} == {"sohr_ar", "sohr_en"}
    assert {r["language"] for r in rows} == {"ar", "en"}
    assert main(["corpus", "export", "--outlet", "sohr_en", "--columns", "article_id,title"]) == 0
    en = _jsonl(capsys.readouterr().out)
    assert en and all(set(r) == {"article_id", "title"} for r in en)
    assert main(["corpus", "ls"]) == 0
    ls = capsys.readouterr().out
    assert re.search(r"sohr_ar\s+2026-11\s+\d+ rows", ls), ls  # outlet-month partitions
    assert main(["corpus", "stats"]) == 0
    stats = capsys.readouterr().out
    assert re.search(rf"total\s+{n}\b", stats)
    assert main(["corpus", "info"]) == 0
    info = capsys.readouterr().out
    assert "newsloom.articles" in info and ".metadata.json" in info
    assert main(["corpus", "changes"]) == 0
    changes = _jsonl(capsys.readouterr().out)
    published = [c for c in changes if c["kind"] != "link"]  # story links: their own commits
    assert {c["operation"] for c in published} == {"insert"} and len(published) == n
    assert {c["operation"] for c in changes if c["kind"] == "link"} == {"update"}
    assert main(["corpus", "snapshots"]) == 0
    snaps = _jsonl(capsys.readouterr().out)
    first = snaps[0]["snapshot_id"]
    assert main(["corpus", "changes", "--since", str(first)]) == 0
    assert len([c for c in _jsonl(capsys.readouterr().out) if c["kind"] != "link"]) < n
    assert main(["corpus", "changes", "--since", "123"]) == 2  # no such snapshot
    assert "not in the table" in capsys.readouterr().err


@pytest.mark.slow
def test_reprocess_after_extractor_change_rewrites_rows_and_keeps_count(
    small_corpus, monkeypatch, capsys
):
    _, corpus = small_corpus
    before = {r["article_id"]: r for r in rows_of(corpus, "sohr_ar")}
    old_version = next(iter(before.values()))["extractor_version"]
    import processing.extraction as extraction

    bumped = old_version.replace("newsloom-extract/", "newsloom-extract/999-")
    monkeypatch.setattr(extraction, "extractor_version", lambda: bumped)
    import processing.pipeline.stages as stages

    monkeypatch.setattr(stages, "extractor_version", lambda: bumped)
    first, last = ANCHOR - timedelta(days=1), ANCHOR
    args = [
        "reprocess",
        "--outlet",
        "sohr_ar",
        "--from",
        first.isoformat(),
        "--to",
        last.isoformat(),
    ]
    assert main(args) == 0
    assert "rewrote" in capsys.readouterr().out
    after = {r["article_id"]: r for r in rows_of(corpus, "sohr_ar")}
    assert after.keys() == before.keys()
    in_range = [a for a, r in after.items() if first <= r["published_at"].date() <= last]
    assert in_range and all(after[a]["extractor_version"] == bumped for a in in_range)
    assert all(after[a]["run_id"].startswith("reprocess.sohr_ar.") for a in in_range)
    assert all(after[a]["ingested_at"] == before[a]["ingested_at"] for a in in_range)
    assert all(after[a]["raw_ref"] == before[a]["raw_ref"] for a in in_range)


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
