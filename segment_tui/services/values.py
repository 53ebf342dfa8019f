"""Reading typed values (CLI arguments, worksheet cells) into field values.

Each parser returns the value to store or raises a UserError naming the field, so both
front ends give the same message for the same mistake.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from peewee import Model

from segment_tui.errors import UserError
from segment_tui.models.enums import parse_option
from segment_tui.services.contacts.fields import BOOL_WORDS

T = TypeVar("T")

MAX_AMOUNT = Decimal(10) ** 16
MAX_INTEGER = 2**31 - 1
"""Limits of DECIMAL(18,2) and INTEGER columns (SQLite would store more, PostgreSQL not)."""


def blank_to_null(value: T) -> T | None:
    """Blank codes are NULL in reference columns (so the foreign key holds)."""
    return value if value not in ("", None) else None


def parse_text(field: str, raw: str, length: int) -> str:
    """Text of at most ``length`` characters."""
    if len(raw) > length:
        raise UserError(
            f"{field}: the text is {len(raw)} characters long; at most {length} fit.", field=field
        )
    return raw


def parse_bool(field: str, raw: object) -> bool:
    """Yes/No, true/false, 1/0."""
    if isinstance(raw, bool):
        return raw
    value = BOOL_WORDS.get(str(raw).strip().lower())
    if value is None:
        raise UserError(f"{field}: {raw!r} is not Yes or No.", field=field)
    return value


def parse_date(field: str, raw: object) -> dt.date | None:
    """An ISO date, ``today``/``t``, the work date (``workdate``/``w``), or blank (None)."""
    if isinstance(raw, dt.date) or raw is None:
        return raw
    text = str(raw).strip().lower()
    if not text:
        return None
    if text in ("t", "today"):
        return dt.date.today()
    if text in ("w", "workdate"):
        from segment_tui.services.setup.work_date import work_date

        return work_date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{field}: {raw!r} is not a date (YYYY-MM-DD).", field=field) from None


def parse_decimal(field: str, raw: object, *, minimum: Decimal | None = Decimal(0)) -> Decimal:
    """A decimal number, by default not negative (BC's MinValue 0)."""
    try:
        value = Decimal(str(raw).strip().replace(",", "") or "0")
    except InvalidOperation:
        raise UserError(f"{field}: {raw!r} is not a number.", field=field) from None
    if not value.is_finite():
        raise UserError(f"{field}: {raw!r} is not a number.", field=field)
    if minimum is not None and value < minimum:
        raise UserError(f"The value must be greater than or equal to {minimum}.", field=field)
    if abs(value) >= MAX_AMOUNT:
        # Amounts are DECIMAL(18,2): anything larger fails on PostgreSQL.
        raise UserError(f"{field}: {raw!r} is too large (at most 15 digits).", field=field)
    if value != value.quantize(Decimal("0.01")):
        # Stored with two decimals: 0.001 would silently become 0.00.
        raise UserError(f"{field}: {raw!r} has more than 2 decimal places.", field=field)
    return value.quantize(Decimal("0.01"))


def parse_int(field: str, raw: object, *, minimum: int | None = 0) -> int:
    """A whole number, by default not negative."""
    try:
        value = int(str(raw).strip() or "0")
    except ValueError:
        raise UserError(f"{field}: {raw!r} is not a whole number.", field=field) from None
    if abs(value) > MAX_INTEGER:
        raise UserError(f"{field}: {raw!r} is too large.", field=field)
    if minimum is not None and value < minimum:
        raise UserError(f"The value must be greater than or equal to {minimum}.", field=field)
    return value


def parse_enum(field: str, raw: object, values: tuple[str, ...]) -> str:
    """An option by stored value or caption ("Hard Copy", "hard_copy")."""
    try:
        return parse_option(field, str(raw), values)
    except ValueError as err:
        raise UserError(str(err), field=field) from None


def parse_code(
    field: str, raw: object, length: int, model: type[Model] | None = None, caption: str = ""
) -> str:
    """An upper-case code that, when ``model`` is given, must exist there (blank is fine)."""
    code = str(raw or "").strip().upper()
    if len(code) > length:
        raise UserError(f"{field}: {code!r} is longer than {length} characters.", field=field)
    if code and model is not None:
        key: Any = model._meta.primary_key
        if not model.select().where(key == code).exists():
            name = caption or model.__name__
            raise UserError(
                f"The {name} does not exist. Identification fields and values: "
                f"{'No.' if key.name == 'no' else 'Code'}='{code}'",
                field=field,
            )
    return code
