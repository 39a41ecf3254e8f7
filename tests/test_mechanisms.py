"""The mechanisms of BRIEF section 2, as qualitative histories of the small world.

Each test plays a short sequence of cards headlessly and asserts the shape of what
follows (who gains, who loses, what arrives when), not calibrated magnitudes.
"""

from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.world import FISCAL, PROC, REGULATORY, SUPPLY_CHAIN
from worlds import edited, effect, play, quiet, restrict, run


@pytest.fixture(scope="module")
def q():
    return quiet(16)


def _cut(who="wielder", severity=0.8, to=("target",)):
    return play(who, restrict("rare", list(to), severity))


# --- 1. weaponised interdependence ---------------------------------------------------

def test_chokepoint_controller_has_the_most_leverage(q):
    """Leverage is over everyone else's needs: the refiner at the chokepoint has the most;
    the miner, which sells ore the refiners depend on, has some; consumers have little."""
    lev = q.meters[0]["leverage"]
    w = q.a("wielder")
    consumers = [lev[q.a(a)] for a in ("target", "ally", "row")]
    assert lev[w] > 30
    assert all(lev[w] > lev[a] for a in range(len(lev)) if a != w)
    assert lev[w] > 5 * max(consumers)
    assert lev[q.a("miner")] > 5 * max(consumers)


def test_a_substitutable_mineral_gives_less_leverage(q):
    """A technology shift that lets users replace the mineral takes leverage away: each
    mineral counts by (1 - substitutability), as in dependency. Here rare, most of the
    wielder's leverage, goes from 0.9 to 0.4 of its weight."""
    g = run([[play("target", effect("change_substitutability", mineral="rare", delta=0.5))]], extra=1)
    w = q.a("wielder")
    assert float(g.worlds[1].subst[g.index.mineral_pos["rare"]]) > float(q.worlds[1].subst[q.index.mineral_pos["rare"]])
    for t in (1, 2):
        assert g.meters[t]["leverage"][w] < 0.75 * q.meters[t]["leverage"][w]


def test_restriction_by_the_chokepoint_hurts_more_than_by_a_minor_supplier(q):
    hub = run([[_cut("wielder")]])
    minor = run([[_cut("row")]])
    d = lambda g, meter, *k: g.m(1, meter, *k) - q.m(1, meter, *k)  # noqa: E731
    assert d(hub, "cost", "target") > d(minor, "cost", "target") + 10
    assert d(hub, "shortage", "target", "rare") > d(minor, "shortage", "target", "rare") + 10
    assert d(hub, "price", "rare") > d(minor, "price", "rare")


def test_restriction_hurts_in_proportion_to_its_severity(q):
    mild = run([[_cut(severity=0.3)]])
    harsh = run([[_cut(severity=0.9)]])
    assert (harsh.m(1, "shortage", "target", "rare") > mild.m(1, "shortage", "target", "rare")
            > q.m(1, "shortage", "target", "rare"))


def _with_ally_affinity(value: float, **rules):
    """The small world with the wielder-ally affinity set to ``value``."""
    def edit(d):
        for pair in d["affinity"]["pairs"]:
            if pair["between"] == ["wielder", "ally"]:
                pair["value"] = value
    return edited(edit, **rules)


def test_rivalry_ramps_in_over_a_band_of_affinity():
    """Reliance on a rival grows with estrangement over ``rival_band`` around the
    threshold (-0.3 +- 0.1): a pair souring by a hair across -0.3 moves the meter by a
    hair, not by all of their trade at once (a hard step when the band is 0)."""
    def rr(value, **rules):
        g = run([], scenario=_with_ally_affinity(value, **rules), extra=0)
        return g.meters[0]["rival_reliance"][g.a("ally"), g.mi("rare"), PROC]
    full, none = rr(-0.45), rr(-0.15)
    assert full > 30 and none < 1.0
    assert rr(-0.4) == pytest.approx(full, rel=0.05)
    assert rr(-0.2) < 1.0
    near = rr(-0.29), rr(-0.31)
    assert none < near[0] < near[1] < full
    assert near[1] - near[0] < 0.2 * (full - none)
    assert none < rr(-0.35) < full
    hard = rr(-0.29, rival_band=0.0), rr(-0.31, rival_band=0.0)
    assert hard[0] < 1.0 and hard[1] > 0.8 * full  # (need left unmet counts in it too)


def test_a_pair_that_sours_into_rivals_is_in_the_news():
    """Backlash sours the target of repeated controls on the wielder; the turn their
    affinity crosses the threshold, the news says they now count each other as rivals."""
    g = run([[_cut("wielder", 0.9, ("ally",))]] * 4, scenario=_with_ally_affinity(-0.27), extra=0)
    lines = [(t + 1, line) for t, r in enumerate(g.results) for line in r.news if line.key == "rivals"]
    assert len(lines) == 1
    turn, line = lines[0]
    w, a = g.a("wielder"), g.a("ally")
    assert g.world(turn - 1).affinity[w, a] >= -0.3 > g.world(turn).affinity[w, a]
    assert {line.args["actor"].id, line.args["other"].id} == {"wielder", "ally"}
    assert "now count each other as rivals" in line


# --- 2. backlash ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def coerced():
    """The wielder restricts rare exports to the target three turns running, then stops."""
    return run([[_cut()], [_cut()], [_cut()]], extra=7)


def test_repeated_restriction_builds_target_capacity_and_substitutes(q, coerced):
    g = coerced
    assert g.cap(10, "target", "rare", PROC) > 5 * g.cap(0, "target", "rare", PROC)
    assert q.cap(10, "target", "rare", PROC) == pytest.approx(q.cap(0, "target", "rare", PROC))
    r = g.mi("rare")
    assert g.world(3).subst[r] > g.world(0).subst[r] + 0.02
    # substitution builds up turn by turn while the pressure lasts
    assert g.world(1).subst[r] < g.world(2).subst[r] < g.world(3).subst[r]
    # and the target ends up less dependent than it started
    assert g.m(10, "dependency", "target") < g.m(0, "dependency", "target") - 5


def test_backlash_erodes_the_wielders_leverage_below_where_it_started(q, coerced):
    g = coerced
    start = g.m(0, "leverage", "wielder")
    for t in range(7, 11):  # long after the restrictions lapsed
        assert g.m(t, "leverage", "wielder") < start - 10
        assert g.m(t, "leverage", "wielder") < q.m(t, "leverage", "wielder") - 10
    # relations sour with the target
    assert g.last.affinity[g.a("wielder"), g.a("target")] < q.last.affinity[q.a("wielder"), q.a("target")]


def test_backlash_builds_more_after_harsher_coercion():
    mild = run([[_cut(severity=0.2)]], extra=4)
    harsh = run([[_cut(severity=0.9)]], extra=4)
    assert harsh.cap(5, "target", "rare", PROC) > mild.cap(5, "target", "rare", PROC)


# --- 3. pan-securitisation ------------------------------------------------------------

@pytest.fixture(scope="module")
def screened():
    """Four actors screen investment (a coercive measure in force for four turns), in a
    world whose rules weigh a screen on the index as much as a full restriction."""
    screen = lambda a: play(a, effect("screen_investment", against=["miner"], duration=4))  # noqa: E731
    return run([[screen("target"), screen("ally"), screen("row"), screen("wielder")]], extra=5,
               scenario=edited(lambda d: None, screen_securitisation=1.0))


def test_a_screen_weighs_less_on_securitisation_than_a_full_restriction():
    """A screen stops no flow: by default it counts a quarter of a full measure."""
    screen = run([[play("target", effect("screen_investment", against=["miner"], duration=2))]])
    cut = run([[play("target", restrict("lith", ["miner"], 1.0, duration=2))]])
    full = run([[play("target", effect("screen_investment", against=["miner"], duration=2))]],
               scenario=edited(lambda d: None, screen_securitisation=1.0))
    assert 0 < screen.m(1, "securitisation") < cut.m(1, "securitisation")
    assert screen.m(1, "securitisation") == pytest.approx(0.25 * full.m(1, "securitisation"))


def test_a_royalty_pushes_securitisation_once_though_levied_at_two_stages():
    """A royalty taxes ore and refined exports alike (two stages), but it is one measure:
    it pushes the index as much as a duty of the same rate at one stage."""
    royalty = run([[play("miner", effect("royalty", mineral="lith", rate=0.2, duration=2))]])
    duty = run([[play("target", effect("tariff", mineral="lith", on=["miner"], rate=0.2, duration=2))]])
    assert royalty.m(1, "securitisation") == pytest.approx(duty.m(1, "securitisation"))
    assert royalty.m(1, "securitisation") > 0


def test_many_measures_raise_the_securitisation_index(screened):
    s = [screened.m(t, "securitisation") for t in range(7)]
    assert s[0] == 0
    assert s[1] < s[2] < s[3] < s[4]  # climbs while the measures are in force
    assert s[5] < s[4] and s[6] < s[5]  # decays once they lapse
    one = run([[play("target", effect("screen_investment", against=["miner"], duration=4))]], extra=3)
    assert one.m(4, "securitisation") < s[4]


def test_securitisation_raises_costs_for_all(q, screened):
    for t in (3, 4, 5):
        for who in screened.index.actors:
            assert screened.m(t, "cost", who) > q.m(t, "cost", who) + 1


def test_securitisation_shifts_trade_toward_allies(q, screened):
    li = screened.mi("lith")
    for who in ("target", "ally"):
        a = screened.a(who)
        for t in (3, 4, 5):
            assert (screened.meters[t]["rival_reliance"][a, li, PROC]
                    < q.meters[t]["rival_reliance"][a, li, PROC] - 1)
        assert screened.m(4, "dependency", who) < q.m(4, "dependency", who)


# --- 4. friend-shoring ---------------------------------------------------------------

IRA = dict(mineral="rare", stage="processing", amount=40.0, fiscal_cost=20.0,
           eligible=["self", "row"], exclude=["wielder"], lead_time=2)


def test_ira_style_credit_moves_processing_toward_eligible_allies(q):
    g = run([[play("target", effect("subsidise_capacity", **IRA))]], extra=4)
    for t in (4, 5):
        assert g.m(t, "processing_share", "target", "rare") > q.m(t, "processing_share", "target", "rare") + 5
        assert g.m(t, "processing_share", "row", "rare") > q.m(t, "processing_share", "row", "rare")
        assert g.m(t, "processing_share", "wielder", "rare") < q.m(t, "processing_share", "wielder", "rare") - 5
        assert g.m(t, "dependency", "target") < q.m(t, "dependency", "target")


def test_ira_style_credit_costs_cohesion_with_excluded_allies(q):
    g = run([[play("target", effect("subsidise_capacity", **IRA))]])
    assert g.m(1, "cohesion", "club") < q.m(1, "cohesion", "club")
    assert (g.last.affinity[g.a("target"), g.a("ally")]
            < q.last.affinity[q.a("target"), q.a("ally")])
    # the eligible ally is not offended
    assert (g.last.affinity[g.a("target"), g.a("row")]
            == pytest.approx(q.last.affinity[q.a("target"), q.a("row")]))


def test_a_programme_over_several_minerals_snubs_an_ally_once(q):
    """A card with one subsidy effect per mineral is one programme: the excluded ally
    takes offence once, not once per mineral."""
    one = run([[play("target", effect("subsidise_capacity", **IRA))]])
    lith = dict(IRA, mineral="lith")
    two = run([[play("target", effect("subsidise_capacity", **IRA), effect("subsidise_capacity", **lith))]])
    drop = lambda g: q.last.affinity[q.a("target"), q.a("ally")] - g.last.affinity[g.a("target"), g.a("ally")]  # noqa: E731
    assert drop(one) > 0
    assert drop(two) == pytest.approx(drop(one))


# --- 5. resource nationalism ---------------------------------------------------------

def test_ore_ban_gives_a_short_term_price_shock_then_in_country_processing(q):
    g = run([[play("miner", effect("ore_export_ban", mineral="lith", lead_time=3))]], extra=6)
    assert g.m(1, "price", "lith") > 1.5 * q.m(1, "price", "lith")
    assert g.m(1, "shortage", "target", "lith") > q.m(1, "shortage", "target", "lith") + 5
    assert g.cap(6, "miner", "lith", PROC) > 4 * g.cap(0, "miner", "lith", PROC)
    assert g.m(6, "processing_share", "miner", "lith") > 2 * q.m(6, "processing_share", "miner", "lith")
    # the ban is temporary: by then ore flows again and nobody is short
    assert g.m(6, "shortage", "target", "lith") < 1


def test_an_ore_ban_prices_the_scarcity_at_the_ore_not_at_starved_plants(q):
    """The binding link is the ore: its price rises most, and downstream prices rise by
    what their input costs them more. Refiners and factories idle for want of input earn
    no windfall; the other miner, with ore to sell, gains."""
    g = run([[play("miner", effect("ore_export_ban", mineral="lith", lead_time=3))]], extra=1)
    ext, proc, mfg = g.world(1).price[g.mi("lith")]
    assert ext > proc > mfg > 1.0
    mult = g.index.stage_mult
    assert proc - 1.0 == pytest.approx((ext - 1.0) * mult[0] / mult[1], rel=0.05)
    gain = lambda who: g.m(1, "value_added", who) - q.m(1, "value_added", who)  # noqa: E731
    assert gain("row") > 0
    for starved in ("wielder", "target", "ally"):
        assert gain(starved) < 0


def test_a_control_on_refined_exports_makes_refined_material_the_dearest_stage(q):
    """A hub that licenses only part of its refined exports: the hole is at refining, so
    refined material is dearest and the ore barely moves, even in a world where some
    refineries could not reach ore from the start (a share that does not count as a
    shortage of ore)."""
    def ore_poor(d):  # the target gets a refinery of its own, with no ore to reach
        for row in d["capacity"]:
            if row["mineral"] == "rare" and row["stage"] == "processing":
                row["values"]["target"] = 30
    poor = edited(ore_poor)
    r = q.mi("rare")
    assert quiet(1, scenario=poor).world(0).base_starved[r, PROC] > 0.05
    for world in (None, poor):
        g = run([[_cut("wielder", 0.6, ("target", "ally"))]], scenario=world)
        ore, refined, made = g.world(1).price[r]
        assert refined > max(ore, made) and refined > 1.05
        assert ore < 1.0 + 0.25 * (refined - 1.0)


def test_ore_ban_unsettles_investors():
    """Those who refine the ore take offence; those with no stake in it do not."""
    g = run([[play("miner", effect("ore_export_ban", mineral="lith"))]])
    for other in ("wielder", "row"):  # they refine lith
        assert g.last.affinity[g.a("miner"), g.a(other)] < g.world(0).affinity[g.a("miner"), g.a(other)]
    for other in ("target", "ally"):  # they do not
        assert g.last.affinity[g.a("miner"), g.a(other)] == pytest.approx(g.world(0).affinity[g.a("miner"), g.a(other)])


# --- 6. lock-in ------------------------------------------------------------------------

SPEND = dict(mineral="rare", amount=5.0, fiscal_cost=10.0)


def test_sunk_costs_grow_while_spending_continues_and_decay_after():
    sub = play("target", effect("subsidise_capacity", **SPEND))
    g = run([[sub], [sub], [sub], [sub]], extra=3)
    lock = [g.m(t, "lock_in", "target") for t in range(8)]
    assert lock[0] == 0
    assert lock[1] < lock[2] < lock[3] < lock[4]
    assert lock[4] > 40.0  # more than the 4 x 10bn spent: sunk costs reinforce themselves
    assert lock[5] < lock[4] and lock[6] < lock[5] and lock[7] < lock[6]


def test_tariffs_stay_reversible_and_do_not_lock_in():
    tariff = play("target", effect("tariff", mineral="rare", on=["wielder"], rate=0.5, duration=3))
    g = run([[tariff], [tariff]])
    assert g.m(2, "lock_in", "target") == 0


def test_leaving_a_bloc_after_heavy_lock_in_costs_more_fiscally():
    invest = effect("invest_abroad", mineral="rare", host="miner", amount=5.0, fiscal_cost=30.0)
    leave = effect("leave_bloc", bloc="club")
    heavy = run([[play("row", invest)]] * 3 + [[play("row", leave)]])
    light = run([[], [], [], [play("row", leave)]])
    assert heavy.m(3, "lock_in", "row") > 50
    assert heavy.m(4, "cost_fiscal", "row") > light.m(4, "cost_fiscal", "row") + 10
    assert heavy.m(4, "cost", "row") > light.m(4, "cost", "row")


def test_an_allied_subsidy_programme_locks_in_the_supply_chain_path_and_makes_exit_costly():
    """A credit shared with allied producers is joint allied investment (BRIEF 2.6, the
    supply-chain path), unlike a purely domestic subsidy (the fiscal path); its sunk
    costs make leaving the club expensive."""
    shared = play("target", effect("subsidise_capacity", mineral="rare", amount=10.0, fiscal_cost=30.0,
                                   eligible=["self", "row"]))
    domestic = play("target", effect("subsidise_capacity", mineral="rare", amount=10.0, fiscal_cost=30.0,
                                     eligible=["self"]))
    leave = play("target", effect("leave_bloc", bloc="club"))
    g = run([[shared]] * 3 + [[leave]])
    home = run([[domestic]])
    t_ = g.a("target")
    assert home.world(1).lock_in[t_, FISCAL] > 0 and home.world(1).lock_in[t_, SUPPLY_CHAIN] == 0
    assert g.world(3).lock_in[t_, SUPPLY_CHAIN] > 30
    free = run([[], [], [], [leave]])
    assert g.m(4, "cost_fiscal", "target") > free.m(4, "cost_fiscal", "target") + 10


# --- 7. second-round externalities -------------------------------------------------------

def test_subsidy_spending_creates_fiscal_pressure():
    sub = play("target", effect("subsidise_capacity", **SPEND))
    g = run([[sub], [sub], [sub]], extra=2)
    fp = [g.m(t, "fiscal_pressure", "target") for t in range(6)]
    assert fp[0] == 0
    assert 0 < fp[1] < fp[2] < fp[3]  # accumulates while spending continues
    assert fp[4] < fp[3]  # eases when it stops


def test_an_exclusive_club_pushes_excluded_producers_to_other_partners():
    g = run([[play("target", effect("subsidise_capacity", **IRA))]])
    t_, m_ = g.a("target"), g.a("miner")
    assert g.last.affinity[t_, m_] == pytest.approx(g.world(0).affinity[t_, m_] - g.rules.fragmentation_rate)


# --- 8. de-internalisation thresholds ------------------------------------------------------

BIG = dict(mineral="rare", amount=30.0, fiscal_cost=40.0, lead_time=2)


def test_fiscal_tightening_over_the_threshold_halves_fiscal_lock_in():
    sub = play("target", effect("subsidise_capacity", **BIG))
    shock = play(None, effect("fiscal_shock", actors=["target"], delta=-0.8))
    cut = run([[sub], [shock]], extra=1)
    steady = run([[sub], []], extra=1)
    t_ = cut.a("target")
    assert cut.m(2, "fiscal_pressure", "target") > cut.rules.fiscal_threshold
    assert steady.m(2, "fiscal_pressure", "target") < steady.rules.fiscal_threshold
    assert "fiscal:target" in cut.world(2).flags
    assert "fiscal:target" not in steady.world(2).flags
    assert cut.world(2).lock_in[t_, FISCAL] == pytest.approx(0.5 * steady.world(2).lock_in[t_, FISCAL])
    # subsidy programmes in the pipeline are cut back too
    added = lambda g: g.cap(3, "target", "rare", PROC) - g.cap(0, "target", "rare", PROC)  # noqa: E731
    assert added(cut) == pytest.approx(0.5 * added(steady))


def test_the_fiscal_threshold_is_crossed_only_once():
    sub = play("target", effect("subsidise_capacity", **BIG))
    shock = play(None, effect("fiscal_shock", actors=["target"], delta=-0.8))
    g = run([[sub], [shock], [sub]])
    assert g.world(3).flags.count("fiscal:target") == 1
    # no second halving on turn 3: lock-in grows with the new spending
    assert g.world(3).lock_in[g.a("target"), FISCAL] > g.world(2).lock_in[g.a("target"), FISCAL]


def test_a_technology_shift_over_the_threshold_unwinds_lock_in_tied_to_that_mineral():
    on_lith = play("target", effect("subsidise_capacity", mineral="lith", amount=10.0, fiscal_cost=10.0))
    on_rare = play("ally", effect("subsidise_capacity", mineral="rare", amount=10.0, fiscal_cost=10.0))
    tech = play(None, effect("shift_demand", mineral="lith", change=-0.5, lead_time=0))
    g = run([[on_lith, on_rare], [tech]])
    base = run([[on_lith, on_rare], []])
    assert "technology:lith" in g.world(2).flags
    assert base.world(2).flags == ()
    assert g.m(2, "lock_in", "target") < 0.01 * base.m(2, "lock_in", "target")
    assert g.m(2, "lock_in", "ally") == pytest.approx(base.m(2, "lock_in", "ally"))


def test_a_small_technology_shift_does_not_cross_the_threshold():
    tech = play(None, effect("shift_demand", mineral="lith", change=-0.1, lead_time=0))
    g = run([[tech]])
    assert not [f for f in g.last.flags if f.startswith("technology:")]


def test_a_rupture_when_cohesion_falls_below_the_threshold_halves_club_lock_in():
    screen = lambda who: play(who, effect("screen_investment", against=["wielder"]))  # noqa: E731
    quarrel = [play("target", effect("adjust_affinity", **{"with": ["ally", "row"]}, delta=-1.0)),
               play("ally", effect("adjust_affinity", **{"with": ["row"]}, delta=-1.0))]
    g = run([[screen("target"), screen("ally")], quarrel])
    calm = run([[screen("target"), screen("ally")], []])
    assert g.m(2, "cohesion", "club") < g.rules.rupture_threshold
    assert "rupture:club" in g.world(2).flags
    assert not [f for f in calm.world(2).flags if f.startswith("rupture:")]
    for who in ("target", "ally"):
        a = g.a(who)
        assert g.world(2).lock_in[a, REGULATORY] == pytest.approx(0.5 * calm.world(2).lock_in[a, REGULATORY])
        assert calm.world(2).lock_in[a, REGULATORY] > 0


# --- 9. market swings -------------------------------------------------------------------

@pytest.fixture(scope="module")
def boom():
    """Energy-transition demand for lith triples at once (lithium x3, 2017-2022)."""
    return run([[play(None, effect("shift_demand", mineral="lith", change=2.0, lead_time=0))]], extra=15)


def _lith_cap(g, t):
    return float(g.world(t).cap[:, g.mi("lith"), :].sum())


def test_a_boom_draws_capacity_that_arrives_after_the_investment_lead_time(boom):
    lead = min(boom.rules.investment_lead_times)
    for t in range(1, 1 + lead):
        assert _lith_cap(boom, t) == pytest.approx(_lith_cap(boom, 0))
    assert _lith_cap(boom, 1 + lead) > _lith_cap(boom, 0) * 1.1
    assert _lith_cap(boom, 15) > 2 * _lith_cap(boom, 0)


def test_lithium_boom_and_bust(boom):
    price = np.array([boom.m(t, "price", "lith") for t in range(17)])
    peak = int(price.argmax())
    assert price[peak] > 2 * price[0]  # the boom
    assert peak < max(boom.rules.investment_lead_times) + 1  # peaks before the mines arrive
    assert price[-1] < 0.6 * price[peak]  # the bust: at least -40% from the peak
    assert price[peak:].min() < 0.6 * price[peak]


def test_a_supply_shock_overshoots_into_a_glut():
    shock = effect("disrupt_supply", mineral="lith", stage="extraction", actors=["miner", "row"],
                   fraction=0.7, duration=3)
    g = run([[play(None, shock)]], extra=7)
    price = np.array([g.m(t, "price", "lith") for t in range(9)])
    assert price[1] > 2 * price[0]
    # the scarce ore is where the price spikes most, and where capacity is drawn in (after
    # the mines' lead time)
    lith = g.mi("lith")
    assert g.world(1).price[lith, 0] > g.world(1).price[lith, 1] > g.world(1).price[lith, 2]
    mines = [float(g.world(t).cap[:, lith, 0].sum()) for t in range(9)]
    assert mines[4] == pytest.approx(mines[0]) and mines[6] > 1.3 * mines[0]
    assert price[5:].max() < price[0]  # once it arrives and the shock is over: below the old price


def test_an_ore_exporter_that_starts_refining_keeps_a_meaningful_cost_index():
    """An actor with no mineral needs at turn 0 is indexed at baseline prices: building a
    refinery for its own ore adds needs and their cost together, so its index stays near
    100 instead of exploding against a near-zero base."""
    def no_refinery(d):
        d["capacity"][4]["values"].pop("miner")  # lith processing: the miner only mines

    sc = edited(no_refinery)
    g = run([[play("miner", effect("ore_export_ban", mineral="lith", lead_time=2))]], scenario=sc, extra=4)
    assert g.m(0, "cost", "miner") == pytest.approx(100.0)
    assert g.cap(5, "miner", "lith", PROC) > 10  # it now refines its own ore ...
    assert 50 < g.m(5, "cost", "miner") < 200  # ... and its cost index stays readable


def test_spare_supply_lowers_the_price_even_in_a_tight_market(q):
    """Prices rest at turn 0's utilisation, whatever it is: a market running hotter than
    `normal_utilisation` still feels a stock release (before, nothing moved until
    utilisation fell below 0.85)."""
    rest = q.world(0).base_util[q.index.mineral_pos["rare"], PROC]
    assert rest > q.rules.normal_utilisation
    g = run([[play("target", effect("stockpile", mineral="rare", action="release", amount=10.0))]])
    assert g.m(1, "price", "rare") < q.m(1, "price", "rare") - 0.5
    assert q.m(1, "price", "rare") == pytest.approx(q.m(0, "price", "rare"))  # at rest without it


def test_an_actor_with_no_mineral_bill_measures_spending_against_its_fiscal_room():
    """The cost index base is at least a year's fiscal room, so half a billion spent by a
    small ore exporter shows as a share of what its budget can carry, not as a multiple
    of a near-zero mineral bill."""
    def only_mines(d):
        d["capacity"][4]["values"].pop("miner")

    sc = edited(only_mines)
    spend = effect("subsidise_capacity", mineral="lith", stage="processing", amount=5.0, fiscal_cost=0.5,
                   eligible=["self"])
    g = run([[play("miner", spend)]], scenario=sc)
    room = 1.0 * 1e6 * sc.rules.fiscal_room_share  # the miner's GDP is 1.0 (USD tn)
    assert g.m(0, "cost", "miner") == pytest.approx(100.0)
    assert g.m(1, "cost", "miner") == pytest.approx(100.0 + 100.0 * 500.0 / room, rel=0.02)


def test_a_price_spike_books_at_most_a_share_of_capacity_a_year():
    """However high the price, a producer books at most `investment_max_share` of its
    capacity in one year: finance, permits and equipment do not scale with a spike."""
    shock = effect("disrupt_supply", mineral="lith", stage="extraction", actors=["miner", "row"],
                   fraction=0.9, duration=1)
    g = run([[play(None, shock)]])
    assert g.m(1, "price", "lith") > 5 * g.m(0, "price", "lith")  # a spike far past the cap
    booked = {}
    for p in g.last.pending:
        if p.mechanism == "market response":
            booked[(p.actor, p.mineral, p.stage)] = booked.get((p.actor, p.mineral, p.stage), 0.0) + p.amount
    assert booked
    cap = g.world(0).cap
    share = g.rules.investment_max_share
    for (a, m, s), amount in booked.items():
        assert amount <= share * cap[a, m, s] * 1.0001


def test_world_evolve_copies_with_changes_and_refuses_unknown_fields():
    from wargame.engine.world import build_world
    from worlds import small_scenario

    _, world = build_world(small_scenario())
    later = world.evolve(turn=3, securitisation=0.4)
    assert (later.turn, later.securitisation) == (3, 0.4)
    assert (world.turn, world.securitisation) != (3, 0.4)  # the original is untouched
    assert later.cap is world.cap and later.pending == world.pending  # the rest is shared
    with pytest.raises(TypeError, match="no field 'turns'"):
        world.evolve(turns=3)
