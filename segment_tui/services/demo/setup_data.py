"""The demo's setup: salespeople, territories, languages, countries, groups, relations,
a questionnaire, salutations, interaction groups and templates with their Word documents,
a campaign and company information — what :mod:`.seed` needs before it writes contacts.

Rows already present are kept, so seeding twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import Model

from segment_tui.data.countries import country_name
from segment_tui.data.demo_names import (
    COUNTRY_PROFILES,
)
from segment_tui.db import tuples
from segment_tui.models import (
    Attachment,
    BusinessRelation,
    Campaign,
    CompanyInformation,
    CountryRegion,
    IndustryGroup,
    InteractionGroup,
    InteractionTemplate,
    InteractionTmplLanguage,
    JobResponsibility,
    Language,
    MailingGroup,
    MarketingSetup,
    ProfileQuestionnaire,
    ProfileQuestionnaireLine,
    Salesperson,
    Salutation,
    SalutationFormula,
    Territory,
)
from segment_tui.services.demo.documents import letter_document, newsletter_document

SALESPEOPLE = [
    ("BC", "Benjamin Chiu", "Sales Manager"),
    ("JO", "Jim Olive", "Sales Representative"),
    ("PS", "Peter Saddow", "Sales Representative"),
    ("RB", "Robin Bettencourt", "Marketing Manager"),
    ("HR", "Helena Ray", "Account Manager"),
]
LANGUAGES = [
    ("ENU", "English (United States)"), ("DEU", "German"), ("FRA", "French"),
    ("ESP", "Spanish"), ("DAN", "Danish"), ("SVE", "Swedish"), ("NLD", "Dutch"),
    ("ITA", "Italian"),
]  # fmt: skip
TERRITORIES = [
    ("LONDON", "Greater London"), ("NORTH", "North"), ("SOUTH", "South"),
    ("FOREIGN", "Foreign"), ("SCOTLAND", "Scotland"),
]  # fmt: skip
MAILING_GROUPS = [
    ("CHRISTMAS", "Christmas card"), ("NEWSLETTER", "Monthly newsletter"),
    ("EVENTS", "Event invitations"), ("PRESS", "Press releases"),
]  # fmt: skip
INDUSTRY_GROUPS = [
    ("ADVERT", "Advertising"), ("MAN", "Manufacturing"), ("RET", "Retail"),
    ("WHOLE", "Wholesale"), ("LAW", "Law firms"), ("CONS", "Consulting"),
]  # fmt: skip
BUSINESS_RELATIONS = [
    ("CUST", "Customer"), ("PROS", "Prospect"), ("VEND", "Vendor"), ("PRESS", "Press"),
]  # fmt: skip
JOB_RESPONSIBILITIES = [
    ("IT", "IT"), ("MARKETING", "Marketing"), ("PURCHASE", "Purchase"), ("SALES", "Sales"),
    ("MANAGEMENT", "Management"), ("FINANCE", "Finance"),
]  # fmt: skip
INTERACTION_GROUPS = [
    ("LETTER", "Letters"), ("EMAIL", "E-mails"), ("PHONE", "Telephone calls"),
    ("MEETING", "Meetings"),
]  # fmt: skip


def _insert_missing(model: type[Model], rows: list[dict[str, object]]) -> None:
    """Insert the rows whose primary key is not there yet (setup is seeded idempotently)."""
    key: Any = model._meta.primary_key
    present = {row[0] for row in tuples(model.select(key))}
    new = [r for r in rows if r[key.name] not in present]
    if new:
        model.insert_many(new).execute()


def seed_setup() -> None:
    """Reference data, templates with documents, a campaign, company information."""
    _insert_missing(Language, [{"code": c, "name": n} for c, n in LANGUAGES])
    _insert_missing(Territory, [{"code": c, "name": n} for c, n in TERRITORIES])
    _insert_missing(
        CountryRegion,
        [
            {"code": c, "name": country_name(c)}
            for c in ("GB", *sorted(set(COUNTRY_PROFILES) - {"GB"}))
        ],
    )
    _insert_missing(
        Salesperson,
        [
            {"code": c, "name": n, "job_title": t, "email": f"{c.lower()}@cronus.example",
             "phone_no": f"+44 20 7946 01{i:02d}"}
            for i, (c, n, t) in enumerate(SALESPEOPLE)
        ],
    )  # fmt: skip
    _insert_missing(MailingGroup, [{"code": c, "description": d} for c, d in MAILING_GROUPS])
    _insert_missing(IndustryGroup, [{"code": c, "description": d} for c, d in INDUSTRY_GROUPS])
    _insert_missing(
        BusinessRelation, [{"code": c, "description": d} for c, d in BUSINESS_RELATIONS]
    )
    _insert_missing(
        JobResponsibility, [{"code": c, "description": d} for c, d in JOB_RESPONSIBILITIES]
    )
    _insert_missing(
        InteractionGroup, [{"code": c, "description": d} for c, d in INTERACTION_GROUPS]
    )
    _seed_salutations()
    _seed_questionnaire()
    _insert_missing(
        Campaign,
        [
            {"no": "CP1001", "description": "Autumn product launch", "salesperson_code": "BC",
             "starting_date": dt.date(2026, 9, 1), "ending_date": dt.date(2026, 12, 31),
             "activated": True},
        ],
    )  # fmt: skip
    _seed_templates()
    CompanyInformation.update(
        name="CRONUS International Ltd.", address="5 The Ring", address_2="Westminster",
        post_code="W2 8HG", city="London", country_region_code="GB",
        phone_no="+44 20 7946 0000", email="info@cronus.example", home_page="cronus.example",
        vat_registration_no="GB777777771", registration_no="01234567",
        bank_name="World Wide Bank", bank_branch_no="BG99999", bank_account_no="99-99-888",
    ).where(CompanyInformation.primary_key == "").execute()  # fmt: skip
    MarketingSetup.update(
        default_salesperson_code=None, default_language_code="ENU",
        def_company_salutation_code="COMPANY", default_person_salutation_code="UNISEX",
    ).where(MarketingSetup.primary_key == "").execute()  # fmt: skip


def _seed_salutations() -> None:
    _insert_missing(
        Salutation,
        [
            {"code": "COMPANY", "description": "Company"},
            {"code": "UNISEX", "description": "Person"},
        ],
    )
    if SalutationFormula.select().exists():
        return
    SalutationFormula.insert_many(
        [
            {"salutation_code": "COMPANY", "language_code": "", "salutation_type": "formal",
             "salutation": "Dear Sir or Madam"},
            {"salutation_code": "COMPANY", "language_code": "", "salutation_type": "informal",
             "salutation": "Hello"},
            {"salutation_code": "UNISEX", "language_code": "", "salutation_type": "formal",
             "salutation": "Dear %1 %2", "name_1": "first_name", "name_2": "surname"},
            {"salutation_code": "UNISEX", "language_code": "", "salutation_type": "informal",
             "salutation": "Hi %1", "name_1": "first_name"},
            {"salutation_code": "UNISEX", "language_code": "DEU", "salutation_type": "formal",
             "salutation": "Sehr geehrte(r) %1 %2", "name_1": "first_name", "name_2": "surname"},
        ]
    ).execute()  # fmt: skip


def _seed_questionnaire() -> None:
    _insert_missing(
        ProfileQuestionnaire,
        [{"code": "COMPANY", "description": "Company profile", "contact_type": "company"}],
    )
    if ProfileQuestionnaireLine.select().exists():
        return
    lines = [
        (10000, "question", "Number of employees"), (20000, "answer", "1 to 49"),
        (30000, "answer", "50 to 249"), (40000, "answer", "250 or more"),
        (50000, "question", "Customer since"), (60000, "answer", "Before 2020"),
        (70000, "answer", "2020 or later"),
    ]  # fmt: skip
    ProfileQuestionnaireLine.insert_many(
        [
            {"profile_questionnaire_code": "COMPANY", "line_no": n, "type": t, "description": d}
            for n, t, d in lines
        ]
    ).execute()


def _seed_templates() -> None:
    templates = [
        {"code": "LETTER", "interaction_group_code": "LETTER", "description": "Product letter",
         "unit_cost_lcy": Decimal("2.50"), "unit_duration_min": 5, "information_flow": "outbound",
         "initiated_by": "us", "correspondence_type_default": "hard_copy",
         "ignore_contact_corres_type": True, "language_code_default": "ENU"},
        {"code": "NEWS", "interaction_group_code": "EMAIL", "description": "Newsletter e-mail",
         "unit_cost_lcy": Decimal("0.10"), "unit_duration_min": 1, "information_flow": "outbound",
         "initiated_by": "us", "correspondence_type_default": "email",
         "language_code_default": "ENU"},
        {"code": "OUTCALL", "interaction_group_code": "PHONE", "description": "Outgoing call",
         "unit_cost_lcy": Decimal("5.00"), "unit_duration_min": 10, "information_flow": "outbound",
         "initiated_by": "us", "correspondence_type_default": "",
         "ignore_contact_corres_type": True},
        {"code": "MEETING", "interaction_group_code": "MEETING", "description": "Meeting",
         "unit_cost_lcy": Decimal("50.00"), "unit_duration_min": 60, "information_flow": "inbound",
         "initiated_by": "them", "correspondence_type_default": "",
         "ignore_contact_corres_type": True},
    ]  # fmt: skip
    present = {row[0] for row in tuples(InteractionTemplate.select(InteractionTemplate.code))}
    for template in templates:
        if template["code"] in present:
            continue
        InteractionTemplate.insert(**template).execute()
    for code, name, build in (
        ("LETTER", "Product letter.docx", letter_document),
        ("NEWS", "Newsletter.docx", newsletter_document),
    ):
        if code in present:
            continue
        attachment_no = Attachment.insert(
            file_name=name, file_extension="docx", content=build(), last_modified=dt.datetime.now()
        ).execute()
        InteractionTmplLanguage.insert(
            interaction_template_code=code, language_code="ENU", description=name[:-5],
            attachment_no=attachment_no,
        ).execute()  # fmt: skip
