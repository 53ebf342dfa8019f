"""What a delivery run leaves on the entries: each :class:`Outcome` stored with its
entry (status, error, the delivered document as an attachment, the file written), and
where the letters of a set of entries went (:func:`most_used_folder`, so a resend writes
beside them). Called by :mod:`.run` inside its per-entry transactions
(``docs/delivery.md``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segment_tui.db import tuples
from segment_tui.models import Attachment, InteractionLogEntry


@dataclass
class Outcome:
    """What happened to one entry."""

    entry_no: int
    status: str = "sent"
    """"sent", "error" or "unknown"."""
    error: str = ""
    document: bytes | None = None
    document_name: str = ""
    file: str = ""


def record_outcomes(outcomes: Sequence[Outcome], now: dt.datetime) -> None:
    """Store outcomes (inside the caller's transaction): the delivered document as an
    attachment, the status, the error; a document delivered again replaces the old one."""
    if not outcomes:
        return
    delivered = [out.entry_no for out in outcomes if out.status == "sent"]
    replaced = (
        [
            row[0]
            for row in tuples(
                InteractionLogEntry.select(InteractionLogEntry.delivered_attachment_no).where(
                    InteractionLogEntry.entry_no.in_(delivered)
                    & InteractionLogEntry.delivered_attachment_no.is_null(False)
                )
            )
        ]
        if delivered
        else []
    )
    failures: dict[tuple[str, str], list[int]] = {}
    for out in outcomes:
        if out.status != "sent":
            failures.setdefault((out.status, out.error[:2000]), []).append(out.entry_no)
            continue
        attachment_no = Attachment.insert(
            file_name=out.document_name[:250],
            file_extension="docx",
            content=out.document or b"",
            read_only=True,
            last_modified=now,
        ).execute()
        InteractionLogEntry.update(
            delivery_status="sent",
            delivery_error="",
            delivered_attachment_no=attachment_no,
            delivered_at=now,
            delivery_file=out.file,
        ).where(InteractionLogEntry.entry_no == out.entry_no).execute()
    for (status, error), numbers in failures.items():
        InteractionLogEntry.update(delivery_status=status, delivery_error=error).where(
            InteractionLogEntry.entry_no.in_(numbers)
        ).execute()
    if replaced:
        used = InteractionLogEntry.select(InteractionLogEntry.delivered_attachment_no).where(
            InteractionLogEntry.delivered_attachment_no.in_(replaced)
        )
        Attachment.delete().where(Attachment.no.in_(replaced) & ~Attachment.no.in_(used)).execute()


def most_used_folder(claimed: Any) -> Path | None:
    """The folder most of the ``claimed`` entries' letters went to (None: no letter yet)."""
    folders = Counter(
        str(Path(row[0]).parent)
        for row in tuples(
            InteractionLogEntry.select(InteractionLogEntry.delivery_file)
            .where(claimed & (InteractionLogEntry.delivery_file != ""))
            .limit(1000)
        )
    )
    return Path(folders.most_common(1)[0][0]) if folders else None
