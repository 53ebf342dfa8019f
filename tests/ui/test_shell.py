"""The shell: F1 lists every key of the current screen, ctrl+p offers every action,
the mouse is off unless asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable

from segment_tui.services.segments.headers import create_segment
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.help import HelpScreen
from segment_tui.ui.screens.worksheet import WorksheetScreen
from tests.ui.support import SIZE, press, settle, type_text


async def test_f1_lists_the_keys_of_the_worksheet(cronus: object, db_path: Path) -> None:
    create_segment("Letters")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, WorksheetScreen)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)}
        assert ("a", "Add Contacts") in rows
        assert ("Shift+L", "Log") in rows
        assert ("F4 / Ctrl+L", "Lookup") in rows
        await press(pilot, "escape")
        assert isinstance(app.screen, WorksheetScreen)


async def test_command_palette_offers_the_screens_actions(cronus: object, db_path: Path) -> None:
    create_segment("Letters")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "reduce")
        # The palette searches asynchronously: wait (without sleeping) for its first hit.
        hits = app.screen.query_one(CommandList)
        for _ in range(100):
            if hits.option_count:
                break
            await pilot.pause()
        assert "Reduce" in str(hits.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        # The palette ran the worksheet's Reduce action: its dialog is open.
        assert type(app.screen).__name__ == "CriteriaDialog"
        assert "Reduce Contacts" in str(app.screen.query_one(".title").render())


def test_the_mouse_is_off_unless_asked_for(
    database: object, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from segment_tui.cli import main

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(SegmentApp, "run", lambda self, **kwargs: calls.append(kwargs))
    assert main(["--db", str(db_path)]) == 0
    assert main(["--db", str(db_path), "--mouse"]) == 0
    assert calls == [{"mouse": False}, {"mouse": True}]


async def test_the_segments_list_shows_all_its_columns_at_80_columns(
    cronus: object, db_path: Path
) -> None:
    create_segment("Letters")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert str(table.get_row_at(0)[-1]) == "0"  # the Lines column, not cut off
