"""What a lookup (F4) offers for a code field: (code, description) pairs, searchable.

The search matches the start of the code or any part of the description, case-
insensitively; lists are capped so a lookup over a million contacts stays instant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peewee import Model

from segment_tui.db import contains, tuples
from segment_tui.models import (
    BusinessRelation,
    Campaign,
    Contact,
    CountryRegion,
    IndustryGroup,
    InteractionGroup,
    InteractionTemplate,
    JobResponsibility,
    Language,
    LoggedSegment,
    MailingGroup,
    NoSeries,
    ProfileQuestionnaire,
    Salesperson,
    Salutation,
    SavedSegmentCriteria,
    SegmentHeader,
    Territory,
)
from segment_tui.models.enums import (
    CONTACT_TYPES,
    CORRESPONDENCE_TYPES,
    DELIVERY_STATUSES,
    EVALUATIONS,
    INFORMATION_FLOWS,
    INITIATED_BY,
    caption,
)

Rows = list[tuple[str, str]]
LIMIT = 200

# table -> (model, code column, description column)
_TABLES: dict[str, tuple[type[Model], str, str]] = {
    "salesperson": (Salesperson, "code", "name"),
    "interaction_template": (InteractionTemplate, "code", "description"),
    "interaction_group": (InteractionGroup, "code", "description"),
    "language": (Language, "code", "name"),
    "campaign": (Campaign, "no", "description"),
    "country_region": (CountryRegion, "code", "name"),
    "territory": (Territory, "code", "name"),
    "salutation": (Salutation, "code", "description"),
    "mailing_group": (MailingGroup, "code", "description"),
    "industry_group": (IndustryGroup, "code", "description"),
    "business_relation": (BusinessRelation, "code", "description"),
    "job_responsibility": (JobResponsibility, "code", "description"),
    "profile": (ProfileQuestionnaire, "code", "description"),
    "no_series": (NoSeries, "code", "description"),
    "saved_criteria": (SavedSegmentCriteria, "code", "description"),
    "segment": (SegmentHeader, "no", "description"),
    "contact": (Contact, "no", "name"),
}

_OPTIONS: dict[str, tuple[str, ...]] = {
    "correspondence_type": CORRESPONDENCE_TYPES,
    "information_flow": INFORMATION_FLOWS,
    "initiated_by": INITIATED_BY,
    "evaluation": EVALUATIONS,
    "type": CONTACT_TYPES,
    "delivery_status": DELIVERY_STATUSES,
}


def lookup_table(table: str, search: str = "") -> Rows:
    """Codes of a table matching ``search`` (prefix of the code, or part of the text)."""
    model, code_name, text_name = _TABLES[table]
    code: Any = getattr(model, code_name)
    text: Any = getattr(model, text_name)
    query = model.select(code, text).order_by(code).limit(LIMIT)
    needle = search.strip()
    if needle:
        query = query.where(code.startswith(needle.upper()) | contains(text, needle))
    return [(str(c), str(t or "")) for c, t in tuples(query)]


def lookup_logged_segments(search: str = "") -> Rows:
    """Logged segments (entry no. as the code), newest first."""
    query = LoggedSegment.select(
        LoggedSegment.entry_no, LoggedSegment.segment_no, LoggedSegment.description
    ).order_by(LoggedSegment.entry_no.desc())
    needle = search.strip()
    if needle:
        condition = contains(LoggedSegment.segment_no, needle) | contains(
            LoggedSegment.description, needle
        )
        if needle.isdigit():
            condition = condition | (LoggedSegment.entry_no == int(needle))
        query = query.where(condition)
    return [
        (str(no), f"{segment}  {description}")
        for no, segment, description in tuples(query.limit(LIMIT))
    ]


def lookup_option(field: str, search: str = "") -> Rows:
    """The values of an enumeration with BC's captions."""
    needle = search.strip().lower()
    return [
        (value, caption(value) or "(blank)")
        for value in _OPTIONS[field]
        if needle in value or needle in caption(value).lower()
    ]


def lookup_for(table: str) -> Callable[[str], Rows]:
    """A search function for a table (for the UI's lookup dialog)."""
    return lambda search: lookup_table(table, search)


def lookup_for_option(field: str) -> Callable[[str], Rows]:
    """A search function for an enumeration."""
    return lambda search: lookup_option(field, search)


def lookup_boolean(search: str = "") -> Rows:
    """Yes and No (a Yes/No filter's values)."""
    needle = search.strip().lower()
    return [(v, v) for v in ("Yes", "No") if v.lower().startswith(needle)]


def value_lookup(source: str) -> Callable[[str], Rows] | None:
    """The values F4 offers in a filter line for a field whose lookup is ``source``: a
    lookup table, ``logged_segment``, ``option:<enumeration>`` or ``option:boolean``
    (None: the field has no list of values)."""
    if source == "option:boolean":
        return lookup_boolean
    if source.startswith("option:") and source[7:] in _OPTIONS:
        return lookup_for_option(source[7:])
    if source == "logged_segment":
        return lookup_logged_segments
    if source in _TABLES:
        return lookup_for(source)
    return None
