"""Cleaning a batch of imported rows at once, as :func:`clean_cell` cleans each cell.

An import cleans every cell of every row (formula guard removed, spaces stripped, NULL
read as blank) and refuses control characters. Done cell by cell, or with a regex per
row, that cost 2–3 s of CPU per 100,000 rows × 36 columns: an export neutralises every
phone number (``'+1 …``), so nearly every row has a cell to clean, and Python's cost per
call dwarfs the work. :func:`clean_batch` joins a batch's cells into one string,
separated by NULs, and finds what to do with a few searches that run in C over the
whole batch:

- control characters and white space beyond ASCII, with a byte translation: the rows
  holding some are *odd*, left to the import's careful path, one cell at a time;
- the cells :func:`clean_cell` would change, by their separators: a separator followed
  by ``'`` or a space, a space followed by one, ``NULL`` between two. The separators
  before a find number its cell, which :func:`clean_cell` itself then cleans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import chain

from segment_tui.services.contacts.csv_reading import clean_cell

_NARROW_SPECIAL = bytes(range(0x20)) + bytes(range(0x7F, 0xA1))
"""Latin-1 bytes of the control characters (C0, DEL, C1) and of the white space beyond
ASCII below U+0100 (U+0085, U+00A0)."""
_CONTROL_BYTES = bytes(range(0x20)) + b"\x7f"
_WIDE_SPECIAL = (b"\xc2", b"\xe1\x9a", b"\xe2\x80", b"\xe2\x81", b"\xe3\x80")
"""UTF-8 starts of the C1 control characters and of the white space beyond ASCII
(U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), with
some printable neighbours."""
_SPECIAL = re.compile("[\x00-\x1f\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
"""A character that sets a row apart: a control character, white space beyond ASCII."""
_NULL = re.compile("\x00null(?=\x00)", re.IGNORECASE)


def clean_batch(rows: Sequence[tuple[str, ...]], width: int) -> tuple[list[str], set[int]]:
    """The cells of the rows (each of ``width`` cells), one after the other, each
    cleaned as :func:`clean_cell` cleans it; and the indexes of the rows the careful path
    must judge, whose cleaned cells must not be used: a control character (NUL included)
    or white space beyond ASCII in a cell, or every cell blank once cleaned (a blank line,
    maybe)."""
    cells = list(chain.from_iterable(rows))
    text = "\x00".join(cells)
    odd = _odd_rows(rows, text, len(cells) - 1)
    if odd:
        # Blank stand-ins keep the other rows in place (a NUL in a cell would cut it).
        for i in odd:
            cells[i * width : (i + 1) * width] = [""] * width
        text = "\x00".join(cells)
    text = f"\x00{text}\x00"
    # The cells clean_cell would change: a formula guard or a space first, a space last,
    # NULL. Each is found by its separator; the separators before it number it.
    found: set[int] = set()
    for needle, shift in (("\x00'", 0), ("\x00 ", 0), (" \x00", -1)):
        found.update(cell + shift for cell in _cells_at(text, needle))
    found.update(_cells_at(text, _NULL))
    emptied = False
    for cell in found:
        cells[cell] = clean_cell(cells[cell])
        emptied = emptied or not cells[cell]
    if emptied or "\x00" * (width + 1) in text:
        odd.update(i for i in range(len(rows)) if not any(cells[i * width : (i + 1) * width]))
    return cells, odd


def _cells_at(text: str, needle: str | re.Pattern[str]) -> Iterator[int]:
    """For each occurrence of ``needle`` in ``text``, how many separators come before it,
    counted as the search goes (the batch is read once)."""
    cell = 0
    counted = 0
    if isinstance(needle, str):
        at = text.find(needle)
        while at >= 0:
            cell += text.count("\x00", counted, at)
            counted = at
            yield cell
            at = text.find(needle, at + 1)
        return
    for match in needle.finditer(text):
        cell += text.count("\x00", counted, match.start())
        counted = match.start()
        yield cell


def _odd_rows(rows: Sequence[tuple[str, ...]], text: str, separators: int) -> set[int]:
    """The rows holding a control character or white space beyond ASCII, found with a
    byte translation (and a few searches) over the whole batch; row by row only in a
    batch that has some."""
    try:
        narrow = text.encode("latin-1")
    except UnicodeEncodeError:
        encoded = text.encode("utf-8", "surrogatepass")
        suspect = len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded) - separators
        suspect = suspect or any(special in encoded for special in _WIDE_SPECIAL)
    else:
        # Deleting the special bytes deletes the separators and nothing else.
        suspect = len(narrow.translate(None, _NARROW_SPECIAL)) != len(narrow) - separators
    if not suspect:
        return set()
    return {i for i, row in enumerate(rows) if _SPECIAL.search("".join(row))}
