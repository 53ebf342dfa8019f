"""The big lists and search in lines on PostgreSQL: the same folding as SQLite (in SQL,
from migration 12's frozen table), keys kept in step by triggers whoever writes the
contacts, and plans that read through the indexes (no sort, no OFFSET for the pages).

Runs when ``SEGMENT_TUI_TEST_PG`` names a server (see ``test_postgres.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from segment_tui.db import close_database, db, insert_rows, open_database, write_transaction
from segment_tui.filters.search_fold import fold_search, search_key
from segment_tui.models import Contact, ContactSearchKey
from segment_tui.services.contacts.records import create_contact, delete_contact, update_contact
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.segments import line_search
from segment_tui.services.segments import view as segment_view
from segment_tui.services.segments.headers import create_segment
from segment_tui.services.segments.line_search import find_lines
from tests.engine.plans import plans_of
from tests.postgres.test_postgres import pg_admin, pg_url

__all__ = ["pg_admin", "pg_url"]  # fixtures

SAMPLES = [
    "Seán O'Brien", "ÉLECTRICITÉ de France", "Großmann Straße", "ẞ", "Jean-Luc Ørsted",
    "ŁÓDŹ", "Æble Œuvre Þór", "İstanbul", "e\u0301lan", "Ǿ-Ŀ Ĳ·", "Nguyễn Văn Đức",
    "Σοφία", "50% off_now!", "tab\there", "«Les “Quotes”» — fin…", "", "ǅemal",
]  # fmt: skip


@pytest.fixture
def pg(pg_url: str) -> Iterator[Any]:
    """The test's PostgreSQL database, migrated, with the demo setup."""
    from segment_tui.services.demo.setup_data import seed_setup

    database = open_database(pg_url)
    with write_transaction():
        seed_setup()
    yield database
    close_database()


def test_postgresql_folds_text_exactly_as_python_does(pg: Any) -> None:
    for text in SAMPLES:
        folded = db.execute_sql("SELECT segment_search_fold(%s)", (text,)).fetchone()[0]
        assert folded == fold_search(text), text


def keys() -> dict[str, str]:
    return {k.contact_no: k.search_key for k in ContactSearchKey.select()}


def expected_keys() -> dict[str, str]:
    return {c.no: search_key(c.no, c.name, c.company_name) for c in Contact.select()}


def test_triggers_keep_every_key_in_step(pg: Any) -> None:
    insert_rows(
        "contact",
        ["no", "type", "name", "company_name", "search_name"],
        [(f"B{i:03d}", "person", f"Bülk {i}", "Ørsted A/S", "") for i in range(50)],
    )
    create_contact({"no": "C1", "type": "company", "name": "Électricité de France"})
    create_contact({"no": "P1", "type": "person", "name": "Seán O'Brien", "company_no": "C1"})
    assert keys() == expected_keys()
    update_contact("P1", {"name": "Zoë Brown"})
    update_contact("C1", {"city": "Paris"})  # no key field: the key stays
    db.execute_sql("UPDATE contact SET no = 'B999' WHERE no = 'B001'")  # renumbered
    db.execute_sql("UPDATE contact SET company_name = 'Nord' WHERE no LIKE 'B01%%'")
    delete_contact("B002")
    assert keys() == expected_keys()
    assert keys()["P1"] == "p1\x1fzoebrown\x1felectricitedefrance"
    assert "B001" not in keys() and "B002" not in keys()


def test_search_finds_the_same_lines_as_on_sqlite(pg: Any) -> None:
    names = ["Seán O'Brien", "Électricité de France", "ELECTRICITE SUD", "Jean-Luc Ørsted",
             "Großmann Straße", "Obrien Cafe", "Ann Smith"]  # fmt: skip
    for number, name in enumerate(names, 1):
        create_contact({"no": f"P{number:02d}", "type": "person", "name": name})
    no = create_segment("People")["no"]
    add_contacts(no, [], AddOptions())
    contact_of = {r["line_no"]: r["contact_no"] for r in segment_view.lines_after(no, None, 99)}

    def found(text: str) -> list[str]:
        return sorted(contact_of[line] for line in find_lines(no, text).line_nos)

    assert found("obrien") == ["P01", "P06"]
    assert found("o'brien") == ["P01", "P06"]
    assert found("Electricite") == ["P02", "P03"]
    assert found("jeanluc") == ["P04"]
    assert found("strasse") == ["P05"]
    assert found("p07") == ["P07"]
    assert find_lines(no, "e").total == 6


@pytest.fixture
def big(pg: Any) -> str:
    """20,000 contacts and a segment with a line for each, analysed."""
    insert_rows(
        "contact",
        ["no", "type", "name", "company_name", "search_name"],
        [(f"K{i:06d}", "person", f"Person {i}", f"Firm {i % 50}", "") for i in range(20_000)],
    )
    no = str(create_segment("Big")["no"])
    db.execute_sql(
        "INSERT INTO segment_line (segment_no, line_no, contact_no, line_note, added_by_action)"
        " SELECT %s, 10000 * ROW_NUMBER() OVER (ORDER BY no), no, '', 1 FROM contact",
        (no,),
    )
    db.execute_sql("ANALYZE")
    return no


def assert_reads_the_line_index(plans: list[tuple[str, str]]) -> None:
    assert plans
    for sql, plan in plans:
        assert "OFFSET" not in sql.upper(), sql
        assert "segment_line_segment_no_line_no" in plan, (sql, plan)
        assert "Sort" not in plan, (sql, plan)
        assert "Seq Scan on segment_line" not in plan, (sql, plan)


def test_pages_and_seeks_read_the_line_index_on_postgresql(big: str) -> None:
    no = big
    assert_reads_the_line_index(plans_of(lambda: segment_view.lines_after(no, None, 200)))
    assert_reads_the_line_index(plans_of(lambda: segment_view.lines_before(no, None, 200)))
    assert_reads_the_line_index(plans_of(lambda: segment_view.lines_after(no, 10**8, 200)))
    assert_reads_the_line_index(plans_of(lambda: segment_view.lines_before(no, 10**8, 200)))
    for from_end in (False, True):
        plans = plans_of(partial(segment_view.line_key_at, no, 5_000, from_end=from_end))
        (sql, plan), *_ = plans
        assert "segment_line_segment_no_line_no" in plan and "Sort" not in plan, plan
        assert "JOIN" not in sql.upper()
    assert segment_view.line_key_at(no, 0, from_end=True) == 20_000 * 10_000
    rows = segment_view.lines_before(no, None, 200)
    assert rows[-1]["line_no"] == 20_000 * 10_000 and len(rows) == 200


def test_search_plans_on_postgresql(big: str, monkeypatch: pytest.MonkeyPatch) -> None:
    no = big
    sql, params = line_search.probe_statement(no, "person1234")
    plan = "\n".join(row[0] for row in db.execute_sql(f"EXPLAIN {sql}", params).fetchall())
    assert "segment_line_contact_no" in plan, plan  # one probe per matching contact
    assert "Seq Scan on segment_line" not in plan, plan
    assert find_lines(no, "Person 19999").line_nos == (20_000 * 10_000,)

    monkeypatch.setattr(line_search, "SMALL_SEGMENT", 10)
    monkeypatch.setattr(line_search, "PROBE_LIMIT", 10)  # "firm 1…" matches 4,400: walk
    plans = plans_of(lambda: find_lines(no, "firm 1"))
    walks = [plan for sql, plan in plans if "walk_key" in sql]
    assert walks
    for plan in walks:
        # Each chunk is read through the line index, bounded on line_no, with one key
        # probe per line. The first chunk (2,000 lines, all its matches wanted) may come
        # as a bitmap scan plus a sort of those few matches: with 64-bit line numbers
        # (migration 9) PostgreSQL costs it within 1 % of the ordered index scan.
        assert "segment_line_segment_no_line_no" in plan, plan
        assert "line_no <=" in plan and "Seq Scan on segment_line" not in plan, plan
        assert "Index Cond: ((contact_no)::text = (t1.contact_no)::text)" in plan, plan
        if "Sort" in plan:
            assert "Limit" not in plan and "Bitmap Index Scan" in plan, plan
