"""The row source of the Contacts screen: the contacts matching the filter line, read in
windows through :mod:`segment_tui.services.contacts.view` (keyset paging on ``no``).

Like :class:`segment_tui.ui.sources.LinesSource`, each call runs in one of the table's
worker threads and opens that thread's own connection for its duration.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from segment_tui.db import db
from segment_tui.services.contacts import view as contact_view
from segment_tui.services.contacts.view import ContactRow
from segment_tui.services.criteria.fields import FieldFilter
from segment_tui.ui.sources import to_row
from segment_tui.ui.widgets import Column, Row, RowKey


class ContactsSource:
    """The contacts matching the filter line, in number order (keyset paging on ``no``)."""

    def __init__(self, filters: Sequence[FieldFilter], columns: tuple[Column, ...]) -> None:
        self.filters = tuple(filters)
        """The parsed filter line (the service builds the SQL)."""
        self.columns = columns

    def _rows(self, records: list[ContactRow]) -> list[Row]:
        return [to_row(r, self.columns, "no") for r in records]

    def count(self) -> int:
        """Number of matching contacts."""
        with db.connection_context():
            return contact_view.contact_count(self.filters)

    def fetch_after(self, key: RowKey | None, limit: int) -> list[Row]:
        """Contacts after number ``key`` (from the first when None)."""
        no = None if key is None else str(key)
        with db.connection_context():
            return self._rows(contact_view.contacts_after(self.filters, no, limit))

    def fetch_before(self, key: RowKey | None, limit: int) -> list[Row]:
        """Contacts before number ``key`` (the last ones when None)."""
        no = None if key is None else str(key)
        with db.connection_context():
            return self._rows(contact_view.contacts_before(self.filters, no, limit))

    def key_at(self, index: int, *, from_end: bool = False) -> RowKey | None:
        """The number of the contact at position ``index``."""
        with db.connection_context():
            return contact_view.contact_key_at(self.filters, index, from_end=from_end)

    def locate(self, key: RowKey) -> int | None:
        """Position of contact ``key``, or None when it does not match."""
        with db.connection_context():
            return contact_view.contact_index(self.filters, str(key))

    def present(self, keys: Collection[RowKey]) -> set[RowKey]:
        """The contact numbers among ``keys`` that exist and match."""
        with db.connection_context():
            return set(contact_view.contacts_present(self.filters, {str(k) for k in keys}))
