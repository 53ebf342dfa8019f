"""Delivery states (docs/delivery.md): queued → sending → sent / error, and unknown for an
entry a dead delivery left Sending — shown as Unknown, never resent without
--include-unknown; hard copies rewritten under their own names; Log with Send claims in
the transaction that logs; counts and captions for the screens."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.merge import docx_to_text
from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.deliver import (
    deliver_logged_segment,
    resend,
    resend_logged_segment,
)
from segment_tui.services.interactions.columns import ENTRY_COLUMNS
from segment_tui.services.interactions.entries import list_entries
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.log.logged_counts import logged_counts
from segment_tui.services.log.logged_segments import list_logged_segments
from tests.delivery.delivery_helpers import SmtpServer

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]

RUN_CLI = "import sys; from segment_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def _mixed(make_contact: Contact, letters: Letters) -> int:
    """Log (with Send) two e-mail contacts and two hard copies; returns the logged segment."""
    for no, kind in (("E1", "email"), ("E2", "email"), ("H1", "hard_copy"), ("H2", "hard_copy")):
        make_contact(
            no=no, type="person", name=f"Person {no}", email=f"{no.lower()}@example.com",
            correspondence_type=kind,
        )  # fmt: skip
    segment = letters(["E1", "E2", "H1", "H2"], template="NEWS", send_word_docs_as_attmt=True)
    return log_segment(segment, send=True).logged_segment_entry_no


def _entries(logged: int) -> dict[str, InteractionLogEntry]:
    return {
        e.contact_no: e
        for e in InteractionLogEntry.select().where(
            InteractionLogEntry.logged_segment_entry_no == logged
        )
    }


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _die_while_sending(logged: int, contacts: list[str]) -> None:
    """What ``kill -9`` leaves: ``contacts``' entries Sending, the claim of a dead process."""
    LoggedSegment.update(
        delivery_claim=f"{socket.gethostname()}:{_dead_pid()}:dead",
        delivery_claimed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    ).where(LoggedSegment.entry_no == logged).execute()
    InteractionLogEntry.update(delivery_status="sending").where(
        (InteractionLogEntry.logged_segment_entry_no == logged)
        & InteractionLogEntry.contact_no.in_(contacts)
    ).execute()


def _received(smtp: SmtpServer) -> list[str]:
    return sorted(to[0] for _, to, _ in smtp.mailbox.envelopes)


def test_an_entry_left_sending_is_unknown_and_only_sent_again_when_asked(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, cli: Run
) -> None:
    smtp.start()
    logged = _mixed(make_contact, letters)
    out = tmp_path / "letters"
    deliver_logged_segment(logged, out, pdf=False)
    assert _received(smtp) == ["e1@example.com", "e2@example.com"]
    assert {e.delivery_status for e in _entries(logged).values()} == {"sent"}
    first_file = _entries(logged)["H1"].delivery_file
    _die_while_sending(logged, ["E1", "H1"])
    (out / Path(first_file).name).unlink()  # killed before the letter was written

    # Shown as Unknown at once (the claim's process is gone), in lists and counts.
    shown = {r["contact_no"]: r["delivery_status"] for r in list_entries(logged_segment=logged)}
    assert shown == {"E1": "unknown", "E2": "sent", "H1": "unknown", "H2": "sent"}
    assert logged_counts()[logged].delivery.describe() == "2 sent, 2 unknown"
    [record] = list_logged_segments()
    assert record["delivery"] == {"sent": 2, "failed": 0, "unknown": 2, "pending": 0}

    # Resend: the letter is written again under its own name; the e-mail is held back.
    status, output, err = cli("logged", "resend", str(logged), "--no-pdf")
    assert status == 1
    assert f"logged resend {logged} --include-unknown" in err
    assert "with delivery status Unknown" in output
    assert _received(smtp) == ["e1@example.com", "e2@example.com"]
    entries = _entries(logged)
    assert entries["E1"].delivery_status == "unknown"
    assert "may or may not have been delivered" in entries["E1"].delivery_error
    assert entries["H1"].delivery_status == "sent"
    assert entries["H1"].delivery_file == first_file
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["Person H1.docx", "Person H2.docx", f"Segment {entries['H1'].segment_no}.docx"]
    )
    with pytest.raises(UserError, match=r"1 e-mail \(entries \d+\) has delivery status Unknown"):
        resend_logged_segment(logged)

    # Asked explicitly: sent again (the recipient may now have it twice).
    report = resend([entries["E1"].entry_no], include_unknown=True, pdf=False)
    assert (report.emails, report.failed, report.unknown_entries) == (1, 0, [])
    assert _received(smtp) == ["e1@example.com", "e1@example.com", "e2@example.com"]
    assert _entries(logged)["E1"].delivery_status == "sent"


def test_resend_of_hard_copies_overwrites_them_and_rebuilds_the_print_file_whole(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    smtp.start()
    logged = _mixed(make_contact, letters)
    out = tmp_path / "letters"
    deliver_logged_segment(logged, out, pdf=False)
    segment = _entries(logged)["H1"].segment_no
    combined = out / f"Segment {segment}.docx"
    combined.unlink()  # as if killed before the print file was written
    InteractionLogEntry.update(delivery_status="error", delivery_error="disk full").where(
        InteractionLogEntry.contact_no == "H2"
    ).execute()

    report = resend_logged_segment(logged, pdf=False)  # no --out: where the letters went
    assert (report.files, report.emails, report.out_dir) == (1, 0, out.absolute())
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["Person H1.docx", "Person H2.docx", f"Segment {segment}.docx"]
    )
    text = docx_to_text(combined.read_bytes())
    assert text.count("Hello Person H1,") == 1 and text.count("Hello Person H2,") == 1

    report = resend_logged_segment(logged, include_delivered=True, out_dir=out, pdf=False)
    assert (report.files, report.emails) == (2, 2)
    assert len(list(out.iterdir())) == 3  # the same names again: no "(2)" copies
    assert not list(out.glob("*(2)*")) and not list(out.glob(".*"))


def test_a_message_whose_connection_breaks_after_handover_is_unknown_not_sent_again(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    class DropAfterData:
        """Takes e1's message, then drops the connection instead of answering."""

        def __init__(self, mailbox: Any) -> None:
            self.mailbox = mailbox

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            await self.mailbox.handle_DATA(server, session, envelope)
            if envelope.rcpt_tos == ["e1@example.com"]:
                server.transport.abort()
                await asyncio.sleep(0.1)
            return "250 OK"

    smtp.mailbox_handler = DropAfterData(smtp.mailbox)
    smtp.start()
    logged = _mixed(make_contact, letters)
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    entries = _entries(logged)
    assert report.unknown_entries == [entries["E1"].entry_no]
    assert entries["E1"].delivery_status == "unknown"
    assert "broke after the message was handed over" in entries["E1"].delivery_error
    assert entries["E2"].delivery_status == "sent"  # a new connection for the next one
    assert _received(smtp) == ["e1@example.com", "e2@example.com"]  # e1 once, not retried


def test_log_with_send_claims_delivery_in_the_logging_transaction(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, db_path: Path
) -> None:
    import os

    smtp.start()
    logged = _mixed(make_contact, letters)
    claim = LoggedSegment.get_by_id(logged).delivery_claim
    assert claim.split(":")[:2] == [socket.gethostname(), str(os.getpid())]
    # Between Log and Send, another process's Resend is refused and sends nothing.
    other = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "--db", str(db_path), "logged", "resend", str(logged)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert other.returncode == 1
    assert f"being delivered by process {os.getpid()}" in other.stderr
    assert smtp.mailbox.envelopes == []
    # This process's delivery adopts the claim, delivers, and lets it go.
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert (report.emails, report.files) == (2, 2)
    assert LoggedSegment.get_by_id(logged).delivery_claim == ""


def test_status_captions_counts_and_the_logged_list(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, cli: Run
) -> None:
    statuses = ("", "in_progress", "sending", "sent", "error", "unknown")
    captions = ["", "Queued", "Sending", "Sent", "Error", "Unknown"]
    shown = ENTRY_COLUMNS["delivery_status"].format  # the Delivery column, TUI and CLI
    assert [shown(s) for s in statuses] == captions
    logged = _mixed(make_contact, letters)  # server down: the e-mails fail
    assert logged_counts()[logged].delivery.describe() == "4 pending"
    deliver_logged_segment(logged, tmp_path, pdf=False)
    counts = logged_counts()[logged].delivery
    assert (counts.sent, counts.failed, counts.unknown, counts.pending) == (2, 2, 0, 0)
    status, out, _ = cli("logged", "list")
    assert status == 0 and "2 sent, 2 failed" in out
    status, out, _ = cli("logged", "list", "--json")
    assert json.loads(out)[0]["delivery"]["failed"] == 2
