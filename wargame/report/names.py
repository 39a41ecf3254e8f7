"""Content ids in words, in one language: minerals, actors, blocs, teams, stages and
cards, as every screen shows them. No textual import."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from wargame.model.common import STAGES
from wargame.report.labels import tr

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar
    from wargame.model.deck import TargetSpec

STAGE_WORDS = {
    "extraction": {"en": "mining", "zh": "开采"},
    "processing": {"en": "processing", "zh": "加工"},
    "manufacturing": {"en": "manufacturing", "zh": "制造"},
}


KIND_WORDS = {
    "pick_default": {"en": "Choose the {kind}:", "zh": "请选择{kind}："},
    "mineral": {"en": "mineral", "zh": "矿产"},
    "actor": {"en": "country", "zh": "国家或地区"},
    "bloc": {"en": "bloc", "zh": "集团"},
    "party": {"en": "country or bloc", "zh": "国家、地区或集团"},
    "stage": {"en": "stage", "zh": "环节"},
}


LABEL_WORDS = {  # a target's kind as a short label in a list of targets (other than English)
    "mineral": {"en": "mineral", "zh": "矿产"},
    "actor": {"en": "country", "zh": "对象"},
    "bloc": {"en": "bloc", "zh": "集团"},
    "party": {"en": "party", "zh": "对象"},
    "stage": {"en": "stage", "zh": "环节"},
}


def target_prompt(spec: "TargetSpec", lang: str) -> str:
    """What a picker asks for one target: the card's own prompt, or "Choose the mineral:"."""
    if spec.prompt is not None:
        return spec.prompt.get(lang)
    return tr(KIND_WORDS, "pick_default", lang, kind=tr(KIND_WORDS, spec.kind, lang))


class Names:
    """Content names in one language (build with ``names(seminar, lang)``)."""

    def __init__(self, seminar: "Seminar", lang: str) -> None:
        sc = seminar.session.scenario
        self.seminar, self.lang = seminar, lang
        self.minerals = {m.id: m.name.get(lang) for m in sc.minerals}
        self.actors = {a.id: a.name.get(lang) for a in sc.actors}
        self.blocs = {b.id: b.name.get(lang) for b in sc.blocs}
        self.teams = {t.id: t.name.get(lang) for t in sc.teams}
        self.stages = {s: tr(STAGE_WORDS, s, lang) for s in STAGES}
        self.sep = "、" if lang == "zh" else ", "

    def card(self, card_id: str) -> str:
        try:
            return self.seminar.session.content.card(card_id).name.get(self.lang)
        except KeyError:  # a card id that no deck holds (only in a hand-edited save)
            return card_id

    def thing(self, ident: str, kind: str | None = None) -> str:
        """An id in words, looked up by its target kind (or anywhere when the kind is unknown)."""
        tables = {"mineral": (self.minerals,), "actor": (self.actors,), "bloc": (self.blocs,),
                  "party": (self.actors, self.blocs), "stage": (self.stages,)}.get(
            kind or "", (self.actors, self.blocs, self.minerals, self.stages, self.teams))
        for table in tables:
            if ident in table:
                return table[ident]
        return ident

    def labelled_targets(self, card_id: str, targets: dict[str, str]) -> str:
        """An order's targets, each with what it is: "mineral: Gallium, target: Japan" (in
        Chinese the target's kind, "矿产：镓、国家或地区：日本"), in the card's order."""
        try:
            specs = {t.name: t.kind for t in self.seminar.session.content.card(card_id).targets}
        except KeyError:
            specs = {}
        colon = "：" if self.lang == "zh" else ": "
        parts = []
        for name in list(specs) + [n for n in targets if n not in specs]:
            if name in targets:
                kind = specs.get(name)
                label = tr(LABEL_WORDS, kind, self.lang) if self.lang != "en" and kind else name
                parts.append(f"{label}{colon}{self.thing(targets[name], kind)}")
        return self.sep.join(parts)

    def targets(self, card_id: str, targets: dict[str, str], sep: str | None = None) -> str:
        """An order's targets in words, in the card's order of targets."""
        if not targets:
            return ""
        try:
            specs = {t.name: t.kind for t in self.seminar.session.content.card(card_id).targets}
        except KeyError:
            specs = {}
        order = list(specs) + [n for n in targets if n not in specs]
        return (self.sep if sep is None else sep).join(
            self.thing(targets[n], specs.get(n)) for n in order if n in targets)


@lru_cache(maxsize=8)
def names(seminar: "Seminar", lang: str) -> Names:
    """The names of a game's content in ``lang`` (built once per game and language)."""
    return Names(seminar, lang)
