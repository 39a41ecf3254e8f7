"""Market clearing, stage by stage, for a batch of rows (one row = one mineral in one
variant of the turn).

Each stage is cleared in a few rounds. In a round every importer asks each exporter
for a share of its remaining need in proportion to the exporter's remaining supply
times a preference (home bias, allied preference, tariffs); exporters that are
over-asked ration pro rata; what is left over is sought again in the next round.
An export restriction of severity s licenses only (1 - s) of what the importer would
otherwise have bought and the rest must be found elsewhere, so a restriction cuts
volume even when there is no other supplier.

Flows are kept in factored form, x_ij = sum_k a^k_i P_ij q^k_j, so a row without
any measure at a stage never materialises an actors x actors matrix: its sums are
matrix products with the shared preference matrix P.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wargame.engine.world import EXT, MFG, PROC

TINY = 1e-12


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
    @property
    def has_wedge(self) -> bool:
        return bool(self.wedge.any())

    @property
    def has_royalty(self) -> bool:
        return bool(self.royalty.any())

    def matrices(self, P: np.ndarray, tariff_elasticity: float) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Preference for asking, preference for what is licensed, and (None when nothing
        is restricted) the severity where an importer may ask again: the same for every
        clearing of a turn's stage, so computed once."""
        key = (id(P), tariff_elasticity)
        if key not in self._cache:
            base = P[None, :, :] * (1.0 + self.wedge) ** (-tariff_elasticity) if self.has_wedge \
                else np.broadcast_to(P, self.sev.shape)
            restricted = bool(self.sev.any())
            self._cache[key] = (base, base * (1.0 - self.sev) if restricted else base,
                                (self.sev < 1.0).astype(float) if restricted else None)
        return self._cache[key]


@dataclass
class Pref:
    """Shared preference matrices for rows without measures."""

    P: np.ndarray  # (A, A) preference of importer j for exporter i
    Psq: np.ndarray
    Priv: np.ndarray  # P * rival mask
    diag: np.ndarray
    rival: np.ndarray  # (A, A) 1.0 where i and j are rivals
    left: np.ndarray  # (A, 2A) [P | Priv]
    right: np.ndarray  # (A, 2A) [P.T | Priv.T]


@dataclass
class StageSummary:
    sent: np.ndarray  # (R, A) delivered by each exporter (own use included)
    recv: np.ndarray  # (R, A) received by each importer (own supply included)
    own: np.ndarray  # (R, A) supplied to itself
    rival_in: np.ndarray  # (R, A) received from rivals
    rival_out: np.ndarray  # (R, A) delivered to rivals
    sumsq: np.ndarray  # (R, A) sum over suppliers of flow^2 (for HHI)
    wedge_paid: np.ndarray  # (R, A) sum of flow x rate paid by importer
    royalty_recv: np.ndarray  # (R, A) sum of flow x royalty rate earned by exporter


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > TINY)
    return out


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

    def summary(self, ratio: np.ndarray | None = None) -> StageSummary:
        """Sums of the flows, each exporter's deliveries scaled by ``ratio`` (realisation)."""
        R, A, pref = self.R, self.A, self.pref
        out = {k: np.zeros((R, A)) for k in StageSummary.__dataclass_fields__}
        p = self.plain
        if p.any() and self.rounds:
            a = np.stack([r[0] for r in self.rounds])  # (K, Rp, A)
            q = np.stack([r[1] for r in self.rounds])
            if ratio is not None:
                a = a * ratio[p][None]
            left = a @ pref.left  # sums over exporters i of a_i P_ij, and of a_i P_ij rival_ij
            right = q @ pref.right  # sums over importers j of P_ij q_j, and of P_ij rival_ij q_j
            A_ = len(pref.P)
            out["recv"][p] = (q * left[..., :A_]).sum(axis=0)
            out["rival_in"][p] = (q * left[..., A_:]).sum(axis=0)
            out["sent"][p] = (a * right[..., :A_]).sum(axis=0)
            out["rival_out"][p] = (a * right[..., A_:]).sum(axis=0)
            out["own"][p] = (a * q).sum(axis=0) * pref.diag
            # sum over suppliers of (sum over rounds of a^k_i P_ij q^k_j)^2
            aa = a[:, None] * a[None, :]  # (K, K, Rp, A)
            out["sumsq"][p] = ((aa @ pref.Psq) * q[:, None] * q[None, :]).sum(axis=(0, 1))
        if self.dense is not None and self.mods is not None:
            X = self.dense if ratio is None else self.dense * ratio[self.mods.rows][:, :, None]
            rows = self.mods.rows
            out["recv"][rows] = X.sum(axis=1)
            out["sent"][rows] = X.sum(axis=2)
            Xr = X * pref.rival
            out["own"][rows] = np.diagonal(X, axis1=1, axis2=2)
            out["rival_in"][rows] = Xr.sum(axis=1)
            out["rival_out"][rows] = Xr.sum(axis=2)
            out["sumsq"][rows] = (X * X).sum(axis=1)
            if self.mods.has_wedge:
                out["wedge_paid"][rows] = (X * self.mods.wedge).sum(axis=1)
            if self.mods.has_royalty:
                out["royalty_recv"][rows] = (X * self.mods.royalty).sum(axis=2)
        return StageSummary(**out)


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
        S, D = supply[rows].copy(), need[rows].copy()
        base, licensed, partial = mods.matrices(pref.P, tariff_elasticity)
        X = np.zeros((len(rows), A, A))
        refused = None if partial is None else np.zeros_like(X)
        Pd, Pr = base, licensed
        Pgap = None if refused is None else base - licensed
        # work arrays reused by every round (large worlds: no fresh allocation per step)
        x, work = np.empty_like(X), (None if refused is None else np.empty_like(X))
        for k in range(rounds):
            if refused is not None and k == 1:
                # a supplier that refuses everything is not asked again
                Pd, Pr, Pgap = base * partial, licensed * partial, Pgap * partial
            den = (S[:, None, :] @ Pd)[:, 0, :]
            inv = np.zeros_like(den)
            np.divide(1.0, den, out=inv, where=den > TINY)
            if refused is None or k == 0:
                # nothing refused yet: every exporter is asked for the same share of a need
                Q = (D * inv)[:, None, :]
            else:
                # an importer does not ask an exporter again for what that exporter's
                # licences refused it: that part of its need must be found elsewhere
                Q = np.subtract(D[:, None, :], refused, out=work)
                np.maximum(Q, 0.0, out=Q)
                Q *= inv[:, None, :]
            np.multiply(Pr, Q, out=x)  # (R, exporter, importer): asked
            rq = x.sum(axis=2)
            # exporters asked for more than they have ration pro rata; unasked ones send nothing
            a = S / np.maximum(rq, 1.0)
            a *= rq > TINY
            if refused is not None:
                gap = np.multiply(Pgap, Q, out=work)
                gap *= a[:, :, None]
                refused += gap
            x *= a[:, :, None]  # delivered
            X += x
            S = np.maximum(S - a * rq, 0.0)
            D = np.maximum(D - x.sum(axis=1), 0.0)
        flows.dense = X
        flows.sent_total[rows] = X.sum(axis=2)
        flows.recv_total[rows] = X.sum(axis=1)
        if refused is not None:
            # supply an exporter's licences kept off the market: not spare capacity
            flows.withheld[rows] = np.minimum(refused.sum(axis=2), S)
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
        mats = [m.matrices(pref.P, tariff_elasticity) for _, m in parts]
        # clearing reads only the rows and their matrices; the flows are not summarised
        unused = np.empty(0)
        stacked = StageMods(np.concatenate([m.rows + off for off, m in parts]), unused, unused, unused)
        partial = [m[2] if m[2] is not None else np.ones(m[0].shape) for m in mats]
        stacked._cache[(id(pref.P), tariff_elasticity)] = (
            np.concatenate([m[0] for m in mats]), np.concatenate([m[1] for m in mats]),
            None if all(m[2] is None for m in mats) else np.concatenate(partial))
    flows = clear_stage(np.concatenate([j[0] for j in jobs]), np.concatenate([j[1] for j in jobs]),
                        pref, stacked, rounds, tariff_elasticity)
    return [(flows.sent_total[k * R:(k + 1) * R], flows.recv_total[k * R:(k + 1) * R]) for k in range(len(jobs))]


@dataclass
class MarketResult:
    need: np.ndarray  # (R, A, S) what each actor would need if every plant reached its inputs
    plan: np.ndarray  # (R, A, S) what each actor sought, given what its plants could reach
    out: np.ndarray  # (R, A, S) realised output
    cap: np.ndarray  # (R, A, S) capacity available
    usable: np.ndarray  # (R, A, S) capacity that could reach its inputs
    withheld: np.ndarray  # (R, A, S) of it, supply an exporter's licences kept off the market
    flows: np.ndarray | None  # (R, S, A, A) realised flows exporter -> importer (small worlds only)
    delivered: np.ndarray  # (R, A) final demand met
    demand: np.ndarray  # (R, A) final demand
    build: np.ndarray  # (R, A) realised stockpile build
    release: np.ndarray  # (R, A) stockpile released and sold
    stages: tuple[StageSummary, StageSummary, StageSummary]

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
    take orders it cannot fill), so orders go to the plants that can deliver."""
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
    s_proc = proc.summary(ratio_proc)
    build_real = s_proc.recv * _div(build, need_proc)
    mfg_input = s_proc.recv - build_real
    ratio_mfg = np.minimum(1.0, _div(mfg_input, plan_mfg))
    ratio_mfg[plan_mfg <= TINY] = 1.0
    s_mfg = mfg.summary(ratio_mfg)
    s_ext = ext.summary(None)

    plan = np.stack([need_ext, need_proc, demand], axis=2)
    need = np.stack([np.maximum(want_ext, need_ext), np.maximum(want_proc, need_proc), demand], axis=2)
    out = np.stack([s_ext.sent, s_proc.sent, s_mfg.sent], axis=2)
    usable = np.stack([cap_ext, proc_usable, mfg_usable], axis=2)
    withheld = np.stack([ext.withheld, proc.withheld, mfg.withheld], axis=2)
    flows = None
    if all(f.dense is not None and len(f.mods.rows) == f.R for f in (ext, proc, mfg)):
        # every row took the dense path (a small world): who delivered to whom, as realised
        flows = np.stack([ext.dense, proc.dense * ratio_proc[:, :, None], mfg.dense * ratio_mfg[:, :, None]], axis=1)
    return MarketResult(need=need, plan=plan, out=out, cap=cap, usable=usable, withheld=withheld,
                        flows=flows, delivered=s_mfg.recv,
                        demand=demand, build=build_real, release=release_used,
                        stages=(s_ext, s_proc, s_mfg))


def preference(affinity: np.ndarray, rules, securitisation: float) -> Pref:
    """Preference of importer j for exporter i: home bias, and allied preference that
    grows with securitisation (pan-securitisation fragments trade into blocs)."""
    A = affinity.shape[0]
    strength = rules.ally_preference + rules.securitised_preference * securitisation
    logp = strength * affinity
    logp[np.diag_indices(A)] = rules.home_bias + strength
    P = np.exp(logp - logp.max())
    rival = (affinity < rules.rival_threshold).astype(float)
    np.fill_diagonal(rival, 0.0)
    Priv = P * rival
    return Pref(P=P, Psq=P * P, Priv=Priv, diag=np.diag(P).copy(), rival=rival,
                left=np.concatenate([P, Priv], axis=1), right=np.concatenate([P.T, Priv.T], axis=1))
