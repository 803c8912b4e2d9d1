"""Regenerate the golden files: ``python -m tests.golden.regenerate``.

Goldens are built on REAL pages of the seed outlets, read from the shared data beside the
project (``../shared/data``, or ``$NEWSLOOM_SHARED_DATA``); the pages are never copied into
the repository. Only the expected values live here, in ``tests/golden/<outlet>/<name>.json``:

- ``title``, ``published_day``, ``authors``: the ground truth where the data set has it
  (``outlets-real/pages.json``: published day, and for politico.eu the title, authors and
  body of fundus's hand-written parser; ``naeb/news_articles.json``: hand-cleaned title,
  date and authors), else the extractor's value, reviewed against the page (``REVIEWED``);
- ``first_paragraph`` / ``last_paragraph``: from the ground-truth body where there is one,
  else the extractor's, reviewed against the page (the notes say what was checked);
- ``reference``: where the reference body is (for ``min_body_f1``, word 4-gram shingle F1
  of the extracted text against it); without one, ``paragraphs`` (the reviewed count);
- ``modes``: ``generic`` (no outlet profile) and ``profile`` (the registry entry's profile,
  as the pipeline applies it), each checked where the page allows it.

The script prints where the extractor disagrees with a ground-truth value instead of copying
the extractor's output over the truth: a golden file says what the page holds, not what the
code happens to return. Review the diff before committing.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parent
REPO = GOLDEN.parents[1]
SHARED_DATA = Path(os.environ.get("NEWSLOOM_SHARED_DATA") or REPO.parent / "shared" / "data")
MIN_BODY_F1 = 0.95


@dataclass(frozen=True)
class Source:
    outlet: str  # registry id
    dataset: str  # "outlets-real" or "naeb"
    key: str  # file name in outlets-real, html_file in naeb
    name: str  # golden file name
    language: str


NAEB_POLITICO = {
    "88b390b95012b4c2c2f9a5b38cb1c3fe": "naeb_politico_com_north_korea",
    "e5ef5b511934339c675de001011ca075": "naeb_politico_com_fed",
    "3199044f983e0282fbc62c70dadeb28f": "naeb_politico_eu_brussels",
    "0e4d644bf00ace6f813a0f364f95e7d8": "naeb_politico_eu_russia",
}
SOURCES = (
    Source(
        "politico", "outlets-real", "politico_com_2019-12-30.html.gz", "politico_com_2019", "en"
    ),
    Source("politico", "outlets-real", "politico_eu_2025-10-23.html.gz", "politico_eu_2025", "en"),
    *(Source("politico", "naeb", key, name, "en") for key, name in NAEB_POLITICO.items()),
    Source("sputnik_en", "outlets-real", "sputnik_en_2020-04-28.html.gz", "sputnik_en_2020", "en"),
    Source("sputnik_ar", "outlets-real", "sputnik_ar_2020-03-17.html.gz", "sputnik_ar_2020", "ar"),
)

NAEB_TRUTH = "Title, date, authors and body from naeb's hand-cleaned reference."
# What a person checked against the page where the data set has no ground truth for a field.
REVIEWED: dict[str, str] = {
    "politico_com_2019": (
        "No reference body. Checked against the page: the headline is in the story header (the "
        "page's h1 is the POLITICO logo); the dek 'Republicans in Western North Carolina are "
        "grumbling…' is shown under it and is the first paragraph; the last story paragraph is "
        "'The younger Lipinski won that race…' (the trailing 'Alex Isenstadt contributed to "
        "this report.' is a credit line, left out by design); byline Ally Mutnick. 31 paragraphs: "
        "the dek and the 30 story paragraphs of the page's 36 <p> that are article text (the "
        "others: 'Advertisement', an embedded newsletter byline, a photo caption, the pull "
        "quote and its attribution, the credit line)."
    ),
    "politico_eu_2025": (
        "Title, authors and body from fundus's PoliticoEu parser (pages.json), dek first, "
        "sub-headings included."
    ),
    "naeb_politico_com_north_korea": NAEB_TRUTH,
    "naeb_politico_com_fed": NAEB_TRUTH,
    "naeb_politico_eu_brussels": (
        "Title, date, authors from naeb. The first paragraph is the standfirst shown under the "
        "headline ('With its Good Living plan…'), as fundus's politico.eu parser has it; naeb's "
        "hand-cleaned text leaves it out, hence a body F1 slightly below 1."
    ),
    "naeb_politico_eu_russia": (
        "Title, date, authors and body from naeb's hand-cleaned reference (standfirst first)."
    ),
    "sputnik_en_2020": (
        "No reference body. Checked against the page: the lead in itemprop=description ('On "
        "this episode of The Critical Hour…') is the first paragraph, then articleBody up to the "
        "guest list ('Dr. Jack Rasmus — …'); the sign-off 'We'd love to get your feedback at "
        "radio@sputniknews.com' is left out by design (10 paragraphs: the lead and 9 of the 10 "
        "articleBody <p>). Author: the page's byline link says "
        "'Wilmer Leon' (its meta tag adds '. Sputnik International')."
    ),
    "sputnik_ar_2020": (
        "No reference body. Checked against the page: the lead in itemprop=description ('أعلنت "
        "وزارة الصحة والسكان المصرية…') is the news itself and the first paragraph, then "
        "articleBody to its last paragraph ('وصنفت منظمة الصحة العالمية…'): 10 paragraphs, the "
        "lead and the 9 articleBody <p>. The page names no "
        "person: its microdata author is the Organization 'Sputnik', which the extractor "
        "returns when nothing names a person (as naeb's references do for such pages)."
    ),
}


def page_bytes(source: Source) -> bytes:
    if source.dataset == "outlets-real":
        path = SHARED_DATA / "outlets-real" / source.key
    else:
        path = SHARED_DATA / "naeb" / "html" / f"{source.key}.html.gz"
    return gzip.decompress(path.read_bytes())


def truth(source: Source) -> dict[str, Any]:
    """What the data set itself says about the page (url, title, day, authors, body)."""
    if source.dataset == "outlets-real":
        entry = json.loads((SHARED_DATA / "outlets-real" / "pages.json").read_text("utf-8"))[
            source.key
        ]
        expected = entry.get("expected") or {}
        return {
            "url": str(entry["url"]).split()[0],
            "published_day": entry.get("published_day") or entry.get("published"),
            "title": expected.get("title"),
            "authors": expected.get("authors"),
            "body": expected.get("body"),
        }
    index = json.loads((SHARED_DATA / "naeb" / "news_articles.json").read_text("utf-8"))
    entry = next(e for e in index if e["html_file"] == source.key)
    authors = entry.get("authors")
    return {
        "url": entry["link"],
        "published_day": (entry.get("date") or "")[:10] or None,
        "title": entry.get("title"),
        "authors": [a.strip() for a in authors.split(",")] if authors else None,
        "body": entry.get("text"),
    }


def reference_text(golden: dict[str, Any]) -> str | None:
    """The reference body a golden file points to (None: there is none)."""
    ref = golden.get("reference")
    if not ref:
        return None
    source = Source(golden["outlet"], ref["dataset"], ref["key"], "", golden["language"])
    return truth(source)["body"]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def build(source: Source) -> tuple[dict[str, Any], list[str]]:
    """The golden file for one page, and the disagreements to review."""
    from crawlers.registry import get_outlet
    from processing.extraction import extract
    from processing.pipeline.outlets import extraction_profile

    html = page_bytes(source)
    known = truth(source)
    profile = extraction_profile(get_outlet(source.outlet))
    got = extract(html, known["url"])
    body = paragraphs(known["body"]) if known["body"] and source.dataset != "naeb" else None
    lines = paragraphs(got.text)
    golden: dict[str, Any] = {
        "outlet": source.outlet,
        "page": {"dataset": source.dataset, "key": source.key},
        "url": known["url"],
        "language": source.language,
        "modes": ["generic", "profile"],
        "title": known["title"] or got.title,
        "published_day": known["published_day"],
        "authors": known["authors"] if known["authors"] is not None else got.authors,
        "first_paragraph": body[0] if body else lines[0],
        "last_paragraph": body[-1] if body else lines[-1],
        "reference": {"dataset": source.dataset, "key": source.key} if known["body"] else None,
        "min_body_f1": MIN_BODY_F1 if known["body"] else None,
        # without a reference body: how many paragraphs the reviewed article has
        "paragraphs": None if known["body"] else len(lines),
        "review": REVIEWED.get(source.name, ""),
    }
    problems = []
    for mode in golden["modes"]:
        ext = extract(html, known["url"], profile=profile if mode == "profile" else None)
        day = ext.published_local_date.isoformat() if ext.published_local_date else None
        checks = {
            "title": ext.title,
            "published_day": day,
            "authors": ext.authors,
            "first_paragraph": paragraphs(ext.text)[0] if ext.text else None,
            "last_paragraph": paragraphs(ext.text)[-1] if ext.text else None,
        }
        for field, value in checks.items():
            if value != golden[field]:
                problems.append(f"{source.name} [{mode}] {field}: {value!r} != {golden[field]!r}")
    return golden, problems


def main() -> int:
    if not SHARED_DATA.is_dir():
        print(f"no shared data at {SHARED_DATA}", file=sys.stderr)
        return 1
    problems: list[str] = []
    for source in SOURCES:
        golden, found = build(source)
        problems += found
        path = GOLDEN / source.outlet / f"{source.name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(golden, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    for line in problems:
        print(f"REVIEW: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
