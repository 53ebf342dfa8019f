"""The merge-field dictionary (docs/word-documents.md): address block, salutations, company
information, salesperson, document fields; values survive a full merge intact."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document

from segment_tui.merge import DocxTemplate, docx_to_text
from segment_tui.models import Salutation, SalutationFormula
from segment_tui.services.contacts.records import ContactRecord
from segment_tui.services.demo.documents import add_merge_field
from segment_tui.services.documents.merge_field_names import FIELD_NAMES
from segment_tui.services.documents.merge_values import (
    MergeData,
    entry_merge_values,
    line_merge_values,
    segment_merge_values,
)
from segment_tui.services.documents.template_docs import attach_template_document
from segment_tui.services.log.log_segment import log_segment
from segment_tui.services.segments.lines import set_line_fields

Contact = Callable[..., ContactRecord]
Letters = Callable[..., str]


def _company_and_person(make_contact: Contact) -> None:
    make_contact(
        no="C1", type="company", name="O'Brien & Co <Ltd>", address="5 Harbour Road",
        address_2="", post_code="W1 2AB", city="London", county="Greater London",
        country_region_code="GB", email="info@obrien.example", phone_no="+44 20 1234 5678",
    )  # fmt: skip
    make_contact(
        no="P1", type="person", first_name="Ann", surname="Müller", company_no="C1",
        job_title="Buyer", email="ann@obrien.example", salutation_code="UNISEX",
    )  # fmt: skip


def test_person_at_a_company_gets_name_company_and_address_block(
    make_contact: Contact, letters: Letters
) -> None:
    _company_and_person(make_contact)
    segment = letters(["P1"])
    values = line_merge_values(segment, 10000)
    assert values["Contact Mail Address"] == (
        "Ann Müller\nO'Brien & Co <Ltd>\n5 Harbour Road\nW1 2AB London\nGreater London\n"
        "United Kingdom"
    )
    assert values["Contact Name"] == "Ann Müller"
    assert values["Contact Company Name"] == "O'Brien & Co <Ltd>"
    assert values["Contact City"] == "London"
    assert values["Contact Country/Region Name"] == "United Kingdom"
    assert values["Contact Job Title"] == "Buyer"
    assert values["Contact Email"] == values["FaxMailTo"] == "ann@obrien.example"
    assert set(values) == set(FIELD_NAMES)


def test_company_block_has_name_and_name_2_and_drops_blank_lines(make_contact: Contact) -> None:
    make_contact(
        no="C2", type="company", name="Zoë Ltd", name_2="Research Dept.", address="",
        address_2="Unit 7", post_code="", city="Leeds", country_region_code="",
    )  # fmt: skip
    data = MergeData.load(["C2"])
    assert data.mail_address(data.contacts["C2"]) == "Zoë Ltd\nResearch Dept.\nUnit 7\nLeeds"


def test_salutation_formula_fills_the_named_contact_fields(
    make_contact: Contact, letters: Letters
) -> None:
    _company_and_person(make_contact)
    values = line_merge_values(letters(["P1", "C1"]), 10000)
    assert values["Formal Salutation"] == "Dear Ann Müller"  # "Dear %1 %2", first_name, surname
    assert values["Informal Salutation"] == "Hi Ann"
    company = line_merge_values(letters(["C1"]), 10000)
    assert company["Formal Salutation"] == "Dear Sir or Madam"
    assert company["Informal Salutation"] == "Hello"


def test_salutation_in_the_letters_language_falls_back_to_language_blank(
    make_contact: Contact, letters: Letters
) -> None:
    # A German document makes German contacts' lines German; DEU has a formal formula
    # but no informal one, which then comes from the language-neutral formula.
    from segment_tui.services.demo.documents import letter_document

    attach_template_document("LETTER", letter_document(), "DEU", file_name="Brief.docx")
    make_contact(
        no="C3", type="company", name="Schmidt GmbH", city="Berlin", country_region_code="DE",
        language_code="DEU",
    )  # fmt: skip
    make_contact(
        no="P3", type="person", first_name="Hans", surname="Schmidt", company_no="C3",
        salutation_code="UNISEX", language_code="DEU",
    )  # fmt: skip
    make_contact(
        no="P4", type="person", first_name="Claire", surname="Dubois", salutation_code="UNISEX",
        language_code="FRA",
    )  # fmt: skip
    segment = letters(["P3", "P4"])
    german, french = (values for _, values in segment_merge_values(segment))
    assert german["Formal Salutation"] == "Sehr geehrte(r) Hans Schmidt"
    assert german["Informal Salutation"] == "Hi Hans"
    assert french["Formal Salutation"] == "Dear Claire Dubois"  # no FRA formula: language ''


def test_blank_name_parts_leave_no_double_spaces_and_persons_without_formula(
    make_contact: Contact, letters: Letters
) -> None:
    SalutationFormula.update(salutation="Dear %3 %1 %2,", name_3="job_title").where(
        (SalutationFormula.salutation_code == "UNISEX")
        & (SalutationFormula.language_code == "")
        & (SalutationFormula.salutation_type == "formal")
    ).execute()
    make_contact(no="P5", type="person", first_name="", surname="Ng", salutation_code="UNISEX")
    Salutation.insert(code="BARE", description="No formulas").execute()
    make_contact(no="P6", type="person", name="Kim Lee", salutation_code="BARE")
    segment = letters(["P5", "P6"])
    by_contact = {s.contact_no: v for s, v in segment_merge_values(segment)}
    assert by_contact["P5"]["Formal Salutation"] == "Dear Ng,"
    assert by_contact["P6"]["Formal Salutation"] == "Dear Kim Lee"
    assert by_contact["P6"]["Informal Salutation"] == "Hello"


def test_company_information_salesperson_and_document_fields(
    make_contact: Contact, letters: Letters
) -> None:
    _company_and_person(make_contact)
    segment = letters(["P1"], subject_default="Our autumn range")
    set_line_fields(segment, 10000, {"line_note": "See you in May", "campaign_no": "CP1001"})
    values = line_merge_values(segment, 10000)
    assert values["Company Information Name"] == "CRONUS International Ltd."
    assert values["Company Information Address"] == "5 The Ring"
    assert values["Company Information Country/Region Name"] == "United Kingdom"
    assert values["Company Information VAT Registration No."] == "GB777777771"
    assert values["Company Information Bank Name"] == "World Wide Bank"
    assert values["Salesperson/Purchaser Code"] == "BC"
    assert values["Salesperson/Purchaser Name"] == "Benjamin Chiu"
    assert values["Salesperson/Purchaser Job Title"] == "Sales Manager"
    assert values["Salesperson/Purchaser Email"] == "bc@cronus.example"
    assert values["Document Date"] == dt.date(2026, 12, 1)
    assert values["Document Segment No."] == segment
    assert values["Document Description"] == "Autumn letters"
    assert values["Document Subject"] == "Our autumn range"
    assert values["Document Campaign No."] == "CP1001"
    assert values["Line Note"] == "See you in May"
    assert values["Entry No."] == 10000  # BC: the line number before logging


def test_after_logging_values_come_from_the_entry(make_contact: Contact, letters: Letters) -> None:
    _company_and_person(make_contact)
    segment = letters(["P1"])
    set_line_fields(segment, 10000, {"subject": "Logged subject", "line_note": "from the line"})
    result = log_segment(segment)
    from segment_tui.models import InteractionLogEntry

    entry = InteractionLogEntry.get(
        InteractionLogEntry.logged_segment_entry_no == result.logged_segment_entry_no
    )
    values = entry_merge_values(entry.entry_no)
    assert values["Entry No."] == entry.entry_no
    assert values["Document Subject"] == "Logged subject"
    assert values["Line Note"] == "from the line"
    assert values["Contact Name"] == "Ann Müller"
    assert values["Document Segment No."] == segment


def _field_document(*names: str, switches: dict[str, str] | None = None) -> bytes:
    document = Document()
    for name in names:
        paragraph = document.add_paragraph(f"{name}: ")
        add_merge_field(paragraph, name, switches=(switches or {}).get(name, ""))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_document_date_is_a_date_so_pictures_format_it(
    make_contact: Contact, letters: Letters
) -> None:
    _company_and_person(make_contact)
    values = line_merge_values(letters(["P1"]), 10000)
    template = DocxTemplate.from_bytes(
        _field_document("Document Date", switches={"Document Date": '\\@ "d MMMM yyyy"'})
    )
    assert "Document Date: 1 December 2026" in docx_to_text(template.merge(values).document)


@pytest.mark.parametrize(
    "name",
    ["Tom & Jerry <Ltd>", 'O\'Hara "Quotes"', "Jürgen Müßig-Ünal", "Party 🎉 Planners 😀"],
)
def test_special_characters_come_through_a_full_merge_intact(
    make_contact: Contact, letters: Letters, name: str
) -> None:
    make_contact(
        no="C9", type="company", name=name, address="1 <Main> & 'High' St", city="Zürich",
    )  # fmt: skip
    segment = letters(["C9"])
    set_line_fields(segment, 10000, {"line_note": f"Für {name} — ok? ✓"})
    values = line_merge_values(segment, 10000)
    fields = ("Contact Name", "Contact Mail Address", "Line Note", "Contact Address")
    merged = DocxTemplate.from_bytes(_field_document(*fields)).merge(values)
    text = docx_to_text(merged.document)
    assert f"Contact Name: {name}" in text
    assert f"Line Note: Für {name} — ok? ✓" in text
    assert "Contact Address: 1 <Main> & 'High' St" in text
    assert f"Contact Mail Address: {name}\n1 <Main> & 'High' St\nZürich" in text
    assert not merged.unknown_fields


def test_many_lines_cost_a_handful_of_queries(
    make_contact: Contact, letters: Letters, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(60):
        make_contact(no=f"P{i:03d}", type="person", first_name="Ann", surname=f"Nr {i}")
    segment = letters([f"P{i:03d}" for i in range(60)])
    from segment_tui.db import db

    calls: list[str] = []
    original = db.obj.execute_sql

    def counting(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        calls.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", counting)
    pairs = segment_merge_values(segment)
    assert len(pairs) == 60
    assert len(calls) <= 8, calls


def test_values_are_read_in_batches_per_document_in_line_order(
    make_contact: Contact, letters: Letters
) -> None:
    from segment_tui.models import SegmentLine
    from segment_tui.services.documents.merge_values import iter_segment_merge_values
    from segment_tui.services.documents.template_docs import attach_line_document
    from tests.delivery.delivery_helpers import document

    for i in range(5):
        make_contact(no=f"C{i}", type="company", name=f"Company {i}", city=f"City {i}")
    segment = letters([f"C{i}" for i in range(5)])
    attach_line_document(segment, 30000, document("Contact Name"))
    inherited = SegmentLine.get(SegmentLine.line_no == 10000).attachment_no
    own = SegmentLine.get(SegmentLine.line_no == 30000).attachment_no

    def names(**options: Any) -> list[str]:
        return [str(v["Contact Name"]) for _, v in iter_segment_merge_values(segment, **options)]

    everyone = [f"Company {i}" for i in range(5)]
    assert names(batch=2) == everyone  # batches of 2 lines: 2 + 2 + 1
    assert names(batch=5) == everyone  # a full last batch, then an empty one
    assert names(batch=2, attachment_no=inherited) == ["Company 0", "Company 1", "Company 3",
                                                       "Company 4"]  # fmt: skip
    assert names(batch=2, attachment_no=own) == ["Company 2"]
    values = dict(iter_segment_merge_values(segment, batch=2)).values()
    assert [v["Contact City"] for v in values] == [f"City {i}" for i in range(5)]
