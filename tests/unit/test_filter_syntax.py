"""Parsing Business Central filters, the errors users see, and the Python semantics."""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segment_tui.filters import (
    BLANK,
    And,
    Compare,
    FieldKind,
    FieldSpec,
    FilterSyntaxError,
    Match,
    Op,
    Or,
    Range,
    Wildcard,
    matches,
    parse_filter,
)

ANY, ONE = Wildcard.ANY, Wildcard.ONE
TODAY = datetime.date(2025, 6, 15)

CITY = FieldSpec("city", FieldKind.TEXT, max_length=30)
CODE = FieldSpec("salesperson_code", FieldKind.CODE, max_length=20)
INT = FieldSpec("no_of_employees", FieldKind.INTEGER)
DEC = FieldSpec("cost", FieldKind.DECIMAL)
DATE = FieldSpec("ile.date", FieldKind.DATE)
BOOL = FieldSpec("blocked", FieldKind.BOOLEAN)
TYPE = FieldSpec("type", FieldKind.OPTION, {"Company": "company", "Person": "person"})
CORR = FieldSpec(
    "correspondence_type",
    FieldKind.OPTION,
    {" ": "", "Hard Copy": "hard_copy", "hard_copy": "hard_copy", "Email": "email"},
)


def eq(value: object, fold: bool = False) -> Compare:
    return Compare(Op.EQ, value, fold)  # type: ignore[arg-type]


PARSE_CASES = [
    (CITY, "London", eq("London")),
    (CITY, "London|Paris", Or((eq("London"), eq("Paris")))),
    (CITY, "A*&<>AB*", And((Match(("A", ANY)), Match(("AB", ANY), negate=True)))),
    (CITY, "A|B&C", Or((eq("A"), And((eq("B"), eq("C")))))),  # & binds tighter
    (CITY, "(A|B)&C", And((Or((eq("A"), eq("B"))), eq("C")))),
    (CITY, "(A|B)|C", Or((eq("A"), eq("B"), eq("C")))),
    (CITY, "*son", Match((ANY, "son"))),
    (CITY, "A*", Match(("A", ANY))),
    (CITY, "*on*", Match((ANY, "on", ANY))),
    (CITY, "Sm?th", Match(("Sm", ONE, "th"))),
    (CITY, "<>A*", Match(("A", ANY), negate=True)),
    (CITY, "=A*", Match(("A", ANY))),
    (CITY, "@london", eq("london", fold=True)),
    (CITY, "@lon*", Match(("lon", ANY), fold=True)),
    (CITY, "<>@x", Compare(Op.NE, "x", True)),
    (CITY, "@<>x", Compare(Op.NE, "x", True)),
    (CITY, "''", eq(BLANK)),
    (CITY, "=''", eq(BLANK)),
    (CITY, "<>''", Compare(Op.NE, BLANK)),
    (CITY, "'A|B & C'", eq("A|B & C")),
    (CITY, "'O''Brien'", eq("O'Brien")),
    (CITY, "'*'", eq("*")),
    (CITY, "'A'*", Match(("A", ANY))),
    (CITY, "*'|'*", Match((ANY, "|", ANY))),
    (CITY, "' London '", eq(" London ")),
    (CITY, "=x", eq("x")),
    (CITY, "<>x", Compare(Op.NE, "x")),
    (CITY, "<x", Compare(Op.LT, "x")),
    (CITY, "<=x", Compare(Op.LE, "x")),
    (CITY, ">x", Compare(Op.GT, "x")),
    (CITY, ">=x", Compare(Op.GE, "x")),
    (CITY, "a..b", Range("a", "b")),
    (CITY, "..b", Range(None, "b")),
    (CITY, "a..", Range("a", None)),
    (CITY, "''..b", Range(None, "b")),
    (CITY, "''..", Compare(Op.GE, BLANK)),
    (CITY, "a..''", Range("a", BLANK)),
    (CITY, "@a..b", Range("a", "b", fold=True)),
    (CITY, "St. Louis", eq("St. Louis")),
    (CITY, "New York", eq("New York")),
    (CITY, "  London  ", eq("London")),
    (CITY, "London | Paris", Or((eq("London"), eq("Paris")))),
    (CITY, "jo@example.com", eq("jo@example.com")),
    (CITY, "a<b", eq("a<b")),
    (CODE, "sales", eq("SALES")),
    (CODE, "ab*", Match(("AB", ANY))),
    (CODE, "@ab", eq("AB", fold=True)),
    (INT, "1000..2000", Range(1000, 2000)),
    (INT, "1000 .. 2000", Range(1000, 2000)),
    (INT, ">5", Compare(Op.GT, 5)),
    (INT, "-3", eq(-3)),
    (INT, "''", eq(BLANK)),
    (INT, "..-1", Range(None, -1)),
    (DEC, "-3.5", eq(Decimal("-3.5"))),
    (DEC, "1.5..2", Range(Decimal("1.5"), Decimal("2"))),
    (DATE, "2025-01-31", eq(datetime.date(2025, 1, 31))),
    (DATE, "..2025-12-31", Range(None, datetime.date(2025, 12, 31))),
    (DATE, "t", eq(TODAY)),
    (DATE, "TODAY..2025-12-31", Range(TODAY, datetime.date(2025, 12, 31))),
    (BOOL, "Yes", eq(True)),
    (BOOL, "no", eq(False)),
    (BOOL, "TRUE", eq(True)),
    (BOOL, "0", eq(False)),
    (TYPE, "company", eq("company")),
    (TYPE, "COMPANY|Person", Or((eq("company"), eq("person")))),
    (CORR, "Hard Copy", eq("hard_copy")),
    (CORR, "HARD_COPY", eq("hard_copy")),
    (CORR, "' '", eq(BLANK)),  # the blank option's spelling
    (CORR, "''", eq(BLANK)),
]


@pytest.mark.parametrize(("spec", "text", "root"), PARSE_CASES)
def test_parse(spec: FieldSpec, text: str, root: object) -> None:
    flt = parse_filter(text, spec, today=TODAY)
    assert flt.root == root
    assert flt.text == text
    assert flt.spec == spec


ERROR_CASES = [
    (INT, "1000..abc", 6, "an integer"),
    (INT, "1.5", 0, "an integer"),
    (INT, "1*", 1, "wildcards are only for text and code"),
    (DEC, "1,5", 0, "a number"),
    (CITY, "Lon|", 4, "a value"),
    (CITY, "|Lon", 0, "a value"),
    (CITY, "A&", 2, "a value"),
    (CITY, "", 0, "a value"),
    (CITY, "   ", 3, "a value"),
    (CITY, "<>", 2, "a value"),
    (CITY, "()", 1, "a value"),
    (CITY, "..", 2, "a value after '..'"),
    (CITY, "(A|B", 4, "')'"),
    (CITY, "((A)", 4, "')'"),
    (CITY, "A)", 1, "has no matching '('"),
    (CITY, "A(B)", 1, "'|', '&' or the end of the filter"),
    (CITY, "a..b..c", 4, "'|', '&' or the end of the filter"),
    (CITY, "'abc", 4, "a closing ' for the one at position 0"),
    (CITY, "O'Brien", 7, "a closing '"),
    (CITY, "<><>x", 2, "a value (put it in quotes"),
    (CITY, "a..@b", 3, "a value (put it in quotes"),
    (CITY, ">a..b", 2, "not a range"),
    (CITY, "<a*", 2, "without wildcards after '<'"),
    (CITY, "a*..b", 1, "without wildcards in a range"),
    (CITY, "x" * 31, 0, "at most 30 characters"),
    (CODE, "a" * 21 + "*", 0, "at most 20 characters"),
    (CODE, "ab|" + "?" * 21, 3, "at most 20 characters"),
    (TYPE, "Companyy", 0, "one of: Company, Person"),
    (TYPE, "company|x", 8, "one of: Company, Person"),
    (TYPE, "comp*", 4, "wildcards are only for text and code"),
    (CORR, "fax", 0, "one of: ' ', Hard Copy, hard_copy, Email"),
    (DATE, "2025-02-30", 0, "a valid calendar date"),
    (DATE, "..2025-02-30", 2, "a valid calendar date"),
    (DATE, "2025-1-1", 0, "a date (YYYY-MM-DD)"),
    (DATE, "@2025-01-01", 0, "'@' is only for text and code"),
    (BOOL, "maybe", 0, "Yes or No"),
]


@pytest.mark.parametrize(("spec", "text", "position", "expected"), ERROR_CASES)
def test_parse_error(spec: FieldSpec, text: str, position: int, expected: str) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse_filter(text, spec, today=TODAY)
    err = caught.value
    assert (err.field, err.position) == (spec.name, position), err
    assert expected in err.expected
    assert str(err) == f"{spec.name}: position {position}: expected {err.expected}"


def test_error_message_names_field_position_and_expectation() -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse_filter("Lon|", CITY)
    assert str(caught.value) == "city: position 4: expected a value"
    assert isinstance(caught.value, ValueError)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.field, copy.position, copy.expected) == ("city", 4, "a value")


MATCH_CASES: list[tuple[FieldSpec, str, list[tuple[object, bool]]]] = [
    (CITY, "London", [("London", True), ("london", False), (None, False), ("", False)]),
    (CITY, "@london", [("LONDON", True), ("London", True), ("Londo", False)]),
    (CITY, "@lon*", [("London Bridge", True), ("Paris", False)]),
    (CITY, "London|Paris", [("Paris", True), ("Rome", False)]),
    (CITY, "''", [(None, True), ("", True), ("x", False)]),
    (CITY, "<>''", [(None, False), ("", False), ("x", True)]),
    (CITY, "<>London", [(None, True), ("", True), ("London", False), ("Paris", True)]),
    # blank sorts first; text order is by code point, so "b" > "B"
    (CITY, "<B", [(None, True), ("", True), ("A", True), ("B", False), ("b", False)]),
    (CITY, ">B", [(None, False), ("", False), ("b", True), ("Ä", True)]),
    (CITY, "A*", [("", False), (None, False), ("A", True), ("Apple", True), ("apple", False)]),
    (CITY, "*", [(None, True), ("", True), ("x", True)]),
    (CITY, "<>A*", [(None, True), ("", True), ("Apple", False), ("Banana", True)]),
    (CITY, "Sm?th", [("Smith", True), ("Smyth", True), ("Smiith", False), ("Smth", False)]),
    (CITY, "*on*", [("London", True), ("Paris", False)]),
    (CITY, "*son", [("Johnson", True), ("Johnsons", False)]),
    (CITY, "a..c", [("a", True), ("b", True), ("c", True), ("cz", False), (None, False)]),
    (CITY, "..c", [(None, True), ("", True), ("d", False)]),
    (CITY, "..''", [(None, True), ("", True), ("a", False)]),
    (CITY, "''..", [(None, True), ("", True), ("a", True)]),
    (INT, "..''", [(None, True), (-5, False)]),
    (CITY, "c..", [(None, False), ("c", True)]),
    (CITY, "A*&<>AB*", [("Apple", True), ("ABC", False), ("Banana", False)]),
    (CITY, "'A|B & C'", [("A|B & C", True), ("A", False)]),
    (CITY, "*'*'*", [("a*b", True), ("ab", False)]),
    (CITY, "'%'", [("%", True), ("a", False)]),
    (CITY, "Ä*", [("Äpfel", True), ("äpfel", False)]),
    (CITY, "@ä*", [("Äpfel", True), ("äpfel", True)]),
    (CITY, "a*b", [("a\nb", True)]),
    (CODE, "ab*", [("ABC", True), ("XAB", False)]),
    (CODE, "abc", [("ABC", True)]),
    (INT, "1000..2000", [(1500, True), (999, False), (2000, True), (None, False)]),
    (INT, ">5", [(6, True), (5, False), (None, False)]),
    (INT, "''", [(None, True), (0, False)]),
    (INT, "<>5", [(None, True), (5, False), (0, True)]),
    (INT, "<1", [(None, True), (0, True), (1, False)]),
    (DEC, "-3.5", [(Decimal("-3.50"), True), (Decimal("-3.4"), False)]),
    (DEC, "..0", [(Decimal("-1"), True), (Decimal("0.01"), False), (2.5, False)]),
    (DATE, "..2025-12-31", [(None, True), (datetime.date(2026, 1, 1), False)]),
    (DATE, "2025-01-01..", [(None, False), (datetime.date(2025, 1, 1), True)]),
    (DATE, "t", [(TODAY, True), ("2025-06-15", True), (datetime.date(2025, 6, 14), False)]),
    (DATE, "<>2025-01-01", [(None, True), (datetime.date(2025, 1, 1), False)]),
    (BOOL, "Yes", [(True, True), (False, False), (1, True)]),
    (BOOL, "<>No", [(True, True), (None, True), (False, False)]),
    (TYPE, "company|person", [("company", True), ("person", True), ("", False)]),
    (TYPE, "<>company", [(None, True), ("", True), ("person", True), ("company", False)]),
    # options order by ordinal (their order in the spec), not alphabetically
    (TYPE, ">company", [("person", True), ("company", False), (None, False)]),
    (TYPE, "..company", [("company", True), ("person", False), (None, True)]),
    (CORR, "''", [("", True), (None, True), ("email", False)]),
    (CORR, "<>''", [("email", True), ("", False), (None, False)]),
    (CORR, "hard copy..", [("hard_copy", True), ("email", True), ("", False)]),
]


@pytest.mark.parametrize(
    ("spec", "text", "value", "expected"),
    [(spec, text, value, expected) for spec, text, rows in MATCH_CASES for value, expected in rows],
)
def test_matches(spec: FieldSpec, text: str, value: object, expected: bool) -> None:
    assert matches(parse_filter(text, spec, today=TODAY), value) is expected


DESCRIBE_CASES = [
    (CITY, "  london |  paris ", "london|paris"),
    (CITY, "(A|B)&C", "(A|B)&C"),
    (CITY, "A|(B&C)", "A|B&C"),
    (CITY, "'a|b'", "'a|b'"),
    (CITY, "'O''Brien'", "'O''Brien'"),
    (CITY, "@a..b", "@a..b"),
    (CITY, "@<>x", "<>@x"),
    (CITY, "=x", "x"),
    (CITY, "'a.'..'<b'", "'a.'..'<b'"),
    (CITY, "*'*'*", "*'*'*"),
    (CITY, "''..", ">=''"),
    (CITY, "..''", "..''"),
    (CODE, "ab*", "AB*"),
    (DATE, "t..", "2025-06-15.."),
    (DEC, "1.50..2", "1.50..2"),
    (BOOL, "1|false", "Yes|No"),
    (TYPE, "COMPANY", "Company"),
    (CORR, "hard_copy", "Hard Copy"),
    (CORR, "' '", "''"),
]


@pytest.mark.parametrize(("spec", "text", "described"), DESCRIBE_CASES)
def test_describe(spec: FieldSpec, text: str, described: str) -> None:
    flt = parse_filter(text, spec, today=TODAY)
    assert flt.describe() == described
    assert str(flt) == described
    assert parse_filter(described, spec, today=TODAY).root == flt.root


FUZZ_SPECS = [CITY, CODE, INT, DEC, DATE, BOOL, TYPE]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(FUZZ_SPECS),
    st.text(alphabet="aAbZ1-0. *?|&()'@<>=ßÄ", max_size=14),
)
def test_any_text_parses_or_raises_filter_syntax_error_and_describe_round_trips(
    spec: FieldSpec, text: str
) -> None:
    try:
        flt = parse_filter(text, spec, today=TODAY)
    except FilterSyntaxError as err:
        assert err.field == spec.name
        assert 0 <= err.position <= len(text)
        return
    again = parse_filter(flt.describe(), spec, today=TODAY)
    assert again.root == flt.root, flt.describe()
