"""Interaction log entries (Business Central's Interaction Log Entries page,
docs/logged.md): list with filters, evaluate, cancel and uncancel, delete canceled."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import fn

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.models.enums import EVALUATIONS
from segment_tui.services.documents.segment_documents import drop_unused_attachments
from segment_tui.services.interactions.entry_view import (
    EntryFilter,
    EntryRecord,
    EntryRow,
    entries_after,
)
from segment_tui.services.interactions.letters import letter_state
from segment_tui.services.list_filters import ListFilter
from segment_tui.services.values import parse_enum


def list_entries(
    *,
    segment_no: str | None = None,
    contact_no: str | None = None,
    logged_segment: int | None = None,
    filters: Sequence[ListFilter] = (),
    limit: int | None = None,
) -> list[EntryRecord]:
    """Entries (newest first) with the contact's name and company name, and ``letter``:
    whether the entry's letter is attached (:mod:`.letters`); ``filters`` are a
    parsed filter line (``--where``, see :mod:`segment_tui.services.list_filters`)."""
    view = EntryFilter(logged_segment, segment_no, contact_no, tuple(filters))
    return [with_letter(row) for row in entries_after(view, None, limit)]


def with_letter(row: EntryRow) -> EntryRecord:
    """The entry's row and whether its letter is attached
    (:func:`~segment_tui.services.interactions.letters.letter_state`)."""
    return {**row, "letter": letter_state(row)}


def entry_record(entry_no: int) -> EntryRecord:
    """One entry as :func:`list_entries` shows it."""
    records = entries_after(EntryFilter(), entry_no + 1, 1)
    if not records or records[0]["entry_no"] != entry_no:
        raise NotFoundError(
            "The Interaction Log Entry does not exist. Identification fields and values: "
            f"Entry No.='{entry_no}'"
        )
    return with_letter(records[0])


def _check_exist(entry_nos: Sequence[int]) -> list[int]:
    numbers = list(dict.fromkeys(entry_nos))
    if not numbers:
        raise UserError("Select at least one interaction log entry.")
    found = {
        row[0]
        for row in tuples(
            InteractionLogEntry.select(InteractionLogEntry.entry_no).where(
                InteractionLogEntry.entry_no.in_(numbers)
            )
        )
    }
    for number in numbers:
        if number not in found:
            raise NotFoundError(
                "The Interaction Log Entry does not exist. Identification fields and values: "
                f"Entry No.='{number}'"
            )
    return numbers


def evaluate(entry_nos: Sequence[int], evaluation: str) -> int:
    """Set the evaluation of the entries (BC's Evaluate Interaction); returns the count."""
    value = parse_enum("evaluation", evaluation, EVALUATIONS)
    with write_transaction():
        numbers = _check_exist(entry_nos)
        InteractionLogEntry.update(evaluation=value).where(
            InteractionLogEntry.entry_no.in_(numbers)
        ).execute()
    return len(numbers)


def cancel_question(entry_nos: Sequence[int]) -> str:
    """BC's confirmation for Switch Checkmark in Canceled (default Yes)."""
    first = InteractionLogEntry.get_or_none(InteractionLogEntry.entry_no == entry_nos[0])
    canceled = bool(first and first.canceled)
    if len(entry_nos) == 1:
        if canceled:
            return (
                f"Interaction Log Entry {entry_nos[0]} is marked Canceled.\n"
                "Do you wish to remove the checkmark?"
            )
        return f"Do you wish to mark Interaction Log Entry {entry_nos[0]} as Canceled?"
    if canceled:
        return "Do you wish to remove the checkmark from the selected Interaction Log Entry lines?"
    return "Do you wish to mark the selected Interaction Log Entry lines as Canceled?"


def toggle_canceled(entry_nos: Sequence[int]) -> bool:
    """Canceled := not the first selected entry's, on all selected; returns the new value.

    An entry cannot be un-canceled while its logged segment is canceled.
    """
    with write_transaction():
        numbers = _check_exist(entry_nos)
        first = InteractionLogEntry.get(InteractionLogEntry.entry_no == numbers[0])
        value = not first.canceled
        if not value:
            blocked = (
                LoggedSegment.select(LoggedSegment.entry_no)
                .join(
                    InteractionLogEntry,
                    on=(InteractionLogEntry.logged_segment_entry_no == LoggedSegment.entry_no),
                )
                .where(InteractionLogEntry.entry_no.in_(numbers) & (LoggedSegment.canceled == True))  # noqa: E712
                .first()
            )
            if blocked is not None:
                raise UserError(
                    "Canceled must be equal to 'No' in Logged Segment: "
                    f"Entry No.={blocked.entry_no}. Current value is 'Yes'."
                )
        InteractionLogEntry.update(canceled=value).where(
            InteractionLogEntry.entry_no.in_(numbers)
        ).execute()
    return value


def delete_canceled(entry_nos: Sequence[int] | None = None) -> int:
    """Delete canceled entries (all, or those given) and the documents only they used."""
    with write_transaction():
        query = InteractionLogEntry.select(
            InteractionLogEntry.entry_no,
            InteractionLogEntry.attachment_no,
            InteractionLogEntry.delivered_attachment_no,
        ).where(InteractionLogEntry.canceled == True)  # noqa: E712
        if entry_nos:
            query = query.where(InteractionLogEntry.entry_no.in_(list(entry_nos)))
        rows = tuples(query)
        if not rows:
            return 0
        numbers = [row[0] for row in rows]
        documents = list({no for row in rows for no in row[1:] if no})
        InteractionLogEntry.delete().where(InteractionLogEntry.entry_no.in_(numbers)).execute()
        # A document stays while anything still points at it: another entry, or a
        # template or segment (they share documents by number).
        drop_unused_attachments(documents)
    return len(numbers)


def entry_counts_by_evaluation(logged_segment: int) -> dict[str, int]:
    """How many entries of a logged segment have each evaluation (for follow-up pickers)."""
    return {
        str(evaluation): int(count)
        for evaluation, count in tuples(
            InteractionLogEntry.select(
                InteractionLogEntry.evaluation, fn.COUNT(InteractionLogEntry.entry_no)
            )
            .where(InteractionLogEntry.logged_segment_entry_no == logged_segment)
            .group_by(InteractionLogEntry.evaluation)
        )
    }


_DELETE_BATCH = 500
"""Entries deleted per statement (an IN list each), so a huge view stays in bounds."""


def delete_canceled_in_view(view: EntryFilter) -> int:
    """BC's Delete Canceled Entries (report 5190) with the page's filters: deletes the
    canceled entries the filter shows, with the documents only they used, all or nothing.

    Returns how many were deleted ("<n> Interaction Log Entry has been deleted.").
    """
    entry = InteractionLogEntry
    with write_transaction():
        numbers = [
            int(row[0])
            for row in tuples(
                view.where(entry.select(entry.entry_no).where(entry.canceled == True))  # noqa: E712
            )
        ]
        deleted = 0
        for start in range(0, len(numbers), _DELETE_BATCH):
            deleted += delete_canceled(numbers[start : start + _DELETE_BATCH])
    return deleted
