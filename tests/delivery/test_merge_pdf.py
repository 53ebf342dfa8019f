"""PDFs of merged letters: LibreOffice in chunks, the combined PDF joined and one PDF per
letter cut with pypdf, every missing file reported with its reason, a run that hangs
killed with its whole process group, and ``segment merge --pdf`` exiting 1 when a
promised PDF is missing."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from pypdf import PdfReader

from segment_tui.merge import DocxTemplate
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.demo.documents import add_merge_field
from segment_tui.services.documents import merge_pdf

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]


def _needs_libreoffice() -> None:
    if merge_pdf.soffice_path() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext) are needed")


def _two_page_letter() -> DocxTemplate:
    doc = docx.Document()
    par = doc.add_paragraph("Dear ")
    add_merge_field(par, "Contact Name")
    par.add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Kind regards")
    out = io.BytesIO()
    doc.save(out)
    return DocxTemplate.from_bytes(out.getvalue())


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_combined_pdf_and_one_pdf_per_letter_from_chunks(tmp_path: Path) -> None:
    _needs_libreoffice()
    records = [{"Contact Name": f"Person {i}"} for i in range(5)]
    combined = tmp_path / "Segment.pdf"
    letters = [tmp_path / f"letter {i}.pdf" for i in range(5)]
    letters[0].write_bytes(b"stale PDF of an earlier run")
    seen: list[tuple[int, int]] = []
    report = merge_pdf.letters_to_pdf(
        _two_page_letter(),
        records,
        combined=combined,
        letters=letters,
        chunk_letters=2,  # three chunks: 2 + 2 + 1 letters
        on_progress=lambda done, total: seen.append((done, total)),
    )
    assert report.ok, report.summary
    assert sorted(report.made) == sorted([combined, *letters])
    assert len(PdfReader(combined).pages) == 10
    text = _text(combined)
    assert [f"Person {i}" in text for i in range(5)] == [True] * 5
    for i, path in enumerate(letters):
        assert len(PdfReader(path).pages) == 2
        page_text = _text(path)
        assert f"Dear Person {i}" in page_text and "Kind regards" in page_text
        assert all(f"Person {j}" not in page_text for j in range(5) if j != i)
    assert seen[-1] == (5, 5)


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_every_missing_pdf_is_reported_and_no_stale_one_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        merge_pdf, "soffice_path", lambda: _fake_soffice(tmp_path, "echo broken >&2; exit 3")
    )
    combined = tmp_path / "out" / "Segment.pdf"
    combined.parent.mkdir()
    combined.write_bytes(b"old")
    letters = [tmp_path / "out" / "a.pdf", tmp_path / "out" / "b.pdf"]
    report = merge_pdf.letters_to_pdf(
        _two_page_letter(),
        [{"Contact Name": "A"}, {"Contact Name": "B"}],
        combined=combined,
        letters=letters,
    )
    assert not report.ok and report.made == []
    assert set(report.failed) == {combined, *letters}
    assert "LibreOffice exited with status 3: broken" in report.failed[letters[0]]
    assert report.failed[combined].startswith("letters 1–2 could not be converted")
    assert not combined.exists(), "an old PDF must not pass for this run's"


def test_a_hanging_libreoffice_is_killed_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "child.pid"
    script = _fake_soffice(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait")
    monkeypatch.setattr(merge_pdf, "soffice_path", lambda: script)
    monkeypatch.setattr(merge_pdf, "SECONDS_PER_RUN", 1.0)
    monkeypatch.setattr(merge_pdf, "SECONDS_PER_LETTER", 0.0)
    start = time.monotonic()
    report = merge_pdf.letters_to_pdf(
        _two_page_letter(), [{"Contact Name": "A"}], combined=tmp_path / "x.pdf"
    )
    assert time.monotonic() - start < 30
    assert "did not finish the PDF conversion within 1 s" in report.failed[tmp_path / "x.pdf"]
    child = int(pid_file.read_text())
    for _ in range(50):  # the kill is asynchronous
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the LibreOffice run's child process survived the timeout")


def test_segment_merge_pdf_exits_1_when_a_pdf_is_missing(
    make_contact: Contact,
    letters: Letters,
    cli: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd")
    segment = letters(["C1"])
    out = tmp_path / "letters.docx"
    monkeypatch.setattr(merge_pdf, "soffice_path", lambda: None)
    status, stdout, err = cli("segment", "merge", segment, "--out", str(out), "--pdf")
    assert status == 1
    assert out.exists() and not out.with_suffix(".pdf").exists()
    assert f"error: {out.with_suffix('.pdf')} was not made: LibreOffice" in err
    assert "merged 1 letter into" in stdout


def test_segment_merge_pdf_writes_the_pdf(
    make_contact: Contact, letters: Letters, cli: Run, tmp_path: Path
) -> None:
    _needs_libreoffice()
    make_contact(no="C1", type="company", name="Alpha Ltd")
    make_contact(no="C2", type="company", name="Beta Ltd")
    segment = letters(["C1", "C2"])
    out = tmp_path / "letters.docx"
    status, stdout, err = cli("segment", "merge", segment, "--out", str(out), "--pdf")
    assert status == 0, err
    text = _text(out.with_suffix(".pdf"))
    assert "Alpha Ltd" in text and "Beta Ltd" in text
    assert f"PDF: {out.with_suffix('.pdf')}" in stdout
