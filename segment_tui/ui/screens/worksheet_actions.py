"""The worksheet's criteria and logging actions (Add/Reduce/Refine, Go Back, Criteria,
Save/Reuse Criteria, Reuse Segment, Log, letter preview), kept apart from editing."""

from __future__ import annotations

from textual.screen import Screen

from segment_tui.services.criteria.saved import reuse_criteria, reuse_logged_segment
from segment_tui.services.setup.lookups import lookup_for, lookup_logged_segments
from segment_tui.ui.screens.criteria import CriteriaScreen
from segment_tui.ui.screens.criteria_actions import confirm_go_back, open_save_criteria
from segment_tui.ui.screens.dialogs import LookupDialog
from segment_tui.ui.widgets import VirtualTable
from segment_tui.ui.wording import count
from segment_tui.ui.work import run_with_questions


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
                lambda answers: reuse_criteria(self.segment_no, code, answers=answers),
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
                lambda answers: reuse_logged_segment(self.segment_no, int(entry), answers=answers),
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
