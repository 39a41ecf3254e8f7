"""Decks and cards: what a team (or the White Cell, for events) can play."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Discriminator, Field, Tag, model_validator

from wargame.model.common import Id, Name, ShortText, Strict, Text
from wargame.model.effects import Effect, Ref, Stage


class TargetSpec(Strict):
    """A choice the player makes when playing the card; effects refer to it as ``$name``."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    kind: Literal["mineral", "actor", "bloc", "party", "stage"]
    choices: list[str] | None = Field(default=None, min_length=1, max_length=200)
    prompt: Text | None = None


class TurnAtLeast(Strict):
    kind: Literal["turn_at_least"]
    turn: Annotated[int, Field(ge=1, le=60)]


class TurnAtMost(Strict):
    kind: Literal["turn_at_most"]
    turn: Annotated[int, Field(ge=1, le=60)]


class MemberOf(Strict):
    kind: Literal["member_of"]
    bloc: Id


class NotMemberOf(Strict):
    kind: Literal["not_member_of"]
    bloc: Id


class PlayedBefore(Strict):
    """This card was played in an earlier turn: by the same team, or by the team named."""

    kind: Literal["played_before"]
    card: Id
    team: Id | None = None


class SecuritisationAtLeast(Strict):
    kind: Literal["securitisation_at_least"]
    value: Annotated[float, Field(ge=0.0, le=1.0)]


class HasCapacity(Strict):
    """The playing actor has at least this much capacity for a mineral at a stage; the
    mineral may be a target the player picks (``$name``)."""

    kind: Literal["has_capacity"]
    mineral: Ref
    stage: Stage
    at_least: Annotated[float, Field(ge=0.0)]


Condition = Annotated[
    Union[TurnAtLeast, TurnAtMost, MemberOf, NotMemberOf, PlayedBefore, SecuritisationAtLeast, HasCapacity],
    Field(discriminator="kind"),
]


# A note in one language (text) or in both (a mapping with en and zh): a mapping is
# checked as Text, anything else as text, so a mistake gets one message, not one per form.
OneOrBoth = Annotated[
    Union[Annotated[ShortText, Tag("text")], Annotated[Text, Tag("both")]],
    Discriminator(lambda v: "both" if isinstance(v, (dict, Text)) else "text"),
]


class Card(Strict):
    id: Id
    name: Name
    text: Text
    mechanism: OneOrBoth | None = Field(
        default=None, description="the mechanism the card plays on: one text, or en and zh")
    source: ShortText | None = None
    playable_by: list[Id] = Field(default_factory=list, max_length=50)
    cost: Annotated[int, Field(ge=0, le=100)] = 1
    copies: Annotated[int, Field(ge=1, le=10)] = 1
    targets: list[TargetSpec] = Field(default_factory=list, max_length=8)
    conditions: list[Condition] = Field(default_factory=list, max_length=16)
    effects: list[Effect] = Field(min_length=1, max_length=16)

    def mechanism_in(self, lang: str) -> str | None:
        """The mechanism note in ``lang`` (a note written in one language only is shown as is)."""
        return self.mechanism.get(lang) if isinstance(self.mechanism, Text) else self.mechanism

    @model_validator(mode="after")
    def _targets_are_defined(self) -> "Card":
        names = [t.name for t in self.targets]
        if len(set(names)) != len(names):
            raise ValueError("two targets share a name")
        for i, cond in enumerate(self.conditions):
            ref = getattr(cond, "mineral", None)
            if isinstance(ref, str) and ref.startswith("$") and ref[1:] not in names:
                raise ValueError(f"conditions[{i}].mineral refers to {ref}, but the card has no target of that name")
        for i, effect in enumerate(self.effects):
            for field, value in effect:
                key = type(effect).model_fields[field].alias or field  # as written in the file
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if isinstance(v, str) and v.startswith("$") and v[1:] not in names:
                        raise ValueError(
                            f"effects[{i}].{key} refers to ${v[1:]}, but the card has no target of that name"
                        )
        return self


class Deck(Strict):
    format: Literal[1] = 1
    id: Id
    name: Name
    kind: Literal["team", "events"] = "team"
    cards: list[Card] = Field(min_length=1, max_length=500)
