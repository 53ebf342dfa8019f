"""E-mail bodies: with Send Docs as Attachment off, the letter as readable HTML (images
inline) with its plain text as the alternative; with it on, a short note naming the
attached letter. The cut-down style sheet handed to mammoth converts exactly as the
full one does."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import mammoth
import pytest
from docx import Document

from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.body import _for_mammoth, letter_html
from segment_tui.services.delivery.deliver import deliver_logged_segment
from segment_tui.services.demo.documents import add_merge_field
from segment_tui.services.documents.template_docs import attach_template_document
from segment_tui.services.log.log_segment import log_segment
from tests.conftest import FIXTURES
from tests.delivery.delivery_helpers import SmtpServer

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]


def _png() -> bytes:
    """A 2×2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _letter_with_logo() -> bytes:
    doc = Document()
    doc.add_picture(io.BytesIO(_png()))
    doc.add_heading("Autumn news", level=1)
    paragraph = doc.add_paragraph("Dear ")
    add_merge_field(paragraph, "Contact Name")
    paragraph.add_run(",")
    doc.add_paragraph("First point", style="List Bullet")
    doc.add_paragraph("Second point", style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _send(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path, *, attach: bool
) -> EmailMessage:
    smtp.start()
    make_contact(
        no="P1", type="person", name="Bob & <Co>", email="bob@example.com",
        correspondence_type="email",
    )  # fmt: skip
    attach_template_document("NEWS", _letter_with_logo(), "ENU")
    segment = letters(
        ["P1"], template="NEWS", subject_default="Autumn news", send_word_docs_as_attmt=attach
    )
    logged = log_segment(segment, send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    assert report.emails == 1, report.summary
    [message] = smtp.mailbox.messages
    return message


def test_the_letter_is_an_html_body_with_a_plain_text_alternative_and_inline_images(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    message = _send(make_contact, letters, smtp, tmp_path, attach=False)
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert "Dear Bob & <Co>," in plain.get_content()
    markup = html.get_content()
    assert "<h1>Autumn news</h1>" in markup
    assert "<p>Dear Bob &amp; &lt;Co&gt;,</p>" in markup  # escaped, never markup
    assert "<ul><li>First point</li><li>Second point</li></ul>" in markup
    assert '<img src="cid:image1"' in markup
    [image] = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<image1>"
    assert image.get_content() == _png()
    assert not list(message.iter_attachments())


def test_an_attached_letter_comes_with_a_short_note(
    make_contact: Contact, letters: Letters, smtp: SmtpServer, tmp_path: Path
) -> None:
    message = _send(make_contact, letters, smtp, tmp_path, attach=True)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    note = body.get_content()
    assert note.startswith("Hello,") or note.startswith("Dear")
    assert "please find our letter “Autumn news” attached (Autumn news.docx)." in note
    assert "CRONUS International Ltd." in note
    assert len(note.splitlines()) <= 8
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "Autumn news.docx"


@pytest.mark.parametrize("path", sorted((FIXTURES / "word").glob("*.docx")), ids=lambda p: p.stem)
def test_the_cut_down_style_sheet_converts_as_the_full_one(path: Path) -> None:
    document = path.read_bytes()
    full = mammoth.convert_to_html(io.BytesIO(document)).value
    slim = mammoth.convert_to_html(io.BytesIO(_for_mammoth(document))).value
    assert slim == full
    assert f"\n{full}\n</body>" in letter_html(document, "x").html
