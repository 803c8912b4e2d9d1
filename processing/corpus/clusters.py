"""Stories as a reader sees them: the articles of the table grouped by ``story_id``
(``newsloom corpus stories``; docs/corpus.md, "Story links").

Reading side only (no fingerprints, no linking): the link columns were written by the
pipeline's link pass (``processing.pipeline.links``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from processing.corpus.expr import time_range

if TYPE_CHECKING:
    from pyiceberg.expressions import BooleanExpression

    from processing.corpus import Corpus

_COLUMNS = [
    "article_id",
    "story_id",
    "outlet",
    "language",
    "published_at",
    "duplicate_of",
    "title",
    "title_en",
]


@dataclass(frozen=True)
class StoryCluster:
    """One story: its articles published in the period asked for."""

    story_id: str
    size: int  # articles
    originals: int  # articles that are no one's copy (duplicate_of null): distinct texts
    outlets: list[str]
    languages: list[str]
    first_published: str | None
    last_published: str | None
    title: str | None  # the earliest article's English title (else its title)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def story_clusters(
    corpus: Corpus,
    since: datetime | None = None,
    until: datetime | None = None,
    outlet: str | None = None,
    min_size: int = 2,
) -> list[StoryCluster]:
    """The stories with at least ``min_size`` articles published in ``[since, until)``
    (undated articles count when no bound is given), largest first; ``outlet``: stories that
    outlet took part in. Rows not linked yet (``story_id`` null) are left out."""
    expr: BooleanExpression | None = None
    if since is not None or until is not None:
        start = since or datetime(1970, 1, 1, tzinfo=UTC)
        end = until or datetime(9999, 1, 1, tzinfo=UTC)
        expr = time_range("published_at", start, end)
    table = corpus.read(_COLUMNS, row_filter=expr)
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in table.to_pylist():
        if row["story_id"]:
            members[row["story_id"]].append(row)
    out = []
    for story, rows in members.items():
        if len(rows) < min_size or (outlet and all(r["outlet"] != outlet for r in rows)):
            continue
        dated = sorted(
            (r for r in rows if r["published_at"] is not None),
            key=lambda r: (r["published_at"], r["article_id"]),
        )
        first = dated[0] if dated else rows[0]
        out.append(
            StoryCluster(
                story_id=story,
                size=len(rows),
                originals=sum(1 for r in rows if r["duplicate_of"] is None),
                outlets=sorted({r["outlet"] for r in rows}),
                languages=sorted({r["language"] for r in rows}),
                first_published=_iso(dated[0]["published_at"]) if dated else None,
                last_published=_iso(dated[-1]["published_at"]) if dated else None,
                title=first["title_en"] or first["title"],
            )
        )
    out.sort(key=lambda c: (-c.size, c.first_published or "", c.story_id))
    return out


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None
