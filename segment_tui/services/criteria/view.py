"""The criteria list of a segment as the criteria page and ``segment criteria`` show it:
each action with its number and how many contacts it added and removed, each filtered
section with its filters in words."""

from __future__ import annotations

import json
from typing import Literal, TypedDict, cast

from peewee import fn

from segment_tui.db import tuples
from segment_tui.models import SegmentCriteriaLine, SegmentHistory
from segment_tui.models.enums import caption
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.criteria.fields import (
    SECTION_CAPTIONS,
    describe_table_view,
    table_view_items,
)


class _ActionColumns(TypedDict):
    """The columns of a criteria line of type action (the table's order)."""

    id: int
    segment_no: str
    line_no: int
    type: Literal["action"]
    action: str
    section: str
    table_view: str
    allow_existing_contacts: bool
    expand_contact: bool
    allow_company_with_persons: bool
    ignore_exclusion: bool
    entire_companies: bool
    no_of_filters: int


class CriteriaActionRecord(_ActionColumns):
    """A criteria action line (Add, Reduce, Refine): its options, its number among the
    actions and how many contacts it added and removed."""

    action_no: int
    caption: str
    added: int
    removed: int
    filter_text: str
    filter_items: list[tuple[str, str]]


class _FilterColumns(TypedDict):
    """The columns of a criteria line of type filter: :class:`_ActionColumns` again, since
    a TypedDict cannot narrow the ``type`` it would inherit, and ``type`` is what tells
    a reader (and mypy) which of the two records it holds."""

    id: int
    segment_no: str
    line_no: int
    type: Literal["filter"]
    action: str
    section: str
    table_view: str
    allow_existing_contacts: bool
    expand_contact: bool
    allow_company_with_persons: bool
    ignore_exclusion: bool
    entire_companies: bool
    no_of_filters: int


class CriteriaFilterRecord(_FilterColumns):
    """A filtered section of the action above it (``action_no``): its filters as people
    read them (``filter_text``) and as (caption, filter text) pairs."""

    action_no: int
    caption: str
    filter_text: str
    filter_items: list[tuple[str, str]]


CriteriaRecord = CriteriaActionRecord | CriteriaFilterRecord


def criteria_records(segment_no: str) -> list[CriteriaRecord]:
    """The criteria lines in order; action lines carry their number and +added/−removed."""
    header = get_header(segment_no)
    counts: dict[tuple[int, str], int] = {
        (int(action), str(taken)): int(count)
        for action, taken, count in tuples(
            SegmentHistory.select(
                SegmentHistory.segment_action_no,
                SegmentHistory.action_taken,
                fn.COUNT(SegmentHistory.id),
            )
            .where(SegmentHistory.segment_no == header.no)
            .group_by(SegmentHistory.segment_action_no, SegmentHistory.action_taken)
        )
    }
    records: list[CriteriaRecord] = []
    action_no = 0
    for line in (
        SegmentCriteriaLine.select()
        .where(SegmentCriteriaLine.segment_no == header.no)
        .order_by(SegmentCriteriaLine.line_no)
    ):
        if line.type == "action":
            action_no += 1
            records.append(
                {
                    **cast(_ActionColumns, line.as_record()),
                    "action_no": action_no,
                    "caption": caption(line.action),
                    "added": counts.get((action_no, "insertion"), 0),
                    "removed": counts.get((action_no, "deletion"), 0),
                    "filter_text": "",
                    "filter_items": [],
                }
            )
        else:
            records.append(
                {
                    **cast(_FilterColumns, line.as_record()),
                    "action_no": action_no,
                    "caption": SECTION_CAPTIONS.get(line.section, line.section),
                    "filter_text": describe_table_view(line.table_view),
                    "filter_items": table_view_items(line.table_view),
                }
            )
    return records


def last_action_summary(segment_no: str) -> str:
    """The criteria action Go Back would undo, in one line for its question:
    ``3. Add Contacts city=London|Paris type=Person (+34 added)``; blank without one."""
    records = criteria_records(segment_no)
    actions = [r for r in records if r["type"] == "action"]
    if not actions:
        return ""
    last = actions[-1]
    filters = [
        f"{name}={text}"
        for r in records
        if r["type"] == "filter" and r["action_no"] == last["action_no"]
        for name, text in json.loads(r["table_view"])
    ]
    changed = [f"+{last['added']:,} added" if last["added"] else ""]
    changed.append(f"−{last['removed']:,} removed" if last["removed"] else "")
    counts = ", ".join(c for c in changed if c) or "nothing changed"
    where = " ".join(filters) or "(no filters)"
    return f"{last['action_no']}. {last['caption']} {where} ({counts})"
