"""Versioned schema migrations, applied when a database is opened.

Each migration is a module ``mNNNN_<name>.py`` with ``VERSION`` and ``apply(database)``.
The applied versions are recorded in ``schema_version``. Migrations run inside a
write transaction so two processes opening a new database at once cannot both apply
them; a migration never imports today's models (they may have moved on since).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from segment_tui.errors import UserError

Migration = tuple[int, str, Callable[[Database], None]]


def _modules() -> list[ModuleType]:
    names = sorted(
        m.name for m in pkgutil.iter_modules(__path__) if m.name[0] == "m" and m.name[1:5].isdigit()
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def migrations() -> list[Migration]:
    """All known migrations in version order."""
    return [(m.VERSION, m.__name__.rsplit(".", 1)[1], m.apply) for m in _modules()]


def latest_version() -> int:
    """The schema version the code expects."""
    return migrations()[-1][0]


def _ensure_version_table(database: Database) -> None:
    database.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, "
        "applied_at VARCHAR(40) NOT NULL)"
    )


class NewerSchemaError(UserError):
    """The database was written by a newer segment-tui: never opened, never downgraded."""


def _recorded_versions(database: Database) -> set[int]:
    """The versions in ``schema_version`` without creating it (a read, so a read-only or
    newer database is judged before anything is written)."""
    if "schema_version" not in database.get_tables():
        return set()
    return {row[0] for row in database.execute_sql("SELECT version FROM schema_version")}


def check_not_newer(database: Database) -> None:
    """Refuse a database whose schema is newer than this code knows: writing it with
    old code could break rows the newer version relies on."""
    newest = max(_recorded_versions(database), default=0)
    if newest > latest_version():
        raise NewerSchemaError(
            f"This database was written by a newer segment-tui (schema {newest}; this one "
            f"knows up to {latest_version()}); upgrade segment-tui to open it. Nothing was "
            "changed."
        )


def applied_versions(database: Database) -> set[int]:
    """Versions recorded in ``schema_version``."""
    _ensure_version_table(database)
    return {row[0] for row in database.execute_sql("SELECT version FROM schema_version")}


def apply_migrations(database: Database, *, up_to: int | None = None) -> list[int]:
    """Apply the missing migrations (up to ``up_to``); returns the versions applied."""
    done: list[int] = []
    with database.connection_context():
        check_not_newer(database)
        if up_to is None and _recorded_versions(database) >= {v for v, _, _ in migrations()}:
            return done
        _refuse_read_only(database)
        _ensure_version_table(database)
        lock = database.atomic("IMMEDIATE") if isinstance(database, SqliteDatabase) else None
        with lock or database.atomic():
            if isinstance(database, PostgresqlDatabase):
                # Serialise concurrent first opens of the same PostgreSQL database.
                database.execute_sql("SELECT pg_advisory_xact_lock(5076)")
            present = applied_versions(database)
            if max(present, default=0) > latest_version():  # a newer one upgraded it meanwhile
                check_not_newer(database)
            for version, name, apply in migrations():
                if version in present or (up_to is not None and version > up_to):
                    continue
                apply(database)
                database.execute_sql(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, %s)"
                    if isinstance(database, PostgresqlDatabase)
                    else "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                )
                done.append(version)
    return done


def _refuse_read_only(database: Database) -> None:
    """A read-only database that needs an upgrade cannot be used: say so before trying."""
    reason = str(getattr(database, "read_only_reason", ""))
    if reason:
        present = max(_recorded_versions(database), default=0)
        what = f"schema {present}" if present else "no schema yet"
        raise UserError(
            f"The database is read-only ({reason}) and needs an upgrade ({what}; this "
            f"segment-tui uses schema {latest_version()}): open it once where it can be "
            "written. Nothing was changed."
        )
