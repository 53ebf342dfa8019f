"""Log a segment (Business Central's Log Segment): one interaction log entry per line with
a contact, a logged segment, the segment deleted, optionally a follow-up segment — all or
nothing.

Validations keep BC's messages (already logged, blank description, a line without
date, salesperson or template, empty segment). Unlike BC, an e-mail line whose contact
has no e-mail address is refused with a message naming the contacts, instead of being
silently turned into a line without correspondence type. Entries are written with one
``INSERT … SELECT`` in line order, its columns from :func:`.entry_copy.entry_columns`.
With Send, e-mail and hard-copy entries are queued
(status ``in_progress``) for the delivery step, which runs after the log is committed;
the same transaction claims the logged segment's delivery for this process
(:func:`segment_tui.services.delivery.claim.claim_in_transaction`), so no other process's Resend
can take
those entries between Log and Send (``docs/delivery.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import IntegrityError, Value, fn

from segment_tui.db import analyze, first_tuple, tuples, write_transaction
from segment_tui.errors import UserError, testfield_message
from segment_tui.models import (
    CampaignEntry,
    Contact,
    InteractionLogEntry,
    LoggedSegment,
    SegmentHeader,
    SegmentLine,
)
from segment_tui.services.criteria.actions import get_header
from segment_tui.services.log.entry_copy import entry_columns, insert_entries
from segment_tui.services.log.logged_contacts import add_logged_contacts
from segment_tui.services.segments.headers import (
    current_user,
    drop_segment,
    insert_header,
    next_segment_number,
)
from segment_tui.services.setup.numbering import segment_series

FOLLOW_UP = "Follow-up on segment {no}"
LOGGED_TABLES = ("interaction_log_entry", "segment_line", "segment_history")
"""The tables Log writes or empties a row per line in (their statistics follow)."""


@dataclass(frozen=True)
class LogSummary:
    """What Log would write, for the Log dialog."""

    lines: int
    by_correspondence_type: dict[str, int]
    cost_lcy: Decimal
    duration_min: int
    send_available: bool
    """BC's Send Attachments: on (and enabled) when some line has a correspondence type."""
    smtp_target: str = ""
    """Where Send would e-mail (:func:`segment_tui.services.delivery.mail.smtp_target`); blank
    without e-mail
    lines."""


@dataclass(frozen=True)
class LogResult:
    """What Log did."""

    segment_no: str
    logged_segment_entry_no: int
    entries: int
    follow_up_segment_no: str | None = None
    to_deliver: int = 0


def _with_contact(segment_no: str) -> Any:
    return (SegmentLine.segment_no == segment_no) & SegmentLine.contact_no.is_null(False)


def log_summary(segment_no: str) -> LogSummary:
    """Totals by correspondence type, cost and duration of the lines Log would write."""
    header = get_header(segment_no)
    counts = {
        str(kind): int(count)
        for kind, count in tuples(
            SegmentLine.select(SegmentLine.correspondence_type, fn.COUNT(SegmentLine.id))
            .where(_with_contact(header.no))
            .group_by(SegmentLine.correspondence_type)
        )
    }
    cost, duration = first_tuple(
        SegmentLine.select(
            fn.COALESCE(fn.SUM(SegmentLine.cost_lcy), 0),
            fn.COALESCE(fn.SUM(SegmentLine.duration_min), 0),
        ).where(_with_contact(header.no))
    )
    from segment_tui.services.delivery.mail import smtp_target

    return LogSummary(
        lines=sum(counts.values()),
        by_correspondence_type=counts,
        cost_lcy=Decimal(str(cost)).quantize(Decimal("0.01")),
        duration_min=int(duration),
        send_available=any(kind for kind in counts if kind),
        smtp_target=smtp_target() if counts.get("email") else "",
    )


def _line_key(line_no: int, segment_no: str) -> str:
    return f"Segment No.={segment_no}, Line No.={line_no}"


def check_segment(header: SegmentHeader) -> None:
    """BC's validations before anything is written (first failing line in line order)."""
    if LoggedSegment.select().where(LoggedSegment.segment_no == header.no).exists():
        raise UserError(f"Logged Segment for Segment No. {header.no} already exists.")
    if not header.description:
        raise UserError(testfield_message("Description", "Segment Header", f"No.={header.no}"))
    lines = SegmentLine.select().where(_with_contact(header.no))
    if not lines.exists():
        raise UserError(f"Segment {header.no} is empty.")
    bad = (
        lines.where(
            SegmentLine.date.is_null()
            | SegmentLine.salesperson_code.is_null()
            | SegmentLine.interaction_template_code.is_null()
        )
        .order_by(SegmentLine.line_no)
        .first()
    )
    if bad is not None:
        for column, caption in (
            ("date", "Date"),
            ("salesperson_code", "Salesperson Code"),
            ("interaction_template_code", "Interaction Template Code"),
        ):
            if not getattr(bad, column):
                raise UserError(
                    testfield_message(caption, "Segment Line", _line_key(bad.line_no, header.no)),
                    field=column,
                )
    contact = Contact.alias("recipient")
    missing = tuples(
        SegmentLine.select(SegmentLine.contact_no)
        .join(contact, on=(contact.no == SegmentLine.contact_no))
        .where(
            _with_contact(header.no)
            & (SegmentLine.correspondence_type == "email")
            & (contact.email == "")
        )
        .order_by(SegmentLine.line_no)
    )
    if missing:
        names = ", ".join(row[0] for row in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise UserError(
            f"{len(missing)} e-mail line{'s' if len(missing) != 1 else ''} of segment "
            f"{header.no} {'have contacts' if len(missing) != 1 else 'has a contact'} without "
            f"an e-mail address: {names}{more}. Make sure that the Email field is specified "
            "for these contacts, or change the lines' correspondence type.",
            field="correspondence_type",
        )


def _campaign_entries(header: SegmentHeader, entry_no: int, today: dt.date) -> None:
    campaigns = [
        row[0]
        for row in tuples(
            SegmentLine.select(SegmentLine.campaign_no)
            .where(_with_contact(header.no) & SegmentLine.campaign_no.is_null(False))
            .distinct()
        )
    ]
    for campaign in campaigns:
        CampaignEntry.insert(
            campaign_no=campaign,
            date=header.date or today,
            user_id=current_user(),
            segment_no=header.no,
            register_no=entry_no,
            description=header.description,
            salesperson_code=header.salesperson_code or "",
        ).execute()


def _write_entries(header: SegmentHeader, entry_no: int, send: bool) -> int:
    """One interaction log entry per line with a contact, copied from the line
    (:func:`.entry_copy.entry_columns`), in line order."""
    contact = Contact.alias("logged_contact")
    campaign_entry = CampaignEntry.alias("line_campaign")
    campaign_entry_no = (
        campaign_entry.select(campaign_entry.entry_no)
        .where(
            (campaign_entry.register_no == entry_no)
            & (campaign_entry.campaign_no == SegmentLine.campaign_no)
        )
        .limit(1)
    )
    rows = (
        SegmentLine.select()
        .join(contact, on=(contact.no == SegmentLine.contact_no))
        .where(_with_contact(header.no))
        .order_by(SegmentLine.line_no)
    )
    columns = entry_columns(SegmentLine, contact, Value(entry_no), campaign_entry_no, send)
    return int(insert_entries(rows, columns).as_rowcount().execute())


def log_segment(segment_no: str, *, send: bool = False, follow_up: bool = False) -> LogResult:
    """Log the segment: all lines or nothing; a second Log of the same segment is refused.

    With ``send``, the entries to deliver are queued and the delivery claimed for this
    process in the same transaction; the next delivery of that logged segment in this
    process (:func:`segment_tui.services.delivery.deliver.deliver_logged_segment`) adopts the
    claim."""
    from segment_tui.services.delivery.claim import claim_in_transaction, hand_over

    today = dt.date.today()
    claim = ""
    try:
        with write_transaction():
            header = get_header_or_logged(segment_no)
            check_segment(header)
            if follow_up:
                segment_series()  # BC needs Segment Nos. for the follow-up; fail before writing
            entry_no = int(
                LoggedSegment.insert(
                    segment_no=header.no,
                    description=header.description,
                    creation_date=today,
                    user_id=current_user(),
                ).execute()
            )
            _campaign_entries(header, entry_no, today)
            entries = _write_entries(header, entry_no, send)
            to_deliver = _queued(entry_no) if send else 0
            if to_deliver:
                claim = claim_in_transaction(entry_no)
            drop_segment(header)
            analyze(LOGGED_TABLES, changed_rows=entries)
            follow_up_no = _follow_up(header, entry_no) if follow_up else None
    except IntegrityError as err:
        if "logged_segment" in str(err):  # the unique segment_no of logged segments
            raise UserError(
                f"Logged Segment for Segment No. {segment_no.strip().upper()} already exists."
            ) from None
        raise
    if claim:
        hand_over(entry_no, claim)
    return LogResult(header.no, entry_no, entries, follow_up_no, to_deliver)


def _queued(logged_segment_no: int) -> int:
    return int(
        InteractionLogEntry.select()
        .where(
            (InteractionLogEntry.logged_segment_entry_no == logged_segment_no)
            & (InteractionLogEntry.delivery_status == "in_progress")
        )
        .count()
    )


def get_header_or_logged(segment_no: str) -> SegmentHeader:
    """The header; when it is gone because it was logged, BC's "already exists" message."""
    code = segment_no.strip().upper()
    header = SegmentHeader.get_or_none(SegmentHeader.no == code)
    if header is None and LoggedSegment.select().where(LoggedSegment.segment_no == code).exists():
        raise UserError(f"Logged Segment for Segment No. {code} already exists.")
    return header or get_header(code)


def _follow_up(header: SegmentHeader, entry_no: int) -> str:
    """A new segment "Follow-up on segment <No>" with the same contacts."""
    series = segment_series()
    follow_up = insert_header(
        next_segment_number(series),
        FOLLOW_UP.format(no=header.no)[:50],
        no_series=series,
        campaign_no=header.campaign_no,
    )
    add_logged_contacts(follow_up, entry_no, include_excluded=True)
    return str(follow_up.no)
