"""Files of a hard-copy delivery: safe file names, written whole.

File names come from contact names, which may hold anything: ``/``, ``\\``, ``:``,
quotes, control characters, Windows device names such as ``CON``, or hundreds of
characters. :func:`safe_stem` makes a name that is valid on Linux, macOS and Windows
(and on a Windows share mounted on Linux), at most 120 bytes in UTF-8 with its
extension; :class:`FileNamer` adds `` (2)``, `` (3)`` … so two contacts with the same
name, or a second delivery into the same folder, never overwrite another letter. A
letter delivered again (Resend) keeps the name it was given the first time, so it
replaces its own file instead of leaving a `` (2)`` copy (``docs/delivery.md``).

Files are written whole or not at all (:func:`write_atomically`): a delivery killed
while writing leaves the previous file (or none), never half a letter. The print files
and the PDFs are made by :mod:`.print_files`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

MAX_NAME_BYTES = 120
"""Longest file name written, extension and `` (n)`` suffix included."""

_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
    "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³",
}  # fmt: skip
_SEPARATORS = re.compile(r"[/\\|]+")
_FORBIDDEN = re.compile(r'[:*?"<>\x00-\x1f\x7f]')
_LINE_BREAKS = "\t\n\r\v\f\x85\u2028\u2029"
_INVISIBLE = ("Cc", "Cf", "Co", "Cs")


def _truncate_utf8(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_stem(
    text: str, max_bytes: int = MAX_NAME_BYTES - len(".docx"), default: str = "Letter"
) -> str:
    """A file name stem made from ``text`` that every common file system accepts.

    Path separators become ``-``; characters Windows forbids and control characters are
    dropped; whitespace is collapsed; leading dots and trailing dots/spaces go (hidden
    files, Windows); device names get a ``_`` prefix; the result fits ``max_bytes``.
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if ch in _LINE_BREAKS else ch for ch in text)
    text = _SEPARATORS.sub("-", text)
    text = _FORBIDDEN.sub("", text)
    # Invisible characters (bidi overrides, zero-width, …) make names misleading.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = " ".join(text.split())
    text = text.lstrip(". ").rstrip(". ")
    if text.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        text = "_" + text
    text = _truncate_utf8(text, max_bytes).rstrip(". ")
    return text or default


def letter_stem(company_name: str, contact_name: str, is_person_at_company: bool) -> str:
    """BC's file name of a letter: "<Company Name> - <Contact Name>" for a person at a
    company, else "<Contact Name>" (as Business Central names them), before :func:`safe_stem`."""
    if is_person_at_company and company_name:
        return f"{company_name} - {contact_name}"
    return contact_name


class FileNamer:
    """Hands out file names in one folder that neither repeat nor overwrite files."""

    def __init__(self, folder: Path, sibling_suffixes: Sequence[str] = (".pdf",)) -> None:
        """``sibling_suffixes``: other files a name also reserves (the PDF of a .docx)."""
        self.folder = folder
        self.siblings = tuple(sibling_suffixes)
        # Compared case-insensitively, as Windows and macOS do (the folder may be copied
        # there); the folder is listed once, not probed per name.
        self._taken: set[str] = (
            {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
        )

    def reserve(self, path: Path) -> None:
        """Keep ``path`` (and its siblings) from being handed out: a file this delivery
        will write again, or the combined file for printing."""
        stem, suffix = path.stem, path.suffix
        for name in (stem + suffix, *(stem + s for s in self.siblings)):
            self._taken.add(name.casefold())

    def _free(self, stem: str, suffix: str) -> bool:
        names = [stem + suffix, *(stem + s for s in self.siblings)]
        return not any(n.casefold() in self._taken for n in names)

    def take(self, text: str, suffix: str = ".docx") -> Path:
        """A new path for ``text`` (made safe) with ``suffix``, unique in the folder."""
        limit = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
        stem = safe_stem(text, limit)
        candidate = stem
        number = 1
        while not self._free(candidate, suffix):
            number += 1
            tail = f" ({number})"
            candidate = safe_stem(stem, limit - len(tail.encode("utf-8"))) + tail
        self._taken.add((candidate + suffix).casefold())
        for sibling in self.siblings:
            self._taken.add((candidate + sibling).casefold())
        return self.folder / (candidate + suffix)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole: into a hidden file beside it, then renamed over
    ``path`` (OSError when it cannot be written). A process killed meanwhile leaves the
    old file or none, never half a letter. (No fsync: it cost ~8 ms a letter, and the
    promise is about the process dying, not the machine — docs/delivery.md.)"""
    from segment_tui.private_files import write_private

    write_private(path, data, suffix=".partial", fixed=True)
