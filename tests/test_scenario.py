"""The built-in scenario at turn 0: the engine reproduces the baseline it was built from."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.game.session import Session


@pytest.fixture(scope="module")
def start(content):
    return Session.new(content, 0)


def test_cost_index_is_100_for_every_actor_at_turn_0(start):
    np.testing.assert_allclose(start.meters["cost"], 100.0)


def test_china_dominates_processing_as_in_the_data(start):
    i = start.index
    chn = i.actor_pos["chn"]
    share = lambda m: start.meters["processing_share"][chn, i.mineral_pos[m]]  # noqa: E731
    assert share("ree") > 85  # ~90% of REE processing (DATA.md, [TX])
    assert share("gallium") > 80
    assert share("cobalt") > 60  # ~65-74% of cobalt refining (IEA, secondary)


def test_us_relies_on_imports_where_the_data_says_it_does(start):
    i = start.index
    usa = i.actor_pos["usa"]
    nir = lambda m: start.meters["import_reliance"][usa, i.mineral_pos[m], 1]  # noqa: E731
    assert nir("gallium") > 85  # 100% (MCS25)
    assert nir("cobalt") > 65  # 76%
    assert 35 < nir("nickel") < 65  # 48% including scrap
    assert nir("ree") > nir("nickel")


def test_no_shortage_and_stable_prices_at_turn_0(start):
    assert start.meters["shortage"].max() < 1e-6
    np.testing.assert_allclose(start.meters["price_index"], 100.0)


def test_baseline_figures_carry_their_sources(content):
    sc = content.scenario
    assert all(m.price_source for m in sc.minerals)
    assert all(row.source for row in sc.capacity + sc.demand + sc.stockpiles)
