"""Saves: atomic writes, round trips, autosave paths, content hashes."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.game.session import Session
from wargame.model.records import Order
from wargame.store import save as store
from conftest import undone_game


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "game.json"
    target.write_text("previous turn")

    def broken(*_a, **_k):
        raise OSError("disk pulled")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        store.write_atomic(target, "new turn")
    assert target.read_text() == "previous turn"
    assert [p.name for p in tmp_path.iterdir()] == ["game.json"], "the temporary file was left behind"


def test_atomic_write_replaces_whole(tmp_path):
    target = tmp_path / "sub" / "game.json"
    store.write_atomic(target, "one")
    store.write_atomic(target, "two")
    assert target.read_text() == "two"


@pytest.mark.parametrize("name", ["a" * 251 + ".md", "é" * 125 + ".json", "名" * 83 + ".csv"])
def test_atomic_write_takes_any_name_the_system_takes(tmp_path, name):
    """Names of up to 255 bytes: the temporary file beside the target must fit too."""
    assert len(name.encode()) in range(250, 256)
    target = tmp_path / name
    store.write_atomic(target, "one")
    assert target.read_text() == "one" and [p.name for p in tmp_path.iterdir()] == [name]


def test_atomic_write_gives_a_new_file_the_usual_permissions_and_keeps_an_old_files(tmp_path):
    """A save is not left private to its writer (the temporary file it starts as is): a
    new file gets what the umask allows, a replaced one keeps its own mode."""
    old = os.umask(0o027)
    try:
        fresh = tmp_path / "new.json"
        store.write_atomic(fresh, "one")
        assert fresh.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    kept = tmp_path / "kept.json"
    kept.write_text("before")
    kept.chmod(0o604)
    store.write_atomic(kept, "after")
    assert kept.read_text() == "after" and kept.stat().st_mode & 0o777 == 0o604


def test_save_round_trip_resumes_at_the_same_turn(content, tmp_path):
    s = Session.new(content, 11)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.resolve()
    s.resolve()
    path = store.save(s, tmp_path / "g.json")
    loaded = store.read(path)
    report = store.replay(loaded)
    assert report.ok, report.problem
    resumed = report.session
    assert resumed.turn == s.turn == 3
    assert resumed.state_hash() == s.state_hash()
    assert [c.id for c in resumed.hand("us")] == [c.id for c in s.hand("us")]


def test_undo_is_recorded_and_replays(content, tmp_path):
    s = undone_game(content)
    path = store.save(s, tmp_path / "g.json")
    doc = json.loads(path.read_text())
    assert [e["type"] for e in doc["log"]].count("undo") == 1
    report = store.replay(store.read(path))
    assert report.ok, report.problem
    assert report.session.state_hash() == s.state_hash()


def test_withdrawals_and_lifted_rulings_are_recorded_and_replay(content, tmp_path):
    from wargame.model.records import Override, Withdrawal

    s = Session.new(content, 6)
    timeline = s.injects[0]
    s.withdraw(Withdrawal(index=0, card=timeline.card, rationale="the room skips this event"))
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.override(Override(team="china", index=0, action="veto", rationale="misread"))
    s.override(Override(team="china", index=0, action="lift", rationale="read again: it stands"))
    s.resolve()
    path = store.save(s, tmp_path / "g.json")
    doc = json.loads(path.read_text())
    assert [e["type"] for e in doc["log"]] == ["withdraw", "orders", "override", "override", "resolve"]
    assert doc["log"][0]["withdrawal"] == {"index": 0, "card": timeline.card, "rationale": "the room skips this event"}
    report = store.replay(store.read(path), verify=True)
    assert report.ok, report.problem
    assert report.session.state_hash() == s.state_hash()
    # without the withdrawal the turn resolves differently, so the replay really applied it
    doc["log"].pop(0)
    path.write_text(json.dumps(doc))
    assert not store.replay(store.read(path), verify=True).ok


def test_a_reopened_team_replays_with_the_orders_it_committed_last(content, tmp_path):
    s = Session.new(content, 6)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.reopen("china", "committed by mistake")
    s.submit("china", [Order(card="cn-dialogue-offer", targets={"target": "eu"})], from_hand=False)
    s.resolve()
    path = store.save(s, tmp_path / "g.json")
    assert [e["type"] for e in json.loads(path.read_text())["log"]] == ["orders", "reopen", "orders", "resolve"]
    report = store.replay(store.read(path), verify=True)
    assert report.ok, report.problem
    assert report.session.state_hash() == s.state_hash()


def test_save_has_no_clock_or_machine_data(content, tmp_path):
    a = store.dumps(Session.new(content, 2))
    b = store.dumps(Session.new(content, 2))
    assert a == b


def test_content_hashes_cover_scenario_and_every_deck(content):
    doc = store.to_document(Session.new(content, 0))
    assert set(doc["content_hash"]["decks"]) == set(content.decks)
    assert len(doc["content_hash"]["scenario"]) == 64


def test_autosave_path_names_scenario_and_seed(content, tmp_path):
    p = store.autosave_path(tmp_path, Session.new(content, 42))
    assert p.parent == tmp_path and "critical-minerals-2026" in p.name and "42" in p.name


def test_two_games_with_the_same_seed_do_not_share_an_autosave(content, tmp_path):
    session = Session.new(content, 42)
    first = store.autosave_path(tmp_path, session, "20261122-0930")
    assert "20261122-0930" in first.name
    store.save(session, first)
    second = store.autosave_path(tmp_path, session, "20261122-0930")
    assert second != first and not second.exists()


def _played(content, tmp_path, engine_version: str, bump_meter: bool):
    s = Session.new(content, 5)
    s.submit("china", [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"})],
             from_hand=False)
    s.resolve()
    s.resolve()
    path = store.save(s, tmp_path / "g.json")
    doc = json.loads(path.read_text())
    doc["engine_version"] = engine_version
    if bump_meter:
        doc["history"][2]["securitisation"] += 0.000001
    path.write_text(json.dumps(doc, sort_keys=True))
    return store.replay(store.read(path))


def test_a_save_from_another_engine_version_that_still_matches_verifies(content, tmp_path):
    report = _played(content, tmp_path, "0.9", bump_meter=False)
    assert report.ok, report.problem


def test_a_divergence_in_a_save_from_another_engine_version_names_both_versions(content, tmp_path):
    from wargame import ENGINE_VERSION

    report = _played(content, tmp_path, "0.9", bump_meter=True)
    assert not report.ok and report.first_bad_turn == 2
    assert f"made by engine version '0.9' and this is '{ENGINE_VERSION}'" in report.problem
    assert "turn 2 diverged" in report.problem
    # the same change in a save from this engine version is a plain divergence
    same = _played(content, tmp_path, ENGINE_VERSION, bump_meter=True)
    assert not same.ok and same.first_bad_turn == 2 and "engine version" not in same.problem


def test_the_turn_summary_gives_each_team_what_the_tui_comparison_gives(content):
    from types import SimpleNamespace

    from wargame.game.seminar import Seminar

    seminar = Seminar(Session.new(content, 6), {t.id: "balanced" for t in content.scenario.teams})
    seminar.resolve()
    line = store.turn_summary(seminar.session, 1, SimpleNamespace(meters=seminar.session.meters))
    for team, row in seminar.comparison().items():
        actors = len(seminar.actors(team))
        said = f"{team} dep {row['dependency']:.1f} cost {row['cost']:.1f}"
        assert said + (f" (mean of {actors})" if actors > 1 else ";") in line, (said, line)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_sequence_of_rulings_lifts_withdrawals_and_reopenings_replays_to_the_same_game(content, tmp_path_factory, data):
    """The White Cell's corrections are steps in the log like any other: whatever it vetoes,
    amends, lifts, reopens, injects and withdraws before resolving, the save replays to the same
    state, and the rulings in force are each order's rulings minus the latest ones lifted."""
    from wargame.model.records import Inject, Override, Withdrawal

    s = Session.new(content, data.draw(st.integers(0, 3), label="seed"))
    orders = [Order(card="cn-export-control", targets={"mineral": "ree", "target": "usa"}),
              Order(card="cn-dialogue-offer", targets={"target": "eu"})]
    s.submit("china", orders, from_hand=False)
    event = next(c for c in content.event_cards() if not c.targets and not c.playable_by)
    in_force: dict[int, list[str]] = {0: [], 1: []}  # the model: each order's rulings, in order
    events = [i.card for i in s.injects]
    for _ in range(data.draw(st.integers(0, 8), label="steps")):
        step = data.draw(st.sampled_from(["veto", "amend", "lift", "inject", "withdraw", "reopen"]))
        i = data.draw(st.integers(0, 1))
        if step == "veto":
            s.override(Override(team="china", index=i, action="veto", rationale="a veto"))
            in_force[i].append("veto")
        elif step == "amend" and i == 0:
            mineral = data.draw(st.sampled_from(["ree", "gallium", "graphite"]))
            s.override(Override(team="china", index=0, action="amend", targets={"mineral": mineral},
                                rationale="an amendment"))
            in_force[0].append("amend")
        elif step == "lift" and in_force[i]:
            s.override(Override(team="china", index=i, action="lift", rationale="a lift"))
            in_force[i].pop()
        elif step == "inject":
            s.inject(Inject(card=event.id))
            events.append(event.id)
        elif step == "reopen":  # the orders go back and come again: the rulings on them are gone
            s.reopen("china", "committed too soon")
            s.submit("china", orders, from_hand=False)
            in_force = {0: [], 1: []}
        elif step == "withdraw" and events:
            k = data.draw(st.integers(0, len(events) - 1))
            s.withdraw(Withdrawal(index=k, card=events[k], rationale="a withdrawal"))
            del events[k]
        assert [i.card for i in s.injects] == events
        for k in (0, 1):
            assert [o.action for o in s.overrides if o.index == k] == in_force[k]
    kept = [k for k, _ in s.effective_orders()["china"]]
    assert kept == [k for k in (0, 1) if "veto" not in in_force[k]]
    s.resolve()
    path = store.save(s, tmp_path_factory.mktemp("rulings") / "g.json")
    report = store.replay(store.read(path), verify=True)
    assert report.ok, report.problem
    assert report.session.state_hash() == s.state_hash()
