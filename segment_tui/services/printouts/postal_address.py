"""A contact's postal address as the lines of a label or an address window, by country.

Business Central formats addresses by the country's Address Format (codeunit Format
Address); this module keeps the same three families, chosen by country code
(docs/postal-addresses.md):

* post code before the city (``10115 Berlin``) — most of the world, and the default;
* city, county (state) and post code on one line (``Springfield, IL 62704``) — the
  United States, Canada, Australia;
* city and post code on lines of their own (``London`` / ``W2 8HG``) — the United
  Kingdom and Ireland.

German, Austrian and Swiss addresses leave the county out, as BC does. The country's name
ends the block in capitals (the postal rule for international mail) and is left out for
an address in the sender's own country (Company Information's country) or with no
country. Blank parts leave no blank line. A person at a company gets their name and then
the company's (BC's default contact address format); otherwise the name and name 2.

:func:`household_key` is what merging labels by postal address compares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from segment_tui.data.countries import country_name

ADDRESS_FIELDS = (
    "no", "type", "name", "name_2", "company_no", "company_name", "address", "address_2",
    "post_code", "city", "county", "country_region_code",
)  # fmt: skip
"""The contact fields an address block is made of."""

CITY_COUNTY_POST_CODE = frozenset({"US", "CA", "AU"})
CITY_THEN_POST_CODE = frozenset({"GB", "IE"})
NO_COUNTY = frozenset({"DE", "AT", "CH"})


@dataclass(frozen=True)
class AddressBook:
    """What formatting needs besides the contact: country names and the home country."""

    country_names: Mapping[str, str]
    home_country: str = ""

    def country_name(self, code: str) -> str:
        """The country's name (its own table, then the ISO list, then the code itself)."""
        return self.country_names.get(code) or (country_name(code) if code else code)


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def postal_lines(contact: Mapping[str, object], book: AddressBook) -> list[str]:
    """The lines under the names: street, city line(s), county, country."""
    code = _clean(contact.get("country_region_code")).upper()
    city, post_code, county = (_clean(contact.get(f)) for f in ("city", "post_code", "county"))
    lines = [_clean(contact.get("address")), _clean(contact.get("address_2"))]
    if code in CITY_COUNTY_POST_CODE:
        state_zip = " ".join(p for p in (county, post_code) if p)
        lines.append(", ".join(p for p in (city, state_zip) if p))
    elif code in CITY_THEN_POST_CODE:
        lines += [city, county, post_code]
    else:
        lines.append(" ".join(p for p in (post_code, city) if p))
        if code not in NO_COUNTY:
            lines.append(county)
    if code and code != book.home_country.upper():
        lines.append(book.country_name(code).upper())
    return [line for line in lines if line]


def name_lines(contact: Mapping[str, object]) -> list[str]:
    """The name lines: a person and their company, or the name and name 2."""
    name = _clean(contact.get("name"))
    company = _clean(contact.get("company_name"))
    if contact.get("type") == "person" and contact.get("company_no") and company:
        lines = [name, company]
    else:
        lines = [name, _clean(contact.get("name_2"))]
    return [line for line in lines if line]


def address_block(contact: Mapping[str, object], book: AddressBook) -> list[str]:
    """The whole address block (at most eight lines, as BC's address arrays)."""
    return (name_lines(contact) + postal_lines(contact, book))[:8]


_PUNCTUATION = re.compile(r"[.,;]+")


def _normal(value: object) -> str:
    return _PUNCTUATION.sub(" ", _clean(value).casefold()).strip()


def household_key(contact: Mapping[str, object]) -> tuple[str, ...] | None:
    """Contacts with equal keys share a postal address (and organisation); None when the
    contact has no street, post code or city to compare, so it is never merged."""
    postal = tuple(
        _normal(contact.get(f))
        for f in ("address", "address_2", "post_code", "city", "county", "country_region_code")
    )
    if not any(postal[:4]):
        return None
    # Address and address 2 read as one run of words: "Main St 1" / "" equals "Main St" / "1".
    return (_normal(organisation(contact)), " ".join(p for p in postal[:4] if p), *postal[4:])


def organisation(contact: Mapping[str, object]) -> str:
    """The company a label is addressed to: a person's company, a company's own name."""
    if contact.get("type") == "company":
        return _clean(contact.get("name"))
    if contact.get("company_no"):
        return _clean(contact.get("company_name"))
    return ""


def merged_block(contacts: Sequence[Mapping[str, object]], book: AddressBook) -> list[str]:
    """One address block for contacts at the same postal address: the persons' names on
    one line (``Ann Smith, Bob Smith``), their company, then the postal lines."""
    if len(contacts) == 1:
        return address_block(contacts[0], book)
    names = list(
        dict.fromkeys(
            _clean(c.get("name")) for c in contacts if c.get("type") != "company" and c.get("name")
        )
    )
    lines = [", ".join(names)] if names else []
    company = organisation(contacts[0])
    if company:
        lines.append(company)
    elif not names:
        lines.append(_clean(contacts[0].get("name")))
    return (lines + postal_lines(contacts[0], book))[:8]
