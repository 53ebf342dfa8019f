"""Field discovery: turn the MERGEFIELDs and IF fields of one part into slots.

Works on the lxml tree of a part (document, header, footer, footnotes, endnotes) once per
template.  Every merge field is replaced by a single run whose text is a *marker*
(``\\ue000<n>\\ue001``) pointing at slot ``n``; :mod:`.compiler` later serialises the tree
and cuts it at the markers.

* Simple fields (``w:fldSimple``) and complex fields (``fldChar begin`` ... ``separate``
  ... ``end``, instruction possibly split over many ``instrText`` runs, nested fields) are
  read with a stack in document order.  A MERGEFIELD becomes one run carrying the ``rPr``
  of its first result run (or of its first instruction run when it has no result).
* ``IF`` fields are evaluated per record when :func:`.iffield.compile_if` understands them.
* Any other field (PAGE, DATE, NEXT, ...) is left exactly as it is; the mail-merge fields
  Word has and this engine does not evaluate (NEXT, SKIPIF, ASK, an IF it cannot read...)
  are listed in :attr:`SlotTable.unsupported` so the template check can report them.
* ``NUMPAGES`` and references to bookmarks (``REF``, ``PAGEREF``, ``NOTEREF``,
  ``HYPERLINK \\l``) become :class:`~.letter_slots.InstrSlot`\\ s: in a combined document a letter
  counts its own pages and refers to its own bookmarks (see :mod:`.combine`).
* Fields in text boxes (``w:drawing``/``mc:AlternateContent``/``w:pict`` inside a run) are
  found like any other; both the DrawingML text box and its VML fallback are merged.

``{{Name}}`` placeholders typed as text are found by :mod:`.placeholders`; both fill the
same :class:`SlotTable`.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field, replace

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .iffield import OPAQUE, IfNode, IfSlot, MergeNode, OpaqueNode, Part, compile_if
from .language import LanguageResolver
from .letter_slots import InstrSlot
from .ooxml import (
    HIDDEN,
    W_FLDCHAR,
    W_FLDCHARTYPE,
    W_FLDSIMPLE,
    W_INSTR,
    W_INSTRTEXT,
    W_R,
    W_RPR,
    W_T,
    Element,
    element_children,
    enclosing_paragraph,
    make_run,
)
from .slots import FieldSlot, Slot, TextWriter
from .switches import FieldSpec, parse_mergefield, tokenize

MAIL_MERGE_FIELDS = frozenset(
    {"NEXT", "NEXTIF", "SKIPIF", "MERGEREC", "MERGESEQ", "ASK", "FILLIN", "SET", "DATABASE",
     "ADDRESSBLOCK", "GREETINGLINE", "COMPARE"}
)  # fmt: skip
"""Word's mail-merge fields other than MERGEFIELD and IF: the engine leaves them as they are
(one letter is one record), so a template using them is reported."""

# Run children that can hold paragraphs of their own (text boxes, shapes).
_CONTAINERS = frozenset({"drawing", "pict", "object", "AlternateContent"})


@dataclass
class _OpenField:
    """A complex field whose ``end`` has not been seen yet."""

    begin: Element
    in_instruction: bool  # the field sits inside its parent's instruction
    members: list[Element] = field(default_factory=list)
    instr: list[Part] = field(default_factory=list)
    result_runs: list[Element] = field(default_factory=list)
    separated: bool = False


class SlotTable:
    """The slots of one part and the markers that point at them."""

    def __init__(
        self, start: str, end: str, prefix: str, languages: LanguageResolver | None = None
    ) -> None:
        self.start, self.end = start, end
        self.slots: list[Slot] = []
        self.text_writer = TextWriter(prefix, "t")
        self.instr_writer = TextWriter(prefix, "instrText")
        self.languages = languages or LanguageResolver(None)
        self.unsupported: list[str] = []
        """Keywords of fields the merge leaves to Word although they need merge data."""
        self.has_pages = False
        """True when the part holds a NUMPAGES field (see :class:`~.letter_slots.InstrSlot`)."""
        self.bookmarks: frozenset[str] = frozenset()
        """Bookmark names of the part (renamed per letter in combined output)."""

    def with_language(self, spec: FieldSpec, rpr: Element | None, at: Element) -> FieldSpec:
        """``spec`` with the language of the text it stands in."""
        lang = self.languages.of(rpr, enclosing_paragraph(at))
        return replace(spec, lang=lang) if lang else spec

    def report(self, keyword: str) -> None:
        """Note a field the merge does not evaluate."""
        if keyword not in self.unsupported:
            self.unsupported.append(keyword)

    def marker(self, slot: Slot) -> str:
        """Register ``slot`` and return the marker text to put into the tree."""
        self.slots.append(slot)
        return f"{self.start}{len(self.slots) - 1}{self.end}"

    def pattern(self) -> re.Pattern[str]:
        """Regex that finds markers in the serialised part."""
        return re.compile(f"{re.escape(self.start)}(\\d+){re.escape(self.end)}")


def compile_fields(root: Element, table: SlotTable) -> None:
    """Replace MERGEFIELDs (and evaluable IF fields) in ``root`` by marker runs."""
    _split_field_runs(root)
    stack: list[_OpenField] = []
    for el in list(_field_items(root)):
        if el.tag == W_FLDSIMPLE:
            _simple_field(el, stack, table)
            continue
        fc = el.find(W_FLDCHAR)
        if fc is not None:
            kind = fc.get(W_FLDCHARTYPE)
            if kind == "begin":
                in_instr = bool(stack) and not stack[-1].separated
                stack.append(_OpenField(el, in_instr, [el]))
            elif kind == "separate" and stack:
                stack[-1].separated = True
                stack[-1].members.append(el)
            elif kind == "end" and stack:
                done = stack.pop()
                done.members.append(el)
                node, replacement = _complete(done, table)
                if stack:
                    _attach(stack[-1], node, replacement, done.members)
            continue
        if stack:
            top = stack[-1]
            top.members.append(el)
            if top.separated:
                top.result_runs.append(el)
            else:
                it = el.find(W_INSTRTEXT)
                if it is not None:
                    top.instr.append(it.text or "")
    # Fields still open here are unbalanced (damaged template): left untouched.


def _attach(
    parent: _OpenField,
    node: MergeNode | IfNode | OpaqueNode,
    replacement: Element | None,
    members: list[Element],
) -> None:
    """Record a finished nested field in its parent field."""
    if replacement is not None:
        parent.members.append(replacement)
    else:
        parent.members.extend(members)
    if not parent.separated:
        parent.instr.append(node)
    elif replacement is not None:
        parent.result_runs.append(replacement)


def _simple_field(el: Element, stack: list[_OpenField], table: SlotTable) -> None:
    in_instr = bool(stack) and not stack[-1].separated
    instr = el.get(W_INSTR) or ""
    spec = parse_mergefield(instr)
    node: MergeNode | OpaqueNode = OPAQUE
    replacement = el
    keyword = _keyword(instr)
    if keyword in MAIL_MERGE_FIELDS or keyword == "IF" or (keyword == "MERGEFIELD" and not spec):
        table.report(keyword)  # a simple IF is never evaluated (its text is its result)
    elif keyword == "NUMPAGES":
        el.set(W_INSTR, table.marker(InstrSlot(instr)))
        table.has_pages = True
    elif (bookmark := _bookmark_of(instr, table.bookmarks)) is not None:
        el.set(W_INSTR, table.marker(InstrSlot(instr, bookmark)))
    if spec is not None:
        first = el.find(f".//{W_R}")
        rpr = first.find(W_RPR) if first is not None else None
        spec = table.with_language(spec, rpr, el)
        writer = table.instr_writer if in_instr else table.text_writer
        replacement = make_run(
            rpr,
            W_INSTRTEXT if in_instr else W_T,
            table.marker(FieldSlot(spec, writer)),
        )
        parent = el.getparent()
        assert parent is not None
        parent.replace(el, replacement)
        node = MergeNode(spec)
    if stack:
        _attach(stack[-1], node, replacement, [replacement])


def _complete(
    f: _OpenField, table: SlotTable
) -> tuple[MergeNode | IfNode | OpaqueNode, Element | None]:
    """Decide what a finished complex field becomes; replace it in the tree if merged."""
    text = "".join(p for p in f.instr if isinstance(p, str))
    nested = any(not isinstance(p, str) for p in f.instr)
    words = text.split(None, 1)
    keyword = words[0].upper() if words else ""
    tag = W_INSTRTEXT if f.in_instruction else W_T
    writer = table.instr_writer if f.in_instruction else table.text_writer
    if keyword == "MERGEFIELD" and not nested:
        spec = parse_mergefield(text)
        if spec is not None:
            spec = table.with_language(spec, _field_rpr(f), f.begin)
            run = _replace(f, tag, table.marker(FieldSlot(spec, writer)))
            return MergeNode(spec), run
    elif keyword == "IF" and _one_paragraph(f):
        if_node = compile_if(f.instr)
        if if_node is not None:
            run = _replace(f, tag, table.marker(IfSlot(if_node, writer)))
            return if_node, run
    elif keyword == "NUMPAGES" and not nested:
        _rewrite_instruction(f, table.marker(InstrSlot(text)))
        table.has_pages = True
    elif not nested and (bookmark := _bookmark_of(text, table.bookmarks)) is not None:
        _rewrite_instruction(f, table.marker(InstrSlot(text, bookmark)))
    if keyword in MAIL_MERGE_FIELDS or keyword in ("IF", "MERGEFIELD"):
        table.report(keyword)
    specs = tuple(s for p in f.instr if not isinstance(p, str) for s in p.specs)
    return (OpaqueNode(specs) if specs else OPAQUE), None


def _keyword(instr: str) -> str:
    tokens = tokenize(instr)
    return tokens[0][0].upper() if tokens and not tokens[0][1] else ""


def _bookmark_of(instr: str, bookmarks: frozenset[str]) -> str | None:
    """The template bookmark a REF/PAGEREF/NOTEREF/HYPERLINK \\l field points at."""
    if not bookmarks:
        return None
    tokens = tokenize(instr)
    if not tokens:
        return None
    keyword = tokens[0][0].upper()
    name: str | None = None
    if keyword in ("REF", "PAGEREF", "NOTEREF") and len(tokens) > 1:
        name = tokens[1][0]
    elif keyword == "HYPERLINK":
        for i, (tok, quoted) in enumerate(tokens[:-1]):
            if not quoted and tok.lower() == "\\l":
                name = tokens[i + 1][0]
    elif not tokens[0][1]:
        name = tokens[0][0]  # { Name } alone is a reference to bookmark Name
    return name if name in bookmarks else None


def _rewrite_instruction(f: _OpenField, marker: str) -> None:
    """Put ``marker`` in place of a complex field's whole (maybe split) instruction."""
    first = True
    for run in f.members:
        it = run.find(W_INSTRTEXT) if run.tag == W_R else None
        if it is None:
            continue
        it.text = marker if first else ""
        first = False


def _one_paragraph(f: _OpenField) -> bool:
    return enclosing_paragraph(f.begin) is enclosing_paragraph(f.members[-1])


def _replace(f: _OpenField, tag: str, marker: str) -> Element:
    """Swap all runs of field ``f`` for one run holding ``marker``."""
    run = make_run(_field_rpr(f), tag, marker)
    parent = f.begin.getparent()
    assert parent is not None
    parent.insert(parent.index(f.begin), run)
    for m in f.members:
        mp = m.getparent()
        if mp is not None:
            mp.remove(m)
    return run


def _field_rpr(f: _OpenField) -> Element | None:
    """Formatting for the merged value: first result run with text, else first instr run."""
    for run in f.result_runs:
        if run.find(W_T) is not None or run.find(W_INSTRTEXT) is not None:
            return run.find(W_RPR)
    for run in f.members:
        if run.tag == W_R and run.find(W_INSTRTEXT) is not None:
            return run.find(W_RPR)
    return f.begin.find(W_RPR)


def _field_items(el: Element) -> list[Element]:
    """Runs and simple fields in document order (text-box runs included)."""
    out: list[Element] = []
    _collect(el, out)
    return out


def _collect(el: Element, out: list[Element]) -> None:
    for child in element_children(el):
        tag = child.tag
        if tag == W_R:
            out.append(child)
            # Drawings, VML shapes and mc:AlternateContent hold text boxes with paragraphs
            # of their own (also in a run without properties).
            if any(etree.QName(c).localname in _CONTAINERS for c in element_children(child)):
                _collect(child, out)
        elif tag == W_FLDSIMPLE:
            out.append(child)
        elif tag not in HIDDEN:
            _collect(child, out)


def _split_field_runs(root: Element) -> None:
    """Give every ``fldChar``/``instrText`` its own run so fields can be cut cleanly."""
    for run in list(root.iter(W_R)):
        content = [c for c in element_children(run) if c.tag != W_RPR]
        if len(content) < 2 or not any(c.tag in (W_FLDCHAR, W_INSTRTEXT) for c in content):
            continue
        parent = run.getparent()
        if parent is None:
            continue
        rpr = run.find(W_RPR)
        index = parent.index(run)
        for k, child in enumerate(content):
            new = etree.Element(W_R, dict(run.attrib))
            if rpr is not None:
                new.append(deepcopy(rpr))
            new.append(child)
            parent.insert(index + k, new)
        parent.remove(run)
