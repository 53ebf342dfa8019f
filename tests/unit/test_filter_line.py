"""The Contacts screen's filter line: splitting ``field=FILTER`` items and reporting
problems with their position (no database needed)."""

from __future__ import annotations

import pytest

from segment_tui.services.contacts.filter_line import (
    FilterItem,
    FilterLineError,
    filter_items,
    parse_filter_line,
    split_filter_line,
)


def test_items_start_at_a_name_followed_by_equals() -> None:
    line = "city=New York type=Person mailing_group=CHRISTMAS|PRESS"
    assert filter_items(line) == [
        "city=New York",
        "type=Person",
        "mailing_group=CHRISTMAS|PRESS",
    ]


def test_positions_point_into_the_line() -> None:
    line = "  city= New York   type=Person "
    first, second = split_filter_line(line)
    assert first == FilterItem("city", "New York", 2, 8)
    assert line[first.filter_start :].startswith("New York")
    assert second == FilterItem("type", "Person", 19, 24)


@pytest.mark.parametrize("line", ["", "   "])
def test_an_empty_line_has_no_items(line: str) -> None:
    assert split_filter_line(line) == []
    assert parse_filter_line(line) == []


def test_quoted_text_never_starts_an_item() -> None:
    assert filter_items("name='A b=c' city=Paris") == ["name='A b=c'", "city=Paris"]


def test_operators_after_the_equals_sign_stay_in_the_filter() -> None:
    assert filter_items("no=>=C100 name=<>'' post_code=1000..2000") == [
        "no=>=C100",
        "name=<>''",
        "post_code=1000..2000",
    ]


def test_a_word_with_equals_inside_a_value_starts_an_item_only_after_a_space() -> None:
    assert filter_items("name=a=b ile.date=..2025-12-31") == ["name=a=b", "ile.date=..2025-12-31"]


def test_text_before_the_first_field_is_refused_at_its_position() -> None:
    with pytest.raises(FilterLineError) as caught:
        split_filter_line(" London city=Paris")
    assert caught.value.position == 1
    assert "expected FIELD=FILTER" in str(caught.value)
    assert str(caught.value).startswith("position 2:")


def test_parse_gives_the_criteria_filters() -> None:
    filters = parse_filter_line("City=London TYPE=person mailing_group=CHRISTMAS|PRESS")
    assert [(f.field.name, f.text) for f in filters] == [
        ("city", "London"),
        ("type", "person"),
        ("mailing_group", "CHRISTMAS|PRESS"),
    ]


def test_an_unknown_field_is_named_with_its_position_and_a_suggestion() -> None:
    with pytest.raises(FilterLineError) as caught:
        parse_filter_line("type=Person cty=London")
    error = caught.value
    assert error.position == 12
    assert error.field == "cty"
    assert "unknown field 'cty'" in str(error)
    assert "did you mean city?" in str(error)


def test_a_filter_syntax_error_points_into_the_line() -> None:
    line = "type=Person post_code=(1000 city=London"
    with pytest.raises(FilterLineError) as caught:
        parse_filter_line(line)
    error = caught.value
    assert error.field == "post_code"
    assert error.position == line.index(" city")
    assert str(error) == f"position {error.position + 1}: post_code: expected ')'"


def test_an_empty_filter_is_refused_at_the_field() -> None:
    line = "city= type=Person"
    with pytest.raises(FilterLineError) as caught:
        parse_filter_line(line)
    assert caught.value.position == 5
    assert "city: expected a value" in str(caught.value)


def test_a_bad_option_value_names_the_field() -> None:
    with pytest.raises(FilterLineError) as caught:
        parse_filter_line("type=Robot")
    assert caught.value.field == "type"
    assert caught.value.position == 5
