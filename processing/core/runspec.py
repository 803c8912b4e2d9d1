"""What a run is: outlet, kind, the days it collects and its window, and a unique run id.

A run id names one execution: ``<outlet>.<kind>.<first>[..<last>].<attempt>`` where the
attempt is a UTC time stamp plus random hex (``20261129T021530Z-4f2a``). Raw archives,
staging objects and manifests are keyed by it, so re-running the same day (a second manual
run, an Airflow retry of the crawl, ``backfill --force``, two runs at once) never overwrites
what an earlier execution wrote: every ``raw_ref`` ever stored stays valid. ``slot`` is the
part without the attempt: the same for every execution of the same outlet-day(s).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, NotRequired, TypedDict

RunKind = Literal["daily", "backfill"]


class RunSpecDict(TypedDict):
    """A run spec as JSON (what Airflow tasks hand each other, what the crawl process reads):
    days as ISO dates, the window as ISO date-times, plus the run id it names. Specs written
    before a field existed lack it (``RunSpec.from_dict`` takes its default)."""

    outlet: str
    kind: RunKind
    first: str
    last: str
    start: str
    end: str
    attempt: str
    pad_before: NotRequired[bool]
    pad_after: NotRequired[bool]
    force: NotRequired[bool]
    range_first: NotRequired[str | None]
    range_last: NotRequired[str | None]
    run_id: NotRequired[str]


def last_complete_day(now: datetime | None = None) -> date:
    """The day a daily run without a date collects: the last complete UTC day (yesterday),
    from the command line as from an Airflow run triggered without a logical date."""
    return (now or datetime.now(UTC)).astimezone(UTC).date() - timedelta(days=1)


def new_attempt(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


@dataclass(frozen=True)
class RunSpec:
    """A run collects one outlet's articles published in ``[start, end)``, days
    ``first``..``last`` (UTC). ``pad_before``/``pad_after``: discovery reads one more local
    day at that edge (the outlet's local days differ from UTC days), which a backfill does
    only at the edges of its whole range, not between its chunks."""

    outlet: str
    kind: RunKind
    first: date
    last: date
    start: datetime
    end: datetime
    attempt: str = field(default_factory=new_attempt)
    pad_before: bool = True
    pad_after: bool = True
    force: bool = False  # re-fetch and re-store articles the corpus already holds
    # a backfill chunk accepts articles published anywhere in its whole backfill's range
    # (an article listed at a chunk edge is stored, not fetched again by the next chunk)
    range_first: date | None = None
    range_last: date | None = None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"empty range {self.first} .. {self.last}")
        if self.start.tzinfo is None or self.end.tzinfo is None or self.end <= self.start:
            raise ValueError(f"bad window {self.start} .. {self.end}")

    @property
    def slot(self) -> str:
        days = self.first.isoformat()
        if self.last != self.first:
            days += f"..{self.last.isoformat()}"
        return f"{self.outlet}.{self.kind}.{days}"

    @property
    def run_id(self) -> str:
        return f"{self.slot}.{self.attempt}"

    @property
    def accept_window(self) -> tuple[datetime, datetime]:
        """Publication times the run stores: its window, or its whole backfill's range."""
        if self.range_first is None or self.range_last is None:
            return self.start, self.end
        return (
            min(self.start, datetime.combine(self.range_first, time(), UTC)),
            max(self.end, datetime.combine(self.range_last + timedelta(days=1), time(), UTC)),
        )

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def retry(self) -> RunSpec:
        """The same run as a new execution (a new attempt id)."""
        return replace(self, attempt=new_attempt())

    @classmethod
    def daily(cls, outlet: str, day: date, overlap_hours: float = 6.0) -> RunSpec:
        """The day [00:00, 24:00) UTC plus ``overlap_hours`` before it (late-indexed items)."""
        start = datetime.combine(day, time(), UTC) - timedelta(hours=overlap_hours)
        end = datetime.combine(day + timedelta(days=1), time(), UTC)
        return cls(outlet, "daily", day, day, start, end)

    @classmethod
    def backfill(
        cls,
        outlet: str,
        first: date,
        last: date,
        *,
        pad_before: bool = True,
        pad_after: bool = True,
        force: bool = False,
        range_first: date | None = None,
        range_last: date | None = None,
    ) -> RunSpec:
        """Whole UTC days ``first``..``last`` (one chunk of a backfill over ``range_first``..
        ``range_last``, when given)."""
        start = datetime.combine(first, time(), UTC)
        end = datetime.combine(last + timedelta(days=1), time(), UTC)
        return cls(
            outlet,
            "backfill",
            first,
            last,
            start,
            end,
            new_attempt(),
            pad_before,
            pad_after,
            force,
            range_first,
            range_last,
        )

    def to_dict(self) -> RunSpecDict:
        return RunSpecDict(
            outlet=self.outlet,
            kind=self.kind,
            first=self.first.isoformat(),
            last=self.last.isoformat(),
            start=self.start.isoformat(),
            end=self.end.isoformat(),
            attempt=self.attempt,
            pad_before=self.pad_before,
            pad_after=self.pad_after,
            force=self.force,
            range_first=self.range_first.isoformat() if self.range_first else None,
            range_last=self.range_last.isoformat() if self.range_last else None,
            run_id=self.run_id,
        )

    @classmethod
    def from_dict(cls, d: RunSpecDict) -> RunSpec:
        range_first, range_last = d.get("range_first"), d.get("range_last")
        return cls(
            d["outlet"],
            d["kind"],
            date.fromisoformat(d["first"]),
            date.fromisoformat(d["last"]),
            datetime.fromisoformat(d["start"]),
            datetime.fromisoformat(d["end"]),
            d["attempt"],
            bool(d.get("pad_before", True)),
            bool(d.get("pad_after", True)),
            bool(d.get("force", False)),
            date.fromisoformat(range_first) if range_first else None,
            date.fromisoformat(range_last) if range_last else None,
        )
