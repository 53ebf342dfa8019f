"""Demo data: a company in the spirit of Business Central's CRONUS.

Setup (salespeople, territories, languages, countries, groups, relations,
questionnaires, salutations, interaction groups and templates with Word documents, a
campaign, company information), contacts (about one company per four persons, in
several countries, with accents, some e-mails and phones missing, a few excluded from
segments) and their classifications. Contacts are written in bulk, so
``--contacts 1000000`` takes seconds, not hours. Segments in progress and logged
segments are added by :mod:`segment_tui.services.demo.segments`.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple, TypedDict

from segment_tui.data.demo_names import (
    COMPANY_STEMS,
    COMPANY_SUFFIXES,
    COUNTRY_PROFILES,
    JOB_TITLES,
)
from segment_tui.db import analyze, insert_rows, write_transaction
from segment_tui.models import (
    Contact,
)
from segment_tui.services.contacts.bulk import insert_classifications, insert_contacts
from segment_tui.services.contacts.cleaning import used_contact_numbers
from segment_tui.services.demo.setup_data import (
    INDUSTRY_GROUPS,
    JOB_RESPONSIBILITIES,
    MAILING_GROUPS,
    SALESPEOPLE,
    seed_setup,
)
from segment_tui.services.setup.numbering import contact_series, take_free_numbers
from segment_tui.services.streaming import Progress

DEFAULT_CONTACTS = 150


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    # Cached: a million contacts fold the same few hundred names (0.7 s per 100,000).
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


STREETS = ["Main Street", "Market Square", "Ringstraße", "Rue de la Paix", "Gran Vía"]


class _Located(TypedDict):
    """What a person inherits from its demo company (address, phone, territory, …)."""

    address: str
    city: str
    post_code: str
    country_region_code: str
    phone_no: str
    territory_code: str
    salesperson_code: str
    language_code: str


class _Contact(TypedDict):
    no: str
    type: str
    name: str
    search_name: str
    company_no: str
    company_name: str
    email: str
    salutation_code: str
    correspondence_type: str
    exclude_from_segment: bool
    last_date_modified: dt.date


class CompanyRow(_Located, _Contact):
    """A demo company's columns (the others take their blanks on insert)."""

    home_page: str


class PersonRow(_Located, _Contact):
    """A demo person's columns: its company's location, its own name and ways to reach it."""

    first_name: str
    surname: str
    job_title: str
    mobile_phone_no: str


class ContactChunk(NamedTuple):
    """A chunk of demo contacts: their rows, their classification links per
    classification column (contact no., code) and their profile answers (contact no.,
    line no. of the COMPANY questionnaire)."""

    rows: list[CompanyRow | PersonRow]
    links: dict[str, list[tuple[str, str]]]
    answers: list[tuple[str, int]]


def _maybe(rng: random.Random, share: float, value: str) -> str:
    """``value`` with probability ``share``, else blank (demo data has gaps)."""
    return value if rng.random() < share else ""


def _territory(rng: random.Random, country: str, city: str) -> str:
    if country != "GB":
        return "FOREIGN"
    return "LONDON" if city == "London" else rng.choice(["NORTH", "SOUTH", "SCOTLAND"])


def _company_row(no: str, index: int, rng: random.Random, today: dt.date) -> CompanyRow:
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


def _person_row(no: str, company: CompanyRow, rng: random.Random, today: dt.date) -> PersonRow:
    _, _, first_names, surnames, prefix = COUNTRY_PROFILES[company["country_region_code"]]
    first, last = rng.choice(first_names), rng.choice(surnames)
    domain = company["home_page"].removeprefix("www.")
    return {
        "address": company["address"], "city": company["city"],
        "post_code": company["post_code"], "country_region_code": company["country_region_code"],
        "phone_no": company["phone_no"], "territory_code": company["territory_code"],
        "salesperson_code": company["salesperson_code"], "language_code": company["language_code"],
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
        self.company: CompanyRow | None = None
        """The company the next persons belong to (None before the first)."""

    def generate(self, numbers: Sequence[str]) -> ContactChunk:
        """Contact rows for ``numbers``, their classification links and profile answers."""
        rng, today = self.rng, self.today
        rows: list[CompanyRow | PersonRow] = []
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
            assert self.company is not None  # contact 0 of every five is a company
            rows.append(_person_row(no, self.company, rng, today))
            for group in rng.sample(MAILING_GROUPS, rng.choice([0, 0, 1, 1, 2])):
                links["mailing_groups"].append((no, group[0]))
            links["job_responsibilities"].append((no, rng.choice(JOB_RESPONSIBILITIES)[0]))
        return ContactChunk(rows, links, answers)


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
    from segment_tui.services.demo.segments import seed_demo_segments

    with write_transaction():
        seed_setup()
        added = seed_contacts(contacts, progress)
    segments = seed_demo_segments(progress)
    return f"demo data: {added:,} contacts added{segments}"


def ensure_demo_data() -> None:
    """Seed the demo data unless the database already has contacts."""
    if not Contact.select().exists():
        seed_demo()
