"""Plain-text rendering of a .docx for the terminal preview.

Section by section: the section's header (the first-page header when the section has a
distinct first page, else the default one; inherited from the previous section like Word
does), then its paragraphs, then its footer.  Footnotes and endnotes follow at the end.

* A paragraph is one line; ``w:br`` breaks it into several lines, ``w:tab`` is a tab.
* A table row is one line, cells joined by ``" | "`` (paragraphs inside a cell joined by a
  space, nested tables flattened into the cell).
* Field results are shown (not field codes); deleted text and VML fallbacks are skipped;
  text boxes are shown as lines after the paragraph that anchors them.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .ooxml import (
    HIDDEN,
    MC_FALLBACK,
    R_ID,
    W_BODY,
    W_BR,
    W_CR,
    W_P,
    W_PPR,
    W_SDT,
    W_SDTCONTENT,
    W_SECTPR,
    W_T,
    W_TAB,
    W_TBL,
    W_TC,
    W_TR,
    W_TYPE,
    Element,
    element_children,
    w,
)
from .package import Package, Relationship

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_TXBX = w("txbxContent")
_NOTE_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})


def docx_to_text(docx: bytes) -> str:
    """Render any .docx as plain text (see the module docstring for the layout)."""
    pkg = Package(docx)
    return parts_to_text(pkg.parts, pkg.main, pkg.rels(pkg.main))


def parts_to_text(parts: Mapping[str, bytes], main: str, rels: list[Relationship]) -> str:
    """Render from part bytes (used by the merge preview without building a zip)."""
    targets = {r.id: r.target for r in rels if not r.external}
    root = etree.fromstring(parts[main], _PARSER)
    body = root.find(W_BODY)
    lines: list[str] = []
    if body is None:
        return ""
    inherited: dict[tuple[str, str], str] = {}
    for blocks, sect in _sections(body):
        refs = dict(inherited)
        if sect is not None:
            for kind in ("header", "footer"):
                for ref in sect.iter(w(f"{kind}Reference")):
                    rid = ref.get(R_ID)
                    if rid in targets:
                        refs[(kind, ref.get(W_TYPE) or "default")] = targets[rid]
        inherited = refs
        title = sect is not None and _on(sect.find(w("titlePg")))
        lines += _story_lines(parts, _choose(refs, "header", title))
        for block in blocks:
            lines += _block_lines(block)
        lines += _story_lines(parts, _choose(refs, "footer", title))
    for rel in rels:
        if rel.kind in ("footnotes", "endnotes") and rel.target in parts:
            notes = etree.fromstring(parts[rel.target], _PARSER)
            for note in element_children(notes):
                if note.get(W_TYPE, "normal") not in _NOTE_SEPARATORS:
                    for block in element_children(note):
                        lines += _block_lines(block)
    return "\n".join(lines)


def _sections(body: Element) -> list[tuple[list[Element], Element | None]]:
    """Split body blocks into sections, each with the ``w:sectPr`` that ends it."""
    out: list[tuple[list[Element], Element | None]] = []
    blocks: list[Element] = []
    for child in element_children(body):
        if child.tag == W_SECTPR:
            out.append((blocks, child))
            blocks = []
            continue
        blocks.append(child)
        inner = child.find(f"{W_PPR}/{W_SECTPR}") if child.tag == W_P else None
        if inner is not None:
            out.append((blocks, inner))
            blocks = []
    if blocks or not out:
        out.append((blocks, None))
    return out


def _on(el: Element | None) -> bool:
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


def _choose(refs: dict[tuple[str, str], str], kind: str, title: bool) -> str | None:
    if title and (kind, "first") in refs:
        return refs[(kind, "first")]
    return refs.get((kind, "default"))


def _story_lines(parts: Mapping[str, bytes], name: str | None) -> list[str]:
    if name is None or name not in parts:
        return []
    root = etree.fromstring(parts[name], _PARSER)
    lines: list[str] = []
    for block in element_children(root):
        lines += _block_lines(block)
    return lines


def _block_lines(block: Element) -> list[str]:
    tag = block.tag
    if tag == W_P:
        text, boxes = _paragraph(block)
        lines = text.split("\n")
        for box in boxes:
            for inner in element_children(box):
                lines += _block_lines(inner)
        return lines
    if tag == W_TBL:
        rows = []
        for tr in block.iter(W_TR):
            if _owner_table(tr) is not block:
                continue
            cells = []
            for tc in element_children(tr):
                if tc.tag == W_TC:
                    cell_lines: list[str] = []
                    for inner in element_children(tc):
                        cell_lines += _block_lines(inner)
                    cells.append(" ".join(x for x in cell_lines if x))
            rows.append(" | ".join(cells))
        return rows
    if tag in (W_SDT, W_SDTCONTENT) or tag == w("customXml"):
        lines = []
        for inner in element_children(block):
            lines += _block_lines(inner)
        return lines
    return []


def _owner_table(tr: Element) -> Element | None:
    node = tr.getparent()
    while node is not None and node.tag != W_TBL:
        node = node.getparent()
    return node


def _paragraph(p: Element) -> tuple[str, list[Element]]:
    out: list[str] = []
    boxes: list[Element] = []
    _walk(p, out, boxes)
    return "".join(out), boxes


def _walk(el: Element, out: list[str], boxes: list[Element]) -> None:
    for child in element_children(el):
        tag = child.tag
        if tag == W_T:
            out.append(child.text or "")
        elif tag == W_TAB:
            out.append("\t")
        elif tag in (W_BR, W_CR):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag == _TXBX:
            boxes.append(child)
        elif tag in HIDDEN or tag == MC_FALLBACK:
            continue
        else:
            _walk(child, out, boxes)
