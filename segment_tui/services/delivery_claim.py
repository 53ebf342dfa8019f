"""One delivery at a time per logged segment.

Log with Send, Resend and Resend of a whole logged segment first claim the logged
segment: the claim names the process (``host:pid:token``) and is released when the
delivery ends. A second delivery of the same logged segment meanwhile is refused with a
message naming who delivers, instead of sending the same e-mails twice. A claim left by a
process that died (killed mid-delivery) is taken over: on the same host when its process
no longer exists, from another host once it is older than :data:`STALE_AFTER`.

The claim is taken with a compare-and-swap ``UPDATE … WHERE delivery_claim = <what was
read>``, so it is safe on PostgreSQL as well as under SQLite's write lock.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from segment_tui.db import write_transaction
from segment_tui.errors import UserError
from segment_tui.models import LoggedSegment

STALE_AFTER = dt.timedelta(hours=2)
"""A claim from another host older than this is taken to be left by a dead process."""


def _this_host() -> str:
    return socket.gethostname()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def _abandoned(claim: str, since: dt.datetime | None, now: dt.datetime) -> bool:
    host, _, rest = claim.partition(":")
    pid = rest.partition(":")[0]
    if host == _this_host() and pid.isdigit():
        return not _process_exists(int(pid))
    return since is None or now - since > STALE_AFTER


def _describe(claim: str, since: dt.datetime | None) -> str:
    host, _, rest = claim.partition(":")
    when = f", since {since:%Y-%m-%d %H:%M}" if since else ""
    return f"process {rest.partition(':')[0]} on {host}{when}"


@contextmanager
def delivery_claim(logged_segment_no: int) -> Iterator[None]:
    """Hold the delivery claim of a logged segment for the ``with`` block."""
    mine = f"{_this_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now().replace(microsecond=0)
    with write_transaction():
        current = (
            LoggedSegment.select(LoggedSegment.delivery_claim, LoggedSegment.delivery_claimed_at)
            .where(LoggedSegment.entry_no == logged_segment_no)
            .tuples()
            .first()
        )
        if current is None:
            raise UserError(f"Logged segment {logged_segment_no} does not exist.")
        claim, since = current
        if claim and not _abandoned(claim, since, now):
            raise UserError(
                f"The documents of logged segment {logged_segment_no} are being delivered "
                f"by {_describe(claim, since)}. Try again when that delivery has finished."
            )
        taken = (
            LoggedSegment.update(delivery_claim=mine, delivery_claimed_at=now)
            .where(
                (LoggedSegment.entry_no == logged_segment_no)
                & (LoggedSegment.delivery_claim == claim)
            )
            .execute()
        )
    if not taken:  # another process claimed it between our read and write (PostgreSQL)
        raise UserError(
            f"The documents of logged segment {logged_segment_no} are being delivered by "
            "another process. Try again when that delivery has finished."
        )
    try:
        yield
    finally:
        with write_transaction():
            LoggedSegment.update(delivery_claim="", delivery_claimed_at=None).where(
                (LoggedSegment.entry_no == logged_segment_no)
                & (LoggedSegment.delivery_claim == mine)
            ).execute()
