"""Log Segment (BC's report 5185 request page): the totals first, then Send and
Follow-up; logging (and delivering) runs in a worker with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from segment_tui.models.enums import caption
from segment_tui.services.log_segment import LogSummary, log_segment, log_summary
from segment_tui.ui.widgets.option_box import OptionBox
from segment_tui.ui.work import run_db


def describe_summary(summary: LogSummary) -> str:
    """The totals as the dialog shows them."""
    lines = [f"{summary.lines:,} interactions will be logged:"]
    for kind, count in sorted(summary.by_correspondence_type.items()):
        lines.append(f"  {caption(kind) or '(no correspondence type)':<26} {count:>8,}")
    lines.append(f"  {'Total cost (LCY)':<26} {summary.cost_lcy:>11,.2f}")
    lines.append(f"  {'Total duration (min.)':<26} {summary.duration_min:>8,}")
    if summary.smtp_target:  # where Send e-mails, shown before anything is sent
        lines.append(f"E-mail via {summary.smtp_target}")
    return "\n".join(lines)


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

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog log"):
            yield Label(f"Log Segment {self.segment_no}", classes="title")
            yield Static("reading the lines…", id="summary", markup=False)
            yield OptionBox("Send (deliver documents: files and e-mail)", id="send", disabled=True)
            yield OptionBox("Create follow-up segment", id="follow_up")
            yield Label("Folder for hard-copy documents (blank: default)", classes="caption")
            yield Input(placeholder="e.g. ~/letters", id="out")
            bar = ProgressBar(total=None, show_eta=False, id="progress")
            bar.display = False
            yield bar
            yield Button("Log", id="log", variant="primary")
            yield Label("ctrl+s or the Log button logs · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        def show(summary: LogSummary) -> None:
            self.query_one("#summary", Static).update(describe_summary(summary))
            send = self.query_one("#send", Checkbox)
            # BC: Send Attachments is on and enabled when some line has a correspondence type.
            send.disabled = not summary.send_available
            send.value = summary.send_available

        run_db(self, lambda: log_summary(self.segment_no), show)
        self.query_one("#log", Button).focus()

    @on(Button.Pressed, "#log")
    def _pressed(self) -> None:
        self.action_log()

    def action_log(self) -> None:
        """Log (all or nothing), then deliver when Send is on."""
        if self.busy:
            return
        send = self.query_one("#send", Checkbox).value
        follow_up = self.query_one("#follow_up", Checkbox).value
        folder = self.query_one("#out", Input).value.strip()
        number = self.segment_no
        self.busy = True
        self.query_one("#progress", ProgressBar).display = True

        def logged(result: Any) -> None:
            message = f"Segment {number} has been logged ({result.entries:,} interactions)."
            if result.follow_up_segment_no:
                message += f" Follow-up segment {result.follow_up_segment_no} created."
            if not (send and result.to_deliver):
                self.dismiss(message)
                return
            # The log is committed: delivery is a second step whose failure (SMTP down, …)
            # leaves the entries logged with status Error for a resend.
            self.query_one("#summary", Static).update(f"{message}\nDelivering documents…")
            entry = result.logged_segment_entry_no
            run_db(
                self,
                lambda: _deliver(entry, folder),
                lambda report: self.dismiss(f"{message} {report}"),
                failed=lambda e: self.dismiss(f"{message} Delivery failed: {e}"),
                description="Deliver documents",
            )

        def failed(error: Exception) -> None:
            self.busy = False
            self.query_one("#progress", ProgressBar).display = False
            self.query_one("#summary", Static).update(Text(str(error), style="bold red"))

        run_db(
            self,
            lambda: log_segment(number, send=send, follow_up=follow_up),
            logged,
            failed=failed,
            description="Log segment",
        )

    def action_cancel(self) -> None:
        """Close without logging."""
        if not self.busy:
            self.dismiss(None)


def _deliver(entry_no: int, folder: str) -> str:
    from segment_tui.services.delivery import deliver_logged_segment

    report: Any = deliver_logged_segment(entry_no, Path(folder).expanduser() if folder else None)
    return str(report.summary)
