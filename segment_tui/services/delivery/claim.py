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
its writers lock, on PostgreSQL), so two processes cannot both take it. Log with Send
takes it in the transaction that logs (:func:`claim_in_transaction`) and hands it to the
delivery that follows in the same process (:func:`delivery_claim` adopts it), so no other
process's Resend can slip in between Log and Send.

Taking a claim also settles what a dead delivery left behind: its entries still marked
``sending`` become ``unknown`` (``docs/delivery.md``): the process died between marking an
entry and recording the outcome, so nobody knows whether that e-mail went out.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import UserError
from segment_tui.models import InteractionLogEntry, LoggedSegment

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


INTERRUPTED = (
    "The delivery stopped (the process was killed or lost its connection) after this entry "
    "was marked Sending and before its outcome was recorded: it may or may not have been "
    "delivered."
)

_handed_over: dict[int, str] = {}
"""Claims that Log with Send took in this process, by logged segment, not yet adopted."""
_handed_over_lock = threading.Lock()


def _new_token() -> str:
    return f"{_this_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim_alive(claim: str, renewed: dt.datetime | None) -> bool:
    """Whether a stored claim still stands (not blank, not abandoned)."""
    return bool(claim) and not _abandoned(claim, renewed, _utc_now())


def live_claims(logged_segment_nos: Iterable[int]) -> set[int]:
    """The logged segments among ``logged_segment_nos`` whose delivery is running now."""
    numbers = list(dict.fromkeys(logged_segment_nos))
    if not numbers:
        return set()
    rows = tuples(
        LoggedSegment.select(
            LoggedSegment.entry_no, LoggedSegment.delivery_claim, LoggedSegment.delivery_claimed_at
        ).where(LoggedSegment.entry_no.in_(numbers))
    )
    return {int(no) for no, claim, renewed in rows if claim_alive(claim, renewed)}


def running_deliveries() -> set[int]:
    """Every logged segment whose delivery is running now (few: one per live delivery)."""
    rows = tuples(
        LoggedSegment.select(
            LoggedSegment.entry_no, LoggedSegment.delivery_claim, LoggedSegment.delivery_claimed_at
        ).where(LoggedSegment.delivery_claim != "")
    )
    return {int(no) for no, claim, renewed in rows if claim_alive(claim, renewed)}


def claim_in_transaction(logged_segment_no: int) -> str:
    """Claim a logged segment inside the caller's write transaction (Log with Send, whose
    segment was just logged, so nobody else can hold it); returns the token. Call
    :func:`hand_over` once that transaction has committed."""
    token = _new_token()
    LoggedSegment.update(delivery_claim=token, delivery_claimed_at=_utc_now()).where(
        LoggedSegment.entry_no == logged_segment_no
    ).execute()
    return token


def hand_over(logged_segment_no: int, token: str) -> None:
    """Let this process's next delivery of the logged segment adopt claim ``token``."""
    with _handed_over_lock:
        _handed_over[logged_segment_no] = token


def _settle_interrupted(logged_segment_no: int) -> None:
    """Entries a dead delivery left in ``sending``: their outcome is unknown."""
    InteractionLogEntry.update(delivery_status="unknown", delivery_error=INTERRUPTED).where(
        (InteractionLogEntry.logged_segment_entry_no == logged_segment_no)
        & (InteractionLogEntry.delivery_status == "sending")
    ).execute()


class HeldClaim(Protocol):
    """What a delivery run needs of the claim it works under: a logged segment's
    (:class:`Claim`) or a single entry's (:class:`.entry_claim.EntryClaim`)."""

    def entries(self) -> Any:
        """A condition selecting the entries the claim covers."""

    def held(self) -> Any:
        """A query that finds a row while the claim is still this one (for EXISTS)."""

    def renew_in_transaction(self) -> bool:
        """Renew inside the caller's write transaction; False when the claim is not ours."""

    def lost(self) -> UserError:
        """The error a delivery stops with when its claim was taken over."""


class Claim:
    """This process's claim on a logged segment's delivery."""

    def __init__(self, logged_segment_no: int, token: str) -> None:
        self.logged_segment_no = logged_segment_no
        self.token = token

    def entries(self) -> Any:
        """The entries of the claimed logged segment."""
        return InteractionLogEntry.logged_segment_entry_no == self.logged_segment_no

    def renew(self) -> None:
        """Mark the claim alive; refuse to go on when another process has taken it over."""
        with write_transaction():
            kept = self.renew_in_transaction()
        if not kept:
            raise self.lost()

    def held(self) -> Any:
        """A query that finds a row while the claim is still this one (for EXISTS)."""
        return LoggedSegment.select(LoggedSegment.entry_no).where(
            (LoggedSegment.entry_no == self.logged_segment_no)
            & (LoggedSegment.delivery_claim == self.token)
        )

    def renew_in_transaction(self) -> bool:
        """Renew inside the caller's write transaction; False when the claim is not ours."""
        return bool(
            LoggedSegment.update(delivery_claimed_at=_utc_now())
            .where(
                (LoggedSegment.entry_no == self.logged_segment_no)
                & (LoggedSegment.delivery_claim == self.token)
            )
            .execute()
        )

    def lost(self) -> UserError:
        """The error a delivery stops with when its claim was taken over."""
        return UserError(
            f"Another process took over the delivery of logged segment "
            f"{self.logged_segment_no}; this one stopped. Its results so far are saved."
        )


@contextmanager
def delivery_claim(logged_segment_no: int) -> Iterator[Claim]:
    """Hold the delivery claim of a logged segment for the ``with`` block (adopting the one
    Log with Send handed over in this process, if any)."""
    mine = Claim(logged_segment_no, _new_token())
    with _handed_over_lock:
        handed = _handed_over.pop(logged_segment_no, "")
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
        if claim and claim != handed and not _abandoned(claim, renewed, now):
            raise UserError(
                f"The documents of logged segment {logged_segment_no} are being delivered "
                f"by {_describe(claim, renewed)}. Try again when that delivery has finished."
            )
        LoggedSegment.update(delivery_claim=mine.token, delivery_claimed_at=now).where(
            LoggedSegment.entry_no == logged_segment_no
        ).execute()
        _settle_interrupted(logged_segment_no)
    try:
        yield mine
    finally:
        with write_transaction():
            LoggedSegment.update(delivery_claim="", delivery_claimed_at=None).where(
                (LoggedSegment.entry_no == logged_segment_no)
                & (LoggedSegment.delivery_claim == mine.token)
            ).execute()
