"""Save Criteria, Reuse Criteria and Reuse (logged) Segment (``docs/business-central.md``,
Criteria engine).

Reusing saved criteria replays each saved action in order — Add with its options,
Reduce and Refine with Entire Companies — so each becomes its own undoable action.
BC passes a Refine's Entire Companies to the wrong report and loses it; here a reused
Refine keeps it. Reusing a logged segment adds the contacts of its interaction log
entries, skipping contacts now marked Exclude from Segment unless told otherwise
(BC adds them all; ALAppExtensions #29934).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from peewee import fn

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError, testfield_message
from segment_tui.models import (
    InteractionLogEntry,
    SavedSegmentCriteria,
    SavedSegmentCriteriaLine,
    SegmentCriteriaLine,
    SegmentHeader,
)
from segment_tui.questions import NO_ANSWERS, Answers, Question
from segment_tui.services.criteria.actions import (
    RESET_EMPTY_SEGMENT,
    ActionResult,
    AddOptions,
    action_count,
    add_contacts,
    get_header,
    remove_contacts,
)
from segment_tui.services.criteria.fields import (
    FieldFilter,
    filters_from_table_view,
)
from segment_tui.services.log.logged_contacts import add_logged_contacts
from segment_tui.services.log.logged_segments import get_logged
from segment_tui.services.segments.headers import current_user
from segment_tui.services.values import parse_text

_COPIED = (
    "line_no", "type", "action", "section", "table_view", "allow_existing_contacts",
    "expand_contact", "allow_company_with_persons", "ignore_exclusion", "entire_companies",
    "no_of_filters",
)  # fmt: skip


REUSE_OVER_CRITERIA = Question(
    "Segment {no} already contains {actions} No. of Criteria Actions.\n"
    "Are you sure you want to reuse a {what}?",
    default=False,
)
"""Asked before Reuse Criteria or Reuse Segment runs on a segment that has criteria."""

_REPLAY = Answers({RESET_EMPTY_SEGMENT: RESET_EMPTY_SEGMENT.default})
"""A replay cannot stop to ask, so the empty-segment question gets BC's default."""


def _reuse_question(header: SegmentHeader, what: str, answers: Answers) -> None:
    actions = action_count(header.no)
    if actions and not REUSE_OVER_CRITERIA.ask(answers, no=header.no, actions=actions, what=what):
        # BC stops without a change on No.
        raise UserError("Canceled; nothing was changed.")


class SavedCriteriaRecord(TypedDict):
    """A saved criteria (BC's Saved Segment Criteria) and its number of actions."""

    code: str
    description: str
    user_id: str
    no_of_actions: int


def save_criteria(segment_no: str, code: str, description: str = "") -> SavedCriteriaRecord:
    """Save the segment's criteria lines under ``code`` (1:1 copy)."""
    key = code.strip().upper()
    parse_text("description", description, 100)
    with write_transaction():
        header = get_header(segment_no)
        if action_count(header.no) == 0:
            raise UserError(
                testfield_message("No. of Criteria Actions", "Segment Header", f"No.={header.no}")
            )
        if not key:
            raise UserError(testfield_message("Code", "Saved Segment Criteria", "Code="))
        if len(key) > 10:
            raise UserError(f"code: {key!r} is longer than 10 characters.", field="code")
        if SavedSegmentCriteria.select().where(SavedSegmentCriteria.code == key).exists():
            raise UserError(
                "The Saved Segment Criteria already exists. Identification fields and values: "
                f"Code='{key}'",
                field="code",
            )
        SavedSegmentCriteria.insert(
            code=key, description=description, user_id=current_user()
        ).execute()
        lines = SegmentCriteriaLine.select().where(SegmentCriteriaLine.segment_no == header.no)
        SavedSegmentCriteriaLine.insert_many(
            [
                {"segment_criteria_code": key, **{f: getattr(line, f) for f in _COPIED}}
                for line in lines.order_by(SegmentCriteriaLine.line_no)
            ]
        ).execute()
    return saved_criteria_record(key)


def saved_criteria_record(code: str) -> SavedCriteriaRecord:
    """A saved criteria with its number of actions."""
    saved = SavedSegmentCriteria.get_or_none(SavedSegmentCriteria.code == code.strip().upper())
    if saved is None:
        raise NotFoundError(
            "The Saved Segment Criteria does not exist. Identification fields and values: "
            f"Code='{code.strip().upper()}'"
        )
    actions = (
        SavedSegmentCriteriaLine.select()
        .where(
            (SavedSegmentCriteriaLine.segment_criteria_code == saved.code)
            & (SavedSegmentCriteriaLine.type == "action")
        )
        .count()
    )
    return {
        "code": saved.code,
        "description": saved.description,
        "user_id": saved.user_id,
        "no_of_actions": int(actions),
    }


def list_saved_criteria() -> list[SavedCriteriaRecord]:
    """Every saved criteria, by code."""
    return [
        saved_criteria_record(s.code)
        for s in SavedSegmentCriteria.select().order_by(SavedSegmentCriteria.code)
    ]


@dataclass(frozen=True)
class SavedAction:
    """One saved action with its filters and options."""

    action: str
    filters: list[FieldFilter]
    options: AddOptions
    entire_companies: bool


def saved_actions(code: str) -> list[SavedAction]:
    """The actions of a saved criteria, in order, with their filters rebuilt."""
    record = saved_criteria_record(code)
    lines = list(
        SavedSegmentCriteriaLine.select()
        .where(SavedSegmentCriteriaLine.segment_criteria_code == record["code"])
        .order_by(SavedSegmentCriteriaLine.line_no)
    )
    actions: list[SavedAction] = []
    for index, line in enumerate(lines):
        if line.type != "action":
            continue
        filters: list[FieldFilter] = []
        for row in lines[index + 1 : index + 1 + line.no_of_filters]:
            filters.extend(filters_from_table_view(row.table_view))
        actions.append(
            SavedAction(
                line.action,
                filters,
                AddOptions(
                    allow_existing=line.allow_existing_contacts,
                    expand_companies=line.expand_contact,
                    allow_related_companies=line.allow_company_with_persons,
                    ignore_exclusion=line.ignore_exclusion,
                ),
                line.entire_companies,
            )
        )
    return actions


def reuse_criteria(
    segment_no: str, code: str, *, answers: Answers = NO_ANSWERS
) -> list[ActionResult]:
    """Run the saved actions on the segment, each as its own criteria action (asking
    :data:`REUSE_OVER_CRITERIA` first when the segment has criteria)."""
    with write_transaction():
        header = get_header(segment_no)
        _reuse_question(header, "Saved Segment Criteria", answers)
        results: list[ActionResult] = []
        for saved in saved_actions(code):
            # Each run nests in this transaction (a savepoint): all actions or none.
            if saved.action == "add":
                results.append(add_contacts(header.no, saved.filters, saved.options))
            else:
                results.append(
                    remove_contacts(
                        header.no,
                        saved.filters,
                        "reduce" if saved.action == "reduce" else "refine",
                        entire_companies=saved.entire_companies,
                        answers=_REPLAY,
                    )
                )
    return results


def reuse_logged_segment(
    segment_no: str,
    entry_no: int,
    *,
    answers: Answers = NO_ANSWERS,
    include_excluded: bool = False,
) -> ActionResult:
    """Add the contacts of a logged segment's interaction log entries (canceled included),
    asking :data:`REUSE_OVER_CRITERIA` first when the segment has criteria."""
    with write_transaction():
        header = get_header(segment_no)
        logged = get_logged(entry_no)
        _reuse_question(header, "Logged Segment", answers)
        return add_logged_contacts(header, logged.entry_no, include_excluded=include_excluded)


def delete_saved_criteria(code: str) -> None:
    """Delete a saved criteria and its lines."""
    with write_transaction():
        record = saved_criteria_record(code)
        SavedSegmentCriteria.delete().where(SavedSegmentCriteria.code == record["code"]).execute()


def logged_contact_count(entry_no: int) -> int:
    """How many entries a logged segment has (for pickers)."""
    rows = tuples(
        InteractionLogEntry.select(fn.COUNT(InteractionLogEntry.entry_no)).where(
            InteractionLogEntry.logged_segment_entry_no == entry_no
        )
    )
    return int(rows[0][0])
