"""Title: the outlet's selector, else the ``h1`` that the page's own title metadata confirms,
else the metadata title without the site name."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from processing.extraction import selectors as sel
from processing.extraction.boilerplate import normalise_line
from processing.extraction.jsonld import ld_str

_SEPARATORS = re.compile(r"\s+[-–—|:•·]\s+|\s+[|]\s*")
# " - 29.07.2026, Sputnik عربي": a publication date and the site name after the headline
_DATED_SUFFIX = re.compile(r"\s+[-–—|]\s+\d{2}\.\d{2}\.\d{4},\s*[^-–—|]{2,60}$")


def key(text: str) -> str:
    """Case- and punctuation-insensitive form, for comparing titles and names."""
    return re.sub(r"\W+", " ", text.casefold()).strip()


def strip_site_suffix(text: str, site_names: list[str]) -> str:
    """Drop a trailing (or leading) " - Site name" / " | Site" from a document title."""
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
    return text


def site_names(tree: Any, url: str) -> list[str]:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".") if host else []
    # "politico" for politico.com, "sputniknews" for arabic.sputniknews.com too
    brand = labels[-2] if len(labels) >= 2 else ""
    names = [*sel.META_SITE_NAME(tree), host, labels[0] if labels else "", brand]
    return [n for n in names if n]


def title(tree: Any, ld: dict[str, Any], url: str, css: str | None = None) -> str | None:
    """Selector, then the ``h1`` confirmed by the document's own title metadata, then JSON-LD
    ``headline``, ``og:title`` and ``<title>`` with the site name stripped."""
    if css:
        for node in sel.css(tree, css):
            t = normalise_line(node.text_content())
            if t:
                return t
    sites = site_names(tree, url)
    meta_titles = [
        strip_site_suffix(t, sites)
        for t in (
            ld_str(ld, "headline"),
            *sel.OG_TITLE(tree),
            *sel.TWITTER_TITLE(tree),
            *sel.TITLE(tree),
        )
        if t and t.strip()
    ]
    meta_titles = [t for t in meta_titles if t]
    h1s = [normalise_line(h.text_content()) for h in sel.H1(tree)]
    h1s = [h for h in h1s if len(h) > 3]
    for h in h1s:  # the h1 that the page's own title metadata agrees with
        k = key(h)
        if not k:
            continue
        for t in meta_titles:
            m = key(t)
            if k == m or (k in m and len(k) >= 0.4 * len(m)):
                return h
            if len(m) > 20 and k.endswith(m) and k != m:  # a kicker ("Opinion | ...")
                return t
    for h in h1s:
        if len(h.split()) >= 4:
            return h
    if meta_titles:
        return meta_titles[0]
    return h1s[0] if h1s else None
