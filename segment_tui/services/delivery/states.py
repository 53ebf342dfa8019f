"""The delivery state of interaction log entries, for display (``docs/delivery.md``).

Stored states (``InteractionLogEntry.delivery_status``):

========== =========== =================================================================
value      caption     meaning
========== =========== =================================================================
``""``     (blank)     nothing to deliver (logged without Send, or no correspondence type)
in_progress Queued     to be delivered; nothing has been sent for it yet
sending    Sending     a delivery is sending it right now
sent       Sent        delivered (the document is stored, with the time)
error      Error       the delivery failed; nothing went out; Resend tries again
unknown    Unknown     the delivery stopped while sending it: it may have gone out
========== =========== =================================================================

An entry found ``sending`` while no live process delivers its logged segment (the
delivering process was killed) — or, for an interaction created on its own, the entry
itself (:mod:`.entry_claim`) — is shown as ``unknown`` right away, and stored so by the
next delivery of that logged segment (:mod:`.claim`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from segment_tui.models import InteractionLogEntry
from segment_tui.models.enums import DELIVERY_STATUSES
from segment_tui.services.delivery.claim import live_claims

__all__ = [
    "DELIVERY_STATUSES",
    "DeliveryCounts",
    "counts_of_states",
    "emails_to_send",
    "show_interrupted_as_unknown",
]


@dataclass(frozen=True)
class DeliveryCounts:
    """The delivery states of one logged segment's entries (blank ones not counted)."""

    sent: int = 0
    failed: int = 0
    """Status Error."""
    unknown: int = 0
    """Unknown, and Sending while no process delivers (killed mid-delivery)."""
    pending: int = 0
    """Queued, and Sending while a delivery runs."""

    @property
    def total(self) -> int:
        """Entries with a delivery state."""
        return self.sent + self.failed + self.unknown + self.pending

    def describe(self) -> str:
        """e.g. ``"12 sent, 1 failed, 2 unknown"`` (zeros left out; blank when all are)."""
        parts = [
            f"{count:,} {word}"
            for count, word in (
                (self.sent, "sent"),
                (self.failed, "failed"),
                (self.unknown, "unknown"),
                (self.pending, "pending"),
            )
            if count
        ]
        return ", ".join(parts)

    def as_record(self) -> dict[str, int]:
        """A JSON-ready dict."""
        return {
            "sent": self.sent,
            "failed": self.failed,
            "unknown": self.unknown,
            "pending": self.pending,
        }


def counts_of_states(rows: Iterable[tuple[int, str, int]]) -> dict[int, DeliveryCounts]:
    """Delivery counts per logged segment from ``(logged segment, stored status, count)``
    rows (a logged segment may come in several rows of one status: they add up). Sending
    counts as pending while a live process delivers the logged segment, else as
    unknown; blank states are not counted."""
    states = [(no, status, count) for no, status, count in rows if count]
    running = live_claims({no for no, status, _ in states if status == "sending"})
    totals: dict[int, dict[str, int]] = {}
    for number, status, count in states:
        bucket = {
            "sent": "sent",
            "error": "failed",
            "unknown": "unknown",
            "in_progress": "pending",
            "sending": "pending" if number in running else "unknown",
        }.get(status)
        if bucket is None:
            continue
        counts = totals.setdefault(number, {})
        counts[bucket] = counts.get(bucket, 0) + count
    return {no: DeliveryCounts(**counts) for no, counts in totals.items()}


def emails_to_send(logged_segment_no: int) -> bool:
    """Whether a delivery or Resend of the logged segment may send e-mail (some e-mail
    entry is not delivered yet), so the SMTP target is worth showing first."""
    entry = InteractionLogEntry
    return bool(
        entry.select()
        .where(
            (entry.logged_segment_entry_no == logged_segment_no)
            & (entry.correspondence_type == "email")
            & entry.delivery_status.in_(("in_progress", "error", "unknown", "sending"))
        )
        .exists()
    )


class EntryDeliveryState(TypedDict):
    """What :func:`show_interrupted_as_unknown` reads and changes of an entry record."""

    entry_no: int
    delivery_status: str
    logged_segment_entry_no: int | None


def show_interrupted_as_unknown(records: Iterable[EntryDeliveryState]) -> None:
    """In entry records (with ``entry_no``, ``delivery_status`` and
    ``logged_segment_entry_no``), show ``sending`` as ``unknown`` where no process
    delivers that logged segment (or that entry, when it has none) any more."""
    interrupted = [r for r in records if r["delivery_status"] == "sending"]
    if not interrupted:
        return
    from segment_tui.services.delivery.entry_claim import live_entry_claims

    running = live_claims(int(r["logged_segment_entry_no"] or 0) for r in interrupted)
    # An interaction created on its own is claimed by entry (Create Interaction).
    alone = [int(r["entry_no"]) for r in interrupted if not r["logged_segment_entry_no"]]
    running_alone = live_entry_claims(alone) if alone else set()
    for record in interrupted:
        logged = int(record["logged_segment_entry_no"] or 0)
        alive = logged in running if logged else int(record["entry_no"]) in running_alone
        if not alive:
            record["delivery_status"] = "unknown"
