"""PostgreSQL's search-key folding, fast for plain ASCII text (a bulk import's cost).

Migration 12's ``segment_search_fold`` folds with one ``translate()`` over a table of
some 700 accented letters and punctuation marks; PostgreSQL's ``translate`` walks that
whole table for every character of the text, so folding the three fields of a key took
about 100 µs, and keying the 100,000 contacts of an import (the insert trigger does it
in one statement) 10–18 s. Most values are plain ASCII ("CT000123", "Adatum
Corporation"), and for those the fold is lower case with the ASCII punctuation and white
space deleted: a ``translate`` over 38 characters. Text with any other character folds
as before, so every key stays exactly what migration 12 gives (and what Python's
:func:`segment_tui.filters.search_fold.fold_search` gives).

In a UTF8 database a text is ASCII when it has as many bytes as characters. Its column's
own collation ("C") lower-cases ASCII correctly. Nothing changes on SQLite, whose keys
are built by the application.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

from segment_tui.migrations.m0012_contact_search_keys import DELETED, postgres_fold_function

VERSION = 16

ASCII_DELETED = "".join(char for char in DELETED if char < "\x80")
"""The ASCII characters a search ignores: punctuation, white space, the key separator."""


def fast_fold_function() -> str:
    """``CREATE OR REPLACE FUNCTION segment_search_fold``: the ASCII shortcut, else
    migration 12's expression."""
    created = postgres_fold_function()
    prefix = "CREATE FUNCTION segment_search_fold(value TEXT) RETURNS TEXT "
    prefix += "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold$ SELECT "
    if not created.startswith(prefix) or not created.endswith(" $fold$"):
        raise RuntimeError("migration 12's fold function is not where it was")
    general = created[len(prefix) : -len(" $fold$")]
    ascii_deleted = ASCII_DELETED.replace("'", "''")
    return (
        "CREATE OR REPLACE FUNCTION segment_search_fold(value TEXT) RETURNS TEXT "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold$ SELECT CASE "
        f"WHEN octet_length(value) = char_length(value) "
        f"THEN translate(lower(value), '{ascii_deleted}', '') "
        f"ELSE {general} END $fold$"
    )


def apply(database: Database) -> None:
    """Replace the fold function on PostgreSQL (same results, faster); nothing on SQLite."""
    if isinstance(database, PostgresqlDatabase):
        # The raw cursor: no parameters, so "%" in the table needs no escaping.
        database.cursor().execute(fast_fold_function())
