"""Language identification: langdetect (newsloom's ``detect_language``) against lingua.

    python -m benchmarks.language [--limit N] [--out PATH]

Texts, each labelled with its language (read-only data beside the project, skipped when
absent; the Arabic dialect sentences are written for this benchmark, below):

- ``pages``: whole article texts - the multilingual set's references (ar, zh, ja, es, th, lv,
  my, en), Readability's references of the pages whose metadata names a language (en, fr,
  es, de, cs, ja, zh, pt…), 100 naeb references (en);
- ``sentences``: single news sentences (short text) - NTREX's Arabic (Modern Standard) and
  English sides, 300 each;
- ``dialect``: Arabic sentences in Egyptian, Levantine, Gulf, Iraqi and Maghrebi dialects,
  written by hand for this benchmark (no such set is beside the project);
- ``mixed``: an Arabic paragraph and an English one in one text (NTREX pairs): right when the
  main language is found and the other is reported (``others`` for newsloom; lingua's second
  language among those of over 10% of the text, from ``detect_multiple_languages_of``).

Systems: ``langdetect`` = ``processing.language.detect_language`` (seeded langdetect, chunked;
``newsloom``), and ``lingua`` = ``lingua-language-detector`` with every language it knows
(``LanguageDetectorBuilder.from_all_languages()``, models loaded before timing). Accuracy:
share of texts whose top language is the label; speed: texts per second, one core, wall clock
(a shared machine stretches it). Results on stdout and ``benchmarks/out/language.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "out" / "language.json"

# Arabic dialect sentences, written for this benchmark (everyday news-like statements).
DIALECT = (
    # Egyptian
    "الحكومة قالت إنها هتزود المرتبات من أول الشهر الجاي، بس الناس لسه مش مصدقين.",
    "إمبارح الزحمة كانت فظيعة في وسط البلد عشان الماتش، والمترو كان واقف ساعتين.",
    "الدكتور قال إن الحالة كويسة وإنه محتاج يرتاح كام يوم في البيت.",
    "احنا مش عارفين الأسعار هتنزل امتى، كل حاجة غليت والمرتب مبيكفيش.",
    # Levantine
    "الحكومة بدها ترفع سعر الخبز من الأسبوع الجاي، والعالم كتير زعلانة.",
    "شو صار مبارح بالاجتماع؟ ما حدا حكالنا شي عن القرار الجديد.",
    "الكهربا عم تنقطع كل يوم أكتر من عشر ساعات، وما في مازوت للمولدات.",
    "رح نروح عالشام بكرا إذا الطريق كان مفتوح وما في حواجز.",
    # Gulf
    "الحين الدوام بيصير من الساعة سبع الصبح، والناس مو راضية على القرار.",
    "وش السالفة؟ ليش ما أحد قال لنا إن المدارس بتسكر بكرة؟",
    "الجو وايد حار اليوم، والأرصاد تقول إن الحرارة بتوصل خمسين درجة.",
    # Iraqi
    "شكو ماكو بالسوق اليوم؟ الأسعار صعدت هواية بعد قرار البنك.",
    "الجماعة گالوا راح يفتحون الطريق باچر إذا خلص الشغل.",
    "هسه الكهرباء تجي ساعتين وتروح أربع ساعات، والصيف بعده ما بدا.",
    # Maghrebi
    "الحكومة قالت بلي غادي تزيد فالأجور، ولكن الناس مازال ما تيقوش.",
    "واش شفتي الماتش البارح؟ الفريق لعب مزيان بزاف فالشوط الثاني.",
    "بزاف ديال الشباب بغاو يخرجو من البلاد حيت ما كاينش الخدمة.",
    "راني نخدم فالمرسى من الصباح حتى لليل، والخلصة ما تكفيش.",
)


def page_texts(limit: int | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    ml = DATA / "multilingual"
    for meta_path in sorted((ml / "metadata").glob("*.json")) if ml.is_dir() else []:
        txt = ml / "txt" / f"{meta_path.stem}.txt"
        lang = json.loads(meta_path.read_text(encoding="utf-8")).get("language")
        if txt.is_file() and lang:
            out.append((lang, txt.read_text(encoding="utf-8")))
    rd = DATA / "readability"
    if rd.is_dir():
        from benchmarks.metrics import html_to_text

        for folder in sorted(rd.iterdir()):
            meta_path, expected = folder / "expected-metadata.json", folder / "expected.html.gz"
            if not meta_path.is_file() or not expected.is_file():
                continue
            lang = (json.loads(meta_path.read_text(encoding="utf-8")).get("lang") or "").strip()
            text = html_to_text(gzip.decompress(expected.read_bytes()))
            if lang and len(text) > 200:
                out.append((lang.split("-")[0].lower(), text))
    index = DATA / "naeb" / "news_articles.json"
    if index.is_file():
        entries = json.loads(index.read_text(encoding="utf-8"))
        out += [("en", e["text"]) for e in entries[::4][:100] if e.get("text")]
    return out[:limit] if limit else out


def sentence_texts(limit: int | None) -> list[tuple[str, str]]:
    folder = DATA / "ntrex-ar-en"
    ar, en = folder / "newstest2019-ref.arb.txt", folder / "newstest2019-src.eng.txt"
    if not ar.is_file() or not en.is_file():
        return []
    n = limit or 300
    ar_lines = [x.strip() for x in ar.read_text(encoding="utf-8").splitlines() if x.strip()]
    en_lines = [x.strip() for x in en.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [("ar", x) for x in ar_lines[::6][:n]] + [("en", x) for x in en_lines[::6][:n]]


def mixed_texts(limit: int | None) -> list[tuple[str, str, str]]:
    """(main language, other language, text): three Arabic sentences and one English one,
    and the reverse."""
    pairs = sentence_texts(None)
    ar = [t for lang, t in pairs if lang == "ar"]
    en = [t for lang, t in pairs if lang == "en"]
    out: list[tuple[str, str, str]] = []
    for i in range(0, min(len(ar), len(en)) - 4, 4):
        out.append(("ar", "en", " ".join(ar[i : i + 3]) + "\n" + en[i + 3]))
        out.append(("en", "ar", " ".join(en[i : i + 3]) + "\n" + ar[i + 3]))
    return out[: limit or 60]


def newsloom_system() -> Callable[[str], tuple[str, list[str], float]]:
    from processing.language import detect_language

    def run(text: str) -> tuple[str, list[str], float]:
        r = detect_language(text)
        return r.language, list(r.others), r.confidence

    return run


def lingua_system() -> Callable[[str], tuple[str, list[str], float]] | None:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def code(language: Any) -> str:
        return str(language.iso_code_639_1.name).lower()

    def run(text: str) -> tuple[str, list[str], float]:
        values = detector.compute_language_confidence_values(text)
        if not values:
            return "und", [], 0.0
        main = code(values[0].language)
        others: list[str] = []
        parts = detector.detect_multiple_languages_of(text)
        total = sum(p.end_index - p.start_index for p in parts) or 1
        shares: dict[str, int] = {}
        for p in parts:
            shares[code(p.language)] = shares.get(code(p.language), 0) + p.end_index - p.start_index
        others = [lg for lg, n in shares.items() if lg != main and n / total >= 0.10]
        return main, others, float(values[0].value)

    return run


def measure(
    system: Callable[[str], tuple[str, list[str], float]], items: list[tuple[str, str]]
) -> dict[str, Any]:
    hits = 0
    t0 = time.perf_counter()
    confidences = []
    for lang, text in items:
        got, _, conf = system(text)
        hits += got == lang
        confidences.append(conf)
    seconds = time.perf_counter() - t0
    return {
        "texts": len(items),
        "accuracy": round(hits / len(items), 4) if items else None,
        "texts_per_s": round(len(items) / seconds, 1) if seconds else None,
        "mean_confidence": round(sum(confidences) / len(confidences), 4) if confidences else None,
    }


def measure_mixed(
    system: Callable[[str], tuple[str, list[str], float]], items: list[tuple[str, str, str]]
) -> dict[str, Any]:
    main = both = 0
    for lang, other, text in items:
        got, others, _ = system(text)
        main += got == lang
        both += got == lang and other in others
    n = len(items)
    return {
        "texts": n,
        "main_language": round(main / n, 4) if n else None,
        "main_and_other": round(both / n, 4) if n else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    sets = {
        "pages": page_texts(args.limit),
        "sentences": sentence_texts(args.limit),
        "dialect": [("ar", s) for s in DIALECT],
    }
    mixed = mixed_texts(args.limit)
    systems: dict[str, Callable[[str], tuple[str, list[str], float]]] = {
        "langdetect": newsloom_system()
    }
    t0 = time.perf_counter()
    lingua = lingua_system()
    load_seconds = round(time.perf_counter() - t0, 1)
    if lingua is not None:
        systems["lingua"] = lingua
    else:
        print("lingua-language-detector is not installed: langdetect only", file=sys.stderr)
    results: dict[str, Any] = {"lingua_model_load_s": load_seconds, "sets": {}}
    for name, system in systems.items():
        system("warm up the models and caches once")
        for set_name, items in sets.items():
            results["sets"].setdefault(set_name, {})[name] = measure(system, items)
        results["sets"].setdefault("mixed", {})[name] = measure_mixed(system, mixed)
    lines = [
        "| set | system | texts | accuracy | texts/s | mean confidence |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for set_name, by_system in results["sets"].items():
        for name, r in by_system.items():
            if set_name == "mixed":
                lines.append(
                    f"| mixed ar+en | {name} | {r['texts']} | main {r['main_language']}, "
                    f"main + other {r['main_and_other']} | - | - |"
                )
            else:
                lines.append(
                    f"| {set_name} | {name} | {r['texts']} | {r['accuracy']} | "
                    f"{r['texts_per_s']} | {r['mean_confidence']} |"
                )
    print("\n".join(lines))
    print(f"lingua models loaded in {load_seconds} s", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
