"""Compiled filters select exactly the rows the Python semantics select, on real databases.

The property test fills a table with random rows (NULLs, blanks, non-ASCII text, special
characters), generates random BC filters from a grammar (literals drawn partly from the
rows so that filters do match something), and compares the ids selected by ``to_sql`` with
the ids for which ``matches`` is true.  It runs on SQLite always and on PostgreSQL when
``SEGMENT_TUI_TEST_PG`` holds a database URL (e.g. ``postgresql://user@localhost/db``).
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import peewee
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from segment_tui.filters import (
    SQLITE_FOLD_FUNCTION,
    FieldKind,
    FieldSpec,
    FilterSyntaxError,
    matches,
    parse_filter,
    register_sqlite_functions,
    to_sql,
)

TODAY = datetime.date(2025, 1, 1)
SPECS = {
    "name": FieldSpec("name", FieldKind.TEXT),
    "code": FieldSpec("code", FieldKind.CODE),
    "qty": FieldSpec("qty", FieldKind.INTEGER),
    "amount": FieldSpec("amount", FieldKind.DECIMAL),
    "day": FieldSpec("day", FieldKind.DATE),
    "flag": FieldSpec("flag", FieldKind.BOOLEAN),
    "kind": FieldSpec(
        "kind", FieldKind.OPTION, {"Company": "company", "Person": "person", "Blank": ""}
    ),
    # no blank option: blank ("" and NULL) sorts before every option
    "kind2": FieldSpec("kind2", FieldKind.OPTION, {"Company": "company", "Person": "person"}),
}
# "İ" lower-cases to two code points in Python but to "i" in PostgreSQL's lower(); SQLite
# uses our st_fold (= Python), so only the SQLite run gets it.  NUL is left out: SQLite's
# GLOB stops at it and PostgreSQL rejects it in text.
SQLITE_ALPHABET = "aAbBzZ09 äÄßẞéÉİı*?%_[]\\|&'.()@<>=-\n"
PG_ALPHABET = SQLITE_ALPHABET.replace("İ", "")


class Row(peewee.Model):
    id = peewee.AutoField()
    name = peewee.TextField(null=True)
    code = peewee.CharField(null=True)
    qty = peewee.IntegerField(null=True)
    amount = peewee.DecimalField(max_digits=12, decimal_places=2, null=True)
    day = peewee.DateField(null=True)
    flag = peewee.BooleanField(null=True)
    kind = peewee.CharField(null=True)
    kind2 = peewee.CharField(null=True)

    class Meta:
        table_name = "filter_property_row"


# --- strategies --------------------------------------------------------------------------
# Filters are drawn as templates (functions of the rows' values) so that the strategies
# are built once: building fresh strategies for every example would dominate the runtime.

Template = Callable[[list[Any]], str]
Slot = Callable[[list[Any]], Any]


def rows_strategy(alphabet: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    text = st.text(alphabet, max_size=6)
    row = st.fixed_dictionaries(
        {
            "name": st.none() | st.just("") | text,
            "code": st.none() | st.just("") | text.map(str.upper),
            "qty": st.none() | st.integers(-20, 20),
            "amount": st.none() | st.decimals(-50, 50, places=2),
            "day": st.none() | st.dates(datetime.date(2024, 12, 28), datetime.date(2025, 1, 5)),
            "flag": st.none() | st.booleans(),
            "kind": st.sampled_from([None, "", "company", "person", "other"]),
            "kind2": st.sampled_from([None, "", "company", "person"]),
        }
    )
    return st.lists(row, max_size=12)


def quote(text: str) -> str:
    """Type a text literal the way a user would: plain if harmless, otherwise quoted."""
    if re.fullmatch(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*", text):
        return text
    return "'" + text.replace("'", "''") + "'"


def render(value: Any) -> str:
    if isinstance(value, str) and value not in ("t", "TODAY"):
        return quote(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)  # int, date (ISO), t/TODAY


def from_rows_or(fresh: st.SearchStrategy[Any], lower: bool = False) -> st.SearchStrategy[Slot]:
    """A literal: half the time a value present in the rows (so filters match something)."""

    def slot(index: int | None, value: Any, lowered: bool) -> Slot:
        def pick(pool: list[Any]) -> Any:
            present = [v for v in pool if v is not None and v != ""]
            chosen = present[index % len(present)] if present and index is not None else value
            return chosen.lower() if lowered else chosen  # codes: the parser upper-cases

        return pick

    indexes = st.none() | st.integers(0, 11)
    flags = st.booleans() if lower else st.just(False)
    return st.builds(slot, indexes, fresh, flags)


def literals(column: str, alphabet: str) -> st.SearchStrategy[Slot]:
    if column in ("name", "code"):
        return from_rows_or(st.text(alphabet, min_size=1, max_size=5), lower=column == "code")
    if column == "qty":
        return from_rows_or(st.integers(-25, 25))
    if column == "amount":
        return from_rows_or(st.decimals(-60, 60, places=2) | st.integers(-60, 60).map(Decimal))
    if column == "day":
        days = st.dates(datetime.date(2024, 12, 26), datetime.date(2025, 1, 7))
        return from_rows_or(days | st.sampled_from(["t", "TODAY"]))
    spellings = {
        "flag": ["Yes", "no", "TRUE", "false", "1", "0"],
        "kind": ["Company", "person", "BLANK"],
        "kind2": ["COMPANY", "Person"],
    }[column]
    return st.sampled_from(spellings).map(lambda s: lambda pool: s)


def patterns(slots: st.SearchStrategy[Slot]) -> st.SearchStrategy[Template]:
    """A wildcard pattern made by replacing part of a literal with '*' or '?'s."""

    def build(slot: Slot, start: int, length: int, wildcard: str, lead: str) -> Template:
        def text(pool: list[Any]) -> str:
            value = str(slot(pool))
            begin = min(start, len(value))
            end = min(begin + length, len(value))
            middle = "?" * max(1, end - begin) if wildcard == "?" else wildcard
            head, tail = value[:begin], value[end:]
            return lead + (quote(head) if head else "") + middle + (quote(tail) if tail else "")

        return text

    wildcards = st.sampled_from(["*", "?", "*?", "**"])
    small = st.integers(0, 6)
    return st.builds(build, slots, small, small, wildcards, st.sampled_from(["", "*"]))


def prefixed(prefix: st.SearchStrategy[str], inner: st.SearchStrategy[Template]) -> Any:
    return st.builds(lambda p, t: lambda pool: p + t(pool), prefix, inner)


@functools.cache
def filters(column: str, alphabet: str) -> st.SearchStrategy[Template]:
    """Filter templates for ``column`` from a grammar of BC filter constructs."""
    slots = literals(column, alphabet)
    lit: st.SearchStrategy[Template] = st.builds(lambda s: lambda pool: render(s(pool)), slots)
    ops = st.sampled_from(["", "=", "<>", "<", "<=", ">", ">="])
    blanks = st.sampled_from(["''", "<>''", "<''", "<=''", ">''", ">=''", "..''", "''.."])
    terms = [
        prefixed(ops, lit),
        st.builds(lambda a, b: lambda pool: f"{a(pool)}..{b(pool)}", lit, lit),
        prefixed(st.just(".."), lit),
        st.builds(lambda a: lambda pool: f"{a(pool)}..", lit),
        st.builds(lambda b: lambda pool: b, blanks),
    ]
    if column in ("name", "code"):
        pattern = patterns(slots)
        terms += [pattern, prefixed(st.just("<>"), pattern)]
        terms.append(prefixed(st.just("@"), st.one_of(*terms)))
    separators = st.sampled_from(["|", "&", " | ", "&"])

    def combine(inner: st.SearchStrategy[Template]) -> st.SearchStrategy[Template]:
        joined = st.builds(
            lambda a, s, b: lambda pool: a(pool) + s + b(pool), inner, separators, inner
        )
        return joined | st.builds(lambda a: lambda pool: f"({a(pool)})", inner)

    return st.recursive(st.one_of(*terms), combine, max_leaves=4)


def templates(alphabet: str) -> st.SearchStrategy[dict[str, Template]]:
    return st.fixed_dictionaries({column: filters(column, alphabet) for column in SPECS})


# --- the property ------------------------------------------------------------------------


def assert_sql_matches_python(
    db: peewee.Database,
    dialect: Any,
    rows: list[dict[str, Any]],
    filter_templates: dict[str, Template],
) -> None:
    with db.atomic():
        Row.delete().execute()
        if rows:
            Row.insert_many(rows).execute()
    stored = list(Row.select())
    for column, spec in SPECS.items():
        text = filter_templates[column]([row[column] for row in rows])
        note(f"{column}: {text!r}")
        flt = parse_filter(text, spec, today=TODAY)
        condition = to_sql(flt, getattr(Row, column), dialect=dialect)
        selected = {row.id for row in Row.select(Row.id).where(condition)}
        expected = {row.id for row in stored if matches(flt, getattr(row, column))}
        assert selected == expected, (
            f"{column}: {text!r} ({flt.describe()}) -> {Row.select().where(condition).sql()}; "
            f"values: {[(row.id, getattr(row, column)) for row in stored]}"
        )


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[peewee.SqliteDatabase]:
    # a throw-away file: no need to wait for the disk on every example
    db = peewee.SqliteDatabase(
        str(tmp_path / "filters.db"), pragmas={"synchronous": "off", "journal_mode": "memory"}
    )
    db.connect()
    register_sqlite_functions(db.connection())
    with db.bind_ctx([Row]):
        db.create_tables([Row])
        yield db
    db.close()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy(SQLITE_ALPHABET), filter_templates=templates(SQLITE_ALPHABET))
def test_sqlite_selects_what_python_matches(
    sqlite_db: peewee.SqliteDatabase,
    rows: list[dict[str, Any]],
    filter_templates: dict[str, Template],
) -> None:
    assert_sql_matches_python(sqlite_db, "sqlite", rows, filter_templates)


@pytest.fixture
def pg_db() -> Iterator[peewee.Database]:
    url = os.environ.get("SEGMENT_TUI_TEST_PG")
    if not url:
        pytest.skip("set SEGMENT_TUI_TEST_PG to a PostgreSQL URL to run the PostgreSQL check")
    from playhouse.db_url import connect

    db = connect(url)
    with db.bind_ctx([Row]):
        db.drop_tables([Row])
        db.create_tables([Row])
        try:
            yield db
        finally:
            db.drop_tables([Row])
            db.close()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy(PG_ALPHABET), filter_templates=templates(PG_ALPHABET))
def test_postgres_selects_what_python_matches(
    pg_db: peewee.Database, rows: list[dict[str, Any]], filter_templates: dict[str, Template]
) -> None:
    assert_sql_matches_python(pg_db, "postgres", rows, filter_templates)


# --- never raising, always parameterised, index-friendly ----------------------------------

SQLITE = peewee.SqliteDatabase(":memory:")
POSTGRES = peewee.PostgresqlDatabase("unused")  # only renders SQL, never connects


def render_sql(db: peewee.Database, column: str, text: str) -> tuple[str, list[Any]]:
    dialect: Literal["sqlite", "postgres"] = "postgres" if db is POSTGRES else "sqlite"
    flt = parse_filter(text, SPECS[column], today=TODAY)
    sql, params = (
        db.get_sql_context().sql(to_sql(flt, getattr(Row, column), dialect=dialect)).query()
    )
    return sql, list(params)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(SPECS)), st.text("aZ1-0. *?|&()'@<>=%_[]\\ß", max_size=12))
def test_to_sql_never_raises_for_a_parsed_filter(column: str, text: str) -> None:
    try:
        parse_filter(text, SPECS[column], today=TODAY)
    except FilterSyntaxError:
        return
    for db in (SQLITE, POSTGRES):
        render_sql(db, column, text)


def test_literals_are_bound_parameters_never_sql_text() -> None:
    evil = "'x''); DROP TABLE contact; --'"
    for db in (SQLITE, POSTGRES):
        for text in (evil, f"{evil}*", f"@{evil}", f"<{evil}", f"a..{evil}"):
            sql, params = render_sql(db, "name", text)
            assert "DROP" not in sql and "x'" in "".join(map(str, params))


SHAPES = [
    # plain equality, several equalities, ranges with a lower bound and prefix patterns
    # keep the bare column (index use) and only add IS NULL where blank must match
    ("name", "London", 'WHERE ("t1"."name" = ?)', ["London"]),
    ("name", "London|Paris|Rome", '("t1"."name" IN (?, ?, ?))', ["London", "Paris", "Rome"]),
    ("name", "a..b", '("t1"."name" BETWEEN ? AND ?)', ["a", "b"]),
    ("name", ">=a", '("t1"."name" >= ?)', ["a"]),
    ("name", "A*", '("t1"."name" GLOB ?)', ["A*"]),
    ("name", "*'[?]'*", '("t1"."name" GLOB ?)', ["*[[][?]]*"]),
    ("name", "''", '(("t1"."name" = ?) OR ("t1"."name" IS NULL))', [""]),
    ("name", "<>''", '("t1"."name" != ?)', [""]),
    ("name", "<>x", '(("t1"."name" != ?) OR ("t1"."name" IS NULL))', ["x"]),
    ("name", "@Straße", '(st_fold("t1"."name") = ?)', ["straße"]),
    ("code", "ab*", '("t1"."code" GLOB ?)', ["AB*"]),
    ("qty", "1000..2000", '("t1"."qty" BETWEEN ? AND ?)', [1000, 2000]),
    ("day", "..2025-12-31", '(("t1"."day" <= ?) OR ("t1"."day" IS NULL))', ["2025-12-31"]),
    ("flag", "Yes", '("t1"."flag" = ?)', [1]),
    # floats, not Decimal's text: text never equals a number in an affinity-less expression
    ("amount", ">=1.5", '("t1"."amount" >= ?)', [1.5]),
    ("kind2", "..company", '(("t1"."kind2" IN (?, ?)) OR ("t1"."kind2" IS NULL))', ["company", ""]),
]


@pytest.mark.parametrize(("column", "text", "fragment", "params"), SHAPES)
def test_sqlite_sql_shape(column: str, text: str, fragment: str, params: list[Any]) -> None:
    sql, bound = render_sql(SQLITE, column, text)
    assert fragment in f"WHERE {sql}"
    assert bound == params


PG_SHAPES = [
    ("name", "London|Paris", '("t1"."name" IN (%s, %s))', ["London", "Paris"]),
    ("name", "<x", '("t1"."name" COLLATE "C" < %s)', ["x"]),
    ("name", "a..b", '("t1"."name" COLLATE "C" BETWEEN %s AND %s)', ["a", "b"]),
    ("name", "50%*", '("t1"."name" LIKE %s ESCAPE %s)', ["50\\%%", "\\"]),
    ("name", "<>a_?", '("t1"."name" NOT LIKE %s ESCAPE %s)', ["a\\__", "\\"]),
    ("name", "@Ä*", '(lower("t1"."name" COLLATE "default") LIKE %s ESCAPE %s)', ["ä%", "\\"]),
    ("day", "2025-01-01", '("t1"."day" = %s)', [datetime.date(2025, 1, 1)]),
]


@pytest.mark.parametrize(("column", "text", "fragment", "params"), PG_SHAPES)
def test_postgres_sql_shape(column: str, text: str, fragment: str, params: list[Any]) -> None:
    sql, bound = render_sql(POSTGRES, column, text)
    assert fragment in sql
    assert bound == params


@pytest.mark.parametrize("text", ["London", "London|Paris", "Lo*", "a..b", ">=a"])
def test_sqlite_uses_the_index_for_common_filters(text: str) -> None:
    db = peewee.SqliteDatabase(":memory:")
    with db.bind_ctx([Row]):
        db.create_tables([Row])
        db.execute_sql('CREATE INDEX row_name ON filter_property_row ("name")')
        flt = parse_filter(text, SPECS["name"])
        query = Row.select(Row.id).where(to_sql(flt, Row.name, dialect="sqlite"))
        sql, params = query.sql()
        plan = " ".join(str(r) for r in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "USING INDEX row_name" in plan or "USING COVERING INDEX row_name" in plan, plan


def test_st_fold_is_deterministic_none_safe_python_lower() -> None:
    conn = sqlite3.connect(":memory:")
    register_sqlite_functions(conn)
    fold = f"{SQLITE_FOLD_FUNCTION}(?)"
    assert conn.execute(f"SELECT {fold}, {fold}, {fold}", ("ÄÖÜ", None, 5)).fetchone() == (
        "äöü",
        None,
        5,
    )
    # only deterministic functions may appear in index expressions
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.execute(f"CREATE INDEX t_fold ON t ({SQLITE_FOLD_FUNCTION}(name))")
    conn.close()


def test_to_sql_rejects_an_unknown_dialect() -> None:
    flt = parse_filter("x", SPECS["name"])
    with pytest.raises(ValueError, match="dialect"):
        to_sql(flt, Row.name, dialect="mysql")  # type: ignore[arg-type]
