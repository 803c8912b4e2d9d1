"""``newsloom run``, ``backfill`` and ``runs``: collecting outlets and the run manifests."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from processing.cli.common import at_least, day, out
from processing.cli.exitcodes import OUTCOME_EXIT, Exit
from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.cli.common import Subcommands
    from processing.corpus import Corpus
    from processing.pipeline.manifest import RunManifest
    from processing.pipeline.outcome import RunOutcome


def register(sub: Subcommands) -> None:
    s = sub.add_parser("run", help="crawl -> extract -> translate -> store for one outlet-day")
    s.add_argument("--outlet", required=True)
    s.add_argument(
        "--date",
        type=day,
        help="the UTC day to collect (default: the last complete UTC day, yesterday; never a "
        "future day)",
    )
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("backfill", help="collect an outlet over a date range (resumable)")
    s.add_argument("--outlet", required=True)
    s.add_argument("--from", dest="from_", type=day, required=True)
    s.add_argument("--to", type=day, required=True)
    s.add_argument(
        "--force", action="store_true", help="fetch and store again what the corpus holds"
    )
    s.add_argument(
        "--chunk-days", type=at_least(1), default=7, help="days per crawl process (at least 1)"
    )
    s.set_defaults(func=cmd_backfill)

    s = sub.add_parser("runs", help="list run manifests, or print one")
    s.add_argument("run_id", nargs="?")
    s.add_argument("--outlet")
    s.set_defaults(func=cmd_runs)


def print_manifest_line(m: RunManifest) -> None:
    c = m["counts"]
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(c["rejected"].items())) or "none"
    access = m["access"]
    issues = ", ".join(f"{k} {v}" for k, v in access.items() if k != "status")
    print(
        f"{m['run_id']}: fetched {c['fetched']}, stored {c['stored']['total']} "
        f"(new {c['stored']['new']}, updated {c['stored']['updated']}, "
        f"unchanged {c['stored']['unchanged']}); translated {c['translated']}, "
        f"pending {c['pending']}, failed {c['translation_failed']}; rejected: {rejected}; "
        f"access: {access['status']}{' (' + issues + ')' if issues else ''}"
    )
    if access["status"] == "blocked_by_robots":
        print(f"  {m['outlet']}: blocked by robots.txt — nothing fetched beyond robots.txt")
    elif access["status"] == "bot_challenge":
        print(f"  {m['outlet']}: bot challenge page instead of content (Cloudflare or similar)")


def translation_hint(manifest: RunManifest, settings: Settings) -> None:
    if manifest["counts"]["pending"]:
        reasons = manifest.get("translation", {}).get("reasons") or {}
        why = next(iter(reasons), "the translation model could not be used")
        print(
            f"  {manifest['counts']['pending']} article(s) stored with translation_status="
            f"pending: {why}"
        )
        print(
            "  To translate them set NEWSLOOM_TRANSLATION_MODEL to a Marian model directory "
            "or hub id (now: " + settings.translation_model + ") and run "
            "`newsloom retranslate`."
        )


def _write_corpus(settings: Settings) -> Corpus:
    """The corpus of a run: the first write of a deployment creates its bucket."""
    from processing.core.s3 import open_store
    from processing.corpus import open_corpus

    return open_corpus(
        store=open_store(settings, create_bucket=True), settings=settings, write=True
    )


def report_outcome(outcome: RunOutcome | None) -> int:
    """Print a run's outcome when it is not a complete one; its exit code."""
    if outcome is None:
        return Exit.OK
    if not outcome.ok:
        print(f"{outcome.kind}: {outcome.message}", file=sys.stderr)
    return OUTCOME_EXIT[outcome.kind]


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.registry import get_outlet
    from processing.core.runspec import RunSpec, last_complete_day
    from processing.pipeline.outcome import run_outcome
    from processing.pipeline.runner import run_pipeline

    get_outlet(args.outlet, settings.outlets_dirs)  # fail fast on a typo
    today = datetime.now(UTC).date()
    when = args.date or last_complete_day()  # docs/operations.md, "The date rule"
    if when > today:
        print(f"error: {when} is in the future (today is {today} UTC)", file=sys.stderr)
        return Exit.USAGE
    spec = RunSpec.daily(args.outlet, when, settings.window_overlap_hours)
    corpus = _write_corpus(settings)
    manifest = run_pipeline(spec, settings, corpus)
    print_manifest_line(manifest)
    translation_hint(manifest, settings)
    print(f"manifest: {corpus.store.uri('runs/' + spec.run_id + '.json')}")
    return report_outcome(run_outcome(manifest))


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.registry import get_outlet
    from processing.cli.progress import progress
    from processing.pipeline.outcome import run_outcome, worst
    from processing.pipeline.runner import ChunkReport, backfill, chunks

    get_outlet(args.outlet, settings.outlets_dirs)
    if args.to < args.from_:
        print(f"error: --to {args.to} is before --from {args.from_}", file=sys.stderr)
        return Exit.USAGE
    corpus = _write_corpus(settings)
    outcomes = []
    total_days = (args.to - args.from_).days + 1
    print(f"backfill {args.outlet} {args.from_} .. {args.to} ({total_days} days)", flush=True)

    parts = chunks(args.from_, args.to, args.chunk_days)
    with progress(f"backfill {args.outlet}", total=total_days, unit="day") as advance:

        def chunk_done(c: ChunkReport, m: RunManifest) -> None:
            outcomes.append(run_outcome(m))
            advance(
                (c.last - c.first).days + 1,
                label=f"chunk {c.number}/{c.chunks} {c.first}..{c.last}",
                fetched=c.fetched,
                reused=c.reused,
                new=c.stored_new,
                known=c.skipped_known,
            )
            if c.access != "ok" or c.rejected:
                rej = ", ".join(f"{k} {v}" for k, v in sorted(c.rejected.items()))
                print(f"  {c.first}..{c.last}: access {c.access}; rejected: {rej or 'none'}")

        report = backfill(
            args.outlet,
            args.from_,
            args.to,
            settings,
            corpus,
            chunk_done,
            force=args.force,
            chunk_days=args.chunk_days,
        )
    print(f"{'day':<12}{'expected':>9}{'stored':>8}{'new':>6}")
    for d in report.days:
        print(f"{d.day.isoformat():<12}{d.expected:>9}{d.stored:>8}{d.new:>6}")
    print(
        f"{'total':<12}{sum(d.expected for d in report.days):>9}"
        f"{sum(d.stored for d in report.days):>8}{sum(d.new for d in report.days):>6}"
    )
    print(
        f"article fetches {report.fetched}, new articles {report.new}, "
        f"{len(parts)} crawl process(es)"
    )
    return report_outcome(worst(outcomes))


def cmd_runs(args: argparse.Namespace, settings: Settings) -> int:
    from processing.core import layout
    from processing.core.s3 import open_store

    store = open_store(settings)
    if args.run_id:
        out(store.get_json(layout.manifest_key(args.run_id)))
        return 0
    for obj in store.list_objects(layout.RUNS_PREFIX):
        run_id = obj["Key"][len(layout.RUNS_PREFIX) : -len(".json")]
        if (
            args.outlet
            and not run_id.startswith(args.outlet + ".")
            and f".{args.outlet}." not in run_id
        ):
            continue
        print(f"{obj['LastModified']:%Y-%m-%d %H:%M}  {run_id}")
    return 0
