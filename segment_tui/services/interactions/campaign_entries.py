"""Campaign entries (BC's Campaign Entry, table 5072): what logging with a campaign left
behind, listed with BC's FlowFields (``docs/interactions.md``).

Log writes one campaign entry per campaign and logged segment (register no. = the logged
segment); Create Interaction writes one per campaign for all interactions logged outside
segments ("Interactions", no register). Cancelling a logged segment cancels its campaign
entries too (:func:`segment_tui.services.log.logged_segments.toggle_canceled`), and they show it.

Per entry: ``no_of_interactions``, ``cost_lcy`` and ``duration_min`` count the
interaction log entries of the campaign entry whose Canceled equals the campaign
entry's own (BC's FlowFields), so a canceled campaign entry still shows what it held.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from peewee import fn

from segment_tui.db import chunked, tuples
from segment_tui.errors import NotFoundError
from segment_tui.models import Campaign, CampaignEntry, InteractionLogEntry


class CampaignEntryRecord(TypedDict):
    """A campaign entry as Campaign Entries and ``campaign entries`` show it: its columns
    (``register_no`` None for "Interactions"; ``cost_lcy`` and ``duration_min`` BC's
    FlowFields over its entries), its campaign's description and its No. of Interactions."""

    entry_no: int
    campaign_no: str
    date: dt.date | None
    user_id: str
    segment_no: str
    register_no: int | None
    description: str
    salesperson_code: str
    canceled: bool
    cost_lcy: Decimal
    duration_min: int
    campaign_description: str
    no_of_interactions: int


def _figures(entry_nos: list[int]) -> dict[tuple[int, bool], tuple[int, Decimal, int]]:
    """(campaign entry, canceled) → (entries, cost, duration) of the entries given."""
    entry = InteractionLogEntry
    figures: dict[tuple[int, bool], tuple[int, Decimal, int]] = {}
    for chunk in chunked(entry_nos):
        query = (
            entry.select(
                entry.campaign_entry_no,
                entry.canceled,
                fn.COUNT(entry.entry_no),
                fn.COALESCE(fn.SUM(entry.cost_lcy), 0),
                fn.COALESCE(fn.SUM(entry.duration_min), 0),
            )
            .where(entry.campaign_entry_no.in_(list(chunk)))
            .group_by(entry.campaign_entry_no, entry.canceled)
        )
        for number, canceled, count, cost, duration in tuples(query):
            figures[(int(number), bool(canceled))] = (
                int(count),
                Decimal(str(cost)).quantize(Decimal("0.01")),
                int(duration),
            )
    return figures


def list_campaign_entries(
    campaign_no: str | None = None,
    *,
    logged: int | None = None,
    canceled: bool | None = None,
) -> list[CampaignEntryRecord]:
    """Campaign entries in entry order: all, or of one campaign, of one logged segment
    (``logged``: the register no.), canceled or not."""
    query = CampaignEntry.select().order_by(CampaignEntry.entry_no)
    if campaign_no:
        code = campaign_no.strip().upper()
        if not Campaign.select().where(Campaign.no == code).exists():
            raise NotFoundError(
                f"The Campaign does not exist. Identification fields and values: No.='{code}'",
                field="campaign_no",
            )
        query = query.where(CampaignEntry.campaign_no == code)
    if logged is not None:
        query = query.where(CampaignEntry.register_no == logged)
    if canceled is not None:
        query = query.where(CampaignEntry.canceled == canceled)
    rows = list(query)
    campaigns = dict(tuples(Campaign.select(Campaign.no, Campaign.description)))
    figures = _figures([row.entry_no for row in rows])
    records: list[CampaignEntryRecord] = []
    for row in rows:
        count, cost, duration = figures.get(
            (row.entry_no, bool(row.canceled)), (0, Decimal("0.00"), 0)
        )
        records.append(
            {
                "entry_no": row.entry_no,
                "campaign_no": row.campaign_no,
                "date": row.date,
                "user_id": row.user_id,
                "segment_no": row.segment_no,
                "register_no": row.register_no or None,
                "description": row.description,
                "salesperson_code": row.salesperson_code,
                "canceled": row.canceled,
                "cost_lcy": cost,
                "duration_min": duration,
                "campaign_description": campaigns.get(row.campaign_no, ""),
                "no_of_interactions": count,
            }
        )
    return records
