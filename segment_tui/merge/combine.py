"""Combined output: many letters from one compiled template in a single .docx.

Every letter is the template body rendered for one record.  Letters are separated by
section breaks (next page), as Word's own "merge to new document" does: every letter but
the last gets a copy of the template's section properties in its last paragraph.  Each
letter is its own (:mod:`.letters`):

* A header/footer that contains fields (or a page count) is copied for every letter
  whose values make it differ from the first letter's (``header1_m2.xml`` ...), with a
  new relationship, and each letter's sections point at its own version.  Headers that
  come out the same (no fields, or only company fields) are shared, which keeps big
  documents small and under the 65,535 parts a zip holds without ZIP64.  Every section
  names its headers and footers explicitly (a blank part where the template has none), so
  no letter inherits the previous letter's header.
* Page numbers restart at 1 for every letter (``w:pgNumType w:start="1"``) and
  ``NUMPAGES`` counts the letter's pages ("Page 1 of 2" on each letter).
* Numbered lists restart in every letter; footnotes/endnotes are repeated per letter with
  new ids; bookmark names and ids, drawing and revision ids are unique per letter.

The document is written as it is rendered (:class:`~.package.ZipWriter`): records are
read one at a time from any iterable and memory stays flat however many letters there are.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO

from .compiler import BLANK_PART, Compiled
from .ooxml import W_NS
from .package import rels_name
from .pictures import MergeValue
from .slots import RenderContext
from .zipwriter import DeflateStream, EntrySpool, PartSpool, ZipWriter, compress, spool

_CONTENT_TYPES = "[Content_Types].xml"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def copy_name(name: str, letter: int, tag: str = "m") -> str:
    """Part name of a header/footer copy for ``letter`` (1-based copies; 0 is the original)."""
    stem, ext = posixpath.splitext(name)
    return f"{stem}_{tag}{letter}{ext}"


def render_combined(
    compiled: Compiled, records: Iterable[Mapping[str, MergeValue]], level: int = 6
) -> tuple[bytes, frozenset[str]]:
    """Render all records into one .docx; return its bytes and the unknown field names."""
    out = io.BytesIO()
    _, unknown = write_combined(compiled, records, out, level)
    return out.getvalue(), unknown


def write_combined(
    compiled: Compiled,
    records: Iterable[Mapping[str, MergeValue]],
    out: IO[bytes],
    level: int = 6,
    on_letter: Callable[[int], None] | None = None,
) -> tuple[int, frozenset[str]]:
    """Write all records as one .docx into the seekable binary file ``out``.

    Returns the number of letters and the unknown field names. ``on_letter(n)`` is called
    after every letter. Raises ``ValueError`` for no records.
    """
    return _Writer(compiled, out, level).write(iter(records), on_letter)


class _Writer:
    """One combined document being written."""

    def __init__(self, compiled: Compiled, out: IO[bytes], level: int) -> None:
        self.c = compiled
        self.zip = ZipWriter(out)
        self.level = level
        self.copies = EntrySpool()  # header/footer copies, written aside
        self.copy_count = 0
        self.first_texts: list[str] = []  # each header/footer as the first letter has it
        self.rels = spool()  # relationships of the copies (XML text), as they are made
        self.types = spool()  # their content types
        self.folders: dict[str, str] = {}
        self.notes = {name: PartSpool(level) for name in compiled.notes}
        plan = compiled.numbering
        self.numbering = PartSpool(level) if plan is not None else None
        self.unknown: set[str] = set()

    def _changed_parts(self) -> set[str]:
        c = self.c
        changed = {c.main, *c.dynamic, *c.notes}
        if c.numbering is not None:
            changed.add(c.numbering.part)
        if c.headers or c.blanks:
            changed |= {rels_name(c.main), _CONTENT_TYPES}
        return changed

    def write(
        self, records: Iterator[Mapping[str, MergeValue]], on_letter: Callable[[int], None] | None
    ) -> tuple[int, frozenset[str]]:
        c = self.c
        try:
            first = next(records)
        except StopIteration:
            raise ValueError("merge_combined needs at least one record") from None
        changed = self._changed_parts()
        for name in c.names:  # the parts no letter changes, as compressed once
            if name not in changed:
                self.zip.add(name, c.static[name])
        ctx0 = RenderContext(first, 0, combined=True)
        ctx = ctx0
        with self.zip.stream(c.main, self.level) as main:
            main.write(c.doc_head.render(ctx0))
            for plan in (c.numbering,) if c.numbering is not None else ():
                assert self.numbering is not None
                self.numbering.write(plan.head)
            for name, (head, _, _) in c.notes.items():
                self.notes[name].write(head.render(ctx0))
            letters = 0
            while True:
                following = next(records, None)
                if following is None:
                    ctx.sect_break = _no_break
                    ctx.last = True
                else:
                    ctx.sect_break = _break_of(c, ctx)
                self._letter_parts(ctx)  # first: the body points at this letter's headers
                main.write(c.doc_body.render(ctx))
                self.unknown |= ctx.unknown
                letters += 1
                if on_letter is not None:
                    on_letter(letters)
                if following is None:
                    break
                ctx = RenderContext(following, letters, combined=True)
            main.write(c.doc_sect.render(ctx))
            main.write(c.doc_tail.render(ctx))
        self._finish(ctx0)
        return letters, frozenset(self.unknown)

    def _letter_parts(self, ctx: RenderContext) -> None:
        """Everything of one letter outside the document part."""
        c = self.c
        rids: list[str] = []
        for index, header in enumerate(c.headers):
            text = c.dynamic[header.name].render(ctx)
            if ctx.letter == 0:
                self.first_texts.append(text)
                self.copies.add(header.name, compress(text.encode(), self.level))
                rids.append(header.rid)
            elif text == self.first_texts[index]:
                rids.append(header.rid)  # the same as the first letter's: shared
            else:
                name = copy_name(header.name, ctx.letter, c.copy_tag)
                self.copies.add(name, compress(text.encode(), self.level))
                if header.rels is not None:
                    self.copies.add(rels_name(name), header.rels)
                rid = c.ids.copy(self.copy_count)
                self.copy_count += 1
                self.rels.write(_relationship(rid, header.rel_type, self._target(name)).encode())
                self.types.write(_override(name, header.content_type).encode())
                rids.append(rid)
        ctx.part_rids = rids
        for name, (_, body, _) in c.notes.items():
            self.notes[name].write(body.render(ctx))
        if c.numbering is not None and ctx.letter > 0:
            assert self.numbering is not None
            self.numbering.write(c.numbering.letter_nums(ctx.letter))

    def _finish(self, ctx0: RenderContext) -> None:
        c = self.c
        self.zip.add_spool(self.copies)
        for name, (_, _, tail) in c.notes.items():
            spool = self.notes[name]
            spool.write(tail.render(ctx0))
            self.zip.add_part_spool(name, spool)
        if c.numbering is not None and self.numbering is not None:
            self.numbering.write(c.numbering.tail)
            self.zip.add_part_spool(c.numbering.part, self.numbering)
        copied = {h.name for h in c.headers}
        for name, tpl in c.dynamic.items():
            if name != c.main and name not in c.notes and name not in copied:
                # e.g. a header with drawings but no fields: the same for every letter
                self.zip.add(name, compress(tpl.render(ctx0).encode(), self.level))
        for kind, name in c.blanks.items():
            root = "hdr" if kind == "header" else "ftr"
            self.zip.add(name, compress(BLANK_PART.format(kind=root, ns=W_NS).encode()))
        if c.headers or c.blanks:
            self._package_lists()
        self.zip.close()

    def _target(self, name: str) -> str:
        """A relationship target from the document part to ``name``."""
        folder, base = posixpath.split(name)
        if folder not in self.folders:  # relpath is slow; every copy shares its folder
            rel = posixpath.relpath(folder or ".", posixpath.dirname(self.c.main) or ".")
            self.folders[folder] = "" if rel == "." else rel + "/"
        return self.folders[folder] + base

    def _package_lists(self) -> None:
        """The document's relationships and the content types, with the new parts."""
        c = self.c
        doc_rels = rels_name(c.main)
        with self.zip.stream(doc_rels, self.level) as rels:
            head, tail = _split_root(c.raw[doc_rels])
            rels.write(head)
            for kind, name in c.blanks.items():
                rid = c.ids.blank_header if kind == "header" else c.ids.blank_footer
                rels.write(_relationship(rid, _RT + kind, self._target(name)))
            _copy_text(self.rels, rels)
            rels.write(tail)
        with self.zip.stream(_CONTENT_TYPES, self.level) as types:
            head, tail = _split_root(c.raw[_CONTENT_TYPES])
            types.write(head)
            for kind, name in c.blanks.items():
                types.write(_override(name, f"{_CT}{kind}+xml"))
            _copy_text(self.types, types)
            types.write(tail)


def _copy_text(text: IO[bytes], into: DeflateStream) -> None:
    """Copy spooled XML text into a part being written (bounded chunks)."""
    text.seek(0)
    while chunk := text.read(1 << 20):
        into.write(chunk)
    text.close()


def _no_break(letter: int) -> str:
    return ""


def _break_of(c: Compiled, ctx: RenderContext) -> Callable[[int], str]:
    def section_break(letter: int) -> str:
        return c.doc_sect.render(ctx)

    return section_break


def _split_root(data: bytes) -> tuple[str, str]:
    """A small package XML part cut before its root's closing tag."""
    text = data.decode("utf-8")
    at = text.rstrip().rfind("</")
    if at < 0:  # an empty root (<Relationships .../>): open it
        close = text.rfind("/>")
        root = text[text.rfind("<", 0, close) + 1 : close].split()[0]
        return text[:close] + ">", f"</{root}>"
    return text[:at], text[at:]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _relationship(rid: str, rel_type: str, target: str) -> str:
    return f'<Relationship Id="{rid}" Type="{_attr(rel_type)}" Target="{_attr(target)}"/>'


def _override(name: str, content_type: str) -> str:
    return f'<Override PartName="/{_attr(name)}" ContentType="{_attr(content_type)}"/>'
