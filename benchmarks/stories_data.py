"""The story-links benchmark's articles: real texts re-published with realistic edits, real
same-subject and same-outlet negatives, and Arabic/English versions of the same documents.

Sources (read-only, ../shared/data, or where NEWSLOOM_SHARED_DATA says):

- ``naeb``: 424 hand-cleaned English articles of 212 sites (two per site), December 2023.
  The two articles of a site are the same-outlet negatives; each site's boilerplate (the
  lines of its saved page that are not in the article: related links, captions, share and
  cookie lines, footers) is that outlet's leak pool.
- ``ntrex``: 123 English news documents of 2018-09-29..10-01 with a human Arabic translation,
  line by line. Several outlets covered the same events (the Sulawesi tsunami, Macedonia's
  referendum, the Livingston-Rangers match...) and many pieces share a subject without being
  the same story (six Kavanaugh pieces, four Brexit pieces, two on Kanye West): see
  :data:`NTREX_EVENTS` and :data:`NTREX_SUBJECTS`, labelled by reading the documents.
- ``multilingual``: one article each in Arabic, Chinese, Japanese, Spanish, Thai, Latvian,
  Burmese and English (newspaper4k's test pages).

What is built (:func:`build`), per part (``tune`` / ``heldout``, a split by document, and by
event for ntrex, so that no story straddles two parts):

- ``original``: each document as its outlet published it, with 0-4 lines of that outlet's
  boilerplate leaking in.
- ``copy``: 0-3 re-publications per document by other outlets, each with 2-4 realistic edits
  (:data:`LIGHT_EDITS`): other boilerplate, a changed headline, a paragraph cut or added, an
  updated figure, quotes (paragraphs) reordered, paragraphs merged or split, the last
  paragraphs cut (a shorter agency version). Same document, same language: a duplicate.
- ``rewrite``: for some documents, a heavier re-use: a third to half of the paragraphs gone,
  one or two paragraphs of another document added, on top of light edits. Same story; not
  counted either way for duplicates (whether that is "near-identical" is a matter of taste).
- ``version`` (ntrex): the Arabic text of the document, published by an Arabic outlet, with
  its own light edits; ``text_en`` is the matching English lines (the oracle translation: the
  human English the Arabic was made from), or a model's output (benchmarks.stories
  --model). Arabic copies of it are duplicates of each other in Arabic.

Ground truth: ``doc`` (the source document: the same story, and within one language, of
the copies and originals, the same duplicate group) and ``event`` (ntrex's labelled event:
pieces of other documents about the same event are not counted either way for stories, and
reported on their own as "independent reports").
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSLOOM_SHARED_DATA") or ROOT.parent / "shared" / "data")
BASE = datetime(2026, 11, 20, tzinfo=UTC)  # every article lands within a week of this

# ntrex documents that report the same event (different outlets, written independently)
NTREX_EVENTS: dict[str, tuple[str, ...]] = {
    "sulawesi-tsunami": (
        "nytimes.184837",
        "euronews-en.153835",
        "reuters.218863",
        "nytimes.184860",
        "telegraph.405422",
        "reuters.218865",
        "euronews-en.153797",
        "newsweek.51340",
    ),
    "macedonia-referendum": ("rt.com.91337", "reuters.218932"),
    "hurricane-rosa": ("abcnews.306815", "newsweek.51338"),
    "livingston-rangers": ("bbc.381746", "scotsman.133791"),
    "wayde-sims-arrest": ("cbsnews.248387", "reuters.218909"),
    "warren-2020": ("newsweek.51300", "abcnews.306755"),
    "north-korea-trust": ("cnbc.com.6769", "reuters.218861"),
    # CNN's two pieces share paragraphs word for word; Newsweek's quote the same speech
    "trump-west-virginia": ("cnn.304447", "newsweek.51310", "cnn.304489", "newsweek.51330"),
    "ryder-cup-2018": (
        "independent.226301",
        "reuters.218923",
        "reuters.218914",
        "scotsman.133758",
        "euronews-en.153826",
    ),
    "muallem-un-speech": ("thelocal.65969", "euronews-en.153799"),
}
# ntrex documents that share a subject but are different stories (hard negatives)
NTREX_SUBJECTS: dict[str, tuple[str, ...]] = {
    "kavanaugh": (
        "cbsnews.248384",
        "cbsnews.248471",
        "newsweek.51328",
        "telegraph.405413",
        "cbsnews.248394",
    ),
    "brexit": ("reuters.218882", "bbc.381680", "dailymail.co.uk.298696", "scotsman.133783"),
    "kanye-west": ("bbc.381647", "newsweek.51329"),
    "palin": ("cnn.304478", "newsweek.51339"),
    "rangers": ("bbc.381746", "scotsman.133791", "scotsman.133801"),
    "global-citizen": ("scotsman.133744", "newsweek.51318"),
}

# fixed outlet names for the Arabic side (boilerplate from real Arabic pages)
ARABIC_OUTLETS = ("ar_wire", "ar_daily", "ar_tv", "ar_web")


@dataclass
class Doc:
    """A document as paragraphs; ``en`` holds the English of each paragraph for a version
    in another language (None: the document is English)."""

    title: str
    paras: list[str]
    en_title: str | None = None
    en: list[str] | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paras)

    @property
    def text_en(self) -> str | None:
        return None if self.en is None else "\n".join(self.en)


@dataclass
class Item:
    """One benchmark article and its ground truth."""

    key: str  # the article_id it gets
    outlet: str
    language: str
    published_at: datetime
    doc: Doc
    source: str  # naeb | ntrex | multilingual
    group: str  # source document id: the same story
    kind: str  # original | copy | rewrite | version
    event: str | None = None  # ntrex event label
    edits: list[str] = field(default_factory=list)


@dataclass
class Source:
    """A source document before re-publication."""

    source: str
    group: str
    outlet: str
    language: str
    day: datetime
    doc: Doc
    arabic: Doc | None = None  # the ntrex Arabic side, with ``en`` = the English lines
    event: str | None = None


# ---- reading the data ------------------------------------------------------------------------
def page_lines(raw: bytes) -> list[str]:
    """Short text lines of a saved page (candidate boilerplate), in page order."""
    try:
        doc = lxml_html.fromstring(raw)
    except (ValueError, TypeError):
        return []
    for bad in doc.xpath("//script|//style|//noscript|//svg|//template"):
        bad.drop_tree()
    out: list[str] = []
    for el in doc.iter("p", "li", "a", "h2", "h3", "h4", "span", "div", "footer", "button"):
        text = " ".join((el.text or "").split())
        if 4 <= len(text.split()) <= 25 and text not in out:
            out.append(text)
    return out


def _boilerplate(raw: bytes, body: str) -> list[str]:
    flat = " ".join(body.split())
    return [line for line in page_lines(raw) if line not in flat][:60]


def naeb_sources() -> tuple[list[Source], dict[str, list[str]]]:
    """naeb's articles and each site's boilerplate pool."""
    root = DATA / "naeb"
    sources: list[Source] = []
    pools: dict[str, list[str]] = {}
    for entry in json.loads((root / "news_articles.json").read_text(encoding="utf-8")):
        site = re.sub(r"^https?://(www\.)?", "", entry["site"]).strip("/")
        paras = [p.strip() for p in re.split(r"\n+", entry["text"]) if p.strip()]
        if not paras:
            continue
        path = root / "html" / f"{entry['html_file']}.html.gz"
        if path.exists():
            pools.setdefault(site, []).extend(
                _boilerplate(gzip.decompress(path.read_bytes()), entry["text"])
            )
        day = datetime.fromisoformat(entry.get("date") or "2023-12-22").replace(tzinfo=UTC)
        # map December 2023 onto a week around BASE (earlier dates: the first day)
        offset = max(-6, min(2, (day - datetime(2023, 12, 22, tzinfo=UTC)).days))
        sources.append(
            Source(
                "naeb",
                f"naeb-{entry['id']}",
                site,
                "en",
                BASE + timedelta(days=offset),
                Doc(entry.get("title") or paras[0], paras),
            )
        )
    return sources, pools


def _crlf_lines(path: Path) -> list[str]:
    return [line.rstrip("\r") for line in path.read_text(encoding="utf-8").split("\n")][:-1]


def ntrex_sources(rng: random.Random) -> list[Source]:
    """ntrex's documents: the first line is the headline, the rest grouped into paragraphs of
    1-3 sentences (the same grouping on both sides)."""
    root = DATA / "ntrex-ar-en"
    ids = _crlf_lines(root / "DOCUMENT_IDS.tsv")
    en = _crlf_lines(root / "newstest2019-src.eng.txt")
    ar = _crlf_lines(root / "newstest2019-ref.arb.txt")
    docs: dict[str, list[int]] = {}
    for i, doc_id in enumerate(ids):
        docs.setdefault(doc_id.split("\t")[0], []).append(i)
    event_of = {d: e for e, members in NTREX_EVENTS.items() for d in members}
    out = []
    for doc_id, lines in docs.items():
        head, body = lines[0], lines[1:] or lines[:1]
        groups: list[list[int]] = []
        i = 0
        while i < len(body):
            size = rng.choice((1, 2, 2, 3))
            groups.append(body[i : i + size])
            i += size
        en_paras = [" ".join(en[j] for j in g) for g in groups]
        ar_paras = [" ".join(ar[j] for j in g) for g in groups]
        outlet = doc_id.rsplit(".", 1)[0]
        day = BASE + timedelta(hours=rng.uniform(0, 60))
        out.append(
            Source(
                "ntrex",
                f"ntrex-{doc_id}",
                outlet,
                "en",
                day,
                Doc(en[head], en_paras),
                arabic=Doc(ar[head], ar_paras, en[head], list(en_paras)),
                event=event_of.get(doc_id),
            )
        )
    return out


def multilingual_sources() -> list[Source]:
    root = DATA / "multilingual"
    out = []
    for path in sorted((root / "txt").glob("*.txt")):
        name = path.stem
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        meta_path = root / "metadata" / f"{name}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        language = meta.get("language") or {
            "burmese_article": "my",
            "chinese_article": "zh",
            "latvian_article": "lv",
        }.get(name, "en")
        if paras:
            out.append(
                Source(
                    "multilingual",
                    f"multilingual-{name}",
                    f"ml_{name}",
                    language,
                    BASE + timedelta(days=1),
                    Doc(meta.get("title") or paras[0], paras),
                )
            )
    return out


def arabic_boilerplate() -> list[str]:
    """Arabic lines of real Arabic pages that are not their article."""
    lines: list[str] = []
    page = DATA / "multilingual" / "html" / "arabic_article.html"
    if page.exists():
        body = (DATA / "multilingual" / "txt" / "arabic_article.txt").read_text(encoding="utf-8")
        lines += _boilerplate(page.read_bytes(), body)
    sputnik = DATA / "outlets-real" / "sputnik_ar_2020-03-17.html.gz"
    if sputnik.exists():
        lines += page_lines(gzip.decompress(sputnik.read_bytes()))[:40]
    return [line for line in lines if re.search(r"[\u0600-\u06ff]", line)]


# ---- edits -------------------------------------------------------------------------------------
EDIT_SHARE = 0.12  # one light edit adds or takes away at most this share of the words
REWRITE_ADD_SHARE = 0.2  # a rewrite takes up to this share of its words from another document
_NUMBER = re.compile(r"(?<![\w.])\d{1,6}(?![\w.])")


def _paired(doc: Doc) -> list[tuple[str, str | None]]:
    en = doc.en if doc.en is not None else [None] * len(doc.paras)
    return list(zip(doc.paras, en, strict=True))


def _unpaired(doc: Doc, pairs: list[tuple[str, str | None]], **kw: object) -> Doc:
    new = replace(doc, paras=[p for p, _ in pairs], **kw)  # type: ignore[arg-type]
    if doc.en is not None:
        new.en = [e or "" for _, e in pairs]
    return new


def _words(text: str | None) -> int:
    return len((text or "").split())


def budget_of(doc: Doc, share: float = EDIT_SHARE) -> int:
    """How many words one edit may add or take away: ``share`` of the text's words."""
    return max(6, round(_words(doc.text) * share))


def edit_boilerplate(
    doc: Doc, rng: random.Random, pool: list[str], pool_en: list[str], budget: int
) -> Doc:
    """Lines of the outlet's page leaking into the text, at its ends mostly."""
    pairs = _paired(doc)
    used = 0
    for line in rng.sample(pool, min(len(pool), rng.randint(1, 4))):
        if used + _words(line) > budget:
            continue
        used += _words(line)
        en_line = rng.choice(pool_en) if doc.en is not None and pool_en else None
        pairs.insert(rng.choice((0, len(pairs), len(pairs))), (line, en_line))
    return _unpaired(doc, pairs)


def edit_headline(doc: Doc, rng: random.Random) -> Doc:
    words = doc.title.split()
    choice = rng.randrange(3)
    if choice == 0 and len(words) > 4:
        title = " ".join(words[: len(words) * 2 // 3])
    elif choice == 1:
        title = rng.choice(("UPDATE: ", "Breaking: ", "WATCH: ")) + doc.title
    else:
        title = " ".join(doc.paras[0].split()[:14])
    return replace(doc, title=title)


def edit_cut(doc: Doc, rng: random.Random, budget: int) -> Doc:
    """One paragraph (not the lead) cut."""
    pairs = _paired(doc)
    spots = [i for i in range(1, len(pairs)) if _words(pairs[i][0]) <= budget]
    if len(pairs) < 3 or not spots:
        return doc
    del pairs[rng.choice(spots)]
    return _unpaired(doc, pairs)


def edit_truncate(doc: Doc, rng: random.Random, budget: int) -> Doc:
    """The last paragraphs cut: a shorter version."""
    pairs = _paired(doc)
    used = 0
    while len(pairs) > 2 and used + _words(pairs[-1][0]) <= budget:
        used += _words(pairs.pop()[0])
    return _unpaired(doc, pairs)


def edit_add(doc: Doc, rng: random.Random, other: Doc, budget: int) -> Doc:
    """A paragraph of another document added (background, a related quote)."""
    pairs = _paired(doc)
    spots = [
        pair
        for pair in _paired(other)
        if 6 <= _words(pair[0]) <= budget and (doc.en is None or pair[1] is not None)
    ]
    if not spots:
        return doc
    pairs.insert(rng.randint(1, len(pairs)), rng.choice(spots))
    return _unpaired(doc, pairs)


def edit_figure(doc: Doc, rng: random.Random) -> Doc:
    """An updated figure (a toll, a count) in one paragraph, on both sides of a version."""
    pairs = _paired(doc)
    spots = [i for i, (p, _) in enumerate(pairs) if _NUMBER.search(p)]
    if not spots:
        return doc
    i = rng.choice(spots)
    src, en = pairs[i]
    old = rng.choice(_NUMBER.findall(src))
    new = str(int(old) + rng.randint(1, max(2, int(old) // 5)))
    src = src.replace(old, new, 1)
    if en is not None:
        en = en.replace(old, new, 1)
    pairs[i] = (src, en)
    return _unpaired(doc, pairs)


_QUOTE = re.compile(r"[\"“”«»]")


def edit_reorder(doc: Doc, rng: random.Random) -> Doc:
    """Two paragraphs swapped, quoted ones when there are any."""
    pairs = _paired(doc)
    if len(pairs) < 3:
        return doc
    quoted = [i for i, (p, _) in enumerate(pairs) if _QUOTE.search(p) and i > 0]
    pool = quoted if len(quoted) >= 2 else list(range(1, len(pairs)))
    if len(pool) < 2:
        return doc
    a, b = rng.sample(pool, 2)
    pairs[a], pairs[b] = pairs[b], pairs[a]
    return _unpaired(doc, pairs)


_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")


def edit_resegment(doc: Doc, rng: random.Random) -> Doc:
    """Two paragraphs merged, or one split at a sentence end (outlets break text their way)."""
    pairs = _paired(doc)
    if len(pairs) < 2:
        return doc
    i = rng.randrange(len(pairs) - 1)
    if rng.random() < 0.5:
        (a, ae), (b, be) = pairs[i], pairs[i + 1]
        pairs[i : i + 2] = [(f"{a} {b}", None if ae is None else f"{ae} {be}")]
    else:
        parts = _SENTENCE.split(pairs[i][0], maxsplit=1)
        if len(parts) == 2 and pairs[i][1] is None:
            pairs[i : i + 1] = [(parts[0], None), (parts[1], None)]
    return _unpaired(doc, pairs)


def edit_typography(doc: Doc, rng: random.Random) -> Doc:
    def plain(text: str) -> str:
        return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")

    return replace(doc, title=plain(doc.title), paras=[plain(p) for p in doc.paras])


LIGHT_EDITS = (
    "boilerplate",
    "headline",
    "cut",
    "add",
    "figure",
    "reorder",
    "resegment",
    "truncate",
    "typography",
)


def light_edit(
    doc: Doc,
    rng: random.Random,
    pool: list[str],
    pool_en: list[str],
    other: Doc,
    count: int | None = None,
) -> tuple[Doc, list[str]]:
    """2-4 edits (``count``) that each changed something, each within the word budget."""
    want = count or rng.randint(2, 4)
    budget = budget_of(doc)
    applied: list[str] = []
    for name in rng.sample(LIGHT_EDITS, len(LIGHT_EDITS)):
        new = _apply(name, doc, rng, pool, pool_en, other, budget)
        if new != doc:
            doc = new
            applied.append(name)
        if len(applied) == want:
            break
    return doc, applied


def _apply(
    name: str,
    doc: Doc,
    rng: random.Random,
    pool: list[str],
    pool_en: list[str],
    other: Doc,
    budget: int,
) -> Doc:
    if name == "boilerplate":
        return edit_boilerplate(doc, rng, pool, pool_en, budget)
    if name == "headline":
        return edit_headline(doc, rng)
    if name == "cut":
        return edit_cut(doc, rng, budget)
    if name == "add":
        return edit_add(doc, rng, other, budget)
    if name == "figure":
        return edit_figure(doc, rng)
    if name == "reorder":
        return edit_reorder(doc, rng)
    if name == "resegment":
        return edit_resegment(doc, rng)
    if name == "truncate":
        return edit_truncate(doc, rng, budget)
    return edit_typography(doc, rng)


def rewrite(
    doc: Doc, rng: random.Random, pool: list[str], pool_en: list[str], other: Doc
) -> tuple[Doc, list[str]]:
    """A heavier re-use: the lead and a half to two thirds of the rest kept, up to a fifth
    of the words from another document added, plus two light edits."""
    pairs = _paired(doc)
    keep = max(2, round(len(pairs) * rng.uniform(0.5, 0.67)))
    kept = pairs[:1] + sorted(rng.sample(pairs[1:], min(keep - 1, len(pairs) - 1)), key=pairs.index)
    new = _unpaired(doc, kept)
    new = edit_add(new, rng, other, budget_of(doc, REWRITE_ADD_SHARE))
    new, names = light_edit(new, rng, pool, pool_en, other, count=2)
    return new, ["rewrite", *names]


# ---- building a part ---------------------------------------------------------------------------
def _part_of(key: str) -> str:
    return "tune" if hashlib.sha256(key.encode()).digest()[0] % 2 == 0 else "heldout"


def _article_id(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@dataclass
class Dataset:
    part: str
    items: list[Item]

    def by_key(self) -> dict[str, Item]:
        return {item.key: item for item in self.items}


def build(part: str, seed: int, *, copies: float = 1.0) -> Dataset:
    """The articles of one part (``tune`` or ``heldout``; ``all`` for both), seeded."""
    rng = random.Random(seed)
    naeb, pools = naeb_sources()
    ntrex = ntrex_sources(random.Random(7))  # paragraph grouping: the same in every part
    sources = naeb + ntrex + multilingual_sources()

    def part_key(src: Source) -> str:
        if src.source == "naeb":
            return src.outlet  # both articles of a site in one part (same-outlet negatives)
        return src.event or src.group

    sources = [s for s in sources if part == "all" or _part_of(part_key(s)) == part]
    outlets = sorted(pools)
    ar_pool = arabic_boilerplate()
    en_pool = [line for lines in pools.values() for line in lines]
    items: list[Item] = []

    def pool_of(outlet: str) -> list[str]:
        return ar_pool if outlet in ARABIC_OUTLETS else pools.get(outlet, [])

    def other_doc(src: Source, arabic: bool) -> Doc:
        """Another document in the same language (a version: another version)."""
        if arabic:
            pick = rng.choice([s for s in sources if s.arabic is not None and s is not src])
            return pick.arabic or pick.doc
        same = [s for s in sources if s.language == src.language and s is not src]
        return rng.choice(same or [s for s in sources if s is not src]).doc

    for src in sources:
        versions: list[tuple[str, str, Doc, datetime]] = [
            (src.language, src.outlet, src.doc, src.day)
        ]
        if src.arabic is not None:
            when = src.day + timedelta(hours=rng.uniform(-12, 24))
            versions.append(("ar", rng.choice(ARABIC_OUTLETS), src.arabic, when))
        for language, outlet, doc, when in versions:
            arabic = language == "ar" and doc.en is not None
            first = doc
            if rng.random() < 0.5:  # the outlet's own leaks
                first = edit_boilerplate(doc, rng, pool_of(outlet), en_pool, budget_of(doc))
            kind = "original" if language == src.language else "version"
            items.append(
                Item(
                    _article_id(src.group, language, "0"),
                    outlet,
                    language,
                    when,
                    first,
                    src.source,
                    src.group,
                    kind,
                    src.event,
                )
            )
            n_copies = rng.choice((0, 1, 1, 2, 3)) if rng.random() < copies else 0
            for c in range(n_copies):
                outlet_c = (
                    rng.choice([o for o in ARABIC_OUTLETS if o != outlet])
                    if language == "ar"
                    else rng.choice(outlets)
                )
                new, names = light_edit(
                    doc, rng, pool_of(outlet_c), en_pool, other_doc(src, arabic)
                )
                items.append(
                    Item(
                        _article_id(src.group, language, f"copy{c}"),
                        outlet_c,
                        language,
                        when + timedelta(hours=rng.uniform(0.2, 36)),
                        new,
                        src.source,
                        src.group,
                        "copy",
                        src.event,
                        names,
                    )
                )
            if rng.random() < 0.25:
                outlet_r = rng.choice(ARABIC_OUTLETS if language == "ar" else tuple(outlets))
                new, names = rewrite(doc, rng, pool_of(outlet_r), en_pool, other_doc(src, arabic))
                items.append(
                    Item(
                        _article_id(src.group, language, "rewrite"),
                        outlet_r,
                        language,
                        when + timedelta(hours=rng.uniform(1, 48)),
                        new,
                        src.source,
                        src.group,
                        "rewrite",
                        src.event,
                        names,
                    )
                )
    return Dataset(part, items)


def iter_pairs(items: list[Item]) -> Iterator[tuple[Item, Item]]:
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            yield a, b


# ---- a stand-in for machine translation's differences from a human translation -------------
def mt_noise(text: str, rate: float, rng: random.Random, vocabulary: list[str]) -> str:
    """``text`` with each word replaced, with probability ``rate``, by a word drawn from
    ``vocabulary`` (another lexical choice, a transliteration, a mistranslation), and
    neighbouring words swapped with probability ``rate / 4`` (another word order)."""
    out_lines = []
    for line in text.split("\n"):
        words = line.split()
        for i in range(len(words)):
            if rng.random() < rate:
                words[i] = rng.choice(vocabulary)
        for i in range(len(words) - 1):
            if rng.random() < rate / 4:
                words[i], words[i + 1] = words[i + 1], words[i]
        out_lines.append(" ".join(words))
    return "\n".join(out_lines)
