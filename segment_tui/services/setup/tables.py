"""The setup tables the Setup screen edits, and their fields: how each is typed,
captioned and looked up (read from the models, no database access).

:mod:`.records` reads and writes the records of these tables one at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import BooleanField, DateField, DecimalField, Field, IntegerField, Model

from segment_tui.errors import UserError
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    INFORMATION_FLOWS,
    INITIATED_BY,
    SALUTATION_TYPES,
    caption,
)
from segment_tui.services.setup.json_file import SETUP_MODELS, _fields

SetupValue = str | int | bool | Decimal | dt.date | None
"""A setup field's value, by its kind (:attr:`SetupField.kind`): code, text and option
are text, then Yes/No, whole numbers, amounts and dates (None: no date)."""

SetupRecord = dict[str, SetupValue]
"""A setup record, field name -> value, for whichever table: the Setup screen edits 16
tables through one form, its fields described at run time by :func:`setup_fields`."""


@dataclass(frozen=True)
class SetupTable:
    """A setup table as the Setup screen offers it."""

    table: str
    caption: str
    """Plural caption for the list of tables."""
    singular: str
    """Caption of one record, for messages ("Salesperson JO …")."""
    single: bool = False
    """One record only (Company Information, Marketing Setup): shown as a form."""
    new_fields: tuple[str, ...] = ()
    """Fields the "new record" form asks for (the key first; at most three, so the form
    fits an 80×24 terminal — the other fields are edited in the table)."""


SETUP_TABLES: tuple[SetupTable, ...] = (
    SetupTable("interaction_template", "Interaction Templates", "Interaction Template",
               new_fields=("code", "interaction_group_code", "description")),
    SetupTable("interaction_group", "Interaction Groups", "Interaction Group",
               new_fields=("code", "description")),
    SetupTable("salesperson", "Salespeople", "Salesperson",
               new_fields=("code", "name", "email")),
    SetupTable("campaign", "Campaigns", "Campaign",
               new_fields=("no", "description", "starting_date")),
    SetupTable("language", "Languages", "Language", new_fields=("code", "name")),
    SetupTable("territory", "Territories", "Territory", new_fields=("code", "name")),
    SetupTable("country_region", "Countries/Regions", "Country/Region",
               new_fields=("code", "name")),
    SetupTable("mailing_group", "Mailing Groups", "Mailing Group",
               new_fields=("code", "description")),
    SetupTable("industry_group", "Industry Groups", "Industry Group",
               new_fields=("code", "description")),
    SetupTable("business_relation", "Business Relations", "Business Relation",
               new_fields=("code", "description")),
    SetupTable("job_responsibility", "Job Responsibilities", "Job Responsibility",
               new_fields=("code", "description")),
    SetupTable("salutation", "Salutations", "Salutation", new_fields=("code", "description")),
    SetupTable("no_series", "Number Series", "No. Series",
               new_fields=("code", "description", "starting_no")),
    SetupTable("user_setup", "User Setup", "User Setup",
               new_fields=("user_id", "salesperson_code")),
    SetupTable("company_information", "Company Information", "Company Information",
               single=True),
    SetupTable("marketing_setup", "Marketing Setup", "Marketing Setup", single=True),
)  # fmt: skip
BY_TABLE: dict[str, SetupTable] = {t.table: t for t in SETUP_TABLES}

OPTION_VALUES: dict[str, tuple[str, ...]] = {
    "information_flow": INFORMATION_FLOWS,
    "initiated_by": INITIATED_BY,
    "correspondence_type_default": CORRESPONDENCE_TYPES,
    "default_correspondence_type": CORRESPONDENCE_TYPES,
    "salutation_type": SALUTATION_TYPES,
}
"""Setup fields that are enumerations, with their stored values."""

_CAPTIONS = {
    "no": "No.", "code": "Code", "unit_cost_lcy": "Unit Cost (LCY)",
    "unit_duration_min": "Unit Duration (Min.)", "correspondence_type_default":
    "Correspondence Type (Default)", "language_code_default": "Language Code (Default)",
    "ignore_contact_corres_type": "Ignore Contact Corres. Type", "segment_nos": "Segment Nos.",
    "contact_nos": "Contact Nos.", "def_company_salutation_code": "Def. Company Salutation Code",
    "smtp_host": "SMTP Host", "smtp_port": "SMTP Port", "smtp_starttls": "SMTP STARTTLS",
    "smtp_user": "SMTP User", "smtp_from_address": "SMTP From Address",
    "smtp_password_env": "SMTP Password Env. Variable", "starting_no": "Starting No.",
    "smtp_allow_unencrypted_login": "SMTP Allow Unencrypted Login",
    "ending_no": "Ending No.", "last_no_used": "Last No. Used", "manual_nos": "Manual Nos.",
    "phone_no": "Phone No.", "fax_no": "Fax No.", "email": "Email", "campaign_no": "Campaign No.",
    "vat_registration_no": "VAT Registration No.", "registration_no": "Registration No.",
    "bank_branch_no": "Bank Branch No.", "bank_account_no": "Bank Account No.",
    "giro_no": "Giro No.", "user_id": "User ID", "country_region_code": "Country/Region Code",
    "default_country_region_code": "Default Country/Region Code",
    "inherit_country_region_code": "Inherit Country/Region Code",
}  # fmt: skip


@dataclass(frozen=True)
class SetupField:
    """One field of a setup table: how it is typed and shown."""

    name: str
    caption: str
    kind: str
    """"code", "text", "option", "boolean", "integer", "decimal" or "date"."""
    length: int = 0
    reference: str = ""
    """Table a code must exist in (blank: none)."""
    minimum_zero: bool = False
    """The database refuses negative values."""


def field_caption(name: str) -> str:
    """BC-style caption of a snake_case field name."""
    return _CAPTIONS.get(name) or " ".join(part.capitalize() for part in name.split("_"))


def field_constraints(field: Field) -> list[str]:
    """The SQL of a field's constraints (REFERENCES …, CHECK …)."""
    return [str(getattr(c, "sql", "")) for c in field.constraints or []]


def _reference(field: Field) -> str:
    """The table a field references without ON DELETE (a code it must point at)."""
    for clause in field_constraints(field):
        if clause.startswith("REFERENCES ") and "ON DELETE" not in clause:
            return clause.split()[1]
    return ""


def _describe(field: Field) -> SetupField:
    kind = "text"
    if field.name in OPTION_VALUES:
        kind = "option"
    elif isinstance(field, BooleanField):
        kind = "boolean"
    elif isinstance(field, IntegerField):
        kind = "integer"
    elif isinstance(field, DecimalField):
        kind = "decimal"
    elif isinstance(field, DateField):
        kind = "date"
    elif type(field).__name__ == "CodeField":
        kind = "code"
    minimum_zero = any(c.endswith(f"({field.name} >= 0)") for c in field_constraints(field))
    return SetupField(
        field.name,
        field_caption(field.name),
        kind,
        int(getattr(field, "max_length", 0) or 0),
        _reference(field),
        minimum_zero,
    )


def setup_model(table: str) -> type[Model]:
    """The model of a setup table the screen edits (a UserError for another table)."""
    if table not in BY_TABLE:
        raise UserError(f"{table}: not a setup table this screen edits")
    return next(m for m in SETUP_MODELS if m._meta.table_name == table)


def setup_fields(table: str) -> list[SetupField]:
    """The fields of a setup table in storage order (no database access)."""
    return [_describe(f) for f in _fields(setup_model(table))]


def key_field(table: str) -> str:
    """The primary key field of a setup table."""
    primary: Any = setup_model(table)._meta.primary_key
    return str(primary.name)


def option_rows(name: str, search: str = "") -> list[tuple[str, str]]:
    """(value, caption) pairs of an enumeration field, for its lookup."""
    needle = search.strip().lower()
    return [
        (value, caption(value) or "(blank)")
        for value in OPTION_VALUES[name]
        if needle in value or needle in caption(value).lower()
    ]
