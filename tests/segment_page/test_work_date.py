"""The work date: BC's ``w`` / ``workdate`` filter tokens, the session setting behind
them (``--work-date``, ``$SEGMENT_TUI_WORK_DATE``, default today) and new segments' date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from segment_tui.errors import UserError
from segment_tui.filters import (
    BLANK,
    Compare,
    FieldKind,
    FieldSpec,
    FilterSyntaxError,
    Node,
    Op,
    Or,
    Range,
    parse_filter,
)
from segment_tui.services.setup.work_date import (
    parse_work_date,
    set_work_date,
    work_date,
    work_date_is_set,
)
from segment_tui.services.values import parse_date
from tests.conftest import ContactFactory
from tests.segment_page.conftest import Run, ok_json

DATE = FieldSpec("date", FieldKind.DATE)
DAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("w", Compare(Op.EQ, DAY)),
        ("WORKDATE", Compare(Op.EQ, DAY)),
        ("<w", Compare(Op.LT, DAY)),
        ("w..t", Range(DAY, TODAY)),
        ("..workdate", Range(None, DAY)),
        ("''|w", Or((Compare(Op.EQ, BLANK), Compare(Op.EQ, DAY)))),
    ],
)
def test_w_and_workdate_mean_the_work_date(text: str, root: Node) -> None:
    parsed = parse_filter(text, DATE, today=TODAY, work_date=DAY)
    assert parsed.root == root
    # Without a work date it is today, as in a session that never set one.
    assert "2026-06-01" in parse_filter("w", DATE, today=TODAY).describe()


def test_a_wrong_date_names_the_new_tokens() -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse_filter("tomorrow", DATE, today=TODAY)
    assert caught.value.expected == "a date (YYYY-MM-DD), 'today' or 'workdate'"


def test_the_setting_defaults_to_today_and_today_follows_the_calendar() -> None:
    assert work_date() == dt.date.today() and not work_date_is_set()
    set_work_date(DAY)
    assert work_date() == DAY and work_date_is_set()
    assert parse_date("date", "w") == DAY and parse_date("date", "t") == dt.date.today()
    set_work_date(parse_work_date("t"))
    assert work_date() == dt.date.today() and not work_date_is_set()
    with pytest.raises(UserError, match=r"work date: '2026-02-30' is not a date"):
        parse_work_date("2026-02-30")


def _contacted_on_day(make_contact: ContactFactory) -> None:
    """C1 had an interaction on DAY, C2 none."""
    from segment_tui.services.log.log_segment import log_segment
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    make_contact(no="C1", type="company", name="Contacted")
    make_contact(no="C2", type="company", name="Not contacted")
    header = create_segment("Earlier", template="LETTER", salesperson="BC", date=DAY)
    add_line(header["no"], "C1")
    log_segment(header["no"])


def test_criteria_with_w_select_by_the_work_date(make_contact: ContactFactory) -> None:
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.segments.headers import create_segment
    from tests.engine.support import where

    _contacted_on_day(make_contact)
    number = create_segment("As of the work date")["no"]
    assert add_contacts(number, where("ile.date=w"), AddOptions()).added == 0  # today
    set_work_date(DAY)
    assert add_contacts(number, where("ile.date=w"), AddOptions()).added == 1


def test_the_command_line_takes_the_work_date_from_the_option_or_the_environment(
    make_contact: ContactFactory, cli: Run, process: Run, db_path: Path
) -> None:
    _contacted_on_day(make_contact)
    made = ok_json(cli, "--work-date", "2026-03-02", "segment", "new", "--description", "A")
    assert made["date"] == "2026-03-02"  # BC: a new segment's date is the work date
    listed = ok_json(cli, "--work-date", "2026-03-02", "contacts", "list",
                     "--where", "ile.date=workdate")  # fmt: skip
    assert [c["no"] for c in listed] == ["C1"]
    status, out, err = process("segment", "new", "--description", "B", "--json",
                               env={"SEGMENT_TUI_WORK_DATE": "2026-03-02"})  # fmt: skip
    assert status == 0 and '"date": "2026-03-02"' in out
    # A bad option is wrong usage (2); a bad environment value is refused (1), naming it.
    status, _, err = process("--work-date", "03/02/2026", "segment", "list")
    assert status == 2 and "argument --work-date: '03/02/2026' is not a date" in err
    status, _, err = process("segment", "list", env={"SEGMENT_TUI_WORK_DATE": "soon"})
    assert status == 1 and err.startswith("error: SEGMENT_TUI_WORK_DATE: 'soon' is not a date")
