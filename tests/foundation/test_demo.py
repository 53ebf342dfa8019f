"""The demo database: a CRONUS-like company a new user can explore at once."""

from __future__ import annotations

import io
import zipfile

from segment_tui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    LoggedSegment,
    SegmentHeader,
    SegmentLine,
)
from segment_tui.services.demo import ensure_demo_data, seed_demo


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


def test_demo_is_seeded_once(database: object) -> None:
    ensure_demo_data()
    count = Contact.select().count()
    ensure_demo_data()
    assert Contact.select().count() == count


def test_bigger_demo_adds_the_requested_number_of_contacts(database: object) -> None:
    seed_demo(2000)
    assert Contact.select().count() == 2000
    assert len({c.no for c in Contact.select(Contact.no)}) == 2000
