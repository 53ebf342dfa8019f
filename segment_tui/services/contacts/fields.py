"""The contact fields users can type, import and filter, with their kinds and lengths.

One table serves validation (create/edit/import), CSV headers and the filter whitelist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "code", "option", "boolean", "date"]


@dataclass(frozen=True)
class ContactField:
    """A contact column as users see it."""

    name: str
    kind: Kind
    length: int = 0
    reference: str = ""
    """Setup table a code must exist in ("salesperson", "territory", …)."""
    caption: str = ""


CONTACT_FIELDS: tuple[ContactField, ...] = (
    ContactField("no", "code", 20, caption="No."),
    ContactField("type", "option", caption="Type"),
    ContactField("name", "text", 100, caption="Name"),
    ContactField("search_name", "text", 100, caption="Search Name"),
    ContactField("name_2", "text", 50, caption="Name 2"),
    ContactField("first_name", "text", 30, caption="First Name"),
    ContactField("middle_name", "text", 30, caption="Middle Name"),
    ContactField("surname", "text", 30, caption="Surname"),
    ContactField("initials", "text", 30, caption="Initials"),
    ContactField("job_title", "text", 30, caption="Job Title"),
    ContactField("company_no", "code", 20, caption="Company No."),
    ContactField("company_name", "text", 100, caption="Company Name"),
    ContactField("address", "text", 100, caption="Address"),
    ContactField("address_2", "text", 50, caption="Address 2"),
    ContactField("city", "text", 30, caption="City"),
    ContactField("post_code", "code", 20, caption="Post Code"),
    ContactField("county", "text", 30, caption="County"),
    ContactField(
        "country_region_code", "code", 10, reference="country_region", caption="Country/Region"
    ),
    ContactField("phone_no", "text", 30, caption="Phone No."),
    ContactField("mobile_phone_no", "text", 30, caption="Mobile Phone No."),
    ContactField("fax_no", "text", 30, caption="Fax No."),
    ContactField("email", "text", 80, caption="Email"),
    ContactField("home_page", "text", 80, caption="Home Page"),
    ContactField("vat_registration_no", "text", 20, caption="VAT Registration No."),
    ContactField("territory_code", "code", 10, reference="territory", caption="Territory"),
    ContactField(
        "salesperson_code", "code", 20, reference="salesperson", caption="Salesperson Code"
    ),
    ContactField("language_code", "code", 10, reference="language", caption="Language Code"),
    ContactField("salutation_code", "code", 10, reference="salutation", caption="Salutation"),
    ContactField("correspondence_type", "option", caption="Correspondence Type"),
    ContactField("exclude_from_segment", "boolean", caption="Exclude from Segment"),
    ContactField("privacy_blocked", "boolean", caption="Privacy Blocked"),
    ContactField("external_id", "text", 250, caption="External ID"),
)

BY_NAME: dict[str, ContactField] = {f.name: f for f in CONTACT_FIELDS}

# Classification columns of an import/export row: ";"-separated codes.
CLASSIFICATION_COLUMNS: dict[str, str] = {
    "mailing_groups": "mailing_group",
    "industry_groups": "industry_group",
    "business_relations": "business_relation",
    "job_responsibilities": "job_responsibility",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_error(value: str) -> str | None:
    """BC's check of an e-mail address, or None when it is fine (or blank)."""
    if value and not _EMAIL.match(value):
        return f'The email address "{value}" is invalid.'
    return None


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d+$", re.IGNORECASE)


def phone_error(value: str) -> str | None:
    """BC refuses letters in phone numbers; an extension written the way US exports
    write it (``555-0100x123``, ``ext. 12``) is allowed (docs/contacts-import.md)."""
    if any(ch.isalpha() for ch in _EXTENSION.sub("", value)):
        return f"The phone number {value} contains letters, which is not allowed."
    return None


BOOL_WORDS = {
    "1": True, "yes": True, "y": True, "true": True, "x": True, "ja": True,
    "0": False, "no": False, "n": False, "false": False, "": False, "nein": False,
}  # fmt: skip
