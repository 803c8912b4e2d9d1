"""``Translator``: articles in, English and aligned segments out, never an exception for a
model problem (the outcome says ``pending`` and why).

Per ``translate()`` call: route each input by language; for each model (loaded lazily, once
per translator) segment titles and paragraphs into sentences under the model's token budget,
look the sentences up in the cache, translate the misses in length-sorted batches, write the
new cache entries (one object per shard), and assemble the outcomes.

Throughput comes from big calls: every segment of every input of one call goes through the
same length-sorted token batches, so a task should make one ``Translator`` (the model loads
once), pass it all its articles (a whole partition) in one ``translate()`` call — or a few
large ones — and ``close()`` it at the end. Each call logs one INFO line (inputs, segments,
target tokens, seconds, target tokens/s) and leaves the same figures in ``last_call``.

Not thread-safe: use one translator per worker thread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

from processing.core import layout
from processing.core.config import Settings
from processing.translation.backends import (
    ModelRef,
    load_backend,
    resolve_model,
    short_error,
    translation_model_key,
)
from processing.translation.cache import CachedTranslation, CacheStore, SegmentCache, entry_hash
from processing.translation.engine import ModelEngine
from processing.translation.records import (
    FAILED,
    PENDING,
    SOURCE_ENGLISH,
    TITLE_PARAGRAPH,
    TRANSLATED,
    Segment,
    TranslationInput,
    TranslationOutcome,
)
from processing.translation.routing import (
    ANY,
    ENGLISH,
    UNDETERMINED,
    model_routes,
    normalize_language,
    setting_for,
)
from processing.translation.segment import normalize

logger = logging.getLogger(__name__)

STAT_NAMES = (
    "inputs",
    "source_english",
    "translated",
    "pending",
    "failed",
    "segments",
    "cache_hits",
    "cache_misses",
    "generated_segments",
    "batches",
    "source_tokens",
    "target_tokens",
    "cut_retries",
    "cut_given_up",
    "cut_unresolved",
    "failed_batches",
    "failed_segments",
    "cache_objects_read",
    "cache_objects_written",
    "cache_errors",
    "model_ms",
    "calls",
    "wall_ms",
    "load_ms",
)


@dataclass(frozen=True)
class CallReport:
    """What one ``translate()`` call did (``Translator.last_call``)."""

    inputs: int
    translated: int
    pending: int
    failed: int
    segments: int  # segment occurrences in the inputs
    cache_hits: int
    generated_segments: int  # segments the model ran (cut retries included)
    batches: int
    target_tokens: int  # tokens the model generated (</s> included)
    seconds: float  # the whole call: loading, segmentation, cache, model, assembly
    model_seconds: float  # generating
    load_seconds: float  # loading (or converting) models: the translator's first call only

    @property
    def target_tokens_per_s(self) -> float:
        """Target tokens per second of the call, model loading left out."""
        busy = self.seconds - self.load_seconds
        return self.target_tokens / busy if busy > 0 else 0.0


@dataclass
class _Loaded:
    ref: ModelRef
    engine: ModelEngine
    cache: SegmentCache
    multilingual: bool
    variant: str = ""  # what produced the output: backend, precision, vocabulary map, beams


@dataclass
class _Plan:
    """An input's pieces: (paragraph, source text, cache hash)."""

    paragraphs: int
    pieces: list[tuple[int, str, str]] = field(default_factory=list)


class Translator:
    """Translate articles to English with the configured models (see ``docs/translation.md``).

    ``store``: the S3 store that holds the shared segment cache; None keeps it in memory.
    ``stats``: counters over the translator's lifetime (inputs, statuses, segments, cache hits
    and misses, batches, source/target tokens, cut retries, ``calls``, ``wall_ms`` and
    ``model_ms``); ``last_call``: the figures of the latest ``translate()`` call.
    """

    def __init__(self, settings: Settings, store: CacheStore | None = None) -> None:
        self.settings = settings
        self.store: CacheStore | None = store
        self.routes = model_routes(settings)  # raises ValueError on a malformed map
        self.stats: dict[str, int] = dict.fromkeys(STAT_NAMES, 0)
        self._models: dict[str, _Loaded | str] = {}  # model -> loaded, or why it is not
        self.last_call: CallReport | None = None

    # ---- public --------------------------------------------------------------------------
    def translate(self, inputs: list[TranslationInput]) -> list[TranslationOutcome]:
        """One outcome per input, in order. Pass many inputs at once: their segments share
        the model's batches."""
        started = time.monotonic()
        before = dict(self.stats)
        outcomes: list[TranslationOutcome | None] = [None] * len(inputs)
        groups: dict[str, list[int]] = {}
        for i, item in enumerate(inputs):
            self.stats["inputs"] += 1
            lang = normalize_language(item.language)
            if lang == ENGLISH:
                outcomes[i] = TranslationOutcome(
                    item.key, SOURCE_ENGLISH, item.title, item.text, None, None, None, None, ()
                )
            elif lang in UNDETERMINED:
                outcomes[i] = _failed(
                    item,
                    f"language undetermined ({item.language or 'none'}); nothing to translate from",
                )
            elif (model := self.routes.get(lang) or self.routes.get(ANY)) is None:
                outcomes[i] = _failed(item, f"no translation model for language {lang}")
            else:
                groups.setdefault(model, []).append(i)
        for model, idx in groups.items():
            for i, outcome in zip(
                idx, self._translate_group(model, [inputs[i] for i in idx]), strict=True
            ):
                outcomes[i] = outcome
        final = [o for o in outcomes if o is not None]
        for o in final:
            self.stats[o.status] += 1
        self._report(started, before)
        return final

    def _report(self, started: float, before: dict[str, int]) -> None:
        seconds = time.monotonic() - started
        self.stats["calls"] += 1
        self.stats["wall_ms"] += int(seconds * 1000)

        def delta(name: str) -> int:
            return self.stats[name] - before.get(name, 0)

        report = CallReport(
            inputs=delta("inputs"),
            translated=delta("translated"),
            pending=delta("pending"),
            failed=delta("failed"),
            segments=delta("segments"),
            cache_hits=delta("cache_hits"),
            generated_segments=delta("generated_segments"),
            batches=delta("batches"),
            target_tokens=delta("target_tokens"),
            seconds=seconds,
            model_seconds=delta("model_ms") / 1000,
            load_seconds=delta("load_ms") / 1000,
        )
        self.last_call = report
        logger.info(
            "translate: %d inputs (%d translated, %d pending, %d failed), %d segments "
            "(%d from cache, %d generated in %d batches), %d target tokens in %.1f s "
            "(model %.1f s, loading %.1f s): %.0f target tokens/s",
            report.inputs,
            report.translated,
            report.pending,
            report.failed,
            report.segments,
            report.cache_hits,
            report.generated_segments,
            report.batches,
            report.target_tokens,
            report.seconds,
            report.model_seconds,
            report.load_seconds,
            report.target_tokens_per_s,
        )

    @property
    def target_tokens_per_s(self) -> float:
        """Target tokens per second over the translator's lifetime, model loading left out
        (what a stage or a retranslate run reports in its log line)."""
        busy_ms = self.stats["wall_ms"] - self.stats["load_ms"]
        return self.stats["target_tokens"] * 1000 / busy_ms if busy_ms > 0 else 0.0

    def close(self) -> None:
        """Release the loaded models."""
        for loaded in self._models.values():
            if isinstance(loaded, _Loaded):
                loaded.engine.backend.close()
        self._models.clear()

    # ---- one model -----------------------------------------------------------------------
    def _load(self, model: str) -> _Loaded | str:
        if model in self._models:
            return self._models[model]
        loaded: _Loaded | str
        started = time.monotonic()
        try:
            ref = resolve_model(model)
            backend = load_backend(ref, self.settings)
            engine = ModelEngine(
                backend,
                self.settings.translation_max_tokens,
                self.settings.translation_batch_tokens,
                self.settings.translation_beams,
                self.stats,
            )
            variant = f"{backend.variant}-b{engine.beams}"
            prefix = layout.translation_cache_prefix(translation_model_key(model, ref.version))
            cache = SegmentCache(self.store, f"{prefix}{variant}/", self.stats)
            langs = [lang for lang, m in self.routes.items() if m == model]
            loaded = _Loaded(
                ref, engine, cache, multilingual=len(langs) > 1 or ANY in langs, variant=variant
            )
            logger.info(
                "translation model %s (version %s) ready: %s, %d-token segments",
                model,
                ref.version,
                backend.variant,
                engine.budget,
            )
        except Exception as exc:  # any loading problem becomes a "pending" reason
            var = setting_for(model, self.routes)
            loaded = (
                f"model unavailable: {short_error(exc)}; set {var} to a local Marian model "
                "directory (or a reachable hub id)"
            )
            logger.warning("translation model %s unavailable: %s", model, loaded)
        self.stats["load_ms"] += int((time.monotonic() - started) * 1000)
        self._models[model] = loaded
        return loaded

    def _translate_group(
        self, model: str, items: list[TranslationInput]
    ) -> list[TranslationOutcome]:
        loaded = self._load(model)
        if isinstance(loaded, str):
            return [_pending(item, model, None, None, loaded) for item in items]
        try:
            return self._translate_loaded(model, loaded, items)
        finally:
            loaded.engine.forget()  # the source ids kept for this call

    def _translate_loaded(
        self, model: str, loaded: _Loaded, items: list[TranslationInput]
    ) -> list[TranslationOutcome]:
        engine, cache = loaded.engine, loaded.cache
        plans = [self._plan(item, loaded) for item in items]

        # Unique segments; what the cache already has.
        sources: dict[str, str] = {}
        for plan in plans:
            for _, text, h in plan.pieces:
                sources.setdefault(h, text)
        try:
            known = cache.lookup(sources)
        except Exception as exc:  # the cache only saves work: go on without it
            self.stats["cache_errors"] += 1
            logger.warning(
                "translation cache unreadable (%s); translating everything", short_error(exc)
            )
            known = {}
        todo = [h for h in sources if h not in known]
        occurrences = sum(len(p.pieces) for p in plans)
        self.stats["segments"] += occurrences
        self.stats["cache_misses"] += len(todo)
        self.stats["cache_hits"] += occurrences - len(todo)
        results: dict[str, CachedTranslation] = dict(known)

        def done(i: int, value: CachedTranslation) -> None:
            results[todo[i]] = value
            cache.add(todo[i], value)
            if value.cut:
                self.stats["cut_unresolved"] += 1

        var = setting_for(model, self.routes)
        # segments the model failed on alone (the rest of their batch went on)
        segment_errors: dict[str, str] = {}

        def failed(i: int, exc: BaseException) -> None:
            segment_errors[todo[i]] = (
                f"translation failed on one segment: {short_error(exc)}; "
                f"check the model ({var}={model}) and retry"
            )

        failure: str | None = None
        try:
            engine.translate([normalize(sources[h]) for h in todo], done, failed)
        except Exception as exc:  # the model failing on everything: the unfinished inputs wait
            failure = (
                f"translation failed: {short_error(exc)}; check the model ({var}={model}) and retry"
            )
            logger.exception(
                "translation with %s failed after %d of %d segments",
                model,
                len(results) - len(known),
                len(todo),
            )
        finally:
            try:
                cache.flush()
            except Exception as exc:
                self.stats["cache_errors"] += 1
                logger.warning("translation cache not written (%s)", short_error(exc))

        backend = engine.backend.name
        version = loaded.ref.version
        outcomes = []
        for item, plan in zip(items, plans, strict=True):
            missing = [h for _, _, h in plan.pieces if h not in results]
            if missing:
                why = next((segment_errors[h] for h in missing if h in segment_errors), None)
                reason = why or failure or "translation incomplete"
                outcomes.append(_pending(item, model, version, backend, reason))
                continue
            outcomes.append(
                replace(
                    _assemble(item, plan, results, model, version, backend),
                    variant=loaded.variant,
                )
            )
        return outcomes

    def _plan(self, item: TranslationInput, loaded: _Loaded) -> _Plan:
        lang = normalize_language(item.language)

        def key(text: str) -> str:
            norm = normalize(text)
            return entry_hash(f"{lang}\t{norm}" if loaded.multilingual else norm)

        paragraphs = item.text.split("\n")
        plan = _Plan(paragraphs=len(paragraphs))
        if item.title is not None:
            for piece in loaded.engine.segment(item.title):
                plan.pieces.append((TITLE_PARAGRAPH, piece, key(piece)))
        for p, paragraph in enumerate(paragraphs):
            for piece in loaded.engine.segment(paragraph):
                plan.pieces.append((p, piece, key(piece)))
        return plan


def _assemble(
    item: TranslationInput,
    plan: _Plan,
    results: dict[str, CachedTranslation],
    model: str,
    version: str,
    backend: str,
) -> TranslationOutcome:
    segments = tuple(Segment(p, text, results[h].target) for p, text, h in plan.pieces)
    body: list[list[str]] = [[] for _ in range(plan.paragraphs)]
    title: list[str] = []
    for seg in segments:
        (title if seg.paragraph == TITLE_PARAGRAPH else body[seg.paragraph]).append(seg.target)
    cut = sum(results[h].cut for _, _, h in plan.pieces)
    reason = (
        (f"{cut} segment(s) reached the generation limit; their translation may be incomplete")
        if cut
        else None
    )
    return TranslationOutcome(
        key=item.key,
        status=TRANSLATED,
        title_en=" ".join(t for t in title if t) if item.title is not None else None,
        text_en="\n".join(" ".join(t for t in para if t) for para in body),
        model=model,
        model_version=version,
        backend=backend,
        reason=reason,
        segments=segments,
    )


def _pending(
    item: TranslationInput, model: str, version: str | None, backend: str | None, reason: str
) -> TranslationOutcome:
    return TranslationOutcome(item.key, PENDING, None, None, model, version, backend, reason, ())


def _failed(item: TranslationInput, reason: str) -> TranslationOutcome:
    return TranslationOutcome(item.key, FAILED, None, None, None, None, None, reason, ())
