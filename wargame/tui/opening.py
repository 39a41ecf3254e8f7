"""Opening a game for the TUI: a new session from a scenario, or a save resumed.

No textual import here: failures come back as a ``LoadFailure`` holding the same
lines ``wargame check`` / ``wargame replay`` print, never as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and pydantic load only when a game opens, not for the first screen
    pass


@dataclass(frozen=True)
class LoadFailure:
    """Why the game could not be opened: a heading and one line per problem."""

    title: str
    lines: tuple[str, ...]


def problem_lines(problems) -> tuple[str, ...]:
    """The lines ``wargame check`` prints for these problems, summary last."""
    lines = [str(p) for p in problems]
    files = len({p.file for p in problems})
    lines.append(f"{len(lines)} problem(s) in {files} file(s)")
    return tuple(lines)


def load_content(scenario: str | Path | None):
    """The scenario (default: the built-in one) with its decks, or a ``LoadFailure``
    holding the lines ``wargame check`` prints."""
    from wargame.model.loader import ContentError, load_scenario
    from wargame.paths import default_scenario

    target = Path(scenario) if scenario else default_scenario()
    try:
        return load_scenario(target)
    except ContentError as exc:
        return LoadFailure(f"Cannot load the scenario {target}", problem_lines(exc.problems))


def preset(scenario: str | None, seed: int | None):
    """Check a scenario given on the command line before the start screen offers it."""
    return load_content(scenario)


def open_seminar(scenario: str | None, load: str | None, seed: int | None):
    """A seminar resumed from the save ``load`` (its seats and passphrase included), or a
    ``LoadFailure`` with a one-line reason."""
    from wargame.store.save import SaveError, load_seminar

    try:
        return load_seminar(load)
    except SaveError as exc:
        return LoadFailure(f"Cannot resume the save {load}", (str(exc),))


def new_seminar(content, seed: int, seats: dict[str, str], passphrase: str | None = None):
    """A new seminar game of ``content``."""
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session

    return Seminar(Session.new(content, seed), seats, passphrase=passphrase or None)
