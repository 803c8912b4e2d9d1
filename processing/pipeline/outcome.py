"""What a committed run amounts to, from its manifest: complete, skipped, partial or blocked.

The adapters decide at the boundary how each ends: the command line as an exit code
(``processing.cli.exitcodes``), Airflow as a failed task (blocked: no retry, a retry cannot
change what the outlet answered) or a warning in the task log (partial).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

OutcomeKind = Literal["complete", "skipped", "partial", "blocked"]

# Access statuses of a run whose outlet refused discovery altogether (nothing listed).
BLOCKED_ACCESS = frozenset(
    {"blocked_by_robots", "bot_challenge", "unreachable", "discovery_failed"}
)
REFUSALS = ("blocked_by_robots", "bot_challenge", "unreachable")


@dataclass(frozen=True)
class RunOutcome:
    kind: OutcomeKind
    message: str  # one line: the outlet, the access status and the counts behind it

    @property
    def ok(self) -> bool:
        return self.kind in ("complete", "skipped")


def run_outcome(manifest: Mapping[str, object]) -> RunOutcome:
    """The outcome of one run from its manifest (``access.status`` and the counts)."""
    run_id = str(manifest.get("run_id", "?"))
    if manifest.get("status") == "skipped":
        return RunOutcome("skipped", f"{run_id}: skipped ({manifest.get('reason') or 'no reason'})")
    access = manifest.get("access")
    access = access if isinstance(access, Mapping) else {}
    status = str(access.get("status") or "ok")
    counts = manifest.get("counts")
    counts = counts if isinstance(counts, Mapping) else {}
    stored = counts.get("stored")
    total = int(stored.get("total", 0)) if isinstance(stored, Mapping) else 0
    refused = ", ".join(f"{k} {access[k]}" for k in REFUSALS if access.get(k))
    detail = f"stored {total}" + (f"; refused: {refused}" if refused else "")
    if status in BLOCKED_ACCESS:
        return RunOutcome("blocked", f"{run_id}: outlet refused the run ({status}); {detail}")
    if status == "partial":
        return RunOutcome("partial", f"{run_id}: partial, some requests refused; {detail}")
    return RunOutcome("complete", f"{run_id}: complete; {detail}")


def worst(outcomes: Iterable[RunOutcome]) -> RunOutcome | None:
    """The outcome of several runs (a backfill's chunks): blocked only when every chunk was
    blocked, partial when any chunk lost something, else the last one."""
    items = list(outcomes)
    if not items:
        return None
    if all(o.kind == "blocked" for o in items):
        return items[-1]
    bad = [o for o in items if not o.ok]
    if bad:
        first = bad[0]
        return RunOutcome(
            "partial", f"{len(bad)} of {len(items)} chunk(s) lost requests: {first.message}"
        )
    return items[-1]
