"""The work date: the date a session works "as of" (Business Central's WORKDATE).

Like BC's, it belongs to the session, not to the database: it is never stored, every
process starts with it following the calendar (today), and a user sets it for the session
(``--work-date``, ``$SEGMENT_TUI_WORK_DATE``, or ``w`` on the Segments list in the TUI).
Setting it to today (or ``t``) makes it follow the calendar again, as in BC.

It is what the filter tokens ``w`` / ``workdate`` mean, and a new segment's date
(docs/work-date.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re

from segment_tui.errors import UserError

WORK_DATE_ENV = "SEGMENT_TUI_WORK_DATE"
"""The environment variable a session's work date is read from (blank: today)."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

_fixed: dt.date | None = None
"""The date set for this session; None follows the calendar."""


def work_date() -> dt.date:
    """The session's work date (today unless one was set)."""
    return _fixed if _fixed is not None else dt.date.today()


def work_date_is_set() -> bool:
    """Whether the work date was set to another day than today."""
    return _fixed is not None and _fixed != dt.date.today()


def set_work_date(value: dt.date | None) -> dt.date:
    """Set the session's work date; None or today follows the calendar (BC's WorkDate(0D))."""
    global _fixed
    _fixed = None if value is None or value == dt.date.today() else value
    return work_date()


def parse_work_date(text: str, *, source: str = "work date") -> dt.date | None:
    """A work date typed by a user: ``YYYY-MM-DD``, or blank / ``t`` / ``today`` (None:
    follow the calendar). A UserError names ``source`` and says what is expected."""
    cleaned = text.strip().lower()
    if cleaned in ("", "t", "today"):
        return None
    if _ISO_DATE.fullmatch(cleaned):
        try:
            return dt.date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise UserError(f"{source}: {text.strip()!r} is not a date (YYYY-MM-DD, or t for today)")


def work_date_from_environment() -> dt.date:
    """Set the work date from ``$SEGMENT_TUI_WORK_DATE`` (when set); returns it."""
    text = os.environ.get(WORK_DATE_ENV, "")
    return set_work_date(parse_work_date(text, source=WORK_DATE_ENV))
