"""Interaction statistics: Business Central's FlowFields on contacts, interaction
templates and interaction groups, computed in the database (``docs/interactions.md``).

Per row:

* ``no_of_interactions``, ``cost_lcy``, ``duration_min``: the entries that are not
  canceled (BC also leaves out postponed ones; there are none here);
* ``date_of_last_interaction``: the latest date of an entry whose attempt did not fail
  (canceled ones included, as BC's FlowField does);
* ``last_date_attempted`` (contacts only): the latest date of an entry initiated by us.

A person's figures are its own entries. A company's are those of the company and of its
persons logged while they belonged to it (BC filters on Contact Company No. for a
company), so a company row includes its persons' rows. Templates and groups list every
one in setup (zeros included) plus codes only entries still carry.

``where`` takes the filter language: ``ile.*`` fields filter the entries counted (e.g.
``ile.date=2026-01-01..2026-06-30``, ``ile.campaign_no=CP1001``), every other field the
contacts the entries belong to (for ``by="contact"``: the contacts listed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal, TypedDict, overload

from peewee import Case, ColumnBase, Select, fn

from segment_tui.db import tuples
from segment_tui.errors import UserError
from segment_tui.models import Contact, InteractionGroup, InteractionLogEntry, InteractionTemplate
from segment_tui.services.contacts.records import get_contact
from segment_tui.services.criteria.fields import (
    FieldFilter,
    _compile,
    criteria_condition,
    parse_where,
)

By = Literal["contact", "template", "group"]
BY_CHOICES: tuple[By, ...] = ("contact", "template", "group")
FIGURES = (
    "no_of_interactions", "cost_lcy", "duration_min", "date_of_last_interaction",
    "last_date_attempted",
)  # fmt: skip


class CodeFigures(TypedDict):
    """BC's interaction FlowFields of a template or a group (see the module)."""

    no_of_interactions: int
    cost_lcy: Decimal
    duration_min: int
    date_of_last_interaction: dt.date | None


class ContactFigures(CodeFigures):
    """BC's interaction FlowFields of a contact: a template's and Last Date Attempted."""

    last_date_attempted: dt.date | None


class _Contact(TypedDict):
    contact_no: str
    name: str
    type: str
    company_name: str


class ContactStatistics(_Contact, ContactFigures):
    """A contact's row of the statistics (and its card's statistics box)."""


class _Code(TypedDict):
    code: str
    description: str


class CodeStatistics(_Code, CodeFigures):
    """A template's or a group's row of the statistics (``description`` blank for a code
    only entries still carry)."""


StatisticsRow = ContactStatistics | CodeStatistics


def _aggregates(entry: Any) -> list[Any]:
    active = entry.canceled == False  # noqa: E712 - SQL, not Python
    values = [
        fn.COUNT(Case(None, [(active, 1)], None)),
        fn.COALESCE(fn.SUM(Case(None, [(active, entry.cost_lcy)], 0)), 0),
        fn.COALESCE(fn.SUM(Case(None, [(active, entry.duration_min)], 0)), 0),
        fn.MAX(Case(None, [(entry.attempt_failed == False, entry.date)], None)),  # noqa: E712
        fn.MAX(Case(None, [(entry.initiated_by == "us", entry.date)], None)),
    ]
    return [value.alias(name) for value, name in zip(values, FIGURES, strict=True)]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _figures(values: Sequence[Any]) -> ContactFigures:
    count, cost, duration, last, attempted = values
    return {
        "no_of_interactions": int(count or 0),
        "cost_lcy": Decimal(str(cost or 0)).quantize(Decimal("0.01")),
        "duration_min": int(duration or 0),
        "date_of_last_interaction": _date(last),
        "last_date_attempted": _date(attempted),
    }


def _split(where: Sequence[str]) -> tuple[list[FieldFilter], list[FieldFilter]]:
    """(entry filters, contact filters) of ``--where`` items."""
    filters = parse_where(where)
    entry = [f for f in filters if f.field.section == "ile"]
    for flt in entry:
        if flt.field.name == "ile.canceled":
            raise UserError(
                "Statistics count the entries that are not canceled, as Business Central's "
                "do; ile.canceled cannot be filtered here.",
                field="ile.canceled",
            )
    return entry, [f for f in filters if f.field.section != "ile"]


def _entry_condition(filters: Sequence[FieldFilter], entry: Any) -> ColumnBase | None:
    conditions = [_compile(f, getattr(entry, f.field.column)) for f in filters]
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result = result & condition
    return result


def _restricted(query: Select, condition: ColumnBase | None) -> Select:
    return query if condition is None else query.where(condition)


def _by_code(
    by: By, entry_filters: list[FieldFilter], contact_filters: list[FieldFilter]
) -> list[CodeStatistics]:
    entry = InteractionLogEntry
    column = entry.interaction_template_code if by == "template" else entry.interaction_group_code
    query: Select = entry.select(column, *_aggregates(entry))
    if contact_filters:
        owner = Contact.alias("stats_contact")
        query = query.join(owner, on=(owner.no == entry.contact_no)).where(
            criteria_condition(contact_filters, owner)
        )
    query = _restricted(query, _entry_condition(entry_filters, entry))
    rows = {str(code or ""): _figures(rest) for code, *rest in tuples(query.group_by(column))}
    setup: Any = InteractionTemplate if by == "template" else InteractionGroup
    names = {
        str(code): str(text) for code, text in tuples(setup.select(setup.code, setup.description))
    }
    records: list[CodeStatistics] = []
    for code in sorted(set(names) | set(rows)):
        figures = rows.get(code) or _figures((0, 0, 0, None, None))
        records.append(
            {
                "code": code,
                "description": names.get(code, ""),
                # BC's templates and groups have no Last Date Attempted
                "no_of_interactions": figures["no_of_interactions"],
                "cost_lcy": figures["cost_lcy"],
                "duration_min": figures["duration_min"],
                "date_of_last_interaction": figures["date_of_last_interaction"],
            }
        )
    return records


def _per_contact_query(entry_filters: list[FieldFilter]) -> tuple[Any, Any]:
    """(the figures per contact, the CTE it reads): persons' (and companyless contacts')
    own entries, and per company its own and its persons' entries logged while they
    belonged to it. One scan of the entries groups them by (contact, company); the two
    roll-ups read that small table."""
    entry = InteractionLogEntry
    # Grouping on expressions keeps SQLite from walking the (contact_no, date) index and
    # fetching every row at random: a scan with a sorter is ~4x faster at 1M entries.
    contact_key = fn.COALESCE(entry.contact_no, "")
    company_key = fn.COALESCE(entry.contact_company_no, "")
    grouped = _restricted(
        entry.select(contact_key.alias("no"), company_key.alias("co"), *_aggregates(entry)),
        _entry_condition(entry_filters, entry),
    ).group_by(contact_key, company_key)
    cte = grouped.cte("entry_figures", materialized=True)
    rollup = [
        fn.SUM(cte.c.no_of_interactions).alias("no_of_interactions"),
        fn.SUM(cte.c.cost_lcy).alias("cost_lcy"),
        fn.SUM(cte.c.duration_min).alias("duration_min"),
        fn.MAX(cte.c.date_of_last_interaction).alias("date_of_last_interaction"),
        fn.MAX(cte.c.last_date_attempted).alias("last_date_attempted"),
    ]
    member = Contact.alias("stats_member")
    own = (
        Select([cte], [cte.c.no.alias("no"), *rollup])
        .join(member, on=(member.no == cte.c.no))
        .where(member.type != "company")
        .group_by(cte.c.no)
    )
    company = (
        Select([cte], [member.company_no.alias("no"), *rollup])
        .join(member, on=(member.no == cte.c.no))
        .where(member.company_no.is_null(False) & (cte.c.co == member.company_no))
        .group_by(member.company_no)
    )
    return own + company, cte  # UNION ALL: a contact is in one of the two, never both


def _by_contact(
    entry_filters: list[FieldFilter], contact_filters: list[FieldFilter]
) -> list[ContactStatistics]:
    union, cte = _per_contact_query(entry_filters)
    figures = union.alias("figures")
    contact = Contact.alias("stats_contact")
    query = (
        contact.select(
            contact.no,
            contact.name,
            contact.type,
            contact.company_name,
            *[getattr(figures.c, name) for name in FIGURES],
        )
        .join(figures, on=(figures.c.no == contact.no))
        .order_by(contact.no)
        .with_cte(cte)
    )
    if contact_filters:
        query = query.where(criteria_condition(contact_filters, contact))
    return [
        {
            "contact_no": no,
            "name": name,
            "type": kind,
            "company_name": company or "",
            **_figures(rest),
        }
        for no, name, kind, company, *rest in tuples(query)
    ]


@overload
def statistics(by: Literal["contact"], where: Sequence[str] = ()) -> list[ContactStatistics]: ...


@overload
def statistics(
    by: Literal["template", "group"], where: Sequence[str] = ()
) -> list[CodeStatistics]: ...


@overload
def statistics(
    by: By, where: Sequence[str] = ()
) -> list[ContactStatistics] | list[CodeStatistics]: ...


def statistics(by: By, where: Sequence[str] = ()) -> list[ContactStatistics] | list[CodeStatistics]:
    """Statistics per contact, interaction template or interaction group (see module)."""
    if by not in BY_CHOICES:
        raise UserError(f"by: {by!r} is not one of {', '.join(BY_CHOICES)}", field="by")
    entry_filters, contact_filters = _split(where)
    if by == "contact":
        return _by_contact(entry_filters, contact_filters)
    return _by_code(by, entry_filters, contact_filters)


def contact_statistics(contact_no: str) -> ContactStatistics:
    """BC's contact statistics (interactions part) for one contact, zeros included."""
    contact = get_contact(contact_no)
    entry = InteractionLogEntry
    query = entry.select(*_aggregates(entry))
    if contact.type == "company":
        # The company's and its persons' entries; the IN list uses the contact index.
        members = Contact.select(Contact.no).where(Contact.company_no == contact.no)
        query = query.where(
            entry.contact_no.in_(members) & (entry.contact_company_no == contact.no)
        )
    else:
        query = query.where(entry.contact_no == contact.no)
    (row,) = tuples(query)
    return {
        "contact_no": contact.no,
        "name": contact.name,
        "type": contact.type,
        "company_name": contact.company_name or "",
        **_figures(row),
    }
