"""The other fields: canonical URL, description, declared language, section, tags and
whether the article is free to read."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml.html import HtmlElement

from processing.core.jsontypes import JSONObject
from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import accessible_for_free as _ld_accessible
from processing.extraction.jsonld import ld_str, names, types

MAX_TAGS = 30


def canonical(tree: HtmlElement, url: str) -> str | None:
    hrefs = sel.CANONICAL(tree) or sel.OG_URL(tree)
    return urljoin(url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else None


_ELLIPSIS = re.compile(r"\s*(?:\[?(?:…|\.\.\.|&hellip;)\]?)\s*$")


def description(tree: HtmlElement, ld: JSONObject) -> str | None:
    """The page's own summary: meta ``description``, ``og:description``, JSON-LD
    ``description``, exactly as the page gives it (whitespace normalised, never shortened).

    When one of them is a shortened form of another (the page cut it: "… in north-western" vs
    the whole sentence), the longer one is taken."""
    candidates: list[str] = []
    for v in (
        *sel.META_DESCRIPTION(tree),
        ld_str(ld, "description"),
        *sel.META_OTHER_DESCRIPTION(tree),
    ):
        if v and v.strip():
            text = normalise_line(html_lib.unescape(v))
            if text and text not in candidates:
                candidates.append(text)
    if not candidates:
        return None
    best = candidates[0]
    stem = _ELLIPSIS.sub("", best)
    for other in candidates[1:]:
        if len(other) > len(best) and other.startswith(stem):
            best, stem = other, _ELLIPSIS.sub("", other)
    return best


def declared_language(tree: HtmlElement) -> str | None:
    langs = [v for v in (*sel.HTML_LANG(tree), *sel.META_LANGUAGE(tree)) if v and v.strip()]
    return langs[0].strip().replace("_", "-").split("-")[0].lower() if langs else None


_TATWEEL = "\u0640"  # Arabic elongation ("مجتـمع" is "مجتمع")
_LABEL_EDGES = " \t#:،,;|·•»«>/-–—"
# words pages put before or instead of a list of tags and sections: not tags themselves
_TAG_LABELS = frozenset(
    "tags tag topics topic keywords categories category filed under related topics home"
    " الرئيسية الوسوم الكلمات الدالة كلمات مفتاحية مواضيع تصنيفات".split()
)


def normalise_label(value: str) -> str:
    """A tag or section name as analysts group it: HTML entities decoded, whitespace
    collapsed, tatweel removed, separators and a leading "#" trimmed; the case kept."""
    text = normalise_line(html_lib.unescape(value)).replace(_TATWEEL, "")
    return text.strip(_LABEL_EDGES)


def _is_label(text: str, sites: set[str]) -> bool:
    k = text.casefold()
    return (
        bool(text)
        and len(text) <= 60
        and not text.isdigit()
        and k not in _TAG_LABELS
        and " ".join(k.split()) not in _TAG_LABELS
        and k not in sites
    )


def _breadcrumbs(tree: HtmlElement, objs: list[JSONObject]) -> list[str]:
    """The page's breadcrumb trail, outermost first: JSON-LD ``BreadcrumbList`` (by
    ``position``), else breadcrumb markup (``itemtype=…BreadcrumbList``, a breadcrumb
    ``nav``/list)."""
    for obj in objs:
        if "BreadcrumbList" not in types(obj):
            continue
        items = obj.get("itemListElement")
        if not isinstance(items, list):
            continue
        ranked: list[tuple[float, str]] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            inner = item.get("item")
            if not name and isinstance(inner, dict):
                name = inner.get("name")
            position = item.get("position")
            rank = float(position) if isinstance(position, int | float) else float(i)
            if isinstance(name, str) and name.strip():
                ranked.append((rank, name))
        if ranked:
            return [name for _, name in sorted(ranked)]
    for trail in sel.BREADCRUMB(tree)[:1]:
        links = [a.text_content() for a in trail.iter("a")]
        crumbs = links or [li.text_content() for li in trail.iter("li")]
        if crumbs:
            return crumbs
    return []


def section(
    tree: HtmlElement,
    ld: JSONObject,
    objs: list[JSONObject] | None = None,
    title: str | None = None,
    sites: list[str] | tuple[str, ...] = (),
) -> str | None:
    """The article's section: ``article:section``-style meta tags, JSON-LD
    ``articleSection``, the deepest breadcrumb above the article (not "Home", not the
    headline), then the WordPress category link (``rel="category tag"``)."""
    site_keys = {s.casefold() for s in sites}

    def candidates() -> Iterator[str]:  # in order; the costly page searches only when needed
        yield from sel.META_SECTION(tree)
        yield from names(ld.get("articleSection"))
        title_key = normalise_label(title or "").casefold()
        crumbs = [normalise_label(c) for c in _breadcrumbs(tree, objs or [ld])]
        yield from reversed([c for c in crumbs if c.casefold() != title_key and len(c) <= 60])
        yield from (a.text_content() for a in sel.REL_CATEGORY(tree)[:1])

    for value in candidates():
        text = normalise_label(value)
        if _is_label(text, site_keys):
            return text
    return None


_TAG_SPLIT = re.compile(r"\s*[,،;]\s*")


def tags(tree: HtmlElement, ld: JSONObject, sites: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The article's tags: ``article:tag`` meta, JSON-LD ``keywords``, ``news_keywords``,
    parse.ly/sailthru tags, links marked ``rel=tag`` and the entries of a tag list of the
    article (a block whose class names tags, outside navigation, sidebars and footers); the
    ``keywords`` meta tag only when none of those gives any (it is often a site-wide SEO
    list). Normalised (:func:`normalise_label`), without labels ("Tags:"), numbers or the
    site's name; in page order, de-duplicated case-insensitively, at most ``MAX_TAGS``."""
    out: list[str] = []
    seen: set[str] = set()
    site_keys = {s.casefold() for s in sites}

    def add(values: list[str], split: bool) -> None:
        for raw in values:
            for part in _TAG_SPLIT.split(raw) if split else [raw]:
                t = normalise_label(part)
                if _is_label(t, site_keys) and t.casefold() not in seen:
                    seen.add(t.casefold())
                    out.append(t)

    add(list(sel.META_ARTICLE_TAG(tree)), split=False)
    add(names(ld.get("keywords")), split=True)
    add(list(sel.META_NEWS_KEYWORDS(tree)), split=True)
    add(list(sel.META_OTHER_TAGS(tree)), split=True)
    add([n.text_content() for n in sel.REL_TAG(tree)], split=False)
    if not out:
        add(_tag_list(tree), split=False)
    if not out:
        add(list(sel.META_KEYWORDS(tree)), split=True)
    return out[:MAX_TAGS]


def _tag_list(tree: HtmlElement) -> list[str]:
    """The entries of the article's visible tag list: its links, else its items, else its
    text after a "Tags:" label split at commas."""
    for block in sel.TAG_LIST(tree)[:2]:
        links = [a.text_content() for a in block.iter("a")]
        if links:
            return links
        items = [li.text_content() for li in block.iter("li")]
        if items:
            return items
        text = normalise_line(block.text_content())
        if ":" in text:
            return _TAG_SPLIT.split(text.split(":", 1)[1])
    return []


def accessible_for_free(tree: HtmlElement, ld: JSONObject, objs: list[JSONObject]) -> bool | None:
    """schema.org ``isAccessibleForFree`` (JSON-LD, also nested in ``hasPart``, or
    microdata): False for a paywalled article, whose text is only a teaser."""
    marked = [el.get("content") or el.get("href") or "" for el in sel.ITEMPROP_FREE(tree)]
    return _ld_accessible(ld, objs, marked)
