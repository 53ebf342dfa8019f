"""Setup and reference tables: marketing setup, number series, company information,
salespeople, territories, countries, languages, salutations, user setup."""

from __future__ import annotations

from peewee import AutoField, CharField

from segment_tui.models.base import BaseModel
from segment_tui.models.enums import CORRESPONDENCE_TYPES, SALUTATION_TYPES
from segment_tui.models.fields import code_field, code_ref, flag, number, option, text


class NoSeries(BaseModel):
    """A number series such as ``SEG00001…`` (BC's No. Series with one line)."""

    code = code_field(20, primary_key=True)
    description = text(100)
    starting_no = code_field(20)
    ending_no = code_field(20)
    last_no_used = code_field(20)
    increment_by = number(1)
    manual_nos = flag()


class Territory(BaseModel):
    code = code_field(10, primary_key=True)
    name = text(50)


class CountryRegion(BaseModel):
    code = code_field(10, primary_key=True)
    name = text(50)


class Language(BaseModel):
    code = code_field(10, primary_key=True)
    name = text(50)


class Salesperson(BaseModel):
    """Salesperson/Purchaser (table 13)."""

    code = code_field(20, primary_key=True)
    name = text(50)
    job_title = text(30)
    phone_no = text(30)
    email = text(80)
    blocked = flag()


class Salutation(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(50)


class SalutationFormula(BaseModel):
    """How a salutation reads in a language: ``Dear %1 %2`` with name parts 1–5."""

    id = AutoField()
    salutation_code = code_ref("salutation", 10, on_delete="CASCADE")
    language_code = code_field(10)
    salutation_type = option("salutation_type", SALUTATION_TYPES)
    salutation = text(50)
    name_1 = text(30)
    name_2 = text(30)
    name_3 = text(30)
    name_4 = text(30)
    name_5 = text(30)

    class Meta:
        indexes = ((("salutation_code", "language_code", "salutation_type"), True),)


class MarketingSetup(BaseModel):
    """Marketing Setup (table 5079): one row, primary key ``""``."""

    primary_key = code_field(10, primary_key=True)
    segment_nos = code_ref("no_series", 20)
    contact_nos = code_ref("no_series", 20)
    default_salesperson_code = code_ref("salesperson", 20)
    default_territory_code = code_ref("territory", 10)
    default_country_region_code = code_ref("country_region", 10)
    default_language_code = code_ref("language", 10)
    default_correspondence_type = option("default_correspondence_type", CORRESPONDENCE_TYPES)
    def_company_salutation_code = code_ref("salutation", 10)
    default_person_salutation_code = code_ref("salutation", 10)
    inherit_salesperson_code = flag(default=True)
    inherit_territory_code = flag(default=True)
    inherit_country_region_code = flag(default=True)
    inherit_language_code = flag(default=True)
    inherit_address_details = flag(default=True)
    inherit_communication_details = flag(default=True)
    smtp_host = text(250)
    smtp_port = number(25)
    smtp_starttls = flag()
    smtp_user = text(250)
    smtp_from_address = text(250)
    smtp_password_env = text(100, default="SEGMENT_TUI_SMTP_PASSWORD")
    smtp_allow_unencrypted_login = flag()
    """Send the SMTP password without TLS (migration 7); off: such a login is refused."""


class CompanyInformation(BaseModel):
    """Company Information (table 79): one row, the sender of every letter."""

    primary_key = code_field(10, primary_key=True)
    name = text(100)
    name_2 = text(50)
    address = text(100)
    address_2 = text(50)
    post_code = code_field(20)
    city = text(30)
    county = text(30)
    country_region_code = code_ref("country_region", 10)
    phone_no = text(30)
    fax_no = text(30)
    email = text(80)
    home_page = text(80)
    vat_registration_no = text(20)
    registration_no = text(50)
    bank_name = text(100)
    bank_branch_no = text(20)
    bank_account_no = text(30)
    giro_no = text(20)


class UserSetup(BaseModel):
    """User Setup (table 91), for the user's salesperson (segment header default)."""

    user_id = CharField(max_length=50, primary_key=True)
    salesperson_code = code_ref("salesperson", 20)
