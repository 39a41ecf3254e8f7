"""Systemic feedback that runs after the market clears (BRIEF section 2).

Each rule takes the end-of-turn state and returns a changed copy plus
human-readable notes; the resolver measures what each rule moved and writes it
to the ledger under the rule's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np

from wargame.engine.meters import RowMeters, cohesion
from wargame.engine.news import News, Ref, news
from wargame.model.common import STAGES
from wargame.engine.world import (FISCAL, PROC, REGULATORY, SUPPLY_CHAIN, Index, Pending, World)

COERCIVE = ("restrict", "ban", "tariff", "royalty", "screen")


@dataclass
class Feedback:
    world: World
    notes: list[News]


FLOOR_ORIGIN, FLOOR_LABEL = "floor", "new supply drawn in by a price floor"


def _after_royalty(world: World, rules) -> np.ndarray:
    """(A, M, S) the share of the price a producer keeps: a royalty in force takes the part
    its buyers do not pay out of the margins of the state's mines and refineries, which
    then expand less in a boom (BRIEF 2.5: investor uncertainty)."""
    kept = np.ones(world.cap.shape)
    for m in world.measures:
        if m.kind == "royalty" and m.active(world.turn):
            kept[m.source, m.mineral, m.stage] *= 1.0 - (1.0 - rules.royalty_pass_through) * m.value
    return kept


def market_response(world: World, index: Index, rules, rows: RowMeters, floors: np.ndarray) -> Feedback:
    """Other supply restarts when prices are high; high-cost capacity closes when they crash;
    demand adjusts to price with a lag (BRIEF 2.9)."""
    notes: list[News] = []
    pending = list(world.pending)
    due = [world.turn + lead for lead in rules.investment_lead_times]  # mines take longest (BRIEF 1)
    cap = world.cap.copy()
    price = rows.price[None, :, :]  # (1, M, S)

    def downstream_max(x: np.ndarray) -> np.ndarray:
        return np.maximum.accumulate(x[:, ::-1], axis=1)[:, ::-1][None, :, :]

    # investors read the whole chain: a shortage of cathodes is a reason to build refineries
    # and mines as well, not only cathode plants (derived demand); a royalty takes its part of
    # both signals, and producers covered by a floor see the floor. They read where a price
    # is going: one still high from a shortage that has passed (prices move only part of the
    # way a year) is falling to its target, and draws no more than that target would
    kept = _after_royalty(world, rules)
    market = downstream_max(np.minimum(rows.price, rows.target)) * kept
    effective = np.maximum(market, floors)
    by_floor = floors > market  # (A, M, S) producers who read the floor, not the market
    boom = np.maximum(effective / rules.investment_threshold - 1.0,
                      rules.shortage_investment * downstream_max(rows.scarcity) * kept)
    # investors see only part of what others already have on the way: the root of over-investment
    planned = np.zeros_like(cap)
    mine = [p for p in world.pending if p.mechanism == "market response"] if rules.pipeline_awareness > 0 else []
    if mine:  # summed in booking order, as a loop would
        np.add.at(planned, tuple(np.array([p[1:4] for p in mine]).T), [p.amount for p in mine])
    # only producers running near capacity expand: the booking falls with utilisation, and
    # a producer running below ``investment_min_utilisation`` of the capacity it had this
    # turn books nothing (an exporter idled by its own ban or quota, a refinery cut off from
    # its ore; a mine that a flood left running flat out on what it has still expands); it
    # fades out over the 0.1 of utilisation below that, so a booking does not jump at the line
    out = np.transpose(rows.out, (1, 0, 2))
    now = np.transpose(rows.cap, (1, 0, 2))
    busy = np.clip(np.divide(out, cap * rules.normal_utilisation, out=np.zeros_like(cap), where=cap > 0),
                   0.0, 1.0)
    running = np.divide(out, now, out=np.zeros_like(now), where=now > 0)
    busy *= np.clip((running - rules.investment_min_utilisation) / 0.1 + 1.0, 0.0, 1.0)
    # however high the price, a producer books at most a share of its capacity in a year:
    # finance, permits and equipment do not scale with a price spike
    boom = np.minimum(rules.investment_response * boom, rules.investment_max_share)
    add = np.maximum(boom * cap * busy - rules.pipeline_awareness * planned, 0.0)
    hits = np.nonzero(add > 1e-9)
    actors, minerals, stages = (h.tolist() for h in hits)
    n = len(actors)
    # what a price floor drew in is booked (and explained) as the floor's, not as high prices
    floor_hit = by_floor[hits].tolist()
    # dozens a turn: made from columns (Pending._make over zipped lists is the quick way)
    pending.extend(map(Pending._make, zip([due[s] for s in stages], actors, minerals, stages,
                                          add[hits].tolist(), repeat(-1, n),
                                          [FLOOR_ORIGIN if f else "market" for f in floor_hit],
                                          [FLOOR_LABEL if f else "new supply drawn in by high prices" for f in floor_hit],
                                          repeat("market response", n))))
    for key, part in (("market_boom", add * ~by_floor), ("floor_boom", add * by_floor)):
        for m, s in zip(*np.nonzero(part.sum(axis=0) > 1e-9)):
            notes.append(news(index, key, mineral=Ref("mineral", index.minerals[m]),
                              amount=float(part[:, m, s].sum()), stage=Ref("stage", STAGES[s])))
    idle = np.where(np.maximum(price, floors) < 0.6, (0.6 - price) * 0.25, 0.0)
    if idle.any():
        cap = cap * (1.0 - idle)
        for m in np.flatnonzero(idle.any(axis=(0, 2))):
            notes.append(news(index, "market_idle", mineral=Ref("mineral", index.minerals[m])))
    eps = index.elasticity[None, :]
    target = rows.price[:, 2][None, :] ** (-eps)
    demand_price = world.demand_price + rules.demand_adjustment * (target - world.demand_price)
    return Feedback(world.evolve(cap=cap, pending=tuple(pending), demand_price=demand_price), notes)


def backlash(world: World, index: Index, rules, rows: RowMeters) -> Feedback:
    """Targets of coercion build their own capacity and substitutes, and sour on the
    wielder, eroding its leverage over time (BRIEF 2.2)."""
    notes: list[News] = []
    pressure = world.pressure * 0.5
    subst = world.subst.copy()
    affinity = world.affinity.copy()
    pending = list(world.pending)
    for meas in world.measures:
        if meas.kind != "restrict" or not meas.active(world.turn):
            continue
        m, s, w = meas.mineral, meas.stage, meas.source
        hub = float(rows.out[m, w, s] / max(rows.out[m, :, s].sum(), 1e-12))
        for t in meas.targets:
            exposure = float(rows.import_reliance[m, t, s]) * hub
            if exposure <= 1e-6:
                continue
            pressure[t, m] += meas.value * exposure
            subst[m] += rules.backlash_substitution * meas.value * exposure / max(len(meas.targets), 1)
            d = rules.backlash_affinity * meas.value
            affinity[w, t] = affinity[t, w] = max(-1.0, affinity[w, t] - d)
    due = world.turn + rules.backlash_lead_time
    demand = world.demand(index)
    # a target under pressure aims to refine at home a share of its need that grows with
    # the pressure (all of it at full pressure), and builds towards that aim: its own
    # refineries, and any on their way whoever pays for them, count against it, so a
    # drive that goes on for several years never builds past what the target needs
    pressed = np.nonzero(pressure > 1e-6)
    have = world.cap[:, :, PROC].copy()
    coming = [p for p in pending if p.stage == PROC] if len(pressed[0]) else []
    if coming:
        np.add.at(have, (np.array([p.actor for p in coming]), np.array([p.mineral for p in coming])),
                  np.array([p.amount for p in coming]))
    for t, m in zip(*pressed):
        aim = min(1.0, pressure[t, m]) * demand[t, m]
        amount = rules.backlash_rate * max(0.0, aim - have[t, m])
        if amount > 1e-9:
            pending.append(Pending(due, int(t), int(m), PROC, float(amount), int(t), "backlash",
                                   "self-reliance drive after coercion", "backlash"))
            notes.append(news(index, "backlash", actor=Ref("actor", index.actors[t]),
                              mineral=Ref("mineral", index.minerals[m]), amount=float(amount), due=int(due)))
    return Feedback(world.evolve(pressure=pressure, subst=np.clip(subst, 0.0, 0.95), affinity=affinity,
                            pending=tuple(pending)), notes)


def securitisation(world: World, rules) -> Feedback:
    """Each coercive measure in force pushes the global securitisation index up; it
    decays slowly when measures lapse (BRIEF 2.3)."""
    # one measure, one push: a royalty levied on ore and on refined exports alike is one
    # measure held at two stages, so measures are counted apart from their stage
    seen = {(m.kind, m.mineral, m.source, m.targets, m.value, m.start, m.end, m.origin): m
            for m in world.measures if m.kind in COERCIVE and m.active(world.turn)}
    load = sum(min(m.value, 1.0) * (rules.screen_securitisation if m.kind == "screen" else 1.0)
               for m in seen.values())
    g = world.securitisation * (1.0 - rules.securitisation_decay) + rules.securitisation_per_measure * load
    g = min(1.0, max(0.0, float(g)))
    notes = [news(None, "secur_drift", before=world.securitisation, after=g)] \
        if abs(g - world.securitisation) > 1e-4 else []
    return Feedback(world.evolve(securitisation=g), notes)


def lock_in(world: World, rules, spent_now: np.ndarray) -> Feedback:
    """Sunk costs reinforce themselves while a path keeps being fed, and decay slowly
    when it is not (BRIEF 2.6)."""
    fed = spent_now > 1e-9
    grown = world.lock_in * (1.0 - rules.lock_in_decay) + rules.lock_in_growth * world.lock_in * fed
    return Feedback(world.evolve(lock_in=grown), [])


def thresholds(world: World, index: Index, rules) -> Feedback:
    """De-internalisation: lock-in breaks under fiscal tightening, a technology shift that
    removes the need, or a rupture of the alliance network (BRIEF 2.8)."""
    notes: list[News] = []
    flags = list(world.flags)
    lock = world.lock_in.copy()
    pending = list(world.pending)
    pressure = fiscal_pressure(world, index, rules)
    for a in np.flatnonzero(pressure > rules.fiscal_threshold):
        flag = f"fiscal:{index.actors[a]}"
        if flag not in flags:
            flags.append(flag)
            lock[a, FISCAL] *= 0.5
            pending = [p if not (p.investor == a and p.mechanism == "friend-shoring")
                       else p._replace(amount=p.amount * 0.5) for p in pending]
            notes.append(news(index, "fiscal_cut", actor=Ref("actor", index.actors[a])))
    fall = 1.0 - world.demand_shift.sum(axis=0) / len(index.actors)
    for m in np.flatnonzero(fall > rules.technology_threshold):
        flag = f"technology:{index.minerals[m]}"
        if flag not in flags:
            flags.append(flag)
            share = world.spent[:, m] / np.maximum(world.spent.sum(axis=1), 1e-9)
            lock *= (1.0 - share)[:, None]
            notes.append(news(index, "technology", mineral=Ref("mineral", index.minerals[m])))
    coh = cohesion(world.affinity, world.member, index.bloc_size)
    for b in np.flatnonzero(coh < rules.rupture_threshold):
        flag = f"rupture:{index.blocs[b]}"
        if flag not in flags and world.member[b].sum() >= 2:
            flags.append(flag)
            members = world.member[b] > 0
            lock[members, REGULATORY] *= 0.5
            lock[members, SUPPLY_CHAIN] *= 0.5
            notes.append(news(index, "rupture", bloc=Ref("bloc", index.blocs[b]), cohesion=float(coh[b])))
    return Feedback(world.evolve(lock_in=lock, flags=tuple(flags), pending=tuple(pending)), notes)


def fiscal_pressure(world: World, index: Index, rules) -> np.ndarray:
    """Smoothed fiscal spending as a share of the fiscal room per turn (BRIEF 2.7)."""
    room = index.gdp * 1000.0 * rules.fiscal_room_share * world.fiscal_room
    return world.fiscal_load / np.maximum(room, 1e-9)


__all__ = ["market_response", "backlash", "securitisation", "lock_in", "thresholds", "fiscal_pressure"]
