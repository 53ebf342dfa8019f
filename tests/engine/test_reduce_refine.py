"""Reduce Contacts (report 5197) and Refine Contacts (report 5196).

Pins docs/business-central.md, "Criteria engine": Reduce deletes the lines whose contact
matches, Refine deletes the lines whose contact does not; Entire Companies evaluates every
contact of a line's company and takes the whole company; each run is one criteria action
(with its filter lines and a history Deletion per deleted line); with no filters Reduce
empties and Refine keeps everything. Matching is by contact no. only — BCApps PR #10185: a
line whose stored Contact Company No. differs from the contact's company must not be
skipped. Preview (that page's "Where segment-tui differs from BC, on purpose") writes
nothing.
"""

from __future__ import annotations

import pytest

from segment_tui.models import ContactBusinessRelation, ContactIndustryGroup, SegmentLine
from segment_tui.questions import Answers, ConfirmationRequired
from segment_tui.services.criteria.actions import (
    RESET_EMPTY_SEGMENT,
    AddOptions,
    RemovePreview,
    action_count,
    add_contacts,
    preview_remove,
    remove_contacts,
)
from segment_tui.services.criteria.view import criteria_records
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


def _everyone(make_contact: ContactFactory) -> str:
    """A segment with P9, C1, P1, P2, C2, P3 (action 1)."""
    adatum_and_trey(make_contact)
    ContactIndustryGroup.insert(contact_no="C1", industry_group_code="MAN").execute()
    ContactBusinessRelation.insert(contact_no="C2", business_relation_code="CUST").execute()
    no = new_segment()
    add_contacts(no, [], AddOptions())
    assert contacts_on(no) == ["P9", "C1", "P1", "P2", "C2", "P3"]
    return no


def test_reduce_removes_the_matching_contacts(make_contact: ContactFactory) -> None:
    no = _everyone(make_contact)
    result = remove_contacts(no, where("city=Paris"), "reduce")
    assert contacts_on(no) == ["P9", "C1", "P1", "P2"]
    assert (result.action_no, result.removed) == (2, 2)
    assert history(no)[-2:] == [(2, "C2", "deletion"), (2, "P3", "deletion")]
    action, flt = criteria_records(no)[-2:]
    assert action["type"] == "action"
    assert (action["action"], action["removed"], action["no_of_filters"]) == ("reduce", 2, 1)
    assert (flt["type"], flt["section"], flt["filter_text"]) == ("filter", "contact", "City: Paris")


def test_refine_keeps_only_the_matching_contacts(make_contact: ContactFactory) -> None:
    no = _everyone(make_contact)
    result = remove_contacts(no, where("type=Person"), "refine")
    assert contacts_on(no) == ["P9", "P1", "P2", "P3"]
    assert result.removed == 2
    assert criteria_records(no)[-2]["action"] == "refine"
    assert history(no)[-2:] == [(2, "C1", "deletion"), (2, "C2", "deletion")]


def test_reduce_and_refine_use_related_sections(make_contact: ContactFactory) -> None:
    no = _everyone(make_contact)
    remove_contacts(no, where("industry_group=MAN"), "reduce")  # Adatum's, people inherit it
    assert contacts_on(no) == ["P9", "C2", "P3"]
    remove_contacts(no, where("business_relation=CUST"), "refine")
    assert contacts_on(no) == ["C2", "P3"]


def test_reduce_entire_companies_removes_the_whole_company(make_contact: ContactFactory) -> None:
    no = _everyone(make_contact)
    remove_contacts(no, where("no=P1|P9"), "reduce", entire_companies=True)
    assert contacts_on(no) == ["C2", "P3"]  # Adatum with Bob, and Dana (no company)
    assert criteria_records(no)[-2]["entire_companies"] is True


def test_entire_companies_counts_colleagues_not_on_the_segment(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_contacts(no, where("no=C1|P2|P3"), AddOptions())
    # Ann (not on the segment) is the match; her company goes with Entire Companies.
    remove_contacts(no, where("name=Ann Smith"), "reduce", entire_companies=True)
    assert contacts_on(no) == ["P3"]


def test_refine_entire_companies_keeps_the_whole_company(make_contact: ContactFactory) -> None:
    no = _everyone(make_contact)
    remove_contacts(no, where("no=P3"), "refine", entire_companies=True)
    assert contacts_on(no) == ["C2", "P3"]
    remove_contacts(no, where("no=P3"), "refine")  # without: only Carl stays
    assert contacts_on(no) == ["P3"]


def test_reduce_without_filters_empties_and_refine_keeps_everything(
    make_contact: ContactFactory,
) -> None:
    no = _everyone(make_contact)
    assert remove_contacts(no, [], "refine").removed == 0
    assert len(lines(no)) == 6
    result = remove_contacts(no, [], "reduce", answers=Answers({RESET_EMPTY_SEGMENT: False}))
    assert (result.removed, lines(no)) == (6, [])
    assert action_count(no) == 3  # the answer No keeps the criteria actions


def test_reduce_emptying_the_segment_asks_before_anything_changes(
    make_contact: ContactFactory,
) -> None:
    no = _everyone(make_contact)
    before = row_counts()
    with pytest.raises(ConfirmationRequired) as asked:
        remove_contacts(no, [], "reduce")
    assert asked.value.text == (
        "Your Segment is now empty.\nDo you want to reset number of criteria actions?"
    )
    assert asked.value.default is True
    assert row_counts() == before
    assert len(lines(no)) == 6


# --- BCApps PR #10185: match by contact no. only --------------------------------------------------


def _stale_company_on_anns_line(no: str) -> None:
    SegmentLine.update(contact_company_no="C2").where(
        (SegmentLine.segment_no == no) & (SegmentLine.contact_no == "P1")
    ).execute()


def test_reduce_removes_a_contact_whose_line_has_a_stale_company_no(
    make_contact: ContactFactory,
) -> None:
    no = _everyone(make_contact)
    _stale_company_on_anns_line(no)
    result = remove_contacts(no, where("no=P1"), "reduce")
    assert result.removed == 1
    assert "P1" not in contacts_on(no)


def test_refine_keeps_a_contact_whose_line_has_a_stale_company_no(
    make_contact: ContactFactory,
) -> None:
    no = _everyone(make_contact)
    _stale_company_on_anns_line(no)
    remove_contacts(no, where("no=P1|P3"), "refine")
    assert contacts_on(no) == ["P1", "P3"]


# --- preview --------------------------------------------------------------------------------------


def test_preview_remove_counts_without_writing(make_contact: ContactFactory) -> None:
    no = _everyone(make_contact)
    before = row_counts()
    assert preview_remove(no, where("city=Paris"), "reduce") == RemovePreview(2, 4)
    assert preview_remove(no, where("city=Paris"), "refine") == RemovePreview(4, 2)
    assert preview_remove(no, where("no=P1"), "reduce", entire_companies=True) == RemovePreview(
        3, 3
    )
    assert preview_remove(no, [], "reduce") == RemovePreview(6, 0)
    assert row_counts() == before
    assert remove_contacts(no, where("city=Paris"), "reduce").removed == 2
