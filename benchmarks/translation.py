"""Translation throughput: transformers against CTranslate2, interleaved in rounds.

    python -m benchmarks.translation [--rounds 7] [--batch-sizes 1,8,32] [--update-docs]
    python -m benchmarks.translation --variants "transformers-float32,ctranslate2-int8[intra=2]"
    python -m benchmarks.translation --device cuda          # the GPU table (see below)

The model is a RANDOMLY INITIALISED MarianMT with the real architecture of
Helsinki-NLP/opus-mt-ar-en (6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary 62,834, 512
positions, swish, shared embeddings), since the hub is unreachable offline. Its sentencepiece
models are trained on the NTREX-128 Arabic and English text (8,000 pieces each). vocab.json is
padded with unused entries up to the real vocabulary size, so the whole output layer costs what
it costs in the real model. target.spm is given the real model's 32,000 pieces (unused entries,
never matched in text), so the target-side output layer CTranslate2 decodes with
(``backends.target_output_tokens``) keeps as many rows as the real model's: 32,000 of 62,834;
``ctranslate2-int8[vmap=0]`` scores the whole vocabulary. Inputs are real Arabic news sentences
(NTREX-128, ../shared/data/ntrex-ar-en), sorted by length and cut into batches as the pipeline
does (``processing.translation.engine``); every backend gets exactly the same batches. Output
length is forced: every sentence generates exactly ``--new-tokens`` tokens in every backend
(``min_new_tokens = max_new_tokens`` for transformers, ``min_decoding_length =
max_decoding_length`` for CTranslate2), greedy, so the backends do the same amount of work.
Generation goes through the pipeline's own backend classes
(``processing.translation.backends``) with the pipeline's own CPU thread plan
(``cpu_thread_plan``) unless a variant overrides it.

How the ratios are made to hold on a shared machine:

- Each variant runs in its own long-lived worker process with its model loaded and warmed up
  once; the driver asks the workers in turn, so measurements alternate (A B, then B A in the
  next round, ...) and each ratio compares two measurements taken seconds apart.
- Several rounds; the table gives the median ratio over rounds and its spread (min-max).
- The driver measures the CPU time other processes used during every measurement (from
  ``/proc/stat``, minus the worker's own). Before each pair it waits (up to ``--max-wait``
  seconds) for the machine to be quiet; a round in which other processes used more than
  ``--quiet-cores`` of a core during either measurement is "loaded": it is reported, but the
  medians use quiet rounds only, and extra rounds (up to ``--rounds`` more) are run to replace
  loaded ones. (Two OpenMP threads on two busy cores slow down transformers' batch-1 decoding by
  up to 6x and CTranslate2's by far less, so a loaded round measures the load, not the backends.)

Results: a table on stdout and ``benchmarks/out/translation[-cuda].json``; ``--update-docs``
rewrites this benchmark's section of docs/BENCHMARKS.md (CPU and GPU tables are separate
subsections; only the one measured is replaced).

GPU: ``--device cuda`` compares transformers float16 with CTranslate2 float16 and
int8_float16 at larger batch sizes, and reports target tokens/s and peak GPU memory
(``torch.cuda.max_memory_allocated`` for transformers; the device's used memory above the
idle baseline, from ``torch.cuda.mem_get_info``, for CTranslate2). ``benchmarks/translation_gpu.sh``
is the one short script to run on a GPU machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
# Real-world data beside the checkout (../shared/data), or where NEWSLOOM_SHARED_DATA says.
SHARED_DATA = Path(os.environ.get("NEWSLOOM_SHARED_DATA") or ROOT.parent / "shared" / "data")
NTREX = SHARED_DATA / "ntrex-ar-en"
OUT_DIR = ROOT / "benchmarks" / "out"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Translation throughput"
SUBSECTIONS = {"cpu": "### CPU", "cuda": "### GPU"}

VOCAB_SIZE = 62834  # Helsinki-NLP/opus-mt-ar-en: vocab_size = decoder_vocab_size = 62834
SPM_VOCAB = 8000
# OPUS-MT models ("opus.spm32k-spm32k") cut each side with its own 32k-piece sentencepiece
# model; the shared vocabulary (62,834 for ar-en) is the two put together.
TARGET_SPM_PIECES = 32000
MAX_SOURCE_TOKENS = 256  # the pipeline's default segment budget
DEFAULT_VARIANTS = {
    "cpu": "transformers-float32,ctranslate2-int8",
    "cuda": "transformers-float16,ctranslate2-float16,ctranslate2-int8_float16",
}
DEFAULT_BATCH_SIZES = {"cpu": "1s,1,8,32", "cuda": "1s,32,128,512"}
# Sentences timed per measurement: batch size -> number of batches.
TIMED_BATCHES = {1: 12, 8: 2, 32: 2}


# ---- inputs ------------------------------------------------------------------------------
def ntrex_sentences() -> tuple[list[str], list[str]] | None:
    ar, en = NTREX / "newstest2019-ref.arb.txt", NTREX / "newstest2019-src.eng.txt"
    if not (ar.is_file() and en.is_file()):
        return None

    def read(p: Path) -> list[str]:
        return [s.strip() for s in p.read_text(encoding="utf-8").splitlines() if s.strip()]

    return read(ar), read(en)


def parse_size(label: str) -> tuple[int, bool]:
    """A batch-size label: ``32`` (a stream of batches of 32: the backend may run several at
    once, as the pipeline lets it) or ``1s`` (one sentence at a time, each waited for: latency)."""
    label = str(label).strip()
    sequential = label.endswith("s")
    return int(label.rstrip("s")), sequential


def describe_size(label: str) -> str:
    size, sequential = parse_size(label)
    return f"{size}, one at a time" if sequential else str(size)


def timed_batches(label: str | int) -> int:
    size, _ = parse_size(str(label))
    return TIMED_BATCHES.get(size, 2 if size < 128 else 1)


def workload(ids: list[list[int]], size: int, count: int) -> list[list[list[int]]]:
    """``count`` batches of ``size`` sentences: the sentences sorted by length (as the pipeline
    does), cut into batches, and ``count`` of them taken at evenly spaced quantiles of length
    (so short, typical and long sentences all count). Deterministic: every backend and every
    round get the same batches."""
    ids = [x[:MAX_SOURCE_TOKENS] for x in ids]
    order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
    chunks = [order[k : k + size] for k in range(0, len(order) - size + 1, size)]
    if not chunks:
        chunks = [order]
    count = min(count, len(chunks))
    spots = [min(len(chunks) - 1, int((k + 0.5) * len(chunks) / count)) for k in range(count)]
    picks = [chunks[k] for k in spots]
    return [[ids[i] for i in chunk] for chunk in picks]


# ---- the model ---------------------------------------------------------------------------
def grow_target_spm(path: Path, vocab: dict[str, int], size: int) -> None:
    """Give the target sentencepiece model the real model's size: the vocabulary's unused
    entries are added to it as pieces (ordinary ones, scored below every trained piece, and
    never matched in text) until it has ``size`` pieces. CTranslate2's output layer then keeps
    as many rows as the real model's does (``backends.target_output_tokens``)."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    proto = pb.ModelProto()
    proto.ParseFromString(path.read_bytes())
    normal = pb.ModelProto.SentencePiece.NORMAL
    have = {p.piece for p in proto.pieces}
    floor = min(p.score for p in proto.pieces if p.type == normal)
    for token in vocab:
        if len(proto.pieces) >= size:
            break
        if token.startswith("<unused") and token not in have:
            proto.pieces.add(piece=token, score=floor - 1.0, type=normal)
    path.write_bytes(proto.SerializeToString())


def build_model(out_dir: Path, arabic: list[str], english: list[str]) -> Path:
    """A random opus-mt-ar-en-shaped Marian model with sentencepiece models trained on NTREX."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    from devkit.tiny_model import marian_spm_and_vocab

    vocab = marian_spm_and_vocab(out_dir, arabic, english, SPM_VOCAB, VOCAB_SIZE, 2)
    grow_target_spm(out_dir / "target.spm", vocab, TARGET_SPM_PIECES)
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
    from processing.translation.backends import quiet_loading

    with quiet_loading():
        model.save_pretrained(out_dir)
        tokenizer.save_pretrained(out_dir)
    return out_dir


def prepare(work: Path, quantizations: list[str]) -> dict[str, str]:
    """Build the model (once per work directory) and the CTranslate2 conversions it lacks."""
    from processing.translation.backends import CT2_META, convert_model

    sentences = ntrex_sentences()
    assert sentences is not None
    model_dir = work / "hf"
    if not (model_dir / "model.safetensors").is_file():
        model_dir.mkdir(parents=True, exist_ok=True)
        build_model(model_dir, *sentences)
    paths = {"model": str(model_dir)}
    for quantization in quantizations:
        out = work / f"ct2-{quantization}"
        if not (out / CT2_META).is_file():
            convert_model(str(model_dir), out, quantization, version="random")
        paths[quantization] = str(out)
    return paths


# ---- variants ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    """``backend-precision[key=value,...]``, e.g. ``ctranslate2-int8[intra=1,inter=2]``.

    Keys: ``intra``/``inter`` (CTranslate2 threads per replica / replicas; default: the
    pipeline's ``cpu_thread_plan``), ``threads`` (transformers' torch threads; default: every
    core, as a new user gets), ``isa`` (``CT2_FORCE_CPU_ISA``), ``mkl`` (``CT2_USE_MKL``),
    ``vmap`` (``0``: score the whole vocabulary, as before the target-side output layer)."""

    spec: str
    backend: str
    precision: str
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str) -> Variant:
        spec = spec.strip()
        head, _, rest = spec.partition("[")
        backend, _, precision = head.partition("-")
        if backend not in ("transformers", "ctranslate2") or not precision:
            raise ValueError(f"unknown variant {spec!r}: use transformers-PREC or ctranslate2-PREC")
        options = {}
        for item in rest.rstrip("]").split(","):
            if item.strip():
                key, _, value = item.partition("=")
                if key.strip() not in ("intra", "inter", "threads", "isa", "mkl", "vmap"):
                    raise ValueError(f"unknown option {key!r} in variant {spec!r}")
                options[key.strip()] = value.strip()
        return cls(spec, backend, precision, options)

    def env(self) -> dict[str, str]:
        env = {}
        if "isa" in self.options:
            env["CT2_FORCE_CPU_ISA"] = self.options["isa"]
        if "mkl" in self.options:
            env["CT2_USE_MKL"] = self.options["mkl"]
        return env


def split_variants(text: str) -> list[str]:
    """Comma-separated variants; commas inside [...] belong to the variant."""
    out, depth, current = [], 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return [v.strip() for v in out if v.strip()]


# ---- one variant, in its own long-lived process ------------------------------------------
def force_length(impl: Any, new_tokens: int) -> None:
    """Every sentence generates exactly ``new_tokens`` tokens (``</s>`` held back until then),
    whatever the backend, so they all do the same amount of work: the benchmark's own use of
    the backends' decoding options (``generation`` for transformers, ``decoding`` for
    CTranslate2), which the pipeline leaves at "never empty"."""
    generation = getattr(impl, "generation", None)
    if generation is not None:
        generation.min_new_tokens = new_tokens
    else:
        impl.decoding["min_decoding_length"] = new_tokens


class Worker:
    """Inside the worker process: the loaded backend and its workloads."""

    def __init__(
        self, variant: Variant, paths: dict[str, str], device: str, new_tokens: int, beams: int
    ) -> None:
        from processing.translation.backends import (
            CTranslate2Backend,
            ModelRef,
            TransformersBackend,
            cpu_thread_plan,
        )

        self.variant = variant
        self.device = device
        self.new_tokens = new_tokens
        self.beams = beams
        started = time.monotonic()
        self.baseline_gpu = _gpu_used_mb() if device == "cuda" else None
        self.impl: Any
        if variant.backend == "transformers":
            import torch

            threads = int(variant.options.get("threads", 0)) or _cores()
            torch.set_num_threads(threads)
            self.plan = f"{threads} torch threads"
            model_dir = Path(paths["model"])
            settings = _settings(model_dir, device, threads)
            self.impl = TransformersBackend(ModelRef(str(model_dir), model_dir, "random"), settings)
            if device == "cpu" and variant.precision != "float32":
                raise SystemExit("transformers runs float32 on CPU")
        else:
            intra, inter = cpu_thread_plan(_cores()) if device == "cpu" else (0, 1)
            intra = int(variant.options.get("intra", intra))
            inter = int(variant.options.get("inter", inter))
            self.plan = f"{inter} x {intra} threads" if device == "cpu" else "GPU"
            vmap = variant.options.get("vmap", "1") != "0"
            self.impl = CTranslate2Backend(
                Path(paths[variant.precision]), device, variant.precision, intra, inter, vmap
            )
            out = self.impl.output_tokens
            self.plan += f", {out:,}-token output layer" if out else ", whole vocabulary"
        force_length(self.impl, new_tokens)
        self.load_seconds = time.monotonic() - started
        sentences = ntrex_sentences()
        assert sentences is not None
        self.ids: list[list[int]] = self.impl.tokenizer(sentences[0], verbose=False)["input_ids"]

    def run(self, label: str, count: int) -> dict[str, Any]:
        size, sequential = parse_size(label)
        batches = workload(self.ids, size, count)
        n = self.new_tokens
        if self.device == "cuda":
            _cuda_sync()
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        if sequential:  # each batch waited for before the next one is given
            outputs = [self.impl.generate(b, n, self.beams) for b in batches]
        else:  # as the pipeline's engine does: all the batches handed over at once
            limits = [n] * len(batches)
            outputs = list(self.impl.generate_batches(batches, limits, self.beams))
        if self.device == "cuda":
            _cuda_sync()
        seconds = time.perf_counter() - t0
        generated = sum(len(o) for out in outputs for o in out)
        lengths = {len(o) for out in outputs for o in out}
        return {
            "batch": label,
            "sentences": sum(len(b) for b in batches),
            "source_tokens": sum(len(x) for b in batches for x in b),
            "target_tokens": generated,
            "target_lengths": sorted(lengths),
            "seconds": seconds,
            "cpu_seconds": time.process_time() - cpu0,
            "tokens_per_s": generated / seconds,
        }

    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "variant": self.variant.spec,
            "plan": self.plan,
            "load_seconds": round(self.load_seconds, 2),
            "peak_rss_mb": _vm_hwm_mb(),
        }
        if self.device == "cuda":
            info["gpu_memory_mb"] = _gpu_peak_mb(self.variant.backend, self.baseline_gpu)
        return info


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _settings(model_dir: Path, device: str, threads: int) -> Any:
    from processing.core.config import Settings

    return Settings(
        state_dir=model_dir,
        s3_endpoint=None,
        s3_bucket="-",
        s3_region="-",
        embedded_s3_port=0,
        translation_device=device,
        translation_threads=threads,
    )


def _cuda_sync() -> None:
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.synchronize()
    except ImportError:
        pass


def _gpu_used_mb() -> int | None:
    try:
        import torch

        free, total = torch.cuda.mem_get_info()
        return round((total - free) / 2**20)
    except Exception:  # no torch, or no CUDA: no figure
        return None


def _nvidia_smi(*args: str) -> str | None:
    """nvidia-smi's output for ``args``; None when it is missing or fails."""
    try:
        return subprocess.run(
            ["nvidia-smi", *args], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _gpu_process_mb(pid: int) -> int | None:
    """GPU memory held by process ``pid`` as nvidia-smi reports it (CUDA context included);
    None when nvidia-smi is missing or does not list the pid (another pid namespace)."""
    out = _nvidia_smi("--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits")
    for row in (out or "").splitlines():
        parts = [x.strip() for x in row.split(",")]
        if len(parts) == 2 and parts[0] == str(pid) and parts[1].isdigit():
            return int(parts[1])
    return None


def _gpu_peak_mb(backend: str, baseline: int | None) -> str | None:
    """The worker's GPU memory: per process from nvidia-smi when it can tell; else
    ``torch.cuda.max_memory_allocated`` (transformers) or the device's used memory above what
    it was before the model loaded (CTranslate2; approximate: other processes count too)."""
    own = _gpu_process_mb(os.getpid())
    if own is not None:
        return str(own)
    if backend == "transformers":
        import torch

        return f"{round(torch.cuda.max_memory_allocated() / 2**20)} (allocated)"
    used = _gpu_used_mb()  # CTranslate2's caching allocator keeps its peak: used ~ peak
    return None if used is None or baseline is None else f"~{used - baseline} (device delta)"


def _vm_hwm_mb() -> int | None:
    """This process's own peak RSS (Linux), model and libraries included."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def _exit_with_parent() -> None:
    """A worker whose driver died (killed, interrupted) must not keep loading the machine."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def serve(variant: Variant, paths: dict[str, str], device: str, new_tokens: int, beams: int) -> int:
    """The worker's loop: one JSON command per stdin line, one JSON answer per stdout line."""
    _exit_with_parent()
    worker = Worker(variant, paths, device, new_tokens, beams)
    out = sys.stdout
    sys.stdout = sys.stderr  # library prints must not corrupt the protocol
    out.write(json.dumps({"ready": True, **worker.info()}) + "\n")
    out.flush()
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "run":
            answer: dict[str, Any] = worker.run(str(cmd["batch"]), cmd["count"])
        elif cmd["cmd"] == "info":
            answer = worker.info()
        else:
            break
        out.write(json.dumps(answer) + "\n")
        out.flush()
    return 0


# ---- the driver's view of the machine ----------------------------------------------------
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _busy_ticks() -> int | None:
    """CPU ticks spent busy by the whole machine (steal included: it is lost to us too)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle


def _process_ticks(pid: int) -> int:
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _own_ticks() -> int:
    t = os.times()
    return round((t.user + t.system) * CLK_TCK)


class LoadMeter:
    """Cores' worth of CPU used by processes other than ours over an interval."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.available = _busy_ticks() is not None

    @contextmanager
    def measure(self) -> Iterator[dict[str, float]]:
        box: dict[str, float] = {}
        b0, o0, t0 = _busy_ticks(), self._ours(), time.perf_counter()
        yield box
        b1, o1, t1 = _busy_ticks(), self._ours(), time.perf_counter()
        if b0 is None or b1 is None:
            box["foreign_cores"] = float("nan")
        else:
            box["foreign_cores"] = max(0.0, ((b1 - b0) - (o1 - o0)) / CLK_TCK / (t1 - t0))

    def _ours(self) -> int:
        return _own_ticks() + sum(_process_ticks(pid) for pid in self.pids)

    def wait_quiet(self, threshold: float, max_wait: float, window: float = 2.0) -> float:
        """Wait until other processes use less than ``threshold`` cores over ``window``
        seconds, or ``max_wait`` seconds have passed; returns the last load seen."""
        if not self.available or math.isinf(threshold):
            return float("nan")
        deadline = time.monotonic() + max_wait
        while True:
            with self.measure() as box:
                time.sleep(window)
            if box["foreign_cores"] < threshold or time.monotonic() >= deadline:
                return box["foreign_cores"]


class WorkerProcess:
    """The driver's handle on one worker."""

    def __init__(
        self, variant: Variant, paths_file: Path, device: str, new_tokens: int, beams: int
    ) -> None:
        env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
        env.update(variant.env())
        self.variant = variant
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.translation",
                "--serve",
                variant.spec,
                "--paths",
                str(paths_file),
                "--device",
                device,
                "--new-tokens",
                str(new_tokens),
                "--beams",
                str(beams),
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.info = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise SystemExit(f"worker {self.variant.spec} died:\n{err[-3000:]}")
        return dict(json.loads(line))

    def ask(self, **cmd: Any) -> dict[str, Any]:
        stdin: IO[str] | None = self.proc.stdin
        assert stdin is not None
        stdin.write(json.dumps(cmd) + "\n")
        stdin.flush()
        return self._read()

    def close(self) -> None:
        try:
            self.ask(cmd="quit")
        except (BrokenPipeError, SystemExit, json.JSONDecodeError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---- statistics --------------------------------------------------------------------------
def summarize(values: list[float]) -> dict[str, float]:
    """Median, min, max and the half-range relative to the median (the table's ± spread)."""
    if not values:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan"), "spread": 0.0}
    med = statistics.median(values)
    lo, hi = min(values), max(values)
    return {
        "median": med,
        "min": lo,
        "max": hi,
        "spread": (hi - lo) / 2 / med if med else float("nan"),
    }


def summarize_rounds(
    rounds: list[dict[str, Any]], variants: list[str], sizes: list[str], quiet_cores: float
) -> dict[str, Any]:
    """Per batch size and variant: median tokens/s and median ratio to the first variant, over
    the quiet rounds (all rounds when fewer than three were quiet)."""
    base = variants[0]
    out: dict[str, Any] = {}
    for size in sizes:
        these = [r for r in rounds if r["batch"] == size]
        quiet = [
            r
            for r in these
            if all(
                not (m["foreign_cores"] >= quiet_cores)  # NaN (unknown) counts as quiet
                for m in r["measurements"].values()
            )
        ]
        used = quiet if len(quiet) >= 3 else these
        per: dict[str, Any] = {}
        for v in variants:
            tps = [r["measurements"][v]["tokens_per_s"] for r in used]
            ratios = [
                r["measurements"][v]["tokens_per_s"] / r["measurements"][base]["tokens_per_s"]
                for r in used
            ]
            per[v] = {"tokens_per_s": summarize(tps), "ratio": summarize(ratios)}
        out[size] = {
            "rounds": len(these),
            "quiet_rounds": len(quiet),
            "used": "quiet" if used is quiet else "all",
            "variants": per,
        }
    return out


# ---- driver ------------------------------------------------------------------------------
def machine(device: str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    text = f"{_cores()} CPU cores ({cpu})"
    if device == "cuda":
        gpu = _nvidia_smi("--query-gpu=name,memory.total", "--format=csv,noheader")
        text += f", GPU: {gpu.strip() if gpu is not None else 'unknown GPU'}"
    return text


def table(report: dict[str, Any]) -> str:
    variants = report["variants"]
    base = variants[0]
    gpu = report["device"] == "cuda"
    head = "| variant | threads | batch | target tokens/s (median) | ratio to " + base
    head += " (median, min–max) | quiet rounds |"
    head += " GPU memory MB |" if gpu else " peak RSS MB |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|"]
    infos = {i["variant"]: i for i in report["workers"]}
    for v in variants:
        info = infos[v]
        memory = info.get("gpu_memory_mb") if gpu else info.get("peak_rss_mb")
        for size, s in report["summary"].items():
            r = s["variants"][v]
            ratio = r["ratio"]
            lines.append(
                f"| {v} | {info['plan']} | {describe_size(size)} | "
                f"{r['tokens_per_s']['median']:.1f} | "
                f"{ratio['median']:.2f}x ({ratio['min']:.2f}–{ratio['max']:.2f}) | "
                f"{s['quiet_rounds']}/{s['rounds']} | {memory} |"
            )
    return "\n".join(lines)


def run_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    device = args.device
    variants = [Variant.parse(v) for v in split_variants(args.variants)]
    sizes = [s.strip() for s in args.batch_sizes.split(",") if s.strip()]
    for label in sizes:
        parse_size(label)  # a bad label fails here, not after the model is built
    quantizations = sorted({v.precision for v in variants if v.backend == "ctranslate2"})
    started = time.monotonic()
    report: dict[str, Any] = {
        "device": device,
        "machine": machine(device),
        "new_tokens": args.new_tokens,
        "beams": args.beams,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "loadavg_before": _loadavg(),
        "variants": [v.spec for v in variants],
        "batch_sizes": sizes,
        "quiet_cores": args.quiet_cores,
    }
    with tempfile.TemporaryDirectory(prefix="newsloom-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print("preparing the random opus-mt-ar-en-shaped model and its conversions ...", flush=True)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.translation",
                "--prepare",
                str(work),
                "--quantizations",
                ",".join(quantizations),
            ],
            cwd=ROOT,
            env=dict(os.environ, HF_HUB_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1"),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SystemExit(f"preparing the model failed:\n{proc.stderr[-3000:]}")
        paths_file = work / "paths.json"
        paths_file.write_text(proc.stdout.strip().splitlines()[-1], encoding="utf-8")
        workers: list[WorkerProcess] = []
        try:
            for v in variants:
                print(f"loading {v.spec} ...", flush=True)
                workers.append(WorkerProcess(v, paths_file, device, args.new_tokens, args.beams))
            meter = LoadMeter([w.proc.pid for w in workers])
            for size in sizes:  # warm-up: one measurement per worker, not kept
                for w in workers:
                    w.ask(cmd="run", batch=size, count=1)
            rounds: list[dict[str, Any]] = []
            for size in sizes:
                quiet, attempt = 0, 0
                while quiet < args.rounds and attempt < 2 * args.rounds:
                    if attempt >= args.rounds and quiet + (2 * args.rounds - attempt) < 3:
                        break  # cannot reach three quiet rounds: keep what we have
                    if attempt >= args.rounds and quiet >= 3:
                        break
                    k = attempt % len(workers)  # A B, B A, ...: each variant takes each place
                    order = workers[k:] + workers[:k]
                    before = meter.wait_quiet(args.quiet_cores, args.max_wait)
                    measurements = {}
                    for w in order:
                        with meter.measure() as box:
                            m = w.ask(cmd="run", batch=size, count=timed_batches(size))
                        m["foreign_cores"] = box["foreign_cores"]
                        measurements[w.variant.spec] = m
                    is_quiet = all(
                        not (m["foreign_cores"] >= args.quiet_cores) for m in measurements.values()
                    )
                    quiet += is_quiet
                    attempt += 1
                    rounds.append(
                        {
                            "batch": size,
                            "round": attempt,
                            "order": [w.variant.spec for w in order],
                            "load_before": before,
                            "quiet": is_quiet,
                            "measurements": measurements,
                        }
                    )
                    print(_round_line(rounds[-1], variants[0].spec), flush=True)
            report["workers"] = [w.ask(cmd="info") for w in workers]
        finally:
            for w in workers:
                w.close()
    report["rounds"] = rounds
    report["summary"] = summarize_rounds(
        rounds, [v.spec for v in variants], sizes, args.quiet_cores
    )
    report["loadavg_after"] = _loadavg()
    report["seconds"] = round(time.monotonic() - started, 1)
    return report


def _round_line(r: dict[str, Any], base: str) -> str:
    ms = r["measurements"]
    parts = [
        f"{v}: {m['tokens_per_s']:.1f} tok/s ({m['tokens_per_s'] / ms[base]['tokens_per_s']:.2f}x, "
        f"others {m['foreign_cores']:.2f} cores)"
        for v, m in ms.items()
    ]
    flag = "" if r["quiet"] else "  [loaded]"
    return f"batch {describe_size(r['batch'])} round {r['round']}: " + "; ".join(parts) + flag


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _heading_at(section: str, heading: str) -> int:
    """Where the line ``heading`` starts in ``section`` (exactly that line), or -1."""
    at = (section if section.endswith("\n") else section + "\n").find(f"\n{heading}\n")
    return -1 if at == -1 else at + 1


def replace_subsection(text: str, sub: str, body: str) -> str:
    """``text`` with the subsection ``sub`` (a ``### `` heading) of the translation section
    replaced by ``body``; the rest of the file is left as it is."""
    if SECTION not in text:
        return text.rstrip("\n") + f"\n\n{SECTION}\n\n{body.rstrip()}\n"
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    end = len(text) if end == -1 else end + 1
    section = text[start:end]
    s0 = _heading_at(section, sub)
    if s0 != -1:
        s1 = section.find("\n### ", s0 + len(sub))
        s1 = len(section) if s1 == -1 else s1 + 1
        rest = "\n" + section[s1:] if s1 < len(section) else ""
        section = section[:s0] + body.rstrip() + "\n" + rest
    else:
        section = section.rstrip("\n") + "\n\n" + body.rstrip() + "\n"
    tail = text[end:]
    return text[:start] + section.rstrip("\n") + "\n" + ("\n" + tail if tail else "")


def compare(report: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """Each variant's median ratio against the previous run's (same device, variants and batch
    sizes): {batch: {variant: relative change}}; None when the runs are not comparable."""
    if (
        not previous
        or previous.get("device") != report["device"]
        or previous.get("variants") != report["variants"]
        or "summary" not in previous
    ):
        return None
    out: dict[str, Any] = {}
    for size, s in report["summary"].items():
        old = previous["summary"].get(size)
        if old is None:
            continue
        out[size] = {
            v: r["ratio"]["median"] / old["variants"][v]["ratio"]["median"] - 1
            for v, r in s["variants"].items()
            if v != report["variants"][0]
        }
    return {"date": previous.get("date"), "changes": out} if out else None


def docs_problem(report: dict[str, Any]) -> str | None:
    """Why this run should not go into the docs (too few quiet rounds), or None."""
    loaded = [describe_size(size) for size, s in report["summary"].items() if s["used"] != "quiet"]
    if loaded and report["device"] == "cpu":
        return (
            f"fewer than three quiet rounds at batch {'; '.join(loaded)}: the machine was "
            "loaded, so these ratios measure the load; rerun when it is quieter"
        )
    return None


def section_body(report: dict[str, Any], command: str, heading: str) -> str:
    lines = [
        heading,
        "",
        f"Command: `{command}`. Machine: {report['machine']}. Measured {report['date']}; "
        f"load average before/after: {report['loadavg_before']} / {report['loadavg_after']}; "
        f"{report['seconds']:.0f} s.",
        "",
        table(report),
    ]
    vs = report.get("vs_previous")
    if vs:
        changes = "; ".join(
            f"batch {describe_size(size)}: " + ", ".join(f"{v} {c:+.1%}" for v, c in per.items())
            for size, per in vs["changes"].items()
        )
        lines += ["", f"Median ratios against the previous run ({vs['date']}): {changes}."]
    return "\n".join(lines)


def update_docs(report: dict[str, Any], command: str) -> None:
    """Put this run's table in the translation section of docs/BENCHMARKS.md as ``### CPU``
    (or ``### GPU``), and the table it replaces as ``### CPU, previous run``: two consecutive
    runs stay side by side. The prose around them, and every other section, stay as they are."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.is_file() else "# Benchmarks\n"
    sub = SUBSECTIONS[report["device"]]
    prev_heading = f"{sub}, previous run"
    old = current_subsection(text, sub)
    previous = current_subsection(text, prev_heading)
    if previous is not None:  # dropped: the current table becomes the previous one
        text = text.replace("\n" + previous.rstrip("\n") + "\n", "\n", 1)
        text = text.replace("\n\n\n", "\n\n")
    body = section_body(report, command, sub)
    if old is not None:
        body += "\n\n" + prev_heading + old[len(sub) :].rstrip("\n")
    text = replace_subsection(text, sub, body)
    DOCS.write_text(text, encoding="utf-8")


def current_subsection(text: str, sub: str) -> str | None:
    """The subsection ``sub`` of the translation section, heading included, or None."""
    if SECTION not in text:
        return None
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : len(text) if end == -1 else end]
    at = _heading_at(section, sub)
    if at == -1:
        return None
    stop = section.find("\n### ", at + len(sub))
    return section[at : len(section) if stop == -1 else stop].rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.translation")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--variants", help="comma-separated; the first is the baseline")
    parser.add_argument(
        "--batch-sizes",
        help="default: 1s,1,8,32 (CPU), 1s,32,128,512 (GPU); 1s = one sentence at a time",
    )
    parser.add_argument("--rounds", type=int, default=7, help="quiet rounds per batch size")
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--beams", type=int, default=1, help="1: greedy (the default)")
    parser.add_argument(
        "--quiet-cores",
        type=float,
        help="a round is loaded when other processes use this many cores (default: 0.35 on "
        "CPU; no gating on GPU)",
    )
    parser.add_argument(
        "--max-wait", type=float, help="seconds to wait for quiet before a round (default 60)"
    )
    parser.add_argument("--work", type=Path, help="keep the model here (reused next time)")
    parser.add_argument("--out", type=Path, help="report JSON (default: benchmarks/out/...)")
    parser.add_argument("--update-docs", action="store_true")
    parser.add_argument(
        "--force-docs", action="store_true", help="update the docs even from a loaded run"
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--paths", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quantizations", default="int8", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.variants = args.variants or DEFAULT_VARIANTS[args.device]
    args.batch_sizes = args.batch_sizes or DEFAULT_BATCH_SIZES[args.device]
    gpu = args.device == "cuda"
    if args.quiet_cores is None:
        args.quiet_cores = float("inf") if gpu else 0.35
    if args.max_wait is None:
        args.max_wait = 0.0 if gpu else 60.0

    if args.prepare:
        quantizations = [q for q in args.quantizations.split(",") if q]
        print(json.dumps(prepare(args.prepare, quantizations)))
        return 0
    if args.serve:
        paths = json.loads(args.paths.read_text(encoding="utf-8"))
        return serve(Variant.parse(args.serve), paths, args.device, args.new_tokens, args.beams)

    if ntrex_sentences() is None:
        print(f"SKIPPED: {NTREX} is absent (the benchmark needs real Arabic sentences)")
        return 0
    out = args.out or OUT_DIR / f"translation{'-cuda' if args.device == 'cuda' else ''}.json"
    previous = None
    if out.is_file():
        try:
            previous = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
    report = run_benchmark(args)
    report["vs_previous"] = compare(report, previous)
    print()
    print(section_body(report, "python -m benchmarks.translation", "Result"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\n{out} written ({report['seconds']} s; load average {report['loadavg_after']})")
    problem = docs_problem(report)
    if problem:
        print(f"WARNING: {problem}")
    if args.update_docs and problem and not args.force_docs:
        print("docs not updated (--force-docs to update them anyway)")
    elif args.update_docs:
        command = "python -m benchmarks.translation" + (
            " --device cuda" if args.device == "cuda" else ""
        )
        update_docs(report, command)
        print(f"{DOCS} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
