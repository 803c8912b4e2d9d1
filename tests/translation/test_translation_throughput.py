"""The Translator as a long-lived engine: one model load for many calls, one set of
length-sorted batches for all the inputs of a call, one INFO line per call with its throughput,
source text tokenized once (and exactly as the model's tokenizer does), CTranslate2 replicas,
and no progress bars on stderr."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from devkit.tiny_model import PARALLEL
from processing.translation import TranslationInput, Translator
from processing.translation.backends import CTranslate2Backend, convert_model, load_tokenizer
from processing.translation.engine import ModelEngine, fast_source_encoder

ODD_TEXTS = [
    "",
    " ",
    "  two  spaces  ",
    "\ttab and\nnewline",
    "a</s>b",
    "<unk> and <pad>",
    ">>fr<< bonjour",
    ">> not a code",
    "ـــــ",
    "😀 emoji",
    "\u200f\u200e marks",
    "12.5% ٣٤٥ 2023",
    "«اقتباس» (قوس) [x]",
    "MWPs U.S. e.g.",
]


def _articles(sentences: list[str], n: int, per: int = 6) -> list[TranslationInput]:
    out = []
    for a in range(n):
        chunk = [sentences[(a * per + k) % len(sentences)] for k in range(per)]
        body = "\n".join(" ".join(chunk[i : i + 2]) for i in range(0, per, 2))
        out.append(TranslationInput(f"a{a}", "ar", chunk[0], body))
    return out


def test_fast_source_encoder_gives_the_tokenizers_ids(tiny_model_dir: Path, arabic_sentences):
    tokenizer = load_tokenizer(str(tiny_model_dir))
    encode = fast_source_encoder(tokenizer)
    assert encode.__name__ == "fast"  # the sentencepiece path is taken for a Marian tokenizer
    english = [e for _, e in PARALLEL]
    for text in arabic_sentences + english + ODD_TEXTS:
        assert encode(text) == list(tokenizer(text, verbose=False)["input_ids"]), text


def test_fast_source_encoder_falls_back_for_other_tokenizers():
    class Whitespace:
        def __call__(self, text, verbose=True):
            return {"input_ids": [len(w) for w in text.split()] + [0]}

    encode = fast_source_encoder(Whitespace())
    assert encode("ab c") == [2, 1, 0]


def test_model_loads_once_for_many_calls(make_settings, monkeypatch, arabic_sentences):
    from processing.translation import translator as translator_module

    loads = []
    real = translator_module.load_backend

    def counting(ref, settings):
        loads.append(ref.model)
        return real(ref, settings)

    monkeypatch.setattr(translator_module, "load_backend", counting)
    translator = Translator(make_settings())
    for k in range(3):
        outs = translator.translate(_articles(arabic_sentences[k * 40 :], 2))
        assert all(o.status == "translated" for o in outs)
    translator.close()
    assert len(loads) == 1
    assert translator.stats["calls"] == 3


def test_one_call_batches_all_inputs_together(make_settings, arabic_sentences):
    """Twenty articles in one call take fewer batches than twenty calls of one article."""
    items = _articles(arabic_sentences, 20)
    together = Translator(make_settings())
    together.translate(items)
    apart = Translator(make_settings())
    for item in items:
        apart.translate([item])
    assert together.stats["cache_misses"] == apart.stats["cache_misses"]
    assert together.stats["batches"] < apart.stats["batches"] / 3
    together.close()
    apart.close()


def test_each_call_logs_its_throughput(make_settings, caplog, arabic_sentences):
    translator = Translator(make_settings())
    items = [*_articles(arabic_sentences, 4), TranslationInput("en", "en", "Hi", "Hello.")]
    with caplog.at_level(logging.INFO, logger="processing.translation.translator"):
        translator.translate(items)
    lines = [r for r in caplog.records if r.getMessage().startswith("translate: ")]
    assert len(lines) == 1
    call = translator.last_call
    assert call is not None
    assert (call.inputs, call.translated, call.pending, call.failed) == (5, 4, 0, 0)
    assert call.segments == translator.stats["segments"] > 4
    assert call.target_tokens == translator.stats["target_tokens"] > 0
    assert call.seconds > 0 and call.target_tokens_per_s > 0
    message = lines[0].getMessage()
    assert f"{call.inputs} inputs" in message and f"{call.segments} segments" in message
    assert f"{call.target_tokens} target tokens" in message and "target tokens/s" in message
    assert lines[0].args  # lazy %-formatting, not an f-string
    assert translator.stats["wall_ms"] >= 0 and translator.stats["calls"] == 1
    assert call.load_seconds > 0  # the first call loads the model ...
    # A second call reports its own figures, not the lifetime totals.
    translator.translate(items[:1])
    assert translator.last_call.inputs == 1
    assert translator.last_call.load_seconds == 0  # ... and no other call does
    translator.close()


def test_source_is_tokenized_once_per_segment(make_settings, monkeypatch, arabic_sentences):
    from processing.translation import engine as engine_module

    calls: list[str] = []
    real = engine_module.fast_source_encoder

    def counting(tokenizer):
        encode = real(tokenizer)

        def wrapped(text):
            calls.append(text)
            return encode(text)

        return wrapped

    monkeypatch.setattr(engine_module, "fast_source_encoder", counting)
    translator = Translator(make_settings(translation_max_tokens=512))
    items = [
        TranslationInput("a", "ar", None, "أخبار عاجلة. دمشق."),
        TranslationInput("b", "ar", None, "أخبار عاجلة. حلب."),
    ]
    translator.translate(items)
    # Every distinct text is tokenized once: counting it while segmenting gives the ids the
    # model is fed.
    assert len(calls) == len(set(calls))
    assert translator.stats["cache_misses"] == 3
    translator.close()


def test_ctranslate2_replicas_split_a_batch_and_keep_its_order(tiny_model_dir: Path, tmp_path):
    ct2_dir = convert_model(str(tiny_model_dir), tmp_path / "ct2", "int8", version="t")
    one = CTranslate2Backend(ct2_dir, "cpu", "int8", intra_threads=2, inter_threads=1)
    two = CTranslate2Backend(ct2_dir, "cpu", "int8", intra_threads=1, inter_threads=2)
    engine = ModelEngine(one, 256, 4096, 1, {})
    batch = [engine.encode(a) for a, _ in PARALLEL[:9]]
    assert two.generate(batch, 40, 1) == one.generate(batch, 40, 1)
    assert two.generate(batch[:1], 40, 1) == one.generate(batch[:1], 40, 1)
    # Several batches at once: each whole on a replica, the results in the batches' order.
    batches = [batch[k : k + 2] for k in range(0, len(batch), 2)]
    limits = [40, 30, 20, 40, 12]
    expected = [one.generate(b, lim, 1) for b, lim in zip(batches, limits, strict=True)]
    assert list(two.generate_batches(batches, limits, 1)) == expected
    assert list(one.generate_batches(batches, limits, 1)) == expected


def test_engine_hands_all_its_batches_over_at_once():
    class Recording:
        name = variant = "recording"
        max_positions = 64
        device = "cpu"
        replicas = 2

        def __init__(self):
            from tests.translation.test_translation_backends import ScriptedTokenizer

            self.tokenizer = ScriptedTokenizer()
            self.handed: list[int] = []

        def generate_batches(self, batches, max_new_tokens, beams):
            self.handed.append(len(batches))
            for batch in batches:
                yield [list(ids) for ids in batch]

    backend = Recording()
    engine = ModelEngine(backend, 8, 16, 1, {})
    texts = [f"w{i} x{i}" for i in range(20)]
    results = engine.translate(texts)
    assert backend.handed == [len(engine._batches([[0, 0, 0]] * 20))] and backend.handed[0] > 1
    # The echo comes back to the segment it belongs to.
    assert [r.target for r in results] == [
        " ".join(f"w{2 + len(w)}" for w in text.split()) for text in texts
    ]


def test_no_progress_bars_while_loading(make_settings, capfd, tmp_path):
    for backend in ("transformers", "ctranslate2"):
        translator = Translator(
            make_settings(translation_backend=backend, state_dir=tmp_path / backend)
        )
        [out] = translator.translate([TranslationInput("k", "ar", None, "أخبار عاجلة")])
        assert out.status == "translated", out.reason
        translator.close()
    err = capfd.readouterr().err
    assert "Loading weights" not in err and "it/s]" not in err and "%|" not in err


def test_progress_bar_setting_is_restored():
    from transformers.utils import logging as hf_logging

    from processing.translation.backends import quiet_loading

    before = hf_logging.is_progress_bar_enabled()
    with quiet_loading():
        assert not hf_logging.is_progress_bar_enabled()
    assert hf_logging.is_progress_bar_enabled() == before


@pytest.mark.parametrize(
    ("threads", "plan"), [(1, (1, 1)), (2, (1, 2)), (4, (1, 4)), (8, (2, 4)), (16, (4, 4))]
)
def test_cpu_thread_plan_prefers_one_thread_replicas(threads, plan):
    from processing.translation.backends import cpu_thread_plan

    assert cpu_thread_plan(threads) == plan


def test_pipeline_ctranslate2_backend_follows_the_plan(make_settings, tmp_path):
    translator = Translator(
        make_settings(translation_backend="ctranslate2", translation_threads=2, state_dir=tmp_path)
    )
    [out] = translator.translate([TranslationInput("k", "ar", None, "أخبار عاجلة")])
    assert out.status == "translated"
    [loaded] = translator._models.values()
    backend = loaded.engine.backend  # type: ignore[union-attr]
    assert (backend.intra_threads, backend.inter_threads) == (1, 2)
    assert backend.translator.num_translators == 2
    assert loaded.engine.max_batch == 64  # type: ignore[union-attr]
    translator.close()
