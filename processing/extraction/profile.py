"""What an outlet tells the extractor about its pages: CSS selectors and a time zone.

The extractor knows nothing of the outlet registry; the pipeline builds a profile from an
outlet's entry (``processing.pipeline.outlets.extraction_profile``). Every field is optional:
the generic path handles what a profile leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractionProfile:
    title: str | None = None  # CSS selector of the headline
    body: str | None = None  # CSS selector(s) of the body blocks
    published: str | None = None  # CSS selector of the publication date
    author: str | None = None  # CSS selector of the byline
    drop: tuple[str, ...] = ()  # CSS selectors removed before extraction
    timezone: str | None = None  # IANA zone for datelines written without an offset
    # news agencies this outlet credits besides the ones the extractor knows: (form, name)
    # pairs, e.g. ("سبوتنيك", "Sputnik")
    agencies: tuple[tuple[str, str], ...] = ()
