"""The demo database: a CRONUS-like company a new user can explore at once."""

from __future__ import annotations

import io
import zipfile
from collections import Counter

from segment_tui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    LoggedSegment,
    NoSeries,
    SegmentHeader,
    SegmentLine,
)
from segment_tui.services.contacts import create_contact
from segment_tui.services.demo import DEFAULT_CONTACTS, ensure_demo_data, seed_demo
from segment_tui.services.numbering import contact_series


def test_default_demo_has_the_promised_shape(database: object) -> None:
    seed_demo()
    companies = Contact.select().where(Contact.type == "company").count()
    persons = Contact.select().where(Contact.type == "person").count()
    assert 25 <= companies <= 35 and 110 <= persons <= 130
    countries = {c.country_region_code for c in Contact.select(Contact.country_region_code)}
    assert len(countries) >= 4
    names = [c.name for c in Contact.select(Contact.name)]
    assert any(not name.isascii() for name in names)
    assert Contact.select().where(Contact.email == "").exists()
    assert Contact.select().where(Contact.exclude_from_segment == True).exists()  # noqa: E712
    assert {t.code for t in InteractionTemplate.select()} >= {
        "LETTER",
        "NEWS",
        "OUTCALL",
        "MEETING",
    }
    assert SegmentHeader.select().count() == 2
    assert SegmentLine.select().count() > 10
    assert LoggedSegment.select().count() == 2
    assert InteractionLogEntry.select().count() > 10
    assert InteractionLogEntry.select().where(InteractionLogEntry.evaluation != "").exists()


def test_demo_letter_is_a_word_document_with_bc_merge_fields(database: object) -> None:
    seed_demo()
    row = InteractionTmplLanguage.get(InteractionTmplLanguage.interaction_template_code == "LETTER")
    content = bytes(Attachment.get(Attachment.no == row.attachment_no).content)
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        body = docx.read("word/document.xml").decode()
    for name in (
        "Contact Mail Address",
        "Formal Salutation",
        "Salesperson/Purchaser Name",
        "Line Note",
    ):
        assert f"MERGEFIELD &quot;{name}&quot;" in body  # attribute-escaped quotes


def _demo_rows() -> dict[str, int]:
    return {
        model.__name__: int(model.select().count())
        for model in (Contact, InteractionTemplate, SegmentHeader, SegmentLine, LoggedSegment,
                      InteractionLogEntry)
    }  # fmt: skip


def test_demo_is_seeded_once(database: object) -> None:
    # `segment-tui --demo` on a new database seeds it; opening it again adds nothing (an
    # empty database after the first call, or a second copy after the next, is the bug).
    ensure_demo_data()
    seeded = _demo_rows()
    assert seeded["Contact"] == DEFAULT_CONTACTS
    assert (seeded["SegmentHeader"], seeded["LoggedSegment"]) == (2, 2)
    assert seeded["SegmentLine"] > 0 and seeded["InteractionLogEntry"] > 0
    ensure_demo_data()
    assert _demo_rows() == seeded


def test_bigger_demo_adds_the_requested_number_of_contacts(database: object) -> None:
    seed_demo(2000)
    # Numbered from the Contact Nos. series, in order.
    numbers = [c.no for c in Contact.select(Contact.no).order_by(Contact.no)]
    assert numbers == [f"CT{n:06d}" for n in range(1, 2001)]
    # A company followed by its four persons, each person filed under that company.
    companies = {c.no: c.name for c in Contact.select().where(Contact.type == "company")}
    persons = list(Contact.select().where(Contact.type == "person"))
    assert (len(companies), len(persons)) == (400, 1600)
    assert all(p.company_no in companies for p in persons)
    assert all(p.company_name == companies[p.company_no] for p in persons)
    assert all(c.company_no == c.no for c in Contact.select().where(Contact.type == "company"))
    per_company = Counter(p.company_no for p in persons)
    assert set(per_company.values()) == {4}
    # The numbers were taken from the Contact Nos. series, which continues after them.
    assert NoSeries.get(NoSeries.code == contact_series()).last_no_used == "CT002000"
    assert create_contact({"name": "After the demo"})["no"] == "CT002001"
