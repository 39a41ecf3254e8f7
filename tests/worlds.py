"""A small hand-built world and a driver for the engine's conformance tests.

The world, in one picture (units per turn):

    actor     kind      role                                   rare (REE-like)         lith (lithium-like)
                                                               ext / proc / mfg / dem  ext / proc / mfg / dem
    wielder   mixed     processing hub (China-like)            40 / 100 / 50 / 40       10 / 70 / 40 / 35
    target    consumer  import-dependent consumer (US-like)     0 /  2 / 30 / 30        0 /  0 / 20 / 25
    ally      consumer  the target's ally (EU-like)             0 /  0 / 25 / 25        0 /  0 / 20 / 20
    miner     producer  resource state, holds the ore          60 /  0 /  0 /  0       50 /  5 /  0 /  0
    row       mixed     rest of world, a minor supplier        10 / 10 / 10 / 10       30 / 20 / 15 / 10

Blocs: ``club`` = target, ally, row (an MSP-like club); ``belt`` = wielder, miner.
Affinity: target-ally +0.7, target-row +0.3, ally-row +0.3; the wielder is a rival of
target (-0.5) and ally (-0.4); the miner is neutral to everyone (0), except +0.2 with
the wielder. Stockpile: the target holds 10 units of rare.

Use it like an adjudicator table: ``given this state and these cards, expect these
meter movements``::

    g = run([[play("wielder", restrict("rare", ["target"], 0.8))]])
    assert g.m(1, "cost", "target") > g.m(0, "cost", "target")
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
from pydantic import TypeAdapter

from wargame.engine.effects import Play
from wargame.engine.resolve import TurnResult, baseline, resolve
from wargame.engine.world import Index, World, build_world
from wargame.model.effects import Effect
from wargame.model.scenario import Scenario

ACTORS = ("wielder", "target", "ally", "miner", "row")
MINERALS = ("rare", "lith")

_EFFECT = TypeAdapter(Effect)


def _name(x: str) -> dict[str, str]:
    return {"en": x.capitalize(), "zh": x}


def scenario_dict(**rules: Any) -> dict:
    """The small world as a plain dict (copy it and edit it to build variants)."""
    return {
        "id": "conformance",
        "name": _name("conformance world"),
        "description": _name("a small hand-built world for engine tests"),
        "start_year": 2026,
        "turns": 12,
        "rules": dict(rules),
        "minerals": [
            {"id": "rare", "name": _name("rare"), "price": 60.0, "price_source": "test",
             "strategic_weight": 2.0, "substitutability": 0.1, "demand_elasticity": 0.3},
            {"id": "lith", "name": _name("lith"), "price": 15.0, "price_source": "test",
             "strategic_weight": 1.0, "substitutability": 0.2, "demand_elasticity": 0.5},
        ],
        "actors": [
            {"id": "wielder", "name": _name("wielder"), "kind": "mixed", "gdp": 18.0},
            {"id": "target", "name": _name("target"), "kind": "consumer", "gdp": 27.0},
            {"id": "ally", "name": _name("ally"), "kind": "consumer", "gdp": 18.0},
            {"id": "miner", "name": _name("miner"), "kind": "producer", "gdp": 1.0},
            {"id": "row", "name": _name("row"), "kind": "mixed", "gdp": 10.0},
        ],
        "teams": [
            {"id": "east", "name": _name("east"), "actors": ["wielder"], "decks": ["d"]},
            {"id": "west", "name": _name("west"), "actors": ["target", "ally"], "decks": ["d"]},
            {"id": "south", "name": _name("south"), "actors": ["miner"], "decks": ["d"]},
        ],
        "blocs": [
            {"id": "club", "name": _name("club"), "members": ["target", "ally", "row"]},
            {"id": "belt", "name": _name("belt"), "members": ["wielder", "miner"]},
        ],
        "capacity": [
            {"mineral": "rare", "stage": "extraction", "source": "test",
             "values": {"wielder": 40, "miner": 60, "row": 10}},
            {"mineral": "rare", "stage": "processing", "source": "test",
             "values": {"wielder": 100, "target": 2, "row": 10}},
            {"mineral": "rare", "stage": "manufacturing", "source": "test",
             "values": {"wielder": 50, "target": 30, "ally": 25, "row": 10}},
            {"mineral": "lith", "stage": "extraction", "source": "test",
             "values": {"wielder": 10, "miner": 50, "row": 30}},
            {"mineral": "lith", "stage": "processing", "source": "test",
             "values": {"wielder": 70, "miner": 5, "row": 20}},
            {"mineral": "lith", "stage": "manufacturing", "source": "test",
             "values": {"wielder": 40, "target": 20, "ally": 20, "row": 15}},
        ],
        "demand": [
            {"mineral": "rare", "source": "test",
             "values": {"wielder": 40, "target": 30, "ally": 25, "row": 10}},
            {"mineral": "lith", "source": "test",
             "values": {"wielder": 35, "target": 25, "ally": 20, "row": 10}},
        ],
        "stockpiles": [
            {"mineral": "rare", "source": "test", "values": {"target": 10}},
        ],
        "affinity": {"default": 0.0, "pairs": [
            {"between": ["target", "ally"], "value": 0.7},
            {"between": ["target", "row"], "value": 0.3},
            {"between": ["ally", "row"], "value": 0.3},
            {"between": ["wielder", "target"], "value": -0.5},
            {"between": ["wielder", "ally"], "value": -0.4},
            {"between": ["wielder", "miner"], "value": 0.2},
        ]},
    }


def small_scenario(**rules: Any) -> Scenario:
    return Scenario.model_validate(scenario_dict(**rules))


def edited(edit, **rules: Any) -> Scenario:
    """A variant of the small world: ``edit(d)`` changes the dict in place."""
    d = copy.deepcopy(scenario_dict(**rules))
    edit(d)
    return Scenario.model_validate(d)


# --- effects and plays ---------------------------------------------------------------

def effect(kind: str, **fields: Any):
    """An effect primitive validated by its pydantic model, e.g. ``effect("securitise", delta=0.2)``."""
    return _EFFECT.validate_python({"kind": kind, **fields})


def restrict(mineral: str, to: Sequence[str], severity: float, duration: int = 1,
             stage: str = "processing"):
    return effect("restrict_exports", mineral=mineral, to=list(to), severity=severity,
                  duration=duration, stage=stage)


@dataclass(frozen=True)
class Card:
    """A card as the tests play it: who plays it and its effects (targets already literal)."""

    actor: str | None
    effects: tuple
    label: str = "card"


def play(actor: str | None, *effects, label: str | None = None) -> Card:
    return Card(actor, tuple(effects), label or (effects[0].kind if effects else "card"))


# --- running -------------------------------------------------------------------------

@dataclass
class Game:
    """The history of a run: ``meters[0]`` is the baseline, ``meters[t]`` after turn t."""

    index: Index
    rules: Any
    worlds: list[World]
    meters: list[dict[str, np.ndarray]]
    results: list[TurnResult] = field(default_factory=list)
    causes: list[list[str]] = field(default_factory=list)  # cause ids of each turn's plays

    def a(self, actor: str) -> int:
        return self.index.actor_pos[actor]

    def mi(self, mineral: str) -> int:
        return self.index.mineral_pos[mineral]

    def b(self, bloc: str) -> int:
        return self.index.bloc_pos[bloc]

    def m(self, t: int, meter: str, *keys: str) -> float:
        """A meter after turn ``t`` (0 = baseline), keyed by actor / bloc / mineral names."""
        arr = self.meters[t][meter]
        pos = []
        for k in keys:
            for table in (self.index.actor_pos, self.index.mineral_pos, self.index.bloc_pos):
                if k in table:
                    pos.append(table[k])
                    break
            else:
                raise KeyError(k)
        return float(np.asarray(arr)[tuple(pos)])

    def world(self, t: int) -> World:
        return self.worlds[t]

    @property
    def last(self) -> World:
        return self.worlds[-1]

    def cap(self, t: int, actor: str, mineral: str, stage: int) -> float:
        return float(self.worlds[t].cap[self.a(actor), self.mi(mineral), stage])

    def ledger(self, t: int):
        return self.results[t - 1].ledger

    def next(self, cards: Iterable[Card] = ()) -> "Game":
        """Resolve one more turn with the given cards (in place); returns self."""
        w, prev = self.worlds[-1], self.meters[-1]
        turn = w.turn + 1
        plays, causes = [], []
        for k, c in enumerate(cards):
            actor = None if c.actor is None else self.a(c.actor)
            cause = f"t{turn}/{c.actor or 'inject'}/{k}"
            plays.append(Play(cause=cause, label=c.label, card=c.label, team=None, actor=actor,
                              effects=tuple(c.effects)))
            causes.append(cause)
        res = resolve(w, self.index, self.rules, plays, previous=prev)
        self.results.append(res)
        self.worlds.append(res.world)
        self.meters.append(res.meters)
        self.causes.append(causes)
        return self


def start(scenario: Scenario | None = None) -> Game:
    """A game at turn 0 (baseline meters computed, nothing resolved)."""
    sc = scenario or small_scenario()
    index, w0 = build_world(sc)
    w0, m0 = baseline(w0, index, sc.rules)
    return Game(index=index, rules=sc.rules, worlds=[w0], meters=[m0])


def run(turns: Sequence[Iterable[Card]], scenario: Scenario | None = None, extra: int = 0) -> Game:
    """Resolve one turn per entry of ``turns`` (each a list of cards), then ``extra`` quiet turns."""
    g = start(scenario)
    for cards in turns:
        g.next(cards)
    for _ in range(extra):
        g.next(())
    return g


def quiet(n: int, scenario: Scenario | None = None) -> Game:
    """The counterfactual: ``n`` turns with no cards played."""
    return run([[] for _ in range(n)], scenario)


def ledger_value(meters: dict[str, np.ndarray], index: Index, meter: str, key: str) -> float:
    """The value of one ledger entry, ``meter[key]``, keyed the way ledger lines are
    ("" for a global meter, an id, or "actor/mineral")."""
    arr = np.asarray(meters[meter])
    if key == "":
        return float(arr)
    stages = {"extraction": 0, "processing": 1, "manufacturing": 2}
    pos = []
    for part in key.split("/"):
        for table in (index.actor_pos, index.mineral_pos, index.bloc_pos, stages):
            if part in table:
                pos.append(table[part])
                break
        else:
            raise KeyError(part)
    return float(arr[tuple(pos)])


def ledger_keys_of(index: Index) -> list[tuple[str, str]]:
    """Every (meter, key) the ledger explains."""
    from wargame.engine.resolve import ledger_keys

    return ledger_keys(index)


def ledger_gaps(game: Game, t: int) -> dict[tuple[str, str], float]:
    """For turn ``t``: per ledger entry, (sum of its ledger lines) - (the meter's actual change).
    Every value is ~0 when the ledger is complete."""
    sums: dict[tuple[str, str], float] = {}
    for line in game.ledger(t):
        sums[(line.meter, line.key)] = sums.get((line.meter, line.key), 0.0) + line.delta
    out = {}
    for meter, key in ledger_keys_of(game.index):
        change = (ledger_value(game.meters[t], game.index, meter, key)
                  - ledger_value(game.meters[t - 1], game.index, meter, key))
        out[(meter, key)] = sums.pop((meter, key), 0.0) - change
    assert not sums, f"ledger lines for entries that are not ledger meters: {sorted(sums)}"
    return out


__all__ = ["ACTORS", "MINERALS", "scenario_dict", "small_scenario", "edited", "effect", "restrict",
           "Card", "play", "Game", "start", "run", "quiet", "ledger_value", "ledger_keys_of",
           "ledger_gaps"]
