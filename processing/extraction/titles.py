"""Title: the headline a reader sees on the page, and the page's SEO title beside it.

``title()`` chooses the headline: the outlet's selector; else the ``h1`` that the page's own
title metadata agrees with (JSON-LD ``headline``, Dublin Core, ``og:title``,
``twitter:title``, parse.ly/sailthru titles, ``<title>``, each without the site name); else a
lone ``h1``; else the metadata title. ``seo_title()`` is the sharing/search title
(``og:title``, else ``twitter:title``, else ``<title>``, site name stripped) when it words the
story differently from the headline.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from processing.core.jsontypes import JSONObject
from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import ld_str

_SEPARATORS = re.compile(r"\s+[-–—|:•·»]\s+|\s+[|]\s*")
# " - 29.07.2026, Site name": a publication date and the site name after the headline
_DATED_SUFFIX = re.compile(r"\s+[-–—|]\s+\d{2}\.\d{2}\.\d{4},\s*[^-–—|]{2,60}$")


# genre and format labels that pages put before or after a headline ("Opinion | …", "…
# | Editorial", "… (video)", "[Watch] …"): furniture of the page, not words of the headline
_GENRE = (
    r"opinion|analysis|editorial|commentary|comment|column|perspective|review|interview"
    r"|explainer|exclusive|breaking(?: news)?|live(?: updates)?|watch|video|videos|photos"
    r"|gallery|podcast|listen|sponsored|fact[ -]check|opinión|análisis|entrevista|meinung"
    r"|kommentar|analyse|tribune|éditorial|chronique|رأي|تحليل|مقال رأي|حوار|خاص|عاجل|فيديو"
    r"|بالفيديو|بالصور"
)
_LEADING_GENRE = re.compile(
    rf"^(?:(?:{_GENRE})\s*[|–—]\s*|[\[(](?:{_GENRE})[\])]\s*)(?=\S)", re.IGNORECASE
)
_GENRE_ONLY = re.compile(rf"^(?:{_GENRE})$", re.IGNORECASE)
_TRAILING_GENRE = re.compile(
    rf"(?:\s+[|–—-]\s*(?:{_GENRE})|\s*[\[(](?:{_GENRE})[\])])\s*$", re.IGNORECASE
)


def without_genre(text: str) -> str:
    """A headline without a genre/format label in front of it or after it ("Opinion | X",
    "X | Editorial", "X (video)", "[Watch] X"); the text itself when nothing else is left."""
    out = _TRAILING_GENRE.sub("", _LEADING_GENRE.sub("", text, count=1))
    return out.strip() or text


def key(text: str) -> str:
    """Case- and punctuation-insensitive form, for comparing titles and names. Cached: the
    author readers key the same agency and publisher names on every page."""
    return _key(str(text))  # a plain str key: lxml's text results keep their page alive


_NON_WORD = re.compile(r"\W+")


@lru_cache(maxsize=16384)
def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def strip_site_suffix(text: str, site_names: list[str], guess: bool = False) -> str:
    """Drop a trailing (or leading) " - Site name" / " | Site" from a document title.
    ``guess``: when no known site name is there, a short last part after " - ", " – ", " | "
    is taken for the site's name (a ``<title>``'s usual place for it)."""
    text = _DATED_SUFFIX.sub("", normalise_line(text))
    sites = {key(s) for s in site_names if s and key(s)}
    seps = list(_SEPARATORS.finditer(text))
    if not seps:
        return text
    last, first = seps[-1], seps[0]
    tail = key(text[last.end() :])
    if tail in sites or (
        len(tail.split()) <= 4
        and len(tail) < 0.5 * len(text)
        and any(s in tail or tail in s for s in sites)
    ):
        return text[: last.start()].strip()
    if key(text[: first.start()]) in sites:
        return text[first.end() :].strip()
    return _without_unknown_site(text) if guess else text


_LAST_PART = re.compile(r"\s+[-–—|]\s+([^-–—|]+)$")


def _without_unknown_site(text: str) -> str:
    """``text`` without a short last part after " - ", " – ", " | " (three words at most, a
    third of the title at most, three words or more left)."""
    m = _LAST_PART.search(text)
    if not m:
        return text
    head = text[: m.start()].strip()
    if len(m.group(1).split()) <= 3 and len(head.split()) >= 3 and len(m.group(1)) * 3 <= len(text):
        return head
    return text


def site_names(tree: HtmlElement, url: str) -> list[str]:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".") if host else []
    # the registrable name ("example" for news.example.com) as well as the host
    brand = labels[-2] if len(labels) >= 2 else ""
    names = [*sel.META_SITE_NAME(tree), host, labels[0] if labels else "", brand]
    return [n for n in names if n]


class MetaTitle(NamedTuple):
    source: str  # ld | dc | og | twitter | parsely | title
    text: str  # site name stripped


def meta_titles(tree: HtmlElement, ld: JSONObject, url: str) -> list[MetaTitle]:
    """The page's title metadata, most specific first, each without the site name: JSON-LD
    ``headline``, Dublin Core, ``og:title``, ``twitter:title``, parse.ly/sailthru, ``<title>``.
    """
    sites = site_names(tree, url)
    raw: list[tuple[str, str | None]] = [("ld", ld_str(ld, "headline"))]
    raw += [("dc", v) for v in sel.META_DC_TITLE(tree)]
    raw += [("og", v) for v in sel.OG_TITLE(tree)]
    raw += [("twitter", v) for v in sel.TWITTER_TITLE(tree)]
    raw += [("parsely", v) for v in sel.META_OTHER_TITLE(tree)]
    raw += [("title", v) for v in sel.TITLE(tree)]
    out: list[MetaTitle] = []
    for source, value in raw:
        if value and value.strip():
            text = strip_site_suffix(value, sites, guess=source == "title")
            if text:
                out.append(MetaTitle(source, text))
    return out


class Heading(NamedTuple):
    el: HtmlElement  # the h1 element
    text: str  # as shown (the element's text)
    spaced: str  # the texts of its parts joined by spaces ("Kenya" "Nairobi from below")
    own: str  # without the text of child blocks (a logo, an author line, a "¶" permalink)


_WORD_LEVEL = {"span", "a", "em", "i", "b", "strong", "q", "mark", "small", "sup", "sub", "abbr"}
_PRECEDING = "preceding-sibling::*[position() <= 2] | ../preceding-sibling::*[position() <= 2]"


# a permalink mark after a heading (documentation generators' "¶", "#", "🔗"): not a word of it
_PERMALINK = re.compile(r"\s*[¶#🔗]$")


def _heading(el: HtmlElement) -> Heading:
    parts: list[str] = [el.text or ""]
    for i, c in enumerate(el):
        shown = c.text_content() if isinstance(c.tag, str) and c.tag in _WORD_LEVEL else ""
        if i == 0 and not (el.text or "").strip() and _GENRE_ONLY.match(normalise_line(shown)):
            shown = ""  # a genre label as the first part of the h1 ("<span>Opinion</span> …")
        parts.append(shown + (c.tail or ""))
    own = "".join(parts)
    forms = (el.text_content(), " ".join(el.itertext()), own)
    text, spaced, own = (_PERMALINK.sub("", normalise_line(f)) for f in forms)
    return Heading(el, text, spaced, own)


def _headings(tree: HtmlElement, sites: set[str]) -> list[Heading]:
    """The page's ``h1``s: with text, and not the site's own name (a logo in an ``h1``)."""
    out = []
    for el in sel.H1(tree):
        h = _heading(el)
        if len(h.text) > 3 and key(h.text) not in sites:
            out.append(h)
    return out


def _without_genre(h: Heading) -> Heading:
    return Heading(h.el, without_genre(h.text), without_genre(h.spaced), without_genre(h.own))


def _child_texts(el: HtmlElement) -> set[str]:
    return {key(c.text_content()) for c in el.iterdescendants() if isinstance(c.tag, str)}


def _headline_prefix(h: Heading, meta: str, meta_key: str) -> str | None:
    """The metadata title when the ``h1`` is that title followed by an element of its own
    (a site name or an author line inside the ``h1``: "…la Infanta<span>Ultima Hora</span>")."""
    k = key(h.text)
    if len(meta_key) < 10 or k == meta_key or not k.startswith(meta_key):
        return None
    head = normalise_line(h.text[: len(meta)])
    rest = key(h.text[len(meta) :])
    if key(head) == meta_key and rest and rest in _child_texts(h.el):
        return head
    return None


# separators a document title puts between its parts and the site's or section's name; a
# kicker is joined to its headline with a colon ("Kenya: Nairobi from below")
_SITE_SEPARATOR = re.compile(r"(?:\s[-–—|·•»/]|::|\s\[)\s*$")


def _after_site_separator(h: Heading, meta: str) -> bool:
    """The ``h1`` is the last part of a metadata title after a separator that sets off a site
    or section name ("Story — Docs name", "Story :: Site"): the ``h1`` names the site (a header
    ``h1``), it is not the headline with a kicker."""
    words = key(h.text).split()
    if not words:
        return False
    m = re.search(r"\W+".join(re.escape(w) for w in words) + r"\W*$", meta, re.IGNORECASE)
    return m is not None and bool(_SITE_SEPARATOR.search(meta[: m.start()]))


def _names_site(h: Heading, sites: set[str]) -> bool:
    """The ``h1`` holds the site's name as words of its own ("msn back to msn home"): a
    header, when no metadata title agrees with it."""
    k = f" {key(h.text)} "
    return any(len(s) >= 3 and f" {s} " in k for s in sites)


def _over_its_dek(h: Heading, meta_keys: list[str]) -> bool:
    """A metadata title that is the text right after the ``h1`` (its standfirst, or the start
    of it): the page shows a short display headline and the metadata carries the dek."""
    nxt = h.el.xpath("following-sibling::*[1]")
    if not nxt:
        return False
    dek = key(nxt[0].text_content())
    return any(len(mk) >= 20 and dek.startswith(mk) for mk in meta_keys)


def _with_kicker(h: Heading, meta: str, meta_key: str) -> str:
    """A metadata title that is the ``h1`` with a kicker in front ("Kenya: Nairobi from
    below"): the metadata's form when the page shows the kicker right before the ``h1`` (a
    label above the headline, or a part of the ``h1`` itself), else the ``h1``."""
    kicker = meta_key[: len(meta_key) - len(key(h.text))].strip()
    if not kicker or len(kicker.split()) > 6:
        return h.text
    shown = " ".join(key(e.text_content()) for e in h.el.xpath(_PRECEDING))
    if kicker in key(h.spaced) or re.search(rf"(?:^| ){re.escape(kicker)}(?: |$)", shown):
        return meta
    return h.text


def title(
    tree: HtmlElement,
    ld: JSONObject,
    url: str,
    css: str | None = None,
    found: list[MetaTitle] | None = None,
) -> str | None:
    """The headline (see the module docstring). An ``h1`` is taken when a metadata title
    agrees with it: the same words (the ``h1``'s own form is kept: its quotes, its case); an
    ``h1`` holding a metadata title plus an element of its own (a logo, an author line) gives
    that title; an ``h1`` that is most of a metadata title (the title adds a site or section
    name) is taken; a metadata title that is the ``h1`` with a kicker the page shows right
    before it keeps the kicker; genre labels ("Opinion | …", "… (video)") are left out; an
    ``h1`` that a metadata title holds after a site separator ("Story — Project name") is the
    site's header, not a headline. Without agreement: the first ``h1`` when the metadata title
    is the dek right after it (a short display headline); else the first ``h1`` of four words
    or more that does not name the site (several ``h1``s are often section headings); else
    the first metadata title."""
    if css:
        for node in sel.css(tree, css):
            t = normalise_line(node.text_content())
            if t:
                return t
    all_metas = found if found is not None else meta_titles(tree, ld, url)
    metas = [MetaTitle(m.source, without_genre(m.text)) for m in all_metas]
    sites = {key(s) for s in site_names(tree, url) if key(s)}
    h1s = [_without_genre(h) for h in _headings(tree, sites)]
    meta_keys = [key(m.text) for m in metas]
    for h in h1s:  # the same words
        for form in (h.text, h.spaced, h.own):
            if key(form) and key(form) in meta_keys:
                return form
    for h in h1s:
        k = key(h.text)
        if not k:
            continue
        for m, mk in zip(metas, meta_keys, strict=True):
            prefix = _headline_prefix(h, m.text, mk)
            if prefix:
                return prefix
            if k in mk and len(k) >= 0.4 * len(mk) and not mk.endswith(" " + k):
                return h.text
            if mk.endswith(" " + k):
                if _after_site_separator(h, m.text):
                    continue
                return _with_kicker(h, m.text, mk)
            if len(mk) > 20 and k.endswith(" " + mk):
                return m.text
    if h1s and _over_its_dek(h1s[0], meta_keys):
        return h1s[0].text
    shown = [h for h in h1s if not _names_site(h, sites)]
    if shown and len(shown[0].text.split()) >= 4:
        return shown[0].text
    if metas:
        return metas[0].text
    return h1s[0].text if h1s else None


def seo_title(
    tree: HtmlElement,
    ld: JSONObject,
    url: str,
    headline: str | None,
    found: list[MetaTitle] | None = None,
) -> str | None:
    """The sharing/search title (``og:title``, else ``twitter:title``, else ``<title>``, site
    name stripped) when it is worded differently from ``headline``; None when it is the same
    (case and punctuation aside) or absent. ``found``: :func:`meta_titles`, when read."""
    all_metas = found if found is not None else meta_titles(tree, ld, url)
    metas = {m.source: m.text for m in reversed(all_metas)}
    for source in ("og", "twitter", "title"):
        text = metas.get(source)
        if text:
            return None if headline and key(text) == key(headline) else text
    return None
