"""What the services return to the front ends is what their record types declare.

The record types (TypedDicts for records printed as JSON, dataclasses otherwise) are what
mypy checks the TUI, the command line and the tests against; the services build many of
them from database rows, which mypy cannot see into. So every service that returns a
record is called here on the demo database, on SQLite and on PostgreSQL, and each record is
checked key by key, in the declared order (the JSON key order), with the type of each value
(tests/record_check.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from segment_tui.db import close_database, open_database
from segment_tui.models import (
    Contact,
    ContactProfileAnswer,
    InteractionLogEntry,
    LoggedSegment,
    SegmentHeader,
)
from segment_tui.services.contacts import profile_answers
from segment_tui.services.contacts import records as contact_records
from segment_tui.services.contacts import view as contact_view
from segment_tui.services.criteria import saved
from segment_tui.services.criteria import view as criteria_view
from segment_tui.services.demo.seed import seed_demo
from segment_tui.services.documents import template_docs
from segment_tui.services.interactions import (
    campaign_entries,
    create,
    create_input,
    entries,
    entry_view,
    letters,
    stats,
)
from segment_tui.services.interactions.create import create_interaction
from segment_tui.services.log import logged_segments
from segment_tui.services.printouts import reports
from segment_tui.services.segments import headers, recipients
from segment_tui.services.segments import view as segment_view
from tests.postgres.test_postgres import pg_admin, pg_url
from tests.record_check import assert_record

__all__ = ["pg_admin", "pg_url"]  # fixtures

Case = tuple[str, Callable[[], object], Any]
"""(what is checked, the call that returns it, its declared type)."""


def _streamed_lines(segment_no: str) -> list[segment_view.LineRecord]:
    with segment_view.segment_stream(segment_no, batch=7) as (_, lines):
        return list(lines)


def _segment_cases(segment_no: str, logged_entry_no: int) -> list[Case]:
    return [
        ("header record", lambda: headers.header_record(segment_no), headers.SegmentHeaderRecord),
        ("segment list", headers.list_segments, list[headers.SegmentListRow]),
        (
            "header statistics",
            lambda: headers.header_statistics(segment_no),
            headers.SegmentStatistics,
        ),
        (
            "segment document",
            lambda: segment_view.segment_document(segment_no),
            segment_view.SegmentDocument,
        ),
        ("streamed lines", lambda: _streamed_lines(segment_no), list[segment_view.LineRecord]),
        (
            "criteria",
            lambda: criteria_view.criteria_records(segment_no),
            list[criteria_view.CriteriaRecord],
        ),
        (
            "follow-up",
            lambda: logged_segments.follow_up(logged_entry_no),
            logged_segments.FollowUpRecord,
        ),
    ]


def _streamed_entries() -> list[entry_view.EntryRecord]:
    return list(entry_view.stream_entries(entry_view.EntryFilter(), batch=7))


def _entry_cases(entry_no: int) -> list[Case]:
    return [
        ("entry list", entries.list_entries, list[entry_view.EntryRecord]),
        ("entry", lambda: entries.entry_record(entry_no), entry_view.EntryRecord),
        ("streamed entries", _streamed_entries, list[entry_view.EntryRecord]),
        (
            "entry page",
            lambda: entry_view.entries_before(entry_view.EntryFilter(), None, 10),
            list[entry_view.EntryRow],
        ),
        (
            "logged segments",
            logged_segments.list_logged_segments,
            list[logged_segments.LoggedSegmentRecord],
        ),
    ]


def _contact_cases(person_no: str) -> list[Case]:
    return [
        (
            "contact",
            lambda: contact_records.contact_record(person_no),
            contact_records.ContactRecord,
        ),
        (
            "new contact",
            lambda: contact_records.create_contact({"name": "Zoë Typed", "city": "Lyon"}),
            contact_records.ContactRecord,
        ),
        (
            "changed contact",
            lambda: contact_records.update_contact(person_no, {"job_title": "Buyer"}),
            contact_records.ContactRecord,
        ),
        (
            "contacts page",
            lambda: contact_view.contacts_after((), None, 50),
            list[contact_view.ContactRow],
        ),
    ]


def _entry_with_letter() -> int:
    entry = InteractionLogEntry
    first = entry.select().where(entry.attachment_no.is_null(False)).order_by(entry.entry_no)
    return int(first.first().entry_no)


def _answering_contact() -> str:
    first = ContactProfileAnswer.select().order_by(ContactProfileAnswer.contact_no).first()
    return str(first.contact_no)


def _figure_cases(segment_no: str, contact_no: str) -> list[Case]:
    return [
        ("template statistics", lambda: stats.statistics("template"), list[stats.CodeStatistics]),
        ("group statistics", lambda: stats.statistics("group"), list[stats.CodeStatistics]),
        (
            "contact statistics",
            lambda: stats.statistics("contact"),
            list[stats.ContactStatistics],
        ),
        (
            "a contact's statistics",
            lambda: stats.contact_statistics(contact_no),
            stats.ContactStatistics,
        ),
        (
            "campaign entries",
            campaign_entries.list_campaign_entries,
            list[campaign_entries.CampaignEntryRecord],
        ),
        (
            "profile",
            lambda: profile_answers.contact_profile(_answering_contact()),
            list[profile_answers.ProfileLine],
        ),
        (
            "profile answers",
            profile_answers.list_answers,
            list[profile_answers.ProfileAnswerRecord],
        ),
        (
            "recipients",
            lambda: list(recipients.iter_recipients(segment_no)),
            list[recipients.Recipient],
        ),
        (
            "report rows",
            lambda: list(reports.report_rows(segment_no)),
            list[reports.ReportRow],
        ),
    ]


def _document_cases(segment_no: str, contact_no: str, entry_no: int) -> list[Case]:
    def save() -> saved.SavedCriteriaRecord:
        return saved.save_criteria(segment_no, "TYPED", "Typed records")

    return [
        (
            "template documents",
            template_docs.list_template_documents,
            list[template_docs.TemplateDocument],
        ),
        (
            "attached document",
            lambda: template_docs.attach_template_document(
                "LETTER", template_docs.template_document("LETTER"), file_name="Again.docx"
            ),
            template_docs.AttachedDocument,
        ),
        (
            "interaction defaults",
            lambda: create.interaction_defaults(contact_no, "LETTER"),
            create_input.InteractionDefaults,
        ),
        ("saved criteria", save, saved.SavedCriteriaRecord),
        ("saved criteria list", saved.list_saved_criteria, list[saved.SavedCriteriaRecord]),
        ("letter", lambda: letters.entry_letter(entry_no).as_record(), letters.LetterRecord),
    ]


def cases() -> list[Case]:
    """Every checked call, on the demo data."""
    segment_no = SegmentHeader.select(SegmentHeader.no).order_by(SegmentHeader.no).first().no
    logged_entry_no = LoggedSegment.select().order_by(LoggedSegment.entry_no).first().entry_no
    entry_no = InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no).first().entry_no
    person_no = Contact.select().where(Contact.type == "person").order_by(Contact.no).first().no
    return [
        *_segment_cases(segment_no, logged_entry_no),
        *_entry_cases(entry_no),
        *_contact_cases(person_no),
        *_figure_cases(segment_no, person_no),
        *_document_cases(segment_no, person_no, _entry_with_letter()),
    ]


def _check_all() -> None:
    for label, call, record_type in cases():
        value = call()
        assert value, f"{label}: nothing to check on the demo data"
        try:
            assert_record(value, record_type)
        except AssertionError as error:
            raise AssertionError(f"{label}: {error}") from None


def _seed() -> None:
    """The demo, and an interaction for a campaign (the demo logs none: no campaign entry)."""
    seed_demo()
    person = Contact.select().where(Contact.type == "person").order_by(Contact.no).first()
    create_interaction(
        person.no, {"interaction_template_code": "OUTCALL", "campaign_no": "CP1001"}, send=False
    )


@pytest.fixture
def demo_sqlite(tmp_path: Path) -> Iterator[None]:
    open_database(str(tmp_path / "demo.db"))
    _seed()
    yield
    close_database()


@pytest.fixture
def demo_postgres(pg_url: str) -> Iterator[None]:
    open_database(pg_url)
    _seed()
    yield
    close_database()


def test_records_are_their_declared_types_on_sqlite(demo_sqlite: None) -> None:
    _check_all()


def test_records_are_their_declared_types_on_postgresql(demo_postgres: None) -> None:
    _check_all()
