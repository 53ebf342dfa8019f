"""Contacts matching filters in the criteria language: the one place that turns them into
SQL on Contact, for the CLI (``--where field=FILTER`` items) and the Contacts screen (its
filter line, parsed). Both pass parsed filters (:class:`FieldFilter`), never SQL;
:mod:`segment_tui.services.contacts.view` reads the screen's windows with the same
condition.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peewee import ColumnBase

from segment_tui.errors import UserError
from segment_tui.models import Contact
from segment_tui.services.contacts.export import export_contacts, list_contacts
from segment_tui.services.criteria.fields import FieldFilter, criteria_condition, parse_where
from segment_tui.services.streaming import Progress


def matching_condition(filters: Sequence[FieldFilter]) -> ColumnBase | None:
    """The SQL condition for parsed filters on Contact; None for no filters."""
    return criteria_condition(filters, Contact)


def contact_condition(where: Sequence[str]) -> ColumnBase | None:
    """The SQL condition for ``field=FILTER`` items on Contact; None for no items."""
    return matching_condition(parse_where(where))


def list_matching(
    filters: Sequence[FieldFilter], *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The contacts matching ``filters`` as records, in number order (at most ``limit``)."""
    return list_contacts(matching_condition(filters), limit=limit)


def export_matching(
    path: Path,
    filters: Sequence[FieldFilter],
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the contacts matching ``filters`` to a CSV file (the columns ``contacts
    import`` reads back), streamed in batches; an existing file is replaced only with
    ``overwrite``. Returns how many were written."""
    if path.exists() and not overwrite:
        raise UserError(f"{path} already exists.", field="path")
    return export_contacts(path, matching_condition(filters), progress=progress)
