"""Helpers shared by the TUI tests: run a pilot body, read what the terminal shows, and
wait for the screen to settle. (pytest-asyncio is not installed: each test is a sync
function running an async body.)"""

from __future__ import annotations

import asyncio


def run(coro) -> None:
    asyncio.run(coro)


def screen_text(app) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """Screen text with wrapping undone: runs of spaces and line ends become one space."""
    return " ".join(text.split())


async def settle(pilot) -> None:
    """Let the screen mount, the workers (saves list, loading, resolving) finish and their
    results land."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
