"""Add Contacts, Reduce Contacts, Refine Contacts, with preview (``docs/business-central.md``,
Criteria engine).

Each run is one criteria action: an Action line plus one Filter line per section that
has filters, a history row per line it inserted or deleted (so Go Back can undo it),
and the line changes themselves — all SQL inside one write transaction, never a
Python loop over contacts or lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from peewee import Case, ColumnBase, Select, Value, fn

from segment_tui.db import analyze, first_tuple, write_transaction
from segment_tui.errors import NotFoundError
from segment_tui.models import (
    Contact,
    SegmentCriteriaLine,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
)
from segment_tui.questions import NO_ANSWERS, Answers, Question
from segment_tui.services.criteria.fields import (
    FieldFilter,
    by_section,
    criteria_condition,
    table_view,
)
from segment_tui.services.segments.line_init import LineDefaults, insert_lines, last_line_no

RemoveMode = Literal["reduce", "refine"]
CHANGED_TABLES = ("segment_line", "segment_history")
"""The tables a criteria action writes a row per line to (their statistics follow)."""
RESET_EMPTY_SEGMENT = Question(
    "Your Segment is now empty.\nDo you want to reset number of criteria actions?", default=True
)
"""Asked when deleting lines empties a segment that has more than one criteria action."""


@dataclass(frozen=True)
class AddOptions:
    """The options of Add Contacts (all off by default, as in BC)."""

    allow_existing: bool = False
    expand_companies: bool = False
    allow_related_companies: bool = False
    ignore_exclusion: bool = False


@dataclass(frozen=True)
class AddPreview:
    """What Add Contacts would do: ``would_add`` lines; the others are skipped."""

    matched: int
    """Contacts selected by the filters after expansion."""
    would_add: int
    already_present: int
    excluded: int


@dataclass(frozen=True)
class RemovePreview:
    """What Reduce/Refine would do."""

    would_remove: int
    remaining: int


@dataclass(frozen=True)
class ActionResult:
    """What a criteria action did."""

    action_no: int
    added: int = 0
    removed: int = 0
    criteria_reset: bool = False


def get_header(segment_no: str) -> SegmentHeader:
    """The segment header or BC's "does not exist" error."""
    header = SegmentHeader.get_or_none(SegmentHeader.no == segment_no.strip().upper())
    if header is None:
        raise NotFoundError(
            f"The Segment Header does not exist. Identification fields and values: "
            f"No.='{segment_no.strip().upper()}'"
        )
    return header


def action_count(segment_no: str) -> int:
    """No. of Criteria Actions: the Action lines of the segment."""
    return int(
        SegmentCriteriaLine.select()
        .where(
            (SegmentCriteriaLine.segment_no == segment_no) & (SegmentCriteriaLine.type == "action")
        )
        .count()
    )


def append_action(
    segment_no: str,
    action: str,
    filters: Sequence[FieldFilter],
    *,
    options: AddOptions | None = None,
    entire_companies: bool = False,
) -> int:
    """Record a criteria action and its filter lines; returns the action's number."""
    last = (
        SegmentCriteriaLine.select(fn.MAX(SegmentCriteriaLine.line_no))
        .where(SegmentCriteriaLine.segment_no == segment_no)
        .scalar()
    ) or 0
    sections = by_section(filters)
    opts = options or AddOptions()
    rows: list[dict[str, object]] = [
        {
            "segment_no": segment_no, "line_no": last + 1, "type": "action", "action": action,
            "allow_existing_contacts": opts.allow_existing,
            "expand_contact": opts.expand_companies,
            "allow_company_with_persons": opts.allow_related_companies,
            "ignore_exclusion": opts.ignore_exclusion, "entire_companies": entire_companies,
            "no_of_filters": len(sections),
        }
    ]  # fmt: skip
    for offset, (section, items) in enumerate(sections.items(), start=2):
        rows.append(
            {
                "segment_no": segment_no, "line_no": last + offset, "type": "filter",
                "action": action, "section": section, "table_view": table_view(items),
            }
        )  # fmt: skip
    SegmentCriteriaLine.insert_many(rows).execute()
    return action_count(segment_no)


def record_history(segment_no: str, action_no: int, lines: Select, taken: str) -> None:
    """History rows for the lines ``lines`` selects (a query on SegmentLine)."""
    query = lines.select(
        SegmentLine.segment_no,
        Value(action_no),
        SegmentLine.line_no,
        SegmentLine.contact_no,
        Value(taken),
    )
    SegmentHistory.insert_from(
        query,
        [
            SegmentHistory.segment_no,
            SegmentHistory.segment_action_no,
            SegmentHistory.segment_line_no,
            SegmentHistory.contact_no,
            SegmentHistory.action_taken,
        ],
    ).execute()


def reset_criteria(segment_no: str) -> None:
    """Forget every criteria action and the history (BC: "reset number of criteria actions")."""
    SegmentHistory.delete().where(SegmentHistory.segment_no == segment_no).execute()
    SegmentCriteriaLine.delete().where(SegmentCriteriaLine.segment_no == segment_no).execute()


def line_count(segment_no: str) -> int:
    """No. of Lines of a segment."""
    return int(SegmentLine.select().where(SegmentLine.segment_no == segment_no).count())


def has_lines(segment_no: str) -> bool:
    """Whether the segment has a line (one index probe, not a count of a million)."""
    return bool(SegmentLine.select().where(SegmentLine.segment_no == segment_no).exists())


def settle_empty_segment(segment_no: str, actions: int, deleted: int, answers: Answers) -> bool:
    """BC asks :data:`RESET_EMPTY_SEGMENT` when deleting lines empties the segment after
    more than one action (default Yes). Returns whether the criteria were reset."""
    if deleted == 0 or actions <= 1 or has_lines(segment_no):
        return False
    reset = RESET_EMPTY_SEGMENT.ask(answers)
    if reset:
        reset_criteria(segment_no)
    return reset


# --- Add Contacts -------------------------------------------------------------------------


def _candidates(filters: Sequence[FieldFilter], options: AddOptions) -> tuple[Any, ColumnBase]:
    """An alias of Contact and the condition for the contacts the filters select, after
    Expand Companies and Allow Related Companies (``docs/business-central.md``, Criteria engine)."""
    target = Contact.alias("target")
    direct = criteria_condition(filters, target)
    if not options.expand_companies and not options.allow_related_companies:
        return target, direct if direct is not None else Value(1) == Value(1)
    chosen = Contact.alias("chosen")
    chosen_condition = criteria_condition(filters, chosen)
    chosen_nos = chosen.select(chosen.no)
    chosen_companies = chosen.select(chosen.company_no).where(chosen.company_no.is_null(False))
    if chosen_condition is not None:
        chosen_nos = chosen_nos.where(chosen_condition)
        chosen_companies = chosen_companies.where(chosen_condition)
    condition: ColumnBase = (
        target.no.in_(chosen_nos) if direct is not None else Value(1) == Value(1)
    )
    if options.expand_companies:
        # The company and all its persons, also when the match was one of its persons.
        condition = condition | target.company_no.in_(chosen_companies)
    if options.allow_related_companies:
        condition = condition | target.no.in_(chosen_companies)
    return target, condition


def _present(segment_no: str, contact: Any) -> ColumnBase:
    line = SegmentLine.alias("present")
    return fn.EXISTS(
        line.select(line.id).where(
            (line.segment_no == segment_no) & (line.contact_no == contact.no)
        )
    )


def preview_add(segment_no: str, filters: Sequence[FieldFilter], options: AddOptions) -> AddPreview:
    """Count what Add Contacts would add, skip as present and skip as excluded (no writes)."""
    header = get_header(segment_no)
    target, condition = _candidates(filters, options)
    excluded = (
        Value(False) if options.ignore_exclusion else target.exclude_from_segment == True  # noqa: E712
    )
    present = _present(header.no, target)
    matched, excluded_count, present_count = first_tuple(
        target.select(
            fn.COUNT(target.no),
            fn.SUM(Case(None, [(excluded, 1)], 0)),
            fn.SUM(Case(None, [(~excluded & present, 1)], 0)),
        ).where(condition)
    )
    matched, excluded_count, present_count = (
        int(matched),
        int(excluded_count or 0),
        int(present_count or 0),
    )
    would_add = matched - excluded_count - (0 if options.allow_existing else present_count)
    return AddPreview(matched, would_add, present_count, excluded_count)


def add_contacts(
    segment_no: str, filters: Sequence[FieldFilter], options: AddOptions | None = None
) -> ActionResult:
    """Add Contacts: record the action, insert the selected contacts as new lines."""
    opts = options or AddOptions()
    with write_transaction():
        header = get_header(segment_no)
        action_no = append_action(header.no, "add", filters, options=opts)
        added = _insert_selected(header, filters, opts, action_no)
        analyze(CHANGED_TABLES, changed_rows=added)
    return ActionResult(action_no, added=added)


def _insert_selected(
    header: SegmentHeader, filters: Sequence[FieldFilter], options: AddOptions, action_no: int
) -> int:
    target, condition = _candidates(filters, options)
    if not options.ignore_exclusion:
        condition = condition & (target.exclude_from_segment == False)  # noqa: E712
    if not options.allow_existing and has_lines(header.no):
        # Only when the segment has lines: the check reads the table this statement fills,
        # and on a table the statistics call empty PostgreSQL would rescan it per contact.
        condition = condition & ~_present(header.no, target)
    base = last_line_no(header.no)
    order = [
        target.company_name,
        fn.COALESCE(target.company_no, ""),
        target.type,
        target.name,
        target.no,
    ]
    added = insert_lines(
        LineDefaults.of(header), target.select().where(condition), target, order, action_no
    )
    new_lines = SegmentLine.select().where(
        (SegmentLine.segment_no == header.no) & (SegmentLine.line_no > base)
    )
    record_history(header.no, action_no, new_lines, "insertion")
    return added


# --- Reduce / Refine ----------------------------------------------------------------------


def _hit_condition(
    segment_no: str, filters: Sequence[FieldFilter], entire_companies: bool
) -> ColumnBase:
    """Condition on SegmentLine: the line's contact is a hit (``docs/business-central.md``,
    Criteria engine).

    Matched by contact number only: BC before 2026 also required the line's stored company
    to match and silently skipped contacts that had moved (microsoft/BCApps PR #10185).
    """
    hit = Contact.alias("hit")
    condition = criteria_condition(filters, hit)
    hits = hit.select(hit.no)
    if condition is not None:
        hits = hits.where(condition)
    if not entire_companies:
        return SegmentLine.contact_no.in_(hits)
    # Entire Companies: a hit anywhere in a line's company takes the whole company.
    member = Contact.alias("member")
    line = SegmentLine.alias("company_line")
    companies_on_segment = (
        member.select(member.company_no)
        .join(line, on=(line.contact_no == member.no))
        .where((line.segment_no == segment_no) & member.company_no.is_null(False))
    )
    hit_companies = hit.select(hit.company_no).where(hit.company_no.in_(companies_on_segment))
    if condition is not None:
        hit_companies = hit_companies.where(condition)
    owner = Contact.alias("owner")
    in_hit_company = owner.select(owner.no).where(owner.company_no.in_(hit_companies))
    lone_hits = hits.where(hit.company_no.is_null())
    return SegmentLine.contact_no.in_(in_hit_company) | SegmentLine.contact_no.in_(lone_hits)


def _removal_condition(
    segment_no: str, filters: Sequence[FieldFilter], mode: RemoveMode, entire_companies: bool
) -> ColumnBase:
    hit = _hit_condition(segment_no, filters, entire_companies)
    on_segment = SegmentLine.segment_no == segment_no
    condition: ColumnBase = (
        on_segment & hit
        if mode == "reduce"
        else on_segment & SegmentLine.contact_no.is_null(False) & ~hit
    )
    return condition


def preview_remove(
    segment_no: str,
    filters: Sequence[FieldFilter],
    mode: RemoveMode,
    entire_companies: bool = False,
) -> RemovePreview:
    """Count the lines Reduce/Refine would delete (no writes)."""
    header = get_header(segment_no)
    total = line_count(header.no)
    removed = (
        SegmentLine.select()
        .where(_removal_condition(header.no, filters, mode, entire_companies))
        .count()
    )
    return RemovePreview(int(removed), total - int(removed))


def remove_contacts(
    segment_no: str,
    filters: Sequence[FieldFilter],
    mode: RemoveMode,
    *,
    entire_companies: bool = False,
    answers: Answers = NO_ANSWERS,
) -> ActionResult:
    """Reduce (remove the matches) or Refine (keep only the matches); emptying the
    segment asks :data:`RESET_EMPTY_SEGMENT`."""
    with write_transaction():
        header = get_header(segment_no)
        action_no = append_action(header.no, mode, filters, entire_companies=entire_companies)
        condition = _removal_condition(header.no, filters, mode, entire_companies)
        record_history(header.no, action_no, SegmentLine.select().where(condition), "deletion")
        removed = int(SegmentLine.delete().where(condition).execute())
        reset = settle_empty_segment(header.no, action_no, removed, answers)
        analyze(CHANGED_TABLES, changed_rows=removed)
    return ActionResult(action_no, removed=int(removed), criteria_reset=reset)
