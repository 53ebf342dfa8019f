"""What each letter is about, read for a merge: a segment line (the preview, before
logging) or an interaction log entry (delivery, after logging) as a :class:`MergeSource`.

The lines and entries are read with one query per batch (raw rows: peewee's conversion
per value costs more than the query on 100,000 lines), in line or entry order; a window of
lines is read by key (``after``/``limit``) so memory stays flat on any segment. The values
merged into the letter are made from these by :mod:`.merge_values`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from segment_tui.db import db, tuples
from segment_tui.models import InteractionLogEntry, SegmentLine


@dataclass(frozen=True)
class MergeSource:
    """What one letter is about: a segment line (preview) or an interaction log entry."""

    contact_no: str
    salesperson_code: str = ""
    date: dt.date | None = None
    campaign_no: str = ""
    segment_no: str = ""
    description: str = ""
    subject: str = ""
    line_note: str = ""
    language_code: str = ""
    entry_no: int | None = None
    """The interaction log entry; None for a segment line."""
    line_no: int | None = None
    recipient: str = ""
    """The e-mail address used at logging (the entry's Contact Via), if any."""
    attachment_no: int | None = None
    correspondence_type: str = ""
    send_as_attachment: bool = False


_LINE_COLUMNS = (
    SegmentLine.contact_no, SegmentLine.salesperson_code, SegmentLine.date,
    SegmentLine.campaign_no, SegmentLine.segment_no, SegmentLine.description,
    SegmentLine.subject, SegmentLine.line_note, SegmentLine.language_code,
    SegmentLine.line_no, SegmentLine.attachment_no, SegmentLine.correspondence_type,
    SegmentLine.send_word_doc_as_attmt,
)  # fmt: skip
_ENTRY_COLUMNS = (
    InteractionLogEntry.contact_no, InteractionLogEntry.salesperson_code,
    InteractionLogEntry.date, InteractionLogEntry.campaign_no, InteractionLogEntry.segment_no,
    InteractionLogEntry.description, InteractionLogEntry.subject, InteractionLogEntry.line_note,
    InteractionLogEntry.interaction_language_code, InteractionLogEntry.entry_no,
    InteractionLogEntry.contact_via, InteractionLogEntry.attachment_no,
    InteractionLogEntry.correspondence_type, InteractionLogEntry.send_word_docs_as_attmt,
)  # fmt: skip


def line_sources(
    segment_no: str,
    line_nos: Sequence[int] | None = None,
    *,
    after: int | None = None,
    limit: int | None = None,
    attachment_no: int | None = None,
    template_code: str | None = None,
) -> list[MergeSource]:
    """The lines of a segment that have a contact, in line order: all, or ``line_nos``,
    or a window of ``limit`` lines after line ``after`` (keyset paging); only those with
    document ``attachment_no`` / template ``template_code`` when given."""
    query = (
        SegmentLine.select(*_LINE_COLUMNS)
        .where(
            (SegmentLine.segment_no == segment_no.strip().upper())
            & SegmentLine.contact_no.is_null(False)
        )
        .order_by(SegmentLine.line_no)
    )
    if line_nos is not None:
        query = query.where(SegmentLine.line_no.in_(list(line_nos)))
    if after is not None:
        query = query.where(SegmentLine.line_no > after)
    if limit is not None:
        query = query.limit(limit)
    if attachment_no is not None:
        query = query.where(SegmentLine.attachment_no == attachment_no)
    if template_code is not None:
        query = query.where(SegmentLine.interaction_template_code == template_code)
    # Raw rows (peewee's per-value conversion costs more than the query on 100,000
    # lines); only the date needs converting.
    to_date: Any = SegmentLine.date.python_value
    return [
        MergeSource(
            contact_no=contact, salesperson_code=salesperson or "", date=to_date(date),
            campaign_no=campaign or "", segment_no=segment, description=description,
            subject=subject, line_note=note or "", language_code=language or "",
            line_no=line_no, attachment_no=attachment, correspondence_type=kind,
            send_as_attachment=bool(as_attachment),
        )  # fmt: skip
        for (contact, salesperson, date, campaign, segment, description, subject, note,
             language, line_no, attachment, kind, as_attachment) in db.execute(query).fetchall()
    ]  # fmt: skip


def entry_sources(condition: Any) -> list[MergeSource]:
    """The interaction log entries matching ``condition``, in entry order."""
    query = (
        InteractionLogEntry.select(*_ENTRY_COLUMNS)
        .where(condition)
        .order_by(InteractionLogEntry.entry_no)
    )
    return [
        MergeSource(
            contact_no=contact, salesperson_code=salesperson, date=date, campaign_no=campaign,
            segment_no=segment, description=description, subject=subject, line_note=note or "",
            language_code=language, entry_no=entry_no, recipient=via,
            attachment_no=attachment, correspondence_type=kind,
            send_as_attachment=bool(as_attachment),
        )  # fmt: skip
        for (contact, salesperson, date, campaign, segment, description, subject, note,
             language, entry_no, via, attachment, kind, as_attachment) in tuples(query)
    ]  # fmt: skip
