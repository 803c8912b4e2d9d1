"""See the corpus: a static HTML health report and named health findings per outlet.

Layering: this package sits above :mod:`processing.pipeline` (it reads run manifests and the
corpus) and below the adapters (``processing.cli.report``, ``processing.airflow.health``).
All data access is in :mod:`processing.report.loader`; aggregation, rules and rendering are
pure functions of what it returns.

    from processing.report import check, write_report
    result = check(store, last=date(2026, 11, 20))      # findings, no plotting imported
    write_report(store, Path("report.html"))            # the page, with the same findings
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from processing.core.s3 import ObjectStore
from processing.report.aggregate import LOOKBACK_DAYS, Aggregates, aggregate
from processing.report.health import (
    BrokenOutletFile,
    Finding,
    Thresholds,
    default_range,
    evaluate,
)
from processing.report.loader import ReportInputs, load_inputs

logger = logging.getLogger(__name__)

__all__ = [
    "Aggregates",
    "Finding",
    "HealthResult",
    "ReportInputs",
    "ReportResult",
    "Thresholds",
    "aggregate",
    "check",
    "check_inputs",
    "evaluate",
    "load_inputs",
    "render_inputs",
    "write_report",
]


def _since(first: date) -> date:
    """The oldest manifest write day the range and the rules' look-back need."""
    return first - timedelta(days=LOOKBACK_DAYS + 1)


@dataclass(frozen=True)
class HealthResult:
    first: date
    last: date
    outlets: list[str]
    findings: list[Finding]

    @property
    def healthy(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class ReportResult:
    path: Path
    findings: list[Finding]
    seconds: float
    load_seconds: float


def check_inputs(
    inputs: ReportInputs,
    first: date | None = None,
    last: date | None = None,
    thresholds: Thresholds | None = None,
    broken: Iterable[BrokenOutletFile] = (),
) -> tuple[Aggregates, list[Finding]]:
    """Aggregate and judge in-memory inputs (what :func:`check` does after loading);
    ``broken``: the registry files that do not load (``crawlers.registry.registry_errors``)."""
    start, end = default_range(last, first)
    agg = aggregate(inputs, start, end)
    return agg, evaluate(agg, thresholds, broken)


def check(
    store: ObjectStore,
    first: date | None = None,
    last: date | None = None,
    thresholds: Thresholds | None = None,
    broken: Iterable[BrokenOutletFile] = (),
) -> HealthResult:
    """The health findings over ``[first, last]`` (default: the 30 days ending today, UTC)."""
    start, end = default_range(last, first)
    inputs = load_inputs(store, since=_since(start))
    agg, findings = check_inputs(inputs, start, end, thresholds, broken)
    return HealthResult(agg.first, agg.last, agg.outlets, findings)


def render_inputs(
    inputs: ReportInputs,
    first: date | None = None,
    last: date | None = None,
    thresholds: Thresholds | None = None,
    broken: Iterable[BrokenOutletFile] = (),
) -> tuple[str, list[Finding]]:
    """The report page (HTML) and its findings from in-memory inputs."""
    from processing.report.render import render_html

    agg, findings = check_inputs(inputs, first, last, thresholds, broken)
    return render_html(agg, findings), findings


def write_report(
    store: ObjectStore,
    out: Path,
    first: date | None = None,
    last: date | None = None,
    thresholds: Thresholds | None = None,
    broken: Iterable[BrokenOutletFile] = (),
) -> ReportResult:
    """Load, aggregate, judge and render; write the page to ``out``."""
    started = time.monotonic()
    first, last = default_range(last, first)
    inputs = load_inputs(store, since=_since(first))
    loaded = time.monotonic() - started
    page, findings = render_inputs(inputs, first, last, thresholds, broken)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    seconds = time.monotonic() - started
    logger.info("report %s written in %.1f s (%d finding(s))", out, seconds, len(findings))
    return ReportResult(out, findings, seconds, loaded)
