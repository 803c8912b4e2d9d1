"""A tiny Arabic->English MarianMT model, built from scratch in seconds, for tests and the demo.

The hub is unreachable offline, so tests build this model into a temporary directory and load
it through the same code as a real model (``AutoTokenizer``/``AutoModelForSeq2SeqLM`` from a
local directory, or CTranslate2 after conversion). It is trained for a few hundred steps on the
built-in parallel sentences below, so it emits English-looking (mostly nonsense) output that is
never empty and stops well before the generation limit.

    python -m processing.translation tiny-model /tmp/tiny-marian
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

# The tokenizer's maximum input length. Deliberately small, so that ordinary Arabic news
# sentences exercise the long-sentence splitting of ``processing.translation.segment``.
TINY_MAX_INPUT_TOKENS = 64
TINY_MAX_POSITIONS = 256
SPM_VOCAB_SIZE = 120
# Model size and training length: small enough to build in about ten seconds on two cores.
TINY_D_MODEL = 64
TINY_LAYERS = 1
TINY_STEPS = 300
TINY_BATCH = 32
TINY_LR = 4e-3
AUG_REPEAT = 4  # copies of each pair in the training set
AUG_CONCAT = 120  # two pairs joined
AUG_SPANS = 360  # aligned spans of a pair

# (Arabic, English) news-style sentence pairs: the training data of the tiny model and the
# built-in Arabic text of the tests.
PARALLEL: tuple[tuple[str, str], ...] = (
    (
        "قال المرصد السوري لحقوق الإنسان إن عشرة مدنيين قتلوا في قصف على إدلب.",
        "The Syrian Observatory for Human Rights said ten civilians were killed in shelling "
        "on Idlib.",
    ),
    (
        "أعلنت الحكومة عن خطة جديدة لإعادة بناء المدارس والمستشفيات.",
        "The government announced a new plan to rebuild schools and hospitals.",
    ),
    (
        "التقى وزير الخارجية بنظيره التركي في أنقرة يوم الثلاثاء.",
        "The foreign minister met his Turkish counterpart in Ankara on Tuesday.",
    ),
    (
        "ارتفعت أسعار الخبز والوقود في دمشق هذا الأسبوع.",
        "Bread and fuel prices rose in Damascus this week.",
    ),
    (
        "دعت الأمم المتحدة إلى وقف فوري لإطلاق النار.",
        "The United Nations called for an immediate ceasefire.",
    ),
    (
        "عاد آلاف اللاجئين إلى منازلهم بعد انتهاء المعارك.",
        "Thousands of refugees returned to their homes after the fighting ended.",
    ),
    (
        "قال المتحدث باسم الجيش إن القوات سيطرت على المدينة.",
        "The army spokesman said the forces took control of the city.",
    ),
    ("هل ستنجح المفاوضات في إنهاء الحرب؟", "Will the negotiations succeed in ending the war?"),
    (
        "انخفضت قيمة الليرة السورية أمام الدولار الأمريكي.",
        "The Syrian pound fell against the US dollar.",
    ),
    (
        "تستمر الأمطار الغزيرة في شمال البلاد حتى يوم الجمعة.",
        "Heavy rain continues in the north of the country until Friday.",
    ),
    (
        "أكد الرئيس أن الانتخابات ستجرى في موعدها.",
        "The president confirmed that the elections will be held on time.",
    ),
    (
        "وصلت قافلة مساعدات إنسانية إلى مخيم الهول.",
        "A humanitarian aid convoy arrived at al-Hol camp.",
    ),
    (
        "أصيب خمسة أشخاص في انفجار سيارة مفخخة في منبج.",
        "Five people were injured in a car bomb explosion in Manbij.",
    ),
    (
        "قالت وزارة الصحة إن عدد الإصابات ارتفع إلى مئة.",
        "The health ministry said the number of cases rose to one hundred.",
    ),
    (
        "يعاني السكان من نقص حاد في المياه والكهرباء.",
        "Residents suffer from a severe shortage of water and electricity.",
    ),
    (
        "افتتحت الجامعة عامها الدراسي الجديد بحضور الطلاب.",
        "The university opened its new academic year with students attending.",
    ),
    ("ناقش البرلمان مشروع قانون جديد للضرائب.", "Parliament discussed a new tax bill."),
    (
        "طالبت منظمات حقوقية بالإفراج عن المعتقلين.",
        "Rights organisations demanded the release of detainees.",
    ),
    (
        "وقعت الشركة اتفاقية لتصدير القمح إلى لبنان.",
        "The company signed an agreement to export wheat to Lebanon.",
    ),
    (
        "قال شهود عيان إن الطائرات حلقت فوق المدينة طوال الليل.",
        "Witnesses said the planes flew over the city all night.",
    ),
    (
        "أغلقت السلطات المعبر الحدودي مع الأردن.",
        "The authorities closed the border crossing with Jordan.",
    ),
    (
        "فاز المنتخب الوطني بالمباراة بهدفين مقابل هدف.",
        "The national team won the match two goals to one.",
    ),
    ("قالت الشرطة إنها اعتقلت ثلاثة مشتبه بهم.", "The police said they arrested three suspects."),
    (
        "تحدث الوزير عن أهمية التعاون بين البلدين.",
        "The minister spoke about the importance of cooperation between the two countries.",
    ),
    (
        "انتشر الحريق في الغابات بسبب الرياح القوية.",
        "The fire spread in the forests because of strong winds.",
    ),
    (
        "أعلنت وكالة الأنباء عن وفاة الكاتب المعروف.",
        "The news agency announced the death of the well-known writer.",
    ),
    (
        "يتوقع الخبراء ارتفاع معدل التضخم في العام المقبل.",
        "Experts expect the inflation rate to rise next year.",
    ),
    (
        "زار وفد من الصليب الأحمر السجن المركزي.",
        "A Red Cross delegation visited the central prison.",
    ),
    (
        "قالت المعارضة إنها لن تشارك في الحوار.",
        "The opposition said it will not take part in the dialogue.",
    ),
    (
        "بدأت المدارس في حلب استقبال التلاميذ من جديد.",
        "Schools in Aleppo began receiving pupils again.",
    ),
    (
        "أكدت روسيا أنها ستواصل دعم الحكومة السورية.",
        "Russia confirmed that it will continue to support the Syrian government.",
    ),
    (
        "نفت الوزارة الأنباء عن استقالة الوزير.",
        "The ministry denied reports of the minister's resignation.",
    ),
    (
        "قتل جندي وأصيب اثنان في هجوم على نقطة تفتيش.",
        "One soldier was killed and two were wounded in an attack on a checkpoint.",
    ),
    ("ما هي الخطوات التالية بعد الاتفاق؟", "What are the next steps after the agreement?"),
    (
        "أطلقت وزارة الصحة حملة لتطعيم الأطفال ضد شلل الأطفال.",
        "The health ministry launched a campaign to vaccinate children against polio.",
    ),
    (
        "قال التقرير إن نصف السكان يحتاجون إلى مساعدات غذائية.",
        "The report said half of the population needs food aid.",
    ),
    (
        "وصل الرئيس إلى القاهرة في زيارة رسمية تستمر يومين.",
        "The president arrived in Cairo on a two-day official visit.",
    ),
    (
        "تراجعت صادرات النفط بنسبة 20 في المئة خلال عام 2023.",
        "Oil exports fell by 20 percent during 2023.",
    ),
    (
        "قررت المحكمة تأجيل الجلسة إلى الشهر المقبل.",
        "The court decided to postpone the session to next month.",
    ),
    (
        "شارك مئات الأشخاص في مظاهرة سلمية في السويداء.",
        "Hundreds of people took part in a peaceful demonstration in Suwayda.",
    ),
    ("أخبار عاجلة", "Breaking news"),
    ("شكرا لكم", "Thank you"),
    ("نعم", "Yes"),
    ("دمشق", "Damascus"),
    ("الرقة، سوريا", "Raqqa, Syria"),
)


def marian_spm_and_vocab(
    out_dir: Path,
    source: list[str],
    target: list[str],
    spm_vocab_size: int,
    vocab_size: int | None = None,
    threads: int = 1,
) -> dict[str, int]:
    """Train Marian's two sentencepiece models (``source.spm``/``target.spm`` in ``out_dir``)
    and write ``vocab.json``: ``</s>`` = 0, ``<unk>`` = 1, the pieces, then ``<pad>`` last
    (CTranslate2 wants it there). ``vocab_size`` pads the vocabulary with unused entries up
    to a real model's size. Returns the vocabulary."""
    import sentencepiece as spm

    out_dir.mkdir(parents=True, exist_ok=True)
    pieces: list[str] = []
    with tempfile.TemporaryDirectory(prefix="marian-spm-") as tmp:
        for name, text in (("source", source), ("target", target)):
            corpus = Path(tmp) / f"{name}.txt"
            corpus.write_text("\n".join(text) + "\n", encoding="utf-8")
            spm.SentencePieceTrainer.train(
                input=str(corpus),
                model_prefix=str(Path(tmp) / name),
                model_type="unigram",
                vocab_size=spm_vocab_size,
                hard_vocab_limit=False,
                character_coverage=1.0,
                bos_id=-1,
                eos_id=1,
                unk_id=0,
                pad_id=-1,
                num_threads=threads,
                minloglevel=2,
            )
            model = out_dir / f"{name}.spm"
            model.write_bytes((Path(tmp) / f"{name}.model").read_bytes())
            sp = spm.SentencePieceProcessor(model_file=str(model))
            for i in range(sp.get_piece_size()):
                piece = sp.id_to_piece(i)
                if piece not in ("</s>", "<unk>", "<pad>") and piece not in pieces:
                    pieces.append(piece)
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab[piece] = len(vocab)
    while vocab_size is not None and len(vocab) < vocab_size - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(
        json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return vocab


def build_tiny_marian(out_dir: Path, seed: int = 0, steps: int | None = None) -> Path:
    """Build and train a tiny Arabic->English MarianMT model in ``out_dir``; returns it.

    Loadable with ``AutoTokenizer``/``AutoModelForSeq2SeqLM`` and convertible with
    CTranslate2's ``TransformersConverter``. Deterministic for a given ``seed``.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    started = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ar = [a for a, _ in PARALLEL]
    en = [e for _, e in PARALLEL]

    vocab = marian_spm_and_vocab(out_dir, ar, en, SPM_VOCAB_SIZE)
    pad_id = vocab["<pad>"]

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*sacremoses.*")
        tokenizer = MarianTokenizer(
            source_spm=str(out_dir / "source.spm"),
            target_spm=str(out_dir / "target.spm"),
            vocab=str(out_dir / "vocab.json"),
            model_max_length=TINY_MAX_INPUT_TOKENS,
        )
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=TINY_D_MODEL,
        encoder_layers=TINY_LAYERS,
        decoder_layers=TINY_LAYERS,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=2 * TINY_D_MODEL,
        decoder_ffn_dim=2 * TINY_D_MODEL,
        max_position_embeddings=TINY_MAX_POSITIONS,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        activation_function="swish",
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    loss = _train(
        model,
        tokenizer,
        _augment(PARALLEL, seed),
        steps=steps or TINY_STEPS,
        pad_id=pad_id,
        seed=seed,
    )
    logger.info("tiny model: final training loss %.3f", loss)
    model.eval()
    _calibrate_eos(model, tokenizer, seed)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        pad_token_id=pad_id,
        forced_eos_token_id=0,
        bad_words_ids=[[pad_id]],
        num_beams=1,
        max_length=TINY_MAX_POSITIONS,
        min_new_tokens=1,  # never an empty translation
    )
    from processing.translation.backends import quiet_loading

    with quiet_loading():  # no "Writing model shards" bar on stderr
        model.save_pretrained(out_dir)
        tokenizer.save_pretrained(out_dir)
    logger.info("built tiny Marian model in %s (%.1fs)", out_dir, time.monotonic() - started)
    return out_dir


def _probes(seed: int) -> list[str]:
    """Inputs on which the calibrated model must stop before the generation limit."""
    import random

    rng = random.Random(seed + 1)
    sentences = [a for a, _ in PARALLEL]
    words = " ".join(sentences).split()
    letters = sorted({c for c in "".join(words) if c.isalpha()})
    probes = list(sentences)
    probes += [" ".join(rng.sample(sentences, 2)) for _ in range(30)]
    probes += [" ".join(rng.choices(words, k=rng.randint(1, 30))) for _ in range(100)]
    probes += ["".join(rng.choices(letters, k=rng.randint(1, 12))) for _ in range(20)]
    return sorted(probes, key=len)


def _calibrate_eos(model: object, tokenizer: object, seed: int) -> float:
    """Raise the bias of ``</s>`` (the final logits bias) just enough that no probe input runs
    to the generation limit (2 * input tokens + 16, as in the pipeline); returns the bias added.

    A few hundred training steps leave some inputs looping ("y y y y ..."); a small
    end-of-sentence bias stops most of them without changing the rest of the output. (The
    pipeline itself never lets a non-empty source produce an empty target, and splits and
    retries a segment whose translation does not end.)
    """
    import torch

    probes = _probes(seed)
    encoded = [
        tokenizer(
            probes[i : i + 64],
            return_tensors="pt",  # type: ignore[operator]
            padding=True,
            truncation=True,
        )
        for i in range(0, len(probes), 64)
    ]
    bias = model.final_logits_bias  # type: ignore[attr-defined]
    base = bias.clone()
    best: tuple[int, float] = (len(probes) + 1, 0.0)
    for delta in (0.0, 1.0, 2.0, 3.0, 4.0):
        with torch.no_grad():
            bias.copy_(base)
            bias[0, 0] += delta
        cut = 0
        for enc in encoded:
            lengths = enc["attention_mask"].sum(1)
            with torch.no_grad():
                out = model.generate(  # type: ignore[attr-defined]
                    **enc,
                    max_new_tokens=int(2 * lengths.max() + 16),
                    min_new_tokens=1,
                    num_beams=1,
                    do_sample=False,
                    forced_eos_token_id=None,
                )
            for row, n_in in zip(out[:, 1:].tolist(), lengths.tolist(), strict=True):
                n = row.index(0) + 1 if 0 in row else len(row) + 1
                cut += n > 2 * n_in + 16
        if cut < best[0]:
            best = (cut, delta)
        if cut == 0:
            break
    with torch.no_grad():
        bias.copy_(base)
        bias[0, 0] += best[1]
    logger.info(
        "tiny model: end-of-sentence bias +%.1f (%d of %d probes still cut)",
        best[1],
        best[0],
        len(probes),
    )
    return best[1]


def _augment(pairs: tuple[tuple[str, str], ...], seed: int) -> list[tuple[str, str]]:
    """The training set: every pair, pairs of pairs, and aligned spans of pairs.

    Spans (a contiguous run of source words with the proportional run of target words) teach
    output length proportional to input length; concatenations teach longer inputs; stray
    Latin words and digits teach robustness to tokens the tiny vocabulary does not know. Together
    they make the model stop (emit ``</s>``) on any input, well before the generation limit.
    """
    import random

    rng = random.Random(seed)
    noise = ["2019", "MWPs", "(AFP)", "3.5", "BBC", "x", "«", "»", "%", "Trump"]
    out = [p for p in pairs for _ in range(AUG_REPEAT)]
    for _ in range(AUG_CONCAT):
        (a1, e1), (a2, e2) = rng.sample(pairs, 2)
        out.append((f"{a1} {a2}", f"{e1} {e2}"))
    for _ in range(AUG_SPANS):
        src, tgt = rng.choice(pairs)
        sw, tw = src.split(), tgt.split()
        i = rng.randrange(len(sw))
        j = rng.randint(i + 1, len(sw))
        ti = round(i / len(sw) * len(tw))
        tj = max(ti + 1, round(j / len(sw) * len(tw)))
        words = sw[i:j]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), rng.choice(noise))
        out.append((" ".join(words), " ".join(tw[ti:tj])))
    return out


def _train(
    model: object,
    tokenizer: object,
    pairs: list[tuple[str, str]],
    steps: int,
    pad_id: int,
    seed: int,
) -> float:
    """A few hundred AdamW steps on random mini-batches; returns the last loss."""
    import torch

    enc = tokenizer(
        [a for a, _ in pairs],  # type: ignore[operator]
        text_target=[e for _, e in pairs],
        padding=True,
        return_tensors="pt",
        verbose=False,
    )
    ids, mask = enc["input_ids"], enc["attention_mask"]
    labels = enc["labels"].masked_fill(enc["labels"] == pad_id, -100)
    gen = torch.Generator().manual_seed(seed)
    optim = torch.optim.AdamW(model.parameters(), lr=TINY_LR)  # type: ignore[attr-defined]
    warmup = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda step: min(1.0, (step + 1) / warmup))
    model.train()  # type: ignore[attr-defined]
    embeddings = model.get_input_embeddings().weight  # type: ignore[attr-defined]
    with torch.no_grad():
        embeddings[pad_id].zero_()
    loss_value = float("nan")
    for _ in range(steps):
        idx = torch.randint(0, ids.shape[0], (TINY_BATCH,), generator=gen)
        src_len = int(mask[idx].sum(1).max())
        lab = labels[idx].contiguous()
        tgt_len = int((lab != -100).sum(1).max())
        loss = model(
            input_ids=ids[idx, :src_len],  # type: ignore[operator]
            attention_mask=mask[idx, :src_len],
            labels=lab[:, :tgt_len].contiguous(),
        ).loss
        optim.zero_grad()
        loss.backward()
        optim.step()
        sched.step()
        with torch.no_grad():
            # The decoder starts from the <pad> embedding, which Marian and CTranslate2 take to
            # be zero; the tied output projection would move it.
            embeddings[pad_id].zero_()
        loss_value = float(loss.detach())
    return loss_value
