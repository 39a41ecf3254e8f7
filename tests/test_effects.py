"""The direction of every effect primitive on the meters it should move.

Each test is one row of the conformance table: the small world of ``worlds.py`` at
turn 0, one or two cards, and the meter movements expected against the quiet
counterfactual (the same turns with no card played).
"""

from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.world import EXT, PROC, REGULATORY, SUPPLY_CHAIN
from wargame.model.effects import EFFECT_KINDS
from worlds import edited, effect, ledger_gaps, play, quiet, restrict, run

# every effect kind has at least one test below; the guard test keeps it that way
COVERED = {
    "restrict_exports", "ore_export_ban", "tariff", "royalty", "subsidise_capacity",
    "invest_abroad", "join_bloc", "leave_bloc", "adjust_affinity", "price_floor", "stockpile",
    "screen_investment", "shift_demand", "change_substitutability", "securitise",
    "disrupt_supply", "fiscal_shock",
}


def test_every_effect_kind_has_a_direction_test():
    assert set(EFFECT_KINDS) <= COVERED, f"untested effect kinds: {set(EFFECT_KINDS) - COVERED}"


@pytest.fixture(scope="module")
def q():
    """The quiet counterfactual, ten turns."""
    return quiet(10)


# --- restrict_exports ----------------------------------------------------------------

def test_restrict_exports_raises_target_cost_shortage_and_price_now(q):
    g = run([[play("wielder", restrict("rare", ["target"], 0.8))]])
    assert g.m(1, "cost", "target") > q.m(1, "cost", "target") + 5
    assert g.m(1, "shortage", "target", "rare") > q.m(1, "shortage", "target", "rare") + 5
    assert g.m(1, "price", "rare") > q.m(1, "price", "rare")
    # the restricted target suffers more than a bystander that was not targeted
    assert (g.m(1, "shortage", "target", "rare") - q.m(1, "shortage", "target", "rare")
            > g.m(1, "shortage", "ally", "rare") - q.m(1, "shortage", "ally", "rare"))


def test_restrict_exports_grows_target_processing_capacity_after_backlash_lead_time(q):
    g = run([[play("wielder", restrict("rare", ["target"], 0.8))]], extra=5)
    lead = g.rules.backlash_lead_time
    base = g.cap(0, "target", "rare", PROC)
    for t in range(1, 1 + lead):  # nothing arrives before the lead time
        assert g.cap(t, "target", "rare", PROC) == pytest.approx(base)
    assert g.cap(1 + lead, "target", "rare", PROC) > base + 1.0
    assert q.cap(1 + lead, "target", "rare", PROC) == pytest.approx(base)


# --- ore_export_ban -----------------------------------------------------------------

def _ore_out(g, t, mineral):
    return float(g.meters[t]["capacity_used"][:, g.mi(mineral), EXT].sum())


def test_ore_export_ban_cuts_world_ore_supply_and_raises_price_now(q):
    g = run([[play("miner", effect("ore_export_ban", mineral="lith"))]])
    assert _ore_out(g, 1, "lith") < 0.8 * _ore_out(q, 1, "lith")
    assert g.m(1, "price", "lith") > 1.2 * q.m(1, "price", "lith")
    assert g.m(1, "shortage", "target", "lith") > q.m(1, "shortage", "target", "lith")


def test_ore_export_ban_builds_domestic_processing_over_two_to_four_turns(q):
    ban = effect("ore_export_ban", mineral="lith", lead_time=3, processing_build=0.5, severity=1.0)
    g = run([[play("miner", ban)]], extra=6)
    base = g.cap(0, "miner", "lith", PROC)
    # smelters for the ore it sold abroad: its mines' capacity beyond its own refineries'
    planned = 0.5 * 1.0 * (g.cap(0, "miner", "lith", EXT) - base)
    assert base > 0 and planned > 0
    # the smelters arrive over turns lead-1 .. lead+1 after the play (a 2-4 turn ramp)
    assert g.cap(2, "miner", "lith", PROC) == pytest.approx(base)
    assert base < g.cap(3, "miner", "lith", PROC) < g.cap(4, "miner", "lith", PROC) \
        < g.cap(5, "miner", "lith", PROC)
    assert g.cap(3, "miner", "lith", PROC) == pytest.approx(base + 0.25 * planned)
    # all of it has arrived by lead+1 (high prices may have drawn in a little more)
    assert g.cap(5, "miner", "lith", PROC) >= base + planned - 1e-9
    # ...and the banning state's share of world processing is higher afterwards
    for t in (5, 6, 7):
        assert g.m(t, "processing_share", "miner", "lith") > 2 * q.m(t, "processing_share", "miner", "lith")


def test_ore_exporter_has_positive_value_added():
    """A resource state that mines and exports ore adds value: its value_added meter is > 0.
    (The miner extracts ~55 units of rare ore and 50 of lith per turn and sells them.)"""
    g = quiet(1)
    assert g.meters[0]["capacity_used"][g.a("miner"), :, EXT].sum() > 50
    assert g.m(0, "value_added", "miner") > 0.5
    assert g.m(1, "value_added", "miner") > 0.5


def test_ore_export_ban_smelters_raise_banning_state_value_added():
    """Domestic processing (the point of an ore ban) raises the banning state's value
    added: the same ban with smelters beats it without, once the smelters run."""
    with_smelters = run([[play("miner", effect("ore_export_ban", mineral="lith", processing_build=1.0))]],
                        extra=6)
    without = run([[play("miner", effect("ore_export_ban", mineral="lith", processing_build=0.0))]],
                  extra=6)
    for t in (5, 6, 7):
        assert (with_smelters.m(t, "processing_share", "miner", "lith")
                > without.m(t, "processing_share", "miner", "lith") + 5)
        assert with_smelters.m(t, "value_added", "miner") > without.m(t, "value_added", "miner")


# --- tariff -----------------------------------------------------------------------

def test_tariff_raises_importer_cost(q):
    g = run([[play("target", effect("tariff", mineral="rare", on=["wielder"], rate=0.9))]])
    assert g.m(1, "cost", "target") > q.m(1, "cost", "target") + 1
    # the duty falls on the importer that levies it, not on bystanders
    assert abs(g.m(1, "cost", "ally") - q.m(1, "cost", "ally")) < 1


def _sole_processor(d):
    for row in d["capacity"]:
        if row["mineral"] == "rare" and row["stage"] == "processing":
            row["values"] = {"wielder": 110, "target": 2}


def test_tariff_without_alternative_supplier_does_not_cut_import_reliance():
    """The graphite duty lesson: with no other source, a duty raises cost and leaves
    the importer exactly as dependent."""
    sc = edited(_sole_processor)
    base = quiet(2, sc)
    g = run([[play("target", effect("tariff", mineral="rare", on=["wielder"], rate=0.935, duration=2))]],
            sc, extra=1)
    t_, r_ = g.a("target"), g.mi("rare")
    for t in (1, 2):
        ir = g.meters[t]["import_reliance"][t_, r_, PROC]
        ir0 = base.meters[t]["import_reliance"][t_, r_, PROC]
        assert ir > 90.0
        assert ir > ir0 - 2.0
        assert g.m(t, "cost", "target") > base.m(t, "cost", "target") + 5
        assert g.m(t, "dependency", "target") > base.m(t, "dependency", "target") - 2.0


def test_tariff_with_alternative_supplier_shifts_purchases_away_from_rival(q):
    g = run([[play("target", effect("tariff", mineral="rare", on=["wielder"], rate=0.9))]])
    t_, r_ = g.a("target"), g.mi("rare")
    rr = g.meters[1]["rival_reliance"][t_, r_, PROC]
    rr0 = q.meters[1]["rival_reliance"][t_, r_, PROC]
    assert rr < rr0 - 1.0


# --- royalty ----------------------------------------------------------------------

def test_royalty_raises_exporter_value_added(q):
    g = run([[play("miner", effect("royalty", mineral="lith", rate=0.3))]])
    assert g.m(1, "value_added", "miner") > q.m(1, "value_added", "miner") + 0.01
    # importers of its ore pay for it
    assert g.m(1, "cost", "wielder") > q.m(1, "cost", "wielder")


def test_royalty_slows_the_states_own_expansion_in_a_boom():
    """In a demand boom the state's mines see the price less the royalty they carry, so
    they book less new capacity than without it; others' mines book as before or more."""
    boom = play("target", effect("shift_demand", mineral="lith", change=0.8, actors=["all"], lead_time=0))
    royalty = play("miner", effect("royalty", mineral="lith", rate=0.3))

    def booked(g, actor: str) -> float:
        return sum(p.amount for p in g.world(1).pending
                   if p.mechanism == "market response" and p.actor == g.a(actor) and p.mineral == g.mi("lith"))

    plain, taxed = run([[boom]]), run([[boom, royalty]])
    assert booked(plain, "miner") > 0
    assert booked(taxed, "miner") < 0.9 * booked(plain, "miner")
    assert booked(taxed, "row") >= booked(plain, "row") - 1e-9


# --- subsidise_capacity ------------------------------------------------------------

SUBSIDY = dict(mineral="rare", stage="processing", amount=30.0, fiscal_cost=20.0,
               eligible=["self", "row"], lead_time=2)


def test_subsidy_adds_capacity_at_eligible_actors_after_lead_time(q):
    g = run([[play("target", effect("subsidise_capacity", **SUBSIDY))]], extra=3)
    for who in ("target", "row"):
        base = g.cap(0, who, "rare", PROC)
        assert g.cap(2, who, "rare", PROC) == pytest.approx(base)  # not before the lead time
        assert g.cap(3, who, "rare", PROC) > base + 1.0
    for who in ("wielder", "ally", "miner"):  # not eligible: nothing
        assert g.cap(3, who, "rare", PROC) == pytest.approx(g.cap(0, who, "rare", PROC))
    added = sum(g.cap(3, a, "rare", PROC) - g.cap(0, a, "rare", PROC) for a in ("target", "row"))
    assert added == pytest.approx(30.0)


def test_subsidy_origin_rule_excludes_named_actors():
    sub = effect("subsidise_capacity", mineral="rare", amount=30.0, fiscal_cost=10.0,
                 eligible=["all"], exclude=["wielder"], lead_time=1)
    g = run([[play("target", sub)]], extra=1)
    assert g.cap(2, "wielder", "rare", PROC) == pytest.approx(g.cap(0, "wielder", "rare", PROC))
    assert g.cap(2, "target", "rare", PROC) > g.cap(0, "target", "rare", PROC)


def test_subsidy_costs_the_payer_fiscally_and_locks_in(q):
    g = run([[play("target", effect("subsidise_capacity", **SUBSIDY))]])
    assert g.m(1, "cost_fiscal", "target") > q.m(1, "cost_fiscal", "target") + 10
    assert g.m(1, "cost", "target") > q.m(1, "cost", "target") + 10
    assert g.m(1, "lock_in", "target") >= 20.0
    assert g.m(1, "fiscal_pressure", "target") > 0
    # nobody else pays
    for who in ("wielder", "ally", "row"):
        assert g.m(1, "cost_fiscal", who) == pytest.approx(q.m(1, "cost_fiscal", who))
        assert g.m(1, "lock_in", who) == 0


def test_subsidy_lowers_cohesion_with_excluded_allies(q):
    g = run([[play("target", effect("subsidise_capacity", **SUBSIDY))]])
    # ally is in the club but not eligible: friction
    assert g.m(1, "cohesion", "club") < q.m(1, "cohesion", "club")
    w = g.last.affinity
    assert w[g.a("target"), g.a("ally")] == pytest.approx(
        q.last.affinity[q.a("target"), q.a("ally")] - g.rules.friction_per_exclusion)


def test_subsidy_open_to_all_allies_costs_no_cohesion():
    inclusive = dict(SUBSIDY, eligible=["self", "allies"])
    g = run([[play("target", effect("subsidise_capacity", **inclusive))]])
    assert g.m(1, "cohesion", "club") == pytest.approx(g.m(0, "cohesion", "club"))


# --- invest_abroad -----------------------------------------------------------------

INVEST = dict(mineral="lith", stage="processing", host="miner", amount=20.0, fiscal_cost=5.0, lead_time=3)


def test_invest_abroad_adds_host_capacity_after_lead_time(q):
    g = run([[play("wielder", effect("invest_abroad", **INVEST))]], extra=3)
    base = g.cap(0, "miner", "lith", PROC)
    assert g.cap(3, "miner", "lith", PROC) == pytest.approx(base)
    assert g.cap(4, "miner", "lith", PROC) == pytest.approx(base + 20.0)
    assert g.m(1, "cost_fiscal", "wielder") > q.m(1, "cost_fiscal", "wielder")
    assert g.world(1).lock_in[g.a("wielder"), SUPPLY_CHAIN] > 0
    assert g.world(1).affinity[g.a("wielder"), g.a("miner")] > q.world(1).affinity[q.a("wielder"), q.a("miner")]


def test_invest_abroad_is_blocked_by_host_screening(q):
    g = run([[play("miner", effect("screen_investment", against=["wielder"], duration=3))],
             [play("wielder", effect("invest_abroad", **INVEST))]], extra=4)
    base = g.cap(0, "miner", "lith", PROC)
    for t in range(1, 7):
        assert g.cap(t, "miner", "lith", PROC) == pytest.approx(base)
    # blocked: no money spent, no supply-chain lock-in
    assert g.world(2).lock_in[g.a("wielder"), SUPPLY_CHAIN] == 0
    assert g.m(2, "cost_fiscal", "wielder") == pytest.approx(q.m(2, "cost_fiscal", "wielder"))


def test_screening_only_blocks_the_screened_investor():
    g = run([[play("miner", effect("screen_investment", against=["wielder"], duration=3))],
             [play("row", effect("invest_abroad", **INVEST))]], extra=3)
    assert g.cap(5, "miner", "lith", PROC) == pytest.approx(g.cap(0, "miner", "lith", PROC) + 20.0)


# --- join_bloc / leave_bloc --------------------------------------------------------

def test_join_bloc_adds_member_and_changes_cohesion(q):
    g = run([[play("miner", effect("join_bloc", bloc="club"))]])
    assert g.last.member[g.b("club"), g.a("miner")] == 1.0
    assert q.last.member[q.b("club"), q.a("miner")] == 0.0
    assert g.m(1, "cohesion", "club") != pytest.approx(q.m(1, "cohesion", "club"))
    # accession warms the newcomer to the members and sinks regulatory costs
    assert g.last.affinity[g.a("miner"), g.a("target")] > 0
    assert g.last.lock_in[g.a("miner"), REGULATORY] > 0


def test_leave_bloc_removes_member_and_lowers_cohesion(q):
    """A walk-out costs the club cohesion, even when the member who leaves was the least
    attached one and the two left are closer to each other than the three were."""
    g = run([[play("row", effect("leave_bloc", bloc="club"))]])
    assert g.last.member[g.b("club"), g.a("row")] == 0.0
    assert g.m(1, "cohesion", "club") < q.m(1, "cohesion", "club")
    aff = q.last.affinity
    t, al, r = q.a("target"), q.a("ally"), q.a("row")
    assert aff[t, al] > (aff[t, al] + aff[t, r] + aff[al, r]) / 3  # the closer pair stays
    assert g.last.affinity[g.a("row"), g.a("target")] < q.last.affinity[q.a("row"), q.a("target")]


def test_leave_bloc_after_lock_in_costs_more():
    invest = effect("invest_abroad", mineral="lith", host="miner", amount=5.0, fiscal_cost=30.0)
    leave = effect("leave_bloc", bloc="club")
    locked = run([[play("row", invest)], [play("row", invest)], [play("row", leave)]])
    free = run([[], [], [play("row", leave)]])
    assert locked.world(2).lock_in[locked.a("row"), SUPPLY_CHAIN] > 30
    assert locked.m(3, "cost_fiscal", "row") > free.m(3, "cost_fiscal", "row") + 10
    # the reversal also sours relations with the former partners more
    a_l = locked.last.affinity[locked.a("row"), locked.a("target")]
    a_f = free.last.affinity[free.a("row"), free.a("target")]
    assert a_l < a_f


# --- adjust_affinity ---------------------------------------------------------------

@pytest.mark.parametrize("delta", [-0.4, 0.2])
def test_adjust_affinity_moves_cohesion_in_its_direction(q, delta):
    g = run([[play("target", effect("adjust_affinity", **{"with": ["ally"]}, delta=delta))]])
    change = g.m(1, "cohesion", "club") - q.m(1, "cohesion", "club")
    assert np.sign(change) == np.sign(delta)
    assert g.last.affinity[g.a("target"), g.a("ally")] == pytest.approx(0.7 + delta)
    # symmetric
    assert g.last.affinity[g.a("ally"), g.a("target")] == pytest.approx(0.7 + delta)


# --- price_floor -------------------------------------------------------------------

def test_price_floor_costs_the_payer_when_price_is_below_the_floor(q):
    g = run([[play("target", effect("price_floor", mineral="lith", level=1.5, covers=["row"], duration=2))]],
            extra=2)
    for t in (1, 2):
        assert g.m(t, "cost_fiscal", "target") > q.m(t, "cost_fiscal", "target") + 0.1
    # lapsed after its duration: no more payments
    assert g.m(3, "cost_fiscal", "target") == pytest.approx(q.m(3, "cost_fiscal", "target"))


def test_price_floor_top_ups_are_the_covered_producers_revenue(q):
    """What the payer tops up, the covered producers receive: it counts in their value added."""
    g = run([[play("target", effect("price_floor", mineral="lith", level=1.5, covers=["row"], duration=1))]])
    gained = g.m(1, "value_added", "row") - q.m(1, "value_added", "row")
    assert gained > 0.0
    same = run([[play("target", effect("price_floor", mineral="lith", level=0.5, covers=["row"], duration=1))]])
    assert same.m(1, "value_added", "row") == pytest.approx(q.m(1, "value_added", "row"))


def test_a_producer_under_two_floors_is_topped_up_once_to_the_higher(q):
    """Floors overlap (a state's own and a club's): the covered producer gets the gap to the
    highest floor, paid by whoever set that one, not the sum of both gaps."""
    high = effect("price_floor", mineral="lith", level=1.8, covers=["row"], duration=1)
    low = effect("price_floor", mineral="lith", level=1.4, covers=["row", "ally"], duration=1)
    both = run([[play("target", high), play("ally", low)]])
    only = run([[play("target", high)]])
    lowonly = run([[play("ally", low)]])
    paid = lambda g, who: g.m(1, "cost_fiscal", who) - q.m(1, "cost_fiscal", who)  # noqa: E731
    gained = lambda g: g.m(1, "value_added", "row") - q.m(1, "value_added", "row")  # noqa: E731
    assert gained(only) > gained(lowonly) > 0
    assert gained(both) == pytest.approx(gained(only), rel=0.02)
    assert paid(both, "target") == pytest.approx(paid(only, "target"), rel=0.02)
    # the lower floor still pays for the producers only it covers (none here produces: ally)
    assert paid(both, "ally") < 0.05 * paid(lowonly, "ally") + 1e-9


def test_price_floor_top_ups_weigh_on_the_budget_like_spending(q):
    """What a floor pays out each year is fiscal spending: it counts in the payer's fiscal
    load (fiscal pressure) and feeds its fiscal path, so its sunk costs do not wear off
    while the floor is paid."""
    g = run([[play("target", effect("price_floor", mineral="lith", level=1.8, covers=["row"], duration=4))]],
            extra=3)
    t = g.a("target")
    for k in (1, 2, 3):
        assert g.world(k).fiscal_load[t] > q.world(k).fiscal_load[t] + 1e-4
        assert g.m(k, "fiscal_pressure", "target") > q.m(k, "fiscal_pressure", "target")


def test_capacity_a_price_floor_draws_in_is_booked_and_told_as_the_floors(q):
    """Covered producers invest as if the price were the floor; what they book is the
    floor's doing, not high prices, in the pipeline, the ledger and the news."""
    g = run([[play("target", effect("price_floor", mineral="lith", level=3.0, covers=["row"], duration=2))]])
    lith, row = g.mi("lith"), g.a("row")
    drawn = [p for p in g.world(1).pending if p.mechanism == "market response" and p.mineral == lith]
    assert any(p.origin == "floor" and p.actor == row for p in drawn)
    assert all(p.actor == row for p in drawn if p.origin == "floor")
    assert any(line.key == "floor_boom" for line in g.results[0].news)
    assert not any(p.origin == "floor" for p in q.world(1).pending)


def test_price_floor_below_the_market_price_costs_nothing(q):
    g = run([[play("target", effect("price_floor", mineral="lith", level=0.5, covers=["row"]))]])
    assert g.m(1, "cost_fiscal", "target") == pytest.approx(q.m(1, "cost_fiscal", "target"))


# --- stockpile ---------------------------------------------------------------------

def test_stockpile_build_raises_stock_and_price(q):
    g = run([[play("target", effect("stockpile", mineral="rare", action="build", amount=15.0, fiscal_cost=1.0))]])
    t_, r_ = g.a("target"), g.mi("rare")
    assert g.last.stock[t_, r_] > q.last.stock[t_, r_] + 5
    assert g.m(1, "price", "rare") > q.m(1, "price", "rare")
    assert g.m(1, "cost_fiscal", "target") > q.m(1, "cost_fiscal", "target")


def test_stockpile_release_lowers_shortage_and_draws_down_stock():
    cut = play("wielder", restrict("rare", ["target"], 0.8))
    without = run([[cut]])
    g = run([[cut, play("target", effect("stockpile", mineral="rare", action="release", amount=10.0))]])
    t_, r_ = g.a("target"), g.mi("rare")
    assert g.m(1, "shortage", "target", "rare") < without.m(1, "shortage", "target", "rare") - 1
    assert g.last.stock[t_, r_] < without.last.stock[t_, r_]
    assert g.last.stock[t_, r_] >= 0


def test_stockpile_release_news_gives_what_was_released_not_what_was_asked():
    """A release is capped at the stock held; the news line says what actually went out."""
    g = run([[play("target", effect("stockpile", mineral="rare", action="release", amount=1e6))]])
    held = float(g.world(0).stock[g.a("target"), g.mi("rare")])
    (line,) = [n for n in g.results[0].news if n.key == "stock_release"]
    assert 0 < line.args["amount"] == pytest.approx(held)
    assert line.args["amount"] < 1e6


# --- screen_investment -------------------------------------------------------------

def test_screen_investment_with_divest_cuts_pending_investment():
    inv = effect("invest_abroad", **INVEST)
    screen = effect("screen_investment", against=["wielder"], duration=3, divest=0.5)
    g = run([[play("wielder", inv)], [play("miner", screen)]], extra=3)
    pend = lambda t: sum(p.amount for p in g.world(t).pending if p.investor == g.a("wielder"))  # noqa: E731
    assert pend(1) == pytest.approx(20.0)
    assert pend(2) == pytest.approx(10.0)
    assert g.cap(4, "miner", "lith", PROC) == pytest.approx(g.cap(0, "miner", "lith", PROC) + 10.0)


def test_screen_investment_without_divest_leaves_pending_investment():
    inv = effect("invest_abroad", **INVEST)
    g = run([[play("wielder", inv)], [play("miner", effect("screen_investment", against=["wielder"]))]],
            extra=2)
    assert g.cap(4, "miner", "lith", PROC) == pytest.approx(g.cap(0, "miner", "lith", PROC) + 20.0)


# --- shift_demand ------------------------------------------------------------------

def test_shift_demand_changes_demand_after_lead_time(q):
    g = run([[play(None, effect("shift_demand", mineral="lith", change=-0.2, lead_time=2))]], extra=3)
    li, r = g.mi("lith"), g.mi("rare")
    np.testing.assert_allclose(g.world(2).demand_shift[:, li], 1.0)  # not yet
    np.testing.assert_allclose(g.world(3).demand_shift[:, li], 0.8)  # from the lead time on
    np.testing.assert_allclose(g.world(3).demand_shift[:, r], 1.0)  # the other mineral: untouched
    d = lambda game, t: game.world(t).demand(game.index)[:, li].sum()  # noqa: E731
    assert d(g, 2) == pytest.approx(d(q, 2))
    assert d(g, 3) < 0.9 * d(q, 3)


def test_shift_demand_with_no_lead_time_acts_now(q):
    g = run([[play(None, effect("shift_demand", mineral="lith", change=0.5, lead_time=0))]])
    np.testing.assert_allclose(g.world(1).demand_shift[:, g.mi("lith")], 1.5)
    assert g.m(1, "shortage", "target", "lith") > q.m(1, "shortage", "target", "lith") + 5


# --- change_substitutability -------------------------------------------------------

def test_change_substitutability_lowers_dependency(q):
    g = run([[play(None, effect("change_substitutability", mineral="rare", delta=0.4))]])
    assert g.last.subst[g.mi("rare")] == pytest.approx(q.last.subst[q.mi("rare")] + 0.4)
    for who in ("target", "ally"):
        assert g.m(1, "dependency", who) < q.m(1, "dependency", who) - 1


# --- securitise --------------------------------------------------------------------

def test_securitise_raises_the_securitisation_meter(q):
    g = run([[play(None, effect("securitise", delta=0.3))]], extra=1)
    assert g.m(1, "securitisation") > q.m(1, "securitisation") + 20
    # it feeds through to costs for everyone once markets clear under it
    for who in ("wielder", "target", "ally", "row"):
        assert g.m(2, "cost", who) > q.m(2, "cost", who)


# --- disrupt_supply ----------------------------------------------------------------

def test_disrupt_supply_raises_price_and_shortage(q):
    g = run([[play(None, effect("disrupt_supply", mineral="rare", actors=["miner"], fraction=0.8))]])
    assert g.m(1, "price", "rare") > 1.2 * q.m(1, "price", "rare")
    for who in ("target", "ally", "wielder"):
        assert g.m(1, "shortage", who, "rare") > q.m(1, "shortage", who, "rare") + 1
    # the capacity is knocked out only for the duration, not destroyed
    assert g.cap(1, "miner", "rare", EXT) == pytest.approx(g.cap(0, "miner", "rare", EXT))


# --- fiscal_shock ------------------------------------------------------------------

def test_fiscal_shock_raises_fiscal_pressure():
    spend = play("target", effect("subsidise_capacity", **SUBSIDY))
    shock = play(None, effect("fiscal_shock", actors=["target"], delta=-0.5))
    base = run([[spend], []])
    g = run([[spend], [shock]])
    assert base.m(2, "fiscal_pressure", "target") > 0
    assert g.m(2, "fiscal_pressure", "target") == pytest.approx(2.0 * base.m(2, "fiscal_pressure", "target"))
    assert g.last.fiscal_room[g.a("target")] == pytest.approx(0.5)


# --- the ledger --------------------------------------------------------------------

def test_ledger_attributes_the_subsidy_cohesion_drop_to_friend_shoring():
    g = run([[play("target", effect("subsidise_capacity", **SUBSIDY))]])
    cause = g.causes[0][0]
    lines = [ln for ln in g.ledger(1) if ln.meter == "cohesion" and ln.key == "club" and ln.cause == cause]
    assert len(lines) == 1
    assert lines[0].delta < 0
    assert lines[0].mechanism == "friend-shoring"


def test_a_single_card_in_a_steady_world_is_explained_without_carry_over():
    g = run([[play("wielder", restrict("rare", ["target"], 0.8))]])
    assert not [ln for ln in g.ledger(1) if ln.cause == "carry-over"]
    cause = g.causes[0][0]
    mine = {ln.key: ln.delta for ln in g.ledger(1) if ln.cause == cause and ln.meter == "cost"}
    assert mine["target"] > 5
    assert all(ln.mechanism == "weaponised interdependence" for ln in g.ledger(1) if ln.cause == cause)


def test_ledger_lines_sum_to_the_total_change_of_every_ledger_meter():
    cards = [
        [play("wielder", restrict("rare", ["target", "ally"], 0.7, duration=2)),
         play("target", effect("subsidise_capacity", **SUBSIDY))],
        [play("miner", effect("ore_export_ban", mineral="lith")),
         play("target", effect("tariff", mineral="lith", on=["wielder"], rate=0.5))],
        [play("ally", effect("leave_bloc", bloc="club")), play(None, effect("securitise", delta=0.2))],
        [],
        [play("target", effect("stockpile", mineral="rare", action="release", amount=5.0))],
    ]
    g = run(cards, extra=1)
    for t in range(1, len(g.results) + 1):
        n_causes = len({ln.cause for ln in g.ledger(t)})
        tol = 1e-6 * (n_causes + 1)  # each cause may drop a line below the ledger's 1e-6 cut
        gaps = ledger_gaps(g, t)
        bad = {k: v for k, v in gaps.items() if abs(v) > tol}
        assert not bad, f"turn {t}: ledger does not add up: {bad}"
        # every line has a cause that is a play of the turn, an arrival, a mechanism or carry-over
        for ln in g.ledger(t):
            assert (ln.cause in g.causes[t - 1] or ln.cause.startswith(("arrival:", "mechanism:"))
                    or ln.cause == "carry-over"), ln


def test_purely_national_subsidy_snubs_no_ally(q):
    national = dict(SUBSIDY, eligible=["self"], exclude=[])
    g = run([[play("target", effect("subsidise_capacity", **national))]])
    assert g.m(1, "cohesion", "club") == pytest.approx(q.m(1, "cohesion", "club"))
    lock = g.world(1).lock_in[g.a("target")]
    assert lock[0] > 0 and lock[2] == 0  # fiscal path only: no joint supply chain
