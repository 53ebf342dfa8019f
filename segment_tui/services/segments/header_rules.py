"""BC's rules for changing a segment header field (``docs/business-central.md``, Worksheet):
which lines follow ("update the segment lines?", default Yes), what a template change
copies into the header, the default language's document row and Subject (Default).

BC's questions are the :class:`~segment_tui.questions.Question` constants below
(:data:`LINE_QUESTIONS` all ask whether the lines follow); one the caller's
:class:`~segment_tui.questions.Answers` does not answer is raised as
:class:`~segment_tui.questions.ConfirmationRequired`.
"""

from __future__ import annotations

from typing import Any

from segment_tui.errors import UserError, testfield_message
from segment_tui.models import (
    Campaign,
    InteractionTemplate,
    Language,
    Salesperson,
    SegmentHeader,
    SegmentInteractionLanguage,
    SegmentLine,
)
from segment_tui.models.enums import CORRESPONDENCE_TYPES, INFORMATION_FLOWS, INITIATED_BY
from segment_tui.questions import Answers, Question
from segment_tui.services.documents.segment_documents import (
    create_interactions,
    delete_interactions,
    header_attachment,
    inherited_condition,
    repoint_inherited_lines,
)
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

CAPTIONS = {
    "no": "No.", "description": "Description", "campaign_no": "Campaign No.",
    "salesperson_code": "Salesperson Code",
    "correspondence_type_default": "Correspondence Type (Default)",
    "interaction_template_code": "Interaction Template Code", "unit_cost_lcy": "Unit Cost (LCY)",
    "unit_duration_min": "Unit Duration (Min.)", "date": "Date",
    "campaign_target": "Campaign Target",
    "information_flow": "Information Flow", "initiated_by": "Initiated By",
    "campaign_response": "Campaign Response", "language_code_default": "Language Code (Default)",
    "send_word_docs_as_attmt": "Send Word Docs. as Attmt.",
    "ignore_contact_corres_type": "Ignore Contact Corres. Type",
    "subject_default": "Subject (Default)",
}  # fmt: skip

PROPAGATED = {
    "description": "description", "campaign_no": "campaign_no",
    "salesperson_code": "salesperson_code", "correspondence_type_default": "correspondence_type",
    "unit_cost_lcy": "cost_lcy", "unit_duration_min": "duration_min", "date": "date",
    "campaign_target": "campaign_target", "information_flow": "information_flow",
    "initiated_by": "initiated_by", "campaign_response": "campaign_response",
    "send_word_docs_as_attmt": "send_word_doc_as_attmt",
}  # fmt: skip
"""Header field -> the line field it updates (BC's UpdateSegLines)."""

NEEDS_TEMPLATE = {
    "language_code_default", "subject_default", "ignore_contact_corres_type",
    "information_flow", "initiated_by", "unit_cost_lcy", "unit_duration_min",
}  # fmt: skip
"""Fields the Segment page only enables when the header has a template (BC's Segment page)."""

EDITABLE = set(CAPTIONS) - {"no"}


UPDATE_LINES = Question(
    "You have modified {field}.\n"
    "Do you want to update the segment lines where the Interaction Template Code is {template}?",
    default=True,
)
"""Asked when a field the lines copy changes and lines have the header's template."""

APPLY_TEMPLATE_TO_LINES = Question(
    "You have modified Interaction Template Code.\n"
    "Do you want to apply the Interaction Template Code {code} to all segment lines?",
    default=True,
)
"""Asked when the template of a segment with lines changes."""

UPDATE_SUBJECT_LINES = Question(
    "You have modified Subject (Default).\nDo you want to update the corresponding segment lines?",
    default=True,
)
"""Asked when Subject (Default) changes and lines have the header's template."""

LINE_QUESTIONS = (UPDATE_LINES, APPLY_TEMPLATE_TO_LINES, UPDATE_SUBJECT_LINES)
"""BC's "update the segment lines?" questions (the CLI's ``--update-lines`` answers all)."""

CREATE_LANGUAGE = Question(
    "Do you want to create Segment Interaction Language {code}?", default=True
)
"""Asked when Language Code (Default) names a language the segment has no document row
for (No: nothing changes)."""


def _key(header: SegmentHeader) -> str:
    return f"No.={header.no}"


def parse_header_value(field: str, raw: object) -> Any:
    """A typed header value, validated (references must exist); its type is the field's
    (hence Any: a code, a date, an amount, …, by ``field``)."""
    if field not in EDITABLE:
        raise UserError(f"{field}: not a segment header field you can change", field=field)
    if field in ("description", "subject_default"):
        return parse_text(field, str(raw), 100)
    if field == "salesperson_code":
        code = parse_code(field, raw, 20, Salesperson, "Salesperson/Purchaser")
        if code and Salesperson.get(Salesperson.code == code).blocked:
            raise UserError(f"Salesperson/Purchaser {code} is blocked.", field=field)
        return code
    if field == "campaign_no":
        return parse_code(field, raw, 20, Campaign, "Campaign")
    if field == "interaction_template_code":
        return parse_code(field, raw, 10, InteractionTemplate, "Interaction Template")
    if field == "language_code_default":
        return parse_code(field, raw, 10, Language, "Language")
    if field == "date":
        return parse_date(field, raw)
    if field == "unit_cost_lcy":
        return parse_decimal(field, raw)
    if field == "unit_duration_min":
        return parse_int(field, raw)
    if field == "correspondence_type_default":
        return parse_enum(field, raw, CORRESPONDENCE_TYPES)
    if field == "information_flow":
        return parse_enum(field, raw, INFORMATION_FLOWS)
    if field == "initiated_by":
        return parse_enum(field, raw, INITIATED_BY)
    return parse_bool(field, raw)


def _affected(header: SegmentHeader) -> Any:
    """Lines that follow the header: those with the header's template."""
    template = header.interaction_template_code or None
    same = (
        SegmentLine.interaction_template_code == template
        if template
        else SegmentLine.interaction_template_code.is_null()
    )
    return (SegmentLine.segment_no == header.no) & same


def _store(header: SegmentHeader, **values: object) -> None:
    for name, value in values.items():
        setattr(header, name, value)
    SegmentHeader.update(
        **{k: blank_to_null(v) if k in _REFS else v for k, v in values.items()}
    ).where(SegmentHeader.no == header.no).execute()


_REFS = {
    "campaign_no", "salesperson_code", "interaction_template_code", "language_code_default",
    "interaction_group_code",
}  # fmt: skip


def _set_template(header: SegmentHeader, code: str, answers: Answers) -> None:
    lines = SegmentLine.select().where(SegmentLine.segment_no == header.no)
    update = True
    if lines.exists():
        update = APPLY_TEMPLATE_TO_LINES.ask(answers, code=code)
        if not update and lines.where(inherited_condition(header.no)).exists():
            raise UserError(
                "Interaction Template Code may not be modified without updating lines when "
                "inherited attachments exist.",
                field="interaction_template_code",
            )
    template = InteractionTemplate.get_or_none(InteractionTemplate.code == code) if code else None
    # UpdateSegHeader: the template's defaults become the header's (CopyFromTemplate).
    defaults: dict[str, object] = {
        "interaction_template_code": code,
        "subject_default": "",
        "language_code_default": template.language_code_default if template else "",
        "interaction_group_code": template.interaction_group_code if template else "",
        "unit_cost_lcy": template.unit_cost_lcy if template else 0,
        "unit_duration_min": template.unit_duration_min if template else 0,
        "information_flow": template.information_flow if template else "",
        "initiated_by": template.initiated_by if template else "",
        "campaign_target": template.campaign_target if template else False,
        "campaign_response": template.campaign_response if template else False,
        "correspondence_type_default": template.correspondence_type_default if template else "",
        "ignore_contact_corres_type": template.ignore_contact_corres_type if template else False,
    }
    if template is None:
        defaults["campaign_no"] = ""
    elif template.campaign_no:
        defaults["campaign_no"] = template.campaign_no
    _store(header, **defaults)
    delete_interactions(header.no)
    if template is not None:
        create_interactions(header.no, template.code)
    if update:
        SegmentLine.update(
            interaction_template_code=blank_to_null(code),
            interaction_group_code=blank_to_null(defaults["interaction_group_code"]),
        ).where(SegmentLine.segment_no == header.no).execute()
        repoint_inherited_lines(header)
        # CopyFromTemplate pushes its correspondence type to the lines directly (as coded
        # in BC, without the document/non-blank check a manual edit of the field has).
        SegmentLine.update(correspondence_type=header.correspondence_type_default).where(
            _affected(header)
        ).execute()


def _propagate(header: SegmentHeader, field: str, value: object) -> None:
    if field == "correspondence_type_default" and (not value or header_attachment(header) is None):
        return  # BC pushes the type only with a document and a non-blank value
    line_field = PROPAGATED[field]
    SegmentLine.update(
        {getattr(SegmentLine, line_field): blank_to_null(value) if field in _REFS else value}
    ).where(_affected(header)).execute()


def _set_language(header: SegmentHeader, code: str, answers: Answers) -> None:
    row = SegmentInteractionLanguage.get_or_none(
        (SegmentInteractionLanguage.segment_no == header.no)
        & (SegmentInteractionLanguage.segment_line_no == 0)
        & (SegmentInteractionLanguage.language_code == code)
    )
    if row is None and code:
        if not CREATE_LANGUAGE.ask(answers, code=code):
            raise UserError("You have canceled the create process.", field="language_code_default")
        SegmentInteractionLanguage.insert(
            segment_no=header.no,
            segment_line_no=0,
            language_code=code,
            description=f"{header.interaction_template_code} {code}",
        ).execute()
    _store(header, language_code_default=code, subject_default=row.subject if row else "")


def _set_subject(header: SegmentHeader, subject: str, answers: Answers) -> None:
    language = header.language_code_default or ""
    row = SegmentInteractionLanguage.get_or_none(
        (SegmentInteractionLanguage.segment_no == header.no)
        & (SegmentInteractionLanguage.segment_line_no == 0)
        & (SegmentInteractionLanguage.language_code == language)
    )
    if row is None:
        raise UserError(
            "Subject (Default) can only be set when the segment has a document in its "
            f"default language ({language or 'blank'}).",
            field="subject_default",
        )
    old = header.subject_default
    update = False
    if SegmentLine.select().where(_affected(header)).exists():
        update = UPDATE_SUBJECT_LINES.ask(answers)
    SegmentInteractionLanguage.update(subject=subject).where(
        SegmentInteractionLanguage.id == row.id
    ).execute()
    if update:
        language_match = (
            SegmentLine.language_code == language
            if language
            else SegmentLine.language_code.is_null()
        )
        SegmentLine.update(subject=subject).where(
            _affected(header) & language_match & (SegmentLine.subject == old)
        ).execute()
    _store(header, subject_default=subject)


def apply_field(header: SegmentHeader, field: str, value: Any, answers: Answers) -> None:
    """Change one header field with BC's rules, asking the questions above; ``value`` as
    :func:`parse_header_value` returns it for ``field`` (hence Any)."""
    if field in NEEDS_TEMPLATE and not header.interaction_template_code:
        raise UserError(
            testfield_message("Interaction Template Code", "Segment Header", _key(header)),
            field=field,
        )
    if field == "interaction_template_code":
        _set_template(header, value, answers)
        return
    if field == "language_code_default":
        _set_language(header, value, answers)
        return
    if field == "subject_default":
        _set_subject(header, value, answers)
        return
    if field == "correspondence_type_default" and not header.ignore_contact_corres_type:
        raise UserError(
            "Correspondence Type (Default) can only be changed when Ignore Contact Corres. "
            "Type is on.",
            field=field,
        )
    if field in ("campaign_target", "campaign_response") and not header.campaign_no and value:
        raise UserError(
            testfield_message("Campaign No.", "Segment Header", _key(header)), field=field
        )
    extra: dict[str, object] = {}
    if field == "campaign_no" and not value:
        extra = {"campaign_target": False, "campaign_response": False}
    if field in PROPAGATED and SegmentLine.select().where(_affected(header)).exists():
        skip_ct = field == "correspondence_type_default" and (
            not value or header_attachment(header) is None
        )
        if not skip_ct:
            template = header.interaction_template_code or "''"
            if UPDATE_LINES.ask(answers, field=CAPTIONS[field], template=template):
                _propagate(header, field, value)
                for name, extra_value in extra.items():
                    _propagate(header, name, extra_value)
    _store(header, **{field: value}, **extra)
