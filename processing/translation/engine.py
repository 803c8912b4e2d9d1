"""One loaded model: token budget, length-sorted batching, generation limits and cut retries.

Shared by both backends, so segments, batches and limits are identical whichever runs.

- Source text is tokenized once: the ids counted while segmenting are the ids translated
  (``encode`` keeps them for the call), and Marian tokenizers are run through their
  sentencepiece model directly (``fast_source_encoder``: the same ids, about ten times faster
  than the generic tokenizer call), so segmentation stays off the model's hot path.
- Every segment fits ``budget`` = min(model maximum, ``NEWSLOOM_TRANSLATION_MAX_TOKENS``)
  source tokens (``processing.translation.segment`` splits to guarantee it).
- Batches go to the backend all at once (``generate_batches``): CTranslate2 with several CPU
  replicas runs several of them at the same time, each whole.
- Segments are sorted by length and batched under ``NEWSLOOM_TRANSLATION_BATCH_TOKENS``
  padded source tokens (at most ``MAX_BATCH`` segments on CPU, or 32 per CTranslate2 replica
  when that is more; ``MAX_BATCH_GPU`` on a GPU, where only big batches keep it busy: raise
  ``NEWSLOOM_TRANSLATION_BATCH_TOKENS`` there).
- A segment of n source tokens may produce ``limit(n) = min(model maximum - 1, 2n + 16)``
  target tokens, ``</s>`` included. A target that has not ended by then was cut: the segment
  is split in two and each half translated (up to ``MAX_SPLIT_DEPTH`` times), and the halves'
  translations joined; what is still cut after that is counted in ``stats["cut_unresolved"]``.
- Segments fail one by one: a batch the model raises on (a bad input, memory for one big
  batch) is translated again one segment at a time, so only the segments that fail alone go
  without a translation (their articles stay pending); the other batches go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from processing.translation.backends import Backend, generate_in_turn, token_id
from processing.translation.cache import CachedTranslation
from processing.translation.segment import segment_paragraph, split_in_two

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

logger = logging.getLogger(__name__)

MAX_BATCH = 64
MAX_BATCH_GPU = 1024
MAX_SPLIT_DEPTH = 3
MIN_BUDGET = 8
MEMO_LIMIT = 200_000  # texts whose ids are kept during one call
_PROBE = "Probe: قال المرصد السوري 12.5% «ق» x  y؟"


def fast_source_encoder(tokenizer: PreTrainedTokenizerBase) -> Callable[[str], list[int]]:
    """``text -> input_ids`` exactly as ``tokenizer(text)["input_ids"]`` gives them.

    For a MarianTokenizer (every opus-mt model) the ids come straight from its source
    sentencepiece model and vocabulary — what MarianTokenizer does, without the generic
    tokenizer machinery around it — unless the text holds something that machinery treats
    specially (an added/special token such as ``</s>``, or a ``>>xx<<`` language code), which
    goes through the tokenizer itself. Any other tokenizer is called as it is.
    """

    def slow(text: str) -> list[int]:
        return list(tokenizer(text, verbose=False)["input_ids"])

    spm = getattr(tokenizer, "spm_source", None)
    encoder = getattr(tokenizer, "encoder", None)
    added = getattr(tokenizer, "_added_tokens_encoder", None)
    if (
        type(tokenizer).__name__ != "MarianTokenizer"
        or spm is None
        or not isinstance(encoder, dict)
        or not isinstance(added, dict)
        or getattr(tokenizer, "current_spm", spm) is not spm
        or getattr(tokenizer, "current_encoder", encoder) is not encoder
        or tokenizer.eos_token_id is None
    ):
        return slow
    vocab: dict[str, int] = encoder
    specials_ids: dict[str, int] = added
    unk = vocab[tokenizer.unk_token]
    eos = int(tokenizer.eos_token_id)
    specials = tuple({*added, *tokenizer.all_special_tokens})

    def direct(text: str) -> list[int]:
        pieces = spm.encode(text, out_type=str)
        return [specials_ids[p] if p in specials_ids else vocab.get(p, unk) for p in pieces] + [eos]

    def fast(text: str) -> list[int]:
        if text.startswith(">>") or any(tok in text for tok in specials):
            return slow(text)
        return direct(text)

    try:  # the direct path must agree with the tokenizer; if it does not, do not use it
        if direct(_PROBE) != slow(_PROBE):
            return slow
    except Exception:  # an unusual tokenizer: use it as it is
        return slow
    return fast


class ModelEngine:
    def __init__(
        self,
        backend: Backend,
        max_tokens: int,
        batch_tokens: int,
        beams: int,
        stats: dict[str, int],
    ) -> None:
        self.backend = backend
        self.tokenizer = backend.tokenizer
        self.budget = max(MIN_BUDGET, min(backend.max_positions, max_tokens))
        self.max_new_cap = max(2, backend.max_positions - 1)
        self.batch_tokens = max(batch_tokens, self.budget)
        on_cpu = getattr(backend, "device", "cpu") == "cpu"
        replicas = max(1, int(getattr(backend, "replicas", 1)))
        # On CPU each replica takes its share of a batch: at least 32 segments each.
        self.max_batch = max(MAX_BATCH, 32 * replicas) if on_cpu else MAX_BATCH_GPU
        self.beams = max(1, beams)
        self.stats = stats
        self.eos_id = token_id(self.tokenizer, self.tokenizer.eos_token)
        self._encode = fast_source_encoder(self.tokenizer)
        self._memo: dict[str, list[int]] = {}

    def _count(self, name: str, n: int = 1) -> None:
        self.stats[name] = self.stats.get(name, 0) + n

    # ---- segmentation --------------------------------------------------------------------
    def encode(self, text: str) -> list[int]:
        """Source ids of ``text`` (special tokens included), kept until ``forget()`` so that a
        segment counted while segmenting is not tokenized again to be translated."""
        ids = self._memo.get(text)
        if ids is None:
            ids = self._encode(text)
            if len(self._memo) < MEMO_LIMIT:
                self._memo[text] = ids
        return ids

    def forget(self) -> None:
        """Drop the ids kept by ``encode`` (the end of a ``translate()`` call)."""
        self._memo.clear()

    def count_tokens(self, text: str) -> int:
        """Source tokens of ``text`` as the model sees it, special tokens included."""
        return len(self.encode(text))

    def segment(self, paragraph: str) -> list[str]:
        pieces = segment_paragraph(paragraph, self.count_tokens, self.budget)
        return pieces

    def limit(self, source_tokens: int) -> int:
        """The most target tokens (``</s>`` included) a segment may produce."""
        return min(self.max_new_cap, 2 * source_tokens + 16)

    # ---- generation ----------------------------------------------------------------------
    def translate(
        self,
        texts: list[str],
        done: Callable[[int, CachedTranslation], None] | None = None,
        failed: Callable[[int, BaseException], None] | None = None,
        depth: int = 0,
    ) -> list[CachedTranslation | None]:
        """Translations of ``texts`` (same order); ``done(i, result)`` is called as each one is
        final, so a failure part-way keeps what was finished.

        Segments fail one by one: when the model raises on a batch, the batch's segments are
        translated one at a time, and a segment that fails alone gets None and
        ``failed(i, error)``; the other batches go on. When every segment of a failed batch
        also fails alone, the model itself is failing: the error is raised (what was finished
        is kept through ``done``)."""
        if not texts:
            return []
        ids = [self.encode(text) for text in texts]
        results: list[CachedTranslation | None] = [None] * len(texts)
        cut: list[int] = []
        batches = self._batches(ids)
        limits = [max(self.limit(len(ids[i])) for i in batch) for batch in batches]
        sources = [[ids[i] for i in batch] for batch in batches]
        run = getattr(self.backend, "generate_batches", None)
        if run is None:  # a backend without replicas
            run = partial(generate_in_turn, self.backend)

        def keep(i: int, out: list[int]) -> None:
            self._count("generated_segments")
            self._count("source_tokens", len(ids[i]))
            lim = self.limit(len(ids[i]))
            ended = self.eos_id in out[:lim]
            target_ids = out[: out.index(self.eos_id)] if ended else out[:lim]
            self._count("target_tokens", len(target_ids) + int(ended))
            decoded = self.tokenizer.decode(target_ids, skip_special_tokens=True)
            text = cast("str", decoded).strip()  # one sequence of ids: one string
            value = CachedTranslation(text, cut=not ended)
            results[i] = value
            if ended:
                if done is not None:
                    done(i, value)
            else:
                cut.append(i)

        k = 0  # the next batch to generate
        while k < len(batches):
            # a generator ends at its first exception: after a failed batch, a new one
            generated = run(sources[k:], limits[k:], self.beams)
            try:
                while k < len(batches):
                    started = time.monotonic()
                    outputs = next(generated)  # the model's time: what waiting costs
                    self._count("model_ms", int((time.monotonic() - started) * 1000))
                    self._count("batches")
                    for i, out in zip(batches[k], outputs, strict=True):
                        keep(i, out)
                    k += 1
            except Exception as exc:
                self._one_by_one(batches[k], ids, exc, keep, failed)
                k += 1
        if cut:
            self._count("cut_retries" if depth < MAX_SPLIT_DEPTH else "cut_given_up", len(cut))
            self._retry_cut(texts, results, cut, done, failed, depth)
        return results

    def _one_by_one(
        self,
        batch: list[int],
        ids: list[list[int]],
        error: Exception,
        keep: Callable[[int, list[int]], None],
        failed: Callable[[int, BaseException], None] | None,
    ) -> None:
        """The segments of a batch the model failed on, each alone; raises when all fail."""
        logger.warning(
            "the model failed on a batch of %d segment(s) (%s); translating them one by one",
            len(batch),
            error,
        )
        self._count("failed_batches")
        lost: list[tuple[int, BaseException]] = []
        for i in batch:
            started = time.monotonic()
            try:
                [out] = self.backend.generate([ids[i]], self.limit(len(ids[i])), self.beams)
            except Exception as alone:
                lost.append((i, alone))
                continue
            self._count("model_ms", int((time.monotonic() - started) * 1000))
            keep(i, out)
        if len(lost) == len(batch) and len(batch) > 0:
            raise lost[-1][1]  # not one segment: the model itself is failing
        for i, why in lost:
            self._count("failed_segments")
            logger.warning("the model failed on one segment of %d token(s): %s", len(ids[i]), why)
            if failed is not None:
                failed(i, why)

    def _retry_cut(
        self,
        texts: list[str],
        results: list[CachedTranslation | None],
        cut: list[int],
        done: Callable[[int, CachedTranslation], None] | None,
        failed: Callable[[int, BaseException], None] | None,
        depth: int,
    ) -> None:
        halves: list[tuple[int, tuple[str, str]]] = []
        for i in cut:
            pair = split_in_two(texts[i]) if depth < MAX_SPLIT_DEPTH else None
            if pair is None:
                logger.warning(
                    "translation of a %d-character segment reached the generation "
                    "limit and cannot be split further",
                    len(texts[i]),
                )
                if done is not None:
                    done(i, results[i])  # type: ignore[arg-type]
            else:
                halves.append((i, pair))
        if not halves:
            return
        errors: dict[int, BaseException] = {}

        def half_failed(j: int, error: BaseException) -> None:
            errors[j] = error

        sub = self.translate([h for _, pair in halves for h in pair], None, half_failed, depth + 1)
        for k, (i, _) in enumerate(halves):
            left, right = sub[2 * k], sub[2 * k + 1]
            if left is None or right is None:  # a half the model failed on
                results[i] = None
                if failed is not None:
                    failed(i, errors.get(2 * k) or errors[2 * k + 1])
                continue
            results[i] = CachedTranslation(
                f"{left.target} {right.target}".strip(), cut=left.cut or right.cut
            )
            if done is not None:
                done(i, results[i])  # type: ignore[arg-type]

    def _batches(self, ids: list[list[int]]) -> list[list[int]]:
        """Indices grouped into batches of similar length under the padded-token budget."""
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:  # ascending: the newest is the longest
            if current and (
                (len(current) + 1) * len(ids[i]) > self.batch_tokens
                or len(current) >= self.max_batch
            ):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches
