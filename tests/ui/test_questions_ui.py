"""BC's questions in the TUI (``run_with_questions``): the dialog shows the service's
question with BC's default button, the answer is passed back as typed Answers, No is
honoured, and Esc changes nothing."""

from __future__ import annotations

from pathlib import Path

from segment_tui.models import SegmentHeader, SegmentLine
from segment_tui.services.criteria.actions import AddOptions, action_count, add_contacts
from segment_tui.services.criteria.saved import save_criteria
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import EditValueDialog, LookupDialog
from segment_tui.ui.screens.worksheet import WorksheetScreen
from segment_tui.ui.widgets.header_panel import COLUMNS
from tests.conftest import ContactFactory
from tests.engine.support import adatum_and_trey, new_segment, where
from tests.ui.support import SIZE, assert_showing, notifications, press, settle, type_text

DESCRIPTION = next(f for _, fields in COLUMNS for f in fields if f.key == "description")


def _letter(make_contact: ContactFactory) -> str:
    """A LETTER segment "Spring letter" of Adatum's three contacts (one criteria action)."""
    adatum_and_trey(make_contact)
    no = new_segment("Spring letter", template="LETTER", salesperson="BC")
    add_contacts(no, where("company_no=C1"), AddOptions())
    return no


def _descriptions(no: str) -> set[str]:
    return {line.description for line in SegmentLine.select().where(SegmentLine.segment_no == no)}


async def test_header_change_asks_bcs_question_and_the_answer_goes_back_to_the_service(
    make_contact: ContactFactory, db_path: Path
) -> None:
    no = _letter(make_contact)
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        worksheet = app.screen
        assert isinstance(worksheet, WorksheetScreen)

        async def change_description(text: str) -> ConfirmDialog:
            worksheet.edit_header_field(DESCRIPTION)
            await settle(pilot)
            assert isinstance(app.screen, EditValueDialog)
            await type_text(pilot, text)
            await press(pilot, "enter")
            question = app.screen
            assert isinstance(question, ConfirmDialog)
            return question

        question = await change_description("Summer letter")
        assert question.question == (
            "You have modified Description.\n"
            "Do you want to update the segment lines where the Interaction Template Code "
            "is LETTER?"
        )
        assert question.default is True
        await press(pilot, "n")  # No: the header changes, the lines keep theirs
        assert_showing(app, worksheet)
        assert SegmentHeader.get(SegmentHeader.no == no).description == "Summer letter"
        assert _descriptions(no) == {"Spring letter"}

        await change_description("Autumn letter")
        await press(pilot, "escape")  # Esc: nothing changes at all, the value stays open
        assert "Canceled; nothing was changed." in notifications(pilot)
        assert SegmentHeader.get(SegmentHeader.no == no).description == "Summer letter"
        assert isinstance(app.screen, EditValueDialog)
        await press(pilot, "escape")
        assert_showing(app, worksheet)

        await change_description("Autumn letter")
        await press(pilot, "enter")  # BC's default: Yes, the lines follow
        assert_showing(app, worksheet)
        assert SegmentHeader.get(SegmentHeader.no == no).description == "Autumn letter"
        assert _descriptions(no) == {"Autumn letter"}


async def test_reuse_criteria_answered_no_stops_without_asking_again(
    make_contact: ContactFactory, db_path: Path
) -> None:
    no = _letter(make_contact)
    save_criteria(no, "ADATUM")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        worksheet = app.screen
        assert isinstance(worksheet, WorksheetScreen)
        await press(pilot, "u")
        assert isinstance(app.screen, LookupDialog)
        await press(pilot, "enter")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == (
            f"Segment {no} already contains 1 No. of Criteria Actions.\n"
            "Are you sure you want to reuse a Saved Segment Criteria?"
        )
        assert question.default is False
        await press(pilot, "n")
        assert_showing(app, worksheet)  # not the same question again
        assert action_count(no) == 1
        await press(pilot, "u", "enter", "y")
        assert_showing(app, worksheet)
        assert action_count(no) == 2
