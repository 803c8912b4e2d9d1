"""``newsloom_health``: every morning, judge each outlet's recent days and warn on findings.

``evaluate`` runs the health rules (docs/health.md) over the 30 days ending yesterday and
returns the findings; it fails (and retries) only when it cannot read the corpus. ``notify``
logs each finding as a WARNING and calls the deployment's hook (``NEWSLOOM_HEALTH_HOOK``,
e.g. a Slack or e-mail sender); it is skipped when there is nothing to say. A finding is a
fact about the outlets' data, not a failure of the pipeline, so the run stays green: a green
``notify`` means a warning went out that day, a skipped one means all outlets looked healthy.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from airflow.sdk import dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable

from processing.airflow import DEFAULT_ARGS

if TYPE_CHECKING:  # processing.airflow.health loads pyarrow: imported inside the tasks only
    from processing.airflow.health import HealthFindings, WarningSent

SCHEDULE = os.environ.get("NEWSLOOM_HEALTH_SCHEDULE", "0 6 * * *")


@dag(
    dag_id="newsloom_health",
    schedule=CronTriggerTimetable(SCHEDULE, timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newsloom", "health"],
    doc_md=__doc__,
)
def newsloom_health() -> None:
    # (the return types are not importable at parse time, so Airflow cannot infer from them
    # that the tasks return dicts; multiple_outputs says it)
    @task(multiple_outputs=True)
    def evaluate() -> HealthFindings:
        from processing.airflow import health

        ctx = get_current_context()
        day = health.as_of(ctx.get("logical_date"))
        return health.evaluate(day.isoformat())

    @task(multiple_outputs=True)
    def notify(result: HealthFindings) -> WarningSent:
        from airflow.sdk.exceptions import AirflowSkipException

        from processing.airflow import health

        if not result.get("findings"):
            raise AirflowSkipException(
                f"healthy: {len(result.get('outlets', []))} outlet(s), no findings up to "
                f"{result.get('last')}"
            )
        return health.warn(result)

    # Airflow's Task type cannot say that a task called with an XComArg gets its value
    notify(evaluate())  # type: ignore[arg-type]


newsloom_health()
