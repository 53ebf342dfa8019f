"""The print files of a hard-copy delivery are made as ``segment merge`` makes them: one
combined file per Word document, named by its language (or the entry of a line's own
document), letters in line order, rebuilt whole on resend with the same names; PDFs in
LibreOffice chunks, and a PDF that cannot be made is named and makes the command exit 1
(docs/delivery.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from segment_tui.merge import docx_to_text
from segment_tui.models import Attachment, InteractionLogEntry, InteractionTmplLanguage
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.deliver import deliver_logged_segment, resend_logged_segment
from segment_tui.services.documents.template_docs import (
    attach_line_document,
    attach_template_document,
)
from segment_tui.services.log.log_segment import log_segment
from tests.delivery.delivery_helpers import document

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]

CITIES = {"C1": "York", "D1": "Köln", "C2": "Bath", "D2": "Berlin"}


def _two_languages(make_contact: Contact, letters: Letters) -> str:
    """A segment of LETTER lines alternating English and German contacts (C1, D1, C2, D2)."""
    attach_template_document("LETTER", document("Contact City", text="Brief an"), "DEU")
    for no, city in CITIES.items():
        language = "DEU" if no.startswith("D") else ""
        make_contact(no=no, type="company", name=f"Firm {no}", city=city, language_code=language)
    return letters(list(CITIES))


def _body(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _needs_libreoffice() -> None:
    from segment_tui.services.documents.merge_pdf import soffice_path

    if soffice_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext) are needed")


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


LETTER_FILES = ["Firm C1.docx", "Firm C2.docx", "Firm D1.docx", "Firm D2.docx"]


@pytest.mark.slow
def test_two_languages_give_two_named_print_files_in_line_order_and_their_pdfs(
    make_contact: Contact, letters: Letters, cli: Run, tmp_path: Path
) -> None:
    _needs_libreoffice()
    segment = _two_languages(make_contact, letters)
    out = tmp_path / "out"
    status, stdout, err = cli("segment", "log", segment, "--send", "--out", str(out))
    assert status == 0, err
    english, german = out / f"Segment {segment} - ENU.docx", out / f"Segment {segment} - DEU.docx"
    assert _names(out) == sorted(
        [
            *LETTER_FILES,
            *(name.replace(".docx", ".pdf") for name in LETTER_FILES),
            english.name,
            german.name,
            english.with_suffix(".pdf").name,
            german.with_suffix(".pdf").name,
        ]
    )
    assert f"for printing: {english.name}, {german.name}" in stdout
    assert "6 PDFs made" in stdout  # the 2 print files' and the 4 letters'
    body = _body(english)
    assert body.index("York") < body.index("Bath") and "Köln" not in body  # line order
    assert docx_to_text(german.read_bytes()).split() == [
        "Brief",
        "an",
        "Köln",
        "Brief",
        "an",
        "Berlin",
    ]

    english_pdf = _pdf_text(english.with_suffix(".pdf"))
    assert english_pdf.index("York") < english_pdf.index("Bath")
    assert "Köln" not in english_pdf and "Brief an" not in english_pdf
    german_pdf = _pdf_text(german.with_suffix(".pdf"))
    assert german_pdf.index("Köln") < german_pdf.index("Berlin") and "York" not in german_pdf
    for no, city in CITIES.items():
        text = _pdf_text(out / f"Firm {no}.pdf")
        assert city in text
        assert all(other not in text for other in CITIES.values() if other != city)

    # Resend of everything: the same names, each file rebuilt whole (one page per letter).
    logged = InteractionLogEntry.select().first().logged_segment_entry_no
    status, _, err = cli("logged", "resend", str(logged), "--all")
    assert status == 0, err
    assert len(_names(out)) == 12 and not list(out.glob("*(2)*")) and not list(out.glob(".*"))
    assert _pdf_text(german.with_suffix(".pdf")).count("Brief an") == 2


def test_print_file_names_do_not_depend_on_which_letters_were_delivered(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    segment = _two_languages(make_contact, letters)
    german_doc = InteractionTmplLanguage.get(InteractionTmplLanguage.language_code == "DEU")
    good = bytes(Attachment.get(Attachment.no == german_doc.attachment_no).content)
    Attachment.update(content=b"not a Word document").where(
        Attachment.no == german_doc.attachment_no
    ).execute()
    logged = log_segment(segment, send=True).logged_segment_entry_no
    out = tmp_path / "out"

    report = deliver_logged_segment(logged, out, pdf=False)
    assert (report.files, report.failed) == (2, 2)
    english, german = out / f"Segment {segment} - ENU.docx", out / f"Segment {segment} - DEU.docx"
    assert report.combined == [english]  # named by its language although it is alone
    assert _names(out) == ["Firm C1.docx", "Firm C2.docx", english.name]

    Attachment.update(content=good).where(Attachment.no == german_doc.attachment_no).execute()
    report = resend_logged_segment(logged, pdf=False)
    assert (report.files, report.failed) == (2, 0)
    assert report.combined == [english, german]
    assert _names(out) == sorted([*LETTER_FILES, english.name, german.name])
    assert docx_to_text(german.read_bytes()).split() == [
        "Brief",
        "an",
        "Köln",
        "Brief",
        "an",
        "Berlin",
    ]
    assert docx_to_text(english.read_bytes()).count("Kind regards,") == 2

    # Delivered again and failing now: the German print file goes, none is left stale.
    Attachment.update(content=b"broken again").where(
        Attachment.no == german_doc.attachment_no
    ).execute()
    report = resend_logged_segment(logged, include_delivered=True, pdf=False)
    assert (report.files, report.failed) == (2, 2)
    assert report.combined == [english]
    assert not german.exists()


def test_a_lines_own_document_gets_its_own_print_file_named_by_its_entry(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    for no, city in (("C1", "York"), ("C2", "Hull"), ("C3", "Bath")):
        make_contact(no=no, type="company", name=f"Firm {no}", city=city)
    segment = letters(["C1", "C2", "C3"])
    attach_line_document(segment, 20000, document("Contact City", text="Own letter for"))
    logged = log_segment(segment, send=True).logged_segment_entry_no
    own = InteractionLogEntry.get(InteractionLogEntry.contact_no == "C2").entry_no

    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    english = tmp_path / f"Segment {segment} - ENU.docx"
    line = tmp_path / f"Segment {segment} - entry {own}.docx"
    assert report.combined == [english, line]
    body = _body(english)
    assert body.index("York") < body.index("Bath") and "Hull" not in body
    assert docx_to_text(line.read_bytes()).strip() == "Own letter for\nHull"


def test_a_print_file_that_cannot_be_written_is_named_and_log_send_exits_1(
    make_contact: Contact, letters: Letters, cli: Run, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Firm C1", city="York")
    segment = letters(["C1"])
    out = tmp_path / "out"
    blocker = out / f"Segment {segment}.docx"
    blocker.mkdir(parents=True)  # a folder where the print file should go
    status, stdout, err = cli("segment", "log", segment, "--send", "--out", str(out), "--no-pdf")
    assert status == 1
    assert f"error: {blocker} was not made: Cannot write {blocker}" in err
    assert "1 file not made:" in stdout
    assert (out / "Firm C1.docx").exists()
    assert InteractionLogEntry.get().delivery_status == "sent"


def _failing_soffice(folder: Path, marker: str) -> Path:
    """A ``soffice`` that refuses any document holding ``marker`` and hands everything
    else to the real LibreOffice."""
    from segment_tui.services.documents.merge_pdf import soffice_path

    real = soffice_path()
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, zipfile\n"
        "for arg in sys.argv[1:]:\n"
        "    if arg.endswith('.docx') and os.path.exists(arg):\n"
        "        with zipfile.ZipFile(arg) as package:\n"
        f"            if {marker!r} in package.read('word/document.xml').decode():\n"
        "                print('cannot convert this chunk', file=sys.stderr)\n"
        "                sys.exit(1)\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
    )
    script.chmod(0o755)
    return folder


@pytest.mark.slow
def test_a_pdf_that_cannot_be_made_is_named_and_the_command_exits_1(
    make_contact: Contact,
    letters: Letters,
    cli: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _needs_libreoffice()
    fake = _failing_soffice(tmp_path / "bin", "Köln")  # the German chunk fails
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    segment = _two_languages(make_contact, letters)
    out = tmp_path / "out"

    status, stdout, err = cli("segment", "log", segment, "--send", "--out", str(out))
    assert status == 1
    german = out / f"Segment {segment} - DEU.pdf"
    reason = "LibreOffice exited with status 1: cannot convert this chunk"
    assert f"error: {german} was not made: letters 1–2 could not be converted: {reason}" in err
    for no in ("D1", "D2"):
        assert f"error: {out / f'Firm {no}.pdf'} was not made: {reason}" in err
        assert not (out / f"Firm {no}.pdf").exists()
    assert err.count("was not made") == 3
    assert "3 files not made:" in stdout
    assert (out / f"Segment {segment} - ENU.pdf").exists() and (out / "Firm C1.pdf").exists()
    entries = InteractionLogEntry.select()
    assert {e.delivery_status for e in entries} == {"sent"}  # the letters went out

    logged = entries.first().logged_segment_entry_no
    status, stdout, err = cli("logged", "resend", str(logged), "--all", "--json")
    assert status == 1
    [record] = json.loads(stdout)
    assert sorted(record["missing_files"]) == sorted(
        [str(german), str(out / "Firm D1.pdf"), str(out / "Firm D2.pdf")]
    )
    assert f"error: {german} was not made" in err
