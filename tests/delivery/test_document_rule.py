"""What is checked is what is sent: a segment follows its template's current document
unless a document was given to the line itself, and the check, the preview, the merge and
Log all use the same document for each line (docs/word-documents.md)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from segment_tui.db import close_database, db, open_database
from segment_tui.merge import docx_to_text
from segment_tui.models import (
    Attachment,
    InteractionLogEntry,
    InteractionTmplLanguage,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.documents.merge_preview import merge_segment, preview_line_text
from segment_tui.services.documents.template_check import check_template
from segment_tui.services.documents.template_docs import (
    attach_line_document,
    attach_template_document,
)
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.view import line_record
from tests.delivery.delivery_helpers import document

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]


def _template_attachment(language: str = "ENU") -> int:
    row = InteractionTmplLanguage.get(
        (InteractionTmplLanguage.interaction_template_code == "LETTER")
        & (InteractionTmplLanguage.language_code == language)
    )
    return int(row.attachment_no)


def _line_attachment(segment: str, line_no: int) -> int:
    line = SegmentLine.get((SegmentLine.segment_no == segment) & (SegmentLine.line_no == line_no))
    return int(line.attachment_no)


def test_a_new_template_document_reaches_the_segment_and_every_path_agrees(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd", city="York")
    make_contact(no="C2", type="company", name="Beta Ltd", city="Hull")
    segment = letters(["C1", "C2"])
    attach_line_document(segment, 20000, document("Contact City", text="Own letter for"))
    attach_template_document("LETTER", document("Contact Name", text="NEW LETTER for"), "ENU")

    # The line that inherits now has the template's new document; the line's own stays.
    assert _line_attachment(segment, 10000) == _template_attachment()
    assert line_record(segment, 10000)["document"] == "Inherited"
    assert line_record(segment, 20000)["document"] == "Unique"
    assert preview_line_text(segment, 10000) == "NEW LETTER for\nAlpha Ltd"
    assert preview_line_text(segment, 20000) == "Own letter for\nHull"

    check = check_template("LETTER", segment_no=segment)
    assert [(d.label, d.lines, d.fields) for d in check.documents] == [
        ("ENU", 1, ["Contact Name"]),
        ("line 20000", 1, ["Contact City"]),
    ]
    assert [d.attachment_no for d in check.documents] == [
        _template_attachment(),
        _line_attachment(segment, 20000),
    ]

    result = merge_segment(segment, tmp_path)
    texts = [docx_to_text(p.read_bytes()).strip() for p in result.paths]
    assert texts == ["NEW LETTER for\nAlpha Ltd", "Own letter for\nHull"]

    inherited, own = _template_attachment(), _line_attachment(segment, 20000)
    log_segment(segment)
    logged = {e.contact_no: e.attachment_no for e in InteractionLogEntry.select()}
    assert logged == {"C1": inherited, "C2": own}

    # A later document for the template does not change what was logged.
    attach_template_document("LETTER", document("Contact Email"), "ENU")
    assert _template_attachment() != inherited
    assert Attachment.get_or_none(Attachment.no == inherited) is not None  # the entry uses it


def test_a_document_in_a_new_language_reaches_the_contacts_in_that_language(
    make_contact: Contact, letters: Letters
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd", city="York")
    make_contact(no="D1", type="company", name="Delta GmbH", city="Köln", language_code="DEU")
    segment = letters(["C1", "D1"])
    assert _line_attachment(segment, 20000) == _template_attachment("ENU")  # no German yet
    attach_template_document("LETTER", document("Contact City", text="Brief an"), "DEU")
    assert _line_attachment(segment, 20000) == _template_attachment("DEU")
    assert _line_attachment(segment, 10000) == _template_attachment("ENU")
    assert preview_line_text(segment, 20000) == "Brief an\nKöln"
    labels = [(d.label, d.lines) for d in check_template("LETTER", segment_no=segment).documents]
    assert labels == [("ENU", 1), ("DEU", 1)]


def test_deleting_a_segment_keeps_the_template_document_and_drops_the_lines_own(
    make_contact: Contact, letters: Letters
) -> None:
    from segment_tui.services.segments.headers import delete_segment

    make_contact(no="C1", type="company", name="Alpha Ltd")
    segment = letters(["C1"])
    attach_line_document(segment, 10000, document("Contact Name"))
    own = _line_attachment(segment, 10000)
    delete_segment(segment)
    assert Attachment.get_or_none(Attachment.no == own) is None
    assert Attachment.get_or_none(Attachment.no == _template_attachment()) is not None


def test_migration_8_links_the_copies_older_versions_made(
    make_contact: Contact, letters: Letters, db_path: Path
) -> None:
    """A database from before version 8: segments hold copies of their template's
    document - an old copy that differs from the template's document now (it was
    replaced), and a line's own document."""
    make_contact(no="C1", type="company", name="Alpha Ltd")
    make_contact(no="C2", type="company", name="Beta Ltd")
    segment = letters(["C1", "C2"])
    attach_line_document(segment, 20000, document("Contact City", text="own"))
    own = _line_attachment(segment, 20000)
    stale = int(
        Attachment.insert(
            file_name="old.docx", file_extension="docx", content=document("Contact Email")
        ).execute()
    )
    SegmentInteractionLanguage.update(attachment_no=stale).where(
        (SegmentInteractionLanguage.segment_no == segment)
        & (SegmentInteractionLanguage.segment_line_no == 0)
    ).execute()
    SegmentLine.update(attachment_no=stale).where(SegmentLine.line_no == 10000).execute()
    db.execute_sql("DELETE FROM schema_version WHERE version = 8")
    close_database()

    open_database(str(db_path))  # applies migration 8 again
    assert _line_attachment(segment, 10000) == _template_attachment()
    assert _line_attachment(segment, 20000) == own  # given to the line: kept
    header_row = SegmentInteractionLanguage.get(
        (SegmentInteractionLanguage.segment_no == segment)
        & (SegmentInteractionLanguage.segment_line_no == 0)
    )
    assert header_row.attachment_no == _template_attachment()
    assert Attachment.get_or_none(Attachment.no == stale) is None  # nothing uses it
    assert check_template("LETTER", segment_no=segment).documents[0].attachment_no == (
        _template_attachment()
    )


def test_merge_writes_one_file_per_document_named_by_language(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd", city="York")
    make_contact(no="D1", type="company", name="Delta GmbH", city="Köln", language_code="DEU")
    make_contact(no="C2", type="company", name="Gamma Ltd", city="Bath")
    attach_template_document("LETTER", document("Contact City", text="Brief an"), "DEU")
    segment = letters(["C1", "D1", "C2"])
    result = merge_segment(segment, tmp_path / "autumn.docx")
    assert [p.name for p in result.paths] == ["autumn - ENU.docx", "autumn - DEU.docx"]
    assert result.letters == 3
    with zipfile.ZipFile(result.paths[0]) as zf:
        body = zf.read("word/document.xml").decode()
    assert body.index("Alpha Ltd") < body.index("Gamma Ltd")  # line order within a file
    assert docx_to_text(result.paths[1].read_bytes()).strip() == "Brief an\nKöln"


def test_a_language_row_without_a_document_gets_the_one_attached_later(
    make_contact: Contact, letters: Letters
) -> None:
    InteractionTmplLanguage.insert(
        interaction_template_code="LETTER", language_code="DEU", description="Brief"
    ).execute()  # a language set up before its document exists
    make_contact(no="D1", type="company", name="Delta GmbH", city="Köln", language_code="DEU")
    segment = letters(["D1"])
    attach_template_document("LETTER", document("Contact City", text="Brief an"), "DEU")
    assert _line_attachment(segment, 10000) == _template_attachment("DEU")
    assert preview_line_text(segment, 10000) == "Brief an\nKöln"
