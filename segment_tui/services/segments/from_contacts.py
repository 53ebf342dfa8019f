"""Putting chosen contacts (the Contacts screen's marks) into a segment with Add Contacts'
rules: the contacts become the filter ``no=P1|P2|…`` of an ordinary Add Contacts action,
so contacts already on the segment are skipped unless Allow Existing Contacts is on,
excluded contacts are skipped unless Ignore Exclusion is on, Expand Companies and Allow
Related Companies work as in the worksheet, the preview counts the same way, and Go Back
undoes it (see docs/ui.md, "Contacts to a segment").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from segment_tui.db import write_transaction
from segment_tui.errors import UserError
from segment_tui.filters.describe import quote_literal
from segment_tui.services.criteria.actions import (
    ActionResult,
    AddOptions,
    AddPreview,
    add_contacts,
    preview_add,
)
from segment_tui.services.criteria.fields import FieldFilter, parse_where

MAX_CONTACTS = 10_000
"""More chosen contacts than this are refused (each is a bound parameter of the query);
a filter in Add Contacts selects any number."""


def contacts_filter_text(contact_nos: Sequence[str]) -> str:
    """The ``no`` filter selecting exactly these contacts (``P1|P2|'A|B'``)."""
    numbers = list(dict.fromkeys(no.strip().upper() for no in contact_nos if no.strip()))
    if not numbers:
        raise UserError("Mark at least one contact (space), or put the cursor on one.")
    if len(numbers) > MAX_CONTACTS:
        raise UserError(
            f"{len(numbers):,} contacts are marked; at most {MAX_CONTACTS:,} can be added this "
            "way. Use Add Contacts (a) in the worksheet with a filter instead."
        )
    return "|".join(quote_literal(no) for no in numbers)


def contacts_filters(contact_nos: Sequence[str]) -> list[FieldFilter]:
    """The filters of an Add Contacts action that selects exactly these contacts."""
    return parse_where([f"no={contacts_filter_text(contact_nos)}"])


def preview_add_chosen(
    segment_no: str, contact_nos: Sequence[str], options: AddOptions | None = None
) -> AddPreview:
    """What adding these contacts would do (no writes)."""
    return preview_add(segment_no, contacts_filters(contact_nos), options or AddOptions())


def add_chosen(
    segment_no: str, contact_nos: Sequence[str], options: AddOptions | None = None
) -> ActionResult:
    """Add these contacts as one Add Contacts action (one transaction)."""
    return add_contacts(segment_no, contacts_filters(contact_nos), options or AddOptions())


@dataclass(frozen=True)
class NewSegment:
    """A segment made of chosen contacts."""

    segment_no: str
    added: int
    skipped_excluded: int
    """Chosen contacts marked Exclude from Segment (left out, as Add Contacts does)."""


def new_segment_of(
    description: str, contact_nos: Sequence[str], options: AddOptions | None = None
) -> NewSegment:
    """Create a segment and add these contacts to it, all in one transaction."""
    from segment_tui.services.segments.headers import create_segment

    opts = options or AddOptions()
    filters = contacts_filters(contact_nos)
    with write_transaction():
        segment_no = str(create_segment(description)["no"])
        preview = preview_add(segment_no, filters, opts)
        result = add_contacts(segment_no, filters, opts)
    return NewSegment(segment_no, result.added, preview.excluded)
