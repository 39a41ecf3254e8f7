"""Turn flow: hands and draws, budgets, sealed orders, White Cell rulings, undo."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.game.session import OrderError, Session
from wargame.model.records import Inject, Order, Override, Withdrawal


def first_playable(session: Session, team: str) -> Order:
    """A legal order from the team's hand (targets filled with the first allowed value)."""
    for card in session.hand(team):
        targets = {}
        for spec in card.targets:
            if spec.choices:
                targets[spec.name] = spec.choices[0]
            elif spec.kind == "mineral":
                targets[spec.name] = session.index.minerals[0]
            elif spec.kind in ("actor", "party"):
                targets[spec.name] = session.team(team).actors[0]
            elif spec.kind == "bloc":
                targets[spec.name] = session.index.blocs[0]
            else:
                targets[spec.name] = "processing"
        order = Order(card=card.id, targets=targets)
        try:
            session.check_orders(team, [order])
            return order
        except OrderError:
            continue
    raise AssertionError(f"no playable card in {team}'s opening hand: pick another seed")


def test_hands_are_drawn_to_size_from_the_seed(content):
    a, b, c = Session.new(content, 1), Session.new(content, 1), Session.new(content, 2)
    for team in content.scenario.teams:
        assert len(a.hand(team.id)) == min(team.hand_size, len(content.team_cards(team.id)))
    hands = lambda s: [[card.id for card in s.hand(t.id)] for t in content.scenario.teams]  # noqa: E731
    assert hands(a) == hands(b)
    assert hands(a) != hands(c)


def test_over_budget_orders_are_refused_whole(content):
    s = Session.new(content, 0)
    team = s.team("us")
    cards = sorted(content.team_cards("us"), key=lambda c: -c.cost)
    orders, total = [], 0
    for card in cards:
        if not card.targets and not card.conditions:
            orders.append(Order(card=card.id))
            total += card.cost
        if total > team.budget:
            break
    assert total > team.budget, "the US deck should hold enough target-free cards to overspend"
    with pytest.raises(OrderError, match="over the budget"):
        s.submit("us", orders, from_hand=False)
    assert not s.committed("us")
    assert s.log == []


def test_card_not_in_hand_is_refused_unless_scripted(content):
    s = Session.new(content, 0)
    in_hand = {c.id for c in s.hand("us")}
    outside = [c for c in content.team_cards("us") if c.id not in in_hand and not c.targets and not c.conditions]
    if not outside:
        raise AssertionError("every target-free US card was drawn: pick another seed")
    order = Order(card=outside[0].id)
    with pytest.raises(OrderError, match="not in us's hand"):
        s.submit("us", [order])
    s.submit("us", [order], from_hand=False)
    assert s.committed("us")


def test_other_teams_cards_and_unknown_targets_are_illegal(content):
    s = Session.new(content, 0)
    china_card = content.team_cards("china")[0].id
    with pytest.raises(OrderError, match="not in us's decks"):
        s.submit("us", [Order(card=china_card)], from_hand=False)
    export_control = content.card("cn-export-control")
    with pytest.raises(OrderError, match="needs target"):
        s.submit("china", [Order(card=export_control.id)], from_hand=False)
    bad = {t.name: "atlantis" for t in export_control.targets}
    with pytest.raises(OrderError, match="must be"):
        s.submit("china", [Order(card=export_control.id, targets=bad)], from_hand=False)


def test_a_team_commits_once_per_turn(content):
    s = Session.new(content, 0)
    s.submit("us", [])
    with pytest.raises(OrderError, match="already committed"):
        s.submit("us", [])


def test_actor_must_belong_to_the_team(content):
    s = Session.new(content, 0)
    with pytest.raises(OrderError, match="does not control"):
        s.submit("resource-states", [Order(card="rs-ore-ban", actor="usa", targets={"mineral": "nickel"})],
                 from_hand=False)


def test_veto_removes_the_order_and_is_logged_with_its_rationale(content):
    s = Session.new(content, 0)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.override(Override(team="china", index=0, action="veto", rationale="not credible this early"))
    assert s.effective_orders()["china"] == []
    entry = [e for e in s.log if e.type == "override"][0]
    assert entry.override.rationale == "not credible this early"
    with pytest.raises(OrderError, match="no order number 2"):
        s.override(Override(team="china", index=1, action="veto", rationale="nothing there"))


def test_vetoed_export_control_changes_nothing(content):
    base, vetoed = Session.new(content, 0), Session.new(content, 0)
    order = Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})
    vetoed.submit("china", [order], from_hand=False)
    vetoed.override(Override(team="china", index=0, action="veto", rationale="vetoed for the test"))
    a, b = base.resolve(), vetoed.resolve()
    usa = base.index.actor_pos["usa"]
    assert a.meters["cost"][usa] == pytest.approx(b.meters["cost"][usa])


def test_the_plays_of_a_turn_are_the_kept_orders_then_the_injects(content):
    s = Session.new(content, 0)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"}),
                       Order(card="cn-dialogue-offer", targets={"target": "eu"})], from_hand=False)
    s.submit("us", [Order(card="us-ira-credit")], from_hand=False)
    s.override(Override(team="china", index=0, action="veto", rationale="vetoed for the test"))
    event = next(c for c in content.event_cards() if not c.targets)
    s.inject(Inject(card=event.id))
    # teams in the scenario's order (the vetoed order left out), then the injects: the
    # timeline's for this turn and the White Cell's, in the order they came
    injects = [i.card for i in s.injects]
    assert injects[-1] == event.id
    assert [(p.team, p.card) for p in s.plays()] == [("us", "us-ira-credit"), ("china", "cn-dialogue-offer")] + \
        [(None, card) for card in injects]


def test_a_lifted_veto_lets_the_order_stand_and_the_log_keeps_both(content):
    order = Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})
    plain, lifted = Session.new(content, 0), Session.new(content, 0)
    for s in (plain, lifted):
        s.submit("china", [order], from_hand=False)
    lifted.override(Override(team="china", index=0, action="veto", rationale="misread the order"))
    assert lifted.effective_orders()["china"] == []
    lifted.override(Override(team="china", index=0, action="lift", rationale="the order was sound after all"))
    assert lifted.effective_orders()["china"] == [(0, order)]
    assert lifted.overrides == []  # only the rulings in force
    assert [e.override.action for e in lifted.log if e.type == "override"] == ["veto", "lift"]
    assert plain.resolve().meters["cost"].tolist() == lifted.resolve().meters["cost"].tolist()
    assert plain.state_hash() == lifted.state_hash()


def test_a_lift_takes_back_the_latest_ruling_on_that_order_only(content):
    s = Session.new(content, 0)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"}),
                       Order(card="cn-dialogue-offer", targets={"target": "eu"})], from_hand=False)
    s.override(Override(team="china", index=0, action="amend", targets={"mineral": "gallium"}, rationale="first"))
    s.override(Override(team="china", index=0, action="amend", targets={"target": "jpn"}, rationale="second"))
    s.override(Override(team="china", index=1, action="veto", rationale="one is enough"))
    assert s.ruled_order("china", 0).targets == {"mineral": "gallium", "target": "jpn"}
    s.override(Override(team="china", index=0, action="lift", rationale="the second went too far"))
    assert s.ruled_order("china", 0).targets == {"mineral": "gallium", "target": "usa"}
    s.override(Override(team="china", index=0, action="lift", rationale="back to what was committed"))
    assert s.effective_orders()["china"] == [(0, s.orders("china")[0])]
    assert [(o.index, o.action) for o in s.overrides] == [(1, "veto")]
    with pytest.raises(OrderError, match="no ruling to lift"):
        s.override(Override(team="china", index=0, action="lift", rationale="again"))


def test_an_amendment_must_leave_an_order_its_actor_may_play(content):
    """The White Cell amends what a team ordered; it cannot amend it into an order the actor
    could not have given: Indonesia's ore ban moved to an ore it does not mine is refused,
    and nothing is ruled."""
    s = Session.new(content, 0)
    s.submit("resource-states", [Order(card="rs-ore-ban", actor="idn", targets={"mineral": "nickel"})],
             from_hand=False)
    with pytest.raises(OrderError, match="amend resource-states order 1: .*extraction lithium capacity"):
        s.override(Override(team="resource-states", index=0, action="amend", targets={"mineral": "lithium"},
                            rationale="a slip"))
    assert s.overrides == [] and not any(e.type == "override" for e in s.log)
    s.override(Override(team="resource-states", index=0, action="amend", targets={"mineral": "copper"},
                        rationale="copper, not nickel"))
    assert s.ruled_order("resource-states", 0).targets == {"mineral": "copper"}


def test_a_withdrawn_event_is_not_resolved(content):
    event = next(c for c in content.event_cards() if not c.targets and not c.playable_by)
    plain, withdrawn = Session.new(content, 3), Session.new(content, 3)
    timeline = [i.card for i in plain.injects]
    assert timeline  # turn 1 of the built-in scenario has a timeline event
    withdrawn.inject(Inject(card=event.id))
    n = len(withdrawn.injects) - 1
    with pytest.raises(OrderError, match="not 'ev-nothing'"):
        withdrawn.withdraw(Withdrawal(index=n, card="ev-nothing", rationale="wrong card named"))
    with pytest.raises(OrderError, match="no event number"):
        withdrawn.withdraw(Withdrawal(index=n + 1, card=event.id, rationale="past the end"))
    withdrawn.withdraw(Withdrawal(index=n, card=event.id, rationale="injected by mistake"))
    assert [i.card for i in withdrawn.injects] == timeline
    assert withdrawn.log[-1].type == "withdraw" and withdrawn.log[-1].withdrawal.rationale == "injected by mistake"
    plain.resolve()
    withdrawn.resolve()
    assert plain.state_hash() == withdrawn.state_hash()


def test_a_timeline_event_can_be_withdrawn(content):
    s = Session.new(content, 3)
    first = s.injects[0]
    assert first.source == "timeline"
    s.withdraw(Withdrawal(index=0, card=first.card, rationale="the room has not reached that point"))
    assert first.card not in [p.card for p in s.plays()]


def test_reopened_orders_can_be_committed_again_and_their_rulings_go(content):
    s = Session.new(content, 0)
    first = [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})]
    s.submit("china", first, from_hand=False)
    s.override(Override(team="china", index=0, action="veto", rationale="too early"))
    with pytest.raises(OrderError, match="nothing to reopen"):
        s.reopen("eu", "the EU never committed")
    s.reopen("china", "China pressed Enter too soon")
    assert not s.committed("china") and s.overrides == []
    assert s.log[-1].type == "reopen" and s.log[-1].team == "china"
    again = [Order(card="cn-dialogue-offer", targets={"target": "eu"})]
    s.submit("china", again, from_hand=False)
    assert s.effective_orders()["china"] == [(0, again[0])]


def test_inject_must_be_an_event_card(content):
    s = Session.new(content, 0)
    with pytest.raises(OrderError, match="not an event card"):
        s.inject(Inject(card="us-ira-credit"))


def test_an_inject_cannot_pass_for_a_timeline_event(content, tmp_path):
    """Timeline events are queued by the game; an inject (in play, in a save's log or in an
    orders file) that claims to be one is refused, so no report says "scheduled in the
    scenario" of an event the timeline does not have."""
    s = Session.new(content, 0)
    with pytest.raises(OrderError, match="the scenario's timeline schedules its own events"):
        s.inject(Inject(card="ev-mine-strike", targets={"state": "drc", "mineral": "cobalt"}, source="timeline"))
    assert not any(e.type == "inject" for e in s.log)
    orders = tmp_path / "orders.yaml"
    orders.write_text("format: 1\nscenario: critical-minerals-2026\nturns:\n  - turn: 1\n    injects:\n"
                      "      - {card: ev-mine-strike, targets: {state: drc, mineral: cobalt}, source: timeline}\n")
    from conftest import ROOT

    from wargame.model.loader import check_paths
    _, problems = check_paths([str(orders), str(ROOT / "decks" / "critical-minerals-2026")])
    assert len(problems) == 1 and "injects[0].source" in str(problems[0])


def test_undo_restores_the_previous_turn(content):
    s = Session.new(content, 5)
    before_hash = s.state_hash()
    before = {k: np.array(v, copy=True) for k, v in s.meters.items()}
    hands = {t.id: [c.id for c in s.hand(t.id)] for t in content.scenario.teams}
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.resolve()
    assert s.turn == 2
    s.undo("mistyped order")
    assert s.turn == 1
    assert s.state_hash() == before_hash
    assert {t.id: [c.id for c in s.hand(t.id)] for t in content.scenario.teams} == hands
    for k, v in before.items():
        np.testing.assert_array_equal(s.meters[k], v)
    assert s.log[-1].type == "undo" and s.log[-1].rationale == "mistyped order"


def test_injects_do_not_change_later_draws(content):
    a, b = Session.new(content, 9), Session.new(content, 9)
    event = content.event_cards()[0]
    targets = {}
    for spec in event.targets:
        targets[spec.name] = spec.choices[0] if spec.choices else (
            b.index.minerals[0] if spec.kind == "mineral" else b.index.actors[0])
    b.inject(Inject(card=event.id, targets=targets))
    a.resolve()
    b.resolve()
    for team in content.scenario.teams:
        assert [c.id for c in a.hand(team.id)] == [c.id for c in b.hand(team.id)]


def test_game_ends_after_the_last_turn(content):
    s = Session.new(content, 0)
    for _ in range(content.scenario.turns):
        s.resolve()
    assert s.over
    with pytest.raises(OrderError, match="over"):
        s.resolve()
    assert len(s.history) == content.scenario.turns + 1


def test_played_cards_leave_the_hand_and_the_hand_refills(content):
    s = Session.new(content, 3)
    order = first_playable(s, "us")
    s.submit("us", [order])
    s.resolve()
    d = s.decks["us"]
    assert order.card in d.discard
    assert len(d.hand) == min(s.team("us").hand_size, len(d.hand) + len(d.draw))


def test_undo_after_the_last_turn_reopens_it(content):
    s = Session.new(content, 1)
    for _ in range(content.scenario.turns):
        s.resolve()
    final_hash = s.state_hash()
    s.undo("replay the last year")
    assert not s.over and s.turn == content.scenario.turns
    s.resolve()
    assert s.over and s.state_hash() == final_hash


def test_nothing_to_undo_at_the_start(content):
    with pytest.raises(OrderError, match="no resolved turn"):
        Session.new(content, 0).undo()


def _with_card(content, team_deck: str, card: dict):
    """The built-in content with one more card in a team deck."""
    from wargame.model.loader import content_from_dicts

    scenario, decks = content.to_dicts()
    next(d for d in decks if d["id"] == team_deck)["cards"].append(card)
    return content_from_dicts(scenario, decks, origin="test")


_NAME = {"en": "Test card", "zh": "测试卡"}


def test_has_capacity_can_check_the_mineral_the_player_picks(content):
    card = {"id": "rs-test-ban", "name": _NAME, "text": _NAME, "cost": 1,
            "targets": [{"name": "mineral", "kind": "mineral"}],
            "conditions": [{"kind": "has_capacity", "mineral": "$mineral", "stage": "extraction", "at_least": 5}],
            "effects": [{"kind": "ore_export_ban", "mineral": "$mineral"}]}
    session = Session.new(_with_card(content, "resource-states", card), 0)
    i = session.index
    assert session.world.cap[i.actor_pos["idn"], i.mineral_pos["nickel"], 0] >= 5
    assert session.world.cap[i.actor_pos["idn"], i.mineral_pos["lithium"], 0] < 5
    ok = Order(card="rs-test-ban", actor="idn", targets={"mineral": "nickel"})
    session.check_orders("resource-states", [ok], from_hand=False)
    bad = Order(card="rs-test-ban", actor="idn", targets={"mineral": "lithium"})
    with pytest.raises(OrderError, match="extraction lithium capacity"):
        session.check_orders("resource-states", [bad], from_hand=False)


def test_played_before_can_name_another_team(content):
    us_card = next(c for c in content.team_cards("us") if not c.targets and not c.conditions)
    card = {"id": "eu-test-answer", "name": _NAME, "text": _NAME, "cost": 1,
            "conditions": [{"kind": "played_before", "card": us_card.id, "team": "us"}],
            "effects": [{"kind": "adjust_affinity", "with": ["usa"], "delta": 0.05}]}
    session = Session.new(_with_card(content, "eu", card), 0)
    answer = Order(card="eu-test-answer")
    with pytest.raises(OrderError, match=f"after {us_card.id} has been played by us"):
        session.check_orders("eu", [answer], from_hand=False)
    session.submit("us", [Order(card=us_card.id)], from_hand=False)
    session.resolve(explain=False)
    session.check_orders("eu", [answer], from_hand=False)


def test_play_out_plays_a_script_as_wargame_run_does(content):
    """A scripted game played to its end in process gives the turn hashes of the example
    save, which `wargame run` wrote from the same orders file."""
    import json

    from wargame.model.loader import load_orders

    from conftest import EXAMPLE_ORDERS, ROOT

    script = load_orders(EXAMPLE_ORDERS, content)
    session = Session.new(content, script.seed or 0)
    seen: list[int] = []
    session.play_out(script, lambda s: seen.append(s.world.turn))
    saved = json.loads((ROOT / "saves" / "critical-minerals-2026-example.json").read_text(encoding="utf-8"))
    assert session.over and seen == list(range(1, len(saved["turn_hashes"]) + 1))
    assert [r.state_hash for r in session.records] == saved["turn_hashes"]


def test_an_order_is_weighed_against_the_world_once_per_turn(content, monkeypatch):
    # bots check many orders, then their choice again on submitting: the effects of one
    # order are evaluated once while the world stands, and again once it has changed
    import wargame.game.session as session_module

    calls = []
    real = session_module.contribute
    monkeypatch.setattr(session_module, "contribute", lambda *a: calls.append(a[3].card) or real(*a))
    s = Session.new(content, 3)
    order = Order(card="us-ira-credit")
    s.check_orders("us", [order], from_hand=False)
    s.check_orders("us", [order], from_hand=False)
    assert calls == ["us-ira-credit"]
    s.submit("us", [order], from_hand=False)
    assert calls == ["us-ira-credit"]
    s.resolve()
    s.check_orders("us", [order], from_hand=False)
    assert calls == ["us-ira-credit"] * 2  # the new world weighs it again
