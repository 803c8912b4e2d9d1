"""The outlet registry: one validated, typed entry per outlet.

Entries live as YAML files in ``crawlers/outlets/`` (one file per outlet) and, optionally, in
the folders named by ``NEWSLOOM_OUTLETS_DIR`` (``os.pathsep``-separated). A file is loaded into
:class:`Outlet`, so a typo in a key or a pattern that does not compile fails loudly at load
time, naming the file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from processing.core.errors import OutletFileError as OutletFileError  # re-exported
from processing.core.errors import RegistryError as RegistryError  # re-exported
from processing.core.errors import UnknownOutlet as UnknownOutlet  # re-exported

logger = logging.getLogger(__name__)


BUILTIN_DIR = Path(__file__).parent / "outlets"

Route = Literal["ranged_sitemap", "monthly_sitemap", "sitemap", "news_sitemap", "archive", "feed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Politeness(_Model):
    """Per-outlet crawl limits. robots.txt crawl-delay, when larger, wins over ``delay``."""

    concurrency: int = Field(2, ge=1, le=16)
    delay: float = Field(1.0, ge=0.0, le=60.0)
    autothrottle: bool = True
    max_pages: int = Field(2000, ge=1)  # per run, every request counted


class DateArchive(_Model):
    """A WordPress-style date archive: ``/date/{yyyy}/{mm}/[{dd}/]page/{page}/``.

    ``template`` placeholders: ``{yyyy}``, ``{mm}``, ``{dd}`` (zero-padded) and ``{page}``.
    ``first_page`` is the URL of page 1 when it differs (WordPress drops ``page/1/``).
    """

    template: str
    first_page: str | None = None
    granularity: Literal["day", "month"] = "month"
    max_pages: int = Field(30, ge=1)

    @field_validator("template")
    @classmethod
    def _has_page(cls, v: str) -> str:
        if "{page}" not in v or "{yyyy}" not in v:
            raise ValueError("an archive template needs {yyyy} and {page}")
        return v


class Sitemaps(_Model):
    """Sitemap entry points.

    ``index``: sitemap index URLs (children are followed; with a window, only children whose
    URL or lastmod can overlap it). ``ranged``: a template with ``{start}``/``{end}`` (YYYYMMDD)
    serving an arbitrary date range, the best backfill route (Sputnik). ``monthly``: a template
    with ``{yyyy}``/``{mm}`` (Politico ``sitemap-YYYYMM.xml``). ``news``: Google News sitemaps.
    """

    index: list[str] = Field(default_factory=list)
    ranged: str | None = None
    monthly: str | None = None
    news: list[str] = Field(default_factory=list)


# Sample values that fill route templates for validation.
_SAMPLE_RANGE = {"start": "20260101", "end": "20260131"}
_SAMPLE_DAY = {"yyyy": "2026", "mm": "01", "dd": "01", "page": "2"}


class Selectors(_Model):
    """Optional per-outlet CSS selectors; the generic extractor is the fallback.

    ``drop``: CSS selectors of elements removed before extraction. ``drop_lines``: regular
    expressions of whole lines of text this outlet's pages carry and no article does (a photo
    credit, a radio schedule, a view counter); a line that matches one completely
    (case-insensitive) is left out of the text. The generic line filter knows no outlet: what
    only one outlet prints belongs here.
    """

    title: str | None = None
    body: str | None = None
    published: str | None = None
    author: str | None = None
    drop: list[str] = Field(default_factory=list)  # removed before extraction
    drop_lines: list[str] = Field(default_factory=list)  # whole-line regexes left out

    @field_validator("title", "body", "published", "author")
    @classmethod
    def _css_compiles(cls, v: str | None) -> str | None:
        if v is not None:
            _check_css(v)
        return v

    @field_validator("drop")
    @classmethod
    def _drop_compiles(cls, v: list[str]) -> list[str]:
        for css in v:
            _check_css(css)
        return v

    @field_validator("drop_lines")
    @classmethod
    def _lines_compile(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"drop_lines pattern {pattern!r} does not compile: {exc}") from exc
        return v


def _check_css(selector: str) -> None:
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise ValueError(f"CSS selector {selector!r} does not compile: {exc}") from exc


class Layout(Selectors):
    """One era of an outlet's page template: selectors valid from ``since`` to ``until``
    (both days included; either may be open). Each given selector replaces the outlet's
    ``selectors`` one for pages of that era; ``drop`` and ``drop_lines`` add to the outlet's.
    Which era a page belongs to is decided by its publication date or its fetch date
    (``Outlet.layout_date``)."""

    since: date | None = None
    until: date | None = None

    @model_validator(mode="after")
    def _bounded(self) -> Layout:
        if self.since is None and self.until is None:
            raise ValueError("a layout needs since, until or both")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"layout since {self.since} is after until {self.until}")
        return self

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )


OutletKind = Literal["state_agency", "public_broadcaster", "ngo", "private", "independent", "other"]


class Outlet(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    name: str
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
    kind: OutletKind | None = None  # who publishes it
    languages: list[str] = Field(min_length=1)  # ISO 639-1, the first is the main one
    domains: list[str] = Field(min_length=1)
    homepage: str
    feeds: list[str] = Field(default_factory=list)
    sitemaps: Sitemaps = Field(default_factory=Sitemaps)
    archives: list[DateArchive] = Field(default_factory=list)
    article_patterns: list[str] = Field(min_length=1)  # regexes on the canonical URL
    deny_patterns: list[str] = Field(default_factory=list)
    paywall_domains: list[str] = Field(default_factory=list)
    keep_query: list[str] = Field(default_factory=list)  # query keys kept in canonical URLs
    selectors: Selectors = Field(default_factory=Selectors)
    # dated selector versions (page templates over time), oldest first; see Layout
    layouts: list[Layout] = Field(default_factory=list)
    # what places a page in a layout's era: the date it was published (a site that keeps
    # old pages in their old template) or the date it was fetched (a site that renders every
    # page in its current template); without a date, the fetch date
    layout_date: Literal["published", "fetched"] = "published"
    # news agencies this outlet credits, by name, with the forms its pages write them in
    # ("Sputnik": ["سبوتنيك", "Sputnik"]); the international wires are known already
    agencies: dict[str, list[str]] = Field(default_factory=dict)
    politeness: Politeness = Field(default_factory=lambda: Politeness.model_validate({}))
    timezone: str = "UTC"  # for datelines without an offset
    schedule: str = "0 4 * * *"
    start_date: date = date(2026, 1, 1)
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("article_patterns", "deny_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} does not compile: {exc}") from exc
        return patterns

    @field_validator("layouts")
    @classmethod
    def _eras_in_order(cls, layouts: list[Layout]) -> list[Layout]:
        from itertools import pairwise

        for earlier, later in pairwise(layouts):
            if earlier.until is None or later.since is None or later.since <= earlier.until:
                raise ValueError(
                    "layouts must be oldest first and must not overlap: each but the last "
                    "needs an until, each but the first a since after it"
                )
        return layouts

    @field_validator("domains", "paywall_domains")
    @classmethod
    def _lower_domains(cls, domains: list[str]) -> list[str]:
        return [d.lower().strip(".") for d in domains]

    @model_validator(mode="after")
    def _has_a_route(self) -> Outlet:
        s = self.sitemaps
        if not (self.feeds or self.archives or s.index or s.ranged or s.monthly or s.news):
            raise ValueError("an outlet needs at least one feed, sitemap or date archive")
        for name, url in self.route_urls():
            if not self.owns(url):
                host = urlsplit(url).hostname
                raise ValueError(
                    f"{name}: host {host!r} of {url} is outside the outlet's domains {self.domains}"
                )
        return self

    def route_urls(self) -> list[tuple[str, str]]:
        """Every URL the routes start from, named by its field (``sitemaps.ranged``,
        ``archives[0].first_page``, …); templates filled with a sample date and page, so a
        template with an unknown placeholder fails here, naming its field."""
        s = self.sitemaps
        urls: list[tuple[str, str]] = [("homepage", self.homepage)]
        urls += [(f"feeds[{i}]", u) for i, u in enumerate(self.feeds)]
        urls += [(f"sitemaps.index[{i}]", u) for i, u in enumerate(s.index)]
        urls += [(f"sitemaps.news[{i}]", u) for i, u in enumerate(s.news)]
        templates: list[tuple[str, str, dict[str, str]]] = []
        if s.ranged:
            templates.append(("sitemaps.ranged", s.ranged, _SAMPLE_RANGE))
        if s.monthly:
            templates.append(("sitemaps.monthly", s.monthly, _SAMPLE_DAY))
        for i, a in enumerate(self.archives):
            templates.append((f"archives[{i}].template", a.template, _SAMPLE_DAY))
            if a.first_page:
                templates.append((f"archives[{i}].first_page", a.first_page, _SAMPLE_DAY))
        for name, template, sample in templates:
            try:
                urls.append((name, template.format(**sample)))
            except (KeyError, IndexError, ValueError) as exc:
                known = ", ".join("{" + k + "}" for k in sample)
                raise ValueError(
                    f"{name}: template {template!r} has an unknown placeholder {exc} "
                    f"(known: {known})"
                ) from None
        return urls

    # ---- derived, cached -------------------------------------------------------------------
    @cached_property
    def _article_res(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.article_patterns]

    @cached_property
    def _deny_res(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.deny_patterns]

    @property
    def language(self) -> str:
        return self.languages[0]

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_paywalled(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.paywall_domains)

    def is_denied(self, url: str) -> bool:
        return any(r.search(url) for r in self._deny_res)

    def is_article(self, url: str) -> bool:
        """An on-site URL that matches an article pattern and no deny pattern."""
        return (
            self.owns(url)
            and not self.is_denied(url)
            and any(r.search(url) for r in self._article_res)
        )

    def backfill_routes(self) -> list[Route]:
        """Discovery routes for a date range, best first."""
        routes: list[Route] = []
        if self.sitemaps.ranged:
            routes.append("ranged_sitemap")
        if self.sitemaps.monthly:
            routes.append("monthly_sitemap")
        if self.archives:
            routes.append("archive")
        if self.sitemaps.index:
            routes.append("sitemap")
        if self.feeds:
            routes.append("feed")
        return routes

    def daily_routes(self) -> list[Route]:
        """Discovery routes for a recent window: feeds and news sitemaps first."""
        routes: list[Route] = []
        if self.feeds:
            routes.append("feed")
        if self.sitemaps.news:
            routes.append("news_sitemap")
        if not routes:
            routes = self.backfill_routes()
        return routes


@dataclass(frozen=True)
class BrokenOutlet:
    """A registry file that did not load: the outlet id it stands for (its ``id:`` when that
    could be read, else the file's name), the file and the one-line error."""

    id: str
    path: Path
    error: str


def _validation_message(exc: ValidationError) -> str:
    """Pydantic's errors on one line: ``field: message; field: message``."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _load_file(path: Path) -> Outlet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Outlet.model_validate(data)
    except ValidationError as exc:
        raise OutletFileError(f"{path}: {_validation_message(exc)}") from exc
    except Exception as exc:  # any parse or validation error becomes one named error
        raise OutletFileError(f"{path}: {' '.join(str(exc).split())}") from exc


def _claimed_id(path: Path) -> str:
    """The outlet id a broken file stands for: its ``id:`` if the YAML says, else its name."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except Exception:  # unreadable YAML: the file's name is all there is
        return path.stem
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else path.stem


def scan_registry(
    extra_dirs: tuple[Path, ...] | list[Path] = (),
) -> tuple[dict[str, Outlet], list[BrokenOutlet]]:
    """Every outlet that loads, built-in first, then the extra folders (which may not
    redefine an id), and every file that did not: a broken file breaks only its outlet."""
    outlets: dict[str, Outlet] = {}
    broken: list[BrokenOutlet] = []
    for folder in [BUILTIN_DIR, *extra_dirs]:
        folder = Path(folder)
        if not folder.is_dir():
            raise OutletFileError(f"{folder}: outlet folder does not exist (NEWSLOOM_OUTLETS_DIR)")
        for path in sorted(folder.glob("*.yaml")):
            try:
                outlet = _load_file(path)
                if outlet.id in outlets:
                    raise OutletFileError(f"{path}: outlet id {outlet.id!r} is defined twice")
            except OutletFileError as exc:
                broken.append(BrokenOutlet(_claimed_id(path), path, str(exc)))
                continue
            outlets[outlet.id] = outlet
    logger.debug("loaded %d outlets, %d broken file(s)", len(outlets), len(broken))
    return outlets, broken


_warned: set[str] = set()


def load_registry(
    extra_dirs: tuple[Path, ...] | list[Path] = (), strict: bool = False
) -> dict[str, Outlet]:
    """Every outlet that loads (see :func:`scan_registry`). A broken file is logged as a
    WARNING naming it (once per process) and left out, or raised with ``strict``."""
    outlets, broken = scan_registry(extra_dirs)
    if broken and strict:
        raise OutletFileError(broken[0].error)
    for b in broken:
        if b.error not in _warned:
            _warned.add(b.error)
            logger.warning("outlet %r left out, its registry file is broken: %s", b.id, b.error)
    return outlets


def registry_errors(extra_dirs: tuple[Path, ...] | list[Path] = ()) -> list[BrokenOutlet]:
    """The registry files that do not load (none when the registry is sound)."""
    return scan_registry(extra_dirs)[1]


def get_outlet(outlet_id: str, extra_dirs: tuple[Path, ...] | list[Path] = ()) -> Outlet:
    """One outlet; :class:`OutletFileError` when its own file is broken (whatever the state of
    the others), :class:`UnknownOutlet` when no file defines it."""
    registry, broken = scan_registry(extra_dirs)
    if outlet_id in registry:
        return registry[outlet_id]
    mine = [b for b in broken if outlet_id in (b.id, b.path.stem)]
    if mine:
        raise OutletFileError(mine[0].error)
    known = ", ".join(sorted(registry))
    raise UnknownOutlet(f"unknown outlet {outlet_id!r}; known: {known}")
