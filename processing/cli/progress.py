"""Progress of long commands: a rich progress bar in a terminal, one summary line elsewhere.

    from processing.cli.progress import progress

    with progress("backfill sohr_ar", total=7, unit="day") as advance:
        for day in days:
            report = run_day(day)
            advance(1, stored=report.stored, new=report.new, label=day.isoformat())

In a terminal (stderr is a TTY) a bar shows done/total, elapsed and remaining time and the
running counts, and log lines print above it. Anywhere else (Airflow task logs, CI, a pipe)
nothing is printed while the step runs. Either way, when the step ends one INFO line says
what it did::

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
from typing import IO, Any, Protocol

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


@contextmanager
def _logging_above(console_file: IO[str]) -> Iterator[None]:
    """Point the root logger's stderr handlers at ``console_file`` (rich's proxy, which prints
    above the live bar) for the duration; restore them afterwards."""
    real = {sys.__stderr__, getattr(console_file, "rich_proxied_file", None)}
    swapped: list[tuple[logging.StreamHandler[Any], IO[str]]] = []
    for handler in logging.getLogger().handlers:
        if (
            isinstance(handler, logging.StreamHandler)
            and not isinstance(handler, logging.FileHandler)
            and handler.stream in real
        ):
            swapped.append((handler, handler.stream))
            handler.setStream(console_file)
    try:
        yield
    finally:
        for handler, stream in swapped:
            handler.setStream(stream)


@contextmanager
def progress(
    step: str,
    total: int | None = None,
    unit: str = "item",
    *,
    interactive: bool | None = None,
    console: Any = None,
    log: logging.Logger | None = None,
) -> Iterator[Advance]:
    """A step with progress; yields ``advance`` (see :class:`Advance`).

    ``interactive`` defaults to :func:`interactive_default`; ``console`` (a
    ``rich.console.Console``) is for tests and embedding; ``log`` receives the summary line
    (default: this module's logger).
    """
    out = log or logger
    counts: Counter[str] = Counter()
    done = 0
    started = time.monotonic()
    if interactive is None:
        interactive = console is not None or interactive_default()
    bar: Any = None
    task: Any = None
    if interactive:
        from rich.console import Console
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
            console=console or Console(stderr=True),
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
            if bar is not None:
                status = ", ".join(f"{k} {v}" for k, v in counts.items())
                if label:
                    status = f"{label}  {status}" if status else label
                bar.update(task, advance=n, status=status)

        def set_total(self, new_total: int) -> None:
            nonlocal total
            total = new_total
            if bar is not None:
                bar.update(task, total=new_total)

    advance = _Step()

    failed: BaseException | None = None
    try:
        if bar is not None:
            with bar, _logging_above(sys.stderr):
                yield advance
        else:
            yield advance
    except BaseException as exc:
        failed = exc
        raise
    finally:
        line = summary_line(step, done, total, unit, time.monotonic() - started, counts, failed)
        (out.warning if failed is not None else out.info)("%s", line)
