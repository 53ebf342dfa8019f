"""The contacts of a logged segment put back into a segment: Reuse (logged) Segment and
the follow-up segment Log creates (docs/business-central.md, "After logging").

Its own module because three services need it — saved criteria (Reuse), Log (the
follow-up segment) and Logged Segments (a follow-up made later) — and none of them may
import another for it without a cycle.
"""

from __future__ import annotations

from peewee import fn

from segment_tui.db import analyze
from segment_tui.models import Contact, InteractionLogEntry, SegmentHeader, SegmentLine
from segment_tui.services.criteria.actions import (
    CHANGED_TABLES,
    ActionResult,
    AddOptions,
    append_action,
    record_history,
)
from segment_tui.services.criteria.fields import parse_field_filter
from segment_tui.services.segments.line_init import LineDefaults, insert_lines, last_line_no


def add_logged_contacts(
    header: SegmentHeader,
    entry_no: int,
    *,
    include_excluded: bool = False,
    evaluations: tuple[str, ...] | None = None,
) -> ActionResult:
    """Record "Add Contacts" (Allow Existing) on the logged segment and add a line per entry."""
    filters = [parse_field_filter("ile.logged_segment", str(entry_no))]
    if evaluations is not None:
        filters.append(
            parse_field_filter("ile.evaluation", "|".join(e or "''" for e in evaluations))
        )
    options = AddOptions(allow_existing=True, ignore_exclusion=include_excluded)
    action_no = append_action(header.no, "add", filters, options=options)
    contact = Contact.alias("reused")
    condition = InteractionLogEntry.logged_segment_entry_no == entry_no
    if evaluations is not None:
        condition = condition & InteractionLogEntry.evaluation.in_(list(evaluations))
    if not include_excluded:
        condition = condition & (contact.exclude_from_segment == False)  # noqa: E712
    source = (
        InteractionLogEntry.select()
        .join(contact, on=(contact.no == InteractionLogEntry.contact_no))
        .where(condition)
    )
    base = last_line_no(header.no)
    added = insert_lines(
        LineDefaults.of(header),
        source,
        contact,
        [InteractionLogEntry.entry_no],
        action_no,
        campaign_no=fn.NULLIF(InteractionLogEntry.campaign_no, ""),
    )
    record_history(
        header.no,
        action_no,
        SegmentLine.select().where(
            (SegmentLine.segment_no == header.no) & (SegmentLine.line_no > base)
        ),
        "insertion",
    )
    analyze(CHANGED_TABLES, changed_rows=added)
    return ActionResult(action_no, added=added)
