"""Model identity, CTranslate2 conversion, the tiny model, generation limits and cut retries
(the last with a scripted backend, so the behaviour is exact)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from devkit.tiny_model import PARALLEL, TINY_MAX_INPUT_TOKENS
from processing.translation.backends import (
    CT2_META,
    CT2_VMAP,
    CTranslate2Backend,
    ModelUnavailable,
    convert_model,
    load_tokenizer,
    resolve_model,
    target_output_tokens,
    translation_model_key,
)
from processing.translation.engine import ModelEngine


def test_model_key_is_safe_for_s3_and_file_names():
    commit = "0123456789abcdef" * 2 + "01234567"
    assert (
        translation_model_key("Helsinki-NLP/opus-mt-ar-en", commit)
        == "Helsinki-NLP--opus-mt-ar-en--0123456789abcdef"
    )
    key = translation_model_key("/models/my model (v2)/", "sha:ab/cd")
    assert key == "my-model-v2--shaabcd"
    assert all(c.isalnum() or c in "-._" for c in key)


def test_local_version_is_a_content_hash(tiny_model_dir: Path, tmp_path: Path):
    ref = resolve_model(str(tiny_model_dir))
    assert ref.local_dir == tiny_model_dir.resolve() and len(ref.version) == 16
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir, copy)
    (copy / "README.md").write_text("docs do not change the version")
    assert resolve_model(str(copy)).version == ref.version
    (copy / "vocab.json").write_text((copy / "vocab.json").read_text() + "\n")
    assert resolve_model(str(copy)).version != ref.version


def test_hub_cache_snapshot_is_versioned_by_its_commit(tiny_model_dir: Path, tmp_path: Path):
    commit = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c"
    snapshot = tmp_path / "models--Helsinki-NLP--opus-mt-ar-en" / "snapshots" / commit
    shutil.copytree(tiny_model_dir, snapshot)
    assert resolve_model(str(snapshot)).version == commit


def test_missing_and_invalid_directories(tmp_path: Path):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))
    with pytest.raises(ModelUnavailable, match=r"no config\.json"):
        resolve_model(str(tmp_path))


def test_convert_model_writes_an_atomic_loadable_directory(tiny_model_dir: Path, tmp_path: Path):
    import ctranslate2

    out = convert_model(str(tiny_model_dir), tmp_path / "ct2", "int8")
    assert (out / "model.bin").is_file() and (out / "newsloom.json").is_file()
    assert (out / "tokenizer" / "vocab.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left
    translator = ctranslate2.Translator(str(out), device="cpu", compute_type="int8")
    tokenizer = load_tokenizer(str(out / "tokenizer"))
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("أخبار عاجلة")["input_ids"])
    assert translator.translate_batch([tokens])[0].hypotheses[0]
    # Converting again over an existing directory is harmless (a concurrent worker did it).
    assert convert_model(str(tiny_model_dir), out, "int8") == out


@pytest.fixture(scope="module")
def tiny_ct2(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert_model(str(tiny_model_dir), tmp_path_factory.mktemp("ct2") / "int8", "int8")


def test_output_layer_keeps_exactly_the_target_pieces(tiny_ct2: Path):
    import sentencepiece as spm

    vocabulary = json.loads((tiny_ct2 / "shared_vocabulary.json").read_text(encoding="utf-8"))
    target = spm.SentencePieceProcessor(model_file=str(tiny_ct2 / "tokenizer" / "target.spm"))
    source = spm.SentencePieceProcessor(model_file=str(tiny_ct2 / "tokenizer" / "source.spm"))
    pieces = {target.id_to_piece(i) for i in range(target.get_piece_size())}
    source_only = {source.id_to_piece(i) for i in range(source.get_piece_size())} - pieces
    line = (tiny_ct2 / CT2_VMAP).read_text(encoding="utf-8")
    assert line.startswith("\t") and line.count("\n") == 1  # fixed candidates: empty n-gram
    kept = line.split()
    assert set(kept) == (pieces | {"</s>"}) & set(vocabulary)
    assert not set(kept) & source_only and len(source_only) > 20
    assert kept == [t for t in vocabulary if t in set(kept)]  # vocabulary order
    meta = json.loads((tiny_ct2 / CT2_META).read_text(encoding="utf-8"))
    assert meta["output_tokens"] == len(kept) < 0.9 * len(vocabulary)


def test_target_vocabulary_changes_no_greedy_output(tiny_ct2: Path):
    """The scored tokens shrink, the answers do not: greedy decoding takes the same argmax
    whenever the whole vocabulary's winner is a target piece, as a model trained on target.spm
    pieces always gives."""
    restricted = CTranslate2Backend(tiny_ct2, "cpu", "int8", 1, 1)
    whole = CTranslate2Backend(tiny_ct2, "cpu", "int8", 1, 1, target_vocabulary=False)
    assert restricted.variant == "ctranslate2-int8-vmap" and restricted.output_tokens
    assert whole.variant == "ctranslate2-int8" and whole.output_tokens is None
    ids = restricted.tokenizer([ar for ar, _ in PARALLEL], verbose=False)["input_ids"]
    got = restricted.generate(ids, 48, 1)
    assert got == whole.generate(ids, 48, 1)
    assert all(got)


def test_decoding_scores_only_the_mapped_tokens(tiny_ct2: Path, tmp_path: Path):
    narrow = tmp_path / "narrow"
    shutil.copytree(tiny_ct2, narrow)
    (narrow / CT2_VMAP).write_text("\t</s> ▁the\n", encoding="utf-8")
    backend = CTranslate2Backend(narrow, "cpu", "int8", 1, 1)
    ids = backend.tokenizer([ar for ar, _ in PARALLEL[:4]], verbose=False)["input_ids"]
    emitted = {
        t
        for out in backend.generate(ids, 8, 1)
        for t in backend.tokenizer.convert_ids_to_tokens(out)
    }
    assert emitted and emitted <= {"▁the", "</s>", "<unk>", "<pad>"}


def test_output_vocabulary_is_added_to_older_conversions_or_left_out(
    tiny_ct2: Path, tmp_path: Path
):
    old = tmp_path / "old"
    shutil.copytree(tiny_ct2, old)
    (old / CT2_VMAP).unlink()
    meta = json.loads((old / CT2_META).read_text(encoding="utf-8"))
    count = meta.pop("output_tokens")
    (old / CT2_META).write_text(json.dumps(meta), encoding="utf-8")
    assert CTranslate2Backend(old, "cpu", "int8", 1, 1).output_tokens == count
    assert (old / CT2_VMAP).is_file()
    # A target model that does not belong to the vocabulary: the output layer stays whole.
    foreign = tmp_path / "foreign"
    shutil.copytree(tiny_ct2, foreign)
    (foreign / CT2_VMAP).unlink()
    vocabulary = json.loads((foreign / "shared_vocabulary.json").read_text(encoding="utf-8"))
    renamed = [f"x{t}" if not t.startswith("<") else t for t in vocabulary]
    (foreign / "shared_vocabulary.json").write_text(json.dumps(renamed), encoding="utf-8")
    assert target_output_tokens(foreign) is None


def test_cli_translates_stdin(tiny_model_dir: Path, tmp_path: Path, monkeypatch, capsys):
    import io

    from processing.translation.cli import main

    monkeypatch.setenv("NEWSLOOM_TRANSLATION_MODEL", str(tiny_model_dir))
    monkeypatch.setenv("NEWSLOOM_TRANSLATION_BACKEND", "transformers")
    monkeypatch.setenv("NEWSLOOM_STATE_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("أخبار عاجلة\nدمشق\n"))
    assert main(["translate", "--language", "ar"]) == 0
    out = capsys.readouterr()
    assert len(out.out.strip().split("\n")) == 2 and '"status": "translated"' in out.err


def test_tiny_model_output_is_english_looking_and_never_empty(tiny_model_dir: Path):
    import random

    from transformers import AutoModelForSeq2SeqLM

    tokenizer = load_tokenizer(str(tiny_model_dir))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(tiny_model_dir))
    assert tokenizer.model_max_length == TINY_MAX_INPUT_TOKENS
    rng = random.Random(7)
    words = " ".join(a for a, _ in PARALLEL).split()
    sources = (
        [a for a, _ in PARALLEL]
        + ["؟", "x", "ـ"]
        + [" ".join(rng.choices(words, k=rng.randint(1, 12))) for _ in range(40)]
    )
    enc = tokenizer(sources, return_tensors="pt", padding=True)
    # Plain generate() with the model's own generation config.
    out = model.generate(**enc, max_new_tokens=80)
    targets = tokenizer.batch_decode(out, skip_special_tokens=True)
    assert all(t.strip() for t in targets)
    assert all(re.search("[A-Za-z]", t) for t in targets)
    assert not any(re.search("[\u0600-\u06ff]", t) for t in targets)


# ---- generation limits, with a scripted backend ------------------------------------------
class ScriptedTokenizer:
    """Whitespace 'tokens': id = 2 + word length; </s> = 0."""

    eos_token = "</s>"

    def __call__(self, texts, verbose=True):
        if isinstance(texts, str):
            return {"input_ids": [2 + len(w) for w in texts.split()] + [0]}
        return {"input_ids": [self(t)["input_ids"] for t in texts]}

    def convert_tokens_to_ids(self, token):
        return 0

    def decode(self, ids, skip_special_tokens=True):
        return " ".join(f"w{i}" for i in ids if i != 0)


class ScriptedBackend:
    """Echoes each source token; never ends sources longer than ``loop_over`` tokens."""

    name = "scripted"
    variant = "scripted"
    max_positions = 64

    def __init__(self, loop_over: int) -> None:
        self.tokenizer = ScriptedTokenizer()
        self.loop_over = loop_over
        self.calls: list[tuple[int, int]] = []

    def generate(self, batch, max_new_tokens, beams):
        self.calls.append((len(batch), max_new_tokens))
        out = []
        for ids in batch:
            if len(ids) > self.loop_over:
                out.append([7] * max_new_tokens)  # a loop: runs to the limit
            else:
                out.append(list(ids))  # ends with </s>
        return out

    def close(self):
        pass


def test_cut_segments_are_split_in_two_and_retried():
    backend = ScriptedBackend(loop_over=4)
    stats: dict[str, int] = {}
    engine = ModelEngine(backend, 256, 4096, 1, stats)
    results = engine.translate(["aa bb cc dd ee ff", "x y"])
    # 6 words + </s> = 7 tokens > 4: cut, split into 3 + 3 words, each ends.
    assert results[0].target == "w4 w4 w4 w4 w4 w4" and not results[0].cut
    assert results[1].target == "w3 w3" and not results[1].cut
    assert stats["cut_retries"] == 1 and stats["generated_segments"] == 4
    assert backend.calls[0][1] == min(63, 2 * 7 + 16)  # limit of the longest in the batch


def test_unsplittable_cut_is_reported_not_hidden():
    backend = ScriptedBackend(loop_over=0)  # nothing ever ends
    stats: dict[str, int] = {}
    engine = ModelEngine(backend, 256, 4096, 1, stats)
    [result] = engine.translate(["a b c d e f g h"])
    assert result.cut and result.target
    assert stats["cut_given_up"] > 0
    assert all(n <= 63 for _, n in backend.calls)


def test_batches_are_sorted_by_length_under_the_token_budget():
    backend = ScriptedBackend(loop_over=100)
    engine = ModelEngine(backend, max_tokens=8, batch_tokens=20, beams=1, stats={})
    texts = ["a " * n for n in (9, 1, 5, 2, 9, 1)]
    engine.translate(texts)
    sizes = [size for size, _ in backend.calls]
    assert sum(sizes) == 6 and max(sizes) <= 6
    limits = [limit for _, limit in backend.calls]
    assert limits == sorted(limits)  # shortest first
    assert all(size * ((limit - 16) // 2) <= 20 for size, limit in backend.calls)


def test_pipeline_translator_with_tiny_model_never_empty(make_settings):
    from processing.translation import TranslationInput, Translator

    odd = ["؟", "x", "12345", "ـــــ", "«»", "MWPs", "ق", "و" * 40]
    translator = Translator(make_settings())
    outs = translator.translate(
        [TranslationInput(str(i), "ar", None, t) for i, t in enumerate(odd)]
    )
    assert all(o.status == "translated" and o.text_en.strip() for o in outs), outs


def test_gpu_batches_are_capped_by_tokens_not_by_the_cpu_segment_cap():
    backend = ScriptedBackend(loop_over=100)
    backend.device = "cuda"
    engine = ModelEngine(backend, max_tokens=8, batch_tokens=100_000, beams=1, stats={})
    engine.translate([f"w{i}" for i in range(300)])
    assert [size for size, _ in backend.calls] == [300]
    cpu = ScriptedBackend(loop_over=100)
    ModelEngine(cpu, max_tokens=8, batch_tokens=100_000, beams=1, stats={}).translate(
        [f"w{i}" for i in range(300)]
    )
    assert max(size for size, _ in cpu.calls) == 64
