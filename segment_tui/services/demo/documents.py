"""Word documents of the demo templates, built with python-docx and real MERGEFIELDs.

The fields use Business Central's merge-field names (docs/word-documents.md, "The merge
fields and their values"; docs/business-central.md, "Delivery and merge"), so the demo
letter is what a BC user would write in Word with Insert ▸ Field ▸ MergeField.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph


def add_merge_field(
    paragraph: Paragraph, name: str, *, switches: str = "", bold: bool = False
) -> None:
    """Append a simple Word MERGEFIELD (``«name»`` until merged) to a paragraph."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f' MERGEFIELD "{name}" {switches} \\* MERGEFORMAT '.replace("  ", " "))
    run = OxmlElement("w:r")
    if bold:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:b"))
        run.append(properties)
    text = OxmlElement("w:t")
    text.text = f"«{name}»"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _save(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def letter_document() -> bytes:
    """The demo product letter: header, address block, date, subject, note, signature."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_merge_field(header, "Company Information Name", bold=True)
    footer = section.footer.paragraphs[0]
    for index, name in enumerate(
        ("Company Information Address", "Company Information City", "Company Information Phone No.")
    ):
        if index:
            footer.add_run(" · ")
        add_merge_field(footer, name)

    add_merge_field(document.add_paragraph(), "Contact Mail Address")
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_merge_field(date, "Document Date", switches='\\@ "d MMMM yyyy"')
    subject = document.add_paragraph()
    add_merge_field(subject, "Document Subject", bold=True)
    salutation = document.add_paragraph()
    add_merge_field(salutation, "Formal Salutation")
    salutation.add_run(",")
    body = document.add_paragraph("We are pleased to introduce our autumn range to ")
    add_merge_field(body, "Contact Company Name")
    body.add_run(
        ". As a valued partner you get early access and our best prices until the end of the month."
    )
    note = document.add_paragraph()
    run = note.add_run()
    run.italic = True
    add_merge_field(note, "Line Note")
    document.add_paragraph("Kind regards,")
    signature = document.add_paragraph()
    add_merge_field(signature, "Salesperson/Purchaser Name")
    title = document.add_paragraph()
    add_merge_field(title, "Salesperson/Purchaser Job Title")
    return _save(document)


def newsletter_document() -> bytes:
    """The demo e-mail newsletter (sent as body text or as an attached .docx)."""
    document = Document()
    greeting = document.add_paragraph("Hello ")
    add_merge_field(greeting, "Contact Name")
    greeting.add_run(",")
    document.add_paragraph(
        "this month's newsletter brings news about our products, events near you and a "
        "discount for early orders."
    )
    closing = document.add_paragraph("Best wishes from ")
    add_merge_field(closing, "Company Information Name")
    return _save(document)
