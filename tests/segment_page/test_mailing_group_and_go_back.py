"""Apply Mailing Group (BC report 5184) and Go Back with nothing to undo, through the
service and the command line."""

from __future__ import annotations

import pytest

from segment_tui.errors import UserError
from segment_tui.models import ContactMailingGroup, SegmentLine
from segment_tui.questions import Answers
from segment_tui.services.criteria.actions import RESET_EMPTY_SEGMENT
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.segments.mailing_groups import apply_mailing_group
from tests.conftest import ContactFactory
from tests.segment_page.conftest import Run, ok_json


def groups(code: str) -> list[str]:
    query = ContactMailingGroup.select(ContactMailingGroup.contact_no).where(
        ContactMailingGroup.mailing_group_code == code
    )
    return sorted(row.contact_no for row in query)


def test_every_line_contact_gets_the_group_once(addresses: str) -> None:
    from segment_tui.services.segments.lines import add_line

    add_line(addresses, "P1")  # Ann on a second line: still one assignment
    ContactMailingGroup.create(contact_no="P8", mailing_group_code="CHRISTMAS")
    result = apply_mailing_group(addresses, " christmas ")
    assert (result.added, result.already, result.removed) == (6, 1, 0)
    assert result.message == f"Mailing Group CHRISTMAS is now applied to Segment {addresses}."
    assert groups("CHRISTMAS") == ["C1", "C2", "C3", "P1", "P2", "P8", "P9"]
    again = apply_mailing_group(addresses, "CHRISTMAS")
    assert (again.added, again.already) == (0, 7)


def test_delete_old_assignments_takes_the_group_from_everyone_first(
    addresses: str, make_contact: ContactFactory
) -> None:
    make_contact(no="Z1", type="company", name="Not on the segment")
    ContactMailingGroup.create(contact_no="Z1", mailing_group_code="PRESS")
    ContactMailingGroup.create(contact_no="P1", mailing_group_code="PRESS")
    ContactMailingGroup.create(contact_no="Z1", mailing_group_code="EVENTS")
    result = apply_mailing_group(addresses, "PRESS", delete_old=True)
    assert (result.removed, result.added, result.already) == (2, 7, 0)
    assert "Z1" not in groups("PRESS") and len(groups("PRESS")) == 7
    assert groups("EVENTS") == ["Z1"]  # other groups are left alone


@pytest.mark.parametrize("code", ["", "   ", "NOPE"])
def test_a_missing_or_unknown_code_is_refused_with_bcs_message(addresses: str, code: str) -> None:
    ContactMailingGroup.create(contact_no="P1", mailing_group_code="PRESS")
    with pytest.raises(UserError, match=r"^Specify a Mailing Group Code\.$"):
        apply_mailing_group(addresses, code, delete_old=True)
    assert groups("PRESS") == ["P1"]  # nothing deleted


def test_apply_mailing_group_from_the_command_line(addresses: str, cli: Run) -> None:
    status, out, err = cli("segment", "apply-mailing-group", addresses, "events")
    assert (status, err) == (0, "")
    assert out == f"Mailing Group EVENTS is now applied to Segment {addresses}.\n"
    document = ok_json(cli, "segment", "apply-mailing-group", addresses, "EVENTS",
                       "--delete-old")  # fmt: skip
    assert document == {
        "segment_no": addresses, "mailing_group_code": "EVENTS", "removed": 7, "added": 7,
        "already": 0, "message": f"Mailing Group EVENTS is now applied to Segment {addresses}.",
    }  # fmt: skip
    status, out, err = cli("segment", "apply-mailing-group", addresses, "XMAS")
    assert (status, out, err) == (1, "", "error: Specify a Mailing Group Code.\n")
    status, out, err = cli("segment", "apply-mailing-group", addresses)
    assert status == 2 and "MAILING_GROUP_CODE" in err


def test_go_back_with_nothing_to_undo_changes_nothing(addresses: str) -> None:
    from segment_tui.services.criteria.actions import action_count

    for _ in range(action_count(addresses)):  # the seven lines typed in are actions
        go_back(addresses, answers=Answers({RESET_EMPTY_SEGMENT: False}))
    lines = SegmentLine.select().count()
    result = go_back(addresses)
    assert result.nothing_to_undo and (result.removed, result.restored) == (0, 0)
    assert SegmentLine.select().count() == lines


def test_go_back_with_nothing_to_undo_exits_0_with_a_note(
    cronus: object, cli: Run, process: Run
) -> None:
    from segment_tui.services.segments.headers import create_segment

    number = create_segment("Nothing yet")["no"]
    status, out, err = cli("segment", "go-back", number)
    assert (status, out) == (0, "")
    assert err == f"note: segment {number} has no criteria action to undo; nothing changed\n"
    status, out, err = process("segment", "go-back", number, "--json")
    assert status == 0 and "note:" in err
    assert '"nothing_to_undo": true' in out and '"action_no": 0' in out
