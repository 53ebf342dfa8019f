"""Merging a segment before logging: ``segment merge NO --out FILE.docx [--line N]``,
the text preview, nothing logged."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.merge import docx_to_text
from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.documents.merge_preview import merge_segment, preview_line_text
from segment_tui.services.documents.template_docs import attach_line_document
from segment_tui.services.segments.lines import set_line_fields
from tests.delivery.delivery_helpers import document

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]


def _no_merge_leftovers(path: Path) -> str:
    text = docx_to_text(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        xml = "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        )
    for leftover in ("«", "MERGEFIELD", "{{"):
        assert leftover not in text
        assert leftover not in xml
    return text


def _two_contacts(make_contact: Contact) -> None:
    make_contact(
        no="C1", type="company", name="Fabrikam & Sons", address="1 Mill Lane", city="Leeds"
    )
    make_contact(
        no="P1", type="person", first_name="Zoë", surname="O'Neil", company_no="C1",
        salutation_code="UNISEX",
    )  # fmt: skip


def test_merge_cli_writes_all_letters_into_one_docx(
    make_contact: Contact, letters: Letters, cli: Run, tmp_path: Path
) -> None:
    _two_contacts(make_contact)
    segment = letters(["P1", "C1"], subject_default="Autumn range")
    out = tmp_path / "letters.docx"
    status, stdout, err = cli("segment", "merge", segment, "--out", str(out))
    assert status == 0, err
    assert f"merged 2 letters into {out}" in stdout
    text = _no_merge_leftovers(out)
    assert "Dear Zoë O'Neil," in text
    assert "Fabrikam & Sons" in text
    assert text.count("We are pleased to introduce our autumn range") == 2
    assert not LoggedSegment.select().exists()
    assert not InteractionLogEntry.select().exists()


def test_merge_cli_one_line_and_json(
    make_contact: Contact, letters: Letters, cli: Run, tmp_path: Path
) -> None:
    _two_contacts(make_contact)
    segment = letters(["P1", "C1"])
    out = tmp_path / "one.docx"
    status, stdout, err = cli(
        "segment", "merge", segment, "--out", str(out), "--line", "20000", "--json"
    )
    assert status == 0, err
    assert json.loads(stdout) == {
        "paths": [str(out)], "letters": 1, "skipped": 0, "unknown_fields": [],
        "pdfs": [], "pdf_failures": {},
    }  # fmt: skip
    text = _no_merge_leftovers(out)
    assert "Dear Sir or Madam," in text
    assert "Zoë" not in text


def test_placeholders_and_several_documents(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    _two_contacts(make_contact)
    segment = letters(["P1", "C1"])
    attach_line_document(segment, 20000, document("{{Contact Name}}", text="Note for"))
    result = merge_segment(segment, tmp_path)  # a folder: "Segment <No>.docx" in it
    # One file per document, named by what tells them apart (language, the line's own).
    assert [p.name for p in result.paths] == [
        f"Segment {segment} - ENU.docx",
        f"Segment {segment} - line 20000.docx",
    ]
    assert "Note for\nFabrikam & Sons" in _no_merge_leftovers(result.paths[1])
    assert "Dear Zoë O'Neil," in _no_merge_leftovers(result.paths[0])


def test_preview_text_of_one_line(make_contact: Contact, letters: Letters) -> None:
    _two_contacts(make_contact)
    segment = letters(["P1"])
    set_line_fields(segment, 10000, {"line_note": "Thanks for visiting our stand 😀"})
    text = preview_line_text(segment, 10000)
    assert text.startswith("CRONUS International Ltd.\nZoë O'Neil\nFabrikam & Sons\n1 Mill Lane")
    assert "1 December 2026" in text
    assert "Thanks for visiting our stand 😀" in text
    assert "Benjamin Chiu" in text
    with pytest.raises(UserError, match="does not exist"):
        preview_line_text(segment, 99999)


def test_lines_without_a_document_are_refused_or_skipped(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Quiet Ltd")
    segment = letters(["C1"], template="OUTCALL")  # a phone-call template has no document
    with pytest.raises(
        UserError, match="You must select an interaction template with an attachment"
    ):
        merge_segment(segment, tmp_path / "x.docx")
    with pytest.raises(UserError, match="Line 10000 has no Word document"):
        merge_segment(segment, tmp_path / "x.docx", 10000)
