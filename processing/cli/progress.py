"""Progress of long commands: a rich progress bar in a terminal, one summary line elsewhere.

    from processing.cli.progress import progress

    with progress("backfill sohr_ar", total=7, unit="day") as advance:
        for day in days:
            report = run_day(day)
            advance(1, stored=report.stored, new=report.new, label=day.isoformat())

In a terminal (stderr is a TTY) a bar shows done/total, elapsed and remaining time and the
running counts, and log lines print above it (the command line logs through rich's
``RichHandler`` on the bar's console there: :func:`rich_log_handler`). Anywhere else
(Airflow task logs, CI, a pipe) nothing is printed while the step runs. Either way, when
the step ends one INFO line says what it did::

    backfill sohr_ar: 7/7 days in 41.2 s (stored 25, new 20)

``NEWSLOOM_PROGRESS=plain`` forces the quiet mode in a terminal, ``rich`` forces the bar.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

logger = logging.getLogger(__name__)

PROGRESS_ENV = "NEWSLOOM_PROGRESS"


class Advance(Protocol):
    """``advance(n=1, label=None, **counts)``: ``n`` more units done; ``counts`` are added to
    the running totals shown in the bar and the summary; ``label`` names the current item.
    ``advance.set_total(n)``: the total, once known (a step that selects its work first)."""

    def __call__(self, n: int = 1, label: str | None = None, **counts: int) -> None: ...

    def set_total(self, total: int) -> None: ...


def interactive_default(stream: IO[str] | None = None) -> bool:
    mode = os.environ.get(PROGRESS_ENV, "auto").lower()
    if mode in ("plain", "0", "off", "no"):
        return False
    if mode in ("rich", "1", "on", "yes"):
        return True
    s = stream or sys.stderr
    return bool(getattr(s, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


def _plural(unit: str, n: int | None) -> str:
    return unit if n == 1 or unit.endswith("s") else unit + "s"


def summary_line(
    step: str,
    done: int,
    total: int | None,
    unit: str,
    seconds: float,
    counts: Counter[str],
    failed: BaseException | None = None,
) -> str:
    amount = f"{done}/{total}" if total is not None else f"{done}"
    shown = ", ".join(f"{k} {v}" for k, v in counts.items())
    tail = f" ({shown})" if shown else ""
    if failed is not None:
        return (
            f"{step}: interrupted after {amount} {_plural(unit, total or done)} in "
            f"{seconds:.1f} s{tail}: {type(failed).__name__}: {failed}"
        )
    return f"{step}: {amount} {_plural(unit, total or done)} in {seconds:.1f} s{tail}"


_CONSOLE: Console | None = None


def shared_console() -> Console:
    """The terminal console (stderr) shared by the progress bars and the log handler: while a
    bar runs, rich prints each log line above it."""
    global _CONSOLE
    if _CONSOLE is None:
        from rich.console import Console

        _CONSOLE = Console(stderr=True)
    return _CONSOLE


def rich_log_handler(console: Console | None = None) -> logging.Handler:
    """A ``rich.logging.RichHandler`` on ``console`` (default :func:`shared_console`): the
    command line's log handler in a terminal (``processing.cli.common.setup_logging``), so
    log lines and progress bars share one console and never garble each other."""
    from rich.logging import RichHandler

    return RichHandler(
        console=console or shared_console(),
        show_path=False,
        markup=False,
        rich_tracebacks=False,
        log_time_format="%H:%M:%S",
    )


@contextmanager
def progress(
    step: str,
    total: int | None = None,
    unit: str = "item",
    *,
    interactive: bool | None = None,
    console: Console | None = None,
    log: logging.Logger | None = None,
) -> Iterator[Advance]:
    """A step with progress; yields ``advance`` (see :class:`Advance`).

    ``interactive`` defaults to :func:`interactive_default`; ``console`` (a
    ``rich.console.Console``, default :func:`shared_console`) is for tests and embedding;
    ``log`` receives the summary line (default: this module's logger). Log lines printed
    while the bar runs go above it when they are handled by a ``RichHandler`` on the same
    console, as the command line's are (:func:`rich_log_handler`).
    """
    out = log or logger
    counts: Counter[str] = Counter()
    done = 0
    started = time.monotonic()
    if interactive is None:
        interactive = console is not None or interactive_default()
    bar: Progress | None = None
    task: TaskID | None = None
    if interactive:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn() if total is not None else TextColumn("{task.completed}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"),
            console=console or shared_console(),
            transient=True,
            redirect_stdout=True,
            redirect_stderr=True,
        )
        task = bar.add_task(step, total=total, status="")

    class _Step:
        def __call__(self, n: int = 1, label: str | None = None, **more: int) -> None:
            nonlocal done
            done += n
            counts.update({k: v for k, v in more.items() if v})
            if bar is not None and task is not None:
                status = ", ".join(f"{k} {v}" for k, v in counts.items())
                if label:
                    status = f"{label}  {status}" if status else label
                bar.update(task, advance=n, status=status)

        def set_total(self, new_total: int) -> None:
            nonlocal total
            total = new_total
            if bar is not None and task is not None:
                bar.update(task, total=new_total)

    advance = _Step()

    failed: BaseException | None = None
    try:
        if bar is not None:
            with bar:
                yield advance
        else:
            yield advance
    except BaseException as exc:
        failed = exc
        raise
    finally:
        line = summary_line(step, done, total, unit, time.monotonic() - started, counts, failed)
        (out.warning if failed is not None else out.info)("%s", line)
