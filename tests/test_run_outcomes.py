"""Exit codes that tell: a run whose outlet went down mid-crawl, and one that robots.txt blocks
altogether, no longer exit 0; the same runs fail (blocked, no retry) or warn (partial) in
Airflow. Real crawls of a fictional outlet on a local server, real S3 and table."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from processing.cli import main
from processing.cli.exitcodes import Exit
from processing.core.config import Settings
from processing.core.runspec import RunSpec
from processing.pipeline.outcome import RunOutcome, run_outcome, worst
from tests import reliability
from tests.conftest import route_to_mirror
from tests.hostile_site import (
    DAY,
    HANG_UP,
    OUTLET_ID,
    Asked,
    HostileSite,
    Reply,
    article_html,
    article_path,
    article_url,
    html,
)

SLUGS = [f"story-{i}" for i in range(9)]


@pytest.fixture
def site(env: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HostileSite]:
    with HostileSite([article_url(s) for s in SLUGS]) as hostile:
        hostile.write_outlet(tmp_path / "outlets", concurrency=1)
        monkeypatch.setenv("NEWSLOOM_OUTLETS_DIR", str(tmp_path / "outlets"))
        route_to_mirror(monkeypatch, hostile.url)
        yield hostile


def _goes_down_after(site: HostileSite, served: int) -> None:
    """The outlet answers ``served`` article requests, then stops answering (connection
    closed without a response: the crawler sees a network error)."""
    lock = threading.Lock()
    count = [0]

    def reply_for(slug: str):
        def reply(asked: Asked) -> Reply:
            with lock:
                count[0] += 1
                up = count[0] <= served
            return html(article_html(slug)) if up else HANG_UP

        return reply

    for slug in SLUGS:
        site.route(article_path(slug), reply_for(slug))


def _cli_run(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["run", "--outlet", OUTLET_ID, "--date", DAY.isoformat()])
    captured = capsys.readouterr()
    found = re.search(r"runs/([^ ]+)\.json", captured.out)
    assert found, captured.out
    return code, found.group(1), captured.err


def _spec(run_id: str) -> dict:
    spec = RunSpec.daily(OUTLET_ID, DAY, Settings.from_env().window_overlap_hours)
    return dataclasses.replace(spec, attempt=run_id.rsplit(".", 1)[1]).to_dict()


@pytest.mark.integration
@pytest.mark.reliability
def test_outlet_down_mid_crawl_is_a_partial_run(site, capsys):
    from processing.airflow import tasks
    from processing.corpus import open_corpus

    _goes_down_after(site, 2)
    code, run_id, err = _cli_run(capsys)
    corpus = open_corpus(settings=Settings.from_env())
    stored = corpus.read(["article_id"], outlet=OUTLET_ID).num_rows
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = seen.append  # type: ignore[method-assign]
    task_log = logging.getLogger("processing.airflow.tasks")
    task_log.addHandler(handler)  # Airflow's own logging set-up replaces the root's handlers
    try:
        report = tasks.validate(_spec(run_id))
    finally:
        task_log.removeHandler(handler)
    warned = [r for r in seen if r.levelno == logging.WARNING and "partial" in r.getMessage()]
    observed = f"exit {code}, stored {stored} of 9, Airflow validate {report['outcome']}" + (
        " with a WARNING" if warned else ""
    )
    reliability.record(
        "operations",
        "outlet goes down mid-crawl (2 of 9 articles answered)",
        f"exit {int(Exit.PARTIAL)}, stored 2 of 9, Airflow validate partial with a WARNING",
        observed,
    )
    assert code == Exit.PARTIAL, err
    assert "partial" in err and "unreachable" in err
    assert stored == 2
    assert report["outcome"] == "partial" and warned


@pytest.mark.integration
@pytest.mark.reliability
def test_robots_txt_blocking_everything_is_a_blocked_run(site, capsys):
    from airflow.exceptions import AirflowFailException

    from processing.airflow import tasks

    site.route(
        "/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n", {"Content-Type": "text/plain"})
    )
    code, run_id, err = _cli_run(capsys)
    with pytest.raises(AirflowFailException, match="blocked_by_robots") as failed:
        tasks.validate(_spec(run_id))
    observed = f"exit {code}, Airflow validate fails without retry ({type(failed.value).__name__})"
    reliability.record(
        "operations",
        "robots.txt disallows everything",
        f"exit {int(Exit.BLOCKED)}, Airflow validate fails without retry (AirflowFailException)",
        observed,
    )
    assert code == Exit.BLOCKED, err
    assert "blocked_by_robots" in err and not any(h.path.startswith("/20") for h in site.hits)


@pytest.mark.integration
def test_a_complete_run_exits_0(site, capsys):
    for slug in SLUGS:
        site.route(article_path(slug), html(article_html(slug)))
    code, _, err = _cli_run(capsys)
    assert code == Exit.OK, err


def _m(status: str, stored: int = 3, **access: int) -> dict:
    return {
        "run_id": f"x.daily.{status}",
        "status": "committed",
        "access": {"status": status, **access},
        "counts": {"stored": {"total": stored}},
    }


def test_outcome_of_each_access_status():
    assert run_outcome(_m("ok")).kind == "complete"
    assert run_outcome({"run_id": "x", "status": "skipped", "reason": "nothing"}).kind == "skipped"
    partial = run_outcome(_m("partial", 2, unreachable=7))
    assert partial.kind == "partial" and "unreachable 7" in partial.message
    for status in ("blocked_by_robots", "bot_challenge", "unreachable", "discovery_failed"):
        assert run_outcome(_m(status, 0)).kind == "blocked", status


def test_a_backfill_is_blocked_only_when_every_chunk_was():
    ok, part, blocked = (RunOutcome(k, k) for k in ("complete", "partial", "blocked"))
    assert worst([]) is None
    assert worst([ok, ok]).kind == "complete"  # type: ignore[union-attr]
    assert worst([blocked, blocked]).kind == "blocked"  # type: ignore[union-attr]
    assert worst([ok, blocked]).kind == "partial"  # type: ignore[union-attr]
    assert worst([part, ok]).kind == "partial"  # type: ignore[union-attr]
