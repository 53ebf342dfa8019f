"""Campaign entries (docs/interactions.md): Log writes one per campaign and logged
segment, Create Interaction one "Interactions" entry per campaign; they are listed and
filtered with BC's No. of Interactions, Cost and Duration (entries whose Canceled equals
the campaign entry's), and cancelling a logged segment shows on its campaign entries."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.interactions.campaign_entries import list_campaign_entries
from segment_tui.services.interactions.create import create_interaction
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.log.logged_segments import toggle_canceled
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.segments.lines import add_line

People = dict[str, ContactRecord]


@pytest.fixture
def campaign_world(people: People) -> int:
    """A logged segment of Ann and Bob with campaign CP1001 (LETTER, 2.50 each), and a
    call with Ida outside segments for the same campaign; returns the logged segment."""
    header = create_segment(
        "Launch letter", template="LETTER", salesperson="PS", date=dt.date(2026, 9, 1),
        campaign="CP1001",
    )  # fmt: skip
    add_line(header["no"], "P1")
    add_line(header["no"], "P2")
    logged = log_segment(header["no"]).logged_segment_entry_no
    create_interaction(
        "P3", {"interaction_template_code": "OUTCALL", "campaign_no": "CP1001"}, send=False
    )
    return logged


def test_campaign_entries_show_what_logging_left(campaign_world: int) -> None:
    segment_entry, interactions_entry = list_campaign_entries()
    assert segment_entry["register_no"] == campaign_world
    assert segment_entry["description"] == "Launch letter"
    assert segment_entry["campaign_description"] == "Autumn product launch"
    assert (segment_entry["no_of_interactions"], segment_entry["cost_lcy"]) == (2, Decimal("5.00"))
    assert segment_entry["duration_min"] == 10
    assert interactions_entry["register_no"] is None
    assert interactions_entry["description"] == "Interactions"
    assert interactions_entry["no_of_interactions"] == 1


def test_cancelling_the_logged_segment_shows_on_its_campaign_entry(campaign_world: int) -> None:
    toggle_canceled([campaign_world])
    segment_entry, interactions_entry = list_campaign_entries()
    assert segment_entry["canceled"] is True
    # BC's FlowField counts the entries whose Canceled equals the campaign entry's.
    assert segment_entry["no_of_interactions"] == 2
    assert interactions_entry["canceled"] is False
    assert [r["entry_no"] for r in list_campaign_entries(canceled=True)] == [
        segment_entry["entry_no"]
    ]
    toggle_canceled([campaign_world])
    assert list_campaign_entries()[0]["canceled"] is False


def test_filters(campaign_world: int) -> None:
    assert len(list_campaign_entries("cp1001")) == 2
    assert [r["register_no"] for r in list_campaign_entries(logged=campaign_world)] == [
        campaign_world
    ]
    with pytest.raises(UserError, match="The Campaign does not exist"):
        list_campaign_entries("NOPE")


def test_cli_campaign_entries(campaign_world: int, cli: Any) -> None:
    status, out, err = cli("campaigns", "entries", "CP1001")
    assert status == 0, err
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["Entry", "Campaign", "Canc."] and len(rows) == 2
    cli("logged", "cancel", str(campaign_world))
    status, out, err = cli("campaigns", "entries", "--canceled", "yes", "--json")
    assert status == 0, err
    (canceled,) = json.loads(out)
    assert canceled["register_no"] == campaign_world and canceled["canceled"] is True
    status, _, err = cli("campaigns", "entries", "XX")
    assert status == 1 and "The Campaign does not exist" in err
