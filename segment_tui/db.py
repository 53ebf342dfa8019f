"""Where the data lives and how it is opened.

One :class:`peewee.DatabaseProxy` (``db``) serves every model. :func:`open_database`
binds it to SQLite (a file path) or PostgreSQL (a ``postgresql://`` URL), applies the
versioned migrations and returns the database. The location comes from ``--db``, else
``SEGMENT_TUI_DB``, else ``segment.db`` in the user data directory.

SQLite runs with WAL, foreign keys and a busy timeout. Read-then-write work uses
:func:`write_transaction`, which takes SQLite's write lock up front (``BEGIN
IMMEDIATE``): with the default deferred mode concurrent writers fail with
"database is locked" instead of waiting (measured: 3 of 4 concurrent read-then-write
threads failed at once despite WAL and a busy timeout; none with ``IMMEDIATE``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import platformdirs
from peewee import Database, DatabaseProxy, PostgresqlDatabase, SqliteDatabase

APP_NAME = "segment-tui"
ENV_VAR = "SEGMENT_TUI_DB"
BUSY_TIMEOUT_S = 30

T = TypeVar("T")

db = DatabaseProxy()
"""The database every model is bound to; initialised by :func:`open_database`."""

Dialect = Literal["sqlite", "postgres"]


def data_dir() -> Path:
    """The user data directory (platformdirs), e.g. ``~/.local/share/segment-tui``."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def resolve_location(explicit: str | None = None) -> str:
    """The database to use: ``--db``, else ``$SEGMENT_TUI_DB``, else the default file."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return str(data_dir() / "segment.db")


def is_url(location: str) -> bool:
    """True for ``scheme://`` locations (PostgreSQL, or an explicit sqlite URL)."""
    return "://" in location


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (mode 0600), in a
    folder created 0700; a UserError saying why when it cannot be created."""
    from segment_tui.errors import UserError
    from segment_tui.private_files import create_private_file, private_folder

    try:
        private_folder(path.parent)
        create_private_file(path)
    except OSError as err:
        raise UserError(
            f"Cannot create the database {path}: {err.strerror or err} (nothing was written)."
        ) from None


_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def check_parameters(params: Any) -> None:
    """Refuse a text holding NUL or a lone surrogate before the driver sees it, the same
    way on both databases: PostgreSQL cannot store a NUL (psycopg2 raises ValueError)
    while SQLite stored it silently, and a command-line argument that is not UTF-8
    reaches Python as lone surrogates, which neither driver can encode."""
    from segment_tui.errors import UserError

    for value in params or ():
        if type(value) is str and (found := _BAD_TEXT.search(value)) is not None:
            if found.group(0) == "\x00":
                raise UserError(
                    "A value holds a NUL character (U+0000), which cannot be stored or "
                    "searched for; nothing was changed."
                )
            raise UserError(
                "A value is not valid text: it holds bytes that are not UTF-8 (shown as "
                f"\\u{ord(found.group(0)):04x}), which cannot be stored or searched for; "
                "nothing was changed."
            )


class _CheckedParameters:
    """Every statement's parameters pass :func:`check_parameters` first."""

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        check_parameters(params)
        return super().execute_sql(sql, params)  # type: ignore[misc]


class CheckedSqliteDatabase(_CheckedParameters, SqliteDatabase):
    """SQLite with :func:`check_parameters`."""


def _checked_postgres(database_class: type[PostgresqlDatabase]) -> type[PostgresqlDatabase]:
    return type(f"Checked{database_class.__name__}", (_CheckedParameters, database_class), {})


def _read_only_reason(path: Path) -> str:
    """Why an existing SQLite file cannot be written ("" when it can): a read-only file,
    or a folder where SQLite cannot create the ``-wal`` and ``-shm`` files WAL needs."""
    if not path.exists():
        return ""
    try:
        read_only_fs = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        read_only_fs = False
    if read_only_fs:
        return "it is on a read-only file system"
    folder_read_only = not os.access(path.parent, os.W_OK)
    if folder_read_only and not path.with_name(path.name + "-shm").exists():
        return "its folder is read-only"
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    return ""


def connect(location: str) -> Database:
    """Create (but do not bind) the database object for ``location``."""
    if is_url(location) and not location.startswith("sqlite:"):
        from urllib.parse import urlparse

        from playhouse.db_url import connect as url_connect
        from playhouse.db_url import parseresult_to_dict

        # UTF-8 whatever the client's locale says (the server must be UTF8: _require_utf8).
        database: Database = url_connect(location, client_encoding="UTF8")
        if not isinstance(database, PostgresqlDatabase):
            raise ValueError(f"unsupported database URL: {location}")
        # The same database class and arguments db_url chose, given check_parameters.
        arguments = parseresult_to_dict(urlparse(location))
        arguments["client_encoding"] = "UTF8"
        return _checked_postgres(type(database))(**arguments)
    path = Path(location.split("://", 1)[1] if is_url(location) else location).expanduser()
    read_only = _read_only_reason(path) if path.name != ":memory:" else ""
    if path.name != ":memory:" and not read_only:
        _create_private_file(path)
    pragmas: dict[str, Any] = {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": "normal",
        "cache_size": -64000,
        "busy_timeout": BUSY_TIMEOUT_S * 1000,
    }
    name, options = str(path), dict[str, Any]()
    if read_only:
        # Opened read-only, the journal mode stays as it is. Where SQLite cannot create
        # the -shm file a WAL database needs, only "immutable" opens it (nobody can
        # change a file on a read-only file system or in a read-only folder anyway).
        del pragmas["journal_mode"]
        mode = "mode=ro" if read_only == "the file is read-only" else "immutable=1"
        name, options = f"{path.absolute().as_uri()}?{mode}", {"uri": True}
    sqlite = CheckedSqliteDatabase(name, pragmas=pragmas, timeout=BUSY_TIMEOUT_S, **options)
    sqlite.read_only_reason = read_only  # type: ignore[attr-defined]
    # Case-insensitive filters (@) need Unicode case folding; SQLite's lower() is ASCII-only.
    # The same function the filter tests register (filters.sql.register_sqlite_functions).
    from segment_tui.filters.search_fold import SEARCH_KEY_FUNCTION, sqlite_search_key
    from segment_tui.filters.sql import SQLITE_FOLD_FUNCTION, sqlite_fold

    sqlite.register_function(sqlite_fold, SQLITE_FOLD_FUNCTION, 1, deterministic=True)
    # Searches fold accents too; SQLite's keys are built with it (services.line_search).
    sqlite.register_function(sqlite_search_key, SEARCH_KEY_FUNCTION, 3, deterministic=True)
    return sqlite


def open_database(location: str, *, migrate: bool = True) -> Database:
    """Bind the proxy to ``location`` and bring its schema up to date."""
    database = connect(location)
    if isinstance(database, PostgresqlDatabase):
        _require_utf8(database)
    db.initialize(database)
    if migrate:
        from segment_tui.migrations import apply_migrations

        apply_migrations(database)
    return database


def _require_utf8(database: PostgresqlDatabase) -> None:
    """Refuse a PostgreSQL database whose encoding is not UTF8: in SQL_ASCII or LATIN1 its
    lower() does not fold "Ä" or "Ø", so case-insensitive filters would miss contacts."""
    from segment_tui.errors import UserError

    with database.connection_context():
        (encoding,) = database.execute_sql("SHOW server_encoding").fetchone()
    if encoding != "UTF8":
        raise UserError(
            f"The PostgreSQL database uses the encoding {encoding}; segment-tui needs UTF8 "
            "(CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)."
        )


def close_database() -> None:
    """Close this thread's connection, if any."""
    if db.obj is not None and not db.is_closed():
        db.close()


def dialect() -> Dialect:
    """Which SQL dialect the bound database speaks."""
    return "postgres" if isinstance(db.obj, PostgresqlDatabase) else "sqlite"


def read_only_reason() -> str:
    """Why the bound database cannot be written ("" when it can): see
    :func:`_read_only_reason`; on PostgreSQL, a server or session in read-only mode."""
    if dialect() == "sqlite":
        return str(getattr(db.obj, "read_only_reason", ""))
    with db.connection_context():
        (value,) = db.execute_sql("SHOW transaction_read_only").fetchone()
    return "PostgreSQL accepts no writes to it" if value == "on" else ""


def write_transaction() -> Any:
    """A transaction for read-then-write work, holding the write lock from the start.

    SQLite: ``BEGIN IMMEDIATE``. PostgreSQL: a transaction that first takes the writers'
    advisory lock, so writers queue one after the other on both databases.
    """
    if dialect() == "sqlite":
        return db.atomic("IMMEDIATE")
    return _postgres_write_transaction()


WRITERS_LOCK = 5077
"""PostgreSQL advisory lock that serialises writers, as SQLite's write lock does."""


@contextmanager
def _postgres_write_transaction() -> Iterator[Any]:
    # Without it, two sessions reading the same number series or last line no. both
    # pass their checks and one fails on a unique key ("changed meanwhile").
    with db.atomic() as transaction:
        # Wait as long as SQLite's busy timeout, not forever, for the other writer.
        db.execute_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_S}s'")
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITERS_LOCK,))
        yield transaction


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows with the driver's fastest bulk path: ``executemany`` on SQLite,
    ``execute_values`` on PostgreSQL (psycopg2's ``executemany`` sends a statement per
    row: 8x slower for 20,000 contacts)."""
    names = ", ".join(columns)
    cursor = db.cursor()
    if dialect() == "sqlite":
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return
    from psycopg2.extras import execute_values

    execute_values(cursor, f"INSERT INTO {table} ({names}) VALUES %s", rows, page_size=1000)


ANALYZE_MIN_ROWS = 1_000
"""Writes smaller than this never refresh statistics (a line typed by hand)."""
ANALYZE_SHARE = 0.1
"""A write of this share of what the planner believes a table holds refreshes its
statistics (PostgreSQL's autovacuum uses the same 10 %, but only a minute later)."""
POSTGRES_QUICK_TARGET = 10
"""PostgreSQL's statistics target for the refresh after a bulk write: 300 x 10 rows
sampled instead of 30,000 (5-8x faster); enough to know sizes and the common values."""
SQLITE_ANALYZE_LIMIT = 1_000
"""Rows SQLite's ANALYZE reads per index (``PRAGMA analysis_limit``): approximate
statistics in milliseconds instead of a scan of every index of the table."""


def analyze(tables: Iterable[str], *, changed_rows: int | None = None) -> list[str]:
    """Refresh the query planner's statistics of ``tables`` after a bulk write.

    Without statistics the planner believes a table that just grew to 100,000 lines
    holds a handful of rows and picks nested loops that take minutes (docs/engine.md).
    With ``changed_rows`` (rows inserted plus deleted), only the tables for which that is
    at least :data:`ANALYZE_SHARE` of their last known size are analysed, and nothing
    below :data:`ANALYZE_MIN_ROWS`. Runs inside the caller's transaction (PostgreSQL's
    ANALYZE counts the transaction's own rows). Returns the tables analysed.
    """
    if changed_rows is not None and changed_rows < ANALYZE_MIN_ROWS:
        return []
    done: list[str] = []
    for table in tables:
        if changed_rows is not None:
            known = _planner_rows(table)
            if known >= 0 and changed_rows < ANALYZE_SHARE * known:
                continue
        if dialect() == "sqlite":
            db.execute_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYZE_LIMIT}")
        elif changed_rows is not None and db.in_transaction():
            # A quick sample (3,000 rows, ~50 ms at a million) for this transaction's
            # ANALYZE; autovacuum's later full one refines it.
            db.execute_sql(f"SET LOCAL default_statistics_target = {POSTGRES_QUICK_TARGET}")
        db.execute_sql(f'ANALYZE "{table}"')
        done.append(table)
    return done


def _planner_rows(table: str) -> float:
    """The row count the planner's statistics give ``table``; -1 when never analysed."""
    if dialect() == "postgres":
        row = db.execute_sql(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", (table,)
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else -1.0
    if not db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone():
        return -1.0
    # Each index's row gives the table's row count, estimated from a sample (analysis_limit):
    # the median of them is a fair figure.
    counts = sorted(
        int(str(stat).split()[0])
        for (stat,) in db.execute_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = ?", (table,))
    )
    return float(counts[len(counts) // 2]) if counts else -1.0


def in_worker_connection(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` with this thread's own connection, closed afterwards.

    Textual's thread workers run on a reused pool; without this each pool thread
    would keep its connection open.
    """
    with db.connection_context():
        return fn()


IN_CHUNK = 500
"""Values per ``IN (…)`` list: well below SQLite's variable limit, cheap on PostgreSQL."""


def chunked(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices of ``size`` (for ``IN`` lists and batches)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def tuples(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a peewee query as plain tuples (peewee's stubs type them as models)."""
    return list(query.tuples())


def first_tuple(query: Any) -> tuple[Any, ...]:
    """The first row of a peewee query as a tuple (the query must return a row)."""
    return tuple(query.tuples().get())


def contains(column: Any, text: str) -> Any:
    """Case-insensitive "contains ``text``" for searches (``%`` and ``_`` are literal)."""
    from peewee import fn

    needle = text.lower()
    if dialect() == "sqlite":
        return fn.instr(fn.st_fold(column), needle) > 0
    return fn.strpos(fn.lower(case_collated(column)), needle) > 0


def fold(column: Any) -> Any:
    """SQL that lower-cases ``column`` the way Python does (for case-insensitive search)."""
    from peewee import fn

    return fn.st_fold(column) if dialect() == "sqlite" else fn.lower(case_collated(column))


def case_collated(column: Any) -> Any:
    """``column`` for lower()/upper() on PostgreSQL: text columns use the "C" collation
    (code-point order, migration 9), whose case mapping is ASCII-only; the database's
    default collation folds "Ö" too. Unchanged on SQLite."""
    if dialect() == "sqlite":
        return column
    from peewee import SQL, NodeList

    return NodeList((column, SQL('COLLATE "default"')))


def count_of(query: Any) -> int:
    """``SELECT COUNT(*)`` with the query's FROM and WHERE. peewee's ``.count()`` wraps
    the query in a subquery, which SQLite counts several times slower (140 ms instead of
    30 ms for a million segment lines)."""
    from peewee import SQL, fn

    return int(query.select(fn.COUNT(SQL("*"))).order_by().scalar())
