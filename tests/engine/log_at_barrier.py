"""Run ``segment-tui ARGS…`` in this process, holding Log at a barrier until released.

Not a test module: the Log race test starts two of these as real processes. Usage::

    python log_at_barrier.py READY_FD GO_FD TIMES_FILE -- --db DB segment log NO

Everything before Log runs as usual (imports, argument parsing, opening the database).
When the command presses Log, this process writes one byte to ``READY_FD`` and waits
until ``GO_FD`` reaches end of file (the test closes its end once every process is
ready), so the processes press Log at the same moment. ``TIMES_FILE`` receives the
monotonic clock (shared by all processes of the machine) when Log started and ended, so
the test can check that the two Logs really overlapped.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import segment_tui.services.log_segment as log_module
from segment_tui.cli import main


def _held_at_barrier(ready_fd: int, go_fd: int, times: Path) -> Any:
    log_segment = log_module.log_segment

    def at_barrier(*args: Any, **kwargs: Any) -> Any:
        os.write(ready_fd, b"r")
        os.close(ready_fd)
        while os.read(go_fd, 1):  # the test closes its end to release every process at once
            pass
        started = time.monotonic()
        try:
            return log_segment(*args, **kwargs)
        finally:
            times.write_text(f"{started} {time.monotonic()}")

    return at_barrier


if __name__ == "__main__":
    ready, go, times_file, separator, *command = sys.argv[1:]
    assert separator == "--", "usage: log_at_barrier.py READY_FD GO_FD TIMES_FILE -- ARGS…"
    log_module.log_segment = _held_at_barrier(int(ready), int(go), Path(times_file))
    sys.exit(main(command))
