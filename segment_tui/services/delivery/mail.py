"""E-mail delivery over SMTP.

Host, port, STARTTLS, user and sender come from Marketing Setup; the password never
touches the database: Marketing Setup names the environment variable that holds it
(``SEGMENT_TUI_SMTP_PASSWORD`` by default). Port 465 means TLS from the first byte
(SMTPS); any other port speaks plain SMTP, upgraded with STARTTLS when set up.

Guards, so that a setup file cannot turn delivery against the user:

* the variable must be one of segment-tui's own (:data:`PASSWORD_ENV_PREFIX`), so a setup
  file cannot name an unrelated secret (``AWS_SECRET_ACCESS_KEY``) and have it sent;
* a login (AUTH) is never made over an unencrypted connection unless Marketing Setup's
  SMTP Allow Unencrypted Login is on;
* :func:`smtp_target` says where mail will go, for the Log dialog and the CLI to show
  before sending.

One connection serves a whole delivery. A message the server refuses fails that entry
only; a connection that cannot be made (or drops and cannot be made again) fails the
entries still to send, each with the reason, so they can be resent later. A connection
that breaks after the message was handed over (after the server's "354 go ahead") raises
:class:`DeliveryUncertain`: the server may have accepted it, so it is not retried.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType

from segment_tui.models import MarketingSetup
from segment_tui.services.delivery.body import HtmlLetter

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
TIMEOUT_S = 30


class MailError(Exception):
    """A message could not be sent; the text says why (stored on the entry)."""


class ConnectionFailed(MailError):
    """No session with the server: the messages still to send would fail the same way."""


class DeliveryUncertain(ConnectionFailed):
    """The connection broke after the message was handed over: it may have been
    delivered. Never retried automatically (that could send it twice)."""


PASSWORD_ENV_PREFIX = "SEGMENT_TUI_"
"""SMTP Password Env. Variable must start with this: segment-tui reads only its own."""
_ENV_NAME = re.compile(r"[A-Z0-9_]+")


def password_env_problem(name: str) -> str:
    """Why ``name`` cannot be SMTP Password Env. Variable ("" when it can; blank means no
    password)."""
    name = name.strip()
    if not name:
        return ""
    if not name.startswith(PASSWORD_ENV_PREFIX) or not _ENV_NAME.fullmatch(name):
        return (
            f"{name!r} is not allowed: the variable must start with {PASSWORD_ENV_PREFIX} and "
            "use only A-Z, 0-9 and _ (e.g. SEGMENT_TUI_SMTP_PASSWORD), so that a setup "
            "file cannot have another secret of your environment sent to a mail server"
        )
    return ""


def _encrypted(port: int, starttls: bool) -> bool:
    return port == 465 or starttls


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
    allow_unencrypted_login: bool = False

    @classmethod
    def load(cls) -> SmtpSettings:
        """Read Marketing Setup; MailError when it is not enough (or not safe) to send."""
        setup = _setup()
        if setup is None or not setup.smtp_host.strip():
            raise MailError("SMTP is not set up: Marketing Setup has no SMTP host.")
        sender = _sender(setup)
        if not sender:
            raise MailError("SMTP is not set up: Marketing Setup has no SMTP From Address.")
        env = setup.smtp_password_env.strip()
        problem = password_env_problem(env)
        if problem:
            raise MailError(f"Marketing Setup, SMTP Password Env. Variable: {problem}.")
        user = setup.smtp_user.strip()
        host, port, starttls = (
            setup.smtp_host.strip(),
            int(setup.smtp_port or 25),
            bool(setup.smtp_starttls),
        )
        allow_plain = bool(setup.smtp_allow_unencrypted_login)
        if user and not _encrypted(port, starttls) and not allow_plain:
            raise MailError(
                f"The password of {user} would go unencrypted to {host}:{port}: turn on SMTP "
                "STARTTLS in Marketing Setup (or use port 465); only for a server on a "
                "trusted network, turn on SMTP Allow Unencrypted Login instead."
            )
        password = os.environ.get(env, "") if env else ""
        if user and not password:
            raise MailError(
                f"The SMTP password for {user} is not set: put it in the "
                f"environment variable {env or '(none named in Marketing Setup)'}."
            )
        return cls(
            host=host,
            port=port,
            starttls=starttls,
            user=user,
            sender=sender,
            password_env=env,
            password=password,
            allow_unencrypted_login=allow_plain,
        )


def _setup() -> MarketingSetup | None:
    return MarketingSetup.get_or_none(MarketingSetup.primary_key == "")


def _sender(setup: MarketingSetup) -> str:
    return str(
        setup.smtp_from_address.strip()
        or (setup.smtp_user.strip() if "@" in setup.smtp_user else "")
    )


def smtp_target() -> str:
    """Where e-mail would go, in one line, for people to check before sending: server,
    encryption, login and sender — or why it cannot go ("SMTP is not set up: …").

    e.g. ``smtp.example.com:587 with STARTTLS, login mailer (password from
    $SEGMENT_TUI_SMTP_PASSWORD), from marketing@cronus.example``. Never shows the password.
    """
    setup = _setup()
    if setup is None or not setup.smtp_host.strip():
        return "SMTP is not set up: Marketing Setup has no SMTP host."
    port = int(setup.smtp_port or 25)
    starttls = bool(setup.smtp_starttls)
    where = f"{setup.smtp_host.strip()}:{port}"
    if port == 465:
        where += " with TLS"
    elif starttls:
        where += " with STARTTLS"
    else:
        where += " unencrypted"
    user = setup.smtp_user.strip()
    env = setup.smtp_password_env.strip()
    login = (
        f"login {user} (password from ${env})"
        if user and env
        else (f"login {user}" if user else "no login")
    )
    sender = _sender(setup) or "(no SMTP From Address)"
    return f"{where}, {login}, from {sender}"


def build_message(
    settings: SmtpSettings,
    recipient: str,
    subject: str,
    *,
    body: str = "",
    html: HtmlLetter | None = None,
    attachment: bytes | None = None,
    attachment_name: str = "Attachment.docx",
) -> EmailMessage:
    """A message to ``recipient``: ``body`` as text, ``html`` as its HTML alternative (with
    inline images), and optionally a .docx attachment."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    if html is not None:
        message.add_alternative(html.html, subtype="html")
        html_part = next(
            part for part in message.iter_parts() if part.get_content_type() == "text/html"
        )
        assert isinstance(html_part, EmailMessage)
        for cid, (content_type, data) in html.images.items():
            maintype, _, subtype = content_type.partition("/")
            html_part.add_related(
                data, maintype=maintype, subtype=subtype or "octet-stream", cid=f"<{cid}>"
            )
    if attachment is not None:
        message.add_attachment(
            attachment, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=attachment_name
        )
    return message


class _Tracking(smtplib.SMTP):
    """Notes when the server said "354 go ahead": from then on the message may be
    delivered even if the connection breaks before the final reply."""

    handed_over = False

    def getreply(self) -> tuple[int, bytes]:
        code, message = super().getreply()
        if code == 354:
            self.handed_over = True
        return code, message


class _TrackingSSL(smtplib.SMTP_SSL, _Tracking):
    pass


class MailSender:
    """One SMTP session for a batch of messages (use as a context manager)."""

    def __init__(self, settings: SmtpSettings) -> None:
        """Nothing is connected until the first :meth:`send`."""
        self.settings = settings
        self._smtp: _Tracking | None = None

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
            smtp: _Tracking
            if s.port == 465:
                smtp = _TrackingSSL(
                    s.host, s.port, timeout=TIMEOUT_S, context=ssl.create_default_context()
                )
            else:
                smtp = _Tracking(s.host, s.port, timeout=TIMEOUT_S)
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                if not (_encrypted(s.port, s.starttls) or s.allow_unencrypted_login):
                    raise ConnectionFailed(f"No login to {self._where()} without encryption.")
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
        """Send one message, reconnecting once if the server dropped the session before
        the message was handed over; :class:`DeliveryUncertain` when it broke after."""
        for attempt in (1, 2):
            if self._smtp is None:
                self.connect()
            smtp = self._smtp
            assert smtp is not None
            smtp.handed_over = False
            try:
                refused = smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as err:
                reasons = "; ".join(f"{to}: {_reply(r[1])}" for to, r in err.recipients.items())
                raise MailError(f"The SMTP server refused the recipient: {reasons}") from None
            except smtplib.SMTPResponseException as err:  # a refusal the server said out loud
                raise MailError(
                    f"The SMTP server refused the message: {err.smtp_code} {_reply(err.smtp_error)}"
                ) from None
            except OSError as err:  # disconnects, timeouts, resets (SMTPException is one too)
                self.close()
                if smtp.handed_over:
                    raise DeliveryUncertain(
                        f"The connection to {self._where()} broke after the message was "
                        f"handed over ({_reason(err)}): it may have been delivered."
                    ) from None
                if isinstance(err, smtplib.SMTPServerDisconnected) and attempt == 1:
                    continue  # an idle session the server closed: nothing was sent yet
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
