"""Helpers for the merge tests: template builders (python-docx + lxml) and package checks.

Builders write Word's real structures by hand (complex fields with split instructions,
placeholders split over formatted runs, footnotes) so each test controls exactly what Word
would have saved.  Test modules import it as ``tests.unit.merge_helpers``.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree

T = TypeVar("T")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "word"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def w(tag: str) -> str:
    """Clark name in the WordprocessingML namespace."""
    return f"{{{W}}}{tag}"


# --------------------------------------------------------------------------- building


def run_el(
    child: BaseOxmlElement | None = None, *, bold: bool = False, italic: bool = False
) -> BaseOxmlElement:
    """A ``w:r`` with optional bold/italic and one content child."""
    r = OxmlElement("w:r")
    if bold or italic:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if italic:
            rpr.append(OxmlElement("w:i"))
        r.append(rpr)
    if child is not None:
        r.append(child)
    return r


def text_el(text: str, tag: str = "w:t") -> BaseOxmlElement:
    """A ``w:t`` (or ``w:instrText``) with preserved spaces."""
    t = OxmlElement(tag)
    t.set(qn("xml:space"), "preserve")
    t.text = text
    return t


def fld_char(kind: str) -> BaseOxmlElement:
    """A ``w:fldChar`` of type begin/separate/end."""
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def add_text(par: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """Append a plain run (bypassing python-docx so no run is ever merged or split)."""
    par._p.append(run_el(text_el(text), bold=bold, italic=italic))


def add_complex_field(
    par: Paragraph,
    instr: Sequence[str] | str,
    result: Sequence[str] | str | None = None,
    *,
    bold_result: bool = False,
    italic_instr: bool = False,
) -> None:
    """Append a complex field; ``instr``/``result`` pieces each get their own run."""
    pieces = [instr] if isinstance(instr, str) else list(instr)
    p = par._p
    p.append(run_el(fld_char("begin")))
    for piece in pieces:
        p.append(run_el(text_el(piece, "w:instrText"), italic=italic_instr))
    if result is not None:
        p.append(run_el(fld_char("separate")))
        for piece in [result] if isinstance(result, str) else result:
            p.append(run_el(text_el(piece), bold=bold_result))
    p.append(run_el(fld_char("end")))


def add_mergefield(par: Paragraph, name: str, switches: str = "", *, bold: bool = False) -> None:
    """Append ``MERGEFIELD "name" switches \\* MERGEFORMAT`` showing ``«name»``."""
    add_complex_field(
        par,
        f' MERGEFIELD "{name}" {switches} \\* MERGEFORMAT ',
        f"\u00ab{name}\u00bb",
        bold_result=bold,
    )


def add_simple_field(par: Paragraph, instr: str, result: str, *, bold: bool = False) -> None:
    """Append a ``w:fldSimple`` field."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    fld.append(run_el(text_el(result), bold=bold))
    par._p.append(fld)


def add_notes(doc: Document, kind: str, notes: dict[int, list[BaseOxmlElement]]) -> None:
    """Add a footnotes/endnotes part whose note ``id`` holds the given paragraph content."""
    tag = kind[:-1]
    xml = (
        f"<w:{kind} {nsdecls('w')}>"
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{tag}></w:{kind}>"
    )
    root = parse_xml(xml)
    for note_id, content in notes.items():
        note = OxmlElement(f"w:{tag}")
        note.set(qn("w:id"), str(note_id))
        p = OxmlElement("w:p")
        for el in content:
            p.append(el)
        note.append(p)
        root.append(note)
    ctype = CT.WML_FOOTNOTES if kind == "footnotes" else CT.WML_ENDNOTES
    rtype = RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES
    part = Part(PackURI(f"/word/{kind}.xml"), ctype, etree.tostring(root), doc.part.package)
    doc.part.relate_to(part, rtype)


def note_reference(kind: str, note_id: int) -> BaseOxmlElement:
    """A run holding a ``w:footnoteReference``/``w:endnoteReference``."""
    ref = OxmlElement(f"w:{kind[:-1]}Reference")
    ref.set(qn("w:id"), str(note_id))
    return run_el(ref)


def save(doc: Document) -> bytes:
    """The .docx bytes of a python-docx document."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def tiny_png() -> bytes:
    """A valid 1x1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def letter_template(*, header_field: bool = True, images: bool = True) -> bytes:
    """A small letter: header (field + logo), body with a field, footnote, table, footer."""
    doc = docx.Document()
    section = doc.sections[0]
    hp = section.header.paragraphs[0]
    if header_field:
        add_mergefield(hp, "Company Information Name", bold=True)
    else:
        add_text(hp, "Static header")
    if images:
        hp.add_run().add_picture(io.BytesIO(tiny_png()), width=Pt(10))
    add_text(section.footer.paragraphs[0], "Footer text")
    par = doc.add_paragraph()
    add_text(par, "Dear ")
    add_mergefield(par, "Contact Name")
    par._p.append(note_reference("footnotes", 1))
    if images:
        doc.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()), width=Pt(10))
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("{{Contact Name}}")
    doc.add_paragraph("Kind regards")
    add_notes(doc, "footnotes", {1: [run_el(text_el("Note {{Note}}"))]})
    return save(doc)


# --------------------------------------------------------------------------- reading


def open_docx(data: bytes) -> Document:
    """python-docx view of .docx bytes."""
    return docx.Document(io.BytesIO(data))


def parts(data: bytes) -> dict[str, bytes]:
    """All zip entries of a .docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def story_parts(data: bytes) -> list[str]:
    """Names of the document, header, footer, footnotes and endnotes parts."""
    names = parts(data)
    return [
        n
        for n in names
        if re.fullmatch(r"word/(document|header\w*|footer\w*|footnotes|endnotes)\.xml", n)
    ]


def xml_text(xml: bytes) -> str:
    """Concatenated ``w:t`` text of a part, paragraphs separated by newlines."""
    root = etree.fromstring(xml)
    lines = []
    for p in root.iter(w("p")):
        lines.append(
            "".join(
                (t.text or "") if t.tag == w("t") else "\n"
                for t in p.iter(w("t"), w("br"))
                if _nearest_p(t) is p
            )
        )
    return "\n".join(lines)


def _nearest_p(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != w("p"):
        node = node.getparent()
    return node


def python_docx_text(data: bytes) -> tuple[str, str]:
    """(body text incl. nested tables, all headers/footers text) as python-docx reads them."""
    doc = open_docx(data)
    body: list[str] = []

    def blocks(container: object) -> None:
        for par in container.paragraphs:  # type: ignore[attr-defined]
            body.append(par.text)
        for table in container.tables:  # type: ignore[attr-defined]
            for row in table.rows:
                for cell in row.cells:
                    blocks(cell)

    blocks(doc)
    hf: list[str] = []
    for section in doc.sections:
        for story in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if not story.is_linked_to_previous:
                hf += [p.text for p in story.paragraphs]
                for table in story.tables:
                    hf += [c.text for row in table.rows for c in row.cells]
    return "\n".join(body), "\n".join(hf)


Formatting = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
"""A run's properties in comparable form: ``(tag, sorted attributes)`` per element."""


def runs_with_text(xml: bytes) -> list[tuple[str, Formatting]]:
    """Every run with text as ``(text, canonical rPr)``."""
    root = etree.fromstring(xml)
    out: list[tuple[str, Formatting]] = []
    for r in root.iter(w("r")):
        text = "".join(t.text or "" for t in r.iter(w("t")) if t.getparent() is r)
        if text:
            out.append((text, canonical(r.find(w("rPr")))))
    return out


def canonical(el: etree._Element | None) -> Formatting:
    """Comparable form of an element subtree (tags and attributes, no namespaces decls)."""
    if el is None:
        return ()
    return tuple(
        (e.tag, tuple(sorted(e.attrib.items()))) for e in el.iter() if isinstance(e.tag, str)
    )


def counter_missing(expected: Iterable[T], actual: Iterable[T]) -> Counter[T]:
    """Items of ``expected`` (a multiset) that ``actual`` lacks."""
    return Counter(expected) - Counter(actual)


# --------------------------------------------------------------------------- package checks


def assert_package_consistent(data: bytes) -> None:
    """Every part has a content type, every relationship target exists and every
    ``r:id``/``r:embed`` in a part is one of that part's relationships."""
    entries = parts(data)
    types = etree.fromstring(entries["[Content_Types].xml"])
    overrides = {el.get("PartName", "").lstrip("/") for el in types.iter(f"{{{CT_NS}}}Override")}
    defaults = {el.get("Extension", "").lower() for el in types.iter(f"{{{CT_NS}}}Default")}
    for name in overrides:
        assert name in entries, f"content type override for missing part {name}"
    for name, blob in entries.items():
        if name == "[Content_Types].xml":
            continue
        ext = name.rsplit(".", 1)[-1].lower()
        assert name in overrides or ext in defaults, f"no content type for {name}"
        if name.endswith(".rels"):
            continue
        if not name.endswith(".xml"):
            continue
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        rel_ids = set()
        if rels_name in entries:
            for rel in etree.fromstring(entries[rels_name]).iter(f"{{{PKG_REL}}}Relationship"):
                rel_ids.add(rel.get("Id"))
                if rel.get("TargetMode") != "External":
                    target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                    assert target in entries, f"{rels_name}: missing target {target}"
        root = etree.fromstring(blob)
        for el in root.iter():
            for attr in ("id", "embed", "link"):
                value = el.get(f"{{{R}}}{attr}")
                if value is not None:
                    assert value in rel_ids, f"{name}: r:{attr}={value} has no relationship"
