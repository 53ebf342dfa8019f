"""Segments: header, lines, interaction languages, criteria, history, saved criteria
(BC tables 5076–5078, 5097–5099, 5104)."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    CharField,
    DateField,
    IntegerField,
    TextField,
    TimeField,
)

from segment_tui.models.base import BaseModel
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    CRITERIA_ACTIONS,
    CRITERIA_LINE_TYPES,
    EVALUATIONS,
    HISTORY_ACTIONS,
    INFORMATION_FLOWS,
    INITIATED_BY,
)
from segment_tui.models.fields import (
    code_field,
    code_ref,
    flag,
    int_ref,
    minutes,
    money,
    option,
    text,
)


class SegmentHeader(BaseModel):
    """Segment Header (table 5076): the interaction defaults of a segment."""

    no = code_field(20, primary_key=True)
    description = text(100)
    campaign_no = code_ref("campaign", 20, column="no")
    salesperson_code = code_ref("salesperson", 20)
    correspondence_type_default = option("correspondence_type_default", CORRESPONDENCE_TYPES)
    interaction_template_code = code_ref("interaction_template", 10)
    unit_cost_lcy = money("unit_cost_lcy")
    unit_duration_min = minutes("unit_duration_min")
    date = DateField(null=True)
    campaign_target = flag()
    information_flow = option("information_flow", INFORMATION_FLOWS)
    initiated_by = option("initiated_by", INITIATED_BY)
    no_series = code_field(20)
    campaign_response = flag()
    language_code_default = code_ref("language", 10)
    interaction_group_code = code_ref("interaction_group", 10)
    send_word_docs_as_attmt = flag()
    ignore_contact_corres_type = flag()
    subject_default = text(100)


class SegmentLine(BaseModel):
    """Segment Line (table 5077): one contact of a segment and its interaction values.

    Line numbers and ids are 64-bit (lines are numbered in steps of 10,000; migration 9).
    """

    id = BigAutoField()
    segment_no = code_ref("segment_header", 20, column="no", on_delete="CASCADE", index=False)
    line_no = BigIntegerField()
    contact_no = code_ref("contact", 20, column="no", index=False)
    campaign_no = code_ref("campaign", 20, column="no", index=False)
    salesperson_code = code_ref("salesperson", 20, index=False)
    correspondence_type = option("correspondence_type", CORRESPONDENCE_TYPES)
    interaction_template_code = code_ref("interaction_template", 10, index=False)
    cost_lcy = money("cost_lcy")
    duration_min = minutes("duration_min")
    attachment_no = int_ref("attachment", "no", on_delete="SET NULL", index=False)
    campaign_response = flag()
    information_flow = option("information_flow", INFORMATION_FLOWS)
    initiated_by = option("initiated_by", INITIATED_BY)
    evaluation = option("evaluation", EVALUATIONS)
    campaign_target = flag()
    language_code = code_ref("language", 10, index=False)
    description = text(100)
    date = DateField(null=True)
    time_of_interaction = TimeField(null=True)
    attempt_failed = flag()
    contact_company_no = code_field(20)
    interaction_group_code = code_ref("interaction_group", 10, index=False)
    send_word_doc_as_attmt = flag()
    contact_via = text(80)
    subject = text(100)
    merged = flag()
    line_note = TextField(default="")
    added_by_action = IntegerField(default=0)

    class Meta:
        # (contact_no, segment_no): "already on the segment?" in one probe, and look-ups by
        # contact alone (migration 9).
        indexes = ((("segment_no", "line_no"), True), (("contact_no", "segment_no"), False))


class SegmentInteractionLanguage(BaseModel):
    """The document of a segment per language: line 0 = inherited, else the line's own."""

    id = AutoField()
    segment_no = code_ref("segment_header", 20, column="no", on_delete="CASCADE", index=False)
    segment_line_no = BigIntegerField(default=0)
    language_code = code_field(10)
    description = text(100)
    attachment_no = int_ref("attachment", "no", on_delete="SET NULL")
    subject = text(100)

    class Meta:
        indexes = ((("segment_no", "segment_line_no", "language_code"), True),)


class SegmentCriteriaLine(BaseModel):
    """An Add/Reduce/Refine action, or one filtered section of the action above it."""

    id = AutoField()
    segment_no = code_ref("segment_header", 20, column="no", on_delete="CASCADE", index=False)
    line_no = IntegerField()
    type = option("type", CRITERIA_LINE_TYPES)
    action = option("action", CRITERIA_ACTIONS)
    section = CharField(max_length=30, default="")
    table_view = TextField(default="")
    allow_existing_contacts = flag()
    expand_contact = flag()
    allow_company_with_persons = flag()
    ignore_exclusion = flag()
    entire_companies = flag()
    no_of_filters = IntegerField(default=0)

    class Meta:
        indexes = ((("segment_no", "line_no"), True), (("segment_no", "type"), False))


class SegmentHistory(BaseModel):
    """The undo journal of the criteria actions (table 5078)."""

    id = BigAutoField()
    segment_no = code_ref("segment_header", 20, column="no", on_delete="CASCADE", index=False)
    segment_action_no = IntegerField()
    segment_line_no = BigIntegerField()
    contact_no = code_field(20)
    action_taken = option("action_taken", HISTORY_ACTIONS)

    class Meta:
        # Go Back finds a restored contact's latest earlier insertion (migration 9).
        indexes = (
            (("segment_no", "segment_action_no", "segment_line_no"), True),
            (("segment_no", "contact_no", "action_taken", "segment_action_no"), False),
        )


class SavedSegmentCriteria(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(100)
    user_id = text(50)


class SavedSegmentCriteriaLine(BaseModel):
    id = AutoField()
    segment_criteria_code = code_ref("saved_segment_criteria", 10, on_delete="CASCADE", index=False)
    line_no = IntegerField()
    type = option("type", CRITERIA_LINE_TYPES)
    action = option("action", CRITERIA_ACTIONS)
    section = CharField(max_length=30, default="")
    table_view = TextField(default="")
    allow_existing_contacts = flag()
    expand_contact = flag()
    allow_company_with_persons = flag()
    ignore_exclusion = flag()
    entire_companies = flag()
    no_of_filters = IntegerField(default=0)

    class Meta:
        indexes = ((("segment_criteria_code", "line_no"), True),)
