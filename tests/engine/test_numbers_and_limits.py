"""Numbers a user can type: segment numbers ahead of the series, amounts beyond what the
columns hold, totals that must stay decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from segment_tui.errors import UserError
from segment_tui.models import Attachment, SegmentHeader
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.headers import (
    create_segment,
    delete_segment,
    header_record,
    set_header_fields,
)
from tests.conftest import ContactFactory


def test_a_number_typed_ahead_of_the_series_is_skipped_not_a_dead_end(cronus: object) -> None:
    assert create_segment("First")["no"] == "SEG00001"
    create_segment("Typed", no="SEG00002")
    assert create_segment("Next")["no"] == "SEG00003"


def test_follow_up_skips_a_taken_number_and_log_reports_the_truth(
    make_contact: ContactFactory,
) -> None:
    make_contact(no="P1", type="person", name="Ann", email="ann@example.com")
    segment = create_segment("Letters", template="LETTER", salesperson="BC")["no"]
    add_contacts(segment, parse_where(["no=P1"]), AddOptions())
    create_segment("Typed by hand", no="SEG00002")
    result = log_segment(segment, follow_up=True)
    assert result.follow_up_segment_no == "SEG00003"
    assert SegmentHeader.get(SegmentHeader.no == "SEG00003").description.startswith("Follow-up")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_cost_lcy", "1e30", "too large"),
        ("unit_cost_lcy", "10000000000000000", "too large"),
        ("unit_duration_min", "99999999999", "too large"),
        ("unit_cost_lcy", "abc", "is not a number"),
    ],
)
def test_amounts_beyond_the_columns_are_refused(
    cronus: object, field: str, value: str, message: str
) -> None:
    segment = create_segment("Letters", template="LETTER")["no"]
    with pytest.raises(UserError, match=message):
        set_header_fields(segment, {field: value})
    assert SegmentHeader.get().unit_cost_lcy == Decimal("2.50")


def test_header_cost_total_is_a_decimal_of_cents(make_contact: ContactFactory) -> None:
    for index in range(3):
        make_contact(no=f"P{index}", type="person", name=f"P {index}")
    segment = create_segment("News", template="NEWS")["no"]  # 0.10 per line
    add_contacts(segment, parse_where(["type=Person"]), AddOptions())
    assert header_record(segment)["cost_lcy"] == Decimal("0.30")


def test_a_segment_links_to_its_templates_document_and_deleting_it_keeps_it(
    cronus: object,
) -> None:
    before = Attachment.select().count()
    segment = create_segment("Letters", template="LETTER")["no"]
    assert Attachment.select().count() == before  # linked, not copied: it follows the template
    delete_segment(segment)
    assert Attachment.select().count() == before
