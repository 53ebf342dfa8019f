"""The Add Contacts dialog while the user types: the live preview explains a wrong field
briefly and does not grow the dialog until its rows leave an 80x24 screen; F4 lists the
fields by section, then a field's values."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from segment_tui.models import SegmentLine
from segment_tui.services.segments.headers import create_segment
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.criteria_dialog import CriteriaDialog
from segment_tui.ui.screens.dialogs import LookupDialog
from tests.conftest import ContactFactory
from tests.ui.support import SIZE, press, settle, type_text


async def test_a_wrong_field_name_is_explained_and_the_dialog_stays_on_screen(
    make_contact: ContactFactory, db_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Adatum", city="London")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        create_segment("Typing")
        await press(pilot, "f5", "enter", "a")
        dialog = app.screen
        assert isinstance(dialog, CriteriaDialog)
        title_at = dialog.query_one(".title").region.y

        for name, expected in (("cit", "did you mean city?"), ("qqqq", "'qqqq'")):
            field = dialog.query_one("#field-0", Input)
            field.value = ""
            await type_text(pilot, name)
            dialog.run_preview()  # skip the debounce wait
            await settle(pilot)
            preview = dialog.query_one("#preview", Static)
            assert f"unknown field '{name}'" in str(preview.render())
            assert expected in str(preview.render())
            assert "fields:" not in str(preview.render())  # the list is for the command line
            # The dialog does not grow or move while the user types: its title stays
            # where it was and the message keeps to a few lines.
            assert dialog.query_one(".title").region.y == title_at
            assert preview.region.height == 3


async def test_tab_out_of_a_cell_takes_the_completion_it_showed(
    make_contact: ContactFactory, db_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Adatum", city="London")
    make_contact(no="C2", type="company", name="Fabrikam", city="Paris")
    make_contact(no="P1", type="person", name="Ann", company_no="C1", city="London")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        create_segment("Typing")
        await press(pilot, "f5", "enter", "a")
        dialog = app.screen
        assert isinstance(dialog, CriteriaDialog)
        await type_text(pilot, "cit")
        await press(pilot, "tab")
        assert dialog.query_one("#field-0", Input).value == "city"
        await type_text(pilot, "London")
        await press(pilot, "tab")
        await type_text(pilot, "typ")
        await press(pilot, "tab")
        await type_text(pilot, "Com")
        await press(pilot, "enter")  # applies with the completion, as Tab would have
        assert [line.contact_no for line in SegmentLine.select()] == ["C1"]


async def test_f4_on_a_field_cell_lists_the_fields_by_section_then_the_values(
    make_contact: ContactFactory, db_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Adatum", city="London")
    create_segment("Fields")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "a", "f4")  # issue 12, point 8: not "no lookup"
        fields = app.screen
        assert isinstance(fields, LookupDialog)
        options = fields.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "── Contact Mailing Group" in prompts and "── Interaction Log Entry" in prompts
        assert any(p.startswith("ile.evaluation") and p.endswith("Evaluation") for p in prompts)
        await type_text(pilot, "mailing")
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, CriteriaDialog)
        assert dialog.query_one("#field-0", Input).value == "mailing_group"
        assert dialog.focused is dialog.query_one("#filter-0", Input)
        await press(pilot, "f4")
        values = app.screen
        assert isinstance(values, LookupDialog)
        await type_text(pilot, "christmas")
        await press(pilot, "enter")
        assert dialog.query_one("#filter-0", Input).value == "CHRISTMAS"
