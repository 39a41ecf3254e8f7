"""Content ids in words, in one language: minerals, actors, blocs, teams, stages and
cards, as every screen shows them. No textual import."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from wargame.model.common import STAGES
from wargame.tui.labels import tr

if TYPE_CHECKING:
    from wargame.game.seminar import Seminar

STAGE_WORDS = {
    "extraction": {"en": "mining", "zh": "开采"},
    "processing": {"en": "processing", "zh": "加工"},
    "manufacturing": {"en": "manufacturing", "zh": "制造"},
}


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
