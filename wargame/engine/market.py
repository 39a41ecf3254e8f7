"""Market clearing, stage by stage, for a batch of rows (one row = one mineral in one
variant of the turn).

Each stage is cleared in a few rounds. In a round every importer asks each exporter
for a share of its remaining need in proportion to the exporter's remaining supply
times a preference (home bias, allied preference, tariffs); exporters that are
over-asked ration pro rata; what is left over is sought again in the next round.
An export restriction of severity s licenses only (1 - s) of what the importer would
otherwise have bought and the rest must be found elsewhere, so a restriction cuts
volume even when there is no other supplier.

Stages are planned from final demand upstream and realised downstream; what refineries
short of ore fail to deliver is sought once more from refineries that got theirs
(``clear_market``).

Flows are kept in factored form, x_ij = sum_k a^k_i P_ij q^k_j, so a row without
any measure at a stage never materialises an actors x actors matrix: its sums are
matrix products with the shared preference matrix P.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from wargame.engine.world import EXT, MFG, PROC

TINY = 1e-12
SHORT = 1e-9  # a refinery short of its ore by less than this share counts as supplied


@dataclass
class StageMods:
    """Measures on some rows at one stage: severity and price wedge per (exporter, importer)."""

    rows: np.ndarray  # (Rm,) row numbers
    sev: np.ndarray  # (Rm, A, A) restriction severity in [0, 1]
    wedge: np.ndarray  # (Rm, A, A) tariff + royalty rate paid by the importer
    royalty: np.ndarray  # (Rm, A, A) the royalty part (revenue of the exporter)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # whether any importer pays a wedge or any exporter earns a royalty: when not, the
    # stage's summary skips those products
    @cached_property
    def has_wedge(self) -> bool:
        return bool(self.wedge.any())

    @cached_property
    def has_royalty(self) -> bool:
        return bool(self.royalty.any())

    def matrices(self, P: np.ndarray, tariff_elasticity: float) -> "Kernel":
        """The preference matrices of this stage's clearing rounds: the same for every
        clearing of a turn's stage, so computed once."""
        key = (id(P), tariff_elasticity)
        if key not in self._cache:
            base = P[None, :, :] * (1.0 + self.wedge) ** (-tariff_elasticity) if self.has_wedge \
                else np.broadcast_to(P, self.sev.shape)
            if self.sev.any():
                split = np.empty((2, *base.shape))
                licensed = np.multiply(base, 1.0 - self.sev, out=split[0])
                np.subtract(base, licensed, out=split[1])
                # a supplier that refuses everything is not asked again after the first round
                if (self.sev >= 1.0).any():
                    partial = self.sev < 1.0
                    self._cache[key] = Kernel(base, split, base * partial, split * partial, True)
                else:  # no full refusal: later rounds ask as the first (a contiguous copy
                    # of a broadcast base, for the same matrix-product path as the masked one)
                    again = base if base.flags.c_contiguous else base.copy()
                    self._cache[key] = Kernel(base, split, again, split, True)
            else:
                self._cache[key] = Kernel(base, base[None], base, base[None], False)
        return self._cache[key]


class Kernel(NamedTuple):
    """Preference matrices for the dense clearing rounds, over (row, exporter, importer)."""

    ask: np.ndarray  # (R, A, A) preference for asking, first round
    split: np.ndarray  # (K, R, A, A) of it, the licensed part and (K = 2) the refused part
    ask_again: np.ndarray  # the same for later rounds
    split_again: np.ndarray
    restricted: bool  # whether any licence refuses anything (K = 2)

    @staticmethod
    def stack(kernels: "list[Kernel]") -> "Kernel":
        """The kernels of several batches of rows, as one batch."""
        if not any(k.restricted for k in kernels):
            # ask matrices join on their row axis (0), split stacks on theirs (1)
            return Kernel(*(np.concatenate([k[i] for k in kernels], axis=i % 2) for i in range(4)), False)
        pad = lambda k, x: x if k.restricted else np.concatenate([x, np.zeros_like(x)])  # noqa: E731
        return Kernel(np.concatenate([k.ask for k in kernels]),
                      np.concatenate([pad(k, k.split) for k in kernels], axis=1),
                      np.concatenate([k.ask_again for k in kernels]),
                      np.concatenate([pad(k, k.split_again) for k in kernels], axis=1), True)


@dataclass
class Pref:
    """Shared preference matrices; the products for rows cleared in factored form are
    made when first needed (a small world clears every row densely)."""

    P: np.ndarray  # (A, A) preference of importer j for exporter i
    rival: np.ndarray  # (A, A) 1.0 where i and j are rivals

    @cached_property
    def Psq(self) -> np.ndarray:
        return self.P * self.P

    @cached_property
    def diag(self) -> np.ndarray:
        return np.diag(self.P).copy()

    @cached_property
    def left(self) -> np.ndarray:  # (A, 2A) [P | P * rival]
        return np.concatenate([self.P, self.P * self.rival], axis=1)



@dataclass
class StageSummary:
    sent: np.ndarray  # (R, A) delivered by each exporter (own use included)
    recv: np.ndarray  # (R, A) received by each importer (own supply included)
    own: np.ndarray  # (R, A) supplied to itself
    rival_in: np.ndarray  # (R, A) received from rivals
    sumsq: np.ndarray  # (R, A) sum over suppliers of flow^2 (for HHI)
    wedge_paid: np.ndarray  # (R, A) sum of flow x rate paid by importer
    royalty_recv: np.ndarray  # (R, A) sum of flow x royalty rate earned by exporter

    def parts(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, f) for f in self.__dataclass_fields__)


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(num.shape), where=den > TINY)


class StageFlows:
    """The result of clearing one stage: factored rounds for plain rows, dense flows for the rest."""

    def __init__(self, R: int, A: int, pref: Pref, mods: StageMods | None):
        self.R, self.A, self.pref, self.mods = R, A, pref, mods
        self.plain = np.ones(R, dtype=bool)
        if mods is not None:
            self.plain[mods.rows] = False
        self.rounds: list[tuple[np.ndarray, np.ndarray]] = []  # (a, q), plain rows only
        self.dense: np.ndarray | None = None  # (Rm, A, A)
        self.sent_total = np.zeros((R, A))
        self.recv_total = np.zeros((R, A))
        self.withheld = np.zeros((R, A))  # supply kept off the market by export licensing

    def realised(self, ratio: np.ndarray | None, more: "StageFlows | None" = None,
                 more_ratio: np.ndarray | None = None) -> "StageFlows":
        """These flows with each exporter's deliveries scaled by ``ratio`` (None: as
        cleared), plus the flows of a later clearing ``more`` of the same rows and measures
        scaled by ``more_ratio``: one set of flows, whose sums (concentration included,
        which does not add up across clearings) are those of the total."""
        out = StageFlows.__new__(StageFlows)
        out.R, out.A, out.pref, out.mods, out.plain = self.R, self.A, self.pref, self.mods, self.plain
        p = self.plain
        out.rounds = [(a if ratio is None else a * ratio[p], q) for a, q in self.rounds]
        dense = self.dense
        if dense is not None and ratio is not None:
            dense = dense * ratio[self.mods.rows][:, :, None]
        if more is not None:
            out.rounds += [(a if more_ratio is None else a * more_ratio[p], q) for a, q in more.rounds]
            if more.dense is not None:
                extra = more.dense if more_ratio is None else more.dense * more_ratio[self.mods.rows][:, :, None]
                dense = dense + extra
        out.dense = dense
        out.sent_total = out.recv_total = None  # not kept: the sums come from summary()
        out.withheld = self.withheld
        return out

    def received(self) -> np.ndarray:
        """(R, A) what each importer receives."""
        recv = np.zeros((self.R, self.A))
        p = self.plain
        if p.any() and self.rounds:
            recv[p] = sum(q * (a @ self.pref.P) for a, q in self.rounds)
        if self.dense is not None and self.mods is not None:
            recv[self.mods.rows] = np.ones(self.A) @ self.dense
        return recv

    def summary(self, ratio: np.ndarray | None = None) -> StageSummary:
        """Sums of the flows, each exporter's deliveries scaled by ``ratio`` (realisation)."""
        R, A, pref = self.R, self.A, self.pref
        out = {k: np.zeros((R, A)) for k in StageSummary.__dataclass_fields__}
        p = self.plain
        if p.any() and self.rounds:
            a = np.array([r[0] for r in self.rounds])  # (K, Rp, A)
            q = np.array([r[1] for r in self.rounds])
            if ratio is not None:
                a = a * ratio[p][None]
            left = a @ pref.left  # sums over exporters i of a_i P_ij, and of a_i P_ij rival_ij
            right = q @ pref.P.T  # sums over importers j of P_ij q_j
            A_ = len(pref.P)
            out["recv"][p] = (q * left[..., :A_]).sum(axis=0)
            out["rival_in"][p] = (q * left[..., A_:]).sum(axis=0)
            out["sent"][p] = (a * right).sum(axis=0)
            out["own"][p] = (a * q).sum(axis=0) * pref.diag
            # sum over suppliers of (sum over rounds of a^k_i P_ij q^k_j)^2
            aa = a[:, None] * a[None, :]  # (K, K, Rp, A)
            out["sumsq"][p] = ((aa @ pref.Psq) * q[:, None] * q[None, :]).sum(axis=(0, 1))
        if self.dense is not None and self.mods is not None:
            X = self.dense if ratio is None else self.dense * ratio[self.mods.rows][:, :, None]
            for k, v in _dense_sums(X[:, None], pref.rival, (self.mods,)).items():
                out[k][self.mods.rows] = v[:, 0]
        return StageSummary(**out)


def _dense_sums(X: np.ndarray, rival: np.ndarray, mods: tuple[StageMods | None, ...]) -> dict[str, np.ndarray]:
    """The summary of dense flows X (..., S', exporter, importer), where ``mods`` are the
    measures of the S' stages (one stage, or all three at once). Sums over an axis are
    products with ones: quicker than numpy's reductions, in small arrays and large."""
    ones = np.ones(X.shape[-1])
    Xr = X * rival
    out = {"sent": X @ ones, "recv": ones @ X, "own": np.diagonal(X, axis1=-2, axis2=-1),
           "rival_in": ones @ Xr, "sumsq": ones @ (X * X),
           "wedge_paid": np.zeros(X.shape[:-1]), "royalty_recv": np.zeros(X.shape[:-1])}
    for s, m in enumerate(mods):
        if m is not None and m.has_wedge:
            out["wedge_paid"][..., s, :] = ones @ (X[..., s, :, :] * m.wedge)
        if m is not None and m.has_royalty:
            out["royalty_recv"][..., s, :] = (X[..., s, :, :] * m.royalty) @ ones
    return out


def _dense_rounds(S: np.ndarray, D: np.ndarray, kernel: Kernel,
                  rounds: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The clearing rounds with every flow held as an (R, exporter, importer) matrix.

    Returns the delivered flows, what licences refused each importer (None when nothing
    is restricted) and the supply left. Sums over an axis are products with a vector of
    ones: in arrays this small numpy's reductions cost several times a matrix product."""
    R, A = S.shape
    ones = np.ones(A)
    ask, split, restricted = kernel.ask, kernel.split, kernel.restricted
    W = np.empty(split.shape)  # asked: W[0] licensed and W[1] (when restricted) refused
    out = np.zeros(split.shape)  # out[0] delivered, out[1] refused
    for k in range(rounds):
        if k == 1:
            ask, split = kernel.ask_again, kernel.split_again
        # each importer spreads its need over exporters by supply x preference; an
        # importer that can reach no supply asks for nothing
        den = np.matmul(S[:, None, :], ask)[:, 0, :]
        inv = np.divide(1.0, den, out=np.zeros((R, A)), where=den > TINY)
        if not restricted or k == 0:
            # nothing refused yet: every exporter is asked for the same share of a need
            Q = (D * inv)[:, None, :]
        else:
            # an importer does not ask an exporter again for what that exporter's
            # licences refused it: that part of its need must be found elsewhere
            Q = np.subtract(D[:, None, :], out[1])
            np.maximum(Q, 0.0, out=Q)
            Q *= inv[:, None, :]
        np.multiply(split, Q, out=W)  # per unit of each exporter's supply
        rq = W[0] @ ones
        # exporters asked for more than they have ration pro rata (an exporter asked for
        # nothing has rq = 0 and sends nothing)
        a = S / np.maximum(rq, 1.0)
        a *= rq > TINY
        W *= a[:, :, None]  # delivered (and refused)
        out += W
        S = np.maximum(S - a * rq, 0.0)
        if k + 1 < rounds:  # what is still needed matters only to a later round
            D = np.maximum(D - ones @ W[0], 0.0)
    return out[0], (out[1] if restricted else None), S


def clear_stage(supply: np.ndarray, need: np.ndarray, pref: Pref, mods: StageMods | None,
                rounds: int, tariff_elasticity: float) -> StageFlows:
    """Allocate ``supply`` (R, A) to ``need`` (R, A) in rounds; see the module docstring."""
    R, A = supply.shape
    flows = StageFlows(R, A, pref, mods)
    p = flows.plain
    if p.any():
        everything = bool(p.all())
        S, D = (supply.copy(), need.copy()) if everything else (supply[p], need[p])
        sent_total, recv_total = np.zeros_like(S), np.zeros_like(D)
        enough = 1e-12 * max(float(D.sum()), TINY)
        for _ in range(rounds):
            q = _div(D, S @ pref.P)
            rq = q @ pref.P.T
            a = np.where(rq > 1.0, S / np.maximum(rq, TINY), S)  # exporters ration pro rata
            a[rq <= TINY] = 0.0
            sent = a * rq
            recv = q * (a @ pref.P)
            flows.rounds.append((a, q))
            sent_total += sent
            recv_total += recv
            S = np.maximum(S - sent, 0.0)
            D = np.maximum(D - recv, 0.0)
            if D.sum() <= enough:
                break
        if everything:
            flows.sent_total, flows.recv_total = sent_total, recv_total
        else:
            flows.sent_total[p], flows.recv_total[p] = sent_total, recv_total
    if mods is not None and len(mods.rows):
        rows = mods.rows
        every = len(rows) == R  # a small world: every row takes the dense path
        S, D = (supply, need) if every else (supply[rows], need[rows])
        X, refused, S = _dense_rounds(S, D, mods.matrices(pref.P, tariff_elasticity), rounds)
        flows.dense = X
        ones = np.ones(A)
        sent, recv = X @ ones, ones @ X
        if every:
            flows.sent_total, flows.recv_total = sent, recv
        else:
            flows.sent_total[rows], flows.recv_total[rows] = sent, recv
        if refused is not None:
            # supply an exporter's licences kept off the market: not spare capacity
            flows.withheld[rows] = np.minimum(refused @ ones, S)
    return flows


def _clear_totals(jobs, pref: Pref, mods: dict[int, StageMods | None], rounds: int,
                  tariff_elasticity: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Clear several independent (supply, need, stage) jobs over the same rows in one
    batch; returns (sent, received) per job. Rows of a stage with measures keep that
    stage's matrices, so the result equals clearing each job on its own."""
    R = jobs[0][0].shape[0]
    parts = [(k * R, mods.get(stage)) for k, (_, _, stage) in enumerate(jobs)]
    parts = [(off, m) for off, m in parts if m is not None and len(m.rows)]
    stacked = None
    if parts:
        # clearing reads only the rows and their matrices; the flows are not summarised
        unused = np.empty(0)
        stacked = StageMods(np.concatenate([m.rows + off for off, m in parts]), unused, unused, unused)
        stacked._cache[(id(pref.P), tariff_elasticity)] = Kernel.stack(
            [m.matrices(pref.P, tariff_elasticity) for _, m in parts])
    flows = clear_stage(np.concatenate([j[0] for j in jobs]), np.concatenate([j[1] for j in jobs]),
                        pref, stacked, rounds, tariff_elasticity)
    return [(flows.sent_total[k * R:(k + 1) * R], flows.recv_total[k * R:(k + 1) * R]) for k in range(len(jobs))]


@dataclass
class MarketResult:
    need: np.ndarray  # (R, A, S) what each actor would need if every plant reached its inputs
    plan: np.ndarray  # (R, A, S) what each actor sought, given what its plants could reach
    out: np.ndarray  # (R, A, S) realised output
    planned: np.ndarray  # (R, A, S) output planned on the input each plant could reach
    cap: np.ndarray  # (R, A, S) capacity available
    usable: np.ndarray  # (R, A, S) capacity that could reach its inputs
    withheld: np.ndarray  # (R, A, S) of it, supply an exporter's licences kept off the market
    flows: np.ndarray | None  # (R, S, A, A) realised flows exporter -> importer (small worlds only)
    delivered: np.ndarray  # (R, A) final demand met
    demand: np.ndarray  # (R, A) final demand
    build: np.ndarray  # (R, A) realised stockpile build
    release: np.ndarray  # (R, A) stockpile released and sold
    summary: StageSummary  # sums of the realised flows, each (R, A, S)

    @property
    def stages(self) -> tuple[StageSummary, StageSummary, StageSummary]:
        """The summary stage by stage, each part (R, A)."""
        return tuple(StageSummary(*(x[:, :, s] for x in self.summary.parts())) for s in range(3))

    @property
    def shortage(self) -> np.ndarray:
        return _div(np.maximum(self.demand - self.delivered, 0.0), self.demand)


def clear_market(cap: np.ndarray, demand: np.ndarray, build: np.ndarray, release: np.ndarray,
                 pref: Pref, mods: dict[int, StageMods | None], rounds: int,
                 tariff_elasticity: float) -> MarketResult:
    """Clear all three stages: plan upstream from final demand, then realise downstream,
    each stage limited by the input the stage before could deliver.

    Before planning, each stage's usable capacity is capped by the input it could reach
    if it ran flat out (a refinery cut off from ore by a ban or a restriction cannot
    take orders it cannot fill), so orders go to the plants that can deliver. What a
    refinery still fails to deliver for want of ore is sought once more before
    processing is realised (see below)."""
    clear = lambda sup, need, s: clear_stage(sup, need, pref, mods.get(s), rounds, tariff_elasticity)  # noqa: E731
    totals = lambda *jobs: _clear_totals(jobs, pref, mods, rounds, tariff_elasticity)  # noqa: E731
    cap_ext, cap_proc, cap_mfg = cap[:, :, EXT], cap[:, :, PROC], cap[:, :, MFG]

    # Clearings that do not depend on each other run as one batch (rows stacked): first
    # how much ore each refinery could reach flat out, together with what manufacturers
    # would order if every plant could reach its inputs (the base of the dependency
    # meters and of scarcity: a refinery cut off from ore still needs it) ...
    (_, ore_reach), (want_mfg, _) = totals((cap_ext, cap_proc, EXT), (cap_mfg, demand, MFG))
    proc_usable = np.minimum(cap_proc, ore_reach) + release
    want_proc = want_mfg + build
    # ... then the same one stage down
    (_, input_reach), (want_ext, _) = totals((proc_usable, cap_mfg, PROC), (cap_proc + release, want_proc, PROC))
    want_ext = np.maximum(want_ext - release, 0.0)
    mfg_usable = np.minimum(cap_mfg, input_reach)

    mfg = clear(mfg_usable, demand, MFG)
    plan_mfg = mfg.sent_total
    need_proc = plan_mfg + build
    proc = clear(proc_usable, need_proc, PROC)
    plan_proc = proc.sent_total
    release_used = np.minimum(release, plan_proc)
    need_ext = np.maximum(plan_proc - release_used, 0.0)
    ext = clear(cap_ext, need_ext, EXT)
    ore_in = ext.recv_total

    ratio_proc = np.minimum(1.0, _div(ore_in + release_used, plan_proc))
    ratio_proc[plan_proc <= TINY] = 1.0
    proc_real, ext_real = proc.realised(ratio_proc), ext
    withheld_ext, withheld_proc = ext.withheld, proc.withheld
    short = ratio_proc < 1.0 - SHORT
    plan_ext = need_ext
    planned_ext, planned_proc = ext.sent_total, plan_proc
    if short.any():
        # Refineries that got less ore than they planned on fail some of their buyers. What
        # those buyers miss is sought once more (one round of asks) from the refineries that
        # got all the ore they planned on and have usable capacity to spare; these seek the
        # extra ore, in one round too, among what the mines have left (and sell released
        # stock first).
        missing = np.maximum(proc.recv_total - proc_real.received(), 0.0)
        spare = np.where(short, 0.0, np.maximum(proc_usable - plan_proc, 0.0))
        top = clear_stage(spare, missing, pref, mods.get(PROC), 1, tariff_elasticity)
        top_plan = top.sent_total
        top_release = np.minimum(release - release_used, top_plan)
        top_need = np.maximum(top_plan - top_release, 0.0)
        ore_left = np.maximum(cap_ext - ext.sent_total, 0.0)
        top_ext = clear_stage(ore_left, top_need, pref, mods.get(EXT), 1, tariff_elasticity)
        top_ratio = np.minimum(1.0, _div(top_ext.recv_total + top_release, top_plan))
        top_ratio[top_plan <= TINY] = 1.0
        proc_real = proc.realised(ratio_proc, top, top_ratio)
        ext_real = ext.realised(None, top_ext)
        release_used = release_used + top_release
        planned_ext, planned_proc = ext.sent_total + top_ext.sent_total, plan_proc + top_plan
        # the ore the failing refineries lacked is no longer sought for the orders that moved:
        # the refineries that took them over seek their own (a need counted once, for prices)
        lacked = np.maximum(need_ext - ore_in, 0.0)
        moved = np.minimum(1.0, _div(top_plan.sum(axis=1), lacked.sum(axis=1)))
        need_ext = need_ext + top_need
        plan_ext = need_ext - lacked * moved[:, None]
        # supply held back by licences, out of what is still unsold
        withheld_ext = np.minimum(ext.withheld + top_ext.withheld, np.maximum(ore_left - top_ext.sent_total, 0.0))
        withheld_proc = np.minimum(proc.withheld + top.withheld, np.maximum(spare - top_plan, 0.0)
                                   + np.where(short, np.maximum(proc_usable - plan_proc, 0.0), 0.0))
    dense = all(f.dense is not None and len(f.mods.rows) == f.R for f in (ext, proc, mfg))
    if dense:
        # every row took the dense path (a small world): who delivered to whom, as realised
        A = cap.shape[1]
        ones = np.ones(A)
        proc_flows = proc_real.dense
        proc_recv = ones @ proc_flows
    else:
        s_proc = proc_real.summary()
        proc_recv = s_proc.recv
    build_real = proc_recv * _div(build, need_proc)
    mfg_input = proc_recv - build_real
    ratio_mfg = np.minimum(1.0, _div(mfg_input, plan_mfg))
    ratio_mfg[plan_mfg <= TINY] = 1.0
    flows = None
    if dense:
        flows = np.empty((len(cap), 3, A, A))  # (R, S, A, A)
        flows[:, EXT], flows[:, PROC] = ext_real.dense, proc_flows
        np.multiply(mfg.dense, ratio_mfg[:, :, None], out=flows[:, MFG])
        summary = _summarise(flows, pref, (ext.mods, proc.mods, mfg.mods))
    else:
        summary = StageSummary(*(_by_stage(*parts) for parts in zip(
            ext_real.summary(None).parts(), s_proc.parts(), mfg.summary(ratio_mfg).parts())))

    plan = _by_stage(plan_ext, need_proc, demand)
    need = _by_stage(np.maximum(want_ext, need_ext), np.maximum(want_proc, need_proc), demand)
    usable = _by_stage(cap_ext, proc_usable, mfg_usable)
    withheld = _by_stage(withheld_ext, withheld_proc, mfg.withheld)
    return MarketResult(need=need, plan=plan, out=summary.sent, planned=_by_stage(planned_ext, planned_proc, plan_mfg),
                        cap=cap, usable=usable, withheld=withheld,
                        flows=flows, delivered=summary.recv[:, :, MFG],
                        demand=demand, build=build_real, release=release_used, summary=summary)


def _by_stage(*parts: np.ndarray) -> np.ndarray:
    """(R, A) arrays, one per stage, as one (R, A, S) array (quicker than ``np.stack``)."""
    out = np.empty(parts[0].shape + (len(parts),))
    for s, x in enumerate(parts):
        out[..., s] = x
    return out


def _summarise(flows: np.ndarray, pref: Pref, mods: tuple[StageMods, ...]) -> StageSummary:
    """The sums of realised flows (R, S, A, A) at every stage at once, as (R, A, S)."""
    sums = _dense_sums(flows, pref.rival, mods)
    return StageSummary(**{k: np.swapaxes(v, -1, -2) for k, v in sums.items()})


def preference(affinity: np.ndarray, rules, securitisation: float) -> Pref:
    """Preference of importer j for exporter i: home bias, and allied preference that
    grows with securitisation (pan-securitisation fragments trade into blocs)."""
    A = affinity.shape[0]
    strength = rules.ally_preference + rules.securitised_preference * securitisation
    logp = strength * affinity
    logp[np.diag_indices(A)] = rules.home_bias + strength
    P = np.exp(logp - logp.max())
    # how far j counts i as a rival: a ramp over ``rival_band`` of affinity centred on the
    # threshold (a hard step when the band is 0), so a pair souring by a hair does not
    # turn every unit of their trade into reliance on a rival at once
    band = rules.rival_band
    rival = (np.clip((rules.rival_threshold + 0.5 * band - affinity) / band, 0.0, 1.0) if band > 0
             else (affinity < rules.rival_threshold).astype(float))
    np.fill_diagonal(rival, 0.0)
    return Pref(P=P, rival=rival)
