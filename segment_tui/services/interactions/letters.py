"""The letter of an interaction log entry (BC's Show Attachments): whether an entry has
one, and the letter itself (``docs/interactions.md``).

An entry's letter is, in this order:

* **delivered** — the merged document as it was printed or e-mailed, stored with the
  entry by the delivery (:mod:`segment_tui.services.delivery.run`);
* **document** — not delivered (logged without Send, or not yet), but the entry keeps
  the Word document it was logged with: the letter is merged from it now, with the
  entry's values and the contact's current data (BC merges when it opens an entry's
  attachment the same way);
* none — the entry has no attachment (BC's Show Attachments then does nothing; here
  the command says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, TypedDict

from segment_tui.db import tuples
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import Attachment, InteractionLogEntry

LetterState = Literal["delivered", "document", ""]
"""Whether an entry's letter is attached: delivered, its document, or none."""
DELIVERED: Final = "delivered"
DOCUMENT: Final = "document"


def letter_state(record: Mapping[str, object]) -> LetterState:
    """``"delivered"``, ``"document"`` or ``""`` for an entry record (with
    ``delivered_attachment_no`` and ``attachment_no``)."""
    if record.get("delivered_attachment_no"):
        return DELIVERED
    if record.get("attachment_no"):
        return DOCUMENT
    return ""


class LetterRecord(TypedDict):
    """An entry's letter as JSON: which kind, its file name, where it was written (None:
    not written) and its size in bytes."""

    entry_no: int
    letter: LetterState
    file_name: str
    path: str | None
    bytes: int


@dataclass(frozen=True)
class Letter:
    """An entry's letter, ready to be written or shown."""

    entry_no: int
    kind: LetterState
    """:data:`DELIVERED` or :data:`DOCUMENT` (merged just now)."""
    content: bytes
    file_name: str

    def as_record(self, path: Path | None = None) -> LetterRecord:
        """A JSON-ready dict (``path``: where it was written)."""
        return {
            "entry_no": self.entry_no,
            "letter": self.kind,
            "file_name": self.file_name,
            "path": str(path) if path else None,
            "bytes": len(self.content),
        }


def _entry(entry_no: int) -> tuple[int, int | None, int | None, str]:
    """(entry no., delivered attachment, attachment, description) of an entry."""
    rows = tuples(
        InteractionLogEntry.select(
            InteractionLogEntry.entry_no,
            InteractionLogEntry.delivered_attachment_no,
            InteractionLogEntry.attachment_no,
            InteractionLogEntry.description,
        ).where(InteractionLogEntry.entry_no == entry_no)
    )
    if not rows:
        raise NotFoundError(
            "The Interaction Log Entry does not exist. Identification fields and values: "
            f"Entry No.='{entry_no}'"
        )
    return rows[0]


def entry_letter(entry_no: int) -> Letter:
    """The entry's letter (see the module); UserError when it has none."""
    from segment_tui.services.delivery.files import safe_stem
    from segment_tui.services.documents.merge_preview import DocumentCache
    from segment_tui.services.documents.merge_values import entry_merge_values

    number, delivered, document, description = _entry(entry_no)
    if delivered:
        stored = Attachment.get_or_none(Attachment.no == delivered)
        if stored is not None:
            name = stored.file_name or f"Entry {number}.docx"
            if not name.lower().endswith(".docx"):
                name += ".docx"
            return Letter(number, DELIVERED, bytes(stored.content), name)
    if not document:
        raise UserError(f"Interaction Log Entry {number} has no attachment.")
    values = entry_merge_values(number)
    content = DocumentCache().get(int(document)).merge(values).document
    name = f"{safe_stem(f'Entry {number} {description}'.strip())}.docx"
    return Letter(number, DOCUMENT, content, name)


def export_letter(entry_no: int, out: Path) -> tuple[Letter, Path]:
    """Write the entry's letter to ``out`` (a file, or a folder to write it into under
    its own name); returns the letter and the path written."""
    from segment_tui.private_files import private_folder
    from segment_tui.services.delivery.files import write_atomically

    letter = entry_letter(entry_no)
    path = out / letter.file_name if out.is_dir() else out
    try:
        private_folder(path.parent)
        write_atomically(path, letter.content)  # mode 0600
    except OSError as err:
        raise UserError(f"Cannot write {path}: {err.strerror or err}", field="out") from None
    return letter, path


def letter_text(entry_no: int) -> tuple[Letter, str]:
    """The entry's letter and its text (for the terminal)."""
    from segment_tui.merge.text import docx_to_text

    letter = entry_letter(entry_no)
    return letter, docx_to_text(letter.content)
