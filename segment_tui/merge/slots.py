"""Compiled part templates: static XML text interleaved with slots rendered per record.

A template part is compiled once into ``texts[0] slot[0] texts[1] slot[1] ... texts[n]``.
Rendering a record is then string joining: no XML parsing or tree copying per letter, which
is what makes 1,000 letters take a fraction of a second.

Slot kinds:

* :class:`FieldSlot` - a merge field or ``{{placeholder}}``; renders escaped text (newlines
  become ``<w:br/>``) inside a ``w:t`` (or ``w:instrText``) that the compiler prepared.
* :class:`IfSlot` - an ``IF`` field evaluated per record (see :mod:`.iffield`).
* :class:`MarkSlot` - region boundaries (body start, section properties, notes) used to cut
  the document part into pieces for combined output; renders nothing.
* :class:`SectBreakSlot` - where a letter's section break goes in combined output.
* the slots that make each letter of a combined document its own (unique ids, header
  references, lists, bookmarks, page counts) are in :mod:`.letter_slots`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .pictures import MergeValue
from .switches import FieldSpec, format_value, loose_key, normalize_key

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


class ContentSlot:
    """Marker base class for slots whose text differs per letter: field values
    (:class:`FieldSlot`, :class:`.iffield.IfSlot`) and page counts
    (:class:`.letter_slots.InstrSlot`)."""


@dataclass(frozen=True)
class FieldSlot(ContentSlot):
    """A merge field or placeholder value."""

    spec: FieldSpec
    write: TextWriter

    def render(self, ctx: RenderContext) -> str:
        """Escaped field text (or the visible fallback)."""
        return self.write(ctx.field_text(self.spec))


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
        return any(isinstance(s, ContentSlot) for s in self.slots)
