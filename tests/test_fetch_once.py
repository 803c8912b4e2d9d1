"""Nothing fetched twice (issue 24): two runs of one outlet at once, a crawl killed part-way,
crawl temp folders left by a killed crawl. Real crawl subprocesses against the outlet mirror
(every request it answers is logged), real SeaweedFS, the ``newsloom`` command line.

Each case is a row of docs/RELIABILITY.md (tests/reliability.py)."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from crawlers.journal import reusable
from crawlers.registry import get_outlet
from processing.core import layout
from processing.core.config import Settings
from processing.core.jsonl import read_jsonl_gz
from processing.core.runspec import RunSpec
from processing.core.urls import canonical_url
from processing.pipeline.stages import crawl, read_fetches
from tests.conftest import ANCHOR, rows_of
from tests.reliability import record

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.reliability]
OUTLET = "sohr_ar"
FIRST, LAST = ANCHOR - timedelta(days=3), ANCHOR - timedelta(days=1)
CLI = [sys.executable, "-m", "processing.cli", "backfill", "--outlet", OUTLET]
RANGE = ["--from", FIRST.isoformat(), "--to", LAST.isoformat()]


# Answers worth keeping: a page, or a page that is gone for good. A bot challenge or a server
# error is worth asking again (the mirror serves some on purpose).
KEPT = (200, 404, 410)
# exit codes of a backfill over the mirror, which refuses some of its requests on purpose
DONE = (0, 6)  # complete, partial (processing.cli.exitcodes)


def article_requests(mirror, settings: Settings) -> Counter[str]:
    """Requests the mirror answered for the outlet's article pages with a page (or a page
    gone for good), by canonical URL."""
    outlet = get_outlet(OUTLET, settings.outlets_dirs)
    counts: Counter[str] = Counter()
    for r in mirror.requests:
        url = canonical_url(r.url, outlet.keep_query)
        if r.status in KEPT and outlet.owns(url) and outlet.is_article(url):
            counts[url] += 1
    return counts


def with_scrapy_settings(extra: dict[str, object]) -> dict[str, str]:
    """The environment with ``extra`` merged into NEWSLOOM_SCRAPY_SETTINGS (the mirror route
    the fixtures set stays)."""
    env = dict(os.environ)
    current = json.loads(env.get("NEWSLOOM_SCRAPY_SETTINGS") or "{}")
    env["NEWSLOOM_SCRAPY_SETTINGS"] = json.dumps({**current, **extra})
    return env


def test_two_simultaneous_backfills_fetch_each_article_once(mirror_env, mirror, corpus):
    """Two ``newsloom backfill`` of one outlet and range started together: the second crawl
    waits for the first (the outlet's crawl lock), then takes the pages the first fetched from
    its WARC instead of the outlet. Every article page is requested once; the table holds
    every article once."""
    mirror.reset_log()
    procs = [
        subprocess.Popen(
            [*CLI, *RANGE], env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode in DONE, err.decode()[-3000:]
    requests = article_requests(mirror, mirror_env)
    twice = sorted(u for u, n in requests.items() if n > 1)
    rows = rows_of(corpus, OUTLET)
    ids = [r["article_id"] for r in rows]
    record(
        "operations",
        "two backfills of one outlet and range at once",
        "every article page requested once, every article stored once",
        "every article page requested once, every article stored once"
        if not twice and rows and len(ids) == len(set(ids))
        else f"{len(twice)} of {len(requests)} article pages requested more than once",
        duplicates=len(ids) - len(set(ids)),
    )
    assert requests, "no article was fetched"
    assert not twice, twice[:5]
    assert len(ids) == len(set(ids)) and rows
    manifests = [
        corpus.store.get_json(k)
        for k in corpus.store.list_keys(layout.RUNS_PREFIX)
        if k.startswith(f"{layout.RUNS_PREFIX}{OUTLET}.backfill.")
    ]
    assert sum(m["counts"].get("reused", 0) for m in manifests) > 0


def test_a_crawl_reuses_what_an_earlier_crawl_of_the_outlet_fetched(mirror_env, mirror, store):
    """The crawl stage as Airflow runs it (no lock: the outlet's pool keeps crawls apart): a
    second execution of the same day right after the first fetches no article page again; a
    forced run fetches them all."""
    day = ANCHOR - timedelta(days=1)
    first = RunSpec.daily(OUTLET, day)
    crawl(first, mirror_env, store, lock=False)
    fetched = {f.url: f for f in read_fetches(store, first.run_id) if reusable(f)}
    assert fetched
    mirror.reset_log()
    second = first.retry()
    crawl(second, mirror_env, store, lock=False)
    again = article_requests(mirror, mirror_env)
    reused = [
        f for f in read_fetches(store, second.run_id) if f.role == "article" and f.reused_from
    ]
    record(
        "crawl",
        "a crawl right after another of the same outlet-day (a cleared task, a retry)",
        "no article page requested again; each taken from the first crawl's WARC",
        "no article page requested again; each taken from the first crawl's WARC"
        if not again and {f.url for f in reused} == set(fetched)
        else f"{sum(again.values())} article request(s), {len(reused)} reused",
    )
    assert not again, sorted(again)[:5]
    assert {f.url for f in reused} == set(fetched)
    assert {f.reused_from for f in reused} == {first.run_id}
    # the copy is in the second run's own WARC, byte for byte the page the first one stored
    from processing.core.warc import RawRef, read_record

    raw_key = layout.raw_key(OUTLET, day, second.run_id)
    for f in reused:
        ref, old = RawRef.parse(f.raw_ref or ""), RawRef.parse(fetched[f.url].raw_ref or "")
        assert ref.key == raw_key
        a = read_record(store.get_range(ref.key, ref.offset, ref.length))
        b = read_record(store.get_range(old.key, old.offset, old.length))
        assert (a.url, a.status, a.body, a.fetched_at) == (b.url, b.status, b.body, b.fetched_at)
    mirror.reset_log()
    forced = dataclasses.replace(first.retry(), force=True)
    crawl(forced, mirror_env, store, lock=False)
    assert set(article_requests(mirror, mirror_env)) == {
        canonical_url(u) for u in fetched
    }  # force: fetched again


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _crawl_children(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if b"crawlers.run" in cmd and marker.encode() in cmd:
                found.append(int(proc.name))
    return found


def _journal(store, run_prefix: str) -> dict[str, dict]:
    """Article pages a crawl's journal (``staging/<run_id>/crawl/journal/``) holds."""
    entries = {}
    for key in store.list_keys(layout.STAGING_PREFIX + run_prefix):
        if "/crawl/journal/" in key and key.endswith(".jsonl.gz"):
            for e in read_jsonl_gz(store, key):
                entries[e["url"]] = e
    return entries


def test_killed_crawl_pages_are_reused_and_its_temp_folder_cleaned(
    mirror_env, mirror, corpus, tmp_path
):
    """``kill -9`` of a backfill mid-crawl: the pages its crawl had written to its journal in
    S3 are not requested again by the re-run (they are copied from the journal's WARC), the
    killed crawl's temp folder is removed when the next crawl starts, and the table ends up
    as an uninterrupted backfill's."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = with_scrapy_settings({"NEWSLOOM_JOURNAL_PAGES": 3})
    env.update(NEWSLOOM_CRAWL_DELAY="0.3", TMPDIR=str(tmpdir))
    mirror.reset_log()
    child = subprocess.Popen(
        [*CLI, *RANGE], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 180
    while sum(article_requests(mirror, mirror_env).values()) < 10:
        assert time.monotonic() < deadline, "the crawl never fetched 10 article pages"
        assert child.poll() is None, "the backfill ended before it could be killed"
        time.sleep(0.1)
    crawlers = _crawl_children(f"{OUTLET}.backfill.")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in crawlers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in crawlers), "the crawl child outlived its killed parent"
    killed_fetches = article_requests(mirror, mirror_env)
    left = sorted(p.name for p in tmpdir.glob("newsloom-crawl-*"))
    assert left, "the killed crawl left no temp folder (nothing to clean)"
    journal = _journal(corpus.store, f"{OUTLET}.backfill.")
    assert corpus.snapshot_id() is None  # nothing committed

    mirror.reset_log()
    done = subprocess.run([*CLI, *RANGE], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode in DONE, done.stderr[-3000:]
    rerun = article_requests(mirror, mirror_env)
    journaled = {canonical_url(u) for u in journal}
    refetched = sorted(journaled & set(rerun))
    remaining = sorted(p.name for p in tmpdir.glob("newsloom-crawl-*"))
    rows = rows_of(corpus, OUTLET)
    ids = [r["article_id"] for r in rows]
    stored = {r["canonical_url"] for r in rows}
    record(
        "operations",
        "backfill SIGKILLed mid-crawl, then re-run: pages already fetched",
        "none of the journaled pages requested again; killed crawl's temp folder removed",
        "none of the journaled pages requested again; killed crawl's temp folder removed"
        if journaled and not refetched and not remaining
        else f"{len(refetched)} of {len(journaled)} journaled page(s) requested again, "
        f"{len(remaining)} temp folder(s) left",
        duplicates=len(ids) - len(set(ids)),
    )
    assert journaled, f"the killed crawl journaled nothing ({sum(killed_fetches.values())} fetched)"
    assert journaled <= set(killed_fetches)
    assert not refetched, refetched[:5]
    assert not remaining, remaining
    assert len(ids) == len(set(ids))
    assert journaled & stored, "no journaled page was stored"
