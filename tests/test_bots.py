"""Bot policies: legal play within budget, determinism, posture, the session's random
streams left alone, and `wargame run --bots`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from wargame.cli import main
from wargame.game.bots import (POLICIES, Bot, BotSpecError, is_coercive, make_bots, parse_spec,
                               play_bot_game, posture)
from wargame.game.session import Session
from wargame.model.deck import Card
from wargame.store.save import dumps, read, replay
from conftest import EXAMPLE_ORDERS, ROOT


def wargame(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True, text=True,
                          cwd=ROOT, stdin=subprocess.DEVNULL, timeout=120)


def _card(*effects: dict, targets: list | None = None) -> Card:
    return Card.model_validate({"id": "x-card", "name": {"en": "X", "zh": "X"},
                                "text": {"en": "X", "zh": "X"}, "targets": targets or [],
                                "effects": list(effects)})


def _coercive_plays(session: Session) -> int:
    return sum(is_coercive(session.content.card(o.card))
               for e in session.log if e.type == "orders" for o in e.orders)


# --- posture ----------------------------------------------------------------------------


def test_posture_reads_the_effects():
    assert posture(_card({"kind": "restrict_exports", "mineral": "ree", "to": ["rivals"], "severity": 0.5})) > 0
    assert posture(_card({"kind": "tariff", "mineral": "ree", "on": ["rivals"], "rate": 0.2})) > 0
    assert posture(_card({"kind": "adjust_affinity", "with": ["rivals"], "delta": -0.1})) > 0
    assert posture(_card({"kind": "securitise", "delta": 0.05})) > 0
    assert posture(_card({"kind": "join_bloc", "bloc": "msp"})) < 0
    assert posture(_card({"kind": "adjust_affinity", "with": ["allies"], "delta": 0.1})) < 0
    assert posture(_card({"kind": "invest_abroad", "mineral": "ree", "host": "drc", "amount": 1,
                          "fiscal_cost": 0.1})) < 0
    assert posture(_card({"kind": "subsidise_capacity", "mineral": "ree", "amount": 1, "fiscal_cost": 0.1,
                          "eligible": ["self", "allies"]})) < 0
    assert posture(_card({"kind": "subsidise_capacity", "mineral": "ree", "amount": 1,
                          "fiscal_cost": 0.1})) == 0  # national support alone is neutral


# --- specs ------------------------------------------------------------------------------

TEAMS = ["us", "china", "eu", "resource-states"]


def test_parse_spec_forms():
    assert parse_spec("hawk", TEAMS) == ("hawk", {})
    assert parse_spec("us=hawk, china=dove", TEAMS) == (None, {"us": "hawk", "china": "dove"})
    assert parse_spec("dove,china=hawk,eu=pass", TEAMS) == ("dove", {"china": "hawk", "eu": "pass"})


@pytest.mark.parametrize("spec, words", [
    ("hawks", "unknown policy 'hawks'"),
    ("atlantis=hawk", "unknown team 'atlantis'"),
    ("us=hawk,us=dove", "given twice"),
    ("hawk,dove", "two default policies"),
    ("us=hawk,,eu=dove", "empty entry"),
    ("", "empty entry"),
])
def test_parse_spec_rejects_bad_specs(spec, words):
    with pytest.raises(BotSpecError, match=words):
        parse_spec(spec, TEAMS)


# --- legal play -------------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICIES)
def test_every_policy_plays_only_legal_orders_within_budget(content, policy):
    for seed in (0, 1):
        session = Session.new(content, seed)
        bots = make_bots(session, policy)
        assert sorted(bots) == sorted(t.id for t in session.scenario.teams)
        played = 0
        while not session.over:
            for team in session.scenario.teams:
                hand = [c.id for c in session.hand(team.id)]
                orders = bots[team.id].choose(session)
                session.check_orders(team.id, orders)  # from the hand, conditions, targets, budget
                assert session.spent(team.id, orders) <= team.budget
                for o in orders:
                    assert o.card in hand
                    if len(team.actors) > 1:
                        assert o.actor in team.actors, "a multi-actor team names its acting actor"
                session.submit(team.id, orders)
                played += len(orders)
            session.resolve(explain=False)
        assert played > 0, f"{policy} never played a card with seed {seed}"


def test_every_team_finds_something_to_play(content):
    counts = {t.id: 0 for t in content.scenario.teams}
    for policy in POLICIES:
        session = play_bot_game(content, 3, policy)
        for e in session.log:
            if e.type == "orders":
                counts[e.team] += len(e.orders)
    assert all(n > 0 for n in counts.values()), counts


# --- determinism --------------------------------------------------------------------------

MIXED = {"us": "hawk", "china": "dove", "eu": "random", "resource-states": "balanced"}


def test_same_seed_and_bots_give_byte_identical_saves(content):
    a = dumps(play_bot_game(content, 11, MIXED))
    b = dumps(play_bot_game(content, 11, MIXED))
    assert a == b
    assert dumps(play_bot_game(content, 12, MIXED)) != a


def test_explain_changes_nothing_but_speed(content):
    assert dumps(play_bot_game(content, 5, "random", explain=True)) == dumps(play_bot_game(content, 5, "random"))


def test_teams_without_a_bot_pass(content):
    session = play_bot_game(content, 2, {"us": "hawk"})
    assert {e.team for e in session.log if e.type == "orders"} == {"us"}


def test_hawk_coerces_more_than_dove(content):
    seeds = range(5)
    hawk = sum(_coercive_plays(play_bot_game(content, s, "hawk")) for s in seeds)
    dove = sum(_coercive_plays(play_bot_game(content, s, "dove")) for s in seeds)
    assert hawk > dove
    assert hawk >= len(seeds), "a hawk should coerce about once a game at least"


# --- the session's random streams ---------------------------------------------------------


def test_bots_never_touch_the_session_streams(content):
    session = Session.new(content, 4)
    bots = make_bots(session, MIXED)
    while not session.over:
        draw = json.dumps(session.draw_rng.bit_generator.state, sort_keys=True)
        event = json.dumps(session.event_rng.bit_generator.state, sort_keys=True)
        for team_id, bot in bots.items():
            bot.play(session)
        assert json.dumps(session.draw_rng.bit_generator.state, sort_keys=True) == draw
        assert json.dumps(session.event_rng.bit_generator.state, sort_keys=True) == event
        session.resolve(explain=False)


def test_a_bot_game_is_the_same_game_as_its_orders_played_without_bots(content):
    """Feeding the bots' logged orders to a fresh session, with no bot, gives the same draws,
    hands and world at every turn: the bots added orders and nothing else."""
    botted = play_bot_game(content, 9, MIXED)
    plain = Session.new(content, 9)
    for entry in botted.log:
        if entry.type == "orders":
            for card in entry.orders:
                assert card.card in plain.decks[entry.team].hand  # dealt the same hand
            plain.submit(entry.team, list(entry.orders))
        elif entry.type == "resolve":
            plain.resolve(explain=False)
            assert plain.records[-1].state_hash == entry.state_hash
    assert [r.state_hash for r in plain.records] == [r.state_hash for r in botted.records]


def test_one_teams_bot_does_not_change_another_bots_stream(content):
    session = Session.new(content, 6)
    alone = Bot("china", "random", 6)
    crowd = make_bots(session, {"us": "random", "china": "random"})["china"]
    assert alone.rng.random(4).tolist() == crowd.rng.random(4).tolist()
    assert Bot("us", "random", 6).rng.random() != Bot("china", "random", 6).rng.random()


# --- the command line ---------------------------------------------------------------------


def test_run_with_bots_and_no_orders_verifies(content, tmp_path, capsys):
    out = tmp_path / "bots.json"
    assert main(["run", "--bots", "hawk", "--seed", "3", "--out", str(out), "--quiet"]) == 0
    assert main(["replay", str(out), "--verify"]) == 0
    assert "every hash matches" in capsys.readouterr().out
    doc = json.loads(out.read_text())
    assert doc["seed"] == 3 and doc["turn"] == content.scenario.turns
    same = play_bot_game(read(out).content, 3, "hawk")  # the content the run played, as saved
    assert out.read_text() == dumps(same)  # the command line and the library play the same game


def test_bot_saves_do_not_depend_on_string_hashing(tmp_path):
    """Same save from another process with another hash seed: no set order leaks into play."""
    here, there = tmp_path / "here.json", tmp_path / "there.json"
    assert main(["run", "--bots", "balanced,eu=random", "--seed", "21", "--out", str(here), "--quiet"]) == 0
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    result = subprocess.run([sys.executable, "-m", "wargame", "run", "--bots", "balanced,eu=random",
                             "--seed", "21", "--out", str(there), "--quiet"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert there.read_bytes() == here.read_bytes()


def test_bots_module_never_imports_textual():
    code = ("import sys, wargame.game.bots; "
            "print(','.join(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_run_with_bots_defaults_to_seed_0(tmp_path):
    out = tmp_path / "bots.json"
    assert main(["run", "--bots", "us=dove,eu=random", "--out", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["seed"] == 0


def test_bots_leave_scripted_teams_to_their_script(tmp_path):
    plain, mixed = tmp_path / "plain.json", tmp_path / "mixed.json"
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--out", str(plain), "--quiet"]) == 0
    # every team has orders somewhere in the example, so a blanket policy adds no bot
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--bots", "hawk", "--out", str(mixed), "--quiet"]) == 0
    assert mixed.read_bytes() == plain.read_bytes()


def test_a_named_bot_fills_the_turns_its_script_leaves_empty(tmp_path):
    out = tmp_path / "filled.json"
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--bots", "china=hawk", "--out", str(out),
                 "--quiet"]) == 0
    loaded = read(out)
    assert replay(loaded, verify=True).ok
    script = {t["turn"]: [o["card"] for o in t["orders"]["china"]]
              for t in _example_turns() if "china" in (t.get("orders") or {})}
    china = {e.turn: [o.card for o in e.orders] for e in loaded.log if e.type == "orders" and e.team == "china"}
    assert sorted(china) == list(range(1, loaded.content.scenario.turns + 1))  # one commit a turn
    assert all(china[turn] == cards for turn, cards in script.items())  # the script wins its turns
    assert any(china[turn] for turn in china if turn not in script)  # the bot plays the others


def _example_turns() -> list[dict]:
    import yaml

    return yaml.safe_load(EXAMPLE_ORDERS.read_text())["turns"]


@pytest.mark.parametrize("spec, words", [
    ("us=hawk,atlantis=dove", "unknown team 'atlantis'"),
    ("us=vulture", "unknown policy 'vulture'"),
])
def test_bad_bot_spec_exits_2_with_one_line(tmp_path, spec, words):
    out = tmp_path / "never.json"
    result = wargame("run", "--bots", spec, "--out", str(out))
    assert result.returncode == 2
    assert words in result.stderr and "--bots" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_run_without_orders_or_bots_exits_2(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "x.json")]) == 2
    assert "--orders" in capsys.readouterr().err
