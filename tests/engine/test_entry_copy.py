"""The one definition of how a line becomes an interaction log entry
(services/log/entry_copy.py): every entry field is filled exactly once, the INSERT's field
list and its SELECT list come from the same pairs, and each field gets its own line
field — a pair written into its neighbour's field fails here."""

from __future__ import annotations

import re
from typing import Any

from peewee import Value

from segment_tui.models import Contact, InteractionLogEntry, SegmentLine
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.log.entry_copy import (
    NOT_COPIED,
    EntryColumn,
    entry_columns,
    insert_entries,
)
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import current_user
from segment_tui.services.segments.lines import set_line_fields
from tests.engine.support import ContactFactory, adatum_and_trey, lines, new_segment, where


def _columns() -> tuple[EntryColumn, ...]:
    return entry_columns(SegmentLine, Contact, Value(7), Value(None), True)


def test_every_entry_field_is_filled_exactly_once() -> None:
    names = [field.name for field, _ in _columns()]
    assert len(names) == len(set(names))
    assert all(field.model is InteractionLogEntry for field, _ in _columns())
    assert set(names) | set(NOT_COPIED) == set(InteractionLogEntry._meta.fields)
    assert not set(names) & set(NOT_COPIED)


def test_the_insert_names_its_fields_in_the_order_of_its_select(database: Any) -> None:
    query = insert_entries(SegmentLine.select().where(SegmentLine.id == 1), _columns())
    sql, _ = query.sql()
    listed = re.match(r'INSERT INTO "interaction_log_entry" \(([^)]*)\) SELECT ', sql)
    assert listed is not None, sql
    fields = [name.strip().strip('"') for name in listed.group(1).split(",")]
    assert fields == [field.column_name for field, _ in _columns()]


def test_log_fills_each_entry_field_from_its_own_line_field(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment("Spring letter", template="LETTER", salesperson="BC", campaign="CP1001")
    add_contacts(no, where("no=P1"), AddOptions())
    # Neighbouring fields get different values, so a swapped pair shows.
    set_line_fields(no, 10000, {
        "description": "The description", "subject": "The subject", "line_note": "The note",
        "campaign_target": "yes", "campaign_response": "no", "attempt_failed": "yes",
        "send_word_doc_as_attmt": "no", "correspondence_type": "email",
        "evaluation": "positive", "cost_lcy": "4.75", "duration_min": "9",
    })  # fmt: skip
    line = lines(no)[0]
    result = log_segment(no, send=True)
    entry = InteractionLogEntry.get()
    same_name = (
        "contact_no", "contact_company_no", "date", "description", "information_flow",
        "initiated_by", "attachment_no", "cost_lcy", "duration_min", "interaction_group_code",
        "interaction_template_code", "campaign_no", "campaign_response", "campaign_target",
        "segment_no", "evaluation", "time_of_interaction", "attempt_failed",
        "salesperson_code", "correspondence_type", "subject", "line_note",
    )  # fmt: skip
    assert {name: getattr(entry, name) for name in same_name} == {
        name: dict(line)[name] for name in same_name
    }
    assert (entry.campaign_target, entry.campaign_response, entry.attempt_failed) == (
        True, False, True,
    )  # fmt: skip
    assert entry.send_word_docs_as_attmt == line["send_word_doc_as_attmt"] is False
    assert entry.interaction_language_code == (line["language_code"] or "")
    assert entry.contact_via == "ann@adatum.example"  # the contact's e-mail, for e-mail
    assert entry.logged_segment_entry_no == result.logged_segment_entry_no
    assert (entry.user_id, entry.delivery_status, entry.canceled) == (
        current_user(), "in_progress", False,
    )  # fmt: skip
