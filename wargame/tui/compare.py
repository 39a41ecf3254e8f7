"""This game beside another save of the same scenario (a what-if and the game it left, or
another group's game): the words of ``wargame compare``, on a full screen that follows F2."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wargame.report.compare import Game, compare_text
from wargame.report.labels import tr
from wargame.tui.dialogs import LeanFooter

WORDS = {
    "title": {"en": "This game (A) beside {other} (B)", "zh": "本局（A）与 {other}（B）对比"},
    "hint": {"en": "↑↓ PgUp PgDn scroll · w writes it as a web page with charts · Esc goes back to the game",
             "zh": "↑↓ PgUp PgDn 滚动 · w 写成带图表的网页 · Esc 返回推演"},
}


class CompareScreen(Screen):
    """Where two games part and by how much, after the last turn both have played."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("w", "write_page", "Web page")]
    DEFAULT_CSS = """
    CompareScreen { background: $background; }
    CompareScreen #compare-title { height: auto; padding: 0 1; background: $primary; color: $text; }
    CompareScreen #compare-hint { height: auto; padding: 0 1; color: $text-muted; }
    CompareScreen #compare-body { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    CompareScreen #compare-text { height: auto; padding: 1 0; }
    """

    def __init__(self, games: list[Game], turn: int) -> None:
        super().__init__()
        self.games, self.turn = games, turn

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title", markup=False)
        yield Static(id="compare-hint", markup=False)
        with VerticalScroll(id="compare-body"):
            yield Static(id="compare-text", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.show_language(getattr(self.app, "lang", "en"))
        self.query_one("#compare-body").focus()

    def show_language(self, lang: str) -> None:
        other = self.games[1].path
        self.query_one("#compare-title", Static).update(Text(tr(WORDS, "title", lang, other=other), style="bold"))
        self.query_one("#compare-hint", Static).update(Text(tr(WORDS, "hint", lang)))
        self.query_one("#compare-text", Static).update(Text(compare_text(self.games, self.turn, lang)))

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_write_page(self) -> None:
        """Write the comparison as a web page with charts (``wargame.report.html``), in the
        language shown, to a file the facilitator names (by default in the saves folder)."""
        from wargame.report.html import compare_page, compare_parts
        from wargame.tui.app import WORDS as APP_WORDS

        app = self.app
        stem = lambda p: Path(p).stem or "game"  # noqa: E731
        default = app.save_dir / f"{stem(self.games[0].path)}-vs-{stem(self.games[1].path)}-{app.lang}.html"

        def write(path: Path) -> str:
            lang = app.lang
            parts = compare_parts(self.games, self.turn, lang)  # read now, drawn in a thread
            return app.write_page(path, "comparison", lambda: compare_page(parts, lang),
                                  tr(APP_WORDS, "compare_page_written", lang, path=path), "compare_page_failed")

        app.ask_for_file("compare_page_title", "compare_page_prompt", default, write, "compare_page_failed")
