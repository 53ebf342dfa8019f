"""Errors a user can act on, shared by the CLI and the TUI.

Services raise these instead of letting database exceptions escape: the message is
what the user reads (after ``error:`` on the command line, in a notification in the TUI),
written in Business Central's words where BC has a message for the case.
"""

from __future__ import annotations


class UserError(Exception):
    """A request the data or the rules refuse; the message says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        """The snake_case field the message is about, when there is one."""

    def __str__(self) -> str:
        return self.message


class NotFoundError(UserError):
    """A record named by the user does not exist."""


def testfield_message(field_caption: str, table: str, key: str) -> str:
    """BC's TestField text: ``<Field> must have a value in <Table>: <key>. ...``."""
    return f"{field_caption} must have a value in {table}: {key}. It cannot be zero or empty."
