"""Run ``segment-tui ARGS…`` in this process, holding Log at a barrier until released.

Not a test module: the Log race test starts two of these as real processes. Usage::

    python log_at_barrier.py ARRIVED_FD GO_FD TIMES_FILE -- --db DB segment log NO

Everything before Log runs as usual (imports, argument parsing, opening the database).
When the command presses Log, the process waits at the barrier (:mod:`tests.barrier`)
until every process has got there, so they press Log at the same moment. ``TIMES_FILE``
receives the monotonic clock (one clock for all processes of the machine) when Log
started and ended, so the test can check that the Logs really overlapped.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import segment_tui.services.log.log_segment as log_module
from segment_tui.cli import main
from tests.barrier import wait_at_barrier

P = ParamSpec("P")
R = TypeVar("R")


def _held_at_barrier(
    log_segment: Callable[P, R], arrived_fd: int, go_fd: int, times: Path
) -> Callable[P, R]:
    def at_barrier(*args: P.args, **kwargs: P.kwargs) -> R:
        wait_at_barrier(arrived_fd, go_fd)
        started = time.monotonic()
        try:
            return log_segment(*args, **kwargs)
        finally:
            times.write_text(f"{started} {time.monotonic()}")

    return at_barrier


if __name__ == "__main__":
    arrived, go, times_file, separator, *command = sys.argv[1:]
    assert separator == "--", "usage: log_at_barrier.py ARRIVED_FD GO_FD TIMES_FILE -- ARGS…"
    log_module.log_segment = _held_at_barrier(
        log_module.log_segment, int(arrived), int(go), Path(times_file)
    )
    sys.exit(main(command))
