"""The .docx container read: its parts, relationships and content types, within the
limits of :mod:`.limits` (a hostile zip is refused as :class:`DocxFormatError`).

Writing the merged result is :mod:`.zipwriter`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from . import limits

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
        # Judged before anything is unpacked: a zip bomb is refused, not inflated.
        limits.check_file_size(len(data))
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = [i for i in zf.infolist() if not i.is_dir()]
                limits.check_directory(infos)
                self.names = [i.filename for i in infos]
                self.parts = {i.filename: zf.read(i) for i in infos}
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DocxFormatError(f"not a .docx (zip) file: {exc}") from exc
        for name, part in self.parts.items():
            limits.check_no_doctype(name, part)
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
