"""What makes each letter of a combined document its own (compile-time preparation).

A combined document repeats the template body once per letter, a section (or several)
per letter. Word's document-wide rules would otherwise leak one letter into the next:

* **Headers and footers**: a section without a header inherits the previous section's,
  in a combined file the previous *letter's* - with that recipient's name. Every section
  gets explicit references to the header/footer the template has in effect there (or a
  blank part) through :class:`~.letter_slots.SectRefsSlot`.
* **Numbered lists** continue through every paragraph of the same list instance, so
  letter 2 would print "3., 4.". Each letter after the first gets its own list instances
  (new ``w:num`` entries with ``w:startOverride``) through :class:`~.letter_slots.NumIdSlot` and
  :class:`~.letter_slots.NumPrSlot` (paragraphs numbered by their style).
* **Ids and names** that must be unique in a document: bookmark names and ids, revision
  ids (renumbered per letter), paragraph ids and content-control ids (dropped: optional,
  Word makes new ones).

The functions here mark the main document's tree; :mod:`.combine` renders the marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .fields import SlotTable
from .letter_slots import (
    BookmarkSlot,
    CopyIds,
    IdSlot,
    MissingRef,
    NumIdSlot,
    NumPrSlot,
    RelSlot,
    SectRefsSlot,
)
from .ooxml import (
    R_ID,
    R_NS,
    W_BODY,
    W_ID,
    W_P,
    W_PPR,
    W_SECTPR,
    W_TYPE,
    W_VAL,
    XML_DECL,
    Element,
    append_text_at,
    w,
    word_prefix,
)

W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
_REVISIONS = frozenset(
    w(t)
    for t in (
        "ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveFromRangeEnd",
        "moveToRangeStart", "moveToRangeEnd", "rPrChange", "pPrChange", "sectPrChange",
        "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange",
        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
        "customXmlDelRangeEnd", "bookmarkStart", "bookmarkEnd",
    )
)  # fmt: skip
# pPr children that come before w:numPr in the schema sequence.
_BEFORE_NUMPR = frozenset(
    w(t) for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")
)
_LEVELS = range(9)


def _on(el: Element | None) -> bool:
    return el is not None and el.get(W_VAL, "true") not in ("0", "false", "off")


def bookmark_names(root: Element) -> frozenset[str]:
    """The bookmark names of a part."""
    return frozenset(el.get(w("name"), "") for el in root.iter(w("bookmarkStart"))) - {""}


def mark_bookmarks(root: Element, table: SlotTable) -> None:
    """Bookmark names and in-document hyperlink anchors become per-letter names."""
    names = table.bookmarks
    for el in root.iter(w("bookmarkStart")):
        name = el.get(w("name"))
        if name:
            el.set(w("name"), table.marker(BookmarkSlot(name)))
    for el in root.iter(w("hyperlink")):
        anchor = el.get(w("anchor"))
        if anchor in names:
            el.set(w("anchor"), table.marker(BookmarkSlot(anchor)))


def annotation_stride(root: Element) -> int:
    """Id stride per letter for bookmarks and revision marks (one id space in Word); the
    last id of every letter's range is left for the bookmark that ends the letter."""
    best = 0
    for el in root.iter():
        if el.tag in _REVISIONS:
            value = el.get(W_ID, "")
            if value.isdigit():
                best = max(best, int(value))
    return best + 2


def mark_annotation_ids(root: Element, table: SlotTable, stride: int) -> None:
    """Bookmark and revision ids made unique per letter."""
    for el in root.iter():
        if el.tag in _REVISIONS:
            value = el.get(W_ID, "")
            if value.isdigit():
                el.set(W_ID, table.marker(IdSlot(int(value), stride)))


def drop_volatile_ids(root: Element) -> None:
    """Paragraph/text ids (``w14:paraId``) and content-control ids are optional and must be
    unique; repeated per letter they would not be, so they go (Word makes new ones)."""
    para, text = f"{{{W14_NS}}}paraId", f"{{{W14_NS}}}textId"
    for el in root.iter(W_P, w("tr")):
        el.attrib.pop(para, None)
        el.attrib.pop(text, None)
    for sdt_pr in root.iter(w("sdtPr")):
        for el in sdt_pr.findall(W_ID):
            sdt_pr.remove(el)


def _sections(root: Element) -> list[Element]:
    body = root.find(W_BODY)
    if body is None:
        return []
    return [s for s in body.iter(W_SECTPR) if s.getparent().tag != w("sectPrChange")]


def _r_attribute(root: Element) -> str:
    for prefix, uri in root.nsmap.items():
        if uri == R_NS and prefix:
            return f"{prefix}:id"
    prefix = "r" if "r" not in root.nsmap else "rr"
    return f'xmlns:{prefix}="{R_NS}" {prefix}:id'


def mark_section_refs(
    root: Element,
    table: SlotTable,
    targets: dict[str, str],
    copies: dict[str, int],
    ids: CopyIds,
    even_and_odd: bool,
) -> set[str]:
    """Header/footer references of every section: copies per letter (:class:`RelSlot`) and
    the inherited or blank ones a section lacks (:class:`SectRefsSlot`).

    ``targets`` maps the document's rIds to part names, ``copies`` the parts copied per
    letter to their copy index. Returns the kinds (``header``/``footer``) that need a
    blank part.
    """
    blanks: set[str] = set()
    effective: dict[tuple[str, str], str] = {}
    r_attr = _r_attribute(root)
    prefix = table.text_writer.prefix
    for sect in _sections(root):
        own: dict[tuple[str, str], str] = {}
        for kind in ("header", "footer"):
            for ref in sect.findall(w(f"{kind}Reference")):
                rid = ref.get(R_ID, "")
                own[(kind, ref.get(W_TYPE) or "default")] = rid
                part = targets.get(rid)
                if part in copies:
                    ref.set(R_ID, table.marker(RelSlot(rid, copies[part])))
        types = ["default"]
        if _on(sect.find(w("titlePg"))):
            types.append("first")
        if even_and_odd:
            types.append("even")
        missing: list[MissingRef] = []
        for kind in ("header", "footer"):
            for typ in types:
                if (kind, typ) in own:
                    continue
                inherited = effective.get((kind, typ))
                part = targets.get(inherited or "")
                missing.append(MissingRef(kind, typ, inherited, copies.get(part or "")))
                if inherited is None:
                    blanks.add(kind)
        effective.update(own)
        if missing:
            slot = SectRefsSlot(tuple(missing), ids, prefix, r_attr)
            sect.text = (sect.text or "") + table.marker(slot)
    return blanks


# --------------------------------------------------------------------------- numbering


@dataclass(frozen=True)
class NumberingPlan:
    """How a combined document gives every letter its own lists.

    ``numbering.xml`` is written as ``head`` + for every letter after the first, for
    every list the document uses, ``nums[i].format(new_id)`` + ``tail``.
    """

    part: str
    head: str
    tail: str
    nums: tuple[str, ...]
    first_new: int

    def letter_nums(self, letter: int) -> str:
        """The ``w:num`` entries of ``letter`` (1, 2, ...)."""
        base = self.first_new + (letter - 1) * len(self.nums)
        return "".join(t.format(base + i) for i, t in enumerate(self.nums))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _style_numbering(styles: Element | None) -> tuple[dict[str, tuple[int, int]], str]:
    """Paragraph styles that number their paragraphs: style id → (numId, level), with
    ``basedOn`` followed; and the default paragraph style's id."""
    if styles is None:
        return {}, ""
    own: dict[str, tuple[int | None, int | None]] = {}
    based: dict[str, str] = {}
    default = ""
    for style in styles.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        sid = style.get(w("styleId"), "")
        if style.get(w("default")) in ("1", "true", "on"):
            default = sid
        numpr = style.find(f"{W_PPR}/{w('numPr')}")
        if numpr is not None:
            num_id = numpr.find(w("numId"))
            level = numpr.find(w("ilvl"))
            own[sid] = (
                _int(num_id.get(W_VAL)) if num_id is not None else None,
                _int(level.get(W_VAL)) if level is not None else None,
            )
        base = style.find(w("basedOn"))
        if base is not None:
            based[sid] = base.get(W_VAL, "")
    resolved: dict[str, tuple[int, int]] = {}
    for sid in set(own) | set(based):
        found: int | None = None
        found_level: int | None = None
        seen: set[str] = set()
        cur = sid
        while cur and cur not in seen:
            seen.add(cur)
            n, lv = own.get(cur, (None, None))
            found = n if found is None else found
            found_level = lv if found_level is None else found_level
            cur = based.get(cur, "")
        if found:
            resolved[sid] = (found, found_level or 0)
    return resolved, default


def _num_template(num: Element, abstracts: dict[str, Element], prefix: str) -> str:
    """A ``w:num`` restarting every level, with ``{}`` for its new id."""
    p = prefix
    abstract_id = num.find(w("abstractNumId"))
    abstract_val = abstract_id.get(W_VAL, "0") if abstract_id is not None else "0"
    abstract = abstracts.get(abstract_val)
    starts: dict[int, int] = {}
    if abstract is not None:
        for lvl in abstract.findall(w("lvl")):
            level = _int(lvl.get(w("ilvl")))
            start = lvl.find(w("start"))
            if level is not None:
                starts[level] = (_int(start.get(W_VAL)) or 0) if start is not None else 0
    overrides: dict[int, Element] = {}
    for override in num.findall(w("lvlOverride")):
        level = _int(override.get(w("ilvl")))
        if level is not None:
            overrides[level] = override
    out = [f'<{p}num {p}numId="{{}}"><{p}abstractNumId {p}val="{abstract_val}"/>']
    for level in _LEVELS:
        start = starts.get(level, 1)
        extra = ""
        override = overrides.get(level)
        if override is not None:
            given = override.find(w("startOverride"))
            if given is not None:
                start = _int(given.get(W_VAL)) or 0
            lvl = override.find(w("lvl"))
            if lvl is not None:
                extra = etree.tostring(lvl, encoding="unicode", with_tail=False)
                extra = extra.replace("{", "{{").replace("}", "}}")
        out.append(
            f'<{p}lvlOverride {p}ilvl="{level}"><{p}startOverride {p}val="{start}"/>'
            f"{extra}</{p}lvlOverride>"
        )
    out.append(f"</{p}num>")
    return "".join(out)


def plan_numbering(
    root: Element,
    table: SlotTable,
    numbering_part: str | None,
    numbering: Element | None,
    styles: Element | None,
) -> NumberingPlan | None:
    """Mark the lists of the main document (``root``) so that each letter restarts them."""
    if numbering is None or numbering_part is None:
        return None
    nums = {
        n: el for el in numbering.findall(w("num")) if (n := _int(el.get(w("numId")))) is not None
    }
    abstracts = {el.get(w("abstractNumId"), ""): el for el in numbering.findall(w("abstractNum"))}
    by_style, default_style = _style_numbering(styles)
    body = root.find(W_BODY)
    if not nums or body is None:
        return None

    # First pass: which lists the paragraphs use (direct numPr or their style's).
    plan: list[tuple[Element, int, int | None, Element | None]] = []
    for p in body.iter(W_P):
        ppr = p.find(W_PPR)
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        style = ppr.find(w("pStyle")) if ppr is not None else None
        style_id = style.get(W_VAL, "") if style is not None else default_style
        num_id_el = numpr.find(w("numId")) if numpr is not None else None
        if num_id_el is not None:
            value = _int(num_id_el.get(W_VAL))
            if value and value in nums:
                plan.append((p, value, None, num_id_el))
        elif style_id in by_style and by_style[style_id][0] in nums:
            num_id, level = by_style[style_id]
            own_level = numpr.find(w("ilvl")) if numpr is not None else None
            if own_level is not None:
                level = _int(own_level.get(W_VAL)) or 0
            plan.append((p, num_id, level, numpr))
    used = list(dict.fromkeys(num_id for _, num_id, _, _ in plan))
    if not used:
        return None
    first_new = max(nums) + 1
    index = {num_id: i for i, num_id in enumerate(used)}
    prefix = table.text_writer.prefix
    for p, list_id, list_level, el in plan:
        slot = NumIdSlot(list_id, index[list_id], len(used), first_new)
        if list_level is None:  # a direct w:numId
            assert el is not None
            el.set(W_VAL, table.marker(slot))
        elif el is not None:  # a w:numPr with only a level: the style's list
            etree.SubElement(el, w("numId")).set(W_VAL, table.marker(slot))
        else:
            ppr = p.find(W_PPR)
            if ppr is None:
                ppr = etree.Element(W_PPR)
                p.insert(0, ppr)
            kids = list(ppr)
            at = 0
            for i, kid in enumerate(kids):
                if kid.tag in _BEFORE_NUMPR:
                    at = i + 1
            append_text_at(ppr, at, table.marker(NumPrSlot(list_level, slot, prefix)))

    templates = tuple(_num_template(nums[n], abstracts, word_prefix(numbering)) for n in used)
    # Where the new w:num entries go: after the last w:num (before numIdMacAtCleanup).
    mark = etree.ProcessingInstruction("segment-tui-nums")
    cleanup = numbering.find(w("numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(mark)
    else:
        numbering.append(mark)
    xml: str = etree.tostring(numbering, encoding="unicode")
    mark.getparent().remove(mark)
    head, tail = re.split(r"<\?segment-tui-nums\s*\?>", xml, maxsplit=1)
    return NumberingPlan(numbering_part, XML_DECL + head, tail, templates, first_new)
