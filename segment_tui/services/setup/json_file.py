"""Setup as one JSON document (``setup export`` / ``setup import``; README: The command line).

Keys are table names, values lists of records keyed by field names. Import inserts or
updates by primary key (or the table's natural key), in dependency order, inside one
transaction: any bad record refuses the whole file with a message naming the table,
the record and the field. Documents (attachments) travel with ``template attach``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    DateField,
    DecimalField,
    Field,
    IntegerField,
    IntegrityError,
    Model,
)

from segment_tui.db import write_transaction
from segment_tui.errors import UserError
from segment_tui.models import (
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
    NoSeries,
    ProfileQuestionnaire,
    ProfileQuestionnaireLine,
    Salesperson,
    Salutation,
    SalutationFormula,
    Territory,
    UserSetup,
)
from segment_tui.models.fields import CodeField
from segment_tui.services.contacts.csv_reading import control_character

SETUP_MODELS: list[type[Model]] = [
    NoSeries, Territory, CountryRegion, Language, Salesperson, Salutation, SalutationFormula,
    MarketingSetup, CompanyInformation, UserSetup, MailingGroup, IndustryGroup,
    BusinessRelation, JobResponsibility, ProfileQuestionnaire, ProfileQuestionnaireLine,
    Campaign, InteractionGroup, InteractionTemplate, InteractionTmplLanguage,
]  # fmt: skip

NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "salutation_formula": ("salutation_code", "language_code", "salutation_type"),
    "profile_questionnaire_line": ("profile_questionnaire_code", "line_no"),
    "interaction_tmpl_language": ("interaction_template_code", "language_code"),
}
EXCLUDED_FIELDS = {"interaction_tmpl_language": {"attachment_no"}}
SINGLE_RECORD_TABLES = {"marketing_setup", "company_information"}
"""Tables of one record, whose key is blank (BC's Primary Key field)."""


def _table(model: type[Model]) -> str:
    return str(model._meta.table_name)


def _fields(model: type[Model]) -> list[Field]:
    skip = EXCLUDED_FIELDS.get(_table(model), set())
    return [
        f for f in model._meta.sorted_fields if not isinstance(f, AutoField) and f.name not in skip
    ]


JsonValue = str | int | float | bool | None
"""A value of a setup record in the file: amounts are numbers, dates ISO text."""

SetupDocument = dict[str, list[dict[str, JsonValue]]]
"""The setup file: table name -> its records (field name -> value)."""


def _json_value(value: object) -> JsonValue:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    assert value is None or isinstance(value, str | int | float | bool), value
    return value


def export_setup() -> SetupDocument:
    """Every setup table as a list of records."""
    document: SetupDocument = {}
    for model in SETUP_MODELS:
        fields = _fields(model)
        document[_table(model)] = [
            {f.name: _json_value(getattr(row, f.name)) for f in fields}
            for row in model.select().order_by(*[getattr(model, f.name) for f in fields[:1]])
        ]
    return document


def export_setup_file(path: Path) -> int:
    """Write the setup JSON (a private file: it names people and the mail server);
    returns the number of records."""
    from segment_tui.private_files import write_private

    document = export_setup()
    text = json.dumps(document, ensure_ascii=False, indent=2)
    try:
        write_private(path, text.encode("utf-8"))
    except OSError as err:
        raise UserError(f"{path}: cannot write it: {err.strerror or err}") from None
    return sum(len(rows) for rows in document.values())


MINIMUMS: dict[tuple[str, str], int] = {("no_series", "increment_by"): 1}
"""Lowest values beyond the database's own ``>= 0`` checks: a number series that
increments by 0 or less hands out the same or earlier numbers (BC refuses it too)."""
MAX_SETUP_FILE_BYTES = 16 * 1024 * 1024
"""A setup file is a few kilobytes; a bigger one is refused before it is read."""
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
MAX_INTEGER = 2**31 - 1
"""Integer columns are 32-bit on PostgreSQL; a bigger value is refused on both databases."""


def _minimum(table: str, field: Field) -> int | None:
    """The lowest value a number field accepts, as typing it in Setup would."""
    if (table, field.name) in MINIMUMS:
        return MINIMUMS[(table, field.name)]
    checks = [str(getattr(c, "sql", "")) for c in field.constraints or []]
    return 0 if any(c.endswith(f"({field.column_name} >= 0)") for c in checks) else None


def _number(table: str, field: Field, value: object) -> int | Decimal:
    """A whole number or a decimal, checked as the Setup screen checks a typed one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("expected a number")
    if isinstance(field, IntegerField):
        if not isinstance(value, int):
            raise ValueError("expected a whole number")
        if abs(value) > MAX_INTEGER:
            raise ValueError(f"{value} is too large")
        number: int | Decimal = value
    else:
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            raise ValueError(f"{value!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a number")
        places = int(getattr(field, "decimal_places", 2))
        if -number.as_tuple().exponent > places:  # type: ignore[operator]
            raise ValueError(f"{value} has more than the {places} decimal places stored")
        if abs(number) >= Decimal(10) ** (int(getattr(field, "max_digits", 18)) - places):
            raise ValueError(f"{value} is too large")
    minimum = _minimum(table, field)
    if minimum is not None and number < minimum:
        raise ValueError(f"the value must be greater than or equal to {minimum}")
    return number


def _convert(table: str, index: int, field: Field, value: object) -> object:
    """``value`` read from the file (a JSON value, not yet checked) as ``field`` stores it."""
    where = f"{table}[{index}].{field.name}"
    try:
        if value is None:
            value = None if field.null else field.default
            if not (field.primary_key and isinstance(field, CodeField)):
                return value
        if isinstance(field, BooleanField):
            if not isinstance(value, bool):
                raise ValueError("expected true or false")
            return value
        if isinstance(field, IntegerField | DecimalField):
            return _number(table, field, value)
        if isinstance(field, DateField):
            return dt.date.fromisoformat(str(value))
        if not isinstance(value, str):
            raise ValueError("expected text")
        if (bad := _NOT_TEXT.search(value)) is not None:
            what = "a NUL character" if bad.group(0) == "\x00" else "bytes that are not UTF-8"
            raise ValueError(f"the text holds {what}, which cannot be stored")
        if (control := control_character(value)) is not None:
            # As a contact field: a setup value is one line, printed in headers and mail.
            raise ValueError(
                f"the text holds the control character U+{ord(control):04X}, which a setup "
                "field cannot hold"
            )
        if isinstance(field, CodeField):
            value = value.strip().upper()
            if field.primary_key and not value and table not in SINGLE_RECORD_TABLES:
                raise ValueError("a code must have a value; it cannot be blank")
        max_length = getattr(field, "max_length", None)
        if max_length and len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        if (table, field.name) == ("marketing_setup", "smtp_password_env"):
            from segment_tui.services.delivery.mail import password_env_problem

            problem = password_env_problem(value)
            if problem:
                raise ValueError(problem)
            value = value.strip()
        return value
    except (ValueError, ArithmeticError) as err:
        raise UserError(f"{where}: {err}", field=field.name) from None


def import_setup(document: Mapping[str, Any]) -> dict[str, int]:
    """Insert or update the records; all or nothing. Returns records per table."""
    if not isinstance(document, Mapping):
        raise UserError("setup file: expected one JSON object keyed by table names")
    models = {_table(m): m for m in SETUP_MODELS}
    for table in document:
        if table not in models:
            raise UserError(f"setup file: unknown table {table!r}; tables: {', '.join(models)}")
    counts: dict[str, int] = {}
    with write_transaction():
        for model in SETUP_MODELS:
            table = _table(model)
            rows = document.get(table, [])
            if not isinstance(rows, list):
                raise UserError(f"{table}: expected a list of records")
            fields = {f.name: f for f in _fields(model)}
            for index, record in enumerate(rows):
                if not isinstance(record, Mapping):
                    raise UserError(f"{table}[{index}]: expected an object")
                unknown = [k for k in record if k not in fields]
                if unknown:
                    raise UserError(f"{table}[{index}]: unknown field {unknown[0]!r}")
                values = {k: _convert(table, index, fields[k], v) for k, v in record.items()}
                _upsert(model, table, index, values)
            counts[table] = len(rows)
    return counts


def _upsert(model: type[Model], table: str, index: int, values: dict[str, object]) -> None:
    primary_key: Any = model._meta.primary_key
    keys = NATURAL_KEYS.get(table) or (primary_key.name,)
    missing = [k for k in keys if k not in values]
    if missing:
        raise UserError(f"{table}[{index}]: the key field {missing[0]!r} is missing")
    condition = None
    for key in keys:
        part = getattr(model, key) == values[key]
        condition = part if condition is None else condition & part
    try:
        with model._meta.database.atomic():
            if model.select().where(condition).exists():
                model.update(**values).where(condition).execute()
            else:
                model.insert(**values).execute()
    except IntegrityError as err:
        raise UserError(f"{table}[{index}]: the database refused it: {err}") from None


def import_setup_file(path: Path) -> dict[str, int]:
    """Read and import a setup JSON file (nothing is imported unless all of it is good)."""
    try:
        size = path.stat().st_size
        if size > MAX_SETUP_FILE_BYTES:
            raise UserError(
                f"{path}: {size:,} bytes is not a setup file (at most "
                f"{MAX_SETUP_FILE_BYTES:,}); nothing was imported."
            )
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: cannot read it: {err}") from None
    except json.JSONDecodeError as err:
        raise UserError(f"{path}: line {err.lineno}, column {err.colno}: {err.msg}") from None
    except RecursionError:
        raise UserError(
            f"{path}: the JSON is nested too deeply to be a setup file (a setup file is "
            "three levels deep: tables, records, values); nothing was imported."
        ) from None
    return import_setup(document)
