"""Initialising segment lines from the header and the contact, in SQL.

BC runs ``InitLine`` + ``Validate(Contact No.)`` for every line it adds (by hand, Add
Contacts, Reuse, Go Back; docs/business-central.md, "Worksheet: header and header →
lines", a new line). Here the same rules are one ``INSERT … SELECT``, whatever the
number of contacts:

- header values: description, campaign, template, group, cost, duration, date,
  campaign target/response, information flow, initiated by, send as attachment;
- salesperson: the header's when set, else the contact's;
- correspondence type: (1) the header's default when the header ignores the contact's
  type and has one; (2) else, with a template, the template's default when the template
  ignores the contact's type or the contact has none; (3) else the contact's;
- language: the contact's when the segment has a document in it, else the header's
  default; the line's document (attachment) and subject come from that language's row;
- line numbers continue the segment's in steps of 10,000, in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Case, Node, Select, Value, fn

from segment_tui.models import (
    InteractionTemplate,
    SegmentHeader,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.services.values import blank_to_null

LINE_NO_STEP = 10_000

LINE_FIELDS = [
    SegmentLine.segment_no, SegmentLine.line_no, SegmentLine.contact_no, SegmentLine.campaign_no,
    SegmentLine.salesperson_code, SegmentLine.correspondence_type,
    SegmentLine.interaction_template_code, SegmentLine.cost_lcy, SegmentLine.duration_min,
    SegmentLine.attachment_no, SegmentLine.campaign_response, SegmentLine.information_flow,
    SegmentLine.initiated_by, SegmentLine.evaluation, SegmentLine.campaign_target,
    SegmentLine.language_code, SegmentLine.description, SegmentLine.date,
    SegmentLine.contact_company_no, SegmentLine.interaction_group_code,
    SegmentLine.send_word_doc_as_attmt, SegmentLine.subject, SegmentLine.merged,
    SegmentLine.line_note, SegmentLine.added_by_action,
]  # fmt: skip


@dataclass(frozen=True)
class LineDefaults:
    """What a new line takes from its header (and the header's template)."""

    header: SegmentHeader
    template: InteractionTemplate | None
    documents: dict[str, tuple[int | None, str]]
    """The header's document rows (line 0): language -> (attachment no., subject)."""

    @classmethod
    def of(cls, header: SegmentHeader) -> LineDefaults:
        """Read the header's template and document rows once.

        The few document rows become constants in the SQL, so initialising 100,000 lines
        runs no subquery per line.
        """
        template = None
        if header.interaction_template_code:
            template = InteractionTemplate.get_or_none(
                InteractionTemplate.code == header.interaction_template_code
            )
        rows = SegmentInteractionLanguage.select().where(
            (SegmentInteractionLanguage.segment_no == header.no)
            & (SegmentInteractionLanguage.segment_line_no == 0)
        )
        documents = {r.language_code: (r.attachment_no, r.subject) for r in rows}
        return cls(header, template, documents)


def correspondence_type_expr(defaults: LineDefaults, contact: Any) -> Node:
    """BC's three-step correspondence type resolution as an SQL expression
    (docs/business-central.md, "Worksheet: header and header → lines", a new line)."""
    header, template = defaults.header, defaults.template
    if header.ignore_contact_corres_type and header.correspondence_type_default:
        return Value(header.correspondence_type_default)
    if template is not None:
        if template.ignore_contact_corres_type:
            return Value(template.correspondence_type_default)
        return Case(
            None,
            [(contact.correspondence_type == "", Value(template.correspondence_type_default))],
            contact.correspondence_type,
        )
    column: Node = contact.correspondence_type
    return column


def language_expr(defaults: LineDefaults, contact: Any) -> Node:
    """The contact's language when the segment has a document in it, else the default."""
    default = Value(blank_to_null(defaults.header.language_code_default))
    languages = [code for code in defaults.documents if code]
    if not languages:
        return default
    return Case(None, [(contact.language_code.in_(languages), contact.language_code)], default)


def _document_column(defaults: LineDefaults, contact: Any, index: int, blank: Any) -> Node:
    """The attachment no. (index 0) or subject (index 1) of the line's language's row."""
    default_language = defaults.header.language_code_default or ""
    fallback = defaults.documents.get(default_language, (None, ""))[index]
    fallback = blank if fallback is None else fallback
    cases = [
        (contact.language_code == code, Value(row[index] if row[index] is not None else blank))
        for code, row in defaults.documents.items()
        if code and code != default_language
    ]
    return Case(None, cases, Value(fallback)) if cases else Value(fallback)


def line_values(
    defaults: LineDefaults,
    contact: Any,
    line_no: Node,
    action_no: Node,
    *,
    campaign_no: Node | None = None,
) -> list[Node]:
    """The SELECT list (in :data:`LINE_FIELDS` order) initialising a line for ``contact``."""
    header = defaults.header
    language = language_expr(defaults, contact)
    return [
        Value(header.no),
        line_no,
        contact.no,
        campaign_no if campaign_no is not None else Value(blank_to_null(header.campaign_no)),
        fn.COALESCE(Value(blank_to_null(header.salesperson_code)), contact.salesperson_code),
        correspondence_type_expr(defaults, contact),
        Value(blank_to_null(header.interaction_template_code)),
        Value(header.unit_cost_lcy),
        Value(header.unit_duration_min),
        _document_column(defaults, contact, 0, None),
        Value(header.campaign_response),
        Value(header.information_flow),
        Value(header.initiated_by),
        Value(""),
        Value(header.campaign_target),
        language,
        Value(header.description),
        Value(header.date),
        fn.COALESCE(contact.company_no, ""),
        Value(blank_to_null(header.interaction_group_code)),
        Value(header.send_word_docs_as_attmt),
        _document_column(defaults, contact, 1, ""),
        Value(False),
        Value(""),
        action_no,
    ]


def last_line_no(segment_no: str) -> int:
    """The highest line number of a segment (0 when it has no lines)."""
    value = (
        SegmentLine.select(fn.MAX(SegmentLine.line_no))
        .where(SegmentLine.segment_no == segment_no)
        .scalar()
    )
    return int(value or 0)


def insert_lines(
    defaults: LineDefaults,
    source: Select,
    contact: Any,
    order_by: Sequence[Node],
    action_no: int | Node,
    *,
    campaign_no: Node | None = None,
    first_line_no: int | None = None,
) -> int:
    """Append one initialised line per row of ``source`` (a query with ``contact`` in its
    FROM), numbered in ``order_by`` order after the segment's last line; returns the count.
    """
    base = (
        last_line_no(defaults.header.no) if first_line_no is None else first_line_no - LINE_NO_STEP
    )
    line_no = Value(base) + fn.ROW_NUMBER().over(order_by=list(order_by)) * LINE_NO_STEP
    action = action_no if isinstance(action_no, Node) else Value(action_no)
    query = source.select(*line_values(defaults, contact, line_no, action, campaign_no=campaign_no))
    return int(SegmentLine.insert_from(query, LINE_FIELDS).as_rowcount().execute())
