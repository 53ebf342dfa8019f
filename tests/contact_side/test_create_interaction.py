"""Create Interaction for one contact (BC's wizard, page 5077; docs/interactions.md).

Defaults come from the template and the contact (salesperson: the user's, else the
contact's; language: the contact's when the template has a document in it); the entry is
written with Log's column mapping (compared field by field with an entry Log wrote);
BC's messages refuse bad input and nothing is written; a letter is delivered through the
delivery states (Queued → Sending → Sent/Error), claimed in the creating transaction, at
most once per e-mail; a campaign gets BC's one "Interactions" campaign entry."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import (
    Attachment,
    CampaignEntry,
    EntryDeliveryClaim,
    InteractionLogEntry,
    UserSetup,
)
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery import entry_claim as delivery_entry_claim
from segment_tui.services.delivery.deliver import resend
from segment_tui.services.interactions.create import (
    TEMPLATE_MANDATORY,
    create_interaction,
    deliver,
    interaction_defaults,
)
from segment_tui.services.interactions.create_input import (
    ATTACHMENT_REQUIRED,
    DESCRIPTION_MANDATORY,
)
from segment_tui.services.interactions.entries import list_entries
from segment_tui.services.segments.headers import current_user
from tests.delivery.delivery_helpers import SmtpServer, document
from tests.engine.support import row_counts

People = dict[str, ContactRecord]


def entry(number: int) -> InteractionLogEntry:
    found: InteractionLogEntry = InteractionLogEntry.get(InteractionLogEntry.entry_no == number)
    return found


# -- defaults -------------------------------------------------------------------------


def test_the_template_gives_the_defaults(people: People) -> None:
    record = interaction_defaults("P1", "LETTER")
    assert record["description"] == "Product letter"
    assert record["correspondence_type"] == "hard_copy"
    assert record["cost_lcy"] == Decimal("2.50") and record["duration_min"] == 5
    assert record["information_flow"] == "outbound" and record["initiated_by"] == "us"
    assert record["interaction_group_code"] == "LETTER"
    assert record["salesperson_code"] == "JO"  # the contact's: the user has none
    assert record["date"] == dt.date.today()
    assert record["language_code"] == "ENU" and record["has_document"] is True


def test_the_date_is_the_work_date(people: People) -> None:
    from segment_tui.services.setup.work_date import set_work_date

    set_work_date(dt.date(2026, 6, 30))
    try:
        assert interaction_defaults("P1", "LETTER")["date"] == dt.date(2026, 6, 30)
        created = create_interaction("P1", {"interaction_template_code": "LETTER"}, send=False)
        assert entry(created.entry_no).date == dt.date(2026, 6, 30)
    finally:
        set_work_date(None)


def test_the_users_salesperson_comes_before_the_contacts(people: People) -> None:
    UserSetup.insert(user_id=current_user(), salesperson_code="HR").execute()
    assert interaction_defaults("P1", "LETTER")["salesperson_code"] == "HR"


def test_the_contacts_language_is_used_when_the_template_has_a_document_in_it(
    people: People,
) -> None:
    from segment_tui.services.contacts.records import update_contact
    from segment_tui.services.documents.template_docs import attach_template_document

    update_contact("P1", {"language_code": "DEU"})
    assert interaction_defaults("P1", "LETTER")["language_code"] == "ENU"  # none in DEU
    german = document(text="Sehr geehrte")
    attach_template_document("LETTER", german, "DEU")
    assert interaction_defaults("P1", "LETTER")["language_code"] == "DEU"
    created = create_interaction("P1", {"interaction_template_code": "LETTER"}, send=False)
    row = entry(created.entry_no)
    assert row.interaction_language_code == "DEU"
    assert bytes(Attachment.get(Attachment.no == row.attachment_no).content) == german


# -- the entry, written as Log writes it ---------------------------------------------


def test_the_entry_is_written_exactly_as_log_writes_it(people: People) -> None:
    from segment_tui.services.log.log_segment import log_segment
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    day = dt.date(2026, 11, 2)
    header = create_segment("Product letter", template="LETTER", salesperson="JO", date=day)
    add_line(header["no"], "P1")
    logged = log_segment(header["no"])
    by_log = entry(
        InteractionLogEntry.get(
            InteractionLogEntry.logged_segment_entry_no == logged.logged_segment_entry_no
        ).entry_no
    ).as_record()
    created = create_interaction(
        "P1",
        {"interaction_template_code": "LETTER", "date": day, "time_of_interaction": ""},
        send=False,
    )
    by_wizard = entry(created.entry_no).as_record()
    # What differs by design: the keys, the segment, and BC's wizard Subject := Description.
    different = {"entry_no", "segment_no", "logged_segment_entry_no", "subject"}
    assert {k: v for k, v in by_wizard.items() if k not in different} == {
        k: v for k, v in by_log.items() if k not in different
    }
    assert by_wizard["segment_no"] == "" and by_wizard["logged_segment_entry_no"] is None
    assert by_wizard["subject"] == "Product letter"
    # Both link the template's document by number (docs/word-documents.md).
    assert by_wizard["attachment_no"] == by_log["attachment_no"] is not None


def test_step_4_values_are_kept(people: People) -> None:
    created = create_interaction(
        "P3",
        {
            "interaction_template_code": "OUTCALL",
            "description": "Called about the offer",
            "evaluation": "Very Positive",
            "attempt_failed": "yes",
            "cost_lcy": "7.25",
            "duration_min": "12",
            "time_of_interaction": "14:30",
            "date": "2026-10-01",
        },
    )
    row = entry(created.entry_no)
    assert (row.description, row.evaluation, row.attempt_failed) == (
        "Called about the offer",
        "very_positive",
        True,
    )
    assert (row.cost_lcy, row.duration_min) == (Decimal("7.25"), 12)
    assert row.time_of_interaction == dt.time(14, 30) and row.date == dt.date(2026, 10, 1)
    assert row.correspondence_type == "" and row.delivery_status == ""  # a call: no letter
    assert not created.queued


# -- BC's messages, nothing written ---------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "values", "message"),
    [
        ("", {"interaction_template_code": "LETTER"}, "You must select a contact to interact"),
        ("NOPE", {"interaction_template_code": "LETTER"}, "The Contact does not exist"),
        ("P1", {}, TEMPLATE_MANDATORY),
        ("P1", {"interaction_template_code": "XX"}, "The Interaction Template does not exist"),
        ("P1", {"interaction_template_code": "LETTER", "description": ""}, DESCRIPTION_MANDATORY),
        (
            "P1",
            {"interaction_template_code": "LETTER", "salesperson_code": ""},
            "You must fill in the Salesperson Code field.",
        ),
        (
            "P1",
            {"interaction_template_code": "LETTER", "date": ""},
            "You must fill in the Date field.",
        ),
        (
            "P1",
            {"interaction_template_code": "LETTER", "salesperson_code": "ZZ"},
            "The Salesperson/Purchaser does not exist",
        ),
        ("P1", {"interaction_template_code": "LETTER", "campaign_no": "NO"}, "Campaign"),
        ("P1", {"interaction_template_code": "LETTER", "cost_lcy": "-1"}, "greater than or equal"),
        ("P1", {"interaction_template_code": "LETTER", "evaluation": "great"}, "evaluation"),
        ("P1", {"interaction_template_code": "LETTER", "description": "x" * 101}, "at most 100"),
        ("P1", {"interaction_template_code": "LETTER", "colour": "red"}, "unknown field"),
        # E-mail: a document is needed (BC's CheckStatus) and an address (Log's check).
        ("P1", {"interaction_template_code": "OUTCALL", "correspondence_type": "Email"},
         ATTACHMENT_REQUIRED),
        ("P2", {"interaction_template_code": "NEWS"},
         "Make sure that the Email field is specified for either contact no. P2"),
        # A hard copy to deliver needs a document.
        ("P1", {"interaction_template_code": "OUTCALL", "correspondence_type": "hard copy"},
         "You must select an interaction template with an attachment."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_bcs_message_and_nothing_is_written(
    people: People, contact: str, values: dict[str, Any], message: str
) -> None:
    before = row_counts()
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(".", r"\.")):
        create_interaction(contact, values)
    assert row_counts() == before
    assert EntryDeliveryClaim.select().count() == 0


def test_a_hard_copy_without_document_may_be_logged_without_send(people: People) -> None:
    created = create_interaction(
        "P1",
        {"interaction_template_code": "OUTCALL", "correspondence_type": "hard_copy"},
        send=False,
    )
    row = entry(created.entry_no)
    assert row.correspondence_type == "hard_copy" and row.delivery_status == ""


# -- delivery: the same states and guarantee as Log with Send -------------------------


def test_a_hard_copy_is_written_once_without_a_print_file(people: People, tmp_path: Path) -> None:
    tmp_path = tmp_path / "letters"
    created = create_interaction("C1", {"interaction_template_code": "LETTER"})
    assert created.queued and entry(created.entry_no).delivery_status == "in_progress"
    # Claimed in the creating transaction, by this process.
    claim = EntryDeliveryClaim.get(EntryDeliveryClaim.entry_no == created.entry_no)
    assert claim.claim.startswith(f"{socket.gethostname()}:{os.getpid()}:")
    report = deliver(created, tmp_path, pdf=False)
    assert report is not None and report.files == 1 and report.failed == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Adatum.docx"]  # no combined file
    row = entry(created.entry_no)
    assert row.delivery_status == "sent" and row.delivery_file == str(tmp_path / "Adatum.docx")
    stored = Attachment.get(Attachment.no == row.delivered_attachment_no)
    assert bytes(stored.content) == (tmp_path / "Adatum.docx").read_bytes()
    assert EntryDeliveryClaim.select().count() == 0  # released


def test_a_hard_copy_gets_its_letters_pdf_and_no_print_file(people: People, tmp_path: Path) -> None:
    import shutil

    from segment_tui.services.documents.merge_pdf import soffice_path

    if soffice_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext) are needed")
    import subprocess

    tmp_path = tmp_path / "letters"
    created = create_interaction("C1", {"interaction_template_code": "LETTER"})
    report = deliver(created, tmp_path, pdf=True)
    assert report is not None and report.files == 1 and not report.missing_files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Adatum.docx", "Adatum.pdf"]
    assert report.pdfs == 1 and report.combined == []
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "Adatum.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Adatum" in text


def test_a_letters_pdf_that_cannot_be_made_is_named(
    people: People, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from segment_tui.services.documents import merge_pdf

    monkeypatch.setattr(merge_pdf, "soffice_path", lambda: None)
    tmp_path = tmp_path / "letters"
    created = create_interaction("C1", {"interaction_template_code": "LETTER"})
    report = deliver(created, tmp_path, pdf=True)
    assert report is not None and report.files == 1 and report.incomplete
    assert list(report.missing_files) == [tmp_path / "Adatum.pdf"]
    assert "not installed" in report.missing_files[tmp_path / "Adatum.pdf"]
    assert entry(created.entry_no).delivery_status == "sent"  # the letter went out


def test_without_out_the_letter_goes_to_the_interactions_folder(
    people: People, private_data_dir: Path
) -> None:
    created = create_interaction("P1", {"interaction_template_code": "LETTER"})
    report = deliver(created, pdf=False)
    assert report is not None and report.out_dir is not None
    assert report.out_dir == private_data_dir / "segment-tui" / "deliveries" / "Interactions"
    assert (report.out_dir / "Adatum - Ann Smith.docx").exists()


def test_an_email_is_sent_once(people: People, smtp: SmtpServer) -> None:
    smtp.start()
    created = create_interaction("P1", {"interaction_template_code": "NEWS"})
    report = deliver(created)
    assert report is not None and report.emails == 1
    (sender, recipients, message) = smtp.mailbox.envelopes[0]
    assert recipients == ["ann@adatum.example"]
    assert message["Subject"] == "Newsletter e-mail"
    row = entry(created.entry_no)
    assert row.delivery_status == "sent" and row.contact_via == "ann@adatum.example"
    with pytest.raises(UserError, match="There is nothing to send"):
        resend([created.entry_no])
    assert len(smtp.mailbox.envelopes) == 1


def test_a_failed_email_stays_logged_with_status_error_and_is_resent(
    people: People, smtp: SmtpServer
) -> None:
    created = create_interaction("P1", {"interaction_template_code": "NEWS"})
    report = deliver(created)  # the server is not running
    assert report is not None and report.failed == 1 and report.emails == 0
    row = entry(created.entry_no)
    assert row.delivery_status == "error" and row.delivery_error
    smtp.start()
    again = resend([created.entry_no])
    assert again.emails == 1 and entry(created.entry_no).delivery_status == "sent"
    assert len(smtp.mailbox.envelopes) == 1


def test_another_process_cannot_deliver_while_the_claim_stands(
    people: People, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "letters"
    tmp_path.mkdir()
    created = create_interaction("C1", {"interaction_template_code": "LETTER"})
    handed = dict(delivery_entry_claim._handed_over)
    delivery_entry_claim._handed_over.clear()  # as if another process tried
    with pytest.raises(UserError, match="is being delivered by process"):
        resend([created.entry_no], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []
    delivery_entry_claim._handed_over.update(handed)
    report = deliver(created, tmp_path, pdf=False)
    assert report is not None and report.files == 1


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_an_email_a_killed_delivery_left_sending_is_unknown_and_not_resent(
    people: People, smtp: SmtpServer
) -> None:
    created = create_interaction("P1", {"interaction_template_code": "NEWS"})
    delivery_entry_claim._handed_over.clear()
    # What a process killed after marking the entry Sending leaves behind.
    InteractionLogEntry.update(delivery_status="sending").where(
        InteractionLogEntry.entry_no == created.entry_no
    ).execute()
    EntryDeliveryClaim.update(claim=f"{socket.gethostname()}:{_dead_pid()}:gone").execute()
    assert list_entries(contact_no="P1")[0]["delivery_status"] == "unknown"
    smtp.start()
    with pytest.raises(UserError, match="delivery status Unknown"):
        resend([created.entry_no])
    assert smtp.mailbox.envelopes == []
    assert entry(created.entry_no).delivery_status == "unknown"  # settled by the claim
    report = resend([created.entry_no], include_unknown=True)
    assert report.emails == 1 and len(smtp.mailbox.envelopes) == 1


def test_entries_without_a_logged_segment_are_resent_one_at_a_time(people: People) -> None:
    first = create_interaction("P1", {"interaction_template_code": "OUTCALL"})
    second = create_interaction("P3", {"interaction_template_code": "OUTCALL"})
    with pytest.raises(UserError, match="one at a time"):
        resend([first.entry_no, second.entry_no])


# -- campaigns ------------------------------------------------------------------------


def test_a_campaign_gets_one_interactions_campaign_entry(people: People) -> None:
    one = create_interaction(
        "P1", {"interaction_template_code": "OUTCALL", "campaign_no": "cp1001"}
    )
    two = create_interaction(
        "P3", {"interaction_template_code": "OUTCALL", "campaign_no": "CP1001"}
    )
    (campaign_entry,) = CampaignEntry.select()
    assert (campaign_entry.campaign_no, campaign_entry.segment_no) == ("CP1001", "")
    assert campaign_entry.description == "Interactions" and campaign_entry.register_no == 0
    assert one.campaign_entry_no == two.campaign_entry_no == campaign_entry.entry_no
    assert entry(two.entry_no).campaign_no == "CP1001"


# -- the command line -----------------------------------------------------------------


def test_cli_creates_and_delivers_a_hard_copy(people: People, cli: Any, tmp_path: Path) -> None:
    tmp_path = tmp_path / "letters"
    status, out, err = cli(
        "interactions", "create", "c1", "--template", "letter", "--out", str(tmp_path),
        "--no-pdf", "--evaluation", "positive",
    )  # fmt: skip
    assert status == 0, err
    assert out.splitlines()[0] == "created interaction log entry 1 for contact C1 (Hard Copy)"
    assert "1 letter written to" in out
    assert entry(1).evaluation == "positive" and (tmp_path / "Adatum.docx").exists()


def test_cli_json_holds_the_entry_and_the_delivery(people: People, cli: Any) -> None:
    status, out, err = cli(
        "interactions", "create", "P3", "--template", "OUTCALL", "--cost", "3",
        "--correspondence-type", "none", "--json",
    )  # fmt: skip
    assert status == 0, err
    document = json.loads(out)
    assert document["delivery"] is None
    assert document["entry"]["contact_no"] == "P3" and document["entry"]["cost_lcy"] == 3
    assert document["entry"]["letter"] == ""


def test_cli_json_exits_1_and_names_a_missing_pdf(
    people: People, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from segment_tui.services.delivery import run as delivery_run
    from segment_tui.services.documents import merge_pdf

    monkeypatch.setattr(delivery_run, "soffice_path", lambda: "soffice")  # PDFs promised
    monkeypatch.setattr(merge_pdf, "soffice_path", lambda: None)  # … and none can be made
    folder = tmp_path / "letters"
    status, out, err = cli(
        "interactions", "create", "C1", "--template", "LETTER", "--out", str(folder), "--json"
    )  # fmt: skip
    assert status == 1
    document = json.loads(out)
    assert document["delivery"]["files"] == 1
    assert list(document["delivery"]["missing_files"]) == [str(folder / "Adatum.pdf")]
    assert f"error: {folder / 'Adatum.pdf'} was not made" in err


def test_cli_no_send_logs_only(people: People, cli: Any) -> None:
    status, out, _ = cli("interactions", "create", "P1", "--template", "LETTER", "--no-send")
    assert status == 0 and "letter" not in out.lower().split("(hard copy)")[-1]
    assert entry(1).delivery_status == "" and entry(1).correspondence_type == "hard_copy"


def test_cli_failed_email_exits_1_naming_the_resend(people: People, cli: Any, smtp: Any) -> None:
    status, out, err = cli("interactions", "create", "P1", "--template", "NEWS")
    assert status == 1
    assert "created interaction log entry 1" in out
    assert "segment-tui logged resend --interactions 1" in err
    assert entry(1).delivery_status == "error"


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("P1",), 2, "--template"),
        (("P1", "--template", "LETTER", "--date", "tomorrow"), 1, "date: 'tomorrow' is not a date"),
        (("P1", "--template", "LETTER", "--time", "25:99"), 1, "is not a time"),
        (("P2", "--template", "NEWS"), 1, "Make sure that the Email field is specified"),
        (("P1", "--template", "LETTER", "--correspondence-type", "fax"), 1, "correspondence_type"),
    ],
)
def test_cli_bad_input(
    people: People, cli: Any, args: tuple[str, ...], status: int, message: str
) -> None:
    code, out, err = cli("interactions", "create", *args)
    assert code == status and message in err and "Traceback" not in err
    assert InteractionLogEntry.select().count() == 0
