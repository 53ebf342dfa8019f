"""The segment engine on PostgreSQL at scale, pinned without timing (docs/engine.md):
filters on indexed columns use the indexes, adding to a non-empty segment examines as
many line rows as it adds, statistics follow bulk writes, and an Add of 300,000 lines
(line numbers beyond 32 bits) works. Runs when ``SEGMENT_TUI_TEST_PG`` names a server.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from segment_tui.db import close_database, db, open_database, write_transaction
from segment_tui.services.criteria.actions import (
    AddOptions,
    add_contacts,
    preview_add,
    remove_contacts,
)
from segment_tui.services.criteria.fields import parse_where
from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.demo.setup_data import seed_setup
from segment_tui.services.segments.headers import create_segment
from tests.engine.test_engine_plans import capturing_statements, line_insert


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A new PostgreSQL database bound to the models, with the demo setup; dropped after."""
    admin = os.environ.get("SEGMENT_TUI_TEST_PG")
    if not admin:
        pytest.skip("set SEGMENT_TUI_TEST_PG to a PostgreSQL URL to run the PostgreSQL tests")
    import psycopg2

    name = f"segtest_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
        open_database(url)
        with write_transaction():
            seed_setup()
        yield url
        close_database()
        connection.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        connection.close()


def insert_contacts(count: int) -> None:
    """``count`` contacts P0000001… in one statement; every fifth is a company."""
    db.execute_sql(
        "INSERT INTO contact (no, type, name, search_name, company_no, company_name, city, "
        "post_code, email) SELECT 'P' || lpad(i::text, 7, '0'), "
        "CASE WHEN i %% 5 = 1 THEN 'company' ELSE 'person' END, "
        "'Name ' || lpad((i * 7919 %% 10007)::text, 5, '0'), "
        "'NAME ' || lpad((i * 7919 %% 10007)::text, 5, '0'), "
        "'P' || lpad((i - (i - 1) %% 5)::text, 7, '0'), 'Company ' || ((i - 1) / 5), "
        "CASE WHEN i %% 3 = 0 THEN 'London' ELSE 'Paris' END, lpad((i %% 900)::text, 4, '0'), "
        "'c' || i || '@example.com' FROM generate_series(1, %s::bigint) AS n(i)",
        (count,),
    )
    db.execute_sql("ANALYZE contact")


def no(index: int) -> str:
    return f"P{index:07d}"


def plan(sql: str, params: tuple[Any, ...], *, analyze: bool = False) -> dict[str, Any]:
    """The JSON plan of a statement: with ``analyze`` executed (and rolled back), else the
    plan the planner picks when it may use any index that fits (sequential scans off)."""
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    with db.atomic() as transaction:
        if not analyze:
            db.execute_sql("SET LOCAL enable_seqscan = off")
        (document,) = db.execute_sql(f"EXPLAIN ({options}) {sql}", params).fetchone()
        transaction.rollback()
    found = document if isinstance(document, list) else json.loads(document)
    return dict(found[0]["Plan"])


def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


@pytest.mark.parametrize(
    ("criteria", "index"),
    [
        ("no=P0001000..P0002000", "contact_pkey"),
        ("no=P00010*", "contact_pkey"),
        ("no=>P0004900", "contact_pkey"),
        ("city=London", "contact_city"),
        ("name=Name 00100..Name 00200", "contact_name"),
        ("search_name=NAME 001*", "contact_search_name"),
        ("post_code=<0100", "contact_post_code"),
    ],
)
def test_range_prefix_and_equality_filters_use_the_column_index(
    pg_database: str, criteria: str, index: str
) -> None:
    insert_contacts(5_000)
    segment = create_segment("Plans", template="LETTER", salesperson="BC")["no"]
    filters = parse_where([criteria])
    with capturing_statements() as statements:
        preview_add(segment, filters, AddOptions())
    ((sql, params),) = [(sql, params) for sql, params in statements if '"contact" AS' in sql]
    used = {n.get("Index Name") for n in nodes(plan(sql, params))}
    # "C"-collated columns: the filter's code-point comparisons match the index's order.
    assert index in used, (criteria, sql, used)


def test_case_insensitive_filters_and_searches_fold_letters_beyond_ascii(
    pg_database: str,
) -> None:
    from segment_tui.db import contains, fold
    from segment_tui.models import Contact

    for number, name in (("C1", "ÖSTBERG Ågren"), ("C2", "Straße"), ("C3", "Oslo")):
        db.execute_sql(
            "INSERT INTO contact (no, type, name, company_no) VALUES (%s, 'company', %s, %s)",
            (number, name, number),
        )
    segment = create_segment("Fold", template="LETTER", salesperson="BC")["no"]
    # "C"-collated columns order by code point; case folding still knows Ö and Å.
    assert preview_add(segment, parse_where(["name=@östberg*"]), AddOptions()).matched == 1
    assert preview_add(segment, parse_where(["name=@*ågren"]), AddOptions()).matched == 1
    found = Contact.select(Contact.no).where(contains(Contact.name, "östb"))
    assert [c.no for c in found] == ["C1"]
    assert Contact.select().where(fold(Contact.name) == "östberg ågren").count() == 1


def rows_examined(sql: str, params: tuple[Any, ...], table: str = "segment_line") -> int:
    """Rows of ``table`` the executed statement read (all loops, filtered-out ones too)."""
    examined = 0
    for node in nodes(plan(sql, params, analyze=True)):
        if node.get("Relation Name") == table and node["Node Type"] != "ModifyTable":
            per_loop = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            examined += per_loop * node["Actual Loops"]
    return int(examined)


def test_adding_to_a_non_empty_segment_reads_each_line_at_most_once(pg_database: str) -> None:
    k = 2_000
    insert_contacts(2 * k)
    segment = create_segment("Full", template="LETTER", salesperson="BC")["no"]
    options = AddOptions(ignore_exclusion=True)
    assert add_contacts(segment, parse_where([f"no={no(1)}..{no(k)}"]), options).added == k
    with capturing_statements() as statements, db.atomic() as transaction:
        add_contacts(segment, parse_where([f"no={no(k + 1)}..{no(2 * k)}"]), options)
        transaction.rollback()
    sql, params = line_insert(statements)
    # A probe or one pass over the segment's k lines; a scan of the segment per candidate
    # contact (the plan without statistics or index) reads k x k = 4,000,000 rows.
    assert rows_examined(sql, params) <= 2 * k


def test_an_add_into_an_empty_segment_never_reads_the_lines_it_writes(pg_database: str) -> None:
    insert_contacts(2_000)
    db.execute_sql("ANALYZE segment_line")  # empty: as after the last segment was logged
    segment = create_segment("Empty", template="LETTER", salesperson="BC")["no"]
    with capturing_statements() as statements, db.atomic() as transaction:
        add_contacts(segment, [], AddOptions(ignore_exclusion=True))
        transaction.rollback()
    sql, params = line_insert(statements)
    # The planner believes the table is empty: a check against it became a scan of the
    # growing table per contact (an Add of 300,000 lines did not end in 14 minutes).
    read = [
        n["Node Type"] for n in nodes(plan(sql, params)) if n.get("Relation Name") == "segment_line"
    ]
    assert read == ["ModifyTable"], read


def test_go_back_of_a_reduce_reads_the_history_of_the_restored_contacts_only(
    pg_database: str,
) -> None:
    k = 2_000
    insert_contacts(k)
    segment = create_segment("Back", template="LETTER", salesperson="BC")["no"]
    add_contacts(segment, parse_where([f"no={no(1)}..{no(k)}"]), AddOptions(ignore_exclusion=True))
    remove_contacts(segment, parse_where([f"no={no(1)}..{no(20)}"]), "reduce")
    with capturing_statements() as statements, db.atomic() as transaction:
        assert go_back(segment).restored == 20
        transaction.rollback()
    sql, params = line_insert(statements)
    # 20 deletions and each contact's earlier insertion; the segment holds 2,000.
    assert rows_examined(sql, params, "segment_history") <= 100


def planner_rows(table: str) -> float:
    (rows,) = db.execute_sql(
        "SELECT reltuples FROM pg_class WHERE relname = %s", (table,)
    ).fetchone()
    return float(rows)


def test_bulk_actions_leave_statistics_of_the_new_table_sizes(pg_database: str) -> None:
    insert_contacts(3_000)
    segment = create_segment("Stats", template="LETTER", salesperson="BC")["no"]
    options = AddOptions(ignore_exclusion=True)
    add_contacts(segment, parse_where([f"no={no(1)}..{no(3_000)}"]), options)
    assert planner_rows("segment_line") == 3_000
    assert planner_rows("segment_history") == 3_000
    remove_contacts(segment, parse_where([f"no={no(1)}..{no(2_000)}"]), "reduce")
    assert planner_rows("segment_line") == 1_000
    go_back(segment)
    assert planner_rows("segment_line") == 3_000


@pytest.mark.slow
def test_an_add_of_300000_lines_works_on_postgresql(pg_database: str) -> None:
    insert_contacts(300_000)
    segment = create_segment("Big", template="LETTER", salesperson="BC")["no"]
    result = add_contacts(segment, [], AddOptions(ignore_exclusion=True))
    assert result.added == 300_000
    count, last, history = db.execute_sql(
        "SELECT COUNT(*), MAX(line_no), (SELECT COUNT(*) FROM segment_history) "
        "FROM segment_line WHERE segment_no = %s",
        (segment,),
    ).fetchone()
    # Lines are numbered in steps of 10,000: the last is 3,000,000,000 > 2**31.
    assert (count, last, history) == (300_000, 3_000_000_000, 300_000)
    assert go_back(segment).removed == 300_000
