"""Demo data: a company in the spirit of Business Central's CRONUS.

Setup (salespeople, territories, languages, countries, groups, relations,
questionnaires, salutations, interaction groups and templates with Word documents, a
campaign, company information), contacts (about one company per four persons, in
several countries, with accents, some e-mails and phones missing, a few excluded from
segments) and their classifications. Contacts are written in bulk, so
``--contacts 1000000`` takes seconds, not hours. Segments in progress and logged
segments are added by :mod:`segment_tui.services.demo_segments`.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from peewee import Model

from segment_tui.data.countries import country_name
from segment_tui.data.demo_names import (
    COMPANY_STEMS,
    COMPANY_SUFFIXES,
    COUNTRY_PROFILES,
    JOB_TITLES,
)
from segment_tui.db import analyze, insert_rows, tuples, write_transaction
from segment_tui.models import (
    Attachment,
    BusinessRelation,
    Campaign,
    CompanyInformation,
    Contact,
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
from segment_tui.services.contact_bulk import insert_classifications, insert_contacts
from segment_tui.services.contacts import used_contact_numbers
from segment_tui.services.demo_documents import letter_document, newsletter_document
from segment_tui.services.numbering import contact_series, take_free_numbers
from segment_tui.services.streaming import Progress

DEFAULT_CONTACTS = 150

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


def _insert_missing(model: type[Model], rows: list[dict[str, Any]]) -> None:
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


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    # Cached: a million contacts fold the same few hundred names (0.7 s per 100,000).
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


STREETS = ["Main Street", "Market Square", "Ringstraße", "Rue de la Paix", "Gran Vía"]


def _maybe(rng: random.Random, share: float, value: str) -> str:
    """``value`` with probability ``share``, else blank (demo data has gaps)."""
    return value if rng.random() < share else ""


def _territory(rng: random.Random, country: str, city: str) -> str:
    if country != "GB":
        return "FOREIGN"
    return "LONDON" if city == "London" else rng.choice(["NORTH", "SOUTH", "SCOTLAND"])


def _company_row(no: str, index: int, rng: random.Random, today: dt.date) -> dict[str, Any]:
    countries = list(COUNTRY_PROFILES)
    country = rng.choices(countries, [30, 12, 14, 10, 8, 6, 6, 7, 7])[0]
    language, cities, _, _, prefix = COUNTRY_PROFILES[country]
    city, post_code = rng.choice(cities)
    stem = COMPANY_STEMS[index % len(COMPANY_STEMS)]
    serial = index // len(COMPANY_STEMS)
    name = stem if serial == 0 else f"{stem} {rng.choice(COMPANY_SUFFIXES)} {serial}"
    domain = _ascii(stem).replace(".", "") + (str(serial) if serial else "") + ".example"
    return {
        "no": no, "type": "company", "name": name, "search_name": name.upper(),
        "company_no": no, "company_name": name,
        "address": f"{rng.randint(1, 250)} {rng.choice(STREETS)}",
        "city": city, "post_code": post_code, "country_region_code": country,
        "phone_no": _maybe(rng, 0.9, f"{prefix}{rng.randint(1000000, 9999999)}"),
        "email": _maybe(rng, 0.85, f"info@{domain}"), "home_page": f"www.{domain}",
        "territory_code": _territory(rng, country, city),
        "salesperson_code": rng.choice(SALESPEOPLE)[0], "language_code": language,
        "salutation_code": "COMPANY",
        "correspondence_type": rng.choices(["email", "hard_copy", ""], [55, 35, 10])[0],
        "exclude_from_segment": rng.random() < 0.03, "last_date_modified": today,
    }  # fmt: skip


def _person_row(
    no: str, company: dict[str, Any], rng: random.Random, today: dt.date
) -> dict[str, Any]:
    _, _, first_names, surnames, prefix = COUNTRY_PROFILES[company["country_region_code"]]
    first, last = rng.choice(first_names), rng.choice(surnames)
    domain = company["home_page"].removeprefix("www.")
    inherited = (
        "address", "city", "post_code", "country_region_code", "phone_no", "territory_code",
        "salesperson_code", "language_code",
    )  # fmt: skip
    return {
        **{key: company[key] for key in inherited},
        "no": no, "type": "person", "name": f"{first} {last}",
        "search_name": f"{first} {last}".upper(), "first_name": first, "surname": last,
        "job_title": rng.choice(JOB_TITLES), "company_no": company["no"],
        "company_name": company["name"],
        "mobile_phone_no": _maybe(rng, 0.6, f"{prefix}{rng.randint(1000000, 9999999)}"),
        "email": _maybe(rng, 0.92, f"{_ascii(first)}.{_ascii(last)}@{domain}"),
        "salutation_code": "UNISEX",
        "correspondence_type": rng.choices(["email", "hard_copy", ""], [60, 30, 10])[0],
        "exclude_from_segment": rng.random() < 0.03, "last_date_modified": today,
    }  # fmt: skip


class ContactGenerator:
    """Demo contacts in order: a company, then its four persons, and so on.

    Called chunk after chunk (:meth:`generate`), it continues where the previous chunk
    stopped (the current company, the random sequence), so a million contacts are written
    ten thousand at a time with the same data as in one go.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.index = 0
        self.today = dt.date.today()
        self.company: dict[str, Any] = {}

    def generate(
        self, numbers: Sequence[str]
    ) -> tuple[list[dict[str, Any]], dict[str, list[tuple[str, str]]], list[tuple[str, int]]]:
        """Contact rows for ``numbers``, their classification links and profile answers."""
        rng, today = self.rng, self.today
        rows: list[dict[str, Any]] = []
        links: dict[str, list[tuple[str, str]]] = {
            "mailing_groups": [], "industry_groups": [], "business_relations": [],
            "job_responsibilities": [],
        }  # fmt: skip
        answers: list[tuple[str, int]] = []
        for no in numbers:
            index = self.index
            self.index += 1
            if index % 5 == 0:
                self.company = company = _company_row(no, index // 5, rng, today)
                rows.append(company)
                links["industry_groups"].append((no, rng.choice(INDUSTRY_GROUPS)[0]))
                relation = rng.choices(["CUST", "PROS", "VEND", "PRESS"], [60, 28, 9, 3])[0]
                links["business_relations"].append((no, relation))
                if rng.random() < 0.5:
                    links["mailing_groups"].append((no, rng.choice(MAILING_GROUPS)[0]))
                if rng.random() < 0.6:
                    answers.append((no, rng.choice([20000, 30000, 40000])))
                    answers.append((no, rng.choice([60000, 70000])))
                continue
            rows.append(_person_row(no, self.company, rng, today))
            for group in rng.sample(MAILING_GROUPS, rng.choice([0, 0, 1, 1, 2])):
                links["mailing_groups"].append((no, group[0]))
            links["job_responsibilities"].append((no, rng.choice(JOB_RESPONSIBILITIES)[0]))
        return rows, links, answers


CHUNK = 10_000
"""Contacts generated and written at a time: memory stays flat whatever the count."""
CONTACT_TABLES = (
    "contact",
    "contact_mailing_group",
    "contact_industry_group",
    "contact_business_relation",
    "contact_job_responsibility",
    "contact_profile_answer",
)
"""The tables demo contacts are written to (their statistics follow the bulk load)."""


def seed_contacts(count: int, progress: Progress | None = None, *, seed: int = 5076) -> int:
    """Generate and insert ``count`` contacts with their classifications; returns count.

    Written in chunks of :data:`CHUNK` (numbers taken, rows generated and inserted), so
    ``--contacts 1000000`` holds ten thousand contacts in memory, not a million. The
    tables' statistics are refreshed after a big load, so that the demo segments built
    next (and the first actions of a user) are planned for the tables' real size.
    """
    generator = ContactGenerator(random.Random(seed + Contact.select().count()))
    series = contact_series()
    done = 0
    while done < count:
        numbers = take_free_numbers(series, min(CHUNK, count - done), used_contact_numbers)
        rows, links, answers = generator.generate(numbers)
        insert_contacts(rows)
        for column, pairs in links.items():
            insert_classifications(column, pairs)
        insert_rows(
            "contact_profile_answer",
            ["contact_no", "profile_questionnaire_code", "line_no", "contact_company_no",
             "last_date_updated"],
            [(no, "COMPANY", line, no, generator.today) for no, line in answers],
        )  # fmt: skip
        done += len(rows)
        if progress:
            progress("contacts", done, count)
    analyze(CONTACT_TABLES, changed_rows=done)
    return done


def seed_demo(contacts: int = DEFAULT_CONTACTS, progress: Progress | None = None) -> str:
    """Seed setup, ``contacts`` contacts and the demo segments; returns a summary line."""
    from segment_tui.services.demo_segments import seed_demo_segments

    with write_transaction():
        seed_setup()
        added = seed_contacts(contacts, progress)
    segments = seed_demo_segments(progress)
    return f"demo data: {added:,} contacts added{segments}"


def ensure_demo_data() -> None:
    """Seed the demo data unless the database already has contacts."""
    if not Contact.select().exists():
        seed_demo()
