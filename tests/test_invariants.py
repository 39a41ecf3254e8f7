"""Property tests: random orders of random effect primitives keep the engine's invariants,
and resolving the same plays twice gives the same world, bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.engine.effects import Play
from wargame.engine.resolve import baseline, resolve
from wargame.engine.world import build_world
from wargame.model.effects import EFFECT_KINDS
from wargame.model.loader import load_scenario
from wargame.model.synthetic import synthetic_scenario
from worlds import effect, small_scenario

SETTINGS = settings(max_examples=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SMALL = small_scenario()
SYNTH = synthetic_scenario(8, 3, seed=3)
BUILTIN = load_scenario(Path(__file__).resolve().parents[1] / "decks" / "critical-minerals-2026").scenario
WORLDS = {}
for _sc in (SMALL, SYNTH, BUILTIN):
    _index, _w0 = build_world(_sc)
    _w0, _m0 = baseline(_w0, _index, _sc.rules)
    WORLDS[_sc.id] = (_sc, _index, _w0, _m0)

STAGE = st.sampled_from(["extraction", "processing", "manufacturing"])
DURATION = st.integers(1, 4)
LEAD = st.integers(1, 4)


def _f(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def effects_for(index) -> st.SearchStrategy:
    """Random, valid effect primitives over a scenario's actors, minerals and blocs."""
    actor = st.sampled_from(list(index.actors))
    party = st.lists(st.one_of(actor, st.sampled_from(["self", "all", "others", "rivals", "allies"])),
                     min_size=1, max_size=3)
    mineral = st.sampled_from(list(index.minerals))
    bloc = st.sampled_from(list(index.blocs))
    amount = _f(0.1, 200.0)
    money = _f(0.0, 60.0)
    kinds = {
        "restrict_exports": st.fixed_dictionaries(
            {"mineral": mineral, "stage": STAGE, "to": party, "severity": _f(0.01, 1.0), "duration": DURATION}),
        "ore_export_ban": st.fixed_dictionaries(
            {"mineral": mineral, "severity": _f(0.01, 1.0), "duration": DURATION,
             "processing_build": _f(0.0, 2.0), "lead_time": LEAD}),
        "tariff": st.fixed_dictionaries(
            {"mineral": mineral, "stage": STAGE, "on": party, "rate": _f(0.01, 5.0), "duration": DURATION}),
        "royalty": st.fixed_dictionaries({"mineral": mineral, "rate": _f(0.01, 1.0), "duration": DURATION}),
        "subsidise_capacity": st.fixed_dictionaries(
            {"mineral": mineral, "stage": STAGE, "amount": amount, "fiscal_cost": money,
             "eligible": party, "exclude": st.lists(actor, max_size=2), "lead_time": LEAD}),
        "invest_abroad": st.fixed_dictionaries(
            {"mineral": mineral, "stage": STAGE, "host": actor, "amount": amount, "fiscal_cost": money,
             "lead_time": LEAD}),
        "join_bloc": st.fixed_dictionaries({"bloc": bloc, "actor": st.one_of(st.just("self"), actor)}),
        "leave_bloc": st.fixed_dictionaries({"bloc": bloc, "actor": st.one_of(st.just("self"), actor)}),
        "adjust_affinity": st.fixed_dictionaries({"with": party, "delta": _f(-1.0, 1.0)}),
        "price_floor": st.fixed_dictionaries(
            {"mineral": mineral, "level": _f(0.1, 5.0), "covers": party, "duration": DURATION}),
        "stockpile": st.fixed_dictionaries(
            {"mineral": mineral, "action": st.sampled_from(["build", "release"]), "amount": amount,
             "fiscal_cost": money}),
        "screen_investment": st.fixed_dictionaries(
            {"against": party, "duration": DURATION, "divest": _f(0.0, 1.0)}),
        "shift_demand": st.fixed_dictionaries(
            {"mineral": mineral, "change": _f(-0.9, 3.0), "actors": party, "lead_time": st.integers(0, 3)}),
        "change_substitutability": st.fixed_dictionaries({"mineral": mineral, "delta": _f(-1.0, 1.0)}),
        "securitise": st.fixed_dictionaries({"delta": _f(-1.0, 1.0)}),
        "disrupt_supply": st.fixed_dictionaries(
            {"mineral": mineral, "stage": STAGE, "actors": party, "fraction": _f(0.01, 1.0),
             "duration": DURATION}),
        "fiscal_shock": st.fixed_dictionaries({"actors": party, "delta": _f(-1.0, 1.0)}),
    }
    assert set(kinds) == set(EFFECT_KINDS), "a new effect kind needs a strategy here"
    return st.one_of(*[fields.map(lambda d, k=kind: effect(k, **d)) for kind, fields in kinds.items()])


def orders_for(index, max_turns: int = 4) -> st.SearchStrategy:
    """A list of turns, each a list of (playing actor, effects)."""
    card = st.tuples(st.integers(0, len(index.actors) - 1), st.lists(effects_for(index), min_size=1, max_size=3))
    return st.lists(st.lists(card, max_size=4), min_size=1, max_size=max_turns)


def _plays(turn: int, cards) -> list[Play]:
    return [Play(cause=f"t{turn}/p{k}", label=f"card {k}", card=f"card{k}", team=None, actor=a,
                 effects=tuple(effs)) for k, (a, effs) in enumerate(cards)]


def _play_out(scenario_id: str, orders):
    sc, index, w, m = WORLDS[scenario_id]
    history = []
    for cards in orders:
        res = resolve(w, index, sc.rules, _plays(w.turn + 1, cards), previous=m)
        w, m = res.world, res.meters
        history.append(res)
    return index, history


def _check_invariants(index, res):
    w, m = res.world, res.meters
    for name, arr in m.items():
        assert np.isfinite(np.asarray(arr, dtype=float)).all(), f"meter {name} is not finite"
    share = m["processing_share"]
    assert ((share >= -1e-9) & (share <= 100 + 1e-9)).all()
    sums = share.sum(axis=0)
    assert np.all((np.abs(sums - 100.0) < 1e-6) | (np.abs(sums) < 1e-9)), f"shares sum to {sums}"
    assert (m["cost"] > 0).all(), f"cost {m['cost']}"
    assert ((m["cohesion"] >= -1e-9) & (m["cohesion"] <= 100 + 1e-9)).all()
    assert ((m["dependency"] >= -1e-9) & (m["dependency"] <= 100 + 1e-9)).all()
    assert ((m["shortage"] >= -1e-9) & (m["shortage"] <= 100 + 1e-9)).all()
    assert 0 <= float(m["securitisation"]) <= 100
    assert (m["price"] > 0).all()
    assert (m["lock_in"] >= 0).all()
    assert (m["fiscal_pressure"] >= 0).all()
    # state
    assert (w.cap >= 0).all(), f"negative capacity {w.cap.min()}"
    assert (w.stock >= 0).all()
    assert np.isfinite(w.cap).all() and np.isfinite(w.stock).all() and np.isfinite(w.price).all()
    assert ((w.affinity >= -1) & (w.affinity <= 1)).all()
    np.testing.assert_allclose(w.affinity, w.affinity.T)
    assert ((w.subst >= 0) & (w.subst <= 0.95)).all()
    assert 0.0 <= w.securitisation <= 1.0
    assert (w.demand_shift >= 0).all()
    assert set(np.unique(w.member)) <= {0.0, 1.0}
    assert all(np.isfinite(ln.delta) for ln in res.ledger)


def _random_game_keeps_invariants(data, sid: str, max_turns: int | None = None, quiet_tail: bool = False) -> None:
    """Draw random orders for a world, play them out, and check every turn's invariants."""
    index = WORLDS[sid][1]
    orders = data.draw(orders_for(index) if max_turns is None else orders_for(index, max_turns=max_turns))
    index, history = _play_out(sid, orders + ([[]] if quiet_tail else []))
    for res in history:
        _check_invariants(index, res)


@SETTINGS
@given(data=st.data())
def test_random_orders_keep_meters_in_bounds_in_the_small_world(data):
    _random_game_keeps_invariants(data, SMALL.id, quiet_tail=True)


@SETTINGS
@given(data=st.data())
def test_random_orders_keep_meters_in_bounds_in_a_synthetic_world(data):
    _random_game_keeps_invariants(data, SYNTH.id, max_turns=3)


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_orders_keep_meters_in_bounds_in_the_built_in_scenario(data):
    _random_game_keeps_invariants(data, BUILTIN.id, max_turns=3)


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_resolving_the_same_plays_twice_gives_identical_digests(data):
    sid = data.draw(st.sampled_from([SMALL.id, SYNTH.id, BUILTIN.id]))
    index = WORLDS[sid][1]
    orders = data.draw(orders_for(index, max_turns=3))
    _, first = _play_out(sid, orders)
    _, second = _play_out(sid, orders)
    assert [r.world.digest() for r in first] == [r.world.digest() for r in second]
    for a, b in zip(first, second):
        assert a.ledger == b.ledger
        assert a.news == b.news
        for name in a.meters:
            np.testing.assert_array_equal(a.meters[name], b.meters[name])


def test_digest_tells_different_plays_apart():
    sc, index, w, m = WORLDS[SMALL.id]
    quiet = resolve(w, index, sc.rules, [], previous=m)
    cut = resolve(w, index, sc.rules, _plays(1, [(0, [effect("restrict_exports", mineral="rare",
                                                                to=["target"], severity=0.5)])]),
                  previous=m)
    assert quiet.world.digest() != cut.world.digest()
    assert quiet.world.digest() == resolve(w, index, sc.rules, [], previous=m).world.digest()


def test_a_turn_cleared_in_slices_of_rows_gives_the_same_result(monkeypatch):
    """A turn too large for one batch (many plays in a world of hundreds of actors) is
    cleared a slice of rows at a time, and its views' meters a slice of views at a time; the
    meters and the ledger come out as from one batch (to rounding), here forced on the small
    world by a tiny batch size."""
    from wargame.engine import resolve as R
    from worlds import effect, play, restrict, run

    plays = [[play("wielder", restrict("rare", ["target"], 0.7)),
              play("miner", effect("ore_export_ban", mineral="lith")),
              play("target", effect("subsidise_capacity", mineral="rare", amount=5.0, fiscal_cost=2.0))]]
    whole = run(plays)
    monkeypatch.setattr(R, "BATCH_ELEMENTS", 60)  # a few rows, a few views at a time
    sliced = run(plays)
    for key, value in whole.meters[1].items():
        np.testing.assert_allclose(np.asarray(sliced.meters[1][key]), np.asarray(value), rtol=1e-9, atol=1e-9,
                                   err_msg=key)
    a = {(ln.meter, ln.key, ln.cause): ln.delta for ln in whole.results[0].ledger}
    b = {(ln.meter, ln.key, ln.cause): ln.delta for ln in sliced.results[0].ledger}
    assert a.keys() == b.keys()
    assert all(abs(a[k] - b[k]) < 1e-6 for k in a)
