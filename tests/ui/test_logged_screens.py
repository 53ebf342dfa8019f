"""Pilot tests of Logged Segments (p5139) and Interaction Log Entries (p5076) at 80×24.

Pins BC's logged segment rules: Switch Checkmark in Canceled asks BC's question and cascades from a
logged segment to its entries; an entry cannot be un-canceled while its logged segment is
canceled (BC's TestField message); Delete Canceled Segments keeps the entries, unlinked;
Delete Canceled Entries and Evaluate Interaction; follow-up segments.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from segment_tui.models import InteractionLogEntry, LoggedSegment, SegmentHeader
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.interactions import entries as interactions
from segment_tui.services.interactions.entry_view import (
    EntryFilter,
    entries_after,
    entries_before,
    entries_present,
    entry_count,
    entry_index,
    entry_key_at,
)
from segment_tui.services.log import logged_segments
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.segments.view import lines_after
from segment_tui.ui import app as app_module
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.screens.interaction_entries import InteractionEntriesScreen
from segment_tui.ui.screens.logged_segments import LoggedSegmentsScreen
from segment_tui.ui.screens.worksheet import WorksheetScreen

SIZE = (80, 24)


class RecordingApp(SegmentApp):
    """The app, remembering every notification (toasts are off in tests)."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.messages: list[str] = []

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.messages.append(message)
        super().notify(message, *args, **kwargs)


async def keys(app: SegmentApp, pilot: Pilot[None], *pressed: str) -> None:
    """Press keys, then wait until the workers they started (and their follow-ups) end."""
    await pilot.press(*pressed)
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break


def two_logged(make_contact: Any) -> tuple[int, int]:
    """Logged segment A: Adatum, Ann, Bob (LETTER); logged segment B: Carl (OUTCALL)."""
    make_contact(no="C1", type="company", name="Adatum")
    make_contact(no="P1", type="person", name="Ann Smith", company_no="C1")
    make_contact(no="P2", type="person", name="Bob Jones", company_no="C1")
    make_contact(no="P3", type="person", name="Carl Berg")
    first = create_segment("Spring letter", template="LETTER", salesperson="BC")["no"]
    add_contacts(first, parse_where(["no=C1|P1|P2"]), AddOptions())
    second = create_segment("Calls", template="OUTCALL", salesperson="BC")["no"]
    add_contacts(second, parse_where(["no=P3"]), AddOptions())
    return log_segment(first).logged_segment_entry_no, log_segment(second).logged_segment_entry_no


def entries_of(logged: int) -> list[InteractionLogEntry]:
    """The entries of a logged segment, newest first (the screen's order)."""
    return list(
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment_entry_no == logged)
        .order_by(InteractionLogEntry.entry_no.desc())
    )


async def test_cancel_open_entries_evaluate_refuse_uncancel_and_delete(
    make_contact: Any, db_path: Path
) -> None:
    first, second = two_logged(make_contact)
    app = RecordingApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(app, pilot, "l")
        screen = app.screen
        assert isinstance(screen, LoggedSegmentsScreen)
        assert screen.table.row_count == 2 and screen.table.cursor_key == second  # newest first

        await keys(app, pilot, "down", "c")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == f"Do you wish to mark Logged Segment {first} as Canceled?"
        await keys(app, pilot, "y")
        assert LoggedSegment.get_by_id(first).canceled is True
        assert [e.canceled for e in entries_of(first)] == [True, True, True]
        assert [e.canceled for e in entries_of(second)] == [False]
        row = screen.table.get_row_at(1)
        assert row is not None and row.key == first and row.cells[0] == "Yes"

        await keys(app, pilot, "enter")
        entries = app.screen
        assert isinstance(entries, InteractionEntriesScreen)
        assert entries.title == f"Interaction Log Entries — Logged Segment {first}"
        assert entries.table.row_count == 3
        newest, middle, oldest = (e.entry_no for e in entries_of(first))
        assert entries.table.cursor_key == newest

        def status() -> str:
            return str(entries.query_one("#status", Static).render())

        assert status().endswith(": not evaluated")  # shown at 80 columns, column or not
        await keys(app, pilot, "space", "down", "space")
        assert entries.table.marked == {newest, middle}
        await keys(app, pilot, "v")
        assert isinstance(app.screen, LookupDialog)
        await keys(app, pilot, *"neu")  # the search runs in a worker
        await keys(app, pilot, "enter")
        assert [e.evaluation for e in entries_of(first)] == ["neutral", "neutral", ""]
        assert entries.table.marked == set()
        assert "Evaluated 2 entries as Neutral." in app.messages
        assert status().endswith(": Neutral")

        await keys(app, pilot, "c")  # the cursor entry alone: un-cancel is refused
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.startswith(f"Interaction Log Entry {middle} is marked Canceled.")
        await keys(app, pilot, "y")
        assert any(
            m.startswith("Canceled must be equal to 'No' in Logged Segment") for m in app.messages
        )
        assert [e.canceled for e in entries_of(first)] == [True, True, True]

        await keys(app, pilot, "D")
        assert isinstance(app.screen, ConfirmDialog)
        assert "3 canceled interaction log entries" in app.screen.question
        await keys(app, pilot, "y")
        assert "3 Interaction Log Entry has been deleted." in app.messages
        assert entries_of(first) == [] and len(entries_of(second)) == 1
        assert entries.table.row_count == 0

        await keys(app, pilot, "escape")
        back: object = app.screen
        assert back is screen
        row = screen.table.get_row_at(1)
        assert row is not None and row.cells[5] == "0"  # No. of Interactions read again


async def test_delete_canceled_segments_keeps_the_entries_unlinked(
    make_contact: Any, db_path: Path
) -> None:
    first, second = two_logged(make_contact)
    logged_segments.toggle_canceled([first])
    kept = [e.entry_no for e in entries_of(first)]
    app = RecordingApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(app, pilot, "l")
        await keys(app, pilot, "D")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.default is False
        await keys(app, pilot, "y")
        assert "1 Logged Segment has been deleted." in app.messages
        screen = app.screen
        assert isinstance(screen, LoggedSegmentsScreen)
        assert screen.table.row_count == 1 and screen.table.cursor_key == second
    assert LoggedSegment.get_or_none(LoggedSegment.entry_no == first) is None
    unlinked = InteractionLogEntry.select().where(InteractionLogEntry.entry_no.in_(kept))
    assert [e.logged_segment_entry_no for e in unlinked] == [None, None, None]


async def test_follow_up_on_positive_contacts_opens_the_new_segment(
    make_contact: Any, db_path: Path
) -> None:
    first, _ = two_logged(make_contact)
    ann = next(e.entry_no for e in entries_of(first) if e.contact_no == "P1")
    interactions.evaluate([ann], "very_positive")
    app = RecordingApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(app, pilot, "l")
        await keys(app, pilot, "down", "f")
        dialog = app.screen
        assert isinstance(dialog, LookupDialog)
        assert dialog.lookup_title == f"Follow-up on logged segment {first}"
        await keys(app, pilot, *"pos")
        await keys(app, pilot, "enter")
        worksheet = app.screen
        assert isinstance(worksheet, WorksheetScreen)
        new = worksheet.segment_no
        assert f"Created segment {new} with 1 contact." in app.messages
    header = SegmentHeader.get_by_id(new)
    assert header.description.startswith("Follow-up")
    assert [line["contact_no"] for line in lines_after(new, None, 10)] == ["P1"]


async def test_contact_filter_and_resend(
    make_contact: Any, db_path: Path, monkeypatch: Any
) -> None:
    first, second = two_logged(make_contact)
    sent: list[list[int]] = []

    class Report:  # what the screens read of a DeliveryReport
        summary = "Segment SEG00001: 1 letter written"
        failed = 0
        incomplete = False

    def resend(entry_nos: list[int]) -> Report:
        sent.append(list(entry_nos))
        return Report()

    def resend_logged_segment(entry_no: int) -> Report:
        sent.append([entry.entry_no for entry in entries_of(entry_no)])
        return Report()

    fake = types.ModuleType("segment_tui.services.delivery.deliver")
    fake.resend = resend  # type: ignore[attr-defined]
    fake.resend_logged_segment = resend_logged_segment  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "segment_tui.services.delivery.deliver", fake)
    app = RecordingApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await keys(app, pilot, "e")
        screen = app.screen
        assert isinstance(screen, InteractionEntriesScreen)
        assert screen.title == "Interaction Log Entries" and screen.table.row_count == 4

        await keys(app, pilot, "slash")
        await keys(app, pilot, *"contact_no=p1", "enter")
        assert screen.title == "Interaction Log Entries — contact_no=P1"
        assert screen.table.row_count == 1
        ann = screen.table.cursor_key
        await keys(app, pilot, "R")
        assert sent == [[ann]]
        assert "Segment SEG00001: 1 letter written" in app.messages

        await keys(app, pilot, "x")
        assert screen.title == "Interaction Log Entries" and screen.table.row_count == 4

        await keys(app, pilot, "escape", "l")
        await keys(app, pilot, "down", "R")  # a whole logged segment
        assert sent[-1] == [e.entry_no for e in entries_of(first)]


def bulk_entries(count: int) -> int:
    """A logged segment with ``count`` entries (inserted directly: only paging matters)."""
    logged = int(LoggedSegment.insert(segment_no="BIG", description="Big").execute())
    rows = [
        {"contact_no": f"K{n:05}", "description": f"Entry {n}", "logged_segment_entry_no": logged}
        for n in range(count)
    ]
    InteractionLogEntry.insert_many(rows).execute()
    return logged


def test_entry_windows_page_by_entry_no_newest_first(cronus: Any) -> None:
    logged = bulk_entries(250)
    view = EntryFilter(logged_segment=logged)
    everything = [r["entry_no"] for r in entries_after(view, None, 1000)]
    assert entry_count(view) == 250 and everything == sorted(everything, reverse=True)
    page = [r["entry_no"] for r in entries_after(view, everything[99], 50)]
    assert page == everything[100:150]
    assert [r["entry_no"] for r in entries_before(view, everything[100], 30)] == everything[70:100]
    oldest = [r["entry_no"] for r in entries_before(view, None, 20)]
    assert oldest == everything[-20:]
    assert entry_index(view, everything[123]) == 123
    assert entry_index(EntryFilter(logged_segment=logged + 1), everything[0]) is None
    assert entry_key_at(view, 123) == everything[123]
    assert entry_key_at(view, 0, from_end=True) == everything[-1]
    assert entry_key_at(view, 250) is None
    assert entries_present(view, {everything[5], everything[6], 10**9}) == set(everything[5:7])


async def test_entries_table_reads_windows_of_a_large_logged_segment(
    cronus: Any, db_path: Path
) -> None:
    logged = bulk_entries(600)
    oldest = min(e.entry_no for e in InteractionLogEntry.select())
    app = RecordingApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(InteractionEntriesScreen(logged_segment=logged))
        await keys(app, pilot)  # counted and the first window read
        await keys(app, pilot, "end")
        screen = app.screen
        assert isinstance(screen, InteractionEntriesScreen)
        assert screen.table.row_count == 600
        assert screen.table.cursor_key == oldest
