"""Snapshots of the main screens at 80×24 (pytest-textual-snapshot): the start screen, the
handover curtain, a team's hand with a bilingual card in English and in Chinese, the White
Cell, and the report's "why" tab.

Every picture must come out the same on every run: the app runs with animations off and
no blinking cursor, the game has a fixed seed, the saves folder is empty and named by a
relative path (the start screen shows the folder and the time of each save), and the
hand the pictures show holds only the test cards below, so rewording a card of the
built-in decks does not change them. The White Cell and the report still show the
scenario's timeline and the engine's numbers: when those change on purpose, look at the
new pictures in the failure report and accept them with ``--snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from wargame.game.seminar import Seminar
from wargame.game.session import Session
from wargame.model.records import Order, Override
from wargame.tui.app import WargameApp

SIZE = (80, 24)
SEED = 11
_TEST = "test card, not part of the game"

# Three cards the United States hold in these pictures; the first is the one shown, with
# a long Chinese text (it wraps only at spaces, so it must fit 80 columns by itself) and
# brackets that must appear verbatim.
TEST_CARDS = [
    {"id": "us-snap-duty",
     "name": {"en": "Duty on rival refiners [snapshot]", "zh": "对竞争对手精炼产品征税［快照］"},
     "text": {"en": "Put a one-year duty on the chosen mineral when it comes refined from a rival. "
                    "Allies are exempt; prices at home rise a little while other sources are found.",
              "zh": "对来自竞争对手的所选精炼矿产征收为期一年的关税，盟友免征；在找到其他来源之前，"
                    "国内价格会略有上升。"},
     "mechanism": "Tariff on processed imports from rivals", "source": _TEST, "cost": 2,
     "targets": [{"name": "mineral", "kind": "mineral", "choices": ["ree", "lithium", "cobalt"],
                  "prompt": {"en": "Duty on which mineral?", "zh": "对哪种矿产征税？"}}],
     "effects": [{"kind": "tariff", "mineral": "$mineral", "stage": "processing", "on": ["rivals"],
                  "rate": 0.25, "duration": 1}]},
    {"id": "us-snap-stock", "name": {"en": "Build a small reserve", "zh": "建立小规模储备"},
     "text": {"en": "Buy refined material for a national reserve.", "zh": "为国家储备购入精炼材料。"},
     "source": _TEST, "cost": 3,
     "effects": [{"kind": "stockpile", "mineral": "ree", "action": "build", "amount": 1,
                  "fiscal_cost": 0.2}]},
    {"id": "us-snap-signal", "name": {"en": "Securitise the supply chain", "zh": "将供应链安全化"},
     "text": {"en": "Speak of minerals as a security matter.", "zh": "把矿产当作安全问题来谈。"},
     "source": _TEST, "cost": 1, "effects": [{"kind": "securitise", "delta": 0.02}]},
]
US_HAND = [c["id"] for c in TEST_CARDS]


def steady_app(**kwargs) -> WargameApp:
    """The app as the pictures take it: no animation anywhere."""
    app = WargameApp(**kwargs)
    app.animation_level = "none"
    return app


async def steady(pilot) -> None:
    """Wait for the workers (saves list, loading, resolving) and stop every cursor blinking."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
    await pilot.pause()


@pytest.fixture(scope="module")
def snap_content(content):
    from wargame.model.loader import content_from_dicts

    scenario, decks = content.to_dicts()
    next(d for d in decks if d["id"] == "us")["cards"].extend(TEST_CARDS)
    return content_from_dicts(scenario, decks, origin="snapshot test")


def seminar(content) -> Seminar:
    """A new game, everyone at the keyboard, the United States holding the test cards."""
    session = Session.new(content, SEED)
    session.decks["us"].hand[:] = US_HAND
    return Seminar(session)


def turn_with_a_veto(content) -> Seminar:
    """Turn 1 committed: the United States play the duty and a reserve, the others pass,
    and the White Cell has vetoed the reserve."""
    s = seminar(content)
    s.add("us", Order(card="us-snap-duty", targets={"mineral": "lithium"}))
    s.add("us", Order(card="us-snap-stock"))
    for team in s.teams:
        s.commit(team)
    s.override(Override(team="us", index=1, action="veto", rationale="no money [yet] for a reserve"))
    return s


def test_start_screen(snap_compare, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the screen names the saves folder: a relative, empty one
    assert snap_compare(steady_app(save_dir="saves"), terminal_size=SIZE, run_before=steady)


def test_handover_curtain(snap_compare, snap_content, tmp_path) -> None:
    app = steady_app(seminar=seminar(snap_content), save_dir=tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hand_with_a_bilingual_card(snap_compare, snap_content, tmp_path, lang) -> None:
    async def hand(pilot) -> None:
        await pilot.pause()
        await pilot.press("enter", "3")  # lift the curtain, show the hand
        if lang == "zh":
            await pilot.press("f2")
        await steady(pilot)

    app = steady_app(seminar=seminar(snap_content), save_dir=tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=hand)


def test_white_cell(snap_compare, snap_content, tmp_path) -> None:
    async def white_cell(pilot) -> None:
        await pilot.pause()
        await pilot.press("enter", "down")  # the curtain, then the vetoed order
        await steady(pilot)

    app = steady_app(seminar=turn_with_a_veto(snap_content), save_dir=tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=white_cell)


def test_report_why_tab(snap_compare, snap_content, tmp_path) -> None:
    s = turn_with_a_veto(snap_content)
    s.resolve()

    async def why(pilot) -> None:
        await pilot.pause()
        pilot.app.show_report()
        await pilot.pause()
        await pilot.press("2")
        await steady(pilot)

    app = steady_app(seminar=s, save_dir=tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=why)
