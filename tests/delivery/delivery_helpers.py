"""Helpers for the delivery tests (imported as ``tests.delivery.delivery_helpers``)."""

from __future__ import annotations

import email
import email.policy
import io
import socket
from email.message import EmailMessage
from typing import Any

from docx import Document

from segment_tui.services.demo.documents import add_merge_field


def document(*names: str, text: str = "") -> bytes:
    """A .docx with ``text`` and a MERGEFIELD for each name ({{…}} when in braces)."""
    doc = Document()
    if text:
        doc.add_paragraph(text)
    for name in names:
        paragraph = doc.add_paragraph()
        if name.startswith("{{"):
            paragraph.add_run(name)
        else:
            add_merge_field(paragraph, name)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """What the test SMTP server received, parsed."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [m for _, _, m in self.envelopes]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1:``port`` that tests start and stop."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self.controller: Any = None
        self.auth: tuple[str, str] | None = None
        self.mailbox_handler: Any = None
        """A handler to use instead of the mailbox (it may pass messages on to it)."""
        self.logins: list[str] = []

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        options: dict[str, Any] = {}
        if self.auth is not None:
            options.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=False
            )
        handler = self.mailbox_handler or self.mailbox
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(data, LoginPassword):
            self.logins.append(data.login.decode())
        ok = isinstance(data, LoginPassword) and self.auth == (
            data.login.decode(),
            data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
