"""What a caller gives Create Interaction, made safe to log: the wizard's fields typed
and checked.

:func:`parse_values` types the caller's fields by name (:data:`FIELDS`; an unknown or
malformed one is refused naming it); :func:`check_line` runs BC's checks of the wizard
and of Log in BC's order, with BC's messages. :mod:`.create` puts them
together in one transaction (the line becomes the entry through
:mod:`segment_tui.services.log.entry_copy`, as
Log's lines do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TypedDict, cast

from segment_tui.errors import UserError
from segment_tui.models import (
    Campaign,
    Contact,
    Language,
    Salesperson,
)
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    EVALUATIONS,
    INFORMATION_FLOWS,
    INITIATED_BY,
)
from segment_tui.services.documents.merge_preview import NO_DOCUMENT
from segment_tui.services.values import (
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_enum,
    parse_int,
    parse_text,
)

DESCRIPTION_MANDATORY = "Description is mandatory."
FIELD_NOT_FILLED = "You must fill in the {field} field."
ATTACHMENT_REQUIRED = (
    "The correspondence type for this interaction is Email, which requires an interaction "
    "template with an attachment or Word template. To continue, you can either change the "
    "correspondence type for the contact, select an interaction template that has a "
    "different correspondence type, or select a template that ignores the contact "
    "correspondence type."
)
NO_EMAIL = (
    "Make sure that the Email field is specified for either contact no. {no} or the contact "
    "alternative address."
)

FIELDS = (
    "interaction_template_code", "description", "correspondence_type", "evaluation",
    "salesperson_code", "date", "time_of_interaction", "campaign_no", "campaign_target",
    "campaign_response", "cost_lcy", "duration_min", "information_flow", "initiated_by",
    "language_code", "attempt_failed", "send_word_doc_as_attmt", "line_note",
)  # fmt: skip
"""The values a caller may give (others are refused by name)."""


class InteractionValues(TypedDict, total=False):
    """The wizard's fields a caller gave (:data:`FIELDS`), typed."""

    interaction_template_code: str
    description: str
    correspondence_type: str
    evaluation: str
    salesperson_code: str
    date: dt.date | None
    time_of_interaction: dt.time | None
    campaign_no: str
    campaign_target: bool
    campaign_response: bool
    cost_lcy: Decimal
    duration_min: int
    information_flow: str
    initiated_by: str
    language_code: str
    attempt_failed: bool
    send_word_doc_as_attmt: bool
    line_note: str


class InteractionDefaults(TypedDict):
    """Create Interaction's fields before the user changes anything: the contact, and
    with a template everything it brings; ``has_document``: the template has a Word
    document in the chosen language."""

    contact_no: str
    contact_name: str
    interaction_template_code: str
    description: str
    correspondence_type: str
    evaluation: str
    salesperson_code: str
    date: dt.date | None
    time_of_interaction: dt.time | None
    campaign_no: str
    campaign_target: bool
    campaign_response: bool
    cost_lcy: Decimal
    duration_min: int
    information_flow: str
    initiated_by: str
    language_code: str
    interaction_group_code: str
    attempt_failed: bool
    send_word_doc_as_attmt: bool
    line_note: str
    has_document: bool


def parse_values(values: Mapping[str, object]) -> InteractionValues:
    """The given values, typed (UserError naming the field on a bad one)."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise UserError(f"unknown field {unknown[0]!r}; fields: {', '.join(FIELDS)}")
    parsed: dict[str, object] = {}
    for field, raw in values.items():
        if raw is None:
            continue
        if field == "interaction_template_code":
            parsed[field] = str(raw).strip().upper()
        elif field == "description":
            parsed[field] = parse_text(field, str(raw), 100)
        elif field == "line_note":
            parsed[field] = parse_text(field, str(raw), 2000)
        elif field == "correspondence_type":
            parsed[field] = parse_enum(field, raw, CORRESPONDENCE_TYPES)
        elif field == "evaluation":
            parsed[field] = parse_enum(field, raw, EVALUATIONS)
        elif field == "information_flow":
            parsed[field] = parse_enum(field, raw, INFORMATION_FLOWS)
        elif field == "initiated_by":
            parsed[field] = parse_enum(field, raw, INITIATED_BY)
        elif field == "salesperson_code":
            parsed[field] = parse_code(field, raw, 20, Salesperson, "Salesperson/Purchaser")
        elif field == "campaign_no":
            parsed[field] = parse_code(field, raw, 20, Campaign, "Campaign")
        elif field == "language_code":
            parsed[field] = parse_code(field, raw, 10, Language, "Language")
        elif field == "date":
            parsed[field] = parse_date(field, raw)
        elif field == "time_of_interaction":
            parsed[field] = _parse_time(raw)
        elif field == "cost_lcy":
            parsed[field] = parse_decimal(field, raw)
        elif field == "duration_min":
            parsed[field] = parse_int(field, raw)
        else:  # campaign_target, campaign_response, attempt_failed, send_word_doc_as_attmt
            parsed[field] = parse_bool(field, raw)
    return cast(InteractionValues, parsed)  # each branch parses its field to its type


def _parse_time(raw: object) -> dt.time | None:
    if isinstance(raw, dt.time):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"time_of_interaction: {raw!r} is not a time (HH:MM).", field="time_of_interaction"
        ) from None


def check_line(
    line: InteractionDefaults, contact: Contact, document: int | None, send: bool
) -> None:
    """BC's CheckStatus and the Log checks, in BC's order (first failure wins)."""
    if not line["description"]:
        raise UserError(DESCRIPTION_MANDATORY, field="description")
    if not line["salesperson_code"]:
        raise UserError(FIELD_NOT_FILLED.format(field="Salesperson Code"), field="salesperson_code")
    if not line["date"]:
        raise UserError(FIELD_NOT_FILLED.format(field="Date"), field="date")
    kind = line["correspondence_type"]
    if kind == "email" and not document:
        raise UserError(ATTACHMENT_REQUIRED, field="correspondence_type")
    if kind == "email" and not contact.email:
        # BC blanks the type silently without Send; this product refuses, as Log does.
        raise UserError(NO_EMAIL.format(no=contact.no), field="correspondence_type")
    if send and kind == "hard_copy" and not document:
        raise UserError(NO_DOCUMENT, field="correspondence_type")
