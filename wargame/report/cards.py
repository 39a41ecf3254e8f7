"""A card in words, for the screens and the handouts alike: its name, text, cost,
mechanism, source, the choices it asks for and the conditions on playing it, with every
id (mineral, actor, bloc, stage, card) in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.report.labels import tr
from wargame.report.names import names, target_prompt

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar
    from wargame.model.deck import Card, Condition

WORDS = {
    # how an actor gets a mineral (the team screen's dependency tab, the briefing)
    "col_mineral": {"en": "Mineral", "zh": "矿产"},
    "col_stage": {"en": "Stage", "zh": "环节"},
    "col_import": {"en": "Import%", "zh": "进口%"},
    "col_rival": {"en": "Rival%", "zh": "对手%"},
    "col_hhi": {"en": "HHI", "zh": "HHI"},
    "col_suppliers": {"en": "Top suppliers", "zh": "主要供应方"},
    # a card
    "d_cost": {"en": "Cost {cost}", "zh": "费用 {cost}"},
    "d_mechanism": {"en": "Mechanism: ", "zh": "机制："},
    "d_source": {"en": "Source: ", "zh": "来源："},
    "d_targets": {"en": "You choose:", "zh": "需要选择："},
    "d_conditions": {"en": "Conditions:", "zh": "出牌条件："},
    "d_none": {"en": "none", "zh": "无"},
    "c_turn_at_least": {"en": "from turn {n}", "zh": "第 {n} 回合起"},
    "c_turn_at_most": {"en": "until turn {n}", "zh": "至第 {n} 回合为止"},
    "c_member_of": {"en": "only by a member of {bloc}", "zh": "仅限{bloc}成员"},
    "c_not_member_of": {"en": "only by a non-member of {bloc}", "zh": "仅限非{bloc}成员"},
    "c_played_before": {"en": "only after “{card}” has been played", "zh": "须先打出“{card}”"},
    "c_played_before_by": {"en": "only after {team} has played “{card}”", "zh": "须在{team}打出“{card}”之后"},
    "c_securitisation": {"en": "only once securitisation reaches {v}", "zh": "须安全化指数达到 {v}"},
    "c_has_capacity": {"en": "only with at least {n} units of {stage} capacity for {mineral}",
                       "zh": "{mineral}的{stage}产能至少为 {n} 个单位"},
    "chosen_mineral": {"en": "the chosen mineral", "zh": "所选矿产"},
}


def name_of(seminar: "Seminar", kind: str, value: str, lang: str) -> str:
    """A mineral, actor, bloc or stage id in words (stages capitalised, as table labels)."""
    word = names(seminar, lang).thing(value, kind)
    return word[:1].upper() + word[1:] if kind == "stage" else word


def card_name(seminar: "Seminar", card_id: str, lang: str) -> str:
    return names(seminar, lang).card(card_id)


def condition_words(seminar: "Seminar", cond: "Condition", lang: str) -> str:
    kind = cond.kind
    if kind == "turn_at_least":
        return tr(WORDS, "c_turn_at_least", lang, n=cond.turn)
    if kind == "turn_at_most":
        return tr(WORDS, "c_turn_at_most", lang, n=cond.turn)
    if kind in ("member_of", "not_member_of"):
        return tr(WORDS, f"c_{kind}", lang, bloc=name_of(seminar, "bloc", cond.bloc, lang))
    if kind == "played_before":
        name = card_name(seminar, cond.card, lang)
        if cond.team:
            return tr(WORDS, "c_played_before_by", lang, card=name, team=seminar.team_name(cond.team, lang))
        return tr(WORDS, "c_played_before", lang, card=name)
    if kind == "securitisation_at_least":
        return tr(WORDS, "c_securitisation", lang, v=f"{cond.value * 100:.0f}")
    if kind == "has_capacity":
        mineral = (tr(WORDS, "chosen_mineral", lang) if cond.mineral.startswith("$")
                   else name_of(seminar, "mineral", cond.mineral, lang))
        return tr(WORDS, "c_has_capacity", lang, n=f"{cond.at_least:g}", mineral=mineral,
                  stage=name_of(seminar, "stage", cond.stage, lang))
    return kind


@dataclass(frozen=True)
class CardFacts:
    """Everything a player needs to know about one card, in one language (and its name and
    text in the other, for a bilingual room)."""

    name: str
    text: str
    other_name: str
    other_text: str
    cost: int
    copies: int
    mechanism: str
    source: str
    targets: list[tuple[str, list[str]]]  # (what the player is asked, the choices in words)
    conditions: list[str]


def card_facts(seminar: "Seminar", card: "Card", lang: str) -> CardFacts:
    other = "zh" if lang == "en" else "en"
    targets = [(target_prompt(spec, lang), [name_of(seminar, spec.kind, v, lang) for v in seminar.choices(card, spec)])
               for spec in card.targets]
    return CardFacts(card.name.get(lang), card.text.get(lang), card.name.get(other), card.text.get(other),
                     card.cost, card.copies, card.mechanism_in(lang) or "", card.source or "", targets,
                     [condition_words(seminar, c, lang) for c in card.conditions])
