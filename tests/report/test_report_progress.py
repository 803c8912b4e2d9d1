"""The progress helper (rich bar in a terminal, one summary line elsewhere) and the logging
set-up that sends third-party warnings to DEBUG."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import warnings

import pytest

from processing.cli.progress import (
    interactive_default,
    progress,
    rich_log_handler,
    summary_line,
)
from processing.core.logs import DemoteThirdPartyWarnings, demote_third_party_warnings

STEP_LOGGER = "processing.cli.progress"


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == STEP_LOGGER]


def test_quiet_mode_logs_one_summary_line_per_step(caplog):
    caplog.set_level(logging.INFO)
    with progress("backfill sohr_ar", total=3, unit="day", interactive=False) as advance:
        advance(1, stored=4, new=4, label="2026-11-18")
        advance(1, stored=2, new=0)
        advance(1, stored=1, new=1, rejected=0)
    with progress("reprocess sohr_ar", total=None, unit="row", interactive=False) as advance:
        advance(10, rewritten=3)
    lines = _lines(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith("backfill sohr_ar: 3/3 days in ")
    assert lines[0].endswith("(stored 7, new 5)")
    assert lines[1].startswith("reprocess sohr_ar: 10 rows in ") and "(rewritten 3)" in lines[1]


def test_total_known_later(caplog):
    caplog.set_level(logging.INFO)
    with progress("retranslate all", unit="row", interactive=False) as advance:
        advance.set_total(64)
        advance(32, translated=30, pending=2)
        advance(32, translated=32)
    (line,) = _lines(caplog)
    assert line.startswith("retranslate all: 64/64 rows in ")
    assert line.endswith("(translated 62, pending 2)")


def test_quiet_mode_names_an_interrupted_step(caplog):
    caplog.set_level(logging.INFO)
    with (
        pytest.raises(RuntimeError, match="S3 went away"),
        progress("retranslate all", total=5, unit="partition", interactive=False) as advance,
    ):
        advance(2, translated=7)
        raise RuntimeError("S3 went away")
    (record,) = [r for r in caplog.records if r.name == STEP_LOGGER]
    assert record.levelno == logging.WARNING
    assert "interrupted after 2/5 partitions" in record.getMessage()
    assert "RuntimeError: S3 went away" in record.getMessage()


def test_terminal_mode_draws_a_rich_bar_and_still_summarises(caplog):
    from rich.console import Console

    caplog.set_level(logging.INFO)
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, color_system=None)
    with progress("backfill npa_en", total=4, unit="day", console=console) as advance:
        for i in range(4):
            advance(1, stored=i, label=f"day {i}")
    drawn = screen.getvalue()
    assert "backfill npa_en" in drawn
    assert "4/4" in drawn  # the bar's done/total column
    assert "stored 6" in drawn
    assert _lines(caplog) == [_lines(caplog)[0]] and "4/4 days" in _lines(caplog)[0]


def test_log_lines_print_above_the_bar_through_rich_handler():
    """A log line emitted while the bar runs goes through rich's ``RichHandler`` on the bar's
    console and lands above the bar; no handler is touched (the old helper swapped the
    streams of the root's handlers by hand)."""
    from rich.console import Console

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, color_system=None)
    log = logging.getLogger("tests.progress.above")
    handler = rich_log_handler(console)
    log.addHandler(handler)
    log.propagate = False
    try:
        with progress("backfill npa_en", total=2, unit="day", console=console) as advance:
            advance(1)
            log.warning("robots.txt of npa says wait")
            advance(1)
        assert log.handlers == [handler] and handler.console is console  # type: ignore[attr-defined]
    finally:
        log.removeHandler(handler)
        log.propagate = True
    drawn = screen.getvalue()
    assert "robots.txt of npa says wait" in drawn and "WARNING" in drawn
    assert drawn.index("robots.txt of npa says wait") < drawn.rindex("backfill npa_en")


@pytest.mark.parametrize(("mode", "handler"), [("rich", "RichHandler"), ("plain", "StreamHandler")])
def test_the_command_line_logs_through_rich_in_a_terminal(mode: str, handler: str) -> None:
    """``setup_logging`` picks rich's handler where the bars are drawn, plain lines elsewhere."""
    code = (
        "import logging; from processing.cli.common import setup_logging; "
        "setup_logging('INFO', False); "
        "print(','.join(type(h).__name__ for h in logging.getLogger().handlers))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "NEWSLOOM_PROGRESS": mode},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.strip() == handler


def test_interactive_default_follows_the_tty_and_the_override(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NEWSLOOM_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert interactive_default(Tty()) is True
    assert interactive_default(io.StringIO()) is False  # Airflow, CI, a pipe
    monkeypatch.setenv("NEWSLOOM_PROGRESS", "plain")
    assert interactive_default(Tty()) is False
    monkeypatch.setenv("NEWSLOOM_PROGRESS", "rich")
    assert interactive_default(io.StringIO()) is True


def test_summary_line_without_total():
    from collections import Counter

    assert summary_line("demo", 3, None, "outlet", 1.25, Counter()) == "demo: 3 outlets in 1.2 s"


def _emit(name: str, level: int, text: str) -> None:
    logging.getLogger(name).log(level, text)


def test_third_party_warnings_go_to_debug():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        demote_third_party_warnings(show_debug=False)
        _emit("trafilatura.xml", logging.WARNING, "empty link: None {}")
        _emit("trafilatura", logging.ERROR, "parser crashed")
        _emit("processing.pipeline.stages", logging.WARNING, "our own warning")
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("some library deprecation", DeprecationWarning, stacklevel=1)
        quiet = stream.getvalue()
        assert "empty link" not in quiet
        assert "some library deprecation" not in quiet
        assert "ERROR trafilatura parser crashed" in quiet
        assert "WARNING processing.pipeline.stages our own warning" in quiet

        demote_third_party_warnings(show_debug=True)  # -v: shown, as DEBUG
        _emit("trafilatura.xml", logging.WARNING, "empty link: again")
        assert "DEBUG trafilatura.xml empty link: again" in stream.getvalue()
        assert sum(isinstance(f, DemoteThirdPartyWarnings) for f in handler.filters) == 1
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(old_level)
