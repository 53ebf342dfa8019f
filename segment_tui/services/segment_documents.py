"""The Word documents of a segment (Segment Interaction Language rows, bc-segments §2.3).

Line 0 rows are the header's (inherited) documents, one per language, copied from the
template; a line's own rows make its document "Unique". Lines that inherit follow the
header's rows: when they change, :func:`repoint_inherited_lines` gives each line the
document of its contact's language, else of the default language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Case, ColumnBase, fn

from segment_tui.models import (
    Attachment,
    Contact,
    InteractionTmplLanguage,
    SegmentHeader,
    SegmentInteractionLanguage,
    SegmentLine,
)


def copy_attachment(attachment_no: int | None) -> int | None:
    """A new attachment with the same file (BC copies the template's document)."""
    if not attachment_no:
        return None
    source = Attachment.get_or_none(Attachment.no == attachment_no)
    if source is None:
        return None
    return int(
        Attachment.insert(
            file_name=source.file_name,
            file_extension=source.file_extension,
            content=source.content,
            last_modified=dt.datetime.now(),
        ).execute()
    )


def create_interactions(segment_no: str, template_code: str, line_no: int = 0) -> None:
    """One row per language of the template for the header (line 0) or one line."""
    rows = InteractionTmplLanguage.select().where(
        InteractionTmplLanguage.interaction_template_code == template_code
    )
    for row in rows:
        SegmentInteractionLanguage.insert(
            segment_no=segment_no,
            segment_line_no=line_no,
            language_code=row.language_code,
            description=row.description or f"{template_code} {row.language_code}".strip(),
            attachment_no=copy_attachment(row.attachment_no),
        ).execute()


def delete_interactions(segment_no: str, line_no: int = 0) -> None:
    """Delete the rows (and their attachments) of the header or of one line."""
    rows = SegmentInteractionLanguage.select().where(
        (SegmentInteractionLanguage.segment_no == segment_no)
        & (SegmentInteractionLanguage.segment_line_no == line_no)
    )
    attachments = [r.attachment_no for r in rows if r.attachment_no]
    SegmentInteractionLanguage.delete().where(
        (SegmentInteractionLanguage.segment_no == segment_no)
        & (SegmentInteractionLanguage.segment_line_no == line_no)
    ).execute()
    if attachments:
        Attachment.delete().where(Attachment.no.in_(attachments)).execute()


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
