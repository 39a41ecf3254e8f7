"""The start screen: set up a new game (scenario, seed, who plays each team, language,
White Cell passphrase) or resume a save, or quit.

The first screen has to appear fast, so nothing heavy happens at mount: the scenario
choices and their teams come from a quick read of each ``scenario.yaml`` (names only, no
validation), the saves are listed by a background worker, and the scenario is loaded
(and checked) only when Start is pressed, also in a worker. A scenario that does not load
or a save that does not resume shows a dialog with the same lines ``wargame check`` prints,
and the start screen stays where it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, DataTable, Input, Select, Static

from wargame.terminal import printable
from wargame.paths import scenario_file
from wargame.tui.dialogs import FreshScreen, LeanFooter, RowTable
from wargame.report.labels import LANGS, tr, tr_in
from wargame.tui.opening import LoadFailure, load_content, new_seminar, open_seminar

HUMAN = "human"
# The seats of wargame.game.seminar.SEATS, in its order (importing that module at mount
# would pull in the bots; a test checks the two agree, and ``_new_game`` passes on only
# seats the game knows).
SEAT_CHOICES: tuple[str, ...] = (HUMAN, "hawk", "dove", "balanced", "random")
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
PEEK_LIMIT = 2_000_000  # bytes: a scenario file larger than this is not peeked at
PATH_SETTLE_S = 0.25  # seconds without a key in the folder field before its teams are shown

WORDS = {
    "title": {"en": "wargame · a new game or a saved one", "zh": "wargame · 新推演或读取存档"},
    "hint": {"en": "Tab moves between fields · Enter opens a list or presses a button · "
                   "Ctrl+N starts the game · Enter on a save resumes it",
             "zh": "Tab 在各栏之间移动 · Enter 打开列表或按下按钮 · Ctrl+N 开始推演 · "
                   "在存档上按 Enter 继续该局"},
    "new_game": {"en": "New game", "zh": "新推演"},
    "scenario": {"en": "Scenario", "zh": "情景"},
    "scenario_path": {"en": "…or a folder", "zh": "…或其他文件夹"},
    "scenario_path_ph": {"en": "path to another scenario folder (optional)",
                         "zh": "其他情景文件夹的路径（可选）"},
    "seed": {"en": "Seed", "zh": "随机种子"},
    "seed_ph": {"en": "a whole number, e.g. 0", "zh": "整数，例如 0"},
    "seats": {"en": "Who plays each team", "zh": "各队由谁操作"},
    "no_teams": {"en": "(the teams are shown once the scenario can be read)",
                 "zh": "（读取情景后在此显示各队）"},
    "language": {"en": "Language", "zh": "语言"},
    "passphrase": {"en": "White Cell passphrase", "zh": "白方口令"},
    "passphrase_ph": {"en": "optional: protects White Cell mode", "zh": "可选：保护白方模式"},
    "start": {"en": "Start", "zh": "开始"},
    "load_game": {"en": "Load a save", "zh": "读取存档"},
    "saves_reading": {"en": "Reading the saves in {dir} …", "zh": "正在读取 {dir} 中的存档…"},
    "saves_none": {"en": "No saves in {dir} yet.", "zh": "{dir} 中还没有存档。"},
    "saves_some": {"en": "Saves in {dir}, newest first (Enter resumes the highlighted one):",
                   "zh": "{dir} 中的存档，最新的在前（按 Enter 继续所选存档）："},
    "col_file": {"en": "File", "zh": "文件"},
    "col_scenario": {"en": "Scenario", "zh": "情景"},
    "col_turn": {"en": "Turn", "zh": "回合"},
    "col_saved": {"en": "Saved", "zh": "保存时间"},
    "turn_of": {"en": "turn {n} of {t}", "zh": "第 {n} 回合，共 {t}"},
    "turn_over": {"en": "over ({t} turns)", "zh": "已结束（{t} 回合）"},
    "what_if": {"en": "{turn}, what-if", "zh": "{turn}，假设推演"},
    "save_path": {"en": "Another save", "zh": "其他存档"},
    "save_path_ph": {"en": "path to a .json save", "zh": ".json 存档的路径"},
    "load": {"en": "Load", "zh": "读取"},
    "quit": {"en": "Quit", "zh": "退出"},
    "loading_scenario": {"en": "Loading the scenario …", "zh": "正在加载情景…"},
    "loading_save": {"en": "Resuming {file} …", "zh": "正在恢复 {file} …"},
    "bad_seed_title": {"en": "Cannot start the game", "zh": "无法开始推演"},
    "bad_seed": {"en": "The seed must be a whole number from 0 to 2^63-1, not '{seed}'.",
                 "zh": "随机种子必须是 0 到 2^63-1 之间的整数，而不是“{seed}”。"},
    "no_save_path": {"en": "Write the path of a save first.", "zh": "请先输入存档路径。"},
    "seat_human": {"en": "People at the keyboard", "zh": "真人操作"},
    "seat_hawk": {"en": "Bot: hawk", "zh": "机器人：鹰派"},
    "seat_dove": {"en": "Bot: dove", "zh": "机器人：鸽派"},
    "seat_balanced": {"en": "Bot: balanced", "zh": "机器人：平衡"},
    "seat_random": {"en": "Bot: random", "zh": "机器人：随机"},
}


# --- a quick look at a scenario, without loading it ----------------------------------------

@dataclass(frozen=True)
class Peek:
    """What the start screen needs from a scenario before loading it: its name and teams
    (``{"en": ..., "zh": ...}`` dicts as written in the file)."""

    path: Path
    name: dict[str, str]
    teams: tuple[tuple[str, dict[str, str]], ...]

    def label(self, lang: str) -> str:
        return _text(self.name, lang) or self.path.name


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        got = value.get(lang) or value.get("en")
        return got if isinstance(got, str) else ""
    return value if isinstance(value, str) else ""


def peek(path: str | Path) -> Peek | None:
    """The name and teams of the scenario at ``path``, read without checking anything;
    None if the file cannot be read that way (loading it will say why)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        file = scenario_file(Path(path))
        if not file.is_file() or file.stat().st_size > PEEK_LIMIT:
            return None
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
    except Exception:  # a quick look only: any problem is reported when the game starts
        return None
    if not isinstance(data, dict):
        return None
    name = data.get("name") if isinstance(data.get("name"), dict) else {}
    teams = []
    for team in data.get("teams") or []:
        if isinstance(team, dict) and isinstance(team.get("id"), str):
            tname = team.get("name") if isinstance(team.get("name"), dict) else {}
            teams.append((team["id"], {k: v for k, v in tname.items() if isinstance(v, str)}))
    return Peek(Path(path), {k: v for k, v in name.items() if isinstance(v, str)}, tuple(teams))


def scenario_choices() -> list[Path]:
    """The built-in scenario, then the calibration scenarios shipped beside it."""
    from wargame.paths import decks_dir, default_scenario

    found = [default_scenario()]
    calibration = decks_dir() / "calibration"
    if calibration.is_dir():
        found += sorted(p for p in calibration.iterdir() if (p / "scenario.yaml").is_file())
    return found


def _same_place(a: str | Path, b: str | Path) -> bool:
    try:
        return scenario_file(Path(a)).resolve() == scenario_file(Path(b)).resolve()
    except OSError:
        return False


# --- the screen ---------------------------------------------------------------------------

class StartScreen(FreshScreen):
    """New game, load a save, or quit."""

    # Start has the focus from the first frame; the default (the first focusable widget, the
    # scrolling body) would restyle the whole screen twice on the way to it
    AUTO_FOCUS = "#start"
    BINDINGS = [
        Binding("ctrl+n", "start_game", "Start game"),
        Binding("ctrl+o", "load_selected", "Load save"),
    ]

    DEFAULT_CSS = """
    StartScreen { background: $background; }
    StartScreen #start-title { height: auto; padding: 0 1; background: $primary; color: $text;
                               text-style: bold; }
    StartScreen #start-hint { height: auto; padding: 0 1; color: $text-muted; }
    StartScreen #start-body { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    StartScreen .start-section { height: auto; margin-top: 1; text-style: bold; color: $accent; }
    StartScreen .start-sub { height: auto; color: $text-muted; }
    StartScreen .start-row { height: auto; margin-bottom: 1; }
    StartScreen #seats .start-row { margin-bottom: 0; }
    StartScreen #seats { height: auto; margin-bottom: 1; }
    StartScreen .start-label { width: 24; height: auto; padding-right: 1; }
    StartScreen .start-row Select, StartScreen .start-row Input { width: 1fr; }
    StartScreen Select SelectCurrent Static#label { text-wrap: nowrap; text-overflow: ellipsis; }
    StartScreen .start-buttons { height: auto; }
    StartScreen .start-buttons Button { margin-right: 2; }
    StartScreen #saves-note { height: auto; }
    StartScreen #saves { height: auto; max-height: 12; margin: 1 0; }
    StartScreen #load { margin-left: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._choices: list[Peek] = []
        self._teams: tuple[tuple[str, dict[str, str]], ...] = ()
        self._seat_of: dict[str, str] = {}  # seats chosen so far, kept across scenario changes
        self._saves: list[Any] | None = None  # SaveInfo rows once read
        self._path_timer: Any = None  # shows the teams of a typed folder once typing pauses
        self._teams_stale = False  # the folder changed since the seat rows were built
        self._busy = False
        self._scenario_key: str | None = None  # the Select value the seat rows were built for
        self._seat_rows_for: tuple[str, ...] | None = None

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang = self._lang
        self._choices = [peek(p) or Peek(p, {}, ()) for p in scenario_choices()]
        preset = getattr(self.app, "preset_scenario", None)
        chosen, other = str(self._choices[0].path), ""
        if preset:
            match = next((c for c in self._choices if _same_place(c.path, preset)), None)
            if match is not None:
                chosen = str(match.path)
            else:
                other = str(preset)
        seed = getattr(self.app, "preset_seed", None)

        yield Static(id="start-title", markup=False)
        yield Static(id="start-hint", markup=False)
        with VerticalScroll(id="start-body"):
            yield Static(id="new-heading", classes="start-section", markup=False)
            with Horizontal(classes="start-row"):
                yield Static(id="scenario-label", classes="start-label", markup=False)
                yield Select(self._scenario_options(lang), allow_blank=False, value=chosen,
                             compact=True, id="scenario")
            with Horizontal(classes="start-row"):
                yield Static(id="scenario-path-label", classes="start-label", markup=False)
                yield Input(value=other, compact=True, id="scenario-path")
            with Horizontal(classes="start-row"):
                yield Static(id="seed-label", classes="start-label", markup=False)
                yield Input(value=str(seed if seed is not None else 0), type="integer", compact=True,
                            id="seed")
            yield Static(id="seats-heading", classes="start-sub", markup=False)
            seats = Vertical(id="seats")
            teams = next((c.teams for c in self._choices if str(c.path) == chosen), ())
            seats.styles.min_height = len(teams)  # the rows to come take no room from the rest
            yield seats
            with Horizontal(classes="start-row"):
                yield Static(id="language-label", classes="start-label", markup=False)
                yield Select([(Text(LANGUAGE_NAMES[k]), k) for k in LANGS], allow_blank=False,
                             value=lang, compact=True, id="language")
            with Horizontal(classes="start-row"):
                yield Static(id="passphrase-label", classes="start-label", markup=False)
                yield Input(password=True, compact=True, id="passphrase")
            with Horizontal(classes="start-buttons"):
                yield Button("", id="start", variant="primary", compact=True)
            yield Static(id="load-heading", classes="start-section", markup=False)
            yield Static(id="saves-note", markup=False)
            table = RowTable(id="saves", cursor_type="row", zebra_stripes=True)
            table.display = False
            yield table
            with Horizontal(classes="start-row"):
                yield Static(id="save-path-label", classes="start-label", markup=False)
                yield Input(compact=True, id="save-path")
                yield Button("", id="load", compact=True)
            with Horizontal(classes="start-buttons"):
                yield Button("", id="quit", variant="error", compact=True)
        yield LeanFooter()

    async def on_mount(self) -> None:
        self._scenario_key = str(self.query_one("#scenario", Select).value)
        # the seat rows (a dropdown per team, a third of the screen's widgets) are mounted
        # just after the first frame, in the room kept for them: the screen is up sooner
        self.call_after_refresh(self._show_teams)
        self.show_language(self._lang)
        self.query_one("#start", Button).focus()
        self.call_after_refresh(self.app.report_startup)  # once the first frame is drawn
        self._read_saves()

    @property
    def _lang(self) -> str:
        return getattr(self.app, "lang", "en")

    # --- what is chosen -------------------------------------------------------------------
    def _scenario_target(self) -> str:
        """The scenario to load: the folder typed in, else the one chosen in the list."""
        typed = self.query_one("#scenario-path", Input).value.strip()
        if typed:
            return typed
        return str(self.query_one("#scenario", Select).value)

    def _team_source(self) -> Peek | None:
        typed = self.query_one("#scenario-path", Input).value.strip()
        if typed:
            got = peek(typed)
            if got is not None and got.teams:
                return got
        chosen = str(self.query_one("#scenario", Select).value)
        return next((c for c in self._choices if str(c.path) == chosen), None)

    async def _show_teams(self) -> None:
        """One seat list per team of the scenario chosen (rebuilt only when the teams change)."""
        self._teams_stale = False
        source = self._team_source()
        teams = source.teams if source is not None else ()
        ids = tuple(t for t, _ in teams)
        self._teams = teams
        if ids == self._seat_rows_for:
            self._label_seats(self._lang)
            return
        self._seat_rows_for = ids
        box = self.query_one("#seats", Vertical)
        await box.remove_children()
        rows = []
        for team, _name in teams:
            select = Select(self._seat_options(self._lang), allow_blank=False,
                            value=self._seat_of.get(team, HUMAN), compact=True, id=f"seat-{team}",
                            classes="seat")
            rows.append(Horizontal(Static(id=f"seat-label-{team}", classes="start-label", markup=False),
                                   select, classes="start-row"))
        if not rows:
            rows.append(Static(Text(tr(WORDS, "no_teams", self._lang)), id="no-teams", markup=False))
        await box.mount_all(rows)
        box.styles.min_height = None  # the room kept for the first rows (see compose)
        self._label_seats(self._lang)

    def _label_seats(self, lang: str) -> None:
        for team, name in self._teams:
            try:
                self.query_one(f"#seat-label-{team}", Static).update(Text(_text(name, lang) or team))
            except NoMatches:
                pass
        try:
            self.query_one("#no-teams", Static).update(Text(tr(WORDS, "no_teams", lang)))
        except NoMatches:
            pass

    def seats(self) -> dict[str, str]:
        """The seat chosen for each team shown (team id → human or a bot policy)."""
        out = {}
        for team, _name in self._teams:
            try:
                value = self.query_one(f"#seat-{team}", Select).value
            except NoMatches:
                continue
            out[team] = value if isinstance(value, str) else HUMAN
        return out

    def _scenario_options(self, lang: str) -> list[tuple[Text, str]]:
        out = []
        for choice in self._choices:
            out.append((Text(choice.label(lang)), str(choice.path)))
        return out

    @staticmethod
    def _seat_options(lang: str) -> list[tuple[Text, str]]:
        return [(Text(tr(WORDS, f"seat_{seat}", lang)), seat) for seat in SEAT_CHOICES]

    # --- language ---------------------------------------------------------------------------
    def show_language(self, lang: str) -> None:
        """Redraw every word on the screen in ``lang``."""
        def put(selector: str, key: str, **fields: object) -> None:
            self.query_one(selector, Static).update(Text(tr(WORDS, key, lang, **fields)))

        self.query_one("#start-title", Static).update(Text(tr(WORDS, "title", lang), style="bold"))
        put("#start-hint", "hint")
        put("#new-heading", "new_game")
        put("#scenario-label", "scenario")
        put("#scenario-path-label", "scenario_path")
        put("#seed-label", "seed")
        put("#seats-heading", "seats")
        put("#language-label", "language")
        put("#passphrase-label", "passphrase")
        put("#load-heading", "load_game")
        put("#save-path-label", "save_path")
        self.query_one("#scenario-path", Input).placeholder = tr(WORDS, "scenario_path_ph", lang)
        self.query_one("#seed", Input).placeholder = tr(WORDS, "seed_ph", lang)
        self.query_one("#passphrase", Input).placeholder = tr(WORDS, "passphrase_ph", lang)
        self.query_one("#save-path", Input).placeholder = tr(WORDS, "save_path_ph", lang)
        self.query_one("#start", Button).label = tr(WORDS, "start", lang)
        self.query_one("#load", Button).label = tr(WORDS, "load", lang)
        self.query_one("#quit", Button).label = tr(WORDS, "quit", lang)
        self._relabel(self.query_one("#scenario", Select), self._scenario_options(lang))
        for select in self.query(".seat").results(Select):
            self._relabel(select, self._seat_options(lang))
        self._label_seats(lang)
        language = self.query_one("#language", Select)
        if language.value != lang:
            language.value = lang
        self._show_saves(lang)

    @staticmethod
    def _relabel(select: Select, options: list[tuple[Text, str]]) -> None:
        """New option labels, the same choice kept (set_options resets it)."""
        value = select.value
        select.set_options(options)
        if value in {v for _, v in options}:
            select.value = value
        select.mutate_reactive(Select.value)  # redraw the label even when the choice is unchanged

    async def on_select_changed(self, event: Select.Changed) -> None:
        select = event.select
        if select.id == "language":
            value = select.value
            if isinstance(value, str) and value != self._lang:
                self.app.lang = value
                for screen in self.app.screen_stack:
                    show = getattr(screen, "show_language", None)
                    if show is not None:
                        show(value)
        elif select.id == "scenario":
            if select.value != self._scenario_key:
                self._scenario_key = str(select.value)
                await self._show_teams()
        elif select.has_class("seat") and select.id and isinstance(select.value, str):
            self._seat_of[select.id.removeprefix("seat-")] = select.value

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "scenario-path":
            # the seat rows follow the folder once typing pauses: rebuilding them on every
            # key (and waiting for the mount) let fast keys reach the field out of order
            if self._path_timer is not None:
                self._path_timer.stop()
            self._path_timer = self.set_timer(PATH_SETTLE_S, self._show_teams)
            self._teams_stale = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "save-path":
            self._load_typed()
        elif event.input.id in ("scenario-path", "seed", "passphrase"):
            self.action_start_game()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start_game()
        elif event.button.id == "load":
            self._load_typed()
        elif event.button.id == "quit":
            self.app.action_request_quit()

    # --- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_game" and self._busy:
            return None
        if action == "load_selected" and self._busy:
            return None
        return True

    def _set_busy(self, busy: bool, note: str | None = None) -> None:
        self._busy = busy
        self.query_one("#start", Button).disabled = busy
        self.query_one("#load", Button).disabled = busy
        hint = self.query_one("#start-hint", Static)
        hint.update(Text(note if busy and note else tr(WORDS, "hint", self._lang)))
        self.refresh_bindings()

    # --- a new game ---------------------------------------------------------------------------
    def action_start_game(self) -> None:
        if self._busy:
            return
        lang = self._lang
        raw = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(raw)
            if not 0 <= seed < 2**63:
                raise ValueError(raw)
        except ValueError:
            self.app.show_error(tr_in(WORDS, "bad_seed_title"), [tr_in(WORDS, "bad_seed", seed=raw)])
            return
        passphrase = self.query_one("#passphrase", Input).value
        seats = self.seats()
        if self._teams_stale:  # Enter right after typing a folder: its teams, seated as chosen before
            self._path_timer.stop()
            source = self._team_source()
            seats = {team: self._seat_of.get(team, HUMAN) for team, _ in (source.teams if source else ())}
        self._set_busy(True, tr(WORDS, "loading_scenario", lang))
        self._open_new(self._scenario_target(), seed, seats, passphrase)

    @work(thread=True, exclusive=True, group="open")
    def _open_new(self, target: str, seed: int, seats: dict[str, str], passphrase: str) -> None:
        """Load and check the scenario, then set the table (in a thread: the UI stays live)."""
        try:
            opened = self._new_game(target, seed, seats, passphrase)
        except Exception as exc:  # whatever goes wrong is told in a dialog, never a traceback
            opened = LoadFailure(f"Cannot start a game of {target}", (str(exc) or type(exc).__name__,))
        self._deliver(opened, None)

    def _new_game(self, target: str, seed: int, seats: dict[str, str], passphrase: str) -> Any:
        content = getattr(self.app, "preset_content", None)
        preset = getattr(self.app, "preset_scenario", None)
        if content is None or not preset or not _same_place(preset, target):
            content = load_content(target)
        if isinstance(content, LoadFailure):
            return content
        from wargame.game.seminar import SEATS

        teams = {t.id for t in content.scenario.teams}
        seats = {t: s for t, s in seats.items() if t in teams and s in SEATS}
        return new_seminar(content, seed, seats, passphrase)

    # --- a saved game ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="saves")
    def _read_saves(self) -> None:
        from wargame.store.listing import list_saves

        try:
            saves = list_saves(self.app.save_dir)
        except Exception:  # an unreadable folder lists no saves
            saves = []
        try:
            self.app.call_from_thread(self._got_saves, saves)
        except RuntimeError:  # the app has already stopped
            pass

    def _got_saves(self, saves: list[Any]) -> None:
        if not self.is_attached:
            return
        self._saves = saves
        self._show_saves(self._lang)
        self.refresh_bindings()

    def _show_saves(self, lang: str) -> None:
        note = self.query_one("#saves-note", Static)
        table = self.query_one("#saves", DataTable)
        folder = str(getattr(self.app, "save_dir", "saves"))
        if self._saves is None:
            note.update(Text(tr(WORDS, "saves_reading", lang, dir=folder)))
            return
        if not self._saves:
            note.update(Text(tr(WORDS, "saves_none", lang, dir=folder)))
            table.display = False
            return
        note.update(Text(tr(WORDS, "saves_some", lang, dir=folder)))
        row = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        # the scenario last: at 80 columns the file, turn and time must be visible
        for key in ("col_file", "col_turn", "col_saved", "col_scenario"):
            table.add_column(Text(tr(WORDS, key, lang)), key=key)
        for info in self._saves:
            if info.turn >= info.turns:
                turn = tr(WORDS, "turn_over", lang, t=info.turns)
            else:
                turn = tr(WORDS, "turn_of", lang, n=info.turn + 1, t=info.turns)
            if info.what_if:
                turn = tr(WORDS, "what_if", lang, turn=turn)
            saved = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.saved))
            table.add_row(Text(printable(info.path.name)), Text(turn), Text(saved), Text(printable(info.scenario_in(lang))),
                          key=str(info.path))
        table.display = True
        table.move_cursor(row=min(row, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self._load(Path(event.row_key.value))

    def action_load_selected(self) -> None:
        """Ctrl+O: the save typed in "Another save" if there is one, else the one highlighted."""
        if self.query_one("#save-path", Input).value.strip():
            self._load_typed()
            return
        table = self.query_one("#saves", DataTable)
        if not self._saves or not table.row_count:
            self.notify(tr(WORDS, "no_save_path", self._lang), severity="warning")
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        if key is not None:
            self._load(Path(key))

    def _load_typed(self) -> None:
        typed = self.query_one("#save-path", Input).value.strip()
        if not typed:
            self.notify(tr(WORDS, "no_save_path", self._lang), severity="warning")
            return
        self._load(Path(typed))

    def _load(self, path: Path) -> None:
        if self._busy:
            return
        self._set_busy(True, tr(WORDS, "loading_save", self._lang, file=printable(path.name)))
        self._open_save(path)

    @work(thread=True, exclusive=True, group="open")
    def _open_save(self, path: Path) -> None:
        """Replay the save's log (in a thread: a long game takes a moment)."""
        try:
            opened = open_seminar(None, str(path), None)
        except Exception as exc:  # whatever goes wrong is told in a dialog, never a traceback
            opened = LoadFailure(f"Cannot resume the save {path}", (str(exc) or type(exc).__name__,))
        self._deliver(opened, path)

    # --- handing over to the game ------------------------------------------------------------------
    def _deliver(self, opened: Any, save_path: Path | None) -> None:
        try:
            self.app.call_from_thread(self._opened, opened, save_path)
        except RuntimeError:  # the app has already stopped
            pass

    def _opened(self, opened: Any, save_path: Path | None) -> None:
        if not self.is_attached:
            return
        self._set_busy(False)
        if isinstance(opened, LoadFailure):
            self.app.show_error(opened.title, opened.lines)
            return
        self.app.begin(opened, save_path=save_path)
