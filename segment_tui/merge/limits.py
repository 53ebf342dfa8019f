"""How big a Word document may be, checked before a byte of it is unpacked.

A .docx is a zip file, and a zip file can claim to unpack to anything: a 1 MB "zip bomb"
unpacks to gigabytes, and a merge reads every part into memory, on every merge. So the
package is judged from the zip's own directory first, and refused when it is beyond
what a letter template needs (docs/security.md, "Word documents"):

* the file itself: at most :data:`MAX_FILE_BYTES`;
* every part together, unpacked: at most :data:`MAX_UNPACKED_BYTES`;
* one XML part, unpacked: at most :data:`MAX_XML_PART_BYTES`;
* how many parts: at most :data:`MAX_PARTS`;
* how far a part unpacks: at most :data:`MAX_RATIO` times its packed size (for parts
  over :data:`RATIO_FROM_BYTES`; tiny parts have odd ratios and cost nothing).

The sizes the directory states are the sizes read: :mod:`zipfile` stops a part at its
stated size and refuses one whose data says otherwise (its CRC fails), so a lying
directory cannot make a part unpack to more.

A part that declares a DTD (``<!DOCTYPE``) is refused too: Word never writes one and
refuses to open one, and its entities either multiply (the "billion laughs") or stay
unresolved in the merged letters, which Word then cannot open.
"""

from __future__ import annotations

import zipfile

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_XML_PART_BYTES = 32 * 1024 * 1024
MAX_PARTS = 2_000
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024


class DocumentRefused(ValueError):
    """A document beyond the limits above, or with a DTD; the message says which."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def check_file_size(size: int) -> None:
    """Refuse a file bigger than :data:`MAX_FILE_BYTES` before it is opened as a zip."""
    if size > MAX_FILE_BYTES:
        raise DocumentRefused(
            f"the file is {_mb(size)}; a Word document may be at most {_mb(MAX_FILE_BYTES)}"
        )


def is_xml_part(name: str) -> bool:
    """Whether a part holds XML (its name ends in .xml or .rels)."""
    return name.lower().endswith((".xml", ".rels"))


def check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a package whose directory is beyond the limits (nothing unpacked yet)."""
    if len(infos) > MAX_PARTS:
        raise DocumentRefused(
            f"it has {len(infos):,} parts; a Word document may have at most {MAX_PARTS:,}"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if is_xml_part(info.filename) and info.file_size > MAX_XML_PART_BYTES:
            raise DocumentRefused(
                f"its part {info.filename} unpacks to {_mb(info.file_size)}; one XML part "
                f"may be at most {_mb(MAX_XML_PART_BYTES)}"
            )
        if info.file_size > RATIO_FROM_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise DocumentRefused(
                    f"its part {info.filename} unpacks {ratio:,.0f} times its packed size "
                    f"({_mb(info.compress_size)} to {_mb(info.file_size)}): a zip bomb, not "
                    f"a letter (at most {MAX_RATIO} times)"
                )
    if total > MAX_UNPACKED_BYTES:
        raise DocumentRefused(
            f"it unpacks to {_mb(total)}; a Word document may unpack to at most "
            f"{_mb(MAX_UNPACKED_BYTES)}"
        )


_DOCTYPES = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def check_no_doctype(name: str, data: bytes) -> None:
    """Refuse an XML part that declares a DTD (see the module)."""
    if is_xml_part(name) and any(doctype in data for doctype in _DOCTYPES):
        raise DocumentRefused(
            f"its part {name} declares a DTD (<!DOCTYPE …>), whose entities Word cannot "
            "open (Word documents never have one)"
        )


def refused_at_merge(attachment_no: int, file_name: str, error: DocumentRefused) -> str:
    """The message when a stored document is refused at merge (it was attached before
    these limits, or by other means): which document, why, what to do."""
    return (
        f"The Word document {file_name} (attachment {attachment_no}) is refused: {error}. "
        "Nothing was merged; attach a smaller document to the template or line."
    )
