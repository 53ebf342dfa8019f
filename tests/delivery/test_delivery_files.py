"""Hard-copy delivery: one safely named .docx per contact, the combined file for printing,
statuses and delivered documents on the entries, PDFs through LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from segment_tui.merge import docx_to_text
from segment_tui.models import Attachment, InteractionLogEntry, LoggedSegment
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.delivery.deliver import default_out_dir, deliver_logged_segment
from segment_tui.services.delivery.files import MAX_NAME_BYTES, FileNamer, safe_stem
from segment_tui.services.log.log_segment import log_segment

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]

FORBIDDEN = set('/\\:*?"<>|') | {chr(i) for i in range(32)} | {"\x7f"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('A/B: "C" <D>', "A-B C D"),
        ("..\\..\\etc/passwd", "-..-etc-passwd"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("Lpt1", "_Lpt1"),
        ("Console Ltd", "Console Ltd"),
        ("  line\nbreak\ttab  ", "line break tab"),
        ("zero\u200bwidth\u202eoverride", "zerowidthoverride"),
        ("trailing dots...", "trailing dots"),
        ("???", "Letter"),
        ("", "Letter"),
    ],
)
def test_safe_stem(text: str, expected: str) -> None:
    assert safe_stem(text) == expected


@given(st.text(max_size=400))
def test_any_text_gives_a_short_valid_name(text: str) -> None:
    stem = safe_stem(text)
    assert stem and not (set(stem) & FORBIDDEN)
    assert len((stem + ".docx").encode("utf-8")) <= MAX_NAME_BYTES
    assert stem == stem.strip() and not stem.endswith(".") and not stem.startswith(".")
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_namer_never_repeats_or_overwrites(tmp_path: Path) -> None:
    (tmp_path / "Ann Smith.docx").write_bytes(b"from an earlier delivery")
    (tmp_path / "Bob.pdf").write_bytes(b"a PDF whose .docx is gone")
    namer = FileNamer(tmp_path)
    names = [namer.take(t).name for t in ("Ann Smith", "ann smith", "Bob", "Bob")]
    assert names == ["Ann Smith (2).docx", "ann smith (3).docx", "Bob (2).docx", "Bob (3).docx"]
    long = namer.take("Ü" * 200)
    assert len(long.name.encode("utf-8")) <= MAX_NAME_BYTES
    again = namer.take("Ü" * 200)
    assert again != long and again.name.endswith(" (2).docx")
    assert len(again.name.encode("utf-8")) <= MAX_NAME_BYTES


def _log_hard_copies(make_contact: Contact, letters: Letters) -> int:
    make_contact(no="C1", type="company", name='A/B: "C" <D>', address="1 Way", city="Ely")
    make_contact(no="P1", type="person", name="Ann Smith", city="Bath")
    make_contact(no="P2", type="person", name="Ann Smith", city="Wells")
    make_contact(no="P3", type="person", first_name="Ivo", surname="Kral", company_no="C1")
    segment = letters(["C1", "P1", "P2", "P3"])  # LETTER: hard copy for everyone
    result = log_segment(segment, send=True)
    assert result.to_deliver == 4
    return result.logged_segment_entry_no


def test_hard_copies_are_written_with_safe_unique_names_and_recorded(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    logged = _log_hard_copies(make_contact, letters)
    out = tmp_path / "out"
    report = deliver_logged_segment(logged, out, pdf=False)
    segment = LoggedSegment.get(LoggedSegment.entry_no == logged).segment_no
    assert (report.files, report.emails, report.failed, report.pdfs) == (4, 0, 0, 0)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "A-B C D.docx",
            "Ann Smith.docx",
            "Ann Smith (2).docx",
            "A-B C D - Ivo Kral.docx",  # a person at a company: "<Company> - <Contact>"
            f"Segment {segment}.docx",
        ]
    )
    assert report.combined == [out / f"Segment {segment}.docx"]
    combined = docx_to_text((out / f"Segment {segment}.docx").read_bytes())
    assert combined.count("Kind regards,") == 4
    entries = list(
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment_entry_no == logged)
        .order_by(InteractionLogEntry.entry_no)
    )
    assert [e.delivery_status for e in entries] == ["sent", "sent", "sent", "sent"]
    for entry in entries:
        assert entry.delivery_error == ""
        assert entry.delivered_at is not None
        path = Path(entry.delivery_file)
        assert path.parent == out and path.exists()
        stored = Attachment.get(Attachment.no == entry.delivered_attachment_no)
        assert bytes(stored.content) == path.read_bytes()
        assert stored.file_name == path.name
    assert "Wells" in docx_to_text(Path(entries[2].delivery_file).read_bytes())
    assert 'A/B: "C" <D>' in docx_to_text(Path(entries[0].delivery_file).read_bytes())
    assert "4 letters written to" in report.summary
    assert report.as_record()["files"] == 4


def test_nothing_in_progress_delivers_nothing(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd")
    logged = log_segment(letters(["C1"])).logged_segment_entry_no  # logged without Send
    report = deliver_logged_segment(logged, tmp_path / "out", pdf=False)
    assert (report.files, report.emails, report.failed) == (0, 0, 0)
    assert "nothing to deliver" in report.summary
    assert not (tmp_path / "out").exists()


def test_default_folder_is_named_after_the_segment(
    make_contact: Contact,
    letters: Letters,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    make_contact(no="C1", type="company", name="Alpha Ltd")
    segment = letters(["C1"])
    logged = log_segment(segment, send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, pdf=False)
    assert report.out_dir == default_out_dir(segment)
    assert report.out_dir is not None and report.out_dir.name == f"Segment {segment}"
    assert (report.out_dir / "Alpha Ltd.docx").exists()


def test_an_entry_without_a_document_fails_and_the_log_stands(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd")
    segment = letters(["C1"], template="OUTCALL", correspondence_type_default="hard_copy")
    logged = log_segment(segment, send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, tmp_path, pdf=False)
    entry = InteractionLogEntry.get(InteractionLogEntry.logged_segment_entry_no == logged)
    assert report.failed == 1 and entry.delivery_status == "error"
    assert entry.delivery_error == "You must select an interaction template with an attachment."
    assert entry.delivered_attachment_no is None


def _tools() -> tuple[str, str]:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    if not pdfinfo or not pdftotext:
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed")
    return pdfinfo, pdftotext


@pytest.mark.slow
def test_combined_letters_convert_to_a_pdf_with_one_page_per_contact(
    make_contact: Contact, letters: Letters, tmp_path: Path
) -> None:
    pdfinfo, pdftotext = _tools()
    names = ["Zoë O'Neil & Co", "Jürgen <Müller>", "Ann Smith", "Ann Smith", "Łukasz Nowak"]
    for i, name in enumerate(names):
        make_contact(no=f"P{i}", type="person", name=name, address=f"{i} High St", city="Ely")
    segment = letters([f"P{i}" for i in range(len(names))])
    logged = log_segment(segment, send=True).logged_segment_entry_no
    report = deliver_logged_segment(logged, tmp_path, pdf=True)
    assert report.missing_files == {}
    assert report.pdfs == len(names) + 1  # every letter and the combined file
    combined = tmp_path / f"Segment {segment}.pdf"
    info = subprocess.run([pdfinfo, str(combined)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert pages is not None and int(pages.group(1)) == len(names)
    for page, name in enumerate(names, start=1):
        text = subprocess.run(
            [pdftotext, "-f", str(page), "-l", str(page), str(combined), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert name in text
        assert "«" not in text and "MERGEFIELD" not in text
    assert (tmp_path / "Ann Smith (2).pdf").exists()
