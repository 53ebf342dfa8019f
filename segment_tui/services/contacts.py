"""Contacts: create, edit, delete, with Business Central's rules.

- a company contact's ``company_no`` is its own number and ``company_name`` its name;
- a person links to a company and inherits its salesperson, territory, country,
  language, address and phone as Marketing Setup's inherit flags say;
- new contacts take Marketing Setup's defaults (salesperson, territory, country,
  language, correspondence type, salutation);
- a contact on an unlogged segment can be neither deleted nor moved to another company;
- the type cannot change once interaction log entries point at the contact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from segment_tui.data.countries import country_code, country_name, suggestions
from segment_tui.db import db, dialect, tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import (
    BusinessRelation,
    Contact,
    CountryRegion,
    IndustryGroup,
    InteractionLogEntry,
    JobResponsibility,
    Language,
    MailingGroup,
    MarketingSetup,
    Salesperson,
    Salutation,
    SegmentLine,
    Territory,
)
from segment_tui.models.enums import CONTACT_TYPES, CORRESPONDENCE_TYPES, parse_option
from segment_tui.services.contact_csv import control_character
from segment_tui.services.contact_fields import (
    BOOL_WORDS,
    BY_NAME,
    email_error,
    phone_error,
)
from segment_tui.services.numbering import (
    check_manual_number,
    contact_series,
    take_free_numbers,
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


def complete_new_contact(
    values: dict[str, Any], setup: MarketingSetup, company: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Fill a new contact's derived fields and defaults (no database access).

    ``company`` is the company record a person links to (``no``, ``name`` and the
    inheritable fields), or None.
    """
    row = dict(values)
    row.setdefault("type", "company")
    if not row.get("name") and row["type"] == "person":
        row["name"] = full_name(row)
    if row["type"] == "company":
        row["company_no"] = row["no"]
        row["company_name"] = row.get("name", "")
    elif company is not None:
        row["company_no"] = company["no"]
        row["company_name"] = company["name"]
        inherit: list[str] = []
        if setup.inherit_salesperson_code:
            inherit.append("salesperson_code")
        if setup.inherit_territory_code:
            inherit.append("territory_code")
        if setup.inherit_language_code:
            inherit.append("language_code")
        if setup.inherit_country_region_code:
            inherit.append("country_region_code")
        if setup.inherit_address_details and not any(row.get(k) for k in INHERITED_ADDRESS):
            inherit.extend(INHERITED_ADDRESS)
        if setup.inherit_communication_details:
            inherit.extend(INHERITED_COMMUNICATION)
        for key in inherit:
            if not row.get(key) and company.get(key):
                row[key] = company[key]
    else:
        row["company_no"] = None
        row["company_name"] = ""
    defaults = {
        "salesperson_code": setup.default_salesperson_code,
        "territory_code": setup.default_territory_code,
        "country_region_code": setup.default_country_region_code,
        "language_code": setup.default_language_code,
        "correspondence_type": setup.default_correspondence_type,
        "salutation_code": setup.def_company_salutation_code
        if row["type"] == "company"
        else setup.default_person_salutation_code,
    }
    for key, default in defaults.items():
        if not row.get(key) and default:
            row[key] = default
    if not row.get("search_name"):
        row["search_name"] = str(row.get("name", "")).upper()[:100]
    row["last_date_modified"] = dt.date.today()
    return row


def on_unlogged_segments(contact_no: str) -> bool:
    """True when the contact is on a line of a segment that is not logged yet."""
    return SegmentLine.select().where(SegmentLine.contact_no == contact_no).exists()


def get_contact(no: str) -> Contact:
    """The contact numbered ``no`` or a NotFoundError."""
    contact = Contact.get_or_none(Contact.no == no.strip().upper())
    if contact is None:
        raise NotFoundError(
            f"The Contact does not exist. Identification fields and values: No.='{no}'"
        )
    return contact


def _company_record(company_no: str) -> dict[str, Any]:
    company = Contact.get_or_none(Contact.no == company_no)
    if company is None or company.type != "company":
        raise UserError(f"Company No. {company_no!r} is not a company contact.", field="company_no")
    return company.as_record()


def _company_by_name(values: dict[str, Any]) -> None:
    """A person's company typed by name (``company_name``) becomes its Company No., as
    BC's lookup on Company Name does; the name must identify one company."""
    name = values.get("company_name")
    if not name or values.get("company_no"):
        return
    found = tuples(
        Contact.select(Contact.no)
        .where((Contact.type == "company") & (Contact.name == name))
        .order_by(Contact.no)
        .limit(6)
    )
    if not found:
        raise UserError(
            f"company_name: there is no company contact named {name!r}.", field="company_name"
        )
    if len(found) > 1:
        listed = ", ".join(row[0] for row in found[:5])
        raise UserError(
            f"company_name: {len(found)} companies are named {name!r} ({listed}); "
            "give company_no instead.",
            field="company_name",
        )
    values["company_no"] = found[0][0]


def _raise_errors(errors: Iterable[tuple[str, str]]) -> None:
    for name, reason in errors:
        raise UserError(f"{name}: {reason}", field=name)


def create_contact(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Create a contact from typed values; returns its record."""
    refs = ReferenceCodes()
    values, errors = clean_values(raw, refs)
    _raise_errors(errors)
    if not values.get("name") and not full_name(values):
        raise UserError("name: a contact needs a name.", field="name")
    if "type" not in values and (values.get("company_no") or values.get("company_name")):
        values["type"] = "person"  # naming a company makes a person, as import does
    if values.get("type", "company") == "person":
        _company_by_name(values)
    setup = MarketingSetup.get_or_none(MarketingSetup.primary_key == "") or MarketingSetup()
    with write_transaction():
        if values.get("no"):
            if setup.contact_nos:
                check_manual_number(setup.contact_nos)
            if Contact.select().where(Contact.no == values["no"]).exists():
                raise UserError(f"The Contact already exists. No.='{values['no']}'", field="no")
        else:
            values["no"] = take_free_numbers(contact_series(), 1, used_contact_numbers)[0]
        company = _company_record(values["company_no"]) if values.get("company_no") else None
        if values.get("type", "company") == "company" and values.get("company_no"):
            raise UserError("company_no: a company contact is its own company.", field="company_no")
        row = complete_new_contact(values, setup, company)
        refs.create_new_countries()
        Contact.insert(**row).execute()
    return get_contact(row["no"]).as_record()


def update_contact(no: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Change fields of a contact, with BC's guards; returns the new record."""
    refs = ReferenceCodes()
    values, errors = clean_values(raw, refs)
    _raise_errors(errors)
    if "no" in values and values["no"] != no.upper():
        raise UserError("no: a contact's number cannot be changed here.", field="no")
    with write_transaction():
        contact = get_contact(no)
        if "type" in values and values["type"] != contact.type:
            has_entries = (
                InteractionLogEntry.select()
                .where(InteractionLogEntry.contact_no == contact.no)
                .exists()
            )
            if has_entries:
                raise UserError(
                    "Type cannot be changed because one or more interaction log entries "
                    "are linked to the contact.",
                    field="type",
                )
            persons = Contact.select().where(
                (Contact.company_no == contact.no) & (Contact.no != contact.no)
            )
            if contact.type == "company" and persons.exists():
                raise UserError(
                    "Type cannot be changed because there are one or more related people "
                    "linked to the contact.",
                    field="type",
                )
        new_type = values.get("type", contact.type)
        if new_type == "person" and "company_name" in values and "company_no" not in values:
            if values["company_name"]:
                _company_by_name(values)
            else:
                values["company_no"] = ""
        if new_type == "company":
            values["company_no"] = contact.no
            values["company_name"] = values.get("name", contact.name)
        elif "company_no" in values:
            new_company = values["company_no"] or None
            old_company = None if contact.type == "company" else (contact.company_no or None)
            if new_company != old_company and on_unlogged_segments(contact.no):
                raise UserError(
                    "You cannot change Company No. because one or more unlogged segments "
                    "are assigned to the contact.",
                    field="company_no",
                )
            values["company_name"] = _company_record(new_company)["name"] if new_company else ""
            values["company_no"] = new_company
        elif contact.type == "company":  # company turned into a person: no company yet
            values["company_no"] = None
            values["company_name"] = ""
        if "name" in values and "search_name" not in values:
            values["search_name"] = values["name"].upper()[:100]
        values["last_date_modified"] = dt.date.today()
        refs.create_new_countries()
        Contact.update(**values).where(Contact.no == contact.no).execute()
        if new_type == "company" and "name" in values:
            # Persons carry their company's name (BC keeps Company Name in sync).
            Contact.update(company_name=values["name"]).where(
                Contact.company_no == contact.no
            ).execute()
    return get_contact(no).as_record()


def delete_contact(no: str) -> None:
    """Delete a contact; refused while it is on an unlogged segment (BC's message)."""
    with write_transaction():
        contact = get_contact(no)
        if on_unlogged_segments(contact.no):
            raise UserError(
                f"You cannot delete the Contact record of the {contact.no} because the "
                "contact is assigned one or more unlogged segments."
            )
        persons = Contact.select().where(
            (Contact.company_no == contact.no) & (Contact.no != contact.no)
        )
        if contact.type == "company" and persons.exists():
            raise UserError(
                f"You cannot delete company contact {contact.no} because person contacts "
                "are linked to it; delete or move them first."
            )
        Contact.delete().where(Contact.no == contact.no).execute()


def contact_count() -> int:
    """How many contacts the database holds."""
    return int(db.execute_sql("SELECT COUNT(*) FROM contact").fetchone()[0])
