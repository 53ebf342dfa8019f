"""merge_combined: one .docx, a section (new page) per letter, per-letter headers."""

from __future__ import annotations

import re
from collections import Counter

import docx
import pytest
from docx.enum.section import WD_SECTION
from lxml import etree

from segment_tui.merge import DocxTemplate, docx_to_text
from tests.unit.merge_helpers import (
    assert_package_consistent,
    letter_template,
    open_docx,
    parts,
    save,
    w,
)

RECORDS = [
    {"Company Information Name": "Cronus A", "Contact Name": "Ann M\u00fcller", "Note": "n1"},
    {"Company Information Name": "Cronus B", "Contact Name": "O'Brien & Co <x>", "Note": "n2"},
    {"Company Information Name": "Cronus C", "Contact Name": "\U0001f600 Zoe", "Note": "n3"},
]


def test_three_letters_three_sections_each_on_a_new_page() -> None:
    template = DocxTemplate.from_bytes(letter_template())
    result = template.merge_combined(RECORDS)
    assert result.unknown_fields == frozenset()
    doc = open_docx(result.document)
    assert len(doc.sections) == 3
    for i, section in enumerate(doc.sections):
        assert section.start_type == WD_SECTION.NEW_PAGE
        assert section.header.paragraphs[0].text == RECORDS[i]["Company Information Name"]
        assert section.footer.paragraphs[0].text == "Footer text"
    names = [p.text for p in doc.paragraphs if p.text.startswith("Dear ")]
    assert names == [f"Dear {r['Contact Name']}" for r in RECORDS]
    assert [t.cell(0, 0).text for t in doc.tables] == [r["Contact Name"] for r in RECORDS]


def test_section_breaks_sit_at_the_end_of_each_letter() -> None:
    out = DocxTemplate.from_bytes(letter_template()).merge_combined(RECORDS).document
    body = etree.fromstring(parts(out)["word/document.xml"]).find(w("body"))
    assert body is not None
    blocks = [el for el in body if el.tag != w("sectPr")]
    breaks = [i for i, el in enumerate(blocks) if el.find(f"{w('pPr')}/{w('sectPr')}") is not None]
    assert len(breaks) == 2
    per_letter = len(blocks) // 3
    assert breaks == [per_letter - 1, 2 * per_letter - 1]
    assert blocks[breaks[0]].findtext(f".//{w('t')}") == "Kind regards"
    # Every letter restarts page numbering.
    for sect in body.iter(w("sectPr")):
        assert sect.find(w("pgNumType")).get(w("start")) == "1"


def test_header_copies_and_relationships_are_valid() -> None:
    out = DocxTemplate.from_bytes(letter_template()).merge_combined(RECORDS).document
    assert_package_consistent(out)
    names = parts(out)
    headers = sorted(n for n in names if re.fullmatch(r"word/header\w*\.xml", n))
    assert len(headers) == 3
    for name in headers:
        rels = f"word/_rels/{name.split('/')[-1]}.rels"
        assert rels in names, "header copies keep their image relationship"
    xml = names["word/document.xml"].decode()
    refs = re.findall(r'headerReference w:type="default" r:id="(rId\d+)"', xml)
    assert len(set(refs)) == 3


def test_ids_are_unique_across_letters() -> None:
    out = DocxTemplate.from_bytes(letter_template()).merge_combined(RECORDS).document
    entries = parts(out)
    ids = [
        el.get("id")
        for n in entries
        if n.endswith(".xml") and n.startswith("word/")
        for el in etree.fromstring(entries[n]).iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    # Header copies may share ids with each other (separate stories); the body must not.
    body_ids = [
        el.get("id")
        for el in etree.fromstring(entries["word/document.xml"]).iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(body_ids) == 3 and len(set(body_ids)) == 3
    assert len(ids) == 6 and len(set(ids)) == 6  # header copies included
    notes = etree.fromstring(entries["word/footnotes.xml"])
    note_ids = [n.get(w("id")) for n in notes.iter(w("footnote")) if n.get(w("type")) is None]
    ref_ids = [
        r.get(w("id"))
        for r in etree.fromstring(entries["word/document.xml"]).iter(w("footnoteReference"))
    ]
    assert len(set(note_ids)) == 3
    assert Counter(ref_ids) == Counter(note_ids)
    text = docx_to_text(out)
    assert text.endswith("Note n1\nNote n2\nNote n3")


def test_headers_without_fields_are_shared() -> None:
    out = (
        DocxTemplate.from_bytes(letter_template(header_field=False))
        .merge_combined(RECORDS)
        .document
    )
    assert_package_consistent(out)
    names = parts(out)
    assert not any("_m1" in n for n in names)
    doc = open_docx(out)
    assert len(doc.sections) == 3
    assert [s.header.paragraphs[0].text for s in doc.sections] == ["Static header"] * 3


def test_preview_text_of_combined_document_shows_each_letter_with_its_header() -> None:
    out = DocxTemplate.from_bytes(letter_template(images=False)).merge_combined(RECORDS).document
    lines = docx_to_text(out).split("\n")
    for record in RECORDS:
        header = lines.index(record["Company Information Name"])
        assert lines[header + 1] == f"Dear {record['Contact Name']}"


def test_records_may_be_a_generator_and_unknowns_are_collected() -> None:
    template = DocxTemplate.from_bytes(letter_template(images=False))
    gen = ({"Contact Name": f"n{i}"} for i in range(4))
    result = template.merge_combined(gen)
    assert len(open_docx(result.document).sections) == 4
    assert result.unknown_fields == frozenset({"Company Information Name", "Note"})


def test_no_records_is_an_error() -> None:
    with pytest.raises(ValueError):
        DocxTemplate.from_bytes(letter_template()).merge_combined([])


def test_single_merge_of_the_same_template_is_consistent() -> None:
    template = DocxTemplate.from_bytes(letter_template())
    out = template.merge(RECORDS[1]).document
    assert_package_consistent(out)
    doc = open_docx(out)
    assert len(doc.sections) == 1
    assert doc.sections[0].header.paragraphs[0].text == "Cronus B"
    assert docx_to_text(out).split("\n")[:2] == ["Cronus B", "Dear O'Brien & Co <x>"]


def test_combined_output_can_be_used_as_a_template_again() -> None:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].add_run("{{Company}}")
    doc.add_paragraph("{{Name}}")
    first = DocxTemplate.from_bytes(save(doc)).merge_combined([{"Name": "a"}, {"Name": "b"}])
    assert first.unknown_fields == frozenset({"Company"})
    again = DocxTemplate.from_bytes(first.document)
    assert again.fields == ["Company"]
    out = again.merge_combined([{"Company": "X"}, {"Company": "Y"}]).document
    assert_package_consistent(out)
    sections = open_docx(out).sections
    assert [s.header.paragraphs[0].text for s in sections] == ["X", "X", "Y", "Y"]
