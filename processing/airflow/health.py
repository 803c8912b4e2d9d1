"""Task adapters of the ``newsloom_health`` DAG: evaluate the health rules, then warn.

Small JSON in and out (findings travel through XCom as dicts); the work is in
:mod:`processing.report`. Imported inside tasks only (it pulls in pyarrow and numpy).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from processing.core.config import Settings
from processing.core.jsontypes import JSONValue
from processing.core.s3 import ObjectStore
from processing.report import check
from processing.report.health import Finding
from processing.report.hooks import HOOK_ENV, notify

if TYPE_CHECKING:
    from crawlers.registry import BrokenOutlet

logger = logging.getLogger(__name__)

HEALTH_WINDOW_DAYS = 30  # days the health task loads (the rules look back up to 21 more)


def as_of(logical_date: datetime | None) -> date:
    """The last day a health run judges: the day before the run's logical date (the DAG uses
    a trigger timetable, so that is when it runs), by which time that day's daily crawls have
    had their run."""
    return (logical_date or datetime.now(UTC)).astimezone(UTC).date() - timedelta(days=1)


def open_store() -> ObjectStore:
    """The worker's store (from its environment; a configuration error is not retried)."""
    from processing.airflow.tasks import settings_or_fail
    from processing.core.s3 import open_store as open_configured

    return open_configured(settings_or_fail())


class HealthFindings(TypedDict):
    """``evaluate``'s XCom: the range judged (ISO days), its outlets and the findings (each
    as ``Finding.to_dict``)."""

    first: str
    last: str
    outlets: list[str]
    findings: list[dict[str, JSONValue]]


class WarningSent(TypedDict):
    """``warn``'s XCom: how many findings, the hook they went to (None: none configured)."""

    findings: int
    hook: str | None
    last: str | None


def broken_outlets() -> list[BrokenOutlet]:
    """The registry files that do not load (each a finding: ``outlet_config_invalid``)."""
    from crawlers.registry import registry_errors

    return list(registry_errors(Settings.from_env().outlets_dirs))


def evaluate(last: str) -> HealthFindings:
    """The findings for the range ending on ``last`` (ISO day), as XCom-friendly JSON."""
    end = date.fromisoformat(last)
    result = check(
        open_store(),
        end - timedelta(days=HEALTH_WINDOW_DAYS - 1),
        end,
        broken=broken_outlets(),
    )
    for f in result.findings:
        logger.info("finding: %s", f.line())
    logger.info(
        "health %s..%s: %d outlet(s), %d finding(s)",
        result.first,
        result.last,
        len(result.outlets),
        len(result.findings),
    )
    return HealthFindings(
        first=result.first.isoformat(),
        last=result.last.isoformat(),
        outlets=result.outlets,
        findings=[f.to_dict() for f in result.findings],
    )


def warn(result: HealthFindings, hook: str | None = None) -> WarningSent:
    """Turn findings into a warning: one WARNING log line each, then the deployment's hook
    (``NEWSLOOM_HEALTH_HOOK`` unless ``hook`` is given). A failing hook raises, so the task
    fails and is retried: the warning was not delivered."""
    findings = [Finding.from_dict(d) for d in result.get("findings", [])]
    target = hook if hook is not None else os.environ.get(HOOK_ENV) or None
    for f in findings:
        logger.warning("%s", f.line())
    sent = notify(findings, target)
    if findings and not sent:
        logger.warning(
            "%d finding(s); no hook configured (set %s=package.module:function to send them "
            "to Slack, e-mail, …)",
            len(findings),
            HOOK_ENV,
        )
    return WarningSent(
        findings=len(findings), hook=target if sent else None, last=result.get("last")
    )
