"""The per-letter regions of a template's parts, marked before serialisation so that every
letter of a combined document is its own.

The main document is cut by :class:`~.slots.MarkSlot` marks into
``head | body | final sectPr | tail``; the body's last paragraph gets the slot of the
section break between letters and the bookmark that ends a letter; the first section
starts a new page with page (and note) numbers from 1. Footnotes and endnotes are cut the
same way, and numeric ids that Word wants unique (drawings, notes) become
:class:`~.letter_slots.IdSlot`\\ s that add the letter's offset. :mod:`.compiler` calls these
while it compiles a template.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .fields import SlotTable
from .letter_slots import IdSlot, LetterEndSlot
from .ooxml import (
    W_BODY,
    W_FLDCHAR,
    W_FLDSIMPLE,
    W_ID,
    W_P,
    W_PPR,
    W_SECTPR,
    W_TYPE,
    W_VAL,
    Element,
    append_text_at,
    element_children,
    w,
)
from .slots import MarkSlot, SectBreakSlot

_NOTE_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})
# sectPr children that come after w:pgNumType in the schema sequence.
_AFTER_PGNUM = frozenset(
    w(t)
    for t in [
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ]
)


def max_id(roots: Iterable[Element], tag: str, attr: str) -> int:
    best = 0
    for root in roots:
        for el in root.iter(tag):
            value = el.get(attr, "")
            if value.lstrip("-").isdigit():
                best = max(best, int(value))
    return best


def mark_ids(
    root: Element, table: SlotTable, tag: str, attr: str, stride: int, offset: int = 0
) -> None:
    """Make numeric ids unique per letter (Word rejects duplicate drawing ids)."""
    for el in root.iter(tag):
        value = el.get(attr, "")
        if value.isdigit():
            el.set(attr, table.marker(IdSlot(int(value) + offset, stride)))


def regionize_notes(root: Element, table: SlotTable, tag: str, stride: int) -> None:
    """Move normal notes after the separators and mark them as the per-letter region."""
    normal = [
        el
        for el in element_children(root)
        if el.tag == tag and el.get(W_TYPE, "normal") not in _NOTE_SEPARATORS
    ]
    for el in normal:
        root.append(el)  # moves it to the end, order kept
        value = el.get(W_ID, "")
        if value.isdigit():
            el.set(W_ID, table.marker(IdSlot(int(value), stride)))
    first = len(root) - len(normal)
    append_text_at(root, first, table.marker(MarkSlot("notes")))
    append_text_at(root, len(root), table.marker(MarkSlot("notes_end")))


def prepare_body(root: Element, table: SlotTable, bookmark_stride: int) -> None:
    """Region marks, the per-letter section break slot, the bookmark that ends a letter
    and first-section settings."""
    body = root.find(W_BODY)
    assert body is not None
    kids = list(element_children(body))
    has_final = bool(kids) and kids[-1].tag == W_SECTPR
    final = kids[-1] if has_final else etree.SubElement(body, W_SECTPR)
    first_sect = next(body.iter(W_SECTPR))
    _letter_section_start(first_sect)
    if first_sect is final:
        _notes_restart(final)
    # The section break of every letter but the last goes into its last paragraph.
    last = final.getprevious()
    while last is not None and not isinstance(last.tag, str):
        last = last.getprevious()
    if last is None or last.tag != W_P or last.find(f"{W_PPR}/{W_SECTPR}") is not None:
        last = etree.Element(W_P)
        final.addprevious(last)
    ppr = last.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        last.insert(0, ppr)
    # The bookmark that ends the letter (after pPr: nothing may come before it).
    prefix = table.text_writer.prefix
    has_field = any(True for _ in last.iter(W_FLDCHAR, W_FLDSIMPLE))
    end_mark = LetterEndSlot(prefix, bookmark_stride, False, has_field)
    append_text_at(last, len(last), table.marker(end_mark))
    if has_field:
        start_mark = LetterEndSlot(prefix, bookmark_stride, True, has_field)
        append_text_at(last, last.index(ppr) + 1, table.marker(start_mark))
    change = ppr.find(w("pPrChange"))
    index = ppr.index(change) if change is not None else len(ppr)
    append_text_at(ppr, index, table.marker(SectBreakSlot()))
    body.text = (body.text or "") + table.marker(MarkSlot("body"))
    append_text_at(body, body.index(final), table.marker(MarkSlot("sect")))
    final.tail = (final.tail or "") + table.marker(MarkSlot("end"))


def _notes_restart(sect: Element) -> None:
    """Footnote and endnote numbers restart with every letter of a one-section template
    (letter 2's first footnote is 1, not 2): they restart with each section."""
    refs = [
        c for c in element_children(sect) if c.tag in (w("headerReference"), w("footerReference"))
    ]
    at = sect.index(refs[-1]) + 1 if refs else 0
    for kind in ("footnotePr", "endnotePr"):
        props = sect.find(w(kind))
        if props is None:
            props = etree.Element(w(kind))
            sect.insert(at, props)
        at = sect.index(props) + 1
        if props.find(w("numRestart")) is None:
            # numRestart follows numFmt/pos and numStart in the schema sequence.
            restart = etree.Element(w("numRestart"))
            restart.set(W_VAL, "eachSect")
            props.append(restart)


def _letter_section_start(sect: Element) -> None:
    """Each letter starts on a new page with page numbers restarting at 1."""
    typ = sect.find(W_TYPE)
    if typ is not None and typ.get(W_VAL) in ("continuous", "nextColumn"):
        typ.set(W_VAL, "nextPage")
    pg = sect.find(w("pgNumType"))
    if pg is None:
        pg = etree.Element(w("pgNumType"))
        later = [c for c in element_children(sect) if c.tag in _AFTER_PGNUM]
        if later:
            later[0].addprevious(pg)
        else:
            sect.append(pg)
    if pg.get(w("start")) is None:
        pg.set(w("start"), "1")
