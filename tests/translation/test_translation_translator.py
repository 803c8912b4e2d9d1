"""The Translator end to end with the tiny Marian model: full articles, both backends,
routing, passthrough and failure outcomes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from devkit.tiny_model import TINY_MAX_INPUT_TOKENS
from processing.core.config import Settings
from processing.translation import TranslationInput, TranslationOutcome, Translator
from processing.translation.engine import ModelEngine


def _translate(
    settings: Settings, items: list[TranslationInput]
) -> tuple[list[TranslationOutcome], Translator]:
    translator = Translator(settings)
    try:
        return translator.translate(items), translator
    finally:
        translator.close()


def _engine(translator: Translator) -> ModelEngine:
    [loaded] = [m for m in translator._models.values() if not isinstance(m, str)]
    return loaded.engine  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def article_runs(
    tiny_model_dir: Path, translation_state: Path, arabic_article: str
) -> dict[str, tuple[TranslationOutcome, dict[str, int], Callable[[str], int], int]]:
    """The 3,000-word article through each backend (made once for this module's tests)."""
    runs = {}
    for name, backend, quantization in [
        ("transformers", "transformers", "auto"),
        ("ct2-int8", "ctranslate2", "int8"),
        ("ct2-float32", "ctranslate2", "float32"),
    ]:
        settings = Settings(
            state_dir=translation_state,
            s3_endpoint=None,
            s3_bucket="unused",
            s3_region="us-east-1",
            embedded_s3_port=0,
            translation_model=str(tiny_model_dir),
            translation_backend=backend,
            translation_ct2_quantization=quantization,
            translation_beams=1,
        )
        translator = Translator(settings)
        [out] = translator.translate(
            [TranslationInput("a1", "ar", "عنوان المقال: أخبار عاجلة", arabic_article)]
        )
        engine = _engine(translator)
        runs[name] = (out, dict(translator.stats), engine.count_tokens, engine.budget)
        translator.close()
    return runs


@pytest.mark.parametrize("name", ["transformers", "ct2-int8"])
def test_long_article_is_fully_translated(article_runs, arabic_article: str, name: str):
    out, stats, count_tokens, budget = article_runs[name]
    assert len(arabic_article.split()) >= 3000
    assert out.status == "translated", out.reason
    assert out.reason is None
    assert out.backend == ("transformers" if name == "transformers" else "ctranslate2")
    assert out.model and out.model_version
    # Paragraph structure: same count, the empty paragraph stays empty.
    source_paragraphs = arabic_article.split("\n")
    target_paragraphs = out.text_en.split("\n")
    assert len(target_paragraphs) == len(source_paragraphs)
    assert target_paragraphs[3] == ""
    assert all(t.strip() for s, t in zip(source_paragraphs, target_paragraphs, strict=True) if s)
    # Segments cover the source exactly, each fits the model, each has a translation.
    body = [s for s in out.segments if s.paragraph >= 0]
    for p, paragraph in enumerate(source_paragraphs):
        pieces = [s.source for s in body if s.paragraph == p]
        assert " ".join(pieces).split() == paragraph.split()
    assert budget == TINY_MAX_INPUT_TOKENS
    assert all(count_tokens(s.source) <= budget for s in out.segments)
    assert all(s.target.strip() for s in out.segments)  # never an empty translation
    assert out.segments[0].paragraph == -1 and out.title_en
    # Nothing cut at the generation limit (cut segments are split and retried).
    assert stats["cut_unresolved"] == 0
    assert stats["segments"] == len(out.segments) > 100
    # Sentences of the long paragraphs were split to fit: more segments than sentences.
    assert stats["generated_segments"] >= stats["cache_misses"]


def test_backends_give_the_same_segments(article_runs):
    reference = article_runs["transformers"][0]
    for name in ("ct2-int8", "ct2-float32"):
        other = article_runs[name][0]
        assert [(s.paragraph, s.source) for s in other.segments] == [
            (s.paragraph, s.source) for s in reference.segments
        ]
        assert len(other.text_en.split("\n")) == len(reference.text_en.split("\n"))
    # Same model, same float32 precision, greedy: mostly the very same translations.
    fp32 = article_runs["ct2-float32"][0]
    same = sum(a.target == b.target for a, b in zip(reference.segments, fp32.segments, strict=True))
    assert same >= 0.5 * len(reference.segments)


def test_auto_backend_converts_to_ctranslate2(make_settings, translation_state: Path):
    outs, _ = _translate(
        make_settings(translation_backend="auto"),
        [TranslationInput("k", "ar", None, "قال الوزير إن الوضع مستقر.")],
    )
    assert outs[0].status == "translated" and outs[0].backend == "ctranslate2"
    converted = list((translation_state / "ct2").glob("*-int8"))
    assert converted and (converted[0] / "model.bin").is_file()


def test_passthrough_failures_and_order(make_settings):
    items = [
        TranslationInput("en", "en", "Hello", "First.\nSecond."),
        TranslationInput("und", "und", "؟", "نص غير معروف"),
        TranslationInput("fr", "fr", "Bonjour", "Le texte."),
        TranslationInput("ar", "ar-SY", None, "أخبار عاجلة\n\nدمشق"),
        TranslationInput("empty", "ar", "", ""),
    ]
    outs, translator = _translate(make_settings(), items)
    assert [o.key for o in outs] == ["en", "und", "fr", "ar", "empty"]
    en, und, fr, ar, empty = outs
    assert (en.status, en.title_en, en.text_en, en.segments) == (
        "source_english",
        "Hello",
        "First.\nSecond.",
        (),
    )
    assert und.status == "failed" and "undetermined" in und.reason and und.text_en is None
    assert fr.status == "failed" and fr.reason == "no translation model for language fr"
    assert ar.status == "translated" and ar.title_en is None
    assert len(ar.text_en.split("\n")) == 3 and ar.text_en.split("\n")[1] == ""
    assert empty.status == "translated" and (empty.title_en, empty.text_en) == ("", "")
    assert translator.stats["source_english"] == 1 and translator.stats["failed"] == 2


def test_routing_map_sends_other_languages_to_their_model(make_settings, tiny_model_dir):
    settings = make_settings(
        translation_model="/nonexistent/ar-model",
        translation_models=f"fa={tiny_model_dir}, *={tiny_model_dir}",
    )
    outs, _ = _translate(
        settings,
        [
            TranslationInput("fa", "fa", None, "خبر فوری"),
            TranslationInput("tr", "tr", None, "Son dakika"),
            TranslationInput("ar", "ar", None, "أخبار عاجلة"),
        ],
    )
    assert [o.status for o in outs] == ["translated", "translated", "pending"]
    assert outs[0].model == str(tiny_model_dir)
    assert "NEWSLOOM_TRANSLATION_MODEL " in outs[2].reason  # Arabic's own variable


def test_malformed_routing_map_is_rejected(make_settings):
    with pytest.raises(ValueError, match="NEWSLOOM_TRANSLATION_MODELS"):
        Translator(make_settings(translation_models="fa:Helsinki-NLP/opus-mt-fa-en"))


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2", "auto"])
def test_missing_model_directory_leaves_everything_pending(make_settings, tmp_path, backend):
    settings = make_settings(
        translation_model=str(tmp_path / "no-such-model"), translation_backend=backend
    )
    items = [TranslationInput(f"k{i}", "ar", "عنوان", "نص المقال.") for i in range(3)]
    outs, translator = _translate(settings, items)
    assert [o.status for o in outs] == ["pending"] * 3
    for o in outs:
        assert "NEWSLOOM_TRANSLATION_MODEL" in o.reason and "no-such-model" in o.reason
        assert o.text_en is None and o.model == str(tmp_path / "no-such-model")
    # The failure is remembered: a second call does not try to load again.
    assert translator.translate(items[:1])[0].reason == outs[0].reason


def test_model_failing_mid_batch_leaves_affected_inputs_pending(make_settings, monkeypatch):
    from processing.translation import backends

    calls = {"n": 0}
    real = backends.TransformersBackend.generate

    def flaky(self, batch, max_new_tokens, beams):
        calls["n"] += 1
        if calls["n"] > 1:
            raise RuntimeError("CUDA out of memory (simulated)")
        return real(self, batch, max_new_tokens, beams)

    monkeypatch.setattr(backends.TransformersBackend, "generate", flaky)
    settings = make_settings(translation_batch_tokens=64)  # one short segment per batch
    items = [
        TranslationInput("short", "ar", None, "نعم"),
        TranslationInput(
            "long", "ar", None, "قال المرصد السوري لحقوق الإنسان إن عشرة مدنيين قتلوا في قصف."
        ),
    ]
    outs, _ = _translate(settings, items)
    assert outs[0].status == "translated"  # its only segment was in the first batch
    assert outs[1].status == "pending"
    assert "simulated" in outs[1].reason and "NEWSLOOM_TRANSLATION_MODEL" in outs[1].reason
