"""Crawl items: what the spider reports, one dataclass per kind of fact."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["robots", "feed", "sitemap", "archive", "article", "other"]

# What happened to one request. "fetched" means a usable 2xx response; everything else is a
# named reason to not treat the response as an article.
FetchOutcome = Literal[
    "fetched",
    "http_error",
    "robots_blocked",
    "bot_challenge",
    "too_large",
    "network_error",
    "offsite",
]

# What the spider decided about a URL it discovered in a feed, sitemap or archive.
CandidateDecision = Literal[
    "queued",
    "out_of_window",
    "duplicate",
    "not_article",
    "paywall",
    "offsite",
    "over_limit",
]


@dataclass
class FetchRecord:
    """One request and its outcome; ``raw_offset``/``raw_length`` locate its WARC record."""

    url: str
    role: Role
    outcome: FetchOutcome
    status: int = 0
    reason: str = ""
    final_url: str | None = None
    content_type: str | None = None
    raw_offset: int | None = None
    raw_length: int | None = None
    fetched_at: str | None = None  # ISO 8601 UTC
    canonical_url: str | None = None
    hint_published: str | None = None  # ISO date(time) from discovery, if any
    source: str | None = None  # the listing that led here

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Candidate:
    """An article URL found by discovery, before fetching."""

    url: str
    canonical_url: str
    source: str  # listing URL
    route: str  # feed | sitemap | news_sitemap | ranged_sitemap | monthly_sitemap | archive
    decision: CandidateDecision
    hint_published: str | None = None
    hint_title: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
