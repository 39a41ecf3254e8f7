from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "decks" / "critical-minerals-2026"
EXAMPLE_ORDERS = BUILTIN / "orders-example.yaml"


@pytest.fixture(scope="session")
def content():
    from wargame.model.loader import load_scenario

    return load_scenario(BUILTIN)


def builtin_copy(folder: Path) -> Path:
    """The built-in scenario's files copied into ``folder`` (to break one of them)."""
    for f in BUILTIN.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def other_scenario_save(folder: Path) -> Path:
    """A valid save of another scenario: the built-in one under another id."""
    from wargame.game.session import Session
    from wargame.model.loader import load_scenario
    from wargame.store.save import save

    folder.mkdir(parents=True, exist_ok=True)
    copy = builtin_copy(folder)
    scenario = copy / "scenario.yaml"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("id: critical-minerals-2026", "id: another", 1),
                        encoding="utf-8")
    return save(Session.new(load_scenario(copy), 1), folder / "another.json")


def one_turn_seminar(content, seed: int = 4):
    """A seminar with people in every seat that has resolved one turn in which nobody played."""
    from wargame.game.seminar import Seminar
    from wargame.game.session import Session

    s = Seminar(Session.new(content, seed))
    for team in s.humans:
        s.commit(team)
    s.resolve()
    return s


@pytest.fixture(scope="session")
def what_if(tmp_path_factory):
    """The example game forked after turn 3 and played on by dove bots."""
    from wargame.cli import main

    example = ROOT / "saves" / "critical-minerals-2026-example.json"
    d = tmp_path_factory.mktemp("whatif")
    f, on = d / "f3.json", d / "dove.json"
    assert main(["fork", str(example), "--turn", "3", "--out", str(f), "--note", "doves from 2029"]) == 0
    assert main(["run", "--from", str(f), "--bots", "dove", "--out", str(on), "--quiet"]) == 0
    return on


def undone_game(content):
    """A session that resolved turn 1, played and resolved turn 2, had it undone by the White
    Cell, and resolved it again without the order."""
    from wargame.game.session import Session
    from wargame.model.records import Order

    s = Session.new(content, 4)
    s.resolve()
    s.submit("us", [Order(card="us-section-232", targets={"mineral": "ree"})], from_hand=False)
    s.resolve()
    s.undo("the facilitator misread the order")
    s.resolve()
    return s


@pytest.fixture(autouse=True)
def instant_curtain(request, monkeypatch):
    """In the TUI's pilot tests Enter passes the handover curtain at once: a pilot presses
    keys far faster than people, and the guard against a doubled Enter has its own tests."""
    if request.module.__name__.startswith("test_tui_"):
        from wargame.tui.handover import HandoverScreen

        monkeypatch.setattr(HandoverScreen, "SETTLE_S", 0.0)
