"""Logged Segments (page 5139): counts, cancel/uncancel, delete canceled, follow-up.

Pins docs/business-central.md, "After logging" (No. of Interactions / Campaign Entries count
the entries whose Canceled equals the logged segment's; Switch Checkmark in Canceled: the
new value is NOT the first selected record's, applied to all selected and cascaded to their
interaction log entries and campaign entries; BC's confirmation texts; Delete Canceled
Segments deletes only canceled logged segments and keeps their entries, unlinked) and that
page's last section (follow-up from a logged segment with all contacts, those evaluated
positive, or those not evaluated).
"""

from __future__ import annotations

from segment_tui.models import CampaignEntry, InteractionLogEntry, LoggedSegment
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.interactions import entries as interactions
from segment_tui.services.log import logged_segments
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import header_record
from tests.engine.plans import statements_of
from tests.engine.support import (
    ContactFactory,
    adatum_and_trey,
    contacts_on,
    give_user_salesperson,
    lines,
    new_segment,
    where,
)


def _two_logged(make_contact: ContactFactory) -> tuple[int, int]:
    """Logged segment 1: Adatum, Ann, Bob (LETTER, campaign CP1001; entries 1–3);
    logged segment 2: Carl (OUTCALL; entry 4)."""
    adatum_and_trey(make_contact)
    first = new_segment("Spring letter", template="LETTER", salesperson="BC", campaign="CP1001")
    add_contacts(first, where("no=C1|P1|P2"), AddOptions())
    second = new_segment("Calls", template="OUTCALL", salesperson="BC")
    add_contacts(second, where("no=P3"), AddOptions())
    return (
        log_segment(first).logged_segment_entry_no,
        log_segment(second).logged_segment_entry_no,
    )


def _canceled_flags(entry_no: int) -> list[bool]:
    return [
        e.canceled
        for e in InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment_entry_no == entry_no)
        .order_by(InteractionLogEntry.entry_no)
    ]


def _listed(entry_no: int) -> logged_segments.LoggedSegmentRecord:
    return next(r for r in logged_segments.list_logged_segments() if r["entry_no"] == entry_no)


def test_list_shows_newest_first_with_interaction_and_campaign_counts(
    make_contact: ContactFactory,
) -> None:
    first, second = _two_logged(make_contact)
    rows = logged_segments.list_logged_segments()
    assert [r["entry_no"] for r in rows] == [second, first]
    assert [(r["segment_no"], r["description"]) for r in rows] == [
        ("SEG00002", "Calls"), ("SEG00001", "Spring letter"),
    ]  # fmt: skip
    assert (rows[1]["no_of_interactions"], rows[1]["no_of_campaign_entries"]) == (3, 1)
    assert (rows[0]["no_of_interactions"], rows[0]["no_of_campaign_entries"]) == (1, 0)


def test_list_reads_the_entries_once_and_counts_each_state_within_its_segment(
    make_contact: ContactFactory,
) -> None:
    # Three aggregates over every entry made the list 2.2x slower than one at a million
    # entries (docs/streaming.md): it must read interaction_log_entry in one statement.
    first, second = _two_logged(make_contact)
    entry = InteractionLogEntry
    entry.update(delivery_status="sent").where(entry.entry_no.in_([1, 4])).execute()
    entry.update(delivery_status="error").where(entry.entry_no == 2).execute()
    entry.update(delivery_status="sending").where(entry.entry_no == 3).execute()  # no claim
    interactions.toggle_canceled([2])
    statements = statements_of(logged_segments.list_logged_segments)
    reading_entries = [sql for sql, _ in statements if '"interaction_log_entry"' in sql]
    assert len(reading_entries) == 1, reading_entries
    rows = {r["entry_no"]: r for r in logged_segments.list_logged_segments()}
    assert rows[first]["no_of_interactions"] == 2  # Ann's canceled entry is not counted
    assert rows[first]["delivery"] == {"sent": 1, "failed": 1, "unknown": 1, "pending": 0}
    assert rows[first]["delivery_summary"] == "1 sent, 1 failed, 1 unknown"
    assert rows[second]["delivery_summary"] == "1 sent"
    assert rows[second]["no_of_interactions"] == 1


def test_cancel_cascades_to_entries_and_campaign_entries(make_contact: ContactFactory) -> None:
    first, second = _two_logged(make_contact)
    interactions.toggle_canceled([2])  # Ann's entry on its own
    assert _listed(first)["no_of_interactions"] == 2  # counts entries with the same Canceled
    assert logged_segments.toggle_canceled([first]) is True
    assert LoggedSegment.get_by_id(first).canceled is True
    assert _canceled_flags(first) == [True, True, True]
    assert CampaignEntry.get().canceled is True
    assert _canceled_flags(second) == [False]  # the other logged segment is untouched
    assert (_listed(first)["no_of_interactions"], _listed(first)["no_of_campaign_entries"]) == (
        3, 1,
    )  # fmt: skip
    assert logged_segments.toggle_canceled([first]) is False  # uncancel
    assert _canceled_flags(first) == [False, False, False]
    assert CampaignEntry.get().canceled is False


def test_switching_several_takes_the_opposite_of_the_first_selected(
    make_contact: ContactFactory,
) -> None:
    first, second = _two_logged(make_contact)
    logged_segments.toggle_canceled([first])
    assert logged_segments.toggle_canceled([first, second]) is False
    assert [LoggedSegment.get_by_id(n).canceled for n in (first, second)] == [False, False]
    assert logged_segments.toggle_canceled([second, first]) is True
    assert [LoggedSegment.get_by_id(n).canceled for n in (first, second)] == [True, True]


def test_cancel_questions_are_bcs(make_contact: ContactFactory) -> None:
    first, second = _two_logged(make_contact)
    assert logged_segments.cancel_question([first]) == (
        f"Do you wish to mark Logged Segment {first} as Canceled?"
    )
    assert logged_segments.cancel_question([first, second]) == (
        "Do you wish to mark the selected Logged Segment lines as Canceled?"
    )
    logged_segments.toggle_canceled([first])
    assert logged_segments.cancel_question([first]) == (
        f"Logged Segment {first} is marked Canceled.\nDo you wish to remove the checkmark?"
    )
    assert logged_segments.cancel_question([first, second]) == (
        "Do you wish to remove the checkmark from the selected Logged Segment lines?"
    )


def test_delete_canceled_keeps_the_entries_unlinked(make_contact: ContactFactory) -> None:
    first, second = _two_logged(make_contact)
    assert logged_segments.delete_canceled() == 0  # nothing canceled yet
    logged_segments.toggle_canceled([first])
    assert logged_segments.delete_canceled() == 1
    assert [ls.entry_no for ls in LoggedSegment.select()] == [second]
    entries = list(InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no))
    assert [(e.contact_no, e.logged_segment_entry_no) for e in entries] == [
        ("C1", None), ("P1", None), ("P2", None), ("P3", second),
    ]  # fmt: skip
    assert all(e.canceled for e in entries[:3])
    assert CampaignEntry.get().register_no == 0


def test_delete_canceled_only_deletes_the_given_canceled_segments(
    make_contact: ContactFactory,
) -> None:
    first, second = _two_logged(make_contact)
    logged_segments.toggle_canceled([first, second])
    assert logged_segments.delete_canceled([second]) == 1
    assert [ls.entry_no for ls in LoggedSegment.select()] == [first]


# --- follow-up from a logged segment --------------------------------------------------------------


def _evaluated(make_contact: ContactFactory) -> int:
    first, _ = _two_logged(make_contact)
    interactions.evaluate([2], "positive")  # Ann
    interactions.evaluate([3], "Very Positive")  # Bob
    return first  # Adatum (entry 1) is not evaluated


def test_follow_up_with_all_contacts(make_contact: ContactFactory) -> None:
    first = _evaluated(make_contact)
    record = logged_segments.follow_up(first)
    assert record["no"] == "SEG00003"
    assert record["description"] == "Follow-up on segment SEG00001"
    assert record["campaign_no"] == "CP1001"
    assert record["added"] == 3
    assert contacts_on(record["no"]) == ["C1", "P1", "P2"]
    assert header_record(record["no"])["no_of_criteria_actions"] == 1


def test_follow_up_with_positive_contacts(make_contact: ContactFactory) -> None:
    first = _evaluated(make_contact)
    record = logged_segments.follow_up(first, "positive")
    assert contacts_on(record["no"]) == ["P1", "P2"]


def test_follow_up_with_contacts_not_evaluated(make_contact: ContactFactory) -> None:
    first = _evaluated(make_contact)
    interactions.evaluate([1], "negative")
    assert contacts_on(logged_segments.follow_up(first, "not-evaluated")["no"]) == []
    interactions.evaluate([1], "")
    assert contacts_on(logged_segments.follow_up(first, "not-evaluated")["no"]) == ["C1"]


def test_follow_up_segment_takes_the_users_salesperson(make_contact: ContactFactory) -> None:
    # A new segment header gets the user's salesperson on insert, so its lines do too.
    first = _evaluated(make_contact)
    give_user_salesperson("PS")
    record = logged_segments.follow_up(first)
    assert record["salesperson_code"] == "PS"
    assert {line["salesperson_code"] for line in lines(record["no"])} == {"PS"}
