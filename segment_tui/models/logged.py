"""What logging leaves behind: logged segments and interaction log entries
(BC tables 5075 and 5065). Entries keep plain codes (no foreign keys) so history
survives changes to setup; only the link to the logged segment is enforced."""

from __future__ import annotations

from peewee import AutoField, DateField, DateTimeField, TextField, TimeField

from segment_tui.models.base import BaseModel
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    DELIVERY_STATUSES,
    EVALUATIONS,
    INFORMATION_FLOWS,
    INITIATED_BY,
)
from segment_tui.models.fields import code_field, flag, int_ref, minutes, money, option, text


class LoggedSegment(BaseModel):
    """A logged segment; a segment number can be logged only once (unique)."""

    entry_no = AutoField()
    segment_no = code_field(20, unique=True)
    description = text(100)
    creation_date = DateField(null=True)
    user_id = text(50)
    canceled = flag()
    delivery_claim = TextField(default="")
    """``host:pid:token`` of the process delivering its documents now (migration 6)."""
    delivery_claimed_at = DateTimeField(null=True)


class InteractionLogEntry(BaseModel):
    """One interaction with one contact (table 5065)."""

    entry_no = AutoField()
    contact_no = code_field(20)
    contact_company_no = code_field(20)
    date = DateField(null=True)
    description = text(100)
    information_flow = option("information_flow", INFORMATION_FLOWS)
    initiated_by = option("initiated_by", INITIATED_BY)
    attachment_no = int_ref("attachment", "no", on_delete="SET NULL")
    cost_lcy = money()
    duration_min = minutes()
    user_id = text(50)
    interaction_group_code = code_field(10)
    interaction_template_code = code_field(10)
    campaign_no = code_field(20)
    campaign_entry_no = int_ref("campaign_entry", "entry_no", on_delete="SET NULL", index=False)
    campaign_response = flag()
    campaign_target = flag()
    segment_no = code_field(20, index=True)
    evaluation = option("evaluation", EVALUATIONS)
    time_of_interaction = TimeField(null=True)
    attempt_failed = flag()
    salesperson_code = code_field(20)
    delivery_status = option("delivery_status", DELIVERY_STATUSES)
    canceled = flag()
    correspondence_type = option("correspondence_type", CORRESPONDENCE_TYPES)
    logged_segment_entry_no = int_ref("logged_segment", "entry_no", on_delete="SET NULL")
    contact_via = text(80)
    send_word_docs_as_attmt = flag()
    interaction_language_code = code_field(10)
    subject = text(100)
    line_note = TextField(default="")
    # Delivery results (migration 3): why the last delivery failed, the merged document
    # that was sent or printed, when, and the file written for a hard copy.
    delivery_error = TextField(default="")
    delivered_attachment_no = int_ref("attachment", "no", on_delete="SET NULL")
    delivered_at = DateTimeField(null=True)
    delivery_file = TextField(default="")

    class Meta:
        indexes = ((("contact_no", "date"), False),)  # others dropped by migration 4


# Campaign Entries count the entries of each campaign entry; most entries have none, so a
# partial index costs Log next to nothing (migration 15).
InteractionLogEntry.add_index(
    InteractionLogEntry.campaign_entry_no,
    name="interaction_log_entry_campaign_entry_no",
    where=InteractionLogEntry.campaign_entry_no.is_null(False),
)
