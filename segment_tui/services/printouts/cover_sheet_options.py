"""The request page of Print Cover Sheets (BC report 5064): text lines and remarks.

Kept apart from the drawing so the command line can offer the remark names without
loading the PDF library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from segment_tui.errors import UserError

REMARKS = {
    "agreed": "As agreed upon",
    "information": "For your information",
    "comments": "Your comments please",
    "approval": "For your approval",
    "call": "Please call",
    "returned": "Returned after use",
}
"""BC's remark options by the name the command line uses."""

MAX_TEXT_LINES, MAX_TEXT_LENGTH = 5, 100
"""BC's request page has five text fields of 100 characters."""


@dataclass(frozen=True)
class CoverSheetOptions:
    """The request page: text lines, ticked remarks, a custom remark, the date."""

    text: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    custom_remark: str = ""
    date: dt.date | None = None

    def checked(self) -> CoverSheetOptions:
        """The options, or a UserError naming the one BC would not accept."""
        lines = tuple(line.strip() for line in self.text if line.strip())
        if len(lines) > MAX_TEXT_LINES:
            raise UserError(
                f"text: at most {MAX_TEXT_LINES} lines (got {len(lines)})", field="text"
            )
        for number, line in enumerate(lines, 1):
            if len(line) > MAX_TEXT_LENGTH:
                raise UserError(
                    f"text line {number}: at most {MAX_TEXT_LENGTH} characters (got {len(line)})",
                    field="text",
                )
        unknown = [r for r in self.remarks if r not in REMARKS]
        if unknown:
            raise UserError(
                f"remark: {unknown[0]!r} is not a remark; choose from {', '.join(REMARKS)}",
                field="remark",
            )
        if len(self.custom_remark.strip()) > MAX_TEXT_LENGTH:
            raise UserError(
                f"custom remark: at most {MAX_TEXT_LENGTH} characters", field="custom_remark"
            )
        return CoverSheetOptions(
            lines, tuple(dict.fromkeys(self.remarks)), self.custom_remark.strip(), self.date
        )
