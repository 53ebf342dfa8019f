"""Compile a .docx once into part templates (see :mod:`.slots`) plus ready-made zip entries.

Parts that can hold merge fields: the main document, its headers and footers, footnotes and
endnotes.  Each is parsed with lxml, its fields become slots (:mod:`.fields`,
:mod:`.placeholders`), ids that must be unique per letter in a combined document become
:class:`~.letter_slots.IdSlot`\\ s, and the tree is serialised once and cut at the slot
markers.  All other parts are compressed once (:mod:`.zipwriter`) and reused byte for byte
in every output.

The main document is also cut into regions for combined output::

    head | body content (with a section-break slot in its last paragraph) | final sectPr | tail

and prepared so that every letter of a combined document is its own (:mod:`.regions`,
:mod:`.letters`): explicit header/footer references, its own numbered lists, unique ids,
its own page count.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from .fields import SlotTable, compile_fields
from .iffield import IfSlot
from .language import LanguageResolver
from .letter_slots import CopyIds
from .letters import (
    NumberingPlan,
    annotation_stride,
    bookmark_names,
    drop_volatile_ids,
    mark_annotation_ids,
    mark_bookmarks,
    mark_section_refs,
    plan_numbering,
)
from .ooxml import (
    W_BODY,
    W_ID,
    WP_DOCPR,
    XML_DECL,
    Element,
    w,
    word_prefix,
)
from .package import DocxFormatError, Package, Relationship, rels_name
from .placeholders import compile_placeholders
from .regions import mark_ids, max_id, prepare_body, regionize_notes
from .slots import (
    FieldSlot,
    PartTemplate,
)
from .switches import FieldSpec, normalize_key
from .zipwriter import Blob, compress

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_MARKERS = [("\ue000", "\ue001"), ("\uf8fe", "\uf8ff"), ("\U000f0000", "\U000f0001")]
_FIELD_PARTS = ("header", "footer", "footnotes", "endnotes")
BLANK_PART = '<w:{kind} xmlns:w="{ns}"><w:p/></w:{kind}>'
"""A header/footer with nothing in it, for sections the template leaves without one."""


@dataclass
class HeaderPart:
    """A header/footer holding fields: copied for each letter of a combined document whose
    values make it differ from the first letter's."""

    name: str
    rel_type: str
    content_type: str
    rels: Blob | None
    rid: str = ""  # the document's relationship to the original part


@dataclass
class Compiled:
    """Everything a merge needs, built once per template."""

    names: list[str]
    main: str
    static: dict[str, Blob]
    raw: dict[str, bytes]
    dynamic: dict[str, PartTemplate]
    doc_head: PartTemplate
    doc_body: PartTemplate
    doc_sect: PartTemplate
    doc_tail: PartTemplate
    notes: dict[str, tuple[PartTemplate, PartTemplate, PartTemplate]]
    headers: list[HeaderPart]
    ids: CopyIds
    main_rels: list[Relationship] = field(default_factory=list)
    copy_tag: str = "m"  # header copies are named header1_<tag><letter>.xml
    fields: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    """Word mail-merge fields the merge leaves as they are (NEXT, SKIPIF, ASK, ...)."""
    blanks: dict[str, str] = field(default_factory=dict)
    """Blank header/footer parts combined output adds: kind → part name."""
    numbering: NumberingPlan | None = None


def compile_docx(data: bytes) -> Compiled:
    """Parse and compile a .docx template (raises :class:`DocxFormatError` if unusable)."""
    pkg = Package(data)
    rels = pkg.rels(pkg.main)
    by_kind: dict[str, list[str]] = {k: [] for k in _FIELD_PARTS}
    rel_type: dict[str, str] = {}
    for rel in rels:
        usable = rel.kind in by_kind and not rel.external and rel.target in pkg.parts
        if usable and rel.target not in by_kind[rel.kind]:
            by_kind[rel.kind].append(rel.target)
            rel_type[rel.target] = rel.type
    order = [pkg.main] + [n for k in _FIELD_PARTS for n in sorted(by_kind[k])]
    try:
        roots = {name: etree.fromstring(pkg.parts[name], _PARSER) for name in order}
    except etree.XMLSyntaxError as exc:
        raise DocxFormatError(f"damaged XML in the document: {exc}") from exc
    if roots[pkg.main].find(W_BODY) is None:
        raise DocxFormatError("the main document part has no body")
    start, end = _pick_markers(pkg, order)
    # Drawing ids must be unique in the whole document (Word reports damage otherwise):
    # part number p, letter i, original id k -> k + p * unit + i * unit * parts.
    docpr_unit = max_id(roots.values(), WP_DOCPR, "id") + 1
    docpr_stride = docpr_unit * len(order)
    styles = _part_root(pkg, rels, "styles")
    languages = LanguageResolver(styles)
    unsupported: list[str] = []

    def table_for(name: str) -> SlotTable:
        root = roots[name]
        table = SlotTable(start, end, word_prefix(root), languages)
        if name == pkg.main:
            table.bookmarks = bookmark_names(root)
        compile_fields(root, table)
        unsupported.extend(k for k in table.unsupported if k not in unsupported)
        compile_placeholders(root, table)
        offset = order.index(name) * docpr_unit
        mark_ids(root, table, WP_DOCPR, "id", docpr_stride, offset)
        return table

    dynamic: dict[str, PartTemplate] = {}
    headers: list[HeaderPart] = []
    for name in by_kind["header"] + by_kind["footer"]:
        root = roots[name]
        tpl = _serialize(root, table_for(name))
        if tpl.slots:
            dynamic[name] = tpl
        if tpl.has_content_slots():  # fields, or a page count that differs per letter
            ctype = pkg.content_type(name) or _default_ctype(rel_type[name])
            own_rels = pkg.parts.get(rels_name(name))
            headers.append(
                HeaderPart(name, rel_type[name], ctype, compress(own_rels) if own_rels else None)
            )

    notes: dict[str, tuple[PartTemplate, PartTemplate, PartTemplate]] = {}
    note_strides: dict[str, int] = {}
    for kind in ("footnotes", "endnotes"):
        for name in by_kind[kind]:
            root = roots[name]
            table = table_for(name)
            stride = max_id([root], w(kind[:-1]), W_ID) + 1
            note_strides[kind[:-1] + "Reference"] = stride
            regionize_notes(root, table, w(kind[:-1]), stride)
            tpl = _serialize(root, table)
            dynamic[name] = tpl
            head, rest = tpl.split("notes")
            body, tail = rest.split("notes_end")
            notes[name] = (head, body, tail)

    main_root = roots[pkg.main]
    table = table_for(pkg.main)
    mark_bookmarks(main_root, table)
    stride = annotation_stride(main_root)
    mark_annotation_ids(main_root, table, stride)
    for ref, note_stride in note_strides.items():
        mark_ids(main_root, table, w(ref), W_ID, note_stride)
    drop_volatile_ids(main_root)
    ids = CopyIds(_first_free_rid([r.id for r in rels]))
    for header in headers:
        header.rid = next(r.id for r in rels if r.target == header.name and not r.external)
    copies = {h.name: i for i, h in enumerate(headers)}
    targets = {r.id: r.target for r in rels if not r.external}
    settings_root = _part_root(pkg, rels, "settings")
    even_odd = settings_root is not None and settings_root.find(w("evenAndOddHeaders")) is not None
    blank_kinds = mark_section_refs(main_root, table, targets, copies, ids, even_odd)
    numbering_part = next((r.target for r in rels if r.kind == "numbering"), None)
    numbering = plan_numbering(
        main_root, table, numbering_part, _part_root(pkg, rels, "numbering"), styles
    )
    prepare_body(main_root, table, stride)
    full = _serialize(main_root, table)
    dynamic[pkg.main] = full
    head, rest = full.split("body")
    body, rest = rest.split("sect")
    sect, tail = rest.split("end")

    static: dict[str, Blob] = {}
    raw: dict[str, bytes] = {}
    settings = [r.target for r in rels if r.kind == "settings" and r.target in pkg.parts]
    for name in pkg.names:
        if name in dynamic:
            continue
        data_out = pkg.parts[name]
        if name in settings:
            data_out = _without_mail_merge(data_out)
        elif name == "[Content_Types].xml":
            data_out = _as_document(data_out)
        raw[name] = data_out
        static[name] = compress(data_out)
    compiled = Compiled(
        pkg.names, pkg.main, static, raw, dynamic, head, body, sect, tail, notes, headers, ids
    )
    compiled.main_rels = rels
    compiled.copy_tag = _copy_tag(pkg.names, [h.name for h in headers])
    compiled.fields = _field_names([dynamic[n] for n in order if n in dynamic])
    compiled.unsupported = unsupported
    compiled.blanks = _blank_names(pkg, blank_kinds)
    compiled.numbering = numbering
    return compiled


def _part_root(pkg: Package, rels: list[Relationship], kind: str) -> Element | None:
    """The parsed part of the main document's relationship ``kind`` (styles, ...)."""
    for rel in rels:
        if rel.kind == kind and not rel.external and rel.target in pkg.parts:
            try:
                return etree.fromstring(pkg.parts[rel.target], _PARSER)
            except etree.XMLSyntaxError as exc:
                raise DocxFormatError(f"damaged XML in {rel.target}: {exc}") from exc
    return None


def _blank_names(pkg: Package, kinds: set[str]) -> dict[str, str]:
    folder = posixpath.dirname(pkg.main)
    out: dict[str, str] = {}
    for kind in sorted(kinds):
        name = posixpath.join(folder, f"{kind}_blank.xml")
        while name in pkg.parts:
            name = name[:-4] + "_.xml"
        out[kind] = name
    return out


def _pick_markers(pkg: Package, names: list[str]) -> tuple[str, str]:
    texts = [pkg.parts[n].decode("utf-8", "replace") for n in names]
    for a, b in _MARKERS:
        if not any(a in t or b in t for t in texts):
            return a, b
    raise DocxFormatError("document uses every private-use marker character")


def _serialize(root: Element, table: SlotTable) -> PartTemplate:
    xml: str = XML_DECL + etree.tostring(root, encoding="unicode")
    texts: list[str] = []
    slots = []
    pos = 0
    for m in table.pattern().finditer(xml):
        texts.append(xml[pos : m.start()])
        slots.append(table.slots[int(m.group(1))])
        pos = m.end()
    texts.append(xml[pos:])
    return PartTemplate(texts, slots)


def _field_names(templates: list[PartTemplate]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for tpl in templates:
        for slot in tpl.slots:
            if isinstance(slot, FieldSlot):
                specs: tuple[FieldSpec, ...] = (slot.spec,)
            elif isinstance(slot, IfSlot):
                specs = slot.node.specs
            else:
                continue
            for spec in specs:
                name = spec.name
                key = normalize_key(name)
                if key not in seen:
                    seen.add(key)
                    out.append(name)
    return out


def _copy_tag(names: list[str], headers: list[str]) -> str:
    """A suffix for header copies that cannot clash with parts already in the package
    (a combined output used as a template already has ``header1_m1.xml``)."""
    tag = "m"
    stems = [h.rsplit(".", 1)[0] + "_" for h in headers]
    while any(n.startswith(stem + tag) for n in names for stem in stems):
        tag += "m"
    return tag


def _first_free_rid(ids: list[str]) -> int:
    numbers = [int(m.group(1)) for i in ids if (m := re.fullmatch(r"rId(\d+)", i))]
    return max(numbers, default=0) + 1


def _default_ctype(rel_type: str) -> str:
    kind = rel_type.rsplit("/", 1)[-1]
    return f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"


_TEMPLATE_TYPES = {
    b"wordprocessingml.template.main+xml": b"wordprocessingml.document.main+xml",
    b"ms-word.template.macroEnabledTemplate.main+xml": b"ms-word.document.macroEnabled.main+xml",
}


def _as_document(content_types: bytes) -> bytes:
    """A Word template (.dotx/.dotm) merges into a document, not into another template."""
    for old, new in _TEMPLATE_TYPES.items():
        content_types = content_types.replace(old, new)
    return content_types


def _without_mail_merge(data: bytes) -> bytes:
    """Drop ``w:mailMerge`` from settings: Word would otherwise ask for the data source."""
    root = etree.fromstring(data, _PARSER)
    mm = root.find(w("mailMerge"))
    if mm is None:
        return data
    root.remove(mm)
    xml: str = etree.tostring(root, encoding="unicode")
    return (XML_DECL + xml).encode("utf-8")
