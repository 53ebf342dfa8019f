"""What Logged Segments shows of each logged segment's entries, counted in one pass.

Logged Segments (and ``logged list``) shows per logged segment its No. of Interactions
(entries whose Canceled equals the logged segment's, as BC's FlowField counts them), its
delivery states and how many entries have their delivered letter attached. Those are
three aggregates over every interaction log entry; run one by one they read the whole
table three times (2.2x the time of one aggregate at 1,000,000 entries,
docs/streaming.md). One GROUP BY with a conditional count per figure reads it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import Case, Expression, Function, Select, fn

from segment_tui.db import tuples
from segment_tui.models import InteractionLogEntry
from segment_tui.models.enums import DELIVERY_STATUSES
from segment_tui.services.delivery.states import DeliveryCounts, counts_of_states

_STATUSES = tuple(status for status in DELIVERY_STATUSES if status)
"""The stored delivery states that count (blank: nothing to deliver)."""


@dataclass
class LoggedCounts:
    """One logged segment's entries as Logged Segments counts them."""

    interactions: dict[bool, int] = field(default_factory=dict)
    """Entries per Canceled value: the list shows those whose Canceled equals the
    logged segment's."""
    delivery: DeliveryCounts = field(default_factory=DeliveryCounts)
    letters: int = 0
    """Entries with their delivered letter attached."""


def counts_query() -> Select:
    """The one aggregate: per logged segment and Canceled value, its entries, those with
    their letter attached, and those in each stored delivery state."""
    entry = InteractionLogEntry

    def count_of(condition: Expression) -> Function:
        return fn.SUM(Case(None, [(condition, 1)], 0))

    return (
        entry.select(
            entry.logged_segment_entry_no,
            entry.canceled,
            fn.COUNT(entry.entry_no),
            count_of(entry.delivered_attachment_no.is_null(False)),
            *(count_of(entry.delivery_status == status) for status in _STATUSES),
        )
        .where(entry.logged_segment_entry_no.is_null(False))
        .group_by(entry.logged_segment_entry_no, entry.canceled)
    )


def logged_counts() -> dict[int, LoggedCounts]:
    """Per logged segment having entries: its interactions by Canceled, delivery states
    and letters attached, from one aggregate query over the interaction log entries."""
    counts: dict[int, LoggedCounts] = {}
    states: list[tuple[int, str, int]] = []
    for no, canceled, interactions, letters, *by_status in tuples(counts_query()):
        number = int(no)
        logged = counts.setdefault(number, LoggedCounts())
        logged.interactions[bool(canceled)] = int(interactions)
        logged.letters += int(letters or 0)
        states += [
            (number, status, int(count or 0))
            for status, count in zip(_STATUSES, by_status, strict=True)
        ]
    for number, delivery in counts_of_states(states).items():
        counts[number].delivery = delivery
    return counts
