"""Segment header: creation defaults and the header→lines "update lines?" rule.

Pins docs/business-central.md, "Worksheet: header and header → lines" (a new segment: number
from Segment Nos., Date = work date, salesperson from the user's User Setup; a changed
header field updates only the lines whose template is the header's template, after BC's
question (default Yes); a changed template applies to all lines, copies the template's
defaults into the header (UpdateSegHeader) and may not be refused while lines inherit the
header's document). Messages: that page's "Messages".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Attachment, InteractionTemplate, MarketingSetup, SegmentHeader
from segment_tui.questions import Answers, ConfirmationRequired
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.segments.header_rules import LINE_QUESTIONS, UPDATE_LINES
from segment_tui.services.segments.headers import (
    delete_segment,
    header_record,
    list_segments,
    set_header_fields,
)
from segment_tui.services.segments.lines import add_line, set_line_fields
from tests.engine.support import (
    ContactFactory,
    adatum_and_trey,
    give_user_salesperson,
    lines,
    new_segment,
    row_counts,
    where,
)

YES, NO, ASK = Answers.each(LINE_QUESTIONS, True), Answers.each(LINE_QUESTIONS, False), Answers()


def _letter_segment_with_a_meeting_line(make_contact: ContactFactory) -> str:
    """LETTER segment with Ann and Bob (template LETTER) and Carl personalised to MEETING."""
    adatum_and_trey(make_contact)
    no = new_segment("Spring letter", template="LETTER", salesperson="BC")
    add_contacts(no, where("no=P1|P2|P3"), AddOptions())
    carl = next(line for line in lines(no) if line["contact_no"] == "P3")
    set_line_fields(no, carl["line_no"], {"interaction_template_code": "MEETING"})
    return no


def _by_contact(no: str) -> dict[str, dict[str, object]]:
    """Each contact's line, read by field names the tests choose."""
    return {line["contact_no"]: dict(line) for line in lines(no)}


# --- creating a header ----------------------------------------------------------------------------


def test_new_segments_take_numbers_from_the_series_and_todays_date(cronus: Any) -> None:
    first = header_record(new_segment("First"))
    second = header_record(new_segment("Second"))
    assert (first["no"], second["no"]) == ("SEG00001", "SEG00002")
    assert first["no_series"] == "SEG"
    assert first["date"] == dt.date.today()
    assert (first["no_of_lines"], first["no_of_criteria_actions"]) == (0, 0)


def test_new_segment_takes_the_salesperson_of_the_users_user_setup(cronus: Any) -> None:
    give_user_salesperson("PS")
    assert header_record(new_segment())["salesperson_code"] == "PS"


def test_new_segment_without_user_setup_has_no_salesperson(cronus: Any) -> None:
    assert header_record(new_segment())["salesperson_code"] in ("", None)


def test_a_salesperson_given_on_creation_wins_over_user_setup(cronus: Any) -> None:
    give_user_salesperson("PS")
    assert header_record(new_segment(salesperson="RB"))["salesperson_code"] == "RB"


def test_new_segment_without_segment_nos_is_refused_with_bcs_testfield(cronus: Any) -> None:
    MarketingSetup.update(segment_nos=None).execute()
    with pytest.raises(UserError, match=r"^Segment Nos\. must have a value in Marketing Setup"):
        new_segment()
    assert SegmentHeader.select().count() == 0


# --- other fields: only lines with the header's template ------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "line_field", "expected"),
    [
        ("description", "Summer letter", "description", "Summer letter"),
        ("salesperson_code", "RB", "salesperson_code", "RB"),
        ("date", "2026-05-04", "date", dt.date(2026, 5, 4)),
        ("unit_cost_lcy", "7.25", "cost_lcy", Decimal("7.25")),
        ("unit_duration_min", "12", "duration_min", 12),
        ("campaign_no", "CP1001", "campaign_no", "CP1001"),
        ("information_flow", "", "information_flow", ""),  # Carl's MEETING line: inbound
        ("initiated_by", "", "initiated_by", ""),  # Carl's MEETING line: them
        ("send_word_docs_as_attmt", "yes", "send_word_doc_as_attmt", True),
    ],
)
def test_header_change_updates_only_lines_with_the_header_template(
    make_contact: ContactFactory, field: str, raw: str, line_field: str, expected: Any
) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    carl_before = _by_contact(no)["P3"][line_field]
    record = set_header_fields(no, {field: raw}, YES)
    after = _by_contact(no)
    assert dict(record)[field] == expected
    assert after["P1"][line_field] == expected
    assert after["P2"][line_field] == expected
    assert after["P3"][line_field] == carl_before != expected  # personalised line left alone


def test_header_change_asks_bcs_question_with_default_yes_and_changes_nothing_unanswered(
    make_contact: ContactFactory,
) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    with pytest.raises(ConfirmationRequired) as asked:
        set_header_fields(no, {"description": "Summer letter"}, ASK)
    assert asked.value.text == (
        "You have modified Description.\n"
        "Do you want to update the segment lines where the Interaction Template Code is LETTER?"
    )
    assert asked.value.default is True
    assert asked.value.question is UPDATE_LINES
    assert header_record(no)["description"] == "Spring letter"
    assert {line["description"] for line in lines(no)} == {"Spring letter", "Meeting"}


def test_answer_no_changes_the_header_and_keeps_the_lines(make_contact: ContactFactory) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    record = set_header_fields(no, {"salesperson_code": "RB"}, NO)
    assert record["salesperson_code"] == "RB"
    assert {line["salesperson_code"] for line in lines(no)} == {"BC"}


def test_no_question_when_no_line_has_the_header_template(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    empty = new_segment("Empty", template="LETTER")
    assert set_header_fields(empty, {"description": "Renamed"}, ASK)["description"] == "Renamed"
    no = new_segment("Calls", template="OUTCALL", salesperson="BC")
    add_contacts(no, where("no=P1"), AddOptions())
    set_line_fields(no, 10000, {"interaction_template_code": "MEETING"})
    set_header_fields(no, {"description": "Call round"}, ASK)  # only a MEETING line: no question
    assert lines(no)[0]["description"] == "Meeting"


def test_correspondence_type_default_is_pushed_only_with_a_document(
    make_contact: ContactFactory,
) -> None:
    make_contact(no="C1", type="company", name="Adatum", email="info@adatum.example")
    letter = new_segment("Letter", template="LETTER", salesperson="BC")  # has a document
    calls = new_segment("Calls", template="OUTCALL", salesperson="BC")  # has none
    for no in (letter, calls):
        add_contacts(no, where("no=C1"), AddOptions())
    set_header_fields(letter, {"correspondence_type_default": "email"}, YES)
    assert lines(letter)[0]["correspondence_type"] == "email"
    # Without a document BC does not call the line update at all: no question, lines kept.
    record = set_header_fields(calls, {"correspondence_type_default": "hard_copy"}, ASK)
    assert record["correspondence_type_default"] == "hard_copy"
    assert lines(calls)[0]["correspondence_type"] == ""


def test_subject_default_updates_matching_lines_after_bcs_question(
    make_contact: ContactFactory,
) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    with pytest.raises(ConfirmationRequired) as asked:
        set_header_fields(no, {"subject_default": "Our spring range"}, ASK)
    assert asked.value.text == (
        "You have modified Subject (Default).\n"
        "Do you want to update the corresponding segment lines?"
    )
    assert asked.value.default is True
    assert (
        set_header_fields(no, {"subject_default": "Our spring range"}, YES)["subject_default"]
        == "Our spring range"
    )
    subjects = {c: line["subject"] for c, line in _by_contact(no).items()}
    assert subjects == {"P1": "Our spring range", "P2": "Our spring range", "P3": ""}
    assert add_line(no, "C2")["subject"] == "Our spring range"  # new lines take it too


# --- the template ---------------------------------------------------------------------------------


def test_template_change_asks_and_applies_to_all_lines(make_contact: ContactFactory) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    with pytest.raises(ConfirmationRequired) as asked:
        set_header_fields(no, {"interaction_template_code": "NEWS"}, ASK)
    assert asked.value.text == (
        "You have modified Interaction Template Code.\n"
        "Do you want to apply the Interaction Template Code NEWS to all segment lines?"
    )
    assert asked.value.default is True
    set_header_fields(no, {"interaction_template_code": "NEWS"}, YES)
    after = _by_contact(no)
    assert {c: line["interaction_template_code"] for c, line in after.items()} == {
        "P1": "NEWS",
        "P2": "NEWS",
        "P3": "NEWS",  # the personalised line too
    }
    assert {line["interaction_group_code"] for line in after.values()} == {"EMAIL"}


def test_template_change_copies_the_templates_defaults_into_the_header(cronus: Any) -> None:
    no = new_segment("Mailing", template="LETTER")
    record = set_header_fields(no, {"interaction_template_code": "NEWS"}, ASK)  # no lines
    assert record["interaction_template_code"] == "NEWS"
    assert record["interaction_group_code"] == "EMAIL"
    assert record["unit_cost_lcy"] == Decimal("0.10")
    assert record["unit_duration_min"] == 1
    assert (record["information_flow"], record["initiated_by"]) == ("outbound", "us")
    assert record["correspondence_type_default"] == "email"
    assert record["ignore_contact_corres_type"] is False
    assert record["language_code_default"] == "ENU"
    assert record["subject_default"] == ""
    assert record["has_documents"] is True  # CreateSegInteractions copied NEWS's document


def test_template_with_a_campaign_sets_the_header_campaign(cronus: Any) -> None:
    InteractionTemplate.insert(
        code="LAUNCH", interaction_group_code="LETTER", description="Launch letter",
        campaign_no="CP1001", campaign_target=True,
    ).execute()  # fmt: skip
    no = new_segment("Launch")
    record = set_header_fields(no, {"interaction_template_code": "LAUNCH"}, ASK)
    assert record["campaign_no"] == "CP1001"
    assert record["campaign_target"] is True


def test_template_change_refused_when_lines_inherit_the_document(
    make_contact: ContactFactory,
) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    assert _by_contact(no)["P1"]["document"] == "Inherited"
    before = (row_counts(), lines(no), header_record(no))
    with pytest.raises(UserError) as refused:
        set_header_fields(no, {"interaction_template_code": "NEWS"}, NO)
    assert str(refused.value) == (
        "Interaction Template Code may not be modified without updating lines when "
        "inherited attachments exist."
    )
    assert (row_counts(), lines(no), header_record(no)) == before


def test_template_change_answered_no_without_documents_keeps_the_lines(
    make_contact: ContactFactory,
) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    no = new_segment("Calls", template="OUTCALL", salesperson="BC")
    add_contacts(no, where("no=C1"), AddOptions())
    record = set_header_fields(no, {"interaction_template_code": "MEETING"}, NO)
    assert record["interaction_template_code"] == "MEETING"
    assert record["unit_cost_lcy"] == Decimal("50.00")
    line = lines(no)[0]
    assert (line["interaction_template_code"], line["cost_lcy"]) == ("OUTCALL", Decimal("5.00"))


def test_template_change_pushes_the_new_templates_correspondence_type_to_all_lines(
    make_contact: ContactFactory,
) -> None:
    # UpdateSegHeader → CopyFromTemplate calls UpdateSegLinesByFieldNo(Correspondence Type
    # (Default), false) directly — not the field's OnValidate with its "only with a document
    # and a non-blank value" guard — so every line gets the new template's default.
    no = _letter_segment_with_a_meeting_line(make_contact)
    set_header_fields(no, {"interaction_template_code": "OUTCALL"}, YES)  # default: blank
    assert {c: line["correspondence_type"] for c, line in _by_contact(no).items()} == {
        "P1": "", "P2": "", "P3": "",
    }  # fmt: skip
    set_header_fields(no, {"interaction_template_code": "NEWS"}, YES)  # default: e-mail
    assert {line["correspondence_type"] for line in lines(no)} == {"email"}


def test_template_change_gives_lines_the_new_headers_document(make_contact: ContactFactory) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    record = set_header_fields(no, {"interaction_template_code": "NEWS"}, YES)
    assert Attachment.get_by_id(record["attachment_no"]).file_name == "Newsletter.docx"
    for line in lines(no):
        assert (line["attachment_no"], line["document"]) == (record["attachment_no"], "Inherited")


# --- statistics, list and delete (BC's FlowFields, OnDelete, Segment List) ------------------------


def test_header_statistics_sum_the_lines(make_contact: ContactFactory) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)  # 2 × LETTER (2.50, 5) + MEETING
    record = header_record(no)
    assert (record["no_of_lines"], record["no_of_criteria_actions"]) == (3, 1)
    assert (record["cost_lcy"], record["duration_min"]) == (Decimal("55.00"), 70)


def test_list_segments_shows_each_unlogged_segment_with_its_lines(
    make_contact: ContactFactory,
) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    other = new_segment("Nothing yet", salesperson="JO")
    listed = [(r["no"], r["description"], r["salesperson_code"], r["no_of_lines"])
              for r in list_segments()]  # fmt: skip
    assert listed == [(no, "Spring letter", "BC", 3), (other, "Nothing yet", "JO", 0)]


def test_delete_segment_removes_lines_criteria_history_and_documents(
    make_contact: ContactFactory,
) -> None:
    no = _letter_segment_with_a_meeting_line(make_contact)
    keep = new_segment("Keep", template="LETTER")
    before = row_counts()
    delete_segment(no)
    after = row_counts()
    assert after["segment_header"] == before["segment_header"] - 1
    for table in ("segment_line", "segment_criteria_line", "segment_history"):
        assert after[table] == 0, table
    assert after["segment_interaction_language"] == 1  # the other segment's document row
    # Segments link to the template's document (they follow it), so it stays.
    assert after["attachment"] == before["attachment"]
    assert header_record(keep)["has_documents"] is True
    with pytest.raises(UserError, match="The Segment Header does not exist"):
        header_record(no)
