"""Contact field values as typed, imported or filtered: each checked against its kind,
length and referenced setup table (BC's messages), and the fields a person inherits from
its company. Shared by create/edit (:mod:`.records`), the CSV import and bulk writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from segment_tui.data.countries import country_code, country_name, suggestions
from segment_tui.db import db, dialect, tuples
from segment_tui.models import (
    BusinessRelation,
    CountryRegion,
    IndustryGroup,
    JobResponsibility,
    Language,
    MailingGroup,
    MarketingSetup,
    Salesperson,
    Salutation,
    Territory,
)
from segment_tui.models.enums import CONTACT_TYPES, CORRESPONDENCE_TYPES, parse_option
from segment_tui.services.contacts.csv_reading import control_character
from segment_tui.services.contacts.fields import (
    BOOL_WORDS,
    BY_NAME,
    email_error,
    phone_error,
)

_REFERENCE_MODELS: dict[str, Any] = {
    "salesperson": Salesperson,
    "territory": Territory,
    "country_region": CountryRegion,
    "language": Language,
    "salutation": Salutation,
    "mailing_group": MailingGroup,
    "industry_group": IndustryGroup,
    "business_relation": BusinessRelation,
    "job_responsibility": JobResponsibility,
}

INHERITED_ADDRESS = ("address", "address_2", "post_code", "city", "county", "country_region_code")
INHERITED_COMMUNICATION = ("phone_no", "fax_no")


class ReferenceCodes:
    """The codes of the setup tables, loaded once per request (imports check many rows)."""

    def __init__(self) -> None:
        self._codes: dict[str, set[str]] = {}
        self._country_names: dict[str, str] | None = None
        self.new_countries: dict[str, str] = {}
        """Countries named by ISO code or name that will be created on write."""

    def codes(self, table: str) -> set[str]:
        """All codes of a setup table."""
        if table not in self._codes:
            model = _REFERENCE_MODELS[table]
            self._codes[table] = {row[0] for row in model.select(model.code).tuples()}
        return self._codes[table]

    def country(self, value: str) -> str | None:
        """Resolve a country/region: a code or name of Setup's table, else an ISO 3166
        code or name (:mod:`segment_tui.data.countries`, created on write)."""
        if value.upper() in self.codes("country_region"):
            return value.upper()
        if self._country_names is None:
            rows = tuples(CountryRegion.select(CountryRegion.code, CountryRegion.name))
            self._country_names = {str(name).casefold(): code for code, name in rows if name}
        stored = self._country_names.get(value.strip().casefold())
        if stored is not None:
            return stored
        iso = country_code(value)
        if iso is None:
            return None
        if iso not in self.codes("country_region"):
            self.new_countries[iso] = country_name(iso)
        return iso

    def create_new_countries(self) -> None:
        """Insert the countries this request introduced."""
        for code, name in self.new_countries.items():
            if code not in self.codes("country_region"):
                CountryRegion.insert(code=code, name=name).execute()
                self._codes["country_region"].add(code)
        self.new_countries.clear()


def used_contact_numbers(numbers: Sequence[str]) -> set[str]:
    """Which of ``numbers`` contacts already have (for :func:`take_free_numbers`).

    Plain SQL: imports ask this 200 times per 100,000 numbers, and peewee spent 20 ms
    building each query."""
    if not numbers:
        return set()
    mark = "%s" if dialect() == "postgres" else "?"
    query = f"SELECT no FROM contact WHERE no IN ({', '.join([mark] * len(numbers))})"
    return {row[0] for row in db.execute_sql(query, list(numbers)).fetchall()}


def clean_value(name: str, raw: Any, refs: ReferenceCodes) -> tuple[Any, str | None]:
    """Validate one typed value of a contact field: (clean value, error or None)."""
    spec = BY_NAME.get(name)
    if spec is None:
        return None, f"unknown contact field {name!r}"
    if isinstance(raw, bool) and spec.kind == "boolean":
        return raw, None
    value = "" if raw is None else str(raw).strip()
    if spec.kind == "boolean":
        if value.lower() not in BOOL_WORDS:
            return None, f"{value!r} is not Yes or No"
        return BOOL_WORDS[value.lower()], None
    if spec.kind == "option":
        values = CONTACT_TYPES if name == "type" else CORRESPONDENCE_TYPES
        try:
            return parse_option(name, value, values), None
        except ValueError as err:
            return None, str(err).split(": ", 1)[1]
    control = control_character(value)
    if control is not None:
        what = f"the control character U+{ord(control):04X}"
        if control in "\r\n":
            what = "a line break"
        return None, f"holds {what}, which a contact field cannot hold"
    if spec.reference == "country_region" and value:
        # Accept a country's name ("Germany") as well as its code.
        code = refs.country(value)
        if code is None:
            near = suggestions(value)
            hint = f"; did you mean {' or '.join(near)}?" if near else ""
            return None, f"country/region {value!r} does not exist{hint}"
        return code, None
    if spec.kind == "code":
        value = value.upper()
    if spec.length and len(value) > spec.length:
        return None, f"{value!r} is longer than {spec.length} characters"
    if spec.reference and value and value not in refs.codes(spec.reference):
        return None, f"{spec.caption} {value!r} does not exist"
    if name == "email":
        return value, email_error(value)
    if name in ("phone_no", "mobile_phone_no", "fax_no"):
        return value, phone_error(value)
    return value, None


def clean_values(
    raw: Mapping[str, Any], refs: ReferenceCodes
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Validate typed values: (clean values, [(field, reason), …])."""
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, value in raw.items():
        clean, error = clean_value(name, value, refs)
        if error:
            errors.append((name, error))
        else:
            values[name] = clean
    return values, errors


def full_name(values: Mapping[str, Any]) -> str:
    """A person's name from its parts, as BC builds it."""
    parts = (values.get(k, "") for k in ("first_name", "middle_name", "surname"))
    return " ".join(p for p in parts if p)


def inherited_fields(setup: MarketingSetup) -> list[str]:
    """The fields a person takes from its company where its own are blank, as Marketing
    Setup's inherit flags say; the address is not among them, since it is inherited only
    as a whole, when the person has none of its own (:data:`INHERITED_ADDRESS`)."""
    flags = (
        (setup.inherit_salesperson_code, "salesperson_code"),
        (setup.inherit_territory_code, "territory_code"),
        (setup.inherit_language_code, "language_code"),
        (setup.inherit_country_region_code, "country_region_code"),
    )
    fields = [name for inherit, name in flags if inherit]
    if setup.inherit_communication_details:
        fields.extend(INHERITED_COMMUNICATION)
    return fields


def setup_defaults(setup: MarketingSetup) -> dict[str, str]:
    """What a new contact takes from Marketing Setup's defaults where it gives nothing."""
    return {
        "salesperson_code": setup.default_salesperson_code,
        "territory_code": setup.default_territory_code,
        "country_region_code": setup.default_country_region_code,
        "language_code": setup.default_language_code,
        "correspondence_type": setup.default_correspondence_type,
    }
