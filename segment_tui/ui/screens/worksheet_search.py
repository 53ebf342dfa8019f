"""The worksheet's search in lines: `/` asks what to find, `n` goes to the next match.

Matching is :mod:`segment_tui.services.segments.line_search`'s (contact no., name or company name;
case, accents, spaces and punctuation ignored). A line above the status bar says what
happens: "Searching “obrien”…" while the query runs (and "Preparing search…" when SQLite
must first index new contacts), then "Search “obrien”: 3 of 17" — or "3 of 1,000+" when a
search matching very many contacts stopped counting.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Static

from segment_tui.errors import UserError
from segment_tui.services.segments.line_search import LineMatches, find_lines
from segment_tui.ui.screens.dialogs import FormDialog
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.work import notify_error, run_db

STATUS_ID = "search-status"


class LineSearch:
    """Search state of one worksheet: the text, the matches found, the status line."""

    def __init__(self, screen: Screen[Any], segment_no: str, table: str = "#lines") -> None:
        self.screen = screen
        self.segment_no = segment_no
        self.table_selector = table
        self.text = ""
        """The last text searched for."""
        self.matches: LineMatches | None = None
        """What the last search found; None once the lines changed (search again)."""

    @property
    def table(self) -> VirtualTable:
        """The lines table."""
        return self.screen.query_one(self.table_selector, VirtualTable)

    @property
    def status_text(self) -> str:
        """What the search line says (blank before the first search)."""
        found = self.screen.query(f"#{STATUS_ID}")
        return str(found.first(Static).content) if found else ""

    def _cursor_line(self) -> int | None:
        key = self.table.cursor_key
        return None if key is None else int(key)

    def show(self, text: str) -> None:
        """Put ``text`` on the search line (added above the status bar on first use)."""
        found = self.screen.query(f"#{STATUS_ID}")
        if found:
            found.first(Static).update(text)
            return
        line = Static(text, id=STATUS_ID, classes="status", markup=False)
        status = self.screen.query("#status")
        self.screen.mount(line, before=status.first() if status else None)

    def lines_changed(self) -> None:
        """The lines were re-read (an edit, an action): the next `n` searches again."""
        self.matches = None

    # -- actions -------------------------------------------------------------------------

    def ask(self) -> None:
        """`/`: ask what to find, then go to the first match at or after the cursor."""

        def entered(values: dict[str, str] | None) -> None:
            if values and values["text"].strip():
                self.text = values["text"].strip()
                line = self._cursor_line()
                self._search(None if line is None else line - 1, wrap_note=False)

        self.screen.app.push_screen(
            FormDialog(
                "Search lines by contact no., name or company name",
                [("text", "Find (case, accents and punctuation do not matter)", self.text)],
            ),
            entered,
        )

    def next(self) -> None:
        """`n`: go to the next match after the cursor (wrapping to the first)."""
        if not self.text:
            self.ask()
            return
        line = self._cursor_line()
        matches = self.matches
        if matches is not None:
            target = matches.next_after(line)
            if target is not None:
                self._go(matches, target)
                return
            if matches.total is not None:  # every match is known: wrap
                target = matches.next_after(None)
                if target is not None:
                    self._go(matches, target, wrapped=True)
                    return
        self._search(line, wrap_note=True)

    # -- running -------------------------------------------------------------------------

    def _search(self, after_line_no: int | None, *, wrap_note: bool) -> None:
        """Run the search in a worker; "Searching…" shows until it answers."""
        text, segment_no = self.text, self.segment_no
        self.show(f"Searching “{text}”…")
        app = self.screen.app

        def progress(message: str) -> None:  # called from the worker thread
            app.call_from_thread(self.show, message)

        def found(matches: LineMatches) -> None:
            self.matches = matches
            if not matches.line_nos:
                self.show(f"Search “{text}”: no line matches")
                self.screen.notify(f"No line matches “{text}”.", severity="warning", timeout=3)
                return
            target = matches.next_after(after_line_no)
            wrapped = target is None and after_line_no is not None
            self._go(matches, target or matches.line_nos[0], wrapped=wrapped and wrap_note)

        def failed(error: UserError) -> None:
            self.show(f"Search “{text}”: {error}")
            notify_error(self.screen, error)

        run_db(
            self.screen,
            lambda: find_lines(segment_no, text, after_line_no=after_line_no, progress=progress),
            found,
            failed=failed,
            group="line-search",
            exclusive=True,
            description="search in lines",
        )

    def _go(self, matches: LineMatches, line_no: int, *, wrapped: bool = False) -> None:
        """Move the cursor to the match on ``line_no`` and say which match it is."""
        note = " (from the top)" if wrapped else ""
        self.show(f"Search “{matches.text}”: {matches.describe(line_no)}{note} · n next")
        self.screen.call_later(self.table.go_to_key, line_no)
