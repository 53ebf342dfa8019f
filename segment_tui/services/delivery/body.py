"""The body of a delivered e-mail (``docs/delivery.md``).

* Send Docs as Attachment **off**: the merged letter itself is the message — HTML made
  from the .docx by mammoth (a maintained docx-to-HTML converter: headings, bold and
  italic, lists, tables, links; images become inline parts referenced by ``cid:``), with
  the letter's plain text as the alternative for mail readers without HTML.
* Send Docs as Attachment **on**: a short plain-text note naming the attached letter.

mammoth reads the whole ``styles.xml`` of every document it converts; Word's default
style sheet is about 350 KB and parsing it cost 140 ms per letter (measured), so the
letter is handed to mammoth with a style sheet cut down to the styles it uses (with the
styles those are based on and the defaults), which converts the same in a few ms.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from segment_tui.merge import MergeValue

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLES = "word/styles.xml"
_UNUSED_PARTS = {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "word/glossary"}
_STYLE_REFERENCE = re.compile(
    rb"<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink)\b[^>]*?\bw:val=\"([^\"]*)\""
)
_CACHE_SIZE = 32


@dataclass
class HtmlLetter:
    """A letter as an HTML body: the markup and its inline images (cid → type, bytes)."""

    html: str
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class _SlimStyles:
    """Cut-down style sheets, cached per (style sheet, styles used)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, frozenset[bytes]], bytes] = {}
        self._lock = threading.Lock()

    def get(self, styles: bytes, used: frozenset[bytes]) -> bytes:
        key = (hashlib.sha1(styles).hexdigest(), used)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        slim = _slim(styles, used)
        with self._lock:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = slim
        return slim


def _slim(styles: bytes, used: frozenset[bytes]) -> bytes:
    """``styles`` with only the used styles, their bases and links, and the defaults."""
    root = etree.fromstring(styles, etree.XMLParser(resolve_entities=False, no_network=True))
    by_id = {s.get(f"{{{W}}}styleId", ""): s for s in root.iter(f"{{{W}}}style")}
    keep: set[str] = {i for i, s in by_id.items() if s.get(f"{{{W}}}default") in ("1", "true")}
    todo = [u.decode("utf-8", "replace") for u in used] + list(keep)
    while todo:
        style_id = todo.pop()
        style = by_id.get(style_id)
        if style is None:
            continue
        keep.add(style_id)
        for tag in ("basedOn", "link"):
            ref = style.find(f"{{{W}}}{tag}")
            if ref is not None:
                target = ref.get(f"{{{W}}}val", "")
                if target and target not in keep:
                    todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            parent = style.getparent()
            if parent is not None:
                parent.remove(style)
    latent = root.find(f"{{{W}}}latentStyles")
    if latent is not None:
        root.remove(latent)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


_slim_styles = _SlimStyles()


def _for_mammoth(document: bytes) -> bytes:
    """The letter with a cut-down style sheet and without the parts mammoth ignores."""
    source = zipfile.ZipFile(io.BytesIO(document))
    names = [n for n in source.namelist() if n not in _UNUSED_PARTS]
    used: set[bytes] = set()
    for name in names:
        if name.startswith("word/") and name.endswith(".xml") and name != _STYLES:
            used.update(_STYLE_REFERENCE.findall(source.read(name)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name in names:
            data = source.read(name)
            if name == _STYLES:
                data = _slim_styles.get(data, frozenset(used))
            target.writestr(name, data)
    return out.getvalue()


def letter_html(document: bytes, title: str) -> HtmlLetter:
    """The merged letter ``document`` (.docx bytes) as a complete HTML e-mail body."""
    import mammoth

    images: dict[str, tuple[str, bytes]] = {}

    def inline_image(image: Any) -> dict[str, str]:
        with image.open() as stream:
            data = stream.read()
        cid = f"image{len(images) + 1}"
        images[cid] = (str(image.content_type or "application/octet-stream"), data)
        return {"src": f"cid:{cid}"}

    result = mammoth.convert_to_html(
        io.BytesIO(_for_mammoth(document)), convert_image=mammoth.images.img_element(inline_image)
    )
    body = str(result.value)
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n"
        '<body style="font-family: Calibri, Arial, sans-serif; font-size: 11pt; '
        'line-height: 1.4; max-width: 42em">\n'
        f"{body}\n</body></html>\n"
    )
    return HtmlLetter(page, images)


def attachment_note(values: Mapping[str, MergeValue], attachment_name: str) -> str:
    """The short plain-text body of an e-mail whose letter is attached."""

    def value(name: str) -> str:
        found = values.get(name)
        return "" if found is None else str(found).strip()

    greeting = value("Formal Salutation") or "Hello"
    subject = value("Document Subject") or value("Document Description")
    what = f"our letter “{subject}”" if subject else "our letter"
    lines = [f"{greeting},", "", f"please find {what} attached ({attachment_name}).", ""]
    signature = [value("Salesperson/Purchaser Name"), value("Company Information Name")]
    lines += ["Kind regards", *[s for s in signature if s]]
    return "\n".join(lines) + "\n"
