"""The benchmark database of ``bench_engine.py``: the demo setup and N contacts written by
one ``INSERT … SELECT`` per kind (companies, then persons), on SQLite or PostgreSQL.

Contacts are numbered ``BX0000001``…, one company per four persons (as the demo data),
with names, cities, countries, salespeople and correspondence types spread by
arithmetic on the number so that the sort Add Contacts uses (company name, company,
type, name, no.) is not the number order. Every contact has an e-mail, so Log accepts
e-mail lines. A million contacts take about 30 s on SQLite, one to two minutes on
PostgreSQL.
"""

from __future__ import annotations

from typing import Literal

Dialect = Literal["sqlite", "postgres"]

PREFIX = "BX"
CITIES = [
    ("London", "EC1A 1BB", "GB", "ENU", "LONDON"),
    ("Manchester", "M1 1AE", "GB", "ENU", "NORTH"),
    ("Berlin", "10115", "DE", "DEU", "FOREIGN"),
    ("Paris", "75001", "FR", "FRA", "FOREIGN"),
    ("Madrid", "28001", "ES", "ESP", "FOREIGN"),
    ("København", "1050", "DK", "DAN", "FOREIGN"),
    ("Stockholm", "111 20", "SE", "SVE", "FOREIGN"),
    ("Amsterdam", "1011", "NL", "NLD", "FOREIGN"),
    ("Milano", "20121", "IT", "ITA", "FOREIGN"),
    ("Glasgow", "G1 1AA", "GB", "ENU", "SCOTLAND"),
]
SALESPEOPLE = ["BC", "JO", "PS", "RB", "HR"]


def contact_no(index: int) -> str:
    """The number of the ``index``-th benchmark contact (1-based)."""
    return f"{PREFIX}{index:07d}"


def _pad(dialect: Dialect, expr: str, width: int) -> str:
    if dialect == "sqlite":
        return f"printf('%0{width}d', {expr})"
    return f"lpad(({expr})::text, {width}, '0')"


def _pick(expr: str, values: list[str]) -> str:
    """``CASE expr % n WHEN 0 THEN v0 …`` — a value of ``values`` chosen by ``expr``."""
    cases = " ".join(
        f"WHEN {i} THEN '{v.replace(chr(39), chr(39) * 2)}'" for i, v in enumerate(values)
    )
    return f"CASE ({expr}) % {len(values)} {cases} END"


def contact_statements(dialect: Dialect, first: int, last: int) -> list[str]:
    """Two statements inserting contacts ``first``..``last``: their companies, then persons."""
    numbers = (
        f"WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {last}) "
        if dialect == "sqlite"
        else ""
    )
    source = "n" if dialect == "sqlite" else f"generate_series({first}::bigint, {last}) AS n(i)"
    company = "(i - (i - 1) % 5)"  # the company of contact i: the multiple-of-five before it
    company_key = f"(({company} - 1) / 5 * 2654435761 % 199999)"
    company_name = f"'Company ' || {_pad(dialect, company_key, 6)}"
    city = f"({company_key} % {len(CITIES)})"
    columns = (
        "no, type, name, search_name, first_name, surname, job_title, company_no, company_name, "
        "address, city, post_code, country_region_code, territory_code, language_code, "
        "salesperson_code, email, correspondence_type, exclude_from_segment"
    )

    def row(kind: str) -> str:
        if kind == "company":
            name, first_name, surname, job = company_name, "''", "''", "''"
        else:
            first_name = _pick("i * 7919 / 7", ["Anna", "Ben", "Chloé", "David", "Eva", "Femi"])
            surname = "'Smith-' || " + _pad(dialect, "i * 104729 % 999983", 6)
            name = f"{first_name} || ' ' || {surname}"
            job = _pick("i", ["Buyer", "Manager", "Owner", "Clerk"])
        return (
            f"{numbers}SELECT '{PREFIX}' || {_pad(dialect, 'i', 7)}, '{kind}', "
            f"{name}, UPPER({name}), {first_name}, {surname}, {job}, "
            f"'{PREFIX}' || {_pad(dialect, company, 7)}, {company_name}, "
            f"'Street ' || (i % 250 + 1), "
            f"{_pick(city, [c[0] for c in CITIES])}, {_pick(city, [c[1] for c in CITIES])}, "
            f"{_pick(city, [c[2] for c in CITIES])}, {_pick(city, [c[4] for c in CITIES])}, "
            f"{_pick(city, [c[3] for c in CITIES])}, {_pick(company_key, SALESPEOPLE)}, "
            f"'c' || i || '@bench.example', "
            f"{_pick('i * 31', ['email'] * 6 + ['hard_copy'] * 3 + [''])}, "
            "(i % 33 = 0) "
            f"FROM {source} WHERE (i - 1) % 5 {'=' if kind == 'company' else '<>'} 0"
        )

    return [f"INSERT INTO contact ({columns}) {row(kind)}" for kind in ("company", "person")]


def load(contacts: int, *, batch: int = 200_000) -> int:
    """Seed the demo setup and add benchmark contacts up to ``contacts``; returns how many
    were added. Runs on the database :func:`segment_tui.db.open_database` bound."""
    from segment_tui.db import db, dialect, write_transaction
    from segment_tui.services.demo.setup_data import seed_setup

    with write_transaction():
        seed_setup()
    have = db.execute_sql(
        "SELECT COUNT(*) FROM contact WHERE no LIKE ?"
        if dialect() == "sqlite"
        else "SELECT COUNT(*) FROM contact WHERE no LIKE %s",
        (f"{PREFIX}%",),
    ).fetchone()[0]
    if have >= contacts:
        return 0
    # Whole companies per batch: a batch starts on a company (1, 6, 11, …).
    start = have + 1
    while start <= contacts:
        end = min(contacts, start + batch - 1)
        with write_transaction():
            for statement in contact_statements(dialect(), start, end):
                # psycopg2 reads % as a parameter mark even with no parameters
                db.execute_sql(statement if dialect() == "sqlite" else statement.replace("%", "%%"))
        start = end + 1
    return contacts - have
