"""A team's turn in the TUI, driven through the keyboard: meters, playing and removing
cards through the target picker, refusals, commit and the handover, verbatim card text,
and both languages at 80×24.

pytest-asyncio is not installed: each test is a sync function running an async body.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import DataTable, Select, Static, TabbedContent

from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.tui.app import WargameApp
from wargame.tui.dialogs import ConfirmDialog, MessageDialog
from wargame.tui.handover import HandoverScreen
from wargame.report.labels import fmt1
from wargame.tui.team import BAD_UP, GOOD_UP, PlayDialog, TeamScreen, signed, sparkline
from tui import flat, run, screen_text

SIZE = (80, 24)
BOLD_NAME = "Test [bold]duty[/bold] [x"
BOLD_TEXT = "A duty written with [bold] in it and [red]brackets[/red]."

_TEXT = {"en": "Test card", "zh": "测试卡"}
TEST_CARDS = [
    # a card with one target, a name and text that look like markup
    {"id": "us-test-duty", "name": {"en": BOLD_NAME, "zh": "测试[关税]"},
     "text": {"en": BOLD_TEXT, "zh": "带有 [bold] 字样的测试关税。"}, "cost": 2,
     "mechanism": "Test mechanism", "source": "Test source",
     "targets": [{"name": "mineral", "kind": "mineral", "choices": ["ree", "lithium", "cobalt"],
                  "prompt": {"en": "Duty on which test mineral?", "zh": "对哪种测试矿产征税？"}}],
     "effects": [{"kind": "tariff", "mineral": "$mineral", "stage": "processing", "on": ["rivals"],
                  "rate": 0.1, "duration": 1}]},
    # too dear to play after the duty
    {"id": "us-test-big", "name": {"en": "Test big spend", "zh": "测试大额支出"}, "text": _TEXT, "cost": 5,
     "mechanism": {"en": "Spending as a test mechanism", "zh": "以支出为测试机制"},
     "effects": [{"kind": "tariff", "mineral": "ree", "stage": "processing", "on": ["rivals"],
                  "rate": 0.1, "duration": 1}]},
    # legal for rare earths (US mines them), refused for gallium (no US extraction)
    {"id": "us-test-cap", "name": {"en": "Test capacity", "zh": "测试产能"}, "text": _TEXT, "cost": 1,
     "targets": [{"name": "mineral", "kind": "mineral", "choices": ["ree", "gallium"]}],
     "conditions": [{"kind": "has_capacity", "mineral": "$mineral", "stage": "extraction", "at_least": 5}],
     "effects": [{"kind": "tariff", "mineral": "$mineral", "stage": "processing", "on": ["rivals"],
                  "rate": 0.1, "duration": 1}]},
]
US_HAND = ["us-test-duty", "us-test-big", "us-test-cap"]


@pytest.fixture(scope="module")
def test_content(content):
    from wargame.model.loader import content_from_dicts

    scenario, decks = content.to_dicts()
    next(d for d in decks if d["id"] == "us")["cards"].extend(TEST_CARDS)
    return content_from_dicts(scenario, decks, origin="test")


def make_app(content, tmp_path: Path, hand: dict[str, list[str]] | None = None) -> WargameApp:
    session = Session.new(content, 3)
    for team, cards in (hand or {}).items():
        session.decks[team].hand[:len(cards)] = cards
    return WargameApp(seminar=Seminar(session), save_dir=tmp_path)






def budget_line(app: WargameApp) -> str:
    return str(app.screen.query_one("#team-budget", Static).render())


async def enter_team(app: WargameApp, pilot) -> TeamScreen:
    await pilot.pause()
    assert isinstance(app.screen, HandoverScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TeamScreen)
    return app.screen


async def pick_in_hand(pilot, screen: TeamScreen, card_id: str) -> None:
    """Show the hand and move the cursor onto a card."""
    await pilot.press("3")
    await pilot.pause()
    table = screen.query_one("#hand-table", DataTable)
    while screen._hand[table.cursor_row].id != card_id:
        await pilot.press("down")
    await pilot.pause()


async def play_with_first_choices(pilot, screen: TeamScreen, card_id: str) -> None:
    """Play a card through the picker with the targets it opens on (Tab to Play, Enter)."""
    await pick_in_hand(pilot, screen, card_id)
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("tab", "enter")
    await pilot.pause()


def test_dashboard_shows_the_engines_meters(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            s = app.seminar
            idx, meters = s.session.index, s.session.meters
            table = screen.query_one("#dash-table", DataTable)
            keys = [row.key.value for row in table.ordered_rows]
            assert "dependency/usa" in keys and "cost/usa" in keys and "securitisation/" in keys
            for key in keys:
                meter, who = key.split("/")
                values = np.asarray(meters[meter])
                value = values[idx.actor_pos[who] if who in idx.actor_pos else idx.bloc_pos[who]] if who else values
                assert str(table.get_cell(key, "value")) == fmt1(float(value)), key
            assert str(table.get_cell("dependency/usa", "delta")) == "0.0"  # turn 1: nothing has moved
            assert "Dependency" in screen_text(app)

    run(body())


def test_dashboard_shows_signed_changes_coloured_for_the_team(content, tmp_path) -> None:
    session = Session.new(content, 3)
    session.resolve(explain=False)  # every team passes turn 1; the market still moves

    async def body() -> None:
        app = WargameApp(seminar=Seminar(session), save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            table = screen.query_one("#dash-table", DataTable)
            coloured = 0
            for row in app.seminar.dashboard("us"):
                key = f"{row.meter}/{row.key}"
                cell = table.get_cell(key, "delta")
                assert str(cell) == signed(row.delta), key
                assert len(str(table.get_cell(key, "trend"))) == 2  # turns 0 and 1
                if fmt1(row.delta) != "0.0" and row.meter in GOOD_UP | BAD_UP:
                    good = (row.delta > 0) == (row.meter in GOOD_UP)
                    assert cell.style == ("green" if good else "red"), key
                    coloured += 1
            assert coloured  # the market moved something the team cares about

    run(body())


def test_signed_changes_and_sparklines() -> None:
    assert signed(1.25) == "+1.2" and signed(-0.44) == "-0.4" and signed(-0.01) == "0.0"
    line = sparkline([1.0, 2.0, 3.0])
    assert len(line) == 3 and line[0] == "▁" and line[-1] == "█" and line[0] < line[1] < line[2]
    assert sparkline([5.0]) == "▁"


def test_playing_a_card_through_the_picker_and_removing_it(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            assert budget_line(app) == "Budget 6 · planned 0 · left 6"
            await pick_in_hand(pilot, screen, "us-test-duty")
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PlayDialog)
            assert "Duty on which test mineral?" in screen_text(app)
            assert app.screen.query_one("#pick-mineral", Select).value == "ree"
            # open the list, take the next mineral (lithium), then Play has the focus
            await pilot.press("enter", "down", "enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen)
            plan = app.seminar.plan("us")
            assert [(o.card, o.targets) for o in plan] == [("us-test-duty", {"mineral": "lithium"})]
            assert budget_line(app) == "Budget 6 · planned 2 · left 4"
            await pilot.press("4")
            await pilot.pause()
            plan_table = screen.query_one("#plan-table", DataTable)
            assert str(plan_table.get_cell("0", "targets")) == "Lithium"
            await pilot.press("x")
            await pilot.pause()
            assert app.seminar.plan("us") == []
            assert budget_line(app) == "Budget 6 · planned 0 · left 6"
            assert plan_table.row_count == 0

    run(body())


def test_an_illegal_card_is_refused_with_a_message(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            # over budget once the duty is planned: a message, nothing added
            await play_with_first_choices(pilot, screen, "us-test-duty")
            assert len(app.seminar.plan("us")) == 1
            await pick_in_hand(pilot, screen, "us-test-big")
            assert "not now" in str(screen.query_one("#hand-table", DataTable).get_cell("1", "status"))
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, MessageDialog)
            assert "It costs 5, and 4 of this turn's budget is left." in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert [o.card for o in app.seminar.plan("us")] == ["us-test-duty"]
            assert budget_line(app) == "Budget 6 · planned 2 · left 4"
            # a target that breaks a condition: refused inside the picker, which stays open
            await pick_in_hand(pilot, screen, "us-test-cap")
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PlayDialog)
            await pilot.press("enter", "down", "enter")  # gallium
            await pilot.pause()
            await pilot.press("enter")  # Play
            await pilot.pause()
            assert isinstance(app.screen, PlayDialog)
            problem = str(app.screen.query_one("#pick-problem", Static).render())
            assert "Not allowed: It can be played only with at least 5 units of" in problem
            assert "us-test-cap" not in problem  # names, not ids
            assert [o.card for o in app.seminar.plan("us")] == ["us-test-duty"]
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen)
            assert budget_line(app) == "Budget 6 · planned 2 · left 4"

    run(body())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_card_waiting_for_another_says_which_by_name(content, tmp_path, lang) -> None:
    """A card that can follow only another card names that card, in the language shown,
    both in the card's details and in the message when it is played anyway."""
    card = next(c for c in content.team_cards("china")
                if any(k.kind == "played_before" and not k.team for k in c.conditions))
    first = content.card(next(k.card for k in card.conditions if k.kind == "played_before"))
    expected = {"en": f"It can be played only after “{first.name.en}” has been played.",
                "zh": f"出牌条件：须先打出“{first.name.zh}”。"}[lang]

    async def body() -> None:
        app = make_app(content, tmp_path, {"us": [], "china": [card.id]})
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            app.seminar.commit("us")
            app.advance()
            screen = await enter_team(app, pilot)
            assert screen.team == "china"
            if lang == "zh":
                await pilot.press("f2")
                await pilot.pause()
            await pick_in_hand(pilot, screen, card.id)
            details = str(screen.query_one("#hand-details", Static).render())
            assert "".join(expected.split()) in "".join(details.split())
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, MessageDialog)
            shown = "".join(screen_text(app).split())
            assert "".join(expected.split()) in shown
            assert first.id not in shown and card.id not in shown

    run(body())


def test_commit_hands_over_and_leaves_nothing_of_the_team(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await play_with_first_choices(pilot, screen, "us-test-duty")
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            question = screen_text(app)
            assert "Commit these orders for United States" in question and "Rare earths" in question
            await pilot.press("y")
            await pilot.pause()
            await pilot.pause()
            assert [o.card for o in app.seminar.session.orders("us")] == ["us-test-duty"]
            assert isinstance(app.screen, HandoverScreen) and app.screen.team == "china"
            assert not any(isinstance(s, (TeamScreen, PlayDialog, ConfirmDialog)) for s in app.screen_stack)
            for shown in app.screen_stack:
                assert not shown.query("#hand-table") and not shown.query("#plan-table")
            assert BOLD_NAME not in screen_text(app)

    run(body())


def test_committing_an_empty_plan_says_the_team_passes(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await enter_team(app, pilot)
            await pilot.press("c")
            await pilot.pause()
            assert "passes this turn" in screen_text(app)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen)
            assert not app.seminar.session.committed("us")

    run(body())


def test_a_resource_states_card_asks_which_state_plays_it(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path, {"resource-states": ["rs-royalty-rise"]})
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.enter_team("resource-states")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TeamScreen) and screen.multi
            await pick_in_hand(pilot, screen, "rs-royalty-rise")
            await pilot.press("p")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PlayDialog)
            actors = [v for _, v in dialog.query_one("#pick-actor", Select)._options]
            assert actors and set(actors) <= set(app.seminar.actors("resource-states"))
            assert "Which of your states plays it?" in screen_text(app)
            await pilot.press("enter", "down", "enter")  # the second state
            await pilot.pause()
            await pilot.press("tab", "enter")  # past the mineral, onto Play
            await pilot.pause()
            plan = app.seminar.plan("resource-states")
            assert len(plan) == 1 and plan[0].card == "rs-royalty-rise" and plan[0].actor == actors[1]
            await pilot.press("4")
            await pilot.pause()
            cell = screen.query_one("#plan-table", DataTable).get_cell("0", "actor")
            assert str(cell) == app.seminar.actor_name(actors[1])

    run(body())


def test_card_text_with_brackets_is_shown_verbatim(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await enter_team(app, pilot)
            await pick_in_hand(pilot, screen, "us-test-duty")
            shown = screen_text(app)
            assert BOLD_NAME in shown
            assert " ".join(BOLD_TEXT.split()) in " ".join(shown.split())
            await pilot.press("f2")
            await pilot.pause()
            shown = screen_text(app)
            assert "测试[关税]" in shown
            assert BOLD_NAME in shown  # the other language, dimmed below

    run(body())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_renders_at_80x24(test_content, tmp_path, lang) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            await enter_team(app, pilot)
            if lang == "zh":
                await pilot.press("f2")
                await pilot.pause()
            for key in ("1", "2", "3", "4"):
                await pilot.press(key)
                await pilot.pause()
                shown = screen_text(app)
                assert ("预算 6 · 已计划 0 · 剩余 6" if lang == "zh" else "Budget 6 · planned 0 · left 6") in shown
            assert ("美国" if lang == "zh" else "United States") in screen_text(app)
            dep = app.screen.query_one("#dep-table", DataTable)
            assert dep.row_count > 0

    run(body())


def test_home_and_end_go_to_the_first_and_last_card_of_the_hand(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await pilot.press("3")
            await pilot.pause()
            table = screen.query_one("#hand-table", DataTable)
            assert table.row_count > 2 and table.cursor_row == 0
            await pilot.press("end")
            await pilot.pause()
            assert table.cursor_row == table.row_count - 1
            details = str(screen.query_one("#hand-details", Static).render())
            assert screen._hand[-1].name.en in details  # the details follow the cursor
            await pilot.press("home")
            await pilot.pause()
            assert table.cursor_row == 0

    run(body())


def test_a_wide_terminal_shows_the_hand_and_the_card_side_by_side(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await enter_team(app, pilot)
            await pilot.press("3")
            await pilot.pause()
            table, details = screen.query_one("#hand-table"), screen.query_one("#hand-scroll")
            assert details.region.x >= table.region.right and details.region.y == table.region.y
            await pilot.resize_terminal(80, 24)  # narrow: the card read goes under the hand
            await pilot.pause()
            await pilot.pause()
            assert details.region.y >= table.region.bottom and details.region.x == table.region.x

    run(body())


def test_the_suppliers_fit_the_dependency_table_and_say_how_many_more(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await pilot.press("2")
            await pilot.pause()
            dep = screen.query_one("#dep-table", DataTable)
            assert dep.virtual_size.width <= dep.size.width  # nothing off the right edge
            rows = screen.dependency_rows(screen.dependency_actor())
            narrow = [str(dep.get_cell(f"{r.mineral}/{r.stage}", "suppliers")) for r in rows]
            cut = [(r, text) for r, text in zip(rows, narrow) if len(r.suppliers) > 1 and " +" in text]
            assert cut  # 80 columns cannot hold three suppliers everywhere
            for r, text in cut:  # the count says how many were left out
                shown = text.count(",") + 1
                assert text.endswith(f" +{len(r.suppliers) - shown}")
            await pilot.press("down", "down")
            await pilot.resize_terminal(160, 30)
            await pilot.pause()
            await pilot.pause()
            assert dep.cursor_row == 2  # the row read stays highlighted
            wide = [str(dep.get_cell(f"{r.mineral}/{r.stage}", "suppliers")) for r in rows]
            assert all(" +" not in text and text.count(",") == len(r.suppliers) - 1 for r, text in zip(rows, wide))

    run(body())


# --- tabs built when first shown, redrawn when shown stale -----------------------------------

def cell(screen: TeamScreen, table_id: str, row: str, column: str) -> str:
    return str(screen.query_one(table_id, DataTable).get_cell(row, column))


def column_labels(screen: TeamScreen, table_id: str) -> list[str]:
    return [str(c.label) for c in screen.query_one(table_id, DataTable).ordered_columns]


def test_only_the_dashboard_is_built_until_another_tab_is_shown(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            assert screen.query("#dash-table")
            for widget_id in ("#dep-table", "#hand-table", "#hand-details", "#plan-table"):
                assert not screen.query(widget_id), widget_id
            assert screen.check_action("play", ()) is True  # the keys know the hand all the same
            await pilot.press("3")
            await pilot.pause()
            assert screen.query_one("#hand-table", DataTable).row_count == len(app.seminar.hand("us")) > 0
            assert screen.query_one("#hand-table", DataTable).has_focus
            assert not screen.query("#dep-table") and not screen.query("#plan-table")
            await pilot.click("#--content-tab-plan")  # a tab chosen with the mouse is built too
            await pilot.pause()
            assert screen.query_one("#team-tabs", TabbedContent).active == "plan"
            assert column_labels(screen, "#plan-table")[:2] == ["#", "Card"]
            assert "Nothing planned yet" in screen_text(app)

    run(body())


def test_a_tab_shown_after_a_language_switch_is_in_the_new_language(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await pick_in_hand(pilot, screen, "us-test-big")
            await pilot.press("f2")  # on the hand: the dashboard is drawn in English, the plan not at all
            await pilot.pause()
            assert cell(screen, "#hand-table", "1", "card") == "测试大额支出"
            await pilot.press("1")
            await pilot.pause()
            assert column_labels(screen, "#dash-table")[0] == "指标"
            assert cell(screen, "#dash-table", "dependency/usa", "meter") == "依赖度"
            assert "与上回合相比的变化" in str(screen.query_one("#dash-help", Static).render())
            await pilot.press("4")  # built now, in Chinese
            await pilot.pause()
            assert column_labels(screen, "#plan-table")[:2] == ["#", "卡牌"]
            assert "尚无计划" in screen_text(app)
            await pilot.press("2")
            await pilot.pause()
            assert column_labels(screen, "#dep-table")[0] == "矿产"
            await pilot.press("f2", "3")  # back to English, then the hand (stale since)
            await pilot.pause()
            assert cell(screen, "#hand-table", "1", "card") == "Test big spend"
            assert screen._hand[screen.query_one("#hand-table", DataTable).cursor_row].id == "us-test-big"
            assert "Test big spend" in screen_text(app)

    run(body())


def test_a_card_mechanism_written_in_both_languages_follows_the_language(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await pick_in_hand(pilot, screen, "us-test-big")
            details = screen.query_one("#hand-details", Static)
            assert "Mechanism: Spending as a test mechanism" in flat(str(details.render()))
            await pilot.press("f2")
            await pilot.pause()
            shown = flat(str(screen.query_one("#hand-details", Static).render()))
            assert "机制：以支出为测试机制" in shown and "Spending as" not in shown
            await pilot.press("up")  # the card before: a note in one language only
            await pilot.pause()
            assert screen._hand[screen.query_one("#hand-table", DataTable).cursor_row].id == "us-test-duty"
            assert "机制：Test mechanism" in flat(str(screen.query_one("#hand-details", Static).render()))

    run(body())


def test_a_tab_shown_after_the_plan_changed_shows_the_plan(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await play_with_first_choices(pilot, screen, "us-test-duty")
            assert not screen.query("#plan-table")  # the plan tab was never shown
            await pilot.press("4")
            await pilot.pause()
            plan = screen.query_one("#plan-table", DataTable)
            assert plan.row_count == 1 and cell(screen, "#plan-table", "0", "card") == BOLD_NAME
            assert "x or Delete takes the highlighted card back" in screen_text(app)
            # a second card from the hand: the plan tab, built and hidden, is redrawn when shown
            await play_with_first_choices(pilot, screen, "us-test-cap")
            assert cell(screen, "#hand-table", "2", "status") == "planned"
            await pilot.press("4")
            await pilot.pause()
            assert plan.row_count == 2 and cell(screen, "#plan-table", "1", "card") == "Test capacity"
            assert budget_line(app) == "Budget 6 · planned 3 · left 3"
            # take one back from the plan: the hand shows it playable again when shown
            await pilot.press("x")
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()
            planned = [cell(screen, "#hand-table", str(i), "status") for i in range(len(screen._hand))]
            assert planned.count("planned") == 1

    run(body())


def test_the_state_selector_is_named_in_the_language_shown(content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(content, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.enter_team("resource-states")
            await pilot.pause()
            screen = app.screen
            await pilot.press("f2", "2")  # the dependency tab first built in Chinese
            await pilot.pause()
            actors = app.seminar.actors("resource-states")
            select = screen.query_one("#dep-actor", Select)
            assert [str(label) for label, _ in select._options] == [app.seminar.actor_name(a, "zh") for a in actors]
            assert str(screen.query_one("#dep-label", Static).render()) == "查看对象："
            await pilot.press("1", "f2", "2")  # switched back on another tab
            await pilot.pause()
            assert [str(label) for label, _ in select._options] == [app.seminar.actor_name(a, "en") for a in actors]
            assert str(screen.query_one("#dep-label", Static).render()) == "Whose supply:"

    run(body())


# --- the team's screen built behind its own curtain -------------------------------------------

def test_the_curtain_builds_its_teams_screen_out_of_sight(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            curtain = app.screen
            assert isinstance(curtain, HandoverScreen) and curtain.team == "us"
            prepared = app._prepared
            assert isinstance(prepared, TeamScreen) and prepared.team == "us"
            assert prepared not in app.screen_stack
            assert "Budget" not in screen_text(app) and "Dashboard" not in screen_text(app)
            await pilot.press("f2")  # the language switched while the curtain is up
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is prepared and app._prepared is None
            shown = screen_text(app)
            assert "第 1 回合" in shown and "1 仪表盘" in shown and "预算 6 · 已计划 0 · 剩余 6" in shown
            assert column_labels(prepared, "#dash-table")[0] == "指标"

    run(body())


def test_a_screen_built_behind_the_curtain_is_dropped_if_not_shown(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            prepared = app._prepared
            assert isinstance(prepared, TeamScreen) and prepared.is_attached
            await pilot.press("f5")  # to the White Cell instead
            await pilot.pause()
            await pilot.pause()
            assert app._prepared is None and not prepared.is_attached
            assert not any(isinstance(s, TeamScreen) for s in app.screen_stack)
            app.advance()  # the curtain again, then a team the curtain was not for
            await pilot.pause()
            await pilot.pause()
            stale = app._prepared
            assert isinstance(stale, TeamScreen) and stale.team == "us"
            app.enter_team("china")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen) and app.screen.team == "china"
            assert app._prepared is None and not stale.is_attached

    run(body())


def test_enter_pressed_twice_on_commit_does_not_pass_the_next_curtain(test_content, tmp_path,
                                                                     monkeypatch) -> None:
    """A doubled (or buffered) Enter after a commit must not show the next team's hand to
    the team still at the keyboard: the curtain takes Enter only once it has been up a
    moment, and says so only then."""
    monkeypatch.setattr(HandoverScreen, "SETTLE_S", 0.4)

    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "Press Enter when ready" not in screen_text(app)
            await pilot.press("enter")  # at once: still the curtain
            assert isinstance(app.screen, HandoverScreen) and app.screen.team == "us"
            await pilot.pause(0.5)
            assert "Press Enter when ready" in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TeamScreen) and screen.team == "us"
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("enter", "enter", "enter")  # Yes, and two presses too many
            await pilot.pause()
            curtain = app.screen
            assert isinstance(curtain, HandoverScreen) and curtain.team != "us"
            assert app.seminar.session.committed("us")
            await pilot.pause(0.5)
            assert app.screen is curtain and "Press Enter when ready" in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen) and app.screen.team == curtain.team

    run(body())


def test_the_footer_is_relabelled_in_place_on_a_language_switch(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await pilot.pause()
            keys = list(screen.query("FooterKey"))
            footer = screen_text(app).splitlines()[-1]
            assert "Tabs" in footer and "Play" in footer and "Commit" in footer
            await pilot.press("f2")
            await pilot.pause()
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert "标签页" in footer and "出牌" in footer and "提交" in footer and "Play" not in footer
            assert list(screen.query("FooterKey")) == keys  # the same keys, new words
            # a key turned on is a new footer: Remove, once a card is planned
            remove = next(k for k in screen.query("FooterKey") if k.action == "remove")
            assert remove.has_class("-disabled")
            await play_with_first_choices(pilot, screen, "us-test-duty")
            await pilot.pause()
            remove = next(k for k in screen.query("FooterKey") if k.action == "remove")
            assert not remove.has_class("-disabled") and remove not in keys
            footer = screen_text(app).splitlines()[-1]
            assert "撤回" in footer and "出牌" in footer

    run(body())


def test_a_card_planned_in_every_copy_says_so_and_enter_commits(test_content, tmp_path) -> None:
    async def body() -> None:
        app = make_app(test_content, tmp_path, {"us": US_HAND})
        async with app.run_test(size=SIZE) as pilot:
            screen = await enter_team(app, pilot)
            await play_with_first_choices(pilot, screen, "us-test-duty")
            await pick_in_hand(pilot, screen, "us-test-duty")
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, MessageDialog)
            text = screen_text(app)
            assert "Every copy of it you hold (1) is already in your plan." in text
            assert "order" not in text and "us-test-duty" not in text  # no engine wording
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("enter")  # committing is the default answer
            await pilot.pause()
            await pilot.pause()
            assert [o.card for o in app.seminar.session.orders("us")] == ["us-test-duty"]
            assert isinstance(app.screen, HandoverScreen)

    run(body())
