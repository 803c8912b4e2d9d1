"""Crawler faults from the "Run it for real" fault-injection run, and the hostile inputs the
crawler handles, each tried on a real crawl of a hostile fictional outlet.

Every test runs the real crawl subprocess (``processing.pipeline.stages.crawl``) against
:class:`tests.hostile_site.HostileSite` through the mirror middleware, with a real SeaweedFS
bucket, and reads back the fetch records the crawl wrote. The promise checked throughout:
every queued URL ends in exactly one fetch record with a named outcome (and a reason when it
was not fetched). Each case is a row of docs/RELIABILITY.md (tests/reliability.py).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import secrets
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from processing.core import layout
from processing.core.config import Settings
from processing.core.jsonl import read_jsonl_gz
from processing.core.records import Candidate, CrawlSummary, FetchOutcome, FetchRecord
from processing.core.runspec import RunSpec
from processing.core.s3 import ObjectStore
from processing.core.urls import article_id
from processing.pipeline.manifest import access_status
from processing.pipeline.stages import StageError, crawl, extract_stage, read_fetches
from tests import reliability
from tests.conftest import route_to_mirror
from tests.hostile_site import (
    CHALLENGE,
    DAY,
    HANG_UP,
    HOST,
    OUTLET_ID,
    HostileSite,
    Reply,
    article_html,
    article_path,
    article_url,
    gzip_bomb,
    html,
    redirect,
)

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = set(typing.get_args(FetchOutcome))
MAX_BYTES = 5 * 1024 * 1024  # NEWSLOOM_MAX_RESPONSE_BYTES's default


@pytest.fixture
def site(env: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HostileSite]:
    """The hostile outlet, registered from a temporary folder, every request routed to it."""
    with HostileSite() as s:
        s.write_outlet(tmp_path / "outlets")
        monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", str(tmp_path / "outlets"))
        route_to_mirror(monkeypatch, s.url)
        yield s


@dataclass
class Crawl:
    spec: RunSpec
    summary: CrawlSummary
    fetches: list[FetchRecord]
    candidates: list[Candidate]

    def queued(self) -> list[str]:
        return [c.canonical_url for c in self.candidates if c.decision == "queued"]

    def articles(self) -> dict[str, list[FetchRecord]]:
        by_url: dict[str, list[FetchRecord]] = defaultdict(list)
        for f in self.fetches:
            if f.role == "article":
                by_url[f.url].append(f)
        return by_url

    def record(self, url: str) -> FetchRecord:
        (only,) = self.articles()[url]
        return only

    def lost(self) -> int:
        """Queued URLs without a fetch record."""
        by_url = self.articles()
        return sum(1 for u in self.queued() if not by_url.get(u))

    def duplicates(self) -> int:
        """Queued URLs with more than one fetch record."""
        by_url = self.articles()
        return sum(1 for u in self.queued() if len(by_url.get(u, [])) > 1)

    def stats(self) -> dict[str, int | float | str]:
        return dict(self.summary.stats)


def run_crawl(store: ObjectStore, timeout: float = 180.0) -> Crawl:
    spec = RunSpec.daily(OUTLET_ID, DAY)
    summary = crawl(spec, Settings.from_env(), store, lock=False, timeout=timeout)
    key = layout.staging(spec.run_id, "crawl/candidates.jsonl.gz")
    candidates = [Candidate.from_dict(d) for d in read_jsonl_gz(store, key)]
    return Crawl(spec, summary, read_fetches(store, spec.run_id), candidates)


def assert_accounted(c: Crawl) -> None:
    """Every queued URL has exactly one record; every record names its outcome and, unless
    fetched, says why."""
    assert c.queued(), "nothing was queued"
    assert c.lost() == 0, [u for u in c.queued() if not c.articles().get(u)]
    assert c.duplicates() == 0
    for f in c.fetches:
        assert f.outcome in OUTCOMES, f
        assert f.outcome == "fetched" or f.reason, f


def row(case: str, expected: str, observed: str, c: Crawl | None = None) -> None:
    """Record a reliability row and assert it."""
    lost = c.lost() if c is not None else 0
    dups = c.duplicates() if c is not None else 0
    r = reliability.record(
        area="crawl",
        case=case,
        expected=expected,
        observed=observed,
        rows_lost=lost,
        duplicates=dups,
    )
    assert (r.observed, r.rows_lost, r.duplicates) == (r.expected, 0, 0), r


# ---- 1. redirects the dupe or off-site filter drops ------------------------------------
def test_dropped_redirects_are_recorded(site: HostileSite, store: ObjectStore) -> None:
    """Redirects to an already-queued URL, two redirects to one new URL, an off-site
    redirect and a chain past the redirect limit each end in a named record; a chain of
    three hops with relative ``Location`` headers is followed to its page."""
    plain = site.add_articles("story-one", "story-two", "moved-here", "chain-end")
    site.route(article_path("dup-a"), redirect(article_url("story-one")))
    site.route(article_path("dup-b"), redirect(article_path("moved-here"), 302))
    site.route(article_path("dup-c"), redirect(article_path("moved-here"), 307))
    site.route(article_path("away"), redirect("https://elsewhere.example/news/away/", 302))
    site.route(article_path("chain-a"), redirect(article_path("chain-b")))
    site.route(article_path("chain-b"), redirect(article_path("chain-c"), 302))
    site.route(article_path("chain-c"), redirect(article_path("chain-end"), 308))
    for n in range(25):  # Scrapy follows 20 redirects at most
        site.route(article_path(f"hop-{n}"), redirect(article_path(f"hop-{n + 1}")))
    names = ["dup-a", "dup-b", "dup-c", "away", "chain-a", "hop-0"]
    site.set_feed(plain[:2] + [article_url(n) for n in names])

    c = run_crawl(store)
    assert_accounted(c)
    assert len(c.queued()) == 8
    for url in plain[:2]:
        assert c.record(url).outcome == "fetched"

    dup_a = c.record(article_url("dup-a"))
    assert dup_a.reason and article_url("story-one") in dup_a.reason
    row("redirect to an already-queued URL", "redirect_dropped", dup_a.outcome, c)

    pair = sorted(c.record(article_url(n)).outcome for n in ("dup-b", "dup-c"))
    dropped = [c.record(article_url(n)) for n in ("dup-b", "dup-c")]
    assert any(article_url("moved-here") in f.reason for f in dropped if f.reason)
    row(
        "two redirects to one new URL",
        "fetched + redirect_dropped",
        " + ".join(pair),
        c,
    )

    away = c.record(article_url("away"))
    assert "elsewhere.example/news/away/" in away.reason
    assert not site.hits_of("/news/away/", host="elsewhere.example")  # never requested
    row("redirect off-site", "offsite", away.outcome, c)

    chain = c.record(article_url("chain-a"))
    assert chain.final_url == article_url("chain-end")
    assert chain.canonical_url == article_url("chain-end")
    row("redirect chain of 3 hops, relative Location", "fetched", chain.outcome, c)

    hops = c.record(article_url("hop-0"))
    assert "redirect limit" in hops.reason
    row("redirect chain past the redirect limit", "redirect_dropped", hops.outcome, c)


# ---- 2. a gzip bomb and an oversized page ----------------------------------------------
def test_gzip_bomb_and_oversized_page_are_too_large(site: HostileSite, store: ObjectStore) -> None:
    fine = site.add_articles("story-fine")
    site.route(article_path("bomb"), gzip_bomb(3 * MAX_BYTES))
    big = html(b"<html><body><p>" + b"x" * (MAX_BYTES + 4096) + b"</p></body></html>")
    site.route(article_path("huge"), big)
    site.set_feed([*fine, article_url("bomb"), article_url("huge")])
    bomb_reply = site.routes[f"{HOST}{article_path('bomb')}"]
    assert isinstance(bomb_reply, Reply) and len(bomb_reply.body) < 64 * 1024

    c = run_crawl(store)
    assert_accounted(c)
    assert c.record(fine[0]).outcome == "fetched"
    bomb = c.record(article_url("bomb"))
    assert str(MAX_BYTES) in bomb.reason and "decompress" in bomb.reason
    row("gzip bomb (16 KiB inflating to 15 MiB)", "too_large", bomb.outcome, c)
    huge = c.record(article_url("huge"))
    assert str(MAX_BYTES) in huge.reason
    row("oversized page (over 5 MiB)", "too_large", huge.outcome, c)


# ---- 3. robots.txt answering 5xx, 4xx or nothing ----------------------------------------
@pytest.mark.parametrize(
    ("case", "robots", "expected_outcome", "expected_access", "reason_part"),
    [
        (
            "robots.txt answers 500",
            Reply(500, b"<html>Internal Server Error</html>"),
            "robots_blocked",
            "blocked_by_robots",
            "robots.txt unavailable (HTTP 500): disallow all (RFC 9309)",
        ),
        (
            "robots.txt unreachable (connection closed)",
            HANG_UP,
            "robots_blocked",
            "blocked_by_robots",
            "robots.txt unreachable",
        ),
        (
            "robots.txt answers 404 with a body saying Disallow: /",
            Reply(404, b"User-agent: *\nDisallow: /\n", {"Content-Type": "text/plain"}),
            "fetched",
            "ok",
            "",
        ),
    ],
)
def test_robots_txt_unavailable_follows_rfc_9309(
    site: HostileSite,
    store: ObjectStore,
    case: str,
    robots: Reply,
    expected_outcome: str,
    expected_access: str,
    reason_part: str,
) -> None:
    site.route("/robots.txt", robots)
    site.set_feed(site.add_articles("story-r1", "story-r2"))
    c = run_crawl(store)
    others = [f for f in c.fetches if f.role != "robots"]
    assert others
    outcomes = {f.outcome for f in others}
    assert all(reason_part in f.reason for f in others), others
    status, _ = access_status(c.fetches, c.candidates)
    assert status == expected_access
    if expected_outcome == "fetched":
        assert_accounted(c)
    else:  # the feed itself is refused: nothing is queued, nothing else is requested
        assert not [h for h in site.hits if h.path != "/robots.txt"]
        assert reason_part in c.summary.robots["unavailable"][HOST]
    row(case, f"{expected_outcome}, access {expected_access}", f"{_one(outcomes)}, access {status}")


def _one(values: set[str]) -> str:
    return " | ".join(sorted(values))


# ---- 4. 429 + Retry-After: honoured, then the delay decays -----------------------------
def test_retry_after_is_honoured_then_the_delay_decays(
    site: HostileSite, store: ObjectStore
) -> None:
    """One article answers 429 with ``Retry-After: 2`` once. Its retry waits at least those
    two seconds; the host's delay then decays back to the politeness delay (0 here: 1 s, then
    0.5 s…), so the other articles are not each held two seconds (the old back-off kept the
    delay for the rest of the run: one pause per request). Counted, not timed: the pauses of
    1.8 s or more between two requests to the host (the decay's first step, 1 s, keeps a
    margin for a loaded machine)."""
    urls = site.add_articles(*[f"story-{n}" for n in range(20)])
    throttled = article_path("story-12")  # early on: the feed is read last item first
    site.route(
        throttled,
        [Reply(429, b"slow down", {"Retry-After": "2"}), html(article_html("story-12"))],
    )
    site.set_feed(urls)
    c = run_crawl(store)
    assert_accounted(c)
    assert {c.record(u).outcome for u in urls} == {"fetched"}

    first, retry = site.hits_of(throttled)
    assert first.status == 429 and retry.status == 200
    assert retry.at - first.at >= 1.95  # Retry-After honoured for the retried request
    stats = c.stats()
    assert stats.get("newsloom/backoff/429") == 1
    assert stats.get("newsloom/backoff/paused") == 1
    assert stats.get("newsloom/backoff/restored") == 1  # back at the politeness delay
    # Count the pauses the host took: gaps of 1.8 s or more between requests.
    times = sorted(h.at for h in site.hits if h.host == HOST)
    pauses = sum(1 for a, b in itertools.pairwise(times) if b - a >= 1.8)
    assert pauses == 1, pauses  # the old back-off: one per request after the throttle
    row(
        "429 with Retry-After: 2 among 20 pages",
        "retried after 2 s, delay restored",
        "retried after 2 s, delay restored"
        if stats.get("newsloom/backoff/restored") == 1 and pauses == 1
        else f"{pauses} pauses",
        c,
    )


# ---- logs for people: progress at INFO, one line per rejected article at DEBUG -----------
PROGRESS = re.compile(
    r"crawl \S+: (progress|crawled): (\d+) pages \(\+\d+/min\), (\d+) articles "
    r"\(\+\d+/min\), (\d+) errors \(\+\d+/min\)"
)


def test_progress_at_info_and_rejections_at_debug(
    site: HostileSite,
    store: ObjectStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The crawl subprocess's progress lines (pages, articles, errors per minute) reach the
    run's log at INFO; a failed fetch or a rejected article is one DEBUG line, counted by the
    progress lines and the run's summary."""
    extra = json.loads(os.environ["NEWSLOOM_SCRAPY_SETTINGS"])  # the mirror route's
    monkeypatch.setenv(
        "NEWSLOOM_SCRAPY_SETTINGS", json.dumps({**extra, "NEWSLOOM_PROGRESS_INTERVAL": 0.2})
    )
    urls = site.add_articles(*[f"story-{n}" for n in range(6)])
    thin = article_url("thin")
    site.route(article_path("thin"), html(b"<html><body><p>Too short.</p></body></html>"))
    gone = article_url("gone")
    site.route(article_path("gone"), html(b"<html><body>Not found</body></html>", status=404))
    site.set_feed([*urls, thin, gone])
    with caplog.at_level(logging.DEBUG, logger="processing.pipeline.stages"):
        c = run_crawl(store)
        extract_stage(c.spec, Settings.from_env(), store)
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    progress = [m for line in info if (m := PROGRESS.search(line))]
    assert progress and progress[-1].group(1) == "crawled", info
    assert int(progress[-1].group(3)) == 7 and int(progress[-1].group(4)) == 1
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not any(thin in line or gone in line for line in loud)  # no line per article
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert any(line.startswith(f"rejected {thin}") for line in debug), debug
    (summary,) = [line for line in info if line.startswith(f"extract {c.spec.run_id} done")]
    assert "6 extracted" in summary and "rejected: " in summary


# ---- 5. route templates on a foreign host ----------------------------------------------
def test_route_template_on_a_foreign_host_fails_the_crawl(
    site: HostileSite, store: ObjectStore, tmp_path: Path
) -> None:
    """A ranged-sitemap template on another host used to load, then crawl nothing and
    report ``ok``; now the registry refuses it and the crawl stage says why."""
    path = tmp_path / "outlets" / f"{OUTLET_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "feeds:\n",
            "sitemaps:\n  ranged: https://cdn.elsewhere.example/sm.xml?from={start}&to={end}\n"
            "feeds:\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(StageError) as err:
        run_crawl(store)
    message = str(err.value)
    assert "sitemaps.ranged" in message and "cdn.elsewhere.example" in message
    assert not site.hits  # nothing was requested
    row(
        "sitemaps.ranged template on a foreign host",
        "crawl refused, field and host named",
        "crawl refused, field and host named",
    )


# ---- 6. http/https and trailing-slash spellings of one article --------------------------
def test_scheme_and_trailing_slash_variants_are_one_article(
    site: HostileSite, store: ObjectStore
) -> None:
    """The feed lists one article as ``http://…/slug/`` and ``https://…/slug``; another
    answers ``http://…/other/`` with a redirect to ``https://…/other``. One fetch and one
    article id each; the crawler still fetches the URL the outlet gave."""
    site.add_articles("story-v", "other")
    slashless = article_url("story-v").rstrip("/")
    site.route(article_path("story-v").rstrip("/"), html(article_html("story-v")))
    site.route(article_path("other"), redirect(article_url("other").rstrip("/")))
    site.route(article_path("other").rstrip("/"), html(article_html("other")))
    http_v = article_url("story-v", scheme="http")
    site.set_feed([http_v, slashless, article_url("other", scheme="http")])
    c = run_crawl(store)
    assert_accounted(c)
    decisions = sorted(cand.decision for cand in c.candidates)
    assert decisions == ["duplicate", "queued", "queued"]
    assert c.record(http_v).outcome == "fetched"
    assert len(site.hits_of(article_path("story-v"))) == 1  # the URL the feed gave first
    ids = {
        article_id(f.canonical_url or f.url)
        for f in c.fetches
        if f.role == "article" and f.outcome == "fetched"
    }
    assert ids == {
        article_id(article_url("story-v").rstrip("/")),
        article_id(article_url("other").rstrip("/")),
    }
    row(
        "http and https, slash and no slash of one article",
        "one article id per article",
        "one article id per article" if len(ids) == 2 else f"{len(ids)} ids for 2 articles",
        c,
    )


# ---- 7. the WARC temp file cannot be written ------------------------------------------
SITECUSTOMIZE = '''
"""Fault injection for the crawl child (tests/test_crawl_faults.py)."""
import os

_limit = os.environ.get("NEWSLOOM_TEST_FSIZE_LIMIT")
if _limit:  # a real write failure: the kernel refuses to grow a file past the limit
    import resource

    resource.setrlimit(
        resource.RLIMIT_FSIZE, (int(_limit), resource.getrlimit(resource.RLIMIT_FSIZE)[1])
    )
_after = os.environ.get("NEWSLOOM_TEST_ENOSPC_AFTER")
if _after:  # a full disk after N records
    import errno

    import processing.core.warc as _warc

    _write = _warc.WarcFileWriter.write_response
    _calls = [0]

    def _full(self, *args, **kwargs):
        _calls[0] += 1
        if _calls[0] > int(_after):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _write(self, *args, **kwargs)

    _warc.WarcFileWriter.write_response = _full
if os.environ.get("NEWSLOOM_TEST_TMP_ENOSPC"):  # no room even for the temp folder
    import errno
    import tempfile
    import types

    import crawlers.workdir as _workdir

    def _no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    _workdir.tempfile = types.SimpleNamespace(  # type: ignore[assignment]
        mkdtemp=_no_room, gettempdir=tempfile.gettempdir
    )
'''


@pytest.mark.parametrize(
    ("case", "variable", "value", "cause"),
    [
        (
            "disk full while writing the WARC",
            "NEWSLOOM_TEST_ENOSPC_AFTER",
            "2",
            "OSError: [Errno 28] No space left on device while writing the WARC",
        ),
        (
            "file size limit while writing the WARC",
            "NEWSLOOM_TEST_FSIZE_LIMIT",
            "16384",
            "OSError: [Errno 27] File too large while writing the WARC",
        ),
        (
            "disk full before the WARC temp file exists",
            "NEWSLOOM_TEST_TMP_ENOSPC",
            "1",
            "OSError: [Errno 28] No space left on device while creating the WARC temp file",
        ),
    ],
)
def test_warc_write_failure_names_its_cause(
    site: HostileSite,
    store: ObjectStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    variable: str,
    value: str,
    cause: str,
) -> None:
    """The crawl child prints the write error and exits 5; the crawl stage raises a
    StageError carrying it; nothing is handed over (no summary, no fetch records)."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(inject), str(ROOT)]))
    monkeypatch.setenv(variable, value)
    slugs = [f"story-{n}" for n in range(6)]
    for slug in slugs:  # incompressible padding: each WARC record is about 20 KiB
        page = article_html(slug).replace(
            b"</body>", b"<!-- " + secrets.token_hex(16 * 1024).encode() + b" --></body>"
        )
        site.route(article_path(slug), html(page))
    site.set_feed([article_url(s) for s in slugs])
    spec = RunSpec.daily(OUTLET_ID, DAY)
    with pytest.raises(StageError) as err:
        crawl(spec, Settings.from_env(), store, lock=False, timeout=180)
    message = str(err.value)
    assert "exited with 5" in message and cause in message, message
    assert not store.exists(layout.staging(spec.run_id, "crawl/summary.json"))
    assert not store.exists(layout.staging(spec.run_id, "crawl/fetches.jsonl.gz"))
    observed = "StageError naming the cause" if cause in message else message[-200:]
    row(case, "StageError naming the cause", observed)


# ---- hostile inputs the crawler already handled ------------------------------------
def test_hostile_pages_end_in_named_outcomes(site: HostileSite, store: ObjectStore) -> None:
    """404, 500 (retried), an empty body, a bot challenge at 503 and at 200, a page
    robots.txt disallows: each queued URL ends in one record with its named outcome."""
    fine = site.add_articles("story-ok")
    site.route(article_path("gone"), html(b"<html><body>Not here</body></html>", 404))
    site.route(article_path("broken"), html(b"<html><body>Oops</body></html>", 500))
    site.route(article_path("empty"), Reply(200, b"", {"Content-Type": "text/html"}))
    site.route(article_path("wall-503"), html(CHALLENGE, 503))
    site.route(article_path("wall-200"), html(CHALLENGE, 200))
    secret = f"https://{HOST}/private/{DAY:%Y/%m/%d}/secret/"
    site.route(f"/private/{DAY:%Y/%m/%d}/secret/", html(article_html("secret")))
    names = ["gone", "broken", "empty", "wall-503", "wall-200"]
    site.set_feed(fine + [article_url(n) for n in names] + [secret])
    c = run_crawl(store)
    assert_accounted(c)
    assert c.record(fine[0]).outcome == "fetched"
    expected: dict[str, tuple[str, str]] = {
        "gone": ("HTTP 404", "http_error"),
        "broken": ("HTTP 500 (retried)", "http_error"),
        "empty": ("empty body, status 200", "fetched"),
        "wall-503": ("bot challenge page, status 503", "bot_challenge"),
        "wall-200": ("bot challenge page, status 200", "bot_challenge"),
    }
    for name, (case, outcome) in expected.items():
        row(case, outcome, c.record(article_url(name)).outcome, c)
    assert len(site.hits_of(article_path("broken"))) == 4  # RETRY_TIMES = 3
    assert len(site.hits_of(article_path("wall-503"))) == 1  # a challenge is not retried
    blocked = c.record(secret)
    assert "robots.txt" in blocked.reason
    assert not site.hits_of(f"/private/{DAY:%Y/%m/%d}/secret/")
    row("page disallowed by robots.txt", "robots_blocked", blocked.outcome, c)


def test_page_limit_leaves_no_queued_url_unrecorded(site: HostileSite, store: ObjectStore) -> None:
    """The outlet's page limit closes the crawl with articles still queued: each of them
    gets a ``not_attempted`` record saying the crawl ended first."""
    urls = site.add_articles(*[f"story-{n}" for n in range(12)])
    site.set_feed(urls)
    site.write_outlet(Path(os.environ["NEWSLOOM_OUTLETS_DIR"]), max_pages=5, concurrency=1)
    c = run_crawl(store)
    assert c.summary.finish_reason == "closespider_pagecount"
    assert_accounted(c)
    outcomes = {c.record(u).outcome for u in urls}
    assert outcomes == {"fetched", "not_attempted"}
    skipped = [c.record(u) for u in urls if c.record(u).outcome == "not_attempted"]
    assert all("closespider_pagecount" in f.reason for f in skipped)
    row(
        "page limit reached with articles still queued",
        "fetched + not_attempted",
        " + ".join(sorted(outcomes)),
        c,
    )
