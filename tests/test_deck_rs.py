"""The Resource States deck, card by card: each card moves the meters its text promises.

One row per card. A row names the state that plays it, its targets, what is set up
beforehand (a prerequisite card for `played_before`, a move by another team that the
card reacts to), the turn it is played, and the movements expected against the same
game in which the resource states pass that turn (same seed, same set-up). Turns are
counted as in the meters history: turn t is the state after t resolutions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest

from wargame.engine.world import EXT, MFG, PROC
from wargame.game.session import OrderError, Session
from wargame.model.records import Order

TEAM = "resource-states"
SEED = 11


@dataclass
class Game:
    """A finished headless game: the meters and the world after every turn."""

    session: Session
    worlds: list

    def a(self, actor: str) -> int:
        return self.session.index.actor_pos[actor]

    def m(self, mineral: str) -> int:
        return self.session.index.mineral_pos[mineral]

    def b(self, bloc: str) -> int:
        return self.session.index.bloc_pos[bloc]


Metric = Callable[[Game, int], float]
Play = tuple[str, str | None, dict[str, str]]  # card, actor (None: the team's first), targets
Setup = dict[int, dict[str, list[Play]]]


def meter(name: str, *keys: str) -> Metric:
    """A headline meter keyed by actor, mineral or bloc ids, e.g. meter("shortage", "chn", "nickel")."""

    def read(g: Game, t: int) -> float:
        pos = []
        for k in keys:
            idx = g.session.index
            pos.append(idx.actor_pos.get(k, idx.mineral_pos.get(k, idx.bloc_pos.get(k))))
        return float(g.session.history[t][name][tuple(pos)] if pos else g.session.history[t][name])

    return read


def used(actor: str, mineral: str, stage: int) -> Metric:
    """Output of one actor at one stage of a mineral (the `capacity_used` meter)."""
    return lambda g, t: float(g.session.history[t]["capacity_used"][g.a(actor), g.m(mineral), stage])


def affinity(x: str, y: str) -> Metric:
    return lambda g, t: float(g.worlds[t].affinity[g.a(x), g.a(y)])


def member(bloc: str, actor: str) -> Metric:
    return lambda g, t: float(g.worlds[t].member[g.b(bloc), g.a(actor)])


def capacity(actor: str, mineral: str, stage: int) -> Metric:
    return lambda g, t: float(g.worlds[t].cap[g.a(actor), g.m(mineral), stage])


def substitutability(mineral: str) -> Metric:
    return lambda g, t: float(g.worlds[t].subst[g.m(mineral)])


def fiscal_room(actor: str) -> Metric:
    return lambda g, t: float(g.worlds[t].fiscal_room[g.a(actor)])


@dataclass
class Expect:
    what: str  # the promise in the card's text, for the failure message
    metric: Metric
    turn: int
    direction: int  # +1 up, -1 down, against the game where the team passes
    at_least: float = 1e-6  # smallest movement that counts


@dataclass
class Row:
    card: str
    actor: str
    targets: dict[str, str]
    expect: list[Expect]
    turn: int = 1
    # orders given in both games before or beside the card: turn -> team -> [(card, actor, targets)]
    setup: Setup = field(default_factory=dict)


def up(what: str, metric: Metric, turn: int, at_least: float = 1e-6) -> Expect:
    return Expect(what, metric, turn, +1, at_least)


def down(what: str, metric: Metric, turn: int, at_least: float = 1e-6) -> Expect:
    return Expect(what, metric, turn, -1, at_least)


def first(card: str, actor: str, targets: dict[str, str] | None = None) -> Setup:
    """A prerequisite played by the resource states on turn 1."""
    return {1: {TEAM: [(card, actor, targets or {})]}}


ROWS: list[Row] = [
    # --- ore export bans ---------------------------------------------------------
    Row("rs-ore-ban", "idn", {"mineral": "nickel"}, [
        up("nickel price jumps at once", meter("price", "nickel"), 1),
        up("buyers go short at once", meter("shortage", "chn", "nickel"), 1, 1.0),
        down("investors grow wary", affinity("idn", "usa"), 1),
        up("smelters at home: processing share after the ramp", meter("processing_share", "idn", "nickel"), 5, 5.0),
        up("processing capacity arrives from the lead time", capacity("idn", "nickel", PROC), 4, 100.0),
    ]),
    # (copper: Indonesia refines all the cobalt it mines, so a ban on cobalt ore builds nothing)
    Row("rs-ban-extension", "idn", {"mineral": "copper"}, turn=2, setup=first("rs-ore-ban", "idn", {"mineral": "nickel"}),
        expect=[
            down("investors expect more bans", affinity("idn", "chn"), 2),
            up("plants come a year sooner", capacity("idn", "copper", PROC), 3, 1.0),
            up("more of the second ore is refined at home", meter("processing_share", "idn", "copper"), 4, 0.5),
        ]),
    Row("rs-lithium-ore-ban", "zwe", {}, [
        down("ore earnings drop at once", meter("value_added", "zwe"), 1),
        up("concentrate plants within two years", capacity("zwe", "lithium", PROC), 3, 2.0),
        up("a share of world lithium refining", meter("processing_share", "zwe", "lithium"), 3, 1.0),
    ]),
    # In turn 2 the timeline's Middle East crisis idles an eighth of the world's copper smelters,
    # so ore does not bind that year; smelters abroad feel the lost concentrate from turn 3.
    Row("rs-unprocessed-ban", "chl", {}, turn=2, setup=first("rs-lithium-ore-ban", "chl"),
        expect=[
            up("smelters abroad compete for other ore: refined copper dearer", meter("price", "copper"), 3, 0.1),
            down("export earnings fall in the meantime", meter("value_added", "chl"), 2),
            down("every foreign investor wonders what comes next", affinity("chl", "usa"), 2),
            up("more ore refined at home in the end", meter("processing_share", "chl", "copper"), 5, 1.0),
        ]),
    # --- rent capture and ownership --------------------------------------------
    Row("rs-royalty-rise", "drc", {"mineral": "cobalt"}, [
        up("the main miner of an ore: revenue arrives at once", meter("value_added", "drc"), 1, 0.1),
        down("mining companies pay grudgingly", affinity("drc", "usa"), 1),
    ]),
    Row("rs-windfall-tax", "drc", {"mineral": "cobalt"}, [
        up("a quick fiscal win", meter("value_added", "drc"), 1, 0.1),
        down("every refiner that buys the ore rates it riskier", affinity("drc", "eu"), 1, 0.005),
        down("... including Beijing", affinity("drc", "chn"), 1, 0.005),
    ]),
    Row("rs-contract-review", "idn", {"investor": "chn"}, turn=2,
        setup={1: {"china": [("cn-morowali-smelter", None, {})]}},
        expect=[
            down("relations with the investor's government sour", affinity("idn", "chn"), 2, 0.05),
            up("a coercive measure raises securitisation", meter("securitisation"), 2),
            down("a fifth of the plants it is building are dropped", capacity("idn", "nickel", PROC), 3, 10.0),
        ]),
    Row("rs-nationalisation", "drc", {"investor": "chn", "mineral": "cobalt"}, turn=2,
        setup=first("rs-contract-review", "drc", {"investor": "chn"}),
        expect=[
            up("the state keeps a bigger share of the rent", meter("value_added", "drc"), 2, 0.1),
            down("China buys its copper: from the next year lost sales outweigh the rent",
                 meter("value_added", "drc"), 4, 0.5),
            down("the investor's government is furious", affinity("drc", "chn"), 2, 0.1),
            down("other investors take note", affinity("drc", "usa"), 2),
        ]),
    # --- moving up the value chain ---------------------------------------------
    Row("rs-local-refining", "drc", {"mineral": "cobalt"}, [
        up("the state pays from a small budget", meter("cost", "drc"), 1),
        up("new refining capacity after three years", capacity("drc", "cobalt", PROC), 4, 3.0),
        up("a larger share of world refining", meter("processing_share", "drc", "cobalt"), 4, 0.2),
        up("value added at home", meter("value_added", "drc"), 5),
    ]),
    Row("rs-beneficiation", "drc", {"mineral": "cobalt"}, turn=2, setup=first("rs-local-refining", "drc", {"mineral": "cobalt"}),
        expect=[
            up("the incentives cost money", meter("cost", "drc"), 2),
            up("precursor plants three years on", capacity("drc", "cobalt", MFG), 5, 3.0),
            up("value added at home rises once they run", meter("value_added", "drc"), 5, 0.01),
        ]),
    Row("rs-joint-venture", "chl", {"partner": "usa", "mineral": "lithium"}, [
        up("the partner's government warms", affinity("chl", "usa"), 1, 0.05),
        up("the state still puts up its share", meter("cost", "chl"), 1),
        up("a refinery after three years", meter("processing_share", "chl", "lithium"), 4, 0.5),
    ]),
    Row("rs-lithium-triangle", "chl", {}, [
        up("a refiner as large as Chile takes out more than rivals' spare plants cover: price up",
           meter("price", "lithium"), 1),
        up("the two producers draw closer", affinity("chl", "arg"), 1, 0.05),
        down("the state sells less", meter("processing_share", "chl", "lithium"), 1, 1.0),
        up("battery makers look for less lithium", substitutability("lithium"), 1, 0.01),
    ]),
    # --- choosing clubs ----------------------------------------------------------
    Row("rs-join-msp", "drc", {"state": "drc"}, [
        up("the state joins the club", member("msp", "drc"), 1, 0.5),
        up("Washington warms to it", affinity("drc", "usa"), 1, 0.1),
        down("Beijing cools", affinity("drc", "chn"), 1),
        down("the club's cohesion dips", meter("cohesion", "msp"), 1, 1.0),
    ]),
    Row("rs-msp-project-finance", "drc", {"mineral": "cobalt"}, turn=2, setup=first("rs-join-msp", "drc", {"state": "drc"}),
        expect=[
            down("Beijing cools", affinity("drc", "chn"), 2),
            up("the plant opens in three years", capacity("drc", "cobalt", PROC), 5, 3.0),
            up("a larger share of world refining", meter("processing_share", "drc", "cobalt"), 5, 0.2),
        ]),
    Row("rs-bri-partnership", "chl", {}, [
        up("the state signs up with Beijing", member("bri-mining", "chl"), 1, 0.5),
        up("ties with China warm", affinity("chl", "chn"), 1, 0.1),
    ]),
    Row("rs-infrastructure-loan", "zwe", {}, [
        up("the money loosens the budget", fiscal_room("zwe"), 1, 0.1),
        up("ties with the lender", affinity("zwe", "chn"), 1, 0.05),
        down("Western capitals warn", affinity("zwe", "usa"), 1),
    ]),
    Row("rs-hedge", "zwe", {}, [
        up("Washington courts it harder", affinity("zwe", "usa"), 1, 0.05),
        up("so does Beijing", affinity("zwe", "chn"), 1, 0.05),
    ]),
    Row("rs-competing-bids", "arg", {"mineral": "lithium"}, turn=2, setup=first("rs-hedge", "arg"),
        expect=[
            down("Washington resents being played", affinity("arg", "usa"), 2),
            down("so does Beijing", affinity("arg", "chn"), 2),
            up("the winner's plant opens in three years", capacity("arg", "lithium", PROC), 5, 3.0),
            up("a larger share of world refining", meter("processing_share", "arg", "lithium"), 5, 0.2),
        ]),
]


# The other case a card's text describes, where it plays out differently (same check as above).
OTHER_CASES: list[Row] = [
    Row("rs-royalty-rise", "chl", {"mineral": "copper"}, [
        down("what is passed on sends copper buyers to rivals' idle mines", used("chl", "copper", EXT), 1, 100.0),
        up("the mines carry most of it: the revenue arrives all the same", meter("value_added", "chl"), 1, 0.5),
        down("investors take note", affinity("chl", "usa"), 1),
    ]),
    Row("rs-windfall-tax", "chl", {"mineral": "copper"}, [
        down("what is passed on sends some buyers to other mines", used("chl", "copper", EXT), 1, 100.0),
        up("still a quick fiscal win", meter("value_added", "chl"), 1, 0.5),
    ]),
    Row("rs-nationalisation", "drc", {"investor": "usa", "mineral": "cobalt"}, turn=2,
        setup=first("rs-contract-review", "drc", {"investor": "usa"}),
        expect=[
            up("the investor's country is not the main buyer: the rent stays for years",
               meter("value_added", "drc"), 4, 0.1),
            down("the investor's government is furious", affinity("drc", "usa"), 2, 0.1),
        ]),
    Row("rs-lithium-triangle", "arg", {}, [
        down("a smaller refiner mostly sees buyers go elsewhere", meter("processing_share", "arg", "lithium"), 1, 1.0),
        up("the two producers draw closer", affinity("chl", "arg"), 1, 0.05),
    ]),
]


def _orders(items: list[Play]) -> list[Order]:
    return [Order(card=c, actor=a, targets=dict(t)) for c, a, t in items]


def _play(content, row: Row, with_card: bool) -> Game:
    s = Session.new(content, SEED)
    worlds = [s.world]
    last = max(e.turn for e in row.expect)
    for t in range(1, last + 1):
        orders = {team: list(items) for team, items in row.setup.get(t, {}).items()}
        if with_card and t == row.turn:
            orders.setdefault(TEAM, []).append((row.card, row.actor, row.targets))
        for team, items in orders.items():
            s.submit(team, _orders(items), from_hand=False)
        s.resolve(explain=False)
        worlds.append(s.world)
    return Game(s, worlds)


def test_the_table_covers_every_card_of_the_deck(content):
    deck = {c.id for c in content.team_cards(TEAM)}
    table = [r.card for r in ROWS]
    assert len(table) == len(set(table)), "a card is listed twice"
    assert deck == set(table), (f"cards without a row: {sorted(deck - set(table))}; "
                                f"rows without a card: {sorted(set(table) - deck)}")
    assert len(deck) >= 16


def test_every_multi_actor_row_names_a_state_of_the_team(content):
    team = next(t for t in content.scenario.teams if t.id == TEAM)
    for row in ROWS:
        assert row.actor in team.actors, row.card


@pytest.mark.parametrize("row", ROWS, ids=[r.card for r in ROWS])
def test_card_moves_the_meters_its_text_promises(content, row: Row):
    _check(content, row)


@pytest.mark.parametrize("row", OTHER_CASES, ids=[f"{r.card}-{r.actor}" for r in OTHER_CASES])
def test_the_other_case_the_text_describes(content, row: Row):
    _check(content, row)


def _check(content, row: Row) -> None:
    played = _play(content, row, with_card=True)
    passed = _play(content, row, with_card=False)
    failures = []
    for e in row.expect:
        got, base = e.metric(played, e.turn), e.metric(passed, e.turn)
        if e.direction * (got - base) < e.at_least:
            failures.append(f"turn {e.turn}: {e.what}: {base:.4f} -> {got:.4f} "
                            f"(expected {'up' if e.direction > 0 else 'down'} by at least {e.at_least:g})")
    assert not failures, f"{row.card} played by {row.actor}:\n" + "\n".join(failures)


# --- conditions: combinations and who may play what ---------------------------------

COMBINATIONS = [(r.card, r.actor, r.targets) for r in ROWS if r.turn > 1 and TEAM in r.setup.get(1, {})]


@pytest.mark.parametrize("card,actor,targets", COMBINATIONS, ids=[c[0] for c in COMBINATIONS])
def test_a_combination_card_needs_its_prerequisite(content, card, actor, targets):
    s = Session.new(content, SEED)
    s.resolve(explain=False)  # turn 1 passes: nothing was played before
    with pytest.raises(OrderError, match="can be played only"):
        s.submit(TEAM, [Order(card=card, actor=actor, targets=targets)], from_hand=False)


@pytest.mark.parametrize("card,actor", [
    ("rs-lithium-ore-ban", "drc"),  # the DRC mines no lithium
    ("rs-lithium-ore-ban", "idn"),
    ("rs-lithium-triangle", "zwe"),  # Zimbabwe refines no lithium to hold back
    ("rs-msp-project-finance", "chl"),  # not an MSP member
    ("rs-infrastructure-loan", "chl"),  # not a Belt and Road partner at the start
    ("rs-join-msp", "usa"),  # not a state of the team
])
def test_a_state_cannot_play_what_it_has_no_basis_for(content, card, actor):
    targets = {"state": actor} if card == "rs-join-msp" else {}
    with pytest.raises(OrderError):
        Session.new(content, SEED).submit(TEAM, [Order(card=card, actor=actor, targets=targets)], from_hand=False)


def test_joining_the_belt_and_road_opens_the_infrastructure_loan(content):
    s = Session.new(content, SEED)
    s.submit(TEAM, [Order(card="rs-bri-partnership", actor="chl")], from_hand=False)
    s.resolve(explain=False)
    s.submit(TEAM, [Order(card="rs-infrastructure-loan", actor="chl")], from_hand=False)
