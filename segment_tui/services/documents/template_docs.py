"""Word documents of interaction templates and segment lines, and the template check.

A template has one Word document per language (Interaction Tmpl. Language rows). A
segment that gets the template links to them (line 0 rows of Segment Interaction
Language, "Inherited"); a line can be given its own document ("Unique", a row with the
line's number), as Business Central's line Attachment > Import does. The rule, written
down in ``docs/word-documents.md``: **a segment follows its template's current
document** - attaching a new document to a template reaches every segment that inherits
it, at once - **unless a document was given to the line itself**. Logged entries keep
the document they were logged with.

Only .docx documents can be merged; the file is parsed when attached so a broken or
old binary .doc file is refused then, not at the first Log with Send.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, cast

from segment_tui.db import tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError, testfield_message
from segment_tui.merge import DocxTemplate, limits
from segment_tui.merge.limits import DocumentRefused
from segment_tui.models import (
    Attachment,
    Contact,
    InteractionTemplate,
    InteractionTmplLanguage,
    Language,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.services.values import parse_code

if TYPE_CHECKING:  # a line's record is read only by the line commands (start-up time)
    from segment_tui.services.segments.view import LineRecord

WORD_EXTENSIONS = (".doc", ".docx")


class TemplateDocument(TypedDict):
    """A template's Word document for one language (blank: language-neutral)."""

    interaction_template_code: str
    language_code: str
    description: str
    attachment_no: int
    file_name: str


class AttachedDocument(TypedDict):
    """A Word document just attached to a template: where it went, its file name, its
    size in bytes and the merge fields it uses (in document order)."""

    interaction_template_code: str
    language_code: str
    attachment_no: int
    file_name: str
    size: int
    fields: list[str]


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
            if path.stat().st_size > limits.MAX_FILE_BYTES:  # not even read into memory
                limits.check_file_size(path.stat().st_size)
            data = path.read_bytes()
        except OSError as err:
            raise UserError(f"Cannot read {path}: {err.strerror or err}", field="file") from None
        except DocumentRefused as err:
            raise UserError(
                f"The Word document {name} is refused: {err}. Nothing was attached.",
                field="file",
            ) from None
    if Path(name).suffix.lower() not in WORD_EXTENSIONS:
        raise _extension_error(name)
    try:
        DocxTemplate.from_bytes(data)
    except DocumentRefused as err:
        raise UserError(
            f"The Word document {name} is refused: {err}. Nothing was attached.", field="file"
        ) from None
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
    from segment_tui.services.documents.segment_documents import drop_unused_attachments

    drop_unused_attachments([attachment_no])


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
) -> AttachedDocument:
    """Attach a Word document to a template for ``language`` (replacing one there).

    Every segment that inherits the template's document for ``language`` follows at once
    (see the module). Returns the template-language record (with ``file_name`` and
    ``fields``). A template without a default language takes ``language`` as its
    default, so new segments inherit the document.
    """
    from segment_tui.services.documents.segment_documents import follow_template_document

    data, name = read_word_document(source, file_name)
    with write_transaction():
        template = _template(code)
        lang = parse_code("language_code", language, 10, Language, "Language")
        row = InteractionTmplLanguage.get_or_none(
            (InteractionTmplLanguage.interaction_template_code == template.code)
            & (InteractionTmplLanguage.language_code == lang)
        )
        attachment_no = _store(data, name)
        old: int | None = None
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
        follow_template_document(template.code, lang, old, attachment_no)
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


def template_row(code: str, language: str) -> InteractionTmplLanguage:
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
    """The Word document of a template in ``language`` (see :func:`template_row`)."""
    row = template_row(code, language)
    attachment = Attachment.get(Attachment.no == row.attachment_no)
    return bytes(attachment.content)


def export_template_document(code: str, path: Path, language: str = "") -> int:
    """Write the template's Word document in ``language`` (see :func:`template_row`) to
    ``path``, readable by the owner only (it may hold customer text); its size in bytes.
    The CLI's ``template export`` and the Setup screen's Export Word both call this."""
    from segment_tui.private_files import write_private

    data = template_document(code, language)
    try:
        write_private(path, data)
    except OSError as err:
        raise UserError(f"Cannot write {path}: {err.strerror or err}", field="file") from None
    return len(data)


def list_template_documents(code: str | None = None) -> list[TemplateDocument]:
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
    records = [dict(zip(keys, row, strict=True)) for row in tuples(query)]
    return cast(list[TemplateDocument], records)  # keys are TemplateDocument's


def _line(segment_no: str, line_no: int) -> SegmentLine:
    from segment_tui.services.segments.lines import get_line

    return get_line(segment_no, line_no)


def attach_line_document(
    segment_no: str,
    line_no: int,
    source: Path | str | bytes,
    *,
    file_name: str | None = None,
) -> LineRecord:
    """Give one line its own ("Unique") document in the line's language.

    The line must have a template (BC's TestField). Returns the line's record.
    """
    from segment_tui.services.criteria.actions import get_header
    from segment_tui.services.segments.view import line_record

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


def remove_line_document(segment_no: str, line_no: int) -> LineRecord:
    """Remove a line's own documents; the line goes back to its template's document
    (the segment's inherited one when the line has the segment's template). The
    language is chosen as BC's FindLanguage does (docs/word-documents.md)."""
    from segment_tui.services.criteria.actions import get_header
    from segment_tui.services.documents.segment_documents import (
        create_interactions,
        delete_interactions,
    )
    from segment_tui.services.segments.view import line_record

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
