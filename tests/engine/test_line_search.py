"""Search in lines (the worksheet's `/`): what matches, the count, keys that follow the
contacts, and the plans that keep a search flat in the size of the segment.

Folding (docs/search.md): case, accents, spaces and punctuation are ignored; letters and
digits are compared.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from segment_tui.db import db, insert_rows
from segment_tui.errors import UserError
from segment_tui.filters.search_fold import FOLD_TABLE, PUNCTUATION, fold_search
from segment_tui.migrations import m0012_contact_search_keys as m0012
from segment_tui.models import ContactSearchKey
from segment_tui.services.contacts.records import delete_contact, update_contact
from segment_tui.services.criteria.actions import AddOptions, add_contacts
from segment_tui.services.segments import line_search
from segment_tui.services.segments.line_search import find_lines
from segment_tui.services.segments.lines import remove_line
from tests.engine.support import ContactFactory, adatum_and_trey, lines, new_segment


def people(make_contact: ContactFactory) -> str:
    """A segment of seven people with tricky names; returns its number."""
    names = ["Seán O'Brien", "Électricité de France", "ELECTRICITE SUD", "Jean-Luc Ørsted",
             "Großmann Straße", "Obrien Cafe", "Ann Smith"]  # fmt: skip
    for number, name in enumerate(names, 1):
        make_contact(no=f"P{number:02d}", type="person", name=name)
    no = new_segment()
    add_contacts(no, [], AddOptions())
    return no


def found(segment_no: str, text: str) -> list[str]:
    """The contact nos. of the lines found, in line order."""
    contact_of = {line["line_no"]: line["contact_no"] for line in lines(segment_no)}
    return [contact_of[line_no] for line_no in find_lines(segment_no, text).line_nos]


def line_of(segment_no: str, contact_no: str) -> int:
    line_no: int = next(
        line["line_no"] for line in lines(segment_no) if line["contact_no"] == contact_no
    )
    return line_no


def test_search_ignores_case_accents_spaces_and_punctuation(
    make_contact: ContactFactory,
) -> None:
    no = people(make_contact)
    assert sorted(found(no, "obrien")) == ["P01", "P06"]  # O'Brien and Obrien
    assert sorted(found(no, "O'BRIEN")) == ["P01", "P06"]
    assert sorted(found(no, "o brien")) == ["P01", "P06"]
    assert sorted(found(no, "Electricite")) == ["P02", "P03"]  # Électricité, ELECTRICITE
    assert sorted(found(no, "électricité")) == ["P02", "P03"]
    assert found(no, "jeanluc") == ["P04"]  # Jean-Luc
    assert found(no, "orsted") == ["P04"]  # Ø reads o
    assert found(no, "strasse") == ["P05"]  # ß reads ss
    assert found(no, "p07") == ["P07"]  # contact no.
    assert found(no, "nobody") == []
    with pytest.raises(UserError, match="letters or digits"):
        find_lines(no, " '-. ")


def test_a_match_never_spans_two_fields(make_contact: ContactFactory) -> None:
    make_contact(no="C1", type="company", name="Nord")
    make_contact(no="P1", type="person", name="Ann Smith", company_no="C1")
    no = new_segment()
    add_contacts(no, [], AddOptions())
    assert sorted(found(no, "nord")) == ["C1", "P1"]  # the company, and Ann by company
    assert found(no, "smithnord") == []
    assert found(no, "p1ann") == []


def test_the_count_and_where_a_match_stands(make_contact: ContactFactory) -> None:
    no = people(make_contact)
    matches = find_lines(no, "e")  # every name but "Ann Smith" has an e
    assert matches.total == 6 and len(matches.line_nos) == 6
    third, fourth = matches.line_nos[2:4]
    assert matches.describe(third) == "3 of 6"
    assert matches.next_after(third) == fourth
    assert matches.next_after(matches.line_nos[-1]) is None
    assert matches.next_after(None) == matches.line_nos[0]
    assert line_of(no, "P07") not in matches.line_nos


def test_company_name_and_contact_no_are_searched(make_contact: ContactFactory) -> None:
    adatum_and_trey(make_contact)
    no = new_segment()
    add_contacts(no, [], AddOptions())  # P9, C1, P1, P2, C2, P3 on lines 10000…60000
    assert found(no, "bob") == ["P2"]
    assert found(no, "p3") == ["P3"]
    assert found(no, "trey") == ["C2", "P3"]  # Trey Research, and Carl by company


def test_keys_follow_renamed_new_and_deleted_contacts(make_contact: ContactFactory) -> None:
    no = people(make_contact)
    assert found(no, "smith") == ["P07"]  # keys built (SQLite: on the first search)
    update_contact("P07", {"name": "Zoë Brown"})
    assert found(no, "smith") == []
    assert found(no, "zoe") == ["P07"]
    remove_line(no, line_of(no, "P07"))
    delete_contact("P07")
    assert found(no, "zoe") == []
    make_contact(no="P08", type="person", name="Åsa Lindqvist")
    add_contacts(no, [], AddOptions())
    assert found(no, "asa") == ["P08"]
    keys = {k.contact_no: k.search_key for k in ContactSearchKey.select()}
    assert "P07" not in keys
    assert keys["P08"] == "p08\x1fasalindqvist\x1f"


def test_keys_written_by_any_sqlite_client_stay_a_subset(
    make_contact: ContactFactory, db_path: Path
) -> None:
    """Triggers in plain SQL drop the key of a contact changed or deleted outside the app
    (no st_search_key function needed), so a count shows what is missing."""
    no = people(make_contact)
    assert found(no, "smith") == ["P07"]
    db.close()
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("UPDATE contact SET name = 'Hannah Berg' WHERE no = 'P07'")
        raw.execute("UPDATE contact SET city = 'Oslo' WHERE no = 'P01'")  # key stays
        raw.execute("DELETE FROM segment_line WHERE contact_no = 'P06'")
        raw.execute("DELETE FROM contact WHERE no = 'P06'")
    raw.close()
    keys = {k.contact_no for k in ContactSearchKey.select()}
    assert "P07" not in keys and "P06" not in keys and "P01" in keys
    assert found(no, "hannah") == ["P07"]
    assert found(no, "obrien") == ["P01"]


def test_bulk_inserted_contacts_are_keyed_on_the_next_search(
    make_contact: ContactFactory,
) -> None:
    no = people(make_contact)
    assert found(no, "smith") == ["P07"]
    columns = ["no", "type", "name", "company_name", "search_name"]
    rows = [(f"B{i:04d}", "person", f"Bulk Ñame {i}", "", "") for i in range(300)]
    with db.atomic():
        insert_rows("contact", columns, rows)
    assert line_search.ensure_search_keys() == 300
    assert line_search.ensure_search_keys() == 0
    assert ContactSearchKey.get_by_id("B0007").search_key == "b0007\x1fbulkname7\x1f"


def test_the_three_plans_agree(make_contact: ContactFactory, monkeypatch: Any) -> None:
    """A small segment is read whole; in a big one the lines of few matching contacts are
    looked up; very many are walked from the cursor and counted up to a bound."""
    no = people(make_contact)
    everything = find_lines(no, "e")
    assert everything.total == 6

    monkeypatch.setattr(line_search, "SMALL_SEGMENT", 2)  # "big" from now on
    probed = find_lines(no, "e")
    assert (probed.line_nos, probed.total) == (everything.line_nos, 6)

    monkeypatch.setattr(line_search, "PROBE_LIMIT", 3)  # "very many" contacts match
    monkeypatch.setattr(line_search, "MATCH_LIMIT", 3)
    monkeypatch.setattr(line_search, "FIRST_WALK_CHUNK", 1)
    monkeypatch.setattr(line_search, "WALK_CHUNK", 1)
    walked = find_lines(no, "e")
    all_lines = everything.line_nos
    assert walked.line_nos == all_lines[:3]  # the limit, then "+"
    assert walked.total is None and walked.describe(all_lines[1]) == "2 of 3+"
    after = find_lines(no, "e", after_line_no=all_lines[3])
    assert after.line_nos == all_lines[4:] and after.first is None
    assert after.total is None and after.describe(all_lines[4]) == "2+ matches"
    wrapped = find_lines(no, "e", after_line_no=all_lines[-1])  # none after: from the top
    assert wrapped.line_nos[0] == all_lines[0] and wrapped.first == 0

    monkeypatch.setattr(line_search, "MATCH_LIMIT", 100)  # the walk reaches the end
    counted = find_lines(no, "e")
    assert (counted.line_nos, counted.total) == (everything.line_nos, 6)

    # Dense where the cursor is: walk on without looking contacts up at all.
    def no_probe(*args: Any) -> None:
        raise AssertionError("a dense search must not probe")

    monkeypatch.setattr(line_search, "_probe", no_probe)
    monkeypatch.setattr(line_search, "FIRST_WALK_CHUNK", 3)
    monkeypatch.setattr(line_search, "PROBE_LIMIT", 100)
    dense = find_lines(no, "e", after_line_no=all_lines[0])
    assert dense.line_nos == all_lines[1:] and dense.first is None


def test_the_fold_table_is_the_one_migration_12_froze() -> None:
    """PostgreSQL folds in SQL with migration 12's frozen copy; changing the folding
    needs a new migration, or the two databases would find different lines."""
    froms, tos, multi = m0012.FOLD_FROM, m0012.FOLD_TO, m0012.MULTI
    frozen = {**dict(zip(froms, tos, strict=True)), **multi}
    assert frozen == FOLD_TABLE
    assert m0012.DELETED == PUNCTUATION
    assert fold_search("Ǿ-Ŀ Ĳ·İ") == "oliji"


def test_probe_plan_uses_the_trigram_and_contact_indexes_not_the_whole_segment(
    make_contact: ContactFactory,
) -> None:
    people(make_contact)
    line_search.ensure_search_keys()
    sql, params = line_search.probe_statement("SEG00001", "obrien")
    plan = " | ".join(row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    if line_search._has_trigrams():  # SQLite with FTS5 and its trigram tokenizer (3.34+)
        assert "SCAN f VIRTUAL TABLE" in plan, plan
    else:  # an older library: the narrow key table is scanned
        assert "SCAN contact_search_key" in plan, plan
    assert "SEARCH l USING INDEX segment_line_contact_no" in plan, plan
    assert "SCAN l" not in plan and "segment_no_line_no" not in plan, plan


def test_the_trigram_index_follows_the_keys(make_contact: ContactFactory) -> None:
    no = people(make_contact)
    if not line_search._has_trigrams():
        pytest.skip("this SQLite library has no FTS5 trigram tokenizer")
    assert found(no, "smith") == ["P07"]
    update_contact("P07", {"name": "Zoë Brown"})
    assert found(no, "smith") == [] and found(no, "zoebrown") == ["P07"]
    rows = db.execute_sql(
        "SELECT count(*) FROM contact_search_trigrams WHERE search_key LIKE '%zoebrown%'"
    ).fetchone()[0]
    assert rows == 1
    db.execute_sql(
        "INSERT INTO contact_search_trigrams (contact_search_trigrams) VALUES ('integrity-check')"
    )
