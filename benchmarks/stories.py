"""Story links: precision and recall of ``duplicate_of`` and ``story_id``, and their cost.

    python -m benchmarks.stories [--part heldout|tune|both] [--sample N] [--sweep]
        [--noise RATES] [--scale N] [--json PATH]

The articles (``benchmarks.stories_data``): real texts of ../shared/data (naeb, ntrex-ar-en,
multilingual) re-published with realistic edits by other outlets (copies: duplicates),
heavier re-uses (rewrites: the same story), Arabic versions of the ntrex documents (the same
story across languages), with real negatives: the two articles of each naeb site (same
outlet, mostly the same days, the outlet's boilerplate leaking into both) and the ntrex pieces
on one subject that are different stories (six Kavanaugh pieces, four Brexit ones...).
Independently written reports of one ntrex event (seven Sulawesi tsunami pieces...) are
counted neither way in the story figures and reported on their own.

Parts: documents are split in two by a hash (naeb by site, ntrex by event), ``tune`` and
``heldout``, with different edit seeds. The thresholds (``LinkSettings``' defaults) were
chosen on ``tune`` (``--sweep`` prints the sweep); the figures to quote are ``heldout``'s.

Translation: the Arabic versions' ``text_en`` is the oracle (the human English the Arabic was
made from, paragraph for paragraph) unless ``NEWSLOOM_TRANSLATION_MODEL`` is set, when the
configured model translates them (``processing.translation.Translator``); ``--noise`` runs
the oracle with a share of its words replaced (``stories_data.mt_noise``) to show how far a
model's output may stray from a human translation before the links fail.

Each run links the part's articles in a shuffled order, 25 per call (commits), through
``processing.stories.StoryIndex``, applying every call's row links and updates to a copy of
the "table"; it checks that this copy ends equal to the index's state and that linking in
publication order gives the same links (order independence). Cost: CPU milliseconds per
article for ``link()`` (fingerprint, query, link; one process, one thread), the stored
fingerprint's bytes, and with ``--scale N`` the index's memory and rebuild time for N stored
articles and the link cost against them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from benchmarks.stories_data import Dataset, Item, build, mt_noise
from processing.core.records import ArticleRow
from processing.stories import (
    LinkSettings,
    StoredArticle,
    StoryIndex,
    StoryLinks,
    fingerprint_text,
)
from processing.stories.fingerprint import NUM_PERM, SHINGLE, signature
from processing.stories.text import content_words, paragraph_tokens, shingles

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "stories.json"
SEEDS = {"tune": 1, "heldout": 2}
ORACLE = "oracle:ntrex-human-english"
BATCH = 25


# ---- rows -------------------------------------------------------------------------------------
def to_rows(
    items: Sequence[Item], english: dict[str, tuple[str, str]] | None = None
) -> list[ArticleRow]:
    """ArticleRows of the benchmark articles; ``english`` overrides the Arabic versions'
    translation (key -> (text_en, model))."""
    rows = []
    for it in items:
        text_en: str | None
        status = "pending"
        model = None
        if it.language == "en":
            status, text_en = "source_english", it.doc.text
        elif english is not None:  # the model's English, or none (pending)
            text_en, model = english.get(it.key, (None, None))
            status = "translated" if text_en else "pending"
        elif it.doc.en is not None:
            status, text_en, model = "translated", it.doc.text_en, ORACLE
        else:
            text_en = None
        rows.append(
            ArticleRow(
                article_id=it.key,
                outlet=it.outlet,
                url=f"https://{it.outlet}/{it.key}",
                canonical_url=f"https://{it.outlet}/{it.key}",
                title=it.doc.title,
                text=it.doc.text,
                language=it.language,
                published_at=it.published_at,
                text_en=text_en,
                translation_status=status,
                translation_model=model,
                fetched_at=it.published_at + timedelta(minutes=5),
            )
        )
    return rows


# ---- running ----------------------------------------------------------------------------------
@dataclass
class Run:
    links: dict[str, StoryLinks]
    cpu_ms_per_article: float
    wall_ms_per_article: float
    updates: int
    renames: int
    feed_consistent: bool  # rows + updates applied in order == the index's final state
    index: StoryIndex


def run_links(
    rows: Sequence[ArticleRow], settings: LinkSettings, order_seed: int | None, batch: int = BATCH
) -> Run:
    index = StoryIndex(settings)
    index.load([], datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    order = list(rows)
    if order_seed is None:
        order.sort(key=lambda r: (r.published_at or datetime.min.replace(tzinfo=UTC), r.article_id))
    else:
        random.Random(order_seed).shuffle(order)
    table: dict[str, StoryLinks] = {}
    updates = renames = 0
    cpu = wall = 0.0
    for i in range(0, len(order), batch):
        chunk = order[i : i + batch]
        c0, w0 = time.process_time(), time.perf_counter()
        result = index.link(chunk)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        table.update(result.rows)
        table.update(result.updates)
        updates += len(result.updates)
        renames += len(result.renames)
    final = {r.article_id: index.links_of(r.article_id) for r in rows}
    consistent = all(table.get(k) == v for k, v in final.items())
    n = max(1, len(rows))
    return Run(
        {k: v for k, v in final.items() if v is not None},
        1000 * cpu / n,
        1000 * wall / n,
        updates,
        renames,
        consistent,
        index,
    )


# ---- scoring ----------------------------------------------------------------------------------
def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass
class Scores:
    articles: int
    duplicate_rows: int  # rows that should name an original
    duplicate_precision: float
    duplicate_recall: float
    duplicate_exact: float  # of the rows found, the share naming the earliest of their group
    story_precision: float
    story_recall: float
    story_f1: float
    cross_language_recall: float
    cross_language_pairs: int
    rewrite_recall: float  # pairs with a rewrite
    independent_reports_linked: float  # pairs of one event, different documents
    story_pairs: int
    negative_pairs_linked: int


def score(items: Sequence[Item], links: dict[str, StoryLinks]) -> Scores:
    by_key = {it.key: it for it in items}
    # duplicate_of: each non-rewrite row; its group = same document, same language
    group_rows: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for it in items:
        if it.kind != "rewrite":
            group_rows[(it.group, it.language)].append(it)
    tp = fp = should = found = exact = 0
    for it in items:
        if it.kind == "rewrite":
            continue
        mates = group_rows[(it.group, it.language)]
        earliest = min(mates, key=lambda m: (m.published_at, m.key))
        want = earliest.key != it.key
        got = links[it.key].duplicate_of if it.key in links else None
        should += want
        if got is not None:
            other = by_key.get(got)
            ok = other is not None and other.group == it.group and other.language == it.language
            tp += ok
            fp += not ok
            if want and ok:
                found += 1
                exact += got == earliest.key
    # story pairs
    story_of = {it.key: (links[it.key].story_id if it.key in links else it.key) for it in items}
    cells: Counter[tuple[str, str]] = Counter()  # (story, group)
    cells_lang: Counter[tuple[str, str, str]] = Counter()
    cells_event: Counter[tuple[str, str]] = Counter()
    cells_rewrite: Counter[tuple[str, str]] = Counter()
    groups: Counter[str] = Counter()
    groups_lang: Counter[tuple[str, str]] = Counter()
    groups_rewrite: Counter[str] = Counter()
    events: Counter[str] = Counter()
    event_groups: Counter[tuple[str, str]] = Counter()
    stories: Counter[str] = Counter()
    for it in items:
        s = story_of[it.key]
        stories[s] += 1
        cells[(s, it.group)] += 1
        cells_lang[(s, it.group, it.language)] += 1
        groups[it.group] += 1
        groups_lang[(it.group, it.language)] += 1
        if it.kind == "rewrite":
            cells_rewrite[(s, it.group)] += 1
            groups_rewrite[it.group] += 1
        if it.event:
            cells_event[(s, it.event)] += 1
            events[it.event] += 1
            event_groups[(it.event, it.group)] += 1
    true_pairs = sum(_pairs(n) for n in groups.values())
    tp_pairs = sum(_pairs(n) for n in cells.values())
    predicted = sum(_pairs(n) for n in stories.values())
    event_of = {it.group: it.event for it in items}
    same_event_other_doc = sum(_pairs(n) for n in cells_event.values()) - sum(
        _pairs(n) for (_, g), n in cells.items() if event_of[g]
    )
    fp_pairs = predicted - tp_pairs - same_event_other_doc
    precision = tp_pairs / max(1, tp_pairs + fp_pairs)
    recall = tp_pairs / max(1, true_pairs)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    xl_true = true_pairs - sum(_pairs(n) for n in groups_lang.values())
    xl_tp = tp_pairs - sum(_pairs(n) for n in cells_lang.values())
    # pairs with a rewrite: rewrites x others of their group (+ rewrite pairs)
    rw_true = sum(n_r * (groups[g] - n_r) + _pairs(n_r) for g, n_r in groups_rewrite.items())
    rw_tp = sum(n_r * (cells[(s, g)] - n_r) + _pairs(n_r) for (s, g), n_r in cells_rewrite.items())
    ev_true = sum(_pairs(n) for n in events.values()) - sum(
        _pairs(n) for n in event_groups.values()
    )
    return Scores(
        articles=len(items),
        duplicate_rows=should,
        duplicate_precision=tp / max(1, tp + fp),
        duplicate_recall=found / max(1, should),
        duplicate_exact=exact / max(1, found),
        story_precision=precision,
        story_recall=recall,
        story_f1=f1,
        cross_language_recall=xl_tp / max(1, xl_true),
        cross_language_pairs=xl_true,
        rewrite_recall=rw_tp / max(1, rw_true),
        independent_reports_linked=same_event_other_doc / max(1, ev_true),
        story_pairs=true_pairs,
        negative_pairs_linked=fp_pairs,
    )


# ---- fingerprint choice: MinHash against SimHash, pair by pair --------------------------------
def _simhash(features: set[str]) -> int:
    import hashlib

    if not features:
        return 0
    hs = np.frombuffer(
        b"".join(hashlib.blake2b(f.encode(), digest_size=8).digest() for f in features),
        dtype="<u8",
    )
    bits = np.unpackbits(hs.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0) * 2 > len(hs)
    return int(np.packbits(votes, bitorder="little").view("<u8")[0])


def duplicate_pairs(items: Sequence[Item]) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(positive, don't-care) index pairs for pairwise duplicate scoring, same language."""
    pos: set[tuple[int, int]] = set()
    skip: set[tuple[int, int]] = set()
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.language != b.language or a.group != b.group:
                continue
            (skip if "rewrite" in (a.kind, b.kind) else pos).add((i, j))
    return pos, skip


def compare_fingerprints(tune: Dataset, heldout: Dataset) -> dict[str, dict[str, float]]:
    """Pairwise duplicate precision/recall on held-out of MinHash (Jaccard >= t) and SimHash
    (Hamming <= k), t and k chosen on the tuning part (best F1 with precision >= 0.99)."""
    out: dict[str, dict[str, float]] = {}

    def feats(items: Sequence[Item]) -> list[set[str]]:
        return [shingles(paragraph_tokens(it.doc.text), SHINGLE) for it in items]

    def pair_scores(items: Sequence[Item], sim: np.ndarray, t: float) -> tuple[float, float]:
        pos, skip = duplicate_pairs(items)
        iu = np.triu_indices(len(items), 1)
        hits = {(int(i), int(j)) for i, j in zip(*iu, strict=True) if sim[i, j] >= t}
        hits -= skip
        tp = len(hits & pos)
        return tp / max(1, len(hits)), tp / max(1, len(pos))

    for name in ("minhash", "simhash"):
        cost_ms = 0.0
        mats = {}
        for part in (tune, heldout):
            fs = feats(part.items)
            t0 = time.process_time()
            if name == "minhash":
                sigs = np.stack(
                    [
                        s if (s := signature(f)) is not None else np.zeros(NUM_PERM, np.uint16)
                        for f in fs
                    ]
                )
                cost_ms += 1000 * (time.process_time() - t0) / len(fs) / 2
                sim = np.zeros((len(fs), len(fs)))
                for i in range(len(fs)):
                    sim[i] = (sigs == sigs[i]).sum(axis=1) / NUM_PERM
            else:
                hs = np.array([_simhash(f) for f in fs], dtype=np.uint64)
                cost_ms += 1000 * (time.process_time() - t0) / len(fs) / 2
                x = hs[:, None] ^ hs[None, :]
                ham = (
                    np.unpackbits(x.view(np.uint8), axis=1)
                    .reshape(len(fs), len(fs), 64)
                    .sum(axis=2)
                )
                sim = 1.0 - ham / 64.0  # as a similarity: Hamming <= k is >= 1 - k/64
            mats[part.part] = sim
        grid = (
            np.round(np.arange(0.3, 0.96, 0.01), 2)
            if name == "minhash"
            else 1 - np.arange(0, 33) / 64
        )
        best = (-1.0, 0.0)
        for t in grid:
            p, r = pair_scores(tune.items, mats["tune"], float(t))
            f = 2 * p * r / max(1e-9, p + r)
            if p >= 0.99 and f > best[0]:
                best = (f, float(t))
        t = best[1]
        p, r = pair_scores(heldout.items, mats["heldout"], t)
        out[name] = {
            "threshold": round(t, 3) if name == "minhash" else float(round((1 - t) * 64)),
            "precision": round(p, 4),
            "recall": round(r, 4),
            "bytes": NUM_PERM * 2 if name == "minhash" else 8,
            "ms_per_article": round(cost_ms, 3),
        }
    return out


# ---- threshold sweep on the tuning part -------------------------------------------------------
def sweep(items: Sequence[Item], rows: Sequence[ArticleRow]) -> list[dict[str, float]]:
    """Duplicate figures by duplicate threshold; story figures by story and translation
    thresholds, with the oracle translation and with a third of its words replaced."""
    out: list[dict[str, float]] = []
    base = LinkSettings()
    noisy_rows = to_rows(items, noisy_translations(items, 0.3, seed=30))
    for dup in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        s = replace(base, duplicate_threshold=dup, story_threshold=min(dup, base.story_threshold))
        sc = score(items, run_links(rows, s, order_seed=3, batch=100).links)
        out.append(
            {
                "duplicate_threshold": dup,
                "duplicate_precision": round(sc.duplicate_precision, 4),
                "duplicate_recall": round(sc.duplicate_recall, 4),
            }
        )
        print(json.dumps(out[-1]), flush=True)
    for story in (0.2, 0.25, 0.3, 0.35, 0.4):
        for tr in (0.12, 0.15, 0.2, 0.25, 0.3):
            s = replace(base, story_threshold=story, translation_threshold=tr)
            entry: dict[str, float] = {"story_threshold": story, "translation_threshold": tr}
            for label, rs in (("oracle", rows), ("noise0.3", noisy_rows)):
                sc = score(items, run_links(rs, s, order_seed=3, batch=100).links)
                entry[f"{label}_story_precision"] = round(sc.story_precision, 4)
                entry[f"{label}_story_recall"] = round(sc.story_recall, 4)
                entry[f"{label}_story_f1"] = round(sc.story_f1, 4)
                entry[f"{label}_cross_language_recall"] = round(sc.cross_language_recall, 4)
            out.append(entry)
            print(json.dumps(out[-1]), flush=True)
    return out


# ---- translation -----------------------------------------------------------------------------
def model_translations(items: Sequence[Item]) -> dict[str, tuple[str, str]] | None:
    """The configured model's English for the Arabic versions (None: no model configured)."""
    if not os.environ.get("NEWSLOOM_TRANSLATION_MODEL"):
        return None
    from processing.core.config import Settings
    from processing.translation import TranslationInput, Translator

    translator = Translator(Settings.from_env())
    todo = [it for it in items if it.language == "ar" and it.doc.en is not None]
    outcomes = translator.translate(
        [TranslationInput(it.key, "ar", it.doc.title, it.doc.text) for it in todo]
    )
    translator.close()
    out = {}
    for it, o in zip(todo, outcomes, strict=True):
        if o.status == "translated" and o.text_en:
            out[it.key] = (o.text_en, o.model or "?")
        else:
            logging.getLogger(__name__).warning("%s: %s (%s)", it.key, o.status, o.reason)
    return out


def overlap_with_oracle(items: Sequence[Item], english: dict[str, tuple[str, str]]) -> float:
    """Mean Jaccard of content words between a translation and the human English."""
    vals = []
    for it in items:
        if it.key in english and it.doc.text_en:
            a = content_words(paragraph_tokens(english[it.key][0]))
            b = content_words(paragraph_tokens(it.doc.text_en))
            vals.append(len(a & b) / max(1, len(a | b)))
    return float(np.mean(vals)) if vals else 0.0


def noisy_translations(items: Sequence[Item], rate: float, seed: int) -> dict[str, tuple[str, str]]:
    rng = random.Random(seed)
    vocabulary = sorted({w for it in items if it.language == "en" for w in it.doc.text.split()})
    return {
        it.key: (mt_noise(it.doc.text_en, rate, rng, vocabulary), f"oracle+noise{rate}")
        for it in items
        if it.language == "ar" and it.doc.text_en is not None
    }


# ---- scale: memory, rebuild and link cost with many stored articles --------------------------
def scale(
    items: Sequence[Item], rows: Sequence[ArticleRow], n: int, settings: LinkSettings
) -> dict[str, float]:
    """Stored articles made from the benchmark's English texts with three words in five
    replaced at random (unrelated to every article, with news vocabulary), spread over the
    window; then the part's articles linked against them."""
    rng = random.Random(11)
    vocabulary = sorted({w for it in items if it.language == "en" for w in it.doc.text.split()})
    english = [it for it in items if it.language == "en"]
    base = min(r.published_at for r in rows if r.published_at)
    stored = []
    t0 = time.process_time()
    for i in range(n):
        it = english[i % len(english)]
        text = mt_noise(it.doc.text, 0.6, rng, vocabulary)
        fp = fingerprint_text(text, text)
        at = base + timedelta(seconds=rng.uniform(-3, 3) * 86400 * settings.window_days / 3)
        aid = f"{i:016x}"
        stored.append(
            StoredArticle(
                aid, "en", at, False, None, fp, StoryLinks(story_id=aid, fingerprint=fp.to_bytes())
            )
        )
    fp_ms = 1000 * (time.process_time() - t0) / n
    tracemalloc.start()
    index = StoryIndex(settings)
    t0 = time.process_time()
    index.load(stored, datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    rebuild = time.process_time() - t0
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    c0 = time.process_time()
    for i in range(0, len(rows), BATCH):
        index.link(rows[i : i + BATCH])
    link_ms = 1000 * (time.process_time() - c0) / len(rows)
    per_100k = 100_000 / n
    return {
        "stored_articles": n,
        "rebuild_s_per_100k": round(rebuild * per_100k, 2),
        "index_arrays_mb_per_100k": round(index.nbytes / 2**20 * per_100k, 1),
        "index_python_mb_per_100k": round(current / 2**20 * per_100k, 1),
        "filler_fingerprint_ms": round(fp_ms, 3),
        "link_cpu_ms_per_article": round(link_ms, 3),
    }


# ---- main --------------------------------------------------------------------------------------
def sample(ds: Dataset, n: int) -> Dataset:
    """The articles of ``n`` source documents of each source (naeb, ntrex, multilingual)."""
    keep: set[str] = set()
    for source in sorted({it.source for it in ds.items}):
        groups = sorted({it.group for it in ds.items if it.source == source})
        keep.update(random.Random(5).sample(groups, min(n, len(groups))))
    return Dataset(ds.part, [it for it in ds.items if it.group in keep])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("tune", "heldout", "both"), default="both")
    ap.add_argument("--sample", type=int, default=0, help="only N documents of each source")
    ap.add_argument("--sweep", action="store_true", help="threshold sweep on the tuning part")
    ap.add_argument("--noise", default="0.2,0.3,0.4,0.5", help="oracle noise rates ('' for none)")
    ap.add_argument("--scale", type=int, default=0, help="stored articles for the cost run")
    ap.add_argument("--no-compare", action="store_true", help="skip MinHash vs SimHash")
    ap.add_argument("--json", type=Path, default=OUT)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = LinkSettings()
    report: dict[str, object] = {
        "settings": asdict(settings),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "parts": {},
    }
    parts = ("tune", "heldout") if args.part == "both" else (args.part,)
    datasets = {}
    for part in parts:
        ds = build(part, SEEDS[part])
        if args.sample:
            ds = sample(ds, args.sample)
        datasets[part] = ds
        rows = to_rows(ds.items)
        shuffled = run_links(rows, settings, order_seed=SEEDS[part])
        ordered = run_links(rows, settings, order_seed=None, batch=1)
        same = all(
            ordered.links[k].duplicate_of == v.duplicate_of
            and ordered.links[k].story_id == v.story_id
            for k, v in shuffled.links.items()
        )
        sc = score(ds.items, shuffled.links)
        kinds = Counter(f"{it.kind}:{it.language}" for it in ds.items)
        entry: dict[str, object] = {
            "articles": len(ds.items),
            "kinds": dict(sorted(kinds.items())),
            "oracle": asdict(sc),
            "cpu_ms_per_article": round(shuffled.cpu_ms_per_article, 3),
            "wall_ms_per_article": round(shuffled.wall_ms_per_article, 3),
            "stored_fingerprint_bytes": round(
                float(np.mean([len(v.fingerprint or b"") for v in shuffled.links.values()])), 1
            ),
            "updates_to_stored_rows": shuffled.updates,
            "feed_consistent": shuffled.feed_consistent,
            "order_independent": same,
        }
        print(f"[{part}] {len(ds.items)} articles: {json.dumps(asdict(sc))}", flush=True)
        print(
            f"[{part}] cpu {entry['cpu_ms_per_article']} ms/article, feed consistent "
            f"{shuffled.feed_consistent}, order independent {same}",
            flush=True,
        )
        if args.noise:
            curve = []
            for rate in [float(r) for r in args.noise.split(",") if r.strip()]:
                noisy = noisy_translations(ds.items, rate, seed=int(rate * 100))
                run = run_links(to_rows(ds.items, noisy), settings, order_seed=SEEDS[part])
                s2 = score(ds.items, run.links)
                curve.append(
                    {
                        "noise": rate,
                        "overlap_with_human": round(overlap_with_oracle(ds.items, noisy), 3),
                        "story_f1": round(s2.story_f1, 4),
                        "story_precision": round(s2.story_precision, 4),
                        "cross_language_recall": round(s2.cross_language_recall, 4),
                    }
                )
                print(f"[{part}] noise {json.dumps(curve[-1])}", flush=True)
            entry["noise"] = curve
        model = model_translations(ds.items)
        if model is not None:
            run = run_links(to_rows(ds.items, model), settings, order_seed=SEEDS[part])
            s3 = score(ds.items, run.links)
            entry["model"] = {
                "model": os.environ.get("NEWSLOOM_TRANSLATION_MODEL"),
                "translated": len(model),
                "overlap_with_human": round(overlap_with_oracle(ds.items, model), 3),
                **asdict(s3),
            }
            print(f"[{part}] model {json.dumps(entry['model'])}", flush=True)
        report["parts"][part] = entry  # type: ignore[index]
        if args.sweep and part == "tune":
            report["sweep"] = sweep(ds.items, rows)
    if not args.no_compare and {"tune", "heldout"} <= datasets.keys():
        report["fingerprints"] = compare_fingerprints(datasets["tune"], datasets["heldout"])
        print(f"fingerprints {json.dumps(report['fingerprints'])}", flush=True)
    if args.scale:
        ds = datasets[parts[-1]]
        report["scale"] = scale(ds.items, to_rows(ds.items), args.scale, settings)
        print(f"scale {json.dumps(report['scale'])}", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
