"""E-mail delivery against a local SMTP server (aiosmtpd on 127.0.0.1): one message per
e-mail line, with the merged .docx attached or as the body; a server that is down leaves
every entry in Error with the log intact, and a resend delivers once it is back."""

from __future__ import annotations

import json
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.merge import docx_to_text
from segment_tui.models import Attachment, InteractionLogEntry, LoggedSegment, MarketingSetup
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.deliver import (
    deliver_logged_segment,
    resend,
    resend_logged_segment,
)
from segment_tui.services.log.log_segment import log_segment
from tests.delivery.delivery_helpers import SmtpServer

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _newsletter(make_contact: Contact, letters: Letters, *, as_attachment: bool) -> int:
    """Log (with Send) a NEWS segment of two e-mail contacts and one hard copy."""
    make_contact(
        no="P1", type="person", name="Ann Müller", email="ann@example.com",
        correspondence_type="email",
    )  # fmt: skip
    make_contact(
        no="P2", type="person", name="Bob & <Co>", email="bob@example.com",
        correspondence_type="email",
    )  # fmt: skip
    make_contact(no="P3", type="person", name="Paper Only", correspondence_type="hard_copy")
    segment = letters(
        ["P1", "P2", "P3"],
        template="NEWS",
        subject_default="November news",
        send_word_docs_as_attmt=as_attachment,
    )
    result = log_segment(segment, send=True)
    assert result.to_deliver == 3
    return result.logged_segment_entry_no


def _entries(logged: int) -> list[InteractionLogEntry]:
    return list(
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment_entry_no == logged)
        .order_by(InteractionLogEntry.entry_no)
    )


def _by_recipient(smtp: SmtpServer) -> dict[str, EmailMessage]:
    return {to[0]: message for _, to, message in smtp.mailbox.envelopes}


def test_one_message_per_email_line_with_the_merged_docx_attached(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    smtp.start()
    logged = _newsletter(make_contact, letters, as_attachment=True)
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert (report.emails, report.files, report.failed) == (2, 1, 0)
    messages = _by_recipient(smtp)
    assert set(messages) == {"ann@example.com", "bob@example.com"}
    for address, name in (("ann@example.com", "Ann Müller"), ("bob@example.com", "Bob & <Co>")):
        message = messages[address]
        assert message["Subject"] == "November news"
        assert message["From"] == "marketing@cronus.example"
        assert message["To"] == address
        [part] = list(message.iter_attachments())
        assert part.get_content_type() == DOCX
        assert part.get_filename() == "November news.docx"
        text = docx_to_text(part.get_content())
        assert f"Hello {name}," in text
        assert "Best wishes from CRONUS International Ltd." in text
    entries = _entries(logged)
    assert [e.delivery_status for e in entries] == ["sent", "sent", "sent"]
    mailed = entries[0]
    stored = Attachment.get(Attachment.no == mailed.delivered_attachment_no)
    assert "Hello Ann Müller," in docx_to_text(bytes(stored.content))
    assert mailed.delivery_file == ""  # e-mail: no file; the hard copy has one
    assert Path(entries[2].delivery_file).name == "Paper Only.docx"


def test_without_send_as_attachment_the_letter_is_the_body(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    smtp.start()
    logged = _newsletter(make_contact, letters, as_attachment=False)
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert report.emails == 2 and report.failed == 0
    message = _by_recipient(smtp)["bob@example.com"]
    assert not list(message.iter_attachments())
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Hello Bob & <Co>," in text
    assert "this month's newsletter" in text


def test_server_down_every_entry_fails_the_log_stands_and_resend_delivers(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, cli: Run
) -> None:
    logged = _newsletter(make_contact, letters, as_attachment=True)  # server not started
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert (report.emails, report.files, report.failed) == (0, 1, 2)
    entries = _entries(logged)
    assert [e.delivery_status for e in entries] == ["error", "error", "sent"]
    for entry in entries[:2]:
        assert entry.delivery_error.startswith(
            f"Cannot reach the SMTP server 127.0.0.1:{smtp.port}"
        )
        assert entry.delivered_attachment_no is None
    assert LoggedSegment.select().where(LoggedSegment.entry_no == logged).exists()
    assert len(entries) == 3
    assert "2 deliveries failed" in report.summary

    smtp.start()
    status, out, err = cli("logged", "resend", str(logged), "--no-pdf", "--json")
    assert status == 0, err
    [record] = json.loads(out)
    assert (record["emails"], record["files"], record["failed"]) == (2, 0, 0)
    assert sorted(_by_recipient(smtp)) == ["ann@example.com", "bob@example.com"]
    entries = _entries(logged)
    assert [e.delivery_status for e in entries] == ["sent", "sent", "sent"]
    assert all(e.delivery_error == "" and e.delivered_attachment_no for e in entries)
    with pytest.raises(UserError, match="There is nothing to send"):
        resend_logged_segment(logged)


def test_resend_of_chosen_entries_and_again_on_request(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    smtp.start()
    logged = _newsletter(make_contact, letters, as_attachment=True)
    deliver_logged_segment(logged, tmp_path, pdf=False)
    first = _entries(logged)[0]
    with pytest.raises(UserError, match="There is nothing to send"):
        resend([first.entry_no])
    report = resend([first.entry_no], include_delivered=True, out_dir=tmp_path, pdf=False)
    assert (report.emails, report.failed, report.skipped) == (1, 0, 0)
    assert len(smtp.mailbox.envelopes) == 3
    again = InteractionLogEntry.get(InteractionLogEntry.entry_no == first.entry_no)
    assert again.delivered_attachment_no != first.delivered_attachment_no
    assert not Attachment.select().where(Attachment.no == first.delivered_attachment_no).exists()


def test_resend_refuses_entries_of_different_logged_segments(
    make_contact: Contact, letters: Letters, smtp: SmtpServer
) -> None:
    make_contact(no="P1", type="person", name="Ann", email="a@example.com")
    one = log_segment(letters(["P1"], template="NEWS"), send=True).logged_segment_entry_no
    two = log_segment(letters(["P1"], template="NEWS"), send=True).logged_segment_entry_no
    numbers = [_entries(one)[0].entry_no, _entries(two)[0].entry_no]
    with pytest.raises(UserError, match="must always be from the same Logged Segment"):
        resend(numbers)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_uses_the_password_from_the_environment_only(
    make_contact: Contact,
    letters: Letters,
    smtp: SmtpServer,
    tmp_path: Path,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "s3cret-Pa55-for-the-test"
    smtp.auth = ("mailer", secret)
    smtp.start()
    MarketingSetup.update(
        smtp_user="mailer",
        smtp_password_env="SEGMENT_TUI_TEST_SMTP_PASSWORD",
        smtp_allow_unencrypted_login=True,
    ).execute()
    logged = _newsletter(make_contact, letters, as_attachment=True)

    monkeypatch.delenv("SEGMENT_TUI_TEST_SMTP_PASSWORD", raising=False)
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert report.failed == 2
    error = report.errors[_entries(logged)[0].entry_no]
    assert "environment variable SEGMENT_TUI_TEST_SMTP_PASSWORD" in error

    monkeypatch.setenv("SEGMENT_TUI_TEST_SMTP_PASSWORD", "wrong")
    report = resend_logged_segment(logged, out_dir=tmp_path, pdf=False)
    assert report.failed == 2 and "refused the login of mailer" in report.summary

    monkeypatch.setenv("SEGMENT_TUI_TEST_SMTP_PASSWORD", secret)
    report = resend_logged_segment(logged, out_dir=tmp_path, pdf=False)
    assert report.emails == 2 and report.failed == 0
    from segment_tui.db import db

    db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    stored = db_path.read_bytes() + Path(f"{db_path}-wal").read_bytes()
    assert secret.encode() not in stored
