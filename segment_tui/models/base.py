"""The peewee base model bound to the application's database proxy."""

from __future__ import annotations

from typing import Any

from peewee import Model

from segment_tui.db import db


class BaseModel(Model):
    """Base of every table: bound to the proxy, snake_case table names."""

    class Meta:
        database = db
        legacy_table_names = False

    def as_record(self) -> dict[str, Any]:
        """The row as a plain dict keyed by column name (for JSON and the UI)."""
        return {f.column_name: getattr(self, f.name) for f in self._meta.sorted_fields}
