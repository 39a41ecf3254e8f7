"""Calibration: the engine, replayed on the four episodes of DATA.md, keeps their shape.

Each episode folder under decks/calibration/ is played through the real engine
(wargame.analysis.calibration, the path `wargame run` takes). The tests pin the
shape of each episode (direction, lag, rough magnitude), with margins, not the
decimals; docs/CALIBRATION.md explains every figure and where the model falls short.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import ROOT
from wargame.analysis import calibration as cal

DOC = ROOT / "docs" / "CALIBRATION.md"


@pytest.fixture(scope="module")
def runs() -> dict[str, cal.Run]:
    return {ep.name: ep.run() for ep in cal.EPISODES}


def test_every_episode_folder_is_played_and_covers_its_years(runs):
    assert {p.name for p in cal.calibration_dir().iterdir() if p.is_dir()} == set(runs)
    assert runs["nickel-ore-ban"].year(0) == 2019 and runs["nickel-ore-ban"].year(4) == 2023
    assert runs["ree-quotas"].year(1) == 2010
    assert runs["lithium-boom-bust"].year(5) == 2022 and runs["lithium-boom-bust"].year(7) == 2024
    assert runs["graphite-duty"].year(1) == 2025


def test_nickel_ore_ban_builds_a_dominant_processing_share_over_two_to_four_turns(runs):
    r = runs["nickel-ore-ban"]
    ban = r.turn_of(2020)
    share = [r.m(t, "processing_share", "idn", "nickel") for t in r.turns]
    before = share[ban - 1]
    assert 12.0 < before < 20.0  # DATA.md: 16% in 2019
    # rising every year from the ban to ban + 3 ...
    assert all(b > a for a, b in zip(share[ban - 1:ban + 4], share[ban:ban + 4]))
    # ... by well over ten points, most of it two to four years after the ban
    assert share[ban + 3] > before + 12.0
    assert share[ban + 3] - share[ban] > 8.0
    # and it holds: no slide back once the smelters are built
    assert min(share[ban + 3:]) > before + 10.0


def test_nickel_ore_ban_shocks_the_price_then_displaces_ore_output_elsewhere(runs):
    r = runs["nickel-ore-ban"]
    ban = r.turn_of(2020)
    price = [r.m(t, "price", "nickel") for t in r.turns]
    assert price[ban] > 1.05 * price[ban - 1]  # ore suddenly short: a short-term price shock
    assert price[ban + 3] < price[ban]  # then Indonesian supply weighs on the price
    for producer in ("phl", "aus"):
        ore = [r.output(t, "nickel", "extraction", producer) for t in r.turns]
        peak = int(np.argmax(ore[: ban + 3]))
        assert peak >= ban  # buyers turn to them when the ban hits ...
        assert min(ore[peak:ban + 4]) < 0.95 * ore[peak]  # ... and drop them once Indonesia's plants run


def test_nickel_price_pull_is_measured_against_the_2019_utilisation(runs):
    # the doc's explanation of the nickel price: idle refineries read as a glut against 2019's
    # utilisation (the rest point); against a lower, fixed rest point the same idle capacity pulls less
    r = runs["nickel-ore-ban"]
    fixed = cal.episode("nickel-ore-ban").run(cal.prices_at_rest_at(0.85))
    t24 = r.turn_of(2024)
    assert fixed.m(0, "price", "nickel") == r.m(0, "price", "nickel")
    assert fixed.m(r.turn_of(2020), "price", "nickel") == pytest.approx(r.m(r.turn_of(2020), "price", "nickel"))
    assert fixed.m(t24, "price", "nickel") > 1.08 * r.m(t24, "price", "nickel")


def test_ree_quota_price_spikes_within_the_quota_years_and_collapses_after(runs):
    r = runs["ree-quotas"]
    quota = r.turn_of(2010)
    index = [r.m(t, "price_index", "ree") for t in r.turns]
    peak = int(np.argmax(index))
    assert quota <= peak <= quota + 2  # peaks within the quota years
    assert index[peak] > 1.3 * index[0]  # a spike (far smaller than the record's: see the doc)
    assert index[peak + 1] < 0.75 * index[peak]  # collapse as the quota stops binding
    assert min(index[peak + 1:peak + 4]) < 0.5 * index[peak]  # below half its peak within three turns
    # the restarts outside China arrive and cut China's share of processing
    assert r.m(r.turns[-1], "processing_share", "chn", "ree") < r.m(0, "processing_share", "chn", "ree") - 10.0


def test_ree_quota_leaves_buyers_abroad_short_while_it_binds(runs):
    r = runs["ree-quotas"]
    assert r.m(r.turn_of(2010), "shortage", "jpn", "ree") > 15.0
    assert r.m(r.turn_of(2012), "shortage", "jpn", "ree") < 1.0


def test_lithium_boom_peaks_in_2022_and_busts_as_capacity_arrives(runs):
    r = runs["lithium-boom-bust"]
    t17, t22, t24 = r.turn_of(2017), r.turn_of(2022), r.turn_of(2024)
    demand = r.demand(t22, "lithium").sum() / r.demand(t17, "lithium").sum()
    assert 2.3 < demand < 3.5  # DATA.md: demand tripled 2017-2022
    price = [r.m(t, "price", "lithium") for t in r.turns]
    assert int(np.argmax(price)) == t22
    assert price[t22] > 2.0 * price[t17]  # the boom
    assert price[t22 + 1] < price[t22]  # falling from the next year on
    assert price[t24] < 0.6 * price[t22]  # the bust: more than 40% down within two years
    mined = [r.output(t, "lithium", "extraction") for t in r.turns]
    assert mined[t24] > 1.3 * mined[t22]  # because new capacity arrived


def test_graphite_duty_raises_cost_without_cutting_dependency(runs):
    r = runs["graphite-duty"]
    t0, duty, last = r.turn_of(2024), r.turn_of(2025), r.turns[-1]
    assert r.in_force(duty, "tariff", "usa", "graphite") == pytest.approx(0.935)
    assert r.in_force(duty + 1, "tariff", "usa", "graphite") == 0.0
    cost = [r.m(t, "cost", "usa") for t in r.turns]
    assert cost[duty] > cost[t0] + 3.0  # the importer pays the duty
    assert abs(cost[last] - cost[t0]) < 1.0  # and stops paying once it is withdrawn
    for t in r.turns:
        # no alternative source: import reliance stays where it was, no US plant is built,
        # and the world's reliance on China's processing does not move
        assert abs(r.m(t, "import_reliance", "usa", "graphite", "processing")
                   - r.m(t0, "import_reliance", "usa", "graphite", "processing")) < 1.0
        assert r.capacity(t, "graphite", "processing", ["usa"]) == 0.0
        assert abs(r.m(t, "processing_share", "chn", "graphite")
                   - r.m(t0, "processing_share", "chn", "graphite")) < 1.0
    rival = [r.m(t, "rival_reliance", "usa", "graphite", "processing") for t in r.turns]
    assert rival[duty] <= rival[t0]  # re-routing while the duty lasts (see the doc) ...
    assert all(abs(x - rival[t0]) < 1.0 for x in rival[duty + 1:])  # ... gone once it is withdrawn


def test_calibration_doc_shows_the_tables_the_module_prints_now():
    doc = cal.blocks(DOC.read_text(encoding="utf-8"))
    now = cal.tables()
    stale = sorted(name for name in now if doc.get(name) != now[name])
    assert not stale, (f"docs/CALIBRATION.md is out of date for {stale}; regenerate with "
                       f"`.venv/bin/python -m wargame.analysis.calibration --update docs/CALIBRATION.md`")
    assert set(doc) == set(now)


def test_update_rewrites_only_the_marked_tables():
    text = "intro\n<!-- table:x -->\nold\n<!-- /table:x -->\nouter\n"
    assert cal.update(text, {"x": "| a |\n|---|"}) == "intro\n<!-- table:x -->\n| a |\n|---|\n<!-- /table:x -->\nouter\n"
    assert cal.blocks(cal.update(text, {"x": "new"})) == {"x": "new"}
