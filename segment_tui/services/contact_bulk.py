"""Writing many contacts at once (imports, demo data).

The driver's bulk path (:func:`segment_tui.db.insert_rows`): peewee's ``insert_many``
spends >95 % of its time building SQL and is ten times slower for 100,000 rows
(tech-notes §2.4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from segment_tui.db import insert_rows
from segment_tui.services.contact_fields import CLASSIFICATION_COLUMNS, CONTACT_FIELDS

CONTACT_COLUMNS = [f.name for f in CONTACT_FIELDS] + ["last_date_modified"]
BATCH = 10_000


def blank_value(column: str) -> Any:
    """What a missing column holds: NULL for references and dates, else blank/false."""
    spec = next((f for f in CONTACT_FIELDS if f.name == column), None)
    if spec is None or column == "last_date_modified":
        return None
    if spec.kind == "boolean":
        return False
    if spec.reference or column == "company_no":
        return None
    return ""


_BLANKS = {c: blank_value(c) for c in CONTACT_COLUMNS}


def insert_contacts(
    rows: Sequence[Mapping[str, Any]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert complete contact rows (companies before the persons pointing at them)."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        insert_rows(
            "contact",
            CONTACT_COLUMNS,
            [tuple(row.get(c) or _BLANKS[c] for c in CONTACT_COLUMNS) for row in batch],
        )
        if progress:
            progress(start + len(batch), len(rows))


def insert_classifications(column: str, pairs: Iterable[tuple[str, str]]) -> None:
    """Insert (contact no., code) pairs of a classification column such as ``mailing_groups``."""
    table = CLASSIFICATION_COLUMNS[column]
    insert_rows(f"contact_{table}", ["contact_no", f"{table}_code"], sorted(set(pairs)))
