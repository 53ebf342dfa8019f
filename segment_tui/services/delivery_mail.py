"""E-mail delivery over SMTP.

Host, port, STARTTLS, user and sender come from Marketing Setup; the password never
touches the database: Marketing Setup names the environment variable that holds it
(``SEGMENT_TUI_SMTP_PASSWORD`` by default). Port 465 means TLS from the first byte
(SMTPS); any other port speaks plain SMTP, upgraded with STARTTLS when set up.

One connection serves a whole delivery. A message the server refuses fails that entry
only; a connection that cannot be made (or drops and cannot be made again) fails the
entries still to send, each with the reason, so they can be resent later.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType

from segment_tui.models import MarketingSetup

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
TIMEOUT_S = 30


class MailError(Exception):
    """A message could not be sent; the text says why (stored on the entry)."""


class ConnectionFailed(MailError):
    """No session with the server: the messages still to send would fail the same way."""


@dataclass(frozen=True)
class SmtpSettings:
    """Marketing Setup's SMTP fields, with the password read from the environment."""

    host: str
    port: int
    starttls: bool
    user: str
    sender: str
    password_env: str
    password: str

    @classmethod
    def load(cls) -> SmtpSettings:
        """Read Marketing Setup; MailError when it is not enough to send mail."""
        setup = MarketingSetup.get_or_none(MarketingSetup.primary_key == "")
        if setup is None or not setup.smtp_host.strip():
            raise MailError("SMTP is not set up: Marketing Setup has no SMTP host.")
        sender = setup.smtp_from_address.strip() or (
            setup.smtp_user.strip() if "@" in setup.smtp_user else ""
        )
        if not sender:
            raise MailError("SMTP is not set up: Marketing Setup has no SMTP From Address.")
        env = setup.smtp_password_env.strip()
        password = os.environ.get(env, "") if env else ""
        if setup.smtp_user.strip() and not password:
            raise MailError(
                f"The SMTP password for {setup.smtp_user.strip()} is not set: put it in the "
                f"environment variable {env or '(none named in Marketing Setup)'}."
            )
        return cls(
            host=setup.smtp_host.strip(),
            port=int(setup.smtp_port or 25),
            starttls=bool(setup.smtp_starttls),
            user=setup.smtp_user.strip(),
            sender=sender,
            password_env=env,
            password=password,
        )


def build_message(
    settings: SmtpSettings,
    recipient: str,
    subject: str,
    *,
    body: str = "",
    attachment: bytes | None = None,
    attachment_name: str = "Attachment.docx",
) -> EmailMessage:
    """A message to ``recipient``: ``body`` as text and optionally a .docx attachment."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(
            attachment, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=attachment_name
        )
    return message


class MailSender:
    """One SMTP session for a batch of messages (use as a context manager)."""

    def __init__(self, settings: SmtpSettings) -> None:
        """Nothing is connected until the first :meth:`send`."""
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> MailSender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def connect(self) -> None:
        """Open (or reopen) the session; MailError with the reason when it fails."""
        self.close()
        s = self.settings
        try:
            smtp: smtplib.SMTP
            if s.port == 465:
                smtp = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=TIMEOUT_S, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_S)
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as err:
            raise ConnectionFailed(
                f"The SMTP server {self._where()} refused the login of {s.user}: "
                f"{_reply(err.smtp_error)}"
            ) from None
        except (OSError, smtplib.SMTPException) as err:
            raise ConnectionFailed(
                f"Cannot reach the SMTP server {self._where()}: {_reason(err)}"
            ) from None
        self._smtp = smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message, reconnecting once if the server dropped the session."""
        for attempt in (1, 2):
            if self._smtp is None:
                self.connect()
            assert self._smtp is not None
            try:
                refused = self._smtp.send_message(message)
            except smtplib.SMTPServerDisconnected as err:
                self._smtp = None
                if attempt == 2:
                    raise ConnectionFailed(
                        f"The SMTP server {self._where()} closed the connection: {err}"
                    ) from None
                continue
            except smtplib.SMTPRecipientsRefused as err:
                reasons = "; ".join(f"{to}: {_reply(r[1])}" for to, r in err.recipients.items())
                raise MailError(f"The SMTP server refused the recipient: {reasons}") from None
            except smtplib.SMTPResponseException as err:
                raise MailError(
                    f"The SMTP server refused the message: {err.smtp_code} {_reply(err.smtp_error)}"
                ) from None
            except (OSError, smtplib.SMTPException) as err:
                # A timeout or reset mid-message: the server is not answering; stop here.
                self.close()
                raise ConnectionFailed(
                    f"Sending through {self._where()} failed: {_reason(err)}"
                ) from None
            if refused:
                reasons = "; ".join(f"{to}: {_reply(r[1])}" for to, r in refused.items())
                raise MailError(f"The SMTP server refused the recipient: {reasons}")
            return

    def close(self) -> None:
        """End the session (quietly: the messages are sent or failed already)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _reply(data: bytes | str) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def _reason(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__
