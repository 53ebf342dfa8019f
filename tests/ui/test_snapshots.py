"""SVG snapshots of the main screens at 80×24 and 120×40, and of the criteria view, the
Log dialog and the entries at 80×24 and 200×50 (pytest-textual-snapshot).

The data is fixed (names, numbers, dates), so a snapshot changes only when the screen
does. After a deliberate change, look at the report and update with
``pytest tests/ui/test_snapshots.py --snapshot-update`` only if the screens look right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.services.criteria.actions import AddOptions, add_contacts, remove_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.setup.work_date import set_work_date
from segment_tui.ui.app import SegmentApp
from tests.conftest import ContactFactory
from tests.ui.support import WIDE, settle

DAY = dt.date(2026, 3, 2)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param(WIDE, id="120x40")]
NARROW_AND_WIDEST = [pytest.param((80, 24), id="80x24"), pytest.param((200, 50), id="200x50")]
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def world(make_contact: ContactFactory, db_path: Path) -> str:
    """A segment with eight lines and two criteria actions, and one logged segment."""
    companies = [
        ("C1", "Adatum Corporation", "London", "GB"),
        ("C2", "Bürohaus Köln", "Köln", "DE"),
        ("C3", "Café Lumière", "Paris", "FR"),
    ]
    persons = [
        ("P1", "Ann Smith", "C1", "email"), ("P2", "Bob O'Brien", "C1", "hard_copy"),
        ("P3", "Jürgen Weiß", "C2", "email"), ("P4", "Käthe Böhm", "C2", "hard_copy"),
        ("P5", "Léa Dupré", "C3", "email"), ("P6", "Zoé Girard", "C3", ""),
    ]  # fmt: skip
    for no, name, city, country in companies:
        make_contact(no=no, type="company", name=name, city=city, country_region_code=country,
                     salesperson_code="JO", email=f"info@{no.lower()}.example",
                     correspondence_type="hard_copy")  # fmt: skip
    for no, name, company, kind in persons:
        make_contact(no=no, type="person", name=name, company_no=company,
                     email=f"{no.lower()}@example.com", correspondence_type=kind)  # fmt: skip
    old = create_segment("Christmas cards", template="LETTER", salesperson="BC", date=DAY)
    add_contacts(old["no"], parse_where(["type=Person"]), AddOptions())
    logged = log_segment(old["no"]).logged_segment_entry_no
    LoggedSegment.update(creation_date=DAY, user_id="ANN").execute()
    # One e-mail went out, one failed: the entries and Logged Segments show both.
    entries = InteractionLogEntry.select().where(
        InteractionLogEntry.logged_segment_entry_no == logged
    )
    by_contact = {entry.contact_no: entry.entry_no for entry in entries}
    InteractionLogEntry.update(
        delivery_status="sent", delivered_at=dt.datetime(2026, 3, 2, 9, 30)
    ).where(InteractionLogEntry.entry_no == by_contact["P1"]).execute()
    InteractionLogEntry.update(
        delivery_status="error",
        delivery_error="SMTP server 127.0.0.1:2525 refused the connection",
    ).where(InteractionLogEntry.entry_no == by_contact["P3"]).execute()
    segment = create_segment(
        "Spring product letter", template="LETTER", salesperson="BC", date=DAY, campaign="CP1001"
    )
    add_contacts(segment["no"], parse_where(["city=London|Köln|Paris"]), AddOptions())
    remove_contacts(segment["no"], parse_where(["no=P6"]), "reduce")
    # A filter longer than any column and two filters of one section (criteria view).
    long_filters = [
        "name=@*o*|@*é*|@*ü*|Bürohaus Köln|Café Lumière|Adatum Corporation",
        "type=Person",
        "exclude_from_segment=No",
    ]
    add_contacts(segment["no"], parse_where(long_filters), AddOptions(allow_existing=True))
    return str(segment["no"])


def app_for(db_path: Path) -> SegmentApp:
    app = SegmentApp(str(db_path))
    app.sub_title = "segment.db"  # the temporary path differs from run to run
    set_work_date(DAY)  # the header shows it; today's date would change every day
    return app


def keys(*presses: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_worksheet(
    snap_compare: SnapCompare, world: str, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(db_path), terminal_size=size, run_before=keys("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_add_contacts_dialog(
    snap_compare: SnapCompare, world: str, db_path: Path, size: tuple[int, int]
) -> None:
    presses = ("enter", "a", *"city", "tab", *"Paris", "tab", *"type", "tab", *"Person")
    typed = keys(*presses)

    async def run_before(pilot: Pilot[Any]) -> None:
        await typed(pilot)
        pilot.app.screen.run_preview()  # type: ignore[attr-defined]  # skip the debounce wait
        await settle(pilot)

    assert snap_compare(app_for(db_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", NARROW_AND_WIDEST)
def test_criteria(
    snap_compare: SnapCompare, world: str, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(db_path), terminal_size=size, run_before=keys("enter", "c"))


@pytest.mark.parametrize("size", SIZES)
def test_logged_segments(
    snap_compare: SnapCompare, world: str, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(db_path), terminal_size=size, run_before=keys("l"))


@pytest.mark.parametrize("size", NARROW_AND_WIDEST)
def test_log_dialog(
    snap_compare: SnapCompare, world: str, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(db_path), terminal_size=size, run_before=keys("enter", "L"))


@pytest.mark.parametrize("size", NARROW_AND_WIDEST)
def test_entries(
    snap_compare: SnapCompare, world: str, db_path: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(app_for(db_path), terminal_size=size, run_before=keys("e"))
