"""Stories the mirror's outlets share, as real outlets do (what story links must find):

- ``repost``: an outlet posts one of its articles again at a new URL a few hours to two days
  later, edited: its last paragraph cut, a line of update added to the first.
- ``agency``: an agency story of the day, carried by several outlets of one language, each
  under its own dateline, some cut short, with the agency credited at the end.
- ``translation``: SOHR and Sputnik publish one story in Arabic and in English (the English
  a translation of the Arabic: the same sentences, one for one, :attr:`Shared.pairs`).

:func:`share` rewrites the title and paragraphs of some of the catalog's stored pages (never
their number, URL, time or layout, so the catalog's traps, listings and counts stay as they
were). Each outlet's rewrites depend on the seed, the day and its own pages only, so a
catalog built for some outlets holds the very pages of the full one. :attr:`Catalog.shared`
lists the groups.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from devkit.mirror.catalog import MirrorPage
from devkit.mirror.local import local_pair, local_rng
from devkit.mirror.prose import PLACES, story

REPOST = "repost"
AGENCY = "agency"
TRANSLATION = "translation"
KINDS = (REPOST, AGENCY, TRANSLATION)

REPOST_SHARE = 0.04  # of an outlet's stored pages: re-posts of an earlier one
AGENCY_CARRIERS: Mapping[str, tuple[str, ...]] = {
    "en": ("sohr_en", "npa_en", "enab_en", "levant_daily", "sputnik_en"),
    "ar": ("sohr_ar", "npa_ar", "enab_ar", "sputnik_ar"),
}
AGENCY_DAY_SHARE = 0.5  # days with an agency story, per language
AGENCY_CARRY_SHARE = 0.5  # of the carriers, on such a day
AGENCY_NAME = {"en": "Levant News Agency", "ar": "وكالة أنباء المشرق"}
AGENCY_MARK = {"en": "(LNA)", "ar": "(و.أ.م)"}  # ends an agency story's title
TWINS: tuple[tuple[str, str], ...] = (("sohr_ar", "sohr_en"), ("sputnik_ar", "sputnik_en"))
TWIN_DAY_SHARE = 0.5
# pages whose bytes are a trap of their own keep their text
_SPECIAL = ("charset", "legacy_link", "status", "tag")
_SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)")
# where the mirror's outlets end their datelines (a copy keeps its page's own)
_DATELINE_ENDS = ("::", "Rights:", "نورث برس:", "(North Press) – ")


@dataclass(frozen=True)
class Shared:
    """One story several pages carry: the original first (by time), then the others."""

    kind: str  # repost | agency | translation
    urls: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()  # translation: (Arabic, English) sentences


def _chance(*parts: object) -> float:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _day(page: MirrorPage) -> date:
    return page.listed_on or page.published_at.date()


def _fit(paragraphs: list[str], n: int) -> list[str]:
    """``n`` paragraphs: beyond n, the rest joined into the last; short of n, the paragraph
    of most sentences split in two (at a sentence's end) until there are n."""
    out = [p for p in [*paragraphs[: n - 1], " ".join(paragraphs[n - 1 :])] if p]
    while len(out) < n:
        count, j = max((len(_SENTENCE_END.findall(p)), j) for j, p in enumerate(out))
        if count < 2:
            break  # nothing left to split: fewer paragraphs
        ends = [m.end() for m in _SENTENCE_END.finditer(out[j])]
        cut = ends[len(ends) // 2 - 1]
        out[j : j + 1] = [out[j][:cut].strip(), out[j][cut:].strip()]
    return out


def _dateline(first: str) -> str | None:
    for end in _DATELINE_ENDS:
        j = first.find(end)
        if 0 <= j <= 90:
            return first[: j + len(end)]
    return None


def _slots(page: MirrorPage) -> int:
    """How many paragraphs a story written into ``page`` fills (its dateline paragraph, when
    it has one of its own, stays)."""
    line = _dateline(page.paragraphs[0])
    own = line is not None and len(line) >= len(page.paragraphs[0].rstrip())
    return len(page.paragraphs) - own


def _dated(page: MirrorPage, body: list[str]) -> tuple[str, ...]:
    """``body`` (``_slots(page)`` paragraphs) under ``page``'s own dateline."""
    line = _dateline(page.paragraphs[0])
    if _slots(page) < len(page.paragraphs):  # a dateline paragraph of its own: kept
        return (page.paragraphs[0], *body)
    out = list(body)
    if line is not None:
        out[0] = f"{line.rstrip()} {out[0]}"
    return tuple(out)


def share(
    pages: list[MirrorPage], extras: Mapping[str, Mapping[str, Any]], seed: int
) -> tuple[list[MirrorPage], tuple[Shared, ...]]:
    """The pages with the shared stories written in, and the groups."""
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pages):
        if (
            p.expect == "stored"
            and p.dates == "real"
            and len(p.paragraphs) >= 3
            and not any(k in extras.get(p.url, {}) for k in _SPECIAL)
        ):
            by_outlet[p.outlet].append(i)
    out = list(pages)
    taken: set[int] = set()
    groups: list[Shared] = []
    groups += _reposts(out, by_outlet, taken, seed)
    groups += _agency(out, by_outlet, taken, seed)
    groups += _twins(out, by_outlet, taken, seed)
    _unique_titles(out, taken)
    return out, tuple(groups)


def _unique_titles(pages: list[MirrorPage], changed: set[int]) -> None:
    """A rewritten page whose title a newer rewritten page of its outlet has gets a running
    number (as sites number a follow-up; newest first, as the catalog numbers its own)."""
    used: dict[str, set[str]] = defaultdict(set)
    order = sorted(changed, key=lambda i: (pages[i].published_at, pages[i].url), reverse=True)
    for i in order:
        page, n = pages[i], 2
        title = page.title
        while title in used[page.outlet]:
            title, n = f"{page.title} ({n})", n + 1
        used[page.outlet].add(title)
        if title != page.title:
            pages[i] = replace(page, title=title)


def _pick(
    pages: list[MirrorPage], slots: Iterable[int], day: date, taken: set[int], *key: object
) -> int | None:
    """One free page of that local day (the same one whatever else the outlet carries)."""
    free = [i for i in slots if _day(pages[i]) == day and i not in taken]
    if not free:
        return None
    return min(free, key=lambda i: _chance(*key, pages[i].url))


def _reposts(
    pages: list[MirrorPage], by_outlet: dict[str, list[int]], taken: set[int], seed: int
) -> list[Shared]:
    groups = []
    for _, slots in sorted(by_outlet.items()):
        ordered = sorted(slots, key=lambda i: (pages[i].published_at, pages[i].url))

        def chosen(i: int) -> bool:
            return _chance(seed, REPOST, pages[i].url) < REPOST_SHARE

        for j, i in enumerate(ordered):
            page = pages[i]
            if not chosen(i):
                continue
            # the source: the outlet's latest page 6 to 48 hours earlier, unless it is a
            # re-post itself (decided by the two pages alone, so that a catalog of more days
            # re-posts the same pages)
            earlier = [
                k
                for k in ordered[:j]
                if 6 * 3600 <= (page.published_at - pages[k].published_at).total_seconds()
            ]
            if not earlier:
                continue
            k = earlier[-1]
            src = pages[k]
            if chosen(k) or (page.published_at - src.published_at).total_seconds() > 48 * 3600:
                continue
            body = list(src.paragraphs)
            lang = src.language
            update = "(تحديث)" if lang == "ar" else "(Updated)"
            at = len(body) - _slots(src)  # the source's own dateline paragraph is left out
            body = _fit([f"{body[at]} {update}", *body[at + 1 : -1]], _slots(page))
            if len(body) < _slots(page):
                continue
            pages[i] = replace(page, title=f"{src.title} {update}", paragraphs=_dated(page, body))
            taken.update((i, k))
            groups.append(Shared(REPOST, (src.url, page.url)))
    return groups


def _agency_story(seed: int, day: date, lang: str) -> tuple[str, list[str]]:
    rng = local_rng("agency", seed, day, lang)
    s = story(rng, lang, "syria", day, paragraphs=(10, 10), source=AGENCY_NAME[lang])
    return f"{s.title} {AGENCY_MARK[lang]}", list(s.paragraphs)


def _agency(
    pages: list[MirrorPage], by_outlet: dict[str, list[int]], taken: set[int], seed: int
) -> list[Shared]:
    days = sorted({_day(pages[i]) for slots in by_outlet.values() for i in slots})
    groups = []
    for lang, carriers in AGENCY_CARRIERS.items():
        for day in days:
            if _chance(seed, AGENCY, lang, day) >= AGENCY_DAY_SHARE:
                continue
            title, paragraphs = _agency_story(seed, day, lang)
            credit = (
                f"نشرت {AGENCY_NAME[lang]} هذا الخبر."
                if lang == "ar"
                else f"This report was distributed by the {AGENCY_NAME[lang]}."
            )
            urls = []
            for outlet in carriers:
                if _chance(seed, AGENCY, outlet, day) >= AGENCY_CARRY_SHARE:
                    continue
                i = _pick(pages, by_outlet.get(outlet, ()), day, taken, seed, AGENCY, outlet)
                if i is None:
                    continue
                page = pages[i]
                body = list(paragraphs)
                if _chance(seed, AGENCY, "cut", outlet, day) < 0.5:
                    body = body[:-1]  # cut short
                body = _fit(body, _slots(page))
                if len(body) < _slots(page):
                    continue
                body[-1] = f"{body[-1]} {credit}"
                pages[i] = replace(page, title=title, paragraphs=_dated(page, body))
                taken.add(i)
                urls.append(i)
            if len(urls) >= 2:
                ordered = sorted(urls, key=lambda i: (pages[i].published_at, pages[i].url))
                groups.append(Shared(AGENCY, tuple(pages[i].url for i in ordered)))
    return groups


# ---- translated versions: parallel sentences ---------------------------------------------------
_TWIN_TITLES = (
    ("{k} جرحى بانفجار في {town}", "{k} wounded in an explosion in {town}"),
    ("احتجاجات في {town} على انقطاع المياه", "Protests in {town} over water cuts"),
    ("حريق يلتهم محاصيل قرب {town}", "Fire destroys crops near {town}"),
    ("اعتقال {k} أشخاص في {town}", "{k} people arrested in {town}"),
)
_TWIN_LEADS = (
    (
        "أصيب {k} أشخاص بجروح في انفجار وقع في سوق بلدة {town} في {region}.",
        "{k} people were wounded in an explosion at the market of {town} in {region}.",
    ),
    (
        "خرج عشرات من أهالي {town} في {region} في احتجاج على انقطاع مياه الشرب منذ {k} أيام.",
        "Dozens of residents of {town} in {region} protested against a cut in drinking water "
        "that has lasted {k} days.",
    ),
    (
        "التهم حريق مساحات واسعة من حقول القمح قرب {town} في {region}.",
        "A fire destroyed large areas of wheat fields near {town} in {region}.",
    ),
    (
        "اعتقلت قوات الأمن {k} أشخاص خلال مداهمات في {town} في {region}.",
        "Security forces arrested {k} people during raids in {town} in {region}.",
    ),
)


def twin_story(
    seed: int, day: date, pair: tuple[str, str]
) -> tuple[str, str, list[tuple[str, str]]]:
    """The Arabic and English titles of a translated story and its sentences, (Arabic,
    English) one for one: a lead, then the story's own detail."""
    rng = local_rng(TRANSLATION, seed, day, *pair)
    place = rng.choice(PLACES)
    k = rng.randint(3, 9)
    t = rng.randrange(len(_TWIN_TITLES))
    ar_v = {"town": place[0], "region": place[2], "k": k}
    en_v = {"town": place[3], "region": place[5], "k": k}
    title_ar, title_en = _TWIN_TITLES[t][0].format(**ar_v), _TWIN_TITLES[t][1].format(**en_v)
    lead = (_TWIN_LEADS[t][0].format(**ar_v), _TWIN_LEADS[t][1].format(**en_v))
    pairs = [local_pair(rng) for _ in range(14)]
    # the lead's sentence, kept short: its template words are common to many stories
    pairs.insert(
        0, (lead[0].split("،")[0].rstrip(".") + ".", lead[1].split(",")[0].rstrip(".") + ".")
    )
    return title_ar, title_en, pairs


def _paragraphs(sentences: list[str], n: int) -> list[str]:
    """Sentences grouped into ``n`` paragraphs, in order, as evenly as they go."""
    size, extra = divmod(len(sentences), n)
    out, at = [], 0
    for j in range(n):
        take = size + (j < extra)
        out.append(" ".join(sentences[at : at + take]))
        at += take
    return out


def _twins(
    pages: list[MirrorPage], by_outlet: dict[str, list[int]], taken: set[int], seed: int
) -> list[Shared]:
    groups = []
    for pair in TWINS:
        days = sorted({_day(pages[i]) for o in pair for i in by_outlet.get(o, ())})
        for day in days:
            if _chance(seed, TRANSLATION, *pair, day) >= TWIN_DAY_SHARE:
                continue
            title_ar, title_en, pairs = twin_story(seed, day, pair)
            chosen = []
            for outlet, title, side in ((pair[0], title_ar, 0), (pair[1], title_en, 1)):
                i = _pick(pages, by_outlet.get(outlet, ()), day, taken, seed, TRANSLATION, outlet)
                if i is None:
                    continue
                page = pages[i]
                body = _paragraphs([p[side] for p in pairs], _slots(page))
                pages[i] = replace(page, title=title, paragraphs=_dated(page, body))
                taken.add(i)
                chosen.append(i)
            if len(chosen) == 2:
                ordered = sorted(chosen, key=lambda i: (pages[i].published_at, pages[i].url))
                groups.append(
                    Shared(TRANSLATION, tuple(pages[i].url for i in ordered), tuple(pairs))
                )
    return groups
