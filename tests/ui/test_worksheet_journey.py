"""The main journey, keyboard only, on a file database: create a segment, set its
template, add contacts by a filter, reduce, go back, change a line, log with follow-up,
find the logged segment and cancel it — checking the screen and the database after each
step."""

from __future__ import annotations

from pathlib import Path

from segment_tui.models import InteractionLogEntry, LoggedSegment, SegmentHeader, SegmentLine
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.screens.logged_segments import LoggedSegmentsScreen
from segment_tui.ui.screens.segments import SegmentsScreen
from segment_tui.ui.screens.worksheet import WorksheetScreen
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.widgets.header_panel import HeaderPanel
from tests.conftest import ContactFactory
from tests.ui.support import SIZE, notifications, press, settle, type_text


def small_world(make_contact: ContactFactory) -> None:
    """Two companies in London and Berlin with two persons each, one excluded."""
    make_contact(
        no="C1",
        type="company",
        name="Adatum",
        city="London",
        salesperson_code="JO",
        email="info@adatum.example",
        correspondence_type="email",
    )
    make_contact(
        no="P1",
        type="person",
        name="Ann Smith",
        company_no="C1",
        email="ann@adatum.example",
        correspondence_type="email",
    )
    make_contact(
        no="P2",
        type="person",
        name="Bob Jones",
        company_no="C1",
        email="bob@adatum.example",
        correspondence_type="hard_copy",
    )
    make_contact(
        no="C2",
        type="company",
        name="Bürohaus Köln",
        city="Berlin",
        salesperson_code="PS",
        email="info@buero.example",
    )
    make_contact(
        no="P3",
        type="person",
        name="Jürgen Weiß",
        company_no="C2",
        email="jw@buero.example",
        correspondence_type="email",
    )
    make_contact(no="P4", type="person", name="Eva Klein", company_no="C2",
                 exclude_from_segment=True)  # fmt: skip


def line_contacts(segment_no: str) -> list[str]:
    return [
        line.contact_no
        for line in SegmentLine.select()
        .where(SegmentLine.segment_no == segment_no)
        .order_by(SegmentLine.line_no)
    ]


async def test_create_template_add_reduce_go_back_edit_log(
    make_contact: ContactFactory, db_path: Path
) -> None:
    small_world(make_contact)
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SegmentsScreen)

        # New segment: n, a description, Enter -> the worksheet of SEG00001.
        await press(pilot, "n")
        await type_text(pilot, "Spring letters")
        await press(pilot, "enter")
        assert isinstance(app.screen, WorksheetScreen)
        worksheet = app.screen
        assert SegmentHeader.get().description == "Spring letters"
        assert worksheet.segment_no == "SEG00001"

        # Header: tab to the panel, up/right to Template, Enter, type LETTER.
        await press(pilot, "tab", "right", "up")
        panel = worksheet.query_one(HeaderPanel)
        assert panel.current.key == "interaction_template_code"
        await press(pilot, "enter")
        await type_text(pilot, "LETTER")
        await press(pilot, "enter")
        header = SegmentHeader.get()
        assert (header.interaction_template_code, header.unit_cost_lcy) == ("LETTER", 2.5)
        assert panel.record["interaction_template_code"] == "LETTER"

        # Add Contacts: city=London|Berlin; the excluded person is skipped.
        await press(pilot, "tab", "a")
        await type_text(pilot, "city")
        await press(pilot, "tab")
        await type_text(pilot, "London|Berlin")
        await press(pilot, "enter")
        assert line_contacts("SEG00001") == ["C1", "P1", "P2", "C2", "P3"]
        assert worksheet.lines.row_count == 5
        assert "added 5 contacts" in notifications(pilot)[-1]

        # Reduce Adatum, Bob and Trey (lines 10000, 30000, 40000: by number C1, C2, P2).
        await press(pilot, "r")
        await type_text(pilot, "no")
        await press(pilot, "tab")
        await type_text(pilot, "C1|P2|C2")
        await press(pilot, "enter")
        assert line_contacts("SEG00001") == ["P1", "P3"]
        assert worksheet.lines.row_count == 2

        # Go Back asks first (default No); y confirms; the three come back at the end, in
        # their old line order.
        await press(pilot, "b")
        await press(pilot, "y")
        assert line_contacts("SEG00001") == ["P1", "P3", "C1", "P2", "C2"]
        assert worksheet.lines.row_count == 5

        # Change the first line's correspondence type with the option lookup (the cursor
        # stayed on Ann's line 20000 while the lines around it came and went).
        assert (worksheet.lines.cursor_row, worksheet.lines.cursor_key) == (0, 20000)
        await press(pilot, "right", "enter")
        await type_text(pilot, "hard")
        await press(pilot, "enter")
        first = SegmentLine.get(SegmentLine.line_no == 20000)
        assert (first.contact_no, first.correspondence_type) == ("P1", "hard_copy")
        assert worksheet.lines.cursor_cells is not None
        assert worksheet.lines.cursor_cells[1] == "Hard Copy"

        # Log with a follow-up segment: L shows the totals with the first option focused
        # (Send, on: lines have a correspondence type); tab goes to Follow-up. The outcome
        # stays in the dialog until Enter closes it.
        await press(pilot, "L")
        dialog = app.screen
        assert "5 interactions will be logged" in str(dialog.query_one("#summary").render())
        assert dialog.focused is dialog.query_one("#send")
        await press(pilot, "tab", "space")
        await press(pilot, "ctrl+s")
        assert "has been logged" in str(dialog.query_one("#headline").render())
        await press(pilot, "enter")
        assert isinstance(app.screen, SegmentsScreen)
        logged = LoggedSegment.get()
        assert logged.segment_no == "SEG00001"
        assert InteractionLogEntry.select().count() == 5
        follow_up = SegmentHeader.get()
        assert follow_up.description == "Follow-up on segment SEG00001"
        assert sorted(line_contacts(follow_up.no)) == ["C1", "C2", "P1", "P2", "P3"]
        assert any("has been logged" in shown.text for shown in app.message_history)

        # Find the logged segment (l) and cancel it (c; BC asks, default Yes).
        await press(pilot, "l")
        assert isinstance(app.screen, LoggedSegmentsScreen)
        assert app.screen.query_one(VirtualTable).row_count == 1
        await press(pilot, "c")
        await press(pilot, "enter")
        logged = LoggedSegment.get()
        assert logged.canceled
        assert all(entry.canceled for entry in InteractionLogEntry.select())
        cells = app.screen.query_one(VirtualTable).cursor_cells
        assert cells is not None and "Yes" in cells


async def test_f4_on_a_header_field_picks_from_the_lookup_and_esc_leaves_nothing_open(
    make_contact: ContactFactory, db_path: Path
) -> None:
    small_world(make_contact)
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await type_text(pilot, "Lookups")
        await press(pilot, "enter")
        worksheet = app.screen
        assert isinstance(worksheet, WorksheetScreen)
        await press(pilot, "tab", "right", "up")
        assert worksheet.query_one(HeaderPanel).current.key == "interaction_template_code"

        # F4 then Esc: back on the worksheet with the header focused, nothing changed.
        await press(pilot, "f4")
        assert isinstance(app.screen, LookupDialog)
        await press(pilot, "escape")
        assert app.screen is worksheet
        assert worksheet.query_one(HeaderPanel).has_focus
        assert not SegmentHeader.get().interaction_template_code

        # F4, type to narrow the list, Enter picks and saves with the template's defaults.
        await press(pilot, "f4")
        await type_text(pilot, "lett")
        await press(pilot, "enter")
        assert app.screen is worksheet
        header = SegmentHeader.get()
        assert (header.interaction_template_code, header.unit_cost_lcy) == ("LETTER", 2.5)
