"""The app shell: what ``wargame play`` opens on, launch errors, help, the language key,
quitting, the command palette, start-up time, and the layout at 80×24.

pytest-asyncio is not installed: each test is a sync function running an async body.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual.command import CommandPalette

from wargame.cli import main as cli_main
from wargame.engine.meters import UNITS
from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.store.save import save_seminar
from wargame.tui.app import STARTUP_LOG_ENV, WargameApp, build_app, run_app
from wargame.tui.dialogs import ConfirmDialog
from wargame.tui.handover import HandoverScreen
from wargame.tui.screens import ErrorScreen, HelpScreen
from wargame.tui.start import StartScreen
from tui import flat, run, screen_text, settle

SIZE = (80, 24)










@pytest.fixture
def seminar(content) -> Seminar:
    return Seminar(Session.new(content, 3))


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\nname: [unclosed\n  turns: : :\n", encoding="utf-8")
    return bad


# --- what `wargame play` opens on ------------------------------------------------------------

def test_plain_play_opens_the_start_screen(tmp_path: Path) -> None:
    async def body() -> None:
        app = build_app(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            assert app.seminar is None

    run(body())


def test_load_goes_straight_into_the_game(content, tmp_path: Path) -> None:
    played = Seminar(Session.new(content, 9), {"us": "hawk"})
    played.resolve()
    path = save_seminar(played, tmp_path / "game.json")
    before = path.read_bytes()

    async def body() -> WargameApp:
        app = build_app(load=str(path), save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen)
            assert app.screen.team == "china"  # the US is a bot and has committed
            assert f"Turn 2 of {content.scenario.turns}" in screen_text(app)
            # a save made on purpose stays as it was; play goes on in an autosave of its own,
            # written from the first change on
            assert app.save_path != path and app.save_path.name.startswith("autosave-")
            assert not app.save_path.exists()
            await pilot.press("enter")  # China's curtain
            await settle(pilot)
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("enter")  # commit (an empty plan: China passes)
            await settle(pilot)
            assert app.save_path.is_file()
        return app

    app = asyncio.run(body())
    assert app.seminar.turn == 2 and app.seminar.seats["us"] == "hawk"
    assert path.read_bytes() == before


def test_a_bad_scenario_gives_the_error_screen_with_the_check_lines(broken: Path, capsys) -> None:
    assert cli_main(["check", str(broken)]) == 2
    check_lines = capsys.readouterr().err.splitlines()

    async def body() -> WargameApp:
        app = build_app(scenario=str(broken))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorScreen)
            assert list(app.screen.failure.lines) == check_lines  # as `wargame check` says them
            text = flat(screen_text(app))
            assert "broken.yaml" in text.replace(" ", "")  # a long path may fold mid-word
            assert check_lines[-1] in text
            assert "Traceback" not in text and "q Quit" in text
            await pilot.press("q")
            await pilot.pause()
        return app

    app = asyncio.run(body())
    assert app.return_code == 2


def test_a_bad_save_gives_the_error_screen_and_ctrl_q_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "save.json"
    bad.write_text('{"format": "not-a-save"}', encoding="utf-8")

    async def body() -> WargameApp:
        app = build_app(load=str(bad))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ErrorScreen)
            assert "not a wargame save" in flat(screen_text(app))
            await pilot.press("ctrl+q")  # no question: there is nothing to lose
            await pilot.pause()
        return app

    app = asyncio.run(body())
    assert app.return_code == 2


def test_run_app_returns_2_for_a_bad_scenario_or_save(broken: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(WargameApp, "run", lambda self, *a, **k: None)
    assert run_app(scenario=str(broken), load=None, seed=None, start=0.0) == 2
    assert run_app(scenario=None, load=str(tmp_path / "missing.json"), seed=None, start=0.0) == 2


# --- help -------------------------------------------------------------------------------------

def test_help_opens_and_closes_over_the_start_screen(tmp_path: Path) -> None:
    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = app.screen.help_text("en").plain
            assert "How a turn runs" in text and "White Cell" in text
            assert "^n  Start game" in text  # the start screen's own keys, from its bindings
            for binding in WargameApp.BINDINGS:  # the app's keys, as its bindings name them
                assert f"{app.get_key_display(binding)}  {binding.description}" in text
            assert "^p  Command palette" in text
            for meter, unit in UNITS.items():
                if meter in ("dependency", "cost", "lock_in"):
                    assert unit in text
            shown = screen_text(app)
            assert "Help" in shown and "New game" not in shown  # opaque: nothing shows through
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)

    run(body())


def test_every_key_the_help_lists_is_worded_in_chinese(tmp_path: Path) -> None:
    from wargame.tui.screens import SCREENS, _screen_bindings, key_lines

    app = WargameApp(save_dir=tmp_path)
    lines = key_lines(app, app.BINDINGS, "zh")
    for module, name, _ in SCREENS:
        bindings = _screen_bindings(module, name)
        assert bindings, name
        lines += key_lines(app, bindings, "zh")
    english = [(keys, words) for keys, words in lines
               if re.search("[A-Za-z]", words.replace("English", "").replace("EN", ""))]
    assert not english


def test_the_meters_in_the_chinese_help_are_all_in_chinese(seminar: Seminar, tmp_path: Path) -> None:
    from wargame.tui.screens import HelpScreen

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f2", "f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            meters = app.screen.help_text("zh").plain.split("各项指标的含义")[1]
            assert "（指数 0-100）" in meters and "十亿美元" in meters
            assert not re.findall("[A-Za-z]+", meters)

    run(body())


def test_help_over_a_game_hides_it_and_f1_closes_it(seminar: Seminar, tmp_path: Path) -> None:
    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert "United States" not in screen_text(app)
            await pilot.press("f2")
            await pilot.pause()
            assert "一个回合如何进行" in screen_text(app)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HandoverScreen)
            assert "请将键盘交给" in screen_text(app)  # the screen below followed the language

    run(body())


# --- language, quitting, the palette ------------------------------------------------------------

def test_f2_toggles_the_language_of_the_current_screen(seminar: Seminar, tmp_path: Path) -> None:
    us = seminar.team_name("us", "zh")

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Pass the keyboard to United States" in screen_text(app)
            await pilot.press("f2")
            await pilot.pause()
            assert app.lang == "zh"
            assert f"请将键盘交给{us}" in screen_text(app)
            assert app.title == seminar.session.scenario.name.zh
            await pilot.press("f2")
            await pilot.pause()
            assert app.lang == "en" and "Pass the keyboard" in screen_text(app)

    run(body())


def test_every_footer_follows_the_language_and_a_dialog_shows_its_own_keys(seminar: Seminar,
                                                                          tmp_path: Path) -> None:
    """The app's keys, the curtain's and a dialog's are worded in the language shown; while
    a dialog is up, the footer offers the dialog's keys, not those of the screen under it."""

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            footer = screen_text(app).splitlines()[-1]
            assert "Ready" in footer and "^q Quit" in footer and "f1 Help" in footer
            await pilot.press("f2")
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert "就绪" in footer and "^q 退出" in footer and "f1 帮助" in footer and "Quit" not in footer
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            footer = screen_text(app).splitlines()[-1]
            assert "y 是" in footer and "esc 否" in footer and "就绪" not in footer
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, HandoverScreen)
            await pilot.press("f2")
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert "Ready" in footer and "^q Quit" in footer
            await pilot.press("ctrl+q")
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert "y Yes" in footer and "esc No" in footer

    run(body())


def test_ctrl_q_asks_first_and_quits_with_0(seminar: Seminar, tmp_path: Path) -> None:
    async def body() -> WargameApp:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, HandoverScreen) and app.is_running
            await pilot.press("ctrl+q")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
        return app

    app = asyncio.run(body())
    assert app.return_code == 0
    assert not app.is_running


def test_the_command_palette_lists_the_main_actions(seminar: Seminar, tmp_path: Path) -> None:
    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert any("Help" in t for t in titles) and any("Quit" in t for t in titles)
            assert any("Language" in t for t in titles) and any("Start screen" in t for t in titles)
            assert not any("White Cell" in t for t in titles)  # no game yet
            app.begin(seminar)
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert any("White Cell" in t for t in titles) and any("Save" in t for t in titles)
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"help")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)

    run(body())


# --- start-up time and layout -------------------------------------------------------------------

def test_startup_time_is_written_to_the_log_file(tmp_path: Path, monkeypatch) -> None:
    import time

    target = tmp_path / "startup.txt"
    monkeypatch.setenv(STARTUP_LOG_ENV, str(target))

    async def body() -> WargameApp:
        app = WargameApp(save_dir=tmp_path, start=time.perf_counter())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            assert app.startup_seconds is not None
        return app

    app = asyncio.run(body())
    logged = float(target.read_text(encoding="utf-8"))
    assert logged == pytest.approx(app.startup_seconds, abs=1e-4)
    assert 0.0 <= logged < 5.0  # generous: the machine running the tests may be busy


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_start_screen_fits_80x24(lang: str, tmp_path: Path) -> None:
    words = {"en": ("New game", "Scenario", "Seed", "Who plays each team", "Start"),
             "zh": ("新推演", "情景", "随机种子", "各队由谁操作", "开始")}[lang]

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if lang == "zh":
                await pilot.press("f2")
                await pilot.pause()
            shown = screen_text(app)
            lines = shown.splitlines()
            assert len(lines) == 24
            for word in words:
                assert word in shown, word
            keys = {"en": ("^n Start game", "^q Quit"), "zh": ("^n 开始推演", "^q 退出")}[lang]
            assert all(k in lines[-1] for k in keys), lines[-1]

    run(body())


def test_a_large_terminal_shows_the_whole_start_screen(content, tmp_path: Path) -> None:
    save_seminar(Seminar(Session.new(content, 1)), tmp_path / "one.json")

    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=(200, 60)) as pilot:
            await settle(pilot)
            shown = screen_text(app)
            for word in ("New game", "Load a save", "one.json", "turn 1 of", "Quit"):
                assert word in shown, word

    run(body())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_and_error_screens_fit_80x24(lang: str, broken: Path, tmp_path: Path) -> None:
    async def body() -> None:
        app = WargameApp(save_dir=tmp_path)
        app.lang = lang
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await pilot.pause()
            shown = screen_text(app)
            assert len(shown.splitlines()) == 24
            assert ("How a turn runs" if lang == "en" else "一个回合如何进行") in shown
            await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "end")
            await pilot.pause()
            assert ("Price" if lang == "en" else "价格") in screen_text(app)

        app = build_app(scenario=str(broken))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Cannot open the game" in screen_text(app)

    run(body())


def test_leaving_a_game_for_the_start_screen_asks_first(content, tmp_path: Path) -> None:
    played = Seminar(Session.new(content, 4))
    path = save_seminar(played, tmp_path / "autosave-game.json")

    async def body() -> None:
        app = build_app(load=str(path), save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.action_request_start()
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog) and "a plan not yet committed is lost" in screen_text(app)
            await pilot.press("enter")  # the default is to stay
            await pilot.pause()
            assert app.seminar is not None and isinstance(app.screen, HandoverScreen)
            app.action_request_start()
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert app.seminar is None and isinstance(app.screen, StartScreen)

    run(body())


def test_opening_a_finished_game_to_read_its_debrief_writes_nothing(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "saves" / "critical-minerals-2026-example.json"
    path = tmp_path / "finished.json"
    path.write_bytes(example.read_bytes())
    saves = tmp_path / "saves"

    async def body() -> None:
        app = build_app(load=str(path), save_dir=saves)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.seminar is not None and app.seminar.session.over

    run(body())
    assert path.read_bytes() == example.read_bytes()
    assert not saves.exists() or not any(saves.iterdir())


# --- save as -------------------------------------------------------------------------------------

def test_ctrl_s_saves_a_checkpoint_and_never_writes_over_another_kind_of_file(seminar: Seminar,
                                                                              tmp_path: Path) -> None:
    from wargame.store.save import load_seminar
    from wargame.tui.dialogs import MessageDialog, PromptDialog

    notes = tmp_path / "notes.txt"
    notes.write_text("the room's notes", encoding="utf-8")

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PromptDialog)
            field = dialog.query_one("Input")
            assert field.value == str(tmp_path / "critical-minerals-2026-turn0.json")
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, PromptDialog)
            assert [n.message for n in app._notifications] == [
                f"Saved to {tmp_path / 'critical-minerals-2026-turn0.json'}"]
            await pilot.press("ctrl+s")
            await pilot.pause()
            app.screen.query_one("Input").value = str(notes)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MessageDialog)
            assert "is not a wargame save" in flat(screen_text(app))

    run(body())
    saved = load_seminar(tmp_path / "critical-minerals-2026-turn0.json")
    assert saved.session.state_hash() == seminar.session.state_hash()
    assert notes.read_text(encoding="utf-8") == "the room's notes"


def test_a_file_name_the_system_cannot_take_gets_a_dialog_not_a_crash(seminar: Seminar, tmp_path: Path) -> None:
    """A name past 255 bytes, a folder name past it on the way, a NUL pasted in, a loop of
    links: each is refused in a dialog, and the game goes on."""
    from wargame.tui.dialogs import MessageDialog, PromptDialog

    loop = tmp_path / "loop1"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    names = [str(tmp_path / ("L" * 300 + ".json")), str(tmp_path / ("D" * 300) / "x.json"),
             str(tmp_path / "a\0b.json"), str(loop)]

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for name in names:
                await pilot.press("ctrl+s")
                await pilot.pause()
                assert isinstance(app.screen, PromptDialog)
                app.screen.query_one("Input").value = name
                await pilot.press("enter")
                await pilot.pause()
                assert app.is_running and isinstance(app.screen, MessageDialog), name
                await pilot.press("enter")
                await pilot.pause()

    run(body())
    assert loop.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("autosave-")) == ["loop1", "loop2"]


# --- F2 with a dialog open -----------------------------------------------------------------------

def test_f2_switches_the_language_of_an_open_dialog_and_of_the_screen_under_it(seminar: Seminar,
                                                                               tmp_path: Path) -> None:
    from wargame.tui.dialogs import ConfirmDialog, PromptDialog
    from wargame.tui.team import PlayDialog, TeamScreen

    async def body() -> None:
        app = WargameApp(seminar=seminar, save_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            team = app.screen
            assert isinstance(team, TeamScreen)
            await pilot.press("c")  # the commit question
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert "Commit an empty plan?" in flat(screen_text(app))
            await pilot.press("f2")
            await pilot.pause()
            shown = flat(screen_text(app))
            assert app.lang == "zh" and "Commit" not in shown and "是" in shown and "否" in shown
            assert "提交空计划" in shown
            await pilot.press("escape")  # no: back to the team, now in Chinese
            await pilot.pause()
            assert app.screen is team and "预算" in screen_text(app)
            await pilot.press("3", "p")  # the card picker follows too
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, PlayDialog)
            assert "打出" in flat(screen_text(app))
            await pilot.press("f2")
            await pilot.pause()
            assert app.lang == "en" and "Play “" in flat(screen_text(app))
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("ctrl+s")  # a prompt that has said the answer is too short
            await pilot.pause()
            prompt = app.screen
            assert isinstance(prompt, PromptDialog)
            prompt.min_length = 500
            await pilot.press("enter")
            await pilot.pause()
            assert "Please write at least 500 characters." in flat(screen_text(app))
            await pilot.press("f2")
            await pilot.pause()
            shown = flat(screen_text(app))
            assert "请至少输入 500 个字符。" in shown and "保存推演" in shown and "确定" in shown

    run(body())


def test_a_what_if_goes_on_from_an_earlier_turn_and_keeps_the_game_before(content, tmp_path: Path) -> None:
    import json

    from wargame.tui.dialogs import PromptDialog

    played = Seminar(Session.new(content, 6), {"us": "hawk", "china": "dove", "eu": "balanced",
                                               "resource-states": "random"}, passphrase="owl")
    for _ in range(3):
        played.resolve()
    path = save_seminar(played, tmp_path / "autosave-room.json")
    hashes = json.loads(path.read_text())["turn_hashes"]

    async def answer(pilot, text: str) -> None:
        pilot.app.screen.query_one("Input").value = text
        await pilot.press("enter")
        await pilot.pause()

    async def body() -> WargameApp:
        app = build_app(load=str(path), save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "What-if: play on from an earlier turn, as a new game…" in \
                [c.title for c in app.get_system_commands(app.screen)]
            app.action_what_if()
            await pilot.pause()
            await answer(pilot, "cuckoo")  # the White Cell's passphrase comes first
            assert not isinstance(app.screen, PromptDialog) and app.seminar.turn == 4
            app.action_what_if()
            await pilot.pause()
            await answer(pilot, "owl")
            assert app.screen.query_one("Input").value == "2"  # the turn before the last, offered
            await answer(pilot, "4")  # not resolved yet: said under the answer, the dialog stays
            assert isinstance(app.screen, PromptDialog)
            assert "Expected a whole number from 0 to 3." in screen_text(app)
            await answer(pilot, "1")
            await answer(pilot, "what if China had held back")  # the note
            await settle(pilot)
            assert app.seminar is not played and app.seminar.turn == 2
            assert app.save_path != path and app.save_path.name.startswith("autosave-")
            assert isinstance(app.screen, HandoverScreen)
        return app

    app = asyncio.run(body())
    new = json.loads(app.save_path.read_text())
    assert new["turn_hashes"] == hashes[:1]
    marks = [e for e in new["log"] if e["type"] == "fork"]  # (then the bots' orders of turn 2)
    assert marks == [{"type": "fork", "turn": 2, "parent": "autosave-room.json",
                      "from_hash": hashes[0], "note": "what if China had held back"}]
    assert new["table"] == json.loads(path.read_text())["table"]  # the same seats and passphrase
    assert json.loads(path.read_text())["turn_hashes"] == hashes  # the game before is as it was
    assert cli_main(["replay", str(app.save_path), "--verify"]) == 0


def test_compare_sets_a_what_if_beside_the_game_it_left(content, tmp_path: Path) -> None:
    from wargame.report.compare import Game, compare_text
    from wargame.store.save import fork_seminar, load_seminar
    from wargame.tui.compare import CompareScreen
    from wargame.tui.dialogs import PromptDialog

    from wargame.model.records import Order

    played = Seminar(Session.new(content, 6))  # the room passes three turns
    for _ in range(3):
        played.resolve()
    parent = save_seminar(played, tmp_path / "autosave-room.json")
    what_if = fork_seminar(played, parent, 1, "again")
    # in the what-if the US raises a tariff in turn 2
    what_if.session.submit("us", [Order(card="us-section-232", targets={"mineral": "ree"})], from_hand=False)
    for _ in range(2):
        what_if.resolve()
    path = save_seminar(what_if, tmp_path / "autosave-whatif.json")

    async def body() -> None:
        app = build_app(load=str(path), save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.action_compare()
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert app.screen.query_one("Input").value == str(parent)  # the game it left, offered
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
            text = screen_text(app)
            assert "B shares turn 1 with A and parts from it at turn 2." in text
            shown = app.screen.query_one("#compare-text").render()
            assert str(shown) == compare_text([Game("A", path.name, load_seminar(path)),
                                               Game("B", parent.name, load_seminar(parent))], 3, "en")
            await pilot.press("f2")
            await pilot.pause()
            assert "B 与 A 共享第 1 回合，自第 2 回合起分道。" in str(app.screen.query_one("#compare-text").render())
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, CompareScreen)
            # a save of another scenario is refused in a dialog, and the game goes on
            app.action_compare()
            await pilot.pause()
            app.screen.query_one("Input").value = str(other)
            await pilot.press("enter")
            await settle(pilot)
            from textual.widgets import Static

            said = " ".join(str(w.render()) for w in app.screen.query(Static))
            assert "只能比较同一想定的推演" in said  # in the language shown

    from conftest import other_scenario_save

    (tmp_path / "o").mkdir()
    other = other_scenario_save(tmp_path / "o")
    run(body())


def test_a_what_if_of_a_save_opened_to_look_at_names_that_save(content, tmp_path: Path) -> None:
    import json

    played = Seminar(Session.new(content, 2))
    for _ in range(2):
        played.resolve()
    checkpoint = save_seminar(played, tmp_path / "group-a.json")  # a save made on purpose

    async def body() -> WargameApp:
        app = build_app(load=str(checkpoint), save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            # the game looked at is that save: compare does not offer it as the other game
            assert app._this_save() == "group-a.json" and app._compare_default() == tmp_path
            # and the handout is offered beside it, under its name (no autosave was written)
            app.action_write_debrief()
            await settle(pilot)
            assert app.screen.query_one("Input").value == str(tmp_path / "group-a-debrief-en.md")
            app.pop_screen()
            await settle(pilot)
            app._play_what_if(1, "")
            await settle(pilot)
            assert app.seminar.turn == 2
        return app

    app = asyncio.run(body())
    # nothing changed in the game looked at: it is the parent as it is, with no copy written
    assert sorted(p.name for p in tmp_path.glob("*.json")) == sorted(["group-a.json", app.save_path.name])
    marks = [e for e in json.loads(app.save_path.read_text())["log"] if e["type"] == "fork"]
    assert marks[0]["parent"] == "group-a.json"
