"""How a segment line becomes an interaction log entry (BC's CopyFromSegment), as SQL.

:func:`entry_columns` is the one definition: an ordered tuple of (entry field, SELECT
expression) pairs. Log (:mod:`.log_segment`, one ``INSERT … SELECT`` over the segment's
lines) and Create Interaction (:mod:`segment_tui.services.interactions.create`, over a one-row
SELECT) both
write entries with :func:`insert_entries`, which takes the INSERT's field list and the
SELECT list from those same pairs — so a column can never be written into its
neighbour's field, as it could when a 30-field list and a 30-expression select were
kept in step by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from peewee import Case, Field, ModelInsert, ModelSelect, Value, fn

from segment_tui.models import Contact, InteractionLogEntry
from segment_tui.services.segments.headers import current_user

if TYPE_CHECKING:  # Log does not load Create Interaction's parsers (start-up time)
    from segment_tui.services.interactions.create_input import InteractionDefaults

EntryColumn = tuple[Field, Any]
"""An interaction log entry field and the SQL expression that fills it."""

NOT_COPIED = ("entry_no", "delivery_error", "delivered_attachment_no", "delivered_at",
              "delivery_file")  # fmt: skip
"""Entry fields a new entry leaves to the database: its number and the delivery results."""


def entry_columns(
    line: Any, contact: Any, logged_segment_no: Any, campaign_entry_no: Any, send: bool
) -> tuple[EntryColumn, ...]:
    """What each field of an entry is filled with, from a segment line.

    ``line`` is :class:`~segment_tui.models.SegmentLine` (or anything with its columns as
    attributes, e.g. Create Interaction's one line of values), ``contact`` the line's
    contact joined in the query. With ``send``, a line with a correspondence type is
    queued for delivery (``in_progress``).
    """
    entry = InteractionLogEntry
    delivery = (
        Case(None, [(line.correspondence_type != "", "in_progress")], "") if send else Value("")
    )
    via = Case(None, [(line.correspondence_type == "email", contact.email)], "")
    return (
        (entry.contact_no, line.contact_no),
        (entry.contact_company_no, line.contact_company_no),
        (entry.date, line.date),
        (entry.description, line.description),
        (entry.information_flow, line.information_flow),
        (entry.initiated_by, line.initiated_by),
        (entry.attachment_no, line.attachment_no),
        (entry.cost_lcy, line.cost_lcy),
        (entry.duration_min, line.duration_min),
        (entry.user_id, Value(current_user())),
        (entry.interaction_group_code, fn.COALESCE(line.interaction_group_code, "")),
        (entry.interaction_template_code, fn.COALESCE(line.interaction_template_code, "")),
        (entry.campaign_no, fn.COALESCE(line.campaign_no, "")),
        (entry.campaign_entry_no, campaign_entry_no),
        (entry.campaign_response, line.campaign_response),
        (entry.campaign_target, line.campaign_target),
        (entry.segment_no, line.segment_no),
        (entry.evaluation, line.evaluation),
        (entry.time_of_interaction, line.time_of_interaction),
        (entry.attempt_failed, line.attempt_failed),
        (entry.salesperson_code, fn.COALESCE(line.salesperson_code, "")),
        (entry.delivery_status, delivery),
        (entry.canceled, Value(False)),
        (entry.correspondence_type, line.correspondence_type),
        (entry.logged_segment_entry_no, logged_segment_no),
        (entry.contact_via, fn.COALESCE(via, "")),
        (entry.send_word_docs_as_attmt, line.send_word_doc_as_attmt),
        (entry.interaction_language_code, fn.COALESCE(line.language_code, "")),
        (entry.subject, line.subject),
        (entry.line_note, line.line_note),
    )


def insert_entries(rows: ModelSelect[Any], columns: Sequence[EntryColumn]) -> ModelInsert:
    """``INSERT INTO interaction_log_entry (fields) SELECT expressions`` over ``rows`` (its
    FROM, joins, WHERE and ORDER BY; its own select list is replaced), both lists taken
    from ``columns`` in one order."""
    fields = [field for field, _ in columns]
    return InteractionLogEntry.insert_from(rows.select(*(value for _, value in columns)), fields)


def wizard_line(
    line: InteractionDefaults, contact: Contact, attachment_no: int | None
) -> SimpleNamespace:
    """The one "segment line" Create Interaction logs (its wizard's values by line field
    name), as SQL values in the attributes :func:`entry_columns` reads."""
    field = InteractionLogEntry._meta.fields

    def value(name: str, stored: Any) -> Value:
        column = {
            "send_word_doc_as_attmt": "send_word_docs_as_attmt",
            "language_code": "interaction_language_code",
        }.get(name, name)
        return Value(stored, converter=field[column].db_value if column in field else None)

    return SimpleNamespace(
        contact_no=Value(contact.no),
        contact_company_no=Value(contact.company_no or ""),
        date=value("date", line["date"]),
        description=Value(line["description"]),
        information_flow=Value(line["information_flow"]),
        initiated_by=Value(line["initiated_by"]),
        attachment_no=Value(attachment_no),
        cost_lcy=value("cost_lcy", line["cost_lcy"]),
        duration_min=Value(int(line["duration_min"])),
        interaction_group_code=Value(line["interaction_group_code"]),
        interaction_template_code=Value(line["interaction_template_code"]),
        campaign_no=Value(line["campaign_no"]),
        campaign_response=value("campaign_response", bool(line["campaign_response"])),
        campaign_target=value("campaign_target", bool(line["campaign_target"])),
        segment_no=Value(""),
        evaluation=Value(line["evaluation"]),
        time_of_interaction=value("time_of_interaction", line["time_of_interaction"]),
        attempt_failed=value("attempt_failed", bool(line["attempt_failed"])),
        salesperson_code=Value(line["salesperson_code"]),
        correspondence_type=Value(line["correspondence_type"]),
        send_word_doc_as_attmt=value(
            "send_word_doc_as_attmt", bool(line["send_word_doc_as_attmt"])
        ),
        language_code=Value(line["language_code"]),
        subject=Value(line["description"][:100]),
        line_note=Value(line["line_note"]),
    )
