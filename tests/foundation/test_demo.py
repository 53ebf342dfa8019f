"""The demo database: a CRONUS-like company a new user can explore at once."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from segment_tui.db import close_database, open_database, tuples, write_transaction
from segment_tui.models import (
    Attachment,
    Contact,
    ContactMailingGroup,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    LoggedSegment,
    NoSeries,
    SegmentHeader,
    SegmentLine,
)
from segment_tui.services.contacts.records import create_contact
from segment_tui.services.demo import seed as demo
from segment_tui.services.demo.seed import (
    DEFAULT_CONTACTS,
    ensure_demo_data,
    seed_contacts,
    seed_demo,
)
from segment_tui.services.demo.setup_data import seed_setup
from segment_tui.services.setup.numbering import contact_series


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


def _contacts_and_links() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    contacts = tuples(
        Contact.select(Contact.no, Contact.type, Contact.name, Contact.company_no,
                       Contact.email).order_by(Contact.no)
    )  # fmt: skip
    links = tuples(
        ContactMailingGroup.select(
            ContactMailingGroup.contact_no, ContactMailingGroup.mailing_group_code
        ).order_by(ContactMailingGroup.contact_no, ContactMailingGroup.mailing_group_code)
    )
    return contacts, links


def test_contacts_written_in_chunks_are_the_contacts_of_one_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A chunk of 7 splits companies from their persons (one company per five contacts).
    seeded = []
    for name, chunk in (("one.db", 10_000), ("chunks.db", 7)):
        monkeypatch.setattr(demo, "CHUNK", chunk)
        open_database(str(tmp_path / name))
        with write_transaction():
            seed_setup()
            seed_contacts(60)
        seeded.append(_contacts_and_links())
        close_database()
    assert seeded[0] == seeded[1]
    contacts = {no: company for no, _, _, company, _ in seeded[1][0]}
    assert all(company in contacts for company in contacts.values())


def test_demo_reports_progress_chunk_by_chunk(
    database: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK", 400)
    calls: list[tuple[str, int, int | None]] = []
    summary = seed_demo(1000, progress=lambda *call: calls.append(call))
    assert summary.startswith("demo data: 1,000 contacts added")
    assert [c for c in calls if c[0] == "contacts"] == [
        ("contacts", 400, 1000), ("contacts", 800, 1000), ("contacts", 1000, 1000),
    ]  # fmt: skip
    assert [c[1] for c in calls if c[0] == "demo segments"] == [0, 1, 2, 3, 4, 5, 6]


def test_seeding_holds_a_chunk_of_contacts_in_memory(
    database: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 4,000 contacts in chunks of 200 peak at 0.6 MB of Python objects; in one go, 6.4 MB.
    monkeypatch.setattr(demo, "CHUNK", 200)
    with write_transaction():
        seed_setup()
        tracemalloc.start()
        try:
            seed_contacts(4000)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert Contact.select().count() == 4000
    assert peak < 2_000_000, peak


def test_a_big_demo_leaves_statistics_for_the_planner(database: object) -> None:
    # Without them the first Add into a big demo is planned for empty tables.
    from segment_tui.db import db

    seed_demo(2000)
    analysed = {row[0] for row in db.execute_sql("SELECT tbl FROM sqlite_stat1").fetchall()}
    assert set(demo.CONTACT_TABLES) <= analysed, analysed
