"""The .docx container: reading parts, relationships and content types; writing zips fast.

Writing uses a tiny zip writer instead of :mod:`zipfile` so that the parts a merge does not
change (styles, theme, fonts, images...) are compressed once per template and copied as
ready-made bytes into every output; only the merged parts are compressed per letter.
"""

from __future__ import annotations

import io
import posixpath
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class DocxFormatError(ValueError):
    """The bytes are not a usable .docx (not a zip, no main document part...)."""


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part; ``target`` is a resolved part name for internal ones."""

    id: str
    type: str
    target: str
    external: bool

    @property
    def kind(self) -> str:
        """The last segment of the relationship type (``header``, ``footnotes``, ...)."""
        return self.type.rsplit("/", 1)[-1]


def rels_name(part: str) -> str:
    """Name of the relationships part belonging to ``part``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def resolve(source_part: str, target: str) -> str:
    """Resolve a relationship target relative to ``source_part`` into a part name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


class Package:
    """All parts of a .docx, in zip order."""

    def __init__(self, data: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = [i for i in zf.infolist() if not i.is_dir()]
                self.names = [i.filename for i in infos]
                self.parts = {i.filename: zf.read(i) for i in infos}
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DocxFormatError(f"not a .docx (zip) file: {exc}") from exc
        if "[Content_Types].xml" not in self.parts:
            raise DocxFormatError("not a .docx: [Content_Types].xml is missing")
        main = [r for r in self.rels("") if r.kind == "officeDocument" and not r.external]
        if not main or main[0].target not in self.parts:
            raise DocxFormatError("the package has no main document part")
        self.main = main[0].target

    def rels(self, part: str) -> list[Relationship]:
        """Relationships of ``part`` (``""`` for the package itself)."""
        data = self.parts.get(rels_name(part) if part else "_rels/.rels")
        if data is None:
            return []
        root = etree.fromstring(data)
        out = []
        for el in root.iter(f"{{{REL_NS}}}Relationship"):
            external = el.get("TargetMode") == "External"
            target = el.get("Target", "")
            out.append(
                Relationship(
                    el.get("Id", ""),
                    el.get("Type", ""),
                    target if external else resolve(part, target),
                    external,
                )
            )
        return out

    def content_type(self, part: str) -> str | None:
        """The content type of ``part`` from ``[Content_Types].xml``."""
        root = etree.fromstring(self.parts["[Content_Types].xml"])
        found: str | None = None
        for el in root.iter(f"{{{CT_NS}}}Override"):
            if el.get("PartName", "").lstrip("/") == part:
                found = el.get("ContentType")
                return found
        ext = part.rsplit(".", 1)[-1].lower()
        for el in root.iter(f"{{{CT_NS}}}Default"):
            if el.get("Extension", "").lower() == ext:
                found = el.get("ContentType")
                return found
        return found


# --------------------------------------------------------------------------- zip writing


@dataclass(frozen=True)
class Blob:
    """A part ready for the zip: CRC, sizes and (maybe deflated) data."""

    crc: int
    size: int
    method: int
    data: bytes


def compress(data: bytes, level: int = 6) -> Blob:
    """Deflate ``data`` (stored instead when deflating does not help, e.g. PNG)."""
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = co.compress(data) + co.flush()
    crc = zlib.crc32(data)
    if len(packed) >= len(data):
        return Blob(crc, len(data), zipfile.ZIP_STORED, data)
    return Blob(crc, len(data), zipfile.ZIP_DEFLATED, packed)


def _dos_stamp() -> tuple[int, int]:
    t = time.localtime()
    dos_time = (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2)
    dos_date = ((max(t.tm_year, 1980) - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday
    return dos_time, dos_date


_STAMP = _dos_stamp()
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def write_zip(entries: Iterable[tuple[str, Blob]]) -> bytes:
    """Build a zip archive from ready-made entries, in the given order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    dos_time, dos_date = _STAMP
    for name, blob in entries:
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else 0x800  # bit 11: the name is UTF-8
        if blob.size > 0xFFFFFFFF or offset > 0xFFFFFFFF:
            raise ValueError("merged document too large for a zip without ZIP64")
        header = _LOCAL.pack(
            0x04034B50, 20, flags, blob.method, dos_time, dos_date,
            blob.crc, len(blob.data), blob.size, len(raw), 0,
        )  # fmt: skip
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                20,
                20,
                flags,
                blob.method,
                dos_time,
                dos_date,
                blob.crc,
                len(blob.data),
                blob.size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + raw
        )
        out += (header, raw, blob.data)
        offset += len(header) + len(raw) + len(blob.data)
        count += 1
    cd = b"".join(central)
    out.append(cd)
    out.append(_END.pack(0x06054B50, 0, 0, count, count, len(cd), offset, 0))
    return b"".join(out)
