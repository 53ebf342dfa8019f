"""Field instruction parsing, value formatting and escaping (unit + property tests)."""

from __future__ import annotations

import datetime
import decimal

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segment_tui.merge import DocxTemplate
from segment_tui.merge.pictures import format_date, format_number
from segment_tui.merge.switches import (
    Switches,
    format_value,
    parse_mergefield,
    parse_placeholder,
    tokenize,
)
from tests.unit.merge_helpers import add_mergefield, open_docx, save


@pytest.mark.parametrize(
    ("instr", "name", "switches"),
    [
        (' MERGEFIELD "Contact Name" \\* MERGEFORMAT ', "Contact Name", Switches()),
        (" MERGEFIELD  NAME ", "NAME", Switches()),
        ("MERGEFIELD Contact Name \\* Upper", "Contact Name", Switches(cases=("upper",))),
        (
            'MERGEFIELD "Salesperson/Purchaser Name" \\b "Dear " \\f ","',
            "Salesperson/Purchaser Name",
            Switches(before="Dear ", after=","),
        ),
        (
            'mergefield "Document Date" \\@ dd.MM.yyyy',
            "Document Date",
            Switches(date_picture="dd.MM.yyyy"),
        ),
        ('MERGEFIELD X \\#"0.00"', "X", Switches(number_picture="0.00")),
        ("MERGEFIELD X \\*Caps", "X", Switches(cases=("caps",))),
        ('MERGEFIELD "a \\"quoted\\" name"', 'a "quoted" name', Switches()),
    ],
)
def test_parse_mergefield(instr: str, name: str, switches: Switches) -> None:
    spec = parse_mergefield(instr)
    assert spec is not None
    assert spec.name == name
    assert spec.switches == switches
    assert spec.fallback == f"\u00ab{name}\u00bb"


@pytest.mark.parametrize("instr", [" PAGE ", "MERGEFIELD", " MERGEFIELD \\* MERGEFORMAT", ""])
def test_not_a_mergefield(instr: str) -> None:
    assert parse_mergefield(instr) is None


def test_placeholder_with_switch() -> None:
    spec = parse_placeholder(' Document  Date \\@ "d MMMM yyyy" ', "{{raw}}")
    assert spec is not None
    assert spec.name == "Document Date"
    assert spec.switches.date_picture == "d MMMM yyyy"
    assert spec.fallback == "{{raw}}"


def test_tokenize_keeps_quoted_spaces() -> None:
    assert tokenize('IF "a b" = c "x \\" y"') == [
        ("IF", False),
        ("a b", True),
        ("=", False),
        ("c", False),
        ('x " y', True),
    ]


@pytest.mark.parametrize(
    ("value", "picture", "expected"),
    [
        (datetime.date(2025, 1, 5), "d.M.yy", "5.1.25"),
        (datetime.date(2025, 1, 5), "ddd, MMM d", "Sun, Jan 5"),
        (datetime.datetime(2025, 1, 5, 13, 4, 9), "h:mm:ss AM/PM", "1:04:09 PM"),
        (datetime.datetime(2025, 1, 5, 0, 4), "hh:mm am/pm", "12:04 am"),
        (datetime.date(2025, 1, 5), "'Week of' MMMM", "Week of January"),
    ],
)
def test_format_date(value: datetime.date, picture: str, expected: str) -> None:
    assert format_date(value, picture) == expected


@pytest.mark.parametrize(
    ("value", "picture", "expected"),
    [
        (0, "#,##0.00", "   0.00"),  # '#' is a digit or a space (ECMA-376 17.16.4.3)
        (15, "$###", "$ 15"),
        (222492, "x##", "492"),
        (0.125, "0.00x", "0.125"),
        (0.75, ".x", ".8"),
        (-80, "-##", "-80"),
        (80, "-##", " 80"),
        (5, "+0", "+5"),
        (5, "0,000", "0,005"),
        (1234567.891, ",0.00", "1,234,567.89"),
        (0.005, "0.00", "0.01"),
        (-0.004, "0.00", "0.00"),
        (1234, "€ #,##0.00", "€ 1,234.00"),
        (1234.5, "#,##0.## 'EUR'", "1,234.5 EUR"),
        (-5, "0;(0)", "(5)"),
        (0, "0;(0);'zero'", "zero"),
        (12.345, "#.##", "12.35"),
        (float("nan"), "0.00", "nan"),
    ],
)
def test_format_number(value: float, picture: str, expected: str) -> None:
    assert format_number(value, picture) == expected


def test_bool_is_not_formatted_as_number() -> None:
    assert format_value(True, Switches(number_picture="0.00")) == "True"


# Characters XML 1.0 allows (the engine drops the others on purpose).
XML_TEXT = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters="".join(chr(c) for c in range(32) if c not in (9, 10)) + "\ufffe\uffff",
    ),
    max_size=40,
)


@pytest.fixture(scope="module")
def one_field_template() -> DocxTemplate:
    doc = docx.Document()
    add_mergefield(doc.add_paragraph(), "Contact Name")
    return DocxTemplate.from_bytes(save(doc))


@settings(max_examples=60, deadline=None)
@given(value=XML_TEXT)
def test_any_text_value_round_trips(one_field_template: DocxTemplate, value: str) -> None:
    out = one_field_template.merge({"Contact Name": value}).document
    assert open_docx(out).paragraphs[0].text == value
    assert one_field_template.merge_text({"Contact Name": value}) == value


@settings(max_examples=40, deadline=None)
@given(
    value=st.decimals(
        min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4
    )
)
def test_number_picture_matches_python_formatting(value: decimal.Decimal) -> None:
    expected = format(
        value.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP), ",.2f"
    )
    if expected.startswith("-") and decimal.Decimal(expected.replace(",", "")) == 0:
        expected = expected[1:]
    assert format_number(value, ",0.00") == expected  # Word's idiom for grouping, no padding
    # '#' places without a digit print as spaces, so amounts line up as in Word.
    assert format_number(value, "#,##0.00") == expected.rjust(7)
