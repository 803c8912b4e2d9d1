"""A long backfill killed and resumed (issue 22): 60 days of ``sohr_en`` from the mirror in
chunks of 15 days, ``newsloom backfill`` SIGKILLed (its whole process group) once in the
crawl of a middle chunk and once in the publish of a later chunk, then run to the end. The
mirror's request log shows no article page answered twice over the three runs, and the
table equals an uninterrupted run's. Also: one commit per chunk, one INFO line per chunk,
and the URLs handed to a chunk cover its span, not the whole table.

The crawl kill is placed, not timed: the mirror holds the chunk's article pages after the
first few (``MirrorServer.hold``), the test waits until the crawl's journal in S3 holds every
page the mirror answered (``NEWSLOOM_JOURNAL_PAGES=1``), kills, then lets the held requests
go unanswered. A crawl killed at an arbitrary instant also loses the pages fetched since its
last journal upload (50 pages or 60 s by default; docs/operations.md)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from processing.core import layout
from processing.core.config import Settings
from processing.core.jsonl import jsonl_gz, read_jsonl_gz
from processing.core.runspec import RunSpec
from processing.core.s3 import open_store
from processing.corpus import open_corpus
from processing.pipeline.runner import RecentFetches, backfill_specs, discovery_span
from tests.conftest import ANCHOR, route_to_mirror, rows_of
from tests.reliability import record

OUTLET = "sohr_en"
# 60 days that end a week before the mirror's newest day: no trap page (they sit in the
# newest week), but every archive page's "latest posts" box links the newest articles
FIRST, LAST = ANCHOR - timedelta(days=66), ANCHOR - timedelta(days=7)
CHUNK_DAYS = 15
CLI = [sys.executable, "-m", "processing.cli", "backfill", "--outlet", OUTLET]
ARGS = ["--from", FIRST.isoformat(), "--to", LAST.isoformat(), "--chunk-days", str(CHUNK_DAYS)]
ARTICLE = re.compile(r"^https://www\.syriahr\.com/en/\d+/$")
ANSWERED = (200, 404, 410)  # a page, or a page gone for good
# exit codes of a backfill that finished: complete, or partial (the newest articles, linked
# from every archive page, hold a bot challenge the crawler reports)
DONE = (0, 6)


def test_discovery_span_covers_a_chunk_and_whole_months() -> None:
    spec = RunSpec.backfill(OUTLET, date(2026, 3, 1), date(2026, 3, 7))
    assert discovery_span(spec) == (date(2026, 2, 1), date(2026, 3, 31))
    spec = RunSpec.backfill(OUTLET, date(2026, 12, 25), date(2026, 12, 31))
    assert discovery_span(spec) == (date(2026, 12, 1), date(2027, 1, 31))


def _candidates(store: Any, spec: RunSpec, rows: list[tuple[str, str, date | None]]) -> None:
    """A chunk's crawl candidates: (url, decision, listing day)."""
    entries = [
        {
            "canonical_url": url,
            "decision": decision,
            "hint_published": f"{day.isoformat()}T00:00:00+00:00" if day else None,
        }
        for url, decision, day in rows
    ]
    store.put_bytes(layout.staging(spec.run_id, "crawl/candidates.jsonl.gz"), jsonl_gz(entries))


def test_recent_fetches_forget_passed_days_and_keep_strays(store: Any) -> None:
    """A year's backfill hands each chunk what earlier chunks listed on days its listings can
    still show, and the pages a box on every listing page shows (listed by several chunks)."""
    jan, feb, mar = (
        RunSpec.backfill(OUTLET, date(2026, 1, 25), date(2026, 1, 31)),
        RunSpec.backfill(OUTLET, date(2026, 2, 1), date(2026, 2, 7)),
        RunSpec.backfill(OUTLET, date(2026, 3, 1), date(2026, 3, 7)),
    )
    recent = RecentFetches()
    assert recent.for_chunk(jan) == set()
    _candidates(
        store,
        jan,
        [
            ("https://x/a", "queued", date(2026, 1, 26)),
            ("https://x/box", "queued", date(2026, 1, 25)),  # the "latest posts" box
            ("https://x/box", "duplicate", date(2026, 1, 30)),
            ("https://x/undated", "queued", None),  # the chunk's first day
            ("https://x/old", "out_of_window", date(2026, 1, 27)),  # not requested
        ],
    )
    recent.add(store, jan)
    assert recent.for_chunk(feb) == {"https://x/a", "https://x/box", "https://x/undated"}
    _candidates(
        store,
        feb,
        [("https://x/b", "queued", date(2026, 2, 3)), ("https://x/box", "already_stored", None)],
    )
    recent.add(store, feb)
    # March's span starts on February 1: January is forgotten, but for the box's page
    assert recent.for_chunk(mar) == {"https://x/b", "https://x/box"}
    assert len(recent) == 2


@pytest.fixture(scope="module")
def span_mirror() -> Iterator[Any]:
    from devkit.mirror.server import MirrorServer

    with MirrorServer(anchor=ANCHOR, days=70, outlets=[OUTLET]) as server:
        yield server


@pytest.fixture
def span_env(env: Settings, span_mirror: Any, monkeypatch: pytest.MonkeyPatch) -> Settings:
    route_to_mirror(monkeypatch, span_mirror.url)
    # every article page goes to the crawl's journal as soon as it is fetched
    extra = json.loads(os.environ.get("NEWSLOOM_SCRAPY_SETTINGS") or "{}")
    monkeypatch.setenv(
        "NEWSLOOM_SCRAPY_SETTINGS", json.dumps({**extra, "NEWSLOOM_JOURNAL_PAGES": 1})
    )
    monkeypatch.setenv("NEWSLOOM_PROGRESS", "plain")
    return Settings.from_env()


def _table(settings: Settings) -> list[tuple[Any, ...]]:
    rows = rows_of(open_corpus(settings=settings), OUTLET)
    return sorted(
        (r["article_id"], r["content_hash"], r["published_at"], r["canonical_url"]) for r in rows
    )


def _answered(mirror: Any) -> Counter[str]:
    """Article pages of the outlet the mirror answered with a page, by URL; not its traps
    that fail for a passing reason (a server error, a bot challenge, even with status 200),
    which every run asks again by design."""
    passing = {
        p.url
        for p in mirror.catalog.for_outlet(OUTLET)
        if p.expect in ("http_500", "bot_challenge")
    }
    return Counter(
        r.url
        for r in mirror.requests
        if r.status in ANSWERED and ARTICLE.match(r.url) and r.url not in passing
    )


def _start(stderr: Any = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *ARGS],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
        start_new_session=True,  # its own process group: the test kills the whole group
    )


def _chunk(run_id: str) -> str:
    """``sohr_en.backfill.2026-09-15..2026-09-24.<stamp>`` -> ``2026-09-15..2026-09-24``."""
    return run_id.split(".backfill.", 1)[1].rsplit(".", 1)[0]


def _kill_group(proc: subprocess.Popen[str]) -> None:
    crawlers = _crawl_children()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30  # a hang guard, not a timing
    while any(_alive(p) for p in crawlers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in crawlers), "a crawl outlived its killed backfill"


def _crawl_children() -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if b"crawlers.run" in cmd and f"{OUTLET}.backfill.".encode() in cmd:
                found.append(int(proc.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _journaled(store: Any, first: date) -> set[str]:
    """URLs of the article pages the journals of crawls of the chunk starting ``first`` hold."""
    urls = set()
    prefix = f"{layout.STAGING_PREFIX}{OUTLET}.backfill.{first.isoformat()}.."
    for key in store.list_keys(prefix):
        if "/crawl/journal/" in key and key.endswith(".jsonl.gz"):
            urls |= {e["url"] for e in read_jsonl_gz(store, key, True)}
    return urls


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.reliability
def test_a_backfill_killed_in_a_crawl_and_in_a_publish_resumes_without_refetching(
    span_env: Settings, span_mirror: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    specs = backfill_specs(OUTLET, FIRST, LAST, CHUNK_DAYS)
    assert len(specs) == 4
    crawl_kill, publish_kill = specs[1], specs[2]

    # the table an uninterrupted run builds, in a bucket of its own
    whole_env = dict(os.environ, NEWSLOOM_S3_BUCKET=span_env.s3_bucket + "-whole")
    done = subprocess.run([*CLI, *ARGS], env=whole_env, capture_output=True, text=True, timeout=900)
    assert done.returncode in DONE, done.stderr[-3000:]
    chunk_lines = re.findall(rf"backfill {OUTLET} chunk (\d)/4 ", done.stderr)
    assert chunk_lines == ["1", "2", "3", "4"]  # one INFO line per chunk
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", whole_env["NEWSLOOM_S3_BUCKET"])
    whole_settings = Settings.from_env()
    whole = _table(whole_settings)
    snapshots = open_corpus(settings=whole_settings).snapshots()
    assert sum(s["kind"] == "backfill" for s in snapshots) == 4  # one commit per chunk
    monkeypatch.setenv("NEWSLOOM_S3_BUCKET", span_env.s3_bucket)
    expected = span_mirror.catalog.stored_between(OUTLET, FIRST, LAST)
    assert {t[3] for t in whole} == {p.url for p in expected}

    store = open_store(span_env)
    span_mirror.reset_log()
    # 1. killed in the crawl of the second chunk, after five of its article pages
    pages = {
        p.url.split("www.syriahr.com", 1)[1]: p for p in span_mirror.catalog.for_outlet(OUTLET)
    }

    def in_chunk(req: Any) -> bool:
        page = pages.get(req.path) if req.host == "www.syriahr.com" else None
        return page is not None and crawl_kill.first <= page.listed_on <= crawl_kill.last

    hold = span_mirror.hold(in_chunk, after=5)
    log = tmp_path / "killed-in-crawl.log"
    proc = _start(log.open("w"))
    try:
        deadline = time.monotonic() + 600
        while hold.waiting == 0:
            assert proc.poll() is None, f"the backfill ended early: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "the second chunk's crawl never got that far"
            time.sleep(0.05)
        answered = {p.url for path, p in pages.items() if in_chunk(_Req(path))}
        answered &= set(_answered(span_mirror))
        assert len(answered) == 5
        while not answered <= _journaled(store, crawl_kill.first):
            assert time.monotonic() < deadline, "the crawl never journaled its pages"
            time.sleep(0.05)
        _kill_group(proc)
    finally:
        span_mirror.release_all(drop=True)
    committed = {
        _chunk(s["run_id"])
        for s in open_corpus(settings=span_env).snapshots()
        if s["kind"] == "backfill"
    }
    assert committed == {f"{specs[0].first}..{specs[0].last}"}

    # 2. re-run, killed when the third chunk starts its publish
    proc = _start()
    assert proc.stderr is not None
    marker = f"translate {OUTLET}.backfill.{publish_kill.first}..{publish_kill.last}."
    for line in proc.stderr:
        if marker in line and " done" in line:
            _kill_group(proc)
            break
    else:
        raise AssertionError(f"the re-run ended before the third chunk's publish: {proc.wait()}")
    manifests = [k for k in store.list_keys(layout.RUNS_PREFIX) if f"{publish_kill.first}.." in k]
    assert not manifests, "killed too late: the third chunk's publish had finished"

    # 3. run to the end
    done = subprocess.run(
        [*CLI, *ARGS], env=dict(os.environ), capture_output=True, text=True, timeout=900
    )
    state = _table(span_env)
    twice = sorted(u for u, n in _answered(span_mirror).items() if n > 1)
    lost = len(set(whole) - set(state))
    dup = len(state) - len({s[0] for s in state})
    record(
        "operations",
        "a 60-day backfill SIGKILLed in a middle chunk's crawl and in a later chunk's publish, "
        "then run to the end",
        "no article page answered twice; table = uninterrupted run's",
        "no article page answered twice; table = uninterrupted run's"
        if done.returncode in DONE and not twice and state == whole
        else f"exit {done.returncode}, {len(twice)} page(s) answered twice, table "
        f"{'=' if state == whole else '!='} uninterrupted run's",
        rows_lost=lost,
        duplicates=dup,
    )
    assert done.returncode in DONE, done.stderr[-3000:]
    assert not twice, twice[:5]
    assert state == whole and lost == 0 and dup == 0
    reused = sum(
        store.get_json(k)["counts"]["reused"]
        for k in store.list_keys(layout.RUNS_PREFIX)
        if k.endswith(".json")
    )
    assert reused >= 5  # the killed chunks' pages came from their journal and WARC


class _Req:
    """The part of a mirror request ``in_chunk`` reads."""

    host = "www.syriahr.com"

    def __init__(self, path: str) -> None:
        self.path = path
