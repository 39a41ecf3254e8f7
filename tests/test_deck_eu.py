"""The EU deck in play: every card moves, in the built-in scenario, what its text promises.

Each row of ``CASES`` plays one EU card headlessly (``from_hand=False``, targets chosen
explicitly) and compares the meters with a run that is the same in every other respect:
the same seed, the same timeline, every other team passing. For a card that needs an
earlier card (``played_before``), both runs play that prerequisite first, so the
comparison isolates the card itself. Each expectation names the turn by which the text
says the movement shows (capacity after its lead time, a duty at once, ...).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
import pytest
import yaml

from wargame.engine.meters import LEDGER_METERS
from wargame.game.session import OrderError, Session
from wargame.model.common import STAGES
from wargame.model.loader import load_scenario
from wargame.model.records import Order

from conftest import BUILTIN

SEED = 0
TEAM = "eu"
# meters kept in the turn history beyond the ledger meters, with their axes
EXTRA_AXES = {"capacity_used": ("actor", "mineral", "stage"), "fiscal_pressure": ("actor",),
              "cost_fiscal": ("actor",), "cost_economic": ("actor",)}

Play = tuple[int, str, dict]  # (turn, card id, targets)


@dataclass
class Run:
    """One headless game: the meters after each turn and the state that is not a meter."""

    session: Session
    states: dict[int, dict[str, np.ndarray]]

    def _pos(self, axis: str, key: str) -> int:
        idx = self.session.index
        return {"actor": idx.actor_pos, "mineral": idx.mineral_pos, "bloc": idx.bloc_pos,
                "stage": {s: i for i, s in enumerate(STAGES)}}[axis][key]

    def meter(self, turn: int, name: str, *keys: str) -> float:
        axes = LEDGER_METERS[name] if name in LEDGER_METERS else EXTRA_AXES[name]
        assert len(keys) == len(axes), f"{name} is keyed by {axes}"
        arr = np.asarray(self.session.history[turn][name])
        return float(arr[tuple(self._pos(ax, k) for ax, k in zip(axes, keys))])

    def state(self, turn: int, name: str, *keys: str) -> float:
        axes = {"affinity": ("actor", "actor"), "stock": ("actor", "mineral"),
                "cap": ("actor", "mineral", "stage")}[name]
        return float(self.states[turn][name][tuple(self._pos(ax, k) for ax, k in zip(axes, keys))])


def play_game(content, plays: tuple[Play, ...], turns: int) -> Run:
    s = Session.new(content, SEED)
    states = {}
    for t in range(1, turns + 1):
        orders = [Order(card=card, targets=dict(targets)) for turn, card, targets in plays if turn == t]
        if orders:
            s.submit(TEAM, orders, from_hand=False)
        s.resolve(explain=False)
        states[t] = {"affinity": s.world.affinity.copy(), "stock": s.world.stock.copy(),
                     "cap": s.world.cap.copy()}
    return Run(s, states)


# --- what a card should move ---------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    """At ``turn``, ``get`` is higher (+1), lower (-1) or unchanged (0) with the card."""

    turn: int
    what: str
    get: Callable[[Run, int], float]
    direction: int


def meter(turn: int, direction: int, name: str, *keys: str) -> Expect:
    return Expect(turn, f"{name}[{', '.join(keys)}]", lambda r, t: r.meter(t, name, *keys), direction)


def state(turn: int, direction: int, name: str, *keys: str) -> Expect:
    return Expect(turn, f"world.{name}[{', '.join(keys)}]", lambda r, t: r.state(t, name, *keys), direction)


def up(turn, name, *keys):
    return (state if name in ("affinity", "stock", "cap") else meter)(turn, +1, name, *keys)


def down(turn, name, *keys):
    return (state if name in ("affinity", "stock", "cap") else meter)(turn, -1, name, *keys)


def flat(turn, name, *keys):
    return (state if name in ("affinity", "stock", "cap") else meter)(turn, 0, name, *keys)


@dataclass(frozen=True)
class Case:
    id: str
    card: str
    targets: dict
    expect: tuple[Expect, ...]
    turn: int = 1  # when the card is played
    before: tuple[Play, ...] = field(default=())  # EU plays in both runs (prerequisites)


CRMA_REE: Play = (1, "eu-crma-projects", {"mineral": "ree"})
STOCK_REE: Play = (1, "eu-joint-purchasing", {"mineral": "ree"})
PARTNER_ARG: Play = (1, "eu-raw-materials-partnership", {"partner": "arg"})

CASES: list[Case] = [
    # CRMA 40% processing: national refineries arrive after three turns, paid at once
    Case("crma-projects", "eu-crma-projects", {"mineral": "ree"}, (
        up(1, "cost_fiscal", "eu"), up(1, "lock_in", "eu"),
        flat(3, "processing_share", "eu", "ree"),
        up(4, "processing_share", "eu", "ree"), down(4, "import_reliance", "eu", "ree", "processing"))),
    # CRMA 10% extraction: mines take four turns
    Case("crma-extraction", "eu-crma-extraction", {"mineral": "lithium"}, (
        up(1, "cost", "eu"),
        flat(4, "import_reliance", "eu", "lithium", "extraction"),
        down(5, "import_reliance", "eu", "lithium", "extraction"),
        up(5, "cap", "eu", "lithium", "extraction"))),
    # recycling benchmark: plants in two turns, less primary demand in three
    Case("recycling", "eu-recycling-target", {"mineral": "cobalt"}, (
        up(1, "cost_fiscal", "eu"),
        up(3, "processing_share", "eu", "cobalt"),
        down(4, "import_reliance", "eu", "cobalt", "processing"), down(4, "dependency", "eu"))),
    # 65% cap: sourcing spreads away from the dominant supplier at once, at a cost
    Case("supplier-cap-ree", "eu-supplier-cap", {"mineral": "ree", "link": "processing", "supplier": "chn"}, (
        down(1, "hhi", "eu", "ree", "processing"), up(1, "cost", "eu"), up(1, "securitisation"),
        up(3, "processing_share", "eu", "ree"))),
    Case("supplier-cap-cobalt-ore", "eu-supplier-cap",
         {"mineral": "cobalt", "link": "extraction", "supplier": "drc"}, (
             down(1, "hhi", "eu", "cobalt", "extraction"), down(1, "affinity", "eu", "drc"),
             down(3, "hhi", "eu", "cobalt", "extraction"))),
    # Clean Industrial Deal (after CRMA projects): big spend now, lithium and graphite refining later
    Case("clean-industrial-deal", "eu-clean-industrial-deal", {}, (
        up(2, "cost_fiscal", "eu"), up(2, "lock_in", "eu"),
        up(4, "processing_share", "eu", "lithium"), up(4, "processing_share", "eu", "graphite"),
        up(4, "import_reliance", "eu", "ree", "processing")), turn=2, before=(CRMA_REE,)),
    # gallium and germanium recovery: own primary supply after two turns
    Case("gallium-recovery", "eu-gallium-recovery", {"mineral": "gallium"}, (
        up(1, "cost_fiscal", "eu"),
        down(3, "import_reliance", "eu", "gallium", "extraction"),
        up(3, "processing_share", "eu", "gallium"))),
    Case("germanium-recovery", "eu-gallium-recovery", {"mineral": "germanium"}, (
        down(3, "import_reliance", "eu", "germanium", "processing"),
        up(3, "processing_share", "eu", "germanium"))),
    # substitution research: the mineral weighs less for everyone at once, EU demand later
    Case("substitution", "eu-substitution-research", {"mineral": "ree"}, (
        down(1, "dependency", "eu"), down(1, "dependency", "usa"), down(1, "leverage", "chn"),
        flat(4, "import_reliance", "eu", "ree", "manufacturing"),
        down(5, "import_reliance", "eu", "ree", "manufacturing"))),
    # joint purchasing: a reserve, paid from the budget
    Case("joint-purchasing", "eu-joint-purchasing", {"mineral": "ree"}, (
        up(1, "stock", "eu", "ree"), up(1, "cost_fiscal", "eu"), up(1, "lock_in", "eu"))),
    # stock release (after joint purchasing): the reserve replaces imports for a year
    Case("stock-release", "eu-stock-release", {"mineral": "ree"}, (
        down(2, "stock", "eu", "ree"), down(2, "import_reliance", "eu", "ree", "processing")),
        turn=2, before=(STOCK_REE,)),
    # Global Gateway: a refinery in the host after three turns, goodwill now
    Case("global-gateway", "eu-global-gateway", {"host": "chl", "mineral": "lithium"}, (
        up(1, "affinity", "eu", "chl"), up(1, "cost_fiscal", "eu"),
        up(4, "processing_share", "chl", "lithium"))),
    # raw-materials partnership: goodwill, and cohesion when the partner is a club-mate
    Case("partnership-aus", "eu-raw-materials-partnership", {"partner": "aus"}, (
        up(1, "affinity", "eu", "aus"), up(1, "cohesion", "msp"))),
    Case("partnership-arg", "eu-raw-materials-partnership", {"partner": "arg"}, (
        up(1, "affinity", "eu", "arg"),)),
    # projects abroad (after a partnership): a mine in the partner four turns later
    Case("projects-abroad", "eu-projects-abroad", {"host": "arg", "mineral": "lithium"}, (
        up(2, "cost_fiscal", "eu"), up(2, "lock_in", "eu"),
        up(6, "cap", "arg", "lithium", "extraction"),
        up(6, "capacity_used", "arg", "lithium", "extraction")), turn=2, before=(PARTNER_ARG,)),
    # EU-US minimum price (G7 members, from turn 2): the budget pays the gap
    Case("minimum-price", "eu-minimum-price", {}, (
        up(2, "cost_fiscal", "eu"), up(2, "lock_in", "eu"), up(2, "affinity", "eu", "usa"),
        up(4, "cost_fiscal", "eu")), turn=2),
    # G7 action plan: refining across the G7, friction with MSP partners left out
    Case("g7-action-plan", "eu-g7-action-plan", {"mineral": "ree"}, (
        down(1, "cohesion", "msp"), down(1, "affinity", "eu", "aus"), down(1, "affinity", "eu", "kor"),
        up(4, "processing_share", "eu", "ree"), up(4, "processing_share", "usa", "ree"))),
    # agreement with the US: into the US free-trade club, Beijing cooler
    Case("us-agreement", "eu-us-minerals-agreement", {}, (
        up(1, "cohesion", "us-fta"), up(1, "lock_in", "eu"), down(1, "affinity", "eu", "chn"))),
    # anti-subsidy duty (from turn 2): cost up at once, securitisation up, no plant
    Case("anti-subsidy-duty", "eu-anti-subsidy-duty", {"mineral": "graphite"}, (
        up(2, "cost", "eu"), up(2, "securitisation"), down(2, "affinity", "eu", "chn"),
        flat(2, "cap", "eu", "graphite", "processing")), turn=2),
    # investment screening: securitisation and regulatory lock-in, cooler relations
    Case("fdi-screening", "eu-fdi-screening", {}, (
        up(1, "securitisation"), up(1, "lock_in", "eu"), down(1, "affinity", "eu", "chn"),
        down(1, "affinity", "eu", "rus"))),
    # de-risking dialogue: warmer relations with the chosen capital
    Case("dialogue-chn", "eu-derisking-dialogue", {"target": "chn"}, (up(1, "affinity", "eu", "chn"),)),
    Case("dialogue-usa", "eu-derisking-dialogue", {"target": "usa"}, (
        up(1, "affinity", "eu", "usa"), up(1, "cohesion", "g7"))),
]


def _horizon(case: Case) -> int:
    return max(e.turn for e in case.expect)


@pytest.fixture(scope="module")
def baseline(content):
    """Runs without the card under test, keyed by the prerequisite plays; to the last turn."""

    @lru_cache(maxsize=None)
    def run(before: tuple) -> Run:
        plays = tuple((t, c, dict(tg)) for t, c, tg in before)
        return play_game(content, plays, content.scenario.turns)

    return lambda before: run(tuple((t, c, tuple(sorted(tg.items()))) for t, c, tg in before))


def _tol(x: float) -> float:
    return 1e-9 * max(1.0, abs(x))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_card_moves_what_its_text_promises(content, baseline, case):
    played = play_game(content, case.before + ((case.turn, case.card, case.targets),), _horizon(case))
    quiet = baseline(case.before)
    problems = []
    for e in case.expect:
        with_card, without = e.get(played, e.turn), e.get(quiet, e.turn)
        ok = {+1: with_card > without + _tol(without), -1: with_card < without - _tol(without),
              0: abs(with_card - without) <= _tol(without)}[e.direction]
        if not ok:
            word = {+1: "up", -1: "down", 0: "unchanged"}[e.direction]
            problems.append(f"turn {e.turn}: {e.what} should be {word}: {with_card!r} with the card, "
                            f"{without!r} without")
    assert not problems, f"{case.card}: " + "; ".join(problems)


def test_the_table_covers_every_eu_card(content):
    deck = {c.id for c in content.team_cards(TEAM)}
    tested = {c.card for c in CASES}
    assert deck - tested == set(), f"EU cards without a test row: {sorted(deck - tested)}"
    assert tested - deck == set(), f"test rows for cards not in the EU deck: {sorted(tested - deck)}"
    assert len(deck) >= 16


# --- cards that only make sense in combination or at the right time ---------------------

REFUSED = [
    # (card, targets, turn it is tried, EU plays in earlier turns, expected reason)
    ("eu-stock-release", {"mineral": "ree"}, 2, (), "eu-joint-purchasing"),
    ("eu-projects-abroad", {"host": "arg", "mineral": "lithium"}, 2, (), "eu-raw-materials-partnership"),
    ("eu-clean-industrial-deal", {}, 2, (), "eu-crma-projects"),
    ("eu-minimum-price", {}, 1, (), "from turn 2"),
    ("eu-anti-subsidy-duty", {"mineral": "graphite"}, 1, (), "from turn 2"),
    ("eu-crma-extraction", {"mineral": "lithium"}, 5, (), "until turn 4"),
    ("eu-us-minerals-agreement", {}, 2, ((1, "eu-us-minerals-agreement", {}),), "non-member of us-fta"),
]


@pytest.mark.parametrize("card,targets,turn,before,reason", REFUSED, ids=[r[0] for r in REFUSED])
def test_card_is_refused_out_of_its_conditions(content, card, targets, turn, before, reason):
    s = Session.new(content, SEED)
    for t in range(1, turn):
        orders = [Order(card=c, targets=tg) for tt, c, tg in before if tt == t]
        if orders:
            s.submit(TEAM, orders, from_hand=False)
        s.resolve(explain=False)
    with pytest.raises(OrderError, match=reason):
        s.submit(TEAM, [Order(card=card, targets=targets)], from_hand=False)


def test_the_price_coordination_card_needs_the_g7(content, tmp_path):
    """Outside the G7 the EU cannot coordinate a minimum price with Washington."""
    dest = tmp_path / "cm"
    shutil.copytree(BUILTIN, dest)
    sc = yaml.safe_load((dest / "scenario.yaml").read_text())
    for bloc in sc["blocs"]:
        if bloc["id"] == "g7":
            bloc["members"] = [a for a in bloc["members"] if a != "eu"]
    (dest / "scenario.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True, sort_keys=False))
    s = Session.new(load_scenario(dest), SEED)
    s.resolve(explain=False)
    with pytest.raises(OrderError, match="member of g7"):
        s.submit(TEAM, [Order(card="eu-minimum-price")], from_hand=False)
