"""Event cards: injected by the White Cell or the timeline, with or without an acting actor;
stage targets chosen by the player."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from wargame.game.session import OrderError, Session
from wargame.model.loader import ContentError, check_paths, load_scenario
from wargame.model.common import STAGES
from wargame.model.records import Inject, Order

from conftest import BUILTIN

ACTING_EVENT = {
    "id": "ev-ally-tariffs",
    "name": {"en": "Tariffs on allies", "zh": "对盟友加征关税"},
    "text": {"en": "A consumer power taxes its allies' refined output.", "zh": "一个消费大国对盟友的精炼产品征税。"},
    "targets": [{"name": "mineral", "kind": "mineral"}],
    "effects": [{"kind": "tariff", "mineral": "$mineral", "on": ["allies"], "rate": 0.25, "duration": 2}],
}


@pytest.fixture()
def scenario_copy(tmp_path) -> Path:
    dest = tmp_path / "cm"
    shutil.copytree(BUILTIN, dest)
    events = yaml.safe_load((dest / "events.yaml").read_text())
    events["cards"].append(ACTING_EVENT)
    (dest / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True, sort_keys=False))
    return dest


def _timeline(dest: Path, entry: dict) -> None:
    sc = yaml.safe_load((dest / "scenario.yaml").read_text())
    sc["timeline"].append(entry)
    (dest / "scenario.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True, sort_keys=False))


def test_timeline_event_that_acts_for_someone_must_name_the_actor(scenario_copy):
    _timeline(scenario_copy, {"turn": 2, "card": "ev-ally-tariffs", "targets": {"mineral": "ree"}})
    _, problems = check_paths([scenario_copy])
    assert any("needs `actor:`" in str(p) and "timeline" in str(p) for p in problems), problems


def test_timeline_event_with_an_actor_loads_and_plays(scenario_copy):
    _timeline(scenario_copy, {"turn": 1, "card": "ev-ally-tariffs", "actor": "usa", "targets": {"mineral": "ree"}})
    content = load_scenario(scenario_copy)
    s = Session.new(content, 0)
    result = s.resolve()
    assert any("duty" in line and "Rare earths" in line for line in result.news), result.news


def test_timeline_event_naming_an_unknown_actor_is_rejected(scenario_copy):
    _timeline(scenario_copy, {"turn": 1, "card": "ev-ally-tariffs", "actor": "atlantis", "targets": {"mineral": "ree"}})
    with pytest.raises(ContentError, match="atlantis"):
        load_scenario(scenario_copy)


def test_facilitator_inject_of_an_acting_event_needs_an_actor(scenario_copy):
    s = Session.new(load_scenario(scenario_copy), 0)
    with pytest.raises(OrderError, match="actor"):
        s.inject(Inject(card="ev-ally-tariffs", targets={"mineral": "ree"}))
    s.inject(Inject(card="ev-ally-tariffs", actor="usa", targets={"mineral": "ree"}))
    calm = Session.new(load_scenario(scenario_copy), 0)
    s.resolve()
    calm.resolve()
    usa = s.index.actor_pos["usa"]
    assert s.meters["cost"][usa] > calm.meters["cost"][usa]  # the importer pays the duty


def test_a_stage_target_chosen_by_the_player_reaches_the_effect(tmp_path):
    dest = tmp_path / "cm"
    shutil.copytree(BUILTIN, dest)
    china = yaml.safe_load((dest / "china.yaml").read_text())
    china["cards"].append({
        "id": "cn-stage-control",
        "name": {"en": "Stage control", "zh": "环节管制"},
        "text": {"en": "Restrict one stage of a chain.", "zh": "管制产业链的一个环节。"},
        "targets": [{"name": "mineral", "kind": "mineral"}, {"name": "stage", "kind": "stage"},
                    {"name": "target", "kind": "party"}],
        "effects": [{"kind": "restrict_exports", "mineral": "$mineral", "stage": "$stage", "to": ["$target"],
                     "severity": 0.9, "duration": 1}],
    })
    (dest / "china.yaml").write_text(yaml.safe_dump(china, allow_unicode=True, sort_keys=False))
    s = Session.new(load_scenario(dest), 0)
    s.submit("china", [Order(card="cn-stage-control",
                             targets={"mineral": "ree", "stage": "manufacturing", "target": "usa"})],
             from_hand=False)
    result = s.resolve()
    assert any("restricts manufacturing exports of Rare earths" in line for line in result.news), result.news


def test_a_stage_target_must_be_a_stage(tmp_path):
    dest = tmp_path / "cm"
    shutil.copytree(BUILTIN, dest)
    china = yaml.safe_load((dest / "china.yaml").read_text())
    card = china["cards"][0]
    card["effects"][0]["stage"] = "$mineral"
    (dest / "china.yaml").write_text(yaml.safe_dump(china, allow_unicode=True, sort_keys=False))
    _, problems = check_paths([dest])
    assert any("kind stage" in str(p) or "target of kind" in str(p) for p in problems), problems


# --- The built-in events deck: every card moves what its text promises ----------------------------------

# Event cards that act for someone, and the actor the table plays them for. Every other card must be
# playable by the White Cell with no actor at all.
EVENT_ACTORS = {
    "ev-entity-list-spiral": "chn",
    "ev-licence-suspension": "chn",
    "ev-deep-sea-mining": "usa",
}

# (card, targets, background orders played in both runs, [(turn, meter, key, direction), ...])
# The inject is played on turn 1; each meter is read after `turn` is resolved, with and without it.
# key: actor, mineral or bloc id; (actor, mineral) for shortage; (actor, mineral, stage) for the
# per-stage meters (import reliance, capacity used); None for securitisation.
# direction: +1 the meter rises, -1 it falls.
EVENT_TABLE = [
    # the timeline plays this crisis again in turn 2 in both runs, so its bill shows in turn 1;
    # the security talk lingers into turn 2
    ("ev-mideast-crisis", {}, {},
     [(1, "securitisation", None, +1), (1, "price_index", "nickel", +1), (1, "cost", "jpn", +1),
      (2, "securitisation", None, +1)]),
    ("ev-venezuela-strike", {}, {},
     [(1, "securitisation", None, +1), (2, "cost", "eu", +1)]),
    ("ev-pandemic", {"hub": "chn"}, {},
     [(1, "price_index", "ree", +1), (1, "price_index", "graphite", +1), (1, "securitisation", None, +1)]),
    ("ev-sodium-ion", {}, {},
     [(1, "dependency", "usa", -1), (3, "price_index", "lithium", -1)]),
    ("ev-cobalt-free", {}, {},
     [(1, "dependency", "eu", -1), (3, "price_index", "cobalt", -1)]),
    ("ev-ree-free-motors", {}, {},
     [(1, "dependency", "usa", -1), (1, "leverage", "chn", -1), (4, "price_index", "ree", -1)]),
    ("ev-lithium-bust", {}, {},
     [(1, "price_index", "lithium", -1), (1, "value_added", "chl", -1)]),
    # a surge raises the price where it is larger than the capacity left spare: for germanium,
    # antimony and tungsten that is the last stage (manufacturing), not refining
    ("ev-ai-grid-demand", {}, {},
     [(1, "price_index", "copper", +1), (2, "stage_price_index", ("germanium", "manufacturing"), +1)]),
    ("ev-rearmament", {}, {},
     [(1, "securitisation", None, +1), (2, "stage_price_index", ("antimony", "manufacturing"), +1),
      (2, "stage_price_index", ("tungsten", "manufacturing"), +1)]),
    ("ev-deep-sea-mining", {}, {},
     [(1, "cost", "usa", +1), (4, "capacity_used", ("usa", "nickel", "extraction"), +1)]),
    ("ev-mine-strike", {"state": "drc", "mineral": "cobalt"}, {},
     [(1, "price_index", "cobalt", +1)]),
    # a country that mines most of the ore: the price jumps and stays up into the next year
    ("ev-mine-flood", {"state": "drc", "mineral": "cobalt"}, {},
     [(1, "price_index", "cobalt", +1), (2, "price_index", "cobalt", +1)]),
    ("ev-green-lawsuit", {"state": "usa", "mineral": "ree", "stage": "processing"}, {},
     [(1, "import_reliance", ("usa", "ree", "processing"), +1),
      (2, "import_reliance", ("usa", "ree", "processing"), +1)]),
    # fiscal room only shows under spending: the US runs its IRA credit in both runs
    ("ev-fiscal-tightening", {"actor": "usa"}, {"us": [{"card": "us-ira-credit"}]},
     [(1, "fiscal_pressure", "usa", +1)]),
    ("ev-allied-rupture", {"ally": "can"}, {},
     [(1, "cohesion", "g7", -1), (1, "cohesion", "us-fta", -1), (1, "securitisation", None, +1)]),
    ("ev-entity-list-spiral", {"target": "usa"}, {},
     [(1, "shortage", ("usa", "gallium"), +1), (1, "dependency", "usa", +1),
      (1, "securitisation", None, +1)]),
    ("ev-licence-suspension", {"partner": "usa", "mineral": "ree"}, {},
     [(1, "price_index", "ree", -1), (1, "dependency", "usa", +1)]),
]


def _meter(s: Session, turn: int, meter: str, key) -> float:
    idx = s.index
    values = s.history[turn][meter]
    if key is None:
        return float(values)
    if meter == "cohesion":
        return float(values[idx.bloc_pos[key]])
    if meter in ("price", "price_index"):
        return float(values[idx.mineral_pos[key]])
    if meter == "stage_price_index":
        mineral, stage = key
        return float(values[idx.mineral_pos[mineral], STAGES.index(stage)])
    if isinstance(key, tuple) and len(key) == 3:
        actor, mineral, stage = key
        return float(values[idx.actor_pos[actor], idx.mineral_pos[mineral], STAGES.index(stage)])
    if isinstance(key, tuple):
        actor, mineral = key
        return float(values[idx.actor_pos[actor], idx.mineral_pos[mineral]])
    return float(values[idx.actor_pos[key]])


def _play(content, turns: int, background: dict, inject: Inject | None) -> Session:
    s = Session.new(content, 5)
    for team, orders in background.items():
        s.submit(team, [Order(**o) for o in orders], from_hand=False)
    if inject is not None:
        s.inject(inject)
    for _ in range(turns):
        s.resolve(explain=False)
    return s


def test_the_event_table_covers_every_card_of_the_events_deck(content):
    deck = {c.id for c in content.event_cards()}
    table = [row[0] for row in EVENT_TABLE]
    assert len(table) == len(set(table)), "a card is listed twice"
    assert set(table) == deck, (f"missing from the table: {sorted(deck - set(table))}; "
                                f"not in the deck: {sorted(set(table) - deck)}")
    assert len(deck) >= 14


@pytest.mark.parametrize("card, targets, background, expected", EVENT_TABLE, ids=[r[0] for r in EVENT_TABLE])
def test_each_event_moves_the_meters_its_text_promises(content, card, targets, background, expected):
    turns = max(t for t, *_ in expected)
    calm = _play(content, turns, background, None)
    hit = _play(content, turns, background, Inject(card=card, actor=EVENT_ACTORS.get(card), targets=targets))
    for turn, meter, key, direction in expected:
        with_it, without = _meter(hit, turn, meter, key), _meter(calm, turn, meter, key)
        assert (with_it - without) * direction > 1e-6, (
            f"{card}: {meter}[{key}] after turn {turn} should {'rise' if direction > 0 else 'fall'}: "
            f"{without:.4f} without the event, {with_it:.4f} with it")


def test_a_mine_flood_where_rivals_have_idle_mines_mostly_costs_the_country_its_sales(content):
    """The other case ev-mine-flood describes: a quarter of Chile's copper mines is less than the
    world's idle mine capacity, so other mines fill the gap and the country loses the sales."""
    calm = _play(content, 1, {}, None)
    hit = _play(content, 1, {}, Inject(card="ev-mine-flood", targets={"state": "chl", "mineral": "copper"}))
    lost = (_meter(calm, 1, "capacity_used", ("chl", "copper", "extraction"))
            - _meter(hit, 1, "capacity_used", ("chl", "copper", "extraction")))
    filled = sum(_meter(hit, 1, "capacity_used", (a, "copper", "extraction"))
                 - _meter(calm, 1, "capacity_used", (a, "copper", "extraction"))
                 for a in hit.index.actors if a != "chl")
    assert lost > 500.0, lost
    assert filled > 0.9 * lost, (lost, filled)  # other mines fill most of the gap
    assert _meter(hit, 1, "value_added", "chl") < _meter(calm, 1, "value_added", "chl")


def test_exactly_the_listed_events_act_for_someone_and_say_so(content):
    from wargame.model.effects import needs_actor

    for card in content.event_cards():
        acting = needs_actor(card.effects)
        assert acting == (card.id in EVENT_ACTORS), card.id
        if acting:  # the facilitator must be told whom to name
            assert "`actor:" in (card.mechanism_in("en") or "") and "`actor:" in (card.mechanism_in("zh") or ""), card.id
            assert "actor:" in card.text.en and "actor:" in card.text.zh, card.id
    s = Session.new(content, 0)
    with pytest.raises(OrderError, match="actor"):
        s.inject(Inject(card="ev-entity-list-spiral", targets={"target": "usa"}))


def test_every_event_card_is_documented_for_the_facilitator(content):
    for card in content.event_cards():
        assert card.name.en and card.name.zh and card.text.en and card.text.zh, card.id
        assert card.mechanism, card.id
        assert card.source and "BRIEF" in card.source, card.id
        for spec in card.targets:
            assert spec.choices, f"{card.id}: target {spec.name} needs choices"
            assert spec.prompt is not None and spec.prompt.en and spec.prompt.zh, f"{card.id}: {spec.name}"


def test_every_choice_of_every_event_can_be_injected_and_resolved(content):
    import itertools

    for card in content.event_cards():
        names = [spec.name for spec in card.targets]
        for combo in itertools.product(*(spec.choices for spec in card.targets)):
            s = Session.new(content, 0)
            s.inject(Inject(card=card.id, actor=EVENT_ACTORS.get(card.id), targets=dict(zip(names, combo))))
            result = s.resolve(explain=False)
            assert result.news, (card.id, combo)


@pytest.mark.parametrize("ally", ["can", "aus", "jpn", "kor", "eu"])
def test_a_partner_walking_out_strains_another_club_it_shares_with_washington(content, ally):
    calm = _play(content, 1, {}, None)
    hit = _play(content, 1, {}, Inject(card="ev-allied-rupture", targets={"ally": ally}))
    idx = hit.index
    member = hit.world.member
    shared = [b for b in idx.blocs if b != "msp"
              and member[idx.bloc_pos[b], idx.actor_pos[ally]] > 0
              and member[idx.bloc_pos[b], idx.actor_pos["usa"]] > 0]
    assert shared, ally
    drops = [_meter(hit, 1, "cohesion", b) - _meter(calm, 1, "cohesion", b) for b in shared]
    assert min(drops) < 0, (ally, dict(zip(shared, drops)))
    assert member[idx.bloc_pos["msp"], idx.actor_pos[ally]] == 0
