"""The first schema: every entity of docs/business-central.md, "Data model" (frozen DDL,
one file per dialect)."""

from __future__ import annotations

from importlib.resources import files

from peewee import Database, PostgresqlDatabase

VERSION = 1


def statements(dialect: str) -> list[str]:
    """The frozen DDL statements for ``dialect`` ("sqlite" or "postgres")."""
    script = files(__package__).joinpath(f"m0001_initial.{dialect}.sql").read_text("utf-8")
    return [s.strip() for s in script.split(";\n") if s.strip()]


def apply(database: Database) -> None:
    """Create the tables and indexes of version 1."""
    dialect = "postgres" if isinstance(database, PostgresqlDatabase) else "sqlite"
    for statement in statements(dialect):
        database.execute_sql(statement)
