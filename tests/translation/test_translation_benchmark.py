"""The translation benchmark's machinery (not its speeds): variants, identical workloads for
every backend, quiet-round medians, the docs section it rewrites, and one tiny end-to-end run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks import translation as bench
from tests.conftest import missing_shared_data


def test_variants_parse_with_options():
    v = bench.Variant.parse("ctranslate2-int8[intra=1,inter=2,isa=AVX512]")
    assert (v.backend, v.precision) == ("ctranslate2", "int8")
    assert v.options == {"intra": "1", "inter": "2", "isa": "AVX512"}
    assert v.env() == {"CT2_FORCE_CPU_ISA": "AVX512"}
    assert bench.Variant.parse("transformers-float32").options == {}
    with pytest.raises(ValueError):
        bench.Variant.parse("onnx-int8")
    with pytest.raises(ValueError):
        bench.Variant.parse("ctranslate2-int8[color=red]")
    assert bench.split_variants("transformers-float32, ctranslate2-int8[intra=1,inter=2]") == [
        "transformers-float32",
        "ctranslate2-int8[intra=1,inter=2]",
    ]


def test_batch_size_labels():
    assert bench.parse_size("32") == (32, False)
    assert bench.parse_size("1s") == (1, True)
    assert bench.describe_size("1s") == "1, one at a time"
    assert bench.timed_batches("1s") == bench.timed_batches("1") == bench.TIMED_BATCHES[1]
    with pytest.raises(ValueError):
        bench.parse_size("x")


def test_workload_is_deterministic_sorted_and_spans_lengths():
    ids = [[7] * n for n in (5, 40, 12, 3, 33, 21, 8, 17, 26, 9, 14, 30)]
    a = bench.workload(ids, 3, 2)
    assert a == bench.workload(ids, 3, 2)  # every backend and round: the same batches
    assert [len(b) for b in a] == [3, 3]
    first, last = ([len(x) for x in b] for b in a)
    assert first == sorted(first) and last == sorted(last)
    assert max(first) <= min(last)  # a short batch and a long batch
    assert len(bench.workload(ids, 1, 6)) == 6
    assert bench.workload([[1] * 300], 1, 1) == [[[1] * bench.MAX_SOURCE_TOKENS]]


def _round(batch: str, base: float, other: float, load: float) -> dict:
    return {
        "batch": batch,
        "measurements": {
            "A": {"tokens_per_s": base, "foreign_cores": load},
            "B": {"tokens_per_s": other, "foreign_cores": load},
        },
    }


def test_medians_use_quiet_rounds_when_there_are_enough():
    rounds = [
        _round("1", 10, 40, 0.0),
        _round("1", 10, 42, 0.1),
        _round("1", 10, 38, 0.2),
        _round("1", 2, 40, 1.5),  # loaded: transformers collapses, the ratio means nothing
    ]
    s = bench.summarize_rounds(rounds, ["A", "B"], ["1"], quiet_cores=0.35)["1"]
    assert (s["rounds"], s["quiet_rounds"], s["used"]) == (4, 3, "quiet")
    ratio = s["variants"]["B"]["ratio"]
    assert ratio["median"] == pytest.approx(4.0)
    assert (ratio["min"], ratio["max"]) == (pytest.approx(3.8), pytest.approx(4.2))
    assert ratio["spread"] == pytest.approx(0.05)
    # Fewer than three quiet rounds: all rounds count, and the summary says so.
    s = bench.summarize_rounds(rounds[2:], ["A", "B"], ["1"], quiet_cores=0.35)["1"]
    assert s["used"] == "all" and s["quiet_rounds"] == 1


def test_docs_update_replaces_only_its_own_subsection():
    text = (
        "# Benchmarks\n\nIntro.\n\n## Translation throughput\n\nProse kept.\n\n### CPU\n\nold "
        "table\n\n### What was tried\n\nnotes kept\n\n## Extraction quality\n\nother kept\n"
    )
    out = bench.replace_subsection(text, "### CPU", "### CPU\n\nnew table\n")
    assert "new table" in out and "old table" not in out
    for kept in ("Intro.", "Prose kept.", "notes kept", "## Extraction quality\n\nother kept"):
        assert kept in out
    out2 = bench.replace_subsection(out, "### GPU", "### GPU\n\ngpu table")
    assert out2.index("gpu table") < out2.index("## Extraction quality")
    assert "new table" in out2 and "other kept" in out2
    assert bench.replace_subsection(out2, "### GPU", "### GPU\n\ngpu table") == out2


def test_tiny_end_to_end_run(tiny_model_dir: Path, tmp_path: Path, monkeypatch):
    """The whole driver with the tiny model standing in for the big one: two worker
    processes, interleaved rounds, the JSON report and the docs table."""
    if bench.ntrex_sentences() is None:
        missing_shared_data(bench.NTREX)
    shutil.copytree(tiny_model_dir, tmp_path / "work" / "hf")
    docs = tmp_path / "BENCHMARKS.md"
    docs.write_text("# Benchmarks\n\n## Translation throughput\n\n### CPU\n\nold\n")
    monkeypatch.setattr(bench, "DOCS", docs)
    out = tmp_path / "report.json"
    argv = ["--work", str(tmp_path / "work"), "--out", str(out), "--rounds", "2"]
    argv += ["--batch-sizes", "1s,4", "--new-tokens", "4", "--max-wait", "0"]
    argv += ["--quiet-cores", "inf", "--update-docs", "--force-docs"]
    assert bench.main(argv) == 0
    report = json.loads(out.read_text())
    assert report["variants"] == ["transformers-float32", "ctranslate2-int8"]
    assert [r["batch"] for r in report["rounds"]] == ["1s", "1s", "4", "4"]
    assert report["rounds"][0]["order"] != report["rounds"][1]["order"]  # A B, then B A
    for r in report["rounds"]:
        for m in r["measurements"].values():
            assert m["target_lengths"] == [4]  # forced length, both backends
            size, _ = bench.parse_size(r["batch"])
            assert m["sentences"] == size * bench.timed_batches(r["batch"])
        a, b = r["measurements"].values()
        assert a["source_tokens"] == b["source_tokens"]  # the very same inputs
    text = docs.read_text()
    assert "| transformers-float32 |" in text and "| ctranslate2-int8 |" in text
    assert "### CPU, previous run\n\nold" in text  # the table it replaced


def test_docs_keep_the_previous_run_beside_the_new_one(tmp_path: Path, monkeypatch):
    docs = tmp_path / "BENCHMARKS.md"
    docs.write_text(
        "# Benchmarks\n\n## Translation throughput\n\nProse.\n\n### CPU\n\nfirst table\n\n"
        "### Tried\n\nnotes\n\n## Extraction quality\n\nkept\n"
    )
    monkeypatch.setattr(bench, "DOCS", docs)
    monkeypatch.setattr(bench, "table", lambda report: f"table of {report['date']}")
    report = {
        "device": "cpu",
        "machine": "m",
        "date": "second",
        "loadavg_before": "0",
        "loadavg_after": "0",
        "seconds": 1.0,
        "vs_previous": None,
    }
    bench.update_docs(report, "cmd")
    text = docs.read_text()
    assert "### CPU\n\nCommand: `cmd`" in text and "table of second" in text
    assert "### CPU, previous run\n\nfirst table" in text
    bench.update_docs({**report, "date": "third"}, "cmd")
    text = docs.read_text()
    assert "table of third" in text and "first table" not in text
    assert text.index("### CPU\n") < text.index("table of third") < text.index("### CPU, prev")
    assert text.index("### CPU, previous run") < text.index("table of second")
    assert text.count("### CPU\n") == 1 and text.count("### CPU, previous run") == 1
    assert text.endswith("## Extraction quality\n\nkept\n") and "Prose." in text
    assert text.index("### CPU, previous run") < text.index("### Tried\n\nnotes\n\n## Extr")
    assert "\n\n\n" not in text


def test_comparison_with_the_previous_run_and_the_docs_guard():
    def report(ratio: float, used: str = "quiet") -> dict:
        per = {"A": {"ratio": {"median": 1.0}}, "B": {"ratio": {"median": ratio}}}
        return {
            "device": "cpu",
            "variants": ["A", "B"],
            "date": "d",
            "summary": {"32": {"used": used, "variants": per}},
        }

    vs = bench.compare(report(4.4), report(4.0))
    assert vs["changes"]["32"]["B"] == pytest.approx(0.1)
    assert bench.compare(report(4.4), {**report(4.0), "variants": ["A", "C"]}) is None
    assert bench.docs_problem(report(4.0)) is None
    assert "quiet" in bench.docs_problem(report(4.0, used="all"))


def test_the_benchmark_forces_the_length_through_the_decoding_options(
    tiny_model_dir: Path, tmp_path: Path, make_settings
):
    """The pipeline's backends have no length-forcing parameter (it was there only for the
    benchmark); the benchmark sets the backends' decoding options itself, and every sentence
    then generates exactly the asked number of tokens on both backends."""
    import inspect

    from processing.translation.backends import (
        Backend,
        CTranslate2Backend,
        ModelRef,
        TransformersBackend,
        convert_model,
    )

    for method in (Backend.generate, Backend.generate_batches):
        assert "min_new_tokens" not in inspect.signature(method).parameters
    transformers = TransformersBackend(
        ModelRef(str(tiny_model_dir), tiny_model_dir, "tiny"), make_settings()
    )
    ct2_dir = convert_model(str(tiny_model_dir), tmp_path / "ct2", "int8")
    ct2 = CTranslate2Backend(ct2_dir, "cpu", "int8", 1, 1)
    for impl in (transformers, ct2):
        ids = impl.tokenizer(["سقط المطر", "قال المسؤول إن الطريق مغلق"])["input_ids"]
        bench.force_length(impl, 9)
        assert [len(o) for o in impl.generate(ids, 9, 1)] == [9, 9], impl.variant
