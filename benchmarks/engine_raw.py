"""The raw-SQL side of ``bench_engine.py``: each engine operation written by hand as the
statements a developer would send through the driver to get the same rows — the same
lines (values, numbering, order), the same history and criteria rows, the same log
entries — on the same tables with the same indexes, in one transaction each.

What the engine does on top (BC's checks, reading the header and template, the preview
counts, refreshing planner statistics, the ORM) is what the ratio measures.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

LINE_COLUMNS = (
    "segment_no, line_no, contact_no, campaign_no, salesperson_code, correspondence_type, "
    "interaction_template_code, cost_lcy, duration_min, attachment_no, campaign_response, "
    "information_flow, initiated_by, evaluation, campaign_target, language_code, description, "
    "date, contact_company_no, interaction_group_code, send_word_doc_as_attmt, subject, merged, "
    "line_note, added_by_action"
)


class Raw:
    """A plain driver connection (sqlite3 or psycopg2) running hand-written statements."""

    def __init__(self, location: str, dialect: str) -> None:
        self.dialect = dialect
        if dialect == "sqlite":
            self.connection: Any = sqlite3.connect(location, isolation_level=None)
            for pragma in ("foreign_keys = ON", "synchronous = normal", "cache_size = -64000"):
                self.connection.execute(f"PRAGMA {pragma}")
        else:
            import psycopg2

            self.connection = psycopg2.connect(location)
            self.connection.autocommit = True

    def close(self) -> None:
        self.connection.close()

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def run(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> tuple[float, list[Any]]:
        """The statements in one transaction (BEGIN … COMMIT, timed); the first row of
        each statement's result, if any."""
        cursor = self.connection.cursor()
        results: list[Any] = []
        start = time.perf_counter()
        cursor.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        for sql, params in statements:
            cursor.execute(self._sql(sql), tuple(params))
            results.append(cursor.fetchone() if cursor.description else cursor.rowcount)
        cursor.execute("COMMIT")
        return time.perf_counter() - start, results

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(self._sql(sql), tuple(params))
        return cursor.fetchone()


class RawSegment:
    """One segment driven by hand-written SQL, with the header's defaults read once."""

    def __init__(
        self, raw: Raw, segment_no: str, header: dict[str, Any], documents: dict[str, Any]
    ):
        self.raw = raw
        self.no = segment_no
        self.header = header
        self.documents = documents  # language -> (attachment no., subject)
        self.actions = 0

    # --- building blocks ------------------------------------------------------------------

    def _line_select(self, contact: str) -> tuple[str, list[Any]]:
        """The SELECT list initialising a line from ``contact`` (after segment_no, line_no)."""
        h = self.header
        default_language = h["language_code_default"] or None
        languages = [code for code in self.documents if code]
        language = "?"
        language_params: list[Any] = [default_language]
        if languages:
            marks = ", ".join("?" * len(languages))
            language = (
                f"CASE WHEN {contact}.language_code IN ({marks}) "
                f"THEN {contact}.language_code ELSE ? END"
            )
            language_params = [*languages, default_language]
        attachment_cases = " ".join(
            f"WHEN {contact}.language_code = ? THEN ?" for _ in self.documents
        )
        fallback = self.documents.get(h["language_code_default"] or "", (None, ""))
        select = (
            f"{contact}.no, ?, COALESCE(?, {contact}.salesperson_code), ?, ?, ?, ?, "
            f"CASE {attachment_cases} ELSE ? END, ?, ?, ?, '', ?, {language}, ?, ?, "
            f"COALESCE({contact}.company_no, ''), ?, ?, "
            f"CASE {attachment_cases} ELSE ? END, ?, ''"
        )
        doc_params: list[Any] = []
        for code, (attachment, _) in self.documents.items():
            doc_params += [code, attachment]
        subject_params: list[Any] = []
        for code, (_, subject) in self.documents.items():
            subject_params += [code, subject]
        params = [
            h["campaign_no"], h["salesperson_code"], h["correspondence_type"],
            h["interaction_template_code"], h["unit_cost_lcy"], h["unit_duration_min"],
            *doc_params, fallback[0], h["campaign_response"], h["information_flow"],
            h["initiated_by"], h["campaign_target"], *language_params, h["description"],
            h["date"], h["interaction_group_code"], h["send_word_docs_as_attmt"],
            *subject_params, fallback[1], False,
        ]  # fmt: skip
        if not self.documents:
            select = select.replace("CASE  ELSE ? END", "?")
        return select, params

    def _criteria(self, action: str, view: list[list[str]]) -> list[tuple[str, Sequence[Any]]]:
        self.actions += 1
        last = self.raw.one(
            "SELECT COALESCE(MAX(line_no), 0) FROM segment_criteria_line WHERE segment_no = ?",
            (self.no,),
        )[0]
        sql = (
            "INSERT INTO segment_criteria_line (segment_no, line_no, type, action, section, "
            "table_view, no_of_filters) VALUES (?, ?, 'action', ?, '', '', 1), "
            "(?, ?, 'filter', ?, 'contact', ?, 0)"
        )
        return [(sql, (self.no, last + 1, action, self.no, last + 2, action, json.dumps(view)))]

    # --- the operations -------------------------------------------------------------------

    def preview(self, low: str, high: str) -> tuple[float, list[Any]]:
        return self.raw.run(
            [
                (
                    "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM segment_line p "
                    "WHERE p.segment_no = ? AND p.contact_no = c.no) THEN 1 ELSE 0 END) "
                    "FROM contact c WHERE c.no BETWEEN ? AND ?",
                    (self.no, low, high),
                )
            ]
        )

    def add(self, low: str, high: str) -> tuple[float, list[Any]]:
        statements = self._criteria("add", [["no", f"{low}..{high}"]])
        base = self.raw.one(
            "SELECT COALESCE(MAX(line_no), 0) FROM segment_line WHERE segment_no = ?", (self.no,)
        )[0]
        select, params = self._line_select("c")
        # "Already on the segment?" only when the segment has lines (as the engine does).
        present = (
            " AND NOT EXISTS (SELECT 1 FROM segment_line p WHERE p.segment_no = ? "
            "AND p.contact_no = c.no)"
            if base
            else ""
        )
        statements.append(
            (
                f"INSERT INTO segment_line ({LINE_COLUMNS}) SELECT ?, ? + 10000 * ROW_NUMBER() "
                "OVER (ORDER BY c.company_name, COALESCE(c.company_no, ''), c.type, c.name, c.no), "
                f"{select}, ? FROM contact c WHERE c.no BETWEEN ? AND ?{present}",
                (self.no, base, *params, self.actions, low, high, *([self.no] if base else [])),
            )
        )
        statements.append(
            self._history("insertion", "segment_no = ? AND line_no > ?", (self.no, base))
        )
        return self.raw.run(statements)

    def _history(self, taken: str, where: str, params: Sequence[Any]) -> tuple[str, Sequence[Any]]:
        return (
            "INSERT INTO segment_history (segment_no, segment_action_no, segment_line_no, "
            f"contact_no, action_taken) SELECT segment_no, ?, line_no, contact_no, '{taken}' "
            f"FROM segment_line WHERE {where}",
            (self.actions, *params),
        )

    def remove(self, mode: str, low: str, high: str) -> tuple[float, list[Any]]:
        statements = self._criteria(mode, [["no", f"{low}..{high}"]])
        hits = "SELECT h.no FROM contact h WHERE h.no BETWEEN ? AND ?"
        where = (
            f"segment_no = ? AND contact_no IN ({hits})"
            if mode == "reduce"
            else f"segment_no = ? AND contact_no IS NOT NULL AND NOT contact_no IN ({hits})"
        )
        params = (self.no, low, high)
        statements.append(self._history("deletion", where, params))
        statements.append((f"DELETE FROM segment_line WHERE {where}", params))
        return self.raw.run(statements)

    def go_back(self) -> tuple[float, list[Any]]:
        action = self.actions
        select, params = self._line_select("c")
        base = self.raw.one(
            "SELECT COALESCE(MAX(line_no), 0) FROM segment_line WHERE segment_no = ?", (self.no,)
        )[0]
        last_action = self.raw.one(
            "SELECT MAX(line_no) FROM segment_criteria_line WHERE segment_no = ? "
            "AND type = 'action'",
            (self.no,),
        )[0]
        added_by = (
            "COALESCE((SELECT MAX(e.segment_action_no) FROM segment_history e WHERE "
            "e.segment_no = ? AND e.contact_no = d.contact_no AND e.action_taken = 'insertion' "
            "AND e.segment_action_no < ?), 0)"
        )
        statements: list[tuple[str, Sequence[Any]]] = [
            (
                "DELETE FROM segment_line WHERE segment_no = ? AND contact_no IN (SELECT "
                "contact_no FROM segment_history WHERE segment_no = ? AND segment_action_no = ? "
                "AND action_taken = 'insertion')",
                (self.no, self.no, action),
            ),
            (
                f"INSERT INTO segment_line ({LINE_COLUMNS}) SELECT ?, ? + 10000 * ROW_NUMBER() "
                f"OVER (ORDER BY d.segment_line_no), {select}, {added_by} FROM segment_history d "
                "JOIN contact c ON c.no = d.contact_no WHERE d.segment_no = ? AND "
                "d.segment_action_no = ? AND d.action_taken = 'deletion'",
                (self.no, base, *params, self.no, action, self.no, action),
            ),
            (
                "DELETE FROM segment_history WHERE segment_no = ? AND segment_action_no = ?",
                (self.no, action),
            ),
            (
                "DELETE FROM segment_criteria_line WHERE segment_no = ? AND line_no >= ?",
                (self.no, last_action),
            ),
        ]
        self.actions -= 1
        return self.raw.run(statements)

    def log(self, user: str) -> tuple[float, list[Any]]:
        h = self.header
        entry = (
            "INSERT INTO logged_segment (segment_no, description, creation_date, user_id) "
            "VALUES (?, ?, ?, ?)"
        )
        if self.raw.dialect == "postgres":
            entry += " RETURNING entry_no"
        elapsed, results = self.raw.run([(entry, (self.no, h["description"], h["date"], user))])
        entry_no = (
            results[0][0]
            if self.raw.dialect == "postgres"
            else self.raw.one("SELECT MAX(entry_no) FROM logged_segment")[0]
        )
        # Timed in two parts on purpose: the entry number must be known before the copy.
        more, results = self.raw.run(
            [
                (
                    "INSERT INTO interaction_log_entry (contact_no, contact_company_no, date, "
                    "description, information_flow, initiated_by, attachment_no, cost_lcy, "
                    "duration_min, user_id, interaction_group_code, interaction_template_code, "
                    "campaign_no, campaign_response, campaign_target, segment_no, evaluation, "
                    "time_of_interaction, attempt_failed, salesperson_code, delivery_status, "
                    "canceled, correspondence_type, logged_segment_entry_no, contact_via, "
                    "send_word_docs_as_attmt, interaction_language_code, subject, line_note) "
                    "SELECT l.contact_no, l.contact_company_no, l.date, l.description, "
                    "l.information_flow, l.initiated_by, l.attachment_no, l.cost_lcy, "
                    "l.duration_min, ?, COALESCE(l.interaction_group_code, ''), "
                    "COALESCE(l.interaction_template_code, ''), COALESCE(l.campaign_no, ''), "
                    "l.campaign_response, l.campaign_target, l.segment_no, l.evaluation, "
                    "l.time_of_interaction, l.attempt_failed, COALESCE(l.salesperson_code, ''), "
                    "'', ?, l.correspondence_type, ?, CASE WHEN l.correspondence_type = 'email' "
                    "THEN c.email ELSE '' END, l.send_word_doc_as_attmt, "
                    "COALESCE(l.language_code, ''), l.subject, l.line_note FROM segment_line l "
                    "JOIN contact c ON c.no = l.contact_no WHERE l.segment_no = ? "
                    "AND l.contact_no IS NOT NULL ORDER BY l.line_no",
                    (user, False, entry_no, self.no),
                ),
                ("DELETE FROM segment_line WHERE segment_no = ?", (self.no,)),
                ("DELETE FROM segment_history WHERE segment_no = ?", (self.no,)),
                ("DELETE FROM segment_criteria_line WHERE segment_no = ?", (self.no,)),
                ("DELETE FROM segment_interaction_language WHERE segment_no = ?", (self.no,)),
                ("DELETE FROM segment_header WHERE no = ?", (self.no,)),
            ]
        )
        return elapsed + more, [entry_no, *results]
