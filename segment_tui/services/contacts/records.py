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
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, cast

from segment_tui.db import db, tuples, write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import (
    Contact,
    InteractionLogEntry,
    MarketingSetup,
    SegmentLine,
)
from segment_tui.services.contacts.cleaning import (
    INHERITED_ADDRESS,
    ReferenceCodes,
    clean_values,
    full_name,
    inherited_fields,
    setup_defaults,
    used_contact_numbers,
)
from segment_tui.services.setup.numbering import (
    check_manual_number,
    contact_series,
    take_free_numbers,
)


class ContactRecord(TypedDict):
    """A contact as its card and ``contacts new``/``contacts set`` show it: every column,
    codes blank rather than null (a company's ``company_no`` is its own number)."""

    no: str
    type: str
    name: str
    search_name: str
    name_2: str
    first_name: str
    middle_name: str
    surname: str
    initials: str
    job_title: str
    company_no: str
    company_name: str
    address: str
    address_2: str
    city: str
    post_code: str
    county: str
    country_region_code: str
    phone_no: str
    mobile_phone_no: str
    fax_no: str
    email: str
    home_page: str
    vat_registration_no: str
    territory_code: str
    salesperson_code: str
    language_code: str
    salutation_code: str
    correspondence_type: str
    exclude_from_segment: bool
    privacy_blocked: bool
    external_id: str
    last_date_modified: dt.date | None


def _record(contact: Contact) -> ContactRecord:
    return cast(ContactRecord, contact.as_record())  # the record type lists the columns


def contact_record(no: str) -> ContactRecord:
    """The contact numbered ``no`` (its card), or a NotFoundError."""
    return _record(get_contact(no))


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
        inherit = inherited_fields(setup)
        if setup.inherit_address_details and not any(row.get(k) for k in INHERITED_ADDRESS):
            inherit.extend(INHERITED_ADDRESS)
        for key in inherit:
            if not row.get(key) and company.get(key):
                row[key] = company[key]
    else:
        row["company_no"] = None
        row["company_name"] = ""
    defaults: dict[str, Any] = {
        **setup_defaults(setup),
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


def _company_record(company_no: str) -> ContactRecord:
    company = Contact.get_or_none(Contact.no == company_no)
    if company is None or company.type != "company":
        raise UserError(f"Company No. {company_no!r} is not a company contact.", field="company_no")
    return _record(company)


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


def create_contact(raw: Mapping[str, Any]) -> ContactRecord:
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
    return contact_record(row["no"])


def update_contact(no: str, raw: Mapping[str, Any]) -> ContactRecord:
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
    return contact_record(no)


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
