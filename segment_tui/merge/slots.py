"""Compiled part templates: static XML text interleaved with slots rendered per record.

A template part is compiled once into ``texts[0] slot[0] texts[1] slot[1] ... texts[n]``.
Rendering a record is then string joining: no XML parsing or tree copying per letter, which
is what makes 1,000 letters take a fraction of a second.

Slot kinds:

* :class:`FieldSlot` - a merge field or ``{{placeholder}}``; renders escaped text (newlines
  become ``<w:br/>``) inside a ``w:t`` (or ``w:instrText``) that the compiler prepared.
* :class:`IfSlot` - an ``IF`` field evaluated per record (see :mod:`.iffield`).
* :class:`IdSlot` / :class:`RelSlot` - ids that must be unique per letter in combined output
  (drawing ids, bookmarks, footnote ids; header relationship ids).
* :class:`MarkSlot` - region boundaries (body start, section properties, notes) used to cut
  the document part into pieces for combined output; renders nothing.
* :class:`SectBreakSlot` - where a letter's section break goes in combined output.
* :class:`SectRefsSlot`, :class:`NumIdSlot`, :class:`NumPrSlot`, :class:`BookmarkSlot`,
  :class:`InstrSlot`, :class:`LetterEndSlot` - what makes each letter of a combined
  document its own: explicit header/footer references, its own numbered lists, unique
  bookmark names and page counts per letter. They render the template unchanged when a
  single letter is merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .switches import FieldSpec, MergeValue, format_value, loose_key, normalize_key

# Characters that XML 1.0 forbids (they would make Word refuse the file).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPECIAL = re.compile("[&<>\r\n\t\x0b\x0c]")


class RenderContext:
    """Per-record state: normalised values, letter index and unknown names seen."""

    __slots__ = (
        "_loose", "combined", "last", "letter", "part_rids", "sect_break", "unknown", "values",
    )  # fmt: skip

    def __init__(
        self, values: Mapping[str, MergeValue], letter: int = 0, *, combined: bool = False
    ) -> None:
        self.values = {normalize_key(k): v for k, v in values.items()}
        self._loose: dict[str, MergeValue] | None = None
        self.letter = letter
        self.combined = combined
        """True while rendering a letter of a combined (many letters) document."""
        self.last = False
        """True for the last letter of a combined document."""
        self.unknown: set[str] = set()
        self.sect_break: Callable[[int], str] = _no_break
        self.part_rids: list[str] | None = None
        """In a combined document: the rId of this letter's version of each header/footer
        that can differ per letter (see :class:`RelSlot`)."""

    def lookup(self, spec: FieldSpec) -> tuple[bool, MergeValue]:
        """Find the value of a field: exact key first, then the letters-and-digits key."""
        try:
            return True, self.values[spec.key]
        except KeyError:
            pass
        if self._loose is None:
            counts: dict[str, int] = {}
            loose: dict[str, MergeValue] = {}
            for k, v in self.values.items():
                lk = loose_key(k)
                counts[lk] = counts.get(lk, 0) + 1
                loose[lk] = v
            # An ambiguous loose key (two value names collapse to it) must not guess.
            self._loose = {k: v for k, v in loose.items() if counts[k] == 1 and k}
        lk = loose_key(spec.name)
        if lk in self._loose:
            return True, self._loose[lk]
        return False, None

    def field_text(self, spec: FieldSpec) -> str:
        """The formatted text of a field, or its visible fallback when it has no value."""
        found, value = self.lookup(spec)
        if not found:
            self.unknown.add(spec.name)
            return spec.fallback
        return format_value(value, spec.switches, spec.lang)


def _no_break(letter: int) -> str:
    return ""


class Slot(Protocol):
    """Anything that renders a piece of XML for one record."""

    def render(self, ctx: RenderContext) -> str:
        """Return the XML text for this slot."""
        ...


@dataclass(frozen=True)
class TextWriter:
    """Turns plain text into XML content of a ``w:t``/``w:instrText`` element.

    ``prefix`` is the namespace prefix the part uses for WordprocessingML (``w:``).
    """

    prefix: str
    tag: str = "t"

    def __call__(self, text: str) -> str:
        """Escape ``text``; line breaks and tabs become ``w:br``/``w:tab`` elements."""
        if _INVALID_XML.search(text):
            text = _INVALID_XML.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else "", text)
        if not _SPECIAL.search(text):
            return text
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if "\r" in text or "\n" in text or "\t" in text:
            p, t = self.prefix, self.tag
            if t != "t":  # inside a field instruction a break would be meaningless
                return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
            reopen = f'<{p}{t} xml:space="preserve">'
            br = f"</{p}{t}><{p}br/>{reopen}"
            tab = f"</{p}{t}><{p}tab/>{reopen}"
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", br)
            text = text.replace("\t", tab)
        return text


@dataclass(frozen=True)
class FieldSlot:
    """A merge field or placeholder value."""

    spec: FieldSpec
    write: TextWriter

    def render(self, ctx: RenderContext) -> str:
        """Escaped field text (or the visible fallback)."""
        return self.write(ctx.field_text(self.spec))


@dataclass(frozen=True)
class IdSlot:
    """A numeric id made unique per letter: ``base + letter * stride``."""

    base: int
    stride: int

    def render(self, ctx: RenderContext) -> str:
        """The id for the current letter."""
        return str(self.base + ctx.letter * self.stride)


@dataclass(frozen=True)
class CopyIds:
    """Relationship ids of the parts a combined document adds: the blank header and footer
    (for sections that have none of their own) and the header/footer copies, numbered in
    the order they are made."""

    first_new: int  # first free rId number of the template's document part

    @property
    def blank_header(self) -> str:
        """rId of the blank header part."""
        return f"rId{self.first_new}"

    @property
    def blank_footer(self) -> str:
        """rId of the blank footer part."""
        return f"rId{self.first_new + 1}"

    def copy(self, number: int) -> str:
        """rId of the ``number``-th copy made (0, 1, ...)."""
        return f"rId{self.first_new + 2 + number}"


@dataclass(frozen=True)
class RelSlot:
    """A header/footer relationship id: in a combined document each letter points at the
    part that holds its own values (:attr:`RenderContext.part_rids`)."""

    original: str
    index: int  # position among the header/footer parts that differ per letter

    def render(self, ctx: RenderContext) -> str:
        """The rId of this letter's part."""
        rids = ctx.part_rids
        return rids[self.index] if rids is not None else self.original


@dataclass(frozen=True)
class MissingRef:
    """A header/footer reference a template section lacks (it inherits it in Word)."""

    kind: str  # header | footer
    type: str  # default | first | even
    original: str | None  # rId of the part in effect there, None for none (blank)
    copy_index: int | None  # its index among the parts that differ per letter, if one


@dataclass(frozen=True)
class SectRefsSlot:
    """Explicit header/footer references for a section in combined output.

    Word lets a section without a header inherit the previous section's, which in a
    combined document is the previous *letter's* (with that recipient's data). Every
    section of every letter therefore names the header and footer in effect in the
    template (or a blank part where the template has none).
    """

    missing: tuple[MissingRef, ...]
    ids: CopyIds
    prefix: str  # WordprocessingML prefix (``w:``)
    r_attr: str  # ``r:id`` (with an ``xmlns:r`` declaration when the part lacks one)

    def render(self, ctx: RenderContext) -> str:
        """Nothing for a single letter; the references for a combined one."""
        if not ctx.combined:
            return ""
        out = []
        for ref in self.missing:
            if ref.original is None:
                rid = self.ids.blank_header if ref.kind == "header" else self.ids.blank_footer
            elif ref.copy_index is None or ctx.part_rids is None:
                rid = ref.original
            else:
                rid = ctx.part_rids[ref.copy_index]
            p = self.prefix
            out.append(f'<{p}{ref.kind}Reference {p}type="{ref.type}" {self.r_attr}="{rid}"/>')
        return "".join(out)


@dataclass(frozen=True)
class NumIdSlot:
    """A paragraph's list (``w:numId``): letters after the first get their own list
    instance, which restarts at the list's start value."""

    original: int
    index: int  # position among the lists the document uses
    count: int  # lists used
    first_new: int  # first free numId

    def render(self, ctx: RenderContext) -> str:
        """The numId for this letter."""
        if not ctx.combined or ctx.letter == 0:
            return str(self.original)
        return str(self.first_new + (ctx.letter - 1) * self.count + self.index)


@dataclass(frozen=True)
class NumPrSlot:
    """A paragraph numbered by its style: letters after the first name their own list
    instance explicitly (``w:numPr``), so the list restarts."""

    level: int
    num: NumIdSlot
    prefix: str

    def render(self, ctx: RenderContext) -> str:
        """Nothing for the first letter (the style numbers it), else a ``w:numPr``."""
        if not ctx.combined or ctx.letter == 0:
            return ""
        p = self.prefix
        return (
            f'<{p}numPr><{p}ilvl {p}val="{self.level}"/>'
            f'<{p}numId {p}val="{self.num.render(ctx)}"/></{p}numPr>'
        )


def letter_bookmark(name: str, letter: int) -> str:
    """A template bookmark's name in letter ``letter`` of a combined document (Word keeps
    only the first of two bookmarks with one name; names are at most 40 characters)."""
    if letter == 0:
        return name
    suffix = f"_{letter + 1}"
    return name[: 40 - len(suffix)] + suffix


def letter_end_bookmark(letter: int) -> str:
    """The bookmark at the end of letter ``letter`` (hidden: the name starts with ``_``)."""
    return f"_LetterEnd{letter + 1}"


@dataclass(frozen=True)
class BookmarkSlot:
    """A bookmark name (or a hyperlink's anchor to it), unique per letter."""

    name: str

    def render(self, ctx: RenderContext) -> str:
        """The name for this letter."""
        return _escape_attr(letter_bookmark(self.name, ctx.letter) if ctx.combined else self.name)


@dataclass(frozen=True)
class InstrSlot:
    """A field instruction rewritten in combined output.

    * ``NUMPAGES`` would count the pages of the whole file ("Page 1 of 40"); each letter
      counts its own pages instead with ``PAGEREF`` to the bookmark at its end (page
      numbers restart per letter, so that page number is the letter's page count; Word
      and LibreOffice both evaluate it in headers and footers).
    * ``REF``/``PAGEREF``/``NOTEREF``/``HYPERLINK \\l`` to a template bookmark point at this
      letter's copy of it.
    """

    original: str
    bookmark: str | None = None  # None: NUMPAGES

    def render(self, ctx: RenderContext) -> str:
        """The instruction for this letter."""
        if not ctx.combined:
            return _escape_attr(self.original)
        if self.bookmark is None:
            rest = re.sub(r"^\s*NUMPAGES", "", self.original, count=1, flags=re.IGNORECASE)
            return _escape_attr(f" PAGEREF {letter_end_bookmark(ctx.letter)}{rest}")
        if ctx.letter == 0:
            return _escape_attr(self.original)
        pattern = rf'(?<![\w"]){re.escape(self.bookmark)}(?![\w"])|"{re.escape(self.bookmark)}"'
        new = letter_bookmark(self.bookmark, ctx.letter)
        return _escape_attr(re.sub(pattern, new, self.original, count=1))


@dataclass(frozen=True)
class LetterEndSlot:
    """The bookmark that ends a letter in combined output (what NUMPAGES refers to).

    It goes at the end of the letter's last paragraph. LibreOffice loses a bookmark that
    follows a field in the last paragraph of a document, so when the template's last
    paragraph holds a field, the last letter's bookmark goes at the start of that
    paragraph instead (``at_start``; exact unless that paragraph spans two pages).
    """

    prefix: str
    stride: int  # bookmark id stride (the last id of each letter's range is this one's)
    at_start: bool = False
    field_in_paragraph: bool = False

    def render(self, ctx: RenderContext) -> str:
        """A bookmark start and end for this letter; nothing for a single letter."""
        if not ctx.combined:
            return ""
        moved = self.field_in_paragraph and ctx.last
        if moved != self.at_start:
            return ""
        p, bid = self.prefix, self.stride - 1 + ctx.letter * self.stride
        name = letter_end_bookmark(ctx.letter)
        return f'<{p}bookmarkStart {p}id="{bid}" {p}name="{name}"/><{p}bookmarkEnd {p}id="{bid}"/>'


def _escape_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True)
class MarkSlot:
    """A region boundary; renders nothing."""

    name: str

    def render(self, ctx: RenderContext) -> str:
        """Nothing: marks only cut the template."""
        return ""


@dataclass(frozen=True)
class SectBreakSlot:
    """Where a letter's section properties go between letters of a combined document."""

    def render(self, ctx: RenderContext) -> str:
        """The section properties for this letter (empty for a single document)."""
        return ctx.sect_break(ctx.letter)


@dataclass
class PartTemplate:
    """Static texts interleaved with slots; ``len(texts) == len(slots) + 1``."""

    texts: list[str]
    slots: list[Slot] = field(default_factory=list)

    def render(self, ctx: RenderContext) -> str:
        """Join the texts with the rendered slots."""
        texts = self.texts
        out = [texts[0]]
        for i, slot in enumerate(self.slots, 1):
            out.append(slot.render(ctx))
            out.append(texts[i])
        return "".join(out)

    def split(self, mark: str) -> tuple[PartTemplate, PartTemplate]:
        """Cut the template at the first :class:`MarkSlot` called ``mark``."""
        for i, slot in enumerate(self.slots):
            if isinstance(slot, MarkSlot) and slot.name == mark:
                head = PartTemplate(self.texts[: i + 1], self.slots[:i])
                tail = PartTemplate(self.texts[i + 1 :], self.slots[i + 1 :])
                return head, tail
        raise KeyError(mark)

    def has_content_slots(self) -> bool:
        """True when some slot differs per letter of a combined document (values, page
        counts)."""
        return any(isinstance(s, FieldSlot | IfSlotLike | InstrSlot) for s in self.slots)


class IfSlotLike:
    """Marker base class for slots that depend on values (see :class:`.iffield.IfSlot`)."""
