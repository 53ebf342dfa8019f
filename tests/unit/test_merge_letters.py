"""Each letter of a combined document is its own: headers, lists, page counts, ids.

Word's document-wide rules would otherwise leak one letter into the next (a cover section
inheriting the previous letter's header with that recipient's name, "3., 4." in letter
2, "Page 1 of 40"). These tests read the combined package; test_merge_libreoffice renders
the same templates and checks the pages.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator

import docx
import pytest
from lxml import etree

from segment_tui.merge import DocxTemplate, docx_to_text
from segment_tui.merge import zipwriter as zipwriter_module
from tests.unit.letter_templates import (
    cover_letter,
    one_section_letter,
    set_document_language,
    text_box_letter,
)
from tests.unit.merge_helpers import (
    FIXTURES,
    add_complex_field,
    add_mergefield,
    open_docx,
    parts,
    save,
    w,
)

PEOPLE = [{"Contact Name": f"Person {i}", "Contact City": f"City {i}"} for i in range(3)]


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(parts(data)["word/document.xml"]).find(w("body"))


def test_a_cover_section_without_a_header_does_not_inherit_the_previous_letters() -> None:
    data = DocxTemplate.from_bytes(cover_letter()).merge_combined(PEOPLE).document
    doc = open_docx(data)
    assert len(doc.sections) == 6  # cover + letter body, three times
    for index, section in enumerate(doc.sections):
        assert not section.header.is_linked_to_previous, f"section {index} inherits"
        text = "\n".join(p.text for p in section.header.paragraphs).strip()
        if index % 2 == 0:
            assert text == "", f"the cover of letter {index // 2 + 1} shows {text!r}"
        else:
            assert text == f"To: Person {index // 2}"


def test_a_single_letter_keeps_the_templates_references() -> None:
    template = DocxTemplate.from_bytes(cover_letter())
    single = parts(template.merge(PEOPLE[0]).document)
    assert "header_blank.xml" not in " ".join(single)
    refs = etree.fromstring(single["word/document.xml"]).iter(w("headerReference"))
    assert len(list(refs)) == 1  # only the body section's own, as in the template


def _num_id(paragraph: etree._Element) -> str | None:
    num = paragraph.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
    return None if num is None else num.get(w("val"))


def test_numbered_lists_restart_in_every_letter() -> None:
    data = DocxTemplate.from_bytes(cover_letter()).merge_combined(PEOPLE).document
    body = _body(data)
    numbering = etree.fromstring(parts(data)["word/numbering.xml"])
    nums = {n.get(w("numId")): n for n in numbering.findall(w("num"))}
    by_text: dict[str, list[str | None]] = {}
    for p in body.iter(w("p")):
        text = "".join(t.text or "" for t in p.iter(w("t")))
        if text in ("first point", "step one"):
            by_text.setdefault(text, []).append(_num_id(p))
    for text, ids in by_text.items():
        assert len(ids) == 3
        # Letter 1 keeps the template's list (by style, or its direct numId); the others
        # each name a list instance of their own that starts again at 1.
        assert len(set(ids)) == 3, f"{text}: letters share a list: {ids}"
        for num_id in ids[1:]:
            assert num_id in nums
            start = nums[num_id].find(f"{w('lvlOverride')}/{w('startOverride')}")
            assert start is not None and start.get(w("val")) == "1"
    # The new lists use the template's list definitions.
    abstract = {n.get(w("numId")): n.find(w("abstractNumId")).get(w("val")) for n in nums.values()}
    first, second, _ = by_text["step one"]
    assert abstract[second] == abstract[first]


def test_page_x_of_y_counts_the_pages_of_each_letter() -> None:
    template = DocxTemplate.from_bytes(one_section_letter())
    assert "NUMPAGES" in parts(template.merge(PEOPLE[0]).document)["word/footer1.xml"].decode()
    data = template.merge_combined(PEOPLE).document
    entries = parts(data)
    body = _body(data)
    ends = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert ends == ["_LetterEnd1", "_LetterEnd2", "_LetterEnd3"]
    doc = open_docx(data)
    for index, section in enumerate(doc.sections):
        footer = section.footer.part.blob.decode()
        assert f"PAGEREF _LetterEnd{index + 1}" in footer and "NUMPAGES" not in footer
    # Each letter's end bookmark sits in its last paragraph (the one with the break).
    last_paragraphs = [
        p for p in body.iter(w("p")) if p.find(f".//{w('bookmarkStart')}") is not None
    ]
    assert all("Kind regards" in "".join(t.text for t in p.iter(w("t"))) for p in last_paragraphs)
    assert "word/footer1_m1.xml" in entries


def test_bookmarks_and_references_stay_unique_per_letter() -> None:
    data = DocxTemplate.from_bytes(cover_letter()).merge_combined(PEOPLE).document
    body = _body(data)
    names = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert [n for n in names if n.startswith("Greeting")] == [
        "Greeting",
        "Greeting_2",
        "Greeting_3",
    ]
    ids = [b.get(w("id")) for b in body.iter(w("bookmarkStart"))]
    assert len(ids) == len(set(ids))
    instructions = "".join(t.text or "" for t in body.iter(w("instrText")))
    assert re.findall(r"PAGEREF (\S+)", instructions) == ["Greeting", "Greeting_2", "Greeting_3"]
    para_ids = Counter(
        p.get("{http://schemas.microsoft.com/office/word/2010/wordml}paraId")
        for p in body.iter(w("p"))
    )
    assert set(para_ids) == {None}  # dropped rather than repeated (Word makes new ones)


def test_headers_that_come_out_the_same_are_shared_not_copied() -> None:
    template = DocxTemplate.from_bytes(one_section_letter(header_fields=False))
    entries = parts(template.merge_combined(PEOPLE).document)
    headers = [n for n in entries if re.fullmatch(r"word/header\d.*\.xml", n)]
    assert headers == ["word/header1.xml"]  # fixed text: one part for every letter
    footers = [n for n in entries if re.fullmatch(r"word/footer\d.*\.xml", n)]
    assert len(footers) == 3  # the page count differs per letter
    # A field with the same value in every letter is shared too.
    same = [{"Contact Name": "Same Person"} for _ in range(3)]
    entries = parts(DocxTemplate.from_bytes(one_section_letter()).merge_combined(same).document)
    assert [n for n in entries if re.fullmatch(r"word/header\d.*\.xml", n)] == ["word/header1.xml"]


def test_fields_in_text_boxes_are_merged_and_listed() -> None:
    template = DocxTemplate.from_bytes(text_box_letter())
    assert template.fields == ["Contact Name", "Contact City"]
    result = template.merge(PEOPLE[1])
    xml = parts(result.document)["word/document.xml"].decode()
    assert xml.count("City 1") == 2  # the DrawingML text box and its VML fallback
    assert "\u00abContact City\u00bb" not in xml and "MERGEFIELD" not in xml
    assert "Box: City 1" in docx_to_text(result.document)


def _date_letter(lang: str | None = None, run_lang: str | None = None) -> bytes:
    doc = docx.Document()
    par = doc.add_paragraph()
    add_mergefield(par, "Document Date", '\\@ "d. MMMM yyyy, dddd"')
    if run_lang:  # Word stores the language of typed text on its runs
        for run in par._p.iter(w("r")):
            rpr = run.find(w("rPr"))
            if rpr is None:
                rpr = etree.SubElement(run, w("rPr"))
                run.insert(0, rpr)
            etree.SubElement(rpr, w("lang")).set(w("val"), run_lang)
    data = save(doc)
    return set_document_language(data, lang) if lang else data


@pytest.mark.parametrize(
    ("lang", "run_lang", "expected"),
    [
        (None, None, "3. December 2026, Thursday"),
        ("de-DE", None, "3. Dezember 2026, Donnerstag"),
        ("de-DE", "fr-FR", "3. décembre 2026, jeudi"),
        ("ru-RU", None, "3. декабря 2026, четверг"),
        ("xx-YY", None, "3. December 2026, Thursday"),
    ],
)
def test_date_pictures_use_the_language_of_the_text(
    lang: str | None, run_lang: str | None, expected: str
) -> None:
    template = DocxTemplate.from_bytes(_date_letter(lang, run_lang))
    text = template.merge_text({"Document Date": datetime.date(2026, 12, 3)})
    assert text == expected


def test_chained_case_switches_apply_in_order() -> None:
    doc = docx.Document()
    add_mergefield(doc.add_paragraph(), "Contact Name", "\\* Lower \\* FirstCap")
    add_mergefield(doc.add_paragraph(), "Contact Name", "\\* FirstCap \\* Lower")
    add_mergefield(doc.add_paragraph(), "Amount", '\\# "#,##0.00"')
    template = DocxTemplate.from_bytes(save(doc))
    text = template.merge_text({"Contact Name": "RICHARD SMITH", "Amount": "1234.5"})
    assert text.split("\n") == ["Richard smith", "richard smith", "1,234.50"]


def test_word_mail_merge_fields_the_engine_leaves_alone_are_listed() -> None:
    fixture = DocxTemplate.from_bytes(
        (FIXTURES / "iulica-docx-mailmerge__test_next_record.docx").read_bytes()
    )
    assert fixture.unsupported_fields == ["NEXT"]
    doc = docx.Document()
    add_complex_field(doc.add_paragraph(), ' ASK name "Your name?" ', "")
    add_complex_field(doc.add_paragraph(), " SKIPIF 1 = 1 ", "")
    add_complex_field(doc.add_paragraph(), " PAGE ", "1")  # Word computes it: fine
    assert DocxTemplate.from_bytes(save(doc)).unsupported_fields == ["ASK", "SKIPIF"]
    clean = DocxTemplate.from_bytes(
        (FIXTURES / "iulica-docx-mailmerge__test_spaces.docx").read_bytes()
    )
    assert clean.unsupported_fields == []


# --------------------------------------------------------------------------- the zip


def test_a_zip_with_more_than_65535_parts_gets_zip64_records() -> None:
    out = io.BytesIO()
    writer = zipwriter_module.ZipWriter(out)
    blob = zipwriter_module.compress(b"x")
    for i in range(70_000):
        writer.add(f"p/{i}.txt", blob)
    writer.close()
    with zipfile.ZipFile(out) as zf:
        assert len(zf.infolist()) == 70_000
        assert zf.read("p/69999.txt") == b"x"
    tail = out.getvalue()[-200:]
    assert b"PK\x06\x06" in tail and b"PK\x06\x07" in tail
    # A small archive has no ZIP64 record (LibreOffice 7.4 cannot open one).
    small = zipwriter_module.write_zip([("a.txt", blob)])
    assert b"PK\x06\x06" not in small


def test_a_streamed_part_past_the_32_bit_limit_is_written_as_zip64(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(zipwriter_module, "_LIMIT", 1000)  # "4 GiB" for the test
    out = io.BytesIO()
    writer = zipwriter_module.ZipWriter(out)
    data = bytes(range(256)) * 40
    with writer.stream("big.bin") as part:
        part.write(data)
    writer.add("small.txt", zipwriter_module.compress(b"ok"))
    writer.close()
    monkeypatch.undo()
    with zipfile.ZipFile(out) as zf:
        assert zf.read("big.bin") == data and zf.read("small.txt") == b"ok"


def test_combined_output_is_written_as_the_records_come() -> None:
    template = DocxTemplate.from_bytes(one_section_letter())
    seen: list[int] = []

    def records() -> Iterator[dict[str, str]]:
        for i in range(2500):
            yield {"Contact Name": f"P{i}"}

    out = io.BytesIO()
    letters, unknown = template.write_combined(records(), out, on_letter=seen.append)
    assert letters == 2500 and seen[-1] == 2500 and unknown == frozenset()
    doc = open_docx(out.getvalue())
    assert len(doc.sections) == 2500
    assert doc.sections[2499].header.paragraphs[0].text == "To: P2499"
    with pytest.raises(ValueError):
        template.write_combined(iter(()), io.BytesIO())


def test_footnote_numbers_restart_with_each_letter_of_a_one_section_template() -> None:
    data = (FIXTURES / "iulica-docx-mailmerge__test_footnote_header_footer.docx").read_bytes()
    combined = DocxTemplate.from_bytes(data).merge_combined([{}, {}]).document
    for sect in _body(combined).iter(w("sectPr")):
        restart = sect.find(f"{w('footnotePr')}/{w('numRestart')}")
        assert restart is not None and restart.get(w("val")) == "eachSect"
