"""One delivery at a time per logged segment.

Log with Send, Resend and Resend of a whole logged segment first claim the logged
segment: the claim names the process (``host:pid:token``) and is released when the
delivery ends. A second delivery of the same logged segment meanwhile is refused with a
message naming who delivers, instead of sending the same e-mails twice.

The delivering process renews its claim after every batch (:meth:`Claim.renew`) and
stops if it finds the claim gone. A claim that has not been renewed for
:data:`STALE_AFTER` is taken to be left by a process that died (killed mid-delivery), and
so is a claim of this host whose process no longer exists. Times are UTC, so hosts in
other time zones agree on a claim's age.

The claim is taken inside a write transaction (one writer at a time on SQLite and, with
its writers lock, on PostgreSQL), so two processes cannot both take it.
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

STALE_AFTER = dt.timedelta(minutes=30)
"""A claim not renewed for this long is abandoned (a batch renews it within minutes)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _this_host() -> str:
    return socket.gethostname()


def _process_gone(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by another user
        return False
    return False


def _abandoned(claim: str, renewed: dt.datetime | None, now: dt.datetime) -> bool:
    if renewed is None or now - renewed > STALE_AFTER:
        return True
    host, _, rest = claim.partition(":")
    pid = rest.partition(":")[0]
    return host == _this_host() and pid.isdigit() and _process_gone(int(pid))


def _describe(claim: str, renewed: dt.datetime | None) -> str:
    host, _, rest = claim.partition(":")
    when = f", last seen {renewed:%Y-%m-%d %H:%M} UTC" if renewed else ""
    return f"process {rest.partition(':')[0]} on {host}{when}"


class Claim:
    """This process's claim on a logged segment's delivery."""

    def __init__(self, logged_segment_no: int, token: str) -> None:
        self.logged_segment_no = logged_segment_no
        self.token = token

    def renew(self) -> None:
        """Mark the claim alive; refuse to go on when another process has taken it over."""
        with write_transaction():
            kept = (
                LoggedSegment.update(delivery_claimed_at=_utc_now())
                .where(
                    (LoggedSegment.entry_no == self.logged_segment_no)
                    & (LoggedSegment.delivery_claim == self.token)
                )
                .execute()
            )
        if not kept:
            raise UserError(
                f"Another process took over the delivery of logged segment "
                f"{self.logged_segment_no}; this one stopped. Its results so far are saved."
            )


@contextmanager
def delivery_claim(logged_segment_no: int) -> Iterator[Claim]:
    """Hold the delivery claim of a logged segment for the ``with`` block."""
    mine = Claim(logged_segment_no, f"{_this_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}")
    now = _utc_now()
    with write_transaction():
        current = (
            LoggedSegment.select(LoggedSegment.delivery_claim, LoggedSegment.delivery_claimed_at)
            .where(LoggedSegment.entry_no == logged_segment_no)
            .tuples()
            .first()
        )
        if current is None:
            raise UserError(f"Logged segment {logged_segment_no} does not exist.")
        claim, renewed = current
        if claim and not _abandoned(claim, renewed, now):
            raise UserError(
                f"The documents of logged segment {logged_segment_no} are being delivered "
                f"by {_describe(claim, renewed)}. Try again when that delivery has finished."
            )
        LoggedSegment.update(delivery_claim=mine.token, delivery_claimed_at=now).where(
            LoggedSegment.entry_no == logged_segment_no
        ).execute()
    try:
        yield mine
    finally:
        with write_transaction():
            LoggedSegment.update(delivery_claim="", delivery_claimed_at=None).where(
                (LoggedSegment.entry_no == logged_segment_no)
                & (LoggedSegment.delivery_claim == mine.token)
            ).execute()
