"""The minimal TUI: starting position, language toggle, load errors, verbatim text, quit.

pytest-asyncio is not installed: each test is a sync function running an async body.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from wargame.engine.meters import UNITS
from wargame.game.session import Session
from wargame.model.loader import check_paths, load_scenario
from wargame.paths import default_scenario
from wargame.store.save import save
from wargame.tui.app import WargameApp, build_app, run_app
from wargame.tui.screens import ErrorScreen, HelpScreen, MainScreen

SIZE = (80, 24)
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def session() -> Session:
    return Session.new(load_scenario(default_scenario()), 0)


def run(coro) -> None:
    asyncio.run(coro)


def screen_text(app: WargameApp) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """Screen text with wrapping undone: runs of spaces and line ends become one space."""
    return " ".join(text.split())


def cell(app: WargameApp, table: str, row: str, column: str) -> str:
    return str(app.screen.query_one(f"#{table}", DataTable).get_cell(row, column))


def test_meters_table_shows_the_engines_us_dependency(session: Session) -> None:
    i = session.index.actor_pos["usa"]

    async def body() -> None:
        app = WargameApp(session=session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert cell(app, "meters", "usa", "dependency") == f"{session.meters['dependency'][i]:.1f}"
            for meter in ("cost", "leverage", "value_added", "lock_in"):
                value = float(session.meters[meter][i])
                assert float(cell(app, "meters", "usa", meter)) == pytest.approx(value, abs=0.051)
            text = screen_text(app)
            assert session.scenario.name.en in text
            assert f"Turn 1 of {session.scenario.turns}" in text
            assert "q Quit" in text and "? Help" in text

    run(body())


def test_l_switches_team_names_to_chinese_and_back(session: Session) -> None:
    team = session.scenario.teams[0]

    async def body() -> None:
        app = WargameApp(session=session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert cell(app, "teams", team.id, "team") == team.name.en
            await pilot.press("l")
            await pilot.pause()
            assert cell(app, "teams", team.id, "team") == team.name.zh
            assert session.scenario.name.zh in screen_text(app)
            await pilot.press("l")
            await pilot.pause()
            assert cell(app, "teams", team.id, "team") == team.name.en

    run(body())


def test_invalid_scenario_opens_error_screen_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\nname: [unclosed\n  turns: : :\n", encoding="utf-8")
    _, problems = check_paths([str(bad)])
    assert problems

    async def body() -> None:
        app = build_app(scenario=str(bad))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ErrorScreen)
            lines = [str(p) for p in problems]
            assert list(app.screen.failure.lines[:-1]) == lines  # as `wargame check` says them
            text = flat(screen_text(app))
            assert "broken.yaml" in text.replace(" ", "")  # a long path may fold mid-word
            assert "1 problem(s) in 1 file(s)" in text
            assert "Traceback" not in text
            assert "q Quit" in text
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 2

    run(body())


def test_run_app_returns_2_when_the_scenario_cannot_be_loaded(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("format: 1\nid: x\n", encoding="utf-8")
    monkeypatch.setattr(WargameApp, "run", lambda self, *a, **k: None)
    assert run_app(scenario=str(bad), load=None, seed=None, start=0.0) == 2


def test_unreadable_save_opens_error_screen(tmp_path: Path) -> None:
    bad = tmp_path / "save.json"
    bad.write_text('{"format": "not-a-save"}', encoding="utf-8")

    async def body() -> None:
        app = build_app(load=str(bad))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ErrorScreen)
            assert "not a wargame save" in flat(screen_text(app))

    run(body())


def test_a_save_resumes_at_its_next_turn(tmp_path: Path) -> None:
    played = Session.new(load_scenario(MINI), 3)
    played.resolve()
    path = save(played, tmp_path / "game.json")

    async def body() -> None:
        app = build_app(load=str(path))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert f"Turn 2 of {played.scenario.turns}" in screen_text(app)
            i = played.index.actor_pos["usa"]
            assert cell(app, "meters", "usa", "dependency") == f"{played.meters['dependency'][i]:.1f}"

    run(body())


def test_text_with_brackets_displays_verbatim(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    scenario = root / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    text = text.replace("name: {en: West, zh: 西方}", 'name: {en: "[bold]West[/bold] [x", zh: "[西方]"}')
    text = text.replace("name: {en: Australia, zh: 澳大利亚}", 'name: {en: "Oz [red]", zh: 澳大利亚}')
    scenario.write_text(text, encoding="utf-8")

    async def body() -> None:
        app = build_app(scenario=str(root))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, MainScreen), getattr(app.screen, "failure", None)
            assert cell(app, "teams", "west", "team") == "[bold]West[/bold] [x"
            shown = screen_text(app)
            assert "[bold]West[/bold] [x" in shown
            assert "Oz [red]" in shown
            await pilot.press("l")
            await pilot.pause()
            assert "[西方]" in screen_text(app)

    run(body())


def test_help_explains_the_meters(session: Session) -> None:
    async def body() -> None:
        app = WargameApp(session=session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            shown = screen_text(app)
            assert "starting position" in shown
            assert UNITS["dependency"] in shown
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)

    run(body())


def test_startup_time_is_written_to_the_log_file(session: Session, tmp_path: Path,
                                                 monkeypatch) -> None:
    target = tmp_path / "startup.txt"
    monkeypatch.setenv("WARGAME_STARTUP_LOG", str(target))

    async def body() -> None:
        app = WargameApp(session=session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.startup_seconds is not None

    run(body())
    assert 0.0 <= float(target.read_text(encoding="utf-8")) < 60.0


def test_q_exits_cleanly(session: Session) -> None:
    async def body() -> WargameApp:
        app = WargameApp(session=session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
        return app

    app = asyncio.run(body())
    assert app.return_code == 0
    assert not app.is_running
