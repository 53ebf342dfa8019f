"""How far the delivery of each logged segment got: how many of its interaction log
entries were sent, failed, or are in an unknown state (a delivery that started and never
recorded its outcome — e.g. the process was killed — until a Resend settles it).

One ``GROUP BY`` over the entries gives every logged segment's counts, so the Logged
Segments list shows them without a query per row. The states map onto the entries'
delivery status (see docs/ui.md, "Delivery state"): Error is failed, In Progress is
unknown, and a blank status with a delivery time is sent. Entries that were never to be
delivered (no correspondence type, Log without Send) are in none of the three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from peewee import Case, ColumnBase, fn

from segment_tui.db import tuples
from segment_tui.models import InteractionLogEntry
from segment_tui.models.enums import caption

DeliveryState = Literal["sent", "failed", "unknown"]
STATES: tuple[DeliveryState, ...] = ("sent", "failed", "unknown")


def state_condition(entry: Any, state: DeliveryState) -> ColumnBase:
    """The condition on an entry (InteractionLogEntry or an alias) for a delivery state."""
    if state == "failed":
        return entry.delivery_status == "error"  # type: ignore[no-any-return]
    if state == "unknown":
        return entry.delivery_status == "in_progress"  # type: ignore[no-any-return]
    return (entry.delivery_status == "") & entry.delivered_at.is_null(False)  # type: ignore[no-any-return]


def delivery_word(status: str, delivered_at: Any) -> str:
    """An entry's delivery as a list shows it: its status's caption (Error, In
    Progress), else Sent once delivered, else blank (nothing was to be delivered)."""
    if status:
        return caption(status)
    return "Sent" if delivered_at else ""


@dataclass(frozen=True)
class DeliveryCounts:
    """The delivery state of one logged segment's entries."""

    sent: int = 0
    failed: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        """Entries that were to be delivered."""
        return self.sent + self.failed + self.unknown

    def describe(self) -> str:
        """``3 sent · 1 failed`` (only the non-zero states; blank when nothing was sent)."""
        parts = [
            f"{count:,} {state}"
            for state, count in zip(STATES, (self.sent, self.failed, self.unknown), strict=True)
            if count
        ]
        return " · ".join(parts)


def delivery_counts(logged_entry_nos: Sequence[int] | None = None) -> dict[int, DeliveryCounts]:
    """Per logged segment entry no., its entries' delivery counts (all logged segments, or
    those given); a logged segment with nothing to deliver is absent."""
    entry = InteractionLogEntry
    sums = [fn.SUM(Case(None, [(state_condition(entry, s), 1)], 0)) for s in STATES]
    query = (
        entry.select(entry.logged_segment_entry_no, *sums)
        .where(entry.logged_segment_entry_no.is_null(False))
        .group_by(entry.logged_segment_entry_no)
    )
    if logged_entry_nos is not None:
        query = query.where(entry.logged_segment_entry_no.in_(list(logged_entry_nos)))
    counts: dict[int, DeliveryCounts] = {}
    for logged, sent, failed, unknown in tuples(query):
        state = DeliveryCounts(int(sent or 0), int(failed or 0), int(unknown or 0))
        if state.total:
            counts[int(logged)] = state
    return counts
