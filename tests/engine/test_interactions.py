"""Interaction Log Entries (page 5076): list, evaluate, cancel/uncancel, delete canceled.

Pins docs/business-central.md, "After logging": Evaluate Interaction sets the evaluation of
the selection; Switch Checkmark in Canceled (new value = NOT the first selected entry's)
does not cancel the logged segment, and an entry cannot be un-canceled while its logged
segment is canceled (TestField "Canceled must be equal to 'No' in Logged Segment…"); Delete
Canceled Entries deletes canceled entries only ("<n> Interaction Log Entry has been
deleted."). Listing shows newest first with the contact's and company's names (BC's page
columns) and filters by segment, contact and logged segment.
"""

from __future__ import annotations

import io

import docx
import pytest

from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import Attachment, InteractionLogEntry, LoggedSegment
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.documents.template_docs import attach_template_document
from segment_tui.services.interactions import entries as interactions
from segment_tui.services.log import logged_segments
from segment_tui.services.log.log_segment import log_segment
from tests.engine.support import ContactFactory, adatum_and_trey, new_segment, row_counts, where


def _two_logged(make_contact: ContactFactory) -> tuple[int, int]:
    """SEG00001 → entries 1–3 (Adatum, Ann, Bob); SEG00002 → entry 4 (Carl)."""
    adatum_and_trey(make_contact)
    first = new_segment("Spring letter", template="LETTER", salesperson="BC")
    add_contacts(first, where("no=C1|P1|P2"), AddOptions())
    second = new_segment("Calls", template="OUTCALL", salesperson="BC")
    add_contacts(second, where("no=P3"), AddOptions())
    return (
        log_segment(first).logged_segment_entry_no,
        log_segment(second).logged_segment_entry_no,
    )


def _flags() -> dict[int, tuple[bool, str]]:
    return {e.entry_no: (e.canceled, e.evaluation) for e in InteractionLogEntry.select()}


def test_list_is_newest_first_with_names(make_contact: ContactFactory) -> None:
    _two_logged(make_contact)
    rows = interactions.list_entries()
    assert [r["entry_no"] for r in rows] == [4, 3, 2, 1]
    names = {r["contact_no"]: (r["contact_name"], r["contact_company_name"]) for r in rows}
    assert names["P1"] == ("Ann Smith", "Adatum")
    assert names["P3"] == ("Carl Berg", "Trey Research")
    assert names["C1"][1] == "Adatum"


def test_list_filters_by_segment_contact_and_logged_segment(make_contact: ContactFactory) -> None:
    first, second = _two_logged(make_contact)
    assert [r["entry_no"] for r in interactions.list_entries(segment_no="seg00001")] == [3, 2, 1]
    assert [r["entry_no"] for r in interactions.list_entries(contact_no="p3")] == [4]
    assert [r["entry_no"] for r in interactions.list_entries(logged_segment=second)] == [4]
    both = interactions.list_entries(segment_no="SEG00001", contact_no="P2")
    assert [r["entry_no"] for r in both] == [3]


def test_evaluate_sets_the_evaluation_of_the_selection(make_contact: ContactFactory) -> None:
    _two_logged(make_contact)
    assert interactions.evaluate([1, 3], "Very Positive") == 2
    assert interactions.evaluate([2], "negative") == 1
    assert {n: ev for n, (_, ev) in _flags().items()} == {
        1: "very_positive", 2: "negative", 3: "very_positive", 4: "",
    }  # fmt: skip


def test_evaluate_refuses_unknown_values_and_entries(make_contact: ContactFactory) -> None:
    _two_logged(make_contact)
    before = _flags()
    with pytest.raises(UserError, match="'great' is not one of"):
        interactions.evaluate([1], "great")
    with pytest.raises(NotFoundError, match="Entry No.='99'"):
        interactions.evaluate([1, 99], "positive")
    assert _flags() == before


def test_cancelling_entries_does_not_cancel_the_logged_segment(
    make_contact: ContactFactory,
) -> None:
    first, _ = _two_logged(make_contact)
    assert interactions.toggle_canceled([2, 3]) is True
    assert {n: c for n, (c, _) in _flags().items()} == {1: False, 2: True, 3: True, 4: False}
    assert LoggedSegment.get_by_id(first).canceled is False
    assert interactions.toggle_canceled([2]) is False


def test_switching_several_entries_takes_the_opposite_of_the_first(
    make_contact: ContactFactory,
) -> None:
    _two_logged(make_contact)
    interactions.toggle_canceled([1])
    assert interactions.toggle_canceled([2, 1]) is True  # Ann was not canceled
    assert interactions.toggle_canceled([1, 2, 4]) is False
    assert not any(c for c, _ in _flags().values())


def test_uncancel_refused_while_the_logged_segment_is_canceled(
    make_contact: ContactFactory,
) -> None:
    first, _ = _two_logged(make_contact)
    logged_segments.toggle_canceled([first])
    before = _flags()
    with pytest.raises(UserError) as refused:
        interactions.toggle_canceled([2])
    assert str(refused.value) == (
        f"Canceled must be equal to 'No' in Logged Segment: Entry No.={first}. "
        "Current value is 'Yes'."
    )
    assert _flags() == before


def test_cancel_questions_are_bcs(make_contact: ContactFactory) -> None:
    _two_logged(make_contact)
    assert interactions.cancel_question([2]) == (
        "Do you wish to mark Interaction Log Entry 2 as Canceled?"
    )
    interactions.toggle_canceled([2])
    assert interactions.cancel_question([2]) == (
        "Interaction Log Entry 2 is marked Canceled.\nDo you wish to remove the checkmark?"
    )
    assert interactions.cancel_question([2, 3]) == (
        "Do you wish to remove the checkmark from the selected Interaction Log Entry lines?"
    )


def test_delete_canceled_deletes_only_canceled_entries(make_contact: ContactFactory) -> None:
    _two_logged(make_contact)
    before = row_counts()
    assert interactions.delete_canceled() == 0
    assert row_counts() == before
    interactions.toggle_canceled([2, 4])
    assert interactions.delete_canceled([4, 1]) == 1  # 1 is not canceled
    assert sorted(_flags()) == [1, 2, 3]
    assert interactions.delete_canceled() == 1
    assert sorted(_flags()) == [1, 3]


def test_delete_canceled_removes_documents_no_other_entry_uses(
    make_contact: ContactFactory,
) -> None:
    _two_logged(make_contact)
    document = InteractionLogEntry.get_by_id(1).attachment_no
    assert document is not None
    assert {e.attachment_no for e in InteractionLogEntry.select().where(
        InteractionLogEntry.entry_no.in_([1, 2, 3]))} == {document}  # fmt: skip
    interactions.toggle_canceled([1, 2])
    interactions.delete_canceled()
    assert Attachment.get_or_none(Attachment.no == document) is not None  # entry 3 uses it
    interactions.toggle_canceled([3])
    interactions.delete_canceled()
    # Still the LETTER template's document (segments and entries link to it by number) ...
    assert Attachment.get_or_none(Attachment.no == document) is not None
    # ... until the template gets another one: then nothing uses it any more.
    new = io.BytesIO()
    docx.Document().save(new)
    attach_template_document("LETTER", new.getvalue(), "ENU", file_name="new.docx")
    assert Attachment.get_or_none(Attachment.no == document) is None
