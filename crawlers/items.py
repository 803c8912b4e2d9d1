"""Crawl items: what the spider reports. The records are the pipeline's own typed records
(``processing.core.records``), so what the crawler writes is exactly what the extract stage
and the manifest read."""

from processing.core.records import (
    ROLES,
    Candidate,
    CandidateDecision,
    FetchOutcome,
    FetchRecord,
    Role,
)

CrawlItem = FetchRecord | Candidate  # what the spider yields besides requests

__all__ = [
    "ROLES",
    "Candidate",
    "CandidateDecision",
    "CrawlItem",
    "FetchOutcome",
    "FetchRecord",
    "Role",
]
