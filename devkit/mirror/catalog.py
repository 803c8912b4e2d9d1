"""What the mirror serves, as data: one :class:`MirrorPage` per article-like URL.

:func:`build_catalog` is pure and deterministic given ``(anchor, seed)``: tests and the
pipeline compare what they stored with :meth:`Catalog.stored_between`, and the HTTP server
(:mod:`devkit.mirror.server`) renders every page from the same catalog.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

EXPECTS = (
    "stored",  # a normal article the pipeline must store
    "bot_challenge",  # a Cloudflare "Just a moment..." page instead of the article
    "empty_body",  # an article page whose body container holds nothing but &nbsp;
    "not_article",  # a listing (tag/category) linked where articles are listed
    "http_404",
    "http_500",
    "too_large",  # over 6 MB
    "bad_encoding",  # declared windows-1256, bytes are broken
    "paywall",
    "robots_blocked",  # robots.txt disallows it
)

_PCT = re.compile(r"%[0-9a-fA-F]{2}")


@dataclass(frozen=True)
class MirrorPage:
    """One thing the mirror serves at an article-like URL."""

    outlet: str  # registry id, e.g. "sohr_ar"
    url: str  # canonical real URL, in the form the page's <link rel=canonical> uses
    alt_urls: tuple[str, ...]  # other URLs reaching the same page (%-case, legacy ?p=, utm ...)
    published_at: datetime  # timezone-aware UTC
    modified_at: datetime | None
    title: str
    paragraphs: tuple[str, ...]  # the true article body, as a perfect extractor returns it
    language: str  # "ar" / "en"
    authors: tuple[str, ...]
    section: str | None
    expect: str  # "stored" or the outcome the pipeline must record (see EXPECTS)

    def __post_init__(self) -> None:
        if self.expect not in EXPECTS:
            raise ValueError(f"unknown expect {self.expect!r} for {self.url}")
        if self.published_at.utcoffset() is None or self.published_at.utcoffset():
            raise ValueError(f"published_at must be aware UTC: {self.url}")

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by newlines."""
        return "\n".join(self.paragraphs)

    @property
    def urls(self) -> tuple[str, ...]:
        return (self.url, *self.alt_urls)


def _url_key(url: str) -> str:
    return _PCT.sub(lambda m: m.group(0).upper(), url)


@dataclass(frozen=True)
class Catalog:
    """Every page of every mirrored outlet, ordered by outlet then publication time.

    ``extras`` carries per-page rendering details for the site modules (post id, tags, which
    markup variant a page uses, a trap's status code ...), keyed by ``MirrorPage.url``.
    """

    anchor: date
    pages: tuple[MirrorPage, ...]
    seed: int = 7
    extras: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False, repr=False)

    @property
    def first_day(self) -> date:
        """The oldest day the mirror publishes (local time): ``anchor`` minus 6 days."""
        return self.anchor - timedelta(days=6)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(p.outlet for p in self.pages))

    def for_outlet(self, outlet: str, expect: str | None = None) -> list[MirrorPage]:
        """The outlet's pages, oldest first, optionally only those with ``expect``."""
        return [
            p for p in self.pages if p.outlet == outlet and (expect is None or p.expect == expect)
        ]

    def stored_between(self, outlet: str, first: date, last: date) -> list[MirrorPage]:
        """``expect == "stored"`` pages published (UTC date) in ``[first, last]``."""
        return [
            p for p in self.for_outlet(outlet, "stored") if first <= p.published_at.date() <= last
        ]

    def extra(self, page: MirrorPage) -> Mapping[str, Any]:
        return self.extras.get(page.url, MappingProxyType({}))

    def find(self, url: str) -> MirrorPage | None:
        """The page reached by ``url`` (its canonical or an alternative URL, any %-case)."""
        key = _url_key(url)
        for p in self.pages:
            if any(_url_key(u) == key for u in p.urls):
                return p
        return None


def build_catalog(anchor: date, seed: int = 7) -> Catalog:
    """The whole mirror for the 7 days ending on ``anchor``; pure and deterministic."""
    from devkit.mirror.sites import SITES

    pages: list[MirrorPage] = []
    extras: dict[str, Mapping[str, Any]] = {}
    for site in SITES:
        for page, extra in site.build(anchor, seed):
            if page.url in extras:
                raise ValueError(f"duplicate mirror URL {page.url}")
            pages.append(page)
            extras[page.url] = MappingProxyType(dict(extra))
    order = {outlet: i for i, outlet in enumerate(dict.fromkeys(p.outlet for p in pages))}
    pages.sort(key=lambda p: (order[p.outlet], p.published_at, p.url))
    return Catalog(anchor=anchor, pages=tuple(pages), seed=seed, extras=MappingProxyType(extras))
