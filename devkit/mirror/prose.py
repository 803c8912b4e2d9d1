"""A small composer of deterministic news prose from per-outlet "beats".

A :class:`Beat` is one recurring kind of story (a ministerial visit, a price report, a Senate
vote): titles, lead sentences, detail sentences, optional closings and standalone quotes, all
templates with ``{slot}`` placeholders. :func:`compose` picks a lead, a sample of details and
maybe a closing, fills the slots from a value dict the outlet module draws (places, numbers,
names) and groups the sentences into paragraphs. Everything comes from the caller's
:class:`random.Random`, so a seed always gives the same corpus.

The banks of beats live in :mod:`devkit.mirror.text_ar` and :mod:`devkit.mirror.text_en`.
Sentences are written so that the extractor's boilerplate filter never mistakes them for page
furniture (no "Read more:", "Follow us", "The report was ..." openings, no "newsletter" next to
"subscribe"), because the composed paragraphs are the truth the pipeline is measured against.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Beat:
    key: str
    section: str
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str | tuple[str, int], ...]  # (sentence, lead index) follows only that lead
    closings: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()  # a quotation that can stand in its own block
    pool: str = ""  # which value pool the outlet module draws the slots from
    tags: tuple[str, ...] = ()  # slot names whose values become the story's tags


@dataclass(frozen=True)
class Composed:
    """One story: what the page shows and what a perfect extractor returns."""

    beat: str
    section: str
    title: str
    lead: str
    body: tuple[str, ...]  # paragraphs after the lead
    quote: str | None  # a standalone quotation, placed by the site module
    tags: tuple[str, ...]
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return (self.lead, *self.body)


def group(rng: random.Random, sentences: Sequence[str], n_paras: int) -> list[str]:
    """Sentences into ``n_paras`` paragraphs of one to three sentences, order kept."""
    n_paras = max(1, min(n_paras, len(sentences)))
    n_paras = max(n_paras, -(-len(sentences) // 3))
    sizes = [1] * n_paras
    extra = len(sentences) - n_paras
    while extra > 0:
        i = rng.randrange(n_paras)
        if sizes[i] < 3:
            sizes[i] += 1
            extra -= 1
    out, pos = [], 0
    for s in sizes:
        out.append(" ".join(sentences[pos : pos + s]))
        pos += s
    return out


def compose(
    rng: random.Random,
    beat: Beat,
    values: Mapping[str, object],
    *,
    details: tuple[int, int] = (3, 5),
    paragraphs: tuple[int, int] = (3, 5),
    one_sentence_paragraphs: bool = False,
    with_quote: bool = False,
) -> Composed:
    """One story from ``beat`` with its slots filled from ``values``."""

    def fill(template: str) -> str:
        text = template.format(**values)
        return text[0].upper() + text[1:] if text[:1].isascii() else text

    k = rng.randrange(len(beat.leads))
    lead = fill(beat.leads[k])
    # titles pair with leads when there are as many of each (title i tells lead i's story)
    title = beat.titles[k] if len(beat.titles) == len(beat.leads) else rng.choice(beat.titles)
    pool = [
        d if isinstance(d, str) else d[0] for d in beat.details if isinstance(d, str) or d[1] == k
    ]
    n = rng.randint(min(details[0], len(pool)), min(details[1], len(pool)))
    sentences = [fill(s) for s in rng.sample(pool, n)]
    if beat.closings and rng.random() < 0.7:
        sentences.append(fill(rng.choice(beat.closings)))
    if one_sentence_paragraphs:
        body = sentences
    else:
        body = group(rng, sentences, rng.randint(paragraphs[0] - 1, paragraphs[1] - 1))
    quote = fill(rng.choice(beat.quotes)) if with_quote and beat.quotes else None
    tags = tuple(str(values[t]) for t in beat.tags if t in values)
    return Composed(
        beat.key, fill(beat.section), fill(title), lead, tuple(body), quote, tags, dict(values)
    )


def unique_stories(
    rng: random.Random, n: int, make: Callable[[random.Random, int], Composed]
) -> list[Composed]:
    """``n`` stories with distinct titles and leads; ``make(rng, i)`` composes the i-th."""
    out: list[Composed] = []
    titles: set[str] = set()
    leads: set[str] = set()
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 200 * n:
            raise RuntimeError("the beats cannot give that many distinct stories")
        story = make(rng, len(out))
        if story.title in titles or story.lead in leads:
            continue
        titles.add(story.title)
        leads.add(story.lead)
        out.append(story)
    return out


def rotation(rng: random.Random, beats: Sequence[Beat]) -> Callable[[int], Beat]:
    """The i-th story's beat: the beats in a shuffled cycle, so topics spread evenly."""
    order = list(beats)
    rng.shuffle(order)
    return lambda i: order[i % len(order)]


def weekday_name(lang: str, when: datetime) -> str:
    """The weekday of ``when`` (in its own zone) as a story names it."""
    if lang == "ar":
        return ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")[
            when.weekday()
        ]
    return when.strftime("%A")


def ar_count(rng: random.Random, lo: int, hi: int) -> int:
    """A number whose last two digits (11-99) take a singular accusative noun in Arabic."""
    while True:
        value = rng.randint(lo, hi)
        if 11 <= value % 100 <= 99:
            return value
