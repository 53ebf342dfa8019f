"""Searching a segment's lines by contact no., name or company name (the worksheet's `/`).

Text is folded as :mod:`segment_tui.filters.search_fold` says (case, accents, spaces and
punctuation ignored), and compared with each contact's folded key in
``contact_search_key`` (migration 12), so no search folds a million names in Python.

Three plans (``docs/search.md``):

* **a small segment** (at most ``SMALL_SEGMENT`` lines): read every line's key once, in
  line order; every match is found and counted.
* **few matching contacts** (at most ``PROBE_LIMIT``, the usual case: a name, a number):
  scan the narrow key table once, then look those contacts' lines up through the index on
  ``segment_line.contact_no``. Every match is found and counted, whatever the size.
* **very many** (a letter or two): walk the lines from the cursor in chunks of
  ``WALK_CHUNK`` (reporting progress), stopping after ``MATCH_LIMIT`` matches; the count
  then reads "1,000+".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from segment_tui.db import count_of, db, dialect, tuples, write_transaction
from segment_tui.errors import UserError
from segment_tui.filters.search_fold import SEARCH_KEY_FUNCTION, fold_search
from segment_tui.models import Contact, ContactSearchKey, SegmentLine
from segment_tui.services.segments.view import line_key_at

SMALL_SEGMENT = 20_000
"""Segments up to this many lines are searched by reading every line's key once."""
PROBE_LIMIT = 50_000
"""Most contacts a search looks up one by one; beyond, it walks the lines instead."""
MATCH_LIMIT = 1_000
"""Most matches a walk collects (its count then reads "1,000+")."""
FIRST_WALK_CHUNK = 2_000
"""Lines a walk reads with its first query; it also tells a dense search (below)."""
DENSE = 0.025
"""A share of matching lines in that first read that makes walking on cheaper than
looking matching contacts up one by one (1,000 matches within 40,000 lines)."""
WALK_CHUNK = 50_000
"""Most lines a walk reads per query (chunks double up to it; progress in between)."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LineMatches:
    """The lines a search found, in line order."""

    text: str
    """What was searched for, as typed."""
    line_nos: tuple[int, ...]
    """Line nos. of matching lines, ascending."""
    first: int | None
    """Position of ``line_nos[0]`` among all matches (0 = the first match of the
    segment), or None when not known (a bounded search that started mid-segment)."""
    total: int | None
    """How many lines match, or None when more than ``line_nos`` (a bounded search)."""

    def position(self, line_no: int) -> int | None:
        """The 1-based number of the match on ``line_no`` ("3" of "3 of 17"), if known."""
        if self.first is None or line_no not in self.line_nos:
            return None
        return self.first + self.line_nos.index(line_no) + 1

    def describe(self, line_no: int) -> str:
        """Where ``line_no`` stands among the matches: "3 of 17", "3 of 1,000+",
        "1,000+ matches"."""
        position = self.position(line_no)
        total = f"{self.total:,}" if self.total is not None else f"{len(self.line_nos):,}+"
        if position is None:
            return f"{total} matches"
        return f"{position:,} of {total}"

    def next_after(self, line_no: int | None) -> int | None:
        """The first match after ``line_no`` (the first match when None), if collected."""
        return next((n for n in self.line_nos if line_no is None or n > line_no), None)


def search_text(text: str) -> str:
    """``text`` folded for searching; refuses text with no letter or digit."""
    needle = fold_search(text)
    if not needle:
        raise UserError(
            "Type letters or digits to search for (spaces and punctuation are ignored)."
        )
    return needle


def ensure_search_keys(progress: Progress | None = None) -> int:
    """Key the contacts that have no search key yet; returns how many were keyed.

    PostgreSQL's triggers keep the keys in step, so there is nothing to do. On SQLite keys
    are built here, with the ``st_search_key`` function: after a bulk import the first
    search keys every new contact (seconds per million contacts), later ones only what changed.
    Keys only ever exist for existing contacts (migration 12's triggers), so equal counts
    mean nothing is missing.
    """
    if dialect() != "sqlite":
        return 0
    missing = count_of(Contact.select()) - count_of(ContactSearchKey.select())
    if missing <= 0:
        return 0
    if progress is not None:
        progress(f"Preparing search: {missing:,} contacts to index…")
    with write_transaction():
        cursor = db.execute_sql(
            'INSERT INTO "contact_search_key" ("contact_no", "search_key") '
            f'SELECT c."no", {SEARCH_KEY_FUNCTION}(c."no", c."name", c."company_name") '
            'FROM "contact" AS c WHERE NOT EXISTS (SELECT 1 FROM "contact_search_key" AS k '
            'WHERE k."contact_no" = c."no")'
        )
    return int(cursor.rowcount)


def _contains(key: Any, needle: str) -> Any:
    """SQL: the search key ``key`` of a line being walked contains ``needle`` (both
    folded; a plain function, not ``LIKE``, which PostgreSQL would answer from the
    trigram index of every contact)."""
    if dialect() == "sqlite":
        return fn.instr(key, needle) > 0
    return fn.strpos(key, needle) > 0


def _matching_keys(needle: str) -> tuple[str, str]:
    """SQL selecting the contact nos. whose key contains ``needle`` (one parameter), and
    that parameter: through the trigram index where there is one, else a scan."""
    if dialect() != "sqlite":  # LIKE, served by the pg_trgm index when there is one
        return "SELECT contact_no FROM contact_search_key WHERE search_key LIKE %s", (f"%{needle}%")
    if _has_trigrams():  # the FTS5 trigram index answers LIKE
        return (
            "SELECT k.contact_no FROM contact_search_trigrams AS f "
            "JOIN contact_search_key AS k ON k.rowid = f.rowid WHERE f.search_key LIKE ?"
        ), f"%{needle}%"
    return "SELECT contact_no FROM contact_search_key WHERE instr(search_key, ?) > 0", needle


def probe_statement(segment_no: str, needle: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL (and parameters) of the few-contacts plan: the matching keys, then one
    index probe per matching contact (see ``_probe``)."""
    sqlite = dialect() == "sqlite"
    param = "?" if sqlite else "%s"
    keys, pattern = _matching_keys(needle)
    matching = f"SELECT k.contact_no, l.line_no FROM ({keys} LIMIT {param}) AS k "
    if sqlite:
        # "+" keeps the planner off the (segment_no, line_no) index, which would read the
        # whole segment per contact; the probe goes through the index on contact_no.
        sql = matching + (
            "LEFT JOIN segment_line AS l ON l.contact_no = k.contact_no AND +l.segment_no = ?"
        )
    else:
        # LATERAL, kept apart by OFFSET 0: one probe per contact whatever the estimates
        # (PostgreSQL guesses a third of the keys match and would rather hash-join the
        # whole segment).
        sql = matching + (
            "LEFT JOIN LATERAL (SELECT line_no FROM segment_line "
            "WHERE contact_no = k.contact_no AND segment_no = %s OFFSET 0) AS l ON TRUE"
        )
    return sql, (pattern, PROBE_LIMIT + 1, segment_no)


def _has_trigrams() -> bool:
    """Whether the database has migration 12's trigram index of the keys (it is created
    where the database allows: FTS5 on SQLite, pg_trgm on PostgreSQL)."""
    if dialect() == "sqlite":
        query = "SELECT 1 FROM sqlite_master WHERE name = 'contact_search_trigrams'"
    else:
        query = "SELECT 1 FROM pg_indexes WHERE indexname = 'contact_search_key_trigrams'"
    return db.execute_sql(query).fetchone() is not None


def _too_many_contacts(needle: str) -> bool:
    """More than ``PROBE_LIMIT`` contacts match (asked of the trigram index alone)."""
    keys, pattern = _matching_keys(needle)
    param = "?" if dialect() == "sqlite" else "%s"
    sql = f"SELECT count(*) FROM ({keys} LIMIT {param}) AS m"
    return int(db.execute_sql(sql, (pattern, PROBE_LIMIT + 1)).fetchone()[0]) > PROBE_LIMIT


def _probe(segment_no: str, needle: str) -> list[int] | None:
    """The lines of the contacts whose key contains ``needle``, ascending; None when more
    than ``PROBE_LIMIT`` contacts match (walk instead).

    With a trigram index, the index alone first tells whether too many match (no probe is
    wasted). Without one, that would scan the keys twice: each matching contact comes
    back once at least (with a NULL line when it is not on the segment), which tells
    whether the scan stopped at the limit.
    """
    if _has_trigrams() and _too_many_contacts(needle):
        return None
    rows = db.execute_sql(*probe_statement(segment_no, needle)).fetchall()
    if len({contact for contact, _ in rows}) > PROBE_LIMIT:
        return None
    return sorted(int(line) for _, line in rows if line is not None)


def _line_ahead(segment_no: str, after_line_no: int | None, lines: int) -> int | None:
    """The line no. ``lines`` lines after ``after_line_no`` (from the start when None), or
    None past the end: a seek on the (segment_no, line_no) index, no line read."""
    query = SegmentLine.select(SegmentLine.line_no).where(SegmentLine.segment_no == segment_no)
    if after_line_no is not None:
        query = query.where(SegmentLine.line_no > after_line_no)
    hit = query.order_by(SegmentLine.line_no).offset(lines - 1).limit(1).scalar()
    return None if hit is None else int(hit)


def _walk(
    segment_no: str,
    needle: str,
    after_line_no: int | None,
    lines: int,
    wanted: int | None = None,
) -> tuple[list[int], int | None]:
    """The matching lines among the ``lines`` lines after ``after_line_no``, in order
    (the first ``wanted`` only, when given).

    The chunk's end is found on the index first, so the query returns matches only.

    Returns:
        The matching line nos. and the last line no. of the chunk (None when the chunk
        reached the end of the segment).
    """
    end = _line_ahead(segment_no, after_line_no, lines)
    # Each line's key by a correlated subquery (one primary-key probe per line, in line
    # order): as a join, PostgreSQL may hash every key and sort the chunk instead.
    key = ContactSearchKey.alias("walk_key")
    line_key = key.select(key.search_key).where(key.contact_no == SegmentLine.contact_no)
    query = (
        SegmentLine.select(SegmentLine.line_no)
        .where((SegmentLine.segment_no == segment_no) & _contains(line_key, needle))
        .order_by(SegmentLine.line_no)
    )
    if after_line_no is not None:
        query = query.where(SegmentLine.line_no > after_line_no)
    if end is not None:
        query = query.where(SegmentLine.line_no <= end)
    if wanted is not None:
        query = query.limit(wanted)
    return [int(row[0]) for row in tuples(query)], end


def _walk_lines(
    segment_no: str,
    needle: str,
    after_line_no: int | None,
    progress: Progress | None,
    found: list[int] | None = None,
    chunk: int = 0,
) -> tuple[list[int], bool]:
    """Walk the lines after ``after_line_no`` in growing chunks until more than
    ``MATCH_LIMIT`` matches (``found`` so far included) or the end; returns the matches
    and whether the walk reached the end."""
    found = list(found or [])
    last = after_line_no
    chunk, read = chunk or FIRST_WALK_CHUNK, 0
    while len(found) <= MATCH_LIMIT:
        hits, end = _walk(segment_no, needle, last, chunk, MATCH_LIMIT + 1 - len(found))
        found.extend(hits)
        if end is None:
            return found, len(found) <= MATCH_LIMIT
        read += chunk
        last, chunk = end, min(2 * chunk, WALK_CHUNK)
        if progress is not None:
            progress(f"Searching… {read:,} lines read, {len(found):,} found")
    return found, False


def find_lines(
    segment_no: str,
    text: str,
    *,
    after_line_no: int | None = None,
    progress: Progress | None = None,
) -> LineMatches:
    """The lines of ``segment_no`` whose contact no., name or company name contains
    ``text`` (folded).

    Args:
        segment_no: The segment.
        text: What to search for, as typed.
        after_line_no: Where a walk (very many matching contacts) starts; it wraps to the
            first line when nothing matches after it. Ignored when every match is found.
        progress: Told (from this thread) what a long search is doing.
    """
    needle = search_text(text)
    ensure_search_keys(progress)
    # A small segment (a seek on the line index tells): every line's key read once.
    if line_key_at(segment_no, SMALL_SEGMENT) is None:
        hits, _ = _walk(segment_no, needle, None, SMALL_SEGMENT)
        return LineMatches(text, tuple(hits), 0, len(hits))
    # Many matches where the cursor is (a letter or two): walk on from there.
    hits, last = _walk(segment_no, needle, after_line_no, FIRST_WALK_CHUNK)
    dense = last is not None and len(hits) >= FIRST_WALK_CHUNK * DENSE
    # Else few matching contacts: their lines, through the index on contact_no.
    probed = None if dense else _probe(segment_no, needle)
    if probed is not None:
        return LineMatches(text, tuple(probed), 0, len(probed))
    # Very many: walk the lines from ``after_line_no`` until enough matches, from the
    # first line when none matches after it.
    if last is None:  # the first read reached the end: nothing more after the cursor
        found, complete = hits, True
    else:
        found, complete = _walk_lines(
            segment_no, needle, last, progress, hits, 2 * FIRST_WALK_CHUNK
        )
    if after_line_no is not None and not found:
        after_line_no = None
        found, complete = _walk_lines(segment_no, needle, None, progress)
    from_top = after_line_no is None
    if not complete:
        found = found[:MATCH_LIMIT]  # the one more only told there are more
    return LineMatches(
        text, tuple(found), 0 if from_top else None, len(found) if complete and from_top else None
    )
