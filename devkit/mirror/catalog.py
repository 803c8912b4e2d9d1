"""What the mirror serves, as data: one :class:`MirrorPage` per article-like URL.

:func:`build_catalog` is pure and deterministic given ``(anchor, seed, days, volume, faults)``:
tests and the pipeline compare what they stored with :meth:`Catalog.stored_between`, and the
HTTP server (:mod:`devkit.mirror.server`) renders every page from the same catalog. Days are
generated newest first, so a catalog of more days only adds older ones: ``days=30`` holds the
very pages of ``days=7`` for the same anchor and seed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

EXPECTS = (
    "stored",  # a normal article the pipeline must store
    "bot_challenge",  # a Cloudflare "Just a moment..." page instead of the article
    "empty_body",  # an article page whose body container holds nothing but &nbsp;
    "not_article",  # a listing (tag/category/radio page) linked where articles are listed
    "http_404",
    "http_500",
    "too_large",  # over 6 MB
    "bad_encoding",  # declared windows-1256, bytes are broken
    "paywall",
    "robots_blocked",  # robots.txt disallows it
)
DATES = ("real", "bogus", "none")
BOGUS_DATE = "0001-01-01T00:00:00Z"  # what a bogus-date page prints for every date
FAULTS = ("no_dates",)

_PCT = re.compile(r"%[0-9a-fA-F]{2}")


@dataclass(frozen=True)
class MirrorPage:
    """One thing the mirror serves at an article-like URL."""

    outlet: str  # registry id, e.g. "sohr_ar"
    url: str  # canonical real URL, in the form the page's <link rel=canonical> uses
    alt_urls: tuple[str, ...]  # other URLs reaching the same page (%-case, legacy ?p=, utm ...)
    published_at: datetime  # timezone-aware UTC: the truth
    modified_at: datetime | None
    title: str
    paragraphs: tuple[str, ...]  # the true article body, as a perfect extractor returns it
    language: str  # "ar" / "en"
    authors: tuple[str, ...]
    section: str | None
    expect: str  # "stored" or the outcome the pipeline must record (see EXPECTS)
    dates: str = "real"  # the page's own date signals: real / bogus (BOGUS_DATE) / none
    listed_on: date | None = None  # the site's own (local) day for it: archives, sitemaps, URL

    def __post_init__(self) -> None:
        if self.expect not in EXPECTS:
            raise ValueError(f"unknown expect {self.expect!r} for {self.url}")
        if self.dates not in DATES:
            raise ValueError(f"unknown dates {self.dates!r} for {self.url}")
        if self.published_at.utcoffset() is None or self.published_at.utcoffset():
            raise ValueError(f"published_at must be aware UTC: {self.url}")

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by newlines."""
        return "\n".join(self.paragraphs)

    @property
    def urls(self) -> tuple[str, ...]:
        return (self.url, *self.alt_urls)

    @property
    def stored_day(self) -> date:
        """The UTC day the corpus must file it under. A bogus-date page (which says it was
        published in the year 1) belongs to the day its site lists it on."""
        if self.dates == "bogus" and self.listed_on is not None:
            return self.listed_on
        return self.published_at.date()


def url_key(url: str) -> str:
    """One spelling per URL for lookups: upper-case percent escapes."""
    return _PCT.sub(lambda m: m.group(0).upper(), url)


@dataclass(frozen=True)
class Plan:
    """What the site modules build for: ``days`` local days ending on ``anchor``."""

    anchor: date
    seed: int = 7
    days: int = 7
    volume: float = 1.0  # multiplies every outlet's articles per day

    def day(self, k: int) -> date:
        """The local day ``k`` days before the anchor."""
        return self.anchor - timedelta(days=k)


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
    days: int = 7
    volume: float = 1.0
    faults: tuple[tuple[str, str, int], ...] = ()  # (fault, outlet, days)
    only: tuple[str, ...] = ()  # the outlets built (``outlets=``); empty: every outlet
    # stories several pages carry: re-posts, agency copy, translations (devkit.mirror.republish)
    shared: tuple[Any, ...] = ()

    @property
    def first_day(self) -> date:
        """The oldest local day the mirror publishes on."""
        return self.anchor - timedelta(days=self.days - 1)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(p.outlet for p in self.pages))

    def for_outlet(self, outlet: str, expect: str | None = None) -> list[MirrorPage]:
        """The outlet's pages, oldest first, optionally only those with ``expect``."""
        return [
            p for p in self.pages if p.outlet == outlet and (expect is None or p.expect == expect)
        ]

    def stored_between(self, outlet: str, first: date, last: date) -> list[MirrorPage]:
        """``expect == "stored"`` pages whose :attr:`MirrorPage.stored_day` is in
        ``[first, last]`` (the UTC publication day; a bogus-date page's listed day)."""
        return [p for p in self.for_outlet(outlet, "stored") if first <= p.stored_day <= last]

    def bogus_dates(self, outlet: str | None = None) -> list[MirrorPage]:
        """Pages that print ``BOGUS_DATE`` for every date; ``listed_on`` says their day."""
        return [p for p in self.pages if p.dates == "bogus" and outlet in (None, p.outlet)]

    def undated(self, outlet: str | None = None) -> list[MirrorPage]:
        """Pages with every date signal removed (the ``no_dates`` fault)."""
        return [p for p in self.pages if p.dates == "none" and outlet in (None, p.outlet)]

    def extra(self, page: MirrorPage) -> Mapping[str, Any]:
        return self.extras.get(page.url, MappingProxyType({}))

    def find(self, url: str) -> MirrorPage | None:
        """The page reached by ``url`` (its canonical or an alternative URL, any %-case)."""
        key = url_key(url)
        for p in self.pages:
            if any(url_key(u) == key for u in p.urls):
                return p
        return None


FaultSpec = Mapping[str, "tuple[str, int] | Iterable[tuple[str, int]] | Mapping[str, int]"]


def normalise_faults(faults: FaultSpec | None) -> tuple[tuple[str, str, int], ...]:
    """``{"no_dates": ("sohr_en", 3)}`` (or a list of such pairs, or ``{"sohr_en": 3}``)
    -> ``(("no_dates", "sohr_en", 3),)``."""
    out: list[tuple[str, str, int]] = []
    for name, spec in (faults or {}).items():
        if name not in FAULTS:
            raise ValueError(f"unknown mirror fault {name!r}; known: {', '.join(FAULTS)}")
        if isinstance(spec, Mapping):
            pairs = list(spec.items())
        elif isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str):
            pairs = [spec]
        else:
            pairs = list(spec)
        for outlet, n in pairs:
            if int(n) < 1:
                raise ValueError(f"fault {name} on {outlet}: days must be >= 1, not {n}")
            out.append((name, str(outlet), int(n)))
    return tuple(sorted(out))


def build_catalog(
    anchor: date,
    seed: int = 7,
    days: int = 7,
    volume: float = 1.0,
    faults: FaultSpec | None = None,
    outlets: Iterable[str] | None = None,
) -> Catalog:
    """The whole mirror for the ``days`` local days ending on ``anchor``; pure.

    ``outlets``: build only these outlets' pages (the others' sites serve nothing): a year of
    two outlets starts in seconds where a year of every outlet takes longer. Each outlet's
    pages are those of a full catalog with the same arguments."""
    from devkit.mirror.sites import SITES, outlet_names

    if days < 1 or volume <= 0:
        raise ValueError("days must be >= 1 and volume > 0")
    plan = Plan(anchor, seed, days, volume)
    applied = normalise_faults(faults)
    only = tuple(dict.fromkeys(outlets or ()))
    unknown = sorted(set(only) - {o for site in SITES for o in outlet_names(site)})
    if unknown:
        raise ValueError(f"unknown mirror outlet(s) {unknown}")
    pages: list[MirrorPage] = []
    extras: dict[str, Mapping[str, Any]] = {}
    for site in SITES:
        if only and not set(only) & set(outlet_names(site)):
            continue
        for page, extra in site.build(plan):
            if page.outlet not in outlet_names(site):
                raise ValueError(f"site {site.name} built a page of {page.outlet}: {page.url}")
            if only and page.outlet not in only:
                continue
            if page.url in extras:
                raise ValueError(f"duplicate mirror URL {page.url}")
            pages.append(page)
            extras[page.url] = MappingProxyType(dict(extra))
    from devkit.mirror.republish import share

    pages, shared = share(pages, extras, seed)
    if only:  # a group counts when every page of it was built
        built = {p.url for p in pages}
        shared = tuple(g for g in shared if all(u in built for u in g.urls))
    known = {p.outlet for p in pages}
    for _, outlet, n in applied:  # only "no_dates" so far
        if outlet not in known:
            raise ValueError(f"fault on unknown outlet {outlet!r}; known: {sorted(known)}")
        since = anchor - timedelta(days=n - 1)
        pages = [
            replace(p, dates="none")
            if p.outlet == outlet and p.listed_on is not None and p.listed_on >= since
            else p
            for p in pages
        ]
    order = {outlet: i for i, outlet in enumerate(dict.fromkeys(p.outlet for p in pages))}
    pages.sort(key=lambda p: (order[p.outlet], p.published_at, p.url))
    return Catalog(
        anchor=anchor,
        pages=tuple(pages),
        seed=seed,
        extras=MappingProxyType(extras),
        days=days,
        volume=volume,
        faults=applied,
        only=only,
        shared=shared,
    )
