"""The Segment page actions in the TUI (Pilot, 80×24, a file database): each key opens
its request page, ctrl+s runs the service in a worker, the result is a notification and
a file or rows in the database; the work date is set on the Segments list and shown in
every header."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.widgets import DataTable, Input, Static, TextArea

from segment_tui.models import ContactMailingGroup
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import EditValueDialog, LookupDialog
from segment_tui.ui.screens.help import HelpScreen
from segment_tui.ui.screens.segment_page_dialogs import (
    ContactsReportDialog,
    CoverSheetsDialog,
    ExportContactsDialog,
    LabelsDialog,
    MailingGroupDialog,
)
from segment_tui.ui.screens.worksheet import WorksheetScreen
from segment_tui.ui.widgets.option_box import OptionBox
from tests.segment_page.conftest import pdf_pages, pdf_text
from tests.ui.support import SIZE, notifications, press, settle, type_text


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dialogs' default file names are relative: run where the test may write."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_apply_mailing_group_from_the_worksheet(addresses: str, db_path: Path) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "m")
        assert isinstance(app.screen, MailingGroupDialog)
        await type_text(pilot, "XMAS")
        await press(pilot, "ctrl+s")
        # Refused with BC's message under the field; the dialog stays open.
        assert isinstance(app.screen, MailingGroupDialog)
        error = app.screen.query_one("#error", Static)
        assert "Specify a Mailing Group Code." in str(error.render())
        await press(pilot, "f4")
        assert isinstance(app.screen, LookupDialog)
        await type_text(pilot, "christ")
        await press(pilot, "enter")
        assert app.screen.query_one("#code", Input).value == "CHRISTMAS"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, WorksheetScreen)
        expected = f"Mailing Group CHRISTMAS is now applied to Segment {addresses}."
        assert any(expected in text for text in notifications(pilot))
    assert (
        ContactMailingGroup.select()
        .where(ContactMailingGroup.mailing_group_code == "CHRISTMAS")
        .count()
        == 7
    )


async def test_print_labels_asks_before_replacing_a_file(
    addresses: str, db_path: Path, in_tmp: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "P")
        dialog = app.screen
        assert isinstance(dialog, LabelsDialog)
        layout = dialog.query_one("#layout", Input)
        layout.value = "a4-2x7"
        await settle(pilot)
        description = dialog.query_one("#layout-description", Static)
        assert "Avery L7163" in str(description.render())
        dialog.query_one("#merge", OptionBox).value = True
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, WorksheetScreen)
        out = in_tmp / f"{addresses}-labels.pdf"
        assert pdf_pages(out) == 1
        assert f"Printed 5 labels (1 page, a4-2x7) to {out}" in notifications(pilot)[-1]
        assert "2 contacts share a label with another" in notifications(pilot)[-1]
        # Again: the file exists, so BC-style question first (default No).
        await press(pilot, "P", "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")  # Esc cancels: nothing written
        assert isinstance(app.screen, LabelsDialog)
        await press(pilot, "ctrl+s", "y")
        assert isinstance(app.screen, WorksheetScreen)
        assert "Printed 7 labels (1 page, a4-3x8)" in notifications(pilot)[-1]


async def test_cover_sheets_report_and_export_from_the_worksheet(
    addresses: str, db_path: Path, in_tmp: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "C")
        dialog = app.screen
        assert isinstance(dialog, CoverSheetsDialog)
        dialog.query_one("#text", TextArea).focus()
        await type_text(pilot, "See you at the fair")
        dialog.query_one("#remark-call", OptionBox).focus()
        await press(pilot, "space", "ctrl+s")
        assert isinstance(app.screen, WorksheetScreen)
        cover = in_tmp / f"{addresses}-cover-sheets.pdf"
        assert pdf_pages(cover) == 7
        assert pdf_text(cover).count("See you at the fair") == 7
        assert "x Please call" in pdf_text(cover, layout=True)

        await press(pilot, "R")
        assert isinstance(app.screen, ContactsReportDialog)
        await press(pilot, "ctrl+s")
        report = in_tmp / f"{addresses}-contacts-report.pdf"
        assert "Segment - Contacts" in pdf_text(report)
        assert f"Segment - Contacts: 7 contacts to {report}." in notifications(pilot)[-1]

        await press(pilot, "x")
        assert isinstance(app.screen, ExportContactsDialog)
        await press(pilot, "enter")  # Enter in the (only) field runs it
        export = in_tmp / f"{addresses}-contacts.csv"
        assert len(export.read_text(encoding="utf-8").splitlines()) == 8
        assert f"Exported 7 contacts to {export}." in notifications(pilot)


async def test_f1_and_the_palette_offer_the_segment_page_actions(
    addresses: str, db_path: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)}
        assert ("Shift+P", "Print Labels (PDF)") in rows
        assert ("Shift+C", "Print Cover Sheets (PDF)") in rows
        assert ("Shift+R", "Segment - Contacts report (PDF or CSV)") in rows
        assert ("x", "Export Contacts (CSV)") in rows
        assert ("m", "Apply Mailing Group: give every contact a mailing group") in rows
        await press(pilot, "escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "labels")
        hits = app.screen.query_one(CommandList)
        for _ in range(100):
            if hits.option_count:
                break
            await pilot.pause()
        assert "Print Labels" in str(hits.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        assert isinstance(app.screen, LabelsDialog)


def header_text(app: SegmentApp) -> str:
    title = app.screen.query_one("HeaderTitle", Static)
    visual = title.visual
    return visual.plain if isinstance(visual, Content) else str(title.render())


async def test_the_work_date_is_set_on_the_segments_list_and_shown_in_every_header(
    addresses: str, db_path: Path
) -> None:
    from segment_tui.models import SegmentHeader

    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        import datetime as dt

        today = dt.date.today().isoformat()
        assert f"work date {today}" in header_text(app)
        await press(pilot, "w")
        assert isinstance(app.screen, EditValueDialog)
        field = app.screen.query_one(Input)
        field.value = ""
        await type_text(pilot, "2026-02-30")
        await press(pilot, "enter")
        assert isinstance(app.screen, EditValueDialog)  # refused, explained under the field
        assert "is not a date" in str(app.screen.query_one("#error", Static).render())
        field.value = ""
        await type_text(pilot, "2026-03-02")
        await press(pilot, "enter")
        assert "Work date 2026-03-02." in notifications(pilot)
        assert "work date 2026-03-02" in header_text(app)
        await press(pilot, "n")  # a new segment is dated on the work date
        await type_text(pilot, "Dated")
        await press(pilot, "enter")
        assert isinstance(app.screen, WorksheetScreen)
        assert "work date 2026-03-02" in header_text(app)
    newest = SegmentHeader.select().order_by(SegmentHeader.no.desc()).get()
    assert newest.date == dt.date(2026, 3, 2)
