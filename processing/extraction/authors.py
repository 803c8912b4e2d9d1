"""Authors and the news agencies a page credits.

``byline()`` returns the people who wrote the article (``authors``) and, apart from them, the
news agencies it credits (``sources``: AFP, Reuters, سانا…). Sources of names, most trusted
first: the outlet's selector; JSON-LD ``author`` people (``@id`` references resolved), kept to
those another source confirms when some are (an editor or a photographer listed beside the
writer); the visible byline under the headline ("By Jane Doe and John Roe", "بقلم …") and
links to author pages there; author meta tags; byline markup outside lists of other articles;
trafilatura's byline search. The publication's own name, an organisation named as the
author, or an agency counts only when nothing names a person.

Names are cleaned (:func:`clean_authors`): "By"/"Par"/"بقلم" and roles ("Staff Writer",
"- Contributing Writer", "Games Editor"), credentials ("MS, RDN"), dates and times after the
name, URLs and e-mail addresses are removed; "A, B and C" and "أ و ب" are split; "X as told
to Y" is Y; a name the page credits with another role ("Photography by …") is not an author.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from processing.core.jsontypes import JSONObject, JSONValue
from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import names as _names
from processing.extraction.jsonld import types as _types
from processing.extraction.titles import key as _key
from processing.extraction.titles import site_names

_BY_WORDS = (
    r"view all posts by|posts by|written by|words by|story by|reporting by|text by|by|par|por"
    r"|von|di|door|av|af|بقلم|بواسطة|كتب|كتبت|كتبه|إعداد|اعداد|تحرير|تقرير"
)
_AUTHOR_PREFIX = re.compile(rf"^(?:{_BY_WORDS})\s*:?\s+", re.IGNORECASE)
# "و" ("and") only as a separate word: many names start with it (وليد، وائل، وسام)
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:;|\||,|،|&|/|•|\band\b|\bund\b|\bet\b|\by\b|\se\s|\s+و\s+)\s*", re.IGNORECASE
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# what follows a name in a byline: a date or time, "Updated …", "Published …", a role
_AFTER_NAME = re.compile(
    rf"\s+(?:(?:on|updated|published|posted|last updated)\b.*"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}\b.*|\d{{1,2}}\s+(?:{_MONTHS})\b.*|\d{{1,4}}[./-]\d.*"
    r"|\d{1,2}:\d{2}.*|(?:link copied|share|follow)\b.*)$",
    re.IGNORECASE,
)
_DESK = (
    r"senior|staff|contributing|executive|managing|deputy|associate|assistant|chief|lead"
    r"|principal|special|guest|freelance|national|international|foreign|political|politics"
    r"|business|news|sports?|games|gaming|tech|technology|science|health|city|local|features?"
    r"|opinion|digital|content|entertainment|culture|fashion|food|travel|music|film|tv"
)
_ROLES = (
    r"editor|writer|reporter|correspondent|staff|contributor|columnist|producer|intern"
    r"|journalist|photographer|critic|analyst"
)
_AUTHOR_ROLE = re.compile(
    r"\s+[-–—]\s+.*$"  # "Jane Doe - Contributing Writer"
    # "Ben Silverman Games Editor", "Chicago Tribune staff", "Jon Talton Columnist"
    rf"|(?:\s+(?:{_DESK}))*\s+(?:{_ROLES})s?$",
    re.IGNORECASE,
)
# "MS, RDN" after a name; never a generation ("George T. Conway III")
_CREDENTIALS = re.compile(
    r"(?:\s+(?!(?:II|III|IV|VI|VII|VIII|Jr|Sr)\b)(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?)\b\.?)+$"
)
_CREDENTIAL = re.compile(r"^(?:[A-Z]{1,4}|Ph\.?D\.?|M\.?D\.?)$")  # "MS", "RDN": not a name
_AS_TOLD = re.compile(r"^.*?\bas told to\s+", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"https?:|www\.|@|\d|^(?:sponsored|staff|admin|administrator|editor|editorial|editors"
    r"|updated|published|posted|share|follow|none|null|unknown|username|user|guest|anonymous"
    r"|authority control|contributors?|author|authors|by|par|por|von|more|news|last|people"
    r"|(?:(?:{m})\.?))$"
    r"|\b(?:officer|head of|director|president|contributing|correspondent|staff (?:writer|reporter)"
    r"|editor in chief)\b".replace("{m}", _MONTHS),
    re.IGNORECASE,
)
_JUNK_BYLINE = re.compile(r"\bhttps?\b|\bwww\b|\.(?:png|jpe?g|gif|svg)\b", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"[(\[]\s*[)\]]")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_NAME_TAIL = re.compile(r"^(?P<name>.+?)\s*(?:[.,|/]|\s[-–—])\s*(?P<tail>[^.,|/]{2,60})$")

# News agencies whose credit on any page is a source, not a person: international wires and
# national agencies, each under one name (the key) with the forms bylines and datelines use,
# Latin and Arabic script. An outlet adds the agencies it credits through its profile
# (``ExtractionProfile.agencies``: (form, name) pairs).
AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "فرانس برس", "أ ف ب",
            "أ.ف.ب", "ا ف ب", "وكالة فرانس برس", "فرانس برس (أ ف ب)"),
    "Reuters": ("Reuters", "Thomson Reuters", "رويترز", "وكالة رويترز"),
    "The Associated Press": ("AP", "Associated Press", "The Associated Press", "أسوشيتد برس",
                             "اسوشيتد برس", "أ ب"),
    "dpa": ("dpa", "Deutsche Presse-Agentur", "د ب أ", "د.ب.أ"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Xinhua": ("Xinhua", "Xinhua News Agency", "شينخوا", "وكالة شينخوا"),
    "Kyodo": ("Kyodo", "Kyodo News", "كيودو"),
    "Yonhap": ("Yonhap", "Yonhap News Agency", "يونهاب"),
    "UPI": ("UPI", "United Press International"),
    "PA Media": ("PA", "PA Media", "Press Association"),
    "AAP": ("AAP", "Australian Associated Press"),
    "PTI": ("PTI", "Press Trust of India"),
    "ANI": ("ANI",),
    "IANS": ("IANS",),
    "Bernama": ("Bernama",),
    "Anadolu Agency": ("Anadolu", "Anadolu Agency", "AA", "الأناضول", "وكالة الأناضول"),
    "TASS": ("TASS", "تاس", "وكالة تاس"),
    "Interfax": ("Interfax", "إنترفاكس"),
    "RIA Novosti": ("RIA Novosti", "نوفوستي", "ريا نوفوستي"),
    "IRNA": ("IRNA", "إرنا", "ارنا"),
    "WAFA": ("WAFA", "وفا"),
    "KUNA": ("KUNA", "كونا"),
    "QNA": ("QNA", "قنا"),
    "WAM": ("WAM", "وام"),
    "SPA": ("SPA", "Saudi Press Agency", "واس"),
    "MENA": ("MENA", "أ ش أ"),
    "Petra": ("Petra", "بترا"),
    "SANA": ("SANA", "سانا", "وكالة سانا"),
    "NNA": ("NNA", "الوكالة الوطنية للإعلام"),
    "INA": ("INA", "واع"),
    "Europa Press": ("Europa Press",),
    "Lusa": ("Lusa",),
}  # fmt: skip
AGENCY_FORMS: tuple[tuple[str, str], ...] = tuple(
    (form, name) for name, forms in AGENCIES.items() for form in forms
)


class Byline(NamedTuple):
    authors: list[str]  # people
    sources: list[str]  # news agencies credited


def _strip_publisher(value: str, publishers: set[str]) -> str:
    """ "Wilmer Leon. Example International" -> "Wilmer Leon": the publication's name after
    the person's."""
    m = _NAME_TAIL.match(value)
    if m and publishers and _key(m["tail"]) in publishers:
        return m["name"]
    return value


def _clean_part(part: str) -> str:
    part = _AUTHOR_PREFIX.sub("", normalise_line(part))
    part = _AFTER_NAME.sub("", part)
    part = _AUTHOR_ROLE.sub("", part)
    part = _CREDENTIALS.sub("", part) if " " in part else part
    return part.strip(" .,-–—:(\"'")


def clean_authors(
    raw: Iterable[str], exclude: Iterable[str] = (), keep: Iterable[str] = ()
) -> list[str]:
    """Split "A, B and C", drop "By", URLs, e-mails, roles, credentials ("MS, RDN"), dates
    after a name, names of the publication itself (``exclude``) and duplicates; keep the
    case as written. ``keep``: short names that are not credentials (agencies: "AFP")."""
    kept = {_key(k) for k in keep}
    excluded = {_key(e) for e in exclude if e}
    excluded |= {k.replace(" ", "") for k in excluded}  # "bleacherreport" for Bleacher Report
    out: list[str] = []
    seen: set[str] = set()
    for value in raw:
        value = normalise_line(html_lib.unescape(value or ""))
        if not value or value.lower().startswith(("http", "www.")) or _key(value) in excluded:
            continue
        value = _EMPTY_BRACKETS.sub(" ", _URL.sub(" ", value))
        value = _AS_TOLD.sub("", _AUTHOR_PREFIX.sub("", normalise_line(value)))
        value = _strip_publisher(_AFTER_NAME.sub("", value).strip(), excluded)
        for part in _AUTHOR_SPLIT.split(value):
            part = _clean_part(part)
            if (
                not part
                or len(part) > 60
                or len(part.split()) > 6
                or _NOT_A_NAME.search(part)
                or (_CREDENTIAL.match(part) and _key(part) not in kept)
            ):
                continue
            if " " not in part and "-" in part and part.lower() == part:  # a URL slug
                continue
            k = _key(part)
            if not k or k in excluded or k.replace(" ", "") in excluded or k in seen:
                continue
            seen.add(k)
            out.append(part)
    return out


# lower-case words a name may hold: particles ("Michiel de Jong", "Ahmad bin Ali")
_PARTICLES = frozenset(
    "de da di du del della der den van von ter ten la le el al bin ibn bint y e dos das zu"
    " af av of the for".split()
)


def _looks_like_a_name(name: str) -> bool:
    """In a script with letter case, every word of a name starts with a capital or is a
    particle: "fuera parecía tener éxito" (a sentence after "Por") is not a name. Names in
    scripts without case (Arabic, Chinese…) pass; so does a one-word handle ("danah")."""
    words = name.split()
    if len(words) < 2:
        return True
    for w in words:
        first = next((ch for ch in w if ch.isalpha()), "")
        if first and first.islower() and w.lower() not in _PARTICLES:
            return False
    return True


def _ld_index(objs: list[JSONObject]) -> dict[str, JSONObject]:
    return {ref: o for o in objs if isinstance(ref := o.get("@id"), str) and len(o) > 1}


def _ld_people(value: JSONValue, index: dict[str, JSONObject]) -> tuple[list[str], list[str]]:
    """JSON-LD ``author`` as (people, organisations); ``{"@id": …}`` references are looked up
    among the page's objects (Yoast's ``@graph``)."""
    people: list[str] = []
    orgs: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if (
            isinstance(item, dict)
            and "name" not in item
            and isinstance(ref := item.get("@id"), str)
        ):
            item = index.get(ref, item)
        if isinstance(item, dict) and "Organization" in " ".join(_types(item)):
            orgs.extend(_names(item))
        else:
            people.extend(n for n in _names(item) if not n.strip().startswith((",", ";")))
    return people, orgs


def publisher_names(tree: HtmlElement, ld: JSONObject, url: str) -> list[str]:
    pub = ld.get("publisher")
    names = _names(pub) if isinstance(pub, dict | list) else []
    for publisher in sel.MICRODATA_PUBLISHER(tree)[:2]:
        for el in sel.PUBLISHER_NAME(publisher)[:1]:
            name = normalise_line(el.get("content") or el.text_content())
            if name:
                names.append(name)
    names += site_names(tree, url)
    return [*names, *(n.removeprefix("the ") for n in names if n.lower().startswith("the "))]


# ---- the visible byline -------------------------------------------------------------------
_BYLINE_START = re.compile(rf"^(?:{_BY_WORDS})\b\s*:?\s*(?=\S)", re.IGNORECASE)
_NEAR_HEADLINE = (
    "following::*[self::p or self::div or self::span or self::address or self::li"
    " or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::small"
    " or self::section or self::header][position() <= 30]"
)
_AUTHOR_HREF = re.compile(
    r"/(?:authors?|writers?|by|people|person|profiles?|staff|contributors?|bios?|journalists?"
    r"|reporters?|columnists?|kuttab|katib)/[^/?#]+/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_BYLINE_CUT = re.compile(r"\s+(?:[|•·]|[-–—]\s+(?=\S*\d)).*$")


def _names_from_parts(texts: list[str]) -> list[str]:
    """The names after the by-word of a byline, read part by part (each text node of the
    byline element is a part: "By", "<a>Jane Doe</a>", ", ", "<a>John Roe</a>", "<span>Staff
    Writer</span>", "<time>…"). A name is a part after the by-word or after a separator
    ("," "and" "و"); the first other part (a role, a date, the publication) ends the byline."""
    parts = [normalise_line(t) for t in texts]
    parts = [p for p in parts if p]
    if not parts or not _BYLINE_START.match(" ".join(parts)):
        return []
    first = _BY_ONLY.sub("", _BYLINE_START.sub("", parts[0], count=1))
    parts = ([first] if first else []) + parts[1:]
    names: list[str] = []
    expect = True
    for part in parts:
        lead = _EDGE_SEPARATOR.match(part)
        if lead:
            expect, part = True, part[lead.end() :]
        if not part:
            continue
        if _SEPARATOR.match(part):
            expect = True
            continue
        if not expect:
            break
        trail = _TRAILING_SEPARATOR.search(part)
        body = part[: trail.start()] if trail else part
        cut = _BYLINE_CUT.sub("", body)
        for piece in _AUTHOR_SPLIT.split(cut):
            cleaned = _clean_part(piece)
            if (
                cleaned
                and not _NOT_A_NAME.search(cleaned)
                and len(cleaned.split()) <= 5
                and _looks_like_a_name(cleaned)
            ):
                names.append(cleaned)
        if cut != body or _clean_part(body) != normalise_line(_AUTHOR_PREFIX.sub("", body)):
            break  # a date, a separator or a role right after the name ends the byline
        expect = bool(trail)
    return names


_BY_ONLY = re.compile(rf"^(?:{_BY_WORDS})\s*:?$", re.IGNORECASE)
_EDGE_SEPARATOR = re.compile(r"^(?:[,،;&|•·/]|and\b|und\b|et\b|و\s)\s*", re.IGNORECASE)
_TRAILING_SEPARATOR = re.compile(r"\s*(?:[,،;&/]|\band|\bund|\bet|\sو)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^(?:[,،;&|•·/]|and|und|et|y|e|و)$", re.IGNORECASE)
_IN_MEDIA = etree.XPath("boolean(ancestor::figure or ancestor::figcaption)")


def visible_byline(tree: HtmlElement) -> list[str]:
    """The byline shown under the headline: the first short element after the ``h1`` whose
    text starts with a by-word ("By …", "Par …", "بقلم …"), outside figures and lists of other
    articles; else the names of links to author pages (``/author/…``, ``/writer/…``) right
    after the ``h1``."""
    h1s = sel.H1(tree)[:1]
    if h1s and _BYLINE_START.match(normalise_line(h1s[0].tail or "")):
        # "<h1>…</h1> by Jane Doe, <small><time>…": the byline is the h1's tail
        parts = [h1s[0].tail or ""]
        for sibling in h1s[0].itersiblings():
            parts += [*sibling.itertext(), sibling.tail or ""]
        names = _names_from_parts(parts)
        if names:
            return names
    near = h1s[0].xpath(_NEAR_HEADLINE) if h1s else sel.BYLINE_TEXT(tree)
    for el in near:
        text = normalise_line(el.text_content())
        if not text or len(text) > 160 or not _BYLINE_START.match(text):
            continue
        if sel.IN_OTHER_ARTICLES(el) or _IN_MEDIA(el):
            continue
        names = _names_from_parts(list(el.itertext()))
        if names:
            return names
    if not h1s:
        return []
    names = []
    box = None  # the block holding the first author link: its siblings' links only
    for a in h1s[0].xpath("following::a[@href][position() <= 40]"):
        if not _AUTHOR_HREF.search(a.get("href") or "") or sel.IN_OTHER_ARTICLES(a):
            continue
        block = a.getparent().getparent() if a.getparent() is not None else None
        if box is None:
            box = block
        elif block is not box and a.getparent() is not box:
            break
        name = normalise_line(a.text_content())
        if name and len(name.split()) <= 5:
            names.append(name)
    return names


_OTHER_ROLE = (
    r"photograph(?:y|s)?|photos?|pictures?|illustrations?|illustrated|edited|editing|video"
    r"|reviewed|fact[- ]checked|produced|graphics|design(?:ed)?|art direction|translated"
    r"|(?:recipe )?tested|styled|food styling|prop styling"
)


_OTHER_ROLE_BEFORE = re.compile(rf"\b(?:{_OTHER_ROLE}) by\s*$", re.IGNORECASE)


def _credited_otherwise(tree: HtmlElement, names: list[str]) -> set[str]:
    """Names the page credits with a role other than writing ("Photography by X")."""
    # only the blocks whose text says "… by": role credits are short lines
    blocks = set()
    for t in sel.BY_TEXT(tree):
        parent = t.getparent()
        # "<span>Photography by</span> <a>X</a>": the name is the next element's
        blocks.add(parent.getparent() if parent is not None and not t.is_tail else parent)
    text = " | ".join(normalise_line(" ".join(b.itertext())) for b in blocks if b is not None)
    out = set()
    for name in names:
        start = text.find(name)
        while start != -1:
            if _OTHER_ROLE_BEFORE.search(text[max(0, start - 40) : start]):
                out.add(name)
                break
            start = text.find(name, start + 1)
    return out


def _confirmed(people: list[str], others: list[list[str]]) -> list[str]:
    """JSON-LD people kept to those the first other source that names any of them names
    (the writer in the author meta tag or the visible byline, an editor or a contributor only
    in the JSON-LD); all of them when no other source names any."""
    for names in others:
        keys = {_key(n) for n in names}
        confirmed = [p for p in people if _key(p) in keys]
        if confirmed:
            return confirmed
    return people


def split_sources(
    names: list[str], agencies: Iterable[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """(people, agencies) from a list of names; ``agencies`` are (form, name) pairs and an
    agency is returned under its name. A person's name followed by an agency's ("John Doe
    The Associated Press") gives both."""
    by_key = {_key(form): name for form, name in agencies}
    people: list[str] = []
    found: list[str] = []
    for name in names:
        k = _key(name)
        if k in by_key:
            found.append(by_key[k])
            continue
        for agency_key, agency in by_key.items():
            if k.endswith(" " + agency_key) and len(k) > len(agency_key) + 3:
                words = len(agency_key.split())
                found.append(agency)
                name = " ".join(name.split()[:-words])
                break
        people.append(name)
    return people, list(dict.fromkeys(found))


@cache
def _dateline_res(forms: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    head = re.compile(
        # "DAMASCUS (Reuters) -", "(AFP) -", "دمشق - سانا -", "دمشق-سانا"
        rf"^(?:[^\n.!?؟]{{0,60}}?\(\s*(?P<a>{alternation})\s*\)\s*[-–—:]"
        rf"|[^\n.!?؟()]{{1,60}}?\s*[-–—]\s*(?P<b>{alternation})\s*(?:[-–—:،,]|\n))"
    )
    tail = re.compile(
        # a closing credit line: "(AFP)", "Reuters", "Source: SANA", "المصدر: سانا"
        rf"^\(?\s*(?:(?:source|sources|reporting by|with|المصدر|المصادر)\s*:?\s*)?"
        rf"(?P<a>{alternation})\s*\)?\.?$",
        re.IGNORECASE,
    )
    return head, tail


def credited_in_text(text: str, agencies: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Agencies the article credits in its dateline ("DAMASCUS (Reuters) -", "دمشق - سانا -")
    or in a closing credit line ("(AFP)", "Source: SANA", "المصدر: سانا"), by name."""
    pairs = (*AGENCY_FORMS, *agencies)
    name_of = {_key(form): name for form, name in pairs}
    head, tail = _dateline_res(tuple(form for form, _ in pairs))
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    if not lines:
        return []
    found = []
    for m in (head.match(lines[0][:250]), tail.match(lines[-1]) if len(lines[-1]) < 60 else None):
        if m:
            form = m.group("a") or (m.groupdict().get("b") or "")
            name = name_of.get(_key(form))
            if name and name not in found:
                found.append(name)
    return found


def byline(
    tree: HtmlElement,
    ld: JSONObject,
    objs: list[JSONObject],
    url: str = "",
    css: str | None = None,
    agencies: Iterable[tuple[str, str]] = (),
) -> Byline:
    """People and credited agencies (see the module docstring); ``agencies``: the outlet's
    own (form, name) pairs besides :data:`AGENCIES`."""
    known = (*AGENCY_FORMS, *agencies)
    forms = [form for form, _ in known]
    if css:
        names = clean_authors([n.text_content() for n in sel.css(tree, css)], keep=forms)
        if names:
            return Byline(*split_sources(names, known))
    publisher = publisher_names(tree, ld, url)
    people, orgs = _ld_people(ld.get("author"), _ld_index(objs))
    sources: list[str] = []
    visible = clean_authors(visible_byline(tree), publisher, forms)
    meta = clean_authors(sel.META_AUTHOR(tree), publisher, forms)
    marked = [n for n in sel.BYLINE_AUTHOR(tree) if not sel.IN_OTHER_ARTICLES(n)]
    markup = clean_authors([n.text_content() for n in marked[:4]], publisher, forms)
    in_ld = _confirmed(clean_authors(people, publisher, forms), [visible, meta, markup])
    # (names, whether to check them for other roles: a single name from the page's
    # structured author data is taken as it is)
    finders: list[Callable[[], tuple[list[str], bool]]] = [
        lambda: (in_ld, len(in_ld) > 1),
        lambda: (visible, True),
        lambda: (meta, len(meta) > 1),
        lambda: (markup, True),
        lambda: (clean_authors(_trafilatura_author(tree), publisher, forms), True),
    ]
    for find in finders:
        names, check = find()
        found, credited = split_sources(names, known)
        sources += [s for s in credited if s not in sources]
        if found:
            other = _credited_otherwise(tree, found) if check else set()
            kept = [n for n in found if n not in other]
            if kept:
                return Byline(kept, sources)
    orgs += [n.text_content() for n in sel.MICRODATA_ORG_AUTHOR(tree)[:2]]
    names = clean_authors([*orgs, *sel.META_AUTHOR(tree)], keep=forms)
    found, credited = split_sources(names, known)
    sources += [s for s in credited if s not in sources]
    return Byline(found, sources)


def _trafilatura_author(tree: HtmlElement) -> list[str]:
    try:
        from trafilatura.metadata import extract_author
    except ImportError:  # pragma: no cover - internal helper moved
        return []
    try:
        found = extract_author(tree)
    except (ValueError, TypeError):
        return []
    if not found or _JUNK_BYLINE.search(found):  # it read a logo's or a link's URL
        return []
    return found.split("; ")
