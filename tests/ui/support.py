"""Helpers for Pilot tests: wait for workers without sleeping, read the screen."""

from __future__ import annotations

import contextlib
from typing import TypeVar

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerCancelled

SIZE = (80, 24)
WIDE = (120, 40)
T = TypeVar("T")


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker runs and the messages they posted are handled (no sleeps)."""
    for _ in range(100):
        # A dialog that closes itself from its worker's result cancels that worker.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return
    raise AssertionError("workers kept starting")


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press keys, letting the app settle after each one."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text into the focused input."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    await settle(pilot)


def assert_showing(app: App[None], screen: Screen[T]) -> None:
    """Fail unless ``screen`` is the screen shown now.

    A function, not ``assert app.screen is screen`` in the test: mypy would take that as
    narrowing ``app.screen`` (and ``screen``) for the rest of the test, across the key
    presses that change the screen.
    """
    assert app.screen is screen, f"{app.screen!r} is shown, not {screen!r}"


def focused_widget(screen: Screen[T]) -> Widget | None:
    """The widget focused on ``screen`` now (read afresh, see :func:`assert_showing`)."""
    return screen.focused


def left_edge(widget: Widget) -> str:
    """The style of the widget's left border ("thick" marks the focused field)."""
    return widget.styles.border_left[0]


def notifications(pilot: Pilot[None]) -> list[str]:
    """The texts of the notifications shown so far."""
    return [n.message for n in pilot.app._notifications]


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """The text of every line of the screen as the terminal shows it (no styles)."""
    strips = pilot.app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]
