"""The analysts' tables: `wargame replay --meters-csv/--ledger-csv` and wargame.store.export."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from math import prod

import numpy as np
import pytest

from wargame.store import save as store
from wargame.cli import main
from wargame.engine.meters import LEDGER_METERS, METER_AXES
from wargame.model.common import STAGES
from wargame.store.export import (LEDGER_COLUMNS, METER_COLUMNS, ledger_rows, meter_rows, text_cell, to_csv,
                                  write_csv)
from wargame.store.save import SaveError
from conftest import EXAMPLE_ORDERS, undone_game


@pytest.fixture(scope="module")
def game(tmp_path_factory):
    """The example game, saved, and its replay with every ledger kept."""
    out = tmp_path_factory.mktemp("export") / "game.json"
    assert main(["run", "--orders", str(EXAMPLE_ORDERS), "--out", str(out), "--quiet"]) == 0
    report = store.replay(store.read(out), ledgers=True)
    assert report.ok, report.problem
    return out, report


def _table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _axes(session):
    idx = session.index
    return {"actor": idx.actors, "bloc": idx.blocs, "mineral": idx.minerals, "stage": STAGES}


def test_every_meter_a_turn_reports_has_its_axes_named(game):
    _, report = game
    axes = _axes(report.session)
    for meters in report.session.history:
        assert set(meters) == set(METER_AXES)
        for name, value in meters.items():
            assert np.shape(value) == tuple(len(axes[d]) for d in METER_AXES[name]), name


def test_the_meter_table_holds_every_value_of_every_turn_exactly(game):
    _, report = game
    session = report.session
    rows = _table(to_csv(METER_COLUMNS, meter_rows(session)))
    axes = _axes(session)
    per_turn = sum(prod(len(axes[d]) for d in dims) for dims in METER_AXES.values())
    assert len(rows) == per_turn * len(session.history) == per_turn * (session.scenario.turns + 1)
    rebuilt = defaultdict(dict)
    for r in rows:
        dims = METER_AXES[r["meter"]]
        # blank exactly on the axes the meter lacks
        assert all((r[a] == "") == (a not in dims) for a in ("actor", "bloc", "mineral", "stage")), r
        key = tuple(axes[d].index(r[d]) for d in dims)
        rebuilt[int(r["turn"]), r["meter"]][key] = float(r["value"])
    for turn, meters in enumerate(session.history):
        for name, value in meters.items():
            arr = np.asarray(value, dtype=float)
            got = rebuilt[turn, name]
            # written at full precision: every value reads back bit for bit
            assert all(got[k] == arr[k] for k in np.ndindex(arr.shape)), (turn, name)
    years = {int(r["turn"]): r["year"] for r in rows}
    assert years[0] == years[1] == "2026" and years[8] == "2033"


def test_a_turns_ledger_rows_add_up_to_each_meters_change(game):
    _, report = game
    session = report.session
    axes = _axes(session)
    rows = _table(to_csv(LEDGER_COLUMNS, ledger_rows(session, report.results)))
    assert {int(r["turn"]) for r in rows} == set(range(1, session.scenario.turns + 1))
    assert {r["cause"] for r in rows} >= {"carry-over", "t1/us/0", "mechanism:backlash"}
    sums = defaultdict(float)
    for r in rows:
        dims = LEDGER_METERS[r["meter"]]
        sums[int(r["turn"]), r["meter"], tuple(axes[d].index(r[d]) for d in dims)] += float(r["delta"])
    checked = 0
    for turn in range(1, len(session.history)):
        before, after = session.history[turn - 1], session.history[turn]
        for name, dims in LEDGER_METERS.items():
            change = np.asarray(after[name], dtype=float) - np.asarray(before[name], dtype=float)
            for k in np.ndindex(change.shape):
                # lines under the ledger's threshold (1e-6) are left out
                assert sums.get((turn, name, k), 0.0) == pytest.approx(change[k], abs=1e-4), (turn, name, k)
                checked += 1
    assert checked > 10_000


def test_an_undone_turn_leaves_no_ledger_rows(content, tmp_path):
    s = undone_game(content)
    loaded = store.read(store.save(s, tmp_path / "g.json"))
    report = store.replay(loaded, ledgers=True)
    assert report.ok, report.problem
    assert len(report.results) == 2
    rows = list(ledger_rows(report.session, report.results))
    # the undone turn-2 order does not appear: the turn as replayed had no US play
    assert not any(r[8].startswith("t2/us/") for r in rows)
    assert {r[0] for r in rows} == {1, 2}


def test_replay_writes_both_tables_and_the_same_save_gives_the_same_bytes(game, tmp_path, capsys):
    save, _ = game
    outs = []
    for k in range(2):
        meters, ledger = tmp_path / f"m{k}.csv", tmp_path / f"sub{k}" / "l.csv"
        assert main(["replay", str(save), "--verify", "--meters-csv", str(meters), "--ledger-csv", str(ledger)]) == 0
        outs.append((meters.read_bytes(), ledger.read_bytes()))
    assert outs[0] == outs[1]
    printed = capsys.readouterr().out
    assert "meters of 9 turn(s), the start included, written to" in printed
    assert "the ledgers of 8 turn(s) written to" in printed
    assert outs[0][0].decode().splitlines()[0] == ",".join(METER_COLUMNS)
    assert outs[0][1].decode().splitlines()[0] == ",".join(LEDGER_COLUMNS)


def test_a_save_that_does_not_verify_gets_no_table(game, tmp_path, capsys):
    save, _ = game
    doc = json.loads(save.read_text())
    doc["turn_hashes"][3] = "0" * 64
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    m = tmp_path / "m.csv"
    assert main(["replay", str(bad), "--verify", "--meters-csv", str(m)]) == 1
    assert not m.exists()
    assert "no table written" in capsys.readouterr().err


def test_a_table_that_cannot_be_written_is_bad_input(game, tmp_path, capsys):
    save, report = game
    blocker = tmp_path / "file"
    blocker.write_text("")
    # refused before the replay runs, in one line
    assert main(["replay", str(save), "--meters-csv", str(blocker / "m.csv")]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0] == f"{blocker / 'm.csv'}: {blocker} is a file, not a folder", err
    assert "turn 1:" not in captured.out
    assert main(["replay", str(save), "--ledger-csv", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    # and the writer itself says so, naming the file
    with pytest.raises(SaveError, match=r"m\.csv: cannot write the table \(.* is a file, not a folder\)"):
        write_csv(blocker / "m.csv", METER_COLUMNS, meter_rows(report.session))


@pytest.mark.parametrize("name, cell", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"), ("+1", "'+1"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("IRA credit", "IRA credit"), ("a=b", "a=b")])
def test_a_card_name_that_starts_like_a_formula_is_written_as_text(name, cell):
    assert text_cell(name) == cell


def test_the_ledger_table_writes_hostile_card_names_as_text(game):
    _, report = game
    from wargame.engine.resolve import LedgerLine

    class Turn:
        ledger = [LedgerLine("cost", "usa", 1.5, "t1/us/0", "=cmd|' /C calc'!A0", "friend-shoring")]

    (row,) = ledger_rows(report.session, [Turn()])
    assert row[9] == "'=cmd|' /C calc'!A0" and row[3] == "usa" and row[7] == "1.5"


def test_a_table_is_written_as_its_rows_come_not_built_whole_first(tmp_path):
    """A table of many games runs to hundreds of MB: the rows go to the temporary file as
    they are made, and the table takes its name only once complete."""
    target = tmp_path / "t.csv"
    seen = {}

    def rows():
        for k in range(20_000):
            if k == 19_999:
                tmp = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
                seen["tmp"] = tmp[0].stat().st_size if tmp else 0
                seen["target"] = target.exists()
            yield [k, "x" * 40]

    write_csv(target, ["k", "text"], rows())
    assert seen["tmp"] > 500_000 and not seen["target"]
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "k,text" and len(lines) == 20_001 and lines[-1] == "19999," + "x" * 40
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
