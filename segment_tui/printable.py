"""Text that cannot drive the terminal it is printed on (docs/security.md, "Terminal").

A name, a description or a file name may hold an escape sequence (``ESC ]0;…``, ``ESC
[2J``), a carriage return that makes the line overwrite itself, a C1 control (``U+009B``
is a one-character CSI on some terminals) or a bidirectional override (``U+202E`` turns
"txt.exe" around). Printed raw, such a value can rewrite the screen, set the window
title or hide text. :func:`printable` is the one function every front end uses to make
such text harmless:

* the command line passes everything it prints through it (:class:`PrintableWriter`
  wraps stdout; error messages are passed through it before they go to stderr);
* the TUI drops what it would replace, at the last step before the terminal
  (``segment_tui.ui.terminal_guard``), since a screen's layout is already measured.

A replaced character reads ``\\u001b``: the JSON escape of the same character, so JSON
output stays valid and means the same value, and a person sees that something odd is
in the value instead of having it act on their terminal.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import TextIO

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters a terminal may act on instead of showing: every C0 control except tab and
line feed, DEL, the C1 controls, the bidirectional embeddings, overrides and isolates
(the marks that right-to-left text needs stay), and lone surrogates (an argument that
was not UTF-8 reaches Python as those, and printing one raises instead of printing)."""


_SAFE_LATIN1 = bytes(b for b in range(256) if UNSAFE.match(chr(b)) is None)
"""The Latin-1 characters :data:`UNSAFE` leaves alone, as bytes."""


def _latin1_safe(text: str) -> bool:
    """Whether ``text`` is all Latin-1 and holds nothing :data:`UNSAFE` (False when unsure).

    The command line passes every line it prints through :func:`printable`, up to
    millions for a streamed list; the regular expression costs about 20 ns a character,
    this check (a copy into bytes and a byte-wise delete, both in C) a fifth of that.
    Text beyond Latin-1 (bidirectional marks, surrogates) goes to the expression.
    """
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not data.translate(None, _SAFE_LATIN1)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def printable(text: str, *, drop: bool = False) -> str:
    """``text`` with every :data:`UNSAFE` character written as ``\\uXXXX`` (``drop``:
    removed instead, where the width of the text must not change)."""
    if _latin1_safe(text) or UNSAFE.search(text) is None:  # the common cases
        return text
    return UNSAFE.sub("" if drop else _escape, text)


class PrintableWriter(io.TextIOBase):
    """A text stream that passes everything written to it through :func:`printable`.

    The command line wraps stdout with it for the duration of a command, so no value a
    command prints — a table cell, a record, a message — can reach the terminal raw.
    Line feeds and tabs pass; everything else that is unsafe is escaped.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        """The wrapped stream."""

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:  # type: ignore[override]
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.stream, "encoding", "utf-8"))

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)
