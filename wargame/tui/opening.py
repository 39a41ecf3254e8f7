"""Opening a game for the TUI: a new session from a scenario, or a save resumed.

No textual import here: failures come back as a ``LoadFailure`` holding the same
lines ``wargame check`` / ``wargame replay`` print, never as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wargame.game.session import Session


@dataclass(frozen=True)
class LoadFailure:
    """Why the game could not be opened: a heading and one line per problem."""

    title: str
    lines: tuple[str, ...]


@dataclass
class Opened:
    """A session ready to show, with any warnings worth telling the facilitator."""

    session: Session
    warnings: list[str] = field(default_factory=list)


def problem_lines(problems) -> tuple[str, ...]:
    """The lines ``wargame check`` prints for these problems, summary last."""
    lines = [str(p) for p in problems]
    files = len({p.file for p in problems})
    lines.append(f"{len(lines)} problem(s) in {files} file(s)")
    return tuple(lines)


def open_game(scenario: str | None, load: str | None, seed: int | None) -> Opened | LoadFailure:
    """A new game of ``scenario`` (default: the built-in one) or the save ``load`` resumed."""
    from wargame.model.loader import ContentError, load_scenario
    from wargame.store.save import SaveError, read, replay

    if load is not None:
        try:
            loaded = read(load)
        except SaveError as exc:
            return LoadFailure(f"Cannot read the save {load}", (str(exc),))
        report = replay(loaded, verify=False)
        if report.session is None or report.first_bad_turn is not None:
            why = report.problem or "the log cannot be replayed"
            return LoadFailure(f"Cannot resume the save {load}", (f"{load}: {why}",))
        warnings = [f"{load}: {note}" for note in loaded.content_notes]
        if seed is not None and seed != report.session.seed:
            warnings.append(f"--seed {seed} ignored: the save was played with seed {report.session.seed}")
        return Opened(report.session, warnings)

    from wargame.paths import default_scenario

    target = Path(scenario) if scenario else default_scenario()
    try:
        content = load_scenario(target)
    except ContentError as exc:
        return LoadFailure(f"Cannot load the scenario {target}", problem_lines(exc.problems))
    return Opened(Session.new(content, seed or 0))
