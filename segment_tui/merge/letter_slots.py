"""The slots that make each letter of a combined document its own.

In a combined document (many letters in one file) Word would otherwise share between
letters what the template has once: ids (:class:`IdSlot`: drawings, bookmarks, notes),
header/footer parts (:class:`RelSlot`, :class:`SectRefsSlot`, :class:`CopyIds`), numbered
lists (:class:`NumIdSlot`, :class:`NumPrSlot`), bookmark names (:class:`BookmarkSlot`) and
the page count (:class:`InstrSlot`, :class:`LetterEndSlot`). Each renders the template
unchanged when a single letter is merged. The slot mechanism itself is :mod:`.slots`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .slots import ContentSlot, RenderContext


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
class InstrSlot(ContentSlot):
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
