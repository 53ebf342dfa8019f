"""Word documents of interaction templates and segment lines, and the template check.

A template has one Word document per language (Interaction Tmpl. Language rows,
bc-segments §2.9). A segment copies them when it gets the template (line 0 rows of
Segment Interaction Language, "Inherited"); a line can be given its own document
("Unique", a row with the line's number), as BC's line Attachment > Import does
(§4.5). Attaching a document to a template changes new segments only: existing
segments keep the copies they made, as in BC.

Only .docx documents can be merged; the file is parsed when attached so a broken or
old binary .doc file is refused then, not at the first Log with Send.

The template check lists the merge fields a document uses, flags those the merge does
not know (PRODUCT.md §2: a deliberate improvement over BC) and, for a segment, counts
the lines whose letter would get a blank for a used field ("12 contacts have no address").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError, testfield_message
from segment_tui.merge import DocxTemplate, MergeValue
from segment_tui.merge.switches import loose_key, normalize_key
from segment_tui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    Language,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.services.merge_values import FIELD_NAMES, iter_segment_merge_values
from segment_tui.services.values import parse_code

WORD_EXTENSIONS = (".doc", ".docx")


def _extension_error(name: str, reason: str = "") -> UserError:
    message = f"Attachment {name} must have file extension doc or docx."
    return UserError(message + (f" {reason}" if reason else ""), field="file")


def read_word_document(
    source: Path | str | bytes, file_name: str | None = None
) -> tuple[bytes, str]:
    """The bytes and file name of a Word document, checked to be a mergeable .docx.

    ``source`` is a path or the bytes themselves (then ``file_name`` names them).
    """
    if isinstance(source, bytes):
        data, name = source, file_name or "Attachment.docx"
    else:
        path = Path(source)
        name = file_name or path.name
        if path.suffix.lower() not in WORD_EXTENSIONS:
            raise _extension_error(name)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise UserError(f"Cannot read {path}: {err.strerror or err}", field="file") from None
    if Path(name).suffix.lower() not in WORD_EXTENSIONS:
        raise _extension_error(name)
    try:
        DocxTemplate.from_bytes(data)
    except (ValueError, SyntaxError, KeyError) as err:
        if Path(name).suffix.lower() == ".doc":
            reason = "Only .docx documents can be merged: open it in Word and save it as .docx."
        else:
            reason = f"It is not a Word .docx document ({err})."
        raise _extension_error(name, reason) from None
    return data, name


def _store(data: bytes, name: str) -> int:
    return int(
        Attachment.insert(
            file_name=name[:250],
            file_extension="docx",
            content=data,
            last_modified=dt.datetime.now(),
        ).execute()
    )


def _drop_if_unused(attachment_no: int | None) -> None:
    """Delete an attachment nothing points at any more (replaced documents)."""
    if not attachment_no:
        return
    users: list[Any] = [
        InteractionTmplLanguage.select().where(
            InteractionTmplLanguage.attachment_no == attachment_no
        ),
        SegmentInteractionLanguage.select().where(
            SegmentInteractionLanguage.attachment_no == attachment_no
        ),
        SegmentLine.select().where(SegmentLine.attachment_no == attachment_no),
        InteractionLogEntry.select().where(
            (InteractionLogEntry.attachment_no == attachment_no)
            | (InteractionLogEntry.delivered_attachment_no == attachment_no)
        ),
    ]
    if not any(query.exists() for query in users):
        Attachment.delete().where(Attachment.no == attachment_no).execute()


def _template(code: str) -> InteractionTemplate:
    key = parse_code("interaction_template_code", code, 10)
    template = InteractionTemplate.get_or_none(InteractionTemplate.code == key)
    if template is None:
        raise NotFoundError(
            f"The Interaction Template does not exist. Identification fields and values: "
            f"Code='{key}'",
            field="interaction_template_code",
        )
    return template


def attach_template_document(
    code: str,
    source: Path | str | bytes,
    language: str = "",
    *,
    file_name: str | None = None,
) -> dict[str, Any]:
    """Attach a Word document to a template for ``language`` (replacing one there).

    Returns the template-language record (with ``file_name`` and ``fields``). A template
    without a default language takes ``language`` as its default, so new segments
    inherit the document.
    """
    data, name = read_word_document(source, file_name)
    with write_transaction():
        template = _template(code)
        lang = parse_code("language_code", language, 10, Language, "Language")
        row = InteractionTmplLanguage.get_or_none(
            (InteractionTmplLanguage.interaction_template_code == template.code)
            & (InteractionTmplLanguage.language_code == lang)
        )
        attachment_no = _store(data, name)
        if row is None:
            InteractionTmplLanguage.insert(
                interaction_template_code=template.code,
                language_code=lang,
                description=Path(name).stem[:100],
                attachment_no=attachment_no,
            ).execute()
        else:
            old = row.attachment_no
            InteractionTmplLanguage.update(attachment_no=attachment_no).where(
                InteractionTmplLanguage.id == row.id
            ).execute()
            _drop_if_unused(old)
        if lang and not template.language_code_default:
            InteractionTemplate.update(language_code_default=lang).where(
                InteractionTemplate.code == template.code
            ).execute()
    return {
        "interaction_template_code": template.code,
        "language_code": lang,
        "attachment_no": attachment_no,
        "file_name": name,
        "size": len(data),
        "fields": DocxTemplate.from_bytes(data).fields,
    }


def _template_row(code: str, language: str) -> InteractionTmplLanguage:
    """The template's document row for ``language``; blank means the template's
    language-neutral row, else its default language's, else its first."""
    template = _template(code)
    rows = list(
        InteractionTmplLanguage.select()
        .where(
            (InteractionTmplLanguage.interaction_template_code == template.code)
            & InteractionTmplLanguage.attachment_no.is_null(False)
        )
        .order_by(InteractionTmplLanguage.language_code)
    )
    by_language = {row.language_code or "": row for row in rows}
    lang = language.strip().upper()
    row = by_language.get(lang)
    if row is None and not lang and rows:
        row = by_language.get(template.language_code_default or "", rows[0])
    if row is None:
        which = f"language {lang}" if lang else "any language"
        raise NotFoundError(
            f"Interaction Template {template.code} has no Word document for {which}.",
            field="language_code",
        )
    return row


def template_document(code: str, language: str = "") -> bytes:
    """The Word document of a template in ``language`` (see :func:`_template_row`)."""
    row = _template_row(code, language)
    attachment = Attachment.get(Attachment.no == row.attachment_no)
    return bytes(attachment.content)


def list_template_documents(code: str | None = None) -> list[dict[str, Any]]:
    """The templates' documents: template, language, description, attachment, file name."""
    query = (
        InteractionTmplLanguage.select(
            InteractionTmplLanguage.interaction_template_code,
            InteractionTmplLanguage.language_code,
            InteractionTmplLanguage.description,
            InteractionTmplLanguage.attachment_no,
            Attachment.file_name,
        )
        .join(Attachment, on=(Attachment.no == InteractionTmplLanguage.attachment_no))
        .order_by(
            InteractionTmplLanguage.interaction_template_code,
            InteractionTmplLanguage.language_code,
        )
    )
    if code:
        query = query.where(
            InteractionTmplLanguage.interaction_template_code == _template(code).code
        )
    keys = ("interaction_template_code", "language_code", "description", "attachment_no",
            "file_name")  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in tuples(query)]


def _line(segment_no: str, line_no: int) -> SegmentLine:
    from segment_tui.services.segment_lines import get_line

    return get_line(segment_no, line_no)


def attach_line_document(
    segment_no: str,
    line_no: int,
    source: Path | str | bytes,
    *,
    file_name: str | None = None,
) -> dict[str, Any]:
    """Give one line its own ("Unique") document in the line's language.

    The line must have a template (BC's TestField). Returns the line's record.
    """
    from segment_tui.services.criteria import get_header
    from segment_tui.services.segment_view import line_record

    data, name = read_word_document(source, file_name)
    with write_transaction():
        header = get_header(segment_no)
        line = _line(header.no, line_no)
        if not line.interaction_template_code:
            raise UserError(
                testfield_message(
                    "Interaction Template Code",
                    "Segment Line",
                    f"Segment No.={header.no}, Line No.={line_no}",
                ),
                field="interaction_template_code",
            )
        language = line.language_code or ""
        row = SegmentInteractionLanguage.get_or_none(
            (SegmentInteractionLanguage.segment_no == header.no)
            & (SegmentInteractionLanguage.segment_line_no == line_no)
            & (SegmentInteractionLanguage.language_code == language)
        )
        attachment_no = _store(data, name)
        if row is None:
            SegmentInteractionLanguage.insert(
                segment_no=header.no,
                segment_line_no=line_no,
                language_code=language,
                description=f"{line.interaction_template_code} {language}".strip(),
                attachment_no=attachment_no,
                subject=line.subject,
            ).execute()
        else:
            old = row.attachment_no
            SegmentInteractionLanguage.update(attachment_no=attachment_no).where(
                SegmentInteractionLanguage.id == row.id
            ).execute()
        SegmentLine.update(attachment_no=attachment_no).where(SegmentLine.id == line.id).execute()
        if row is not None:
            _drop_if_unused(old)
    return line_record(header.no, line_no)


def remove_line_document(segment_no: str, line_no: int) -> dict[str, Any]:
    """Remove a line's own documents; the line goes back to its template's document
    (the segment's inherited one when the line has the segment's template). The
    language is chosen as BC's FindLanguage does (bc-segments §4.6)."""
    from segment_tui.services.criteria import get_header
    from segment_tui.services.segment_documents import create_interactions, delete_interactions
    from segment_tui.services.segment_view import line_record

    with write_transaction():
        header = get_header(segment_no)
        line = _line(header.no, line_no)
        own = SegmentInteractionLanguage.select().where(
            (SegmentInteractionLanguage.segment_no == header.no)
            & (SegmentInteractionLanguage.segment_line_no == line_no)
        )
        if not own.exists():
            raise UserError(
                f"Line {line_no} of segment {header.no} has no document of its own.",
                field="attachment_no",
            )
        delete_interactions(header.no, line_no)
        template = line.interaction_template_code or ""
        owner = 0
        if template and template != (header.interaction_template_code or ""):
            # A line with another template than the segment's keeps that template's copies.
            create_interactions(header.no, template, line_no)
            owner = line_no
        rows = {
            row.language_code or "": row.attachment_no
            for row in SegmentInteractionLanguage.select().where(
                (SegmentInteractionLanguage.segment_no == header.no)
                & (SegmentInteractionLanguage.segment_line_no == owner)
            )
        }
        contact = Contact.get_or_none(Contact.no == line.contact_no) if line.contact_no else None
        contact_language = (contact.language_code or "") if contact is not None else ""
        if contact is not None and contact_language in rows:
            language = contact_language
        elif owner == 0:
            language = header.language_code_default or ""
        else:
            default = InteractionTemplate.get(InteractionTemplate.code == template)
            language = default.language_code_default or ""
            if language not in rows and rows:
                language = sorted(rows)[0]
        SegmentLine.update(attachment_no=rows.get(language), language_code=language or None).where(
            SegmentLine.id == line.id
        ).execute()
    return line_record(header.no, line_no)


# --------------------------------------------------------------------------- check

_KEYS: dict[str, str] = {}
for _name in FIELD_NAMES:
    _KEYS.setdefault(normalize_key(_name), _name)
    _KEYS.setdefault(loose_key(_name), _name)


def known_field(name: str) -> str | None:
    """The dictionary field a template's field name refers to (the merge engine's
    matching: case and spacing ignored, ``Contact_Name`` finds ``Contact Name``)."""
    return _KEYS.get(normalize_key(name)) or _KEYS.get(loose_key(name))


@dataclass(frozen=True)
class FieldGap:
    """A used field that some letters would get blank."""

    field: str
    missing: int
    sentence: str


@dataclass(frozen=True)
class TemplateCheck:
    """What :func:`check_template` found."""

    template_code: str
    language_code: str
    fields: list[str]
    """The fields the document uses, in document order, as spelled there."""
    unknown_fields: list[str]
    """Used fields the merge has no value for (they would stay «Name» in the letters)."""
    segment_no: str | None = None
    lines: int = 0
    """Lines checked (lines with a contact), when a segment was given."""
    gaps: list[FieldGap] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every field is known and no letter would get a blank."""
        return not self.unknown_fields and not self.gaps

    @property
    def summary(self) -> str:
        """The findings as lines of text for people."""
        lines = [
            f"Template {self.template_code}"
            + (f" ({self.language_code})" if self.language_code else "")
            + f" uses {len(self.fields)} merge field{'s' if len(self.fields) != 1 else ''}"
            + (": " + ", ".join(self.fields) if self.fields else ".")
        ]
        for name in self.unknown_fields:
            lines.append(f"Unknown merge field «{name}»: the letters would show it unmerged.")
        if self.segment_no is not None:
            lines.extend(gap.sentence for gap in self.gaps)
            if not self.gaps:
                lines.append(
                    f"All {self.lines} lines of segment {self.segment_no} have a value for "
                    "every field the document uses."
                )
        return "\n".join(lines)

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        record = asdict(self)
        record["ok"] = self.ok
        return record


OPTIONAL_FIELDS = frozenset({"Line Note"})
"""Fields whose blanks the check does not count."""

_NOUNS = {
    "Contact Mail Address": "address",
    "Contact Email": "e-mail address",
    "FaxMailTo": "e-mail address",
    "Salesperson/Purchaser Code": "salesperson",
    "Document Date": "date",
    "Line Note": "line note",
}


def _noun(name: str) -> str:
    if name in _NOUNS:
        return _NOUNS[name]
    for prefix, replacement in (
        ("Contact ", ""),
        ("Salesperson/Purchaser ", "salesperson "),
        ("Document ", ""),
        ("Company Information ", ""),
    ):
        if name.startswith(prefix):
            name = replacement + name[len(prefix) :]
            break
    return name.replace("No.", "number").replace("VAT", "\0").lower().replace("\0", "VAT")


def _gap_sentence(name: str, missing: int, lines: int) -> str:
    noun = _noun(name)
    if name.startswith("Company Information "):
        return f"Company Information has no {noun} (blank in all {lines} letters)."
    if name.startswith("Contact ") or name == "FaxMailTo":
        who = "contact has" if missing == 1 else "contacts have"
    else:
        who = "line has" if missing == 1 else "lines have"
    return f"{missing} {who} no {noun}."


def _blank(name: str, values: Mapping[str, MergeValue]) -> bool:
    if name == "Contact Mail Address":
        # The block always holds the name; the letter lacks an address when nothing else is.
        parts = ("Contact Address", "Contact Address 2", "Contact Post Code", "Contact City")
        return all(not values.get(part) for part in parts)
    value = values.get(name)
    return value is None or (isinstance(value, str) and not value.strip())


def check_template(code: str, language: str = "", segment_no: str | None = None) -> TemplateCheck:
    """The merge fields a template's document uses, the unknown ones and, for a segment,
    how many lines would get a blank for each used field."""
    row = _template_row(code, language)
    document = Attachment.get(Attachment.no == row.attachment_no).content
    fields = DocxTemplate.from_bytes(bytes(document)).fields
    known = {name: known_field(name) for name in fields}
    unknown = [name for name, key in known.items() if key is None]
    used = list(dict.fromkeys(key for key in known.values() if key is not None))
    if segment_no is None:
        return TemplateCheck(row.interaction_template_code, row.language_code, fields, unknown)
    from segment_tui.services.criteria import get_header

    header = get_header(segment_no)
    # A line note is a personal note for some lines only: its absence is no gap.
    missing = dict.fromkeys((name for name in used if name not in OPTIONAL_FIELDS), 0)
    lines = 0
    for _, values in iter_segment_merge_values(header.no):
        lines += 1
        for name in missing:
            if _blank(name, values):
                missing[name] += 1
    gaps = [
        FieldGap(name, count, _gap_sentence(name, count, lines))
        for name, count in missing.items()
        if count
    ]
    return TemplateCheck(
        row.interaction_template_code, row.language_code, fields, unknown, header.no, lines, gaps
    )
