"""End to end on the demo company: criteria, Go Back, saved criteria, Log with follow-up,
cancel and clean up — the whole life of a segment (docs/business-central.md, "Criteria engine"
to "After logging") on realistic data.

The demo data is generated, so this test asserts relations (counts that must agree, the
same contacts before and after) rather than particular contacts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from segment_tui.models import Contact, InteractionLogEntry, LoggedSegment
from segment_tui.questions import Answers
from segment_tui.services.criteria.actions import (
    RESET_EMPTY_SEGMENT,
    preview_remove,
    remove_contacts,
)
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.criteria.saved import reuse_criteria, save_criteria
from segment_tui.services.criteria.view import criteria_records
from segment_tui.services.demo.seed import seed_demo
from segment_tui.services.interactions import entries as interactions
from segment_tui.services.log import logged_segments
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import header_record, list_segments
from tests.engine.support import contacts_on, new_segment, where


def test_the_life_of_a_demo_segment(database: Any) -> None:
    seed_demo()
    launch = next(s["no"] for s in list_segments() if s["description"] == "Autumn product launch")
    original = contacts_on(launch)
    assert original and len(original) == header_record(launch)["no_of_lines"]

    # Reduce the persons of one salesperson away (after a preview), then undo it.
    counts = Counter(Contact.get_by_id(no).salesperson_code for no in original)
    salesperson = next(code for code, _ in counts.most_common() if code)
    filters = where(f"salesperson_code={salesperson}")
    preview = preview_remove(launch, filters, "reduce")
    result = remove_contacts(
        launch, filters, "reduce", answers=Answers({RESET_EMPTY_SEGMENT: False})
    )
    assert result.removed == preview.would_remove > 0
    assert len(contacts_on(launch)) == preview.remaining
    go_back(launch)
    assert sorted(contacts_on(launch)) == sorted(original)

    # The criteria replayed on a new segment select the same contacts.
    save_criteria(launch, "LAUNCH")
    copy = new_segment("Launch again", template="LETTER", salesperson="BC")
    reuse_criteria(copy, "LAUNCH")
    assert sorted(contacts_on(copy)) == sorted(original)
    assert len([r for r in criteria_records(copy) if r["type"] == "action"]) == len(
        [r for r in criteria_records(launch) if r["type"] == "action"]
    )

    # Log with a follow-up: one entry per line, the same contacts on the follow-up.
    logged = log_segment(launch, follow_up=True)
    assert logged.entries == len(original)
    assert logged.follow_up_segment_no is not None
    assert sorted(contacts_on(logged.follow_up_segment_no)) == sorted(original)
    entries = interactions.list_entries(logged_segment=logged.logged_segment_entry_no)
    assert sorted(e["contact_no"] for e in entries) == sorted(original)

    # Evaluate, cancel, delete the canceled logged segment: entries stay, unlinked.
    interactions.evaluate([entries[0]["entry_no"]], "positive")
    logged_segments.toggle_canceled([logged.logged_segment_entry_no])
    assert logged_segments.delete_canceled() == 1
    assert LoggedSegment.get_or_none(LoggedSegment.segment_no == launch) is None
    kept = InteractionLogEntry.select().where(
        InteractionLogEntry.entry_no.in_([e["entry_no"] for e in entries])
    )
    assert [e.logged_segment_entry_no for e in kept] == [None] * len(entries)
