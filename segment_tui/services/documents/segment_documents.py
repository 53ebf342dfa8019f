"""The Word documents of a segment (Segment Interaction Language rows).

Line 0 rows are the header's ("Inherited") documents, one per language of the template;
a line's own rows make its document "Unique". The rule (``docs/word-documents.md``): a
segment follows its template's **current** document - a row made from a template links
to the template's attachment by number, as Business Central links attachments, so
attaching a new document to the template (:func:`follow_template_document`) reaches
every segment at once - unless a document was given to the line itself (its own
attachment, which nothing else shares). Lines that inherit follow the header's rows:
when they change, :func:`repoint_inherited_lines` gives each line the document of its
contact's language, else of the default language. Check, merge, preview and Log all read
the line's ``attachment_no``, so they always agree on the document a line gets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import Case, ColumnBase, fn

from segment_tui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTmplLanguage,
    SegmentHeader,
    SegmentInteractionLanguage,
    SegmentLine,
)


def drop_unused_attachments(numbers: Iterable[int | None]) -> None:
    """Delete those of the attachments ``numbers`` nothing points at any more: no template,
    segment, line or interaction log entry (documents are shared by number)."""
    candidates = sorted({n for n in numbers if n})
    if not candidates:
        return
    users: list[Any] = [
        InteractionTmplLanguage.attachment_no,
        SegmentInteractionLanguage.attachment_no,
        SegmentLine.attachment_no,
        InteractionLogEntry.attachment_no,
        InteractionLogEntry.delivered_attachment_no,
    ]
    condition: Any = Attachment.no.in_(candidates)
    for column in users:
        used = column.model.select(column).where(column.in_(candidates))
        condition &= ~Attachment.no.in_(used)
    Attachment.delete().where(condition).execute()


def create_interactions(segment_no: str, template_code: str, line_no: int = 0) -> None:
    """One row per language of the template for the header (line 0) or one line, each
    linked to the template's document of that language (not a copy: see the module)."""
    rows = InteractionTmplLanguage.select().where(
        InteractionTmplLanguage.interaction_template_code == template_code
    )
    for row in rows:
        SegmentInteractionLanguage.insert(
            segment_no=segment_no,
            segment_line_no=line_no,
            language_code=row.language_code,
            description=row.description or f"{template_code} {row.language_code}".strip(),
            attachment_no=row.attachment_no,
        ).execute()


def delete_interactions(segment_no: str, line_no: int = 0) -> None:
    """Delete the rows of the header or of one line (and the documents only they used)."""
    rows = SegmentInteractionLanguage.select().where(
        (SegmentInteractionLanguage.segment_no == segment_no)
        & (SegmentInteractionLanguage.segment_line_no == line_no)
    )
    attachments = [r.attachment_no for r in rows if r.attachment_no]
    SegmentInteractionLanguage.delete().where(
        (SegmentInteractionLanguage.segment_no == segment_no)
        & (SegmentInteractionLanguage.segment_line_no == line_no)
    ).execute()
    drop_unused_attachments(attachments)


def follow_template_document(
    template_code: str, language: str, old_no: int | None, new_no: int
) -> None:
    """A template's document for ``language`` became attachment ``new_no``: every segment
    row and line linked to the old one follows; segments of the template without a row
    for that language get one, and their inherited lines are pointed again (a contact in
    that language now gets it)."""
    if old_no:
        SegmentInteractionLanguage.update(attachment_no=new_no).where(
            SegmentInteractionLanguage.attachment_no == old_no
        ).execute()
        SegmentLine.update(attachment_no=new_no).where(
            SegmentLine.attachment_no == old_no
        ).execute()
        return
    template = InteractionTmplLanguage.get_or_none(
        (InteractionTmplLanguage.interaction_template_code == template_code)
        & (InteractionTmplLanguage.language_code == language)
    )
    description = (template.description if template else "") or f"{template_code} {language}"
    headers = SegmentHeader.select().where(SegmentHeader.interaction_template_code == template_code)
    for header in headers:
        row = SegmentInteractionLanguage.get_or_none(
            (SegmentInteractionLanguage.segment_no == header.no)
            & (SegmentInteractionLanguage.segment_line_no == 0)
            & (SegmentInteractionLanguage.language_code == language)
        )
        if row is None:
            SegmentInteractionLanguage.insert(
                segment_no=header.no,
                segment_line_no=0,
                language_code=language,
                description=description.strip(),
                attachment_no=new_no,
            ).execute()
        elif row.attachment_no is None:  # the language was there without a document
            SegmentInteractionLanguage.update(attachment_no=new_no).where(
                SegmentInteractionLanguage.id == row.id
            ).execute()
        else:
            continue
        repoint_inherited_lines(header)


def header_attachment(header: SegmentHeader) -> int | None:
    """The header's document in its default language (BC's header Attachment No.)."""
    row = SegmentInteractionLanguage.get_or_none(
        (SegmentInteractionLanguage.segment_no == header.no)
        & (SegmentInteractionLanguage.segment_line_no == 0)
        & (SegmentInteractionLanguage.language_code == (header.language_code_default or ""))
    )
    return int(row.attachment_no) if row is not None and row.attachment_no else None


def has_header_documents(segment_no: str) -> bool:
    """True when the header has at least one document row."""
    return bool(
        SegmentInteractionLanguage.select()
        .where(
            (SegmentInteractionLanguage.segment_no == segment_no)
            & (SegmentInteractionLanguage.segment_line_no == 0)
            & SegmentInteractionLanguage.attachment_no.is_null(False)
        )
        .exists()
    )


def own_rows_condition(segment_no: str) -> ColumnBase:
    """Condition on SegmentLine: the line has its own (unique) document rows."""
    own = SegmentInteractionLanguage.alias("own")
    return fn.EXISTS(
        own.select(own.id).where(
            (own.segment_no == segment_no) & (own.segment_line_no == SegmentLine.line_no)
        )
    )


def inherited_condition(segment_no: str) -> ColumnBase:
    """Condition on SegmentLine: the line's document is one of the header's."""
    header_rows = SegmentInteractionLanguage.alias("inherited")
    condition: ColumnBase = SegmentLine.attachment_no.in_(
        header_rows.select(header_rows.attachment_no).where(
            (header_rows.segment_no == segment_no) & (header_rows.segment_line_no == 0)
        )
    ) & ~own_rows_condition(segment_no)
    return condition


def repoint_inherited_lines(header: SegmentHeader) -> None:
    """Give lines that follow the header the header's document for their language."""
    sil = SegmentInteractionLanguage.alias("sil")
    contact = Contact.alias("line_contact")
    contact_language = (
        contact.select(contact.language_code).where(contact.no == SegmentLine.contact_no).limit(1)
    )
    has_contact_row = fn.EXISTS(
        sil.select(sil.id).where(
            (sil.segment_no == header.no)
            & (sil.segment_line_no == 0)
            & (sil.language_code == fn.COALESCE(contact_language, ""))
        )
    )
    default = header.language_code_default or None
    language = Case(None, [(has_contact_row, contact_language)], default)

    def from_row(column: str) -> Any:
        row = SegmentInteractionLanguage.alias(f"repoint_{column}")
        return (
            row.select(getattr(row, column))
            .where(
                (row.segment_no == header.no)
                & (row.segment_line_no == 0)
                & (row.language_code == fn.COALESCE(language, ""))
            )
            .limit(1)
        )

    template = header.interaction_template_code or None
    same_template = (
        SegmentLine.interaction_template_code == template
        if template
        else SegmentLine.interaction_template_code.is_null()
    )
    SegmentLine.update(
        language_code=language,
        attachment_no=from_row("attachment_no"),
        subject=fn.COALESCE(from_row("subject"), ""),
    ).where(
        (SegmentLine.segment_no == header.no) & same_template & ~own_rows_condition(header.no)
    ).execute()
