"""One delivery at a time per logged segment: while another process delivers a logged
segment, a Resend is refused with a message naming that process and sends nothing; a
claim left by a killed process is taken over; a finished delivery leaves no claim."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.claim import delivery_claim
from segment_tui.services.delivery.deliver import (
    deliver_logged_segment,
    resend,
    resend_logged_segment,
)
from segment_tui.services.log.log_segment import log_segment
from tests.delivery.delivery_helpers import SmtpServer

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]

HOLD_CLAIM = """
import sys
from segment_tui.db import open_database
from segment_tui.services.delivery.claim import delivery_claim
open_database(sys.argv[1])
with delivery_claim(int(sys.argv[2])):
    print("claimed", flush=True)
    sys.stdin.read()
"""


def _two_emails_that_failed(make_contact: Contact, letters: Letters, tmp_path: Path) -> int:
    """A logged NEWS segment of two e-mail contacts, delivered while the server was down."""
    for no, address in (("P1", "ann@example.com"), ("P2", "bob@example.com")):
        make_contact(no=no, type="person", name=no, email=address, correspondence_type="email")
    logged = log_segment(letters(["P1", "P2"], template="NEWS"), send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert report.failed == 2
    return logged


def _statuses(logged: int) -> list[str]:
    return [
        entry.delivery_status
        for entry in InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment_entry_no == logged)
        .order_by(InteractionLogEntry.entry_no)
    ]


def _claim(logged: int) -> str:
    return str(LoggedSegment.get_by_id(logged).delivery_claim)


def test_resend_while_another_process_delivers_is_refused_then_takes_over_when_it_died(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, db_path: Path
) -> None:
    logged = _two_emails_that_failed(make_contact, letters, tmp_path)
    assert _claim(logged) == ""
    smtp.start()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_CLAIM, str(db_path), str(logged)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "claimed"
        attempts: tuple[Callable[[], object], ...] = (
            lambda: resend_logged_segment(logged),
            lambda: resend([1, 2]),
            lambda: deliver_logged_segment(logged),
        )
        for attempt in attempts:
            with pytest.raises(UserError, match=f"being delivered by process {holder.pid} on "):
                attempt()
        assert smtp.mailbox.envelopes == []
        assert _statuses(logged) == ["error", "error"]
    finally:
        holder.kill()  # dies holding the claim, as a delivery killed half-way would
        holder.wait()
    assert _claim(logged).split(":")[1] == str(holder.pid)

    report = resend_logged_segment(logged, pdf=False)
    assert (report.emails, report.failed) == (2, 0)
    assert len(smtp.mailbox.envelopes) == 2
    assert _statuses(logged) == ["sent", "sent"]
    assert _claim(logged) == ""


def _set_claim(logged: int, claim: str, age: dt.timedelta) -> None:
    renewed = dt.datetime.now(dt.UTC).replace(tzinfo=None) - age
    LoggedSegment.update(delivery_claim=claim, delivery_claimed_at=renewed).where(
        LoggedSegment.entry_no == logged
    ).execute()


def test_a_claim_is_respected_until_it_has_not_been_renewed_for_a_while(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    logged = _two_emails_that_failed(make_contact, letters, tmp_path)
    smtp.start()
    _set_claim(logged, "other-host:4242:abc", dt.timedelta(minutes=5))
    with pytest.raises(UserError, match="process 4242 on other-host, last seen .* UTC"):
        resend_logged_segment(logged, pdf=False)
    assert smtp.mailbox.envelopes == []

    # Not renewed for an hour: its process died, even if its PID (here ours) lives on.
    _set_claim(logged, f"{socket.gethostname()}:{os.getpid()}:old", dt.timedelta(hours=1))
    report = resend_logged_segment(logged, pdf=False)
    assert report.emails == 2
    assert _claim(logged) == ""


def test_a_delivery_whose_claim_was_taken_over_stops(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    logged = _two_emails_that_failed(make_contact, letters, tmp_path)
    with delivery_claim(logged) as claim:
        claim.renew()  # ours: fine
        _set_claim(logged, "other-host:1:new", dt.timedelta(0))
        with pytest.raises(UserError, match="Another process took over the delivery"):
            claim.renew()
    assert _claim(logged) == "other-host:1:new"  # not released: it is not ours


def test_entries_of_a_deleted_logged_segment_are_not_sent_again(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    logged = _two_emails_that_failed(make_contact, letters, tmp_path)
    numbers = [e.entry_no for e in InteractionLogEntry.select()]
    InteractionLogEntry.update(logged_segment_entry_no=None).execute()
    LoggedSegment.delete().where(LoggedSegment.entry_no == logged).execute()
    smtp.start()
    with pytest.raises(UserError, match="logged segment .* has been deleted"):
        resend(numbers)
    assert smtp.mailbox.envelopes == []


def test_a_refused_or_failed_delivery_leaves_no_claim_behind(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    logged = _two_emails_that_failed(make_contact, letters, tmp_path)  # server down
    assert _claim(logged) == ""
    smtp.start()
    resend_logged_segment(logged, pdf=False)
    with pytest.raises(UserError, match="There is nothing to send"):
        resend_logged_segment(logged)  # refused inside the claim
    assert _claim(logged) == ""
