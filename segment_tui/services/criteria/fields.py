"""The fields criteria can filter on, grouped in Business Central's sections, and how a
set of ``field=FILTER`` pairs becomes one SQL condition on a contact (docs/filters.md).

Sections are ANDed. A section matches when one of its rows matches *all* of that
section's filters (BC filters one table view per section). Mailing groups, job
responsibilities, profile answers and interaction log entries are the contact's own;
industry groups and business relations belong to the contact's company, so persons
inherit them (docs/filters.md, "Sections").
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import ColumnBase, Model, Node, fn

from segment_tui.db import dialect
from segment_tui.errors import UserError
from segment_tui.filters import (
    FieldKind,
    FieldSpec,
    Filter,
    FilterSyntaxError,
    parse_filter,
    to_sql,
)
from segment_tui.models import (
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
    InteractionLogEntry,
    ProfileQuestionnaireLine,
)
from segment_tui.models.enums import (
    CONTACT_TYPES,
    CORRESPONDENCE_TYPES,
    EVALUATIONS,
    caption,
    spellings,
)
from segment_tui.services.contacts.fields import CONTACT_FIELDS
from segment_tui.services.setup.work_date import work_date

SECTIONS: tuple[str, ...] = (
    "contact",
    "profile",
    "mailing_group",
    "ile",
    "job_responsibility",
    "industry_group",
    "business_relation",
)
"""BC's order of the request page's data items (and of the criteria lines' filter rows)."""

SECTION_CAPTIONS = {
    "contact": "Contact",
    "profile": "Contact Profile Answer",
    "mailing_group": "Contact Mailing Group",
    "ile": "Interaction Log Entry",
    "job_responsibility": "Contact Job Responsibility",
    "industry_group": "Contact Industry Group",
    "business_relation": "Contact Business Relation",
}


@dataclass(frozen=True)
class CriteriaField:
    """A filterable field: its section, its type for the parser, where its value lives."""

    name: str
    section: str
    spec: FieldSpec
    column: str
    """Column of the section's table (contact columns for the contact section)."""
    caption: str


def _option_spec(name: str, values: tuple[str, ...]) -> FieldSpec:
    return FieldSpec(name, FieldKind.OPTION, options=spellings(values))


def _contact_fields() -> list[CriteriaField]:
    kinds = {"text": FieldKind.TEXT, "code": FieldKind.CODE, "boolean": FieldKind.BOOLEAN}
    fields: list[CriteriaField] = []
    for f in CONTACT_FIELDS:
        if f.kind == "option":
            values = CONTACT_TYPES if f.name == "type" else CORRESPONDENCE_TYPES
            spec = _option_spec(f.name, values)
        else:
            spec = FieldSpec(f.name, kinds[f.kind], max_length=f.length or None)
        fields.append(CriteriaField(f.name, "contact", spec, f.name, f.caption))
    return fields


def _related(name: str, section: str, kind: FieldKind, column: str, caption: str,
             length: int | None = None) -> CriteriaField:  # fmt: skip
    return CriteriaField(name, section, FieldSpec(name, kind, max_length=length), column, caption)


FIELDS: dict[str, CriteriaField] = {
    f.name: f
    for f in [
        *_contact_fields(),
        _related("mailing_group", "mailing_group", FieldKind.CODE, "mailing_group_code",
                 "Mailing Group Code", 10),
        _related("industry_group", "industry_group", FieldKind.CODE, "industry_group_code",
                 "Industry Group Code", 10),
        _related("business_relation", "business_relation", FieldKind.CODE,
                 "business_relation_code", "Business Relation Code", 10),
        _related("job_responsibility", "job_responsibility", FieldKind.CODE,
                 "job_responsibility_code", "Job Responsibility Code", 10),
        _related("profile", "profile", FieldKind.CODE, "profile_questionnaire_code",
                 "Profile Questionnaire Code", 20),
        _related("profile.line", "profile", FieldKind.INTEGER, "line_no", "Line No."),
        _related("profile.answer", "profile", FieldKind.TEXT, "answer", "Answer"),
        _related("ile.date", "ile", FieldKind.DATE, "date", "Date"),
        _related("ile.segment_no", "ile", FieldKind.CODE, "segment_no", "Segment No.", 20),
        _related("ile.campaign_no", "ile", FieldKind.CODE, "campaign_no", "Campaign No.", 20),
        CriteriaField("ile.evaluation", "ile", _option_spec("ile.evaluation", EVALUATIONS),
                      "evaluation", "Evaluation"),
        _related("ile.template", "ile", FieldKind.CODE, "interaction_template_code",
                 "Interaction Template Code", 10),
        _related("ile.salesperson_code", "ile", FieldKind.CODE, "salesperson_code",
                 "Salesperson Code", 20),
        _related("ile.logged_segment", "ile", FieldKind.INTEGER, "logged_segment_entry_no",
                 "Logged Segment Entry No."),
        _related("ile.canceled", "ile", FieldKind.BOOLEAN, "canceled", "Canceled"),
    ]
}  # fmt: skip
ALIASES = {
    "ile.interaction_template_code": "ile.template",
    "ile.logged_segment_entry_no": "ile.logged_segment",
}


@dataclass(frozen=True)
class FieldFilter:
    """One ``field=FILTER`` pair, parsed."""

    field: CriteriaField
    filter: Filter

    @property
    def text(self) -> str:
        """The filter as the user typed it."""
        return self.filter.text

    def __str__(self) -> str:
        return f"{self.field.name}={self.filter.text}"


def field_names() -> list[str]:
    """Every filterable field name (for completion and error messages)."""
    return list(FIELDS)


def field_rows(search: str = "") -> list[tuple[str, str, str]]:
    """(name, caption, section caption) of the filterable fields matching ``search``, in
    BC's section order (what F4 on a field cell lists)."""
    needle = search.strip().lower()
    rows: list[tuple[str, str, str]] = []
    for section in SECTIONS:
        group = SECTION_CAPTIONS[section]
        for f in FIELDS.values():
            if f.section != section:
                continue
            if needle and not (needle in f.name or needle in f.caption.lower()):
                continue
            rows.append((f.name, f.caption, group))
    return rows


def unknown_field_message(name: str, *, list_fields: bool = True) -> str:
    """ "unknown field 'cty' (did you mean city?)"; when nothing is close, the whole list
    (``list_fields``: for the command line, where there is no completion to help)."""
    close = difflib.get_close_matches(name.strip().lower(), list(FIELDS), n=1)
    if close:
        return f"unknown field {name.strip()!r} (did you mean {close[0]}?)"
    listing = f"; fields: {', '.join(FIELDS)}" if list_fields else ""
    return f"unknown field {name.strip()!r}{listing}"


def parse_field_filter(name: str, text: str, *, list_fields: bool = True) -> FieldFilter:
    """Parse one filter for a named field; a UserError names the field and the position."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    spec_field = FIELDS.get(key)
    if spec_field is None:
        raise UserError(unknown_field_message(name, list_fields=list_fields), field=name.strip())
    try:
        return FieldFilter(spec_field, parse_filter(text, spec_field.spec, work_date=work_date()))
    except FilterSyntaxError as err:
        raise UserError(f"filter {err}", field=key) from None


def parse_where(items: Iterable[str], *, list_fields: bool = True) -> list[FieldFilter]:
    """Parse ``field=FILTER`` items (``--where`` arguments, dialog rows); an unknown field's
    message lists every field only with ``list_fields`` (the command line)."""
    parsed: list[FieldFilter] = []
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"expected FIELD=FILTER, got {item!r}")
        parsed.append(parse_field_filter(name, text, list_fields=list_fields))
    return parsed


def by_section(filters: Sequence[FieldFilter]) -> dict[str, list[FieldFilter]]:
    """The filters grouped by section, sections in BC's order (only those with filters)."""
    groups: dict[str, list[FieldFilter]] = {}
    for section in SECTIONS:
        items = [f for f in filters if f.field.section == section]
        if items:
            groups[section] = items
    return groups


def table_view(filters: Sequence[FieldFilter]) -> str:
    """How a section's filters are stored in a criteria line (JSON list of [field, text])."""
    return json.dumps([[f.field.name, f.text] for f in filters], ensure_ascii=False)


def filters_from_table_view(view: str) -> list[FieldFilter]:
    """The filters a criteria line stored (see :func:`table_view`)."""
    return [parse_field_filter(name, text) for name, text in json.loads(view)]


def table_view_items(view: str) -> list[tuple[str, str]]:
    """A criteria line's filters as (caption, filter text) pairs, in order."""
    items = []
    for name, text in json.loads(view):
        spec_field = FIELDS.get(name)
        items.append((spec_field.caption if spec_field else name, str(text)))
    return items


def describe_table_view(view: str) -> str:
    """A criteria line's filters as people read them: ``City: London|Paris, Type: Person``."""
    return ", ".join(f"{label}: {text}" for label, text in table_view_items(view))


def _compile(flt: FieldFilter, column: Node) -> ColumnBase:
    return to_sql(flt.filter, column, dialect=dialect())


def _all(conditions: list[ColumnBase]) -> ColumnBase:
    # Halves, not a chain: 2,000 --where items chained nest past Python's recursion limit.
    if len(conditions) == 1:
        return conditions[0]
    middle = len(conditions) // 2
    return _all(conditions[:middle]) & _all(conditions[middle:])


def section_condition(section: str, filters: Sequence[FieldFilter], contact: Any) -> ColumnBase:
    """The condition a contact (an alias of Contact) meets for one section's filters."""
    if section == "contact":
        return _all([_compile(f, getattr(contact, f.field.column)) for f in filters])
    model: type[Model]
    link: ColumnBase
    if section == "ile":
        model = InteractionLogEntry
        # BC matches entries of the contact at its current company (docs/filters.md,
        # "Sections").
        link = (InteractionLogEntry.contact_no == contact.no) & (
            InteractionLogEntry.contact_company_no == fn.COALESCE(contact.company_no, "")
        )
    else:
        model = {
            "mailing_group": ContactMailingGroup,
            "job_responsibility": ContactJobResponsibility,
            "industry_group": ContactIndustryGroup,
            "business_relation": ContactBusinessRelation,
            "profile": ContactProfileAnswer,
        }[section]
        owner = (
            contact.company_no if section in ("industry_group", "business_relation") else contact.no
        )
        link = model.contact_no == owner  # type: ignore[attr-defined]
    conditions: list[ColumnBase] = [link]
    for f in filters:
        column: Node
        if f.field.column == "answer":
            answer = ProfileQuestionnaireLine.alias("answer_line")
            column = answer.select(answer.description).where(
                (
                    answer.profile_questionnaire_code
                    == ContactProfileAnswer.profile_questionnaire_code
                )
                & (answer.line_no == ContactProfileAnswer.line_no)
            )
        else:
            column = getattr(model, f.field.column)
        conditions.append(_compile(f, column))
    return fn.EXISTS(model.select(model._meta.primary_key).where(_all(conditions)))


def criteria_condition(filters: Sequence[FieldFilter], contact: Any) -> ColumnBase | None:
    """The condition for all sections (ANDed); None when there are no filters (all match)."""
    groups = by_section(filters)
    if not groups:
        return None
    return _all([section_condition(s, fs, contact) for s, fs in groups.items()])


def describe_filters(filters: Sequence[FieldFilter]) -> str:
    """``city=London|Paris, type=Person`` — for messages and the criteria list."""
    return ", ".join(str(f) for f in filters) or "(no filters)"


def option_caption(value: str) -> str:
    """Caption of a stored option value (re-exported for the criteria screen)."""
    return caption(value)


FIELD_LOOKUPS: dict[str, str] = {
    "no": "contact", "company_no": "contact", "salesperson_code": "salesperson",
    "territory_code": "territory", "country_region_code": "country_region",
    "language_code": "language", "salutation_code": "salutation",
    "mailing_group": "mailing_group", "industry_group": "industry_group",
    "business_relation": "business_relation", "job_responsibility": "job_responsibility",
    "profile": "profile", "ile.segment_no": "segment", "ile.campaign_no": "campaign",
    "ile.template": "interaction_template", "ile.salesperson_code": "salesperson",
}  # fmt: skip
"""Which lookup table offers the codes of a filter field (F4 in the criteria dialog)."""

FIELD_OPTIONS: dict[str, str] = {
    "type": "type", "correspondence_type": "correspondence_type", "ile.evaluation": "evaluation",
}  # fmt: skip
"""Which enumeration offers the values of an option filter field."""


def value_source(name: str) -> str:
    """Where F4 finds a criteria field's values (see
    :func:`segment_tui.services.setup.lookups.value_lookup`):
    its lookup table, ``option:<enumeration>``, ``option:boolean``, or blank."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key in FIELD_LOOKUPS:
        return FIELD_LOOKUPS[key]
    if key in FIELD_OPTIONS:
        return f"option:{FIELD_OPTIONS[key]}"
    spec_field = FIELDS.get(key)
    if spec_field is not None and spec_field.spec.kind is FieldKind.BOOLEAN:
        return "option:boolean"
    return ""
