"""Helpers for Pilot tests: wait for workers without sleeping, read the screen."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

SIZE = (80, 24)
WIDE = (120, 40)


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


def notifications(pilot: Pilot[None]) -> list[str]:
    """The texts of the notifications shown so far."""
    return [n.message for n in pilot.app._notifications]


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """The text of every line of the screen as the terminal shows it (no styles)."""
    strips = pilot.app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]
