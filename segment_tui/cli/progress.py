"""Progress bars on stderr for long commands, only when a person is watching.

Services report progress through a callback (:data:`segment_tui.services.streaming.Progress`);
this module draws it with Rich, on stderr, when stderr is a terminal. Piped or redirected
runs (scripts, CI, ``2>log``) get no callback at all: nothing is drawn, Rich is not even
imported (it costs 70 ms of start-up), and services skip counting totals.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from segment_tui.services.streaming import Progress


def wanted(*, writes_stdout: bool = False) -> bool:
    """Whether to draw progress: stderr is a terminal and, for a command printing its
    result on stdout, stdout is not that terminal too (the bar would tear the output)."""
    if not sys.stderr.isatty():
        return False
    return not (writes_stdout and sys.stdout.isatty())


@contextmanager
def progress_bars(*, writes_stdout: bool = False) -> Iterator[Progress | None]:
    """A progress callback drawing one bar per step on stderr, or None when not
    :func:`wanted`. The bars stay on screen when the command ends."""
    if not wanted(writes_stdout=writes_stdout):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bars

    bars = Bars(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        redirect_stdout=False,
        redirect_stderr=False,
    )
    tasks: dict[str, TaskID] = {}

    def report(step: str, done: int, total: int | None) -> None:
        task = tasks.get(step)
        if task is None:
            task = tasks[step] = bars.add_task(step, total=total)
        # Drawn at once, not at the next 10 Hz tick: each call is a finished batch.
        bars.update(task, completed=done, total=total, refresh=True)

    with bars:
        yield report
