"""A contact import's plan made final and handed to the bulk statements.

:func:`number_rows` gives the new contacts and the companies the import creates their
numbers from the contact series (numbers the file or the database uses are skipped) and
links persons to those new companies; :func:`store_plan` writes the plan to the temporary
tables ``import_key`` and ``import_company`` that :mod:`segment_tui.services.contacts.bulk`
reads with set statements. The plan itself is made by :mod:`.import_plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from segment_tui.db import insert_rows
from segment_tui.services.contacts.cleaning import used_contact_numbers
from segment_tui.services.contacts.import_plan import CHUNK, Plan
from segment_tui.services.contacts.import_stage import drop_temporary, execute, insert_temporary
from segment_tui.services.setup.numbering import contact_series, take_free_numbers


def number_rows(plan: Plan) -> None:
    """Give numbers to new contacts without one: the file's companies, the companies the
    import creates, then persons, in file order (numbers the file uses are skipped)."""
    new = [k for k in plan.keys if k.action == "insert"]
    own = {k.no for k in new if k.no}
    companies = [k for k in new if k.type == "company" and not k.no]
    persons = [k for k in new if k.type == "person" and not k.no]
    missing = len(companies) + len(plan.companies) + len(persons)

    def in_use(batch: Sequence[str]) -> set[str]:
        return used_contact_numbers(batch) | (own & set(batch))

    numbers = iter(take_free_numbers(contact_series(), missing, in_use))
    for key in companies:
        key.no = next(numbers)
    for company in plan.companies:
        company.no = next(numbers)
    for key in persons:
        key.no = next(numbers)
    by_line = {k.line: k for k in plan.keys}
    created = {c.source_line: c for c in plan.companies}
    for key in plan.keys:
        if key.type != "person" or key.source_line is None or key.db_company:
            continue
        source = by_line.get(key.source_line)
        if source is not None and source.type == "company":
            key.company_no, key.company_name = source.no, source.name
        elif key.source_line in created:
            company = created[key.source_line]
            key.company_no, key.company_name = company.no, company.name


KEY_COLUMNS = (
    "seq",
    "line",
    "action",
    "no",
    "type",
    "name",
    "search_name",
    "company_no",
    "company_name",
    "source_line",
    "db_company",
    "company_given",
)


def store_plan(plan: Plan) -> None:
    """Write the plan to the temporary tables the bulk statements read."""
    drop_temporary("import_key")
    execute(
        "CREATE TEMPORARY TABLE import_key (seq INTEGER PRIMARY KEY, line INTEGER, "
        "action TEXT, no TEXT, "
        "type TEXT, name TEXT, search_name TEXT, company_no TEXT, company_name TEXT, "
        "source_line INTEGER, db_company TEXT, company_given INTEGER)"
    )
    # Companies first, then persons, each in number order: the insert reads them in that
    # order without a sort, the contact table's indexes fill from one end, and no person
    # goes in before a company of the file it points at (which would make SQLite look up
    # every company's persons as it goes in, to clear the pending foreign key).
    ordered = sorted(plan.keys, key=attrgetter("type", "no"))  # "company" < "person"
    values = attrgetter(*KEY_COLUMNS[1:-1])
    # A few hundred rows at a time, written while their keys are still in the cache.
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows = [(seq, *values(k), int(k.company_given)) for seq, k in enumerate(chunk, start)]
        insert_temporary("import_key", KEY_COLUMNS, rows, nulls=True)
    drop_temporary("import_company")
    execute(
        "CREATE TEMPORARY TABLE import_company (no TEXT PRIMARY KEY, name TEXT, "
        "search_name TEXT, source_line INTEGER)"
    )
    insert_rows(
        "import_company",
        ["no", "name", "search_name", "source_line"],
        [(c.no, c.name, c.search_name, c.source_line) for c in plan.companies],
    )
