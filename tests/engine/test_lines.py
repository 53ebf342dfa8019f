"""Segment lines: typed-in contacts are criteria actions; lines are initialised the BC way.

Pins BC's segment subform (subform triggers: insert = "Add Contacts: No.=X", delete =
"Remove Contacts (Reduce): No.=X", contact change = both, each with history, undoable by
Go Back; InitLine values from header and contact: salesperson header's else contact's,
the three-step correspondence type resolution, language), a line's own template
("Unique" document, values recomputed from the template), and the computed columns
(Contact Name is blank for company contacts; Contact Company Name shown).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Attachment, InteractionTmplLanguage
from segment_tui.questions import Answers, ConfirmationRequired
from segment_tui.services.criteria.actions import (
    RESET_EMPTY_SEGMENT,
    AddOptions,
    action_count,
    add_contacts,
)
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.criteria.view import criteria_records
from segment_tui.services.segments.header_rules import LINE_QUESTIONS
from segment_tui.services.segments.headers import header_record, set_header_fields
from segment_tui.services.segments.lines import add_line, remove_line, set_line_fields
from segment_tui.services.segments.view import line_record
from tests.engine.support import (
    ContactFactory,
    adatum_and_trey,
    contacts_on,
    history,
    lines,
    new_segment,
    row_counts,
    where,
)

# --- typing contacts in and out is recorded and undoable (BC's subform triggers) ------------------


def test_adding_a_contact_by_hand_is_an_add_contacts_action(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    first = add_line(no, "p1")
    second = add_line(no, "P3")
    assert (first["line_no"], second["line_no"]) == (10000, 20000)
    records = criteria_records(no)
    assert [(r["type"], r["action"], r["filter_text"]) for r in records] == [
        ("action", "add", ""),
        ("filter", "add", "No.: P1"),
        ("action", "add", ""),
        ("filter", "add", "No.: P3"),
    ]
    assert [r["line_no"] for r in records] == [1, 2, 3, 4]
    assert history(no) == [(1, "P1", "insertion"), (2, "P3", "insertion")]
    assert go_back(no).removed == 1
    assert contacts_on(no) == ["P1"]


def test_removing_a_line_by_hand_is_a_reduce_action_and_go_back_restores_it(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    add_line(no, "P3")
    remove_line(no, 10000)
    assert contacts_on(no) == ["P3"]
    last = criteria_records(no)[-2:]
    assert [(r["type"], r["action"], r["filter_text"]) for r in last] == [
        ("action", "reduce", ""),
        ("filter", "reduce", "No.: P1"),
    ]
    assert history(no)[-1] == (3, "P1", "deletion")
    assert go_back(no).restored == 1
    assert contacts_on(no) == ["P3", "P1"]  # back on a new line at the end
    assert lines(no)[-1]["line_no"] == 30000


def test_changing_the_contact_of_a_line_is_reduce_old_then_add_new(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    record = set_line_fields(no, 10000, {"contact_no": "P3"})
    assert (record["line_no"], record["contact_no"]) == (10000, "P3")
    assert record["contact_company_name"] == "Trey Research"
    filters = [
        (r["action"], r["filter_text"]) for r in criteria_records(no) if r["type"] == "filter"
    ]
    assert filters == [("add", "No.: P1"), ("reduce", "No.: P1"), ("add", "No.: P3")]
    assert history(no) == [(1, "P1", "insertion"), (2, "P1", "deletion"), (3, "P3", "insertion")]
    go_back(
        no, answers=Answers({RESET_EMPTY_SEGMENT: False})
    )  # the segment is empty for a moment: keep actions
    go_back(no)
    assert contacts_on(no) == ["P1"]
    assert action_count(no) == 1


def test_removing_the_only_typed_line_asks_to_reset_the_criteria(
    make_contact: ContactFactory,
) -> None:
    # The subform records the Reduce action before the line's OnDelete runs, so the segment
    # has two actions when it becomes empty: BC asks
    # (docs/business-central.md, "Criteria engine": an emptied segment).
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    before = row_counts()
    with pytest.raises(ConfirmationRequired) as asked:
        remove_line(no, 10000)
    assert asked.value.question is RESET_EMPTY_SEGMENT
    assert row_counts() == before
    assert (
        remove_line(no, 10000, answers=Answers({RESET_EMPTY_SEGMENT: True})).criteria_reset is True
    )
    assert (lines(no), action_count(no), history(no)) == ([], 0, [])


def test_adding_an_unknown_contact_is_refused_and_writes_nothing(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    before = row_counts()
    with pytest.raises(UserError, match=r"The Contact does not exist.*'NOPE'"):
        add_line(no, "NOPE")
    assert row_counts() == before


# --- InitLine: values from the header and the contact ---------------------------------------------


def test_new_line_copies_the_header_interaction(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment("Autumn launch", template="LETTER", salesperson="BC", date="2026-09-15",
                     campaign="CP1001")  # fmt: skip
    line = add_line(no, "P1")
    assert line["description"] == "Autumn launch"
    assert line["date"] == dt.date(2026, 9, 15)
    assert line["interaction_template_code"] == "LETTER"
    assert line["interaction_group_code"] == "LETTER"
    assert (line["cost_lcy"], line["duration_min"]) == (Decimal("2.50"), 5)
    assert (line["information_flow"], line["initiated_by"]) == ("outbound", "us")
    assert line["campaign_no"] == "CP1001"
    assert line["contact_company_no"] == "C1"
    assert line["evaluation"] == ""
    assert line["language_code"] == "ENU"
    assert line["document"] == "Inherited"


def test_line_salesperson_is_the_headers_else_the_contacts(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)  # Ann inherits JO from Adatum
    with_salesperson = new_segment(salesperson="BC")
    without = new_segment()
    assert add_line(with_salesperson, "P1")["salesperson_code"] == "BC"
    assert add_line(without, "P1")["salesperson_code"] == "JO"


def _contact_with_type(make_contact: ContactFactory, no: str, kind: str) -> str:
    make_contact(no=no, type="company", name=f"Company {no}", correspondence_type=kind,
                 email=f"{no.lower()}@example.com")  # fmt: skip
    return no


def test_correspondence_type_step_1_header_ignores_contact_and_has_a_default(
    make_contact: ContactFactory,
) -> None:
    contact = _contact_with_type(make_contact, "C1", "email")
    no = new_segment(template="NEWS")
    set_header_fields(
        no,
        {"ignore_contact_corres_type": "yes", "correspondence_type_default": "hard_copy"},
        Answers.each(LINE_QUESTIONS, True),
    )
    assert add_line(no, contact)["correspondence_type"] == "hard_copy"


def test_correspondence_type_step_2_template_ignores_contact(make_contact: ContactFactory) -> None:
    contact = _contact_with_type(make_contact, "C1", "email")
    no = new_segment(template="LETTER")  # LETTER ignores the contact's type; default hard copy
    set_header_fields(no, {"ignore_contact_corres_type": "no"}, Answers.each(LINE_QUESTIONS, True))
    assert add_line(no, contact)["correspondence_type"] == "hard_copy"


def test_correspondence_type_step_2_contact_without_type_takes_the_templates(
    make_contact: ContactFactory,
) -> None:
    contact = _contact_with_type(make_contact, "C1", "")
    no = new_segment(template="NEWS")  # does not ignore; default e-mail
    assert add_line(no, contact)["correspondence_type"] == "email"


def test_correspondence_type_step_3_the_contacts_own(make_contact: ContactFactory) -> None:
    contact = _contact_with_type(make_contact, "C1", "hard_copy")
    with_template = new_segment(template="NEWS")
    without_template = new_segment()
    assert add_line(with_template, contact)["correspondence_type"] == "hard_copy"
    assert add_line(without_template, contact)["correspondence_type"] == "hard_copy"


def test_correspondence_type_blank_header_default_falls_to_the_template(
    make_contact: ContactFactory,
) -> None:
    contact = _contact_with_type(make_contact, "C1", "email")
    no = new_segment(template="OUTCALL")  # ignores contact type, default blank
    assert add_line(no, contact)["correspondence_type"] == ""


def test_line_language_is_the_contacts_when_the_segment_has_a_document_in_it(
    make_contact: ContactFactory,
) -> None:
    german = Attachment.insert(file_name="Brief.docx", file_extension="docx", content=b"de")
    InteractionTmplLanguage.insert(
        interaction_template_code="LETTER", language_code="DEU", description="Brief",
        attachment_no=german.execute(),
    ).execute()  # fmt: skip
    make_contact(no="C1", type="company", name="Adatum", language_code="DEU")
    make_contact(no="C2", type="company", name="Trey", language_code="FRA")
    no = new_segment(template="LETTER")
    german_line = add_line(no, "C1")
    french_line = add_line(no, "C2")  # no French document: the header's default language
    assert german_line["language_code"] == "DEU"
    assert french_line["language_code"] == "ENU"
    assert german_line["attachment_no"] != french_line["attachment_no"]
    assert german_line["document"] == french_line["document"] == "Inherited"


# --- a line's own template ------------------------------------------------------------------------


def test_line_template_override_makes_the_document_unique_and_recomputes(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment("Spring letter", template="LETTER", salesperson="BC")
    add_contacts(no, where("no=P1|P2"), AddOptions())
    inherited = lines(no)[0]
    record = set_line_fields(no, 10000, {"interaction_template_code": "NEWS"})
    assert record["interaction_template_code"] == "NEWS"
    assert record["document"] == "Unique"
    assert record["attachment_no"] not in (None, inherited["attachment_no"])
    assert record["interaction_group_code"] == "EMAIL"
    assert (record["cost_lcy"], record["duration_min"]) == (Decimal("0.10"), 1)
    assert record["description"] == "Newsletter e-mail"  # template changed from a non-blank one
    assert record["correspondence_type"] == "hard_copy"  # header ignores contact, default HC
    assert record["language_code"] == "ENU"
    other = line_record(no, 20000)
    assert (other["interaction_template_code"], other["document"]) == ("LETTER", "Inherited")


def test_line_template_back_to_the_headers_inherits_again(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment("Spring letter", template="LETTER", salesperson="BC")
    add_line(no, "P1")
    set_line_fields(no, 10000, {"interaction_template_code": "NEWS"})
    record = set_line_fields(no, 10000, {"interaction_template_code": "LETTER"})
    assert record["document"] == "Inherited"
    assert record["attachment_no"] == header_record(no)["attachment_no"]
    assert record["cost_lcy"] == Decimal("2.50")


# --- names shown on a line (BC's FlowFields) ------------------------------------------------------


def test_company_contact_shows_a_blank_contact_name_and_its_company_name(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_contacts(no, where("no=C1|P1|P9"), AddOptions())
    shown: dict[str, Any] = {
        line["contact_no"]: (line["contact_name"], line["contact_company_name"])
        for line in lines(no)
    }
    assert shown == {
        "C1": ("", "Adatum"),
        "P1": ("Ann Smith", "Adatum"),
        "P9": ("Dana Lone", ""),
    }
