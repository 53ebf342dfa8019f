"""Logged segments (Business Central's Logged Segments page, docs/logged.md): list,
cancel/uncancel, delete canceled, follow-up.

Cancelling cascades to the segment's interaction log entries and campaign entries.
Deleting canceled logged segments keeps their entries (unlinked). A follow-up segment
can be made from a logged segment — which BC's page lacks although its docs promise
it — with all its contacts, those evaluated positive, or those not evaluated yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, TypedDict

from peewee import fn

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import CampaignEntry, InteractionLogEntry, LoggedSegment
from segment_tui.services.list_filters import ListFilter, list_condition
from segment_tui.services.log.log_segment import FOLLOW_UP
from segment_tui.services.log.logged_contacts import add_logged_contacts
from segment_tui.services.log.logged_counts import LoggedCounts, logged_counts
from segment_tui.services.segments.headers import (
    SegmentHeaderRecord,
    header_record,
    insert_header,
    next_segment_number,
)
from segment_tui.services.setup.numbering import segment_series

FollowUpChoice = Literal["all", "positive", "not-evaluated"]


class LoggedSegmentRecord(TypedDict):
    """A logged segment as Logged Segments and ``logged list`` show it: its columns (not
    the delivery claim, which is the delivering process's business), BC's FlowFields and
    its delivery."""

    entry_no: int
    segment_no: str
    description: str
    creation_date: dt.date | None
    user_id: str
    canceled: bool
    no_of_interactions: int
    no_of_campaign_entries: int
    delivery: dict[str, int]
    """Entries sent, failed, unknown and pending
    (:meth:`~segment_tui.services.delivery.states.DeliveryCounts.as_record`)."""
    delivery_summary: str
    """``"12 sent, 2 unknown"``; blank without deliveries."""
    letters: int
    """How many of its entries have their delivered letter attached."""


POSITIVE = ("very_positive", "positive")


def get_logged(entry_no: int) -> LoggedSegment:
    """A logged segment or BC's "does not exist" error."""
    logged = LoggedSegment.get_or_none(LoggedSegment.entry_no == entry_no)
    if logged is None:
        raise NotFoundError(
            "The Logged Segment does not exist. Identification fields and values: "
            f"Entry No.='{entry_no}'"
        )
    return logged


def list_logged_segments(filters: Sequence[ListFilter] = ()) -> list[LoggedSegmentRecord]:
    """Logged segments, newest first, with No. of Interactions and Campaign Entries
    (counted among entries whose Canceled equals the logged segment's, as BC does) and
    their delivery: ``delivery`` (sent/failed/unknown/pending counts) and
    ``delivery_summary`` ("12 sent, 2 unknown"), and ``letters``: how many of its
    entries have their delivered letter attached; ``filters``: a parsed filter line
    (:data:`.list_filters.LOGGED_FIELDS`)."""
    entries = logged_counts()
    campaigns: dict[tuple[int, bool], int] = {
        (int(no), bool(canceled)): int(count)
        for no, canceled, count in tuples(
            CampaignEntry.select(
                CampaignEntry.register_no, CampaignEntry.canceled, fn.COUNT(CampaignEntry.entry_no)
            ).group_by(CampaignEntry.register_no, CampaignEntry.canceled)
        )
    }
    query = LoggedSegment.select().order_by(LoggedSegment.entry_no.desc())
    condition = list_condition(filters)
    if condition is not None:
        query = query.where(condition)
    records: list[LoggedSegmentRecord] = []
    for logged in query:
        key = (logged.entry_no, bool(logged.canceled))
        counts = entries.get(logged.entry_no, LoggedCounts())
        records.append(
            {
                "entry_no": logged.entry_no,
                "segment_no": logged.segment_no,
                "description": logged.description,
                "creation_date": logged.creation_date,
                "user_id": logged.user_id,
                "canceled": logged.canceled,
                "no_of_interactions": counts.interactions.get(bool(logged.canceled), 0),
                "no_of_campaign_entries": campaigns.get(key, 0),
                "delivery": counts.delivery.as_record(),
                "delivery_summary": counts.delivery.describe(),
                "letters": counts.letters,
            }
        )
    return records


def cancel_question(entry_nos: Sequence[int]) -> str:
    """BC's confirmation for Switch Checkmark in Canceled (default Yes)."""
    first = get_logged(entry_nos[0])
    if len(entry_nos) == 1:
        if first.canceled:
            return (
                f"Logged Segment {first.entry_no} is marked Canceled.\n"
                "Do you wish to remove the checkmark?"
            )
        return f"Do you wish to mark Logged Segment {first.entry_no} as Canceled?"
    if first.canceled:
        return "Do you wish to remove the checkmark from the selected Logged Segment lines?"
    return "Do you wish to mark the selected Logged Segment lines as Canceled?"


def toggle_canceled(entry_nos: Sequence[int]) -> bool:
    """Set Canceled to the opposite of the first selected one's, on all selected, and on
    their entries and campaign entries; returns the new value."""
    if not entry_nos:
        raise UserError("Select at least one logged segment.")
    with write_transaction():
        for entry_no in entry_nos:
            get_logged(entry_no)
        value = not get_logged(entry_nos[0]).canceled
        numbers = list(entry_nos)
        LoggedSegment.update(canceled=value).where(LoggedSegment.entry_no.in_(numbers)).execute()
        InteractionLogEntry.update(canceled=value).where(
            InteractionLogEntry.logged_segment_entry_no.in_(numbers)
        ).execute()
        CampaignEntry.update(canceled=value).where(CampaignEntry.register_no.in_(numbers)).execute()
    return value


def delete_canceled(entry_nos: Sequence[int] | None = None) -> int:
    """Delete canceled logged segments (all, or those given); their entries stay, unlinked.

    Returns how many were deleted ("<n> Logged Segment has been deleted.").
    """
    with write_transaction():
        query = LoggedSegment.select(LoggedSegment.entry_no).where(LoggedSegment.canceled == True)  # noqa: E712
        if entry_nos:
            query = query.where(LoggedSegment.entry_no.in_(list(entry_nos)))
        numbers = [row[0] for row in tuples(query)]
        if not numbers:
            return 0
        InteractionLogEntry.update(logged_segment_entry_no=None).where(
            InteractionLogEntry.logged_segment_entry_no.in_(numbers)
        ).execute()
        CampaignEntry.update(register_no=0).where(CampaignEntry.register_no.in_(numbers)).execute()
        LoggedSegment.delete().where(LoggedSegment.entry_no.in_(numbers)).execute()
    return len(numbers)


class FollowUpRecord(SegmentHeaderRecord):
    """The follow-up segment's header record and how many contacts it got."""

    added: int


def follow_up(entry_no: int, only: FollowUpChoice = "all") -> FollowUpRecord:
    """A new segment "Follow-up on segment <No>" with the logged segment's contacts."""

    evaluations: tuple[str, ...] | None = {
        "all": None,
        "positive": POSITIVE,
        "not-evaluated": ("",),
    }[only]
    with write_transaction():
        logged = get_logged(entry_no)
        campaign = (
            InteractionLogEntry.select(InteractionLogEntry.campaign_no)
            .where(
                (InteractionLogEntry.logged_segment_entry_no == logged.entry_no)
                & (InteractionLogEntry.campaign_no != "")
            )
            .limit(1)
            .scalar()
        )
        series = segment_series()
        header = insert_header(
            next_segment_number(series),
            FOLLOW_UP.format(no=logged.segment_no)[:50],
            no_series=series,
            campaign_no=campaign or "",
        )
        result = add_logged_contacts(
            header, logged.entry_no, include_excluded=True, evaluations=evaluations
        )
    return {**header_record(header.no), "added": result.added}
