"""A setup file cannot turn delivery against the user: the password variable must be one of
segment-tui's own (SEGMENT_TUI_…), a password never goes over an unencrypted connection
unless Marketing Setup allows it, and the CLI names the SMTP target before sending."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import MarketingSetup
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.deliver import deliver_logged_segment
from segment_tui.services.delivery.mail import smtp_target
from segment_tui.services.log.log_segment import log_segment, log_summary
from segment_tui.services.setup.records import save_field
from tests.delivery.delivery_helpers import SmtpServer

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]


def _two_emails(make_contact: Contact, letters: Letters) -> str:
    for no in ("P1", "P2"):
        make_contact(
            no=no, type="person", name=no, email=f"{no.lower()}@example.com",
            correspondence_type="email",
        )  # fmt: skip
    return letters(["P1", "P2"], template="NEWS", send_word_docs_as_attmt=True)


def _setup() -> Any:
    return MarketingSetup.get(MarketingSetup.primary_key == "")


@pytest.mark.parametrize(
    "name", ["AWS_SECRET_ACCESS_KEY", "HOME", "SEGMENT_TUI_X;rm", "segment_tui_lower", "SEGMENT"]
)
def test_setup_import_refuses_a_password_variable_outside_the_prefix(
    cronus: Any, cli: Run, tmp_path: Path, name: str
) -> None:
    before = _setup().smtp_password_env
    document = {"marketing_setup": [{"primary_key": "", "smtp_password_env": name}]}
    path = tmp_path / "setup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    status, _, err = cli("setup", "import", str(path))
    assert status == 1
    assert "marketing_setup[0].smtp_password_env" in err and "SEGMENT_TUI_" in err
    assert "Traceback" not in err
    assert _setup().smtp_password_env == before  # nothing written
    with pytest.raises(UserError, match="SMTP Password Env. Variable: .*must start with"):
        save_field("marketing_setup", "", "smtp_password_env", name)
    save_field("marketing_setup", "", "smtp_password_env", "SEGMENT_TUI_MAIL_PW")
    assert _setup().smtp_password_env == "SEGMENT_TUI_MAIL_PW"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_foreign_variable_already_in_the_database_is_not_read_or_sent(
    make_contact: Contact,
    letters: Letters,
    smtp: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp.auth = ("mailer", "unrelated-secret")
    smtp.start()
    monkeypatch.setenv("UNRELATED_SECRET", "unrelated-secret")
    MarketingSetup.update(
        smtp_user="mailer", smtp_password_env="UNRELATED_SECRET", smtp_allow_unencrypted_login=True
    ).execute()  # written by an older version, or by hand
    logged = log_segment(_two_emails(make_contact, letters), send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert report.failed == 2
    assert "must start with SEGMENT_TUI_" in next(iter(report.errors.values()))
    assert smtp.logins == [] and smtp.mailbox.envelopes == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_no_password_over_an_unencrypted_connection_unless_allowed(
    make_contact: Contact,
    letters: Letters,
    smtp: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp.auth = ("mailer", "pw")
    smtp.start()
    monkeypatch.setenv("SEGMENT_TUI_SMTP_PASSWORD", "pw")
    MarketingSetup.update(smtp_user="mailer", smtp_starttls=False).execute()
    logged = log_segment(_two_emails(make_contact, letters), send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert report.failed == 2
    error = next(iter(report.errors.values()))
    assert "would go unencrypted" in error and "SMTP STARTTLS" in error
    assert smtp.logins == []

    # STARTTLS asked for, but the server does not offer it: no login in the clear either.
    MarketingSetup.update(smtp_starttls=True).execute()
    report = deliver_logged_segment_again(logged, tmp_path)
    assert report.failed == 2 and "STARTTLS" in next(iter(report.errors.values()))
    assert smtp.logins == []

    # Explicitly allowed (a trusted network): the login is made and the mail goes.
    MarketingSetup.update(smtp_starttls=False, smtp_allow_unencrypted_login=True).execute()
    report = deliver_logged_segment_again(logged, tmp_path)
    assert (report.emails, report.failed) == (2, 0)
    assert smtp.logins == ["mailer"]


def deliver_logged_segment_again(logged: int, out: Path) -> Any:
    from segment_tui.services.delivery.deliver import resend_logged_segment

    return resend_logged_segment(logged, out_dir=out, pdf=False)


def test_the_smtp_target_is_shown_before_sending(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, cli: Run
) -> None:
    smtp.start()
    segment = _two_emails(make_contact, letters)
    target = f"127.0.0.1:{smtp.port} unencrypted, no login, from marketing@cronus.example"
    assert smtp_target() == target
    assert log_summary(segment).smtp_target == target  # the Log dialog shows it
    status, out, _ = cli("segment", "log", segment, "--send", "--out", str(tmp_path), "--no-pdf")
    assert status == 0
    assert out.index(f"E-mail via {target}") < out.index("2 e-mails sent")

    MarketingSetup.update(
        smtp_host="smtp.example.com", smtp_port=587, smtp_starttls=True, smtp_user="mailer"
    ).execute()
    assert smtp_target() == (
        "smtp.example.com:587 with STARTTLS, login mailer (password from "
        "$SEGMENT_TUI_SMTP_PASSWORD), from marketing@cronus.example"
    )
    MarketingSetup.update(smtp_host="").execute()
    assert smtp_target() == "SMTP is not set up: Marketing Setup has no SMTP host."
