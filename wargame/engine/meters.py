"""Meters: what the seminar watches. Computed from a cleared market and the state.

Market meters are first computed per row (one mineral of one variant) and then
assembled into per-actor figures, so the ledger can swap in the rows of a
counterfactual variant without clearing the whole world again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.engine.market import TINY, MarketResult, _div
from wargame.engine.world import EXT, MFG, PROC, Index, Measure

STAGE_COUNT = 3
VOLUME_MIN = 1e-3  # USD m: below this an actor had no mineral needs at turn 0


@dataclass
class RowMeters:
    """Per-row pieces, each (R, A) or (R, A, S) or (R, S); rows are minerals of one variant."""

    price: np.ndarray  # (R, S) new price index
    target: np.ndarray  # (R, S) the index the price moves toward (``price_adjustment`` of the way a turn)
    scarcity: np.ndarray  # (R, S) world unmet need / need at each stage
    util: np.ndarray  # (R, S) output / capacity that can reach its inputs
    starved: np.ndarray  # (R, S) share of capacity cut off from its input
    import_reliance: np.ndarray  # (R, A, S)
    rival_reliance: np.ndarray  # (R, A, S)
    hhi: np.ndarray  # (R, A, S) 0..10000
    # (R, A, S) how much a stage counts in the actor's dependency on the mineral: its need
    # against the actor's largest need of the mineral at any stage (0 where it needs none)
    cell_weight: np.ndarray
    shortage: np.ndarray  # (R, A)
    econ: np.ndarray  # (R, A) economic cost, USD m
    volume: np.ndarray  # (R, A) needs at all stages valued at baseline prices, USD m
    fiscal: np.ndarray  # (R, A) market-linked fiscal cost (floors, stock purchases), USD m
    floor_paid: np.ndarray  # (R, A) of it, price-floor top-ups paid, USD m
    value_added: np.ndarray  # (R, A) USD m
    proc_share: np.ndarray  # (R, A)
    lev: np.ndarray  # (R, A) leverage over everyone else at the chokepoint, 0..1
    out: np.ndarray  # (R, A, S) realised output
    cap: np.ndarray  # (R, A, S) capacity this turn (demand trend and disruptions included)
    build: np.ndarray  # (R, A)
    release: np.ndarray  # (R, A)

    def take(self, rows: np.ndarray | slice) -> "RowMeters":
        return RowMeters(**{k: getattr(self, k)[rows] for k in self.__dataclass_fields__})


def update_prices(old: np.ndarray, res: MarketResult, elasticity: np.ndarray, rules, rest_util: np.ndarray,
                  rest_starved: np.ndarray, stage_mult: np.ndarray) -> tuple[np.ndarray, ...]:
    """Prices move with scarcity: toward (1 - shortage)^(-1/elasticity) x a glut discount,
    partially each turn (a price floor does not lift the world price: it tops up the
    producers it covers, see ``row_meters``). The discount grows as
    utilisation falls below ``rest_util`` (R, S), the utilisation at which the baseline
    prices are at rest (turn 0's).

    Scarcity is priced at the links that bind. What a stage fails to deliver is split in
    two: what its plants could not make for want of input (plants cut off from their
    input beyond the share ``rest_starved`` (R, S) that was so at turn 0) is a scarcity of
    the stage before, passed up the chain until it reaches a stage short in its own right;
    the rest is this stage's own. Each stage then passes on at cost what its input costs
    more (by ``stage_mult``, the stage prices relative to processing). Returns (prices,
    scarcity, utilisation, the share of each stage's capacity cut off from its input, and
    the target the prices move toward)."""
    ones = np.ones(res.plan.shape[1])  # sums over actors as products: quicker in small arrays
    need = ones @ res.plan  # (R, S)
    got = ones @ res.summary.recv  # (R, S); at manufacturing, final demand met
    usable, withheld, out = ones @ res.usable, ones @ res.withheld, ones @ res.out
    # capacity idled by its owner's export licensing is not spare: it is not for sale
    util = _div(out, usable - withheld)
    starved = np.maximum(ones @ res.cap - usable, 0.0)
    starved_share = _div(starved, usable + starved)
    # what is missing for want of input (capped by the stage's unmet need): what plants
    # planned on input that then did not come, and what plants that lost their input since
    # turn 0 would have delivered
    unmet = np.maximum(need - got, 0.0)
    cut_off = np.maximum(starved - rest_starved * (usable + starved), 0.0)
    not_realised = np.maximum(ones @ res.planned - out, 0.0)
    for_input = np.minimum(unmet, not_realised + cut_off)
    own = _div(unmet - for_input, need)
    passed_up = _div(for_input, need)  # (R, S): share of the stage's need, a scarcity of the stage before
    # of the refined input factories lacked, refining passes up to the ore the part its own
    # plants could have made with ore, and keeps the rest
    relay = np.clip(_div(cut_off[:, PROC] + not_realised[:, PROC], for_input[:, MFG]), 0.0, 1.0)
    scarcity = np.empty_like(own)
    scarcity[:, MFG] = own[:, MFG]
    scarcity[:, PROC] = np.maximum(own[:, PROC], (1.0 - relay) * passed_up[:, MFG])
    scarcity[:, EXT] = np.maximum(own[:, EXT], np.maximum(passed_up[:, PROC], relay * passed_up[:, MFG]))
    # a final-demand shortfall also raises the price of every stage that is sold out, its own
    # plants running above normal utilisation (all links bind in a boom that outruns them all)
    final_short = np.clip(_div(need[:, MFG] - got[:, MFG], need[:, MFG]), 0.0, 0.95)
    util_own = _div(out, usable + starved - withheld)
    span = 1.0 - rules.normal_utilisation  # 0 when plants normally run flat out
    sold_out = (np.clip((util_own - rules.normal_utilisation) / span, 0.0, 1.0) if span > 1e-9
                else (util_own >= 1.0 - 1e-9).astype(float))
    scarcity = np.clip(np.maximum(scarcity, final_short[:, None] * sold_out), 0.0, 0.95)
    eps = np.maximum(elasticity, 0.05)[:, None]
    # spare capacity pushes prices down only while the market is not short (neither the
    # stage nor final demand: plants idle in a shortfall are idle for want of input); the
    # discount fades out continuously over the first 2% of scarcity (a jump here makes
    # prices cycle)
    glut = np.minimum(1.0, _div(util, rest_util))
    fade = np.clip(1.0 - np.maximum(scarcity, final_short[:, None]) / 0.02, 0.0, 1.0)
    target = (1.0 - scarcity) ** (-1.0 / eps)
    discount = glut ** (rules.price_glut_gain * fade)
    # a stage passes on at cost what its input costs more (in USD a unit, hence the stage
    # multipliers), and a glut of its own plants squeezes that too; each stage's target is
    # held within the price bounds before it is passed on
    lo, hi = rules.price_min, rules.price_max
    target[:, EXT] = np.clip(target[:, EXT] * discount[:, EXT], lo, hi)
    for s in (PROC, MFG):
        passed = 1.0 + (target[:, s - 1] - 1.0) * (stage_mult[s - 1] / stage_mult[s])
        target[:, s] = np.clip(np.maximum(target[:, s], passed) * discount[:, s], lo, hi)
    new = old + rules.price_adjustment * (target - old)
    return np.clip(new, lo, hi), scarcity, util, starved_share, target


def row_meters(res: MarketResult, minerals: np.ndarray, old_price: np.ndarray, measures_by_row,
               index: Index, rules, securitisation: float, rest_util: np.ndarray,
               rest_starved: np.ndarray) -> RowMeters:
    R, A, S = res.need.shape
    price, scarcity, util, starved, target = update_prices(old_price, res, index.elasticity[minerals], rules, rest_util,
                                                   rest_starved, index.stage_mult)

    # USD m per unit of quantity at baseline prices, by stage (USD/kg x kt = USD m)
    unit = (index.base_price * index.unit_kt)[minerals][:, None] * index.stage_mult[None, :]
    px = price * unit  # (R, S) USD m per unit
    need = res.need
    summ = res.summary
    own, rival_in, recv, sumsq = summ.own, summ.rival_in, summ.recv, summ.sumsq
    has_need = (need > TINY).astype(float)
    # a stage counts in proportion to its need, so the ore a new refinery needs, however
    # much of it is imported, weighs as little as the refinery is small: a plant that cuts
    # imports of the refined product lowers dependency (a balanced chain counts every stage
    # alike)
    cell_weight = has_need * _div(need, need.max(axis=2, keepdims=True))
    ir = np.clip(1.0 - _div(own, need), 0.0, 1.0) * has_need
    # need left unmet counts as the most acute reliance: what a rival withholds shows here
    unmet = np.maximum(need - recv, 0.0)
    rr = np.clip(_div(rival_in + unmet, need), 0.0, 1.0)
    hhi = np.clip(_div(sumsq, recv * recv), 0.0, 1.0) * 1e4

    shortage = res.shortage
    markup = 1.0 + rules.securitisation_cost * securitisation
    wedge = summ.wedge_paid
    econ = ((recv + wedge) @ px[:, :, None])[:, :, 0] * markup
    econ += rules.shortage_penalty * np.maximum(res.demand - res.delivered, 0.0) * px[:, None, MFG]

    fiscal = res.build * px[:, None, PROC]
    topped = np.zeros((R, A))  # price-floor top-ups received by covered producers, USD m
    floor_paid = np.zeros((R, A))  # of the fiscal cost, the top-ups each government pays
    # the floor guarantees covered producers, it does not lift the world price by itself; a
    # producer under several floors is topped up once, to the highest, by whoever set it
    best: dict[tuple[int, int, int], tuple[float, int]] = {}
    for r, measures in enumerate(measures_by_row):
        for m in measures:
            if m.kind == "floor":
                for a in m.targets:
                    if m.value > best.get((r, m.stage, a), (-1.0, 0))[0]:
                        best[(r, m.stage, a)] = (m.value, m.source)
    for (r, stage, a), (level, payer) in best.items():
        paid = max(0.0, level - price[r, stage]) * unit[r, stage] * res.out[r, a, stage]
        floor_paid[r, payer] += paid
        topped[r, a] += paid
    fiscal += floor_paid

    # value added: output at each stage (royalties earned and price-floor top-ups received
    # included) less the inputs bought for the next stage (what manufacturers receive is
    # final demand met, not an input)
    bought = recv * np.array([1.0, 1.0, 0.0])
    va = ((res.out + summ.royalty_recv - bought) @ px[:, :, None])[:, :, 0] + topped
    proc_share = _div(res.out[:, :, PROC], res.out[:, :, PROC].sum(axis=1, keepdims=True))

    # leverage: share of everyone else's needs a supplier meets, times its hub control, at
    # the stage where that product is largest (the chokepoint); measured over all the
    # others, whatever their relations, so souring a customer does not add to it
    hub = _div(res.out, (np.ones(A) @ res.out)[:, None, :])  # (R, A, S)
    others_need = np.ones((A, A)) @ need - need  # (R, A, S) everyone else's needs
    lev = np.clip(_div(summ.sent - own, others_need), 0.0, 1.0) * hub
    lev = lev.max(axis=2)

    volume = (need @ unit[:, :, None])[:, :, 0]
    return RowMeters(price=price, target=target, scarcity=scarcity, util=util, starved=starved, import_reliance=ir, volume=volume, rival_reliance=rr, hhi=hhi, cell_weight=cell_weight,
                     shortage=shortage, econ=econ, fiscal=fiscal, floor_paid=floor_paid, value_added=va,
                     proc_share=proc_share, lev=lev, out=res.out, cap=res.cap, build=res.build,
                     release=res.release)


def cohesion(affinity: np.ndarray, member: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Alliance cohesion per bloc, 0..100: mean pairwise affinity among members, rescaled,
    times the share of the bloc's starting size it still has (``size``, members at turn 0;
    joiners do not lift it above 1). Without that share, the most estranged member walking
    out would raise the cohesion of the club it leaves. Works on one state (A, A), (B, A) or
    a batch of them (V, A, A), (V, B, A)."""
    n = member.sum(axis=-1)
    diag = np.diagonal(affinity, axis1=-2, axis2=-1)
    pairs = ((member @ affinity) * member).sum(axis=-1) - (member * diag[..., None, :]).sum(axis=-1)
    mean = np.divide(pairs, n * (n - 1), out=np.ones_like(n), where=n >= 2)
    kept = np.minimum(1.0, np.divide(n, size, out=np.ones_like(n), where=size > 0))
    return 50.0 * (1.0 + mean) * kept


@dataclass
class View:
    """The non-market state a set of meters is computed for."""

    subst: np.ndarray  # (M,)
    affinity: np.ndarray  # (A, A)
    member: np.ndarray  # (B, A)
    lock_in: np.ndarray  # (A, 3)
    securitisation: float
    spend: np.ndarray  # (A,) fiscal spending this turn, USD bn


@dataclass
class Parts:
    """Per-row pieces that add up to per-actor meters; rows as in RowMeters."""

    dep_raw: np.ndarray  # (R, A) weighted dependency cells, before substitutability
    dep_den: np.ndarray  # (R, A) weights of the cells where the actor has a need
    econ: np.ndarray  # (R, A) USD m
    fiscal: np.ndarray  # (R, A) USD m
    volume: np.ndarray  # (R, A) USD m at baseline prices
    value_added: np.ndarray  # (R, A) USD m
    lev: np.ndarray  # (R, A) 0..1
    price: np.ndarray  # (R,) USD/kg at the processing stage
    shortage: np.ndarray  # (R, A)
    proc_share: np.ndarray  # (R, A)


def parts_of(rows: RowMeters, minerals: np.ndarray, index: Index) -> Parts:
    w = index.weight[minerals][:, None]
    cell = 0.5 * rows.import_reliance + 0.5 * rows.rival_reliance  # (R, A, S)
    ones = np.ones(STAGE_COUNT)
    return Parts(dep_raw=((rows.cell_weight * cell) @ ones) * w, dep_den=(rows.cell_weight @ ones) * w, econ=rows.econ,
                 fiscal=rows.fiscal, volume=rows.volume, value_added=rows.value_added, lev=rows.lev,
                 price=rows.price[:, PROC] * index.base_price[minerals], shortage=rows.shortage,
                 proc_share=rows.proc_share)


def headline(parts: Parts, rowmap: np.ndarray, views: list[View], index: Index,
             base: tuple[np.ndarray, ...]) -> dict[str, np.ndarray]:
    """The headline meters for a batch of V views at once: view v takes mineral m from row
    ``rowmap[v, m]`` and its non-market state from ``views[v]``. Every array has a leading V axis."""
    keep = 1.0 - np.array([v.subst for v in views])  # (V, M)
    w = index.weight[None, :]
    ones = np.ones(rowmap.shape[1])

    def total(x: np.ndarray, by: np.ndarray | None = None) -> np.ndarray:
        """Sum over minerals of each view's rows (weighted by ``by``), as matrix products."""
        picked = x[rowmap]  # (V, M, A)
        return ones @ picked if by is None else (by[:, None, :] @ picked)[:, 0, :]

    dependency = 100.0 * _div(total(parts.dep_raw, keep), total(parts.dep_den))
    # cost of meeting the actor's needs, per unit of need: volume growth alone does not move it;
    # the floor keeps the index meaningful for actors with a tiny or no mineral bill
    # an actor with no mineral needs at turn 0 (an ore exporter that later builds a refinery)
    # is indexed at baseline prices, the unit cost every other actor starts from
    base_cost, base_volume, floor, room = base
    unit_cost = np.where(base_volume > VOLUME_MIN, _div(base_cost, base_volume), 1.0)
    scale = unit_cost * total(parts.volume) + floor
    spend = np.array([v.spend for v in views])
    cost_econ = 100.0 * (total(parts.econ) + floor) / scale
    # spending is measured against the mineral bill, or against what the budget can carry in
    # a year where that is larger (a small ore exporter has almost no mineral bill)
    cost_fiscal = 100.0 * (total(parts.fiscal) + spend * 1000.0) / np.maximum(scale, room)  # bn -> m
    # weighted as dependency is: a mineral that can be substituted gives less leverage
    leverage = 100.0 * total(parts.lev, w * keep) / max(float(index.weight.sum()), TINY)
    return {
        "dependency": dependency,
        "cost": cost_econ + cost_fiscal,
        "cohesion": cohesion(np.array([v.affinity for v in views]), np.array([v.member for v in views]),
                             index.bloc_size),
        "leverage": leverage,
        "lock_in": np.array([v.lock_in for v in views]) @ np.ones(STAGE_COUNT),
        "securitisation": 100.0 * np.array([v.securitisation for v in views]),
        "price": parts.price[rowmap],
        "value_added": total(parts.value_added) / 1000.0,
        "shortage": np.transpose(parts.shortage[rowmap], (0, 2, 1)) * 100.0,
        "processing_share": np.transpose(parts.proc_share[rowmap], (0, 2, 1)) * 100.0,
        "cost_economic": cost_econ,
        "cost_fiscal": cost_fiscal,
    }


def flat(meters: dict[str, np.ndarray]) -> np.ndarray:
    """The headline meters of a batch as one (V, L) array, in HEADLINE_METERS order."""
    V = len(meters["cost"])
    return np.concatenate([meters[k].reshape(V, -1) for k in HEADLINE_METERS], axis=1)


def detail_rows(rows: RowMeters) -> np.ndarray:
    """The dependency detail of every row, (D, R, A, S), in DETAIL_METERS order and units."""
    return np.array([getattr(rows, k) * DETAIL_SCALE[k] for k in DETAIL_METERS])


def detail(rows: RowMeters, fiscal_pressure: np.ndarray) -> dict[str, np.ndarray]:
    """Meters beyond the headline ones: per stage, per mineral, for the dependency view."""
    return {
        "fiscal_pressure": fiscal_pressure,
        "price_index": rows.price[:, PROC] * 100.0,
        "stage_price_index": rows.price * 100.0,
        "import_reliance": np.transpose(rows.import_reliance, (1, 0, 2)) * 100.0,
        "rival_reliance": np.transpose(rows.rival_reliance, (1, 0, 2)) * 100.0,
        "hhi": np.transpose(rows.hhi, (1, 0, 2)),
        "capacity_used": np.transpose(rows.out, (1, 0, 2)),
    }


# Meters the ledger explains, and the axes their entries are keyed by: the headline meters,
# computed for every view of a turn, and the dependency detail per stage, which only the
# rows of the minerals a play touches can change.
HEADLINE_METERS: dict[str, tuple[str, ...]] = {
    "dependency": ("actor",),
    "cost": ("actor",),
    "cohesion": ("bloc",),
    "leverage": ("actor",),
    "lock_in": ("actor",),
    "securitisation": (),
    "price": ("mineral",),
    "value_added": ("actor",),
    "shortage": ("actor", "mineral"),
    "processing_share": ("actor", "mineral"),
}
DETAIL_METERS: dict[str, tuple[str, ...]] = {
    "import_reliance": ("actor", "mineral", "stage"),
    "rival_reliance": ("actor", "mineral", "stage"),
    "hhi": ("actor", "mineral", "stage"),
}
DETAIL_SCALE = {"import_reliance": 100.0, "rival_reliance": 100.0, "hhi": 1.0}
LEDGER_METERS: dict[str, tuple[str, ...]] = HEADLINE_METERS | DETAIL_METERS
# the axes of every meter a turn reports (``TurnResult.meters``), in array order
METER_AXES: dict[str, tuple[str, ...]] = HEADLINE_METERS | {
    "cost_economic": ("actor",),
    "cost_fiscal": ("actor",),
    "fiscal_pressure": ("actor",),
    "price_index": ("mineral",),
    "stage_price_index": ("mineral", "stage"),
} | DETAIL_METERS | {"capacity_used": ("actor", "mineral", "stage")}

UNITS: dict[str, str] = {
    "dependency": "index 0-100",
    "cost": "index, 100 = turn 0",
    "cost_economic": "index points",
    "cost_fiscal": "index points",
    "cohesion": "index 0-100",
    "leverage": "index 0-100",
    "lock_in": "USD bn sunk",
    "securitisation": "index 0-100",
    "fiscal_pressure": "share of fiscal room",
    "price": "USD/kg (processing)",
    "price_index": "100 = turn 0",
    "stage_price_index": "100 = turn 0, by stage (ore, refined, manufactured)",
    "value_added": "USD bn",
    "shortage": "% of final demand unmet",
    "processing_share": "% of world processing",
    "import_reliance": "% of needs from abroad (or unmet)",
    "rival_reliance": "% of needs from rivals",
    "hhi": "supplier concentration 0-10000",
    "capacity_used": "output, mineral units",
}


def measures_rows(measures: list[Measure], minerals: np.ndarray) -> list[list[Measure]]:
    by_mineral: dict[int, list[Measure]] = {}
    for m in measures:
        by_mineral.setdefault(m.mineral, []).append(m)
    return [by_mineral.get(int(m), []) for m in minerals]
