"""Public merge API: :class:`DocxTemplate`, :class:`MergeResult`, :func:`list_fields`.

A template is parsed and compiled once (:mod:`.compiler`); every merge afterwards only joins
strings and compresses the changed parts, so merging thousands of letters is cheap.

Field names are matched case-insensitively with surrounding/duplicate whitespace ignored;
as a fallback ``Contact_Name`` (Word's spelling of a data-source column with a space) finds
``Contact Name``.  A field without a value stays visible (``«Name»`` for a MERGEFIELD,
the original ``{{Name}}`` text for a placeholder) and is reported in ``unknown_fields``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO

from .combine import render_combined, write_combined
from .compiler import Compiled, compile_docx
from .pictures import MergeValue
from .slots import RenderContext
from .text import parts_to_text
from .zipwriter import Blob, compress, write_zip


@dataclass(frozen=True)
class MergeResult:
    """A merged document and the template's field names that had no value."""

    document: bytes
    unknown_fields: frozenset[str]


class DocxTemplate:
    """A compiled Word template; reuse one instance for many records.

    ``fields`` lists the distinct field names in document order (as :func:`list_fields`).
    Instances are immutable after :meth:`from_bytes`, so one template may be merged from
    several threads at once.
    """

    def __init__(self, compiled: Compiled) -> None:
        """Use :meth:`from_bytes`; this wraps an already compiled template."""
        self._c = compiled
        self.fields: list[str] = list(compiled.fields)
        self.unsupported_fields: list[str] = list(compiled.unsupported)
        """Word mail-merge fields the merge leaves as they are (``NEXT``, ``SKIPIF``, ``ASK``,
        an ``IF`` it cannot evaluate...), in document order: the template check reports them."""

    @classmethod
    def from_bytes(cls, data: bytes) -> DocxTemplate:
        """Parse and compile a .docx template once.

        Raises :class:`~.package.DocxFormatError` (a ``ValueError``) for bytes that are not
        a usable .docx.
        """
        return cls(compile_docx(data))

    def merge(self, values: Mapping[str, MergeValue], *, level: int = 6) -> MergeResult:
        """Merge one record into a new .docx.

        ``level`` is the zlib compression level of the merged parts (1 is faster and a bit
        larger; the other parts were compressed once at level 6).
        """
        ctx = RenderContext(values)
        entries: list[tuple[str, Blob]] = []
        for name in self._c.names:
            tpl = self._c.dynamic.get(name)
            if tpl is None:
                entries.append((name, self._c.static[name]))
            else:
                entries.append((name, compress(tpl.render(ctx).encode("utf-8"), level)))
        return MergeResult(write_zip(entries), frozenset(ctx.unknown))

    def merge_combined(
        self, records: Iterable[Mapping[str, MergeValue]], *, level: int = 6
    ) -> MergeResult:
        """Merge many records into one .docx, each letter starting on a new page.

        Each letter is its own section(s) with its own headers, page numbers and lists
        (see :mod:`.combine`).  Raises ``ValueError`` for no records.  For big batches use
        :meth:`write_combined`, which does not hold the document in memory.
        """
        document, unknown = render_combined(self._c, records, level)
        return MergeResult(document, unknown)

    def write_combined(
        self,
        records: Iterable[Mapping[str, MergeValue]],
        out: IO[bytes],
        *,
        level: int = 6,
        on_letter: Callable[[int], None] | None = None,
    ) -> tuple[int, frozenset[str]]:
        """Like :meth:`merge_combined`, written into the seekable binary file ``out`` as
        the records are read (memory does not grow with the number of letters).

        Returns the number of letters and the unknown field names; ``on_letter(n)`` is
        called after each letter.
        """
        return write_combined(self._c, records, out, level, on_letter)

    def merge_text(self, values: Mapping[str, MergeValue]) -> str:
        """The document merged with ``values`` as plain text (see :func:`.docx_to_text`)."""
        ctx = RenderContext(values)
        parts: dict[str, bytes] = dict(self._c.raw)
        for name, tpl in self._c.dynamic.items():
            parts[name] = tpl.render(ctx).encode("utf-8")
        return parts_to_text(parts, self._c.main, self._c.main_rels)


def list_fields(docx: bytes) -> list[str]:
    """Distinct field names of a template in document order (main document first, then
    headers, footers, footnotes and endnotes), spelled as at their first occurrence."""
    return DocxTemplate.from_bytes(docx).fields
