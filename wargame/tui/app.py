"""The seminar TUI: one terminal, four teams taking turns at the keyboard, and the White
Cell running the game.

``run_app`` is what ``wargame play`` calls. ``WargameApp`` can be built without running,
for tests: ``WargameApp()`` opens on the start screen, ``WargameApp(seminar=...)`` on a
game in progress, ``WargameApp(error=...)`` on a load error.

The app is the router of the hot-seat flow (``advance``): a handover curtain for the team
whose orders are due, then its screen; when every human team has committed, a curtain for
the White Cell, then its screen; after resolution, the turn's report; then the next turn.
Screens replace one another (``switch_screen``), so no screen of a previous team is ever
left underneath the next one. While a team's curtain is up, that team's screen may be
built off the stack (``prepare_team``) so that Enter only has to show it; it is dropped as
soon as anything else is shown. The game itself lives in ``wargame.game.seminar.Seminar``;
every change is autosaved through ``wargame.store.save.save_seminar``.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual import work

from wargame.report.labels import LANGS, tr, tr_in
from wargame.terminal import printable
from wargame.tui.opening import LoadFailure

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar
    from wargame.tui.dialogs import Words

STARTUP_LOG_ENV = "WARGAME_STARTUP_LOG"
SAVE_DIR_ENV = "WARGAME_SAVE_DIR"
EXIT_OK, EXIT_BAD_INPUT = 0, 2
EXIT_HANGUP = 129  # the terminal went away (128 + SIGHUP, as a shell reports a hang-up)
TERMINAL_WATCH_S = 1.0  # how often the app looks whether its terminal is still there

WORDS = {
    "start_q": {"en": "Leave this game for the start screen? Everything up to the last commit is saved; "
                      "a plan not yet committed is lost.",
                "zh": "离开本局，回到开始界面？最后一次提交之前的内容都已保存；尚未提交的计划将丢失。"},
    "quit_q": {"en": "Quit the game? Everything up to the last commit is saved.",
               "zh": "退出推演？最后一次提交之前的内容都已保存。"},
    "save_title": {"en": "Save the game", "zh": "保存推演"},
    "save_prompt": {"en": "File to write (a .json save):", "zh": "保存到文件（.json 存档）："},
    "saved": {"en": "Saved to {path}", "zh": "已保存到 {path}"},
    "kept": {"en": "{name} stays as it was; play goes on in {path}",
             "zh": "{name} 保持原样；游戏继续保存在 {path}"},
    "save_failed": {"en": "Cannot save", "zh": "无法保存"},
    "pass_title": {"en": "White Cell", "zh": "白方（导调组）"},
    "pass_prompt": {"en": "Passphrase:", "zh": "口令："},
    "pass_wrong": {"en": "Wrong passphrase.", "zh": "口令错误。"},
    "no_game": {"en": "Start or load a game first.", "zh": "请先开始或读取一局推演。"},
    "cmd_help": {"en": "Help: turn flow and keys", "zh": "帮助：回合流程与按键"},
    "cmd_lang": {"en": "Language: English / 中文", "zh": "语言：English / 中文"},
    "cmd_wc": {"en": "White Cell: control the game", "zh": "白方：导调推演"},
    "cmd_save": {"en": "Save the game as…", "zh": "另存推演…"},
    "cmd_debrief": {"en": "Debrief: write the game so far as a Markdown file or a web page with charts…",
                    "zh": "复盘：将至今的推演写成 Markdown 文件或带图表的网页…"},
    "debrief_title": {"en": "Write the debrief", "zh": "写出复盘"},
    "debrief_prompt": {"en": "File to write, in the language shown (.md: Markdown; .html: a web page with charts):",
                       "zh": "写入文件，使用当前语言（.md：Markdown；.html：带图表的网页）："},
    "drawing": {"en": "Drawing the charts for {path}…", "zh": "正在为 {path} 绘制图表…"},
    "names_folder": {"en": "{path}: ends with a slash, so it names a folder; give a file name",
                     "zh": "{path}：以斜杠结尾，表示文件夹；请给出文件名"},
    "cmd_briefing": {"en": "Briefings: write every team's briefing and the White Cell's as the game stands…",
                     "zh": "简报：按推演现状写出各队及白方的简报…"},
    "briefing_title": {"en": "Write the briefings", "zh": "写出简报"},
    "briefing_prompt": {"en": "File to write, every team then the White Cell, in the language shown "
                              "(.html: a web page, each team on pages of its own when printed; .md: Markdown):",
                        "zh": "写入文件，各队依次排列，最后为白方，使用当前语言（.html：网页，打印时每队另起一页；.md：Markdown）："},
    "briefing_written": {"en": "Briefings of {n} teams and the White Cell written to {path}",
                         "zh": "已将 {n} 个队伍及白方的简报写入 {path}"},
    "briefing_failed": {"en": "Cannot write the briefings", "zh": "无法写出简报"},
    "debrief_written": {"en": "Debrief of {n} turn(s) written to {path}", "zh": "已将 {n} 个回合的复盘写入 {path}"},
    "debrief_failed": {"en": "Cannot write the debrief", "zh": "无法写出复盘"},
    "cmd_start": {"en": "Start screen: new game or load a save", "zh": "开始界面：新推演或读取存档"},
    "cmd_reopen": {"en": "White Cell: reopen the highlighted team's orders (o)", "zh": "白方：退回所选队伍的命令（o）"},
    "cmd_quit": {"en": "Quit", "zh": "退出"},
    "cmd_whatif": {"en": "What-if: play on from an earlier turn, as a new game…",
                   "zh": "假设推演：从较早的回合另开一局继续…"},
    "whatif_title": {"en": "What-if", "zh": "假设推演"},
    "whatif_turn": {"en": "Play again from after which turn? (0 = the start, up to {last}; this game is kept "
                          "as it is)",
                    "zh": "从第几回合之后重新推演？（0 = 开局，最多到 {last}；本局原样保留）"},
    "whatif_bad": {"en": "Expected a whole number from 0 to {last}.", "zh": "请输入 0 到 {last} 之间的整数。"},
    "whatif_note": {"en": "What does the what-if ask? (kept in the new save; may be left empty)",
                    "zh": "这一假设想回答什么问题？（记入新存档，可留空）"},
    "whatif_done": {"en": "A new game from after turn {turn}: {new}. The game before is kept in {old}.",
                    "zh": "已从第 {turn} 回合之后另开一局：{new}。原来的推演保存在 {old}。"},
    "whatif_failed": {"en": "Cannot start the what-if", "zh": "无法开始假设推演"},
    "cmd_compare": {"en": "Compare: this game beside another save of the same scenario…",
                    "zh": "对比：将本局与同一想定的另一存档并列比较…"},
    "compare_title": {"en": "Compare with another game", "zh": "与另一局对比"},
    "compare_prompt": {"en": "The save to set beside this game (a what-if, or another group's game):",
                       "zh": "要与本局并列比较的存档（假设推演，或另一组的推演）："},
    "compare_failed": {"en": "Cannot compare", "zh": "无法对比"},
    "compare_page_title": {"en": "Write the comparison", "zh": "写出对比"},
    "compare_page_prompt": {"en": "Web page to write, with a chart of each meter (in the language shown):",
                            "zh": "写入网页，含各项指标的图表（使用当前语言）："},
    "compare_page_written": {"en": "Comparison written to {path}", "zh": "已将对比写入 {path}"},
    "compare_page_failed": {"en": "Cannot write the comparison", "zh": "无法写出对比"},
}


def default_save_dir() -> Path:
    return Path(os.environ.get(SAVE_DIR_ENV) or "saves")


class WargameApp(App[None]):
    """The wargame in the terminal."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # found from any subclass's folder
    TITLE = "wargame"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "toggle_language", "中/EN"),
        Binding("f5", "white_cell", "W.Cell"),
        Binding("ctrl+s", "save_as", "Save"),
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
    ]

    def __init__(self, seminar: "Seminar | None" = None,
                 error: LoadFailure | str | Sequence[str] | None = None,
                 start: float | None = None, warnings: Sequence[str] = (),
                 save_dir: str | Path | None = None, save_path: str | Path | None = None) -> None:
        super().__init__()
        self.seminar: Seminar | None = None
        self.failure = _as_failure(error) if error is not None else None
        self.start = time.perf_counter() if start is None else start
        self.warnings = list(warnings)
        self.lang = "en"
        self.save_dir = Path(save_dir) if save_dir is not None else default_save_dir()
        self.save_path: Path | None = None
        self.checkpoint: Path | None = None  # the save made on purpose this game was resumed from
        self.startup_seconds: float | None = None
        self._prepared: Screen | None = None  # a team's screen built behind its curtain
        self._pending = (seminar, Path(save_path) if save_path else None) if seminar is not None else None

    # --- screens ------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return Backdrop()

    def on_mount(self) -> None:
        from wargame.tui.screens import ErrorScreen
        from wargame.tui.start import StartScreen

        for warning in self.warnings:
            self.notify(warning, title="Warning", severity="warning", markup=False, timeout=10)
        if self.failure is not None:
            self.push_screen(ErrorScreen(self.failure))
        elif self._pending is not None:
            seminar, path = self._pending
            self._pending = None
            self.begin(seminar, path)
        else:
            self.push_screen(StartScreen())

    def begin(self, seminar: "Seminar", save_path: Path | None = None) -> None:
        """Take over a game (new or loaded): autosave it after every change, then go to
        whoever is due."""
        from wargame.store.save import AUTOSAVE_PREFIX, autosave_path, save_seminar

        self.seminar = seminar
        kept = None
        if save_path is not None and not Path(save_path).name.startswith(AUTOSAVE_PREFIX):
            # a save made on purpose (a checkpoint) is never written over by play: the game
            # goes on in an autosave of its own; an autosave goes on in itself
            kept, save_path = Path(save_path), None
        self.checkpoint = kept
        self.save_path = save_path or autosave_path(self.save_dir, seminar.session,
                                                    time.strftime("%Y%m%d-%H%M"))
        if kept is not None and not seminar.session.over:
            self.notify(tr(WORDS, "kept", self.lang, name=kept.name, path=self.save_path), markup=False,
                        timeout=8)
        self.title = seminar.session.scenario.name.get(self.lang)

        def autosave() -> None:
            try:
                save_seminar(seminar, self.save_path)
            except Exception as exc:  # a full disk must not end the seminar
                self.notify(str(exc), title=tr(WORDS, "save_failed", self.lang), severity="error",
                            markup=False, timeout=15)

        seminar.on_change = autosave
        if kept is None:  # a new game, or an autosave going on in itself
            autosave()
        # (a checkpoint's own autosave starts with the first change: looking at a finished
        # game's debrief leaves no new file behind)
        self.advance()
        self.call_after_refresh(_settle_heap)

    def on_ready(self) -> None:
        self.set_timer(1.0, _settle_heap)  # after the first screen is on the terminal
        if not self.is_headless and _terminal_alive():
            self.set_interval(TERMINAL_WATCH_S, self._watch_terminal)

    def _watch_terminal(self) -> None:
        """End the app when its terminal has gone (a closed tmux session or window, a lost
        connection). A process started under another program, `make play` say, is not sent
        the hang-up signal: its terminal then reads as an endless end of file, and the app
        would go on in the background for ever, spinning on it. The game itself is safe:
        it is saved after every commit, ruling and resolution."""
        if not _terminal_alive():
            self.exit(return_code=EXIT_HANGUP)

    def advance(self) -> None:
        """Show whatever comes next: the curtain for the team whose orders are due, or for
        the White Cell, or the final debrief."""
        from wargame.tui.handover import HandoverScreen
        from wargame.tui.report import ReportScreen

        s = self.seminar
        if s is None:
            return
        if s.over:
            self._show(ReportScreen(turn=None, final=True))
        else:
            self._show(HandoverScreen(s.due))  # None: the White Cell's turn

    def prepare_team(self, team: str) -> None:
        """Build the team's screen while its own curtain is up, without showing it, so that
        Enter on the curtain only has to lay it out and draw it. The screen is registered
        off the stack (Textual's first step in showing any screen): it is in no screen stack
        and nothing of it is drawn until ``enter_team`` shows it."""
        from wargame.tui.team import TeamScreen

        self._drop_prepared()
        self._prepared = TeamScreen(team)
        self._register(self, self._prepared)

    def _drop_prepared(self) -> None:
        screen, self._prepared = self._prepared, None
        if screen is not None:
            screen.remove()

    def enter_team(self, team: str) -> None:
        from wargame.tui.team import TeamScreen

        screen, self._prepared = self._prepared, None
        if screen is None or getattr(screen, "team", None) != team:
            if screen is not None:
                screen.remove()
            screen = TeamScreen(team)
        else:
            screen.show_language(self.lang)  # F2 may have been pressed on the curtain
        self._show(screen)

    def enter_white_cell(self) -> None:
        from wargame.tui.whitecell import WhiteCellScreen

        self._show(WhiteCellScreen())

    def show_report(self, turn: int | None = None) -> None:
        from wargame.tui.report import ReportScreen

        self._show(ReportScreen(turn=turn))

    def to_start(self) -> None:
        from wargame.tui.start import StartScreen

        self.seminar = None
        self._show(StartScreen())

    def _show(self, screen: Screen) -> None:
        """Replace the current screen (and any dialogs or help over it) with ``screen``:
        the stack is only ever the backdrop and the screen in use. A team's screen built
        behind a curtain and not shown now is dropped."""
        from wargame.tui.dialogs import KEYS, localise_keys

        self._drop_prepared()
        localise_keys(screen, KEYS, self.lang)
        self.clear_notifications()  # a toast about one team's cards must not outlive its screen
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def notify(self, message, *args, **kwargs) -> None:
        """A toast; a file's name in it is shown, never obeyed (``terminal.printable``)."""
        super().notify(printable(str(message)), *args, **kwargs)

    def show_error(self, title: "Words", lines: "Sequence[Words]") -> None:
        from wargame.tui.dialogs import MessageDialog

        self.push_screen(MessageDialog(title, lines))

    # --- keys -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.failure is not None and action in ("toggle_language", "help", "white_cell", "save_as"):
            return False
        if getattr(self.screen, "resolving", False) and action in ("save_as", "white_cell", "request_quit"):
            return None  # greyed out while the White Cell resolves a turn
        if action in ("white_cell", "save_as") and self.seminar is None:
            return False  # no game yet: not offered
        if action == "white_cell" and type(self.screen).__name__ == "WhiteCellScreen":
            return False  # already there
        return True

    def action_request_start(self) -> None:
        """Back to the start screen; in a game, only once asked (a plan not committed is lost)."""
        from wargame.tui.dialogs import ConfirmDialog

        if self.seminar is None:
            self.to_start()
            return
        self.push_screen(ConfirmDialog(tr_in(WORDS, "start_q")),
                         lambda yes: self.to_start() if yes else None)

    def action_request_quit(self) -> None:
        from wargame.tui.dialogs import ConfirmDialog

        if self.failure is not None:
            self.exit(return_code=EXIT_BAD_INPUT)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(return_code=EXIT_OK)

        self.push_screen(ConfirmDialog(tr_in(WORDS, "quit_q")), answered)

    @property
    def lang(self) -> str:
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        """The language shown; the app's own keys in the footer follow it."""
        from wargame.tui.dialogs import KEYS, localise_keys

        self._lang = value
        for node in (self, *self.screen_stack):
            localise_keys(node, KEYS, value)

    def push_screen(self, screen, *args, **kwargs):
        """Push a screen (or a dialog) with the keys in its footer in the language shown."""
        from wargame.tui.dialogs import KEYS, localise_keys

        if isinstance(screen, Screen):
            localise_keys(screen, KEYS, self.lang)
        return super().push_screen(screen, *args, **kwargs)

    def action_toggle_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]
        if self.seminar is not None:
            self.title = self.seminar.session.scenario.name.get(self.lang)
        for screen in self.screen_stack:
            show = getattr(screen, "show_language", None)
            if show is not None:
                show(self.lang)

    def action_help(self) -> None:
        from wargame.tui.screens import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    def action_white_cell(self) -> None:
        """Switch to White Cell mode (after the passphrase, when one was set)."""
        from wargame.tui.whitecell import WhiteCellScreen

        if self.seminar is None or isinstance(self.screen, WhiteCellScreen):
            return
        self._as_white_cell(self.enter_white_cell)

    def _as_white_cell(self, then: Callable[[], None]) -> None:
        """Do ``then`` for the White Cell: at once, or after its passphrase when one was set
        (unless the White Cell screen is up: it was given already)."""
        from wargame.tui.dialogs import PromptDialog
        from wargame.tui.whitecell import WhiteCellScreen

        s = self.seminar
        if s is None:
            return
        if not s.protected or isinstance(self.screen, WhiteCellScreen):
            then()
            return

        def answered(text: str | None) -> None:
            if text is None:
                return
            if s.unlock(text):
                then()
            else:
                self.notify(tr(WORDS, "pass_wrong", self.lang), severity="error")

        self.push_screen(PromptDialog(tr_in(WORDS, "pass_title"), tr_in(WORDS, "pass_prompt"), password=True),
                         answered)

    def action_what_if(self) -> None:
        """A what-if, for the White Cell: a new game that shares this one's first turns and
        plays on from there (``wargame.store.save.fork_seminar``); this game stays as it is."""
        if self.seminar is not None:
            self._as_white_cell(self._ask_what_if)

    def _ask_what_if(self) -> None:
        from wargame.tui.dialogs import PromptDialog

        s = self.seminar
        resolved = len(s.session.records)
        last = min(resolved, s.session.scenario.turns - 1)  # a turn must be left to play

        def check(text: str):
            ok = text.isascii() and text.isdigit() and len(text) < 5 and int(text) <= last
            return None if ok else tr_in(WORDS, "whatif_bad", last=last)

        def turn_given(text: str | None) -> None:
            if text is None:
                return
            self.push_screen(PromptDialog(tr_in(WORDS, "whatif_title"), tr_in(WORDS, "whatif_note")),
                             lambda note: None if note is None else self._play_what_if(int(text), note))

        self.push_screen(PromptDialog(tr_in(WORDS, "whatif_title"), tr_in(WORDS, "whatif_turn", last=last),
                                      value=str(max(min(resolved - 1, last), 0)), check=check), turn_given)

    def action_compare(self) -> None:
        """This game beside another save (``wargame.report.compare``): by default the game
        this one was forked from, else the newest other save of the same scenario."""
        s = self.seminar
        if s is None:
            return
        self.ask_for_file("compare_title", "compare_prompt", self._compare_default(), self._compare_with,
                            "compare_failed")

    def _compare_default(self) -> Path:
        from wargame.store.listing import list_saves

        s = self.seminar
        parents = [e.parent for e in s.session.log if e.type == "fork"]
        if parents and (self.save_dir / parents[-1]).is_file():
            return self.save_dir / parents[-1]
        name = s.session.scenario.name.get("en")
        mine = {Path(p).resolve() for p in (self.save_path, self.checkpoint) if p is not None}
        others = [i.path for i in list_saves(self.save_dir) if i.path.resolve() not in mine and i.scenario == name]
        return others[0] if others else self.save_dir

    def _this_path(self) -> Path | None:
        """The file of this game as it stands: its autosave, or the save it was resumed from
        while nothing has changed since (None before either exists)."""
        if self.save_path is not None and (Path(self.save_path).exists() or self.checkpoint is None):
            return Path(self.save_path)
        return Path(self.checkpoint) if self.checkpoint is not None else None

    def _this_save(self) -> str:
        """The file name of this game as it stands (``_this_path``), or the scenario's id."""
        path = self._this_path()
        return path.name if path is not None else self.seminar.session.scenario.id

    def _compare_with(self, path: Path) -> str:
        """Show the comparison (a SaveError, raised for a save that cannot be compared, is
        shown by the dialog that asked)."""
        from wargame.model.loader import one_line
        from wargame.report.compare import Game, comparable
        from wargame.store.save import SaveError, load_seminar
        from wargame.tui.compare import CompareScreen

        s = self.seminar
        games = [Game("A", one_line(self._this_save()), s), Game("B", one_line(path.name), load_seminar(path))]
        why = comparable(games, self.lang)
        if why is not None:
            raise SaveError(why)
        self.push_screen(CompareScreen(games, min(len(g.seminar.session.records) for g in games)))
        return ""  # (the screen says it all)

    def _play_what_if(self, turn: int, note: str) -> None:
        """Keep this game as it stands on disk, then go on with its fork after ``turn`` in
        an autosave of its own."""
        from wargame.store.save import SaveError, autosave_path, fork_seminar, save_seminar

        s, old = self.seminar, Path(self.save_path)
        try:
            if not old.exists() and self.checkpoint is not None:
                old = self.checkpoint  # resumed and not changed since: the game before is that save
            else:
                save_seminar(s, old)
            new = fork_seminar(s, old, turn, note)
            path = save_seminar(new, autosave_path(self.save_dir, new.session, time.strftime("%Y%m%d-%H%M")))
        except SaveError as exc:
            self.show_error(tr_in(WORDS, "whatif_failed"), [str(exc)])
            return
        s.on_change = None  # nothing more is written to the game before
        self.begin(new, path)
        self.notify(tr(WORDS, "whatif_done", self.lang, turn=turn, new=path.name, old=old.name), markup=False,
                    timeout=10)

    def ask_for_file(self, title: str, prompt: str, default: Path, act: Callable[[Path], str],
                      failed: str) -> None:
        """Ask for a file (``default`` filled in), then ``act`` on it (write it, read it);
        its result is the toast (none when empty), a SaveError the dialog titled ``failed``."""
        from wargame.store.save import SaveError
        from wargame.tui.dialogs import PromptDialog

        def answered(text: str | None) -> None:
            if not text:
                return
            if text.endswith(("/", os.sep)):  # Path() would drop the slash and write a file
                self.show_error(tr_in(WORDS, failed), [lambda lang: tr(WORDS, "names_folder", lang, path=text)])
                return
            try:
                done = act(Path(text))
            except (SaveError, OSError, ValueError) as exc:  # a name the system cannot use, too
                self.show_error(tr_in(WORDS, failed), [str(exc)])
                return
            if done:
                self.notify(done, markup=False)

        self.push_screen(PromptDialog(tr_in(WORDS, title), tr_in(WORDS, prompt), value=str(default), min_length=1),
                         answered)

    def action_save_as(self) -> None:
        from wargame.store.save import save_seminar

        s = self.seminar
        if s is None:
            return
        default = self.save_dir / f"{s.session.scenario.id}-turn{s.session.world.turn}.json"
        self.ask_for_file("save_title", "save_prompt", default,
                            lambda path: tr(WORDS, "saved", self.lang, path=save_seminar(s, path)), "save_failed")

    def action_write_debrief(self) -> None:
        """Write every resolved turn as a debrief (``wargame.report.debrief``), in the language
        shown, to a file the facilitator names (by default beside the autosave): Markdown,
        or a web page with charts when the name ends in .html (drawn in a thread: the game
        goes on meanwhile)."""
        from wargame.report.debrief import debrief_blocks, debrief_markdown
        from wargame.report.html import debrief_title, html_page, is_page
        from wargame.store.save import write_text

        s = self.seminar
        if s is None:
            return
        # beside the game's file: a save only opened to read keeps its own name
        base = self._this_path() or self.save_dir / s.session.scenario.id

        def write(path: Path) -> str:
            lang, n = self.lang, len(s.session.records)
            if is_page(path):
                # the game is read now; the page is drawn from what was read
                blocks, title = debrief_blocks(s, lang), debrief_title(s, lang)
                return self.write_page(path, "debrief", lambda: html_page(blocks, title, lang),
                                       tr(WORDS, "debrief_written", lang, n=n, path=path), "debrief_failed")
            done = write_text(path, debrief_markdown(s, lang), "debrief")
            return tr(WORDS, "debrief_written", lang, n=n, path=done)

        self.ask_for_file("debrief_title", "debrief_prompt", base.with_name(f"{base.stem}-debrief-{self.lang}.md"),
                            write, "debrief_failed")

    def action_write_briefings(self) -> None:
        """Every team's briefing (``wargame.report.briefing``) as the game stands, for the
        White Cell (a briefing shows a team's whole decks): a web page by default."""
        if self.seminar is not None:
            self._as_white_cell(self._ask_briefings)

    def _ask_briefings(self) -> None:
        from wargame.report.briefing import briefing_markdown
        from wargame.report.html import briefing_html, is_page
        from wargame.store.save import write_text

        s = self.seminar
        base = self._this_path() or self.save_dir / s.session.scenario.id

        def write(path: Path) -> str:
            lang, teams = self.lang, list(s.teams)
            text = briefing_html(s, teams, lang, white_cell=True) if is_page(path) else \
                briefing_markdown(s, teams, lang, white_cell=True)
            done = write_text(path, text, "briefing")
            return tr(WORDS, "briefing_written", lang, n=len(teams), path=done)

        self.ask_for_file("briefing_title", "briefing_prompt", base.with_name(f"{base.stem}-briefings-{self.lang}.html"),
                          write, "briefing_failed")

    def write_page(self, path: Path, what: str, draw: Callable[[], str], written: str, failed: str) -> str:
        """Draw a web page (``draw``: matplotlib's charts take a second or two) and write it
        to ``path`` in a thread, the game going on meanwhile; the toast to show now. A path
        that may not be written is refused here (SaveError), before any drawing."""
        from wargame.store.save import SaveError, text_target_problem

        why = text_target_problem(path, what)
        if why is not None:
            raise SaveError(f"{path}: {why}")
        self._write_page(path, what, draw, written, failed)
        return tr(WORDS, "drawing", self.lang, path=path)

    @work(thread=True, group="pages")
    def _write_page(self, path: Path, what: str, draw: Callable[[], str], written: str, failed: str) -> None:
        from wargame.store.save import SaveError, write_text

        try:
            write_text(path, draw(), what)
        except SaveError as exc:
            self.call_from_thread(self.show_error, tr_in(WORDS, failed), [str(exc)])
            return
        self.call_from_thread(self.notify, written, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): the main actions, in the current language."""
        lang = self.lang
        yield SystemCommand(tr(WORDS, "cmd_help", lang), "F1", self.action_help)
        yield SystemCommand(tr(WORDS, "cmd_lang", lang), "F2", self.action_toggle_language)
        if self.seminar is not None:
            yield SystemCommand(tr(WORDS, "cmd_wc", lang), "F5", self.action_white_cell)
            yield SystemCommand(tr(WORDS, "cmd_save", lang), "ctrl+s", self.action_save_as)
            yield SystemCommand(tr(WORDS, "cmd_debrief", lang), "", self.action_write_debrief)
            yield SystemCommand(tr(WORDS, "cmd_briefing", lang), "", self.action_write_briefings)
            yield SystemCommand(tr(WORDS, "cmd_whatif", lang), "", self.action_what_if)
            yield SystemCommand(tr(WORDS, "cmd_compare", lang), "", self.action_compare)
            reopen = getattr(screen, "action_reopen", None)
            if reopen is not None and screen.check_action("reopen", ()) is True:
                yield SystemCommand(tr(WORDS, "cmd_reopen", lang), "o", reopen)
        yield SystemCommand(tr(WORDS, "cmd_start", lang), "", self.action_request_start)
        yield SystemCommand(tr(WORDS, "cmd_quit", lang), "ctrl+q", self.action_request_quit)

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


def _settle_heap() -> None:
    """Move everything alive now (the engine, the content models, the game's history, the
    screens) out of the garbage collector's sight: a full collection over that heap takes
    a few hundred milliseconds and would land on some key press. Garbage made later is
    still collected."""
    gc.collect()
    gc.freeze()


class Backdrop(Screen):
    """The empty screen at the bottom of the stack; every screen in use sits on it."""

    DEFAULT_CSS = "Backdrop { background: $background; }"


def _as_failure(error: LoadFailure | str | Sequence[str]) -> LoadFailure:
    if isinstance(error, LoadFailure):
        return error
    if isinstance(error, str):
        return LoadFailure("Cannot open the game", (error,))
    return LoadFailure("Cannot open the game", tuple(str(e) for e in error))


def build_app(scenario: str | None = None, load: str | None = None, seed: int | None = None,
              start: float | None = None, save_dir: str | Path | None = None) -> WargameApp:
    """The app for ``wargame play``: with ``--load``, straight into that game; with a bad
    ``--scenario`` or save, the error screen; otherwise the start screen (where the
    scenario and seed given on the command line are preselected)."""
    from wargame.tui.opening import open_seminar, preset

    if load is not None or scenario is not None:
        opened = open_seminar(scenario, load, seed) if load is not None else preset(scenario, seed)
        if isinstance(opened, LoadFailure):
            return WargameApp(error=opened, start=start, save_dir=save_dir)
        if load is not None:
            return WargameApp(seminar=opened, start=start, save_dir=save_dir, save_path=load)
    app = WargameApp(start=start, save_dir=save_dir)
    app.preset_scenario, app.preset_seed = scenario, seed
    app.preset_content = opened if scenario is not None else None
    return app


def _terminal_alive() -> bool:
    """Whether standard input is still a terminal (a hung-up terminal no longer is)."""
    stdin = sys.__stdin__
    try:
        return stdin is not None and os.isatty(stdin.fileno())
    except (OSError, ValueError):  # closed, or no file descriptor
        return False


def _in_a_terminal() -> bool:
    """Whether there is a terminal to play in: keys come from standard input and the
    screen goes to standard error (as Textual draws it)."""
    return _terminal_alive() and sys.__stderr__ is not None and sys.__stderr__.isatty()


def run_app(scenario: str | None, load: str | None, seed: int | None, start: float) -> int:
    """Run the TUI until the user quits; 0 on a clean exit, 2 if the game could not be
    opened or there is no terminal to play in (the reason printed, not drawn)."""
    app = build_app(scenario, load, seed, start)
    if not _in_a_terminal():
        # a screen drawn to a pipe or a file would wait for keys that never come
        if app.failure is not None:  # a file's name or content: shown, never obeyed
            print(printable("\n".join((app.failure.title, *app.failure.lines))), file=sys.stderr)
        else:
            print("wargame play needs a terminal to play in (its input and its screen are not one); "
                  "to play a game without one, use `wargame run`", file=sys.stderr)
        return EXIT_BAD_INPUT
    app.run()
    if app.failure is not None:
        return EXIT_BAD_INPUT
    return app.return_code if app.return_code is not None else EXIT_OK
