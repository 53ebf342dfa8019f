"""Add Contacts (report 5198): which contacts, in which order, with which options.

Pins docs/filters.md, "Sections" (sections ANDed, only filtered sections count, a section
matches when one of its rows matches all of its filters, industry group and business
relation matched on the contact's company, interaction log entries on company + contact),
docs/business-central.md, "Criteria engine" (Allow Existing, Expand Companies, Allow Related
Companies, Ignore Exclusion applied after expansion; lines ordered by Company Name, Company
No., Type, Name; Line No. step 10000; the action recorded with its filter lines even when
nothing is added; one history Insertion per line) and that page's "Where segment-tui differs
from BC, on purpose" (preview writes nothing) and docs/filters.md (parse errors name the
field, the position and what was expected).
"""

from __future__ import annotations

import datetime as dt

import pytest

from segment_tui.errors import UserError
from segment_tui.models import (
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
    InteractionLogEntry,
)
from segment_tui.services.contacts.records import update_contact
from segment_tui.services.criteria.actions import AddOptions, AddPreview, add_contacts, preview_add
from segment_tui.services.criteria.view import criteria_records
from segment_tui.services.segments.lines import add_line
from tests.engine.support import (
    ContactFactory,
    adatum_and_trey,
    contacts_on,
    history,
    line_nos,
    lines,
    new_segment,
    row_counts,
    where,
)


def _classified(make_contact: ContactFactory) -> None:
    """Adatum and Trey with their classifications (see :func:`adatum_and_trey`)."""
    adatum_and_trey(make_contact)
    for contact, code in (("P1", "CHRISTMAS"), ("C2", "CHRISTMAS"), ("P3", "NEWSLETTER")):
        ContactMailingGroup.insert(contact_no=contact, mailing_group_code=code).execute()
    for contact, code in (("C1", "MAN"), ("C2", "RET")):
        ContactIndustryGroup.insert(contact_no=contact, industry_group_code=code).execute()
    ContactBusinessRelation.insert(contact_no="C2", business_relation_code="CUST").execute()
    for contact, code in (("P2", "SALES"), ("P3", "IT")):
        ContactJobResponsibility.insert(contact_no=contact, job_responsibility_code=code).execute()
    for contact, company, answer in (("C1", "C1", 30000), ("C2", "C2", 20000)):
        ContactProfileAnswer.insert(
            contact_no=contact, contact_company_no=company, profile_questionnaire_code="COMPANY",
            line_no=answer,
        ).execute()  # fmt: skip
    for contact, company, day, template in (
        ("P1", "C1", dt.date(2026, 1, 10), "LETTER"),
        ("P1", "C1", dt.date(2026, 3, 5), "OUTCALL"),
        ("P3", "", dt.date(2026, 1, 12), "LETTER"),  # logged before Carl joined Trey
    ):
        InteractionLogEntry.insert(
            contact_no=contact, contact_company_no=company, date=day,
            interaction_template_code=template, segment_no="SEG09999", evaluation="positive",
        ).execute()  # fmt: skip


def _added(make_contact: ContactFactory, *filters: str, **options: bool) -> list[str]:
    _classified(make_contact)
    no = new_segment()
    add_contacts(no, where(*filters), AddOptions(**options))
    return contacts_on(no)


# --- related sections -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["mailing_group=CHRISTMAS"], ["P1", "C2"]),  # the contact's own rows only
        (["industry_group=MAN"], ["C1", "P1", "P2"]),  # on the company: persons inherit
        (["business_relation=CUST"], ["C2", "P3"]),  # on the company: persons inherit
        (["job_responsibility=SALES|IT"], ["P2", "P3"]),
        (["profile=COMPANY", "profile.line=30000"], ["C1"]),
        (["ile.template=LETTER"], ["P1"]),  # Carl's entry is from another company
        (["ile.evaluation=Positive", "ile.date=2026-03-01.."], ["P1"]),
        (["ile.segment_no=SEG09999", "ile.template=OUTCALL"], ["P1"]),
    ],
)
def test_related_sections_select_the_right_contacts(
    make_contact: ContactFactory, filters: list[str], expected: list[str]
) -> None:
    assert _added(make_contact, *filters) == expected


def test_canceled_interaction_log_entries_still_match(make_contact: ContactFactory) -> None:
    _classified(make_contact)
    InteractionLogEntry.update(canceled=True).execute()
    no = new_segment()
    add_contacts(no, where("ile.template=LETTER"), AddOptions())
    assert contacts_on(no) == ["P1"]


def test_sections_are_anded(make_contact: ContactFactory) -> None:
    assert _added(make_contact, "industry_group=MAN", "job_responsibility=SALES") == ["P2"]


def test_contact_section_and_related_section_are_anded(make_contact: ContactFactory) -> None:
    # Ann lives in London (inherited from Adatum); Trey Research is in Paris.
    assert _added(make_contact, "city=London", "mailing_group=CHRISTMAS") == ["P1"]


def test_one_row_of_a_section_must_match_all_its_filters(make_contact: ContactFactory) -> None:
    # Ann has a LETTER entry in January and an OUTCALL entry in March, none is both.
    assert _added(make_contact, "ile.template=LETTER", "ile.date=2026-03-01..") == []


def test_without_filters_every_contact_is_added_in_bcs_order(make_contact: ContactFactory) -> None:
    make_contact(no="P8", type="person", name="Aaron Zed")  # no company, name sorts first
    make_contact(no="C3", type="company", name="Adatum")  # same name as C1, later number
    adatum_and_trey(make_contact)
    make_contact(no="P0", type="person", name="Zoe Adams", company_no="C1")
    no = new_segment()
    result = add_contacts(no, [], AddOptions())
    # (Company Name, Company No., Type, Name): no company first, companies before their people.
    assert contacts_on(no) == ["P8", "P9", "C1", "P1", "P2", "P0", "C3", "C2", "P3"]
    assert line_nos(no) == [n * 10000 for n in range(1, 10)]
    assert result.added == 9


# --- the action, its filter lines and its history -------------------------------------------------


def test_add_contacts_records_one_action_with_its_filter_lines(
    make_contact: ContactFactory,
) -> None:
    _classified(make_contact)
    no = new_segment()
    options = AddOptions(allow_existing=True, expand_companies=True,
                         allow_related_companies=True, ignore_exclusion=True)  # fmt: skip
    add_contacts(no, where("mailing_group=CHRISTMAS", "type=Person", "city=London"), options)
    records = criteria_records(no)
    action = records[0]
    assert (action["line_no"], action["type"], action["action"], action["no_of_filters"]) == (
        1, "action", "add", 2,
    )  # fmt: skip
    assert (
        action["allow_existing_contacts"], action["expand_contact"],
        action["allow_company_with_persons"], action["ignore_exclusion"],
    ) == (True, True, True, True)  # fmt: skip
    # One filter line per filtered section, the Contact section first (BC's data item order).
    assert [(r["line_no"], r["type"], r["section"]) for r in records[1:]] == [
        (2, "filter", "contact"),
        (3, "filter", "mailing_group"),
    ]
    assert records[1]["filter_text"] == "Type: Person, City: London"


def test_add_contacts_writes_one_history_insertion_per_line(make_contact: ContactFactory) -> None:
    _classified(make_contact)
    no = new_segment()
    add_line(no, "P9")
    result = add_contacts(no, where("industry_group=MAN"), AddOptions())
    assert result.action_no == 2
    assert history(no)[1:] == [(2, "C1", "insertion"), (2, "P1", "insertion"),
                               (2, "P2", "insertion")]  # fmt: skip
    assert line_nos(no) == [10000, 20000, 30000, 40000]  # continues after the last line
    assert [line["added_by_action"] for line in lines(no)] == [1, 2, 2, 2]
    action = criteria_records(no)[2]
    assert action["type"] == "action" and action["added"] == 3


def test_the_action_is_recorded_even_when_nothing_is_added(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    result = add_contacts(no, where("name=Nobody"), AddOptions())
    assert (result.action_no, result.added) == (1, 0)
    assert [r["type"] for r in criteria_records(no)] == ["action", "filter"]


# --- options --------------------------------------------------------------------------------------


def test_existing_contacts_are_skipped_unless_allowed(make_contact: ContactFactory) -> None:
    _classified(make_contact)
    no = new_segment()
    add_line(no, "P1")
    add_contacts(no, where("industry_group=MAN"), AddOptions())
    assert contacts_on(no) == ["P1", "C1", "P2"]
    add_contacts(no, where("industry_group=MAN"), AddOptions(allow_existing=True))
    assert contacts_on(no) == ["P1", "C1", "P2", "C1", "P1", "P2"]


def test_expand_companies_adds_the_company_and_all_its_people(make_contact: ContactFactory) -> None:
    assert _added(make_contact, "no=P1|P9", expand_companies=True) == ["P9", "C1", "P1", "P2"]


def test_expand_companies_from_a_company_adds_its_people(make_contact: ContactFactory) -> None:
    assert _added(make_contact, "no=C2", expand_companies=True) == ["C2", "P3"]


def test_allow_related_companies_adds_the_persons_companies(make_contact: ContactFactory) -> None:
    assert _added(make_contact, "no=P1|P3|P9", allow_related_companies=True) == [
        "P9", "C1", "P1", "C2", "P3",
    ]  # fmt: skip


def test_excluded_contacts_are_skipped_after_expansion(make_contact: ContactFactory) -> None:
    _classified(make_contact)
    update_contact("P2", {"exclude_from_segment": True})
    no = new_segment()
    add_contacts(no, where("no=C1"), AddOptions(expand_companies=True))
    assert contacts_on(no) == ["C1", "P1"]
    add_contacts(no, where("no=P2"), AddOptions(ignore_exclusion=True))
    assert contacts_on(no) == ["C1", "P1", "P2"]


# --- preview writes nothing -----------------------------------------------------------------------


def test_preview_counts_without_writing(make_contact: ContactFactory) -> None:
    _classified(make_contact)
    update_contact("P2", {"exclude_from_segment": True})
    no = new_segment()
    add_line(no, "C1")
    before = row_counts()
    preview = preview_add(no, where("industry_group=MAN"), AddOptions())
    assert preview == AddPreview(matched=3, would_add=1, already_present=1, excluded=1)
    allowed = preview_add(no, where("industry_group=MAN"), AddOptions(allow_existing=True))
    assert allowed.would_add == 2
    ignoring = preview_add(no, where("industry_group=MAN"), AddOptions(ignore_exclusion=True))
    assert (ignoring.would_add, ignoring.excluded) == (2, 0)
    assert row_counts() == before
    assert add_contacts(no, where("industry_group=MAN"), AddOptions()).added == preview.would_add


# --- filter errors --------------------------------------------------------------------------------


def test_a_filter_parse_error_names_the_field_the_position_and_what_was_expected(
    cronus: object,
) -> None:
    with pytest.raises(UserError) as refused:
        where("mailing_group=CHRISTMAS&")
    message = str(refused.value)
    assert "mailing_group" in message
    assert "position 10" in message
    assert "expected a value" in message
    assert refused.value.field == "mailing_group"


def test_an_unknown_field_is_refused_naming_it(cronus: object) -> None:
    with pytest.raises(UserError, match="unknown field 'shoe_size'"):
        where("shoe_size=42")
