"""The reads behind the big lists are index reads whose cost does not grow with the list:
the first and last pages, a page after or before a row, a seek by position (key column
only), a row's position, a search. Pinned by query plans, not timings (SQLite here; the
same checks run on PostgreSQL in ``tests/postgres/test_postgres_views.py``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from segment_tui.db import insert_rows
from segment_tui.services.contacts import view as contact_view
from segment_tui.services.interactions import entry_view
from segment_tui.services.interactions.entry_view import EntryFilter
from segment_tui.services.segments import line_search
from segment_tui.services.segments import view as segment_view
from segment_tui.ui.sources import LinesSource
from segment_tui.ui.widgets import Column
from tests.engine.plans import plans_of, statements_of


def big_segment(lines: int = 3_000) -> str:
    """A segment of ``lines`` lines over as many contacts, written in bulk."""
    from segment_tui.services.criteria.actions import AddOptions, add_contacts
    from segment_tui.services.criteria.fields import parse_where
    from segment_tui.services.segments.headers import create_segment

    insert_rows(
        "contact",
        ["no", "type", "name", "company_name", "search_name"],
        [(f"K{i:06d}", "person", f"Person {i}", f"Firm {i % 50}", "") for i in range(lines)],
    )
    no = str(create_segment("Big")["no"])
    add_contacts(no, parse_where([f"no=K000000..K{lines - 1:06d}"]), AddOptions())
    return no


def assert_index_read(plans: list[tuple[str, str]], index: str) -> None:
    """Every statement reads through ``index``, sorts nothing and skips nothing."""
    assert plans
    for sql, plan in plans:
        assert "OFFSET" not in sql.upper(), sql
        assert index in plan, (sql, plan)
        assert "TEMP B-TREE" not in plan, (sql, plan)
        assert "SCAN segment_line" not in plan and "SCAN t1" not in plan, (sql, plan)


def test_first_last_and_keyset_pages_of_lines_read_the_line_index(cronus: Any) -> None:
    no = big_segment()
    index = "segment_line_segment_no_line_no"
    assert_index_read(plans_of(lambda: segment_view.lines_after(no, None, 50)), index)
    assert_index_read(plans_of(lambda: segment_view.lines_before(no, None, 50)), index)
    assert_index_read(plans_of(lambda: segment_view.lines_after(no, 15_000_000, 50)), index)
    assert_index_read(plans_of(lambda: segment_view.lines_before(no, 15_000_000, 50)), index)
    assert_index_read(plans_of(lambda: segment_view.line_index(no, 15_000_000)), index)
    assert_index_read(plans_of(lambda: segment_view.lines_present(no, {10_000, 20_000})), index)


def test_the_last_page_of_the_worksheet_has_no_offset(cronus: Any) -> None:
    """End reads the last lines by key: no statement of the source skips rows."""
    no = big_segment()
    source = LinesSource(no, [Column("contact_no", "Contact No.", 10)])
    statements = statements_of(lambda: source.fetch_before(None, 200))
    assert statements and all("OFFSET" not in sql.upper() for sql, _ in statements)
    rows = source.fetch_before(None, 200)
    assert [row.key for row in rows][-1] == 3_000 * 10_000 and len(rows) == 200


def test_a_seek_by_position_reads_the_key_column_of_the_index_only(cronus: Any) -> None:
    no = big_segment()
    for from_end in (False, True):
        plans = plans_of(partial(segment_view.line_key_at, no, 1_000, from_end=from_end))
        assert len(plans) == 1
        sql, plan = plans[0]
        assert "COVERING INDEX segment_line_segment_no_line_no" in plan, plan
        assert "TEMP B-TREE" not in plan and "JOIN" not in sql.upper()
    assert segment_view.line_key_at(no, 0) == 10_000
    assert segment_view.line_key_at(no, 0, from_end=True) == 30_000_000
    assert segment_view.line_key_at(no, 2_999, from_end=True) == 10_000
    assert segment_view.line_key_at(no, 3_000) is None


def test_entries_and_contacts_read_by_key_from_either_end(cronus: Any) -> None:
    big_segment(500)
    view = EntryFilter()
    for plans in (
        plans_of(lambda: entry_view.entries_after(view, None, 50)),
        plans_of(lambda: entry_view.entries_before(view, None, 50)),
        plans_of(lambda: entry_view.entry_key_at(view, 10, from_end=True)),
        plans_of(lambda: contact_view.contacts_after((), None, 50)),
        plans_of(lambda: contact_view.contacts_before((), None, 50)),
        plans_of(lambda: contact_view.contact_key_at((), 100, from_end=True)),
    ):
        for sql, plan in plans:
            assert "TEMP B-TREE" not in plan, (sql, plan)
    assert contact_view.contact_key_at((), 0, from_end=True) == "K000499"
    assert contact_view.contacts_present((), {"K000001", "NOPE"}) == {"K000001"}


def test_a_search_walk_follows_the_line_index_and_probes_keys(
    cronus: Any, monkeypatch: Any
) -> None:
    no = big_segment()
    monkeypatch.setattr(line_search, "SMALL_SEGMENT", 10)
    monkeypatch.setattr(line_search, "PROBE_LIMIT", 10)  # "firm" matches every contact
    plans = plans_of(lambda: line_search.find_lines(no, "firm 1"))
    walks = [plan for sql, plan in plans if "walk_key" in sql]
    assert walks
    for plan in walks:
        assert "SEARCH t1 USING INDEX segment_line_segment_no_line_no" in plan, plan
        assert "SEARCH walk_key USING" in plan and "(contact_no=?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
