"""The Log dialog (issue 12, points 2, 4, 5): the focus starts on the first option and
nothing typed is lost; the letter check is shown before anything is written (and in
Setup right after a document is attached); the outcome — a failed delivery above all —
stays on screen, in the message history (ctrl+n) and in Logged Segments' delivery
column, and a Resend once SMTP works sends what failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, Input, Static

from segment_tui.models import InteractionLogEntry, LoggedSegment, MarketingSetup
from segment_tui.services.documents.template_docs import attach_template_document
from segment_tui.services.segments.headers import create_segment, header_record
from segment_tui.services.segments.lines import add_line
from segment_tui.ui.app import SegmentApp
from segment_tui.ui.screens.log_dialog import LogDialog
from segment_tui.ui.screens.logged_segments import LoggedSegmentsScreen
from segment_tui.ui.screens.messages import MessagesScreen
from segment_tui.ui.screens.segments import SegmentsScreen
from segment_tui.ui.screens.setup import SetupScreen
from segment_tui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import ContactFactory
from tests.delivery.delivery_helpers import SmtpServer, document, free_port
from tests.ui.support import (
    SIZE,
    assert_showing,
    focused_widget,
    notifications,
    press,
    settle,
    type_text,
)


def text_of(widget: Any) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


@pytest.fixture
def mailing(make_contact: ContactFactory) -> str:
    """A NEWS (e-mail) segment of three contacts; two have no postal address."""
    make_contact(no="C1", type="company", name="Adatum", address="1 Road", city="Ely",
                 email="info@adatum.example", correspondence_type="email")  # fmt: skip
    for no in ("P1", "P2"):
        make_contact(no=no, type="person", name=f"Person {no}", email=f"{no.lower()}@x.example",
                     correspondence_type="email")  # fmt: skip
    segment = create_segment("Autumn mail", template="NEWS", salesperson="BC")["no"]
    for no in ("C1", "P1", "P2"):
        add_line(segment, no)
    return str(segment)


async def open_log(app: SegmentApp, pilot: Any) -> LogDialog:
    await settle(pilot)
    await press(pilot, "enter", "L")
    dialog = app.screen
    assert isinstance(dialog, LogDialog)
    return dialog


async def test_focus_starts_on_the_first_option_and_typing_is_never_lost(
    mailing: str, db_path: Path
) -> None:
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_log(app, pilot)
        send = dialog.query_one("#send", Checkbox)
        follow_up = dialog.query_one("#follow_up", Checkbox)
        folder = dialog.query_one("#out", Input)
        assert focused_widget(dialog) is send and send.value  # on: the lines have a type

        # The keys: L Tab Space Tab ~/letters.
        await press(pilot, "tab", "space", "tab")
        await type_text(pilot, "~/letters")
        assert (send.value, follow_up.value, folder.value) == (True, True, "~/letters")

        # Typing on an option goes to the folder field; Enter on an option toggles it.
        folder.value = ""
        send.focus()
        await type_text(pilot, "/tmp/x")
        assert folder.value == "/tmp/x" and dialog.focused is folder
        send.focus()
        await press(pilot, "enter")
        assert send.value is False and isinstance(app.screen, LogDialog)
        # Enter in the folder goes to the Log button: it never logs by itself.
        folder.focus()
        await press(pilot, "enter")
        assert dialog.focused is dialog.query_one("#log")
        assert LoggedSegment.select().count() == 0
        await press(pilot, "escape")
        assert isinstance(app.screen, WorksheetScreen)
    assert LoggedSegment.select().count() == 0


async def test_the_letter_check_is_shown_before_anything_is_written(
    mailing: str, db_path: Path
) -> None:
    language = header_record(mailing)["language_code_default"]
    letter = document("Contact Mail Address", "{{Contact Shoe Size}}", text="Dear customer")
    attach_template_document("NEWS", letter, language)
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_log(app, pilot)
        checks = text_of(dialog.query_one("#checks", Static))
        assert "2 contacts have no address" in checks
        assert "1 unknown field: «Contact Shoe Size» (did you mean" in checks
        assert LoggedSegment.select().count() == 0 and InteractionLogEntry.select().count() == 0


async def test_a_failed_delivery_stays_on_screen_and_is_resent_once_smtp_works(
    mailing: str, db_path: Path
) -> None:
    port = free_port()  # nobody listens: the SMTP server is down
    MarketingSetup.update(
        smtp_host="127.0.0.1", smtp_port=port, smtp_from_address="crm@adatum.example"
    ).execute()
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_log(app, pilot)
        await press(pilot, "ctrl+s")
        outcome = text_of(dialog.query_one("#headline", Static))
        assert_showing(app, dialog)  # the outcome waits to be read
        assert "has been logged (3 interactions)" in outcome
        assert f"3 deliveries failed: Cannot reach the SMTP server 127.0.0.1:{port}" in outcome
        assert "Resend" in outcome
        report = text_of(dialog.query_one("#summary", Static))
        # One line for the error the three entries share, naming them (not one per entry).
        assert report.count("Cannot reach the SMTP server") == 1
        assert "entries 1, 2, 3: Cannot reach the SMTP server" in report
        await press(pilot, "enter")
        assert isinstance(app.screen, SegmentsScreen)

        # The toast is gone, the message is not.
        await press(pilot, "ctrl+n")
        history = app.screen
        assert isinstance(history, MessagesScreen)
        assert history.shown[0].severity == "warning"
        assert history.shown[0].text.startswith(outcome)  # the headline and the report
        assert (
            history.shown[0].text.count("Cannot reach the SMTP server") == 2
        )  # the headline, then the report's one line
        await press(pilot, "escape")

        await press(pilot, "l")
        logged = app.screen
        assert isinstance(logged, LoggedSegmentsScreen)
        row = logged.table.get_row_at(0)
        assert row is not None and "3 failed" in row.cells
        assert "with failed deliveries" in text_of(logged.query_one("#status", Static))

        server = SmtpServer(port)  # SMTP fixed
        server.start()
        try:
            await press(pilot, "R")
        finally:
            server.stop()
        assert len(server.mailbox.messages) == 3
        row = logged.table.get_row_at(0)
        assert row is not None and "3 sent" in row.cells
        assert any("3 e-mails sent" in m for m in notifications(pilot))
    statuses = {e.delivery_status for e in InteractionLogEntry.select()}
    assert statuses == {"sent"}


async def test_setup_warns_right_after_attaching_a_document_with_unknown_fields(
    cronus: Any, db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "odd.docx"
    path.write_bytes(document("Contact Name", "{{Contact Shoe Size}}"))
    app = SegmentApp(str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await press(pilot, "enter")  # into the templates
        screen.records_table.move_cursor(row=screen.records_table.get_row_index("OUTCALL"))
        await press(pilot, "w")
        app.screen.query_one("#field-path", Input).value = str(path)
        await press(pilot, "ctrl+s")
        warning = next(m for m in app.message_history if m.title == "Check the document")
        assert warning.severity == "warning"
        assert "Attached odd.docx to template OUTCALL" in warning.text
        assert "1 unknown field: «Contact Shoe Size»" in warning.text
