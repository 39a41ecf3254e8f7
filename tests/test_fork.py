"""What-ifs: forking a save at a turn, playing on from it, and comparing games."""

from __future__ import annotations

import json
import math

import pytest
from conftest import EXAMPLE_ORDERS, ROOT, undone_game

from wargame.cli import main
from wargame.store.save import SaveError, fork, load_seminar, read, save

EXAMPLE = ROOT / "saves" / "critical-minerals-2026-example.json"


def doc(path):
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def parent():
    return doc(EXAMPLE)


def test_a_fork_keeps_the_first_turns_and_marks_where_it_leaves(tmp_path, parent, capsys):
    out = tmp_path / "what-if.json"
    assert main(["fork", str(EXAMPLE), "--turn", "3", "--out", str(out), "--note", "no price floor"]) == 0
    assert "plays on from turn 4 of 8" in capsys.readouterr().out
    d = doc(out)
    assert d["turn_hashes"] == parent["turn_hashes"][:3]
    assert d["history"] == parent["history"][:4]
    assert d["turn"] == 3
    # the log is the parent's up to the end of turn 3, then the mark
    end = max(i for i, e in enumerate(parent["log"]) if e["type"] == "resolve" and e["turn"] == 3)
    assert d["log"][:-1] == parent["log"][:end + 1]
    assert d["log"][-1] == {"type": "fork", "turn": 4, "parent": EXAMPLE.name,
                            "from_hash": parent["turn_hashes"][2], "note": "no price floor"}
    assert main(["replay", str(out), "--verify"]) == 0
    assert f"turn 4: from here on a game of its own, forked from {EXAMPLE.name}: no price floor" \
        in capsys.readouterr().out


def test_playing_a_fork_on_with_the_same_orders_gives_back_the_same_game(tmp_path, parent, capsys):
    # the draws of the turns to come depend only on the seed and the log: a fork played on
    # with the parent's own orders is the parent, hash for hash
    for turn in (0, 5):
        f, again = tmp_path / f"f{turn}.json", tmp_path / f"again{turn}.json"
        assert main(["fork", str(EXAMPLE), "--turn", str(turn), "--out", str(f)]) == 0
        assert main(["run", "--from", str(f), "--orders", str(EXAMPLE_ORDERS), "--out", str(again)]) == 0
        assert doc(again)["turn_hashes"] == parent["turn_hashes"]
        assert main(["replay", str(again), "--verify"]) == 0
    err = capsys.readouterr().err
    assert "turns 1-5 left out" in err  # the orders file's turns the fork already has


def test_quiet_still_says_what_of_the_orders_file_was_left_out(tmp_path, capsys):
    """--quiet silences what went well; the orders file's turns a fork has played already
    did not happen, and a facilitator who asked for them is told so on standard error."""
    f, again = tmp_path / "f.json", tmp_path / "again.json"
    assert main(["fork", str(EXAMPLE), "--turn", "5", "--out", str(f)]) == 0
    capsys.readouterr()
    assert main(["run", "--from", str(f), "--orders", str(EXAMPLE_ORDERS), "--out", str(again), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "turns 1-5 left out" in err and len(err.strip().splitlines()) == 1


def test_a_fork_at_the_start_has_no_shared_hash(tmp_path):
    out = tmp_path / "f0.json"
    assert main(["fork", str(EXAMPLE), "--turn", "0", "--out", str(out)]) == 0
    d = doc(out)
    assert d["log"] == [{"type": "fork", "turn": 1, "parent": EXAMPLE.name, "from_hash": None, "note": ""}]
    assert d["turn_hashes"] == [] and len(d["history"]) == 1


def test_a_fork_takes_each_turn_as_it_stands_after_an_undo(content, tmp_path):
    s = undone_game(content)  # turn 2 was resolved, undone, and resolved again without the order
    s.resolve()
    path = save(s, tmp_path / "undone.json")
    standing = [r.state_hash for r in s.records]
    forked = fork(read(path), 2)
    assert [r.state_hash for r in forked.records] == standing[:2]
    assert [e.type for e in forked.log].count("undo") == 1  # the log up to the turn as it stands
    assert forked.log[-1].type == "fork" and forked.log[-1].from_hash == standing[1]


def test_a_fork_refuses_a_turn_not_reached_or_a_save_that_does_not_verify(tmp_path, parent, capsys):
    with pytest.raises(SaveError, match="has resolved 8 turn"):
        fork(read(EXAMPLE), 9)
    bad = dict(parent)
    bad["turn_hashes"] = parent["turn_hashes"][:4] + ["0" * 64] + parent["turn_hashes"][5:]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    assert main(["fork", str(path), "--turn", "2", "--out", str(tmp_path / "f.json")]) == 2
    assert "the save does not verify: turn 5 diverged" in capsys.readouterr().err
    assert not (tmp_path / "f.json").exists()
    assert main(["fork", str(EXAMPLE), "--turn", "2", "--out", str(EXAMPLE)]) == 2
    assert main(["fork", str(EXAMPLE), "--turn", "2", "--out", str(tmp_path / "n.json"), "--note", "a\x1bb"]) == 2
    assert "control character" in capsys.readouterr().err


def test_a_fork_mark_that_does_not_match_the_game_before_it_is_refused(tmp_path, capsys):
    out = tmp_path / "f.json"
    assert main(["fork", str(EXAMPLE), "--turn", "3", "--out", str(out)]) == 0
    d = doc(out)
    d["log"][-1]["from_hash"] = d["turn_hashes"][1]  # claims to leave after turn 2
    out.write_text(json.dumps(d))
    capsys.readouterr()
    assert main(["replay", str(out), "--verify"]) == 1  # a divergence, named by its turn
    assert "(first divergence at turn 4): turn 4: the fork mark does not match the game before it" \
        in capsys.readouterr().err


@pytest.mark.parametrize("where", ["after orders", "twice"])
def test_a_fork_mark_that_does_not_open_its_turn_is_refused(tmp_path, capsys, where):
    # a mark claims the turns after it as the fork's own: one that follows an entry of its
    # turn (orders, or another mark) says nothing true about where the games part
    d = doc(EXAMPLE)
    log = d["log"]
    first = next(i for i, e in enumerate(log) if e["type"] == "resolve" and e["turn"] == 3) + 1
    assert log[first]["type"] == "orders" and log[first]["turn"] == 4
    mark = {"type": "fork", "turn": 4, "parent": "a.json", "from_hash": d["turn_hashes"][2], "note": ""}
    at = first + 1 if where == "after orders" else first
    log[at:at] = [mark] if where == "after orders" else [mark, dict(mark)]
    out = tmp_path / "f.json"
    out.write_text(json.dumps(d))
    capsys.readouterr()
    assert main(["replay", str(out), "--verify"]) == 2  # not a divergence: the log cannot be played
    already = "orders" if where == "after orders" else "fork"
    assert "a fork mark must open its turn, right after the turn before it is resolved, before any orders, " \
           f"injects or rulings; here it follows an entry of type '{already}'" in capsys.readouterr().err
    for cmd in (["debrief", str(out)], ["compare", str(EXAMPLE), str(out)],
                ["fork", str(out), "--turn", "5", "--out", str(tmp_path / "g.json")]):
        assert main(cmd) == 2, cmd
    log[at:at + (1 if where == "after orders" else 2)] = []
    log[first:first] = [mark]  # the same mark where it belongs is a what-if like any other
    out.write_text(json.dumps(d))
    assert main(["replay", str(out), "--verify"]) == 0


def test_a_fork_mark_after_an_undo_or_after_the_last_turn_is_refused(tmp_path, capsys):
    """No writer makes these: a fork leaves right after a resolved turn, before the last."""
    d = doc(EXAMPLE)
    mark = {"type": "fork", "turn": 9, "parent": "a.json", "from_hash": d["turn_hashes"][7], "note": ""}
    after_end = dict(d, log=d["log"] + [mark])
    path = tmp_path / "end.json"
    path.write_text(json.dumps(after_end))
    capsys.readouterr()
    assert main(["replay", str(path), "--verify"]) == 2
    assert "a fork mark after the last turn (8) leaves the fork nothing to play" in capsys.readouterr().err
    # an undo of turn 8, then a mark claiming the game leaves after turn 7
    undo = {"type": "undo", "turn": 8, "rationale": "again"}
    mark = dict(mark, turn=8, from_hash=d["turn_hashes"][6])
    log = d["log"] + [undo, mark]
    path.write_text(json.dumps(dict(d, log=log, turn=7, turn_hashes=d["turn_hashes"][:7],
                                    history=d["history"][:8])))
    assert main(["replay", str(path), "--verify"]) == 2
    assert "here it follows an entry of type 'undo'" in capsys.readouterr().err
    for cmd in (["debrief", str(path)], ["compare", str(EXAMPLE), str(path)]):
        assert main(cmd) == 2, cmd


def test_a_fork_of_a_fork_holds_both_marks_and_verifies(tmp_path, capsys):
    first, played, second = (tmp_path / f"{n}.json" for n in ("first", "played", "second"))
    assert main(["fork", str(EXAMPLE), "--turn", "2", "--out", str(first)]) == 0
    assert main(["run", "--from", str(first), "--orders", str(EXAMPLE_ORDERS), "--out", str(played)]) == 0
    assert main(["fork", str(played), "--turn", "4", "--out", str(second)]) == 0
    marks = [(e["turn"], e["parent"]) for e in doc(second)["log"] if e["type"] == "fork"]
    assert marks == [(3, EXAMPLE.name), (5, "played.json")]
    capsys.readouterr()
    assert main(["replay", str(second), "--verify"]) == 0


def test_a_fork_keeps_who_sat_where(tmp_path):
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session
    from wargame.store.save import save_seminar

    seminar = Seminar(Session.new(load_seminar(EXAMPLE).session.content, 3), {"us": "human", "china": "hawk",
                                                                            "eu": "human", "resource-states": "dove"})
    seminar.session.resolve()
    path = save_seminar(seminar, tmp_path / "room.json")
    out = tmp_path / "f.json"
    assert main(["fork", str(path), "--turn", "1", "--out", str(out)]) == 0
    assert load_seminar(out).seats == seminar.seats


def test_run_from_refuses_what_the_save_fixes_and_a_finished_game(tmp_path, capsys):
    out = str(tmp_path / "o.json")
    assert main(["run", "--from", str(EXAMPLE), "--bots", "hawk", "--out", out]) == 2
    assert "the game is over" in capsys.readouterr().err
    f = tmp_path / "f.json"
    assert main(["fork", str(EXAMPLE), "--turn", "2", "--out", str(f)]) == 0
    for extra in (["--seed", "3"], ["--scenario", str(ROOT / "decks" / "critical-minerals-2026")]):
        assert main(["run", "--from", str(f), "--bots", "hawk", "--out", out, *extra]) == 2
        assert "cannot be given with --from" in capsys.readouterr().err
    assert main(["run", "--from", str(f), "--bots", "hawk", "--out", str(f)]) == 2


def test_run_from_a_save_in_the_middle_of_a_turn_keeps_the_orders_committed(content, tmp_path):
    from wargame.game.session import Session
    from wargame.model.records import Order

    s = Session.new(content, 5)
    s.resolve()
    s.submit("us", [Order(card="us-section-232", targets={"mineral": "ree"})], from_hand=False)
    path = save(s, tmp_path / "mid.json")
    out = tmp_path / "o.json"
    assert main(["run", "--from", str(path), "--bots", "balanced", "--out", str(out), "--quiet"]) == 0
    log = doc(out)["log"]
    turn2 = [e for e in log if e["type"] == "orders" and e["turn"] == 2]
    assert [e["team"] for e in turn2].count("us") == 1  # the bot left the committed team alone
    assert turn2[0]["orders"] == [{"card": "us-section-232", "actor": None, "targets": {"mineral": "ree"}}]
    assert main(["replay", str(out), "--verify"]) == 0


# --- compare ------------------------------------------------------------------------------

def test_compare_says_where_a_what_if_parts_and_by_how_much(what_if, capsys):
    from wargame.report.words import signed

    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(what_if)]) == 0
    out = capsys.readouterr().out
    assert f"a fork of {EXAMPLE.name} after turn 3: “doves from 2029”" in out
    assert "B shares turns 1-3 with A and parts from it at turn 4." in out
    assert "Turn 4 (2029), where B parts from A" in out
    # the orders that differ, for each game: the example's US played the price floor in turn 4
    us = load_seminar(EXAMPLE).session.records[3].orders["us"]
    assert len(us) == 1
    assert "  United States    A: Pentagon price floor" in out
    # the table: each value of B with its difference from A
    a, b = load_seminar(EXAMPLE), load_seminar(what_if)
    va, vb = a.comparison(turn=8)["us"]["lock_in"], b.comparison(turn=8)["us"]["lock_in"]
    row = next(ln for ln in out.splitlines() if ln.strip().startswith("Lock-in"))  # the US comes first
    assert row.split()[-3:] == [f"{va:.1f}", f"{vb:.1f}", f"({signed(vb - va)})"]
    assert not math.isclose(va, vb)
    sec = float(b.session.history[8]["securitisation"]) - float(a.session.history[8]["securitisation"])
    assert f"({signed(sec)})" in next(ln for ln in out.splitlines() if "Securitisation" in ln)


def test_compare_at_a_shared_turn_shows_no_difference(what_if, capsys):
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(what_if), "--turn", "3"]) == 0
    table = capsys.readouterr().out.split("Turn 3 (2028)")[1]
    diffs = [ln.split()[-1] for ln in table.splitlines() if ln.endswith(")")]
    assert diffs and set(diffs) == {"(0.0)"}


def test_compare_a_game_with_itself_and_in_chinese(what_if, capsys):
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(EXAMPLE)]) == 0
    assert "B is the same game as A for all 8 turn(s) both have played." in capsys.readouterr().out
    assert main(["compare", str(EXAMPLE), str(what_if), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "B 与 A 共享第 1-3 回合，自第 4 回合起分道。" in out and "美国" in out and "United States" not in out


def test_compare_games_that_part_through_their_seeds(tmp_path, capsys):
    one, two = tmp_path / "s1.json", tmp_path / "s2.json"
    for seed, path in (("1", one), ("2", two)):
        assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--seed", seed, "--out", str(path), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["compare", str(one), str(two)]) == 0
    out = capsys.readouterr().out
    assert "B parts from A at turn 1." in out
    assert "they part through their seeds (1 and 2)" in out


def _example_with(tmp_path, name, edit):
    """The example game played on content whose scenario ``edit`` changed, saved as ``name``."""
    from wargame.game.session import Session
    from wargame.model.loader import content_from_dicts, load_orders, load_scenario
    from wargame.paths import default_scenario

    scenario, decks = load_scenario(default_scenario()).to_dicts()
    edit(scenario)
    content = content_from_dicts(scenario, decks, origin=name)
    script = load_orders(EXAMPLE_ORDERS, content)
    session = Session.new(content, script.seed or 0)
    session.play_out(script)
    return save(session, tmp_path / name)


def test_compare_finds_each_blocs_cohesion_by_its_id(tmp_path, capsys):
    """Two games of one scenario whose contents list the blocs in another order, or where
    one has a bloc the other lacks: each bloc's row holds that bloc's cohesion in every
    game (no figure where a game lacks it), never another bloc's."""
    swapped = _example_with(tmp_path, "swapped.json", lambda sc: sc["blocs"].reverse())
    extra = _example_with(tmp_path, "extra.json", lambda sc: sc["blocs"].append(
        {"id": "zz-club", "name": {"en": "Zed club", "zh": "Z俱乐部"}, "members": ["usa"]}))
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(swapped)]) == 0
    rows = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("  Cohesion")]
    assert rows and all("(+" not in ln and "(−" not in ln for ln in rows), rows  # the same game
    assert main(["compare", str(extra), str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    zed = next(ln for ln in out.splitlines() if "Zed club" in ln)
    assert len(zed.split()) >= 5  # a figure in the game that has it, none in the other
    assert main(["compare", str(EXAMPLE), str(extra)]) == 0
    assert "Zed club" in capsys.readouterr().out


def test_compare_refuses_what_cannot_be_compared(tmp_path, capsys):
    assert main(["compare", str(EXAMPLE)]) == 2
    assert "at least two saves" in capsys.readouterr().err
    assert main(["compare", str(EXAMPLE), str(EXAMPLE), "--turn", "9"]) == 2
    assert "compare at turn 0 to 8" in capsys.readouterr().err
    short = tmp_path / "short.json"
    assert main(["fork", str(EXAMPLE), "--turn", "2", "--out", str(short)]) == 0
    assert main(["compare", str(EXAMPLE), str(short), "--turn", "3"]) == 2
    from conftest import other_scenario_save

    path = other_scenario_save(tmp_path / "other")
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(path)]) == 2
    assert "only games of one scenario can be compared" in capsys.readouterr().err
    assert main(["compare", str(EXAMPLE), str(tmp_path / "missing.json")]) == 2
    # a save whose embedded decks were edited does not verify: it is not compared
    edited = doc(EXAMPLE)
    edited["decks"][0]["cards"][0]["cost"] += 1
    (tmp_path / "edited.json").write_text(json.dumps(edited))
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(tmp_path / "edited.json")]) == 2
    assert "does not match its content hash" in capsys.readouterr().err


def test_a_fork_resumed_by_the_room_keeps_its_mark_in_the_autosave(tmp_path):
    from wargame.store.save import save_seminar

    f = tmp_path / "f.json"
    assert main(["fork", str(EXAMPLE), "--turn", "6", "--out", str(f), "--note", "replay 2032"]) == 0
    room = load_seminar(f)  # as `wargame play --load` opens it
    assert room.turn == 7
    room.resolve()
    auto = save_seminar(room, tmp_path / "autosave-f.json")
    marks = [e for e in doc(auto)["log"] if e["type"] == "fork"]
    assert [(m["turn"], m["note"]) for m in marks] == [(7, "replay 2032")]
    assert main(["replay", str(auto), "--verify"]) == 0


def test_compare_writes_every_meter_of_every_game_as_one_table(what_if, tmp_path, capsys):
    import csv

    table, alone = tmp_path / "games.csv", tmp_path / "a.csv"
    assert main(["compare", str(EXAMPLE), str(what_if), "--meters-csv", str(table)]) == 0
    assert main(["replay", str(what_if), "--meters-csv", str(alone)]) == 0
    rows = list(csv.reader(table.open()))
    assert rows[0] == ["game", "save", "turn", "year", "meter", "unit", "actor", "bloc", "mineral", "stage", "value"]
    # B's rows are the what-if's own meters table, led by its label and save
    own = list(csv.reader(alone.open()))
    assert [r[2:] for r in rows[1:] if r[0] == "B"] == own[1:]
    assert {r[1] for r in rows[1:] if r[0] == "B"} == {str(what_if)}
    assert sum(r[0] == "A" for r in rows) == len(own) - 1  # the same shape of table for A
    capsys.readouterr()
    assert main(["compare", str(EXAMPLE), str(what_if), "--meters-csv", str(what_if)]) == 2
    assert "this is the save being read" in capsys.readouterr().err


def test_replay_counts_the_turns_a_fork_has_not_its_mark(tmp_path, capsys):
    out = tmp_path / "f.json"
    assert main(["fork", str(EXAMPLE), "--turn", "2", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["replay", str(out), "--verify"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{out}: 2 turn(s) replayed, every hash matches"


def test_run_from_the_middle_of_a_turn_leaves_out_the_scripted_orders_of_teams_that_committed(content, tmp_path,
                                                                                                capsys):
    from wargame.game.session import Session
    from wargame.model.records import Order

    s = Session.new(content, 5)
    s.resolve()
    s.submit("us", [Order(card="us-section-232", targets={"mineral": "ree"})], from_hand=False)
    path = save(s, tmp_path / "mid.json")
    orders = tmp_path / "orders.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 2\n    orders:\n"
                      "      us:\n        - {card: us-project-vault, targets: {mineral: ree}}\n"
                      "      china:\n        - {card: cn-export-control, targets: {mineral: ree, target: usa}}\n")
    out = tmp_path / "o.json"
    assert main(["run", "--from", str(path), "--orders", str(orders), "--out", str(out)]) == 0
    assert "turn 2: us committed in" in capsys.readouterr().err
    turn2 = {e["team"]: [o["card"] for o in e["orders"]] for e in doc(out)["log"]
             if e["type"] == "orders" and e["turn"] == 2}
    assert turn2 == {"us": ["us-section-232"], "china": ["cn-export-control"]}


@pytest.mark.parametrize("committed", [["us", "china", "eu"], []])
def test_run_from_the_middle_of_a_turn_does_not_play_the_white_cells_events_twice(content, tmp_path, capsys,
                                                                                  committed):
    """A save stopped in turn 4 of the example game after the White Cell's inject (and some
    teams' orders): played on with the example's own orders file, it is the example game
    again, hash for hash; the file's events for the turn are left out, with a note."""
    from wargame.game.session import Session
    from wargame.model.loader import load_orders

    script = load_orders(EXAMPLE_ORDERS, content)
    s = Session.new(content, script.seed or 0)
    by_turn = {t.turn: t for t in script.turns}
    for turn in (1, 2, 3):
        if turn in by_turn:
            s.play_script(by_turn[turn])
        s.resolve()
    step = by_turn[4]
    for team in committed:
        s.submit(team, list(step.orders[team]), from_hand=False)
    for inject in step.injects:
        s.inject(inject)
    path = save(s, tmp_path / "mid.json")
    out = tmp_path / "o.json"
    capsys.readouterr()
    assert main(["run", "--from", str(path), "--orders", str(EXAMPLE_ORDERS), "--out", str(out)]) == 0
    assert "already played or withdrew events this turn; the file's events for the turn are left out" \
        in capsys.readouterr().err
    assert doc(out)["turn_hashes"] == doc(EXAMPLE)["turn_hashes"]


def test_a_save_whose_turn_field_disagrees_with_its_log_does_not_verify(tmp_path, capsys):
    d = doc(EXAMPLE)
    for value, code in ((5, 1), ("eight", 2), (-1, 2)):
        d["turn"] = value
        path = tmp_path / "t.json"
        path.write_text(json.dumps(d))
        assert main(["replay", str(path), "--verify"]) == code, value
    assert "the save says 5 turn(s) were resolved but its log resolves 8" in capsys.readouterr().err


def test_a_fork_after_the_last_turn_is_refused_for_it_has_nothing_to_play(capsys, tmp_path):
    assert main(["fork", str(EXAMPLE), "--turn", "8", "--out", str(tmp_path / "f.json")]) == 2
    assert "the game ends after turn 8, so a fork after it has nothing left to play; a fork may leave after " \
           "turn 0 to 7" in capsys.readouterr().err


def test_a_fork_of_a_file_with_an_odd_name_gets_a_mark_that_can_be_read_and_printed(tmp_path, capsys):
    odd = tmp_path / "evil\x1b[31m\rname\udcff.json"  # an escape, a carriage return, a byte that is not UTF-8
    odd.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "f.json"
    assert main(["fork", str(odd), "--turn", "2", "--out", str(out), "--note", "two\tcolumns"]) == 0
    mark = doc(out)["log"][-1]
    assert mark["parent"] == "evil?[31m name?.json" and mark["note"] == "two columns"
    capsys.readouterr()
    assert main(["replay", str(out), "--verify"]) == 0
    assert main(["compare", str(EXAMPLE), str(odd), "--meters-csv", str(tmp_path / "t.csv")]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\r" not in printed


def test_the_summary_going_nowhere_does_not_stop_the_work(tmp_path):
    import subprocess
    import sys

    f, out = tmp_path / "f.json", tmp_path / "o.json"
    assert main(["fork", str(EXAMPLE), "--turn", "3", "--out", str(f)]) == 0
    # `wargame run ... | head -1`: the reader goes after the first line; the game is still played out
    line = f"{sys.executable} -m wargame run --from {f} --bots hawk --out {out} | head -1"
    done = subprocess.run(["sh", "-c", line + "; exit ${PIPESTATUS:-0}"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.stdout.startswith("turn 4:") and "Traceback" not in done.stderr
    assert doc(out)["turn"] == 8


def test_a_fork_whose_shared_turns_were_played_again_says_so(content, tmp_path):
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session
    from wargame.model.records import Order
    from wargame.report.words import fork_words
    from wargame.store.save import fork_seminar

    room = Seminar(Session.new(content, 3))
    for _ in range(2):
        room.resolve()
    what_if = fork_seminar(room, tmp_path / "room.json", 2, "again")
    assert fork_words(what_if.session, "en") == ["a fork of room.json after turn 2: “again”"]
    what_if.undo("the White Cell goes back past the fork")  # turn 2 is played again, otherwise
    what_if.session.submit("us", [Order(card="us-section-232", targets={"mineral": "ree"})], from_hand=False)
    what_if.resolve()
    assert fork_words(what_if.session, "en") == [
        "a fork of room.json after turn 2 (turns up to 2 played again since): “again”"]


def test_a_fork_mark_whose_parent_shows_nothing_is_refused(tmp_path, capsys):
    out = tmp_path / "f.json"
    assert main(["fork", str(EXAMPLE), "--turn", "3", "--out", str(out)]) == 0
    d = doc(out)
    d["log"][-1]["parent"] = "\u200b\u200b\u2060"  # zero-width characters only
    out.write_text(json.dumps(d))
    capsys.readouterr()
    assert main(["replay", str(out), "--verify"]) == 2
    assert "expected a name with at least one visible character" in capsys.readouterr().err
    # zero-width characters in a file name are kept when the name shows something (.json)
    blank = tmp_path / "\u200b\u2060.json"
    blank.write_bytes(EXAMPLE.read_bytes())
    assert main(["fork", str(blank), "--turn", "2", "--out", str(tmp_path / "g.json")]) == 0
    assert doc(tmp_path / "g.json")["log"][-1]["parent"] == "\u200b\u2060.json"


def test_a_fork_carries_only_what_is_well_formed_of_the_table(tmp_path, capsys):
    """A save's table (who sits where, the passphrase's digest) is not replayed; a fork takes
    it along only as far as it is well formed, so a lone surrogate or anything odd there is
    dropped instead of ending the command with an internal error."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    digest = "ab" * 32
    for table, kept in (
        ({"seats": {"us": "human", "china": "hawk"}, "passphrase": digest},
         {"seats": {"us": "human", "china": "hawk"}, "passphrase": digest}),
        ({"seats": {}, "passphrase": "x\ud800"}, {"seats": {}}),
        ({"x": ["\udcff"], "passphrase": "A" * 64}, None),
        ({"seats": {"nobody": "human"}, "passphrase": digest}, {"passphrase": digest}),
        ("not a table", None),
    ):
        doc["table"] = table
        src = tmp_path / "in.json"
        src.write_text(json.dumps(doc), encoding="utf-8")  # lone surrogates as \\u escapes, as JSON allows
        out = tmp_path / "out.json"
        assert main(["fork", str(src), "--turn", "2", "--out", str(out)]) == 0, capsys.readouterr().err
        assert json.loads(out.read_text(encoding="utf-8")).get("table") == kept
        seminar = load_seminar(src)
        assert seminar.protected == ("passphrase" in (kept or {}))
    capsys.readouterr()
