"""Template documents (attach, export, per-line unique documents) and the template check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from segment_tui.errors import UserError
from segment_tui.merge import list_fields
from segment_tui.models import InteractionTemplate, InteractionTmplLanguage
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.documents.merge_preview import preview_line_text
from segment_tui.services.documents.template_check import check_template
from segment_tui.services.documents.template_docs import (
    attach_line_document,
    attach_template_document,
    remove_line_document,
    template_document,
)
from segment_tui.services.segments.view import line_record
from tests.delivery.delivery_helpers import document

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]
Run = Callable[..., tuple[int, str, str]]


def test_attach_stores_the_document_per_language_and_export_returns_it(
    cronus: Any, tmp_path: Path
) -> None:
    path = tmp_path / "Invitation.docx"
    path.write_bytes(document("Contact Name", "{{Formal Salutation}}"))
    record = attach_template_document("meeting", path, "FRA")
    assert record["fields"] == ["Contact Name", "Formal Salutation"]
    assert template_document("MEETING", "FRA") == path.read_bytes()
    # The template had no default language: the attached language becomes it.
    assert (
        InteractionTemplate.get(InteractionTemplate.code == "MEETING").language_code_default
        == "FRA"
    )
    assert template_document("MEETING") == path.read_bytes()

    replacement = document("Contact City")
    attach_template_document("MEETING", replacement, "FRA", file_name="New.docx")
    rows = InteractionTmplLanguage.select().where(
        InteractionTmplLanguage.interaction_template_code == "MEETING"
    )
    assert rows.count() == 1
    assert list_fields(template_document("MEETING", "FRA")) == ["Contact City"]


def test_attach_refuses_files_that_are_not_word_documents(cronus: Any, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(
        UserError, match=r"Attachment notes\.txt must have file extension doc or docx\."
    ):
        attach_template_document("LETTER", text)
    fake = tmp_path / "broken.docx"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(UserError, match=r"Attachment broken\.docx must have file extension"):
        attach_template_document("LETTER", fake)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 binary word 97")
    with pytest.raises(UserError, match="save it as .docx"):
        attach_template_document("LETTER", old)
    with pytest.raises(UserError, match="Interaction Template does not exist"):
        attach_template_document("NOPE", document("Contact Name"))
    with pytest.raises(UserError, match="Language does not exist"):
        attach_template_document("LETTER", document("Contact Name"), "XX")


def test_template_attach_and_export_on_the_command_line(
    cronus: Any, cli: Run, tmp_path: Path
) -> None:
    source = tmp_path / "letter.docx"
    source.write_bytes(document("Contact Name", "Contact Shoe Size"))
    status, out, err = cli("template", "attach", "OUTCALL", str(source), "--language", "ENU")
    assert status == 0, err
    assert "attached letter.docx to template OUTCALL (ENU)" in out
    target = tmp_path / "back.docx"
    status, out, err = cli("template", "export", "OUTCALL", str(target), "--language", "ENU")
    assert status == 0, err
    assert target.read_bytes() == source.read_bytes()
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    status, _, err = cli("template", "attach", "OUTCALL", str(bad))
    assert status == 1
    assert err.startswith("error: Attachment x.pdf must have file extension doc or docx.")


def test_a_line_gets_its_own_document_and_goes_back_to_the_inherited_one(
    make_contact: Contact, letters: Letters
) -> None:
    make_contact(no="C1", type="company", name="Alpha Ltd", city="York")
    make_contact(no="C2", type="company", name="Beta Ltd", city="Hull")
    segment = letters(["C1", "C2"])
    assert line_record(segment, 10000)["document"] == "Inherited"
    record = attach_line_document(
        segment, 10000, document("Contact City", text="A personal letter for"), file_name="p.docx"
    )
    assert record["document"] == "Unique"
    assert "A personal letter for\nYork" in preview_line_text(segment, 10000)
    assert "We are pleased to introduce" in preview_line_text(segment, 20000)  # others inherit
    record = remove_line_document(segment, 10000)
    assert record["document"] == "Inherited"
    assert "We are pleased to introduce" in preview_line_text(segment, 10000)
    with pytest.raises(UserError, match="has no document of its own"):
        remove_line_document(segment, 10000)


def test_check_lists_fields_and_reports_unknown_ones(cronus: Any) -> None:
    attach_template_document(
        "OUTCALL", document("contact name", "{{Contact Shoe Size}}", "Contact_City"), "ENU"
    )
    result = check_template("OUTCALL", "ENU")
    assert result.fields == ["contact name", "Contact Shoe Size", "Contact_City"]
    assert result.unknown_fields == ["Contact Shoe Size"]  # case and Word's "_" are fine
    assert "Unknown merge field «Contact Shoe Size»" in result.summary
    assert not result.ok


def test_check_counts_the_contacts_without_an_address(
    make_contact: Contact, letters: Letters
) -> None:
    for i in range(3):
        make_contact(no=f"A{i}", type="company", name=f"With {i}", address=f"{i} Road", city="Ely")
    for i in range(2):
        make_contact(no=f"N{i}", type="company", name=f"Without {i}", email=f"n{i}@x.example")
    make_contact(no="P1", type="person", name="Solo Person", city="Bath")  # a city is an address
    segment = letters(["A0", "N0", "A1", "N1", "A2", "P1"])
    result = check_template("LETTER", segment_no=segment)
    assert result.lines == 6
    gaps = {gap.field: gap for gap in result.gaps}
    assert gaps["Contact Mail Address"].missing == 2
    assert gaps["Contact Mail Address"].sentence == "2 contacts have no address."
    assert gaps["Document Subject"].sentence == "6 lines have no subject."
    assert "Line Note" not in gaps  # a personal note is optional by design
    assert "Formal Salutation" not in gaps


def test_check_on_the_command_line_as_json_and_text(
    make_contact: Contact, letters: Letters, cli: Run
) -> None:
    make_contact(no="N1", type="company", name="Nowhere Ltd")
    segment = letters(["N1"], subject_default="Hello")
    status, out, err = cli("template", "check", "LETTER", "--segment", segment, "--json")
    assert status == 1, err  # a letter would lack its address
    record = json.loads(out)
    assert record["ok"] is False
    assert record["unknown_fields"] == []
    assert record["lines"] == 1
    assert {g["field"]: g["missing"] for g in record["gaps"]} == {"Contact Mail Address": 1}
    status, out, _ = cli("template", "check", "LETTER", "--segment", segment)
    assert status == 1
    assert "1 contact has no address." in out
    assert "Template LETTER (ENU) uses 12 merge fields" in out
