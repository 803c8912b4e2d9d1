"""What a run is: outlet, kind, day and publication window, with a deterministic id."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

RunKind = Literal["daily", "backfill"]


@dataclass(frozen=True)
class RunSpec:
    """A run collects one outlet's articles published in ``[start, end)``.

    ``run_id`` depends only on outlet, kind and day, so running the same thing again (a retried
    Airflow task, a re-run CLI command) replaces that run's output instead of adding to it.
    """

    outlet: str
    kind: RunKind
    day: date
    start: datetime
    end: datetime

    @property
    def run_id(self) -> str:
        first = self.start.astimezone(UTC).date()
        if self.kind == "backfill" and first != self.day:
            return f"{self.outlet}.{self.kind}.{first.isoformat()}..{self.day.isoformat()}"
        return f"{self.outlet}.{self.kind}.{self.day.isoformat()}"

    @classmethod
    def daily(cls, outlet: str, day: date, overlap_hours: float = 6.0) -> RunSpec:
        """The day [00:00, 24:00) UTC plus ``overlap_hours`` before it (late-indexed items)."""
        start = datetime.combine(day, time(), UTC) - timedelta(hours=overlap_hours)
        end = datetime.combine(day + timedelta(days=1), time(), UTC)
        return cls(outlet, "daily", day, start, end)

    @classmethod
    def backfill_day(cls, outlet: str, day: date) -> RunSpec:
        start = datetime.combine(day, time(), UTC)
        return cls(outlet, "backfill", day, start, start + timedelta(days=1))

    @classmethod
    def span(cls, outlet: str, first: date, last: date) -> RunSpec:
        """One backfill-style run over several whole days (the demo uses it)."""
        if last < first:
            raise ValueError(f"empty range {first} .. {last}")
        start = datetime.combine(first, time(), UTC)
        end = datetime.combine(last + timedelta(days=1), time(), UTC)
        return cls(outlet, "backfill", last, start, end)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(
            day=self.day.isoformat(),
            start=self.start.isoformat(),
            end=self.end.isoformat(),
            run_id=self.run_id,
        )
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunSpec:
        return cls(
            d["outlet"],
            d["kind"],
            date.fromisoformat(d["day"]),
            datetime.fromisoformat(d["start"]),
            datetime.fromisoformat(d["end"]),
        )
