"""Delivery bookkeeping that is not a BC table (``docs/delivery.md``)."""

from __future__ import annotations

from peewee import DateTimeField, IntegerField, TextField

from segment_tui.models.base import BaseModel


class EntryDeliveryClaim(BaseModel):
    """The process delivering the letter of one interaction log entry that belongs to no
    logged segment (Create Interaction): ``host:pid:token`` and when it was renewed.
    Logged segments keep their claim on ``logged_segment`` (migration 6)."""

    entry_no = IntegerField(primary_key=True)
    claim = TextField(default="")
    claimed_at = DateTimeField(null=True)
