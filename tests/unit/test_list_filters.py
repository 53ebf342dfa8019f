"""The lists' filter language (issue 12, point 9): the criteria's syntax on the fields of
Interaction Log Entries and Logged Segments, parsed into plain values and turned into
SQL by the services; mistakes name the field and the position; delivery counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.models import InteractionLogEntry, LoggedSegment
from segment_tui.services.contacts.filter_line import (
    FilterLineError,
    parse_list_items,
    parse_list_line,
)
from segment_tui.services.delivery.states import DeliveryCounts
from segment_tui.services.interactions.entry_view import EntryFilter, entries_after, entry_count
from segment_tui.services.list_filters import (
    ENTRY_ALIASES,
    ENTRY_FIELDS,
    LOGGED_ALIASES,
    LOGGED_FIELDS,
    field_rows,
)
from segment_tui.services.log.logged_counts import logged_counts
from segment_tui.services.log.logged_segments import list_logged_segments

TODAY = dt.date.today()


@pytest.fixture
def entries(cronus: Any) -> tuple[int, int]:
    """Two logged segments: A (CT00001–CT00004: sent, failed, unknown, queued; CT00003
    canceled and evaluated positive, dated yesterday) and B (CT00020, nothing to
    deliver)."""
    first = int(LoggedSegment.insert(segment_no="SEGA", description="A").execute())
    second = int(LoggedSegment.insert(segment_no="SEGB", description="B").execute())
    sent = dt.datetime(2026, 3, 1, 9, 0)
    rows = [
        {"contact_no": "CT00001", "logged_segment_entry_no": first, "date": TODAY,
         "delivery_status": "sent", "delivered_at": sent, "segment_no": "SEGA"},
        {"contact_no": "CT00002", "logged_segment_entry_no": first, "date": TODAY,
         "delivery_status": "error", "delivery_error": "SMTP is not set up",
         "segment_no": "SEGA"},
        {"contact_no": "CT00003", "logged_segment_entry_no": first,
         "date": TODAY - dt.timedelta(days=1), "delivery_status": "unknown",
         "canceled": True, "evaluation": "positive", "segment_no": "SEGA"},
        {"contact_no": "CT00004", "logged_segment_entry_no": first, "date": TODAY,
         "delivery_status": "in_progress", "segment_no": "SEGA"},
        {"contact_no": "CT00020", "logged_segment_entry_no": second, "date": TODAY,
         "segment_no": "SEGB"},
    ]  # fmt: skip
    InteractionLogEntry.insert_many(rows).execute()
    return first, second


def contacts(text: str) -> list[str]:
    """The contacts of the entries a filter line shows, newest first."""
    view = EntryFilter(filters=parse_list_line(text, ENTRY_FIELDS, ENTRY_ALIASES))
    rows = entries_after(view, None, None)
    assert entry_count(view) == len(rows)
    return [r["contact_no"] for r in rows]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("contact_no=CT00002*", ["CT00002"]),
        ("contact_no=CT0002*", ["CT00020"]),
        ("contact_no=ct0000*", ["CT00004", "CT00003", "CT00002", "CT00001"]),
        ("delivery_status=error", ["CT00002"]),
        ("delivery_status=Error|Unknown|queued", ["CT00004", "CT00003", "CT00002"]),
        ("date=..t canceled=no", ["CT00020", "CT00004", "CT00002", "CT00001"]),
        ("date=<t", ["CT00003"]),
        ("evaluation=positive", ["CT00003"]),
        ("delivery_error=@*smtp*", ["CT00002"]),
        ("segment=SEGB", ["CT00020"]),
        ("", ["CT00020", "CT00004", "CT00003", "CT00002", "CT00001"]),
    ],
)
def test_entries_filter_language(entries: tuple[int, int], line: str, expected: list[str]) -> None:
    assert contacts(line) == expected


def test_the_page_link_and_the_filter_line_combine(entries: tuple[int, int]) -> None:
    first, _ = entries
    view = EntryFilter(logged_segment=first, filters=parse_list_line("canceled=no", ENTRY_FIELDS))
    shown = entries_after(view, None, None)
    assert [r["contact_no"] for r in shown] == ["CT00004", "CT00002", "CT00001"]
    assert view.describe() == f"Logged Segment {first}, canceled=No"
    assert [r["delivery_status"] for r in shown] == ["in_progress", "error", "sent"]


@pytest.mark.parametrize(
    ("line", "position", "words"),
    [
        ("dellivery_status=error", 0, "unknown field 'dellivery_status' (did you mean delivery"),
        ("contact_no=A* date=xx", 19, "date: expected a date"),
        ("canceled=maybe", 9, "canceled: expected"),
        ("just text", 0, "expected FIELD=FILTER"),
    ],
)
def test_a_mistake_names_the_field_and_the_position(line: str, position: int, words: str) -> None:
    with pytest.raises(FilterLineError) as caught:
        parse_list_line(line, ENTRY_FIELDS, ENTRY_ALIASES)
    assert caught.value.position == position
    assert words in str(caught.value)


def test_where_arguments_keep_spaces_and_report_per_argument() -> None:
    (one,) = parse_list_items(["description=New York rep=x"], ENTRY_FIELDS)
    assert one.filter.text == "New York rep=x"
    with pytest.raises(UserError, match="filter date: position 0: expected a date"):
        parse_list_items(["date=soon"], ENTRY_FIELDS)


def test_logged_segments_carry_delivery_counts_and_filter_on_them(
    entries: tuple[int, int],
) -> None:
    first, second = entries
    assert logged_counts()[first].delivery == DeliveryCounts(sent=1, failed=1, unknown=1, pending=1)
    records = {r["entry_no"]: r for r in list_logged_segments()}
    assert records[first]["delivery_summary"] == "1 sent, 1 failed, 1 unknown, 1 pending"
    assert records[second]["delivery_summary"] == ""
    failed = parse_list_line("failed=>0", LOGGED_FIELDS, LOGGED_ALIASES)
    assert [r["entry_no"] for r in list_logged_segments(failed)] == [first]
    none_sent = parse_list_line("sent=0 segment=SEG*", LOGGED_FIELDS, LOGGED_ALIASES)
    assert [r["entry_no"] for r in list_logged_segments(none_sent)] == [second]
    for field in ("unknown", "pending"):
        some = parse_list_line(f"{field}=1", LOGGED_FIELDS)
        assert [r["entry_no"] for r in list_logged_segments(some)] == [first]


def test_a_sending_entry_is_unknown_without_a_claim_and_pending_with_one(
    entries: tuple[int, int],
) -> None:
    first, _ = entries
    InteractionLogEntry.update(delivery_status="sending").where(
        InteractionLogEntry.contact_no == "CT00004"
    ).execute()
    unknown = parse_list_line("unknown=2", LOGGED_FIELDS)
    assert [r["entry_no"] for r in list_logged_segments(unknown)] == [first]
    LoggedSegment.update(delivery_claim="elsewhere:1:t").where(
        LoggedSegment.entry_no == first
    ).execute()
    pending = parse_list_line("pending=1 unknown=1", LOGGED_FIELDS)
    assert [r["entry_no"] for r in list_logged_segments(pending)] == [first]


def test_f4_lists_the_fields_with_their_captions() -> None:
    rows = dict(field_rows(ENTRY_FIELDS))
    assert rows["delivery_status"] == "Delivery Status"
    assert field_rows(ENTRY_FIELDS, "deliv")[0][0] == "delivery_status"
    assert ("failed", "Entries failed") in field_rows(LOGGED_FIELDS)
