"""Running service calls from the UI: in a thread worker, with the thread's own database
connection, results handed back on the UI thread.

Every database call of the TUI goes through :func:`run_db`, so the event loop never waits
for SQLite and no exception reaches the user as a crash: a :class:`UserError` becomes a
notification (or the caller's handler), BC's questions (:class:`ConfirmationRequired`,
:mod:`segment_tui.questions`) become a dialog with BC's default answer — in
:func:`run_with_questions` only — and anything unexpected is logged and shown.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from segment_tui.db import db
from segment_tui.errors import UserError
from segment_tui.failures import explain_failure
from segment_tui.questions import NO_ANSWERS, Answers, ConfirmationRequired
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog

T = TypeVar("T")
log = logging.getLogger("segment_tui.ui")


def notify_error(node: DOMNode, error: Exception) -> None:
    """Show a refusal as an error notification (the first line is the headline)."""
    text = str(error)
    node.app.notify(
        text.replace("\\", "\n"), title="Refused", severity="error", timeout=8, markup=False
    )


def run_db(
    node: DOMNode,
    call: Callable[[], T],
    done: Callable[[T], Any],
    *,
    failed: Callable[[UserError], Any] | None = None,
    group: str = "db",
    exclusive: bool = False,
    description: str = "",
) -> Worker[None]:
    """Run ``call`` in a thread worker and pass its result to ``done`` on the UI thread."""
    app = node.app

    def deliver(callback: Callable[..., Any], *args: Any) -> None:
        if get_current_worker().is_cancelled:
            return
        with contextlib.suppress(RuntimeError):  # the app is shutting down
            app.call_from_thread(callback, *args)

    def work() -> None:
        try:
            with db.connection_context():
                result = call()
        except UserError as error:
            deliver(failed or (lambda e: notify_error(node, e)), error)
            return
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            # A full disk or a read-only database is said as such (segment_tui.failures).
            problem = explain_failure(error)
            if problem is None:
                log.exception("unexpected failure in %s", description or "a database call")
                problem = UserError(f"Unexpected failure: {type(error).__name__}: {error}")
            # Handed to ``failed`` too, so a dialog waiting for the result is released.
            deliver(failed or (lambda e: notify_error(node, e)), problem)
            return
        deliver(done, result)

    return node.run_worker(
        work,
        thread=True,
        group=group,
        exclusive=exclusive,
        exit_on_error=False,
        description=description,
    )


def run_with_questions(
    node: DOMNode,
    call: Callable[[Answers], T],
    done: Callable[[T], Any],
    *,
    answers: Answers = NO_ANSWERS,
    failed: Callable[[UserError], Any] | None = None,
    description: str = "",
    canceled: Callable[[], Any] | None = None,
) -> None:
    """Like :func:`run_db`, asking BC's questions as they come up and calling again with
    the answers so far: the TUI's one place for them. A question answered with Esc
    cancels the whole request, and ``canceled`` is called."""

    def refused(error: UserError) -> None:
        if not isinstance(error, ConfirmationRequired):
            (failed or (lambda e: notify_error(node, e)))(error)
            return
        asked = error

        def answered(yes: bool | None) -> None:
            if yes is None:
                node.app.notify("Canceled; nothing was changed.", timeout=3)
                if canceled is not None:
                    canceled()
                return
            run_with_questions(
                node,
                call,
                done,
                answers=answers.with_answer(asked.question, yes),
                failed=failed,
                description=description,
                canceled=canceled,
            )

        node.app.push_screen(ConfirmDialog(asked.text, default=asked.default), answered)

    run_db(node, lambda: call(answers), done, failed=refused, description=description)
