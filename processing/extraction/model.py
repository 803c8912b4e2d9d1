"""What extraction returns (``Extraction``) and how it refuses a document (``ExtractionError``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from processing.core.errors import ExtractionError as ExtractionError  # re-exported
from processing.core.jsontypes import JSONObject


@dataclass
class Extraction:
    url: str
    title: str | None
    text: str
    canonical_url: str | None = None
    description: str | None = None
    published_at: datetime | None = None
    # where published_at came from: selector, meta, json-ld, itemprop, time, unixtime,
    # visible, url, htmldate (None without a date)
    published_source: str | None = None
    modified_at: datetime | None = None
    authors: list[str] = field(default_factory=list)  # people
    # news agencies the page credits (AFP, Reuters, سانا…), apart from the people
    sources: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    declared_language: str | None = None
    # the publication day as the page writes it, in the page's own time zone (published_at
    # is UTC, so a late-evening article in New York is on the next day there)
    published_local_date: date | None = None
    # schema.org isAccessibleForFree: False for a paywalled page (its text is a teaser),
    # True when the page says it is free, None when the page does not say
    accessible_for_free: bool | None = None
    # the page's sharing/search title (og:title, twitter:title, <title>; site name stripped)
    # when it words the story differently from the headline
    seo_title: str | None = None
    # the outlet's layout era whose selectors were applied ("2021-07-01.."), None without
    layout: str | None = None

    def as_json(self) -> JSONObject:
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "seo_title": self.seo_title,
            "text": self.text,
            "description": self.description,
            "published": self.published_at.isoformat() if self.published_at else None,
            "published_local": (
                self.published_local_date.isoformat() if self.published_local_date else None
            ),
            "published_source": self.published_source,
            "modified": self.modified_at.isoformat() if self.modified_at else None,
            "authors": list(self.authors),
            "sources": list(self.sources),
            "section": self.section,
            "tags": list(self.tags),
            "declared_language": self.declared_language,
            "accessible_for_free": self.accessible_for_free,
            "layout": self.layout,
        }
