"""``python -m devkit demo`` (``make demo``): the whole pipeline on embedded defaults,
against the local mirror.

Starts (or reuses) the embedded S3 server, serves the outlet mirror on a free port, runs
every configured outlet over the mirror's days, and prints what landed where.
"""

from __future__ import annotations

import logging
import os
import textwrap
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from processing.core.config import Settings

if TYPE_CHECKING:
    from processing.corpus import Corpus
    from processing.pipeline.manifest import RunManifest

logger = logging.getLogger(__name__)

MIRROR_DAYS = 7
DEMO_CRAWL_DELAY = "0.05"  # the mirror is local; real outlets get their registry politeness


def _mirror_outlets_dir() -> Path:
    import devkit.mirror

    return Path(devkit.mirror.__file__).parent / "outlets"


def _short(text: str | None, width: int = 300) -> str:
    return textwrap.shorten(" ".join((text or "").split()), width=width, placeholder=" …")


@contextmanager
def local_mirror(
    anchor: date | None = None,
    port: int = 0,
    days: int = 7,
    outlets: list[str] | None = None,
) -> Iterator[Any]:
    """Serve the outlet mirror (``days`` days ending on ``anchor``; only ``outlets`` when
    given) and point this process (and the crawls it launches) at it: the mirror route
    (:func:`devkit.mirror.route.route_env`), the mirror-only outlets, and a short crawl
    delay. The environment is restored afterwards."""
    from devkit.mirror.route import MIRROR_URL_SETTING, SCRAPY_SETTINGS_VAR, route_env
    from devkit.mirror.server import MirrorServer

    saved = {
        k: os.environ.get(k)
        for k in (
            SCRAPY_SETTINGS_VAR,
            "PYTHONPATH",
            MIRROR_URL_SETTING,
            "NEWSLOOM_OUTLETS_DIR",
            "NEWSLOOM_CRAWL_DELAY",
        )
    }
    # By default the mirror's newest day is yesterday (UTC), so no article lies in the future.
    anchor = anchor or datetime.now(UTC).date() - timedelta(days=1)
    mirror = MirrorServer(port=port, anchor=anchor, days=days, outlets=outlets).start()
    try:
        extra = [str(_mirror_outlets_dir())]
        for folder in (saved["NEWSLOOM_OUTLETS_DIR"] or "").split(os.pathsep):
            if folder and Path(folder).resolve() != Path(extra[0]).resolve():
                extra.append(folder)
        os.environ.update(route_env(mirror.url))
        os.environ["NEWSLOOM_OUTLETS_DIR"] = os.pathsep.join(extra)
        os.environ.setdefault("NEWSLOOM_CRAWL_DELAY", DEMO_CRAWL_DELAY)
        yield mirror
    finally:
        mirror.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_demo(
    settings: Settings, anchor: date | None = None, outlets: list[str] | None = None
) -> int:
    from crawlers.registry import load_registry
    from processing.cli.progress import progress
    from processing.core.runspec import RunSpec
    from processing.core.s3 import open_store
    from processing.corpus import open_corpus
    from processing.pipeline.runner import run_pipeline

    corpus = open_corpus(
        store=open_store(settings, create_bucket=True), settings=settings, write=True
    )
    store = corpus.store
    where = (
        "embedded SeaweedFS at " + str(store.endpoint)
        if settings.embedded
        else f"{settings.s3_endpoint or 'AWS S3'}"
    )
    print(f"S3: {where}, bucket {store.bucket}")
    with local_mirror(anchor) as mirror:
        settings = Settings.from_env()
        last = mirror.catalog.anchor
        first = last - timedelta(days=MIRROR_DAYS - 1)
        print(f"mirror: {mirror.url} reproducing the outlets, articles {first} .. {last}")
        registry = load_registry(settings.outlets_dirs)
        chosen = [o for o in registry.values() if o.enabled and (not outlets or o.id in outlets)]
        manifests: list[RunManifest] = []
        with progress("demo", total=len(chosen), unit="outlet") as advance:
            for outlet in chosen:
                spec = RunSpec.backfill(outlet.id, first, last)
                manifest = run_pipeline(spec, settings, corpus)
                manifests.append(manifest)
                advance(1, label=outlet.id, stored=manifest["counts"]["stored"]["total"])
                _print_run(manifest)
    _print_summary(corpus, manifests)
    from crawlers.registry import registry_errors
    from processing.report import write_report

    # The range and the inputs of `newsloom health` (the 30 days ending today, the registry's
    # broken files), so the two agree: judged on the mirror's days alone, the rules missed
    # what arrived after them (today's pending translations).
    report = write_report(
        store, settings.state_dir / "report.html", broken=registry_errors(settings.outlets_dirs)
    )
    print(f"\nHealth ({len(report.findings)} finding(s), as `newsloom health` reports them):")
    for f in report.findings:
        print(f"  {f.line()}")
    print(f"Health report: {report.path.resolve()}")
    return 0


def _print_run(m: RunManifest) -> None:
    c = m["counts"]
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(c["rejected"].items()))
    access = m["access"]["status"]
    note = {
        "blocked_by_robots": "blocked by robots.txt (only robots.txt was fetched)",
        "bot_challenge": "bot challenge page",
        "unreachable": "unreachable",
    }.get(access, access)
    issues = {k: v for k, v in m["access"].items() if k != "status"}
    print(
        f"  {m['outlet']:<16} stored {c['stored']['total']:>3} (new {c['stored']['new']:>3})"
        f"  access: {note}{' ' + str(issues) if issues else ''}"
        f"{'  rejected: ' + rejected if rejected else ''}"
    )


def link_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Story links among ``rows`` (table rows with outlet, language, story_id, duplicate_of):
    duplicates, stories of two articles or more, and those spanning outlets or languages."""
    outlets: dict[str, set[str]] = {}
    languages: dict[str, set[str]] = {}
    sizes: Counter[str] = Counter()
    for r in rows:
        if r["story_id"]:
            sizes[r["story_id"]] += 1
            outlets.setdefault(r["story_id"], set()).add(r["outlet"])
            languages.setdefault(r["story_id"], set()).add(r["language"])
    return {
        "linked": sum(sizes.values()),
        "duplicates": sum(1 for r in rows if r["duplicate_of"]),
        "stories": sum(1 for n in sizes.values() if n > 1),
        "cross_outlet": sum(1 for s in outlets.values() if len(s) > 1),
        "cross_language": sum(1 for s in languages.values() if len(s) > 1),
    }


def _print_links(corpus: Corpus, outlets: set[str]) -> None:
    columns = ["outlet", "language", "story_id", "duplicate_of", "title", "published_at"]
    rows = [r for r in corpus.read(columns).to_pylist() if r["outlet"] in outlets]
    n = link_counts(rows)
    print(
        f"\nStory links: {n['duplicates']} article(s) linked as duplicates of an earlier one "
        f"(re-posts, agency copy); {n['stories']} stories of two articles or more, "
        f"{n['cross_outlet']} spanning two outlets or more, {n['cross_language']} spanning two "
        "languages (an Arabic article links to English ones once translated)"
    )
    members: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["story_id"]:
            members.setdefault(r["story_id"], []).append(r)
    wide = max(members.values(), key=lambda m: (len({r["outlet"] for r in m}), len(m)), default=[])
    if len({r["outlet"] for r in wide}) > 1:
        print("  the widest story:")
        for r in sorted(wide, key=lambda r: r["published_at"] or datetime.min.replace(tzinfo=UTC)):
            mark = "copy" if r["duplicate_of"] else "    "
            print(f"    {mark} {r['outlet']:<14} {_short(r['title'], 90)}")
    print("  list them: .venv/bin/newsloom corpus stories --since <day>")


def _print_summary(corpus: Corpus, manifests: list[RunManifest]) -> None:
    outlets = {m["outlet"] for m in manifests if m["outlet"] is not None}
    rows = [
        r
        for r in corpus.read(
            [
                "outlet",
                "language",
                "translation_status",
                "canonical_url",
                "title",
                "text",
                "title_en",
                "text_en",
            ]
        ).to_pylist()
        if r["outlet"] in outlets
    ]
    per: Counter[tuple[str, str]] = Counter((r["outlet"], r["language"]) for r in rows)
    status: Counter[str] = Counter(r["translation_status"] for r in rows)
    sample = next((r for r in rows if r["language"] != "en"), None)
    store = corpus.store
    print("\nCorpus (articles per outlet and language):")
    for (outlet, lang), n in sorted(per.items()):
        print(f"  {outlet:<16}{lang:<4}{n:>4}")
    print(
        f"  total {sum(per.values())} articles in the Iceberg table "
        f"{corpus.settings.catalog_namespace}.articles (snapshot {corpus.snapshot_id()}; "
        f"run manifests in s3://{store.bucket}/runs/)"
    )
    print(
        f"\nTranslation: {status.get('translated', 0)} translated, "
        f"{status.get('source_english', 0)} already English, {status.get('pending', 0)} "
        f"pending, {status.get('failed', 0)} failed"
    )
    if status.get("pending"):
        reasons = Counter(
            r for m in manifests for r in (m.get("translation", {}).get("reasons") or {})
        )
        why = reasons.most_common(1)[0][0] if reasons else "the model could not be loaded"
        print(f"  pending because: {_short(why, 240)}")
        print(
            "  -> set NEWSLOOM_TRANSLATION_MODEL to a local Marian model directory (or a hub "
            "id when online), then run `newsloom retranslate`. A tiny test model: "
            "`.venv/bin/python -m devkit tiny-model /tmp/tiny-marian`."
        )
    if sample:
        print(
            f"\nOne article ({sample['outlet']}, {sample['language']}, "
            f"{sample['translation_status']}):"
        )
        print(f"  url:      {sample['canonical_url']}")
        print(f"  title:    {_short(sample['title'], 200)}")
        print(f"  text:     {_short(sample['text'])}")
        print(f"  title_en: {_short(sample['title_en'], 200) or '—'}")
        print(f"  text_en:  {_short(sample['text_en']) or '— (translation pending, see above)'}")
    _print_links(corpus, outlets)
    print("\nQuery it (DuckDB reading the Iceberg table straight from S3):")
    print(
        '  .venv/bin/python -c "from processing.corpus.query import duckdb_connect, articles; '
        "con = duckdb_connect(); con.sql(f'SELECT outlet, language, translation_status, "
        "count(*) AS n FROM {articles(con)} GROUP BY ALL ORDER BY ALL').show()\""
    )
    print("Follow it: .venv/bin/newsloom corpus changes --since <snapshot id or ISO time>")
    print("Export it: .venv/bin/newsloom corpus export --outlet sohr_ar | head -1")
