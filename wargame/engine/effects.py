"""Each effect primitive, implemented once.

All orders of a turn are resolved simultaneously: every effect is evaluated
against the world at the start of the turn (who is a rival, who belongs to
which bloc, how much capacity there is), never against another order of the
same turn. An effect does not change the world directly; it returns a
``Contribution``, which the resolver adds up. Keeping each play's
contribution separate is what lets the ledger say which card did what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from wargame.engine.news import News, Ref, Refs, news
from wargame.engine.world import (EXT, FISCAL, PROC, REGULATORY, SUPPLY_CHAIN, Index, Measure,
                                  Pending, World)
from wargame.model import effects as fx
from wargame.model.common import STAGES


class EffectError(ValueError):
    """A play that cannot be applied: an unknown reference, or a missing target."""


@dataclass(frozen=True)
class Play:
    """A card in play: its effects with the targets bound, and who plays it."""

    cause: str  # stable id, e.g. "t3/us/0" or "t3/inject/1"
    label: str  # what a person calls it: the card's English name
    card: str
    team: str | None
    actor: int | None  # index of the playing actor; None for events
    effects: tuple[fx._Effect, ...]
    bindings: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Contribution:
    cause: str
    label: str
    actor: int | None
    measures: list[Measure] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    build: list[tuple[int, int, float]] = field(default_factory=list)
    release: list[tuple[int, int, float]] = field(default_factory=list)
    demand_now: list[tuple[int, tuple[int, ...], float]] = field(default_factory=list)
    cap_now: list[tuple[int, int, int, float]] = field(default_factory=list)
    affinity: list[tuple[int, int, float, str]] = field(default_factory=list)
    member: list[tuple[int, int, float]] = field(default_factory=list)
    securitisation: float = 0.0
    fiscal: list[tuple[int, int, float, int]] = field(default_factory=list)  # actor, mineral, bn, path
    regulatory: list[tuple[int, float]] = field(default_factory=list)  # lock-in without spending
    subst: list[tuple[int, float]] = field(default_factory=list)
    fiscal_room: list[tuple[int, float]] = field(default_factory=list)
    divest: list[tuple[int, tuple[int, ...], float]] = field(default_factory=list)
    mechanisms: set[str] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)
    news: list[News] = field(default_factory=list)


MECHANISM_OF: dict[str, str] = {
    "restrict_exports": "weaponised interdependence",
    "ore_export_ban": "resource nationalism",
    "tariff": "trade defence",
    "royalty": "resource nationalism",
    "subsidise_capacity": "friend-shoring",
    "invest_abroad": "supply-chain internalisation",
    "join_bloc": "club formation",
    "leave_bloc": "club exit",
    "adjust_affinity": "diplomacy",
    "price_floor": "market support",
    "stockpile": "stockpiling",
    "screen_investment": "investment screening",
    "shift_demand": "technology shift",
    "change_substitutability": "substitution",
    "securitise": "pan-securitisation",
    "disrupt_supply": "supply shock",
    "fiscal_shock": "fiscal pressure",
}


class Ctx:
    """What an effect needs to read: the start-of-turn world and the play's bindings."""

    def __init__(self, world: World, index: Index, rules, play: Play, turn: int):
        self.world, self.index, self.rules, self.play, self.turn = world, index, rules, play, turn

    def _bound(self, ref: str) -> str:
        if ref.startswith("$"):
            name = ref[1:]
            if name not in self.play.bindings:
                raise EffectError(f"{self.play.card}: target '{name}' was not chosen")
            return self.play.bindings[name]
        return ref

    @property
    def me(self) -> int:
        if self.play.actor is None:
            raise EffectError(f"{self.play.card}: 'self' has no meaning for an event")
        return self.play.actor

    def mineral(self, ref: str) -> int:
        key = self._bound(ref)
        if key not in self.index.mineral_pos:
            raise EffectError(f"{self.play.card}: unknown mineral '{key}'")
        return self.index.mineral_pos[key]

    def stage(self, ref: str) -> int:
        key = self._bound(ref)
        if key not in STAGES:
            raise EffectError(f"{self.play.card}: unknown stage '{key}'")
        return STAGES.index(key)

    def bloc(self, ref: str) -> int:
        key = self._bound(ref)
        if key not in self.index.bloc_pos:
            raise EffectError(f"{self.play.card}: unknown bloc '{key}'")
        return self.index.bloc_pos[key]

    def actors(self, refs: Sequence[str] | str) -> tuple[int, ...]:
        """Resolve references to a sorted tuple of actor indices."""
        if isinstance(refs, str):
            refs = [refs]
        idx, w = self.index, self.world
        A = len(idx.actors)
        found: set[int] = set()
        for ref in refs:
            key = self._bound(ref)
            if key == "self":
                found.add(self.me)
            elif key == "all":
                found.update(range(A))
            elif key == "others":
                found.update(a for a in range(A) if a != self.me)
            elif key == "rivals":
                row = w.affinity[self.me]
                found.update(int(a) for a in np.flatnonzero(row < self.rules.rival_threshold) if a != self.me)
            elif key == "allies":
                blocs = w.member[:, self.me] > 0
                mates = w.member[blocs].sum(axis=0) > 0 if blocs.any() else np.zeros(A, bool)
                found.update(int(a) for a in np.flatnonzero(mates) if a != self.me)
            elif key in idx.actor_pos:
                found.add(idx.actor_pos[key])
            elif key in idx.bloc_pos:
                found.update(int(a) for a in np.flatnonzero(w.member[idx.bloc_pos[key]] > 0))
            else:
                raise EffectError(f"{self.play.card}: unknown actor or bloc '{key}'")
        return tuple(sorted(found))

    def measure(self, kind: str, mineral: int, stage: int, source: int, targets: tuple[int, ...],
                value: float, duration: int) -> Measure:
        return Measure(kind, mineral, stage, source, targets, float(value), self.turn,
                       self.turn + duration - 1, self.play.cause, self.play.label)

    def pending(self, actor: int, mineral: int, stage: int, amount: float, due: int,
                investor: int, mechanism: str) -> Pending:
        return Pending(due, actor, mineral, stage, float(amount), investor, self.play.cause,
                       self.play.label, mechanism)

    # references for news lines (wargame.engine.news), worded in the reader's language later
    def ref(self, a: int) -> Ref:
        return Ref("actor", self.index.actors[a])

    def refs(self, actors: Iterable[int], empty: str = "blank") -> Refs:
        return Refs(tuple(self.ref(a) for a in actors), empty)

    def mref(self, m: int) -> Ref:
        return Ref("mineral", self.index.minerals[m])

    def bref(self, b: int) -> Ref:
        return Ref("bloc", self.index.blocs[b])

    @staticmethod
    def sref(s: int) -> Ref:
        return Ref("stage", STAGES[s])

    def news(self, key: str, **args) -> News:
        return news(self.index, key, **args)


def _screened(ctx: Ctx, host: int, investor: int) -> bool:
    return any(m.kind == "screen" and m.active(ctx.turn) and m.source == host and investor in m.targets
               for m in ctx.world.measures)


def _restrict(ctx: Ctx, e: fx.RestrictExports, c: Contribution) -> None:
    m, s, me = ctx.mineral(e.mineral), ctx.stage(e.stage), ctx.me
    targets = tuple(t for t in ctx.actors(e.to) if t != me)
    c.measures.append(ctx.measure("restrict", m, s, me, targets, e.severity, e.duration))
    c.touched.add(m)
    c.news.append(ctx.news("restrict", actor=ctx.ref(me), stage=ctx.sref(s), mineral=ctx.mref(m), n=len(targets),
                           severity=e.severity, turns=e.duration))


def _ore_buyers(ctx: Ctx, m: int, me: int) -> list[int]:
    """Those with a stake in a state's ore: every other actor that refines the mineral."""
    refines = ctx.world.cap[:, m, PROC] > 0
    return [a for a in range(len(ctx.index.actors)) if a != me and refines[a]]


def _ore_ban(ctx: Ctx, e: fx.OreExportBan, c: Contribution) -> None:
    m, me, r = ctx.mineral(e.mineral), ctx.me, ctx.rules
    others = tuple(a for a in range(len(ctx.index.actors)) if a != me)
    c.measures.append(ctx.measure("ban", m, EXT, me, others, e.severity, e.duration))
    c.touched.add(m)
    # smelters for the ore the state sold abroad: what its mines dig beyond what its own
    # refineries, built or on their way, already take
    w = ctx.world
    coming = sum(p.amount for p in w.pending if p.actor == me and p.mineral == m and p.stage == PROC)
    exported = max(0.0, float(w.cap[me, m, EXT] - w.cap[me, m, PROC]) - coming)
    build = e.processing_build * e.severity * exported
    # the smelters come in over three years around the lead time (a 2-4 year ramp)
    for k, share in ((-1, 0.25), (0, 0.45), (1, 0.30)):
        due = ctx.turn + max(1, e.lead_time + k)
        c.pending.append(ctx.pending(me, m, PROC, build * share, due, me, "resource nationalism"))
    for a in _ore_buyers(ctx, m, me):
        c.affinity.append((me, a, -r.investor_unease * e.severity, "investor unease"))
    c.news.append(ctx.news("ore_ban", actor=ctx.ref(me), mineral=ctx.mref(m), severity=e.severity, build=build))


def _tariff(ctx: Ctx, e: fx.Tariff, c: Contribution) -> None:
    m, s, me = ctx.mineral(e.mineral), ctx.stage(e.stage), ctx.me
    on = tuple(t for t in ctx.actors(e.on) if t != me)
    c.measures.append(ctx.measure("tariff", m, s, me, on, e.rate, e.duration))
    c.touched.add(m)
    c.news.append(ctx.news("tariff", actor=ctx.ref(me), rate=e.rate, stage=ctx.sref(s), mineral=ctx.mref(m),
                           n=len(on)))


def _royalty(ctx: Ctx, e: fx.Royalty, c: Contribution) -> None:
    m, me = ctx.mineral(e.mineral), ctx.me
    others = tuple(a for a in range(len(ctx.index.actors)) if a != me)
    # on what the state sells abroad, as ore or refined (Chile sells its lithium as carbonate)
    c.measures.append(ctx.measure("royalty", m, EXT, me, others, e.rate, e.duration))
    c.measures.append(ctx.measure("royalty", m, PROC, me, others, e.rate, e.duration))
    c.touched.add(m)
    for a in _ore_buyers(ctx, m, me):
        c.affinity.append((me, a, -ctx.rules.investor_unease * e.rate, "investor unease"))
    c.news.append(ctx.news("royalty", actor=ctx.ref(me), mineral=ctx.mref(m), rate=e.rate))


def _subsidise(ctx: Ctx, e: fx.SubsidiseCapacity, c: Contribution) -> None:
    """Friend-shoring: capacity goes to eligible producers; excluded allies resent it."""
    m, s, me, r, w = ctx.mineral(e.mineral), ctx.stage(e.stage), ctx.me, ctx.rules, ctx.world
    excluded = set(ctx.actors(e.exclude)) if e.exclude else set()
    eligible = [a for a in ctx.actors(e.eligible) if a not in excluded]
    weights = np.array([w.cap[a, m, s] + 0.5 * w.cap[a, m, max(s - 1, 0)] for a in eligible])
    if weights.sum() <= 0:
        weights = np.ones(len(eligible))
    if me in eligible:  # the subsidiser's own industry gets a home share
        weights[eligible.index(me)] += weights.sum()
    weights = weights / weights.sum() if len(eligible) else weights
    for a, share in zip(eligible, weights):
        c.pending.append(ctx.pending(a, m, s, e.amount * share, ctx.turn + e.lead_time, me, "friend-shoring"))
    # a programme open to allies builds a joint supply chain; a purely national one is fiscal
    path = FISCAL if eligible == [me] else SUPPLY_CHAIN
    c.fiscal.append((me, m, e.fiscal_cost, path))
    allies = set(ctx.actors("allies"))
    # only a club with origin rules discriminates: purely national support snubs nobody
    club = any(a != me for a in eligible)
    snubbed = sorted(a for a in allies if a not in eligible) if club else []
    # one programme snubs an ally once, however many minerals the card covers
    charged = {(i, j, why) for i, j, _, why in c.affinity}
    for a in snubbed:
        if (me, a, "friend-shoring friction") not in charged:
            c.affinity.append((me, a, -r.friction_per_exclusion, "friend-shoring friction"))
    # second-round externality: producers left out of the club look for other partners
    for a in range(len(ctx.index.actors)) if club else ():
        if ctx.index.producer[a] and a not in eligible and a != me and a not in allies \
                and (me, a, "fragmentation") not in charged:
            c.affinity.append((me, a, -r.fragmentation_rate, "fragmentation"))
    c.news.append(ctx.news("subsidise", actor=ctx.ref(me), amount=e.amount, stage=ctx.sref(s), mineral=ctx.mref(m),
                           cost=e.fiscal_cost, n=len(eligible), excluded=ctx.refs(snubbed, "none")))


def _invest_abroad(ctx: Ctx, e: fx.InvestAbroad, c: Contribution) -> None:
    m, s, me = ctx.mineral(e.mineral), ctx.stage(e.stage), ctx.me
    hosts = ctx.actors(e.host)
    open_hosts = [h for h in hosts if not _screened(ctx, h, me)]
    for h in open_hosts:
        c.pending.append(ctx.pending(h, m, s, e.amount / len(open_hosts), ctx.turn + e.lead_time, me,
                                     "supply-chain internalisation"))
        c.affinity.append((me, h, 0.05, "investment ties"))
    blocked = [h for h in hosts if h not in open_hosts]
    if open_hosts:
        c.fiscal.append((me, m, e.fiscal_cost, SUPPLY_CHAIN))
    c.news.append(ctx.news("invest_blocked" if blocked else "invest", actor=ctx.ref(me), amount=e.amount,
                           stage=ctx.sref(s), mineral=ctx.mref(m), hosts=ctx.refs(open_hosts, "nowhere"),
                           blocked=ctx.refs(blocked)))


def _join(ctx: Ctx, e: fx.JoinBloc, c: Contribution) -> None:
    b = ctx.bloc(e.bloc)
    for a in ctx.actors(e.actor):
        if ctx.world.member[b, a] > 0:
            continue
        c.member.append((b, a, 1.0))
        for other in np.flatnonzero(ctx.world.member[b] > 0):
            c.affinity.append((a, int(other), 0.1, "club accession"))
        c.regulatory.append((a, 1.0))
        c.news.append(ctx.news("join", actor=ctx.ref(a), bloc=ctx.bref(b)))


def _leave(ctx: Ctx, e: fx.LeaveBloc, c: Contribution) -> None:
    b, r = ctx.bloc(e.bloc), ctx.rules
    for a in ctx.actors(e.actor):
        if ctx.world.member[b, a] <= 0:
            continue
        c.member.append((b, a, -1.0))
        sunk = float(ctx.world.lock_in[a, REGULATORY] + ctx.world.lock_in[a, SUPPLY_CHAIN])
        penalty = r.reversal_cost_per_lock_in * sunk
        c.fiscal.append((a, -1, penalty, -1))
        for other in np.flatnonzero(ctx.world.member[b] > 0):
            if other != a:
                c.affinity.append((a, int(other), -0.1 - 0.02 * sunk, "reversal of a locked-in path"))
        c.news.append(ctx.news("leave", actor=ctx.ref(a), bloc=ctx.bref(b), cost=penalty))


def _affinity(ctx: Ctx, e: fx.AdjustAffinity, c: Contribution) -> None:
    me = ctx.me
    for a in ctx.actors(e.with_):
        if a != me:
            c.affinity.append((me, a, e.delta, "diplomacy"))
    c.news.append(ctx.news("affinity_up" if e.delta > 0 else "affinity_down", actor=ctx.ref(me),
                           others=ctx.refs([a for a in ctx.actors(e.with_) if a != me], "nobody")))


def _floor(ctx: Ctx, e: fx.PriceFloor, c: Contribution) -> None:
    m, me = ctx.mineral(e.mineral), ctx.me
    covered = ctx.actors(e.covers)
    c.measures.append(ctx.measure("floor", m, PROC, me, covered, e.level, e.duration))
    c.touched.add(m)
    c.regulatory.append((me, 0.5))
    c.news.append(ctx.news("floor", actor=ctx.ref(me), level=e.level, mineral=ctx.mref(m), n=len(covered)))


def _stockpile(ctx: Ctx, e: fx.Stockpile, c: Contribution) -> None:
    m, me = ctx.mineral(e.mineral), ctx.me
    if e.action == "build":
        c.build.append((me, m, e.amount))
        if e.fiscal_cost:
            c.fiscal.append((me, m, e.fiscal_cost, FISCAL))
    else:
        amount = min(e.amount, float(ctx.world.stock[me, m]))  # no more than is held
        c.release.append((me, m, amount))
    c.touched.add(m)
    c.news.append(ctx.news("stock_build" if e.action == "build" else "stock_release", actor=ctx.ref(me),
                           mineral=ctx.mref(m), amount=e.amount if e.action == "build" else amount))


def _screen(ctx: Ctx, e: fx.ScreenInvestment, c: Contribution) -> None:
    me = ctx.me
    against = tuple(a for a in ctx.actors(e.against) if a != me)
    c.measures.append(ctx.measure("screen", -1, -1, me, against, 1.0, e.duration))
    if e.divest > 0:
        c.divest.append((me, against, e.divest))
    for a in against:
        c.affinity.append((me, a, -0.03, "investment screening"))
    c.regulatory.append((me, 0.5))
    c.news.append(ctx.news("screen_divest" if e.divest else "screen", actor=ctx.ref(me), n=len(against),
                           divest=e.divest))


def _shift_demand(ctx: Ctx, e: fx.ShiftDemand, c: Contribution) -> None:
    m = ctx.mineral(e.mineral)
    who = ctx.actors(e.actors)
    if e.lead_time == 0:
        c.demand_now.append((m, who, e.change))
        c.touched.add(m)
    else:
        for a in who:
            c.pending.append(ctx.pending(a, m, -1, e.change, ctx.turn + e.lead_time, -1, "technology shift"))
    c.news.append(ctx.news("demand_now" if e.lead_time == 0 else "demand_later", mineral=ctx.mref(m),
                           change=e.change, turns=e.lead_time))


def _subst(ctx: Ctx, e: fx.ChangeSubstitutability, c: Contribution) -> None:
    m = ctx.mineral(e.mineral)
    c.subst.append((m, e.delta))
    c.touched.add(m)
    c.news.append(ctx.news("subst_easier" if e.delta > 0 else "subst_harder", mineral=ctx.mref(m)))


def _securitise(ctx: Ctx, e: fx.Securitise, c: Contribution) -> None:
    c.securitisation += e.delta
    c.news.append(ctx.news("secur_up" if e.delta > 0 else "secur_down", delta=e.delta))


def _disrupt(ctx: Ctx, e: fx.DisruptSupply, c: Contribution) -> None:
    m, s = ctx.mineral(e.mineral), ctx.stage(e.stage)
    who = ctx.actors(e.actors)
    for a in who:
        c.measures.append(ctx.measure("disrupt", m, s, a, (a,), e.fraction, e.duration))
    c.touched.add(m)
    c.news.append(ctx.news("shock", fraction=e.fraction, stage=ctx.sref(s), mineral=ctx.mref(m),
                           who=ctx.refs(who), turns=e.duration))


def _fiscal_shock(ctx: Ctx, e: fx.FiscalShock, c: Contribution) -> None:
    who = ctx.actors(e.actors)
    for a in who:
        c.fiscal_room.append((a, e.delta))
    c.news.append(ctx.news("fiscal_tight" if e.delta < 0 else "fiscal_loose", who=ctx.refs(who), delta=e.delta))


APPLY: dict[str, Callable[[Ctx, object, Contribution], None]] = {
    "restrict_exports": _restrict,
    "ore_export_ban": _ore_ban,
    "tariff": _tariff,
    "royalty": _royalty,
    "subsidise_capacity": _subsidise,
    "invest_abroad": _invest_abroad,
    "join_bloc": _join,
    "leave_bloc": _leave,
    "adjust_affinity": _affinity,
    "price_floor": _floor,
    "stockpile": _stockpile,
    "screen_investment": _screen,
    "shift_demand": _shift_demand,
    "change_substitutability": _subst,
    "securitise": _securitise,
    "disrupt_supply": _disrupt,
    "fiscal_shock": _fiscal_shock,
}


def contribute(world: World, index: Index, rules, play: Play, turn: int) -> Contribution:
    """Evaluate every effect of one play against the start-of-turn world."""
    ctx = Ctx(world, index, rules, play, turn)
    c = Contribution(cause=play.cause, label=play.label, actor=play.actor)
    for effect in play.effects:
        APPLY[effect.kind](ctx, effect, c)
        c.mechanisms.add(MECHANISM_OF[effect.kind])
    return c
