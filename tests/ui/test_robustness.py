"""Typed text never crashes the UI, and questions are asked only when they apply."""

from __future__ import annotations

from pathlib import Path

from segment_tui.services.segments.headers import create_segment
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.worksheet import WorksheetScreen
from tests.ui.support import SIZE, notifications, press, settle, type_text


async def test_a_search_for_markup_like_text_is_shown_as_text(
    cronus: object, db_path: Path
) -> None:
    create_segment("Letters [50% off]")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "slash")
        await type_text(pilot, "[/x]")
        await press(pilot, "enter")
        assert isinstance(app.screen, WorksheetScreen)  # still running
        assert "No line matches “[/x]”." in notifications(pilot)
        assert app.screen.search.status_text == "Search “[/x]”: no line matches"


async def test_go_back_without_actions_says_so_without_asking(
    cronus: object, db_path: Path
) -> None:
    create_segment("Letters")
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "b")
        assert isinstance(app.screen, WorksheetScreen)  # no question was opened
        assert "Segment SEG00001 has no criteria action to undo." in notifications(pilot)
