"""Save Criteria, Reuse Criteria and Reuse (logged) Segment.

Pins docs/business-central.md, "Criteria engine": Save Criteria (Save: TestField No. of
Criteria Actions, the code must be new and not blank, all criteria lines copied 1:1, User
ID), Reuse Criteria (replays each saved action as its own, individually undoable action; the
confirmation "Segment <No> already contains <n> No. of Criteria Actions.\\Are you sure you
want to reuse a …?" with default No) and Reuse Segment (one "Add Contacts" action with Allow
Existing and an Interaction Log Entry filter on the logged segment, one line per entry,
canceled entries included, the entry's campaign on the line). Deliberate differences (that
page's last section): a reused Refine keeps its Entire Companies (BC loses it), and Reuse
Segment skips contacts now marked Exclude from Segment unless told not to (ALAppExtensions
#29934).
"""

from __future__ import annotations

from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import SavedSegmentCriteriaLine, SegmentCriteriaLine
from segment_tui.questions import Answers, ConfirmationRequired
from segment_tui.services.contacts.records import update_contact
from segment_tui.services.criteria.actions import (
    AddOptions,
    action_count,
    add_contacts,
    remove_contacts,
)
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.criteria.saved import (
    REUSE_OVER_CRITERIA,
    reuse_criteria,
    reuse_logged_segment,
    save_criteria,
)
from segment_tui.services.criteria.view import criteria_records
from segment_tui.services.interactions.entries import toggle_canceled
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import current_user
from segment_tui.services.segments.lines import add_line, remove_line
from tests.engine.support import (
    ContactFactory,
    adatum_and_trey,
    contacts_on,
    lines,
    new_segment,
    row_counts,
    where,
)

_COMPARED = (
    "line_no", "type", "action", "section", "table_view", "allow_existing_contacts",
    "expand_contact", "allow_company_with_persons", "ignore_exclusion", "entire_companies",
    "no_of_filters",
)  # fmt: skip


def _built(make_contact: ContactFactory) -> str:
    """1: add everyone in London (expanding companies); 2: refine to Adatum, entire companies."""
    adatum_and_trey(make_contact)
    no = new_segment("Original")
    add_contacts(no, where("city=London"), AddOptions(expand_companies=True))
    remove_contacts(no, where("no=P2"), "refine", entire_companies=True)
    assert contacts_on(no) == ["C1", "P1", "P2"]
    return no


# --- Save Criteria --------------------------------------------------------------------------------


def test_save_criteria_copies_every_criteria_line(make_contact: ContactFactory) -> None:
    no = _built(make_contact)
    record = save_criteria(no, "london", "London customers")
    assert (record["code"], record["description"]) == ("LONDON", "London customers")
    assert (record["no_of_actions"], record["user_id"]) == (2, current_user())
    original = SegmentCriteriaLine.select().where(SegmentCriteriaLine.segment_no == no)
    saved = SavedSegmentCriteriaLine.select().where(
        SavedSegmentCriteriaLine.segment_criteria_code == "LONDON"
    )

    def rows(query: Any) -> list[tuple[Any, ...]]:
        return sorted(tuple(getattr(line, f) for f in _COMPARED) for line in query)

    assert rows(saved) == rows(original)
    assert len(rows(saved)) == 4


def test_save_criteria_needs_criteria_actions(make_contact: ContactFactory) -> None:
    no = new_segment()
    before = row_counts()
    with pytest.raises(UserError) as refused:
        save_criteria(no, "EMPTY")
    assert str(refused.value) == (
        f"No. of Criteria Actions must have a value in Segment Header: No.={no}. "
        "It cannot be zero or empty."
    )
    assert row_counts() == before


def test_save_criteria_refuses_a_blank_or_existing_code(make_contact: ContactFactory) -> None:
    no = _built(make_contact)
    save_criteria(no, "LONDON")
    before = row_counts()
    with pytest.raises(UserError, match="^Code must have a value in Saved Segment Criteria"):
        save_criteria(no, "  ")
    with pytest.raises(UserError, match="already exists.*Code='LONDON'"):
        save_criteria(no, "london")
    assert row_counts() == before


# --- Reuse Criteria -------------------------------------------------------------------------------


def test_reuse_criteria_replays_each_action_as_its_own(make_contact: ContactFactory) -> None:
    save_criteria(_built(make_contact), "LONDON")
    target = new_segment("Copy")
    results = reuse_criteria(target, "LONDON")
    assert [(r.action_no, r.added, r.removed) for r in results] == [(1, 4, 0), (2, 0, 1)]
    assert contacts_on(target) == ["C1", "P1", "P2"]
    assert [(r["action"], r["expand_contact"]) for r in criteria_records(target)
            if r["type"] == "action"] == [("add", True), ("refine", False)]  # fmt: skip
    go_back(target)  # each replayed action is undone on its own
    assert contacts_on(target) == ["C1", "P1", "P2", "P9"]  # Dana back at the end
    assert action_count(target) == 1


def test_reused_refine_keeps_entire_companies(make_contact: ContactFactory) -> None:
    # BC passes Entire Companies to the Reduce report object and so loses it for a Refine;
    # the clone does the intended thing (docs/business-central.md, "Where
    # segment-tui differs from BC, on purpose").
    save_criteria(_built(make_contact), "LONDON")
    target = new_segment("Copy")
    reuse_criteria(target, "LONDON")
    assert contacts_on(target) == ["C1", "P1", "P2"]  # without Entire Companies: only Bob
    refine = [r for r in criteria_records(target) if r["action"] == "refine"][0]
    assert refine["entire_companies"] is True


def test_reused_manual_edits_are_replayed(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    add_line(no, "P3")
    remove_line(no, 10000)
    save_criteria(no, "TYPED")
    target = new_segment("Copy")
    reuse_criteria(target, "TYPED")
    assert contacts_on(target) == ["P3"]
    assert action_count(target) == 3


def test_reuse_criteria_asks_with_default_no_when_the_segment_has_actions(
    make_contact: ContactFactory,
) -> None:
    save_criteria(_built(make_contact), "LONDON")
    target = new_segment("Copy")
    add_line(target, "P3")
    before = (row_counts(), lines(target))
    with pytest.raises(ConfirmationRequired) as asked:
        reuse_criteria(target, "LONDON")
    assert asked.value.text == (
        f"Segment {target} already contains 1 No. of Criteria Actions.\n"
        "Are you sure you want to reuse a Saved Segment Criteria?"
    )
    assert (asked.value.default, asked.value.question) == (False, REUSE_OVER_CRITERIA)
    assert (row_counts(), lines(target)) == before
    reuse_criteria(target, "LONDON", answers=Answers({REUSE_OVER_CRITERIA: True}))
    assert action_count(target) == 3


# --- Reuse Segment --------------------------------------------------------------------------------


def _logged(make_contact: ContactFactory) -> int:
    """Logged segment of Ann, Bob and Carl (OUTCALL, campaign CP1001)."""
    adatum_and_trey(make_contact)
    no = new_segment("Calls", template="OUTCALL", salesperson="BC", campaign="CP1001")
    add_contacts(no, where("no=P3|P1|P2"), AddOptions())
    return log_segment(no).logged_segment_entry_no


def test_reuse_logged_segment_adds_its_contacts_as_one_action(make_contact: ContactFactory) -> None:
    entry = _logged(make_contact)
    target = new_segment("Again")
    result = reuse_logged_segment(target, entry)
    assert (result.action_no, result.added) == (1, 3)
    assert contacts_on(target) == ["P1", "P2", "P3"]  # in entry order
    assert {line["campaign_no"] for line in lines(target)} == {"CP1001"}  # from the entries
    action, flt = criteria_records(target)
    assert (action["action"], action["allow_existing_contacts"]) == ("add", True)
    assert (flt["section"], flt["filter_text"]) == ("ile", f"Logged Segment Entry No.: {entry}")
    go_back(target)
    assert lines(target) == []


def test_reuse_logged_segment_allows_existing_contacts_and_canceled_entries(
    make_contact: ContactFactory,
) -> None:
    entry = _logged(make_contact)
    toggle_canceled([1])  # Ann's entry
    target = new_segment("Again")
    add_line(target, "P1")
    reuse_logged_segment(target, entry, answers=Answers({REUSE_OVER_CRITERIA: True}))
    assert contacts_on(target) == ["P1", "P1", "P2", "P3"]


def test_reuse_logged_segment_skips_excluded_contacts_unless_asked(
    make_contact: ContactFactory,
) -> None:
    entry = _logged(make_contact)
    update_contact("P2", {"exclude_from_segment": True})
    target = new_segment("Again")
    assert reuse_logged_segment(target, entry).added == 2
    assert contacts_on(target) == ["P1", "P3"]
    everyone = new_segment("Everyone")
    reuse_logged_segment(everyone, entry, include_excluded=True)
    assert contacts_on(everyone) == ["P1", "P2", "P3"]


def test_reuse_logged_segment_asks_with_default_no(make_contact: ContactFactory) -> None:
    entry = _logged(make_contact)
    target = new_segment("Again")
    add_line(target, "P9")
    before = row_counts()
    with pytest.raises(ConfirmationRequired) as asked:
        reuse_logged_segment(target, entry)
    assert asked.value.text == (
        f"Segment {target} already contains 1 No. of Criteria Actions.\n"
        "Are you sure you want to reuse a Logged Segment?"
    )
    assert asked.value.default is False
    assert row_counts() == before
