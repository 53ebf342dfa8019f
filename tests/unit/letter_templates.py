"""Generated Word templates for the per-letter tests of combined documents (imported as
``letter_templates``): a cover page without a header before a section with one, numbered
lists (by style and direct), "Page x of y", bookmarks, text boxes, languages."""

from __future__ import annotations

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from tests.unit.merge_helpers import add_complex_field, add_mergefield, add_text, save


def page_x_of_y(par: Paragraph) -> None:
    """``Page { PAGE } of { NUMPAGES }``."""
    add_text(par, "Page ")
    add_complex_field(par, " PAGE ", "1")
    add_text(par, " of ")
    add_complex_field(par, " NUMPAGES \\* Arabic ", "1")


def direct_list(doc: docx.document.Document, items: list[str]) -> None:
    """Paragraphs numbered directly (``w:numPr``, not through a style)."""
    for item in items:
        par = doc.add_paragraph(item)
        ppr = par._p.get_or_add_pPr()
        numpr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        num_id = OxmlElement("w:numId")
        num_id.set(qn("w:val"), "6")  # the decimal list of the "List Number 2" style
        numpr.append(ilvl)
        numpr.append(num_id)
        ppr.append(numpr)


def bookmark(par: Paragraph, name: str, bid: int) -> None:
    """A bookmark around nothing at the end of ``par``."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    par._p.append(start)
    par._p.append(end)


def cover_letter() -> bytes:
    """Section 1: a cover page with no header of its own (common in Word templates);
    section 2: a header naming the recipient, "Page x of y" in the footer, a numbered
    list by style and one numbered directly, a second page, a bookmark and a REF to it."""
    doc = docx.Document()
    par = doc.add_paragraph()
    add_text(par, "COVER for ")
    add_mergefield(par, "Contact Name")
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    body.header.is_linked_to_previous = False
    body.footer.is_linked_to_previous = False
    header = body.header.paragraphs[0]
    add_text(header, "To: ")
    add_mergefield(header, "Contact Name")
    page_x_of_y(body.footer.paragraphs[0])
    par = doc.add_paragraph()
    add_text(par, "Dear ")
    add_mergefield(par, "Contact Name")
    bookmark(par, "Greeting", 7)
    doc.add_paragraph("first point", style="List Number")
    doc.add_paragraph("second point", style="List Number")
    direct_list(doc, ["step one", "step two"])
    doc.add_paragraph("Overleaf: more").add_run().add_break(WD_BREAK.PAGE)
    par = doc.add_paragraph()
    add_text(par, "See page ")
    add_complex_field(par, " PAGEREF Greeting \\h ", "1")
    add_text(par, ". Kind regards")
    return save(doc)


def one_section_letter(*, header_fields: bool = True) -> bytes:
    """One section: header (a field, or fixed text), "Page x of y", two pages."""
    doc = docx.Document()
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    if header_fields:
        add_text(header, "To: ")
        add_mergefield(header, "Contact Name")
    else:
        add_text(header, "CRONUS International")
    page_x_of_y(section.footer.paragraphs[0])
    par = doc.add_paragraph()
    add_text(par, "Dear ")
    add_mergefield(par, "Contact Name")
    doc.add_paragraph("first point", style="List Number")
    doc.add_paragraph("second point", style="List Number")
    doc.add_paragraph("More overleaf").add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Kind regards")
    return save(doc)


_EXTRA_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
TEXT_BOX_RUN = (
    f"<w:r {nsdecls('w', 'wp', 'a')} {_EXTRA_NS}>"
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
    '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
    '</wp:posOffset></wp:positionV><wp:extent cx="2000000" cy="500000"/>'
    '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="5" name="Text Box 5"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
    'wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
    '<a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="500000"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
    '<wps:txbx><w:txbxContent><w:p><w:r><w:t xml:space="preserve">Box: </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
    ' MERGEFIELD "Contact City" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
    "</w:r><w:r><w:t>\u00abContact City\u00bb</w:t></w:r><w:r><w:fldChar "
    'w:fldCharType="end"/></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
    '<v:shape id="Box5" style="width:150pt;height:40pt"><v:textbox><w:txbxContent><w:p>'
    '<w:r><w:t xml:space="preserve">Box: </w:t></w:r><w:fldSimple w:instr=" MERGEFIELD '
    '&quot;Contact City&quot; "><w:r><w:t>\u00abContact City\u00bb</w:t></w:r></w:fldSimple>'
    "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def text_box_letter() -> bytes:
    """A field in the body and one in a text box (``mc:AlternateContent`` in a run that has
    no properties, as Word saves a text box with a DrawingML and a VML version)."""
    doc = docx.Document()
    par = doc.add_paragraph()
    add_mergefield(par, "Contact Name")
    par._p.append(parse_xml(TEXT_BOX_RUN))
    return save(doc)


def set_document_language(data: bytes, lang: str) -> bytes:
    """The template with ``lang`` as its default language (``styles.xml`` docDefaults)."""
    import io

    document = docx.Document(io.BytesIO(data))
    styles = document.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr is not None
    found = rpr.find(qn("w:lang"))
    if found is None:
        found = OxmlElement("w:lang")
        rpr.append(found)
    found.set(qn("w:val"), lang)
    return save(document)
