"""Merge behaviour on templates built here: split runs, split instructions, switches,
headers/footers/notes, unknown fields, line breaks, IF fields, list_fields."""

from __future__ import annotations

import datetime
import decimal
import io
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from lxml import etree

from segment_tui.merge import DocxFormatError, DocxTemplate, docx_to_text, list_fields
from tests.unit.merge_helpers import (
    FIXTURES,
    add_complex_field,
    add_mergefield,
    add_notes,
    add_simple_field,
    add_text,
    assert_package_consistent,
    canonical,
    note_reference,
    open_docx,
    parts,
    run_el,
    runs_with_text,
    save,
    text_el,
    w,
)

NASTY = 'O\'Brien & Co <x> "q" M\u00fcller \u20ac \U0001f600'
BOLD = canonical(parse_xml(f"<w:rPr {nsdecls('w')}><w:b/></w:rPr>"))
ITALIC = canonical(parse_xml(f"<w:rPr {nsdecls('w')}><w:i/></w:rPr>"))


def body_xml(data: bytes) -> str:
    return parts(data)["word/document.xml"].decode("utf-8")


def one_paragraph(build: Callable[[Paragraph], None]) -> bytes:
    doc = docx.Document()
    build(doc.add_paragraph())
    return save(doc)


# --------------------------------------------------------------------------- placeholders


def test_placeholder_split_across_formatted_runs_keeps_surrounding_formatting() -> None:
    def build(par: Paragraph) -> None:
        add_text(par, "Dear ", italic=True)
        add_text(par, "Mr {{")
        add_text(par, "Contact", bold=True)
        add_text(par, " Name}}, welcome")
        add_text(par, " to Cronus.", bold=True)

    result = DocxTemplate.from_bytes(one_paragraph(build)).merge({"Contact Name": NASTY})
    runs = runs_with_text(parts(result.document)["word/document.xml"])
    assert runs == [
        ("Dear ", ITALIC),
        (f"Mr {NASTY}", ()),
        (", welcome", ()),
        (" to Cronus.", BOLD),
    ]
    assert open_docx(result.document).paragraphs[0].text == f"Dear Mr {NASTY}, welcome to Cronus."


def test_placeholder_name_is_case_and_space_insensitive() -> None:
    def build(par: Paragraph) -> None:
        add_text(par, "{{ contact   NAME }}|{{Contact Name}}|{{CONTACT NAME}}")

    template = DocxTemplate.from_bytes(one_paragraph(build))
    assert template.fields == ["contact NAME"]
    text = template.merge_text({" Contact Name ": "Ann"})
    assert text.strip() == "Ann|Ann|Ann"


def test_several_placeholders_in_one_run_and_across_runs() -> None:
    def build(par: Paragraph) -> None:
        add_text(par, "{{A}}-{{B}}-{")
        add_text(par, "{C}", bold=True)
        add_text(par, "}-{{A}}")

    template = DocxTemplate.from_bytes(one_paragraph(build))
    assert template.fields == ["A", "B", "C"]
    assert template.merge_text({"A": "1", "B": "2", "C": "3"}).strip() == "1-2-3-1"


def test_placeholder_switches() -> None:
    def build(par: Paragraph) -> None:
        add_text(par, '{{Document Date \\@ "dd.MM.yyyy"}} {{Amount \\# "#,##0.00"}}')

    template = DocxTemplate.from_bytes(one_paragraph(build))
    assert template.fields == ["Document Date", "Amount"]
    text = template.merge_text(
        {"Document Date": datetime.date(2025, 3, 4), "Amount": decimal.Decimal("1234.5")}
    )
    assert text.strip() == "04.03.2025 1,234.50"


def test_placeholders_in_nested_table_and_text_box() -> None:
    doc = docx.Document()
    outer = doc.add_table(rows=1, cols=2)
    inner = outer.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).paragraphs[0].add_run("{{Contact Name}}")
    box = parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
        "<w:pict><v:shape><v:textbox><w:txbxContent>"
        "<w:p><w:r><w:t>Box: {{Contact City}}</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    doc.add_paragraph()._p.append(box)
    template = DocxTemplate.from_bytes(save(doc))
    assert template.fields == ["Contact Name", "Contact City"]
    out = template.merge({"Contact Name": "Ann", "Contact City": "Århus"}).document
    xml = body_xml(out)
    assert "Ann" in xml and "Box: Århus" in xml and "{{" not in xml
    assert open_docx(out).tables[0].cell(0, 1).tables[0].cell(0, 0).text == "Ann"


# --------------------------------------------------------------------------- MERGEFIELDs


def test_complex_field_with_split_instruction_and_split_result() -> None:
    def build(par: Paragraph) -> None:
        add_text(par, "To: ", italic=True)
        add_complex_field(
            par,
            [" ", "MERGE", "FIELD ", '"Contact ', 'Name" ', "\\* MERGEFORMAT "],
            ["\u00abCon", "tact Name\u00bb"],
            bold_result=True,
        )
        add_text(par, "!", italic=True)

    template = DocxTemplate.from_bytes(one_paragraph(build))
    assert template.fields == ["Contact Name"]
    out = template.merge({"contact name": NASTY}).document
    assert runs_with_text(parts(out)["word/document.xml"]) == [
        ("To: ", ITALIC),
        (NASTY, BOLD),
        ("!", ITALIC),
    ]
    xml = body_xml(out)
    for leftover in ("fldChar", "instrText", "MERGEFIELD", "\u00ab"):
        assert leftover not in xml


def test_field_codes_in_one_run_and_field_without_result() -> None:
    doc = docx.Document()
    r = run_el(italic=True)
    for child in (
        parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'),
        text_el(" MERGEFIELD City ", "w:instrText"),
        parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'),
        text_el("\u00abCity\u00bb"),
        parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'),
    ):
        r.append(child)
    par = doc.add_paragraph()
    par._p.append(r)
    add_complex_field(par, " MERGEFIELD Zip ", None, italic_instr=True)  # no separate/result
    out = DocxTemplate.from_bytes(save(doc)).merge({"City": "Bonn", "Zip": "53111"}).document
    assert runs_with_text(parts(out)["word/document.xml"]) == [
        ("Bonn", ITALIC),
        ("53111", ITALIC),
    ]


def test_simple_field_takes_its_run_formatting() -> None:
    def build(par: Paragraph) -> None:
        add_simple_field(
            par, ' MERGEFIELD "Salesperson/Purchaser Name" ', "\u00abx\u00bb", bold=True
        )

    out = DocxTemplate.from_bytes(one_paragraph(build)).merge(
        {"Salesperson/Purchaser Name": "Peter Saddow"}
    )
    assert runs_with_text(parts(out.document)["word/document.xml"]) == [("Peter Saddow", BOLD)]


def test_word_underscore_spelling_finds_bc_name() -> None:
    def build(par: Paragraph) -> None:
        add_simple_field(par, " MERGEFIELD Contact_Name ", "\u00abContact_Name\u00bb")
        add_simple_field(par, " MERGEFIELD Contact_Name_2 ", "\u00abContact_Name_2\u00bb")

    template = DocxTemplate.from_bytes(one_paragraph(build))
    result = template.merge({"Contact Name": "Ann", "Contact Name 2": "GmbH"})
    assert result.unknown_fields == frozenset()
    assert docx_to_text(result.document).strip() == "AnnGmbH"


@pytest.mark.parametrize(
    ("switches", "value", "expected"),
    [
        ("\\* Upper", "ann m\u00fcller", "ANN M\u00dcLLER"),
        ("\\* Lower", "ANN", "ann"),
        ("\\* FirstCap", "ann o'brien", "Ann o'brien"),
        ("\\* Caps", "ann o'brien-smith", "Ann O'brien-smith"),
        ('\\@ "dd.MM.yyyy"', datetime.date(2025, 3, 4), "04.03.2025"),
        ('\\@ "d MMMM yyyy"', datetime.date(2025, 3, 4), "4 March 2025"),
        ('\\@ "MMMM d, yyyy"', datetime.datetime(2025, 12, 24, 18, 5), "December 24, 2025"),
        ('\\@ "yyyy-MM-dd"', datetime.date(2025, 3, 4), "2025-03-04"),
        ('\\@ "dddd"', datetime.date(2025, 3, 4), "Tuesday"),
        ('\\@ "HH:mm"', datetime.datetime(2025, 3, 4, 9, 7), "09:07"),
        ('\\@ "dd.MM.yyyy"', "not a date", "not a date"),
        ('\\# "#,##0.00"', decimal.Decimal("1234567.125"), "1,234,567.13"),
        ('\\# "0.00"', 2.5, "2.50"),
        ('\\# "#,##0"', -9876.5, "-9,877"),
        ('\\# "0"', 7, "7"),
        ('\\# "#,##0.00"', "12 apples", "12 apples"),
        ('\\b "Dear " \\f ","', "Ann", "Dear Ann,"),
        ('\\b "Dear " \\f ","', "", ""),
        ('\\b "Dear " \\f ","', None, ""),
        ('\\@ "d MMMM yyyy" \\* Upper', datetime.date(2025, 5, 1), "1 MAY 2025"),
    ],
)
def test_switches(switches: str, value: object, expected: str) -> None:
    def build(par: Paragraph) -> None:
        add_text(par, "[")
        add_mergefield(par, "X", switches)
        add_text(par, "]")

    text = DocxTemplate.from_bytes(one_paragraph(build)).merge_text({"X": value})  # type: ignore[dict-item]
    assert text.strip() == f"[{expected}]"


def test_values_are_escaped_and_newlines_become_breaks() -> None:
    def build(par: Paragraph) -> None:
        add_mergefield(par, "Contact Mail Address")

    value = f"{NASTY}\n12 High St\r\nLondon\tUK"
    out = DocxTemplate.from_bytes(one_paragraph(build)).merge({"Contact Mail Address": value})
    root = etree.fromstring(parts(out.document)["word/document.xml"])
    run = next(r for r in root.iter(w("r")) if r.find(w("t")) is not None)
    assert len(run.findall(w("br"))) == 2
    assert len(run.findall(w("tab"))) == 1
    assert all("\n" not in (t.text or "") for t in run.iter(w("t")))
    expected = f"{NASTY}\n12 High St\nLondon\tUK"
    assert open_docx(out.document).paragraphs[0].text == expected
    assert docx_to_text(out.document).split("\n")[:3] == expected.split("\n")


def test_none_and_numbers_without_switches() -> None:
    def build(par: Paragraph) -> None:
        for name in ("A", "B", "C", "D"):
            add_mergefield(par, name)
            add_text(par, "|")

    text = DocxTemplate.from_bytes(one_paragraph(build)).merge_text(
        {"A": None, "B": 12, "C": decimal.Decimal("3.50"), "D": datetime.date(2025, 1, 2)}
    )
    assert text.strip() == "|12|3.50|2025-01-02|"


def test_invalid_xml_characters_are_dropped() -> None:
    def build(par: Paragraph) -> None:
        add_mergefield(par, "A")

    out = DocxTemplate.from_bytes(one_paragraph(build)).merge({"A": "a\x00b\x07c"})
    assert open_docx(out.document).paragraphs[0].text == "abc"


def test_unknown_fields_stay_visible_and_are_reported() -> None:
    def build(par: Paragraph) -> None:
        add_mergefield(par, "Contact Name", bold=True)
        add_text(par, " / ")
        add_mergefield(par, "Missing Field")
        add_text(par, " / {{ Missing Placeholder }} / {{Contact Name}}")

    result = DocxTemplate.from_bytes(one_paragraph(build)).merge({"Contact Name": "Ann"})
    assert result.unknown_fields == frozenset({"Missing Field", "Missing Placeholder"})
    text = open_docx(result.document).paragraphs[0].text
    assert text == "Ann / \u00abMissing Field\u00bb / {{ Missing Placeholder }} / Ann"


def test_other_fields_are_left_alone() -> None:
    def build(par: Paragraph) -> None:
        add_simple_field(par, " PAGE ", "1")
        add_complex_field(par, ' DATE \\@ "d.M.yyyy" ', "1.1.2025")
        add_complex_field(par, " NEXT ", None)
        add_mergefield(par, "A")

    template = DocxTemplate.from_bytes(one_paragraph(build))
    assert template.fields == ["A"]
    out = template.merge({"A": "x"}).document
    xml = body_xml(out)
    assert 'w:instr=" PAGE "' in xml
    assert "DATE \\@" in xml and " NEXT " in xml
    assert xml.count('w:fldCharType="begin"') == 2
    assert docx_to_text(out).strip() == "11.1.2025x"


# --------------------------------------------------------------------------- IF fields


def _if_template(condition: list[str | tuple[str, str]]) -> bytes:
    """Paragraph with one IF field whose instruction pieces are text or nested fields
    (``(cached result, instruction)``)."""
    doc = docx.Document()
    par = doc.add_paragraph()
    add_complex_field(par, [" IF "], None)
    p = par._p
    end = p[-1]
    p.remove(end)
    for piece in condition:
        if isinstance(piece, str):
            p.append(run_el(text_el(piece, "w:instrText")))
        else:
            kind, instr = piece
            p.append(run_el(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>')))
            p.append(run_el(text_el(instr, "w:instrText")))
            p.append(run_el(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>')))
            p.append(run_el(text_el(f"\u00ab{kind}\u00bb", "w:instrText")))
            p.append(run_el(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>')))
    p.append(run_el(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>')))
    p.append(run_el(text_el("cached result"), bold=True))
    p.append(end)
    return save(doc)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("F", "Dear Ms Ann"), ("M", "Dear Mr Ann"), ("", "Dear Mr Ann")],
)
def test_if_field_with_nested_mergefields(value: str, expected: str) -> None:
    data = _if_template(
        [
            ("Gender", " MERGEFIELD Gender "),
            ' = "F" "Dear Ms ',
            ("Name", ' MERGEFIELD "Contact Name" '),
            '" "Dear Mr ',
            ("Name", ' MERGEFIELD "Contact Name" '),
            '"',
        ]
    )
    template = DocxTemplate.from_bytes(data)
    assert template.fields == ["Gender", "Contact Name"]
    out = template.merge({"Gender": value, "Contact Name": "Ann"})
    assert runs_with_text(parts(out.document)["word/document.xml"]) == [(expected, BOLD)]


@pytest.mark.parametrize(
    ("instr", "expected"),
    [
        (' IF 10 > 9 "yes" "no" ', "yes"),
        (' IF "abc" < "abd" "yes" "no" ', "yes"),
        (' IF "Müller" = "M*" "yes" "no" ', "yes"),
        (' IF "Muller" <> "M?ller" "yes" "no" ', "no"),
        (' IF 2 = 2.0 "yes" ', "yes"),
        (' IF 1 = 2 "yes" ', ""),
    ],
)
def test_if_operators(instr: str, expected: str) -> None:
    text = DocxTemplate.from_bytes(_if_template([instr.replace(" IF ", "", 1)])).merge_text({})
    assert text.strip() == expected


def test_if_with_unsupported_nested_field_is_left_but_inner_mergefield_merged() -> None:
    data = _if_template([("p", " PAGE "), ' = 1 "', ("Name", " MERGEFIELD Name "), '" "" '])
    template = DocxTemplate.from_bytes(data)
    result = template.merge({"Name": "Ann"})
    xml = body_xml(result.document)
    assert " IF " in xml and " PAGE " in xml and "MERGEFIELD" not in xml
    assert "Ann" in xml and result.unknown_fields == frozenset()


# --------------------------------------------------------------------------- stories


def test_fields_in_headers_footers_and_notes() -> None:
    doc = docx.Document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    for story, name in (
        (section.header, "H default"),
        (section.first_page_header, "H first"),
        (section.even_page_header, "H even"),
        (section.footer, "F default"),
        (section.first_page_footer, "F first"),
        (section.even_page_footer, "F even"),
    ):
        add_mergefield(story.paragraphs[0], name)
    par = doc.add_paragraph("Body")
    par._p.append(note_reference("footnotes", 1))
    par._p.append(note_reference("endnotes", 1))
    add_notes(doc, "footnotes", {1: [run_el(text_el("Note: {{Foot}}"))]})
    add_notes(doc, "endnotes", {1: [run_el(text_el("End: {{End}}"))]})
    template = DocxTemplate.from_bytes(save(doc))
    names = ["H default", "H even", "H first", "F default", "F even", "F first"]
    assert sorted(template.fields) == sorted([*names, "Foot", "End"])
    values = {n: f"<{n}>" for n in template.fields}
    out = template.merge(values).document
    s = open_docx(out).sections[0]
    assert s.header.paragraphs[0].text == "<H default>"
    assert s.first_page_header.paragraphs[0].text == "<H first>"
    assert s.even_page_header.paragraphs[0].text == "<H even>"
    assert s.even_page_footer.paragraphs[0].text == "<F even>"
    text = docx_to_text(out)
    assert text.split("\n") == ["<H first>", "Body", "<F first>", "Note: <Foot>", "End: <End>"]


def test_list_fields_order_and_deduplication() -> None:
    doc = docx.Document()
    add_mergefield(doc.sections[0].header.paragraphs[0], "Company Information Name")
    par = doc.add_paragraph()
    add_mergefield(par, "Contact Name")
    add_text(par, "{{Document Date}} {{ contact name }}")
    add_simple_field(doc.add_paragraph(), " MERGEFIELD  FORMAL_SALUTATION ", "x")
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("{{Line Note}} {{DOCUMENT DATE}}")
    assert list_fields(save(doc)) == [
        "Contact Name",
        "Document Date",
        "FORMAL_SALUTATION",
        "Line Note",
        "Company Information Name",
    ]


def test_not_a_docx() -> None:
    with pytest.raises(DocxFormatError):
        DocxTemplate.from_bytes(b"PK not really")
    with pytest.raises(ValueError):
        list_fields(b"hello")


def test_template_is_reusable_and_unchanged() -> None:
    def build(par: Paragraph) -> None:
        add_mergefield(par, "A")

    template = DocxTemplate.from_bytes(one_paragraph(build))
    first = template.merge({"A": "one"}).document
    template.merge({"A": "two"})
    again = template.merge({"A": "one"}).document
    assert docx_to_text(first) == docx_to_text(again) == "one"
    assert template.merge({}).unknown_fields == frozenset({"A"})


def test_word_template_file_merges_into_a_document() -> None:
    def build(par: Paragraph) -> None:
        add_mergefield(par, "A")

    entries = parts(one_paragraph(build))
    dotx = io.BytesIO()
    with zipfile.ZipFile(dotx, "w") as zf:
        for name, blob in entries.items():
            if name == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            zf.writestr(name, blob)
    out = DocxTemplate.from_bytes(dotx.getvalue()).merge({"A": "x"}).document
    types = parts(out)["[Content_Types].xml"]
    assert b"template.main+xml" not in types and b"document.main+xml" in types
    assert open_docx(out).paragraphs[0].text == "x"


def test_mail_merge_data_source_link_is_removed() -> None:
    """Word would ask for the template's data source when opening a merged letter."""
    data = (FIXTURES / "iulica-docx-mailmerge__test_winword2010.docx").read_bytes()
    assert b"<w:mailMerge>" in parts(data)["word/settings.xml"]
    out = DocxTemplate.from_bytes(data).merge({}).document
    assert b"mailMerge" not in parts(out)["word/settings.xml"]
    assert_package_consistent(out)
