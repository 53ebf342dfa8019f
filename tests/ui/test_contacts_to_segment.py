"""Contacts `a` and `n` (issue 12, point 6): marked contacts go into a segment with Add
Contacts' rules, options and preview — no duplicate lines, excluded contacts left out
— as one criteria action that Go Back undoes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static

from segment_tui.models import SegmentLine
from segment_tui.services.criteria.actions import AddOptions
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.segments.from_contacts import (
    MAX_CONTACTS,
    add_chosen,
    contacts_filter_text,
    new_segment_of,
)
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.segments.lines import add_line
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.contacts import ContactsScreen
from segment_tui.ui.screens.criteria_dialog import CriteriaDialog
from tests.conftest import ContactFactory
from tests.ui.support import SIZE, assert_showing, notifications, press, settle


def line_contacts(segment_no: str) -> list[str]:
    """The contact of every line, in line order."""
    lines = SegmentLine.select().where(SegmentLine.segment_no == segment_no)
    return [line.contact_no for line in lines.order_by(SegmentLine.line_no)]


@pytest.fixture
def people(make_contact: ContactFactory) -> None:
    """Three persons; P3 is marked Exclude from Segment."""
    make_contact(no="P1", type="person", name="Ann Lee")
    make_contact(no="P2", type="person", name="Bob Ray")
    make_contact(no="P3", type="person", name="Cy Excluded", exclude_from_segment=True)


async def test_a_adds_marked_contacts_as_add_contacts_does_without_duplicates(
    people: None, db_path: Path
) -> None:
    segment = create_segment("Existing")["no"]
    add_line(segment, "P1")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "k")
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await press(pilot, "space", "down", "space", "down", "space")  # P1, P2, P3
        await press(pilot, "a", *segment.lower(), "enter")
        dialog = app.screen
        assert isinstance(dialog, CriteriaDialog)
        assert dialog.query_one("#field-0", Input).value == "no"
        assert dialog.query_one("#filter-0", Input).value == "P1|P2|P3"
        dialog.run_preview()
        await settle(pilot)
        preview = str(dialog.query_one("#preview", Static).render())
        assert preview == "would add 1 (1 excluded, 1 already present)"

        await press(pilot, "ctrl+s")
        assert_showing(app, screen)
        assert line_contacts(segment) == ["P1", "P2"]  # P1 once, P3 left out
        assert "Criteria action 2: added 1 contact." in notifications(pilot)
        assert screen.table.marked == set()

        # The same options as the worksheet's: Allow Existing Contacts adds P1 again.
        await press(pilot, "home", "space", "a", *segment.lower(), "enter")  # P1 again
        dialog = app.screen
        assert isinstance(dialog, CriteriaDialog)
        dialog.query_one("#allow_existing", Checkbox).value = True
        dialog.run_preview()
        await settle(pilot)
        assert str(dialog.query_one("#preview", Static).render()).startswith("would add 1 ")
        await press(pilot, "escape")
    assert line_contacts(segment) == ["P1", "P2"]
    go_back(segment)  # one criteria action: Go Back undoes it
    assert line_contacts(segment) == ["P1"]


async def test_n_makes_a_new_segment_of_the_marked_contacts_leaving_out_excluded(
    people: None, db_path: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "k", "space", "down", "down", "space", "n", *"Mix", "enter")
        new = getattr(app.screen, "segment_no", "")
        assert new and line_contacts(new) == ["P1"]
        assert (
            f"Added 1 contact to segment {new}. 1 contact marked Exclude from Segment left out."
            in notifications(pilot)
        )


def test_the_chosen_contacts_service_follows_add_contacts_rules(people: None) -> None:
    segment = create_segment("Direct")["no"]
    assert contacts_filter_text(["p2", "P1", "P1", "A|B"]) == "P2|P1|'A|B'"
    assert add_chosen(segment, ["P1", "P2"]).added == 2
    assert add_chosen(segment, ["P1", "P2"]).added == 0  # already present
    assert add_chosen(segment, ["P1"], AddOptions(allow_existing=True)).added == 1
    assert add_chosen(segment, ["P3"], AddOptions(ignore_exclusion=True)).added == 1
    assert line_contacts(segment) == ["P1", "P2", "P1", "P3"]
    made = new_segment_of("Pair", ["P2", "P3"])
    assert (made.added, made.skipped_excluded) == (1, 1)
    with pytest.raises(Exception, match="at most 10,000"):
        contacts_filter_text([f"K{n}" for n in range(MAX_CONTACTS + 1)])
