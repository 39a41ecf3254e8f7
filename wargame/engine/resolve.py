"""One turn of the resolution engine: ``resolve(world, plays) -> TurnResult``.

Fixed order, documented in docs/MODEL.md:

1. Capacity and demand changes due this turn arrive; lapsed measures end.
2. Every play is evaluated against that start-of-turn world (simultaneous orders).
3. The three stages clear for every mineral, with all measures in force.
4. Prices move; meters are computed.
5. For the ledger, the turn is cleared again without each play (and without each
   arrival of capacity), but only for the minerals that play touched.
6. Systemic feedback runs: market response, backlash, securitisation, lock-in,
   de-internalisation thresholds; what each moved goes to the ledger by name.

Pure: no I/O, no clock, no randomness, no global state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import product
from collections.abc import Sequence as SequenceABC
from typing import NamedTuple, Sequence

import numpy as np

from wargame.engine import mechanisms as mech
from wargame.engine.effects import Contribution, Play, contribute
from wargame.engine.market import StageMods, clear_market, preference
from wargame.engine.news import Ref, news as news_line
from wargame.engine.meters import (DETAIL_METERS, HEADLINE_METERS, LEDGER_METERS, RowMeters, View, detail,
                                   detail_rows, flat, headline, measures_rows, parts_of, row_meters)
from wargame.engine.world import FISCAL, REGULATORY, Index, Measure, World
from wargame.model.common import STAGES

TOL = 1e-6
# In worlds this small, one dense clearing path for every row costs less than splitting rows
# between the factored and the dense path (numpy call overhead dominates the arithmetic).
DENSE_UP_TO = 48
# at most this many rows x actors^2 cleared in one batch (about 32 MB an array): a turn of
# many plays in a world of hundreds of actors is cleared in slices of rows
BATCH_ELEMENTS = 4_000_000


class LedgerLine(NamedTuple):
    """One attributed meter change: ``meter[key]`` moved by ``delta`` because of ``cause``."""

    meter: str
    key: str
    delta: float
    cause: str  # a play's cause id, "mechanism:<name>", or "carry-over"
    label: str
    mechanism: str


class Ledger(SequenceABC):
    """The ledger of a turn, kept as arrays; lines become ``LedgerLine`` tuples only when read."""

    def __init__(self, keys: list[tuple[str, str]], chunks: list[tuple[np.ndarray, np.ndarray, str, str, str]]):
        self._keys = keys
        self._chunks = chunks  # (key indices, deltas, cause, label, mechanism)
        self._lines: tuple[LedgerLine, ...] | None = None

    def _materialise(self) -> tuple[LedgerLine, ...]:
        if self._lines is None:
            keys = self._keys
            self._lines = tuple(
                LedgerLine(keys[i][0], keys[i][1], float(d), cause, label, mechanism)
                for idx, delta, cause, label, mechanism in self._chunks
                for i, d in zip(idx.tolist(), delta.tolist()))
        return self._lines

    @property
    def keys(self) -> list[tuple[str, str]]:
        """(meter, key) of every meter value a line can name, by index."""
        return self._keys

    def chunks(self) -> list[tuple[np.ndarray, np.ndarray, str, str, str]]:
        """The lines as arrays, one chunk per cause: (indices into ``keys``, deltas, cause,
        label, mechanism); for bulk reading without a tuple per line."""
        return self._chunks

    def __len__(self) -> int:
        return sum(len(idx) for idx, *_ in self._chunks)

    def __getitem__(self, i):
        return self._materialise()[i]

    def __iter__(self):
        return iter(self._materialise())

    def __eq__(self, other) -> bool:
        return tuple(self) == tuple(other)

    def __repr__(self) -> str:
        return f"Ledger({len(self)} lines)"


@dataclass(frozen=True)
class TurnResult:
    world: World
    meters: dict[str, np.ndarray]
    ledger: Sequence[LedgerLine]
    news: tuple[str, ...]  # News lines: English text that can be worded in Chinese
    events: tuple[str, ...] = field(default=())
    # (M, S, A, A) the turn's realised flows, exporter -> importer, per mineral and stage;
    # None in worlds too large for the dense clearing path
    flows: np.ndarray | None = field(default=None, repr=False, compare=False)


@dataclass
class Inputs:
    cap: np.ndarray  # undisrupted capacity after arrivals
    cap_eff: np.ndarray
    demand: np.ndarray
    demand_shift: np.ndarray
    build: np.ndarray
    release: np.ndarray
    subst: np.ndarray
    measures: list[Measure]


def _arrivals(world: World, turn: int) -> tuple[list[Contribution], tuple]:
    """Pending items due now, grouped by origin into contributions of their own."""
    groups: dict[str, Contribution] = {}
    keep = []
    for p in world.pending:
        if p.due > turn:
            keep.append(p)
            continue
        key = f"arrival:{p.origin}"
        c = groups.get(key)
        if c is None:
            label = (f"capacity from {p.label}" if p.stage >= 0 else f"demand change from {p.label}")
            c = groups[key] = Contribution(cause=key, label=label, actor=None)
            c.mechanisms.add(p.mechanism)
        if p.stage >= 0:
            c.cap_now.append((p.actor, p.mineral, p.stage, p.amount))
        else:
            c.demand_now.append((p.mineral, (p.actor,), p.amount))
        c.touched.add(p.mineral)
    ordered = [groups[k] for k in sorted(groups)]
    return ordered, tuple(keep)


def _inputs(world: World, index: Index, contribs: Sequence[Contribution], exclude: int | None,
            measures_then: list[Measure], turn: int) -> Inputs:
    cap = world.cap.copy()
    shift = world.demand_shift.copy()
    A, M = shift.shape
    build = np.zeros((A, M))
    release = np.zeros((A, M))
    subst = world.subst.copy()
    measures = list(measures_then)
    for k, c in enumerate(contribs):
        if k == exclude:
            continue
        for a, m, s, amount in c.cap_now:
            cap[a, m, s] += amount
        for m, who, change in c.demand_now:
            shift[list(who), m] *= 1.0 + change
        for a, m, amount in c.build:
            build[a, m] += amount
        for a, m, amount in c.release:
            release[a, m] += amount
        for m, d in c.subst:
            subst[m] += d
        measures.extend(c.measures)
    release = np.minimum(release, world.stock)
    trend = (1.0 + index.growth) ** turn
    # planned expansions keep pace with the demand trend (a share set by the rules)
    cap_eff = cap * (1.0 + index.capacity_trend * (trend - 1.0))[None, :, None]
    for meas in measures:
        if meas.kind == "disrupt" and meas.active(turn):
            cap_eff[meas.source, meas.mineral, meas.stage] *= 1.0 - meas.value
    demand = world.base_demand * trend[None, :] * shift * world.demand_price
    return Inputs(cap, cap_eff, demand, shift, build, release, np.clip(subst, 0.0, 0.95),
                  [m for m in measures if m.active(turn)])


def _mods(measures_by_row: list[list[Measure]], A: int, pass_through: float) -> dict[int, StageMods | None]:
    """Dense severity, wedge and royalty matrices for the rows that take the dense path:
    every row in a small world, otherwise the rows with a trade measure at the stage.
    Buyers pay ``pass_through`` of a royalty; the state earns all of it (the rest comes
    out of the margins of its mines)."""
    out: dict[int, StageMods | None] = {}
    dense_all = A <= DENSE_UP_TO
    R = len(measures_by_row)
    for s in range(3):
        here = [[m for m in ms if m.stage == s and m.kind in ("restrict", "ban", "tariff", "royalty")]
                for ms in measures_by_row]
        rows = list(range(R)) if dense_all else [r for r in range(R) if here[r]]
        if not rows:
            out[s] = None
            continue
        if not any(here):  # every row dense, none with a measure here: shared zeros
            none = np.zeros((len(rows), A, A))
            out[s] = StageMods(np.array(rows), none, none, none)
            continue
        keep = np.ones((len(rows), A, A))
        wedge = np.zeros((len(rows), A, A))
        roy = np.zeros((len(rows), A, A))
        for k, r in enumerate(rows):
            for m in here[r]:
                t = list(m.targets)
                if m.kind in ("restrict", "ban"):
                    keep[k, m.source, t] *= 1.0 - m.value
                elif m.kind == "tariff":
                    wedge[k, t, m.source] += m.value
                else:
                    wedge[k, m.source, t] += pass_through * m.value
                    roy[k, m.source, t] += m.value
        out[s] = StageMods(np.array(rows), 1.0 - keep, wedge, roy)
    return out


def _state(world: World, index: Index, contribs: Sequence[Contribution], exclude: int | None, rules):
    """Non-market state after the plays: affinity, blocs, securitisation, spending, lock-in."""
    A, M = world.spent.shape
    affinity = world.affinity.copy()
    member = world.member.copy()
    g = world.securitisation
    lock = world.lock_in.copy()
    spent = world.spent.copy()
    spend_now = np.zeros(A)
    spend_path = np.zeros((A, 3))
    room = world.fiscal_room.copy()
    for k, c in enumerate(contribs):
        if k == exclude:
            continue
        for i, j, d, _ in c.affinity:
            affinity[i, j] = affinity[j, i] = min(1.0, max(-1.0, affinity[i, j] + d))
        for b, a, sign in c.member:
            member[b, a] = 1.0 if sign > 0 else 0.0
        g = g + c.securitisation
        for a, m, bn, path in c.fiscal:
            spend_now[a] += bn
            if m >= 0:
                spent[a, m] += bn
            if path >= 0:
                lock[a, path] += bn
                spend_path[a, path] += bn
        for a, amount in c.regulatory:
            lock[a, REGULATORY] += amount
            spend_path[a, REGULATORY] += amount
        for a, d in c.fiscal_room:
            room[a] = max(0.1, room[a] * (1.0 + d))
    np.fill_diagonal(affinity, 1.0)
    return affinity, member, min(1.0, max(0.0, g)), lock, spent, spend_now, spend_path, room


def _floors(measures: list[Measure], A: int, M: int) -> np.ndarray:
    floors = np.zeros((A, M, 3))
    for m in measures:
        if m.kind == "floor":
            for a in m.targets:
                floors[a, m.mineral, m.stage] = max(floors[a, m.mineral, m.stage], m.value)
    return floors


def _rivalry_news(before: np.ndarray, after: np.ndarray, index: Index, threshold: float) -> list:
    """A line for each pair of actors that became rivals this turn, or stopped being rivals:
    rivalry is a threshold on affinity, and crossing it moves every rival-reliance meter
    between the two from the next turn on."""
    was, now = before < threshold, after < threshold
    was, now = was | was.T, now | now.T
    changed = np.argwhere(np.triu(was != now, 1))
    return [news_line(index, "rivals" if now[i, j] else "rivals_end", actor=Ref("actor", index.actors[i]),
                 other=Ref("actor", index.actors[j]), affinity=float(min(after[i, j], after[j, i])))
            for i, j in changed]


def ledger_keys(index: Index) -> list[tuple[str, str]]:
    """(meter, key) for every entry of the flattened ledger meters, in order."""
    return _keys(index.actors, index.blocs, index.minerals)


@lru_cache(maxsize=16)
def _keys(actors: tuple[str, ...], blocs: tuple[str, ...], minerals: tuple[str, ...]) -> list[tuple[str, str]]:
    axes = {"actor": actors, "bloc": blocs, "mineral": minerals, "stage": STAGES}
    return [(name, "/".join(combo)) for name, dims in LEDGER_METERS.items()
            for combo in product(*(axes[d] for d in dims))]


def _slices(idx: np.ndarray, values: np.ndarray, ends: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(idx, values) cut into consecutive pieces ending at ``ends``."""
    return [(idx[s:e], values[s:e]) for s, e in zip([0] + ends[:-1], ends)]


def _hits_by_row(delta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each row of ``delta`` (N, L), the entries worth a ledger line: (indices, deltas)."""
    rows, cols = np.nonzero(np.abs(delta) > TOL)
    ends = np.cumsum(np.bincount(rows, minlength=len(delta))).tolist()
    return _slices(cols, delta[rows, cols], ends)


class Rows(NamedTuple):
    """The market inputs of some minerals of one variant of the turn, row by row (kept
    instead of the variant's whole inputs: a turn of many plays holds only what it clears)."""

    minerals: list[int]
    cap: list[np.ndarray]  # (A, S) each
    demand: list[np.ndarray]  # (A,) each
    build: list[np.ndarray]
    release: list[np.ndarray]
    measures: list[list[Measure]]
    subst: np.ndarray  # (M,) the variant's substitutability


def _slice(A: int) -> int:
    """How many rows (or views) of actors x actors arrays a batch holds (BATCH_ELEMENTS)."""
    return max(1, BATCH_ELEMENTS // (A * A))


def _rows(inp: Inputs, ms: list[int]) -> Rows:
    """The rows of minerals ``ms``: in a large world as copies (a slice would keep the whole
    inputs alive), in a small one as slices (quicker, and the inputs are small)."""
    A, M, _ = inp.cap_eff.shape
    take = (lambda x: x.copy()) if M > _slice(A) else (lambda x: x)  # noqa: E731
    return Rows(list(ms), [take(inp.cap_eff[:, m, :]) for m in ms], [take(inp.demand[:, m]) for m in ms],
                [take(inp.build[:, m]) for m in ms], [take(inp.release[:, m]) for m in ms],
                measures_rows(inp.measures, np.array(ms, dtype=int)), inp.subst)


def _market(world: World, index: Index, rules, inputs_list: list[Rows]):
    """Clear the listed minerals of every variant in one batch; returns the rows (in batch
    order), the mineral of each row, and where each variant's rows start."""
    minerals, cap, dem, build, release, measures = [], [], [], [], [], []
    spans = []
    for part in inputs_list:
        spans.append((len(minerals), len(minerals) + len(part.minerals)))
        minerals += part.minerals
        cap += part.cap
        dem += part.demand
        build += part.build
        release += part.release
        measures += part.measures
    minerals_arr = np.array(minerals, dtype=int)
    A = len(index.actors)
    pref = preference(world.affinity, rules, world.securitisation)
    cap_a, dem_a, build_a, release_a = np.array(cap), np.array(dem), np.array(build), np.array(release)
    # rows clear independently: a batch too large to hold at once (many plays in a world of
    # hundreds of actors) is cleared a slice of rows at a time, so memory stays bounded
    step = _slice(A)
    parts, flows = [], None
    for lo in range(0, len(minerals_arr), step):
        hi = min(lo + step, len(minerals_arr))
        res = clear_market(cap_a[lo:hi], dem_a[lo:hi], build_a[lo:hi], release_a[lo:hi], pref,
                           _mods(measures[lo:hi], A, rules.royalty_pass_through), rules.clearing_rounds,
                           rules.tariff_elasticity)
        ms = minerals_arr[lo:hi]
        parts.append(row_meters(res, ms, world.price[ms], measures[lo:hi], index, rules, world.securitisation,
                                world.base_util[ms], world.base_starved[ms]))
        if lo == 0 and res.flows is not None and hi >= len(inputs_list[0].minerals):
            flows = res.flows[:len(inputs_list[0].minerals)]
    rows = parts[0] if len(parts) == 1 else RowMeters(**{
        k: np.concatenate([getattr(p, k) for p in parts]) for k in RowMeters.__dataclass_fields__})
    return rows, minerals_arr, [a for a, _ in spans], flows


def _headlines(parts, rowmap: np.ndarray, views: list[View], index: Index, base) -> dict[str, np.ndarray]:
    """``headline`` for every view, a slice of views at a time when their actors x actors
    states would not fit one batch (see BATCH_ELEMENTS)."""
    step = _slice(len(index.actors))
    if len(views) <= step:
        return headline(parts, rowmap, views, index, base)
    chunks = [headline(parts, rowmap[lo:lo + step], views[lo:lo + step], index, base)
              for lo in range(0, len(views), step)]
    return {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]}


def _base(world: World, index: Index, rules) -> tuple[np.ndarray, ...]:
    room = index.gdp * 1e6 * rules.fiscal_room_share  # a year's fiscal room, USD m
    return world.base_cost, world.base_volume, rules.cost_floor_share * room, rules.cost_base_room_share * room


def _view(w: World, spend: np.ndarray) -> View:
    return View(w.subst, w.affinity, w.member, w.lock_in, w.securitisation, spend)


def baseline(world: World, index: Index, rules) -> tuple[World, dict[str, np.ndarray]]:
    """Turn-0 meters, with no plays; fixes the cost index base so cost is 100 at turn 0."""
    M = len(index.minerals)
    inp = _inputs(world, index, [], None, list(world.measures), world.turn)
    rows, minerals, _, _ = _market(world, index, rules, [_rows(inp, list(range(M)))])
    rows = replace(rows, price=world.price.copy())  # turn 0 is the baseline: no price move
    world = world.evolve(base_cost=rows.econ.sum(axis=0),
                    base_volume=np.maximum(rows.volume.sum(axis=0), 1e-6),
                    base_util=np.where(rows.util > 0.0, rows.util, rules.normal_utilisation),
                    base_starved=rows.starved)
    parts = parts_of(rows, minerals, index)
    spend = np.zeros(len(index.actors))
    head = headline(parts, np.arange(M)[None, :], [_view(world, spend)], index, _base(world, index, rules))
    fp = mech.fiscal_pressure(world, index, rules)
    return world, {k: v[0] for k, v in head.items()} | detail(rows, fp)


def resolve(world: World, index: Index, rules, plays: Sequence[Play],
            previous: dict[str, np.ndarray] | None = None, explain: bool = True) -> TurnResult:
    """Resolve one turn. ``previous`` are last turn's meters (for the ledger's totals).

    With ``explain=False`` no ledger is built (bulk simulation). The new world and
    meters are the same either way but for the last bits: without the ledger's rows the
    market clears a smaller batch, so a game is replayed the way it was played."""
    turn = world.turn + 1
    A, M = len(index.actors), len(index.minerals)
    arrivals, pending_left = _arrivals(world, turn)
    start = world.evolve(turn=turn, pending=pending_left,
                    measures=tuple(m for m in world.measures if m.end >= turn))
    plays_c = [contribute(start, index, rules, p, turn) for p in plays]
    contribs: list[Contribution] = arrivals + plays_c
    measures_then = [m for m in start.measures if m.active(turn)]

    full = _inputs(start, index, contribs, None, measures_then, turn)
    batch: list[Rows] = [_rows(full, list(range(M)))]
    variants: list[int] = []
    for k, c in enumerate(contribs):
        if c.touched and explain:
            batch.append(_rows(_inputs(start, index, contribs, k, measures_then, turn), sorted(c.touched)))
            variants.append(k)
    rows_all, minerals_all, offsets, flows = _market(start, index, rules, batch)
    rows = rows_all.take(slice(0, M))  # the full world, mineral by mineral

    affinity, member, g, lock, spent, spend_now, spend_path, room = _state(start, index, contribs, None, rules)
    # a price floor's top-ups are budget spending like a card's, on the fiscal path
    floor_bn = rows.floor_paid.sum(axis=0) / 1000.0
    fiscal_load = 0.5 * start.fiscal_load + spend_now + floor_bn
    if floor_bn.any():
        spend_path = spend_path.copy()
        spend_path[:, FISCAL] += floor_bn
    identity = np.arange(M)

    # --- ledger views: each play left out in turn (its touched minerals' rows swapped in) ----
    views: list[View] = [View(full.subst, affinity, member, lock, g, spend_now)]
    rowmaps: list[np.ndarray] = [identity]
    offset_of = dict(zip(variants, offsets[1:]))
    if explain:
        for k, c in enumerate(contribs):
            rowmap = identity.copy()
            subst = full.subst
            if k in offset_of:
                touched = sorted(c.touched)
                rowmap[touched] = offset_of[k] + np.arange(len(touched))
                subst = batch[1 + variants.index(k)].subst
            if c.affinity or c.member or c.securitisation or c.fiscal or c.regulatory or c.fiscal_room:
                v_aff, v_member, v_g, v_lock, _, v_spend, _, _ = _state(start, index, contribs, k, rules)
            else:  # a play that moves no state leaves it as the turn's (shared, never written to)
                v_aff, v_member, v_g, v_lock, v_spend = affinity, member, g, lock, spend_now
            views.append(View(subst, v_aff, v_member, v_lock, v_g, v_spend))
            rowmaps.append(rowmap)

    # --- new state --------------------------------------------------------------------
    stock = np.maximum(start.stock + rows.build.T - rows.release.T, 0.0)
    pending = list(start.pending)
    divested = []
    for c in contribs:
        pending.extend(c.pending)
        for host, against, frac in c.divest:
            divested.append((host, set(against), frac))
    if divested:
        pending = [p if not any(p.actor == h and p.investor in ag for h, ag, _ in divested)
                   else p._replace(amount=p.amount * (1.0 - max(f for h, ag, f in divested
                                                                if p.actor == h and p.investor in ag)))
                   for p in pending]
    new_measures = list(start.measures)
    for c in contribs:
        new_measures.extend(c.measures)
    after = start.evolve(cap=full.cap, demand_shift=full.demand_shift, price=rows.price.copy(),
                    stock=stock, affinity=affinity, member=member, subst=full.subst, securitisation=g,
                    lock_in=lock, spent=spent, fiscal_room=room, fiscal_load=fiscal_load,
                    measures=tuple(new_measures), pending=tuple(pending))

    # --- systemic feedback, each step measured for the ledger ---------------------------
    news = [line for c in plays_c for line in c.news]
    events: list[str] = []
    floors = _floors(full.measures, A, M)
    # (name, label, rule, can it move a ledger meter this turn?)  The market response only
    # changes what comes next turn (new capacity on its way, demand adjusting).
    steps = (
        ("market response", "market response to prices",
         lambda w: mech.market_response(w, index, rules, rows, floors), False),
        ("backlash", "backlash against coercion", lambda w: mech.backlash(w, index, rules, rows), True),
        ("pan-securitisation", "securitisation spreading", lambda w: mech.securitisation(w, rules), True),
        ("path lock-in", "sunk costs building on themselves, or wearing off", lambda w: mech.lock_in(w, rules, spend_path), True),
        ("de-internalisation", "a threshold was crossed", lambda w: mech.thresholds(w, index, rules), True),
    )
    step_names: list[tuple[str, str]] = []
    for name, label, step, visible in steps:
        fb = step(after)
        after = fb.world
        if explain and visible:
            views.append(_view(after, spend_now))
            rowmaps.append(identity)
            step_names.append((name, label))
        (events if name == "de-internalisation" else news).extend(fb.notes)
    news.extend(_rivalry_news(start.affinity, after.affinity, index, rules.rival_threshold))
    if not explain:
        views.append(_view(after, spend_now))
        rowmaps.append(identity)

    # --- every view's meters in one batch; the last view is the turn's result -------------
    parts = parts_of(rows_all, minerals_all, index)
    head = _headlines(parts, np.array(rowmaps), views, index, _base(start, index, rules))
    fp = mech.fiscal_pressure(after, index, rules)
    final = {k: v[-1] for k, v in head.items()} | detail(rows, fp)

    chunks: list = []
    keys = ledger_keys(index) if explain else []
    if explain:
        table = flat(head)  # (V, headline entries)
        H = table.shape[1]
        dall = detail_rows(rows_all)  # (D, R, A, S); the first M rows are the full world
        K = len(contribs)
        # each play left out in turn, every meter at once; then each feedback step against
        # the state before it
        by_play = _hits_by_row(table[0] - table[1:1 + K])
        steps = table[1 + K:1 + K + len(step_names)]
        by_step = _hits_by_row(steps - np.concatenate([table[:1], steps[:-1]]))
        # the dependency detail: only a play's touched minerals' rows can move it, and those
        # are the batch's rows after the first M, play by play
        variant_rows = minerals_all[M:]
        owner = np.repeat(np.arange(len(variants)), [len(contribs[k].touched) for k in variants])
        delta = dall[:, variant_rows] - dall[:, M:]  # (D, T, A, S)
        d, t, a, st = np.nonzero(np.abs(delta) > TOL)
        idx = H + ((d * A + a) * M + variant_rows[t]) * 3 + st
        order = np.lexsort((idx, owner[t]))
        ends = np.cumsum(np.bincount(owner[t], minlength=len(variants))).tolist()
        detail_of = dict(zip(variants, _slices(idx[order], delta[d, t, a, st][order], ends)))
        for k, c in enumerate(contribs):
            mechanism = ", ".join(sorted(c.mechanisms)) or "policy"
            chunks.append((*by_play[k], c.cause, c.label, mechanism))
            if k in detail_of:
                chunks.append((*detail_of[k], c.cause, c.label, mechanism))
        for (name, label), hits in zip(step_names, by_step):
            chunks.append((*hits, f"mechanism:{name}", label, name))
        if previous is not None:
            # what the plays and the steps explain, summed in ledger order
            explained = np.bincount(np.concatenate([c[0] for c in chunks]),
                                    weights=np.concatenate([c[1] for c in chunks]), minlength=len(keys))
            now_all = np.concatenate([table[-1], np.transpose(dall[:, :M], (0, 2, 1, 3)).ravel()])
            prev = np.concatenate([flat({k: np.asarray(previous[k])[None] for k in HEADLINE_METERS})[0],
                                   np.concatenate([np.asarray(previous[k]).ravel() for k in DETAIL_METERS])])
            (carried,) = _hits_by_row((now_all - prev - explained)[None])
            chunks.append((*carried, "carry-over",
                           "earlier decisions and market dynamics (prices, demand, measures in force)",
                           "carry-over"))
    return TurnResult(world=after, meters=final, ledger=Ledger(keys, chunks), news=tuple(news), flows=flows,
                      events=tuple(events))


def market_flows(world: World, index: Index, rules) -> np.ndarray | None:
    """The flows of the market ``world`` clears with no new plays (M, S, A, A), exporter ->
    importer; what the baseline looks like at turn 0. None in worlds too large for the
    dense clearing path."""
    M = len(index.minerals)
    inp = _inputs(world, index, [], None, [m for m in world.measures if m.active(world.turn)], world.turn)
    return _market(world, index, rules, [_rows(inp, list(range(M)))])[3]
