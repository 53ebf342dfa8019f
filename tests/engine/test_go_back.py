"""Go Back: undo the last criteria action, as many times as there are actions.

Pins BC's Go Back (docs/segment-page.md): lines the action inserted go (every line of those
contacts), contacts it deleted come back on new lines at the end (last + 10000), initialised
afresh from the header; the action's history and criteria lines (back to and including its
Action row) go; with no action left it does nothing. Deleting the last line after more than
one criteria action asks "Your Segment is now empty.\\Do you want to reset number of criteria
actions?" (default Yes; Yes deletes all criteria and history). Beyond BC: +added / −removed
per action, and each line knows which action added it, also after Go Back restored it.
"""

from __future__ import annotations

import pytest

from segment_tui.questions import Answers, ConfirmationRequired
from segment_tui.services.criteria.actions import (
    RESET_EMPTY_SEGMENT,
    AddOptions,
    action_count,
    add_contacts,
    remove_contacts,
)
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.criteria.view import criteria_records
from segment_tui.services.segments.header_rules import LINE_QUESTIONS
from segment_tui.services.segments.headers import set_header_fields
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


def _three_actions(make_contact: ContactFactory) -> str:
    """1: add Ann and Bob; 2: add Trey and Carl; 3: reduce Ann."""
    adatum_and_trey(make_contact)
    no = new_segment()
    add_contacts(no, where("no=P1|P2"), AddOptions())
    add_contacts(no, where("no=C2|P3"), AddOptions())
    remove_contacts(no, where("no=P1"), "reduce")
    assert contacts_on(no) == ["P2", "C2", "P3"]
    return no


def _actions(no: str) -> list[tuple[int, str, int, int]]:
    return [
        (r["action_no"], r["action"], r["added"], r["removed"])
        for r in criteria_records(no)
        if r["type"] == "action"
    ]


def test_criteria_records_show_added_and_removed_per_action(make_contact: ContactFactory) -> None:
    no = _three_actions(make_contact)
    assert _actions(no) == [(1, "add", 2, 0), (2, "add", 2, 0), (3, "reduce", 0, 1)]


def test_go_back_walks_back_one_action_at_a_time(make_contact: ContactFactory) -> None:
    no = _three_actions(make_contact)
    undone = go_back(no)
    assert (undone.action_no, undone.removed, undone.restored) == (3, 0, 1)
    assert contacts_on(no) == ["P2", "C2", "P3", "P1"]
    assert lines(no)[-1]["line_no"] == 50000  # a new line after the last one
    assert _actions(no) == [(1, "add", 2, 0), (2, "add", 2, 0)]
    assert [r["line_no"] for r in criteria_records(no)] == [1, 2, 3, 4]

    assert go_back(no).removed == 2
    assert contacts_on(no) == ["P2", "P1"]
    assert _actions(no) == [(1, "add", 2, 0)]

    assert go_back(no).removed == 2  # one action left: no empty-segment question
    assert (contacts_on(no), action_count(no), history(no), criteria_records(no)) == (
        [], 0, [], [],
    )  # fmt: skip
    assert go_back(no).nothing_to_undo  # BC: nothing to undo asks nothing, changes nothing


def test_restored_lines_remember_the_action_that_added_them(make_contact: ContactFactory) -> None:
    no = _three_actions(make_contact)
    go_back(no)
    added_by = {line["contact_no"]: line["added_by_action"] for line in lines(no)}
    assert added_by == {"P2": 1, "C2": 2, "P3": 2, "P1": 1}


def test_restored_lines_are_initialised_from_the_current_header(
    make_contact: ContactFactory,
) -> None:
    no = _three_actions(make_contact)
    set_header_fields(no, {"description": "Renamed", "salesperson_code": "RB"},
                      Answers.each(LINE_QUESTIONS, False))  # fmt: skip
    go_back(no)
    ann = lines(no)[-1]
    assert (ann["contact_no"], ann["description"], ann["salesperson_code"]) == (
        "P1", "Renamed", "RB",
    )  # fmt: skip
    assert lines(no)[0]["description"] == "Spring mailing"  # the others were not touched


def test_go_back_restores_deleted_contacts_at_the_end_in_their_old_order(
    make_contact: ContactFactory,
) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    # Lines in an order that is neither contact-number order nor its reverse, so the
    # restored order can only come from the old line numbers.
    for contact_no in ("P2", "P3", "C2", "C1", "P9", "P1"):
        add_line(no, contact_no)
    remove_contacts(no, where("no=C1|P1|P3"), "reduce")  # lines 20000, 40000, 60000
    assert contacts_on(no) == ["P2", "C2", "P9"]
    go_back(no)
    # BC's SegHistoryManagement.GoBack reads the history from the last row backwards, so
    # it re-adds the contacts in reverse (P1, C1, P3) - an artefact of its loop, not a
    # rule. The clone deliberately restores them in their old line order (P3, C1, P1; by
    # contact number it would be C1, P1, P3), after the others, on new lines, as BC does.
    assert contacts_on(no) == ["P2", "C2", "P9", "P3", "C1", "P1"]
    # New lines follow the last remaining line (P9, line 50000; P1's 60000 is gone).
    assert line_nos(no) == [10000, 30000, 50000, 60000, 70000, 80000]


def test_go_back_removes_every_line_of_an_inserted_contact(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_contacts(no, where("no=P1|P3"), AddOptions())
    add_contacts(no, where("no=P1"), AddOptions(allow_existing=True))
    assert contacts_on(no) == ["P1", "P3", "P1"]
    assert go_back(no).removed == 2  # BC deletes all lines of that contact
    assert contacts_on(no) == ["P3"]


# --- "Your Segment is now empty" ------------------------------------------------------------------


def _emptied_once(make_contact: ContactFactory) -> str:
    """1: add Ann; 2: reduce Ann (answer No: keep criteria); 3: add Carl."""
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    remove_contacts(no, where("no=P1"), "reduce", answers=Answers({RESET_EMPTY_SEGMENT: False}))
    add_line(no, "P3")
    return no


def test_go_back_that_empties_the_segment_asks_and_changes_nothing_unanswered(
    make_contact: ContactFactory,
) -> None:
    no = _emptied_once(make_contact)
    before = (row_counts(), criteria_records(no), lines(no))
    with pytest.raises(ConfirmationRequired) as asked:
        go_back(no)
    assert asked.value.question is RESET_EMPTY_SEGMENT
    assert asked.value.text == (
        "Your Segment is now empty.\nDo you want to reset number of criteria actions?"
    )
    assert asked.value.default is True
    assert (row_counts(), criteria_records(no), lines(no)) == before


def test_answer_yes_resets_the_criteria_actions(make_contact: ContactFactory) -> None:
    no = _emptied_once(make_contact)
    result = go_back(no, answers=Answers({RESET_EMPTY_SEGMENT: True}))
    assert result.criteria_reset is True
    assert (lines(no), action_count(no), criteria_records(no), history(no)) == ([], 0, [], [])


def test_answer_no_keeps_the_earlier_actions(make_contact: ContactFactory) -> None:
    no = _emptied_once(make_contact)
    result = go_back(no, answers=Answers({RESET_EMPTY_SEGMENT: False}))
    assert result.criteria_reset is False
    assert lines(no) == []
    assert _actions(no) == [(1, "add", 1, 0), (2, "reduce", 0, 1)]
    go_back(no)  # now Go Back can re-add Ann
    assert contacts_on(no) == ["P1"]


def test_no_question_when_go_back_deletes_nothing(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    remove_contacts(no, where("no=P1"), "reduce", answers=Answers({RESET_EMPTY_SEGMENT: False}))
    add_contacts(no, where("name=Nobody"), AddOptions())  # action 3 adds nothing
    go_back(no)  # the segment is empty but this Go Back deleted no line
    assert action_count(no) == 2
    go_back(no)  # undoing the Reduce restores Ann
    assert contacts_on(no) == ["P1"]


def test_no_question_with_a_single_action(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_line(no, "P1")
    assert go_back(no).criteria_reset is False
    assert (lines(no), action_count(no)) == ([], 0)
