"""Contacts and their classifications (BC tables 5050, 5055–5058, 5067–5068, 5087–5089).

A company contact's ``company_no`` is its own ``no`` (checked by the database); a
person's points at its company. Industry groups and business relations belong to
companies, job responsibilities to persons (docs/business-central.md, "Data model").
"""

from __future__ import annotations

from peewee import SQL, AutoField, CharField, Check, DateField, IntegerField, TextField

from segment_tui.models.base import BaseModel
from segment_tui.models.enums import CONTACT_TYPES, CORRESPONDENCE_TYPES, PROFILE_LINE_TYPES
from segment_tui.models.fields import code_field, code_ref, flag, option, text


class Contact(BaseModel):
    """Contact (table 5050): a company or a person."""

    no = code_field(20, primary_key=True)
    type = option("type", CONTACT_TYPES, index=True)
    name = text(100, index=True)
    search_name = text(100, index=True)
    name_2 = text(50)
    first_name = text(30)
    middle_name = text(30)
    surname = text(30)
    initials = text(30)
    job_title = text(30, index=True)
    company_no = code_ref("contact", 20, column="no")
    company_name = text(100, index=True)
    address = text(100)
    address_2 = text(50)
    city = text(30, index=True)
    post_code = code_field(20, index=True)
    county = text(30)
    country_region_code = code_ref("country_region", 10)
    phone_no = text(30)
    mobile_phone_no = text(30)
    fax_no = text(30)
    email = text(80, index=True)
    home_page = text(80)
    vat_registration_no = text(20)
    territory_code = code_ref("territory", 10)
    salesperson_code = code_ref("salesperson", 20)
    language_code = code_ref("language", 10)
    salutation_code = code_ref("salutation", 10, index=False)
    correspondence_type = option("correspondence_type", CORRESPONDENCE_TYPES, index=True)
    exclude_from_segment = flag(index=True)
    privacy_blocked = flag()
    external_id = text(250)
    last_date_modified = DateField(null=True)

    class Meta:
        constraints = [Check("type <> 'company' OR (company_no IS NOT NULL AND company_no = no)")]
        indexes = ((("company_name", "company_no", "type", "name"), False),)


class ContactSearchKey(BaseModel):
    """A contact's folded search key (no. ␟ name ␟ company name) for the worksheet's `/`.

    Derived data, not a BC table: PostgreSQL's triggers keep it in step, SQLite's keys
    are filled on demand (migration 12, `services.line_search.ensure_search_keys`). A
    trigram index serves "contains" where the database has one (PostgreSQL `pg_trgm`,
    SQLite FTS5 `contact_search_trigrams`); it is not a model.
    """

    contact_no = CharField(max_length=20, primary_key=True)
    search_key = TextField()


class MailingGroup(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(100)


class IndustryGroup(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(100)


class BusinessRelation(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(100)


class JobResponsibility(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(100)


class ContactMailingGroup(BaseModel):
    id = AutoField()
    contact_no = code_ref("contact", 20, column="no", on_delete="CASCADE", index=False)
    mailing_group_code = code_ref("mailing_group", 10)

    class Meta:
        indexes = ((("contact_no", "mailing_group_code"), True),)


class ContactIndustryGroup(BaseModel):
    """An industry group of a company contact."""

    id = AutoField()
    contact_no = code_ref("contact", 20, column="no", on_delete="CASCADE", index=False)
    industry_group_code = code_ref("industry_group", 10)

    class Meta:
        indexes = ((("contact_no", "industry_group_code"), True),)


class ContactBusinessRelation(BaseModel):
    """A business relation of a company contact (customer, vendor, bank, …)."""

    id = AutoField()
    contact_no = code_ref("contact", 20, column="no", on_delete="CASCADE", index=False)
    business_relation_code = code_ref("business_relation", 10)

    class Meta:
        indexes = ((("contact_no", "business_relation_code"), True),)


class ContactJobResponsibility(BaseModel):
    """A job responsibility of a person contact."""

    id = AutoField()
    contact_no = code_ref("contact", 20, column="no", on_delete="CASCADE", index=False)
    job_responsibility_code = code_ref("job_responsibility", 10)

    class Meta:
        indexes = ((("contact_no", "job_responsibility_code"), True),)


class ProfileQuestionnaire(BaseModel):
    """Profile Questionnaire Header (table 5087)."""

    code = code_field(20, primary_key=True)
    description = text(250)
    contact_type = option("contact_type", ("", *CONTACT_TYPES))


class ProfileQuestionnaireLine(BaseModel):
    """A question, or an answer to the question above it (table 5088)."""

    id = AutoField()
    profile_questionnaire_code = code_ref(
        "profile_questionnaire", 20, on_delete="CASCADE", index=False
    )
    line_no = IntegerField()
    type = option("type", PROFILE_LINE_TYPES)
    description = text(250)
    multiple_answers = flag()

    class Meta:
        indexes = ((("profile_questionnaire_code", "line_no"), True),)


class ContactProfileAnswer(BaseModel):
    """A contact's answer (table 5089): the answer line of a questionnaire."""

    id = AutoField()
    contact_no = code_ref("contact", 20, column="no", on_delete="CASCADE", index=False)
    profile_questionnaire_code = code_field(20)
    line_no = IntegerField()
    contact_company_no = code_field(20)
    last_date_updated = DateField(null=True)

    class Meta:
        indexes = (
            (("contact_no", "profile_questionnaire_code", "line_no"), True),
            (("profile_questionnaire_code", "line_no"), False),
        )
        constraints = [
            SQL(
                "FOREIGN KEY (profile_questionnaire_code, line_no) REFERENCES "
                "profile_questionnaire_line (profile_questionnaire_code, line_no)"
            )
        ]
