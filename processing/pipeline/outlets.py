"""The pipeline's view of an outlet: what its registry entry means for extraction, and its row
in the ``outlets`` table."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from crawlers.registry import Outlet
from processing.core.config import Settings
from processing.corpus import Corpus
from processing.extraction import ExtractionProfile
from processing.extraction.profile import Layout


def extraction_profile(outlet: Outlet) -> ExtractionProfile:
    """The outlet's selectors, line patterns, time zone, agencies and dated layouts."""
    s = outlet.selectors
    return ExtractionProfile(
        title=s.title,
        body=s.body,
        published=s.published,
        author=s.author,
        drop=tuple(s.drop),
        drop_lines=tuple(s.drop_lines),
        timezone=outlet.timezone,
        agencies=tuple(
            (form, name) for name, forms in outlet.agencies.items() for form in (name, *forms)
        ),
        layouts=tuple(
            Layout(
                since=era.since,
                until=era.until,
                title=era.title,
                body=era.body,
                published=era.published,
                author=era.author,
                drop=tuple(era.drop),
                drop_lines=tuple(era.drop_lines),
            )
            for era in outlet.layouts
        ),
        layout_date=outlet.layout_date,
    )


class OutletRow(TypedDict):
    """One row of the ``outlets`` table (docs/corpus.md)."""

    id: str
    name: str
    site: str
    domains: list[str]
    country: str | None
    languages: list[str]
    kind: str | None
    paywall: bool
    robots_status: str | None
    added: date
    enabled: bool


def outlet_row(outlet: Outlet, robots_status: str | None) -> OutletRow:
    """One row of the ``outlets`` table."""
    return {
        "id": outlet.id,
        "name": outlet.name,
        "site": outlet.homepage,
        "domains": list(outlet.domains),
        "country": outlet.country,
        "languages": list(outlet.languages),
        "kind": outlet.kind,
        "paywall": bool(outlet.paywall_domains),
        "robots_status": robots_status,
        "added": outlet.start_date,
        "enabled": outlet.enabled,
    }


def sync_outlets_table(
    corpus: Corpus, settings: Settings, access: dict[str, str] | None = None
) -> bool:
    """Make the ``outlets`` table match the registry; ``access`` updates outlets' latest access
    status (``robots_status``). One commit, only when something differs."""
    from crawlers.registry import load_registry

    current = {r["id"]: r.get("robots_status") for r in corpus.read_outlets().to_pylist()}
    current.update(access or {})
    rows = [outlet_row(o, current.get(o.id)) for o in load_registry(settings.outlets_dirs).values()]
    return corpus.sync_outlets(rows)
