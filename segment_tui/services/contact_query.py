"""Selecting contacts with ``--where field=FILTER`` items (the criteria language)."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import ColumnBase

from segment_tui.models import Contact
from segment_tui.services.criteria_fields import criteria_condition, parse_where


def contact_condition(where: Sequence[str]) -> ColumnBase | None:
    """The SQL condition for ``field=FILTER`` items on Contact; None for no items."""
    return criteria_condition(parse_where(where), Contact)
