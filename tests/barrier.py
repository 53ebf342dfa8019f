"""A barrier across processes, so a concurrency test's processes really run at once.

Without it, two processes started one after the other may each finish its work before
the other begins (start-up alone takes longer than a small write), and a test of "two at
once" then passes whether or not the code holds up under concurrency.

The test creates a :class:`ProcessBarrier`, starts its processes with
``barrier.child_args`` on their command line and ``pass_fds=barrier.pass_fds``, then
calls :meth:`ProcessBarrier.release`. Each process calls :func:`wait_at_barrier` right
before the work that must overlap. Two pipes do it: every process writes a byte to the
first when it arrives and blocks reading the second; the test closes the second once all
have arrived, which wakes them all at the same moment. This module imports nothing from
pytest or the app, so child processes load it cheaply.
"""

from __future__ import annotations

import os
import select


class ProcessBarrier:
    """The test's side of the barrier."""

    def __init__(self) -> None:
        self._arrived_read, self._arrived_write = os.pipe()
        self._go_read, self._go_write = os.pipe()

    @property
    def child_args(self) -> list[str]:
        """The two arguments a process passes on to :func:`wait_at_barrier`."""
        return [str(self._arrived_write), str(self._go_read)]

    @property
    def pass_fds(self) -> tuple[int, int]:
        """The pipe ends the processes inherit (``subprocess.Popen(pass_fds=…)``)."""
        return (self._arrived_write, self._go_read)

    def release(self, parties: int, timeout: float = 120.0) -> int:
        """Wait until ``parties`` processes have arrived, then let them all go at once.

        Call after starting every process. Returns how many arrived: fewer when one
        ended (or hung for ``timeout`` seconds) before reaching the barrier; the others
        are released all the same, so nobody waits forever."""
        os.close(self._arrived_write)  # end of file once every process has gone too
        os.close(self._go_read)
        arrived = 0
        try:
            while arrived < parties:
                readable, _, _ = select.select([self._arrived_read], [], [], timeout)
                chunk = os.read(self._arrived_read, parties) if readable else b""
                if not chunk:
                    break
                arrived += len(chunk)
        finally:
            os.close(self._go_write)
            os.close(self._arrived_read)
        return arrived


def wait_at_barrier(arrived_fd: int, go_fd: int) -> None:
    """The process's side: say "here" and wait until every process is here."""
    os.write(arrived_fd, b"!")
    os.close(arrived_fd)
    while os.read(go_fd, 1):  # nothing is ever written: the test closes its end
        pass
    os.close(go_fd)
