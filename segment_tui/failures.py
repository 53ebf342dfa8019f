"""Failures of the machine, said in the user's words (docs/security.md, "Databases").

A full disk or a read-only database reaches the code as a driver exception, sometimes a
misleading one: when SQLite runs out of space it rolls the transaction back itself, and
the rollback that follows fails with "cannot rollback - no transaction is active",
which hid the real cause. :func:`explain_failure` looks through the whole chain of
exceptions for the cause and returns the message to show, or None for failures it does
not know. The command line and the TUI both use it, so the words are the same.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator

from segment_tui.errors import UserError

DISK_FULL = (
    "The disk is full: nothing was written (the change was rolled back). "
    "Free some space and try again."
)
READ_ONLY = "The database is read-only: nothing was written."

_SQLITE_FULL = ("SQLITE_FULL",)
_SQLITE_READONLY = "SQLITE_READONLY"
_PG_DISK_FULL = {"53100"}
_PG_READ_ONLY = {"25006"}


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error``, the exceptions it wraps (peewee keeps the driver's as its first
    argument) and those it was raised from or while handling, each once."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (current.__cause__, current.__context__, *current.args[:1]):
            if isinstance(linked, BaseException):
                pending.append(linked)


def _disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    name = getattr(error, "sqlite_errorname", "")
    if name in _SQLITE_FULL or "database or disk is full" in str(error):
        return True
    return getattr(error, "pgcode", None) in _PG_DISK_FULL


def _read_only(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.EROFS:
        return True
    if str(getattr(error, "sqlite_errorname", "")).startswith(_SQLITE_READONLY):
        return True
    if "attempt to write a readonly database" in str(error):
        return True
    return getattr(error, "pgcode", None) in _PG_READ_ONLY


def explain_failure(error: BaseException) -> UserError | None:
    """The user's message for a full disk or a read-only database anywhere in the chain
    of ``error``; None for anything else."""
    chain = list(_chain(error))
    if any(_disk_full(e) for e in chain):
        return UserError(DISK_FULL)
    if any(_read_only(e) for e in chain):
        return UserError(READ_ONLY)
    return None
