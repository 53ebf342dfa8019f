"""What a contact import will do with each staged row: create or update which contact,
numbered how, linked to which company (BC's company/person rules).

Only the few columns that decide this (number, type, names, company, match key) are
read back from the staging table; the wide rows stay in the database and are written
by :mod:`segment_tui.services.contacts.bulk` with ``INSERT … SELECT`` / ``UPDATE … FROM``.
Numbering the new contacts and handing the plan to those statements is
:mod:`segment_tui.services.contacts.import_store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from segment_tui.db import chunked
from segment_tui.services.contacts.import_stage import (
    STAGE,
    Problem,
    Staged,
    drop_temporary,
    execute,
    mark,
)

CHUNK = 500
"""Rows read back or written at a time (see :func:`_read`)."""

MatchBy = Literal["no", "external_id", "email"]
Action = Literal["insert", "update"]


@dataclass(slots=True)
class Key:
    """The deciding values of one row, and what the import does with it."""

    line: int
    action: Action = "insert"
    no: str = ""
    type: str = ""
    name: str = ""
    search_name: str = ""
    company_no: str | None = None
    company_name: str = ""
    source_line: int | None = None
    """The file row a person inherits from: its company's row, or the row that named
    a company that is created (its address becomes the company's)."""
    db_company: str | None = None
    """The stored company a person inherits from."""
    old_type: str = ""
    old_company: str | None = None
    old_name: str = ""
    company_given: bool = False


@dataclass
class NewCompany:
    """A company named by persons (``company_name``) that exists nowhere yet."""

    name: str
    source_line: int
    no: str = ""
    search_name: str = ""


@dataclass
class Plan:
    """Every row's key and the companies to create."""

    keys: list[Key] = field(default_factory=list)
    companies: list[NewCompany] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, line: int, column: str, reason: str) -> None:
        """Record why a row cannot be imported."""
        self.problems.append(Problem(line, column, reason))

    def count(self, action: Action, kind: str | None = None) -> int:
        """How many rows will be inserted/updated (of one type)."""
        return sum(1 for k in self.keys if k.action == action and kind in (None, k.type))


_FIELDS = (
    "no",
    "type",
    "name",
    "first_name",
    "middle_name",
    "surname",
    "company_no",
    "company_name",
    "search_name",
)
"""The deciding columns of a staged row, after its line (blank where the file lacks one)."""

_Row = tuple[int, str, str, str, str, str, str, str, str, str]


def _read(staged: Staged) -> Iterator[_Row]:
    """The deciding columns of every staged row, in file order, a few hundred rows at a
    time: each row is used while it is still in the processor's cache (a list of all
    100,000 rows, or a named tuple per row, cost a second per 100,000 rows)."""
    select = ", ".join(f"f_{name}" if staged.column(name) is not None else "''" for name in _FIELDS)
    cursor = execute(f"SELECT line, {select} FROM {STAGE} ORDER BY line")
    while rows := cursor.fetchmany(CHUNK):
        yield from rows


def _full_name(first_name: str, middle_name: str, surname: str) -> str:
    """BC's name of a person from its parts."""
    return " ".join(p for p in (first_name, middle_name, surname) if p)


def _companies_in_db(column: str, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """Stored companies by ``no`` or ``name``: value -> (no, name), the lowest no wins."""
    found: dict[str, tuple[str, str]] = {}
    values = sorted(wanted)
    for chunk in chunked(values):
        marks = ", ".join([mark()] * len(chunk))
        rows = execute(
            f"SELECT no, name FROM contact WHERE type = 'company' AND {column} IN ({marks}) "
            "ORDER BY no",
            list(chunk),
        ).fetchall()
        for no, name in rows:
            found.setdefault(no if column == "no" else name, (no, name))
    return found


def _matches(staged: Staged, match: MatchBy) -> dict[str, list[tuple[str, str, str | None, str]]]:
    """Stored contacts by match key: key -> [(no, type, company_no, name)], with one scan
    of the contact table (e-mail compares case-insensitively)."""
    if match == "no":
        expr, stored = f"upper(f_{match})", "no"
    elif match == "email":
        expr, stored = "lower(f_email)", "lower(email)"
    else:
        expr, stored = "f_external_id", "external_id"
    drop_temporary("import_match")
    execute(
        f"CREATE TEMPORARY TABLE import_match AS SELECT DISTINCT {expr} AS k FROM {STAGE} "
        f"WHERE f_{match} <> ''"
    )
    rows = execute(
        f"SELECT {stored}, no, type, company_no, name FROM contact "
        f"WHERE {stored} IN (SELECT k FROM import_match) ORDER BY no"
    ).fetchall()
    found: dict[str, list[tuple[str, str, str | None, str]]] = {}
    for key, no, kind, company_no, name in rows:
        found.setdefault(key, []).append((no, kind, company_no, name))
    return found


def _row_keys(staged: Staged, match: MatchBy) -> dict[int, str]:
    """Each line's match key as the database compares it."""
    expr = {"no": "upper(f_no)", "email": "lower(f_email)", "external_id": "f_external_id"}
    query = f"SELECT line, {expr[match]} FROM {STAGE} WHERE f_{match} <> ''"
    return dict(execute(query).fetchall())


def plan_rows(staged: Staged, *, update: bool, match: MatchBy, skip: set[int]) -> Plan:
    """Decide every good row's action, number, name and company; problems are added to
    the plan (rows in ``skip`` are left out, as are rows whose company is left out)."""
    plan = Plan()
    type_map = staged.maps.get("type", {})
    rows = _read(staged)
    matched = _matches(staged, match) if update else {}
    row_keys = _row_keys(staged, match) if update else {}
    has = {
        name: staged.column(name) is not None
        for name in ("type", "name", "first_name", "surname", "company_no", "company_name")
    }
    keys: list[Key] = []
    first_line: dict[str, int] = {}
    updated_by: dict[str, int] = {}
    names_given = has["name"] or has["first_name"] or has["surname"]
    # One pass over 100,000 rows: locals, and one Key made at the end of each row.
    for line, no, raw_type, name, first, middle, surname, company_no, company_name, search in rows:
        if line in skip:
            continue
        no = no.upper()
        given_no = company_no.upper() or None
        company_given = bool(given_no or company_name)
        action: Action = "insert"
        old_type, old_company, old_name = "", None, ""
        stored = None
        if update and line in row_keys:
            found = matched.get(row_keys[line], [])
            if len(found) > 1:
                listed = ", ".join(f[0] for f in found[:5])
                plan.refuse(
                    line,
                    match,
                    f"{row_keys[line]!r} matches "
                    f"{len(found)} contacts ({listed}); match by no instead",
                )
                continue
            if found:
                stored = found[0]
        if stored is not None:
            action = "update"
            old_no, old_type, old_company, old_name = stored
            if no and no != old_no:
                plan.refuse(
                    line,
                    "no",
                    f"the row matches contact {old_no}; a contact's number cannot be changed",
                )
                continue
            no = old_no
            if old_no in updated_by:
                plan.refuse(
                    line, match, f"contact {old_no} is also updated by line {updated_by[old_no]}"
                )
                continue
            updated_by[old_no] = line
            kind = type_map.get(raw_type, "") if raw_type else old_type
            given_name = name if has["name"] else old_name
            if kind == "person" and not given_name:
                given_name = _full_name(first, middle, surname)
            if not given_name:
                plan.refuse(line, "name", "a contact needs a name")
                continue
            name = given_name
        else:
            if raw_type:
                kind = type_map.get(raw_type, "")
            else:
                kind = "person" if company_given else "company"
            if kind == "company":
                name = name or company_name
            elif name or first or surname:
                name = name or _full_name(first, middle, surname)
            else:
                name = ""
            if not name:
                plan.refuse(line, "name", "a contact needs a name")
                continue
            if no:
                if no in first_line:
                    plan.refuse(line, "no", f"number {no} is also on line {first_line[no]}")
                    continue
                first_line[no] = line
        if kind == "company":
            given_no, company_name = None, ""
        if not search and (action == "insert" or names_given):
            search = name.upper()[:100]
        keys.append(
            Key(line, action, no, kind, name, search, given_no, company_name, None, None,
                old_type, old_company, old_name, company_given)
        )  # fmt: skip
    if not update:
        _refuse_existing_numbers(keys, plan)
    _link_companies(keys, plan, staged)
    if update:
        _check_update_rules(keys, plan)
    bad = {p.line for p in plan.problems}
    plan.keys = [k for k in keys if k.line not in bad]
    return plan


def _refuse_existing_numbers(keys: list[Key], plan: Plan) -> None:
    by_no = {k.no: k.line for k in keys if k.no}
    if not by_no:
        return
    stored = execute(f"SELECT DISTINCT c.no FROM {STAGE} r JOIN contact c ON c.no = upper(r.f_no)")
    for (no,) in sorted(stored.fetchall()):
        if no in by_no:
            plan.refuse(by_no[no], "no", f"contact {no} already exists")


def _link_companies(keys: list[Key], plan: Plan, staged: Staged) -> None:
    """Point each person at its company: one in the file, one stored, or a new one."""
    bad = {p.line for p in plan.problems}
    file_by_no = {k.no: k for k in keys if k.type == "company" and k.no and k.line not in bad}
    file_by_name = {k.name: k for k in keys if k.type == "company" and k.line not in bad}
    persons = [k for k in keys if k.type == "person" and k.company_given and k.line not in bad]
    wanted_nos = {k.company_no for k in persons if k.company_no and k.company_no not in file_by_no}
    wanted_names = {
        k.company_name for k in persons if not k.company_no and k.company_name not in file_by_name
    }
    stored_nos = _companies_in_db("no", wanted_nos)
    stored_names = _companies_in_db("name", wanted_names)
    created: dict[str, NewCompany] = {}
    for key in persons:
        if key.company_no:
            in_file = file_by_no.get(key.company_no)
            if in_file is not None:
                key.company_name, key.source_line = in_file.name, in_file.line
            elif key.company_no in stored_nos:
                key.company_name = stored_nos[key.company_no][1]
                key.db_company = key.company_no
            else:
                plan.refuse(key.line, "company_no", f"company {key.company_no} does not exist")
        elif key.company_name in file_by_name:
            in_file = file_by_name[key.company_name]
            key.company_no, key.source_line = in_file.no or None, in_file.line
        elif key.company_name in stored_names:
            key.company_no = key.db_company = stored_names[key.company_name][0]
        else:
            new = created.get(key.company_name)
            if new is None:
                new = created[key.company_name] = NewCompany(key.company_name, key.line)
                new.search_name = key.company_name.upper()[:100]
                plan.companies.append(new)
            key.source_line = new.source_line
    # The file's companies without a number get theirs later; persons follow them.
    plan.companies_by_name = created  # type: ignore[attr-defined]


def _check_update_rules(keys: list[Key], plan: Plan) -> None:
    """The contact card's rules for changes (BC's messages)."""
    retyped = [k for k in keys if k.action == "update" and k.type != k.old_type]
    moved = [k for k in keys if k.action == "update" and k.type == "person" and k.company_given]
    with_entries = _existing(
        "SELECT DISTINCT contact_no FROM interaction_log_entry WHERE contact_no IN ({})",
        [k.no for k in retyped],
    )
    with_persons = _existing(
        "SELECT DISTINCT company_no FROM contact WHERE company_no IN ({}) AND no <> company_no",
        [k.no for k in retyped],
    )
    on_segments = _existing(
        "SELECT DISTINCT contact_no FROM segment_line WHERE contact_no IN ({})",
        [k.no for k in moved],
    )
    for key in retyped:
        if key.no in with_entries:
            plan.refuse(
                key.line,
                "type",
                "Type cannot be changed because one or "
                "more interaction log entries are linked to the contact.",
            )
        elif key.old_type == "company" and key.no in with_persons:
            plan.refuse(
                key.line,
                "type",
                "Type cannot be changed because there "
                "are one or more related people linked to the contact.",
            )
    for key in moved:
        old = None if key.old_type == "company" else key.old_company
        new = key.company_no or ("" if key.source_line is not None else None)
        if new != old and key.no in on_segments:
            plan.refuse(
                key.line,
                "company_no",
                "You cannot change Company No. "
                "because one or more unlogged segments are assigned to "
                "the contact.",
            )


def _existing(query: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(sorted(set(values))):
        sql = query.format(", ".join([mark()] * len(chunk)))
        found.update(row[0] for row in execute(sql, list(chunk)).fetchall())
    return found
