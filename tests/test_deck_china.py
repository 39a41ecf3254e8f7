"""Every card of the China deck moves the meters its text promises.

Each card is played headlessly in the built-in scenario (turn 1, or turn 2 after its
prerequisite for a card with a ``played_before`` condition) and compared with the same
game, same seed, in which China passes on that turn. The table below says, card by
card, which meter should move, for whom, in which direction and by which turn (the
horizon the card's text implies: at once, after a lead time, after backlash).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pytest

from wargame.engine.meters import DETAIL_METERS, HEADLINE_METERS
from wargame.game.session import OrderError, Session
from wargame.model.common import STAGES
from wargame.model.deck import PlayedBefore
from wargame.model.loader import load_scenario
from wargame.model.records import Order

from conftest import BUILTIN

SEED = 7
TEAM = "china"

# meters and the ids that index them; "affinity" is read from the world state
AXES: dict[str, tuple[str, ...]] = {
    **HEADLINE_METERS,
    **DETAIL_METERS,
    "capacity_used": ("actor", "mineral", "stage"),
    "affinity": ("actor", "actor"),
}


@dataclass(frozen=True)
class Move:
    """``meter[key]`` at the end of turn ``at`` is above (sign +1) or below (-1) the pass run."""

    meter: str
    key: tuple[str, ...]
    sign: int
    at: int


@dataclass(frozen=True)
class Case:
    targets: dict[str, str]
    moves: tuple[Move, ...]
    # (card, targets) played on turn 1 in both runs; the card itself then comes on turn 2
    before: tuple[str, dict[str, str]] | None = field(default=None)


UP, DOWN = +1, -1

CASES: dict[str, Case] = {
    # --- export controls and licensing ----------------------------------------------
    "cn-export-control": Case(
        {"mineral": "ree", "target": "usa"},
        (Move("shortage", ("usa", "ree"), UP, 1),
         Move("cost", ("usa",), UP, 1),
         Move("leverage", ("chn",), DOWN, 1),  # withheld shipments no longer count
         Move("processing_share", ("usa", "ree"), UP, 4))),  # backlash: own separation
    "cn-mofcom-46-ban": Case(
        {},
        (Move("shortage", ("usa", "gallium"), UP, 1),
         Move("shortage", ("usa", "germanium"), UP, 1),
         Move("securitisation", (), UP, 1))),
    "cn-transshipment-check": Case(
        {"mineral": "gallium", "target": "jpn"},
        (Move("shortage", ("usa", "gallium"), UP, 2),),
        before=("cn-mofcom-46-ban", {})),
    "cn-graphite-end-use": Case(
        {"target": "usa"},
        (Move("shortage", ("usa", "graphite"), UP, 1),
         Move("shortage", ("usa", "graphite"), UP, 3))),
    "cn-global-licensing": Case(
        {"mineral": "tungsten"},
        (Move("price", ("tungsten",), UP, 1),
         Move("shortage", ("eu", "tungsten"), UP, 1),
         Move("shortage", ("jpn", "tungsten"), UP, 3))),
    "cn-ree-technology-ban": Case(
        {"target": "usa"},
        (Move("capacity_used", ("usa", "ree", "processing"), DOWN, 1),
         Move("capacity_used", ("usa", "ree", "processing"), DOWN, 3),
         Move("shortage", ("usa", "ree"), UP, 1))),
    "cn-licence-suspension": Case(
        {"mineral": "ree", "target": "usa"},
        (Move("affinity", ("chn", "usa"), UP, 2),
         Move("securitisation", (), DOWN, 2)),
        before=("cn-export-control", {"mineral": "ree", "target": "usa"})),
    "cn-retaliatory-tariff": Case(
        {"mineral": "ree", "target": "usa"},
        (Move("capacity_used", ("usa", "ree", "extraction"), DOWN, 1),
         Move("value_added", ("usa",), DOWN, 1),
         Move("affinity", ("chn", "usa"), DOWN, 1))),
    # --- consolidation and domestic substitution ------------------------------------
    "cn-rare-earth-group": Case(
        {},
        (Move("processing_share", ("chn", "ree"), UP, 3),
         Move("lock_in", ("chn",), UP, 1))),
    "cn-green-processing": Case(
        {"mineral": "lithium"},
        (Move("processing_share", ("chn", "lithium"), UP, 3),
         Move("lock_in", ("chn",), UP, 1))),
    "cn-domestic-lithium": Case(
        {},
        (Move("import_reliance", ("chn", "lithium", "extraction"), DOWN, 4),)),
    # --- outward investment -----------------------------------------------------------
    "cn-bri-processing": Case(
        {"host": "zwe", "mineral": "lithium"},
        (Move("processing_share", ("zwe", "lithium"), UP, 4),
         Move("affinity", ("chn", "zwe"), UP, 1))),
    "cn-morowali-smelter": Case(
        {},
        (Move("processing_share", ("idn", "nickel"), UP, 3),)),
    "cn-bri-mining-finance": Case(
        {"host": "arg", "mineral": "lithium"},
        (Move("capacity_used", ("arg", "lithium", "extraction"), UP, 5),
         Move("value_added", ("arg",), UP, 5))),
    # --- market, reserves and technology ---------------------------------------------
    "cn-stockpile-release": Case(
        {"mineral": "ree"},
        (Move("price", ("ree",), DOWN, 1),)),
    "cn-sodium-ion-push": Case(
        {},
        (Move("price", ("lithium",), DOWN, 3),
         Move("dependency", ("chn",), DOWN, 3),
         Move("value_added", ("zwe",), DOWN, 3))),
    # --- diplomacy --------------------------------------------------------------------
    "cn-dialogue-offer": Case(
        {"target": "eu"},
        (Move("affinity", ("chn", "eu"), UP, 1),)),
    "cn-brics-sco": Case(
        {},
        (Move("cohesion", ("bri-mining",), UP, 1),
         Move("securitisation", (), UP, 1))),
}


@lru_cache(maxsize=1)
def _content():
    return load_scenario(BUILTIN)


def _china_cards():
    return {c.id: c for c in _content().team_cards(TEAM)}


def _prerequisites(card_id: str) -> list[str]:
    return [c.card for c in _china_cards()[card_id].conditions if isinstance(c, PlayedBefore)]


@dataclass
class Run:
    meters: list[dict[str, np.ndarray]]  # index t: after turn t (0 = baseline)
    affinity: list[np.ndarray]
    index: object


@lru_cache(maxsize=None)
def _run(plays: tuple[tuple[int, str, tuple[tuple[str, str], ...]], ...], turns: int) -> Run:
    """Play China's cards (turn, card, targets) for ``turns`` turns; everyone else passes."""
    s = Session.new(_content(), SEED)
    affinity = [s.world.affinity.copy()]
    for t in range(1, turns + 1):
        orders = [Order(card=card, targets=dict(targets)) for turn, card, targets in plays if turn == t]
        if orders:
            s.submit(TEAM, orders, from_hand=False)
        s.resolve(explain=False)
        affinity.append(s.world.affinity.copy())
    return Run(list(s.history), affinity, s.index)


def _value(run: Run, move: Move) -> float:
    ix = run.index
    pos = {"actor": ix.actor_pos, "mineral": ix.mineral_pos, "bloc": ix.bloc_pos,
           "stage": {s: i for i, s in enumerate(STAGES)}}
    axes = AXES[move.meter]
    assert len(axes) == len(move.key), f"{move.meter} is indexed by {axes}, got {move.key}"
    where = tuple(pos[axis][k] for axis, k in zip(axes, move.key))
    source = run.affinity[move.at] if move.meter == "affinity" else run.meters[move.at][move.meter]
    return float(np.asarray(source)[where])


def _frozen(targets: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(targets.items()))


# --- the table covers the deck ---------------------------------------------------------

def test_the_table_covers_every_card_of_the_china_deck():
    deck = set(_china_cards())
    assert set(CASES) == deck, (f"cards without a row: {sorted(deck - set(CASES))}; "
                                f"rows without a card: {sorted(set(CASES) - deck)}")
    assert len(deck) >= 16


def test_every_row_names_valid_meters_and_targets_and_prerequisites():
    cards = _china_cards()
    for card_id, case in CASES.items():
        card = cards[card_id]
        assert set(case.targets) == {t.name for t in card.targets}, card_id
        assert case.moves, card_id
        for move in case.moves:
            assert move.meter in AXES and move.sign in (UP, DOWN), (card_id, move)
        wanted = _prerequisites(card_id)
        assert (case.before is not None) == bool(wanted), card_id
        if case.before is not None:
            assert case.before[0] in wanted, card_id


def test_a_combination_card_is_refused_before_its_prerequisite():
    for card_id, case in CASES.items():
        if case.before is None:
            continue
        s = Session.new(_content(), SEED)
        with pytest.raises(OrderError, match="only after"):
            s.submit(TEAM, [Order(card=card_id, targets=case.targets)], from_hand=False)


# --- each card moves what its text promises ---------------------------------------------

@pytest.mark.parametrize("card_id", sorted(CASES))
def test_card_moves_the_meters_its_text_promises(card_id):
    case = CASES[card_id]
    horizon = max(m.at for m in case.moves)
    if case.before is None:
        turn, base_plays = 1, ()
    else:
        turn, base_plays = 2, ((1, case.before[0], _frozen(case.before[1])),)
    played = _run(base_plays + ((turn, card_id, _frozen(case.targets)),), horizon)
    passed = _run(base_plays, horizon)
    failures = []
    for move in case.moves:
        assert move.at >= turn, (card_id, move)
        delta = _value(played, move) - _value(passed, move)
        if not delta * move.sign > 1e-9:
            failures.append(f"{move.meter}{list(move.key)} at turn {move.at}: expected "
                            f"{'up' if move.sign > 0 else 'down'}, moved {delta:+.6g}")
    assert not failures, f"{card_id}: " + "; ".join(failures)
