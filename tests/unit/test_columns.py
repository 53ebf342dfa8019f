"""The shared column formats (``services/columns.py``): how a stored value reads in a
cell of the terminal UI and of the command line's tables, one test per format, and the
column table's look-up by key."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from segment_tui.services.columns import (
    ColumnTable,
    FieldColumn,
    amount,
    captions,
    checkmark,
    date,
    option,
    quantity,
    shown,
    text,
)
from segment_tui.services.interactions.columns import ENTRY_COLUMNS, LETTER_CAPTIONS
from segment_tui.services.segments.columns import criteria_action


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Adatum", "Adatum"),
        ("", ""),
        (None, ""),
        ("first line\nsecond line", "first line second line"),  # one row stays one line
        (10000, "10000"),  # numbers that identify: no thousands separator
        (Decimal("2.5"), "2.50"),
    ],
)
def test_text(value: Any, expected: str) -> None:
    assert text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.5"), "2.50"),
        (Decimal("1234567.891"), "1,234,567.89"),
        (Decimal("0"), "0.00"),
        (0.1, "0.10"),  # a driver's float: no binary noise
        (85, "85.00"),  # an integral amount from JSON or SQLite
        (None, ""),
        (Decimal("-12.345"), "-12.34"),  # rounded half-even, as Decimal formats
    ],
)
def test_amount(value: Any, expected: str) -> None:
    assert amount(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (5, "5"), (1234, "1,234"), (1234567, "1,234,567"), (None, "")],
)
def test_quantity(value: Any, expected: str) -> None:
    assert quantity(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 3, 16), "2026-03-16"),
        (dt.datetime(2026, 3, 16, 9, 5), "2026-03-16T09:05:00"),
        (None, ""),
    ],
)
def test_date(value: Any, expected: str) -> None:
    assert date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(True, "Yes"), (False, ""), (None, ""), (1, "Yes"), (0, "")]
)
def test_checkmark(value: Any, expected: str) -> None:
    assert checkmark(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hard_copy", "Hard Copy"),
        ("email", "Email"),
        ("very_positive", "Very Positive"),
        ("in_progress", "Queued"),  # the delivery state people read
        ("sent", "Sent"),
        ("person", "Person"),
        ("", ""),
        (None, ""),
        ("not_an_option", "not_an_option"),  # shown as stored rather than hidden
    ],
)
def test_option(value: Any, expected: str) -> None:
    assert option(value) == expected


def test_captions_of_a_field_of_its_own() -> None:
    letter = captions(LETTER_CAPTIONS)
    assert [letter(v) for v in ("delivered", "document", "", None)] == [
        "Delivered", "Document", "", "",
    ]  # fmt: skip
    assert ENTRY_COLUMNS["letter"].format("delivered") == "Delivered"


@pytest.mark.parametrize(("value", "expected"), [(3, "#3"), (0, ""), (None, "")])
def test_criteria_action(value: Any, expected: str) -> None:
    assert criteria_action(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "Yes"),
        (False, ""),
        (Decimal("1234.5"), "1,234.50"),
        (dt.date(2026, 1, 2), "2026-01-02"),
        (1234, "1,234"),
        ("a\nb", "a b"),
    ],
)
def test_shown_by_type(value: Any, expected: str) -> None:
    assert shown(value) == expected


def test_a_table_finds_its_columns_by_key_in_the_order_asked() -> None:
    table = ColumnTable("thing", FieldColumn("a", "A", 3), FieldColumn("b", "B", 4, "right"))
    assert [c.caption for c in table.pick("b", "a")] == ["B", "A"]
    assert "a" in table and "c" not in table and len(table) == 2
    with pytest.raises(KeyError, match="the thing columns have no 'c'"):
        table.pick("a", "c")
    with pytest.raises(ValueError, match="a key appears twice"):
        ColumnTable("thing", FieldColumn("a", "A", 3), FieldColumn("a", "Again", 3))


def test_a_command_line_table_reads_as_the_screen() -> None:
    from segment_tui.cli.output import write_table

    row = {
        "entry_no": 7, "canceled": False, "evaluation": "very_positive",
        "cost_lcy": Decimal("1234.5"), "delivery_status": "in_progress",
        "description": "two\nlines", "letter": "document",
    }  # fmt: skip
    keys = ("entry_no", "canceled", "evaluation", "cost_lcy", "delivery_status", "letter")
    out = io.StringIO()
    assert write_table([row, {**row, "canceled": True}], ENTRY_COLUMNS.pick(*keys), out) == 2
    assert out.getvalue().splitlines() == [
        "Entry No.  Canc.  Evaluation     Cost (LCY)  Delivery  Letter",
        "        7         Very Positive    1,234.50  Queued    Document",
        "        7  Yes    Very Positive    1,234.50  Queued    Document",
    ]  # captions, formats and alignment as the screen's; numbers right-aligned
    out = io.StringIO()
    write_table([row], ENTRY_COLUMNS.pick("description", "entry_no"), out)
    assert out.getvalue().splitlines()[1] == "two lines            7"  # one row, one line
