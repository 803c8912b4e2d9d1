"""What an outlet tells the extractor about its pages: selectors, lines to leave out, a time
zone, the agencies it credits, and dated selector versions (layouts).

The extractor knows nothing of the outlet registry; the pipeline builds a profile from an
outlet's entry (``processing.pipeline.outlets.extraction_profile``). Every field is optional:
the generic path handles what a profile leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal


@dataclass(frozen=True)
class Layout:
    """One era of an outlet's page template: its selectors from ``since`` to ``until`` (days
    included, either open). A selector given here replaces the profile's for pages of the
    era; ``drop`` and ``drop_lines`` add to the profile's."""

    since: date | None = None
    until: date | None = None
    title: str | None = None
    body: str | None = None
    published: str | None = None
    author: str | None = None
    drop: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def distance(self, day: date) -> int:
        """Days from ``day`` to this era (0 inside it)."""
        if self.since is not None and day < self.since:
            return (self.since - day).days
        if self.until is not None and day > self.until:
            return (day - self.until).days
        return 0

    @property
    def label(self) -> str:
        """``since..until`` with open ends left empty ("..2021-06-30", "2021-07-01..")."""
        return f"{self.since or ''}..{self.until or ''}"


@dataclass(frozen=True)
class ExtractionProfile:
    title: str | None = None  # CSS selector of the headline
    body: str | None = None  # CSS selector(s) of the body blocks
    published: str | None = None  # CSS selector of the publication date
    author: str | None = None  # CSS selector of the byline
    drop: tuple[str, ...] = ()  # CSS selectors removed before extraction
    drop_lines: tuple[str, ...] = ()  # regexes of whole lines left out of the text
    timezone: str | None = None  # IANA zone for datelines written without an offset
    # news agencies this outlet credits besides the ones the extractor knows: (form, name)
    # pairs, e.g. ("وكالة الأنباء", "Example News Agency")
    agencies: tuple[tuple[str, str], ...] = ()
    # dated selector versions, oldest first, chosen by the page's publication date or its
    # fetch date (``layout_date``)
    layouts: tuple[Layout, ...] = ()
    layout_date: Literal["published", "fetched"] = "published"
    layout: str | None = None  # the era applied (``Layout.label``), set by ``with_layout``

    def with_layout(self, era: Layout) -> ExtractionProfile:
        """This profile with the era's selectors applied (and no layouts left to choose)."""
        return replace(
            self,
            title=era.title or self.title,
            body=era.body or self.body,
            published=era.published or self.published,
            author=era.author or self.author,
            drop=(*self.drop, *era.drop),
            drop_lines=(*self.drop_lines, *era.drop_lines),
            layouts=(),
            layout=era.label,
        )

    def eras_for(self, day: date) -> list[Layout]:
        """The layouts in the order to try them for a page of ``day``: the era that covers it,
        then the others, nearest first."""
        return sorted(self.layouts, key=lambda era: era.distance(day))
