"""The seminar TUI (minimal build): shows the starting position of a game.

``run_app`` is what ``wargame play`` calls. ``WargameApp`` can be built without
running, for tests: ``WargameApp(session=...)`` or ``WargameApp(error=...)``.
Hot-seat play (hands, sealed orders, the White Cell) comes later.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from wargame.tui.labels import LANGS
from wargame.tui.opening import LoadFailure, Opened, open_game
from wargame.tui.screens import ErrorScreen, HelpScreen, MainScreen

if TYPE_CHECKING:
    from wargame.game.session import Session

STARTUP_LOG_ENV = "WARGAME_STARTUP_LOG"
EXIT_OK, EXIT_BAD_INPUT = 0, 2


class WargameApp(App[None]):
    """The wargame in the terminal; opens on the starting position or on a load error."""

    CSS_PATH = "app.tcss"
    TITLE = "wargame"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("l", "toggle_language", "English/中文"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, session: "Session | None" = None,
                 error: LoadFailure | str | Sequence[str] | None = None,
                 start: float | None = None, warnings: Sequence[str] = ()) -> None:
        if (session is None) == (error is None):
            raise ValueError("WargameApp needs exactly one of session= or error=")
        super().__init__()
        self.session = session
        self.failure = _as_failure(error) if error is not None else None
        self.start = time.perf_counter() if start is None else start
        self.warnings = list(warnings)
        self.lang = "en"
        self.startup_seconds: float | None = None
        if session is not None:
            self.title = session.scenario.name.en

    def get_default_screen(self) -> Screen:
        if self.failure is not None:
            return ErrorScreen(self.failure)
        assert self.session is not None
        return MainScreen(self.session)

    def on_mount(self) -> None:
        for warning in self.warnings:
            self.notify(warning, title="Warning", severity="warning", markup=False, timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Language and help apply only when a game is open."""
        if action in ("toggle_language", "help") and self.failure is not None:
            return False
        return True

    # --- actions ----------------------------------------------------------------------
    def action_toggle_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]
        for screen in self.screen_stack:
            show = getattr(screen, "show_language", None)
            if show is not None:
                show(self.lang)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    # --- start-up time ----------------------------------------------------------------
    def report_startup(self) -> None:
        """Log the seconds from process start to the first screen, once (and to a file if
        WARGAME_STARTUP_LOG names one: the number alone, so scripts can read it)."""
        if self.startup_seconds is not None:
            return
        self.startup_seconds = time.perf_counter() - self.start
        self.log(f"startup: first screen mounted after {self.startup_seconds:.3f} s")
        target = os.environ.get(STARTUP_LOG_ENV)
        if target:
            try:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(f"{self.startup_seconds:.4f}\n")
            except OSError as exc:
                self.log(f"startup: cannot write {target}: {exc}")


def _as_failure(error: LoadFailure | str | Sequence[str]) -> LoadFailure:
    if isinstance(error, LoadFailure):
        return error
    if isinstance(error, str):
        return LoadFailure("Cannot open the game", (error,))
    return LoadFailure("Cannot open the game", tuple(str(e) for e in error))


def build_app(scenario: str | None = None, load: str | None = None, seed: int | None = None,
              start: float | None = None) -> WargameApp:
    """Open the game (or find why it cannot be opened) and build the app to show it."""
    opened = open_game(scenario, load, seed)
    if isinstance(opened, LoadFailure):
        return WargameApp(error=opened, start=start)
    assert isinstance(opened, Opened)
    return WargameApp(session=opened.session, start=start, warnings=opened.warnings)


def run_app(scenario: str | None, load: str | None, seed: int | None, start: float) -> int:
    """Run the TUI until the user quits; 0 on a clean exit, 2 if the game could not be opened."""
    app = build_app(scenario, load, seed, start)
    app.run()
    if app.failure is not None:
        return EXIT_BAD_INPUT
    return app.return_code if app.return_code is not None else EXIT_OK
