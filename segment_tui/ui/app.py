"""The Textual application: wiring only — screens, global keys, help, command palette.

The database is opened by the CLI before the app starts; every screen reads and writes
through the services in thread workers (:mod:`segment_tui.ui.work`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from segment_tui import __version__
from segment_tui.ui import terminal_guard

terminal_guard.install()


@dataclass(frozen=True)
class ShownMessage:
    """A notification as the message history (ctrl+n) keeps it."""

    time: dt.datetime
    severity: SeverityLevel
    title: str
    text: str


class SegmentApp(App[None]):
    """segment-tui: segments and interactions, keyboard only."""

    CSS_PATH = "app.tcss"
    TITLE = "segment-tui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding(
            "ctrl+n",
            "messages",
            "Messages",
            tooltip="Messages of this session (results, warnings, errors)",
            show=False,
            id="app.messages",
        ),
        Binding(
            "ctrl+z",
            "suspend_process",
            "Suspend",
            tooltip="Suspend to the shell (fg resumes)",
            show=False,
            id="app.suspend",
        ),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    def __init__(self, location: str, *, read_only: str = "") -> None:
        super().__init__()
        self.location = location
        """Where the database is (shown in the sub-title)."""
        self.read_only = read_only
        """Why the database cannot be written ("" when it can): said on screen at start."""
        self.sub_title = location
        self.message_history: list[ShownMessage] = []
        """Every notification of this session, oldest first (ctrl+n lists them)."""

    def on_mount(self) -> None:
        """A read-only database is said so at once, and stays in the message history."""
        if self.read_only:
            self.notify(
                f"This database is read-only ({self.read_only}): you can look at "
                "everything, but every change will be refused.",
                title="Read-only",
                severity="warning",
                timeout=30,
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
        history: str | None = None,
    ) -> None:
        """Notifications show user data (codes, names, typed search text) as plain text.

        Textual reads them as markup by default, so ``[/x]`` typed into a search crashed
        the app; nothing here uses markup in a notification, so it is always off. Every
        notification is also kept in the message history, since a toast goes away;
        ``history`` keeps a longer text there than the toast shows.
        """
        text = history or message
        self.message_history.append(ShownMessage(dt.datetime.now(), severity, title, text))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def remember(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information"
    ) -> None:
        """Keep a message in the history without a toast (it is on screen already)."""
        self.message_history.append(ShownMessage(dt.datetime.now(), severity, title, message))

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit (Textual's own message is markup, shown raw here)."""
        self.notify("Press Ctrl+Q to quit.", title="Do you want to quit?")

    def action_messages(self) -> None:
        """List this session's messages, newest first (ctrl+n)."""
        from segment_tui.ui.screens.messages import MessagesScreen

        if isinstance(self.screen, MessagesScreen):
            self.screen.dismiss()
            return
        self.push_screen(MessagesScreen(list(self.message_history)))

    def format_title(self, title: str, sub_title: str) -> Content:
        """Every screen's header ends with the session's work date (BC's WORKDATE), after
        READ-ONLY on a database that cannot be written; a long sub-title gives way so both
        stay visible at 80 columns."""
        from segment_tui.services.setup.work_date import work_date

        stamp = f"work date {work_date().isoformat()}"
        if self.read_only:  # never cut off, unlike the location
            stamp = f"READ-ONLY · {stamp}"
        # The header's icon and clock space take 16 columns; keep two spare.
        room = max(0, self.size.width - 18 - len(title) - len(stamp) - 6)
        if len(sub_title) > room:
            sub_title = sub_title[: max(0, room - 1)].rstrip() + "…" if room > 1 else ""
        content = super().format_title(title, sub_title)
        return Content.assemble(content, (" · ", "dim"), (stamp, "bold"))

    def action_work_date(self) -> None:
        """Set the session's work date (what w/workdate mean in filters, new segments'
        date); t or blank follows today again."""
        from segment_tui.questions import Answers
        from segment_tui.services.setup.work_date import parse_work_date, set_work_date, work_date
        from segment_tui.ui.screens.dialogs import EditValueDialog

        def apply(text: str, _: Answers) -> object:
            return set_work_date(parse_work_date(text))

        def done(result: object) -> None:
            if result is not None:
                self.mutate_reactive(App.sub_title)  # the headers show the new date
                self.notify(f"Work date {work_date().isoformat()}.", timeout=4)

        dialog = EditValueDialog(
            "Work Date", work_date().isoformat(), apply, hint="YYYY-MM-DD, or t for today"
        )
        self.push_screen(dialog, done)

    def get_default_screen(self) -> Screen[None]:
        from segment_tui.ui.screens.segments import SegmentsScreen

        return SegmentsScreen()

    def action_help(self) -> None:
        """Show every key of the current screen (F1 or ?), its own actions first."""
        from segment_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_key_display(self, binding: Binding) -> str:
        """Keys as short as the footer needs them: ``L`` (not ``shift+l``), ``/``, ``del``."""
        display = binding.key_display or ""
        if display.startswith("shift+") and len(display) == 7:
            return display[-1].upper()
        short = {"slash": "/", "delete": "del", "insert": "ins", "escape": "esc"}
        return short.get(display or binding.key, "") or super().get_key_display(binding)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action of the current screen is in the palette (ctrl+p), with its key."""
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.system or binding.action in seen:
                continue
            if not active.enabled:
                continue
            seen.add(binding.action)
            node, action = active.node, binding.action
            # The tooltip is the action's full name (the footer's description is short).
            yield SystemCommand(
                binding.tooltip or binding.description,
                f"{binding.key_display or key} — {binding.tooltip or binding.description}",
                lambda node=node, action=action: self.run_action(action, node),
            )
        if "app.work_date" not in seen:
            yield SystemCommand("Work Date", "Set the session's work date", self.action_work_date)
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "About", f"segment-tui {__version__}", lambda: self.notify(f"segment-tui {__version__}")
        )
