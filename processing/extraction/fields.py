"""The other fields: canonical URL, description, declared language, section, tags and
whether the article is free to read."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any
from urllib.parse import urljoin

from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import accessible_for_free as _ld_accessible
from processing.extraction.jsonld import ld_str, names

MAX_TAGS = 30


def canonical(tree: Any, url: str) -> str | None:
    hrefs = sel.CANONICAL(tree) or sel.OG_URL(tree)
    return urljoin(url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else None


_ELLIPSIS = re.compile(r"\s*(?:\[?(?:…|\.\.\.|&hellip;)\]?)\s*$")


def description(tree: Any, ld: dict[str, Any]) -> str | None:
    """The page's own summary: meta ``description``, ``og:description``, JSON-LD
    ``description``, exactly as the page gives it (whitespace normalised, never shortened).

    When one of them is a shortened form of another (the page cut it: "… in north-western" vs
    the whole sentence), the longer one is taken."""
    candidates: list[str] = []
    for v in (*sel.META_DESCRIPTION(tree), ld_str(ld, "description")):
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


def declared_language(tree: Any) -> str | None:
    langs = [v for v in (*sel.HTML_LANG(tree), *sel.META_LANGUAGE(tree)) if v and v.strip()]
    return langs[0].strip().replace("_", "-").split("-")[0].lower() if langs else None


def section(tree: Any, ld: dict[str, Any]) -> str | None:
    sections = list(sel.META_SECTION(tree)) or names(ld.get("articleSection"))
    sections = [s for s in (normalise_line(html_lib.unescape(s)) for s in sections) if s]
    return sections[0] if sections else None


_TAG_SPLIT = re.compile(r"\s*[,،;]\s*")


def tags(tree: Any, ld: dict[str, Any]) -> list[str]:
    """The article's tags: ``article:tag`` meta, JSON-LD ``keywords``, ``news_keywords``,
    links marked ``rel=tag`` (outside navigation, sidebars and footers); the ``keywords``
    meta tag only when none of those gives any (it is often a site-wide SEO list).
    In page order, de-duplicated case-insensitively, at most ``MAX_TAGS``."""
    out: list[str] = []
    seen: set[str] = set()

    def add(values: list[str], split: bool) -> None:
        for raw in values:
            parts = _TAG_SPLIT.split(raw) if split else [raw]
            for part in parts:
                t = normalise_line(html_lib.unescape(part)).lstrip("#").strip()
                if t and len(t) <= 100 and t.casefold() not in seen:
                    seen.add(t.casefold())
                    out.append(t)

    add(list(sel.META_ARTICLE_TAG(tree)), split=False)
    add(names(ld.get("keywords")), split=True)
    add(list(sel.META_NEWS_KEYWORDS(tree)), split=True)
    add([n.text_content() for n in sel.REL_TAG(tree)], split=False)
    if not out:
        add(list(sel.META_KEYWORDS(tree)), split=True)
    return out[:MAX_TAGS]


def accessible_for_free(tree: Any, ld: dict[str, Any], objs: list[dict[str, Any]]) -> bool | None:
    """schema.org ``isAccessibleForFree`` (JSON-LD, also nested in ``hasPart``, or
    microdata): False for a paywalled article, whose text is only a teaser."""
    marked = [el.get("content") or el.get("href") or "" for el in sel.ITEMPROP_FREE(tree)]
    return _ld_accessible(ld, objs, marked)
