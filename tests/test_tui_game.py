"""A whole seminar game through the keyboard, from the start screen to a resumed save.

One flow, as a room would play it: the new-game form (seed, two human teams, two bots),
the curtain before each team, the United States playing a card through the target picker
(the budget line following every play and removal), the opaque curtain after it commits,
the European Union playing a card, the White Cell vetoing an order with a rationale and
resolving, the report, the next team's dashboard against the engine's meters, turn 2
resolved and then undone by the White Cell, a clean quit, and a new app that resumes the
autosave from the start screen's table at the right turn with the orders committed since.

pytest-asyncio is not installed: the test is a sync function running an async body.
Opening and resolving a game run in workers, so the test waits for them (``settle``).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static

from wargame.model.records import Order
from wargame.tui.app import WargameApp
from wargame.tui.dialogs import ConfirmDialog, PromptDialog
from wargame.tui.handover import HandoverScreen
from wargame.report.labels import fmt1
from wargame.tui.report import ReportScreen
from wargame.tui.start import StartScreen
from wargame.tui.team import PlayDialog, TeamScreen, playable
from wargame.tui.whitecell import WhiteCellScreen
from tui import flat, screen_text, settle

SIZE = (80, 24)
SEED = 7
HUMANS = ("us", "eu")
BOTS = {"china": "hawk", "resource-states": "dove"}
SEAT_ROWS = {"hawk": 1, "dove": 2}  # places in the seat lists below "People at the keyboard"
VETO_WHY = "no funds [yet]"  # a bracket: shown and saved verbatim
UNDO_WHY = "replay year 2"


# --- reading and driving the screen -------------------------------------------------------------







async def choose(pilot, select_id: str, downs: int) -> None:
    """Open a list with Enter, go down ``downs`` options, take that one with Enter."""
    pilot.app.screen.query_one(f"#{select_id}", Select).focus()
    await pilot.pause()
    await pilot.press("enter", *(["down"] * downs), "enter")
    await pilot.pause()


async def type_into(pilot, input_id: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#{input_id}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *(["backspace"] * len(field.value)), *text)
    await pilot.pause()


def budget_line(app: WargameApp) -> str:
    return str(app.screen.query_one("#team-budget", Static).render())


def expected_budget(app: WargameApp, team: str, spent: int) -> str:
    budget = app.seminar.budget(team)
    return f"Budget {budget} · planned {spent} · left {budget - spent}"


def read_save(app: WargameApp) -> dict:
    return json.loads(Path(app.save_path).read_text(encoding="utf-8"))


def meters_copy(app: WargameApp) -> dict[str, np.ndarray]:
    return {k: np.array(v, copy=True) for k, v in app.seminar.session.meters.items()}


def assert_same_meters(now: dict, then: dict[str, np.ndarray]) -> None:
    assert set(now) == set(then)
    for key, value in then.items():
        np.testing.assert_array_equal(np.asarray(now[key]), value, err_msg=key)


async def through_curtain(pilot, app: WargameApp, team: str | None) -> None:
    """The opaque curtain for ``team`` (None: the White Cell) is up, alone; Enter lifts it."""
    await pilot.pause()
    curtain = app.screen
    assert isinstance(curtain, HandoverScreen) and curtain.team == team, screen_text(app)
    assert not isinstance(curtain, ModalScreen)  # a full screen: nothing shows through
    assert curtain.styles.background.a == 1.0
    assert [type(s).__name__ for s in app.screen_stack] == ["Backdrop", "HandoverScreen"]
    await pilot.press("enter")
    await pilot.pause()


async def highlight_card(pilot, screen: TeamScreen, card_id: str) -> None:
    """Show the hand (3) and move its cursor onto a card."""
    await pilot.press("3")
    await pilot.pause()
    table = screen.query_one("#hand-table", DataTable)
    while screen._hand[table.cursor_row].id != card_id:
        row = table.cursor_row
        await pilot.press("down")
        assert table.cursor_row != row, f"{card_id} is not in the hand"
    await pilot.pause()


def card_to_play(app: WargameApp, team: str) -> tuple[str, Order]:
    """A card of the team's hand it may play now, one with targets to pick if there is one,
    and the order the picker offers for it first."""
    s = app.seminar
    fits = [(c, playable(s, team, c)) for c in s.hand(team)]
    fits = [(c, p) for c, p in fits if p.options and c.cost <= s.left(team)]
    assert fits, f"{team} can play nothing"
    card, status = next(((c, p) for c, p in fits if c.targets), fits[0])
    return card.id, Order(card=card.id, targets=status.options[None])


async def play_through_picker(pilot, app: WargameApp, team: str, card_id: str) -> Order:
    """p on the highlighted card, Tab past each of its target lists, Enter on Play."""
    screen = app.screen
    await highlight_card(pilot, screen, card_id)
    await pilot.press("p")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, PlayDialog) and dialog.card.id == card_id
    offered = dialog.order()
    await pilot.press(*(["tab"] * len(dialog.card.targets)), "enter")
    await pilot.pause()
    assert app.screen is screen
    assert app.seminar.plan(team)[-1] == offered
    return offered


async def commit(pilot, app: WargameApp) -> None:
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmDialog)
    await pilot.press("y")
    await pilot.pause()


async def type_rationale(pilot, app: WargameApp, text: str) -> None:
    assert isinstance(app.screen, PromptDialog)
    await pilot.press(*text, "enter")
    await pilot.pause()


def check_dashboard(app: WargameApp, team: str) -> int:
    """Every value on the team's dashboard is the engine's meter, as formatted there."""
    screen = app.screen
    assert isinstance(screen, TeamScreen) and screen.team == team
    s = app.seminar
    idx, meters = s.session.index, s.session.meters
    table = screen.query_one("#dash-table", DataTable)
    keys = [row.key.value for row in table.ordered_rows]
    assert keys
    for key in keys:
        meter, who = key.split("/")
        values = np.asarray(meters[meter])
        if who:
            value = values[idx.actor_pos[who] if who in idx.actor_pos else idx.bloc_pos[who]]
        else:
            value = values
        assert str(table.get_cell(key, "value")) == fmt1(float(value)), key
    return len(keys)


# --- the game ----------------------------------------------------------------------------------

def test_a_two_turn_game_through_the_keyboard(tmp_path: Path) -> None:
    async def first_app() -> dict:
        app = WargameApp(save_dir=tmp_path)
        seen: dict = {}
        async with app.run_test(size=SIZE) as pilot:
            # the new-game form: seed, two bots, the rest human
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            await type_into(pilot, "seed", str(SEED))
            for team, policy in BOTS.items():
                await choose(pilot, f"seat-{team}", SEAT_ROWS[policy])
            assert app.screen.seats() == {**{t: "human" for t in HUMANS}, **BOTS}
            await pilot.press("ctrl+n")
            await settle(pilot)
            s = app.seminar
            assert s is not None and s.session.seed == SEED and s.turn == 1
            assert s.humans == list(HUMANS)
            assert all(s.session.committed(t) for t in BOTS)  # the bots have played

            # turn 1, the United States: play a card, take it back, play it again, commit
            await through_curtain(pilot, app, "us")
            screen = app.screen
            assert isinstance(screen, TeamScreen) and screen.team == "us"
            assert budget_line(app) == expected_budget(app, "us", 0)
            card_id, order = card_to_play(app, "us")
            cost = s.session.content.card(card_id).cost
            assert await play_through_picker(pilot, app, "us", card_id) == order
            assert budget_line(app) == expected_budget(app, "us", cost)
            await pilot.press("4", "x")  # the plan, then take the card back
            await pilot.pause()
            assert s.plan("us") == []
            assert budget_line(app) == expected_budget(app, "us", 0)
            assert await play_through_picker(pilot, app, "us", card_id) == order
            assert budget_line(app) == expected_budget(app, "us", cost)
            us_titles = {c.name.get(lang) for c in s.hand("us") for lang in ("en", "zh")}
            await commit(pilot, app)
            assert s.session.orders("us") == [order]

            # the curtain hides everything of the United States
            assert isinstance(app.screen, HandoverScreen) and app.screen.team == "eu"
            for shown in app.screen_stack:
                assert not isinstance(shown, (TeamScreen, PlayDialog, ConfirmDialog))
                for widget_id in ("#team-title", "#team-budget", "#dash-table", "#hand-table",
                                  "#plan-table", "#hand-details"):
                    assert not shown.query(widget_id), widget_id
            text = screen_text(app)
            assert f"Pass the keyboard to {s.team_name('eu')}" in text
            assert not [title for title in us_titles if title in text]
            assert s.team_name("us") not in text

            # turn 1, the European Union: one card
            await through_curtain(pilot, app, "eu")
            eu_card, eu_order = card_to_play(app, "eu")
            assert not [title for title in us_titles if title in screen_text(app)]
            await play_through_picker(pilot, app, "eu", eu_card)
            await commit(pilot, app)
            assert s.session.orders("eu") == [eu_order]

            # the White Cell vetoes the American order, with a rationale, and resolves
            await through_curtain(pilot, app, None)
            wc = app.screen
            assert isinstance(wc, WhiteCellScreen)
            table = wc.query_one("#wc-orders", DataTable)
            while wc._selected_key() != "us:0":
                row = table.cursor_row
                await pilot.press("down")
                assert table.cursor_row != row, "no American order on the White Cell's table"
            await pilot.press("v")
            await pilot.pause()
            await type_rationale(pilot, app, VETO_WHY)
            assert app.screen is wc
            assert str(table.get_cell("us:0", "ruling")) == "VETOED"
            assert VETO_WHY in flat(screen_text(app))
            await pilot.press("r")  # every human team has committed: no question asked
            await settle(pilot)
            report = app.screen
            assert isinstance(report, ReportScreen) and report.shown == 1
            assert s.turn == 2 and s.report(1).vetoed == {"us": [0]}
            news = flat(str(report.query_one("#news-text", Static).render()))
            assert "VETOED" in news and VETO_WHY in news
            after_turn_1 = meters_copy(app)

            # the veto and its rationale are in the autosave
            doc = read_save(app)
            rulings = [e["override"] for e in doc["log"] if e["type"] == "override"]
            assert rulings == [{"team": "us", "index": 0, "action": "veto", "targets": {},
                                "rationale": VETO_WHY}]
            assert doc["turn"] == 1

            # turn 2: the next team's dashboard shows the engine's meters
            await pilot.press("enter")
            await through_curtain(pilot, app, "us")
            assert "Turn 2 of" in screen_text(app)
            assert check_dashboard(app, "us") >= 6
            card_id, order = card_to_play(app, "us")
            await play_through_picker(pilot, app, "us", card_id)
            await commit(pilot, app)
            await through_curtain(pilot, app, "eu")
            await commit(pilot, app)  # the European Union passes
            await through_curtain(pilot, app, None)
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen) and app.screen.shown == 2
            assert s.turn == 3
            assert any(not np.array_equal(after_turn_1[k], np.asarray(v))
                       for k, v in s.session.meters.items())

            # the White Cell rewinds turn 2: the meters are turn 1's again
            await pilot.press("f5")
            await pilot.pause()
            wc = app.screen
            assert isinstance(wc, WhiteCellScreen)
            await pilot.press("u")
            await pilot.pause()
            await type_rationale(pilot, app, UNDO_WHY)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is wc and s.turn == 2
            assert_same_meters(s.session.meters, after_turn_1)
            assert "Turn 2 of" in screen_text(app)
            undo = [e for e in read_save(app)["log"] if e["type"] == "undo"]
            assert undo == [{"type": "undo", "turn": 2, "rationale": UNDO_WHY}]

            # turn 2 again: the United States commits, then the room quits
            await pilot.press("b")
            await through_curtain(pilot, app, "us")
            assert check_dashboard(app, "us") >= 6
            card_id, order = card_to_play(app, "us")
            await play_through_picker(pilot, app, "us", card_id)
            await commit(pilot, app)
            assert isinstance(app.screen, HandoverScreen) and app.screen.team == "eu"
            seen.update(save_path=app.save_path, us_orders=s.session.orders("us"), seats=dict(s.seats),
                        bot_orders={t: s.session.orders(t) for t in BOTS}, meters=after_turn_1)
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await pilot.pause()
        assert app.return_code == 0
        return seen

    async def second_app(seen: dict) -> None:
        app = WargameApp(save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            start = app.screen
            assert isinstance(start, StartScreen)
            table = start.query_one("#saves", DataTable)
            assert [row.key.value for row in table.ordered_rows] == [str(seen["save_path"])]
            row = [str(c) for c in table.get_row(str(seen["save_path"]))]
            assert row[0] == Path(seen["save_path"]).name and row[1].startswith("turn 2 of ")
            table.focus()
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            s = app.seminar
            assert s is not None and s.turn == 2 and s.session.seed == SEED
            assert s.seats == seen["seats"]
            assert s.session.orders("us") == seen["us_orders"]
            assert not s.session.committed("eu")
            assert {t: s.session.orders(t) for t in BOTS} == seen["bot_orders"]
            assert_same_meters(s.session.meters, seen["meters"])
            assert app.save_path == seen["save_path"]
            # the game goes on where it stopped: the European Union's curtain for turn 2
            assert isinstance(app.screen, HandoverScreen) and app.screen.team == "eu"
            assert "Turn 2 of" in screen_text(app)
            await through_curtain(pilot, app, "eu")
            assert isinstance(app.screen, TeamScreen) and app.screen.team == "eu"
            assert check_dashboard(app, "eu") >= 6

    seen = asyncio.run(first_app())
    asyncio.run(second_app(seen))
