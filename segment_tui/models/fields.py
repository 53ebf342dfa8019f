"""Field types shared by the models: codes, enumerations stored as text, references.

Codes follow Business Central: upper-case strings of a fixed length. A blank code that
points at another table is stored as NULL so the foreign key holds; readers see "".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import SQL, BooleanField, CharField, Check, DecimalField, IntegerField, Node


def _sql_default(value: str) -> SQL:
    """A DEFAULT clause, so rows written by raw SQL (bulk import) get the same defaults."""
    return SQL("DEFAULT '" + value.replace("'", "''") + "'")


class CodeField(CharField):
    """An upper-case code (BC's CodeN). Blank is "" or, when nullable, NULL."""

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        text = str(value).strip().upper()
        if not text and self.null:
            return None
        return super().db_value(text)  # type: ignore[no-untyped-call]

    def python_value(self, value: Any) -> Any:
        return "" if value is None else value


def code_field(length: int = 20, **kwargs: Any) -> CodeField:
    """A plain (non-reference) code field, NOT NULL, blank by default."""
    kwargs.setdefault("default", "")
    return CodeField(max_length=length, constraints=[_sql_default(kwargs["default"])], **kwargs)


def code_ref(
    table: str,
    length: int = 20,
    *,
    column: str = "code",
    on_delete: str | None = None,
    index: bool = True,
    **kwargs: Any,
) -> CodeField:
    """A code that references ``table(column)``; blank is stored as NULL.

    A plain column with an inline REFERENCES clause (rather than peewee's
    ForeignKeyField) keeps the attribute a plain string — no lazy loading across
    worker threads — while the database still enforces the relation.
    """
    clause = f"REFERENCES {table} ({column})"
    if on_delete:
        clause += f" ON DELETE {on_delete}"
    return CodeField(max_length=length, null=True, index=index, constraints=[SQL(clause)], **kwargs)


def int_ref(
    table: str, column: str, *, on_delete: str | None = None, index: bool = True
) -> IntegerField:
    """A nullable integer that references ``table(column)`` (attachments, entries)."""
    clause = f"REFERENCES {table} ({column})"
    if on_delete:
        clause += f" ON DELETE {on_delete}"
    return IntegerField(null=True, index=index, constraints=[SQL(clause)])


def text(length: int = 100, **kwargs: Any) -> CharField:
    """BC's TextN: NOT NULL, blank by default."""
    kwargs.setdefault("default", "")
    return CharField(max_length=length, constraints=[_sql_default(kwargs["default"])], **kwargs)


def option(name: str, values: Sequence[str], **kwargs: Any) -> CharField:
    """An enumeration stored as text, checked by the database."""
    allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    kwargs.setdefault("default", values[0])
    return CharField(
        max_length=30,
        constraints=[_sql_default(kwargs["default"]), Check(f"{name} IN ({allowed})")],
        **kwargs,
    )


def money(name: str = "", **kwargs: Any) -> DecimalField:
    """An amount in local currency (LCY), two decimals; ``name`` adds a ``>= 0`` check."""
    return DecimalField(
        max_digits=18,
        decimal_places=2,
        default=0,
        auto_round=True,
        constraints=[SQL("DEFAULT 0"), Check(f"{name} >= 0")] if name else [SQL("DEFAULT 0")],
        **kwargs,
    )


def minutes(name: str = "", **kwargs: Any) -> IntegerField:
    """A duration in whole minutes (BC: Decimal with 0 decimals); ``name`` adds ``>= 0``."""
    checks: list[Node] = [SQL("DEFAULT 0")]
    if name:
        checks.append(Check(f"{name} >= 0"))
    return IntegerField(default=0, constraints=checks, **kwargs)


def flag(default: bool = False, **kwargs: Any) -> BooleanField:
    """A Boolean, false unless told otherwise."""
    sql_default = "DEFAULT TRUE" if default else "DEFAULT FALSE"
    return BooleanField(default=default, constraints=[SQL(sql_default)], **kwargs)


def number(default: int = 0, **kwargs: Any) -> IntegerField:
    """An integer with a database default."""
    return IntegerField(default=default, constraints=[SQL(f"DEFAULT {int(default)}")], **kwargs)
