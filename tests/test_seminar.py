"""A seminar game around one table: seats, plans, the White Cell, autosave and resume,
and the views a front end shows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wargame.game.seminar import HUMAN, Seminar
from wargame.game.session import OrderError, Session
from wargame.model.records import Inject, Order, Override
from wargame.store.save import SaveError, list_saves, load_seminar, read, replay, save_seminar


def _seminar(content, seats=None, **kw) -> Seminar:
    return Seminar(Session.new(content, 3), seats, **kw)


def _cheapest_legal(sem: Seminar, team: str) -> Order:
    """A legal order from the team's hand (targets: first choice that is legal)."""
    for card in sorted(sem.hand(team), key=lambda c: c.cost):
        for actor in sem.actors(team):
            targets = {}
            for spec in card.targets:
                targets[spec.name] = sem.choices(card, spec)[0]
            order = Order(card=card.id, actor=actor if len(sem.actors(team)) > 1 else None, targets=targets)
            if sem.why_not(team, order) is None:
                return order
    raise AssertionError(f"{team} has no legal card in hand")


def test_bots_commit_at_once_and_humans_are_due_in_scenario_order(content):
    sem = _seminar(content, {"china": "hawk", "resource-states": "dove"})
    assert sem.humans == ["us", "eu"]
    assert sem.session.committed("china") and sem.session.committed("resource-states")
    assert sem.due == "us"
    sem.commit("us")
    assert sem.due == "eu"
    sem.commit("eu")
    assert sem.due is None  # the White Cell's turn


def test_a_plan_tracks_the_budget_and_refuses_illegal_orders_whole(content):
    sem = _seminar(content)
    order = _cheapest_legal(sem, "us")
    cost = content.card(order.card).cost
    sem.add("us", order)
    assert sem.spent("us") == cost and sem.left("us") == sem.budget("us") - cost
    with pytest.raises(OrderError):
        sem.add("us", Order(card="cn-export-control", targets={}))  # another team's card
    assert sem.plan("us") == [order]
    assert sem.remove("us", 0) == order
    assert sem.spent("us") == 0 and sem.plan("us") == []


def test_a_refused_order_carries_the_failed_condition_or_the_budget(content):
    """Seminar.problem gives the error itself: which condition failed, or what the plan
    would cost against the budget, so a screen can say it in its own words."""
    sem = _seminar(content)
    card = next(c for c in content.team_cards("china")
                if any(k.kind == "played_before" and not k.team for k in c.conditions))
    sem.session.decks["china"].hand[0] = card.id
    targets = {spec.name: sem.choices(card, spec)[0] for spec in card.targets}
    problem = sem.problem("china", Order(card=card.id, targets=targets))
    assert problem is not None and problem.condition is not None
    assert problem.condition.kind == "played_before" and problem.over_budget is None
    assert sem.why_not("china", Order(card=card.id, targets=targets)) == str(problem)
    budget, orders, spent = sem.budget("us"), [], 0
    for c in sorted(content.team_cards("us"), key=lambda c: -c.cost):
        trial = orders + [Order(card=c.id, targets={spec.name: sem.choices(c, spec)[0] for spec in c.targets})]
        try:
            sem.session.check_orders("us", trial, from_hand=False)
        except OrderError as exc:
            if spent + c.cost > budget:
                assert exc.over_budget == (spent + c.cost, budget) and exc.condition is None
                return
            continue  # a condition or a target this card cannot meet now
        orders, spent = trial, spent + c.cost
    raise AssertionError("no plan went over the budget")


def test_committed_orders_are_sealed_and_bots_cannot_be_driven(content):
    sem = _seminar(content, {"china": "random"})
    sem.add("us", _cheapest_legal(sem, "us"))
    sem.commit("us")
    with pytest.raises(OrderError, match="already committed"):
        sem.add("us", _cheapest_legal(sem, "us"))
    with pytest.raises(OrderError, match="bot"):
        sem.commit("china")


def test_white_cell_override_needs_a_rationale_and_lands_in_the_save(content, tmp_path):
    path = tmp_path / "g.json"
    sem = _seminar(content)
    sem.on_change = lambda: save_seminar(sem, path)
    sem.add("us", _cheapest_legal(sem, "us"))
    sem.commit("us")
    with pytest.raises(ValueError, match="rationale"):  # a blank rationale is not a rationale
        sem.override(Override(team="us", index=0, action="veto", rationale="    "))
    sem.override(Override(team="us", index=0, action="veto", rationale="not credible this year"))
    log = json.loads(path.read_text())["log"]
    assert log[-1]["override"]["rationale"] == "not credible this year"
    sem.resolve()
    assert sem.report(1).vetoed == {"us": [0]}


def test_resolve_reveals_orders_and_explains_the_moves(content):
    sem = _seminar(content, {"china": "hawk", "eu": "dove", "resource-states": "balanced"})
    order = _cheapest_legal(sem, "us")
    sem.add("us", order)
    sem.commit("us")
    sem.resolve()
    rep = sem.report()
    assert rep.turn == 1 and rep.orders["us"] == [order]
    assert set(rep.orders) == set(sem.teams)
    assert rep.why and all(abs(w.delta) >= 0.05 for w in rep.why)
    assert [abs(w.delta) for w in rep.why] == sorted((abs(w.delta) for w in rep.why), reverse=True)
    assert any(w.cause.startswith("t1/us/") for w in rep.why)
    assert sem.turn == 2 and sem.session.committed("china")  # bots are ready for turn 2


def test_undo_restores_the_previous_meters(content):
    sem = _seminar(content)
    before = {k: np.copy(v) for k, v in sem.session.meters.items()}
    sem.add("us", _cheapest_legal(sem, "us"))
    sem.commit("us")
    sem.resolve()
    sem.undo("the room asked to replay the turn")
    assert sem.turn == 1
    for k, v in before.items():
        np.testing.assert_array_equal(sem.session.meters[k], v)


def test_a_kill_mid_turn_resumes_with_the_committed_orders(content, tmp_path):
    path = tmp_path / "g.json"
    sem = _seminar(content, {"china": "hawk"}, passphrase="lobito")
    sem.on_change = lambda: save_seminar(sem, path)
    sem.commit("us")  # turn 1 passes for the US ...
    sem.resolve()
    order = _cheapest_legal(sem, "us")
    sem.add("us", order)
    sem.commit("us")  # ... turn 2: the US commits, then the process dies
    back = load_seminar(path)
    assert back.turn == 2 and back.seats == sem.seats
    assert back.session.orders("us") == [order] and back.due == "eu"
    assert back.protected and back.unlock("lobito") and not back.unlock("wrong")
    np.testing.assert_allclose(back.session.meters["cost"], sem.session.meters["cost"])
    assert replay(read(path)).ok  # the seminar save is an ordinary, verifiable save


def test_a_damaged_seminar_save_is_refused_with_a_reason(content, tmp_path):
    path = tmp_path / "g.json"
    sem = _seminar(content)
    save_seminar(sem, path)
    doc = json.loads(path.read_text())
    doc["log"] = [{"type": "orders", "turn": 1, "team": "us", "orders": [{"card": "nope"}]}]
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="cannot be replayed"):
        load_seminar(path)


def test_dashboard_rows_carry_deltas_and_history(content):
    sem = _seminar(content)
    sem.commit("us")
    sem.resolve()
    rows = sem.dashboard("us")
    cost = next(r for r in rows if r.meter == "cost" and r.key == "usa")
    assert cost.history[0] == pytest.approx(100.0) and len(cost.history) == 2
    assert cost.delta == pytest.approx(cost.history[1] - cost.history[0])
    assert {r.meter for r in rows} >= {"dependency", "cost", "leverage", "cohesion", "securitisation"}
    assert {r.key for r in rows if r.meter == "cohesion"} == set(sem.blocs_of("us"))


def test_dependency_view_names_the_suppliers(content):
    sem = _seminar(content)
    rows = {(r.mineral, r.stage): r for r in sem.dependency("usa")}
    ree = rows[("ree", "processing")]
    assert ree.import_reliance == pytest.approx(sem.session.meters["import_reliance"][0, 0, 1])
    assert ree.suppliers and ree.suppliers[0].actor == "chn" and ree.suppliers[0].rival
    shares = [s.share for s in ree.suppliers]
    assert shares == sorted(shares, reverse=True) and sum(shares) <= 1.0 + 1e-9
    assert any(s.own for s in rows[("copper", "processing")].suppliers)


def test_comparison_has_every_team(content):
    sem = _seminar(content)
    table = sem.comparison()
    assert set(table) == {"us", "china", "eu", "resource-states"}
    assert table["us"]["cost"] == pytest.approx(100.0)


def test_unknown_seats_are_refused(content):
    with pytest.raises(OrderError, match="unknown seat"):
        _seminar(content, {"us": "robot"})
    with pytest.raises(OrderError, match="unknown team"):
        _seminar(content, {"mars": HUMAN})


def test_saves_are_listed_newest_first(content, tmp_path):
    sem = _seminar(content)
    a = save_seminar(sem, tmp_path / "a.json")
    sem.commit("us")
    sem.resolve()
    b = save_seminar(sem, tmp_path / "b.json")
    import os
    os.utime(a, (1_000_000, 1_000_000))
    (tmp_path / "junk.json").write_text("{not json")
    found = list_saves(tmp_path)
    assert [i.path.name for i in found] == ["b.json", "a.json"]
    assert found[0].turn == 1 and found[1].turn == 0 and found[0].turns == content.scenario.turns
    assert b.exists()


def test_injects_are_the_white_cells(content):
    sem = _seminar(content)
    card = next(c for c in sem.event_cards() if not c.targets and c.id != "ev-venezuela-strike")
    sem.inject(Inject(card=card.id))
    assert any(i.card == card.id for i in sem.session.injects)


def test_a_resumed_game_plays_on_exactly_as_an_unbroken_one(content, tmp_path):
    """Bots draw from a stream set by the seed, the team and the turn: a seminar resumed
    from its save makes the same moves as one that never stopped."""
    seats = {"us": "random", "china": "hawk", "eu": "balanced", "resource-states": "random"}
    unbroken = _seminar(content, seats)
    while not unbroken.over:
        unbroken.resolve()
    broken = _seminar(content, seats)
    for _ in range(3):
        broken.resolve()
    save_seminar(broken, tmp_path / "g.json")
    resumed = load_seminar(tmp_path / "g.json")
    while not resumed.over:
        resumed.resolve()
    assert resumed.session.state_hash() == unbroken.session.state_hash()
