"""Segments follow their template's current Word document (docs/word-documents.md).

Before this version a segment copied its template's documents when it got the template,
so a document attached to the template later never reached it, while the template check
checked the new one. Now segment rows link to the template's attachment by number. This
migration links the rows existing databases hold:

* a segment's own (line 0) rows link to the template's document of their language;
* the rows of a line with another template than its segment's link to that template's
  document when they are still an unchanged copy of it (same bytes); a row whose bytes
  differ may be a document given to the line, and stays the line's own;
* lines pointing at a relinked copy follow it, and the copies nothing uses any more go.

Plain SQL that SQLite and PostgreSQL both run (today's models are not imported).
"""

from __future__ import annotations

from peewee import Database

VERSION = 8

_HEADER_ROWS = """
SELECT sil.id, sil.segment_no, sil.segment_line_no, sil.attachment_no, t.attachment_no
FROM segment_interaction_language sil
JOIN segment_header h ON h.no = sil.segment_no
JOIN interaction_tmpl_language t
  ON t.interaction_template_code = h.interaction_template_code
 AND t.language_code = sil.language_code
WHERE sil.segment_line_no = 0
  AND sil.attachment_no IS NOT NULL AND t.attachment_no IS NOT NULL
  AND sil.attachment_no <> t.attachment_no
"""

_LINE_ROWS = """
SELECT sil.id, sil.segment_no, sil.segment_line_no, sil.attachment_no, t.attachment_no
FROM segment_interaction_language sil
JOIN segment_header h ON h.no = sil.segment_no
JOIN segment_line l ON l.segment_no = sil.segment_no AND l.line_no = sil.segment_line_no
JOIN interaction_tmpl_language t
  ON t.interaction_template_code = l.interaction_template_code
 AND t.language_code = sil.language_code
JOIN attachment dup ON dup.no = sil.attachment_no
JOIN attachment orig ON orig.no = t.attachment_no
WHERE sil.segment_line_no <> 0
  AND l.interaction_template_code <> COALESCE(h.interaction_template_code, '')
  AND dup.no <> orig.no
  AND dup.content = orig.content
"""

_USERS = (
    ("interaction_tmpl_language", "attachment_no"),
    ("segment_interaction_language", "attachment_no"),
    ("segment_line", "attachment_no"),
    ("interaction_log_entry", "attachment_no"),
    ("interaction_log_entry", "delivered_attachment_no"),
)


def apply(database: Database) -> None:
    """Relink the copies, then delete the copies nothing uses."""
    p = database.param
    olds: set[int] = set()
    for sql in (_HEADER_ROWS, _LINE_ROWS):
        rows = list(database.execute_sql(sql))
        for row_id, segment_no, line_no, old, new in rows:
            database.execute_sql(
                f"UPDATE segment_interaction_language SET attachment_no = {p} WHERE id = {p}",
                (new, row_id),
            )
            line_filter = "" if line_no == 0 else f" AND line_no = {p}"
            params: tuple[object, ...] = (new, segment_no, old)
            if line_no:
                params += (line_no,)
            database.execute_sql(
                "UPDATE segment_line SET attachment_no = "
                f"{p} WHERE segment_no = {p} AND attachment_no = {p}{line_filter}",
                params,
            )
            olds.add(int(old))
    for old in sorted(olds):
        used = any(
            database.execute_sql(
                f"SELECT 1 FROM {table} WHERE {column} = {p} LIMIT 1", (old,)
            ).fetchone()
            for table, column in _USERS
        )
        if not used:
            database.execute_sql(f'DELETE FROM "attachment" WHERE "no" = {p}', (old,))
