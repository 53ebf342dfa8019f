"""WordprocessingML names and small lxml helpers shared by the merge modules."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from typing import Any, TypeAlias

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'

# lxml ships no type information (lxml-stubs is not a dependency), so elements are Any.
Element: TypeAlias = Any


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag."""
    return f"{{{W_NS}}}{tag}"


W_BODY = w("body")
W_P = w("p")
W_PPR = w("pPr")
W_R = w("r")
W_RPR = w("rPr")
W_T = w("t")
W_TAB = w("tab")
W_BR = w("br")
W_CR = w("cr")
W_FLDCHAR = w("fldChar")
W_FLDCHARTYPE = w("fldCharType")
W_INSTRTEXT = w("instrText")
W_FLDSIMPLE = w("fldSimple")
W_INSTR = w("instr")
W_SECTPR = w("sectPr")
W_TBL = w("tbl")
W_TR = w("tr")
W_TC = w("tc")
W_SDT = w("sdt")
W_SDTCONTENT = w("sdtContent")
W_ID = w("id")
W_TYPE = w("type")
W_VAL = w("val")
R_ID = f"{{{R_NS}}}id"
MC_FALLBACK = f"{{{MC_NS}}}Fallback"
WP_DOCPR = f"{{{WP_NS}}}docPr"

# Containers whose content is not visible text of the paragraph (deleted/moved-away runs,
# property elements).  Walkers never descend into them.
HIDDEN = frozenset(
    {w("del"), w("moveFrom"), W_RPR, W_PPR, W_SECTPR, w("tblPr"), w("trPr"), w("tcPr")}
)
# Run children that carry no text and do not interrupt a placeholder typed across runs.
TRANSPARENT_IN_RUN = frozenset({W_RPR, w("lastRenderedPageBreak")})


def word_prefix(root: Element) -> str:
    """The ``prefix:`` (or empty string) the part uses for the WordprocessingML namespace."""
    prefixes = [k for k, v in root.nsmap.items() if v == W_NS]
    if "w" in prefixes or not prefixes:
        return "w:"
    return f"{prefixes[0]}:" if prefixes[0] else ""


def element_children(el: Element) -> Iterator[Element]:
    """Child elements (comments and processing instructions skipped)."""
    for child in el:
        if isinstance(child.tag, str):
            yield child


def own_runs(p: Element) -> Iterator[Element]:
    """The runs of paragraph ``p`` in order (inside hyperlinks, insertions, content controls),
    excluding deleted runs, simple-field results and runs of nested text-box paragraphs."""
    for child in element_children(p):
        tag = child.tag
        if tag == W_R:
            yield child
        elif tag in HIDDEN or tag in (W_FLDSIMPLE, W_P):
            continue
        else:
            yield from own_runs(child)


def enclosing_paragraph(el: Element) -> Element | None:
    """The nearest ``w:p`` ancestor of ``el`` (or ``el`` itself)."""
    node: Element | None = el
    while node is not None and node.tag != W_P:
        node = node.getparent()
    return node


def make_run(rpr: Element | None, tag: str, text: str) -> Element:
    """A new ``w:r`` with a copy of ``rpr`` and one ``w:t``/``w:instrText`` holding ``text``."""
    run = etree.Element(W_R)
    if rpr is not None:
        run.append(deepcopy(rpr))
    t = etree.SubElement(run, tag)
    t.set(XML_SPACE, "preserve")
    t.text = text
    return run


def append_text_at(parent: Element, index: int, text: str) -> None:
    """Put ``text`` into ``parent`` just before its child number ``index`` (as XML text)."""
    kids: list[Element] = list(parent)
    if index <= 0 or not kids:
        parent.text = (parent.text or "") + text
    else:
        prev = kids[min(index, len(kids)) - 1]
        prev.tail = (prev.tail or "") + text
