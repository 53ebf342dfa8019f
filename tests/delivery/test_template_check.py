"""``template check --segment``: each line against its own document, how many lines use
each, the nearest known field for an unknown one, each missing value reported once,
Word fields the merge does not evaluate, and exit 1 when the letters are not ready."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.documents.template_check import check_template, nearest_field
from segment_tui.services.documents.template_docs import (
    attach_line_document,
    attach_template_document,
)
from tests.conftest import FIXTURES
from tests.delivery.delivery_helpers import document

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def mixed(make_contact: Contact, letters: Letters) -> str:
    """A segment of 4 lines: 2 English contacts, 1 German (its own language's document),
    and 1 line with a document of its own. Nobody has an address."""
    attach_template_document("LETTER", document("Contact Name", "Contact Mail Address"), "ENU")
    attach_template_document(
        "LETTER", document("Contact Name", "Contact Nmae", "Contact Mail Address"), "DEU"
    )
    make_contact(no="E1", type="company", name="Alpha Ltd")
    make_contact(no="E2", type="company", name="Beta Ltd")
    make_contact(no="D1", type="company", name="Delta GmbH", language_code="DEU")
    make_contact(no="E3", type="company", name="Gamma Ltd", city="Bath")
    segment = letters(["E1", "D1", "E2", "E3"])
    attach_line_document(segment, 40000, document("Contact City", "Contact Phone No."))
    return segment


def test_each_line_is_checked_against_its_own_document(mixed: str) -> None:
    result = check_template("LETTER", segment_no=mixed)
    assert [(d.label, d.lines) for d in result.documents] == [
        ("ENU", 2),
        ("DEU", 1),
        ("line 40000", 1),
    ]
    assert result.lines == 4
    assert result.unknown_fields == ["Contact Nmae"]  # only the German document has it
    assert result.suggestions == {"Contact Nmae": "Contact Name"}
    gaps = {gap.field: gap for gap in result.gaps}
    # The address block: the 3 lines whose document uses it, reported once for both.
    assert gaps["Contact Mail Address"].missing == 3
    assert gaps["Contact Phone No."].missing == 1  # only the line with its own document
    sentences = [gap.sentence for gap in result.gaps]
    assert len(sentences) == len(set(sentences))
    assert not result.ok
    summary = result.summary
    assert "2 lines use ENU" in summary and "1 line uses DEU" in summary
    assert "1 line uses line 40000" in summary
    assert (
        "Unknown merge field «Contact Nmae»" in summary and "did you mean Contact Name?" in summary
    )
    assert summary.count("3 contacts have no address.") == 1


def test_a_language_restricts_the_check_to_its_lines(mixed: str) -> None:
    result = check_template("LETTER", "DEU", segment_no=mixed)
    assert [(d.label, d.lines) for d in result.documents] == [("DEU", 1)]
    assert result.lines == 1


def test_the_check_exits_1_when_letters_are_not_ready(mixed: str, cli: Run) -> None:
    status, out, err = cli("template", "check", "LETTER", "--segment", mixed, "--json")
    assert status == 1
    record = json.loads(out)
    assert record["ok"] is False
    assert [d["lines"] for d in record["documents"]] == [2, 1, 1]
    assert record["suggestions"] == {"Contact Nmae": "Contact Name"}
    assert "error: template LETTER is not ready" in err
    status, out, _ = cli("template", "check", "LETTER", "--segment", mixed)
    assert status == 1 and "did you mean Contact Name?" in out


def test_a_ready_segment_passes_with_exit_0(
    make_contact: Contact, letters: Letters, cli: Run
) -> None:
    attach_template_document("LETTER", document("Contact Name", "Contact City"), "ENU")
    make_contact(no="E1", type="company", name="Alpha Ltd", city="York")
    segment = letters(["E1"])
    status, out, err = cli("template", "check", "LETTER", "--segment", segment)
    assert status == 0, err
    assert "All 1 lines of segment" in out


def test_word_fields_the_merge_leaves_alone_fail_the_check(cronus: Any, cli: Run) -> None:
    fixture = FIXTURES / "word" / "iulica-docx-mailmerge__test_next_record.docx"
    attach_template_document("MEETING", fixture, "ENU")
    result = check_template("MEETING", "ENU")
    assert result.unsupported_fields == ["NEXT"]
    assert not result.ok
    assert "Word field NEXT is not supported" in result.summary
    status, _, _ = cli("template", "check", "MEETING")
    assert status == 1


def test_lines_of_another_template_or_without_a_document_are_counted(
    make_contact: Contact, letters: Letters
) -> None:
    make_contact(no="E1", type="company", name="Alpha Ltd")
    segment = letters(["E1"])
    with pytest.raises(UserError, match="No line of segment .* uses template NEWS"):
        check_template("NEWS", segment_no=segment)


def test_nearest_field_only_suggests_close_names() -> None:
    assert nearest_field("contact nmae") == "Contact Name"
    assert nearest_field("Salesperson Name") == "Salesperson/Purchaser Name"
    assert nearest_field("Voornaam") is None
