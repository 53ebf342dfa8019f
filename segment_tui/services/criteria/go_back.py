"""Go Back: undo the last criteria action (docs/segment-page.md), as often as there are actions;
with none left it does nothing (BC asks nothing then).

Lines the action inserted are deleted (every line of those contacts, as in BC);
contacts it deleted come back on new lines at the end, initialised afresh from the
header. Their provenance ("added by") is the action that had added them before. Then
the action's history and its criteria lines go.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from segment_tui.db import analyze, write_transaction
from segment_tui.models import (
    Contact,
    SegmentCriteriaLine,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
)
from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.criteria.actions import (
    CHANGED_TABLES,
    action_count,
    get_header,
    settle_empty_segment,
)
from segment_tui.services.segments.line_init import LineDefaults, insert_lines

QUESTION = "This will undo the last criteria action.\nDo you want to continue?"
"""BC asks this first; its default answer is No."""


@dataclass(frozen=True)
class GoBackResult:
    """What Go Back undid."""

    action_no: int
    """The action undone; 0 when there was none (nothing changed)."""
    removed: int
    restored: int
    criteria_reset: bool = False

    @property
    def nothing_to_undo(self) -> bool:
        """The segment had no criteria action: Go Back did nothing, as in BC."""
        return self.action_no == 0


def go_back(segment_no: str, *, answers: Answers = NO_ANSWERS) -> GoBackResult:
    """Undo the segment's last criteria action; emptying the segment asks
    :data:`.actions.RESET_EMPTY_SEGMENT`."""
    with write_transaction():
        header = get_header(segment_no)
        action_no = action_count(header.no)
        if action_no == 0:
            # BC asks nothing and changes nothing when there is nothing to undo.
            return GoBackResult(0, 0, 0)
        history = SegmentHistory.select().where(
            (SegmentHistory.segment_no == header.no)
            & (SegmentHistory.segment_action_no == action_no)
        )
        inserted = history.where(SegmentHistory.action_taken == "insertion").select(
            SegmentHistory.contact_no
        )
        removed = int(
            SegmentLine.delete()
            .where((SegmentLine.segment_no == header.no) & SegmentLine.contact_no.in_(inserted))
            .execute()
        )
        restored = _restore_deleted(header, action_no)
        reset = settle_empty_segment(header.no, action_no, removed, answers)
        if not reset:
            history_rows = SegmentHistory.delete().where(
                (SegmentHistory.segment_no == header.no)
                & (SegmentHistory.segment_action_no == action_no)
            )
            history_rows.execute()
            _trim_criteria(header.no)
        analyze(CHANGED_TABLES, changed_rows=removed + restored)
    return GoBackResult(action_no, removed, restored, reset)


def _restore_deleted(header: SegmentHeader, action_no: int) -> int:
    """Re-add the contacts the action deleted, in their old line order."""
    contact = Contact.alias("restored")
    deleted = SegmentHistory.alias("deleted")
    # Each contact's latest earlier insertion: a probe of the (segment_no, contact_no)
    # history index per restored contact, so the cost follows the contacts restored, not
    # the segment's whole history.
    earlier = SegmentHistory.alias("earlier")
    added_by = fn.COALESCE(
        earlier.select(fn.MAX(earlier.segment_action_no)).where(
            (earlier.segment_no == header.no)
            & (earlier.contact_no == deleted.contact_no)
            & (earlier.action_taken == "insertion")
            & (earlier.segment_action_no < action_no)
        ),
        0,
    )
    source = (
        deleted.select()
        .join(contact, on=(contact.no == deleted.contact_no))
        .where(
            (deleted.segment_no == header.no)
            & (deleted.segment_action_no == action_no)
            & (deleted.action_taken == "deletion")
        )
    )
    return insert_lines(
        LineDefaults.of(header), source, contact, [deleted.segment_line_no], added_by
    )


def _trim_criteria(segment_no: str) -> None:
    """Delete criteria lines from the end back to and including the last Action line."""
    last_action = (
        SegmentCriteriaLine.select(fn.MAX(SegmentCriteriaLine.line_no))
        .where(
            (SegmentCriteriaLine.segment_no == segment_no) & (SegmentCriteriaLine.type == "action")
        )
        .scalar()
    )
    if last_action is not None:
        SegmentCriteriaLine.delete().where(
            (SegmentCriteriaLine.segment_no == segment_no)
            & (SegmentCriteriaLine.line_no >= last_action)
        ).execute()
