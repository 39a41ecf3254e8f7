"""The hot-seat curtain between two teams (or before the White Cell): an opaque full
screen that shows nothing of the team before. It replaces that team's screen (the app
switches screens, it does not stack them), so no widget of the previous team exists
while it is up. Once the curtain is drawn, the app may build the next team's own screen
behind it, off the stack, so that Enter shows it at once.

Enter counts only once the curtain has been up for ``SETTLE_S`` seconds, and "Press Enter
when ready" appears only then: a key pressed twice, or buffered, while the team before
commits must not pass the curtain and show that team the next team's hand."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from wargame.tui.dialogs import LeanFooter
from wargame.report.labels import tr

WORDS = {
    "pass_team": {"en": "Pass the keyboard to {team}", "zh": "请将键盘交给{team}"},
    "pass_wc": {"en": "Pass the keyboard to the White Cell", "zh": "请将键盘交给白方（导调组）"},
    "turn": {"en": "Turn {n} of {t} · {year}", "zh": "第 {n} 回合，共 {t} 回合 · {year} 年"},
    "ready": {"en": "Press Enter when ready", "zh": "准备好后按 Enter"},
    "wc_hint": {"en": "Every team has committed: the White Cell may inject, rule on orders and resolve.",
                "zh": "各队均已提交：白方可插入事件、裁定命令并结算本回合。"},
    "team_hint": {"en": "Only {team} should look at the screen now.", "zh": "此时只有{team}可以看屏幕。"},
    "enter": {"en": "Ready", "zh": "就绪"},
}


class HandoverScreen(Screen):
    """"Pass to <team> — press Enter when ready"; ``team=None`` hands over to the White Cell."""

    BINDINGS = [Binding("enter", "ready", "Ready")]
    SETTLE_S = 0.5  # how long the curtain is up before Enter passes it
    DEFAULT_CSS = """
    HandoverScreen { background: $background; align: center middle; }
    HandoverScreen #curtain-title { text-style: bold; content-align: center middle; width: 100%; }
    HandoverScreen .curtain-line { content-align: center middle; width: 100%; color: $text-muted; }
    """

    def __init__(self, team: str | None) -> None:
        super().__init__()
        self.team = team
        self._ready_at: float | None = None  # when Enter starts to count

    @property
    def ready(self) -> bool:
        """Whether Enter passes the curtain now."""
        return self.SETTLE_S <= 0 or (self._ready_at is not None and time.monotonic() >= self._ready_at)

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(id="curtain-title", markup=False)
            yield Static(id="curtain-turn", classes="curtain-line", markup=False)
            yield Static(id="curtain-hint", classes="curtain-line", markup=False)
            yield Static(id="curtain-ready", classes="curtain-line", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.show_language(getattr(self.app, "lang", "en"))
        report = getattr(self.app, "report_startup", None)
        if report is not None:
            report()
        self.call_after_refresh(self._drawn)

    def _drawn(self) -> None:
        """The curtain is on the terminal: Enter counts after ``SETTLE_S`` more seconds."""
        self._ready_at = time.monotonic() + self.SETTLE_S
        if self.SETTLE_S > 0:
            self.set_timer(self.SETTLE_S, self._show_ready)
        if self.team is not None:
            self._prepare_team()

    def _show_ready(self) -> None:
        self.query_one("#curtain-ready", Static).update(
            Text(tr(WORDS, "ready", getattr(self.app, "lang", "en")), style="italic"))

    def _prepare_team(self) -> None:
        prepare = getattr(self.app, "prepare_team", None)
        if prepare is not None and self.app.screen is self:  # Enter not pressed yet
            prepare(self.team)

    def show_language(self, lang: str) -> None:
        s = self.app.seminar
        if self.team is None:
            title, hint = tr(WORDS, "pass_wc", lang), tr(WORDS, "wc_hint", lang)
        else:
            name = s.team_name(self.team, lang)
            title, hint = tr(WORDS, "pass_team", lang, team=name), tr(WORDS, "team_hint", lang, team=name)
        sc = s.session.scenario
        year = sc.year(s.turn)
        self.query_one("#curtain-title", Static).update(Text(title, style="bold"))
        self.query_one("#curtain-turn", Static).update(
            Text(tr(WORDS, "turn", lang, n=s.turn, t=sc.turns, year=f"{year:g}")))
        self.query_one("#curtain-hint", Static).update(Text(hint))
        if self.ready:
            self._show_ready()

    def action_ready(self) -> None:
        if not self.ready:
            return  # a key meant for the screen before, or pressed twice
        if self.team is not None:
            self.app.enter_team(self.team)
        else:
            self.app.action_white_cell()
