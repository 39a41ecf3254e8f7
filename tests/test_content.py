"""The built-in scenario's decks: complete, bilingual, sourced, and covering the
instruments of BRIEF §3 for every team."""

from __future__ import annotations

import re

import pytest

from wargame.model.common import Text

TEAM_DECKS = ("us", "china", "eu", "resource-states")

# BRIEF §3 instruments -> the card(s) that model each one
INSTRUMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {
        "DPA Title III grants": ("us-dpa-grant",),
        "IRA credit with FEOC exclusion": ("us-ira-credit",),
        "LPO loan": ("us-lpo-loan",),
        "equity stake with price floor and offtake": ("us-mp-price-floor",),
        "stockpile / Project Vault": ("us-project-vault", "us-stockpile-release"),
        "Section 232 tariff": ("us-section-232", "us-copper-232"),
        "anti-dumping duty": ("us-graphite-duty",),
        "MSP expansion and Finance Network": ("us-msp-expansion", "us-msp-finance-network"),
        "Lobito-style corridor finance": ("us-dfc-lobito",),
        "minerals-for-aid deal": ("us-minerals-for-aid",),
        "entity listing": ("us-feoc-screen",),
        "allied price-floor club": ("us-price-floor-club",),
        "critical-minerals list expansion": ("us-minerals-list",),
        "deep-sea mining order": ("us-deep-sea-order",),
    },
    "china": {
        "export controls on REE/Ga/Ge/Sb/graphite/W": ("cn-export-control", "cn-mofcom-46-ban", "cn-graphite-end-use"),
        "controls on separation technology": ("cn-ree-technology-ban",),
        "licensing regimes and their suspension": ("cn-global-licensing", "cn-licence-suspension"),
        "retaliatory tariffs": ("cn-retaliatory-tariff",),
        "China Rare Earth Group consolidation": ("cn-rare-earth-group",),
        "Belt and Road mining finance": ("cn-bri-mining-finance",),
        "processing investment in resource states": ("cn-bri-processing", "cn-morowali-smelter"),
        "green processing technology": ("cn-green-processing",),
        "BRICS/SCO coordination": ("cn-brics-sco",),
        "dialogue offer": ("cn-dialogue-offer",),
    },
    "eu": {
        "CRMA benchmarks": ("eu-crma-projects", "eu-crma-extraction", "eu-recycling-target"),
        "65% single-supplier cap": ("eu-supplier-cap",),
        "strategic projects": ("eu-crma-projects", "eu-projects-abroad"),
        "joint purchasing": ("eu-joint-purchasing",),
        "stockpiles": ("eu-joint-purchasing", "eu-stock-release"),
        "Global Gateway finance": ("eu-global-gateway",),
        "EU-US price coordination": ("eu-minimum-price",),
        "trade defence": ("eu-anti-subsidy-duty",),
        "recycling push": ("eu-recycling-target",),
        "de-risking dialogue with China": ("eu-derisking-dialogue",),
    },
    "resource-states": {
        "ore export bans": ("rs-ore-ban", "rs-lithium-ore-ban", "rs-unprocessed-ban"),
        "royalty rises": ("rs-royalty-rise",),
        "contract review": ("rs-contract-review",),
        "nationalisation": ("rs-nationalisation",),
        "joining MSP dialogues": ("rs-join-msp",),
        "Belt and Road partnership": ("rs-bri-partnership",),
        "local-processing requirements": ("rs-local-refining",),
        "playing both sides for finance": ("rs-hedge", "rs-competing-bids"),
        "joint ventures": ("rs-joint-venture",),
    },
}

HAN = re.compile(r"[\u4e00-\u9fff]")


def _deck(content, deck_id):
    decks = content.decks.values() if isinstance(content.decks, dict) else content.decks
    return next(d for d in decks if d.id == deck_id)


@pytest.mark.parametrize("deck_id", TEAM_DECKS)
def test_each_team_deck_has_at_least_14_cards(content, deck_id):
    assert len(_deck(content, deck_id).cards) >= 14


def test_events_deck_has_at_least_12_injects(content):
    assert len(_deck(content, "events").cards) >= 12


@pytest.mark.parametrize("deck_id", TEAM_DECKS + ("events",))
def test_every_card_is_bilingual_and_says_what_it_models_and_where_from(content, deck_id):
    for card in _deck(content, deck_id).cards:
        assert isinstance(card.mechanism, Text), f"{card.id}: a mechanism note in both languages"
        for text in (card.name, card.text, card.mechanism):
            assert text.en.strip() and not HAN.search(text.en), card.id
            assert HAN.search(text.zh), f"{card.id}: the zh text should be Chinese"
        for lang in ("en", "zh"):
            assert "\n" not in card.mechanism.get(lang).strip(), f"{card.id}: one-line mechanism"
        # the references into the brief read the same in both
        ref = r"§[0-9]+(?:\.[0-9]+)*(?:-[0-9]+(?:\.[0-9]+)*)?"
        assert re.findall(ref, card.mechanism.en) == re.findall(ref, card.mechanism.zh), card.id
        assert card.source and re.search(r"BRIEF|DATA\.md", card.source), f"{card.id}: source key into the brief"


@pytest.mark.parametrize("team", TEAM_DECKS)
def test_the_decks_cover_the_instruments_of_the_brief(content, team):
    ids = {c.id for c in _deck(content, team).cards}
    for instrument, cards in INSTRUMENTS[team].items():
        assert set(cards) <= ids, f"{team}: {instrument} needs {sorted(set(cards) - ids)}"


def test_some_cards_only_make_sense_in_combination(content):
    """Every team deck has cards that need an earlier card or a membership."""
    for team in TEAM_DECKS:
        kinds = {cond.kind for card in _deck(content, team).cards for cond in card.conditions}
        assert "played_before" in kinds, team


def test_the_mission_cards_exist(content):
    ids = {c.id for d in TEAM_DECKS for c in _deck(content, d).cards}
    assert {"cn-export-control", "us-ira-credit", "rs-join-msp", "rs-ore-ban"} <= ids
