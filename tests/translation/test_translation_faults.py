"""Translation faults that must cost as little as possible: a CTranslate2 conversion that
fails is not tried again by every task, and one segment the model fails on leaves only its
own article pending (issue 24, "nothing fetched twice")."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
from pathlib import Path

import pytest

from processing.translation import TranslationInput, Translator
from tests import reliability

pytestmark = [pytest.mark.reliability]

# Real sentences of different lengths (the tiny model translates anything it can tokenize).
SENTENCES = [
    "قال المرصد السوري لحقوق الإنسان إن عشرة مدنيين قتلوا في قصف.",
    "أعلنت الحكومة عن خطة جديدة لدعم المزارعين في الشمال.",
    "ارتفعت أسعار الوقود للمرة الثالثة هذا العام.",
    "وصل الوفد إلى دمشق صباح اليوم.",
    "أغلقت المدارس بسبب العاصفة الثلجية.",
]
POISON = "هذه الجملة يرفضها النموذج."


@pytest.fixture
def unconvertible_model(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """The tiny Marian model with an activation transformers runs and CTranslate2's converter
    does not know (``mish``): the conversion fails for real, after loading the model."""
    model = tmp_path / "mish-model"
    shutil.copytree(tiny_model_dir, model)
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    config["activation_function"] = "mish"
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def test_failed_conversion_is_not_retried_by_the_next_task(
    make_settings, unconvertible_model: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    """``auto``: the first translator tries the conversion, it fails, transformers translates;
    the next translator (the next task on the worker) does not convert again, and an explicit
    ``ctranslate2`` backend says why at once (articles pending with the cached cause)."""
    settings = make_settings(
        state_dir=tmp_path / "state",
        translation_model=str(unconvertible_model),
        translation_backend="auto",
    )
    item = [TranslationInput("k", "ar", None, SENTENCES[0])]
    attempts = []
    for _ in range(3):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="processing.translation"):
            translator = Translator(settings)
            try:
                [out] = translator.translate(item)
            finally:
                translator.close()
        assert out.status == "translated" and out.backend == "transformers", out.reason
        attempts.append(sum("converting" in r.getMessage() for r in caplog.records))
    explicit = Translator(dataclasses.replace(settings, translation_backend="ctranslate2"))
    try:
        [pending] = explicit.translate(item)
    finally:
        explicit.close()
    observed = f"conversions tried: {attempts}"
    reliability.record(
        area="translation",
        case="CTranslate2 conversion fails (auto backend), three tasks in a row",
        expected="conversions tried: [1, 0, 0]",
        observed=observed,
    )
    assert attempts == [1, 0, 0]
    assert pending.status == "pending"
    assert "conversion" in pending.reason and "failed" in pending.reason, pending.reason
    assert "mish" in pending.reason, pending.reason


def test_one_failing_segment_leaves_only_its_article_pending(make_settings, monkeypatch):
    """Every segment shares one batch; the model fails on any batch holding the poisoned
    segment. Only the article with that segment stays pending, with the model's error."""
    from processing.translation import backends

    real = backends.TransformersBackend.generate
    poison: list[list[int]] = []

    def refuses_poison(self, batch, max_new_tokens, beams):
        if not poison:
            poison.append(self.tokenizer(POISON)["input_ids"])
        if poison[0] in batch:
            raise RuntimeError("index out of range in self (the model failed on one input)")
        return real(self, batch, max_new_tokens, beams)

    monkeypatch.setattr(backends.TransformersBackend, "generate", refuses_poison)
    items = [TranslationInput(f"a{i}", "ar", None, s) for i, s in enumerate(SENTENCES)]
    items.insert(2, TranslationInput("bad", "ar", "عنوان", f"{SENTENCES[3]}\n{POISON}"))
    translator = Translator(make_settings(translation_batch_tokens=100_000))
    try:
        outs = translator.translate(items)
    finally:
        translator.close()
    statuses = {o.key: o.status for o in outs}
    pending = sorted(k for k, s in statuses.items() if s != "translated")
    reliability.record(
        area="translation",
        case="the model fails on one segment of a batch of six articles",
        expected="pending: ['bad']",
        observed=f"pending: {pending}",
    )
    assert pending == ["bad"], statuses
    bad = next(o for o in outs if o.key == "bad")
    assert "index out of range" in bad.reason and "NEWSLOOM_TRANSLATION_MODEL" in bad.reason
    assert all(o.text_en for o in outs if o.key != "bad")
