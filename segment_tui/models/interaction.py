"""Interaction setup and campaigns: groups, templates (with a Word document per
language), attachments (file bytes in the database), campaigns and campaign entries."""

from __future__ import annotations

from peewee import AutoField, BlobField, DateField, DateTimeField, IntegerField

from segment_tui.models.base import BaseModel
from segment_tui.models.enums import CORRESPONDENCE_TYPES, INFORMATION_FLOWS, INITIATED_BY
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


class Attachment(BaseModel):
    """A file kept in the database (BC's Attachment table, embedded storage)."""

    no = AutoField()
    file_name = text(250)
    file_extension = text(20)
    content = BlobField()
    read_only = flag()
    last_modified = DateTimeField(null=True)


class Campaign(BaseModel):
    no = code_field(20, primary_key=True)
    description = text(100)
    starting_date = DateField(null=True)
    ending_date = DateField(null=True)
    salesperson_code = code_ref("salesperson", 20)
    activated = flag()


class InteractionGroup(BaseModel):
    code = code_field(10, primary_key=True)
    description = text(100)


class InteractionTemplate(BaseModel):
    """Interaction Template (table 5064): the defaults an interaction starts from."""

    code = code_field(10, primary_key=True)
    interaction_group_code = code_ref("interaction_group", 10)
    description = text(100)
    unit_cost_lcy = money("unit_cost_lcy")
    unit_duration_min = minutes("unit_duration_min")
    information_flow = option("information_flow", INFORMATION_FLOWS)
    initiated_by = option("initiated_by", INITIATED_BY)
    campaign_no = code_ref("campaign", 20, column="no")
    campaign_target = flag()
    campaign_response = flag()
    # BC's InitValue for the template's correspondence type is Email.
    correspondence_type_default = option(
        "correspondence_type_default", CORRESPONDENCE_TYPES, default="email"
    )
    language_code_default = code_ref("language", 10)
    ignore_contact_corres_type = flag()


class InteractionTmplLanguage(BaseModel):
    """The Word document of a template in one language (table 5103)."""

    id = AutoField()
    interaction_template_code = code_ref(
        "interaction_template", 10, on_delete="CASCADE", index=False
    )
    language_code = code_field(10)
    description = text(100)
    attachment_no = int_ref("attachment", "no", on_delete="SET NULL")

    class Meta:
        indexes = ((("interaction_template_code", "language_code"), True),)


class CampaignEntry(BaseModel):
    """One entry per campaign and logged segment (table 5072)."""

    entry_no = AutoField()
    campaign_no = code_field(20, index=True)
    date = DateField(null=True)
    user_id = text(50)
    segment_no = code_field(20)
    register_no = IntegerField(default=0, index=True)
    description = text(100)
    salesperson_code = code_field(20)
    canceled = flag()
    cost_lcy = money()
    duration_min = minutes()
