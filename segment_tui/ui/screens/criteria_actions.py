"""Criteria actions that both the worksheet and the Criteria screen offer: Go Back (with
BC's confirmation) and Save Segment Criteria."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from segment_tui.services.criteria.go_back import go_back
from segment_tui.services.criteria.saved import SavedCriteriaRecord, save_criteria
from segment_tui.services.criteria.view import last_action_summary
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import FormDialog
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
            lambda answers: go_back(segment_no, answers=answers),
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

    def saved(record: SavedCriteriaRecord | None) -> None:
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
