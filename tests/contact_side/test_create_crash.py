"""Create Interaction under ``kill -9`` (docs/delivery.md): real ``interactions create``
processes are killed while their e-mail is in the SMTP server's hands, and while they
wait for the server to answer. Afterwards the entry reads Unknown (resent only with
``--include-unknown``) or stays Queued (the next delivery takes the dead process's claim
over and sends it once): never a second e-mail unless asked."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from segment_tui.models import EntryDeliveryClaim, InteractionLogEntry, MarketingSetup
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.interactions.entries import list_entries
from tests.delivery.delivery_helpers import free_port

People = dict[str, ContactRecord]
RUN_CLI = "import sys; from segment_tui.cli import main; sys.exit(main(sys.argv[1:]))"


class HoldingMailbox:
    """Receives messages and holds each one (no "250" yet) until released."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        self.arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 120)
        return "250 Message accepted for delivery"


def _point_smtp_at(port: int) -> None:
    MarketingSetup.update(
        smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_user="",
        smtp_from_address="marketing@cronus.example",
    ).where(MarketingSetup.primary_key == "").execute()  # fmt: skip


def _child(db_path: Path, data_home: Path, *args: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "--db", str(db_path), *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _cli(db_path: Path, data_home: Path, *args: str) -> tuple[int, str, str]:
    child = _child(db_path, data_home, *args)
    out, err = child.communicate(timeout=120)
    return child.returncode, out, err


@pytest.mark.slow
def test_killed_while_the_server_holds_the_email_it_is_unknown_never_resent(
    people: People, db_path: Path, tmp_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    mailbox = HoldingMailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    _point_smtp_at(port)
    try:
        child = _child(db_path, tmp_path, "interactions", "create", "P1", "--template", "NEWS")
        assert mailbox.arrived.wait(60), child.communicate(timeout=5)
        os.kill(child.pid, signal.SIGKILL)  # the message is handed over, its "250" not yet
        child.wait(timeout=30)
        mailbox.release.set()
        (record,) = list_entries(contact_no="P1")
        assert record["delivery_status"] == "unknown"  # the delivering process is gone
        status, _, err = _cli(db_path, tmp_path, "logged", "resend", "--interactions", "1")
        assert status == 1 and "delivery status Unknown" in err
        assert len(mailbox.received) == 1  # not sent again
        row = InteractionLogEntry.get(InteractionLogEntry.entry_no == 1)
        assert row.delivery_status == "unknown"
        status, out, err = _cli(
            db_path, tmp_path, "logged", "resend", "--interactions", "1", "--include-unknown"
        )
        assert status == 0, err
        assert len(mailbox.received) == 2  # asked for: sent once more
        assert EntryDeliveryClaim.select().count() == 0
    finally:
        mailbox.release.set()
        controller.stop()


@pytest.mark.slow
def test_killed_before_sending_the_next_delivery_takes_over_and_sends_once(
    people: People, db_path: Path, tmp_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    from tests.delivery.delivery_helpers import Mailbox

    silent = socket.socket()  # accepts the connection, never greets: the child waits
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    _point_smtp_at(silent.getsockname()[1])
    try:
        child = _child(db_path, tmp_path, "interactions", "create", "P1", "--template", "NEWS")
        silent.settimeout(60)
        connection, _ = silent.accept()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        connection.close()
    finally:
        silent.close()
    row = InteractionLogEntry.get(InteractionLogEntry.entry_no == 1)
    assert row.delivery_status == "in_progress"  # Queued: nothing was sent
    assert EntryDeliveryClaim.select().count() == 1  # the dead process's claim
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _point_smtp_at(port)
        status, out, err = _cli(db_path, tmp_path, "logged", "resend", "--interactions", "1")
        assert status == 0, err
        assert len(mailbox.envelopes) == 1
        assert InteractionLogEntry.get(InteractionLogEntry.entry_no == 1).delivery_status == "sent"
    finally:
        controller.stop()
