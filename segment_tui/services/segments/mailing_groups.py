"""Apply Mailing Group (BC report 5184): give every contact of a segment a mailing group.

As BC: one mailing group code is required and must exist ("Specify a Mailing Group
Code."); with Delete Old Assignments the group is first taken from every contact that
has it (in the whole database, not just the segment); then each line's contact gets the
group unless it has it already. BC's closing message is "Mailing Group <code> is now
applied to Segment <No>.". Both steps run in the database in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import Value

from segment_tui.db import write_transaction
from segment_tui.errors import UserError
from segment_tui.models import ContactMailingGroup, MailingGroup, SegmentLine
from segment_tui.services.criteria.actions import get_header

SPECIFY_CODE = "Specify a Mailing Group Code."


@dataclass(frozen=True)
class MailingGroupResult:
    """What Apply Mailing Group changed."""

    segment_no: str
    mailing_group_code: str
    removed: int
    """Assignments deleted first (Delete Old Assignments)."""
    added: int
    """Contacts of the segment that got the group."""
    already: int
    """Contacts of the segment that had it already."""

    @property
    def message(self) -> str:
        """BC's message."""
        return (
            f"Mailing Group {self.mailing_group_code} is now applied to Segment {self.segment_no}."
        )


def apply_mailing_group(
    segment_no: str, mailing_group_code: str, *, delete_old: bool = False
) -> MailingGroupResult:
    """Add the mailing group to every contact of the segment's lines."""
    code = mailing_group_code.strip().upper()
    with write_transaction():
        header = get_header(segment_no)
        if not code or not MailingGroup.select().where(MailingGroup.code == code).exists():
            raise UserError(SPECIFY_CODE, field="mailing_group_code")
        removed = 0
        if delete_old:
            removed = int(
                ContactMailingGroup.delete()
                .where(ContactMailingGroup.mailing_group_code == code)
                .execute()
            )
        contacts = (
            SegmentLine.select(SegmentLine.contact_no)
            .where((SegmentLine.segment_no == header.no) & SegmentLine.contact_no.is_null(False))
            .distinct()
        )
        on_segment = int(contacts.count())
        has_it = ContactMailingGroup.select(ContactMailingGroup.contact_no).where(
            ContactMailingGroup.mailing_group_code == code
        )
        missing = (
            SegmentLine.select(SegmentLine.contact_no, Value(code))
            .where(
                (SegmentLine.segment_no == header.no)
                & SegmentLine.contact_no.is_null(False)
                & SegmentLine.contact_no.not_in(has_it)
            )
            .distinct()
        )
        fields = [ContactMailingGroup.contact_no, ContactMailingGroup.mailing_group_code]
        added = int(ContactMailingGroup.insert_from(missing, fields).as_rowcount().execute())
    return MailingGroupResult(header.no, code, removed, added, on_segment - added)
