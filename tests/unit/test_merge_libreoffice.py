"""LibreOffice renders combined merges as the recipients will see them, page by page.

Every combined document below is converted to PDF in one LibreOffice run (a private
profile: two soffice processes sharing one make the second exit without converting) and
read back with ``pdftotext``, a page at a time:

* the header of each page names that page's recipient - also on a cover page that has no
  header of its own (it must not show the previous letter's);
* numbered lists start at 1 in every letter;
* "Page x of y" counts the pages of the letter ("Page 1 of 2" on each letter);
* on real Word templates (first/even/default headers and footers, a footer PAGE field,
  Korean placeholders in header and footer) no page shows another letter's values.

Skipped when ``soffice`` (LibreOffice) or poppler's ``pdftotext`` are missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable

import pytest

from segment_tui.merge import DocxTemplate
from tests.unit.letter_templates import cover_letter, one_section_letter
from tests.unit.merge_helpers import FIXTURES, letter_template

N = 3


def _tools() -> tuple[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    if not pdftotext:
        pytest.skip("poppler-utils (pdftotext) are not installed")
    return soffice, pdftotext


def _fixture_records(name: str) -> tuple[bytes, list[dict[str, str]]]:
    data = (FIXTURES / name).read_bytes()
    fields = DocxTemplate.from_bytes(data).fields
    return data, [{f: f"{f}-{i}" for f in fields} for i in range(N)]


def _cases() -> dict[str, tuple[bytes, list[dict[str, str]]]]:
    people = [{"Contact Name": f"Person {i}"} for i in range(N)]
    letters = [
        {
            "Company Information Name": f"Company {i}",
            "Contact Name": f"Contact{i} M\u00fcller & <Co>",
            "Note": f"note {i}",
        }
        for i in range(5)
    ]
    return {
        "cover": (cover_letter(), people),
        "one_section": (one_section_letter(), people),
        "letter": (letter_template(), letters),
        "first_even_default": _fixture_records(
            "iulica-docx-mailmerge__test_footnote_header_footer.docx"
        ),
        "business_letter": _fixture_records("davidverweij-csv2docx__example.docx"),
        "korean": _fixture_records("elapouya-python-docx-template__header_footer_tpl_utf8.docx"),
    }


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[str]]:
    """``pages(case)``: the text of each page of that case's combined document."""
    soffice, pdftotext = _tools()
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for name, (template, records) in _cases().items():
        path = folder / f"{name}.docx"
        path.write_bytes(DocxTemplate.from_bytes(template).merge_combined(records).document)
        sources.append(str(path))
    profile = folder / "profile"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), *sources],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip

    def read(name: str) -> list[str]:
        pdf = folder / f"{name}.pdf"
        assert pdf.exists(), f"soffice rc={proc.returncode}: {proc.stdout} {proc.stderr}"
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        return [" ".join(page.split()) for page in text.split("\f")[:-1]]

    return read


def test_every_letter_has_its_header_its_lists_and_its_page_count(
    pages: Callable[[str], list[str]],
) -> None:
    got = pages("one_section")
    assert len(got) == 2 * N
    for i in range(N):
        first, second = got[2 * i], got[2 * i + 1]
        assert first.startswith(f"To: Person {i} Dear Person {i}"), first
        assert "1. first point 2. second point" in first, "the list restarts at 1"
        assert first.endswith("Page 1 of 2"), first
        assert second.startswith(f"To: Person {i} Kind regards"), second
        assert second.endswith("Page 2 of 2"), second


def test_a_cover_page_without_a_header_shows_no_other_letters_header(
    pages: Callable[[str], list[str]],
) -> None:
    got = pages("cover")
    assert len(got) == 3 * N
    for i in range(N):
        cover, body, overleaf = got[3 * i : 3 * i + 3]
        assert cover == f"COVER for Person {i}", f"letter {i + 1}'s cover: {cover!r}"
        assert body.startswith(f"To: Person {i} Dear Person {i}"), body
        assert "1. first point 2. second point 1. step one 2. step two" in body
        assert body.endswith("Page 2 of 3") and overleaf.endswith("Page 3 of 3")
        assert overleaf.startswith(f"To: Person {i} See page 2. Kind regards"), overleaf


def test_one_page_per_letter_with_its_own_header(pages: Callable[[str], list[str]]) -> None:
    got = pages("letter")
    assert len(got) == 5
    for i, page in enumerate(got):
        assert f"Contact{i} M\u00fcller & <Co>" in page
        assert f"Company {i}" in page, "each page shows its own letter's header"
        assert "\u00ab" not in page and "{{" not in page


@pytest.mark.parametrize("case", ["first_even_default", "business_letter", "korean"])
def test_real_templates_never_show_another_letters_values(
    pages: Callable[[str], list[str]], case: str
) -> None:
    got = [p for p in pages(case) if p]
    owners = []
    for page in got:
        found = {int(n) for n in re.findall(r"\b[a-zA-Z_ ]+-(\d)\b", page)}
        assert len(found) == 1, f"{case}: a page mixes letters {sorted(found)}: {page!r}"
        owners.append(found.pop())
    assert owners == sorted(owners) and set(owners) == set(range(N)), owners
    if case == "first_even_default":
        firsts = [p for p in got if "Header on first page" in p]
        assert [re.search(r"headerfirst-(\d)", p).group(1) for p in firsts] == ["0", "1", "2"]  # type: ignore[union-attr]
        assert all(f"footerfirst-{i}" in p for i, p in enumerate(firsts))
