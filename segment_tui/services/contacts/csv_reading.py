"""Reading contact CSV files safely: encodings, line endings, quotes and sizes.

- The file is read as a stream, one bounded line at a time, so a 1 GB line costs a
  few megabytes, not gigabytes: a physical line over :data:`LINE_LIMIT` characters or
  a cell over the csv module's field limit is refused with its line number.
- Line endings may be LF, CRLF or a bare CR (old Mac exports).
- UTF-8 is the default (a byte-order mark is fine). A UTF-16/UTF-32 file, or one whose
  bytes are not UTF-8 (Latin-1, Windows-1252), is refused naming the encoding it looks
  like; ``encoding=`` (``--encoding``) reads it as that encoding instead.
- A quoted cell still open at the end of the file is refused with the line it opened
  on; one that swallowed line breaks into a contact field is refused by the import.
- Cells are cleaned as import has always done (surrounding spaces dropped, ``NULL``
  read as blank) and a leading ``'`` that protects a formula-like cell
  (``'=…``, ``'+…``, ``'-…``, ``'@…``, ``'`` + tab or CR, ``''…``) is removed again,
  so files exported with spreadsheet formula neutralisation round-trip unchanged
  (``docs/contacts-import.md``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from segment_tui.errors import UserError

LINE_LIMIT = 4 * 1024 * 1024
"""Characters one physical line may hold (a contact row is a few hundred)."""

FORMULA_TRIGGERS = "=+-@\t\r"
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""

_NEEDS_CLEANING = re.compile(
    r"(?:^|\x00)(?:\s|'['=+\-@\t\r]|null(?:\x00|$))|\s(?:\x00|$)", re.IGNORECASE
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a CSV file cannot be imported (contacts, profile answers)."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        column = f", column {self.column}" if self.column else ""
        return f"line {self.line}{column}: {self.reason}"


class CsvFileError(UserError):
    """The file cannot be read as CSV (encoding, size, quoting); nothing was imported."""


def restore_cell(value: str) -> str:
    """Undo formula neutralisation: ``'=1+2`` -> ``=1+2``, ``''x`` -> ``'x``.

    An export prefixes ``'`` to a value that starts with one of
    :data:`FORMULA_TRIGGERS` or with ``'`` followed by one of them or by ``'``, so the
    two functions round-trip every value; a lone leading ``'`` ("'t Hoekje") stays.
    """
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS + "'":
        return value[1:]
    return value


def neutralise_cell(value: str) -> str:
    """The export side of :func:`restore_cell` (OWASP's CSV injection advice)."""
    if value and (value[0] in FORMULA_TRIGGERS or restore_cell(value) != value):
        return "'" + value
    return value


def clean_cell(raw: str) -> str:
    """A cell as import reads it: formula guard removed, spaces stripped, NULL blank."""
    value = restore_cell(raw).strip()
    return "" if value.upper() == "NULL" else value


def clean_row(cells: list[str]) -> list[str]:
    """:func:`clean_cell` on a row; rows that need nothing (most) cost one regex."""
    if _NEEDS_CLEANING.search("\x00".join(cells)) is None:
        return cells
    return [clean_cell(c) for c in cells]


def control_character(value: str) -> str | None:
    """The first control character (line break, NUL, escape…) in a value, if any."""
    match = _CONTROL.search(value)
    return match.group(0) if match else None


@dataclass
class Encoding:
    """How the file's bytes are read."""

    codec: str
    label: str


def detect_encoding(head: bytes, name: str, requested: str | None) -> Encoding:
    """The encoding to read with: the requested one, else UTF-8 (with or without BOM);
    a UTF-16/32 file is refused with a hint (its byte-order mark or NUL pattern)."""
    if requested:
        try:
            info = codecs.lookup(requested)
        except LookupError:
            raise CsvFileError(f"unknown encoding {requested!r}") from None
        codec = "utf-8-sig" if info.name == "utf-8" else info.name
        return Encoding(codec, info.name)
    boms = (
        (codecs.BOM_UTF32_LE, "UTF-32", "utf-32"),
        (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
        (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
    )
    for bom, label, option in boms:
        if head.startswith(bom):
            raise CsvFileError(
                f"{name} is {label} (it starts with a {label} byte-order mark); save it as "
                f"UTF-8 or import it with --encoding {option} (nothing imported)"
            )
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        guess = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        raise CsvFileError(
            f"{name} looks like {guess.upper()} (every other byte is 0); save it as UTF-8 "
            f"or import it with --encoding {guess} (nothing imported)"
        )
    return Encoding("utf-8-sig", "utf-8")


def _bad_byte_report(path: Path, encoding: Encoding, name: str) -> CsvFileError:
    """Find the first undecodable byte and say where it is and what the file may be."""
    decoder = codecs.getincrementaldecoder(encoding.codec)()
    line = 1
    with path.open("rb") as raw:
        while chunk := raw.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                line += chunk[: err.start].count(b"\n")
                byte = chunk[err.start] if err.start < len(chunk) else 0
                break
            line += chunk.count(b"\n")
        else:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return CsvFileError(f"{name}: the file ends in the middle of a character")
            return CsvFileError(f"{name}: cannot be read as {encoding.label}")
    if encoding.label != "utf-8":
        return CsvFileError(
            f"{name}: line {line}: byte 0x{byte:02X} is not {encoding.label} (nothing imported)"
        )
    hint = "Windows-1252" if 0x80 <= byte <= 0x9F else "Latin-1 (ISO-8859-1) or Windows-1252"
    option = "cp1252" if 0x80 <= byte <= 0x9F else "latin-1"
    return CsvFileError(
        f"{name}: line {line}: byte 0x{byte:02X} is not UTF-8; the file looks like {hint}: "
        f"import it with --encoding {option}, or save it as UTF-8 (nothing imported)"
    )


def sniff_delimiter(first_line: str) -> str:
    """``,``, ``;`` or tab — whichever the header line uses most (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class _Lines:
    """Bounded physical lines of a text stream, remembering the current record's lines."""

    stream: io.TextIOBase
    name: str
    pending: list[str] = field(default_factory=list)
    number: int = 0
    record: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.pending:
            line = self.pending.pop()
        else:
            line = self.stream.readline(LINE_LIMIT + 1)
            if not line:
                raise StopIteration
            if len(line) > LINE_LIMIT and not line.endswith(("\n", "\r")):
                raise CsvFileError(
                    f"{self.name}: line {self.number + 1} is longer than {LINE_LIMIT:,} "
                    "characters; this is not a contact file (nothing imported)"
                )
        self.number += 1
        self.record.append(line)
        return line


class CsvRows:
    """The header and the rows of a contact CSV file, read as a stream.

    Iterating yields ``(line, cells)``: the line a record starts on and its raw cells.
    """

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.path = path
        self.name = path.name
        raw: BinaryIO = path.open("rb")
        try:
            self.encoding = detect_encoding(raw.peek(4096)[:4096], self.name, encoding)  # type: ignore[attr-defined]
        except BaseException:
            raw.close()
            raise
        self._raw = raw
        text = io.TextIOWrapper(raw, encoding=self.encoding.codec, errors="strict", newline="")
        self._text = text
        self._lines = _Lines(text, self.name)
        first = self._read_first_line()
        self.delimiter = sniff_delimiter(first)
        if first:
            self._lines.pending.append(first)
            self._lines.number = 0
        self._reader = csv.reader(self._lines, delimiter=self.delimiter)
        self.header: list[str] = []
        header = self._next_record()
        if header is None:
            raise CsvFileError(f"{self.name} is empty: it has no header line (nothing imported)")
        self.header = header[1]

    def _read_first_line(self) -> str:
        try:
            return self._text.readline(LINE_LIMIT + 1)
        except UnicodeDecodeError:
            raise _bad_byte_report(self.path, self.encoding, self.name) from None

    def _next_record(self) -> tuple[int, list[str]] | None:
        start = self._lines.number + 1
        self._lines.record.clear()
        try:
            cells = next(self._reader)
        except StopIteration:
            return None
        except UnicodeDecodeError:
            raise _bad_byte_report(self.path, self.encoding, self.name) from None
        except csv.Error as err:
            if "field limit" in str(err):
                raise CsvFileError(
                    f"{self.name}: line {start}: a cell is longer than "
                    f"{csv.field_size_limit():,} characters (the CSV reader's limit); "
                    "nothing imported"
                ) from None
            raise CsvFileError(f"{self.name}: line {start}: {err} (nothing imported)") from None
        return start, cells

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        last: list[str] = []
        while (record := self._next_record()) is not None:
            last = list(self._lines.record)
            yield record
        self._check_closed_quote(last)

    def _check_closed_quote(self, last_record_lines: list[str]) -> None:
        """A quote still open at the end of the file swallowed the rest of it."""
        if not last_record_lines:
            return
        strict = csv.reader(io.StringIO("".join(last_record_lines)), delimiter=self.delimiter,
                            strict=True)  # fmt: skip
        try:
            for _ in strict:
                pass
        except csv.Error as err:
            if "unexpected end of data" not in str(err):
                return  # a stray quote inside a cell, which the lenient reader accepts
            start = self._lines.number - len(last_record_lines) + 1
            raise CsvFileError(
                f"{self.name}: line {start}: a quoted cell opens here and is never closed "
                f"(lines {start}–{self._lines.number} would become one cell); "
                "nothing imported"
            ) from None

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> CsvRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_rows(path: Path, *, encoding: str | None = None) -> CsvRows:
    """Open a contact CSV file (a UserError when it cannot be read at all)."""
    try:
        return CsvRows(path, encoding=encoding)
    except OSError as err:
        raise CsvFileError(f"{path}: cannot read it: {err.strerror or err}") from None
