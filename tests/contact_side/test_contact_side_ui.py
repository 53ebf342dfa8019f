"""Pilot tests of the contact's side of interactions at 80×24, on a file database: Create
Interaction and Statistics (F7) and Profile (p) from the contact card, the Interaction
Statistics panel, Campaign Entries, and Show Attachments on the entries screen. Every key
is followed by waiting for the workers; the database is checked as well as the screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from segment_tui.models import Campaign, ContactProfileAnswer, InteractionLogEntry
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.interactions.create import create_interaction, deliver
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.campaign_entries import CampaignEntriesScreen
from segment_tui.ui.screens.contact_card import ContactCardScreen
from segment_tui.ui.screens.contact_profile import ContactProfileScreen
from segment_tui.ui.screens.create_interaction import CreateInteractionDialog
from segment_tui.ui.screens.dialogs import FormDialog
from segment_tui.ui.screens.entry_letter import EntryLetterScreen
from segment_tui.ui.screens.interaction_entries import InteractionEntriesScreen
from segment_tui.ui.screens.interaction_stats import (
    ContactStatisticsDialog,
    InteractionStatsScreen,
)
from segment_tui.ui.widgets import VirtualTable
from tests.ui.support import assert_showing, notifications, press, settle, type_text

SIZE = (80, 24)
People = dict[str, ContactRecord]


def text_of(widget: Any) -> str:
    return str(widget.render())


def rows(table: VirtualTable) -> list[tuple[str, ...]]:
    found = [table.get_row_at(i) for i in range(table.row_count)]
    return [row.cells for row in found if row is not None]


async def open_card(app: SegmentApp, pilot: Pilot[None], contact_no: str) -> ContactCardScreen:
    await settle(pilot)
    app.push_screen(ContactCardScreen(contact_no))
    await settle(pilot)
    card = app.screen
    assert isinstance(card, ContactCardScreen)
    return card


async def test_create_interaction_from_the_contact_card(
    people: People, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "letters"
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(app, pilot, "C1")
        await press(pilot, "i")
        dialog = app.screen
        assert isinstance(dialog, CreateInteractionDialog)
        assert dialog.field("salesperson_code").value == "PS"  # the contact's
        assert dialog.field("date").value == dt.date.today().isoformat()
        await type_text(pilot, "letter")
        await press(pilot, "tab")  # leaving the template field brings its defaults
        assert dialog.field("interaction_template_code").value == "LETTER"
        assert dialog.field("description").value == "Product letter"
        assert dialog.field("correspondence_type").value == "Hard Copy"
        assert dialog.field("cost_lcy").value == "2.50"
        assert "Word letter in ENU" in text_of(dialog.query_one("#info", Static))

        dialog.field("description").value = ""
        await press(pilot, "ctrl+s")
        assert_showing(app, dialog)
        assert text_of(dialog.query_one("#error", Static)) == "Description is mandatory."
        assert InteractionLogEntry.select().count() == 0

        dialog.field("description").value = "Price list 2027"
        dialog.field("evaluation").value = "Positive"
        dialog.field("out").value = str(out)
        await press(pilot, "ctrl+s")
        assert_showing(app, card)
        message = notifications(pilot)[-1]
        assert "Interaction log entry 1 created for contact C1." in message
        assert "1 letter written to" in message
        row = InteractionLogEntry.get(InteractionLogEntry.entry_no == 1)
        assert (row.description, row.evaluation, row.delivery_status) == (
            "Price list 2027",
            "positive",
            "sent",
        )
        assert (out / "Adatum.docx").exists()


async def test_the_template_lookup_fills_the_form(people: People, db_path: Path) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, "P3")
        await press(pilot, "i", "f4")
        await type_text(pilot, "outcall")
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, CreateInteractionDialog)
        assert dialog.field("interaction_template_code").value == "OUTCALL"
        assert dialog.field("description").value == "Outgoing call"
        assert dialog.field("correspondence_type").value == ""
        assert "no Word letter" in text_of(dialog.query_one("#info", Static))
        await press(pilot, "escape")
        assert InteractionLogEntry.select().count() == 0


async def test_statistics_and_entries_from_the_card(people: People, db_path: Path) -> None:
    for template in ("OUTCALL", "MEETING"):
        create_interaction("P1", {"interaction_template_code": template}, send=False)
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(app, pilot, "C1")
        await press(pilot, "f7")
        box = app.screen
        assert isinstance(box, ContactStatisticsDialog)
        figures = text_of(box.query_one("#figures", Static))
        assert "No. of Interactions" in figures and figures.split("\n")[0].endswith(" 2")
        assert "55.00" in figures  # 5.00 + 50.00: Ann's, counted for her company
        await press(pilot, "escape")
        assert_showing(app, card)
        await press(pilot, "ctrl+f7")
        entries = app.screen
        assert isinstance(entries, InteractionEntriesScreen)
        assert entries.view.contact_no == "C1" and entries.row_count == 0


async def test_profile_answers_on_the_card(people: People, db_path: Path) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await open_card(app, pilot, "C1")
        await press(pilot, "p")
        profile = app.screen
        assert isinstance(profile, ContactProfileScreen)
        assert [r[2].strip() for r in rows(profile.table)][:3] == ["10000", "20000", "30000"]
        await press(pilot, "down", "space")  # "1 to 49"
        assert rows(profile.table)[1][0] == "[x]"
        assert [a.line_no for a in ContactProfileAnswer.select()] == [20000]
        await press(pilot, "down", "enter")  # "50 to 249": the question takes one answer
        assert notifications(pilot)[-1] == "This Question does not allow Multiple Answers."
        assert [a.line_no for a in ContactProfileAnswer.select()] == [20000]
        await press(pilot, "up", "space")  # clear the first, then the second is fine
        await press(pilot, "down", "space")
        assert [a.line_no for a in ContactProfileAnswer.select()] == [30000]
        await press(pilot, "escape")
        assert isinstance(app.screen, ContactCardScreen)
        assert app.screen.changed


async def test_the_statistics_panel(people: People, db_path: Path) -> None:
    create_interaction("P1", {"interaction_template_code": "OUTCALL"}, send=False)
    create_interaction("P3", {"interaction_template_code": "LETTER"}, send=False)
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        stats = app.screen
        assert isinstance(stats, InteractionStatsScreen)
        assert [r[0].strip() for r in rows(stats.table)] == ["LETTER", "MEETING", "NEWS", "OUTCALL"]
        assert "2 interactions" in text_of(stats.query_one("#status", Static))
        await press(pilot, "g")
        assert [r[0].strip() for r in rows(stats.table)] == ["EMAIL", "LETTER", "MEETING", "PHONE"]
        await press(pilot, "k")
        assert [r[0].strip() for r in rows(stats.table)] == ["C1", "P1", "P3"]
        await press(pilot, "slash")
        form = app.screen
        assert isinstance(form, FormDialog)
        await type_text(pilot, "cty=Oslo")
        await press(pilot, "enter")
        assert_showing(app, form)  # refused in the form
        assert "did you mean city" in text_of(form.query_one("#error", Static))
        form.query_one(Input).value = "city=Oslo; ile.template=LETTER"
        await press(pilot, "enter")
        assert_showing(app, stats)
        assert [r[0].strip() for r in rows(stats.table)] == ["P3"]
        await press(pilot, "x")
        assert len(rows(stats.table)) == 3
        # F5 computes the figures again.
        create_interaction("P1", {"interaction_template_code": "LETTER"}, send=False)
        await press(pilot, "t", "f5")
        assert "3 interactions" in text_of(stats.query_one("#status", Static))


def test_a_records_source_reads_once_per_load(people: People) -> None:
    """The table asks the first page, then the count, then pages by key: the records (an
    aggregate over every entry, for statistics) are read once; ``reloaded`` reads again."""
    from segment_tui.ui.sources_records import RecordsSource
    from segment_tui.ui.widgets import Column

    reads: list[int] = []

    def load() -> list[dict[str, Any]]:
        reads.append(1)
        return [{"n": i} for i in range(500)]

    source = RecordsSource(load, (Column("n", "N", 5),), "n")
    first = source.fetch_after(None, 200)
    assert [r.key for r in first[:2]] == [0, 1] and source.count() == 500
    assert source.key_at(0, from_end=True) == 499 and source.locate(250) == 250
    assert [r.key for r in source.fetch_before(None, 2)] == [498, 499]
    assert [r.key for r in source.fetch_after(first[-1].key, 2)] == [200, 201]
    assert [r.key for r in source.fetch_before(200, 2)] == [198, 199]
    assert source.present({3, 999}) == {3}
    assert len(reads) == 1
    again = source.reloaded()
    assert again.count() == 500 and len(reads) == 2


async def test_campaign_entries_show_a_canceled_logged_segment(
    people: People, db_path: Path
) -> None:
    from segment_tui.services.log.log_segment import log_segment
    from segment_tui.services.log.logged_segments import toggle_canceled
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    header = create_segment("Launch", template="OUTCALL", salesperson="PS", campaign="CP1001")
    add_line(header["no"], "P1")
    add_line(header["no"], "P2")
    logged = log_segment(header["no"]).logged_segment_entry_no
    toggle_canceled([logged])
    create_interaction("P3", {"interaction_template_code": "OUTCALL", "campaign_no": "CP1001"})
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        screen = app.screen
        assert isinstance(screen, CampaignEntriesScreen)
        first, second = (screen.table.get_row_at(i) for i in range(2))
        assert first is not None and second is not None
        assert first.cells[0] == "Yes" and first.style == "dim"  # canceled with its segment
        assert first.cells[6].strip() == "2"
        assert second.cells[0] == "" and second.cells[4].startswith("Interacti")
        assert "1 canceled" in text_of(screen.query_one("#status", Static))
        await press(pilot, "enter")
        entries = app.screen
        assert isinstance(entries, InteractionEntriesScreen)
        assert entries.row_count == 2 and entries.view.campaign_entry == int(first.key)
        assert entries.title is not None
        assert entries.title.endswith(f"Campaign Entry {first.key}")
        # The filter line narrows the campaign entry's entries; x clears it, not the link.
        await press(pilot, "slash")
        await type_text(pilot, "contact_no=P1")
        await press(pilot, "enter")
        assert entries.row_count == 1 and entries.view.campaign_entry == int(first.key)
        assert entries.title is not None
        assert entries.title.endswith(f"Campaign Entry {first.key}, contact_no=P1")
        await press(pilot, "x")
        assert entries.row_count == 2 and entries.view.campaign_entry == int(first.key)
        await press(pilot, "escape")
        # F5 reads the campaign entries again (a new one shows), the cursor stays.
        Campaign.create(no="CP1002", description="Winter")
        create_interaction("P1", {"interaction_template_code": "OUTCALL", "campaign_no": "CP1002"})
        await press(pilot, "down", "f5")
        assert screen.table.row_count == 3 and screen.table.cursor_key == second.key
        await press(pilot, "escape")
        await press(pilot, "l", "m")  # from Logged Segments: that logged segment's only
        screen = app.screen
        assert isinstance(screen, CampaignEntriesScreen) and screen.logged == logged
        assert screen.table.row_count == 1


async def test_show_attachments_on_the_entries_screen(
    people: People, db_path: Path, tmp_path: Path
) -> None:
    created = create_interaction("C1", {"interaction_template_code": "LETTER"})
    deliver(created, tmp_path / "out", pdf=False)
    target = tmp_path / "saved.docx"
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        entries = app.screen
        assert isinstance(entries, InteractionEntriesScreen)
        cells = entries.table.cursor_cells
        assert cells is not None and "Delivered" in cells
        await press(pilot, "a")
        letter = app.screen
        assert isinstance(letter, EntryLetterScreen)
        assert "Adatum" in text_of(letter.query_one("#letter", Static))
        assert text_of(letter.query_one("#kind", Static)) == "As delivered."
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one(Input).value = str(target)
        await press(pilot, "enter")
        assert_showing(app, letter)
        assert target.read_bytes() == (tmp_path / "out" / "Adatum.docx").read_bytes()
        assert f"to {target}" in notifications(pilot)[-1]
