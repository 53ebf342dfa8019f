"""Log Segment (BC's report 5185 request page): the totals and the letter check first,
then Send, Follow-up and the folder; logging (and delivering) runs in a worker with a
progress bar, and the outcome stays in the dialog until it is closed.

Keyboard rules (docs/ui.md, "Dialogs"): the focus starts on the first option; Space or
Enter toggles an option and never logs; typing on an option goes to the folder field
(nothing typed is lost); Enter in the folder field moves to the Log button; only the
button or ctrl+s logs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from segment_tui.errors import UserError
from segment_tui.models.enums import caption
from segment_tui.services.documents.template_warnings import TemplateWarnings, segment_warnings
from segment_tui.services.log.log_segment import LogResult, LogSummary, log_segment, log_summary
from segment_tui.ui.widgets.option_box import OptionBox
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db

if TYPE_CHECKING:  # the services are imported when first used (start-up time)
    from segment_tui.services.delivery.report import DeliveryReport


def describe_summary(summary: LogSummary) -> str:
    """The totals as the dialog shows them."""
    lines = [f"{count(summary.lines, 'interaction')} will be logged:"]
    for kind, number in sorted(summary.by_correspondence_type.items()):
        lines.append(f"  {caption(kind) or '(no correspondence type)':<26} {number:>8,}")
    lines.append(f"  {'Total cost (LCY)':<26} {summary.cost_lcy:>11,.2f}")
    lines.append(f"  {'Total duration (min.)':<26} {summary.duration_min:>8,}")
    if summary.smtp_target:  # where Send e-mails, shown before anything is sent
        lines.append(f"E-mail via {summary.smtp_target}")
    return "\n".join(lines)


def describe_warnings(found: TemplateWarnings) -> Text:
    """The letter check in a line or two: what is missing, or that nothing is."""
    if not found.checked:
        return Text("Letters: no Word document to merge.", style="dim")
    if not found.warnings:
        return Text(f"Letters — {found.checked}: every line has every value.", style="dim")
    return Text(f"Letters — {found.checked}: {found.headline}.", style="bold")


class LogOutcome:
    """What Log (and its delivery) did, as the dialog reports it."""

    def __init__(self, result: LogResult) -> None:
        self.result = result
        self.delivery = ""
        """The delivery's report, in full (blank without Send)."""
        self.failed = 0
        self.reason = ""
        """Why deliveries failed (the most frequent error), for the headline."""
        self.unknown = 0
        """Entries whose delivery stopped while sending them (they may have gone out)."""

    @property
    def headline(self) -> str:
        """The outcome in two sentences: logged, and whether deliveries failed (why)."""
        result = self.result
        entries = count(result.entries, "interaction")
        text = f"Segment {result.segment_no} has been logged ({entries})."
        if result.follow_up_segment_no:
            text += f" Follow-up segment {result.follow_up_segment_no} created."
        if self.failed:
            failed = count(self.failed, "delivery", "deliveries")
            text += f" {failed} failed" + (f": {self.reason}" if self.reason else "") + "."
            text += " Fix the cause, then Resend (shift+r) in Logged Segments (l)."
        if self.unknown:
            unknown = count(self.unknown, "entry", "entries")
            text += (
                f" {unknown} unknown: the delivery stopped while sending them, so they may"
                " have gone out; check before sending them again."
            )
        return text

    @property
    def message(self) -> str:
        """The headline and the delivery's report (the message history keeps it all)."""
        return f"{self.headline}\n{self.delivery}" if self.delivery else self.headline


def main_reason(errors: dict[int, str]) -> str:
    """The error most entries failed with (one reason is what the user fixes first)."""
    if not errors:
        return ""
    return Counter(errors.values()).most_common(1)[0][0]


class LogDialog(ModalScreen[str | None]):
    """Confirm and run Log for one segment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "log", "Log"),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.busy = False
        self.outcome: LogOutcome | None = None
        """Set once the segment is logged (the dialog then only reports)."""
        self.send_available = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog log"):
            yield Label(f"Log Segment {self.segment_no}", classes="title", id="title")
            headline = Static("", id="headline", markup=False)
            headline.display = False
            yield headline
            with VerticalScroll(id="details"):
                yield Static("reading the lines…", id="summary", markup=False)
            yield Static("Letters: checking…", id="checks", markup=False)
            yield OptionBox("Send (deliver documents: files and e-mail)", id="send", disabled=True)
            yield OptionBox("Create follow-up segment", id="follow_up")
            yield Label("Folder for hard-copy documents (blank: default)", classes="caption")
            yield Input(placeholder="e.g. ~/letters", id="out", select_on_focus=False)
            bar = ProgressBar(total=None, show_eta=False, id="progress")
            bar.display = False
            yield bar
            yield Button("Log", id="log", variant="primary")
            yield Label(
                "Space toggles · Tab moves · ctrl+s or the Log button logs · Esc cancels",
                id="hint",
                classes="hint",
            )

    def on_mount(self) -> None:
        send = self.query_one("#send", Checkbox)

        def show(summary: LogSummary) -> None:
            self.query_one("#summary", Static).update(describe_summary(summary))
            # BC: Send Attachments is on and enabled when some line has a correspondence type.
            self.send_available = summary.send_available
            send.disabled = not summary.send_available
            send.value = summary.send_available
            follow_up = self.query_one("#follow_up", Checkbox)
            if summary.send_available and self.focused is follow_up and not follow_up.value:
                send.focus()  # still untouched: start on the first option

        def checked(found: TemplateWarnings) -> None:
            self.query_one("#checks", Static).update(describe_warnings(found))

        def check_failed(error: UserError) -> None:
            self.query_one("#checks", Static).update(Text(f"Letters: {error}", style="dim"))

        run_db(self, lambda: log_summary(self.segment_no), show)
        run_db(
            self,
            lambda: segment_warnings(self.segment_no),
            checked,
            failed=check_failed,
            group="letter-check",
            description="Check the letters",
        )
        # The first option, not the Log button: typing must never trigger Log.
        self.query_one("#follow_up", Checkbox).focus()

    # -- keyboard ------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Typing on an option goes to the folder field instead of being lost."""
        if self.outcome is not None or self.busy:
            return
        if isinstance(self.focused, Checkbox) and event.is_printable and event.character:
            if event.character == " ":
                return
            folder = self.query_one("#out", Input)
            folder.focus()
            folder.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    @on(Input.Submitted, "#out")
    def _folder_entered(self) -> None:
        self.query_one("#log", Button).focus()

    @on(Button.Pressed, "#log")
    def _pressed(self) -> None:
        if self.outcome is not None:
            self.dismiss(self.outcome.message)
        else:
            self.action_log()

    # -- logging -------------------------------------------------------------------------

    def action_log(self) -> None:
        """Log (all or nothing), then deliver when Send is on."""
        if self.busy or self.outcome is not None:
            return
        send = self.query_one("#send", Checkbox).value
        follow_up = self.query_one("#follow_up", Checkbox).value
        folder = self.query_one("#out", Input).value.strip()
        number = self.segment_no
        self._set_busy(True)

        def logged(result: LogResult) -> None:
            outcome = LogOutcome(result)
            if not (send and result.to_deliver):
                self._finish(outcome)
                return
            # The log is committed: delivery is a second step whose failure (SMTP down, …)
            # leaves the entries logged with status Error for a resend.
            self.query_one("#summary", Static).update(f"{outcome.headline}\nDelivering documents…")
            entry = result.logged_segment_entry_no

            def delivered(report: DeliveryReport) -> None:
                outcome.delivery = report.summary
                outcome.failed = report.failed
                outcome.reason = main_reason(dict(report.errors))
                outcome.unknown = len(report.unknown_entries)
                self._finish(outcome)

            def not_delivered(error: UserError) -> None:
                outcome.delivery = f"Delivery failed: {error}"
                outcome.failed = max(1, result.to_deliver)
                outcome.reason = str(error)
                self._finish(outcome)

            run_db(
                self,
                lambda: _deliver(entry, folder),
                delivered,
                failed=not_delivered,
                description="Deliver documents",
            )

        def failed(error: Exception) -> None:
            self._set_busy(False)
            self.query_one("#summary", Static).update(Text(str(error), style="bold red"))

        run_db(
            self,
            lambda: log_segment(number, send=send, follow_up=follow_up),
            logged,
            failed=failed,
            description="Log segment",
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#progress", ProgressBar).display = busy
        for widget in self.query("OptionBox, Input, Button"):
            widget.disabled = busy or (widget.id == "send" and not self.send_available)

    def _finish(self, outcome: LogOutcome) -> None:
        """Show the outcome in the dialog (it stays until closed): the headline — logged,
        and why deliveries failed — above the delivery's full report, which scrolls; the
        message history keeps both (ctrl+n)."""
        self.outcome = outcome
        self.busy = False
        self.query_one("#progress", ProgressBar).display = False
        for selector in ("#checks", "#send", "#follow_up", ".caption", "#out"):
            self.query_one(selector).display = False
        self.query_one("#title", Label).update(f"Logged Segment {self.segment_no}")
        headline = self.query_one("#headline", Static)
        trouble = bool(outcome.failed or outcome.unknown)
        headline.update(Text(outcome.headline, style="bold" if trouble else ""))
        headline.display = True
        self.query_one("#summary", Static).update(outcome.delivery or "Nothing was delivered.")
        self.query_one("#hint", Label).update(
            "Enter or Esc closes · Tab scrolls the report · ctrl+n lists all messages"
        )
        button = self.query_one("#log", Button)
        button.label = "Close"
        button.disabled = False
        button.focus()
        # No toast: it would cover the report the dialog shows; ctrl+n keeps it.
        app: Any = self.app
        app.remember(
            outcome.message, title="Logged", severity="warning" if trouble else "information"
        )

    def action_cancel(self) -> None:
        """Close without logging (or close the outcome)."""
        if self.outcome is not None:
            self.dismiss(self.outcome.message)
        elif not self.busy:
            self.dismiss(None)


def _deliver(entry_no: int, folder: str) -> DeliveryReport:
    from segment_tui.services.delivery.deliver import deliver_logged_segment

    return deliver_logged_segment(entry_no, Path(folder).expanduser() if folder else None)
