"""What the link pass adds to a publish, on a table of many outlet-days (issue 21).

    python -m benchmarks.links [--days 365] [--outlets 9] [--rows 31] [--publishes 18]
                               [--port 18533] [--update-docs]

Into a fresh bucket of an embedded SeaweedFS server (embedded SQLite catalog):

1. **The table.** ``--days`` × ``--outlets`` outlet-days of synthetic articles
   (``benchmarks.scale.Articles``: realistic sizes, Arabic outlets translated), a few of each
   outlet-day copies of another outlet's articles of that day with edits (agency copy), committed
   one outlet-month per commit, each row fingerprinted as a publish does (``prepare_rows``).
2. **The first link pass**: a *full pass* (the table was never linked): every row, month by
   month.
3. **Publishes** after the year: ``--publishes`` outlet-days, outlets in turn, each one
   commit as the publish stage makes it (``prepare_rows`` + ``Corpus.commit``) followed by
   its link pass, twice: with the process's story index kept between passes (a backfill, an
   Airflow worker) and with a cold index (a fresh process per publish: the span read again).
   Per publish: the commit's seconds, the link pass's seconds, rows loaded, rows rewritten,
   and the table's requests (GET/PUT) during the pass.

Measure alone: on 2 cores any other heavy process distorts every figure. Results on stdout,
``benchmarks/out/links.json``; ``--update-docs`` rewrites the "Link pass" part of
docs/BENCHMARKS.md's "Story links" section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.scale import COUNTS, FIRST_DAY, OUTLETS, Articles, _env, count_requests

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "links.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
MARK = "### Link pass"
NOTE = (
    "What it says: the link pass after a publish reads the feed, the rows to link (and, in a "
    "cold process, the stored rows of the days around them) and commits the rows whose links "
    "changed: the new rows again, and the originals a copy links to. It is a second commit of "
    "about the same rows, which costs more than the publish's own (that one only appends "
    "files; this one replaces rows it re-reads first), so it adds a fraction of a second to a "
    "publish stage whose crawl, extraction and translation take tens of seconds to minutes. "
    "A kept index (a backfill, a worker) loads nothing; a cold one reads the span once. The "
    "full pass is the first link of a table that was never linked."
)
COPIES = 3  # articles per outlet-day that copy another outlet's article of that day


def _own_text(rng: random.Random, words: list[str]) -> str:
    """An article's own body: 5-8 paragraphs of 40-90 words drawn one by one (unrelated
    articles share words, not sentences, as real ones do)."""
    return "\n".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(40, 90)))
        for _ in range(rng.randint(5, 8))
    )


def _rows(articles: Articles, outlet: str, day: date) -> list[Any]:
    """``benchmarks.scale``'s rows of the outlet-day with bodies of their own (its bodies are
    drawn from a pool of 400 paragraphs: every article would share paragraphs with others)."""
    from processing.pipeline.stages import content_hash

    rows = articles.rows(outlet, day)
    arabic = outlet.endswith("_ar")
    out = []
    for n, r in enumerate(rows):
        rng = random.Random(f"{outlet}-{day}-{n}-text")
        text = _own_text(rng, _WORDS["ar" if arabic else "en"])
        english = _own_text(rng, _WORDS["en"]) if arabic else text
        out.append(
            replace(
                r,
                text=text,
                text_en=english,
                content_hash=content_hash(r.title, text),
                translation_segments=[],
            )
        )
    return out


def _words(arabic: bool) -> list[str]:
    rng = random.Random(11 + arabic)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" if arabic else "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(20000)]


_WORDS = {"ar": _words(True), "en": _words(False)}


def _with_copies(articles: Articles, outlet: str, day: date, outlets: tuple[str, ...]) -> list[Any]:
    """The outlet-day's rows, the first ``COPIES`` replaced by edited copies of the previous
    outlet's (same language) articles of that day (ones it does not replace itself): agency
    copy, a line added, the last paragraphs cut."""
    from processing.core.records import ArticleRow
    from processing.pipeline.stages import content_hash

    rows: list[ArticleRow] = _rows(articles, outlet, day)
    same = [o for o in outlets if o.endswith("_ar") == outlet.endswith("_ar")]
    source = same[same.index(outlet) - 1]
    if source == outlet:
        return rows
    theirs = _rows(articles, source, day)[COPIES:]
    rng = random.Random(f"{outlet}-{day}-copies")
    for i in range(min(COPIES, len(rows), len(theirs))):
        paras = theirs[i].text.split("\n")
        paras = [*paras[:-1], f"{outlet} carried this report"]
        text = "\n".join(paras)
        published = theirs[i].published_at + timedelta(minutes=rng.randint(20, 300))
        rows[i] = replace(
            rows[i],
            text=text,
            title=theirs[i].title,
            content_hash=content_hash(theirs[i].title, text),
            published_at=published,
            text_en=text if rows[i].translation_status == "source_english" else theirs[i].text_en,
        )
    return rows


def build(corpus: Any, days: int, outlets: tuple[str, ...], articles: Articles) -> dict[str, Any]:
    from processing.pipeline.links import prepare_rows

    started = time.monotonic()
    fingerprint_s = commit_s = 0.0
    rows_total = commits = 0
    months: dict[tuple[str, int, int], list[Any]] = {}
    for d in range(days):
        day = FIRST_DAY + timedelta(days=d)
        for outlet in outlets:
            months.setdefault((outlet, day.year, day.month), []).extend(
                _with_copies(articles, outlet, day, outlets)
            )
    for (outlet, year, month), rows in sorted(
        months.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])
    ):
        t0 = time.perf_counter()
        rows = prepare_rows(corpus, rows)
        fingerprint_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        corpus.commit(rows, run_id=f"{outlet}.backfill.{year}-{month:02d}", kind="backfill")
        commit_s += time.perf_counter() - t0
        rows_total += len(rows)
        commits += 1
        if commits % 20 == 0:
            print(
                f"  {commits} outlet-months, {rows_total} rows, {time.monotonic() - started:.0f}s",
                flush=True,
            )
    return {
        "rows": rows_total,
        "commits": commits,
        "fingerprint_ms_per_row": round(1000 * fingerprint_s / max(1, rows_total), 2),
        "commit_s": round(commit_s, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


def first_pass(corpus: Any) -> dict[str, Any]:
    from processing.pipeline.links import link_corpus

    t0 = time.perf_counter()
    report = link_corpus(corpus, corpus.settings)
    seconds = time.perf_counter() - t0
    return report.to_dict() | {
        "seconds": round(seconds, 1),
        "ms_per_row": round(1000 * seconds / max(1, report.to_link), 2),
    }


def publishes(
    corpus: Any,
    articles: Articles,
    outlets: tuple[str, ...],
    start: date,
    n: int,
    cold: bool,
) -> list[dict[str, Any]]:
    from processing.pipeline.links import forget_state, link_corpus, prepare_rows

    out = []
    for k in range(n):
        outlet = outlets[k % len(outlets)]
        day = start + timedelta(days=k // len(outlets))
        rows = _with_copies(articles, outlet, day, outlets)
        t0 = time.perf_counter()
        result = corpus.commit(
            prepare_rows(corpus, rows), run_id=f"{outlet}.daily.{day}", kind="daily"
        )
        commit_s = time.perf_counter() - t0
        if cold:
            forget_state()
        before = Counter(COUNTS)
        t0 = time.perf_counter()
        report = link_corpus(corpus, corpus.settings)
        link_s = time.perf_counter() - t0
        delta = Counter(COUNTS)
        delta.subtract(before)
        out.append(
            {
                "outlet": outlet,
                "day": day.isoformat(),
                "new": result.new,
                "commit_s": round(commit_s, 3),
                "link_s": round(link_s, 3),
                "loaded": report.loaded,
                "linked": report.to_link,
                "duplicates": report.duplicates,
                "rewritten": report.rewritten,
                "gets": delta["GET"],
                "puts": delta["PUT"],
            }
        )
        print(
            f"  {'cold' if cold else 'kept'} {outlet} {day}: commit {commit_s:.2f}s, "
            f"link {link_s:.2f}s, loaded {report.loaded}",
            flush=True,
        )
    return out


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    med = statistics.median
    return {
        "publishes": len(runs),
        "commit_s": round(med(r["commit_s"] for r in runs), 3),
        "link_s": round(med(r["link_s"] for r in runs), 3),
        "link_to_commit": round(med(r["link_s"] / r["commit_s"] for r in runs if r["commit_s"]), 2),
        "loaded": int(med(r["loaded"] for r in runs)),
        "rewritten": int(med(r["rewritten"] for r in runs)),
        "gets": int(med(r["gets"] for r in runs)),
        "puts": int(med(r["puts"] for r in runs)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--outlets", type=int, default=len(OUTLETS))
    ap.add_argument("--rows", type=int, default=31, help="articles per outlet-day")
    ap.add_argument("--publishes", type=int, default=18)
    ap.add_argument("--port", type=int, default=18533)
    ap.add_argument("--update-docs", action="store_true")
    args = ap.parse_args(argv)

    from processing.core.embedded_s3 import EmbeddedS3

    outlets = OUTLETS[: args.outlets]
    state = Path(tempfile.mkdtemp(prefix="newsloom-links-"))
    bucket = f"links-{os.getpid()}"
    server = EmbeddedS3(state, args.port)
    server.up()
    try:
        _env(state, args.port, bucket)
        count_requests()
        from processing.core.config import Settings
        from processing.core.s3 import open_store
        from processing.corpus import open_corpus

        settings = Settings.from_env()
        corpus = open_corpus(
            store=open_store(settings, create_bucket=True), settings=settings, write=True
        )
        articles = Articles(args.rows)
        print(
            f"the table: {args.days} days x {len(outlets)} outlets x {args.rows} rows", flush=True
        )
        table = build(corpus, args.days, outlets, articles)
        print("the first link pass (full) ...", flush=True)
        full = first_pass(corpus)
        after = FIRST_DAY + timedelta(days=args.days)
        kept = publishes(corpus, articles, outlets, after, args.publishes, cold=False)
        later = after + timedelta(days=-(-args.publishes // len(outlets)))
        cold = publishes(corpus, articles, outlets, later, args.publishes, cold=True)
        result = {
            "command": "python -m benchmarks.links " + " ".join(argv or sys.argv[1:]),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "table": table,
            "full_pass": full,
            "kept_index": _summary(kept),
            "cold_index": _summary(cold),
            "publishes": {"kept": kept, "cold": cold},
        }
    finally:
        server.down()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(OUT.read_text()) if OUT.exists() else []
    runs = [*runs[-4:], result]
    OUT.write_text(json.dumps(runs, indent=1))
    print(render(result))
    if args.update_docs:
        update_docs(result)
    return 0


def render(r: dict[str, Any]) -> str:
    t, f = r["table"], r["full_pass"]
    lines = [
        f"table: {t['rows']} rows in {t['commits']} commits; fingerprints "
        f"{t['fingerprint_ms_per_row']} ms/row while publishing",
        f"first (full) pass: {f['to_link']} rows in {f['seconds']}s ({f['ms_per_row']} ms/row), "
        f"{f['duplicates']} duplicates, {f['rewritten']} rows rewritten",
    ]
    for name in ("kept_index", "cold_index"):
        s = r[name]
        lines.append(
            f"publish + link pass, {name.replace('_', ' ')} (median of {s['publishes']}): commit "
            f"{s['commit_s']}s, link pass {s['link_s']}s (x{s['link_to_commit']} the commit), "
            f"{s['loaded']} stored rows loaded, {s['rewritten']} rewritten, {s['gets']} GET / "
            f"{s['puts']} PUT"
        )
    return "\n".join(lines)


def update_docs(r: dict[str, Any]) -> None:
    text = DOCS.read_text()
    block = "\n".join(
        [
            MARK,
            "",
            f"`{r['command'].strip()}` ({r['date']}, {r['machine']}; the module docstring says "
            "what it does):",
            "",
            "```",
            render(r),
            "```",
            "",
            NOTE,
            "",
        ]
    )
    if MARK in text:
        start = text.index(MARK)
        nxt = min(
            (i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i != -1),
            default=len(text),
        )
        text = text[:start] + block + text[nxt + 1 :]
    else:
        start = text.index("## Story links")
        nxt = text.find("\n## ", start + 1)
        nxt = len(text) if nxt == -1 else nxt + 1
        text = text[:nxt].rstrip("\n") + "\n\n" + block + "\n" + text[nxt:]
    DOCS.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
