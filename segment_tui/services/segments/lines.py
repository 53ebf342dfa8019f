"""Segment lines edited by hand: add, change, remove (docs/business-central.md, "Criteria
engine": typing in the lines is criteria too; "Worksheet: header and header → lines": a
new line, a line's own template).

Adding or removing a contact by hand is a criteria action ("Add Contacts: No.=X" or
"Remove Contacts (Reduce): No.=X") with its history, so Go Back undoes it, as in BC.
A line's own template makes its document "Unique" and recomputes the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from segment_tui.db import write_transaction
from segment_tui.errors import NotFoundError, UserError, testfield_message
from segment_tui.filters import format_value
from segment_tui.models import (
    Campaign,
    Contact,
    InteractionTemplate,
    Language,
    Salesperson,
    SegmentHeader,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    EVALUATIONS,
    INFORMATION_FLOWS,
    INITIATED_BY,
)
from segment_tui.questions import NO_ANSWERS, Answers
from segment_tui.services.criteria.actions import (
    ActionResult,
    append_action,
    get_header,
    record_history,
    settle_empty_segment,
)
from segment_tui.services.criteria.fields import FIELDS, FieldFilter, parse_field_filter
from segment_tui.services.documents.segment_documents import (
    create_interactions,
    delete_interactions,
)
from segment_tui.services.segments.line_init import LineDefaults, insert_lines, last_line_no
from segment_tui.services.values import (
    blank_to_null,
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_enum,
    parse_int,
    parse_text,
)

if TYPE_CHECKING:  # the line's record is read when a change is done (start-up time)
    from segment_tui.services.segments.view import LineRecord

LINE_FIELDS_EDITABLE = (
    "contact_no", "correspondence_type", "description", "salesperson_code",
    "interaction_template_code", "language_code", "subject", "evaluation", "cost_lcy",
    "duration_min", "date", "campaign_no", "campaign_target", "campaign_response",
    "information_flow", "initiated_by", "line_note", "send_word_doc_as_attmt",
    "attempt_failed", "contact_via",
)  # fmt: skip


def get_line(segment_no: str, line_no: int) -> SegmentLine:
    """One line of a segment, or BC's "does not exist" error."""
    line = SegmentLine.get_or_none(
        (SegmentLine.segment_no == segment_no.strip().upper()) & (SegmentLine.line_no == line_no)
    )
    if line is None:
        raise NotFoundError(
            "The Segment Line does not exist. Identification fields and values: "
            f"Segment No.='{segment_no.strip().upper()}',Line No.='{line_no}'"
        )
    return line


def contact_filter(contact_no: str) -> list[FieldFilter]:
    """The ``No.=X`` filter BC records for a contact typed into a line."""
    return [parse_field_filter("no", format_value(contact_no, FIELDS["no"].spec))]


def _existing_contact(contact_no: str) -> str:
    return parse_code("contact_no", contact_no, 20, Contact, "Contact")


def _insert_contact(header: SegmentHeader, contact_no: str, line_no: int | None) -> int:
    """Record "Add Contacts: No.=X" and add the contact on a line; returns the line no."""
    action_no = append_action(header.no, "add", contact_filter(contact_no))
    contact = Contact.alias("typed")
    target = line_no if line_no is not None else last_line_no(header.no) + 10_000
    insert_lines(
        LineDefaults.of(header),
        contact.select().where(contact.no == contact_no),
        contact,
        [contact.no],
        action_no,
        first_line_no=target,
    )
    record_history(
        header.no,
        action_no,
        SegmentLine.select().where(
            (SegmentLine.segment_no == header.no) & (SegmentLine.line_no == target)
        ),
        "insertion",
    )
    return target


def _remove(header: SegmentHeader, line: SegmentLine) -> int:
    """Record "Remove Contacts (Reduce): No.=X" and delete the line; returns the action no."""
    action_no = append_action(header.no, "reduce", contact_filter(line.contact_no))
    record_history(
        header.no, action_no, SegmentLine.select().where(SegmentLine.id == line.id), "deletion"
    )
    SegmentLine.delete().where(SegmentLine.id == line.id).execute()
    return action_no


def add_line(segment_no: str, contact_no: str, *, line_no: int | None = None) -> LineRecord:
    """Type a contact into a new line (at ``line_no``, else after the last line)."""
    with write_transaction():
        header = get_header(segment_no)
        code = _existing_contact(contact_no)
        if not code:
            raise UserError(
                testfield_message("Contact No.", "Segment Line", f"Segment No.={header.no}")
            )
        if line_no is not None and (
            SegmentLine.select()
            .where((SegmentLine.segment_no == header.no) & (SegmentLine.line_no == line_no))
            .exists()
        ):
            raise UserError(f"Segment {header.no} already has a line {line_no}.", field="line_no")
        new_line_no = _insert_contact(header, code, line_no)
    from segment_tui.services.segments.view import line_record

    return line_record(header.no, new_line_no)


def remove_line(segment_no: str, line_no: int, *, answers: Answers = NO_ANSWERS) -> ActionResult:
    """Delete a line (a Reduce action on its contact, undoable with Go Back); emptying
    the segment asks :data:`segment_tui.services.criteria.actions.RESET_EMPTY_SEGMENT`."""
    with write_transaction():
        header = get_header(segment_no)
        line = get_line(header.no, line_no)
        if not line.contact_no:
            SegmentLine.delete().where(SegmentLine.id == line.id).execute()
            return ActionResult(0, removed=1)
        action_no = _remove(header, line)
        reset = settle_empty_segment(header.no, action_no, 1, answers)
    return ActionResult(action_no, removed=1, criteria_reset=reset)


def parse_line_value(field: str, raw: object) -> Any:
    """A typed line value, validated; its type is the field's (hence Any: a code, a date,
    an amount, …, by ``field``)."""
    if field not in LINE_FIELDS_EDITABLE:
        raise UserError(f"{field}: not a segment line field you can change", field=field)
    if field in ("description", "subject"):
        return parse_text(field, str(raw), 100)
    if field == "contact_via":
        return parse_text(field, str(raw), 80)
    if field == "line_note":
        return parse_text(field, str(raw), 2000)
    if field == "contact_no":
        return parse_code(field, raw, 20, Contact, "Contact")
    if field == "salesperson_code":
        return parse_code(field, raw, 20, Salesperson, "Salesperson/Purchaser")
    if field == "campaign_no":
        return parse_code(field, raw, 20, Campaign, "Campaign")
    if field == "interaction_template_code":
        return parse_code(field, raw, 10, InteractionTemplate, "Interaction Template")
    if field == "language_code":
        return parse_code(field, raw, 10, Language, "Language")
    if field == "correspondence_type":
        return parse_enum(field, raw, CORRESPONDENCE_TYPES)
    if field == "evaluation":
        return parse_enum(field, raw, EVALUATIONS)
    if field == "information_flow":
        return parse_enum(field, raw, INFORMATION_FLOWS)
    if field == "initiated_by":
        return parse_enum(field, raw, INITIATED_BY)
    if field == "cost_lcy":
        return parse_decimal(field, raw)
    if field == "duration_min":
        return parse_int(field, raw)
    if field == "date":
        return parse_date(field, raw)
    return parse_bool(field, raw)


_REFS = {
    "salesperson_code",
    "campaign_no",
    "interaction_template_code",
    "language_code",
    "interaction_group_code",
}


def _sil_row(segment_no: str, line_no: int, language: str) -> SegmentInteractionLanguage | None:
    row: SegmentInteractionLanguage | None = SegmentInteractionLanguage.get_or_none(
        (SegmentInteractionLanguage.segment_no == segment_no)
        & (SegmentInteractionLanguage.segment_line_no == line_no)
        & (SegmentInteractionLanguage.language_code == (language or ""))
    )
    return row


def _line_template(header: SegmentHeader, line: SegmentLine, code: str) -> dict[str, object]:
    """BC's line Interaction Template Code validation: the line's new values
    (docs/business-central.md, "Worksheet: header and header → lines", a line's own
    template)."""
    if not line.contact_no:
        raise UserError(testfield_message("Contact No.", "Segment Line", _line_key(line)))
    contact = Contact.get(Contact.no == line.contact_no)
    template = InteractionTemplate.get_or_none(InteractionTemplate.code == code) if code else None
    previous_type = line.correspondence_type
    delete_interactions(header.no, line.line_no)
    values: dict[str, object] = {
        "interaction_template_code": code, "attachment_no": None, "language_code": "",
        "subject": "", "interaction_group_code": "", "cost_lcy": 0, "duration_min": 0,
        "information_flow": "", "initiated_by": "", "campaign_target": False,
        "campaign_response": False, "correspondence_type": "",
    }  # fmt: skip
    if template is None:
        return values
    own_line = 0
    if code != header.interaction_template_code:
        create_interactions(header.no, code, line.line_no)
        own_line = line.line_no
    language = contact.language_code or ""
    if _sil_row(header.no, own_line, language) is None:
        fallback = template.language_code_default if own_line else header.language_code_default
        language = fallback or ""
        if own_line and _sil_row(header.no, own_line, language) is None:
            first = (
                SegmentInteractionLanguage.select()
                .where(
                    (SegmentInteractionLanguage.segment_no == header.no)
                    & (SegmentInteractionLanguage.segment_line_no == own_line)
                )
                .order_by(SegmentInteractionLanguage.language_code)
                .first()
            )
            language = first.language_code if first else language
    row = _sil_row(header.no, own_line, language)
    changed_from_other = (
        bool(line.interaction_template_code) and line.interaction_template_code != code
    )
    values.update(
        language_code=language,
        attachment_no=row.attachment_no if row else None,
        subject=row.subject if row else "",
        interaction_group_code=template.interaction_group_code,
        cost_lcy=template.unit_cost_lcy,
        duration_min=template.unit_duration_min,
        information_flow=template.information_flow,
        initiated_by=template.initiated_by,
        campaign_target=template.campaign_target,
        campaign_response=template.campaign_response,
        campaign_no=header.campaign_no or template.campaign_no or "",
    )
    if not line.description or changed_from_other:
        values["description"] = template.description
    # SetCorrespondenceType: header rule, template rule, contact's, else the old value.
    if header.ignore_contact_corres_type and header.correspondence_type_default:
        values["correspondence_type"] = header.correspondence_type_default
    elif template.ignore_contact_corres_type or (
        not contact.correspondence_type and template.correspondence_type_default
    ):
        values["correspondence_type"] = template.correspondence_type_default
    elif contact.correspondence_type:
        values["correspondence_type"] = contact.correspondence_type
    else:
        values["correspondence_type"] = previous_type
    return values


def _line_language(header: SegmentHeader, line: SegmentLine, code: str) -> dict[str, object]:
    """A language picked by hand takes that language's document and subject."""
    if not line.interaction_template_code:
        raise UserError(
            testfield_message("Interaction Template Code", "Segment Line", _line_key(line)),
            field="language_code",
        )
    own = (
        SegmentInteractionLanguage.select()
        .where(
            (SegmentInteractionLanguage.segment_no == header.no)
            & (SegmentInteractionLanguage.segment_line_no == line.line_no)
        )
        .exists()
    )
    row = _sil_row(header.no, line.line_no if own else 0, code)
    return {
        "language_code": code,
        "attachment_no": row.attachment_no if row else None,
        "subject": row.subject if row else "",
    }


def _line_key(line: SegmentLine) -> str:
    return f"Segment No.={line.segment_no}, Line No.={line.line_no}"


def set_line_fields(segment_no: str, line_no: int, changes: Mapping[str, object]) -> LineRecord:
    """Change fields of a line with BC's validations; returns the line's record."""
    parsed = {field: parse_line_value(field, raw) for field, raw in changes.items()}
    with write_transaction():
        header = get_header(segment_no)
        line = get_line(header.no, line_no)
        for field, value in parsed.items():
            if field == "contact_no":
                if value == line.contact_no:
                    continue
                if not value:
                    raise UserError("contact_no: remove the line instead of blanking its contact.")
                if line.contact_no:
                    _remove(header, line)
                else:
                    SegmentLine.delete().where(SegmentLine.id == line.id).execute()
                _insert_contact(header, value, line.line_no)
                line = get_line(header.no, line_no)
                continue
            if field == "interaction_template_code":
                values = _line_template(header, line, value)
            elif field == "language_code":
                values = _line_language(header, line, value)
            else:
                values = {field: value}
            stored = {k: blank_to_null(v) if k in _REFS else v for k, v in values.items()}
            SegmentLine.update(**stored).where(SegmentLine.id == line.id).execute()
            line = get_line(header.no, line_no)
    from segment_tui.services.segments.view import line_record

    return line_record(header.no, line_no)
