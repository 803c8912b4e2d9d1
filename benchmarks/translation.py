"""Translation throughput: transformers (float32) against CTranslate2 (int8 and float32).

    python -m benchmarks.translation [--new-tokens 64] [--batch-sizes 1,8,32] [--update-docs]

The model is a RANDOMLY INITIALISED MarianMT with the real architecture of
Helsinki-NLP/opus-mt-ar-en (6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary 62,834,
512 positions, swish, shared embeddings), since the hub is unreachable offline. Its
sentencepiece models are trained on the NTREX-128 Arabic and English text (8,000 pieces each);
vocab.json is padded with unused entries up to the real vocabulary size, so the output layer
costs what it costs in the real model. Inputs are real Arabic news sentences (NTREX-128,
../shared/data/ntrex-ar-en). Output length is forced: every sentence generates exactly
``--new-tokens`` tokens in both backends (``min_new_tokens = max_new_tokens`` for
transformers, ``min_decoding_length = max_decoding_length`` for CTranslate2), greedy, so the
backends do the same amount of work. Generation goes through the pipeline's own backend classes
(``processing.translation.backends``).

Each backend runs in its own subprocess (peak RSS = that process's ``ru_maxrss``, model and
libraries included) with two threads (``torch.set_num_threads(2)``, CTranslate2
``intra_threads=2``). Results: a table on stdout and ``benchmarks/out/translation.json``;
``--update-docs`` rewrites the "Translation throughput" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NTREX = ROOT.parent / "shared" / "data" / "ntrex-ar-en"
OUT = ROOT / "benchmarks" / "out" / "translation.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Translation throughput"

VOCAB_SIZE = 62834  # Helsinki-NLP/opus-mt-ar-en: vocab_size = decoder_vocab_size = 62834
SPM_VOCAB = 8000
THREADS = 2
BACKENDS = ("transformers-float32", "ctranslate2-int8", "ctranslate2-float32")
TIMED_BATCHES = {1: 32, 8: 6, 32: 2}  # timed batches per batch size (after one warm-up)


def ntrex_sentences() -> tuple[list[str], list[str]] | None:
    ar, en = NTREX / "newstest2019-ref.arb.txt", NTREX / "newstest2019-src.eng.txt"
    if not (ar.is_file() and en.is_file()):
        return None
    read = lambda p: [s.strip() for s in p.read_text(encoding="utf-8").splitlines() if s.strip()]  # noqa: E731
    return read(ar), read(en)


# ---- the model ---------------------------------------------------------------------------
def build_model(out_dir: Path, arabic: list[str], english: list[str]) -> Path:
    """A random opus-mt-ar-en-shaped Marian model with sentencepiece models trained on NTREX."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    from devkit.tiny_model import marian_spm_and_vocab

    vocab = marian_spm_and_vocab(out_dir, arabic, english, SPM_VOCAB, VOCAB_SIZE, THREADS)
    pad = vocab["<pad>"]
    assert len(vocab) == VOCAB_SIZE
    tokenizer = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        model_max_length=512,
    )
    config = MarianConfig(
        vocab_size=VOCAB_SIZE,
        decoder_vocab_size=VOCAB_SIZE,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=0,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()  # type: ignore[index]
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad,
        eos_token_id=0,
        pad_token_id=pad,
        forced_eos_token_id=0,
        bad_words_ids=[[pad]],
        max_length=512,
        num_beams=4,
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


# ---- one backend, in its own process -----------------------------------------------------
def worker(
    backend: str, model_dir: Path, ct2_dir: Path | None, new_tokens: int, batch_sizes: list[int]
) -> dict[str, Any]:
    from processing.core.config import Settings
    from processing.translation.backends import CTranslate2Backend, ModelRef, TransformersBackend

    started = time.monotonic()
    if backend.startswith("transformers"):
        import torch

        torch.set_num_threads(THREADS)
        settings = Settings(
            state_dir=model_dir,
            s3_endpoint=None,
            s3_bucket="-",
            s3_region="-",
            embedded_s3_port=0,
            mirror_url=None,
            translation_device="cpu",
            translation_threads=THREADS,
        )
        impl: Any = TransformersBackend(ModelRef(str(model_dir), model_dir, "random"), settings)
    else:
        assert ct2_dir is not None
        impl = CTranslate2Backend(ct2_dir, "cpu", backend.split("-", 1)[1], THREADS)
    load_s = time.monotonic() - started
    sentences = ntrex_sentences()
    assert sentences is not None
    ids = impl.tokenizer(sentences[0], verbose=False)["input_ids"]
    ids = [x[:256] for x in ids]
    cursor = 0
    rows = []

    def take(size: int) -> list[list[int]]:
        nonlocal cursor
        batch = [ids[(cursor + k) % len(ids)] for k in range(size)]
        cursor += size
        return batch

    for size in batch_sizes:
        impl.generate(take(size), new_tokens, 1, min_new_tokens=new_tokens)  # warm-up
        cursor = 0  # every backend times the same sentences
        generated, source, lengths, seconds = 0, 0, set(), 0.0
        for _ in range(TIMED_BATCHES.get(size, 2)):
            batch = take(size)
            t0 = time.perf_counter()
            out = impl.generate(batch, new_tokens, 1, min_new_tokens=new_tokens)
            seconds += time.perf_counter() - t0
            generated += sum(len(o) for o in out)
            source += sum(len(b) for b in batch)
            lengths |= {len(o) for o in out}
        rows.append(
            {
                "batch": size,
                "sentences": TIMED_BATCHES.get(size, 2) * size,
                "source_tokens": source,
                "target_tokens": generated,
                "target_lengths": sorted(lengths),
                "seconds": round(seconds, 3),
                "tokens_per_s": round(generated / seconds, 1),
            }
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "backend": backend,
        "load_seconds": round(load_s, 2),
        "peak_rss_mb": round(peak_mb),
        "vm_hwm_mb": _vm_hwm_mb(),
        "results": rows,
    }


def _vm_hwm_mb() -> int | None:
    """This process's own peak RSS (Linux); unlike ru_maxrss it does not inherit the parent's
    peak across fork+exec (the driver keeps its own small anyway, see ``prepare``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def prepare(work: Path) -> dict[str, str]:
    """Build the model and its CTranslate2 conversions (run in a subprocess: the driver stays
    small, so the workers' ru_maxrss, which Linux carries over fork+exec, is their own)."""
    from processing.translation.backends import convert_model

    sentences = ntrex_sentences()
    assert sentences is not None
    model_dir = build_model(work / "hf", *sentences)
    paths = {"model": str(model_dir)}
    for backend in BACKENDS:
        if backend.startswith("ctranslate2"):
            quantization = backend.split("-", 1)[1]
            paths[backend] = str(
                convert_model(
                    str(model_dir), work / f"ct2-{quantization}", quantization, version="random"
                )
            )
    return paths


# ---- driver ------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} CPU cores ({cpu}), no GPU, {THREADS} threads per backend"


def table(report: dict[str, Any]) -> str:
    base = {
        r["batch"]: r["tokens_per_s"]
        for b in report["backends"]
        if b["backend"] == "transformers-float32"
        for r in b["results"]
    }
    lines = [
        "| backend | batch | target tokens/s | speedup vs transformers fp32 | peak RSS MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for b in report["backends"]:
        for r in b["results"]:
            speed = r["tokens_per_s"] / base[r["batch"]] if base.get(r["batch"]) else float("nan")
            lines.append(
                f"| {b['backend']} | {r['batch']} | {r['tokens_per_s']:.1f} | "
                f"{speed:.2f}x | {b['peak_rss_mb']} |"
            )
    return "\n".join(lines)


def update_docs(report: dict[str, Any], command: str) -> None:
    text = (
        DOCS.read_text(encoding="utf-8")
        if DOCS.is_file()
        else (
            "# Benchmarks\n\nReproducible measurements; each section names the command that "
            "produced it.\n"
        )
    )
    section = "\n".join(
        [
            SECTION,
            "",
            f"Command: `{command}` (`make bench` runs it too). Machine: {report['machine']}.",
            f"Model: randomly initialised MarianMT with the architecture of "
            f"Helsinki-NLP/opus-mt-ar-en (6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary "
            f"{VOCAB_SIZE}); inputs: real Arabic sentences from NTREX-128; every sentence generates "  # noqa: E501
            f"exactly {report['new_tokens']} target tokens in every backend, greedy. Each backend "
            "runs in its own process; peak RSS is that process's maximum (libraries and model "
            "included). Measured " + report["date"] + ".",
            "",
            table(report),
            "",
        ]
    )
    if SECTION in text:
        start = text.index(SECTION)
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[nxt + 1 :] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.translation")
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--batch-sizes", default="1,8,32")
    parser.add_argument("--update-docs", action="store_true")
    parser.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ct2-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.batch_sizes.split(",") if s]

    if args.prepare:
        print(json.dumps(prepare(args.prepare)))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.model_dir, args.ct2_dir, args.new_tokens, sizes)))
        return 0

    sentences = ntrex_sentences()
    if sentences is None:
        print(f"SKIPPED: {NTREX} is absent (the benchmark needs real Arabic sentences)")
        return 0
    started = time.monotonic()
    report: dict[str, Any] = {
        "machine": machine(),
        "new_tokens": args.new_tokens,
        "date": time.strftime("%Y-%m-%d"),
        "backends": [],
    }
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS), HF_HUB_OFFLINE="1")

    def run(*extra: str) -> dict[str, Any]:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.translation", *extra],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"benchmark step {extra[:2]} failed ({proc.returncode})")
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))

    with tempfile.TemporaryDirectory(prefix="newsloom-bench-") as tmp:
        print(
            "building a random opus-mt-ar-en-shaped model and its CTranslate2 conversions ...",
            flush=True,
        )
        paths = run("--prepare", tmp)
        for backend in BACKENDS:
            print(f"running {backend} ...", flush=True)
            extra = [
                "--worker",
                backend,
                "--model-dir",
                paths["model"],
                "--new-tokens",
                str(args.new_tokens),
                "--batch-sizes",
                args.batch_sizes,
            ]
            if backend in paths:
                extra += ["--ct2-dir", paths[backend]]
            report["backends"].append(run(*extra))
    report["seconds"] = round(time.monotonic() - started, 1)
    print()
    print(table(report))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\n{OUT.relative_to(ROOT)} written ({report['seconds']} s)")
    if args.update_docs:
        update_docs(report, "python -m benchmarks.translation")
        print(f"{DOCS.relative_to(ROOT)} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
