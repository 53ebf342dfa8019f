"""Combined output: many letters from one compiled template in a single .docx.

Every letter is the template body rendered for one record.  Letters are separated by
section breaks (next page), as Word's own "merge to new document" does: every letter but
the last gets a copy of the template's section properties in its last paragraph.

* Headers/footers that contain fields are copied once per letter (``header1_m2.xml`` ...)
  with a new relationship, and each letter's section points at its own copies, so the
  company or contact name in a header is right on every page.  Headers without fields are
  shared by all letters.
* Footnotes/endnotes are repeated per letter with new ids (every reference needs its own
  note); drawing and bookmark ids are made unique per letter.
* Page numbers restart at 1 for every letter (``w:pgNumType w:start="1"``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .compiler import Compiled
from .package import Blob, compress, rels_name, write_zip
from .slots import RenderContext
from .switches import MergeValue

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def copy_name(name: str, letter: int, tag: str = "m") -> str:
    """Part name of a header/footer copy for ``letter`` (1-based copies; 0 is the original)."""
    stem, ext = posixpath.splitext(name)
    return f"{stem}_{tag}{letter}{ext}"


def render_combined(
    compiled: Compiled, records: Iterable[Mapping[str, MergeValue]], level: int = 6
) -> tuple[bytes, frozenset[str]]:
    """Render all records into one .docx; return its bytes and the unknown field names."""
    ctxs = [RenderContext(values, i) for i, values in enumerate(records)]
    if not ctxs:
        raise ValueError("merge_combined needs at least one record")
    last = len(ctxs) - 1
    sect = compiled.doc_sect

    def section_break(letter: int) -> str:
        return sect.render(ctxs[letter]) if letter < last else ""

    pieces = [compiled.doc_head.render(ctxs[0])]
    for ctx in ctxs:
        ctx.sect_break = section_break
        pieces.append(compiled.doc_body.render(ctx))
    pieces.append(sect.render(ctxs[last]))
    pieces.append(compiled.doc_tail.render(ctxs[last]))
    rendered: dict[str, Blob] = {compiled.main: compress("".join(pieces).encode(), level)}

    for name, (head, body, tail) in compiled.notes.items():
        text = head.render(ctxs[0]) + "".join(body.render(c) for c in ctxs) + tail.render(ctxs[0])
        rendered[name] = compress(text.encode(), level)

    extra: list[tuple[str, Blob]] = []
    overrides: list[dict[str, str]] = []
    relationships: list[dict[str, str]] = []
    main_dir = posixpath.dirname(compiled.main)
    count = len(compiled.headers)
    for index, header in enumerate(compiled.headers):
        tpl = compiled.dynamic[header.name]
        rendered[header.name] = compress(tpl.render(ctxs[0]).encode(), level)
        for ctx in ctxs[1:]:
            name = copy_name(header.name, ctx.letter, compiled.copy_tag)
            extra.append((name, compress(tpl.render(ctx).encode(), level)))
            if header.rels is not None:
                extra.append((rels_name(name), header.rels))
            rid = f"rId{compiled.first_new_rid + (ctx.letter - 1) * count + index}"
            target = posixpath.relpath(name, main_dir) if main_dir else name
            relationships.append({"Id": rid, "Type": header.rel_type, "Target": target})
            overrides.append({"PartName": "/" + name, "ContentType": header.content_type})
    for name, tpl in compiled.dynamic.items():
        if name not in rendered:  # e.g. a header with drawings but no fields
            rendered[name] = compress(tpl.render(ctxs[0]).encode(), level)
    if relationships:
        doc_rels = rels_name(compiled.main)
        rendered[doc_rels] = _add_children(compiled.raw[doc_rels], "Relationship", relationships)
        types = "[Content_Types].xml"
        rendered[types] = _add_children(compiled.raw[types], "Override", overrides)

    entries = [(n, rendered.get(n) or compiled.static[n]) for n in compiled.names]
    unknown: set[str] = set()
    for ctx in ctxs:
        unknown |= ctx.unknown
    return write_zip(entries + extra), frozenset(unknown)


def _add_children(data: bytes, local_name: str, items: list[dict[str, str]]) -> Blob:
    """Append ``items`` as child elements to the root of a small package XML part."""
    root = etree.fromstring(data, _PARSER)
    ns = etree.QName(root).namespace
    tag = f"{{{ns}}}{local_name}" if ns else local_name
    for attrs in items:
        etree.SubElement(root, tag, attrs)
    return compress(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
