"""The checks of a contact import's staged rows, in SQL (docs/contacts-import.md,
"Checking").

- One scan finds the cells that may be bad (too long, a code that does not exist, an
  e-mail without ``@``, letters in a phone number); the contact card's own check
  (:func:`segment_tui.services.contacts.cleaning.clean_value`) then judges only those
  cells and writes the reason, so the messages are the card's, word for word;
- columns with few distinct values (type, correspondence type, yes/no flags, country,
  classification codes) are judged once per distinct value.

A scan is a superset filter: it may flag a cell the card accepts (then nothing is
reported), never miss one the card refuses. The staging table is
:mod:`segment_tui.services.contacts.import_stage`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from segment_tui.db import dialect
from segment_tui.services.contacts.cleaning import ReferenceCodes, clean_value
from segment_tui.services.contacts.fields import BY_NAME, CLASSIFICATION_COLUMNS
from segment_tui.services.contacts.import_stage import (
    MAPPED_KINDS,
    STAGE,
    Column,
    Problem,
    Staged,
    execute,
    judged_per_value,
    mark,
)

_REFERENCE_TABLES = {
    "salesperson": "salesperson",
    "territory": "territory",
    "language": "language",
    "salutation": "salutation",
}


def _candidate(column: Column) -> str | None:
    """SQL that is true for every cell of ``column`` the card might refuse."""
    spec = BY_NAME.get(column.field)
    if spec is None or spec.kind in MAPPED_KINDS or spec.reference == "country_region":
        return None
    f = column.sql
    tests: list[str] = []
    if spec.length:
        tests.append(f"length({f}) > {spec.length}")
    table = _REFERENCE_TABLES.get(spec.reference)
    if table:
        tests.append(f"({f} <> '' AND upper({f}) NOT IN (SELECT code FROM {table}))")
    sqlite = dialect() == "sqlite"
    if column.field == "email":
        if sqlite:
            tests.append(
                f"({f} <> '' AND ({f} NOT GLOB '?*@?*.?*' OR {f} GLOB '*@*@*' "
                f"OR {f} GLOB '*[^!-~]*'))"
            )
        else:
            tests.append(f"({f} <> '' AND ({f} !~ '^[^@]+@[^@]+\\.[^@]+$' OR {f} ~ '[^!-~]'))")
    if column.field in ("phone_no", "mobile_phone_no", "fax_no"):
        if sqlite:
            tests.append(f"({f} GLOB '*[A-Za-z]*' OR {f} GLOB '*[^ -~]*')")
        else:
            tests.append(f"({f} ~ '[A-Za-z]' OR {f} ~ '[^ -~]')")
    return " OR ".join(tests) or None


def check_cells(staged: Staged, refs: ReferenceCodes) -> None:
    """Every cell check, in SQL where a value is free text, per distinct value where
    a column has few (options, flags, countries, classification codes)."""
    scanned = [(c, sql) for c in staged.columns if (sql := _candidate(c))]
    if scanned:
        flags = ", ".join(f"CASE WHEN {sql} THEN 1 ELSE 0 END" for _, sql in scanned)
        values = ", ".join(c.sql for c, _ in scanned)
        where = " OR ".join(f"({sql})" for _, sql in scanned)
        query = f"SELECT line, {flags}, {values} FROM {STAGE} WHERE {where}"
        count = len(scanned)
        for row in execute(query).fetchall():
            line = row[0]
            for i, (column, _) in enumerate(scanned):
                if row[1 + i]:
                    _, error = clean_value(column.field, row[1 + count + i], refs)
                    if error:
                        staged.problems.append(Problem(line, column.header, error))
    for column in staged.columns:
        if column.field in CLASSIFICATION_COLUMNS:
            _check_classifications(staged, column, refs)
        elif judged_per_value(column):
            _check_distinct(staged, column, refs)


def distinct_values(staged: Staged, column: Column) -> list[str]:
    """The distinct values a staged column holds."""
    if column.field in staged.distinct:
        return sorted(staged.distinct[column.field])
    rows = execute(f"SELECT DISTINCT {column.sql} FROM {STAGE}").fetchall()
    return [row[0] for row in rows]


def lines_holding(column: Column, values: list[str]) -> Iterator[tuple[int, str]]:
    """(line, value) of the staged rows whose ``column`` is one of ``values``."""
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        marks = ", ".join([mark()] * len(chunk))
        query = f"SELECT line, {column.sql} FROM {STAGE} WHERE {column.sql} IN ({marks})"
        yield from execute(query, chunk).fetchall()


def _check_distinct(staged: Staged, column: Column, refs: ReferenceCodes) -> None:
    mapping: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for value in distinct_values(staged, column):
        if value == "" and column.field == "type":
            continue  # a blank type is worked out from the company columns
        clean, error = clean_value(column.field, value, refs)
        if error:
            errors[value] = error
        else:
            mapping[value] = clean
    staged.maps[column.field] = mapping
    for line, value in lines_holding(column, list(errors)):
        staged.problems.append(Problem(line, column.header, errors[value]))


def _check_classifications(staged: Staged, column: Column, refs: ReferenceCodes) -> None:
    table = CLASSIFICATION_COLUMNS[column.field]
    mapping: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for value in distinct_values(staged, column):
        codes = [c.strip().upper() for c in value.split(";") if c.strip()]
        missing = [code for code in codes if code not in refs.codes(table)]
        if missing:
            errors[value] = [f"{table} {code!r} does not exist" for code in missing]
        else:
            mapping[value] = codes
    staged.classifications[column.field] = mapping
    for line, value in lines_holding(column, list(errors)):
        for reason in errors[value]:
            staged.problems.append(Problem(line, column.header, reason))
