"""The worksheet's lines at size, and search in lines, as a user sees them: a 20,000-line
segment opened in the real app over a file database, End / Home / a jump, and `/` with
accents, punctuation, the "3 of 17" count and the visible "Searching…" state."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from segment_tui.db import close_database, insert_rows, open_database, write_transaction
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.segments.line_search import LineMatches, Progress, find_lines
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens import worksheet_search
from segment_tui.ui.screens.worksheet import WorksheetScreen
from tests.engine.plans import recorded
from tests.ui.support import WIDE, notifications, press, settle, type_text

LINES = 20_000
SPECIAL = {
    1_000: "Électricité",
    7_000: "Seán O'Brien",
    12_000: "ELECTRICITE",
    19_999: "Zoë Last",
}


def contact_name(i: int) -> str:
    """Names start with the number, so that lines (added in name order) follow it."""
    return f"{i:05d} {SPECIAL.get(i, 'Person')}"


@pytest.fixture(scope="module")
def big_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with one segment SEG00001 of 20,000 lines (built once per module)."""
    from segment_tui.services.demo.setup_data import seed_setup

    path = tmp_path_factory.mktemp("big") / "segment.db"
    open_database(str(path))
    with write_transaction():
        seed_setup()
        insert_rows(
            "contact",
            ["no", "type", "name", "company_name", "search_name"],
            [(f"K{i:06d}", "person", contact_name(i), "", "") for i in range(LINES)],
        )
    no = create_segment("Big")["no"]
    add_contacts(no, parse_where([f"no=K000000..K{LINES - 1:06d}"]), AddOptions())
    close_database()
    return path


@pytest.fixture
def big_db(big_database: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the big database for one test, opened."""
    path = tmp_path / "segment.db"
    shutil.copy(big_database, path)
    open_database(str(path))
    yield path
    close_database()


def line_of(contact_no: str) -> int:
    return (int(contact_no[1:]) + 1) * 10_000


def screen_text(worksheet: WorksheetScreen) -> str:
    table = worksheet.lines
    return "\n".join(
        table.render_line(y).text for y in range(table.scrollable_content_region.height)
    )


def search_status(worksheet: WorksheetScreen) -> str:
    return worksheet.search.status_text


async def open_worksheet(pilot: Any) -> WorksheetScreen:
    app = pilot.app
    await settle(pilot)
    app.push_screen(WorksheetScreen("SEG00001"))
    await settle(pilot)
    worksheet = app.screen
    assert isinstance(worksheet, WorksheetScreen)
    await press(pilot, "h")  # hide the header: more lines on screen
    return worksheet


async def search(pilot: Any, text: str) -> None:
    await press(pilot, "slash")
    await type_text(pilot, text)
    await press(pilot, "enter")


async def test_end_home_and_a_jump_on_a_20000_line_segment(big_db: Path) -> None:
    app = SegmentApp(str(big_db))
    async with app.run_test(size=WIDE) as pilot:
        worksheet = await open_worksheet(pilot)
        assert worksheet.lines.row_count == LINES
        assert "00001 Person" in screen_text(worksheet)

        with recorded() as statements:
            await press(pilot, "end")
        assert worksheet.lines.cursor_key == line_of("K019999")
        text = screen_text(worksheet)
        assert "19999 Zoë Last" in text and "19998 Person" in text
        assert "…" not in text
        assert statements and not [sql for sql, _ in statements if "OFFSET" in sql.upper()]

        await press(pilot, "home")
        assert worksheet.lines.cursor_key == line_of("K000000")
        assert "00001 Person" in screen_text(worksheet)

        with recorded() as statements:
            assert await worksheet.lines.go_to_key(line_of("K012345"))
            await settle(pilot)
        assert worksheet.lines.cursor_row == 12_345
        assert "12345 Person" in screen_text(worksheet)
        assert not [sql for sql, _ in statements if "OFFSET" in sql.upper()]


async def test_search_folds_accents_and_counts_the_matches(big_db: Path) -> None:
    app = SegmentApp(str(big_db))
    async with app.run_test(size=WIDE) as pilot:
        worksheet = await open_worksheet(pilot)
        await search(pilot, "electricite")
        assert worksheet.lines.cursor_key == line_of("K001000")
        assert "01000 Électricité" in screen_text(worksheet)
        assert search_status(worksheet) == "Search “electricite”: 1 of 2 · n next"

        await press(pilot, "n")
        assert worksheet.lines.cursor_key == line_of("K012000")
        assert search_status(worksheet) == "Search “electricite”: 2 of 2 · n next"

        await press(pilot, "n")  # past the last match: back to the first
        assert worksheet.lines.cursor_key == line_of("K001000")
        assert search_status(worksheet) == ("Search “electricite”: 1 of 2 (from the top) · n next")


async def test_search_ignores_punctuation_and_starts_at_the_cursor(big_db: Path) -> None:
    app = SegmentApp(str(big_db))
    async with app.run_test(size=WIDE) as pilot:
        worksheet = await open_worksheet(pilot)
        await search(pilot, "obrien")
        assert worksheet.lines.cursor_key == line_of("K007000")
        assert "07000 Seán O'Brien" in screen_text(worksheet)
        assert search_status(worksheet) == "Search “obrien”: 1 of 1 · n next"

        # From the cursor on: "Électricité" (line 1,001) is behind, "ELECTRICITE" ahead.
        await search(pilot, "ÉLECTRICITÉ")
        assert worksheet.lines.cursor_key == line_of("K012000")
        assert search_status(worksheet) == "Search “ÉLECTRICITÉ”: 2 of 2 · n next"

        await search(pilot, "nobody here")
        assert search_status(worksheet) == "Search “nobody here”: no line matches"
        assert "No line matches “nobody here”." in notifications(pilot)
        assert worksheet.lines.cursor_key == line_of("K012000")  # the cursor stays


async def test_searching_shows_while_the_query_runs(
    big_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_find_lines(
        segment_no: str,
        text: str,
        *,
        after_line_no: int | None = None,
        progress: Progress | None = None,
    ) -> LineMatches:
        started.set()
        release.wait(timeout=30)
        return find_lines(segment_no, text, after_line_no=after_line_no, progress=progress)

    monkeypatch.setattr(worksheet_search, "find_lines", slow_find_lines)
    app = SegmentApp(str(big_db))
    async with app.run_test(size=WIDE) as pilot:
        worksheet = await open_worksheet(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "zoe")
        await pilot.press("enter")
        await pilot.pause()
        assert started.wait(timeout=30)
        assert search_status(worksheet) == "Searching “zoe”…"
        await pilot.press("down")  # the table still answers while the search runs
        await pilot.pause()
        assert worksheet.lines.cursor_row == 1
        release.set()
        await settle(pilot)
        assert worksheet.lines.cursor_key == line_of("K019999")
        assert search_status(worksheet) == "Search “zoe”: 1 of 1 · n next"


async def test_n_searches_again_after_the_lines_changed(big_db: Path) -> None:
    app = SegmentApp(str(big_db))
    async with app.run_test(size=WIDE) as pilot:
        worksheet = await open_worksheet(pilot)
        await search(pilot, "electricite")
        assert search_status(worksheet) == "Search “electricite”: 1 of 2 · n next"
        await press(pilot, "delete")  # "Delete line …?" defaults to Yes
        await press(pilot, "enter")
        assert worksheet.lines.row_count == LINES - 1
        await press(pilot, "home", "n")
        assert worksheet.lines.cursor_key == line_of("K012000")
        assert search_status(worksheet) == "Search “electricite”: 1 of 1 · n next"
