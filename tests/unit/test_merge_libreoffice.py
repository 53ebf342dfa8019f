"""LibreOffice opens a combined merge: one page per letter, every name on its page.

Skipped when ``soffice`` (LibreOffice) or poppler's ``pdfinfo``/``pdftotext`` are missing.
Each run uses a private LibreOffice profile: two soffice processes sharing a profile make
the second one exit without writing its PDF (tech-notes §3.5).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from merge_helpers import letter_template

from segment_tui.merge import DocxTemplate

N = 5


def _tools() -> tuple[str, str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    if not pdfinfo or not pdftotext:
        pytest.skip("poppler-utils (pdfinfo/pdftotext) are not installed")
    return soffice, pdfinfo, pdftotext


def test_combined_merge_renders_one_page_per_letter(tmp_path: Path) -> None:
    soffice, pdfinfo, pdftotext = _tools()
    records = [
        {
            "Company Information Name": f"Company {i}",
            "Contact Name": f"Contact{i} M\u00fcller & <Co>",
            "Note": f"note {i}",
        }
        for i in range(N)
    ]
    result = DocxTemplate.from_bytes(letter_template()).merge_combined(records)
    source = tmp_path / "letters.docx"
    source.write_bytes(result.document)
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "letters.pdf"
    assert pdf.exists(), f"soffice rc={proc.returncode}: {proc.stdout} {proc.stderr}"
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages == N
    for i in range(N):
        page = subprocess.run(
            [pdftotext, "-f", str(i + 1), "-l", str(i + 1), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"Contact{i} M\u00fcller & <Co>" in page
        assert f"Company {i}" in page, "each page shows its own letter's header"
        assert "\u00ab" not in page and "{{" not in page
