"""``newsloom``: the command line. Each command is a thin wrapper over library functions."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from processing.config import Settings

logger = logging.getLogger("newsloom")


def _setup_logging(level: str, verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    for noisy in (
        "botocore",
        "boto3",
        "urllib3",
        "s3transfer",
        "scrapy",
        "filelock",
        "trafilatura",
        "htmldate",
        "httpx",
        "huggingface_hub",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _default(o: Any) -> Any:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, bytes):
        return o.decode("utf-8", "replace")
    raise TypeError(type(o).__name__)


def _out(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_default) + "\n")


# ---- s3 ---------------------------------------------------------------------------------
def cmd_s3(args: argparse.Namespace, settings: Settings) -> int:
    from processing.embedded_s3 import EmbeddedS3, EmbeddedS3Error

    if not settings.embedded:
        print(
            f"S3 is external ({settings.s3_endpoint}, bucket {settings.s3_bucket}); "
            "nothing to manage here"
        )
        return 0
    server = EmbeddedS3(settings.state_dir, settings.embedded_s3_port)
    if args.action == "up":
        try:
            status = server.up()
        except EmbeddedS3Error as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        from processing.s3 import open_store

        open_store(settings)  # creates the bucket
        print(f"embedded S3 {status.describe()}; bucket {settings.s3_bucket}")
    elif args.action == "down":
        print("stopped" if server.down() else "not running")
    else:
        print(f"embedded S3 {server.status().describe()}")
    return 0


# ---- run / backfill ---------------------------------------------------------------------
def _print_manifest_line(m: dict[str, Any]) -> None:
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


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    with _maybe_mirror(args) as settings:
        return _run(args, settings)


def _maybe_mirror(args: argparse.Namespace) -> Any:
    """``--mirror``: crawl the local outlet mirror instead of the live sites."""
    import contextlib

    if not getattr(args, "mirror", False):
        return contextlib.nullcontext(Settings.from_env())

    @contextlib.contextmanager
    def session() -> Any:
        from processing.demo import local_mirror

        with local_mirror(args.mirror_anchor) as mirror:
            print(
                f"crawling the local mirror at {mirror.url} (its newest day: "
                f"{mirror.catalog.anchor})",
                flush=True,
            )
            yield Settings.from_env()

    return session()


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.registry import get_outlet
    from processing.runner import run_pipeline
    from processing.runspec import RunSpec
    from processing.s3 import open_store

    get_outlet(args.outlet, settings.outlets_dirs)  # fail fast on a typo
    day = args.date or datetime.now(UTC).date()
    if args.mirror and not args.date:  # the mirror's newest day
        day = args.mirror_anchor or datetime.now(UTC).date() - timedelta(days=1)
    spec = RunSpec.daily(args.outlet, day, settings.window_overlap_hours)
    store = open_store(settings)
    manifest = run_pipeline(spec, settings, store)
    _print_manifest_line(manifest)
    _translation_hint(manifest, settings)
    print(f"manifest: {store.uri('runs/' + spec.run_id + '.json')}")
    return 0


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    with _maybe_mirror(args) as settings:
        return _backfill(args, settings)


def _backfill(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.registry import get_outlet
    from processing.runner import DayReport, backfill
    from processing.s3 import open_store

    get_outlet(args.outlet, settings.outlets_dirs)
    store = open_store(settings)
    total_days = (args.to - args.from_).days + 1
    print(f"backfill {args.outlet} {args.from_} .. {args.to} ({total_days} days)")
    print(f"{'day':<12}{'expected':>9}{'stored':>8}{'new':>6}  status")

    def progress(r: DayReport) -> None:
        state = "already done" if r.skipped else r.access
        rej = ", ".join(f"{k} {v}" for k, v in sorted(r.rejected.items()))
        print(
            f"{r.day.isoformat():<12}{r.expected:>9}{r.stored:>8}{r.new:>6}  {state}"
            f"{'  rejected: ' + rej if rej else ''}",
            flush=True,
        )

    reports = backfill(
        args.outlet, args.from_, args.to, settings, store, progress, force=args.force
    )
    print(
        f"{'total':<12}{sum(r.expected for r in reports):>9}"
        f"{sum(r.stored for r in reports):>8}{sum(r.new for r in reports):>6}"
    )
    return 0


def _translation_hint(manifest: dict[str, Any], settings: Settings) -> None:
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


# ---- corpus -----------------------------------------------------------------------------
def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    from processing import corpus
    from processing.s3 import open_store

    store = open_store(settings)
    if args.action == "ls":
        for outlet, day, key in corpus.partitions(store, args.outlet):
            size = next(iter(store.list_objects(key)), {}).get("Size", 0)
            print(f"{outlet:<16}{day}  {size:>9} B  {store.uri(key)}")
        return 0
    if args.action == "stats":
        from collections import Counter

        per: Counter[tuple[str, str, str]] = Counter()
        for row in corpus.iter_articles(
            store, args.outlet, ["outlet", "language", "translation_status"]
        ):
            per[(row["outlet"], row["language"], row["translation_status"])] += 1
        print(f"{'outlet':<16}{'language':<10}{'translation':<16}{'articles':>9}")
        for (o, lang, st), n in sorted(per.items()):
            print(f"{o:<16}{lang:<10}{st:<16}{n:>9}")
        print(f"{'total':<42}{sum(per.values()):>9}")
        return 0
    # export
    columns = None
    if args.columns:
        columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    for row in corpus.iter_articles(store, args.outlet, columns):
        if args.format == "jsonl":
            _out(row)
    return 0


# ---- extract ----------------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from processing.extraction import ExtractionError, extract
    from processing.language import detect_language

    status = 0
    for path in args.files:
        p = Path(path)
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        url = args.url or p.resolve().as_uri()
        try:
            ext = extract(data, url)
        except ExtractionError as exc:
            _out({"path": str(p), "url": url, "error": exc.reason, "detail": exc.detail})
            status = 1
            continue
        lang = detect_language(f"{ext.title or ''}\n{ext.text}", ext.declared_language)
        _out(
            {
                "path": str(p),
                "url": url,
                "title": ext.title,
                "text": ext.text,
                "published": ext.published_at,
                "modified": ext.modified_at,
                "authors": ext.authors,
                "language": lang.language,
                "language_confidence": lang.confidence,
                "description": ext.description,
            }
        )
    return status


# ---- outlets / mirror / demo ------------------------------------------------------------
def cmd_outlets(args: argparse.Namespace, settings: Settings) -> int:
    from crawlers.registry import load_registry

    for o in load_registry(settings.outlets_dirs).values():
        routes = ",".join(o.backfill_routes())
        print(f"{o.id:<16}{'/'.join(o.languages):<6}{o.domains[0]:<28}backfill: {routes}")
    return 0


def cmd_mirror(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from crawlers.mirror.server import MirrorServer

    anchor = args.anchor or datetime.now(UTC).date() - timedelta(days=1)
    with MirrorServer(port=args.port, anchor=anchor, seed=args.seed) as mirror:
        print(
            f"mirror serving at {mirror.url} (anchor {mirror.catalog.anchor}); "
            f"set NEWSLOOM_MIRROR_URL={mirror.url} to crawl it. Ctrl-C stops.",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def cmd_retranslate(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses

    from processing.maintenance import retranslate
    from processing.s3 import open_store

    if args.model:
        settings = dataclasses.replace(settings, translation_model=args.model)
    store = open_store(settings)
    r = retranslate(store, settings, args.outlet, everything=args.all)
    print(
        f"retranslate: examined {r.examined} rows, selected {r.selected}, rewrote "
        f"{r.rewritten}; statuses {dict(r.statuses)}; manifest "
        f"{store.uri('runs/' + r.run_id + '.json')}"
    )
    if r.statuses.get("pending"):
        print(
            "  some rows are still pending: is NEWSLOOM_TRANSLATION_MODEL "
            f"({settings.translation_model}) reachable?"
        )
    return 0


def cmd_reprocess(args: argparse.Namespace, settings: Settings) -> int:
    from processing.maintenance import reprocess
    from processing.s3 import open_store

    store = open_store(settings)
    r = reprocess(
        store, settings, args.outlet, args.from_, args.to, translate=not args.no_translate
    )
    print(
        f"reprocess {args.outlet} {args.from_}..{args.to}: examined {r.examined} rows, "
        f"rebuilt {r.selected}, rewrote {r.rewritten}; problems {dict(r.problems) or 'none'}"
    )
    return 0


def cmd_runs(args: argparse.Namespace, settings: Settings) -> int:
    from processing import layout
    from processing.s3 import open_store

    store = open_store(settings)
    if args.run_id:
        _out(store.get_json(layout.manifest_key(args.run_id)))
        return 0
    for obj in store.list_objects("runs/"):
        run_id = obj["Key"][len("runs/") : -len(".json")]
        if (
            args.outlet
            and not run_id.startswith(args.outlet + ".")
            and f".{args.outlet}." not in run_id
        ):
            continue
        print(f"{obj['LastModified']:%Y-%m-%d %H:%M}  {run_id}")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from processing.demo import run_demo

    return run_demo(settings, anchor=args.anchor, outlets=args.outlet)


def _mirror_options(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--mirror",
        action="store_true",
        help="crawl the built-in local mirror of the outlets (offline), not the web",
    )
    s.add_argument(
        "--mirror-anchor",
        type=_day,
        help="the mirror's newest day (default: yesterday, UTC); it serves 7 days",
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsloom",
        description="newsloom: multilingual news ingestion into a partitioned S3 corpus.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("s3", help="manage the embedded S3 server (SeaweedFS)")
    s.add_argument("action", choices=["up", "down", "status"])
    s.set_defaults(func=cmd_s3)

    s = sub.add_parser("run", help="crawl -> extract -> translate -> store for one outlet-day")
    s.add_argument("--outlet", required=True)
    s.add_argument(
        "--date",
        type=_day,
        help="the day to collect (default: today, UTC; with --mirror: its newest day)",
    )
    _mirror_options(s)
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("backfill", help="collect an outlet over a date range, day by day")
    s.add_argument("--outlet", required=True)
    s.add_argument("--from", dest="from_", type=_day, required=True)
    s.add_argument("--to", type=_day, required=True)
    s.add_argument("--force", action="store_true", help="redo days already committed")
    _mirror_options(s)
    s.set_defaults(func=cmd_backfill)

    s = sub.add_parser("corpus", help="look at the corpus in S3")
    s.add_argument("action", choices=["ls", "stats", "export"])
    s.add_argument("--outlet")
    s.add_argument("--format", choices=["jsonl"], default="jsonl")
    s.add_argument("--columns", help="comma-separated columns to export")
    s.set_defaults(func=cmd_corpus)

    s = sub.add_parser("extract", help="extract articles from saved HTML files (plain or .gz)")
    s.add_argument("--url", help="the page's URL (default: the file's file:// URI)")
    s.add_argument("files", nargs="+")
    s.set_defaults(func=cmd_extract)

    s = sub.add_parser("retranslate", help="translate pending rows / rows of another model")
    s.add_argument("--outlet")
    s.add_argument("--model", help="model id or directory (default NEWSLOOM_TRANSLATION_MODEL)")
    s.add_argument("--all", action="store_true", help="re-translate every non-English row")
    s.set_defaults(func=cmd_retranslate)

    s = sub.add_parser("reprocess", help="rebuild rows from raw WARC without re-crawling")
    s.add_argument("--outlet", required=True)
    s.add_argument("--from", dest="from_", type=_day, required=True)
    s.add_argument("--to", type=_day, required=True)
    s.add_argument("--no-translate", action="store_true", help="leave changed rows pending")
    s.set_defaults(func=cmd_reprocess)

    s = sub.add_parser("runs", help="list run manifests, or print one")
    s.add_argument("run_id", nargs="?")
    s.add_argument("--outlet")
    s.set_defaults(func=cmd_runs)

    s = sub.add_parser(
        "translation", help="tiny-model DIR | convert MODEL DIR | translate", add_help=False
    )
    s.add_argument("rest", nargs=argparse.REMAINDER)  # handled in main()

    s = sub.add_parser("outlets", help="list the outlet registry (validates it)")
    s.set_defaults(func=cmd_outlets)

    s = sub.add_parser("mirror", help="serve the local outlet mirror in the foreground")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--anchor", type=_day, help="the mirror's newest day (default: yesterday)")
    s.add_argument("--seed", type=int, default=7)
    s.set_defaults(func=cmd_mirror)

    s = sub.add_parser("demo", help="run every outlet against the local mirror and summarise")
    s.add_argument("--anchor", type=_day, help="the mirror's newest day (default: yesterday)")
    s.add_argument("--outlet", action="append", help="only these outlets (repeatable)")
    s.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["translation"]:  # its own parser (options such as --help included)
        from processing.translation.cli import main as translation_main

        return translation_main(argv[1:], prog="newsloom translation")
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    _setup_logging(settings.log_level, args.verbose)
    from crawlers.registry import RegistryError
    from processing.s3 import StoreUnavailable
    from processing.stages import StageError

    try:
        return int(args.func(args, settings))
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"error: S3 unavailable: {exc}", file=sys.stderr)
        return 3
    except StageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
