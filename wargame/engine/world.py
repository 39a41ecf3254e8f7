"""The world state as numpy arrays over actors x minerals x stages.

``World`` is immutable by convention: the engine never changes an array in
place once a World has been returned, it builds a new one (``replace``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Iterable, NamedTuple

import numpy as np

from wargame.model.common import STAGES
from wargame.model.scenario import UNIT_KT, Scenario

EXT, PROC, MFG = 0, 1, 2
PATHS: tuple[str, str, str] = ("fiscal", "regulatory", "supply_chain")
FISCAL, REGULATORY, SUPPLY_CHAIN = 0, 1, 2


@dataclass(frozen=True)
class Index:
    """Static facts of a scenario in array form: ids, weights and baselines."""

    actors: tuple[str, ...]
    minerals: tuple[str, ...]
    blocs: tuple[str, ...]
    actor_kind: tuple[str, ...]
    base_price: np.ndarray  # (M,) USD per kg at the processing stage
    stage_mult: np.ndarray  # (S,) price of a stage relative to processing
    unit_kt: np.ndarray  # (M,) kt in one unit of the mineral (gallium in t: 0.001)
    weight: np.ndarray  # (M,) strategic weight
    elasticity: np.ndarray  # (M,) demand elasticity
    growth: np.ndarray  # (M,) demand growth per turn
    gdp: np.ndarray  # (A,) USD trillion
    producer: np.ndarray  # (A,) bool, actor kind == producer
    capacity_trend: float  # share of the demand trend that planned capacity follows
    bloc_size: np.ndarray  # (B,) members of each bloc at turn 0
    actor_names: tuple[str, ...] = field(repr=False)  # English display names, for news
    mineral_names: tuple[str, ...] = field(repr=False)
    bloc_names: tuple[str, ...] = field(repr=False)
    actor_pos: dict[str, int] = field(repr=False)
    mineral_pos: dict[str, int] = field(repr=False)
    bloc_pos: dict[str, int] = field(repr=False)

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.actors), len(self.minerals), len(STAGES)

    def english(self, kind: str, ident: str) -> str:
        """The English display name of an actor, mineral or bloc id; any other id as it is."""
        if kind == "actor":
            pos, names = self.actor_pos, self.actor_names
        elif kind == "mineral":
            pos, names = self.mineral_pos, self.mineral_names
        elif kind == "bloc":
            pos, names = self.bloc_pos, self.bloc_names
        else:
            return ident
        k = pos.get(ident)
        return ident if k is None else names[k]


@dataclass(frozen=True)
class Measure:
    """A time-limited policy in force: restriction, tariff, royalty, floor, screen or disruption."""

    kind: str  # restrict | tariff | royalty | floor | screen | disrupt
    mineral: int  # -1 when it applies to no single mineral (screen)
    stage: int
    source: int  # actor that imposes it (or suffers it, for a disruption)
    targets: tuple[int, ...]  # actors it applies to
    value: float  # severity, rate, price level or fraction
    start: int  # first turn in force
    end: int  # last turn in force
    origin: str  # cause id, e.g. "t2/china/0"
    label: str  # card name, for explanations

    def active(self, turn: int) -> bool:
        return self.start <= turn <= self.end


class Pending(NamedTuple):
    """Capacity (or a demand change) on its way, arriving at turn ``due``. A named tuple:
    a busy market books dozens of these a turn, and a tuple is quick to make."""

    due: int
    actor: int
    mineral: int
    stage: int  # -1 for a demand change
    amount: float  # capacity units, or a fractional demand change
    investor: int  # who paid for it (for screening), -1 for the market
    origin: str
    label: str
    mechanism: str


@dataclass(frozen=True)
class World:
    turn: int
    cap: np.ndarray  # (A, M, S) capacity per turn
    base_demand: np.ndarray  # (A, M) final demand at turn 0
    demand_shift: np.ndarray  # (A, M) multiplier from technology shifts
    demand_price: np.ndarray  # (A, M) multiplier from the price response
    price: np.ndarray  # (M, S) price index, 1.0 at turn 0
    stock: np.ndarray  # (A, M) strategic stockpiles
    affinity: np.ndarray  # (A, A) symmetric, in [-1, 1]
    member: np.ndarray  # (B, A) 1.0 where the actor belongs to the bloc
    subst: np.ndarray  # (M,) substitutability in [0, 0.95]
    securitisation: float
    lock_in: np.ndarray  # (A, 3) sunk costs by path, USD bn
    spent: np.ndarray  # (A, M) cumulative fiscal commitments by mineral, USD bn
    fiscal_room: np.ndarray  # (A,) multiplier on fiscal room (shocks move it)
    fiscal_load: np.ndarray  # (A,) smoothed fiscal spending per turn, USD bn
    pressure: np.ndarray  # (A, M) backlash pressure on targets of coercion
    base_cost: np.ndarray  # (A,) economic cost at turn 0, USD m (index base)
    base_volume: np.ndarray  # (A,) needs at turn 0 valued at baseline prices, USD m
    base_util: np.ndarray  # (M, S) capacity utilisation at turn 0, where prices are at rest
    base_starved: np.ndarray  # (M, S) share of capacity cut off from its input at turn 0
    measures: tuple[Measure, ...] = ()
    pending: tuple[Pending, ...] = ()
    flags: tuple[str, ...] = ()  # thresholds already crossed, e.g. "rupture:msp"

    def evolve(self, **changes) -> "World":
        """A copy with ``changes``: what ``dataclasses.replace`` does, without running the
        frozen ``__init__`` field by field (a turn makes several copies)."""
        unknown = changes.keys() - _WORLD_FIELDS
        if unknown:
            raise TypeError(f"World has no field {sorted(unknown)[0]!r}")
        new = object.__new__(World)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def demand(self, index: Index) -> np.ndarray:
        """Final demand this turn: baseline x trend x technology x price response."""
        trend = (1.0 + index.growth) ** self.turn
        return self.base_demand * trend[None, :] * self.demand_shift * self.demand_price

    def digest(self) -> str:
        """SHA-256 of a canonical dump; floats rounded so the hash is stable across BLAS builds."""
        h = hashlib.sha256()
        h.update(f"turn={self.turn};g={self.securitisation:.6f};".encode())
        for name in ("cap", "base_demand", "demand_shift", "demand_price", "price", "stock",
                     "affinity", "member", "subst", "lock_in", "spent", "fiscal_room",
                     "fiscal_load", "pressure", "base_cost", "base_volume", "base_util", "base_starved"):
            arr = np.asarray(getattr(self, name), dtype=np.float64)
            h.update(name.encode())
            h.update(np.round(arr, 6).astype("<f8").tobytes())
        for m in self.measures:
            h.update(repr((m.kind, m.mineral, m.stage, m.source, m.targets, round(m.value, 6),
                           m.start, m.end, m.origin)).encode())
        for p in self.pending:
            h.update(repr((p.due, p.actor, p.mineral, p.stage, round(p.amount, 6), p.investor,
                           p.origin)).encode())
        h.update(repr(self.flags).encode())
        return h.hexdigest()


_WORLD_FIELDS = frozenset(World.__dataclass_fields__)


def _rows(values: Iterable[tuple[str, float]], pos: dict[str, int]) -> Iterable[tuple[int, float]]:
    for key, value in values:
        yield pos[key], float(value)


def build_world(scenario: Scenario) -> tuple[Index, World]:
    """Turn a validated scenario into its index and its world at turn 0 (before any meters)."""
    actors = tuple(a.id for a in scenario.actors)
    minerals = tuple(m.id for m in scenario.minerals)
    blocs = tuple(b.id for b in scenario.blocs)
    apos = {a: i for i, a in enumerate(actors)}
    mpos = {m: i for i, m in enumerate(minerals)}
    bpos = {b: i for i, b in enumerate(blocs)}
    A, M, S, B = len(actors), len(minerals), len(STAGES), len(blocs)
    rules = scenario.rules

    index = Index(
        actors=actors,
        minerals=minerals,
        blocs=blocs,
        actor_kind=tuple(a.kind for a in scenario.actors),
        base_price=np.array([m.price for m in scenario.minerals], dtype=float),
        stage_mult=np.array(rules.stage_price_multipliers, dtype=float),
        unit_kt=np.array([UNIT_KT[m.unit] for m in scenario.minerals], dtype=float),
        weight=np.array([m.strategic_weight for m in scenario.minerals], dtype=float),
        elasticity=np.array([m.demand_elasticity for m in scenario.minerals], dtype=float),
        growth=np.array([m.demand_growth for m in scenario.minerals], dtype=float),
        gdp=np.array([a.gdp for a in scenario.actors], dtype=float),
        producer=np.array([a.kind == "producer" for a in scenario.actors]),
        capacity_trend=rules.capacity_tracks_demand,
        bloc_size=np.array([len(set(b.members)) for b in scenario.blocs], dtype=float),
        actor_names=tuple(a.name.en for a in scenario.actors),
        mineral_names=tuple(m.name.en for m in scenario.minerals),
        bloc_names=tuple(b.name.en for b in scenario.blocs),
        actor_pos=apos,
        mineral_pos=mpos,
        bloc_pos=bpos,
    )

    cap = np.zeros((A, M, S))
    for row in scenario.capacity:
        s = STAGES.index(row.stage)
        for a, v in _rows(row.values.items(), apos):
            cap[a, mpos[row.mineral], s] = v
    demand = np.zeros((A, M))
    for row in scenario.demand:
        for a, v in _rows(row.values.items(), apos):
            demand[a, mpos[row.mineral]] = v
    stock = np.zeros((A, M))
    for row in scenario.stockpiles:
        for a, v in _rows(row.values.items(), apos):
            stock[a, mpos[row.mineral]] = v
    affinity = np.full((A, A), scenario.affinity.default)
    for pair in scenario.affinity.pairs:
        i, j = apos[pair.between[0]], apos[pair.between[1]]
        affinity[i, j] = affinity[j, i] = pair.value
    np.fill_diagonal(affinity, 1.0)
    member = np.zeros((B, A))
    for b in scenario.blocs:
        for a in b.members:
            member[bpos[b.id], apos[a]] = 1.0

    world = World(
        turn=0,
        cap=cap,
        base_demand=demand,
        demand_shift=np.ones((A, M)),
        demand_price=np.ones((A, M)),
        price=np.ones((M, S)),
        stock=stock,
        affinity=affinity,
        member=member,
        subst=np.array([m.substitutability for m in scenario.minerals], dtype=float),
        securitisation=0.0,
        lock_in=np.zeros((A, 3)),
        spent=np.zeros((A, M)),
        fiscal_room=np.ones(A),
        fiscal_load=np.zeros(A),
        pressure=np.zeros((A, M)),
        base_cost=np.ones(A),
        base_volume=np.ones(A),
        base_util=np.full((M, S), rules.normal_utilisation),
        base_starved=np.zeros((M, S)),
    )
    return index, world


__all__ = ["Index", "World", "Measure", "Pending", "build_world", "replace", "EXT", "PROC", "MFG",
           "PATHS", "FISCAL", "REGULATORY", "SUPPLY_CHAIN"]
