"""The pipeline's view of an outlet: what the registry entry means for extraction."""

from __future__ import annotations

from crawlers.registry import Outlet
from processing.extraction import ExtractionProfile


def extraction_profile(outlet: Outlet) -> ExtractionProfile:
    s = outlet.selectors
    return ExtractionProfile(
        title=s.title,
        body=s.body,
        published=s.published,
        author=s.author,
        drop=tuple(s.drop),
        timezone=outlet.timezone,
    )
