"""Writing many contacts at once (imports, demo data).

Demo data goes through the driver's bulk path (:func:`segment_tui.db.insert_rows`):
peewee's ``insert_many`` spends >95 % of its time building SQL and is ten times slower
for 100,000 rows. An import is written from its staging table
(:mod:`segment_tui.services.contacts.import_stage`) and plan (:mod:`…contact_plan`) by one
``INSERT … SELECT`` per kind of row and one ``UPDATE … FROM``: BC's defaults and the
person's inheritance from its company (Marketing Setup's inherit flags, as
:func:`segment_tui.services.contacts.records.complete_new_contact` applies them to one
contact) are SQL expressions, so no row passes through Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from segment_tui.db import insert_rows
from segment_tui.models import MarketingSetup
from segment_tui.services.contacts.cleaning import (
    INHERITED_ADDRESS,
    inherited_fields,
    setup_defaults,
)
from segment_tui.services.contacts.fields import BY_NAME, CLASSIFICATION_COLUMNS, CONTACT_FIELDS
from segment_tui.services.contacts.import_stage import STAGE, Staged, drop_temporary, execute, mark

CONTACT_COLUMNS = [f.name for f in CONTACT_FIELDS] + ["last_date_modified"]
BATCH = 10_000
KEYED = ("no", "type", "name", "search_name", "company_no", "company_name")
"""Columns the plan decides (not copied from the file as they are)."""
INHERITABLE = (
    "salesperson_code",
    "territory_code",
    "language_code",
    "country_region_code",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "phone_no",
    "fax_no",
)


def blank_value(column: str) -> Any:
    """What a missing column holds: NULL for references and dates, else blank/false."""
    spec = BY_NAME.get(column)
    if spec is None or column == "last_date_modified":
        return None
    if spec.kind == "boolean":
        return False
    if spec.reference or column == "company_no":
        return None
    return ""


_BLANKS = {c: blank_value(c) for c in CONTACT_COLUMNS}


def insert_contacts(
    rows: Sequence[Mapping[str, Any]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert complete contact rows (companies before the persons pointing at them)."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        insert_rows(
            "contact",
            CONTACT_COLUMNS,
            [tuple(row.get(c) or _BLANKS[c] for c in CONTACT_COLUMNS) for row in batch],
        )
        if progress:
            progress(start + len(batch), len(rows))


def insert_classifications(column: str, pairs: Iterable[tuple[str, str]]) -> None:
    """Insert (contact no., code) pairs of a classification column such as ``mailing_groups``."""
    table = CLASSIFICATION_COLUMNS[column]
    insert_rows(f"contact_{table}", ["contact_no", f"{table}_code"], sorted(set(pairs)))


def literal(value: Any) -> str:
    """A value as an SQL literal. Expressions are reused inside one statement (a person's
    own value and its company's), which positional parameters cannot follow; the values
    are setup codes and distinct cell values, quoted the standard way (no NUL reaches
    here: staging refuses control characters)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


class _Sql:
    """Builds one statement's expressions."""

    def __init__(self, staged: Staged, only: Sequence[str] | None = None) -> None:
        self.staged = staged
        self.only = only
        """Read only these fields from the row (a created company takes only the
        address, phone and codes of the person that named it)."""

    def param(self, value: Any) -> str:
        return literal(value)

    def value(self, alias: str, name: str) -> str | None:
        """The stored form of a field of the row ``alias`` (None: not in the file)."""
        column = self.staged.column(name)
        if column is None or (self.only is not None and name not in self.only):
            return None
        ref = f"{alias}.{column.sql}"
        spec = BY_NAME[name]
        mapping = self.staged.maps.get(name)
        if mapping is not None:
            if all(raw == clean for raw, clean in mapping.items()):
                return ref
            cases = " ".join(
                f"WHEN {self.param(raw)} THEN {self.param(clean)}" for raw, clean in mapping.items()
            )
            return f"(CASE {ref} {cases} END)"
        return f"upper({ref})" if spec.kind == "code" else ref

    def blank(self, name: str) -> str:
        return self.param(blank_value(name))


def _given(sql: str | None) -> str:
    return f"NULLIF({sql}, '')" if sql is not None else "NULL"


def _new_contact_columns(sql: _Sql, setup: MarketingSetup, today: str) -> dict[str, str]:
    """SQL for every column of a new contact read from ``r`` (its row), ``fc`` (the file row
    of its company) and ``dc`` (its stored company), as complete_new_contact fills it."""
    simple = inherited_fields(setup)
    own_address_blank = (
        " AND ".join(
            f"COALESCE({v}, '') = ''" for a in INHERITED_ADDRESS if (v := sql.value("r", a))
        )
        or "1 = 1"
    )
    defaults = setup_defaults(setup)
    columns: dict[str, str] = {}
    for spec in CONTACT_FIELDS:
        name = spec.name
        if name in KEYED:
            continue
        own = sql.value("r", name)
        from_file = _given(sql.value("fc", name))
        inherited = f"COALESCE({_given(own)}, {from_file}, NULLIF(dc.{name}, ''))"
        if name in simple:
            expr = inherited
        elif name in INHERITED_ADDRESS and setup.inherit_address_details:
            expr = (
                f"CASE WHEN k.type = 'person' AND {own_address_blank} THEN {inherited} "
                f"ELSE {_given(own)} END"
            )
        else:
            expr = _given(own) if spec.kind not in ("boolean",) else (own or "NULL")
        default = defaults.get(name)
        if name == "salutation_code":
            company = setup.def_company_salutation_code or None
            person = setup.default_person_salutation_code or None
            expr = (
                f"COALESCE({expr}, CASE WHEN k.type = 'company' THEN {sql.param(company)} "
                f"ELSE {sql.param(person)} END)"
            )
        elif default:
            expr = f"COALESCE({expr}, {sql.param(default)})"
        expr = f"COALESCE({expr}, {sql.blank(name)})"
        columns[name] = expr
    columns["no"] = "k.no"
    columns["type"] = "k.type"
    columns["name"] = "k.name"
    columns["search_name"] = "k.search_name"
    columns["company_no"] = "CASE WHEN k.type = 'company' THEN k.no ELSE k.company_no END"
    columns["company_name"] = (
        "CASE WHEN k.type = 'company' THEN k.name ELSE COALESCE(k.company_name, '') END"
    )
    columns["last_date_modified"] = sql.param(today)
    return columns


def insert_planned(staged: Staged, setup: MarketingSetup, today: dt.date) -> None:
    """Insert the companies the import creates and the new contacts of the plan."""
    day = today.isoformat()
    sql = _Sql(staged)
    columns = _new_contact_columns(sql, setup, day)
    # A created company: its name, the naming person's address, defaults.
    company = _Sql(staged, only=INHERITABLE)
    company_columns = _new_contact_columns(company, setup, day)
    names = ", ".join(columns)
    if _has_rows("import_company"):
        execute(
            f"INSERT INTO contact ({names}) SELECT {', '.join(company_columns.values())} FROM "
            f"(SELECT n.no, 'company' AS type, n.name, n.search_name, NULL AS company_no, "
            f"'' AS company_name, n.source_line FROM import_company n) k "
            f"JOIN {STAGE} r ON r.line = k.source_line "
            f"LEFT JOIN {STAGE} fc ON 1 = 0 LEFT JOIN contact dc ON 1 = 0 ORDER BY k.no"
        )
    execute(
        f"INSERT INTO contact ({names}) SELECT {', '.join(columns.values())} "
        f"FROM import_key k JOIN {STAGE} r ON r.line = k.line "
        f"LEFT JOIN {STAGE} fc ON fc.line = k.source_line "
        f"LEFT JOIN contact dc ON dc.no = k.db_company "
        f"WHERE k.action = 'insert' ORDER BY k.seq"
    )


def _has_rows(table: str) -> bool:
    return execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None


def update_planned(staged: Staged, today: dt.date) -> None:
    """Update the matched contacts: the file's columns only, BC's company rules."""
    sql = _Sql(staged)
    sets: list[str] = []
    for spec in CONTACT_FIELDS:
        if spec.name in KEYED:
            continue
        value = sql.value("r", spec.name)
        if value is None:
            continue
        if spec.reference or spec.name == "company_no":
            value = f"NULLIF({value}, '')"
        sets.append(f"{spec.name} = {value}")
    sets += [
        "type = k.type",
        "name = k.name",
        "search_name = CASE WHEN k.search_name <> '' THEN k.search_name "
        "ELSE contact.search_name END",
        "company_no = CASE WHEN k.type = 'company' THEN contact.no "
        "WHEN k.company_given = 1 THEN k.company_no "
        "WHEN contact.type = 'company' THEN NULL ELSE contact.company_no END",
        "company_name = CASE WHEN k.type = 'company' THEN k.name "
        "WHEN k.company_given = 1 THEN COALESCE(k.company_name, '') "
        "WHEN contact.type = 'company' THEN '' ELSE contact.company_name END",
        f"last_date_modified = {sql.param(today.isoformat())}",
    ]
    execute(
        f"UPDATE contact SET {', '.join(sets)} FROM import_key k JOIN {STAGE} r "
        "ON r.line = k.line WHERE k.action = 'update' AND contact.no = k.no"
    )
    # Persons carry their company's name (BC keeps Company Name in sync).
    execute(
        "UPDATE contact SET company_name = k.name FROM import_key k "
        "WHERE k.action = 'update' AND k.type = 'company' AND contact.company_no = k.no "
        "AND contact.no <> k.no AND contact.company_name <> k.name"
    )


def link_classifications(staged: Staged, *, updates: bool) -> None:
    """Write the classification codes of the imported rows (an update replaces them)."""
    for name, mapping in staged.classifications.items():
        table = CLASSIFICATION_COLUMNS[name]
        link = f"contact_{table}"
        if updates:
            execute(
                f"DELETE FROM {link} WHERE contact_no IN "
                "(SELECT no FROM import_key WHERE action = 'update')"
            )
        drop_temporary("import_cls")
        execute("CREATE TEMPORARY TABLE import_cls (raw TEXT, code TEXT, PRIMARY KEY (raw, code))")
        pairs = {(raw, code) for raw, codes in mapping.items() for code in codes if raw}
        insert_rows("import_cls", ["raw", "code"], sorted(pairs))
        column = staged.column(name)
        assert column is not None
        # import_key is in number order and import_cls's key sorts the codes: the rows
        # arrive in the link table's key order, with no sort and no duplicates.
        execute(
            f"INSERT INTO {link} (contact_no, {table}_code) SELECT k.no, m.code "
            f"FROM import_key k JOIN {STAGE} r ON r.line = k.line "
            f"JOIN import_cls m ON m.raw = r.{column.sql} WHERE r.{column.sql} <> '' "
            "ORDER BY k.seq, m.code"
        )


def create_countries(staged: Staged, new_countries: Mapping[str, str]) -> None:
    """Create the countries/regions (by ISO code) that the imported rows use."""
    column = staged.column("country_region_code")
    if column is None or not new_countries:
        return
    used = set()
    for raw, code in staged.maps.get("country_region_code", {}).items():
        if code in new_countries:
            used.add(raw)
    if not used:
        return
    raws = sorted(used)
    rows = execute(
        f"SELECT DISTINCT r.{column.sql} FROM {STAGE} r JOIN import_key k ON k.line = r.line "
        f"WHERE r.{column.sql} IN ({', '.join([mark()] * len(raws))})",
        raws,
    ).fetchall()
    mapping = staged.maps["country_region_code"]
    codes = sorted({mapping[row[0]] for row in rows})
    insert_rows("country_region", ["code", "name"], [(c, new_countries[c]) for c in codes])
