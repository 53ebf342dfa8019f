"""Interaction Log Entries, Logged Segments and Contacts as lists a power user filters
(issue 12, points 2 and 9): the criteria's filter language on each list's fields, typed
or picked with F4, mistakes shown in place; the delivery status and error are on screen
at 80 columns."""

from __future__ import annotations

import datetime as dt
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.contacts import ContactsScreen
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.screens.interaction_entries import ENTRY_COLUMNS, InteractionEntriesScreen
from segment_tui.ui.screens.logged_segments import LoggedSegmentsScreen
from segment_tui.ui.widgets.table_render import GUTTER_WIDTH
from tests.ui.support import SIZE, press, settle, type_text


@pytest.fixture
def logged(cronus: Any) -> tuple[int, int]:
    """Logged segment A: CT00001 sent, CT00002 failed (SMTP), CT00003 queued; B: CT00020."""
    first = int(LoggedSegment.insert(segment_no="SEGA", description="Spring").execute())
    second = int(LoggedSegment.insert(segment_no="SEGB", description="Calls").execute())
    today = dt.date.today()
    InteractionLogEntry.insert_many(
        [
            {
                "contact_no": "CT00001",
                "logged_segment_entry_no": first,
                "date": today,
                "delivery_status": "sent",
                "delivered_at": dt.datetime(2026, 3, 1, 9),
                "correspondence_type": "email",
            },
            {
                "contact_no": "CT00002",
                "logged_segment_entry_no": first,
                "date": today,
                "delivery_status": "error",
                "correspondence_type": "email",
                "delivery_error": "SMTP is not set up: Marketing Setup has no SMTP host.",
            },
            {
                "contact_no": "CT00003",
                "logged_segment_entry_no": first,
                "date": today,
                "delivery_status": "in_progress",
                "correspondence_type": "email",
            },
            {"contact_no": "CT00020", "logged_segment_entry_no": second, "date": today},
        ]  # fmt: skip
    ).execute()
    return first, second


def entry_contacts(screen: InteractionEntriesScreen) -> list[str]:
    """The Contact No. of every row the entries table holds."""
    index = [c.key for c in ENTRY_COLUMNS].index("contact_no")
    rows = [screen.table.get_row_at(i) for i in range(screen.table.row_count)]
    return [row.cells[index] for row in rows if row is not None]


def message(screen: Any) -> str:
    """The filter line's message."""
    return str(screen.query_one(".filter-message", Static).render())


async def test_entries_filter_with_wildcards_states_and_dates(
    logged: tuple[int, int], db_path: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        screen = app.screen
        assert isinstance(screen, InteractionEntriesScreen)
        assert len(entry_contacts(screen)) == 4

        # Delivery and its error are the first columns after Canceled: on screen at 80.
        keys = [c.key for c in screen.table.columns]
        right = GUTTER_WIDTH + sum(c.width + 2 for c in screen.table.columns[:3])
        assert keys[1:3] == ["delivery_status", "delivery_error"] and right <= SIZE[0]

        await press(pilot, "slash")
        await type_text(pilot, "contact_no=CT0000* delivery_status=error")
        await press(pilot, "enter")
        assert entry_contacts(screen) == ["CT00002"]
        row = screen.table.get_row_at(0)
        assert row is not None and row.cells[1:3] == (
            "Error",
            "SMTP is not set up: Marketing Setup has no SMTP host.",
        )
        assert screen.title is not None
        assert screen.title.endswith("contact_no=CT0000* delivery_status=error")
        assert screen.table.has_focus

        assert screen.filter_bar.apply("date=..t canceled=no evaluation=''")
        await settle(pilot)
        assert entry_contacts(screen) == ["CT00020", "CT00003", "CT00002", "CT00001"]

        # A mistake: the message names it, the cursor goes there, the list stays.
        assert not screen.filter_bar.apply("contact_no=CT* dat=..t")
        await settle(pilot)
        assert "unknown field 'dat' (did you mean date?)" in message(screen)
        assert screen.filter_bar.input.has_focus
        assert screen.filter_bar.input.cursor_position == len("contact_no=CT* ")
        assert len(entry_contacts(screen)) == 4

        await press(pilot, "escape", "x")  # leave the line, clear the filter
        assert screen.view.filters == () and len(entry_contacts(screen)) == 4


async def test_f4_picks_a_field_then_its_value_by_caption(
    logged: tuple[int, int], db_path: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e", "slash", "f4")
        fields = app.screen
        assert isinstance(fields, LookupDialog)
        await type_text(pilot, "delivery st")
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, InteractionEntriesScreen)
        assert screen.filter_bar.input.value == "delivery_status="

        await press(pilot, "f4")
        values = app.screen
        assert isinstance(values, LookupDialog)
        options = values.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Error" in prompts and "Queued" in prompts and "Unknown" in prompts
        assert not any("in_progress" in p for p in prompts)  # captions, not stored codes
        await type_text(pilot, "err")
        await press(pilot, "enter", "enter")
        assert screen.filter_bar.input.value == "delivery_status=error"
        assert entry_contacts(screen) == ["CT00002"]


async def test_logged_segments_show_delivery_counts_and_filter_the_failed(
    logged: tuple[int, int], db_path: Path
) -> None:
    first, second = logged
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        screen = app.screen
        assert isinstance(screen, LoggedSegmentsScreen)
        delivery = [c.key for c in screen.table.columns].index("delivery_summary")
        rows = [screen.table.get_row_at(i) for i in range(2)]
        assert [r.cells[delivery] for r in rows if r] == ["", "1 sent, 1 failed, 1 pending"]
        await press(pilot, "slash")
        await type_text(pilot, "failed=>0")
        await press(pilot, "enter")
        assert screen.table.row_count == 1 and screen.table.cursor_key == first
        await press(pilot, "enter")  # the entries of that logged segment
        entries = app.screen
        assert isinstance(entries, InteractionEntriesScreen)
        assert entries.view.logged_segment == first


async def test_f4_on_the_contacts_filter_lists_fields_by_section(
    cronus: Any, db_path: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "k", "slash", "f4")
        dialog = app.screen
        assert isinstance(dialog, LookupDialog)
        options = dialog.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        headings = [p for p in prompts if p.startswith("── ")]
        assert headings[:3] == [
            "── Contact",
            "── Contact Profile Answer",
            "── Contact Mailing Group",
        ]
        assert any(p.startswith("city") and p.endswith("City") for p in prompts)
        await type_text(pilot, "mailing")
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        assert screen.filter_input.value == "mailing_group="


async def test_ctrl_a_marks_every_entry_the_filter_shows_and_r_resends_them(
    logged: tuple[int, int], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[list[int]] = []

    class Report:  # what the screens read of a DeliveryReport
        summary = "Segment SEGA: 2 e-mails sent"
        failed = 0
        incomplete = False

    def resend(entry_nos: list[int]) -> Report:
        sent.append(sorted(entry_nos))
        return Report()

    fake = types.ModuleType("segment_tui.services.delivery.deliver")
    fake.resend = resend  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "segment_tui.services.delivery.deliver", fake)
    unfinished = sorted(
        e.entry_no
        for e in InteractionLogEntry.select().where(
            InteractionLogEntry.delivery_status.in_(("error", "in_progress"))
        )
    )
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        screen = app.screen
        assert isinstance(screen, InteractionEntriesScreen)
        assert screen.filter_bar.apply("delivery_status=error|queued")
        await settle(pilot)
        await press(pilot, "ctrl+a")
        assert screen.table.marked == set(unfinished)
        assert "2 marked" in str(screen.query_one("#status", Static).render())
        await press(pilot, "ctrl+a")  # again: unmarks all
        assert screen.table.marked == set()
        await press(pilot, "ctrl+a", "R")
        assert sent == [unfinished]
        assert screen.table.marked == set()  # used: cleared, as after v and c
