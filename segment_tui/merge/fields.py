"""Field discovery: turn MERGEFIELDs, IF fields and ``{{placeholders}}`` of one part into slots.

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
  ``HYPERLINK \\l``) become :class:`~.slots.InstrSlot`\\ s: in a combined document a letter
  counts its own pages and refers to its own bookmarks (see :mod:`.combine`).
* Fields in text boxes (``w:drawing``/``mc:AlternateContent``/``w:pict`` inside a run) are
  found like any other; both the DrawingML text box and its VML fallback are merged.
* ``{{Name}}`` typed as text, even split over differently formatted runs: the match is
  mapped onto the runs, the marker goes into the first touched run and the other runs are
  trimmed, so formatting of the surrounding text survives.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field, replace

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .iffield import OPAQUE, IfNode, IfSlot, MergeNode, OpaqueNode, Part, compile_if
from .language import LanguageResolver
from .ooxml import (
    HIDDEN,
    TRANSPARENT_IN_RUN,
    W_FLDCHAR,
    W_FLDCHARTYPE,
    W_FLDSIMPLE,
    W_INSTR,
    W_INSTRTEXT,
    W_P,
    W_R,
    W_RPR,
    W_T,
    XML_SPACE,
    Element,
    element_children,
    enclosing_paragraph,
    make_run,
    own_runs,
)
from .slots import FieldSlot, InstrSlot, Slot, TextWriter
from .switches import FieldSpec, parse_mergefield, parse_placeholder, tokenize

PLACEHOLDER = re.compile(r"\{\{([^{}\x00]+)\}\}")

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
        """True when the part holds a NUMPAGES field (see :class:`~.slots.InstrSlot`)."""
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


# --------------------------------------------------------------------------- placeholders


def compile_placeholders(root: Element, table: SlotTable) -> None:
    """Replace ``{{Name}}`` text (also split across runs) by markers, paragraph by paragraph."""
    for p in list(root.iter(W_P)):
        segments: list[tuple[Element | None, str]] = []
        for run in own_runs(p):
            for child in element_children(run):
                if child.tag == W_T:
                    text = child.text or ""
                    if table.start in text:  # an already merged field: not typed text
                        segments.append((None, "\x00"))
                    else:
                        segments.append((child, text))
                elif child.tag not in TRANSPARENT_IN_RUN:
                    segments.append((None, "\x00"))
        full = "".join(text for _, text in segments)
        if "{{" not in full:
            continue
        matches = list(PLACEHOLDER.finditer(full))
        if matches:
            _replace_placeholders(segments, matches, table)


def _replace_placeholders(
    segments: list[tuple[Element | None, str]],
    matches: list[re.Match[str]],
    table: SlotTable,
) -> None:
    starts: list[int] = []
    pos = 0
    for _, text in segments:
        starts.append(pos)
        pos += len(text)
    touched: list[Element] = []
    # Right to left, so that offsets of earlier matches stay valid.
    for m in reversed(matches):
        spec = parse_placeholder(m.group(1), m.group(0))
        if spec is None:
            continue
        first = _segment_at(starts, segments, m.start())
        last = _segment_at(starts, segments, m.end() - 1)
        t_first, t_last = segments[first][0], segments[last][0]
        assert t_first is not None and t_last is not None
        off_start = m.start() - starts[first]
        off_end = m.end() - starts[last]
        spec = table.with_language(spec, t_first.getparent().find(W_RPR), t_first)
        marker = table.marker(FieldSlot(spec, table.text_writer))
        if first == last:
            cur = t_first.text or ""
            t_first.text = cur[:off_start] + marker + cur[off_end:]
        else:
            t_first.text = (t_first.text or "")[:off_start] + marker
            for k in range(first + 1, last):
                el = segments[k][0]
                if el is not None:
                    el.text = ""
                    touched.append(el)
            t_last.text = (t_last.text or "")[off_end:]
            touched.append(t_last)
        t_first.set(XML_SPACE, "preserve")
        t_last.set(XML_SPACE, "preserve")
    for el in touched:
        _drop_if_empty(el)


def _segment_at(starts: list[int], segments: list[tuple[Element | None, str]], pos: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:  # last segment whose start <= pos and that is not empty
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    while len(segments[lo][1]) == 0 or starts[lo] + len(segments[lo][1]) <= pos:
        lo += 1
    return lo


def _drop_if_empty(t: Element) -> None:
    """Remove a trimmed ``w:t``; remove its run too when nothing but ``rPr`` is left."""
    if t.text:
        return
    run = t.getparent()
    if run is None:
        return
    run.remove(t)
    if all(c.tag == W_RPR for c in element_children(run)):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)
