"""The worksheet's criteria and logging actions (Add/Reduce/Refine, Go Back, Criteria,
Save/Reuse Criteria, Reuse Segment, Log, letter preview), kept apart from editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from segment_tui.services.go_back import go_back
from segment_tui.services.lookups import lookup_for, lookup_logged_segments
from segment_tui.services.saved_criteria import reuse_criteria, reuse_logged_segment, save_criteria
from segment_tui.services.segment_view import last_action_summary
from segment_tui.ui.screens.dialogs import ConfirmDialog, FormDialog, LookupDialog
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_db, run_with_questions


def go_back_question(summary: str) -> str:
    """BC's Go Back question, naming the action it undoes."""
    return f"This will undo the last criteria action:\n  {summary}\nDo you want to continue?"


def confirm_go_back(screen: Screen[Any], segment_no: str, after: Callable[[], Any]) -> None:
    """BC's Go Back: confirm (default No) naming the action, undo it, report what changed."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return

        def done(result: Any) -> None:
            after()
            screen.notify(
                f"Undid criteria action {result.action_no}: "
                f"{count(result.removed, 'line')} removed, {result.restored:,} restored.",
                timeout=5,
            )

        run_with_questions(
            screen,
            lambda answers: go_back(
                segment_no, reset_criteria_if_empty=answers.get("reset_criteria")
            ),
            done,
        )

    def counted(summary: str) -> None:
        # BC asks only when there is an action to undo.
        if not summary:
            screen.notify(f"Segment {segment_no} has no criteria action to undo.", timeout=4)
            return
        screen.app.push_screen(ConfirmDialog(go_back_question(summary), default=False), answered)

    run_db(screen, lambda: last_action_summary(segment_no), counted)


def open_save_criteria(screen: Screen[Any], segment_no: str) -> None:
    """The Save Segment Criteria dialog (code and description)."""

    def saved(record: dict[str, Any] | None) -> None:
        if record:
            actions = count(record["no_of_actions"], "action")
            screen.notify(f"Saved criteria {record['code']} ({actions}).", timeout=4)

    screen.app.push_screen(
        FormDialog(
            "Save Segment Criteria",
            [("code", "Code", ""), ("description", "Description", "")],
            submit=lambda values: save_criteria(segment_no, values["code"], values["description"]),
        ),
        saved,
    )


class WorksheetActions(Screen[None]):
    """Actions of the worksheet that run criteria or log the segment."""

    segment_no: str

    def refresh_all(self) -> None:
        """Read header and lines again (implemented by the worksheet)."""
        raise NotImplementedError

    @property
    def lines(self) -> VirtualTable:
        """The lines table (implemented by the worksheet)."""
        raise NotImplementedError

    def _criteria_dialog(self, mode: str) -> None:
        from segment_tui.ui.screens.criteria_dialog import CriteriaDialog

        def applied(message: str | None) -> None:
            if message:
                self.refresh_all()
                self.notify(message, timeout=5)

        self.app.push_screen(CriteriaDialog(self.segment_no, mode), applied)

    def action_add_contacts(self) -> None:
        """Add Contacts by criteria (with a live preview)."""
        self._criteria_dialog("add")

    def action_reduce(self) -> None:
        """Reduce: remove the contacts matching the criteria."""
        self._criteria_dialog("reduce")

    def action_refine(self) -> None:
        """Refine: keep only the contacts matching the criteria."""
        self._criteria_dialog("refine")

    def action_go_back(self) -> None:
        """Undo the last criteria action (BC asks first; default No)."""
        confirm_go_back(self, self.segment_no, self.refresh_all)

    def action_criteria(self) -> None:
        """Show the criteria actions with their filters and +added/−removed."""
        from segment_tui.ui.screens.criteria import CriteriaScreen

        self.app.push_screen(CriteriaScreen(self.segment_no), lambda _: self.refresh_all())

    def action_save_criteria(self) -> None:
        """Save the criteria actions under a code."""
        open_save_criteria(self, self.segment_no)

    def action_reuse_criteria(self) -> None:
        """Run saved criteria on this segment."""

        def picked(code: str | None) -> None:
            if not code:
                return
            run_with_questions(
                self,
                lambda answers: reuse_criteria(
                    self.segment_no, code, confirmed=answers.get("reuse", False)
                ),
                lambda results: self._reused(
                    f"Reused criteria {code}: {count(len(results), 'action')}."
                ),
            )

        self.app.push_screen(
            LookupDialog("Saved Segment Criteria", lookup_for("saved_criteria")), picked
        )

    def action_reuse_segment(self) -> None:
        """Add the contacts of a logged segment."""

        def picked(entry: str | None) -> None:
            if not entry:
                return
            run_with_questions(
                self,
                lambda answers: reuse_logged_segment(
                    self.segment_no, int(entry), confirmed=answers.get("reuse", False)
                ),
                lambda result: self._reused(
                    f"Added {count(result.added, 'contact')} of logged segment {entry}."
                ),
            )

        self.app.push_screen(LookupDialog("Logged Segments", lookup_logged_segments), picked)

    def _reused(self, message: str) -> None:
        self.refresh_all()
        self.notify(message, timeout=5)

    def action_log(self) -> None:
        """Log the segment (totals first; Send and Follow-up options)."""
        from segment_tui.ui.screens.log_dialog import LogDialog

        def logged(message: str | None) -> None:
            if message:  # logged: the segment is gone (the dialog has reported the outcome)
                self.app.pop_screen()

        self.app.push_screen(LogDialog(self.segment_no), logged)

    def action_preview(self) -> None:
        """Show the merged letter of the line under the cursor (nothing is logged)."""
        from segment_tui.ui.screens.preview import PreviewScreen

        key = self.lines.cursor_key
        if key is None:
            return
        self.app.push_screen(PreviewScreen(self.segment_no, int(key)))
