"""The exit codes of ``newsloom`` (README, "Exit codes", and docs/operations.md): one meaning
each, so cron, CI and scripts can tell a good run from a partial one, a blocked outlet, a
broken configuration or an unreachable S3 without reading the output."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0  # done: a complete run, a healthy corpus; a skipped run is done (its manifest says why)
    FINDINGS = 1  # `newsloom health`: at least one finding; `newsloom extract`: a page failed
    USAGE = 2  # a bad argument: unknown outlet, a future day, --to before --from, --chunk-days 0
    UNAVAILABLE = 3  # S3 or the catalog unreachable or refusing us (one line names the endpoint)
    STAGE_FAILED = 4  # a stage failed: the crawl's cause, a held lock, commit conflicts, invariants
    UNREADABLE = 5  # a data file of the table cannot be read (the message names the objects)
    PARTIAL = 6  # the run committed, but some of the outlet's requests were refused or failed
    BLOCKED = 7  # the outlet refused the run: robots.txt, a bot challenge, unreachable listings
    CONFIG = 8  # configuration error: an environment variable, or the outlet's registry file
    NO_BUCKET = 9  # the bucket does not exist (only a run, a backfill or `s3 up` creates it)
    NO_TABLE = 10  # a read found no corpus table where it looked (the message says where)


# A run's outcome (processing.pipeline.outcome) as an exit code.
OUTCOME_EXIT = {
    "complete": Exit.OK,
    "skipped": Exit.OK,
    "partial": Exit.PARTIAL,
    "blocked": Exit.BLOCKED,
}
