"""Write the DDL of today's models for SQLite and PostgreSQL to .sql files.

Used once to write ``segment_tui/migrations/m0001_initial.{sqlite,postgres}.sql``: a
migration must keep creating the schema as it was, whatever the models become later.
Usage: ``python tools/freeze_schema.py segment_tui/migrations/m0001_initial``
"""

from __future__ import annotations

import sys

from peewee import PostgresqlDatabase, SqliteDatabase

from segment_tui.models import ALL_MODELS


def ddl(database: SqliteDatabase | PostgresqlDatabase) -> list[str]:
    statements: list[str] = []
    with database.bind_ctx(ALL_MODELS):
        for model in ALL_MODELS:
            sql, params = model._schema._create_table(safe=False).query()
            assert not params, params
            statements.append(sql)
            for index in model._schema._create_indexes(safe=False):
                sql, params = index.query()
                assert not params, params
                statements.append(sql)
    return statements


if __name__ == "__main__":
    stem = sys.argv[1]
    for suffix, database in (
        ("sqlite", SqliteDatabase(None)),
        ("postgres", PostgresqlDatabase(None)),
    ):
        with open(f"{stem}.{suffix}.sql", "w", encoding="utf-8") as out:
            out.write("".join(statement + ";\n" for statement in ddl(database)))
