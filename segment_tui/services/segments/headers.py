"""Segment headers: create, change (rules in :mod:`.header_rules`), delete, list.

Changing a header field that lines copy (description, salesperson, date, cost, …)
updates the lines whose template is the header's template — after BC's question,
default Yes. Changing the template applies to all lines and copies the template's
defaults into the header (BC's Segment Header rules). BC's questions are
:mod:`.header_rules`' :class:`~segment_tui.questions.Question` constants, asked unless the
caller's :class:`~segment_tui.questions.Answers` answer them.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypedDict, cast

from peewee import fn

from segment_tui.db import case_collated, first_tuple, tuples, write_transaction
from segment_tui.errors import UserError
from segment_tui.models import (
    Campaign,
    SegmentHeader,
    SegmentInteractionLanguage,
    SegmentLine,
    UserSetup,
)
from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.documents.segment_documents import (
    has_header_documents,
    header_attachment,
)
from segment_tui.services.segments.header_rules import (
    LINE_QUESTIONS,
    apply_field,
    parse_header_value,
)
from segment_tui.services.setup.numbering import (
    check_manual_number,
    segment_series,
    take_free_numbers,
)
from segment_tui.services.setup.work_date import work_date
from segment_tui.services.values import blank_to_null, parse_code, parse_date, parse_text


class SegmentHeaderFields(TypedDict):
    """The columns of a segment header, in the order of the table (JSON key order)."""

    no: str
    description: str
    campaign_no: str
    salesperson_code: str
    correspondence_type_default: str
    interaction_template_code: str
    unit_cost_lcy: Decimal
    unit_duration_min: int
    date: dt.date | None
    campaign_target: bool
    information_flow: str
    initiated_by: str
    no_series: str
    campaign_response: bool
    language_code_default: str
    interaction_group_code: str
    send_word_docs_as_attmt: bool
    ignore_contact_corres_type: bool
    subject_default: str


class SegmentListRow(SegmentHeaderFields):
    """A row of the segment list: the header's columns and its number of lines."""

    no_of_lines: int


class SegmentStatistics(TypedDict):
    """BC's FlowFields of a segment header, computed from its lines and criteria."""

    no_of_lines: int
    no_of_criteria_actions: int
    cost_lcy: Decimal
    duration_min: int


class SegmentHeaderRecord(SegmentHeaderFields, SegmentStatistics):
    """A segment header as the worksheet and ``segment show`` present it: its columns,
    its statistics, its campaign's description and its document."""

    campaign_description: str
    attachment_no: int | None
    """The document of the header's default language (BC's header Attachment No.)."""
    has_documents: bool


def header_fields(header: SegmentHeader) -> SegmentHeaderFields:
    """The header's columns (a row of the table: the record type lists its columns)."""
    return cast(SegmentHeaderFields, header.as_record())


def set_header_fields(
    segment_no: str, changes: Mapping[str, object], answers: Answers = NO_ANSWERS
) -> SegmentHeaderRecord:
    """Change header fields in order, with BC's rules; returns the header record.

    All changes happen in one transaction: a refused change or an unanswered question
    leaves the segment as it was.
    """
    with write_transaction():
        header = get_header(segment_no)
        for field, raw in changes.items():
            apply_field(header, field, parse_header_value(field, raw), answers)
    return header_record(segment_no)


def current_user() -> str:
    """The operating-system user, as BC's User ID."""
    try:
        return getpass.getuser().upper()[:50]
    except (KeyError, OSError):
        return ""


def next_segment_number(series: str) -> str:
    """The next number of the series that no segment (logged or not) has yet: a number
    typed by hand ahead of the series would otherwise block it for good."""
    from segment_tui.models import LoggedSegment

    def in_use(numbers: Sequence[str]) -> set[str]:
        headers = SegmentHeader.select(SegmentHeader.no).where(SegmentHeader.no.in_(numbers))
        logged = LoggedSegment.select(LoggedSegment.segment_no).where(
            LoggedSegment.segment_no.in_(numbers)
        )
        return {row[0] for row in tuples(headers)} | {row[0] for row in tuples(logged)}

    return take_free_numbers(series, 1, in_use)[0]


def insert_header(
    no: str,
    description: str,
    *,
    date: dt.date | None = None,
    no_series: str = "",
    campaign_no: str = "",
) -> SegmentHeader:
    """Insert a header as BC's OnInsert does: the date is the work date and the user's
    salesperson from User Setup."""
    user = UserSetup.get_or_none(fn.UPPER(case_collated(UserSetup.user_id)) == current_user())
    SegmentHeader.insert(
        no=no,
        description=description,
        salesperson_code=blank_to_null(user.salesperson_code if user is not None else ""),
        date=date or work_date(),
        no_series=no_series,
        campaign_no=blank_to_null(campaign_no),
    ).execute()
    return get_header(no)


_NEW_SEGMENT = Answers.each(LINE_QUESTIONS, True)
"""A new segment has no lines yet: nothing to ask about them."""


def create_segment(
    description: str = "",
    *,
    no: str = "",
    template: str = "",
    salesperson: str = "",
    date: dt.date | str | None = None,
    campaign: str = "",
) -> SegmentHeaderRecord:
    """A new segment header: number from Segment Nos., the work date, the user's salesperson."""
    parse_text("description", description, 100)
    with write_transaction():
        series = segment_series() if not no else ""
        if no:
            code = parse_code("no", no, 20)
            from segment_tui.services.setup.numbering import marketing_setup

            if marketing_setup().segment_nos:
                check_manual_number(marketing_setup().segment_nos)
            if SegmentHeader.select().where(SegmentHeader.no == code).exists():
                raise UserError(
                    f"The Segment Header already exists. Identification fields and values: "
                    f"No.='{code}'",
                    field="no",
                )
        else:
            code = next_segment_number(series)
        header = insert_header(
            code,
            description,
            date=parse_date("date", date) if date is not None else None,
            no_series=series,
        )
        changes: dict[str, str] = {}
        if salesperson:
            changes["salesperson_code"] = salesperson
        if template:
            changes["interaction_template_code"] = template
        if campaign:
            changes["campaign_no"] = campaign
        for field, raw in changes.items():
            apply_field(header, field, parse_header_value(field, raw), _NEW_SEGMENT)
    return header_record(code)


def delete_segment(segment_no: str) -> None:
    """Delete a segment with its lines, criteria, history and documents."""
    with write_transaction():
        drop_segment(get_header(segment_no))


def drop_segment(header: SegmentHeader) -> None:
    """Delete the segment (lines, criteria, history and document rows cascade) and the
    documents only it used (not its template's, nor those log entries point at)."""
    from segment_tui.services.documents.segment_documents import drop_unused_attachments

    documents = [
        row[0]
        for row in tuples(
            SegmentInteractionLanguage.select(SegmentInteractionLanguage.attachment_no).where(
                (SegmentInteractionLanguage.segment_no == header.no)
                & SegmentInteractionLanguage.attachment_no.is_null(False)
            )
        )
    ]
    SegmentHeader.delete().where(SegmentHeader.no == header.no).execute()
    drop_unused_attachments(documents)


def header_statistics(segment_no: str) -> SegmentStatistics:
    """BC's FlowFields of a header: no. of lines, criteria actions, cost and duration."""
    from segment_tui.services.criteria.actions import action_count

    lines, cost, duration = first_tuple(
        SegmentLine.select(
            fn.COUNT(SegmentLine.id),
            fn.COALESCE(fn.SUM(SegmentLine.cost_lcy), 0),
            fn.COALESCE(fn.SUM(SegmentLine.duration_min), 0),
        ).where(SegmentLine.segment_no == segment_no)
    )
    return {
        "no_of_lines": int(lines),
        "no_of_criteria_actions": action_count(segment_no),
        "cost_lcy": Decimal(str(cost)).quantize(Decimal("0.01")),
        "duration_min": int(duration),
    }


def header_record(segment_no: str) -> SegmentHeaderRecord:
    """The header's fields plus its statistics and campaign description."""
    header = get_header(segment_no)
    campaign = (
        Campaign.get_or_none(Campaign.no == header.campaign_no) if header.campaign_no else None
    )
    return {
        **header_fields(header),
        **header_statistics(header.no),
        "campaign_description": campaign.description if campaign else "",
        "attachment_no": header_attachment(header),
        "has_documents": has_header_documents(header.no),
    }


def list_segments() -> list[SegmentListRow]:
    """Unlogged segments with BC's list columns and their number of lines."""
    counts: dict[str, int] = dict(
        tuples(
            SegmentLine.select(SegmentLine.segment_no, fn.COUNT(SegmentLine.id)).group_by(
                SegmentLine.segment_no
            )
        )
    )
    return [
        {**header_fields(h), "no_of_lines": int(counts.get(h.no, 0))}
        for h in SegmentHeader.select().order_by(SegmentHeader.no)
    ]
