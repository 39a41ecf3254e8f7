"""The headless commands, end to end: run, replay --verify, check, schema; bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main
from conftest import BUILTIN, EXAMPLE_ORDERS, ROOT

EXAMPLE_SAVE = ROOT / "saves" / "critical-minerals-2026-example.json"


def wargame(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True, text=True,
                          cwd=ROOT, stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "game.json"
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--out", str(out), "--quiet"]) == 0
    return out


def test_run_writes_a_save_that_verifies(saved, capsys):
    assert main(["replay", str(saved), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "every hash matches" in out
    assert out.count("turn ") >= 8


def test_same_inputs_give_byte_identical_saves(saved, tmp_path):
    again = tmp_path / "again.json"
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--out", str(again), "--quiet"]) == 0
    assert again.read_bytes() == saved.read_bytes()


def test_the_same_save_on_any_x86_processor_with_avx2(tmp_path):
    """OpenBLAS sums in another order on a processor with AVX-512 than on one with AVX2
    only; the package pins its AVX2 kernels (unless the user chose one), so a game played
    here and one played where OpenBLAS would pick its AVX-512 kernels save the same bytes and
    verify on each other's machines."""
    flags = next((ln.split() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("flags")), []) \
        if Path("/proc/cpuinfo").exists() else []
    if "avx2" not in flags or "fma" not in flags:
        pytest.skip("the kernels are pinned only on x86-64 processors with AVX2")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    out = tmp_path / "game.json"
    done = subprocess.run([sys.executable, "-m", "wargame", "run", "--orders", str(EXAMPLE_ORDERS), "--out", str(out),
                           "--quiet"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == EXAMPLE_SAVE.read_bytes()
    chosen = subprocess.run([sys.executable, "-c", "import wargame, os; print(os.environ['OPENBLAS_CORETYPE'])"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert chosen.stdout.strip() == "Haswell"
    # a kernel the user chose is kept
    kept = subprocess.run([sys.executable, "-c", "import wargame, os; print(os.environ['OPENBLAS_CORETYPE'])"],
                          capture_output=True, text=True, env=dict(env, OPENBLAS_CORETYPE="Zen"), timeout=60)
    assert kept.stdout.strip() == "Zen"


def test_a_different_seed_gives_a_different_save(saved, tmp_path):
    other = tmp_path / "other.json"
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--seed", "8", "--out", str(other), "--quiet"]) == 0
    assert other.read_bytes() != saved.read_bytes()


def test_shipped_example_save_is_what_the_example_orders_produce(saved):
    assert EXAMPLE_SAVE.exists(), "run `make saves` to create the example save"
    assert EXAMPLE_SAVE.read_bytes() == saved.read_bytes(), "example save is stale: run `make saves`"


def test_shipped_example_save_verifies():
    result = wargame("replay", str(EXAMPLE_SAVE.relative_to(ROOT)), "--verify")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def _tampered(saved: Path, tmp_path: Path, change) -> Path:
    doc = json.loads(saved.read_text())
    change(doc)
    out = tmp_path / "tampered.json"
    out.write_text(json.dumps(doc))
    return out


def test_altered_baseline_number_is_rejected_naming_the_turn(saved, tmp_path, capsys):
    def bump(doc):
        row = doc["scenario"]["capacity"][0]
        actor = next(iter(row["values"]))
        row["values"][actor] = row["values"][actor] * 1.5 + 1.0

    path = _tampered(saved, tmp_path, bump)
    assert main(["replay", str(path), "--verify"]) == 1
    err = capsys.readouterr().err
    assert "turn 1" in err and "content hash" in err


def test_altered_meter_in_history_is_rejected_naming_the_turn(saved, tmp_path, capsys):
    def bump(doc):
        doc["history"][3]["cost"]["usa"] += 0.5

    path = _tampered(saved, tmp_path, bump)
    assert main(["replay", str(path), "--verify"]) == 1
    assert "turn 3" in capsys.readouterr().err


def test_altered_order_is_rejected_naming_the_turn(saved, tmp_path, capsys):
    def change(doc):
        for entry in doc["log"]:
            if entry["type"] == "orders" and entry["turn"] == 2 and entry["team"] == "china":
                entry["orders"][0]["targets"]["target"] = "eu"
                return
        raise AssertionError("the example has no Chinese order in turn 2")

    path = _tampered(saved, tmp_path, change)
    assert main(["replay", str(path), "--verify"]) == 1
    assert "turn 2" in capsys.readouterr().err


def test_altered_hash_is_rejected_naming_the_turn(saved, tmp_path, capsys):
    def change(doc):
        doc["turn_hashes"][4] = "0" * 64

    path = _tampered(saved, tmp_path, change)
    assert main(["replay", str(path), "--verify"]) == 1
    assert "turn 5" in capsys.readouterr().err


@pytest.mark.parametrize("text, expected", [
    ("", "empty"),
    ("{not json", "not valid JSON"),
    ("[1, 2, 3]", "JSON object"),
    ('{"format": "something-else"}', "not a wargame save"),
    ('{"format": "wargame-save", "format_version": 99}', "version"),
    ('{"format": "wargame-save", "format_version": 1, "scenario": {}, "decks": [], "log": [], '
     '"turn_hashes": [], "history": [], "seed": 1}', "embedded content is invalid"),
    ('{"format": "wargame-save", "format_version": 1, "scenario": {}, "decks": [], "log": [], '
     '"turn_hashes": [], "history": [], "seed": -4}', "seed"),
    ("[" * 100_000 + "]" * 100_000, "nested"),
    ('{"a": NaN}', "NaN"),
], ids=["empty", "syntax", "array", "format", "version", "content", "seed", "deep", "nan"])
def test_bad_saves_exit_2_with_one_line_and_no_traceback(tmp_path, text, expected):
    path = tmp_path / "bad.json"
    path.write_text(text)
    result = wargame("replay", str(path), "--verify")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert expected.lower() in result.stderr.lower()


def test_binary_save_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    result = wargame("replay", str(path))
    assert result.returncode == 2 and "UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_save_with_bad_log_entry_exits_2(saved, tmp_path):
    path = _tampered(saved, tmp_path, lambda doc: doc["log"].append({"type": "teleport", "turn": 1}))
    result = wargame("replay", str(path), "--verify")
    assert result.returncode == 2 and "log[" in result.stderr and "Traceback" not in result.stderr


def test_missing_save_exits_2():
    result = wargame("replay", "no/such/save.json")
    assert result.returncode == 2 and "no/such/save.json" in result.stderr


def test_check_builtin_decks_passes():
    result = wargame("check", "decks/")
    assert result.returncode == 0, result.stderr


def test_check_reports_file_line_and_path(tmp_path):
    bad = tmp_path / "deck.yaml"
    bad.write_text("format: 1\nid: d\nname: {en: D, zh: D}\ncards:\n  - id: c1\n    name: {en: C, zh: C}\n"
                   "    text: {en: T, zh: T}\n    effects:\n      - kind: securitise\n        delta: 7\n")
    result = wargame("check", str(bad))
    assert result.returncode == 2
    assert f"{bad}:10:" in result.stderr and "c1/effects[0].delta" in result.stderr
    assert "Traceback" not in result.stderr


def test_illegal_scripted_order_exits_2_naming_the_orders_file(tmp_path):
    orders = tmp_path / "orders.yaml"
    orders.write_text("format: 1\nturns:\n  - turn: 1\n    orders:\n      us:\n"
                      "        - {card: us-ira-credit}\n        - {card: us-ira-credit}\n"
                      "        - {card: us-ira-credit}\n")
    result = wargame("run", "--orders", str(orders), "--out", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert "orders.yaml" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_a_script_can_withdraw_a_timeline_event_and_lift_a_veto(tmp_path, capsys):
    orders = tmp_path / "orders.yaml"
    orders.write_text(
        "format: 1\nturns:\n  - turn: 1\n    orders:\n      us:\n        - {card: us-ira-credit}\n"
        "    withdraw:\n      - {index: 0, card: ev-venezuela-strike, rationale: not in this line of play}\n"
        "    overrides:\n      - {team: us, index: 0, action: veto, rationale: too early}\n"
        "      - {team: us, index: 0, action: lift, rationale: on reflection it stands}\n")
    out = tmp_path / "g.json"
    assert main(["check", str(orders), str(BUILTIN)]) == 0
    assert main(["run", "--orders", str(orders), "--out", str(out), "--quiet"]) == 0
    assert main(["replay", str(out), "--verify"]) == 0
    log = json.loads(out.read_text())["log"]
    assert [e["type"] for e in log[:4]] == ["orders", "withdraw", "override", "override"]
    capsys.readouterr()
    assert main(["replay", str(out), "--explain", "40"]) == 0
    turn_1 = capsys.readouterr().out.split("turn 2")[0]
    assert "Venezuela" not in turn_1 and "IRA" in turn_1


@pytest.mark.parametrize("kind", ["deck", "scenario", "save", "orders"])
def test_schema_prints_json_schema(kind):
    result = wargame("schema", kind)
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc.get("type") == "object" and "properties" in doc


def test_schema_of_deck_lists_every_effect_kind():
    from wargame.model.effects import EFFECT_KINDS

    text = wargame("schema", "deck").stdout
    for kind in EFFECT_KINDS:
        assert f'"{kind}"' in text


def test_bad_arguments_exit_2_without_traceback():
    result = wargame("replay")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = wargame("run", "--orders", "x.yaml", "--out", "y.json", "--seed", "-3")
    assert result.returncode == 2 and "seed" in result.stderr


def test_builtin_scenario_path_exists():
    assert (BUILTIN / "scenario.yaml").exists()


def test_unwritable_save_path_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = wargame("run", "--orders", str(EXAMPLE_ORDERS), "--out", str(blocker / "game.json"))
    assert result.returncode == 2 and f"{blocker / 'game.json'}: {blocker} is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr and "turn 1:" not in result.stdout  # refused before playing


def test_replaying_a_folder_exits_2(tmp_path):
    result = wargame("replay", str(tmp_path))
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_replaying_a_named_pipe_says_it_is_not_a_file_and_does_not_wait(tmp_path):
    pipe = tmp_path / "game.json"
    os.mkfifo(pipe)
    result = wargame("replay", str(pipe), "--verify")
    assert result.returncode == 2 and "game.json: not a regular file" in result.stderr


def test_save_whose_log_names_an_unknown_card_is_invalid(saved, tmp_path):
    def change(doc):
        entry = next(e for e in doc["log"] if e["type"] == "orders")
        entry["orders"][0]["card"] = "no-such-card"

    path = _tampered(saved, tmp_path, change)
    result = wargame("replay", str(path), "--verify")
    assert result.returncode == 2 and "invalid save" in result.stderr and "no-such-card" in result.stderr
    assert "Traceback" not in result.stderr


def test_save_with_an_oversized_world_is_refused(saved, tmp_path):
    def change(doc):
        base = doc["scenario"]["actors"][0]
        doc["scenario"]["actors"] += [dict(base, id=f"x{i}") for i in range(400)]

    path = _tampered(saved, tmp_path, change)
    result = wargame("replay", str(path))
    assert result.returncode == 2 and "actors" in result.stderr and "Traceback" not in result.stderr


def test_replay_explain_says_what_happened_and_why(saved, capsys):
    assert main(["replay", str(saved), "--explain", "5"]) == 0
    out = capsys.readouterr().out
    assert "news: Indonesia bans raw Nickel ore exports" in out
    assert "why: " in out and "(resource nationalism)" in out
    turn1 = out.split("turn 2:")[0]
    assert turn1.count("  why: ") == 5


def test_check_of_a_folder_without_content_is_an_error(tmp_path):
    result = wargame("check", str(tmp_path))
    assert result.returncode == 2 and "no scenario, deck or orders files" in result.stderr


# --- simulate -------------------------------------------------------------------------------

def test_simulate_writes_the_balance_study_of_a_scenario(tmp_path, capsys):
    out = tmp_path / "study.md"
    assert main(["simulate", "--games", "6", "--seed", "3", "--workers", "1", "--out", str(out), "--quiet"]) == 0
    text = out.read_text()
    assert f"wargame simulate --games 6 --seed 3 --workers 1 --out {out}" in text
    assert "- games: 6; study seed: 3; workers: 1" in text
    # the same study printed, from two workers: the same tables (only the wall time differs)
    assert main(["simulate", "--games", "6", "--seed", "3", "--workers", "2", "--quiet"]) == 0
    printed = capsys.readouterr().out
    strip = lambda t: [ln for ln in t.splitlines() if "wall time" not in ln and "workers" not in ln]  # noqa: E731
    assert strip(printed) == strip(text)


def test_simulate_refuses_bad_content_and_arguments_before_playing(tmp_path, capsys):
    from conftest import builtin_copy

    broken = builtin_copy(tmp_path)
    scenario = broken / "scenario.yaml"
    scenario.write_text(scenario.read_text().replace("turns: 8", "turns: eight", 1))
    assert main(["simulate", "--scenario", str(broken), "--games", "2"]) == 2
    err = capsys.readouterr().err
    assert "scenario.yaml:" in err and "turns" in err and "Traceback" not in err
    assert main(["simulate", "--games", "0"]) == 2
    assert main(["simulate", "--workers", "x"]) == 2
    assert main(["simulate", "--games", "2", "--out", str(EXAMPLE_SAVE)]) == 2
    assert "is a wargame save" in capsys.readouterr().err


def test_what_the_program_writes_never_replaces_a_content_file_or_names_a_folder(tmp_path, capsys):
    from conftest import builtin_copy

    folder = builtin_copy(tmp_path)
    before = (folder / "us.yaml").read_bytes()
    assert main(["simulate", "--scenario", str(folder), "--games", "2", "--out", str(folder / "us.yaml")]) == 2
    assert "is a scenario, deck or orders file (YAML)" in capsys.readouterr().err
    assert main(["replay", str(EXAMPLE_SAVE), "--meters-csv", str(folder / "orders-example.yaml")]) == 2
    assert main(["debrief", str(EXAMPLE_SAVE), "--out", str(tmp_path / "newdir") + "/"]) == 2
    assert "ends with a slash" in capsys.readouterr().err
    assert (folder / "us.yaml").read_bytes() == before
    assert main(["run", "--scenario", "", "--bots", "hawk", "--out", str(tmp_path / "g.json")]) == 2
    assert "--scenario: expected a scenario file or folder, got an empty path" in capsys.readouterr().err
    assert main(["run", "--from", "", "--bots", "hawk", "--out", str(tmp_path / "g.json")]) == 2
    assert "got an empty one" in capsys.readouterr().err
