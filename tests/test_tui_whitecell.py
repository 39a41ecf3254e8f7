"""The White Cell screen, driven through the keyboard: veto and amend with a rationale
(recorded in the save), inject an event from the picker, resolve in a worker, undo the
last resolution, the passphrase, verbatim text and the layout at 80×24 in both languages.

pytest-asyncio is not installed: each test is a sync function running an async body.
"""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from textual.widgets import DataTable, Select

from wargame.game.seminar import Seminar
from wargame.game.session import OrderError, Session
from wargame.model.common import Text
from wargame.model.effects import needs_actor
from wargame.model.records import Inject, Order, Override
from wargame.tui.app import WargameApp
from wargame.tui.dialogs import ConfirmDialog, MessageDialog, PromptDialog
from wargame.tui.report import ReportScreen
from wargame.tui.whitecell import AmendDialog, InjectPicker, WhiteCellScreen
from tui import flat, run, screen_text

SIZE = (80, 24)
BIG = (160, 50)








def _seminar(content, seats=None, **kw) -> Seminar:
    return Seminar(Session.new(content, 3), seats, **kw)


def _order_to_amend(sem: Seminar) -> tuple[str, Order]:
    """A legal order from a human team's hand whose first target has several choices
    (each target set to its first choice)."""
    for team in sem.humans:
        for card in sem.hand(team):
            if not card.targets or len(sem.choices(card, card.targets[0])) < 2:
                continue
            order = Order(card=card.id, targets={t.name: sem.choices(card, t)[0] for t in card.targets})
            if sem.why_not(team, order) is None:
                return team, order
    raise AssertionError("no human team holds a card with a choice of targets")


def _everyone_commits(sem: Seminar) -> None:
    for team in sem.humans:
        sem.commit(team)


async def _to_white_cell(pilot, app: WargameApp) -> WhiteCellScreen:
    """From the curtain the app opens on (the White Cell's, when every team has committed)."""
    await pilot.pause()
    if not isinstance(app.screen, WhiteCellScreen):
        await pilot.press("enter" if app.seminar.due is None else "f5")
        await pilot.pause()
    assert isinstance(app.screen, WhiteCellScreen)
    return app.screen


async def _select_row(pilot, app: WargameApp, key: str) -> None:
    table = app.screen.query_one("#wc-orders", DataTable)
    for _ in range(table.get_row_index(key) - table.cursor_row):
        await pilot.press("down")
    await pilot.pause()
    assert app.screen._selected_key() == key


def _one_order_committed(sem: Seminar):
    """One order planned for a team with targets, then every team commits: (team, order)."""
    team, order = _order_to_amend(sem)
    sem.add(team, order)
    _everyone_commits(sem)
    return team, order


async def _at_order(pilot, app: WargameApp, team: str) -> WhiteCellScreen:
    """On the White Cell screen with the team's first order selected."""
    screen = await _to_white_cell(pilot, app)
    await _select_row(pilot, app, f"{team}:0")
    return screen


async def _type(pilot, text: str) -> None:
    await pilot.press(*text)


async def _answer(pilot, text: str) -> None:
    """Type an answer into the dialog up (a rationale) and press Enter."""
    await _type(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def _resolved(pilot, app: WargameApp) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _log(app: WargameApp) -> list[dict]:
    return json.loads(app.save_path.read_text(encoding="utf-8"))["log"]


def test_a_veto_with_its_rationale_lands_in_the_save_and_the_order_is_not_resolved(content, tmp_path):
    sem = _seminar(content)
    team, order = _one_order_committed(sem)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _at_order(pilot, app, team)
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await _type(pilot, "no")  # too short: the dialog stays and says so
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert "at least 3" in flat(screen_text(app))
            await _answer(pilot, "t credible this year")
            assert app.screen is screen
            ruling = [e["override"] for e in _log(app) if e["type"] == "override"]
            assert ruling == [{"team": team, "index": 0, "action": "veto", "targets": {},
                               "rationale": "not credible this year"}]
            table = screen.query_one("#wc-orders", DataTable)
            assert str(table.get_cell(f"{team}:0", "ruling")) == "VETOED"
            shown = flat(screen_text(app))
            assert "VETOED" in shown and "not credible this year" in shown
            assert screen.check_action("amend", ()) is None  # a vetoed order cannot be amended
            assert "v Lift" in footer(app)  # and v now takes the veto back
            await pilot.press("r")  # every team has committed: no question asked
            await _resolved(pilot, app)
            assert isinstance(app.screen, ReportScreen)

    run(body())
    report = sem.report(1)
    assert report.vetoed == {team: [0]}
    assert report.overrides[0].rationale == "not credible this year"
    causes = {line.cause for line in sem.session.records[-1].result.ledger}
    assert f"t1/{team}/0" not in causes


def test_an_amendment_changes_the_target_that_is_resolved(content, tmp_path):
    sem = _seminar(content)
    team, order = _one_order_committed(sem)
    card = content.card(order.card)
    spec = card.targets[0]
    old, new = sem.choices(card, spec)[:2]

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _at_order(pilot, app, team)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AmendDialog)
            first = app.screen.query(Select).first()
            assert app.focused is first and first.value == old
            await pilot.press("enter", "down", "enter")  # open the list, next value, choose it
            await pilot.pause()
            assert first.value == new
            for _ in card.targets:
                await pilot.press("tab")
            await pilot.press("enter")  # OK
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await _answer(pilot, "wrong mineral on the order")
            assert app.screen is screen
            table = screen.query_one("#wc-orders", DataTable)
            assert str(table.get_cell(f"{team}:0", "ruling")) == "amended"
            assert sem.session.effective_orders()[team][0][1].targets[spec.name] == new
            ruling = [e["override"] for e in _log(app) if e["type"] == "override"]
            assert ruling[-1]["action"] == "amend" and ruling[-1]["targets"][spec.name] == new
            assert ruling[-1]["rationale"] == "wrong mineral on the order"
            await pilot.press("r")
            await _resolved(pilot, app)
            assert isinstance(app.screen, ReportScreen)

    run(body())
    report = sem.report(1)
    assert report.vetoed == {}
    assert report.overrides[0].action == "amend" and report.overrides[0].targets[spec.name] == new
    assert report.orders[team][0].targets[spec.name] == old  # as committed, revealed as such
    causes = {line.cause for line in sem.session.records[-1].result.ledger}
    assert f"t1/{team}/0" in causes  # amended, not dropped


def footer(app: WargameApp) -> str:
    return screen_text(app).splitlines()[-1]


def test_v_on_a_vetoed_order_lifts_the_veto_and_the_order_is_resolved(content, tmp_path):
    sem = _seminar(content)
    team, order = _one_order_committed(sem)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _at_order(pilot, app, team)
            assert "v Veto" in footer(app)
            await pilot.press("v")
            await pilot.pause()
            await _answer(pilot, "misread the order")
            table = screen.query_one("#wc-orders", DataTable)
            assert str(table.get_cell(f"{team}:0", "ruling")) == "VETOED"
            assert "v Lift" in footer(app)  # the same key takes the veto back
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert "Lift the veto on" in flat(screen_text(app))
            await _answer(pilot, "read again: it stands")
            assert app.screen is screen
            assert str(table.get_cell(f"{team}:0", "ruling")) == ""
            assert "v Veto" in footer(app) and "No veto or amendment yet." in flat(screen_text(app))
            rulings = [(e["override"]["action"], e["override"]["rationale"]) for e in _log(app)
                       if e["type"] == "override"]
            assert rulings == [("veto", "misread the order"), ("lift", "read again: it stands")]
            await pilot.press("r")
            await _resolved(pilot, app)
            assert isinstance(app.screen, ReportScreen)

    run(body())
    assert sem.report(1).vetoed == {}
    causes = {line.cause for line in sem.session.records[-1].result.ledger}
    assert f"t1/{team}/0" in causes  # resolved after all


def test_the_amend_dialog_lifts_the_last_amendment(content, tmp_path):
    sem = _seminar(content)
    team, order = _one_order_committed(sem)
    card = content.card(order.card)
    spec = card.targets[0]
    old, new = sem.choices(card, spec)[:2]
    sem.override(Override(team=team, index=0, action="amend", targets={spec.name: new}, rationale="typo"))

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _at_order(pilot, app, team)
            await pilot.press("a")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, AmendDialog)
            assert "Lift last amendment" in flat(screen_text(app))
            dialog.query_one("#amend-lift").press()
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert "Lift the last amendment of" in flat(screen_text(app))
            await _answer(pilot, "the first target was right")
            assert app.screen is screen
            assert str(screen.query_one("#wc-orders", DataTable).get_cell(f"{team}:0", "ruling")) == ""
            assert _log(app)[-1]["override"]["action"] == "lift"

    run(body())
    assert sem.session.effective_orders()[team][0][1].targets[spec.name] == old


def test_an_order_never_amended_offers_no_lift_in_the_amend_dialog(content, tmp_path):
    sem = _seminar(content)
    team, _ = _one_order_committed(sem)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await _at_order(pilot, app, team)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AmendDialog)
            assert not app.screen.query("#amend-lift")

    run(body())


def test_the_white_cell_sees_what_the_timeline_brings_later(content, tmp_path):
    sem = _seminar(content)
    _everyone_commits(sem)
    later = [ev for ev in content.scenario.timeline if ev.turn > 1]
    assert later

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=BIG) as pilot:
            await _to_white_cell(pilot, app)
            shown = flat(screen_text(app))
            names = {c.id: c.name for c in sem.event_cards()}
            expected = "; ".join(f"turn {ev.turn} {names[ev.card].en}" for ev in later)
            assert f"Later in the timeline: {expected}" in shown
            assert f"turn 1 {names[content.scenario.timeline[0].card].en}" not in shown  # this turn's is above

    run(body())


def test_o_gives_a_team_its_orders_back_to_change_and_commit_again(content, tmp_path):
    from wargame.tui.handover import HandoverScreen
    from wargame.tui.team import TeamScreen

    sem = _seminar(content)
    team, order = _one_order_committed(sem)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _at_order(pilot, app, team)
            commands = [c.title for c in app.get_system_commands(screen)]
            assert "White Cell: reopen the highlighted team's orders (o)" in commands
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert f"Reopen the orders of {sem.team_name(team)}" in flat(screen_text(app))
            await _answer(pilot, "pressed Enter too soon")
            assert app.screen is screen and not sem.session.committed(team)
            assert f"Not committed yet: {sem.team_name(team)}" in flat(screen_text(app))
            assert screen._selected_key() == f"{team}:-", screen._selected_key()
            assert screen.check_action("reopen", ()) is None  # nothing committed to give back now
            entry = _log(app)[-1]
            assert entry == {"type": "reopen", "turn": 1, "team": team, "rationale": "pressed Enter too soon"}
            await pilot.press("escape")  # back to the game: that team's curtain, then its plan
            await pilot.pause()
            assert isinstance(app.screen, HandoverScreen) and app.screen.team == team
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TeamScreen) and app.screen.team == team
            assert sem.plan(team) == [order]

    run(body())


def test_tab_to_the_events_and_w_withdraws_one_with_a_rationale(content, tmp_path):
    sem = _seminar(content)
    _everyone_commits(sem)
    timeline = sem.session.injects[0]
    event = next(c for c in sem.event_cards() if not c.targets and not needs_actor(c.effects))
    sem.inject(Inject(card=event.id))
    name = {c.id: c for c in sem.event_cards()}[timeline.card].name.en

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _to_white_cell(pilot, app)
            assert "w Withdraw" not in footer(app) and "v Veto" in footer(app)
            await pilot.press("w")  # on the orders the key does nothing
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is screen.query_one("#wc-events")
            keys = footer(app)
            assert "w Withdraw" in keys and "v Veto" not in keys and "a Amend" not in keys
            await pilot.press("w")  # the first event: the timeline's
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            assert f"Withdraw event 1: {name}" in flat(screen_text(app))
            await _answer(pilot, "the room has not got there yet")
            assert app.screen is screen
            assert [i.card for i in sem.session.injects] == [event.id]
            shown = flat(screen_text(app))
            assert f"1. {event.name.en}" in shown and f"{name} (timeline)" not in shown
            entry = _log(app)[-1]
            assert entry["type"] == "withdraw" and entry["withdrawal"] == {
                "index": 0, "card": timeline.card, "rationale": "the room has not got there yet"}
            await pilot.press("w", *"not this one either", "enter")
            await pilot.pause()
            assert sem.session.injects == []
            assert "No event yet: i injects one." in flat(screen_text(app))
            assert app.focused is screen.query_one("#wc-orders")  # back on the orders
            await pilot.press("r")
            await _resolved(pilot, app)
            assert isinstance(app.screen, ReportScreen)

    run(body())
    assert sem.report(1).injects == []


def _event_with_targets(sem: Seminar):
    for i, card in enumerate(sem.event_cards()):
        if card.targets and not needs_actor(card.effects):
            return i, card
    raise AssertionError("no event card with targets")


def _event_with_actor(sem: Seminar):
    for i, card in enumerate(sem.event_cards()):
        if needs_actor(card.effects):
            return i, card
    raise AssertionError("no event card that acts for someone")


def test_an_event_injected_from_the_picker_shows_in_the_next_report(content, tmp_path):
    sem = _seminar(content)
    _everyone_commits(sem)
    index, card = _event_with_targets(sem)
    before = len(sem.session.injects)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _to_white_cell(pilot, app)
            await pilot.press("i")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, InjectPicker)
            for _ in range(index):
                await pilot.press("down")
            await pilot.press("enter")  # this one: on to its targets
            await pilot.pause()
            assert picker.card is card
            shown = flat(screen_text(app))
            assert card.name.en in shown and card.name.zh in shown  # both languages
            assert isinstance(app.focused, Select)
            for _ in card.targets:
                await pilot.press("tab")
            await pilot.press("enter")  # Inject
            await pilot.pause()
            assert app.screen is screen
            assert card.name.en in flat(screen_text(app))
            await pilot.press("r")
            await _resolved(pilot, app)
            assert isinstance(app.screen, ReportScreen)

    run(body())
    injects = sem.report(1).injects
    assert len(injects) == before + 1
    added = injects[-1]
    assert added.card == card.id and added.source == "facilitator"
    assert added.targets == {t.name: sem.choices(card, t)[0] for t in card.targets}


def test_f2_in_the_inject_picker_keeps_the_event_and_the_targets_chosen(content, tmp_path):
    sem = _seminar(content)
    _everyone_commits(sem)
    index, card = _event_with_targets(sem)
    spec = card.targets[0]
    second = sem.choices(card, spec)[1]

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=BIG) as pilot:
            await _to_white_cell(pilot, app)
            await pilot.press("i")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, InjectPicker)
            for _ in range(index):
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            first = picker.query(".wc-target").results(Select).__next__()
            first.value = second
            await pilot.press("f2")
            await pilot.pause()
            shown = flat(screen_text(app))
            assert app.lang == "zh" and "插入事件" in shown and f"{card.name.zh} · {card.name.en}" in shown
            assert picker.card is card and first.value == second
            assert picker.query_one("#pick-inject").label.plain == "插入"
            for _ in card.targets:
                await pilot.press("tab")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, WhiteCellScreen)

    run(body())
    assert sem.session.injects[-1].targets[spec.name] == second


def test_the_picker_shows_what_is_wrong_and_keeps_the_turn(content, tmp_path, monkeypatch):
    sem = _seminar(content)
    _everyone_commits(sem)
    index, card = _event_with_actor(sem)
    before = list(sem.session.injects)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await _to_white_cell(pilot, app)
            await pilot.press("i")
            await pilot.pause()
            picker = app.screen
            for _ in range(index):
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            assert picker.card is card
            picker._inject()  # nobody chosen to act
            await pilot.pause()
            assert app.screen is picker
            assert "choose who acts" in flat(screen_text(app))
            assert sem.session.injects == before

            def refuse(inject):
                raise OrderError("turn 1, inject: refused [red]here[/red]")

            monkeypatch.setattr(sem, "inject", refuse)
            picker.query_one("#pick-actor", Select).value = "chn"
            picker._inject()
            await pilot.pause()
            assert app.screen is picker
            assert "refused [red]here[/red]" in flat(screen_text(app))
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, WhiteCellScreen)

    run(body())
    assert sem.session.injects == before


def test_resolve_asks_when_a_team_has_not_committed_then_runs_in_a_worker(content, tmp_path, monkeypatch):
    sem = _seminar(content)
    first = sem.due
    real = sem.resolve
    gate = threading.Event()

    def slow_resolve():
        assert gate.wait(30)
        return real()

    monkeypatch.setattr(sem, "resolve", slow_resolve)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # the first team's curtain: to its screen
            await pilot.pause()
            screen = await _to_white_cell(pilot, app)
            shown = flat(screen_text(app))
            assert sem.team_name(first) in shown and "pass if you resolve now" in shown
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert "Not committed yet, so passing this turn: " in flat(screen_text(app))
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is screen and screen.resolving
            assert "Resolving turn 1" in flat(screen_text(app))
            for action in ("veto", "amend", "inject", "resolve", "undo", "back"):
                assert screen.check_action(action, ()) is None
            await pilot.press("escape", "i")  # nothing happens while the engine works
            await pilot.pause()
            assert app.screen is screen
            gate.set()
            await _resolved(pilot, app)
            assert isinstance(app.screen, ReportScreen)

    run(body())
    assert sem.turn == 2
    assert sem.report(1).orders.get(first, []) == []  # it passed


def test_a_failed_resolution_shows_a_dialog_and_keeps_the_turn(content, tmp_path, monkeypatch):
    sem = _seminar(content)
    _everyone_commits(sem)

    def broken():
        raise OrderError("turn 1: effect out of range [x]")

    monkeypatch.setattr(sem, "resolve", broken)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _to_white_cell(pilot, app)
            await pilot.press("r")
            await _resolved(pilot, app)
            assert isinstance(app.screen, MessageDialog)
            assert "effect out of range [x]" in flat(screen_text(app))
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and not screen.resolving
            assert screen.check_action("resolve", ()) is True

    run(body())
    assert sem.turn == 1 and not sem.session.records


def test_undo_restores_the_previous_turns_meters_and_stays_on_the_white_cell(content, tmp_path):
    sem = _seminar(content)
    before = {k: np.array(v, copy=True) for k, v in sem.session.meters.items()}
    _everyone_commits(sem)
    sem.resolve()
    assert sem.turn == 2
    assert any(not np.array_equal(before[k], sem.session.meters[k]) for k in before)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _to_white_cell(pilot, app)  # turn 2: from the team's curtain by F5
            assert screen.check_action("undo", ()) is True
            await pilot.press("u")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await _answer(pilot, "the wrong card was played")
            assert isinstance(app.screen, ConfirmDialog)
            assert "Rewind turn 1" in flat(screen_text(app))
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is screen
            assert "Turn 1 of" in screen_text(app)
            assert screen.check_action("undo", ()) is None  # nothing resolved any more
            await pilot.press("u")
            await pilot.pause()
            assert app.screen is screen
            undo = [e for e in _log(app) if e["type"] == "undo"]
            assert undo == [{"type": "undo", "turn": 1, "rationale": "the wrong card was played"}]

    run(body())
    assert sem.turn == 1
    for k, v in before.items():
        np.testing.assert_array_equal(np.asarray(sem.session.meters[k]), v)


def test_undo_is_greyed_out_before_any_resolution(content, tmp_path):
    sem = _seminar(content)
    _everyone_commits(sem)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _to_white_cell(pilot, app)
            assert screen.check_action("undo", ()) is None
            await pilot.press("u")
            await pilot.pause()
            assert app.screen is screen

    run(body())


def test_the_passphrase_guards_the_white_cell(content, tmp_path):
    sem = _seminar(content, passphrase="x")

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            curtain = app.screen
            await pilot.press("f5")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await _answer(pilot, "y")
            assert app.screen is curtain  # refused
            await pilot.press("f5")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await _answer(pilot, "x")
            assert isinstance(app.screen, WhiteCellScreen)
            await pilot.press("escape")  # back to the game: the curtain of the team due
            await pilot.pause()
            assert not isinstance(app.screen, WhiteCellScreen)

    run(body())


def test_text_with_brackets_renders_verbatim(content, tmp_path, monkeypatch):
    sem = _seminar(content)
    team, order = _one_order_committed(sem)
    index, card = _event_with_targets(sem)
    odd = card.model_copy(update={"name": Text(en="[red]Flood[/red] [x", zh="[洪水]")})
    cards = [odd if c.id == card.id else c for c in sem.event_cards()]
    monkeypatch.setattr(sem, "event_cards", lambda: list(cards))

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _at_order(pilot, app, team)
            await pilot.press("v")
            await pilot.pause()
            await _answer(pilot, "[bold]no[/bold] [x")
            assert app.screen is screen
            assert "[bold]no[/bold] [x" in screen_text(app)
            await pilot.press("i")
            await pilot.pause()
            for _ in range(index):
                await pilot.press("down")
            await pilot.pause()
            assert "[red]Flood[/red] [x" in screen_text(app)
            await pilot.press("enter")
            for _ in card.targets:
                await pilot.press("tab")
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            assert "[red]Flood[/red] [x" in screen_text(app)
            await pilot.press("f2")
            await pilot.pause()
            assert "[洪水]" in screen_text(app)

    run(body())


@pytest.mark.parametrize("size", [SIZE, BIG])
def test_the_screen_fits_in_english_and_chinese(content, tmp_path, size):
    sem = _seminar(content, {"china": "hawk", "resource-states": "dove"})
    team, order = _one_order_committed(sem)

    async def body() -> None:
        app = WargameApp(seminar=sem, save_dir=tmp_path)
        async with app.run_test(size=size) as pilot:
            screen = await _at_order(pilot, app, team)
            lines = screen_text(app).splitlines()
            assert len(lines) == size[1]
            shown = flat("\n".join(lines))
            assert "White Cell · Turn 1 of 8" in shown
            assert "Every team has committed" in shown
            assert "All teams have committed" in shown
            assert "played by bots: China (hawk), Resource states (dove)" in shown
            assert content.card(order.card).name.en in shown
            assert "Events this turn" in shown
            for key in ("i Inject", "v Veto", "a Amend", "r Resolve", "u Undo", "b Back",
                        "^q Quit", "f1 Help", "^s Save"):  # every key fits in the footer
                assert key in shown
            await pilot.press("f2")
            await pilot.pause()
            shown = flat(screen_text(app))
            assert "白方" in shown and "第 1 回合" in shown
            assert "各队均已提交" in shown and "电脑操控：中国（鹰派）" in shown
            assert content.card(order.card).name.zh in shown
            for key in ("i 插入", "v 否决", "a 修改", "r 结算", "u 撤回", "b 返回"):
                assert key in shown
            await pilot.press("tab")  # the events: w takes the place of v and a
            await pilot.pause()
            shown = flat(screen_text(app))
            for key in ("i 插入", "w 撤除", "r 结算", "u 撤回", "b 返回", "^s 保存"):
                assert key in shown
            await pilot.press("shift+tab")
            await pilot.pause()
            assert str(screen.query_one("#wc-orders", DataTable).get_cell(f"{team}:0", "team")) == \
                sem.team_name(team, "zh")
            await pilot.press("i")  # the picker fits too
            await pilot.pause()
            assert isinstance(app.screen, InjectPicker)
            assert "插入事件" in flat(screen_text(app))

    run(body())
