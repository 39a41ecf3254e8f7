"""The start screen: a new game from the form, scenario errors, the saves table, loading,
corrupted saves, the language choice.

pytest-asyncio is not installed: each test is a sync function running an async body.
Opening a game runs in a worker thread, so the tests wait for the workers (``settle``).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

from textual.widgets import Button, DataTable, Input, Select, Static

from wargame.cli import main as cli_main
from wargame.game.seminar import SEATS, Seminar
from wargame.game.session import Session
from wargame.model.loader import load_scenario
from wargame.paths import decks_dir
from wargame.store.save import save_seminar
from wargame.tui.app import WargameApp, build_app
from wargame.tui.dialogs import MessageDialog
from wargame.tui.handover import HandoverScreen
from wargame.tui.start import PATH_SETTLE_S, SEAT_CHOICES, StartScreen
from tui import flat, run, screen_text, settle

SIZE = (80, 24)
MINI = Path(__file__).parent / "fixtures" / "mini"










async def choose(pilot, select_id: str, downs: int) -> None:
    """Open a Select with Enter, move down ``downs`` options, choose with Enter."""
    pilot.app.screen.query_one(f"#{select_id}", Select).focus()
    await pilot.pause()
    await pilot.press("enter")
    for _ in range(downs):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def type_into(pilot, input_id: str, text: str) -> None:
    """Replace what an Input holds by typing (a long path is pasted but for its last
    character, which is typed: one keystroke per character is slow on a busy machine)."""
    field = pilot.app.screen.query_one(f"#{input_id}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *(["backspace"] * len(field.value)))
    if len(text) > 8:
        field.insert_text_at_cursor(text[:-1])
        text = text[-1]
    await pilot.press(*text)
    await pilot.pause()
    if input_id == "scenario-path":  # the seat rows follow once typing pauses
        await pilot.pause(PATH_SETTLE_S + 0.1)
        await pilot.pause()


def broken_mini(tmp_path: Path) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(MINI, root)
    scenario = root / "scenario.yaml"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("actors: [chn]", "actors: [chn, atlantis]"),
                        encoding="utf-8")
    return root


def saved_game(content, path: Path, seed: int, turns: int, seats: dict[str, str] | None = None) -> Path:
    seminar = Seminar(Session.new(content, seed), seats)
    for _ in range(turns):
        seminar.resolve()
    return save_seminar(seminar, path)


# --- a new game ----------------------------------------------------------------------------

def test_the_seat_lists_offer_exactly_the_games_seats() -> None:
    assert SEAT_CHOICES == SEATS


def test_the_seat_rows_arrive_after_the_first_frame_in_the_room_kept_for_them(content, tmp_path: Path,
                                                                              monkeypatch) -> None:
    """The seats are mounted once the first frame is up; the rows below them do not move
    when they arrive, because the first frame already kept their height."""
    seen: dict[str, int] = {}
    real = StartScreen._show_teams

    async def spy(self) -> None:
        if "before" not in seen:
            seen["rows_before"] = len(self.query(".seat"))
            seen["before"] = self.query_one("#language", Select).region.y
        await real(self)

    monkeypatch.setattr(StartScreen, "_show_teams", spy)

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, StartScreen)
            assert seen["rows_before"] == 0 and app.startup_seconds is not None
            assert len(screen.query(".seat")) == len(content.scenario.teams)
            assert screen.query_one("#language", Select).region.y == seen["before"]

    run(body())


def test_new_game_from_the_form_has_the_chosen_seats_and_seed(content, tmp_path: Path) -> None:
    teams = [t.id for t in content.scenario.teams]
    assert teams[:2] == ["us", "china"]

    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            assert app.screen.query_one("#seed", Input).value == "0"
            await type_into(pilot, "seed", "42")
            await choose(pilot, f"seat-{teams[0]}", 1)  # hawk
            await choose(pilot, f"seat-{teams[2]}", 2)  # dove
            await type_into(pilot, "passphrase", "owl")
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert app.seminar is not None
            assert isinstance(app.screen, HandoverScreen)
            assert app.screen.team == "china"  # the first team left to humans
            assert f"Pass the keyboard to {app.seminar.team_name('china')}" in screen_text(app)
        return app

    app = asyncio.run(body())
    s = app.seminar
    assert s.session.seed == 42
    assert s.seats == {teams[0]: "hawk", teams[1]: "human", teams[2]: "dove", teams[3]: "human"}
    assert s.protected and s.unlock("owl") and not s.unlock("eagle")
    assert s.session.committed(teams[0]) and s.session.committed(teams[2])  # the bots have played
    assert app.save_path is not None and app.save_path.parent == tmp_path and app.save_path.is_file()


def test_the_start_button_starts_the_default_game(tmp_path: Path) -> None:
    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#start", Button).has_focus
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen)
        return app

    app = asyncio.run(body())
    assert app.seminar.session.scenario.id == "critical-minerals-2026"
    assert set(app.seminar.seats.values()) == {"human"}


def test_a_calibration_scenario_can_be_chosen_and_shows_its_teams(tmp_path: Path) -> None:
    folder = decks_dir() / "calibration" / "ree-quotas"

    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            options = [str(v) for _, v in app.screen.query_one("#scenario", Select)._options]
            assert str(folder) in options
            await choose(pilot, "scenario", options.index(str(folder)))
            assert app.screen.query_one("#scenario", Select).value == str(folder)
            assert set(app.screen.seats()) == {"china", "west"}
            await choose(pilot, "seat-china", 3)  # balanced
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen), screen_text(app)
        return app

    app = asyncio.run(body())
    assert app.seminar.session.scenario.id == load_scenario(folder).scenario.id
    assert app.seminar.seats == {"china": "balanced", "west": "human"}


def test_the_command_line_scenario_and_seed_are_preselected(tmp_path: Path) -> None:
    folder = decks_dir() / "calibration" / "nickel-ore-ban"

    async def body() -> None:
        app = build_app(scenario=str(folder), seed=7, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, StartScreen)
            assert screen.query_one("#scenario", Select).value == str(folder)
            assert screen.query_one("#seed", Input).value == "7"
            assert set(screen.seats()) == {"indonesia", "china"}

    run(body())


def test_a_bad_scenario_folder_shows_the_check_lines_and_starts_nothing(tmp_path: Path, capsys) -> None:
    root = broken_mini(tmp_path)
    assert cli_main(["check", str(root)]) == 2
    check_lines = capsys.readouterr().err.splitlines()
    assert len(check_lines) == 2 and "atlantis" in check_lines[0]

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await type_into(pilot, "scenario-path", str(root))
            assert set(app.screen.seats()) == {"west", "east"}  # read from the folder typed in
            await pilot.press("enter")  # Enter in the folder field starts the game
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, MessageDialog)
            assert dialog.lines == check_lines
            assert "atlantis" in flat(screen_text(app))
            assert app.seminar is None
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            assert not app.screen.query_one("#start", Button).disabled

    run(body())
    assert not (tmp_path / "saves").exists()  # nothing was autosaved


def test_a_seed_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await type_into(pilot, "seed", "")
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert isinstance(app.screen, MessageDialog)
            assert "seed" in flat(screen_text(app))
            assert app.seminar is None

    run(body())


def test_names_with_brackets_show_verbatim(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    scenario = root / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    text = text.replace("name: {en: West, zh: 西方}", 'name: {en: "[bold]West[/bold] [x", zh: "[西方]"}')
    scenario.write_text(text, encoding="utf-8")

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await type_into(pilot, "scenario-path", str(root))
            assert "[bold]West[/bold] [x" in screen_text(app)
            await pilot.press("f2")
            await pilot.pause()
            assert "[西方]" in screen_text(app)

    run(body())


# --- saves ----------------------------------------------------------------------------------

def test_a_saves_name_and_an_unchecked_scenario_name_are_shown_not_obeyed(content, tmp_path: Path) -> None:
    """The saves table reads each file's name and, before any check, the scenario name in
    it: a terminal escape there (retitle the window, clear the screen) is shown as text, as
    is a toast or a dialog naming such a file."""
    import json

    odd = saved_game(content, tmp_path / "esc-\x1b]0;PWNED\x07\x1b[2J.json", seed=1, turns=0)
    doc = json.loads(odd.read_text(encoding="utf-8"))
    doc["scenario"]["name"]["en"] = "\x1b[31mRED\u202eevil"
    (tmp_path / "renamed.json").write_text(json.dumps(doc), encoding="utf-8")
    doc["turn"] = -3  # not a game's save: not listed
    (tmp_path / "weird.json").write_text(json.dumps(doc), encoding="utf-8")

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#saves", DataTable)
            cells = [str(c) for row in table.ordered_rows for c in table.get_row(row.key)]
            assert sorted(Path(row.key.value).name for row in table.ordered_rows) == sorted([odd.name, "renamed.json"])
            assert not any(ch in cell for cell in cells for ch in "\x1b\x07\u202e")
            assert "esc-\\x1b]0;PWNED\\x07\\x1b[2J.json" in cells and "\\x1b[31mRED\\u202eevil" in cells
            app.notify(f"kept {odd.name}")
            app.show_error("cannot open", [f"{odd}: odd"])
            await pilot.pause()
            assert "\x1b" not in list(app._notifications)[-1].message
            assert "\x1b" not in screen_text(app) and "PWNED" in screen_text(app)

    run(body())


def test_the_saves_table_lists_saves_newest_first_with_their_turn(content, tmp_path: Path) -> None:
    old = saved_game(content, tmp_path / "old.json", seed=1, turns=0)
    new = saved_game(content, tmp_path / "new.json", seed=2, turns=1)
    from wargame.store.save import fork, read, save

    what_if = save(fork(read(new), 0, "from the start"), tmp_path / "what-if.json")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_100_000, 1_700_100_000))
    os.utime(what_if, (1_600_000_000, 1_600_000_000))
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")  # not a save: not listed
    turns = content.scenario.turns

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#saves", DataTable)
            assert table.display
            keys = [row.key.value for row in table.ordered_rows]
            assert keys == [str(new), str(old), str(what_if)]
            rows = [[str(c) for c in table.get_row(k)] for k in keys]
            assert rows[0][0] == "new.json" and rows[1][0] == "old.json"
            assert rows[0][1] == f"turn 2 of {turns}"
            assert rows[1][1] == f"turn 1 of {turns}"
            assert rows[2][1] == f"turn 1 of {turns}, what-if"  # a fork says so
            assert len(rows[0][2]) == len("2023-11-15 22:13")
            assert rows[0][3] == content.scenario.name.en
            await pilot.press("f2")
            await pilot.pause()
            assert str(table.get_row(str(new))[1]) == f"第 2 回合，共 {turns}"
            assert str(table.get_row(str(new))[3]) == content.scenario.name.zh
            assert str(table.get_row(str(what_if))[1]) == f"第 1 回合，共 {turns}，假设推演"

    run(body())


def test_enter_on_a_save_resumes_it_at_its_turn(content, tmp_path: Path) -> None:
    # an autosave (a game cut short) goes on saving in itself
    path = saved_game(content, tmp_path / "autosave-critical-minerals-2026-seed5.json", seed=5, turns=1,
                      seats={"us": "human", "china": "hawk", "eu": "human", "resource-states": "dove"})

    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.screen.query_one("#saves", DataTable).focus()
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen), screen_text(app)
            assert app.screen.team == "us"
            assert f"Turn 2 of {content.scenario.turns}" in screen_text(app)
        return app

    app = asyncio.run(body())
    assert app.seminar.turn == 2 and app.seminar.session.seed == 5
    assert app.seminar.seats["china"] == "hawk"
    assert app.save_path == path  # the game goes on saving where it came from


def test_a_save_path_typed_in_is_loaded(content, tmp_path: Path) -> None:
    path = saved_game(content, tmp_path / "elsewhere" / "g.json", seed=3, turns=2)

    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await type_into(pilot, "save-path", str(path))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen)
        return app

    app = asyncio.run(body())
    assert app.seminar.turn == 3


def test_a_corrupted_save_shows_an_error_and_the_start_screen_stays(content, tmp_path: Path) -> None:
    path = saved_game(content, tmp_path / "tampered.json", seed=4, turns=1)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["turn_hashes"][0] = "0" * 64
    path.write_text(json.dumps(doc), encoding="utf-8")
    cut = tmp_path / "elsewhere" / "cut.json"
    cut.parent.mkdir()
    cut.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#saves", DataTable)
            assert table.row_count == 1  # still listed: it looks like a save
            table.focus()
            await pilot.pause()
            await pilot.press("ctrl+o")
            await settle(pilot)
            assert isinstance(app.screen, MessageDialog)
            assert str(path) in " ".join(app.screen.lines)
            assert "Traceback" not in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen) and app.seminar is None

            await type_into(pilot, "save-path", str(cut))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MessageDialog)
            assert str(cut) in " ".join(app.screen.lines)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen) and app.seminar is None

    run(body())


# --- language -------------------------------------------------------------------------------

def test_the_language_choice_switches_the_labels_to_chinese(content, tmp_path: Path) -> None:
    us = content.scenario.teams[0]

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert str(screen.query_one("#start", Button).label) == "Start"
            await choose(pilot, "language", 1)
            assert app.lang == "zh"
            assert str(screen.query_one("#start", Button).label) == "开始"
            assert str(screen.query_one("#new-heading", Static).render()) == "新推演"
            assert str(screen.query_one(f"#seat-label-{us.id}", Static).render()) == us.name.zh
            shown = screen_text(app)
            assert "新推演" in shown and content.scenario.name.zh in shown and "真人操作" in shown
            await pilot.press("f2")  # and back, with the language list following
            await pilot.pause()
            assert app.lang == "en"
            assert screen.query_one("#language", Select).value == "en"
            assert str(screen.query_one("#start", Button).label) == "Start"
            assert us.name.en in screen_text(app)

    run(body())


def test_the_folder_field_shows_its_teams_once_typing_pauses_and_enter_at_once_uses_them(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            field = app.screen.query_one("#scenario-path", Input)
            field.focus()
            await pilot.pause()
            await pilot.press(*"abcdef", *["backspace"] * 6, *"XYZ")
            assert field.value == "XYZ"
            assert set(app.screen.seats()) == {"us", "china", "eu", "resource-states"}  # not rebuilt yet
            await pilot.press(*["backspace"] * 3)
            field.insert_text_at_cursor(str(root))
            await pilot.press("enter")  # before the seat rows have followed the folder
            await settle(pilot)
            assert app.seminar is not None
            assert set(app.seminar.seats) == {"west", "east"}

    run(body())


def test_ctrl_o_loads_the_save_typed_in_when_the_list_is_empty(content, tmp_path: Path) -> None:
    path = saved_game(content, tmp_path / "elsewhere" / "g.json", seed=3, turns=1)

    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path / "empty")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#saves", DataTable).row_count == 0
            await type_into(pilot, "save-path", str(path))
            app.screen.query_one("#start", Button).focus()
            await pilot.press("ctrl+o")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen)
        return app

    app = asyncio.run(body())
    assert app.seminar.turn == 2
