"""Extraction quality: newsloom's ``extract()`` against plain trafilatura, in the same run.

    python -m benchmarks.extraction [--limit N] [--dataset naeb|multilingual|all]
                                    [--details PATH] [--update-docs]

Datasets (read-only, beside the project; each is skipped cleanly when absent):

- ``../shared/data/naeb``: ``news_articles.json`` (link, title, date, authors, text,
  html_file) + ``html/<html_file>.html.gz``; entries whose file is absent are skipped.
- ``../shared/data/multilingual``: ``html/<name>.html``, reference body ``txt/<name>.txt``,
  optional ``metadata/<name>.json`` (url, title, authors, publish_date).

Systems, run page by page in one process on the same bytes:

- ``newsloom``: ``processing.extraction.extract(html, url)`` - the function the pipeline runs,
  ``outlet=None`` (these are unknown sites, so no per-outlet selectors).
- ``trafilatura``: plain ``trafilatura.extract(html, url=link)`` for the body and its speed;
  its title/date/authors come from ``trafilatura.bare_extraction(html, url=link,
  with_metadata=True)`` (timed separately, reported as ``metadata pages/s``).

Metrics (``benchmarks.metrics``): body precision/recall/F1 on word 4-gram shingles, title
exact match after whitespace normalisation, published date on the same calendar day (pages
whose ground truth has a date; newsloom's UTC ``published_at`` day and the day as the page
writes it, ``published_local_date``), the same over the pages whose reference date is written
somewhere in the page's HTML or URL (``benchmarks.metrics.date_in_page``: a reference date the
page never shows cannot be extracted from it), author F1
(set-based over normalised names; pages with ground-truth authors), pages per second (extract
calls only, one core). Results: a table on stdout and ``benchmarks/out/extraction.json``;
``--update-docs`` rewrites the table in the "Extraction quality" section of
docs/BENCHMARKS.md (between its ``<!-- extraction-table -->`` markers).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import platform
import re
import sys
import time
from collections.abc import Iterator
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


@dataclass
class Page:
    dataset: str
    key: str
    url: str
    html: bytes
    text: str
    title: str | None = None
    date: str | None = None
    authors: list[str] | str | None = None


@dataclass
class Prediction:
    text: str = ""
    title: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    meta_seconds: float = 0.0
    error: str | None = None
    local_date: str | None = None


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


DATASETS = {
    "naeb": (naeb_pages, DATA / "naeb"),
    "multilingual": (multilingual_pages, DATA / "multilingual"),
}


# ---- systems ----------------------------------------------------------------------------
def run_newsloom(page: Page) -> Prediction:
    from processing.extraction import ExtractionError, extract

    t0 = time.perf_counter()
    try:
        ext = extract(page.html, page.url)
    except ExtractionError as exc:
        return Prediction(seconds=time.perf_counter() - t0, error=exc.reason)
    seconds = time.perf_counter() - t0
    pub = ext.published_at.astimezone(UTC).date().isoformat() if ext.published_at else None
    local = getattr(ext, "published_local_date", None)
    return Prediction(
        ext.text,
        ext.title,
        pub,
        list(ext.authors),
        seconds,
        local_date=local.isoformat() if local else pub,
    )


def run_trafilatura(page: Page) -> Prediction:
    import trafilatura

    t0 = time.perf_counter()
    text = trafilatura.extract(page.html, url=page.url)
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    meta_seconds = time.perf_counter() - t1
    title = getattr(doc, "title", None) if doc is not None else None
    date = getattr(doc, "date", None) if doc is not None else None
    author = getattr(doc, "author", None) if doc is not None else None
    authors = [a for a in re.split(r"\s*;\s*", author) if a] if author else []
    # htmldate reports the day as the page writes it; it has no UTC day of its own
    return Prediction(text or "", title, date, authors, seconds, meta_seconds, local_date=date)


RUNNERS = {"newsloom": run_newsloom, "trafilatura": run_trafilatura}


# ---- scoring ----------------------------------------------------------------------------
def score(pages: list[Page], preds: dict[str, list[Prediction]]) -> dict[str, Any]:
    from benchmarks.metrics import author_f1, body_score, date_in_page, same_day, title_match

    out: dict[str, Any] = {"pages": len(pages)}
    shown = [bool(p.date) and date_in_page(p.date, p.html, p.url) for p in pages]
    for system, plist in preds.items():
        body = body_score((p.text, q.text) for p, q in zip(pages, plist, strict=True))
        dated = [(p, q) for p, q in zip(pages, plist, strict=True) if p.date]
        visible = [(p, q) for p, q, v in zip(pages, plist, shown, strict=True) if v]
        authored = [(p, q) for p, q in zip(pages, plist, strict=True) if p.authors]
        titled = [(p, q) for p, q in zip(pages, plist, strict=True) if p.title]
        seconds = sum(q.seconds for q in plist)
        meta_seconds = sum(q.meta_seconds for q in plist)
        out[system] = {
            "body_precision": round(body.precision, 4),
            "body_recall": round(body.recall, 4),
            "body_f1": round(body.f1, 4),
            "title_exact": round(
                sum(title_match(p.title, q.title) for p, q in titled) / len(titled), 4
            )
            if titled
            else None,
            "title_pages": len(titled),
            "date_accuracy": round(sum(same_day(p.date, q.date) for p, q in dated) / len(dated), 4)
            if dated
            else None,
            "date_accuracy_as_written": round(
                sum(same_day(p.date, q.local_date) for p, q in dated) / len(dated), 4
            )
            if dated
            else None,
            "date_pages": len(dated),
            # pages whose reference date is written somewhere in the page (HTML or URL)
            "date_accuracy_visible": round(
                sum(same_day(p.date, q.date) for p, q in visible) / len(visible), 4
            )
            if visible
            else None,
            "date_accuracy_visible_as_written": round(
                sum(same_day(p.date, q.local_date) for p, q in visible) / len(visible), 4
            )
            if visible
            else None,
            "date_visible_pages": len(visible),
            "author_f1": round(
                sum(author_f1(p.authors, q.authors) for p, q in authored) / len(authored), 4
            )
            if authored
            else None,
            "author_pages": len(authored),
            "pages_per_s": round(len(plist) / seconds, 2) if seconds else None,
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
    # warm up imports and caches once, untimed, so neither system pays them in the timing
    for system in SYSTEMS:
        RUNNERS[system](pages[0])
    preds: dict[str, list[Prediction]] = {s: [] for s in SYSTEMS}
    for page in pages:  # interleaved, so machine noise hits both systems alike
        for system in SYSTEMS:
            preds[system].append(RUNNERS[system](page))
    from benchmarks.metrics import (
        author_f1,
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
        for system in SYSTEMS:
            q = preds[system][i]
            p, r = page_precision_recall(*shingle_counts(page.text, q.text))
            row[system] = {
                "precision": p,
                "recall": r,
                "title_ok": bool(page.title)
                and (page.title or "").split() == (q.title or "").split(),
                "date_ok": same_day(page.date, q.date) if page.date else None,
                "date": q.date,
                "local_date": q.local_date,
                "author_f1": author_f1(page.authors, q.authors) if page.authors else None,
                "seconds": round(q.seconds, 4),
                "error": q.error,
            }
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
        "(UTC) | date same-day (as written) | date same-day, reference visible in page "
        "(UTC / as written) | author F1 | pages/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, res in results["datasets"].items():
        for system in SYSTEMS:
            r = res[system]
            lines.append(
                f"| {name} ({res['pages']}) | {system} | {_fmt(r['body_f1'])} | "
                f"{_fmt(r['body_precision'])} | {_fmt(r['body_recall'])} | "
                f"{_fmt(r['title_exact'])} | {_fmt(r['date_accuracy'])} "
                f"(n={r['date_pages']}) | {_fmt(r['date_accuracy_as_written'])} | "
                f"{_fmt(r['date_accuracy_visible'])} / "
                f"{_fmt(r['date_accuracy_visible_as_written'])} "
                f"(n={r['date_visible_pages']}) | "
                f"{_fmt(r['author_f1'])} (n={r['author_pages']}) | "
                f"{_fmt(r['pages_per_s'], 1)} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N pages per dataset")
    ap.add_argument("--dataset", choices=["naeb", "multilingual", "all"], default="all")
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
    args = ap.parse_args(argv)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)

    import trafilatura

    from processing.extraction import extractor_version

    names = ["naeb", "multilingual"] if args.dataset == "all" else [args.dataset]
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
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    if args.details:
        args.details.write_text(json.dumps(all_details, indent=1) + "\n", encoding="utf-8")
    if args.update_docs:
        update_docs(results)
    return 0


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
