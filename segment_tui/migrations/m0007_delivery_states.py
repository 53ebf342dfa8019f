"""Delivery states for exactly-once delivery (``docs/delivery.md``) and the SMTP login
guard.

* ``interaction_log_entry.delivery_status`` accepts ``sending``, ``sent`` and ``unknown``
  besides blank, ``in_progress`` and ``error``. PostgreSQL swaps the column's CHECK
  constraint; SQLite cannot change a CHECK in place, so the table is rebuilt from its own
  stored definition with only the CHECK replaced (SQLite's documented
  create-copy-drop-rename procedure; no other table references this one).
* Entries delivered before this version (status blank, ``delivered_at`` set) read ``sent``.
* ``marketing_setup.smtp_allow_unencrypted_login``: off by default, so a password is
  never sent over an unencrypted connection unless Marketing Setup says so.
"""

from __future__ import annotations

import re

from peewee import Database, PostgresqlDatabase

VERSION = 7

TABLE = "interaction_log_entry"
STATUSES = ("", "in_progress", "sending", "sent", "error", "unknown")
CHECK = "CHECK (delivery_status IN ({}))".format(", ".join(f"'{s}'" for s in STATUSES))
_OLD_CHECK = re.compile(r"CHECK \(delivery_status IN \([^)]*\)\)")


def _sqlite_rebuild(database: Database) -> None:
    (sql,) = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    new_sql, count = _OLD_CHECK.subn(CHECK, sql)
    if count != 1:
        raise RuntimeError(f"migration 7: no delivery_status CHECK found in {TABLE}")
    indexes = [
        row[0]
        for row in database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (TABLE,),
        ).fetchall()
    ]
    temporary = f"{TABLE}_m7"
    database.execute_sql(new_sql.replace(f'"{TABLE}"', f'"{temporary}"', 1))
    database.execute_sql(f'INSERT INTO "{temporary}" SELECT * FROM "{TABLE}"')
    database.execute_sql(f'DROP TABLE "{TABLE}"')
    database.execute_sql(f'ALTER TABLE "{temporary}" RENAME TO "{TABLE}"')
    for index in indexes:
        database.execute_sql(index)


def apply(database: Database) -> None:
    """Widen the delivery status, mark delivered entries Sent, add the login guard."""
    if isinstance(database, PostgresqlDatabase):
        database.execute_sql(
            f'ALTER TABLE "{TABLE}" DROP CONSTRAINT IF EXISTS "{TABLE}_delivery_status_check"'
        )
        database.execute_sql(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_delivery_status_check" {CHECK}'
        )
    else:
        _sqlite_rebuild(database)
    database.execute_sql(
        f"UPDATE \"{TABLE}\" SET delivery_status = 'sent' "
        "WHERE delivery_status = '' AND delivered_at IS NOT NULL"
    )
    database.execute_sql(
        'ALTER TABLE "marketing_setup" ADD COLUMN "smtp_allow_unencrypted_login" '
        "BOOLEAN NOT NULL DEFAULT FALSE"
    )
