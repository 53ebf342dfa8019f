"""One delivery at a time for an interaction that belongs to no logged segment.

Create Interaction logs one entry without a logged segment (as Business Central does),
so the claim a delivery holds (:mod:`.claim`) is kept per entry, in
``entry_delivery_claim``, while the delivery runs: the same ``host:pid:token``, the same
renewal, the same take-over of an abandoned claim, and the same settling of what a dead
delivery left ``sending`` (it becomes ``unknown``: ``docs/delivery.md``). Create
Interaction with a letter claims the entry in the transaction that writes it and hands
the claim to the delivery that follows in the same process, as Log with Send does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from segment_tui.db import chunked, tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import EntryDeliveryClaim, InteractionLogEntry
from segment_tui.services.delivery.claim import (
    INTERRUPTED,
    _abandoned,
    _describe,
    _new_token,
    _utc_now,
    claim_alive,
)

_handed_over: dict[int, str] = {}
"""Claims Create Interaction took in this process, by entry, not yet adopted."""
_handed_over_lock = threading.Lock()


class EntryClaim:
    """This process's claim on the delivery of one interaction log entry."""

    def __init__(self, entry_no: int, token: str) -> None:
        self.entry_no = entry_no
        self.token = token

    def entries(self) -> Any:
        """The one entry claimed."""
        return InteractionLogEntry.entry_no == self.entry_no

    def held(self) -> Any:
        """A query that finds a row while the claim is still this one (for EXISTS)."""
        return EntryDeliveryClaim.select(EntryDeliveryClaim.entry_no).where(
            (EntryDeliveryClaim.entry_no == self.entry_no)
            & (EntryDeliveryClaim.claim == self.token)
        )

    def renew_in_transaction(self) -> bool:
        """Renew inside the caller's write transaction; False when the claim is not ours."""
        return bool(
            EntryDeliveryClaim.update(claimed_at=_utc_now())
            .where(
                (EntryDeliveryClaim.entry_no == self.entry_no)
                & (EntryDeliveryClaim.claim == self.token)
            )
            .execute()
        )

    def renew(self) -> None:
        """Mark the claim alive; refuse to go on when another process has taken it over."""
        with write_transaction():
            kept = self.renew_in_transaction()
        if not kept:
            raise self.lost()

    def lost(self) -> UserError:
        """The error a delivery stops with when its claim was taken over."""
        return UserError(
            f"Another process took over the delivery of interaction log entry "
            f"{self.entry_no}; this one stopped. Its result so far is saved."
        )


def _store(entry_no: int, token: str) -> None:
    EntryDeliveryClaim.delete().where(EntryDeliveryClaim.entry_no == entry_no).execute()
    EntryDeliveryClaim.insert(entry_no=entry_no, claim=token, claimed_at=_utc_now()).execute()


def claim_entry_in_transaction(entry_no: int) -> str:
    """Claim a just-written entry inside the caller's write transaction (Create
    Interaction); returns the token. Call :func:`hand_over_entry` once it has committed."""
    token = _new_token()
    _store(entry_no, token)
    return token


def hand_over_entry(entry_no: int, token: str) -> None:
    """Let this process's next delivery of the entry adopt claim ``token``."""
    with _handed_over_lock:
        _handed_over[entry_no] = token


def live_entry_claims(entry_nos: Iterable[int]) -> set[int]:
    """The entries among ``entry_nos`` whose delivery is running now."""
    numbers = list(dict.fromkeys(entry_nos))
    live: set[int] = set()
    for chunk in chunked(numbers):
        rows = tuples(
            EntryDeliveryClaim.select(
                EntryDeliveryClaim.entry_no, EntryDeliveryClaim.claim, EntryDeliveryClaim.claimed_at
            ).where(EntryDeliveryClaim.entry_no.in_(list(chunk)))
        )
        live |= {int(no) for no, claim, renewed in rows if claim_alive(claim, renewed)}
    return live


def running_entry_deliveries() -> set[int]:
    """Every entry whose own delivery is running now (few: one per live delivery)."""
    rows = tuples(
        EntryDeliveryClaim.select(
            EntryDeliveryClaim.entry_no, EntryDeliveryClaim.claim, EntryDeliveryClaim.claimed_at
        ).where(EntryDeliveryClaim.claim != "")
    )
    return {int(no) for no, claim, renewed in rows if claim_alive(claim, renewed)}


@contextmanager
def entry_delivery_claim(entry_no: int) -> Iterator[EntryClaim]:
    """Hold the delivery claim of one entry for the ``with`` block (adopting the one
    Create Interaction handed over in this process, if any)."""
    mine = EntryClaim(entry_no, _new_token())
    with _handed_over_lock:
        handed = _handed_over.pop(entry_no, "")
    now = _utc_now()
    with write_transaction():
        if (
            not InteractionLogEntry.select()
            .where(InteractionLogEntry.entry_no == entry_no)
            .exists()
        ):
            raise NotFoundError(
                "The Interaction Log Entry does not exist. Identification fields and values: "
                f"Entry No.='{entry_no}'"
            )
        current = (
            EntryDeliveryClaim.select(EntryDeliveryClaim.claim, EntryDeliveryClaim.claimed_at)
            .where(EntryDeliveryClaim.entry_no == entry_no)
            .tuples()
            .first()
        )
        if current is not None:
            claim, renewed = current
            if claim and claim != handed and not _abandoned(claim, renewed, now):
                raise UserError(
                    f"The letter of interaction log entry {entry_no} is being delivered by "
                    f"{_describe(claim, renewed)}. Try again when that delivery has finished."
                )
        _store(entry_no, mine.token)
        # What a dead delivery left Sending: nobody knows whether it went out.
        InteractionLogEntry.update(delivery_status="unknown", delivery_error=INTERRUPTED).where(
            (InteractionLogEntry.entry_no == entry_no)
            & (InteractionLogEntry.delivery_status == "sending")
        ).execute()
    try:
        yield mine
    finally:
        with write_transaction():
            EntryDeliveryClaim.delete().where(
                (EntryDeliveryClaim.entry_no == entry_no) & (EntryDeliveryClaim.claim == mine.token)
            ).execute()
