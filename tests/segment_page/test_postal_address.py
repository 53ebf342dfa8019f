"""Address blocks by country (docs/postal-addresses.md) and who shares a label."""

from __future__ import annotations

from typing import Any

import pytest

from segment_tui.services.printouts.postal_address import (
    AddressBook,
    address_block,
    household_key,
    merged_block,
)

BOOK = AddressBook({"GB": "United Kingdom", "DE": "Germany"}, home_country="GB")


def contact(**values: Any) -> dict[str, Any]:
    base = dict.fromkeys(
        ("no", "name", "name_2", "company_no", "company_name", "address", "address_2",
         "post_code", "city", "county", "country_region_code"), "",
    )  # fmt: skip
    return {**base, "type": "company", **values}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (  # Germany: post code before the city, no county (as BC for DACH), country named
            dict(name="Bürohaus Köln", address="Hohe Straße 12", post_code="50667",
                 city="Köln", county="NRW", country_region_code="DE"),
            ["Bürohaus Köln", "Hohe Straße 12", "50667 Köln", "GERMANY"],
        ),
        (  # United States: City, ST ZIP on one line; the ISO name when the table has none
            dict(name="Contoso", address="1 Microsoft Way", post_code="98052",
                 city="Redmond", county="WA", country_region_code="US"),
            ["Contoso", "1 Microsoft Way", "Redmond, WA 98052", "UNITED STATES"],
        ),
        (  # the sender's own country: city and post code on lines of their own, no country
            dict(name="Adatum", name_2="Head Office", address="Station Road 21",
                 address_2="Paddington", post_code="W2 8HG", city="London",
                 country_region_code="GB"),
            ["Adatum", "Head Office", "Station Road 21", "Paddington", "London", "W2 8HG"],
        ),
        (  # France: post code and city, the county on its own line
            dict(name="Café Lumière", address="3 rue de la Paix", post_code="75002",
                 city="Paris", county="Île-de-France", country_region_code="FR"),
            ["Café Lumière", "3 rue de la Paix", "75002 Paris", "Île-de-France", "FRANCE"],
        ),
        (  # no country: no country line, blank parts leave no blank line
            dict(name="Somewhere", city="Utrecht"),
            ["Somewhere", "Utrecht"],
        ),
    ],
)  # fmt: skip
def test_the_address_block_follows_the_country(values: dict[str, str], expected: list[str]) -> None:
    assert address_block(contact(**values), BOOK) == expected


def test_a_person_at_a_company_reads_name_then_company() -> None:
    ann = contact(type="person", name="Ann Smith", company_no="C1", company_name="Adatum",
                  name_2="(ignored)", address="Station Road 21", city="London",
                  post_code="W2 8HG", country_region_code="GB")  # fmt: skip
    assert address_block(ann, BOOK)[:2] == ["Ann Smith", "Adatum"]


def test_contacts_at_one_address_and_company_share_a_block() -> None:
    street = dict(address="Station Road 21", city="London", post_code="W2 8HG",
                  country_region_code="GB")  # fmt: skip
    company = contact(no="C1", name="Adatum", **street)
    ann = contact(no="P1", type="person", name="Ann Smith", company_no="C1",
                  company_name="Adatum", **street)  # fmt: skip
    # Spelling and spacing differences do not split a household.
    bob = contact(no="P2", type="person", name="Bob Jones", company_no="C1",
                  company_name="ADATUM", **{**street, "address": "Station  road 21."})  # fmt: skip
    assert household_key(company) == household_key(ann) == household_key(bob)
    assert merged_block([company, ann, bob], BOOK) == [
        "Ann Smith, Bob Jones", "Adatum", "Station Road 21", "London", "W2 8HG",
    ]  # fmt: skip
    # Another company at the same address, or a contact without an address, never merges.
    other = contact(no="C9", name="Trey Research", **street)
    assert household_key(other) != household_key(company)
    assert household_key(contact(name="Nowhere", country_region_code="GB")) is None
