"""The built-in scenario at turn 0: the engine reproduces the baseline it was built from.

Reference figures are those of /work/shared/DATA.md (USGS Mineral Commodity Summaries
2025, 2024 estimates, and IEA refining shares from secondary reports). The engine's
import reliance is read at the processing stage, as USGS measures it: the share of what
US manufacturers need that US processors do not supply.
"""

from __future__ import annotations

import numpy as np
import pytest

from wargame.engine.resolve import resolve
from wargame.engine.world import EXT, PROC
from wargame.game.session import Session

MINERALS = ("ree", "gallium", "germanium", "graphite", "antimony", "cobalt", "lithium", "nickel",
            "copper", "tungsten")

# US net import reliance, % of consumption (USGS MCS 2025 via DATA.md): within 5 points
US_NIR = {"ree": 80, "gallium": 100, "graphite": 100, "antimony": 85, "cobalt": 76, "nickel": 48,
          "copper": 45}
# USGS gives only ">50%" for these; the scenario targets 60% for each
US_NIR_ABOVE_HALF = ("germanium", "lithium", "tungsten")

# China's share of world processing output, % (low, high)
CHINA_PROCESSING = {
    "ree": (85, 95),  # ~90% of processing, Jan 2025 (BRIEF [TX]); 92% of refining 2023 (IEA)
    "gallium": (85, 99.5),  # primary metal 99% Chinese; high-purity refining also abroad (estimate 90)
    "germanium": (65, 75),  # ~70% of refined germanium (secondary)
    "graphite": (90, 100),  # >90% of battery-grade graphite (IEA, secondary)
    "antimony": (60, 80),  # no figure in DATA.md; estimate 70
    "cobalt": (65, 74),  # ~65-74% of refining (IEA, secondary)
    "lithium": (58, 65),  # ~58-65% of refining (IEA, secondary)
    "nickel": (25, 31),  # 28% of 2023 refining (IEA, secondary)
    "copper": (41, 47),  # 44% of refined copper (USGS, calc)
    "tungsten": (80, 90),  # no figure in DATA.md; China mines 83%, estimate 84
}

# mine shares, % of world mine output (USGS MCS 2025, calc, via DATA.md): within 3 points
MINE_SHARES = {
    "ree": {"chn": 69, "usa": 11.5, "aus": 3},
    "gallium": {"chn": 99},
    "germanium": {"chn": 70},  # ~68-70% (secondary)
    "graphite": {"chn": 78},
    "antimony": {"chn": 60, "rus": 13},
    "cobalt": {"drc": 76, "idn": 10, "rus": 3},
    "lithium": {"aus": 37, "chl": 20, "chn": 17, "zwe": 9, "arg": 7.5},
    "nickel": {"idn": 59, "rus": 6, "can": 5, "chn": 3, "aus": 3},
    "tungsten": {"chn": 83, "rus": 2.5},
}
# world output in the mineral's unit (kt; gallium t); copper's extraction stage also
# carries the scrap that refineries treat, so copper is checked against mined tonnage below
WORLD_OUTPUT = {"ree": 390, "gallium": 760, "graphite": 1600, "antimony": 100, "cobalt": 290,
                "lithium": 240, "nickel": 3700, "tungsten": 81, "copper": 27000}
COPPER_MINED = 23000  # kt mined in 2024; Chile 23%, DRC 14%, Indonesia 5%, US 5%
COPPER_MINE_SHARES = {"chl": 23, "drc": 14, "idn": 5, "usa": 5}


@pytest.fixture(scope="module")
def start(content):
    return Session.new(content, 0)


def _pos(start, mineral):
    return start.index.mineral_pos[mineral]


def test_the_scenario_has_every_mineral_and_argentina(content):
    sc = content.scenario
    assert {m.id for m in sc.minerals} == set(MINERALS)
    assert "arg" in {a.id for a in sc.actors}
    assert (sc.start_year, sc.turns, sc.turn_years) == (2026, 8, 1)


def test_units_are_kilotonnes_except_gallium_and_germanium(content):
    units = {m.id: m.unit for m in content.scenario.minerals}
    assert units.pop("gallium") == "t" and units.pop("germanium") == "t"
    assert set(units.values()) == {"kt"}


def test_cost_index_is_100_for_every_actor_at_turn_0(start):
    np.testing.assert_allclose(start.meters["cost"], 100.0)


@pytest.mark.parametrize("mineral", sorted(CHINA_PROCESSING))
def test_china_dominates_processing_as_in_the_data(start, mineral):
    low, high = CHINA_PROCESSING[mineral]
    share = start.meters["processing_share"][start.index.actor_pos["chn"], _pos(start, mineral)]
    assert low <= share <= high


def test_indonesia_leads_nickel_refining_ahead_of_china(start):
    i = start.index
    share = start.meters["processing_share"][:, _pos(start, "nickel")]
    assert abs(share[i.actor_pos["idn"]] - 37) <= 3  # 37% of 2023 refining (IEA, secondary)
    assert share[i.actor_pos["idn"]] > share[i.actor_pos["chn"]]


@pytest.mark.parametrize("mineral", sorted(US_NIR))
def test_us_relies_on_imports_where_the_data_says_it_does(start, mineral):
    nir = start.meters["import_reliance"][start.index.actor_pos["usa"], _pos(start, mineral), PROC]
    assert abs(nir - US_NIR[mineral]) <= 5


@pytest.mark.parametrize("mineral", US_NIR_ABOVE_HALF)
def test_us_relies_on_imports_for_more_than_half_where_usgs_gives_no_figure(start, mineral):
    nir = start.meters["import_reliance"][start.index.actor_pos["usa"], _pos(start, mineral), PROC]
    assert 50 < nir < 75  # USGS MCS 2025: ">50%"; the scenario targets 60%


def test_us_rare_earth_reliance_exceeds_nickel_reliance(start):
    usa = start.index.actor_pos["usa"]
    nir = start.meters["import_reliance"][usa, :, PROC]
    assert nir[_pos(start, "ree")] > nir[_pos(start, "nickel")]


@pytest.mark.parametrize("mineral", sorted(MINE_SHARES))
def test_mine_output_shares_match_usgs(start, mineral):
    out = start.meters["capacity_used"][:, _pos(start, mineral), EXT]
    for actor, share in MINE_SHARES[mineral].items():
        assert abs(100 * out[start.index.actor_pos[actor]] / out.sum() - share) <= 3, actor


def test_copper_mine_shares_match_usgs(start):
    out = start.meters["capacity_used"][:, _pos(start, "copper"), EXT]
    for actor, share in COPPER_MINE_SHARES.items():
        assert abs(100 * out[start.index.actor_pos[actor]] / COPPER_MINED - share) <= 1.5, actor


@pytest.mark.parametrize("mineral", sorted(WORLD_OUTPUT))
def test_world_output_at_turn_0_is_the_2024_output(start, mineral):
    out = start.meters["capacity_used"][:, _pos(start, mineral), :].sum(axis=0)
    np.testing.assert_allclose(out, WORLD_OUTPUT[mineral], rtol=0.02)


@pytest.mark.parametrize("mineral", MINERALS)
def test_world_capacity_runs_below_full_but_above_normal_use(start, mineral):
    m = _pos(start, mineral)
    used = start.meters["capacity_used"][:, m, :].sum(axis=0)
    cap = start.world.cap[:, m, :].sum(axis=0)
    assert np.all(used / cap >= 0.855)  # no glut: prices do not fall on their own
    assert np.all(used / cap <= 0.99)  # some spare capacity at every stage


def test_no_shortage_and_stable_prices_at_turn_0(start):
    assert start.meters["shortage"].max() < 1e-6
    np.testing.assert_allclose(start.meters["price_index"], 100.0)


def test_prices_hold_when_nobody_plays(start):
    world, meters = start.world, start.meters
    for _ in range(start.scenario.turns):
        result = resolve(world, start.index, start.rules, [], previous=meters, explain=False)
        world, meters = result.world, result.meters
        assert meters["shortage"].max() < 1e-3
        np.testing.assert_allclose(meters["price_index"], 100.0, atol=1.0)


def test_argentina_plays_with_the_resource_states_and_both_camps(content):
    sc = content.scenario
    team = {t.id: t for t in sc.teams}["resource-states"]
    assert "arg" in team.actors
    blocs = {b.id: set(b.members) for b in sc.blocs}
    assert blocs["msp"] == {"usa", "aus", "can", "jpn", "kor", "eu"}
    assert blocs["g7"] == {"usa", "eu", "jpn", "can"}
    assert {"chl", "aus", "can", "kor"} <= blocs["us-fta"] and "arg" not in blocs["us-fta"]
    assert "arg" in blocs["bri-mining"]
    pairs = {frozenset(p.between): p for p in sc.affinity.pairs}
    others = [a.id for a in sc.actors if a.id not in ("arg", "row")]
    assert all(frozenset(("arg", a)) in pairs for a in others)
    affinity = lambda a: pairs[frozenset(("arg", a))].value  # noqa: E731
    assert affinity("usa") > affinity("chn") > sc.rules.rival_threshold


def test_baseline_figures_carry_their_sources(content):
    sc = content.scenario
    assert all(m.price_source for m in sc.minerals)
    assert all(row.source for row in sc.capacity + sc.demand + sc.stockpiles)
    assert all(a.source for a in sc.actors)
    assert all(b.source for b in sc.blocs)
    assert all(p.source for p in sc.affinity.pairs)
    assert {(row.mineral, row.stage) for row in sc.capacity} == \
        {(m, s) for m in MINERALS for s in ("extraction", "processing", "manufacturing")}
    assert {row.mineral for row in sc.demand} == set(MINERALS)
