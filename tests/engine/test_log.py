"""Log Segment (report 5185 → SegManagement.LogSegment), all or nothing.

Pins docs/business-central.md, "Logging": refused when already logged ("Logged Segment for
Segment No. <No> already exists."), with a blank Description (TestField), when empty
("Segment <No> is empty.") and when a line lacks Date, Salesperson Code or Interaction
Template Code (TestField naming Segment No. and Line No.); an e-mail line whose contact has
no e-mail is refused naming the contact (instead of BC's silent blanking: that page's
"Where segment-tui differs from BC, on purpose").
Each refusal writes nothing. Otherwise: one interaction log entry per line, copied from the
line (Date = line date, not the log date); one logged segment (Creation Date = today, User
ID); the segment deleted with lines, criteria and history; optional follow-up segment
"Follow-up on segment <No>" with the same contacts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import (
    CampaignEntry,
    InteractionLogEntry,
    LoggedSegment,
    NoSeries,
    SegmentCriteriaLine,
    SegmentHeader,
    SegmentHistory,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.questions import Answers
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.criteria.view import criteria_records
from segment_tui.services.log.log_segment import log_segment, log_summary
from segment_tui.services.segments.header_rules import LINE_QUESTIONS
from segment_tui.services.segments.headers import current_user, header_record, set_header_fields
from segment_tui.services.segments.lines import add_line, set_line_fields
from segment_tui.services.setup.numbering import segment_series
from tests.engine.support import (
    ContactFactory,
    adatum_and_trey,
    contacts_on,
    give_user_salesperson,
    lines,
    new_segment,
    row_counts,
    where,
)

DAY = dt.date(2026, 4, 1)


def _letter(make_contact: ContactFactory, **options: Any) -> str:
    """A LETTER segment (hard copy) of Adatum, Ann and Bob, dated 2026-04-01."""
    adatum_and_trey(make_contact)
    no = new_segment("Spring letter", **{"template": "LETTER", "salesperson": "BC", "date": DAY,
                                         **options})  # fmt: skip
    add_contacts(no, where("no=C1|P1|P2"), AddOptions())
    return no


def _entries() -> list[InteractionLogEntry]:
    return list(InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no))


def _refused(no: str, message: str, *, follow_up: bool = False) -> None:
    """Log is refused with exactly ``message`` and nothing is written."""
    before = (row_counts(), lines(no) if SegmentHeader.get_or_none(SegmentHeader.no == no) else [])
    with pytest.raises(UserError) as refused:
        log_segment(no, follow_up=follow_up)
    assert str(refused.value) == message
    after_lines = lines(no) if SegmentHeader.get_or_none(SegmentHeader.no == no) else []
    assert (row_counts(), after_lines) == before


# --- validations ----------------------------------------------------------------------------------


def test_log_refuses_a_blank_description(make_contact: ContactFactory) -> None:
    no = _letter(make_contact)
    set_header_fields(no, {"description": ""}, Answers.each(LINE_QUESTIONS, False))
    _refused(no, f"Description must have a value in Segment Header: No.={no}. "
                 "It cannot be zero or empty.")  # fmt: skip


def test_log_refuses_an_empty_segment(cronus: Any) -> None:
    no = new_segment("Nobody", template="LETTER", salesperson="BC")
    _refused(no, f"Segment {no} is empty.")


@pytest.mark.parametrize(
    ("field", "caption"),
    [
        ("date", "Date"),
        ("salesperson_code", "Salesperson Code"),
        ("interaction_template_code", "Interaction Template Code"),
    ],
)
def test_log_refuses_a_line_without_date_salesperson_or_template(
    make_contact: ContactFactory, field: str, caption: str
) -> None:
    no = _letter(make_contact)
    SegmentLine.update({getattr(SegmentLine, field): None}).where(
        (SegmentLine.segment_no == no) & (SegmentLine.line_no == 20000)
    ).execute()
    _refused(no, f"{caption} must have a value in Segment Line: Segment No.={no}, "
                 "Line No.=20000. It cannot be zero or empty.")  # fmt: skip


def test_log_refuses_lines_without_template_when_the_header_has_none(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment("No template", salesperson="BC")
    add_line(no, "P1")
    _refused(no, f"Interaction Template Code must have a value in Segment Line: "
                 f"Segment No.={no}, Line No.=10000. It cannot be zero or empty.")  # fmt: skip


def test_log_refuses_email_lines_of_contacts_without_email(make_contact: ContactFactory) -> None:
    make_contact(no="C5", type="company", name="Fabrikam", email="hello@fabrikam.example")
    make_contact(no="C6", type="company", name="Litware")  # no e-mail
    make_contact(no="C7", type="company", name="Northwind")  # no e-mail
    no = new_segment("Newsletter", template="NEWS", salesperson="BC")
    add_contacts(no, where("no=C5|C6|C7"), AddOptions())
    assert {line["correspondence_type"] for line in lines(no)} == {"email"}
    before = (row_counts(), lines(no))
    with pytest.raises(UserError) as refused:
        log_segment(no)
    message = str(refused.value)
    assert "C6" in message and "C7" in message and "C5" not in message
    assert "mail" in message.lower()
    assert (row_counts(), lines(no)) == before


def test_a_segment_number_can_be_logged_only_once(make_contact: ContactFactory) -> None:
    no = _letter(make_contact)
    log_segment(no)
    _refused(no, f"Logged Segment for Segment No. {no} already exists.")
    # A new segment typed with the same number cannot be logged either.
    new_segment("Same number", no=no, template="LETTER", salesperson="BC")
    add_line(no, "P3")
    _refused(no, f"Logged Segment for Segment No. {no} already exists.")


def test_log_runs_in_one_transaction_with_its_follow_up(make_contact: ContactFactory) -> None:
    # The Segment Nos. series ends at this segment's number: Log's checks pass (the series
    # is set up) and the entries, the logged segment and the deletion are written before
    # the follow-up asks the series for a number it no longer has. All of it rolls back.
    no = _letter(make_contact)
    NoSeries.update(ending_no=no).where(NoSeries.code == segment_series()).execute()
    series_before = NoSeries.get(NoSeries.code == segment_series()).last_no_used
    _refused(
        no,
        f"You cannot assign new numbers from the number series {segment_series()}.",
        follow_up=True,
    )
    assert NoSeries.get(NoSeries.code == segment_series()).last_no_used == series_before
    # Nothing half-done is left in the way: the same segment logs without a follow-up.
    assert log_segment(no).entries == 3


# --- what Log writes ------------------------------------------------------------------------------


def test_log_writes_one_entry_per_line_copied_from_the_line(make_contact: ContactFactory) -> None:
    no = _letter(make_contact, campaign="CP1001")
    ann_values = {
        "date": "2026-04-03", "cost_lcy": "4.75", "duration_min": "9", "salesperson_code": "RB",
        "subject": "Hello Ann", "line_note": "Met her at the fair", "evaluation": "positive",
    }  # fmt: skip
    set_line_fields(no, 20000, ann_values)
    set_line_fields(no, 30000, {"interaction_template_code": "OUTCALL"})
    add_line(no, "P9", line_no=5000)  # first by line number, last by contact number
    expected = lines(no)
    result = log_segment(no)
    assert (result.segment_no, result.entries) == (no, 4)
    entries = _entries()
    assert [e.contact_no for e in entries] == ["P9", "C1", "P1", "P2"]  # in line order
    assert [e.entry_no for e in entries] == [1, 2, 3, 4]
    campaign_entry = CampaignEntry.get()
    for entry, line in zip(entries, expected, strict=True):
        assert entry.logged_segment_entry_no == result.logged_segment_entry_no
        assert entry.segment_no == no
        assert entry.user_id == current_user()
        assert entry.campaign_entry_no == campaign_entry.entry_no
        for field in ("contact_company_no", "date", "description", "cost_lcy", "duration_min",
                      "salesperson_code", "interaction_template_code", "interaction_group_code",
                      "correspondence_type", "subject", "information_flow", "initiated_by",
                      "campaign_no", "evaluation", "line_note", "attachment_no"):  # fmt: skip
            assert getattr(entry, field) == line[field], field
        assert entry.interaction_language_code == line["language_code"]
    ann, bob = entries[2], entries[3]
    assert (ann.date, ann.cost_lcy, ann.duration_min) == (dt.date(2026, 4, 3), Decimal("4.75"), 9)
    assert (ann.salesperson_code, ann.subject, ann.line_note) == (
        "RB", "Hello Ann", "Met her at the fair",
    )  # fmt: skip
    assert entries[1].date == DAY != dt.date.today()  # the line's date, not the log date
    assert (bob.interaction_template_code, bob.cost_lcy, bob.correspondence_type) == (
        "OUTCALL", Decimal("5.00"), "hard_copy",
    )  # fmt: skip
    assert (campaign_entry.campaign_no, campaign_entry.register_no) == (
        "CP1001", result.logged_segment_entry_no,
    )  # fmt: skip


def test_log_writes_the_logged_segment(make_contact: ContactFactory) -> None:
    no = _letter(make_contact)
    result = log_segment(no)
    logged = LoggedSegment.get()
    assert logged.entry_no == result.logged_segment_entry_no == 1
    assert (logged.segment_no, logged.description) == (no, "Spring letter")
    assert logged.creation_date == dt.date.today()
    assert (logged.user_id, logged.canceled) == (current_user(), False)


def test_log_deletes_the_segment_with_lines_criteria_and_history(
    make_contact: ContactFactory,
) -> None:
    no = _letter(make_contact)
    other = new_segment("Untouched", template="LETTER", salesperson="BC")
    add_line(other, "P3")
    log_segment(no)
    for model in (SegmentLine, SegmentCriteriaLine, SegmentHistory, SegmentInteractionLanguage):
        assert model.select().where(model.segment_no == no).count() == 0, model.__name__
    assert SegmentHeader.get_or_none(SegmentHeader.no == no) is None
    assert contacts_on(other) == ["P3"]
    assert header_record(other)["has_documents"] is True


def test_log_with_follow_up_creates_a_segment_with_the_same_contacts(
    make_contact: ContactFactory,
) -> None:
    no = _letter(make_contact, campaign="CP1001")
    add_line(no, "P9", line_no=5000)  # first by line number, last by contact number
    result = log_segment(no, follow_up=True)
    follow_up = result.follow_up_segment_no
    assert follow_up == "SEG00002"
    record = header_record(follow_up)
    assert record["description"] == f"Follow-up on segment {no}"
    assert record["campaign_no"] == "CP1001"
    assert contacts_on(follow_up) == ["P9", "C1", "P1", "P2"]  # in the logged line order
    actions = [r for r in criteria_records(follow_up) if r["type"] == "action"]
    assert [(a["action"], a["added"]) for a in actions] == [("add", 4)]


def test_log_summary_counts_what_log_would_write(make_contact: ContactFactory) -> None:
    no = _letter(make_contact)
    set_line_fields(no, 30000, {"correspondence_type": ""})
    summary = log_summary(no)
    assert summary.lines == 3
    assert summary.by_correspondence_type == {"hard_copy": 2, "": 1}
    assert (summary.cost_lcy, summary.duration_min) == (Decimal("7.50"), 15)
    assert summary.send_available is True


def test_follow_up_segment_takes_the_users_salesperson(make_contact: ContactFactory) -> None:
    # The follow-up header is inserted with OnInsert (SegmentHeader.Insert(true)), which
    # fills Salesperson Code from the user's User Setup and Date with the work date
    # (docs/business-central.md, "Worksheet: header and header → lines").
    no = _letter(make_contact)
    give_user_salesperson("PS")
    follow_up = log_segment(no, follow_up=True).follow_up_segment_no
    assert follow_up is not None
    record = header_record(follow_up)
    assert (record["salesperson_code"], record["date"]) == ("PS", dt.date.today())
    assert {line["salesperson_code"] for line in lines(follow_up)} == {"PS"}
