"""Hostile and mistaken input beyond malformed content: saves inside the size limit that
would crash or stall replay, output paths that would destroy something, arguments and
files of the wrong kind. Each gets a one-line reason and exit 2 (or a SaveError)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from wargame.cli import main
from wargame.game.session import Session
from wargame.model import content as content_mod
from wargame.model.loader import ContentError, check_paths, load_orders, load_scenario
from wargame.model.records import Order
from wargame.store import save as store
from wargame.store.listing import is_save, list_saves
from conftest import BUILTIN, EXAMPLE_ORDERS, builtin_copy

EXAMPLE_SAVE = Path(__file__).resolve().parent.parent / "saves" / "critical-minerals-2026-example.json"


@pytest.fixture(scope="module")
def document(content):
    s = Session.new(content, 5)
    s.submit("us", [Order(card="us-section-232", targets={"mineral": "ree"})], from_hand=False)
    s.resolve()
    s.resolve()
    return store.to_document(s)


def _write(tmp_path: Path, doc, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def _refused(path: Path) -> str:
    with pytest.raises(store.SaveError) as err:
        store.read(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path)), message
    return message


# --- saves --------------------------------------------------------------------------------

def test_a_number_too_large_for_a_float_is_refused_not_a_crash(document, tmp_path, capsys):
    text = json.dumps(document).replace('"securitisation": 0.0', '"securitisation": 1e400', 1)
    assert "1e400" in text
    path = _write(tmp_path, text)
    assert "the number 1e400 is too large for a save" in _refused(path)
    assert main(["replay", str(path), "--verify"]) == 2
    assert "internal error" not in capsys.readouterr().err
    assert list_saves(tmp_path) == []  # the start screen passes over it


@pytest.mark.parametrize("version", [True, 1.0, "1", [1]])
def test_the_format_version_must_be_the_whole_number_1(document, tmp_path, version):
    doc = dict(document, format_version=version)
    assert "save format version" in _refused(_write(tmp_path, doc))


def test_log_entries_are_read_strictly_and_said_as_content_problems_are(document, tmp_path):
    doc = json.loads(json.dumps(document))
    doc["log"][0]["turn"] = "1"
    assert "log[0].turn: expected a whole number between 0 and 1000, got '1'" in _refused(_write(tmp_path, doc))
    doc["log"][0] = {}
    said = _refused(_write(tmp_path, doc))
    assert "log[0]: missing field 'type' (expected one of: orders, inject, withdraw, override, reopen, resolve, undo, fork)" in said
    doc["log"][0] = {"type": "resolve", "turn": 1, "state_hash": "XYZ"}
    assert "log[0].state_hash" in _refused(_write(tmp_path, doc))


@pytest.mark.parametrize("history", [None, "nope", {"turn": 0}])
def test_a_save_without_its_meter_history_is_invalid(document, tmp_path, history):
    doc = dict(document)
    if history is None:
        doc.pop("history")
    else:
        doc["history"] = history
    assert "field 'history' is missing or is not a JSON array" in _refused(_write(tmp_path, doc))


def test_a_log_that_undoes_without_end_is_refused_before_any_replay(content, tmp_path):
    s = Session.new(content, 2)
    for _ in range(3):
        s.resolve()
        s.undo("again")
    doc = store.to_document(s)
    resolve = next(e for e in doc["log"] if e["type"] == "resolve")
    undo = next(e for e in doc["log"] if e["type"] == "undo")
    limit = store.MAX_UNDOS_PER_TURN * content.scenario.turns
    doc["log"] = [resolve, undo] * limit
    assert store.read(_write(tmp_path, doc)).log  # at the limit: read
    doc["log"] += [resolve, undo]
    said = _refused(_write(tmp_path, doc))
    assert f"the log undoes {limit + 1} turns" in said and f"at most {store.MAX_UNDOS_PER_TURN} a turn" in said


def test_a_log_entry_for_a_far_turn_diverges_where_the_game_is(document, tmp_path):
    doc = json.loads(json.dumps(document))
    doc["log"][0]["turn"] = 99
    report = store.replay(store.read(_write(tmp_path, doc)))
    assert not report.ok and report.first_bad_turn == 1
    assert "log entry 0 is for turn 99 but the game is at turn 1" in report.problem
    # a log out of order cannot be played: an invalid save (exit 2), with or without --verify
    assert report.invalid
    path = _write(tmp_path, doc, "far.json")
    assert main(["replay", str(path)]) == 2 and main(["replay", str(path), "--verify"]) == 2


def test_a_long_engine_version_is_clipped_in_the_message(document, tmp_path):
    doc = json.loads(json.dumps(document))
    doc["engine_version"] = "E" * 100_000
    doc["turn_hashes"][0] = "0" * 64
    report = store.replay(store.read(_write(tmp_path, doc)))
    assert not report.ok and len(report.problem) < 400 and "EEEE…" in report.problem


def test_invalid_embedded_content_names_the_file_once(document, tmp_path):
    doc = json.loads(json.dumps(document))
    doc["scenario"]["minerals"][0]["colour"] = "red"
    path = _write(tmp_path, doc)
    said = _refused(path)
    assert said.count(str(path)) == 1
    assert "embedded content is invalid: scenario.minerals[0].colour: unknown field 'colour'" in said


def test_a_save_too_large_to_read_back_is_not_written(content, tmp_path, monkeypatch):
    s = Session.new(content, 1)
    path = tmp_path / "g.json"
    store.save(s, path)
    before = path.read_bytes()
    s.resolve()
    monkeypatch.setattr(store, "MAX_SAVE_BYTES", len(before) + 10)
    with pytest.raises(store.SaveError, match=r"this save would be \d+ MB, over the 0 MB a save may hold"):
        store.save(s, path)
    assert path.read_bytes() == before  # the last good save is kept


def test_the_projected_size_of_a_save_is_close_to_the_real_one(content, tmp_path):
    s = Session.new(content, 1)
    projected = store.projected_save_bytes(s)
    while not s.over:
        s.resolve(explain=False)
    real = len(store.dumps(s).encode())
    assert real <= projected <= 1.2 * real


# --- output paths ----------------------------------------------------------------------------

def test_run_refuses_an_output_that_would_destroy_an_input_or_another_file(tmp_path, capsys):
    orders = tmp_path / "orders.yaml"
    orders.write_bytes(EXAMPLE_ORDERS.read_bytes())
    assert main(["run", "--orders", str(orders), "--out", str(orders), "--quiet"]) == 2
    assert orders.read_bytes() == EXAMPLE_ORDERS.read_bytes()
    assert "this is the orders file being read" in capsys.readouterr().err
    notes = tmp_path / "notes.txt"
    notes.write_text("seminar notes")
    assert main(["run", "--bots", "hawk", "--out", str(notes), "--quiet"]) == 2
    assert notes.read_text() == "seminar notes"
    assert "exists and is not a wargame save, so it is not written over" in capsys.readouterr().err
    old = tmp_path / "old.json"
    old.write_bytes(EXAMPLE_SAVE.read_bytes())
    assert is_save(old)
    assert main(["run", "--bots", "dove", "--out", str(old), "--quiet"]) == 0  # a save is replaced
    assert old.read_bytes() != EXAMPLE_SAVE.read_bytes()


@pytest.mark.parametrize("kind", ["fifo", "folder", "empty", "under-a-file"])
def test_run_refuses_an_output_path_that_cannot_hold_a_save_before_playing(tmp_path, capsys, kind):
    if kind == "fifo":
        out = tmp_path / "pipe"
        os.mkfifo(out)
    elif kind == "folder":
        out = tmp_path
    elif kind == "empty":
        out = ""
    else:
        (tmp_path / "file").write_text("")
        out = tmp_path / "file" / "game.json"
    assert main(["run", "--bots", "hawk", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "turn 1:" not in captured.out  # refused before any turn was played
    err = captured.err.strip().splitlines()
    assert len(err) == 1, err
    expected = {"fifo": "is not a regular file", "folder": "is a folder", "empty": "--out '': expected a file path",
                "under-a-file": "is a file, not a folder"}[kind]
    assert expected in err[0]
    if kind == "fifo":
        assert Path(out).is_fifo()


def test_a_save_is_written_through_a_link_not_over_it(content, tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(EXAMPLE_SAVE.read_bytes())
    link = tmp_path / "link.json"
    link.symlink_to(real)
    store.save(Session.new(content, 3), link)
    assert link.is_symlink() and store.read(real).document["seed"] == 3


def test_run_says_at_once_when_the_save_would_outgrow_the_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(store, "MAX_SAVE_BYTES", 400_000)
    out = tmp_path / "g.json"
    assert main(["run", "--bots", "hawk", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert not out.exists() and "turn 1:" not in captured.out
    assert "the save of this game would grow to about" in captured.err
    assert "14 actors x 10 minerals for 8 turns" in captured.err


def test_a_save_of_millions_of_empty_objects_is_refused_before_it_is_parsed(tmp_path, capsys, monkeypatch):
    """64 MiB of "{}," is 22 million objects, gigabytes once parsed; a save holds about a
    million objects and lists at most, at 14 bytes or more each (here the limit is lowered
    so that the test stays small)."""
    from wargame.store import listing

    assert listing.MAX_SAVE_CONTAINERS * 14 >= listing.MAX_SAVE_BYTES  # never below a real save
    monkeypatch.setattr(listing, "MAX_SAVE_CONTAINERS", 20_000)
    doc = json.loads(EXAMPLE_SAVE.read_text(encoding="utf-8"))
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "fine.json").write_text(json.dumps(doc), encoding="utf-8")
    doc["junk"] = [{}] * 25_000
    bomb = folder / "bomb.json"
    bomb.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["replay", str(bomb)]) == 2
    err = capsys.readouterr().err
    assert "objects and lists is more than a save holds" in err and len(err.strip().splitlines()) == 1
    assert not is_save(bomb) and [i.path.name for i in list_saves(folder)] == ["fine.json"]
    assert main(["replay", str(folder / "fine.json"), "--verify"]) == 0


def test_tables_are_not_written_over_the_save_or_onto_one_another(tmp_path, capsys):
    save = tmp_path / "g.json"
    save.write_bytes(EXAMPLE_SAVE.read_bytes())
    assert main(["replay", str(save), "--meters-csv", str(save)]) == 2
    assert "this is the save being read" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_bytes(EXAMPLE_SAVE.read_bytes())
    assert main(["replay", str(save), "--ledger-csv", str(other)]) == 2
    assert "is a wargame save, so a table is not written over it" in capsys.readouterr().err
    table = tmp_path / "t.csv"
    assert main(["replay", str(save), "--meters-csv", str(table), "--ledger-csv", str(table)]) == 2
    assert "name the same file" in capsys.readouterr().err
    assert save.read_bytes() == other.read_bytes() == EXAMPLE_SAVE.read_bytes() and not table.exists()


# --- arguments ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["run", "--bots", "hawk", "--out", "x.json", "--seed", "1_0"],
    ["run", "--bots", "hawk", "--out", "x.json", "--seed", "١٢"],
    ["run", "--bots", "hawk", "--out", "x.json", "--seed", "9" * 5000],
    ["run", "--bots", "hawk", "--out", "x.json", "--seed", str(2**63)],
    ["replay", str(EXAMPLE_SAVE), "--explain", "-5"],
])
def test_numbers_on_the_command_line_are_plain_digits_in_range(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "expected a whole number from 0 to" in err and len(err) < 200


# --- content of the wrong kind, and checking ----------------------------------------------------

@pytest.mark.parametrize("given, expected, said", [
    (BUILTIN / "us.yaml", "scenario", "this is a deck file (it has 'cards:'), not a scenario file"),
    (BUILTIN / "scenario.yaml", "orders", "this is a scenario file (it has 'actors:'), not an orders file"),
    (BUILTIN / "us.yaml", "orders", "this is a deck file (it has 'cards:'), not an orders file"),
    (EXAMPLE_SAVE, "orders", "this is a wargame save, not an orders file"),
])
def test_a_file_of_another_kind_is_named_as_such_in_one_line(content, given, expected, said):
    with pytest.raises(ContentError) as err:
        load_scenario(given) if expected == "scenario" else load_orders(given, content)
    assert [p.message for p in err.value.problems] == [said]


def _scenario_problems(folder: Path, file: str, old: str, new: str) -> list:
    """The problems of a copy of the built-in scenario with ``old`` (which must be there)
    replaced once by ``new`` in ``file``."""
    builtin_copy(folder)
    text = (folder / file).read_text()
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as err:
        load_scenario(folder)
    return err.value.problems


def test_a_scenario_listing_a_file_of_another_kind_as_a_deck_says_so(tmp_path):
    problems = _scenario_problems(tmp_path, "scenario.yaml", "decks: [us.yaml", "decks: [orders-example.yaml")
    assert any(p.message == "this is an orders file (it has 'turns:'), not a deck file" for p in problems)


def test_check_counts_every_problem_when_the_report_is_capped(tmp_path, capsys):
    # 240 misspelt cards: 30 (the most a team gives in a turn) in each of the 8 turns
    (tmp_path / "orders.yaml").write_text(
        "scenario: critical-minerals-2026\nturns:\n" + "".join(
            f"  - turn: {t}\n    orders:\n      us:\n" + "        - {card: us-ira-credi}\n" * 30
            for t in range(1, 9)))
    assert main(["check", str(BUILTIN / "scenario.yaml"), str(tmp_path / "orders.yaml")]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == "240 problem(s) (200 shown) in 1 file(s)"


def test_suggestions_stop_past_the_budget_and_each_report_gets_a_fresh_one(monkeypatch):
    monkeypatch.setattr(content_mod, "SUGGESTION_BUDGET", 3)
    content_mod._memo.clear()
    fresh = content_mod.fresh_suggestions(lambda words: [content_mod.suggest(w, ["lithium", "cobalt"]) for w in words])
    said = fresh(["lithum", "cobat", "lithim", "cobal", "lithum"])
    # three looked up, the fourth over budget, the fifth said before (free)
    assert said == [" (did you mean 'lithium'?)", " (did you mean 'cobalt'?)", " (did you mean 'lithium'?)", "",
                    " (did you mean 'lithium'?)"]
    assert fresh(["cobal"])[0] == " (did you mean 'cobalt'?)"


def test_check_does_not_follow_a_link_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("actors: [")
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(outside)
    files, problems = check_paths([folder])
    assert files == [] and [p.message for p in problems] == [
        "is a link to a file outside the folder being checked, so it is not read; name that file itself to check it"]


def test_an_empty_list_of_choices_and_text_direction_marks_are_refused(tmp_path):
    deck = BUILTIN / "us.yaml"
    text = deck.read_text()
    assert "choices: [" in text
    (tmp_path / "us.yaml").write_text(text.replace("choices: [", "choices: [] #[", 1))
    files, problems = check_paths([tmp_path / "us.yaml"])
    assert any("expected at least 1" in p.message or "at least 1 item" in p.message for p in problems), problems
    name = text.split("name:", 1)[1].split("\n", 1)[0]
    (tmp_path / "us.yaml").write_text(text.replace(name, name.replace("en: ", "en: \u202e", 1), 1))
    files, problems = check_paths([tmp_path / "us.yaml"])
    assert any("text-direction mark (U+202E)" in p.message for p in problems), problems


def test_a_deck_listed_twice_is_one_problem_not_a_cascade(tmp_path):
    problems = _scenario_problems(tmp_path, "scenario.yaml", "decks: [us.yaml", "decks: [us.yaml, us.yaml")
    assert [(p.where, p.message) for p in problems] == [
        ("decks[1]", "deck file 'us.yaml' is listed twice; list each once")]


def test_a_decimal_where_a_whole_number_belongs_is_said_as_written(tmp_path):
    (tmp_path / "orders.yaml").write_text("turns:\n  - turn: 2.0\n")
    files, problems = check_paths([BUILTIN / "scenario.yaml", tmp_path / "orders.yaml"])
    assert any(p.message == "expected a whole number between 1 and 60, got the decimal number 2.0 (write 2)"
               for p in problems), problems


def test_a_link_loop_or_dangling_link_in_a_checked_folder_is_a_problem_not_a_crash(tmp_path, capsys):
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "loop.yaml" in err and "dangling.yaml" in err


def test_a_card_no_drawing_team_may_play_is_flagged(tmp_path):
    first_card = re.search(r"^  - id: .*$", (BUILTIN / "us.yaml").read_text(), re.M).group()
    problems = _scenario_problems(tmp_path, "us.yaml", first_card, first_card + "\n    playable_by: [china]")
    assert [p.message for p in problems] == [
        "no team that draws from deck 'us' (us) may play this card, so it is never dealt "
        "(playable_by names only other teams)"]


def test_scenario_problems_come_before_the_cascade_they_cause(tmp_path):
    builtin_copy(tmp_path)
    text = (tmp_path / "scenario.yaml").read_text()
    at = text.index("  - id: lithium")
    (tmp_path / "scenario.yaml").write_text(text[:at] + text[at:].replace("id: lithium", "id: cobalt", 1))
    files, problems = check_paths([tmp_path])
    kinds = [p.file.endswith("scenario.yaml") for p in problems]
    assert kinds[0] and kinds == sorted(kinds, reverse=True)  # every scenario problem first
    assert "duplicate mineral id 'cobalt'" in problems[0].message
    assert any(p.file.endswith("china.yaml") for p in problems)  # decks that name lithium follow
    with pytest.raises(ContentError) as err:
        load_scenario(tmp_path)
    assert "duplicate mineral id 'cobalt'" in err.value.problems[0].message


def test_a_deck_file_that_cannot_be_read_is_pointed_to_where_its_deck_is_missed(tmp_path):
    builtin_copy(tmp_path)
    with open(tmp_path / "us.yaml", "a") as f:
        f.write("a: &x [1]\nb: *x\n")
    files, problems = check_paths([tmp_path])
    missed = next(p for p in problems if p.where == "teams[0].decks[0]")
    assert missed.message.endswith("; the deck file us.yaml could not be read (its problem is listed too)")
    assert any(p.file.endswith("us.yaml") and "aliases are not allowed" in p.message for p in problems)


def test_saving_from_the_tui_never_replaces_a_file_that_is_not_a_save(content, tmp_path):
    notes = tmp_path / "orders.yaml"
    notes.write_text("turns: []\n")
    with pytest.raises(store.SaveError, match="exists and is not a wargame save, so it is not written over"):
        store.save(Session.new(content, 1), notes)
    assert notes.read_text() == "turns: []\n"
    with pytest.raises(store.SaveError, match="is a folder"):
        store.save(Session.new(content, 1), tmp_path)


# --- a second pass: duplicate keys, older saves, floods, streams, links, escapes -----------

def test_a_key_given_twice_in_one_object_of_a_save_is_refused(document, tmp_path):
    """JSON readers differ on which of two values they keep: a save must say one thing."""
    text = json.dumps(document)
    path = _write(tmp_path, '{"seed": 12345, ' + text[1:])
    assert "the key 'seed' appears twice in one object" in _refused(path)


def test_an_older_save_without_a_rule_added_since_is_not_taken_for_an_altered_one(document, tmp_path):
    """Content hashes are of the content as embedded: a rule that a later version adds, with
    its default, must not make an honest older save look tampered with."""
    doc = json.loads(json.dumps(document))
    rules = doc["scenario"].setdefault("rules", {})
    rules.pop("screen_securitisation", None)
    doc["content_hash"]["scenario"] = store.content_hash(doc["scenario"])
    loaded = store.read(_write(tmp_path, doc))
    assert loaded.content_ok, loaded.content_notes
    doc["scenario"]["rules"]["home_bias"] = 2.0  # and a change is still caught
    assert not store.read(_write(tmp_path, doc, "changed.json")).content_ok


def _quiet_event(content):
    from wargame.model.effects import needs_actor

    return next(c for c in content.event_cards() if not c.targets and not needs_actor(c.effects))


def test_a_turn_takes_at_most_fifty_events_in_play_and_a_flooded_save_is_refused(content, tmp_path, capsys):
    from wargame.game.session import OrderError
    from wargame.model.records import MAX_EVENTS_PER_TURN, Inject

    event = _quiet_event(content)
    s = Session.new(content, 5)
    while len(s.injects) < MAX_EVENTS_PER_TURN:
        s.inject(Inject(card=event.id))
    with pytest.raises(OrderError, match="the most a turn takes"):
        s.inject(Inject(card=event.id))
    # a save whose log plays 400 events in one turn (each weighed on its own in the ledger,
    # so its work would grow with their square) is refused at the 51st
    doc = store.to_document(s)
    entry = next(e for e in doc["log"] if e["type"] == "inject")
    doc["log"] += [entry] * 350
    path = _write(tmp_path, doc)
    assert main(["debrief", str(path)]) == 2
    assert "the most a turn takes" in capsys.readouterr().err


def test_a_timeline_or_an_orders_file_with_too_many_events_in_a_turn_is_refused(content, tmp_path):
    event = _quiet_event(content)
    folder = builtin_copy(tmp_path)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    crowd = "".join(f"  - {{turn: 2, card: {event.id}}}\n" for _ in range(51))
    assert "\ntimeline:\n" in text
    (folder / "scenario.yaml").write_text(text.replace("\ntimeline:\n", "\ntimeline:\n" + crowd, 1), encoding="utf-8")
    files, problems = check_paths([str(folder / "scenario.yaml")])
    assert any("turn 2 has more than 50 events" in p.message for p in problems), problems
    orders = tmp_path / "crowd.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 1\n    injects:\n"
                      + "".join(f"      - {{card: {event.id}}}\n" for _ in range(50)), encoding="utf-8")
    _, problems = check_paths([str(BUILTIN / "scenario.yaml"), str(orders)])
    timeline_1 = sum(1 for ev in content.scenario.timeline if ev.turn == 1)
    said = [p.message for p in problems if "a turn takes at most 50" in p.message]
    assert bool(said) == (timeline_1 > 0), problems


def test_orders_over_a_teams_budget_are_caught_by_check(tmp_path):
    orders = tmp_path / "over.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 2\n    orders:\n      us:\n"
                      "        - {card: us-ira-credit}\n        - {card: us-lpo-loan, targets: {mineral: lithium}}\n"
                      "        - {card: us-mp-price-floor}\n", encoding="utf-8")
    _, problems = check_paths([str(BUILTIN / "scenario.yaml"), str(orders)])
    assert any("over the team's budget of 6" in p.message and p.line == 5 for p in problems), problems


def test_a_run_stopped_by_an_illegal_order_says_what_its_save_now_holds(tmp_path, capsys):
    orders = tmp_path / "orders.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 1\n    orders:\n      china:\n"
                      "        - {card: cn-export-control, targets: {mineral: ree, target: usa}}\n"
                      "  - turn: 2\n    orders:\n      resource-states:\n"
                      "        - {card: rs-nationalisation, actor: drc, targets: {investor: usa, mineral: cobalt}}\n",
                      encoding="utf-8")
    out = tmp_path / "game.json"
    assert main(["run", "--orders", str(orders), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "can be played only after rs-contract-review" in err
    assert f"{out} holds the game up to the end of turn 1" in err
    assert store.read(out).document["turn"] == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["schema", "deck"], ["check", str(BUILTIN)], ["replay", str(EXAMPLE_SAVE)]])
def test_output_that_cannot_be_written_gives_one_line_and_exit_74(args):
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "wargame", *args], stdout=full, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, text=True, timeout=120)
    assert done.returncode == 74, done.stderr
    assert done.stderr.strip() == "wargame: cannot write the output (No space left on device)"


def test_check_refuses_an_empty_path(capsys):
    assert main(["check", ""]) == 2
    assert "got an empty one" in capsys.readouterr().err


def test_play_with_no_terminal_says_so_instead_of_waiting_for_keys(tmp_path):
    import subprocess
    import sys

    def play(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "wargame", "play", *args], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, WARGAME_SAVE_DIR=str(tmp_path)))

    done = play()
    assert done.returncode == 2 and "needs a terminal to play in" in done.stderr
    bad = _write(tmp_path, "{", "bad.json")
    done = play("--load", str(bad))
    assert done.returncode == 2
    assert "Cannot resume the save" in done.stderr and f"{bad}:1: not valid JSON" in done.stderr
    # a file's name is shown, never obeyed by the terminal (retitle, clear the screen)
    for option in ("--load", "--scenario"):
        done = play(option, str(tmp_path / "a\x1b]0;TITLE\x07\x1b[2Jb\u202ec.json"))
        assert done.returncode == 2
        assert not any(c in done.stderr for c in "\x1b\x07\u202e")
        assert "a\\x1b]0;TITLE\\x07\\x1b[2Jb\\u202ec.json" in done.stderr


def test_two_tables_that_are_one_file_through_a_link_are_refused(tmp_path, capsys):
    meters = tmp_path / "m.csv"
    link = tmp_path / "l.csv"
    link.symlink_to(meters.name)  # a link to a file not written yet
    assert main(["replay", str(EXAMPLE_SAVE), "--meters-csv", str(meters), "--ledger-csv", str(link)]) == 2
    assert "name the same file" in capsys.readouterr().err
    meters.write_text("")
    hard = tmp_path / "h.csv"
    os.link(meters, hard)
    assert main(["replay", str(EXAMPLE_SAVE), "--meters-csv", str(meters), "--ledger-csv", str(hard)]) == 2
    assert not link.read_text()


def test_control_characters_from_the_command_line_are_printed_escaped(tmp_path, capsys):
    name = tmp_path / "a\x1b]0;TITLE\x07.json"
    assert main(["replay", str(name)]) == 2
    assert main(["briefing", "--team", "x\x1b[31m"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "a\\x1b]0;TITLE\\x07.json" in err and "x\\x1b[31m" in err
    # marks that reorder the line right to left: "evil<RLO>nosj.exe" would read "evilexe.json"
    for mark in ("\u202e", "\u2067", "\u200f", "\u061c"):
        assert main(["replay", str(tmp_path / f"evil{mark}nosj.exe")]) == 2
        err = capsys.readouterr().err
        assert mark not in err and f"evil\\u{ord(mark):04x}nosj.exe" in err


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
def test_unicode_line_breaks_are_refused_at_the_line_an_editor_shows(tmp_path, char):
    """YAML breaks lines at these where editors and grep do not: every line number after one
    would be off, and in a comment they gave a baffling syntax error."""
    folder = builtin_copy(tmp_path)
    lines = (folder / "scenario.yaml").read_text(encoding="utf-8").split("\n")
    lines[2] = "# a comment" + char + "that goes on"
    (folder / "scenario.yaml").write_text("\n".join(lines), encoding="utf-8")
    _, problems = check_paths([str(folder / "scenario.yaml")])
    assert len(problems) == 1 and problems[0].line == 3, problems
    assert f"U+{ord(char):04X}" in problems[0].message


@pytest.mark.parametrize("name, expected", [
    ('"US\\nline two"', "one line"),
    ('"EU\\rSPOOF"', "one line"),
    ('"US\\tpipe"', "one line"),
    ('"\\u200b\\u200d\\u2060"', "visible character"),
    ('"\\u200fUS"', "U+200F"),
    ('"US\\u061c"', "U+061C"),
    ('"China"', "team 'china' has the same name as team 'us'"),
    ('"  CHINA "', "team 'china' has the same name as team 'us'"),
])
def test_a_team_name_is_one_visible_line_of_its_own(tmp_path, name, expected):
    """A name heads the rows and columns of every table and starts lines of news: one that
    breaks the line, shows nothing, turns the text right to left or is another team's name
    makes the reports misleading."""
    folder = builtin_copy(tmp_path)
    path = folder / "scenario.yaml"
    head, teams = path.read_text(encoding="utf-8").split("\nteams:\n")
    us = 'name: {en: "United States", zh: "美国"}'
    assert teams.index(us) < teams.index("actors: [usa]")  # the US team's name, not the actor's
    path.write_text(head + "\nteams:\n" + teams.replace(us, f'name: {{en: {name}, zh: "美国"}}', 1), encoding="utf-8")
    _, problems = check_paths([str(folder)])
    where = "teams[1].name.en" if "same name" in expected else "teams[0].name.en"
    assert any(expected in p.message and p.file.endswith("scenario.yaml") and p.where.startswith(where)
               and p.line is not None for p in problems), problems


def test_two_minerals_may_not_share_a_chinese_name(tmp_path):
    folder = builtin_copy(tmp_path)
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    zh = re.findall(r"zh: \"([^\"]+)\"", text)
    lithium = next(z for z in zh if z.startswith("锂"))
    text = text.replace(f'zh: "{lithium}"', 'zh: "镍"', 1)
    path.write_text(text, encoding="utf-8")
    _, problems = check_paths([str(folder)])
    assert any("mineral 'nickel' has the same name as mineral 'lithium'" in p.message for p in problems), problems


def test_a_save_with_a_byte_order_mark_reads_as_without_one(tmp_path, capsys):
    """Some editors add a UTF-8 byte-order mark when they save; content files pass over it,
    and so do saves."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_SAVE.read_bytes())
    assert main(["replay", str(path), "--verify"]) == 0
    assert is_save(path)


def test_a_game_played_under_extreme_rules_verifies_as_it_was_played(tmp_path, capsys):
    """Replay resolves each turn as play did, ledger and all: the ledger's leave-one-out
    rows clear in one batch with the game's own, and a batch of another size can differ in
    the last bits. Under these rules (trade piled into blocs, eight clearing rounds, capacity
    booked in a year) that once flipped a figure rounded for the hash, and a save that `run`
    had just written failed `replay --verify`."""
    (tmp_path / "content").mkdir()
    folder = builtin_copy(tmp_path / "content")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    extreme = ("rules:\n  ally_preference: 10.0\n  clearing_rounds: 8\n  investment_response: 5.0\n"
               "  investment_max_share: 10.0\n  investment_lead_times: [1, 1, 1]\n  fragmentation_rate: 1.0\n")
    assert text.count("\nrules:\n") == 1
    (folder / "scenario.yaml").write_text(text.replace("\nrules:\n", "\n" + extreme, 1), encoding="utf-8")
    for policy in ("hawk", "dove"):
        save = tmp_path / f"{policy}.json"
        assert main(["run", "--scenario", str(folder), "--bots", policy, "--out", str(save), "--quiet"]) == 0
        assert main(["replay", str(save), "--verify"]) == 0, capsys.readouterr()


def test_plants_that_normally_run_flat_out_are_a_rule_the_model_can_take(tmp_path, capsys):
    """normal_utilisation 1.0, the documented maximum, divided by zero in the price rule."""
    (tmp_path / "content").mkdir()
    folder = builtin_copy(tmp_path / "content")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(text.replace("\nrules:\n", "\nrules:\n  normal_utilisation: 1.0\n", 1),
                                          encoding="utf-8")
    import warnings

    for policy in ("random", "hawk"):
        save = tmp_path / f"flat-out-{policy}.json"
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no 0/0 on the way either
            assert main(["run", "--scenario", str(folder), "--bots", policy, "--out", str(save), "--quiet"]) == 0
            assert main(["replay", str(save), "--verify"]) == 0, capsys.readouterr().err


def test_figures_that_leave_the_float_range_refuse_the_turn_and_keep_it(content, monkeypatch):
    """Content at its extremes can still compound past what a float holds (a demand shift
    played ten times a turn for a dozen turns): the turn is refused in one line, with nothing
    of it applied, instead of a save that cannot be written."""
    from dataclasses import replace as dc_replace

    from wargame.game import session as session_mod
    from wargame.game.session import OrderError

    s = Session.new(content, 5)
    real = session_mod.resolve

    def overflowing(*args, **kwargs):
        result = real(*args, **kwargs)
        meters = dict(result.meters, dependency=np.full_like(result.meters["dependency"], np.inf))
        return dc_replace(result, meters=meters)

    monkeypatch.setattr(session_mod, "resolve", overflowing)
    with pytest.raises(OrderError, match=r"turn 1: the model's figures left the range it can hold "
                                         r"\(meter 'dependency' is not a finite number\)"):
        s.resolve()
    assert s.turn == 1 and len(s.history) == 1 and not s.records


def test_a_turn_takes_a_bounded_number_of_orders_and_rulings(content, tmp_path):
    """Cost-0 cards in a deck of many copies would let a file pile thousands of orders, or a
    save thousands of rulings, into one turn; each is weighed or scanned on its own, so a
    small file could keep replay busy for minutes."""
    from wargame.game.session import OrderError
    from wargame.model.records import MAX_ORDERS_PER_TEAM, MAX_RULINGS_PER_TURN, Override

    orders = tmp_path / "flood.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 1\n    orders:\n      us:\n"
                      + "        - {card: us-minerals-list}\n" * (MAX_ORDERS_PER_TEAM + 1), encoding="utf-8")
    _, problems = check_paths([str(BUILTIN / "scenario.yaml"), str(orders)])
    assert any(f"expected at most {MAX_ORDERS_PER_TEAM} items" in p.message for p in problems), problems
    s = Session.new(content, 5)
    with pytest.raises(OrderError, match="a team gives at most 30 a turn"):
        s.submit("us", [Order(card="us-minerals-list")] * (MAX_ORDERS_PER_TEAM + 1), from_hand=False)
    s.submit("us", [Order(card="us-minerals-list")], from_hand=False)
    veto = Override(team="us", index=0, action="veto", rationale="testing the limit")
    lift = Override(team="us", index=0, action="lift", rationale="testing the limit")
    for _ in range(MAX_RULINGS_PER_TURN // 2):
        s.override(veto)
        s.override(lift)  # lifting takes a ruling out of force: the turn goes on
    amend = Override(team="us", index=0, action="amend", targets={}, rationale="testing the limit")
    with pytest.raises(OrderError, match="rulings are already in force"):
        for _ in range(MAX_RULINGS_PER_TURN + 1):
            s.override(amend)


def test_a_deck_team_or_choice_listed_twice_is_refused(tmp_path):
    """A team drawing one deck twice would hold every card of it twice over; a team or a
    choice named twice in a card is a slip worth saying."""
    folder = builtin_copy(tmp_path)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    team = "  - id: us\n"
    at = text.index(team)
    decks_at = text.index("decks: [", at)
    (folder / "scenario.yaml").write_text(text[:decks_at] + "decks: [us, " + text[decks_at + len("decks: ["):],
                                          encoding="utf-8")
    deck = (folder / "us.yaml").read_text(encoding="utf-8")
    assert "choices: [ree, gallium" in deck or "choices: [" in deck
    first = deck.index("choices: [") + len("choices: [")
    value = deck[first:deck.index(",", first)].strip()
    (folder / "us.yaml").write_text(deck[:first] + f"{value}, " + deck[first:], encoding="utf-8")
    _, problems = check_paths([str(folder)])
    said = " | ".join(p.message for p in problems)
    assert "deck 'us' is listed twice in this team" in said
    assert f"'{value}' is listed twice among the choices of target" in said


def test_orders_named_after_two_checked_scenarios_are_not_checked_against_either_at_random(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    builtin_copy(a)
    builtin_copy(b)
    (a / "orders-example.yaml").unlink()
    (b / "orders-example.yaml").unlink()
    lone = tmp_path / "lone.yaml"
    lone.write_text("format: 1\nscenario: critical-minerals-2026\nturns: []\n", encoding="utf-8")
    for order in ([lone, a, b], [lone, b, a]):
        _, problems = check_paths([str(x) for x in order])
        assert any("is given by 2 checked files" in p.message and p.line == 2 for p in problems), problems
    _, problems = check_paths([str(lone), str(a)])
    assert not problems


def test_an_undo_names_the_turn_it_takes_back_and_versions_are_text(document, tmp_path):
    doc = json.loads(json.dumps(document))
    doc["log"].append({"type": "undo", "turn": 999, "rationale": "not the last turn"})
    report = store.replay(store.read(_write(tmp_path, doc)))
    assert report.invalid and "undoes turn 999, but the last turn resolved before it is 2" in report.problem
    doc = json.loads(json.dumps(document))
    doc["engine_version"] = {"major": 1}
    assert "field 'engine_version' must be text" in _refused(_write(tmp_path, doc, "version.json"))


def test_going_on_from_a_save_leaves_out_the_files_rulings_on_teams_the_save_has_committed(content, tmp_path, capsys):
    """The save's China orders stand; the file's ruling on China's order 1 was written for
    the file's own China orders, so it must not fall on another card."""
    s = Session.new(content, 5)
    s.resolve()
    s.submit("china", [Order(card="cn-bri-processing", targets={"host": "arg", "mineral": "lithium"})],
             from_hand=False)
    mid = tmp_path / "mid.json"
    store.save(s, mid)
    orders = tmp_path / "o.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 2\n    orders:\n      china:\n"
                      "        - {card: cn-export-control, targets: {mineral: gallium, target: usa}}\n"
                      "    overrides:\n      - {team: china, index: 0, action: veto, rationale: \"the file's own\"}\n",
                      encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["run", "--from", str(mid), "--orders", str(orders), "--out", str(out)]) == 0
    assert "the file's orders for it and its 1 ruling(s) on it are left out" in capsys.readouterr().err
    log = store.read(out).document["log"]
    assert not [e for e in log if e["type"] == "override"]


@pytest.mark.parametrize("field, value, said", [
    ("turn_hashes", lambda d: [h.upper() for h in d["turn_hashes"]], "field 'turn_hashes' must be a list of state hashes"),
    ("turn_hashes", lambda d: ["x" * 10 ** 6], "field 'turn_hashes' must be a list of state hashes"),
    ("history", lambda d: [1, 2, 3], "every entry of 'history' must be a JSON object"),
    ("content_hash", lambda d: None, "field 'content_hash' must be an object"),
    ("content_hash", lambda d: dict(d["content_hash"], scenario=d["content_hash"]["scenario"][:10]),
     "field 'content_hash' must be an object"),
])
def test_malformed_save_fields_are_bad_input_with_or_without_verify(document, tmp_path, capsys, field, value, said):
    doc = json.loads(json.dumps(document))
    doc[field] = value(doc)
    path = _write(tmp_path, doc)
    for verify in ([], ["--verify"]):
        capsys.readouterr()
        assert main(["replay", str(path), *verify]) == 2, verify
        assert said in capsys.readouterr().err


def test_altered_content_is_invalid_without_verify_and_a_divergence_with_it(document, tmp_path, capsys):
    doc = json.loads(json.dumps(document))
    doc["scenario"]["description"]["en"] += " (edited)"
    path = _write(tmp_path, doc)
    capsys.readouterr()
    assert main(["replay", str(path)]) == 2
    assert "invalid save: the embedded scenario does not match its content hash" in capsys.readouterr().err
    assert main(["replay", str(path), "--verify"]) == 1
    assert "verification failed" in capsys.readouterr().err


def test_a_log_out_of_order_is_invalid_whether_or_not_hashes_are_compared(document, tmp_path, capsys):
    """A resolve moved before the orders of its own turn: the hash of that early resolve no
    longer matches, but the log cannot be played at all, so both replays call it invalid."""
    doc = json.loads(json.dumps(document))
    log = doc["log"]
    k = next(i for i, e in enumerate(log) if e["type"] == "resolve")
    assert k > 0 and log[k - 1]["type"] == "orders"
    log[k - 1], log[k] = log[k], log[k - 1]
    path = _write(tmp_path, doc)
    for verify in ([], ["--verify"]):
        capsys.readouterr()
        assert main(["replay", str(path), *verify]) == 2, verify
        assert "invalid save: log entry 1 is for turn 1 but the game is at turn 2" in capsys.readouterr().err


def test_chinese_to_an_output_that_cannot_take_it_is_escaped_not_an_internal_error():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "wargame", "debrief", str(EXAMPLE_SAVE), "--lang", "zh"],
                          capture_output=True, timeout=120, env=dict(os.environ, PYTHONIOENCODING="ascii"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"# \\u590d\\u76d8") and b"Traceback" not in done.stderr
