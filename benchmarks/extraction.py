"""Extraction quality: newsloom's ``extract()`` against plain trafilatura, in the same run.

    python -m benchmarks.extraction [--limit N]
        [--dataset naeb|readability|multilingual|outlets-real|all] [--details PATH]
        [--update-docs]

Datasets (read-only, beside the project; each is skipped cleanly when absent). Tune on more
than one: a change is kept only when it helps both ``naeb`` and ``readability``.

- ``naeb``: ``news_articles.json`` (link, title, date, authors, text, html_file) +
  ``html/<html_file>.html.gz``; hand-cleaned reference text. Entries whose file is absent are
  skipped.
- ``readability``: Mozilla Readability's test pages, ``<name>/source.html.gz`` and
  ``expected.html.gz`` (the article as reader mode extracts it, turned into text one block
  per line by ``benchmarks.metrics.html_to_text``) and ``expected-metadata.json`` (title,
  byline, publishedTime). The pages are served as ``http://fakehost/test/page.html`` in
  Readability's own tests; that URL is used here too. A reader-mode reference, not a
  hand-cleaned one: it may keep captions or miss a standfirst.
- ``multilingual``: ``html/<name>.html``, reference body ``txt/<name>.txt``, optional
  ``metadata/<name>.json`` (url, title, authors, publish_date).
- ``outlets-real``: real pages of the seed outlets, ``pages.json`` (outlet, URL, published
  day; for one page the expected title, authors and body). Body scores cover the pages with
  an expected body only; newsloom runs both without (``newsloom``) and with the outlet's
  profile (``newsloom+profile``).

Systems, run page by page, interleaved, in one process on the same bytes:

- ``newsloom``: ``processing.extraction.extract(html, url)`` - the function the pipeline runs,
  without an outlet profile (these are unknown sites).
- ``trafilatura``: plain ``trafilatura.extract(html, url=link)`` for the body and its speed;
  its title/date/authors come from ``trafilatura.bare_extraction(html, url=link,
  with_metadata=True)`` (timed separately, not in its pages/s).

Metrics (``benchmarks.metrics``): body precision/recall/F1 on word 4-gram shingles, title
exact match after whitespace normalisation, published date on the same calendar day (pages
whose reference has a date; newsloom's UTC ``published_at`` day and the day as the page writes
it, ``published_local_date``; htmldate's written day for trafilatura), how many of those pages
got any date and how many of the dates given were right (as written), author F1 (set-based
over normalised names; pages with reference authors), pages per second (extract calls only,
one core, wall clock) and newsloom's speed relative to trafilatura's in the same run (the ratio
of their CPU times over the same pages, interleaved: other jobs on a shared machine stretch
wall-clock times unevenly; the wall-clock ratio is in the JSON). Results: a table on
stdout and ``benchmarks/out/extraction.json``; ``--update-docs`` rewrites the table in the
"Extraction quality" section of docs/BENCHMARKS.md (between its ``<!-- extraction-table -->``
markers).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import logging
import platform
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "out" / "extraction.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Extraction quality"
SYSTEMS = ("newsloom", "trafilatura")
READABILITY_URL = "http://fakehost/test/page.html"


@dataclass
class Page:
    dataset: str
    key: str
    url: str
    html: bytes
    text: str | None  # None: no reference body (left out of the body scores)
    title: str | None = None
    date: str | None = None
    authors: list[str] | str | None = None
    outlet: str | None = None  # a registry outlet id (outlets-real)


@dataclass
class Prediction:
    text: str = ""
    title: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall clock of the extract call
    meta_seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of this process during the call
    error: str | None = None
    local_date: str | None = None
    stages: dict[str, int] | None = None  # --trace: characters left after each stage


# ---- datasets ---------------------------------------------------------------------------
def naeb_pages(root: Path, limit: int | None = None) -> Iterator[Page]:
    index = root / "news_articles.json"
    if not index.is_file():
        return
    entries = json.loads(index.read_text(encoding="utf-8"))
    n = 0
    for e in entries:
        path = root / "html" / f"{e['html_file']}.html.gz"
        if not path.is_file():
            continue
        if limit is not None and n >= limit:
            return
        n += 1
        yield Page(
            "naeb",
            e["html_file"],
            e["link"],
            gzip.decompress(path.read_bytes()),
            e.get("text") or "",
            e.get("title"),
            e.get("date") or None,
            e.get("authors") or None,
        )


def readability_pages(root: Path, limit: int | None = None) -> Iterator[Page]:
    from benchmarks.metrics import html_to_text

    if not root.is_dir():
        return
    folders = sorted(
        d
        for d in root.iterdir()
        if (d / "source.html.gz").is_file() and (d / "expected.html.gz").is_file()
    )
    for n, folder in enumerate(folders):
        if limit is not None and n >= limit:
            return
        meta_path = folder / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        byline = meta.get("byline")
        yield Page(
            "readability",
            folder.name,
            READABILITY_URL,
            gzip.decompress((folder / "source.html.gz").read_bytes()),
            html_to_text(gzip.decompress((folder / "expected.html.gz").read_bytes())),
            meta.get("title") or None,
            meta.get("publishedTime") or None,
            byline.strip() if isinstance(byline, str) and byline.strip() else None,
        )


def multilingual_pages(root: Path, limit: int | None = None) -> Iterator[Page]:
    html_dir, txt_dir, meta_dir = root / "html", root / "txt", root / "metadata"
    if not html_dir.is_dir():
        return
    for n, path in enumerate(sorted(html_dir.glob("*.html"))):
        if limit is not None and n >= limit:
            return
        name = path.stem
        ref = txt_dir / f"{name}.txt"
        if not ref.is_file():
            continue
        meta: dict[str, Any] = {}
        if (meta_dir / f"{name}.json").is_file():
            meta = json.loads((meta_dir / f"{name}.json").read_text(encoding="utf-8"))
        yield Page(
            "multilingual",
            name,
            meta.get("url") or f"https://example.invalid/{name}",
            path.read_bytes(),
            ref.read_text(encoding="utf-8"),
            meta.get("title"),
            (meta.get("publish_date") or None),
            meta.get("authors") or None,
        )


def outlet_pages(root: Path, limit: int | None = None) -> Iterator[Page]:
    index = root / "pages.json"
    if not index.is_file():
        return
    entries = json.loads(index.read_text(encoding="utf-8"))
    for n, (name, e) in enumerate(sorted(entries.items())):
        if limit is not None and n >= limit:
            return
        if not (root / name).is_file():
            continue
        expected = e.get("expected") or {}
        yield Page(
            "outlets-real",
            name.removesuffix(".html.gz"),
            str(e["url"]).split()[0],  # "https://… (a note)"
            gzip.decompress((root / name).read_bytes()),
            expected.get("body"),
            expected.get("title"),
            e.get("published_day") or e.get("published"),
            expected.get("authors"),
            e.get("outlet"),
        )


DATASETS: dict[str, tuple[Callable[[Path, int | None], Iterator[Page]], Path]] = {
    "naeb": (naeb_pages, DATA / "naeb"),
    "readability": (readability_pages, DATA / "readability"),
    "multilingual": (multilingual_pages, DATA / "multilingual"),
    "outlets-real": (outlet_pages, DATA / "outlets-real"),
}


# ---- systems ----------------------------------------------------------------------------
def _profile(outlet: str | None) -> Any:
    """The outlet's extraction profile, built the way the pipeline builds it."""
    if not outlet:
        return None
    from crawlers.registry import get_outlet
    from processing.pipeline.outlets import extraction_profile

    return extraction_profile(get_outlet(outlet))


class StageTrace:
    """``--trace``: the characters each body stage of newsloom leaves, recorded by wrapping
    the stage functions of ``processing.extraction.body`` from here (the product carries no
    benchmark hook). Stages in order: ``page`` and ``preclean`` (the page's text before and
    after the structural cleanup), ``trafilatura`` and ``prune_body`` (its output tree as
    text), then the line cleanup: ``lines``, ``end_marker``, ``teaser_blocks``,
    ``phrase_filter``, ``label_runs``, ``trim_edges``, ``title_line``. The generic path's
    stages only: a JSON-LD or selector line cleanup before it is cleared by ``page``."""

    def __init__(self) -> None:
        self.stages: dict[str, int] | None = None

    def install(self) -> None:
        from copy import deepcopy

        from processing.extraction import body

        def page_chars(tree: Any) -> int:
            node = tree.find(".//body")
            return len(" ".join((node if node is not None else tree).text_content().split()))

        def tree_chars(out: Any) -> int:
            return len(body.body_to_text(deepcopy(out))) if out is not None else 0

        def lines_chars(lines: list[str]) -> int:
            return len("\n".join(lines))

        def wrap(name: str, record: Callable[[Any, tuple[Any, ...]], None]) -> None:
            original = getattr(body, name)

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                out = original(*args, **kwargs)
                if self.stages is not None:
                    record(out, args)
                return out

            setattr(body, name, wrapper)

        def before_preclean(tree: Any) -> int:
            if self.stages is not None:
                self.stages.clear()
                self.stages["page"] = page_chars(tree)
            removed: int = original_preclean(tree)
            if self.stages is not None:
                self.stages["preclean"] = page_chars(tree)
            return removed

        original_preclean = body.preclean
        body.preclean = before_preclean

        def set_stage(stage: str, value: int) -> None:
            assert self.stages is not None
            self.stages[stage] = value

        wrap("trafilatura_body", lambda out, a: set_stage("trafilatura", tree_chars(out)))
        wrap("prune_body", lambda out, a: set_stage("prune_body", tree_chars(a[0])))

        def first_stage(out: Any, args: tuple[Any, ...]) -> None:
            set_stage("lines", lines_chars(args[0]))
            set_stage("end_marker", lines_chars(out))

        wrap("cut_at_end_marker", first_stage)
        wrap("drop_teaser_blocks", lambda out, a: set_stage("teaser_blocks", lines_chars(out)))
        wrap("clean_lines", lambda out, a: set_stage("phrase_filter", lines_chars(out)))
        wrap("drop_label_runs", lambda out, a: set_stage("label_runs", lines_chars(out)))
        wrap("trim_edges", lambda out, a: set_stage("trim_edges", lines_chars(out)))
        wrap("finish_lines", lambda out, a: set_stage("title_line", len(out)))


TRACE: StageTrace | None = None  # set by --trace


def run_newsloom(page: Page, profile: Any = None) -> Prediction:
    from processing.extraction import ExtractionError, extract

    stages: dict[str, int] | None = {} if TRACE is not None else None
    if TRACE is not None:
        TRACE.stages = stages
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        ext = extract(page.html, page.url, profile=profile)
    except ExtractionError as exc:
        return Prediction(
            seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0, error=exc.reason
        )
    finally:
        if TRACE is not None:
            TRACE.stages = None
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if stages is not None:
        stages["final"] = len(ext.text)
    pub = ext.published_at.astimezone(UTC).date().isoformat() if ext.published_at else None
    local = ext.published_local_date
    return Prediction(
        ext.text,
        ext.title,
        pub,
        # the byline as the references write it: the people, or the agency when it names none
        list(ext.authors or ext.sources),
        seconds,
        local_date=local.isoformat() if local else pub,
        cpu_seconds=cpu,
        stages=stages,
    )


def run_newsloom_profile(page: Page) -> Prediction:
    return run_newsloom(page, _profile(page.outlet))


def run_trafilatura(page: Page) -> Prediction:
    import trafilatura

    t0, c0 = time.perf_counter(), time.process_time()
    text = trafilatura.extract(page.html, url=page.url)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    t1 = time.perf_counter()
    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    meta_seconds = time.perf_counter() - t1
    title = getattr(doc, "title", None) if doc is not None else None
    date = getattr(doc, "date", None) if doc is not None else None
    author = getattr(doc, "author", None) if doc is not None else None
    authors = [a for a in re.split(r"\s*;\s*", author) if a] if author else []
    # htmldate reports the day as the page writes it; it has no UTC day of its own
    return Prediction(
        text or "", title, date, authors, seconds, meta_seconds, local_date=date, cpu_seconds=cpu
    )


RUNNERS: dict[str, Callable[[Page], Prediction]] = {
    "newsloom": run_newsloom,
    "newsloom+profile": run_newsloom_profile,
    "trafilatura": run_trafilatura,
}


def systems_for(name: str) -> tuple[str, ...]:
    return ("newsloom", "newsloom+profile", "trafilatura") if name == "outlets-real" else SYSTEMS


# ---- scoring ----------------------------------------------------------------------------
def _share(hits: list[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def _metadata_title_as_written(html: bytes) -> str | None:
    """The page's ``og:title``, else its ``<title>``, whitespace normalised, nothing stripped;
    the page read as the extractor reads it (its charset decoding)."""
    from processing.extraction import ExtractionError
    from processing.extraction import selectors as sel
    from processing.extraction.boilerplate import normalise_line
    from processing.extraction.core import parse

    try:
        tree = parse(html)
    except ExtractionError:
        return None
    for value in (*sel.OG_TITLE(tree), *sel.TITLE(tree)):
        if value and value.strip():
            return normalise_line(value)
    return None


def score(pages: list[Page], preds: dict[str, list[Prediction]]) -> dict[str, Any]:
    from benchmarks.metrics import (
        author_f1,
        author_set,
        body_score,
        date_in_page,
        same_day,
        title_match,
    )

    out: dict[str, Any] = {
        "pages": len(pages),
        "body_pages": sum(p.text is not None for p in pages),
    }
    shown = [bool(p.date) and date_in_page(p.date, p.html, p.url) for p in pages]
    with_title = [p for p in pages if p.title]
    # how the set writes its reference titles: the share equal to the page's own og:title
    # (else <title>) as written, site name included - a property of the references, the same
    # for every system (newsloom's ``title`` is the visible headline, without the site name)
    out["reference_title_is_metadata"] = _share(
        [title_match(p.title, _metadata_title_as_written(p.html)) for p in with_title]
    )
    trafilatura_seconds = sum(q.seconds for q in preds.get("trafilatura", []))
    trafilatura_cpu = sum(q.cpu_seconds for q in preds.get("trafilatura", []))
    for system, plist in preds.items():
        pairs = list(zip(pages, plist, strict=True))
        body = body_score((p.text, q.text) for p, q in pairs if p.text is not None)
        dated = [(p, q) for p, q in pairs if p.date]
        visible = [(p, q) for (p, q), v in zip(pairs, shown, strict=True) if v]
        # pages whose reference byline names someone (not only a date or "Updated …")
        authored = [(p, q) for p, q in pairs if author_set(p.authors)]
        titled = [(p, q) for p, q in pairs if p.title]
        given = [(p, q) for p, q in dated if q.local_date or q.date]
        seconds = sum(q.seconds for q in plist)
        cpu = sum(q.cpu_seconds for q in plist)
        meta_seconds = sum(q.meta_seconds for q in plist)
        out[system] = {
            "body_precision": round(body.precision, 4),
            "body_recall": round(body.recall, 4),
            "body_f1": round(body.f1, 4),
            "title_exact": _share([title_match(p.title, q.title) for p, q in titled]),
            "title_pages": len(titled),
            "date_accuracy": _share([same_day(p.date, q.date) for p, q in dated]),
            "date_accuracy_as_written": _share([same_day(p.date, q.local_date) for p, q in dated]),
            "date_pages": len(dated),
            # how many dated pages got a date at all, and how many of the dates given are right
            "date_found": _share([bool(q.local_date or q.date) for _, q in dated]),
            "date_precision_as_written": _share([same_day(p.date, q.local_date) for p, q in given]),
            # pages whose reference date is written somewhere in the page (HTML or URL)
            "date_accuracy_visible": _share([same_day(p.date, q.date) for p, q in visible]),
            "date_accuracy_visible_as_written": _share(
                [same_day(p.date, q.local_date) for p, q in visible]
            ),
            "date_visible_pages": len(visible),
            "author_f1": round(
                sum(author_f1(p.authors, q.authors) for p, q in authored) / len(authored), 4
            )
            if authored
            else None,
            "author_pages": len(authored),
            "seconds": round(seconds, 3),
            "pages_per_s": round(len(plist) / seconds, 2) if seconds else None,
            "cpu_seconds": round(cpu, 3),
            # CPU time: other jobs on the machine slow both systems' wall clocks unevenly
            "speed_vs_trafilatura": round(trafilatura_cpu / cpu, 3)
            if cpu and trafilatura_cpu
            else None,
            "wall_speed_vs_trafilatura": round(trafilatura_seconds / seconds, 3)
            if seconds and trafilatura_seconds
            else None,
            "metadata_pages_per_s": round(len(plist) / meta_seconds, 2) if meta_seconds else None,
            "errors": sum(1 for q in plist if q.error),
        }
    return out


def run_dataset(name: str, limit: int | None) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    loader, root = DATASETS[name]
    pages = list(loader(root, limit))
    if not pages:
        print(f"[{name}] skipped: no data under {root}", file=sys.stderr)
        return None, []
    systems = systems_for(name)
    # warm up imports and caches once, untimed, so neither system pays them in the timing
    for system in systems:
        RUNNERS[system](pages[0])
    preds: dict[str, list[Prediction]] = {s: [] for s in systems}
    for page in pages:  # interleaved, so machine noise hits both systems alike
        for system in systems:
            preds[system].append(RUNNERS[system](page))
    from benchmarks.metrics import (
        author_f1,
        author_set,
        date_in_page,
        page_precision_recall,
        same_day,
        shingle_counts,
    )

    details = []
    for i, page in enumerate(pages):
        row: dict[str, Any] = {
            "dataset": name,
            "key": page.key,
            "ref_date": page.date,
            "ref_date_in_page": bool(page.date) and date_in_page(page.date, page.html, page.url),
        }
        for system in systems:
            q = preds[system][i]
            p, r = (
                page_precision_recall(*shingle_counts(page.text, q.text))
                if page.text is not None
                else (None, None)
            )
            row[system] = {
                "precision": p,
                "recall": r,
                "chars": len(q.text),
                "title_ok": bool(page.title)
                and (page.title or "").split() == (q.title or "").split(),
                "date_ok": same_day(page.date, q.date) if page.date else None,
                "date": q.date,
                "local_date": q.local_date,
                "author_f1": author_f1(page.authors, q.authors)
                if author_set(page.authors)
                else None,
                "seconds": round(q.seconds, 4),
                "error": q.error,
            }
            if q.stages is not None:
                row[system]["stages"] = q.stages
        details.append(row)
    return score(pages, preds), details


# ---- report -----------------------------------------------------------------------------
def _fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def table(results: dict[str, Any]) -> str:
    lines = [
        "| dataset | system | body F1 | precision | recall | title exact | date same-day "
        "(UTC) | date same-day (as written) | dates given / right when given | author F1 "
        "| pages/s | speed vs trafilatura (CPU time) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, res in results["datasets"].items():
        label = f"{name} ({res['pages']}"
        if res.get("body_pages", res["pages"]) != res["pages"]:
            label += f"; body {res['body_pages']}"
        label += ")"
        for system in systems_for(name):
            r = res[system]
            speed = r.get("speed_vs_trafilatura") if system != "trafilatura" else None
            lines.append(
                f"| {label} | {system} | {_fmt(r['body_f1'])} | "
                f"{_fmt(r['body_precision'])} | {_fmt(r['body_recall'])} | "
                f"{_fmt(r['title_exact'])} | {_fmt(r['date_accuracy'])} "
                f"(n={r['date_pages']}) | {_fmt(r['date_accuracy_as_written'])} | "
                f"{_fmt(r['date_found'])} / {_fmt(r['date_precision_as_written'])} | "
                f"{_fmt(r['author_f1'])} (n={r['author_pages']}) | "
                f"{_fmt(r['pages_per_s'], 1)} | {_fmt(speed, 2) + 'x' if speed else '-'} |"
            )
    conventions = [
        f"{name} {_fmt(res.get('reference_title_is_metadata'))}"
        for name, res in results["datasets"].items()
        if res.get("reference_title_is_metadata") is not None
    ]
    if conventions:
        lines.append(
            "\nReference titles equal to the page's own `og:title` (else `<title>`) as written, "
            "site name included - how each set writes its references, the same for every "
            "system: " + ", ".join(conventions) + "."
        )
    total = results.get("speed")
    if total:
        lines.append(
            f"\nAll {total['pages']} pages together: newsloom "
            f"{total['newsloom_pages_per_s']:.1f} pages/s, trafilatura "
            f"{total['trafilatura_pages_per_s']:.1f} pages/s (wall clock) in the same run; "
            f"newsloom's speed relative to trafilatura's: {total['ratio']:.2f}x in CPU time, "
            f"{total['wall_ratio']:.2f}x in wall-clock time."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N pages per dataset")
    ap.add_argument("--dataset", choices=[*DATASETS, "all"], default="all")
    ap.add_argument(
        "--details",
        type=Path,
        default=None,
        help="also write per-page scores (keys only, no page text) to this file",
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--update-docs",
        action="store_true",
        help="rewrite the measured table in docs/BENCHMARKS.md",
    )
    ap.add_argument(
        "--trace",
        action="store_true",
        help="record the characters each body stage of newsloom leaves, per page (in --details),"
        " and print the pages that lose most recall against trafilatura with their stages;"
        " timings of a traced run are not comparable",
    )
    args = ap.parse_args(argv)
    global TRACE
    if args.trace:
        TRACE = StageTrace()
        TRACE.install()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)

    import trafilatura

    from processing.extraction import extractor_version

    names = list(DATASETS) if args.dataset == "all" else [args.dataset]
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks.extraction"
        + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:])),
        "extractor_version": extractor_version(),
        "trafilatura": trafilatura.__version__,
        "python": platform.python_version(),
        "machine": platform.processor() or platform.machine(),
        "datasets": {},
    }
    all_details: list[dict[str, Any]] = []
    for name in names:
        res, details = run_dataset(name, args.limit)
        if res is not None:
            results["datasets"][name] = res
            all_details.extend(details)
    if not results["datasets"]:
        print("no dataset found; nothing measured", file=sys.stderr)
        return 0
    ours = sum(r["newsloom"]["seconds"] for r in results["datasets"].values())
    theirs = sum(r["trafilatura"]["seconds"] for r in results["datasets"].values())
    ours_cpu = sum(r["newsloom"]["cpu_seconds"] for r in results["datasets"].values())
    theirs_cpu = sum(r["trafilatura"]["cpu_seconds"] for r in results["datasets"].values())
    n = sum(r["pages"] for r in results["datasets"].values())
    if ours and theirs:
        results["speed"] = {
            "pages": n,
            "newsloom_pages_per_s": round(n / ours, 2),
            "trafilatura_pages_per_s": round(n / theirs, 2),
            "ratio": round(theirs_cpu / ours_cpu, 3) if ours_cpu else None,
            "wall_ratio": round(theirs / ours, 3),
        }
    print(table(results))
    if args.trace:
        print(trace_report(all_details))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    if args.details:
        args.details.write_text(json.dumps(all_details, indent=1) + "\n", encoding="utf-8")
    if args.update_docs:
        update_docs(results)
    return 0


def trace_report(details: list[dict[str, Any]], worst: int = 15) -> str:
    """Per dataset: the characters each body stage removed in all (a stage's share of what
    reached it), then the ``worst`` pages by recall lost against trafilatura, with what each
    stage left."""
    out: list[str] = []
    for name in dict.fromkeys(d["dataset"] for d in details):
        rows = [d for d in details if d["dataset"] == name and d["newsloom"].get("stages")]
        removed: dict[str, int] = {}
        for d in rows:
            stages = list(d["newsloom"]["stages"].items())
            for (_, before), (stage, after) in itertools.pairwise(stages):
                removed[stage] = removed.get(stage, 0) + before - after
        out.append(f"\n[{name}] characters removed (negative: added) by stage, all pages:")
        out.extend(f"  {stage:14s} {chars:9d}" for stage, chars in removed.items())

        def lost(d: dict[str, Any]) -> float:
            ours, theirs = d["newsloom"]["recall"], d["trafilatura"]["recall"]
            return (theirs or 0.0) - (ours or 0.0)

        out.append(f"[{name}] pages losing most recall against trafilatura:")
        for d in sorted(rows, key=lost, reverse=True)[:worst]:
            if lost(d) <= 0:
                break
            ours, theirs = d["newsloom"], d["trafilatura"]
            chain = " > ".join(f"{k} {v}" for k, v in ours["stages"].items())
            out.append(
                f"  {d['key']}: recall {ours['recall']:.3f} vs {theirs['recall']:.3f}; {chain}"
            )
    return "\n".join(out)


MARK_START, MARK_END = "<!-- extraction-table -->", "<!-- /extraction-table -->"


def update_docs(results: dict[str, Any]) -> None:
    """Replace the table between the markers of the "Extraction quality" section."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.is_file() else "# Benchmarks\n"
    block = (
        f"{MARK_START}\nMeasured {results['measured_at']} with "
        f"`{results['command']}` ({results['extractor_version']}, Python "
        f"{results['python']}).\n\n{table(results)}\n{MARK_END}"
    )
    if MARK_START in text and MARK_END in text:
        head, rest = text.split(MARK_START, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    elif SECTION in text:
        text = text.replace(SECTION, f"{SECTION}\n\n{block}\n", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
    DOCS.write_text(text, encoding="utf-8")
    print(f"updated {DOCS}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
