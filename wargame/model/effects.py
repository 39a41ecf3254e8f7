"""The closed vocabulary of effect primitives a card may carry.

Every effect is plain data. The engine implements each kind once
(``wargame.engine.effects``); nothing in a deck is ever evaluated as code.

Fields that name actors, blocs or minerals take a *reference*: a literal id
from the scenario, a ``$name`` pointing at a target the player picks when the
card is played, or one of the selectors below.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, StringConstraints

from wargame.model.common import Fraction, Signed, Strict, Turns

Ref = Annotated[str, StringConstraints(pattern=r"^(\$[a-z][a-z0-9_]{0,31}|[a-z0-9][a-z0-9_-]{0,47})$")]
"""A literal id, a ``$target`` reference, or a selector."""

SELECTORS: dict[str, str] = {
    "self": "the actor playing the card",
    "all": "every actor in the scenario",
    "others": "every actor except the one playing the card",
    "rivals": "actors whose affinity with the player is below the rival threshold",
    "allies": "actors sharing a bloc with the player, the player excluded",
}

Stage = Literal["extraction", "processing", "manufacturing"]
StageRef = Annotated[str, StringConstraints(pattern=r"^(extraction|processing|manufacturing|\$[a-z][a-z0-9_]{0,31})$")]
"""A stage name, or a ``$target`` of kind stage."""
Party = list[Ref]
LeadTime = Annotated[int, Field(ge=1, le=15)]
Amount = Annotated[float, Field(gt=0.0, le=1e7)]
Money = Annotated[float, Field(ge=0.0, le=1e5)]  # USD billion


class _Effect(Strict):
    pass


class RestrictExports(_Effect):
    """Cut licensed exports of a mineral at a stage to some actors (weaponised interdependence)."""

    kind: Literal["restrict_exports"]
    mineral: Ref
    stage: StageRef = "processing"
    to: Party
    severity: Annotated[float, Field(gt=0.0, le=1.0)]
    duration: Turns = 1


class OreExportBan(_Effect):
    """Ban raw-ore exports and start domestic processing investment (resource nationalism)."""

    kind: Literal["ore_export_ban"]
    mineral: Ref
    severity: Annotated[float, Field(gt=0.0, le=1.0)] = 1.0
    duration: Turns = 3
    processing_build: Annotated[float, Field(ge=0.0, le=2.0)] = 0.5
    lead_time: LeadTime = 3


class Tariff(_Effect):
    """An import duty on a mineral at a stage from some exporters."""

    kind: Literal["tariff"]
    mineral: Ref
    stage: StageRef = "processing"
    on: Party
    rate: Annotated[float, Field(gt=0.0, le=5.0)]
    duration: Turns = 1


class Royalty(_Effect):
    """Raise the royalty on a mineral's exports, as ore or refined: revenue now, investor unease."""

    kind: Literal["royalty"]
    mineral: Ref
    rate: Annotated[float, Field(gt=0.0, le=1.0)]
    duration: Turns = 3


class SubsidiseCapacity(_Effect):
    """Subsidise new capacity with origin rules (friend-shoring; FEOC exclusion via ``exclude``)."""

    kind: Literal["subsidise_capacity"]
    mineral: Ref
    stage: StageRef = "processing"
    amount: Amount
    fiscal_cost: Money
    eligible: Party = Field(default_factory=lambda: ["self"])
    exclude: Party = Field(default_factory=list)
    lead_time: LeadTime = 2


class InvestAbroad(_Effect):
    """Finance capacity in a host country (development finance, Belt and Road, corridors)."""

    kind: Literal["invest_abroad"]
    mineral: Ref
    stage: StageRef = "processing"
    host: Ref
    amount: Amount
    fiscal_cost: Money
    lead_time: LeadTime = 3


class JoinBloc(_Effect):
    """An actor joins a bloc (club accession, e.g. the Minerals Security Partnership)."""

    kind: Literal["join_bloc"]
    bloc: Ref
    actor: Ref = "self"


class LeaveBloc(_Effect):
    """An actor leaves a bloc; sunk regulatory costs make this expensive."""

    kind: Literal["leave_bloc"]
    bloc: Ref
    actor: Ref = "self"


class AdjustAffinity(_Effect):
    """Shift pairwise affinity between the player and others (dialogue, pressure)."""

    kind: Literal["adjust_affinity"]
    with_: Party = Field(alias="with")
    delta: Signed

    model_config = Strict.model_config | {"populate_by_name": True}


class PriceFloor(_Effect):
    """Guarantee producers a minimum price (a multiple of the baseline), paid from the budget."""

    kind: Literal["price_floor"]
    mineral: Ref
    level: Annotated[float, Field(gt=0.0, le=5.0)]
    covers: Party = Field(default_factory=lambda: ["self"])
    duration: Turns = 3


class Stockpile(_Effect):
    """Build (buy into) or release a strategic stockpile of processed material."""

    kind: Literal["stockpile"]
    mineral: Ref
    action: Literal["build", "release"]
    amount: Amount
    fiscal_cost: Money = 0.0


class ScreenInvestment(_Effect):
    """Screen inbound investment from some actors; optionally force divestment of pending projects."""

    kind: Literal["screen_investment"]
    against: Party
    duration: Turns = 3
    divest: Fraction = 0.0


class ShiftDemand(_Effect):
    """Technology shift: demand for a mineral changes by a fraction after a lead time."""

    kind: Literal["shift_demand"]
    mineral: Ref
    change: Annotated[float, Field(ge=-0.9, le=3.0)]
    actors: Party = Field(default_factory=lambda: ["all"])
    lead_time: Annotated[int, Field(ge=0, le=15)] = 1


class ChangeSubstitutability(_Effect):
    """Make a mineral easier (or harder) to substitute."""

    kind: Literal["change_substitutability"]
    mineral: Ref
    delta: Signed


class Securitise(_Effect):
    """Move the global securitisation index (pan-securitisation)."""

    kind: Literal["securitise"]
    delta: Signed


class DisruptSupply(_Effect):
    """Knock out part of some actors' capacity for a while (strike, coup, war, pandemic)."""

    kind: Literal["disrupt_supply"]
    mineral: Ref
    stage: StageRef = "extraction"
    actors: Party
    fraction: Annotated[float, Field(gt=0.0, le=1.0)]
    duration: Turns = 1


class FiscalShock(_Effect):
    """Tighten (negative) or loosen an actor's fiscal room (de-internalisation threshold a)."""

    kind: Literal["fiscal_shock"]
    actors: Party
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]


Effect = Annotated[
    Union[
        RestrictExports,
        OreExportBan,
        Tariff,
        Royalty,
        SubsidiseCapacity,
        InvestAbroad,
        JoinBloc,
        LeaveBloc,
        AdjustAffinity,
        PriceFloor,
        Stockpile,
        ScreenInvestment,
        ShiftDemand,
        ChangeSubstitutability,
        Securitise,
        DisruptSupply,
        FiscalShock,
    ],
    Field(discriminator="kind"),
]

EFFECT_KINDS: tuple[str, ...] = tuple(
    t.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    for t in Effect.__origin__.__args__  # type: ignore[attr-defined]
)


# Effects that act on behalf of whoever plays the card. An event card with one of these
# (or with a self/others/rivals/allies selector) needs an acting actor named where it is
# injected (``actor:`` on the inject or timeline entry).
ACTING_KINDS: frozenset[str] = frozenset({
    "restrict_exports", "ore_export_ban", "tariff", "royalty", "subsidise_capacity", "invest_abroad",
    "adjust_affinity", "price_floor", "stockpile", "screen_investment",
})
RELATIVE_SELECTORS: frozenset[str] = frozenset({"self", "others", "rivals", "allies"})


def needs_actor(effects) -> bool:
    """Whether these effects only make sense with a playing actor."""
    for effect in effects:
        if effect.kind in ACTING_KINDS:
            return True
        for _, value in effect:
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, str) and v in RELATIVE_SELECTORS for v in values):
                return True
    return False
