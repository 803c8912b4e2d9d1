"""Model backends: transformers (the reference) and CTranslate2 (int8 on CPU, float16 on GPU).

Both load a Marian-style sequence-to-sequence model from a Hugging Face hub id (downloaded on
first use, or read from the local cache with ``HF_HUB_OFFLINE=1``) or from a local directory,
and both use the model's own Hugging Face tokenizer, so they see the same token ids and produce
the same segment structure. A backend turns batches of source token ids into target token ids;
segmentation, batching, caching and decoding are shared (``processing.translation.engine``).

CTranslate2 models are converted from the Hugging Face model on first use into
``<state_dir>/ct2/<model_key>-<quantization>/``, or ahead of time with ``convert_model`` /
``python -m processing.translation convert MODEL OUT_DIR --quantization int8``. The conversion
also writes CTranslate2's vocabulary map (``vmap.txt``), so that decoding scores only the target
language's pieces (``target_output_tokens``; ``NEWSLOOM_TRANSLATION_TARGET_VOCABULARY=0`` turns
it off).

``NEWSLOOM_TRANSLATION_BACKEND``: ``transformers``, ``ctranslate2`` or ``auto`` (the default):
CTranslate2 when the converted model exists or converting it succeeds, else transformers.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
import shutil
import time
import uuid
import warnings
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from processing.core.config import Settings
from processing.core.errors import ModelUnavailable

if TYPE_CHECKING:
    from ctranslate2 import AsyncTranslationResult, TranslationResult
    from transformers import PretrainedConfig, PreTrainedTokenizerBase

logger = logging.getLogger(__name__)

CT2_META = "newsloom.json"
CT2_TOKENIZER_DIR = "tokenizer"
# CTranslate2's vocabulary map, read with the model; ``translate_batch(use_vmap=True)`` scores
# only the tokens it lists (see ``write_output_vocabulary``).
CT2_VMAP = "vmap.txt"
# Restrict the output layer only when that drops at least this share of it.
VMAP_MIN_SAVING = 0.1
_SHA1 = re.compile(r"^[0-9a-f]{40}$")
# Files that do not change what a model computes.
_IGNORED_FILES = re.compile(r"^(\..*|README.*|.*\.md|LICENSE.*|.*\.lock)$", re.IGNORECASE)


# ---- model identity ------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelRef:
    """A configured model: how it was named, where its files are, and its version."""

    model: str  # as configured: hub id or local path
    local_dir: Path | None  # the directory the files were read from, when known
    version: str  # hub commit sha, else a sha256 prefix of the model's files


def looks_like_path(model: str) -> bool:
    """Local paths: absolute, ``./``, ``../``, ``~``, or more than one ``/`` (hub ids have one)."""
    return (
        model.startswith(("/", "./", "../", "~", ".\\"))
        or model.count("/") > 1
        or (os.sep != "/" and os.sep in model)
        or Path(model).expanduser().is_dir()
    )


def hash_model_files(directory: Path) -> str:
    """A sha256 prefix over the names and contents of the model's files (weights, config,
    vocabularies, tokenizer), for local models that have no hub commit."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        if _IGNORED_FILES.match(path.name):
            continue
        digest.update(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _version_of_dir(directory: Path) -> str:
    # A hub cache snapshot (.../snapshots/<commit>/) is named by its commit.
    if directory.parent.name == "snapshots" and _SHA1.match(directory.name):
        return directory.name
    return hash_model_files(directory)


def hub_reachable(timeout: float = 3.0) -> bool:
    """Can we open a TCP connection to the model hub (``HF_ENDPOINT``) within ``timeout``?"""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_model(model: str) -> ModelRef:
    """Find ``model`` (a local directory, or a hub id in the cache or online) and its version;
    raises ModelUnavailable."""
    if looks_like_path(model):
        path = Path(model).expanduser()
        if not path.is_dir():
            raise ModelUnavailable(f"model directory {path} does not exist")
        if not (path / "config.json").is_file():
            raise ModelUnavailable(f"{path} has no config.json (not a Hugging Face model)")
        return ModelRef(model, path.resolve(), _version_of_dir(path.resolve()))
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    if not offline and not hub_reachable():
        # Without this, the hub client spends ~25 s retrying before it gives up.
        offline = True
        logger.warning("model hub unreachable; looking for %s in the local cache only", model)
    try:
        from transformers.utils import cached_file

        with quiet_loading():
            config_path = cached_file(model, "config.json", local_files_only=offline)
    except Exception as exc:  # OSError, hub errors, offline mode: all mean "not reachable"
        where = "the model hub is unreachable and it is not in the local cache: " if offline else ""
        raise ModelUnavailable(where + short_error(exc)) from exc
    if config_path is None:
        raise ModelUnavailable(f"{model} has no config.json")
    snapshot = Path(config_path).parent
    return ModelRef(model, snapshot, _version_of_dir(snapshot))


def translation_model_key(model: str, version: str) -> str:
    """A string safe in S3 keys and file names naming one version of a model, e.g.
    ``Helsinki-NLP--opus-mt-ar-en--0a1b2c3d4e5f6a7b``."""
    name = model.rstrip("/\\")
    if looks_like_path(model):
        name = Path(name).name or "model"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name.replace("/", "--")).strip("-.")[:80] or "model"
    ver = re.sub(r"[^A-Za-z0-9]+", "", version)[:16] or "unversioned"
    return f"{safe}--{ver}"


def short_error(exc: BaseException, limit: int = 300) -> str:
    """One line naming the error, for reasons stored with articles."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}"


# ---- backends ------------------------------------------------------------------------------
class Backend(Protocol):
    name: str  # "transformers" | "ctranslate2"
    variant: str  # name + precision, e.g. "ctranslate2-int8"
    tokenizer: PreTrainedTokenizerBase  # the model's Hugging Face tokenizer
    max_positions: int  # the model's maximum sequence length (input and output)
    device: str  # "cpu" | "cuda"
    replicas: int  # batches (parts of one) the backend runs in parallel

    def generate(self, batch: list[list[int]], max_new_tokens: int, beams: int) -> list[list[int]]:
        """Target ids for each source (ids include ``</s>``); each result stops after the first
        end-of-sentence token (included) or at ``max_new_tokens``, and is never empty (the
        backend's decoding options hold ``</s>`` back for one token)."""
        ...

    def generate_batches(
        self,
        batches: list[list[list[int]]],
        max_new_tokens: list[int],
        beams: int,
    ) -> Iterator[list[list[int]]]:
        """``generate`` for each batch (``max_new_tokens[k]`` for batch k), yielded in order;
        a backend with several replicas runs several batches at once."""
        ...

    def close(self) -> None: ...


def generate_in_turn(
    backend: Backend,
    batches: list[list[list[int]]],
    max_new_tokens: list[int],
    beams: int,
) -> Iterator[list[list[int]]]:
    """``backend.generate`` on one batch after the other (a backend without replicas)."""
    for batch, limit in zip(batches, max_new_tokens, strict=True):
        yield backend.generate(batch, limit, beams)


@contextmanager
def quiet_loading() -> Iterator[None]:
    """No tqdm progress bars while a model loads or converts (transformers' "Loading weights",
    the hub's download bars): on stderr they end up in task logs as errors. The previous
    setting is restored afterwards."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # CTranslate2 alone: nothing prints bars
        yield
        return
    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()


def load_tokenizer(source: str) -> PreTrainedTokenizerBase:
    """``AutoTokenizer.from_pretrained`` without MarianTokenizer's sacremoses nag."""
    from transformers import AutoTokenizer

    with warnings.catch_warnings(), quiet_loading():
        warnings.filterwarnings("ignore", message=".*sacremoses.*")
        return AutoTokenizer.from_pretrained(source)


def token_id(tokenizer: PreTrainedTokenizerBase, token: str | None) -> int:
    """The id of one token (``convert_tokens_to_ids`` of one token is one id); the tokenizer's
    ``eos_token`` is None only for a tokenizer that is no translation model's."""
    if token is None:
        raise ModelUnavailable("the model's tokenizer has no end-of-sentence token")
    return int(cast("int", tokenizer.convert_tokens_to_ids(token)))


def _max_positions(config: PretrainedConfig, tokenizer: PreTrainedTokenizerBase) -> int:
    limits = [int(getattr(config, "max_position_embeddings", 0) or 0)]
    tok_max = int(getattr(tokenizer, "model_max_length", 0) or 0)
    if 0 < tok_max < 1_000_000:  # transformers uses a huge sentinel for "no limit"
        limits.append(tok_max)
    limits = [n for n in limits if n > 0]
    return min(limits) if limits else 512


def _trim(ids: list[int], eos_id: int, pad_id: int | None) -> list[int]:
    if eos_id in ids:
        return ids[: ids.index(eos_id) + 1]
    while ids and ids[-1] == pad_id:
        ids = ids[:-1]
    return ids


def _threads(settings: Settings) -> int:
    if settings.translation_threads > 0:
        return settings.translation_threads
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


MAX_REPLICAS = 4


def cpu_thread_plan(threads: int) -> tuple[int, int]:
    """CTranslate2's (intra_threads, inter_threads) for ``threads`` CPU threads: one replica
    per thread up to ``MAX_REPLICAS`` (each takes its share of a batch), more threads going to
    the replicas. One-thread replicas beat one replica of many threads at the pipeline's batch
    sizes on the 2-core benchmark machine (no thread ever waits on another: 2 x 1 generated
    about 1.3-1.6x the tokens/s of 1 x 2 at batch 32, and the same at batch 1), and they keep
    their speed when other processes take a core. See docs/BENCHMARKS.md."""
    threads = max(1, threads)
    inter = min(threads, MAX_REPLICAS)
    return threads // inter, inter


class TransformersBackend:
    """``AutoModelForSeq2SeqLM.generate``; CUDA (float16) when available, else CPU (float32)."""

    name = "transformers"

    def __init__(self, ref: ModelRef, settings: Settings) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM

        source = str(ref.local_dir) if ref.local_dir is not None else ref.model
        device = settings.translation_device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device == "cuda" and not torch.cuda.is_available():
            raise ModelUnavailable("NEWSLOOM_TRANSLATION_DEVICE=cuda but torch sees no GPU")
        if settings.translation_threads > 0:
            torch.set_num_threads(settings.translation_threads)
        self.tokenizer = load_tokenizer(source)
        with quiet_loading():
            model = AutoModelForSeq2SeqLM.from_pretrained(source)
        if device == "cuda":
            model = model.half()
        self.model = model.to(device).eval()
        self.device = device
        self.replicas = 1
        self.variant = f"transformers-{'fp16' if device == 'cuda' else 'fp32'}"
        self.max_positions = _max_positions(model.config, self.tokenizer)
        self.eos_id = int(
            model.generation_config.eos_token_id
            if isinstance(model.generation_config.eos_token_id, int)
            else self.tokenizer.eos_token_id
        )
        self.pad_id = self.tokenizer.pad_token_id
        gen = copy.deepcopy(model.generation_config)
        # Our limits, not the model's: no forced </s> at max_length (it would hide a cut).
        gen.forced_eos_token_id = None
        gen.do_sample = False
        gen.num_return_sequences = 1
        gen.min_new_tokens = 1  # never an empty translation
        # The decoding options of every generate call (max_length and num_beams are set per
        # call); a caller may adjust the others (length_penalty, min_new_tokens…).
        self.generation = gen
        logger.info("loaded %s with transformers on %s", source, device)

    def generate(self, batch: list[list[int]], max_new_tokens: int, beams: int) -> list[list[int]]:
        import torch

        width = max(len(ids) for ids in batch)
        pad = self.pad_id if self.pad_id is not None else self.eos_id
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for i, ids in enumerate(batch):
            input_ids[i, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[i, : len(ids)] = 1
        gen = copy.copy(self.generation)
        gen.max_length = max_new_tokens + 1  # the decoder start token counts too
        gen.max_new_tokens = None
        gen.num_beams = beams
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                generation_config=gen,
            )
        # Drop the decoder start token.
        return [_trim(row[1:], self.eos_id, self.pad_id) for row in out.tolist()]

    def generate_batches(
        self,
        batches: list[list[list[int]]],
        max_new_tokens: list[int],
        beams: int,
    ) -> Iterator[list[list[int]]]:
        return generate_in_turn(self, batches, max_new_tokens, beams)

    def close(self) -> None:
        del self.model
        if self.device == "cuda":
            import torch

            torch.cuda.empty_cache()


class CTranslate2Backend:
    """A CTranslate2 ``Translator`` over a converted model directory (see ``convert_model``).

    On CPU, ``inter_threads`` replicas of the model (sharing its weights) run on
    ``intra_threads`` threads each. ``generate_batches`` keeps every replica busy with a batch
    of its own (up to two batches per replica queued, submitted asynchronously); a lone batch
    (``generate``, or ``generate_batches`` of one) is split into one part per replica
    (``max_batch_size`` = ceil(n / inter_threads)).
    """

    name = "ctranslate2"

    def __init__(
        self,
        ct2_dir: Path,
        device: str,
        compute_type: str,
        intra_threads: int,
        inter_threads: int = 1,
        target_vocabulary: bool = True,
    ) -> None:
        import ctranslate2

        meta = json.loads((ct2_dir / CT2_META).read_text(encoding="utf-8"))
        # Before the Translator reads the directory: conversions older than the vocabulary map.
        self.output_tokens = ensure_output_vocabulary(ct2_dir, meta) if target_vocabulary else None
        self.tokenizer = load_tokenizer(str(ct2_dir / CT2_TOKENIZER_DIR))
        self.inter_threads = self.replicas = max(1, inter_threads)
        self.intra_threads = max(0, intra_threads) if device == "cpu" else 0
        self.translator = ctranslate2.Translator(
            str(ct2_dir),
            device=device,
            compute_type=compute_type,
            intra_threads=self.intra_threads,
            inter_threads=self.inter_threads,
        )
        self.max_positions = int(meta["max_positions"])
        self.eos_token = self.tokenizer.eos_token
        self.eos_id = token_id(self.tokenizer, self.eos_token)
        self.variant = f"ctranslate2-{compute_type}" + ("-vmap" if self.output_tokens else "")
        # Extra options of every translate_batch call (the rest is set per call); a caller may
        # adjust them (length_penalty, min_decoding_length…). 1: never an empty translation.
        self.decoding: dict[str, int | float | bool] = {"min_decoding_length": 1}
        self.device = device
        logger.info(
            "loaded %s with CTranslate2 on %s (%s, %d x %d threads, output layer: %s)",
            ct2_dir,
            device,
            compute_type,
            self.inter_threads,
            self.intra_threads,
            f"{self.output_tokens} target-side tokens of {len(self.tokenizer)}"
            if self.output_tokens
            else "whole vocabulary",
        )

    @classmethod
    def for_model(cls, ref: ModelRef, settings: Settings) -> CTranslate2Backend:
        """Load the converted model, converting it first when it is not there yet."""
        import ctranslate2

        device = settings.translation_device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        quantization = settings.translation_ct2_quantization
        if quantization == "auto":
            quantization = "float16" if device == "cuda" else "int8"
        ct2_dir = ct2_model_dir(settings, ref, quantization)
        if not (ct2_dir / CT2_META).is_file():
            earlier = failed_conversion(ct2_dir)
            if earlier is not None:
                raise ModelUnavailable(earlier)
            source = str(ref.local_dir) if ref.local_dir is not None else ref.model
            logger.info("converting %s to CTranslate2 (%s) in %s", ref.model, quantization, ct2_dir)
            try:
                convert_model(source, ct2_dir, quantization, version=ref.version)
            except Exception as exc:
                remember_failed_conversion(ct2_dir, ref.model, exc)
                raise
        intra, inter = cpu_thread_plan(_threads(settings)) if device == "cpu" else (0, 1)
        restrict = settings.translation_target_vocabulary
        return cls(ct2_dir, device, quantization, intra, inter, restrict)

    def _submit(
        self,
        batch: list[list[int]],
        max_new_tokens: int,
        beams: int,
        split: bool,
        asynchronous: bool,
    ) -> list[TranslationResult] | list[AsyncTranslationResult]:
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in batch]
        per_replica = -(-len(batch) // self.inter_threads)  # ceil
        return list(
            self.translator.translate_batch(
                tokens,
                beam_size=beams,
                max_decoding_length=max_new_tokens,
                return_end_token=True,
                max_input_length=0,
                max_batch_size=per_replica if split and self.inter_threads > 1 else 0,
                asynchronous=asynchronous,
                use_vmap=bool(self.output_tokens),
                **self.decoding,
            )
        )

    def _ids(self, result: TranslationResult) -> list[int]:
        tokens = result.hypotheses[0]
        ids = cast("list[int]", self.tokenizer.convert_tokens_to_ids(tokens))  # a list: ids
        return _trim(list(ids), self.eos_id, None)

    def generate(self, batch: list[list[int]], max_new_tokens: int, beams: int) -> list[list[int]]:
        results = self._submit(batch, max_new_tokens, beams, True, False)
        return [self._ids(r) for r in results]

    def generate_batches(
        self,
        batches: list[list[list[int]]],
        max_new_tokens: list[int],
        beams: int,
    ) -> Iterator[list[list[int]]]:
        if len(batches) == 1 or (self.inter_threads == 1 and self.device == "cpu"):
            yield from generate_in_turn(self, batches, max_new_tokens, beams)
            return
        window = 2 * self.inter_threads
        todo = iter(zip(batches, max_new_tokens, strict=True))
        pending: deque[list[AsyncTranslationResult]] = deque()

        def submit() -> None:
            item = next(todo, None)
            if item is not None:
                batch, limit = item
                pending.append(self._submit(batch, limit, beams, False, True))

        for _ in range(window):
            submit()
        while pending:
            results = pending.popleft()
            submit()
            yield [self._ids(r.result()) for r in results]

    def close(self) -> None:
        del self.translator


def target_output_tokens(ct2_dir: Path) -> list[str] | None:
    """The tokens a Marian decoder can usefully emit: the pieces of the target sentencepiece
    model (``tokenizer/target.spm``) that are in the model's vocabulary, plus ``</s>`` and
    ``<unk>``, in vocabulary order.

    OPUS-MT models share one vocabulary between their two languages (the union of a source and
    a target sentencepiece model), but every target sentence they were trained on was cut into
    pieces by the target model, so the decoder never learned to emit a source-only piece. The
    output layer still scores all of them at every step; for opus-mt-ar-en that is about half
    of its 62,834 rows, and at batch 1 the output layer is the largest matrix a step reads.

    None when restricting would not pay (under ``VMAP_MIN_SAVING`` of the vocabulary dropped)
    or cannot be trusted: no target model, no vocabulary file, target pieces missing from the
    vocabulary (a tokenizer that does not belong to the model), or a token the map's
    whitespace-separated format cannot hold."""
    import sentencepiece as spm

    spm_file = ct2_dir / CT2_TOKENIZER_DIR / "target.spm"
    vocab_file = next(
        (
            ct2_dir / name
            for name in ("target_vocabulary.json", "shared_vocabulary.json")
            if (ct2_dir / name).is_file()
        ),
        None,
    )
    if not spm_file.is_file() or vocab_file is None:
        return None
    vocabulary: list[str] = json.loads(vocab_file.read_text(encoding="utf-8"))
    processor = spm.SentencePieceProcessor(model_file=str(spm_file))
    pieces = {
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not processor.is_control(i)
    }
    known = set(vocabulary)
    if len(pieces - known) > 0.01 * len(pieces):
        logger.warning(
            "%s: %d of the %d target pieces are not in the model's vocabulary; "
            "the output layer is left whole",
            ct2_dir,
            len(pieces - known),
            len(pieces),
        )
        return None
    keep = pieces | {"</s>", "<unk>"}
    tokens = [t for t in vocabulary if t in keep]
    if len(tokens) > (1 - VMAP_MIN_SAVING) * len(vocabulary):
        return None
    if any(not t or t != "".join(t.split()) for t in tokens):
        return None
    return tokens


def write_output_vocabulary(ct2_dir: Path) -> int | None:
    """Write ``vmap.txt`` into a converted model directory: one line that makes
    ``target_output_tokens`` CTranslate2's fixed output candidates (a line with an empty
    source n-gram). Atomic; returns the number of tokens, or None (and no file) when the
    output layer is better left whole."""
    tokens = target_output_tokens(ct2_dir)
    if tokens is None:
        return None
    tmp = ct2_dir / f".{CT2_VMAP}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.write_text("\t" + " ".join(tokens) + "\n", encoding="utf-8")
    os.replace(tmp, ct2_dir / CT2_VMAP)
    return len(tokens)


def ensure_output_vocabulary(ct2_dir: Path, meta: dict[str, object]) -> int | None:
    """The size of the model directory's output vocabulary map, writing it first when the
    directory (whose ``newsloom.json`` is ``meta``) was converted before there was one.
    None: the whole vocabulary is scored."""
    path = ct2_dir / CT2_VMAP
    if path.is_file():
        line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        return len(line.split()) or None
    if "output_tokens" in meta:  # decided at conversion: the whole vocabulary
        return None
    try:
        count = write_output_vocabulary(ct2_dir)
    except OSError as exc:  # a read-only model directory still translates, only slower
        logger.warning("%s: cannot write %s (%s)", ct2_dir, CT2_VMAP, short_error(exc))
        return None
    return count


# A conversion that failed is not tried again for this long (by any task of the worker):
# converting loads the whole model first (about 7 s for opus-mt-ar-en) and an unsupported
# architecture fails the same way every time. Delete the marker to try again at once.
CONVERSION_RETRY_AFTER_S = 6 * 3600


def _failure_marker(ct2_dir: Path) -> Path:
    return ct2_dir.parent / f"{ct2_dir.name}.failed.json"


def _ct2_version() -> str:
    try:
        import ctranslate2

        return str(ctranslate2.__version__)
    except ImportError:
        return "missing"


def failed_conversion(ct2_dir: Path, now: float | None = None) -> str | None:
    """Why the conversion into ``ct2_dir`` failed, when it failed less than
    ``CONVERSION_RETRY_AFTER_S`` ago with the same CTranslate2 version; else None."""
    marker = _failure_marker(ct2_dir)
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
        failed_at = float(info["failed_at"])
        error, version = str(info["error"]), str(info["ctranslate2"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("ignoring unreadable %s (%s)", marker, short_error(exc))
        return None
    now = time.time() if now is None else now
    retry_at = failed_at + CONVERSION_RETRY_AFTER_S
    if version != _ct2_version() or now >= retry_at:
        return None
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(retry_at))
    return (
        f"the CTranslate2 conversion of {info.get('model', '?')} failed "
        f"{(now - failed_at) / 60:.0f} min ago ({error}); not tried again before {until} "
        f"(delete {marker} to try now)"
    )


def remember_failed_conversion(ct2_dir: Path, model: str, exc: BaseException) -> None:
    """Write the marker that ``failed_conversion`` reads (atomically; a read-only state
    directory only costs the next task another attempt)."""
    marker = _failure_marker(ct2_dir)
    info = {
        "model": model,
        "error": short_error(exc),
        "failed_at": time.time(),
        "ctranslate2": _ct2_version(),
    }
    tmp = marker.parent / f".{marker.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, marker)
    except OSError as err:
        logger.warning("cannot record the failed conversion in %s (%s)", marker, short_error(err))
        tmp.unlink(missing_ok=True)
        return
    logger.warning(
        "CTranslate2 conversion of %s failed (%s); not tried again for %d h (%s)",
        model,
        info["error"],
        CONVERSION_RETRY_AFTER_S // 3600,
        marker,
    )


def ct2_model_dir(settings: Settings, ref: ModelRef, quantization: str) -> Path:
    key = translation_model_key(ref.model, ref.version)
    return settings.state_dir / "ct2" / f"{key}-{quantization}"


def convert_model(
    model: str, out_dir: Path | str, quantization: str = "int8", version: str | None = None
) -> Path:
    """Convert a Hugging Face Marian model (hub id or local directory) to CTranslate2.

    ``quantization``: ``int8`` (CPU), ``float16`` (GPU), ``int8_float16``, ``float32``...
    Writes the model, its tokenizer (``tokenizer/``) and ``newsloom.json`` (source model,
    version, maximum length) into ``out_dir`` atomically: a concurrent conversion of the same
    model by another worker is harmless. Returns ``out_dir``. From the command line::

        python -m processing.translation convert Helsinki-NLP/opus-mt-ar-en /models/ar-en-int8
    """
    from ctranslate2.converters import TransformersConverter
    from transformers import AutoConfig

    out_dir = Path(out_dir)
    if version is None:
        version = resolve_model(model).version
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        converter = TransformersConverter(model)
        with warnings.catch_warnings(), quiet_loading():
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            converter.convert(str(tmp), quantization=quantization, force=True)
            tokenizer = load_tokenizer(model)
            tokenizer.save_pretrained(str(tmp / CT2_TOKENIZER_DIR))
            config = AutoConfig.from_pretrained(model)
        meta = {
            "source_model": model,
            "model_version": version,
            "quantization": quantization,
            "max_positions": _max_positions(config, tokenizer),
            # tokens of the decoder's output vocabulary map (vmap.txt); None: the whole layer
            "output_tokens": write_output_vocabulary(tmp),
        }
        (tmp / CT2_META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            tmp.rename(out_dir)
        except OSError:
            if not (out_dir / CT2_META).is_file():  # not a concurrent conversion: a real error
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def load_backend(ref: ModelRef, settings: Settings) -> Backend:
    """The backend ``settings.translation_backend`` asks for; raises on failure."""
    choice = settings.translation_backend
    if choice == "transformers":
        return TransformersBackend(ref, settings)
    if choice == "ctranslate2":
        return CTranslate2Backend.for_model(ref, settings)
    if choice != "auto":
        raise ModelUnavailable(
            f"NEWSLOOM_TRANSLATION_BACKEND={choice!r}: use auto, transformers or ctranslate2"
        )
    try:
        return CTranslate2Backend.for_model(ref, settings)
    except Exception as exc:  # any CTranslate2 problem: the reference backend still works
        logger.warning(
            "CTranslate2 unavailable for %s (%s); using transformers", ref.model, short_error(exc)
        )
        return TransformersBackend(ref, settings)
