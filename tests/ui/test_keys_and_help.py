"""Keys as users of lazygit, k9s and htop expect them (issue 12, points 11–14): F1 and ?
list the screen's own actions first; the footer shows what fits by priority and always
F1; ctrl+z suspends, ctrl+c says how to quit in plain words; without colour the focus
still shows; ctrl+n lists the session's messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, DataTable, Input
from textual.widgets._footer import FooterKey  # not exported; the app's KeyFooter uses it too

from segment_tui.services.segments.headers import create_segment
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.help import HelpScreen
from segment_tui.ui.screens.log_dialog import LogDialog
from segment_tui.ui.screens.messages import MessagesScreen
from segment_tui.ui.screens.worksheet import WorksheetScreen
from segment_tui.ui.widgets.key_footer import KeyFooter
from segment_tui.ui.widgets.virtual_table import VirtualTable
from tests.ui.support import SIZE, left_edge, notifications, press, screen_lines, settle

WIDE = (200, 50)


def help_rows(app: SegmentApp) -> list[tuple[str, str]]:
    """The rows of the help table: (key, action); headings have no action."""
    table = app.screen.query_one(DataTable)
    rows = [table.get_row_at(i) for i in range(table.row_count)]
    return [(str(key), str(action)) for key, action in rows]


async def test_f1_and_question_mark_list_the_screens_actions_first(
    cronus: object, db_path: Path
) -> None:
    create_segment("Letters")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        headings = [key for key, action in rows if not action]
        assert headings == ["Segment worksheet", "Table", "Everywhere"]
        assert rows[1] == ("a", "Add Contacts")  # the first row under the first heading
        table_at = rows.index(("Table", ""))
        assert ("Up", "Cursor up") in rows[table_at:]
        assert rows.index(("Shift+L", "Log")) < table_at
        await press(pilot, "question_mark")
        assert isinstance(app.screen, WorksheetScreen)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "200x50"])
async def test_the_footer_shows_what_fits_by_priority_and_always_f1(
    cronus: object, db_path: Path, size: tuple[int, int]
) -> None:
    create_segment("Letters")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        footer = app.screen.query_one(KeyFooter)
        shown = [key.description for key in footer.query(FooterKey)]
        assert shown[:5] == ["Add", "Reduce", "Refine", "Go Back", "Log"]
        total = sum(key.region.width for key in footer.query(FooterKey))
        assert total <= size[0]  # nothing falls off the right edge
        if size == SIZE:
            assert "More keys" in shown and footer.left_out
        else:
            assert "Help" in shown and footer.left_out == []
            for word in ("Back", "Criteria", "Save", "Reuse", "Preview", "Search", "Delete"):
                assert word in shown


async def test_ctrl_z_suspends_and_ctrl_c_says_how_to_quit(
    cronus: object, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suspended: list[bool] = []
    monkeypatch.setattr(SegmentApp, "action_suspend_process", lambda self: suspended.append(True))
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+z")
        assert suspended == [True]
        await press(pilot, "ctrl+c")
        assert "Press Ctrl+Q to quit." in notifications(pilot)
        assert not any("[b]" in text for text in notifications(pilot))


async def test_without_colour_the_focus_shows_by_reverse_video_or_a_marker(
    cronus: object, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_segment("Letters", template="LETTER")
    monkeypatch.setenv("NO_COLOR", "1")
    app = SegmentApp(str(db_path))
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.get_component_rich_style("datatable--cursor").reverse
        await press(pilot, "enter")
        lines = app.screen.query_one(VirtualTable)
        assert lines.get_component_rich_style("virtual-table--cursor").reverse
        await press(pilot, "L")
        dialog = app.screen
        assert isinstance(dialog, LogDialog)
        focused = dialog.focused
        assert isinstance(focused, Checkbox)
        unfocused = next(box for box in dialog.query(Checkbox) if box is not focused)
        folder = dialog.query_one("#out", Input)
        # A ▌ on the left edge of the focused field; a blank edge on the others.
        assert left_edge(focused) == "thick"
        assert left_edge(unfocused) == "blank"
        assert left_edge(folder) == "blank"
        folder.focus()
        await settle(pilot)
        assert left_edge(folder) == "thick"
        assert left_edge(focused) == "blank"
        marker = [line for line in screen_lines(pilot) if "e.g. ~/letters" in line]
        assert marker and "█" in marker[0].split("e.g.")[0]
        button = dialog.query_one("#log")
        button.focus()
        await settle(pilot)
        assert button.rich_style.reverse


async def test_ctrl_n_lists_the_messages_newest_first(cronus: object, db_path: Path) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify("first")
        app.notify("second [b]not markup[/b]", severity="error", title="Refused")
        await press(pilot, "ctrl+n")
        screen: Any = app.screen
        assert isinstance(screen, MessagesScreen)
        cells = [str(c) for c in screen.query_one(DataTable).get_row_at(0)]
        assert cells[1:] == ["Error", "Refused: second [b]not markup[/b]"]
        assert str(screen.query_one(DataTable).get_row_at(1)[2]) == "first"
        await press(pilot, "ctrl+n")
        assert not isinstance(app.screen, MessagesScreen)
