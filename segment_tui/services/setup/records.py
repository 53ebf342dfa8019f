"""Setup records one at a time, for the Setup screen: list, create, change one field, delete.

Every write goes through :func:`segment_tui.services.setup.json_file.import_setup` with a
one-record document, so the rules are those of ``setup import``. Typed text is read
first with the same parsers the worksheet uses (:mod:`segment_tui.services.values`),
and codes that point at another table are checked, so messages name the field by its
caption instead of the database's "FOREIGN KEY constraint failed". A delete is refused
with the tables that still use the record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import IntegrityError, Model

from segment_tui.db import write_transaction
from segment_tui.errors import UserError, testfield_message
from segment_tui.models import ALL_MODELS
from segment_tui.services.setup.json_file import _fields, import_setup
from segment_tui.services.setup.tables import (
    BY_TABLE,
    OPTION_VALUES,
    SetupField,
    SetupRecord,
    SetupValue,
    field_caption,
    field_constraints,
    key_field,
    setup_fields,
    setup_model,
)
from segment_tui.services.values import (
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_enum,
    parse_int,
    parse_text,
)

_MODELS: dict[str, type[Model]] = {str(m._meta.table_name): m for m in ALL_MODELS}


def _record(model: type[Model], row: Model) -> SetupRecord:
    return {f.name: getattr(row, f.name) for f in _fields(model)}


def list_records(table: str) -> list[SetupRecord]:
    """Every record of a setup table, by key (a single-record table: its one record,
    with the defaults when it was never saved)."""
    model = setup_model(table)
    key: Any = model._meta.primary_key
    rows = [_record(model, row) for row in model.select().order_by(key)]
    if BY_TABLE[table].single and not rows:
        rows = [_record(model, model(**{key.name: ""}))]
    return rows


def get_record(table: str, key: str) -> SetupRecord:
    """One record by key (a NotFound UserError when it is gone)."""
    model = setup_model(table)
    primary: Any = model._meta.primary_key
    row = model.get_or_none(primary == key)
    if row is None:
        if BY_TABLE[table].single:
            return _record(model, model(**{primary.name: key}))
        raise UserError(f"The {BY_TABLE[table].singular} {key!r} does not exist.")
    return _record(model, row)


def parse_setup_value(table: str, spec: SetupField, raw: object) -> SetupValue:
    """Read a typed value of a setup field; a UserError names the field by its caption."""
    try:
        return _parse(spec, raw)
    except UserError as err:
        if spec.caption in err.message:
            raise
        raise UserError(f"{spec.caption}: {err.message}", field=spec.name) from None


def _parse(spec: SetupField, raw: object) -> SetupValue:
    label = spec.caption
    minimum = 0 if spec.minimum_zero else None
    if spec.kind == "boolean":
        return parse_bool(label, raw)
    if spec.kind == "integer":
        return parse_int(label, raw, minimum=minimum)
    if spec.kind == "decimal":
        return parse_decimal(label, raw, minimum=Decimal(0) if spec.minimum_zero else None)
    if spec.kind == "date":
        return parse_date(label, raw)
    if spec.kind == "option":
        return parse_enum(label, raw, OPTION_VALUES[spec.name])
    text = "" if raw is None else str(raw).strip()
    if spec.kind == "code":
        target = _MODELS.get(spec.reference) if spec.reference else None
        singular = BY_TABLE[spec.reference].singular if spec.reference in BY_TABLE else ""
        return parse_code(label, text, spec.length, target, singular)
    return parse_text(label, text, spec.length or len(text))


def _json(value: SetupValue) -> str | int | bool | None:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _import_one(table: str, record: SetupRecord) -> None:
    """Write one record through ``setup import``'s path; messages name the caption."""
    prefix = f"{table}[0]"
    try:
        import_setup({table: [{k: _json(v) for k, v in record.items()}]})
    except UserError as err:
        message = err.message
        if message.startswith(prefix + "."):
            name, _, reason = message[len(prefix) + 1 :].partition(": ")
            message = f"{field_caption(name)}: {reason}"
        elif message.startswith(prefix + ": "):
            message = message[len(prefix) + 2 :]
        raise UserError(message, field=err.field) from None


def _check_not_blank(table: str, values: SetupRecord, key: str) -> None:
    """BC's NotBlank on a template's Interaction Group Code (when the values set it)."""
    if table == "interaction_template" and not values.get("interaction_group_code", "x"):
        raise UserError(
            testfield_message("Interaction Group Code", "Interaction Template", f"Code={key}"),
            field="interaction_group_code",
        )


def save_field(table: str, key: str, name: str, raw: object) -> SetupRecord:
    """Change one field of a record (``raw`` as typed); returns the record as stored."""
    specs = {s.name: s for s in setup_fields(table)}
    if name not in specs:
        raise UserError(f"{name}: not a field of {BY_TABLE[table].singular}")
    key_name = key_field(table)
    if name == key_name and not BY_TABLE[table].single:
        raise UserError(
            f"{specs[name].caption} cannot be changed; create a new record and delete this one.",
            field=name,
        )
    value = parse_setup_value(table, specs[name], raw)
    _check_not_blank(table, {name: value}, key)
    with write_transaction():
        if not BY_TABLE[table].single:
            get_record(table, key)  # gone meanwhile: say so instead of inserting it again
        _import_one(table, {key_name: key, name: value})
    return get_record(table, key)


def create_record(table: str, raw: dict[str, str]) -> str:
    """Insert a new record from typed values (unknown keys refused); returns its key."""
    info = BY_TABLE[table]
    specs = {s.name: s for s in setup_fields(table)}
    key_name = key_field(table)
    values: SetupRecord = {}
    for name, text in raw.items():
        if name not in specs:
            raise UserError(f"{name}: not a field of {info.singular}")
        values[name] = parse_setup_value(table, specs[name], text)
    key = str(values.get(key_name) or "")
    if not key:
        raise UserError(
            testfield_message(
                specs[key_name].caption, info.singular, f"{specs[key_name].caption}=''"
            ),
            field=key_name,
        )
    _check_not_blank(table, {"interaction_group_code": "", **values}, key)
    with write_transaction():
        model = setup_model(table)
        if model.select().where(model._meta.primary_key == key).exists():
            raise UserError(
                f"The {info.singular} already exists. Identification fields and values: "
                f"{specs[key_name].caption}='{key}'",
                field=key_name,
            )
        _import_one(table, values)
    return key


def _plural(table: str) -> str:
    names = {"segment_header": "segments", "segment_line": "segment lines",
             "marketing_setup": "Marketing Setup", "company_information": "Company Information",
             "user_setup": "User Setup", "interaction_log_entry": "interaction log entries",
             "country_region": "countries/regions"}  # fmt: skip
    if table in names:
        return names[table]
    words = table.replace("_", " ")
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def users_of(table: str, key: str) -> list[str]:
    """Which tables still point at the record (references without ON DELETE)."""
    primary: Any = setup_model(table)._meta.primary_key
    column = str(primary.column_name)
    users: list[str] = []
    for other in ALL_MODELS:
        for field in other._meta.sorted_fields:
            clauses = field_constraints(field)
            if f"REFERENCES {table} ({column})" not in clauses:
                continue
            if other.select().where(field == key).exists():
                name = _plural(str(other._meta.table_name))
                if name not in users:
                    users.append(name)
    return users


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def delete_record(table: str, key: str) -> None:
    """Delete a record; refused (nothing deleted) while other records still use it."""
    info = BY_TABLE[table]
    if info.single:
        raise UserError(f"{info.singular} is one record; change its fields instead.")
    model = setup_model(table)
    with write_transaction():
        get_record(table, key)
        users = users_of(table, key)
        if users:
            raise UserError(
                f"{info.singular} {key} is still used by {_join(users)}; nothing was deleted."
            )
        try:
            with model._meta.database.atomic():
                model.delete().where(model._meta.primary_key == key).execute()
        except IntegrityError:
            raise UserError(
                f"{info.singular} {key} is still used by other records; nothing was deleted."
            ) from None
