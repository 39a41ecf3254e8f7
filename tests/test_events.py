"""Event cards: injected by the White Cell or the timeline, with or without an acting actor;
stage targets chosen by the player."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from wargame.game.session import OrderError, Session
from wargame.model.loader import ContentError, check_paths, load_scenario
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
