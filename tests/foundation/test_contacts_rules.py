"""Contact rules from Business Central (docs/business-central.md,
"Data model"; docs/contacts-import.md): company numbers, inheritance,
Marketing Setup defaults, and the guards that protect unlogged segments."""

from __future__ import annotations

from typing import Any

import pytest
from peewee import IntegrityError

from segment_tui.errors import UserError
from segment_tui.models import Contact, MarketingSetup
from segment_tui.services.contacts.records import create_contact, delete_contact, update_contact
from tests.conftest import ContactFactory


def test_company_contact_is_its_own_company(make_contact: ContactFactory) -> None:
    company = make_contact(no="C1", type="company", name="Adatum Corporation")
    assert company["company_no"] == "C1"
    assert company["company_name"] == "Adatum Corporation"
    assert company["search_name"] == "ADATUM CORPORATION"


def test_database_refuses_company_pointing_at_another_company(make_contact: ContactFactory) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    with pytest.raises(IntegrityError):
        Contact.insert(no="C2", type="company", name="Trey", company_no="C1").execute()


def test_person_takes_company_name_and_inherits_from_company(make_contact: ContactFactory) -> None:
    make_contact(
        no="C1", type="company", name="Adatum", city="London", address="1 Ring",
        salesperson_code="JO", phone_no="020 1234", country_region_code="GB",
    )  # fmt: skip
    person = make_contact(no="P1", type="person", name="Ann Smith", company_no="C1")
    assert person["company_no"] == "C1"
    assert person["company_name"] == "Adatum"
    assert (person["city"], person["address"], person["country_region_code"]) == (
        "London",
        "1 Ring",
        "GB",
    )
    assert person["salesperson_code"] == "JO"
    assert person["phone_no"] == "020 1234"


def test_new_contact_takes_marketing_setup_defaults(make_contact: ContactFactory) -> None:
    MarketingSetup.update(default_correspondence_type="hard_copy").execute()
    contact = make_contact(no="C1", type="company", name="Adatum")
    assert contact["correspondence_type"] == "hard_copy"
    assert contact["language_code"] == "ENU"  # seed_setup's default language
    assert contact["salutation_code"] == "COMPANY"


def test_contact_number_comes_from_the_series(make_contact: ContactFactory) -> None:
    first = make_contact(type="company", name="Adatum")
    second = make_contact(type="company", name="Trey")
    assert (first["no"], second["no"]) == ("CT000001", "CT000002")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"salesperson_code": "NOPE"}, "Salesperson Code 'NOPE' does not exist"),
        ({"email": "not-an-address"}, 'The email address "not-an-address" is invalid.'),
        ({"phone_no": "call me"}, "contains letters"),
        ({"type": "robot"}, "'robot' is not one of"),
        ({"city": "x" * 31}, "longer than 30 characters"),
        ({"country_region_code": "Atlantis"}, "country/region 'Atlantis' does not exist"),
    ],
)
def test_bad_values_are_refused_with_a_message(
    make_contact: ContactFactory, values: dict[str, Any], message: str
) -> None:
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(".", r"\.")):
        create_contact({"name": "Adatum", **values})
    assert Contact.select().count() == 0


def _put_on_segment(contact_no: str) -> None:
    from segment_tui.services.segments.headers import create_segment
    from segment_tui.services.segments.lines import add_line

    segment = create_segment("Mailing")
    add_line(segment["no"], contact_no)


def test_contact_on_unlogged_segment_cannot_be_deleted(make_contact: ContactFactory) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    _put_on_segment("C1")
    with pytest.raises(UserError) as refused:
        delete_contact("C1")
    assert str(refused.value) == (
        "You cannot delete the Contact record of the C1 because the contact is assigned one "
        "or more unlogged segments."
    )
    assert Contact.select().where(Contact.no == "C1").exists()


def test_person_on_unlogged_segment_cannot_move_to_another_company(
    make_contact: ContactFactory,
) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    make_contact(no="C2", type="company", name="Trey")
    make_contact(no="P1", type="person", name="Ann", company_no="C1")
    _put_on_segment("P1")
    with pytest.raises(UserError, match="You cannot change Company No. because one or more"):
        update_contact("P1", {"company_no": "C2"})
    assert Contact.get(Contact.no == "P1").company_no == "C1"


def test_person_off_segments_moves_and_takes_new_company_name(make_contact: ContactFactory) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    make_contact(no="C2", type="company", name="Trey")
    make_contact(no="P1", type="person", name="Ann", company_no="C1")
    moved = update_contact("P1", {"company_no": "C2"})
    assert (moved["company_no"], moved["company_name"]) == ("C2", "Trey")


def test_renaming_a_company_renames_it_on_its_persons(make_contact: ContactFactory) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    make_contact(no="P1", type="person", name="Ann", company_no="C1")
    update_contact("C1", {"name": "Adatum Ltd."})
    assert Contact.get(Contact.no == "P1").company_name == "Adatum Ltd."


def test_type_cannot_change_once_interactions_are_logged(make_contact: ContactFactory) -> None:
    from segment_tui.models import InteractionLogEntry

    make_contact(no="P1", type="person", name="Ann")
    InteractionLogEntry.insert(contact_no="P1", description="Call").execute()
    with pytest.raises(UserError, match="Type cannot be changed because one or more interaction"):
        update_contact("P1", {"type": "company"})


def test_company_with_persons_cannot_become_a_person(make_contact: ContactFactory) -> None:
    make_contact(no="C1", type="company", name="Adatum")
    make_contact(no="P1", type="person", name="Ann", company_no="C1")
    with pytest.raises(UserError, match="one or more related people linked to the contact"):
        update_contact("C1", {"type": "person"})
