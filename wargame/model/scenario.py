"""The scenario: the world at turn 0, the rules' coefficients and the timeline."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.model.common import Fraction, Id, Name, ShortText, Signed, Strict, Text
from wargame.model.effects import Stage

Quantity = Annotated[float, Field(ge=0.0, le=1e9)]
LeadTime = Annotated[int, Field(ge=1, le=15)]
PathStr = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$")]
_Multiplier = Annotated[float, Field(ge=0.001, le=100.0)]


class Rules(Strict):
    """Coefficients of the resolution engine. Every one is documented in docs/MODEL.md."""

    # market clearing
    home_bias: Annotated[float, Field(ge=0.0, le=10.0)] = 3.0
    ally_preference: Annotated[float, Field(ge=0.0, le=10.0)] = 0.6
    securitised_preference: Annotated[float, Field(ge=0.0, le=10.0)] = 1.5
    tariff_elasticity: Annotated[float, Field(ge=0.0, le=10.0)] = 2.0
    royalty_pass_through: Fraction = 0.3
    clearing_rounds: Annotated[int, Field(ge=1, le=8)] = 3
    capacity_tracks_demand: Fraction = 1.0
    rival_threshold: Signed = -0.3
    rival_band: Annotated[float, Field(ge=0.0, le=2.0)] = 0.2
    # prices
    price_glut_gain: Annotated[float, Field(ge=0.0, le=10.0)] = 1.5
    price_adjustment: Fraction = 0.7
    normal_utilisation: Annotated[float, Field(ge=0.05, le=1.0)] = 0.85
    price_min: Annotated[float, Field(ge=0.001, le=1.0)] = 0.15
    price_max: Annotated[float, Field(ge=1.0, le=100.0)] = 25.0
    stage_price_multipliers: tuple[_Multiplier, _Multiplier, _Multiplier] = (0.4, 1.0, 2.5)
    shortage_penalty: Annotated[float, Field(ge=0.0, le=20.0)] = 5.0
    cost_floor_share: Annotated[float, Field(ge=0.0001, le=1.0)] = 0.01
    cost_base_room_share: Annotated[float, Field(ge=0.0, le=10.0)] = 1.0
    # market response (other supply restarting, demand adjusting)
    investment_response: Annotated[float, Field(ge=0.0, le=5.0)] = 0.25
    investment_threshold: Annotated[float, Field(ge=1.0, le=10.0)] = 1.3
    investment_max_share: Annotated[float, Field(ge=0.0, le=10.0)] = 0.5
    investment_min_utilisation: Fraction = 0.6
    investment_lead_times: tuple[LeadTime, LeadTime, LeadTime] = (4, 3, 1)
    shortage_investment: Annotated[float, Field(ge=0.0, le=10.0)] = 2.0
    pipeline_awareness: Fraction = 0.0
    demand_adjustment: Fraction = 0.5
    # mechanisms
    backlash_rate: Annotated[float, Field(ge=0.0, le=5.0)] = 0.6
    backlash_lead_time: Annotated[int, Field(ge=1, le=15)] = 3
    backlash_substitution: Annotated[float, Field(ge=0.0, le=1.0)] = 0.05
    backlash_affinity: Annotated[float, Field(ge=0.0, le=1.0)] = 0.06
    securitisation_per_measure: Annotated[float, Field(ge=0.0, le=1.0)] = 0.03
    securitisation_decay: Fraction = 0.1
    securitisation_cost: Annotated[float, Field(ge=0.0, le=5.0)] = 0.25
    screen_securitisation: Fraction = 0.25
    friction_per_exclusion: Annotated[float, Field(ge=0.0, le=1.0)] = 0.08
    fragmentation_rate: Annotated[float, Field(ge=0.0, le=1.0)] = 0.02
    investor_unease: Annotated[float, Field(ge=0.0, le=1.0)] = 0.04
    lock_in_growth: Annotated[float, Field(ge=0.0, le=1.0)] = 0.1
    lock_in_decay: Fraction = 0.05
    reversal_cost_per_lock_in: Annotated[float, Field(ge=0.0, le=10.0)] = 0.5
    fiscal_room_share: Annotated[float, Field(ge=0.00001, le=1.0)] = 0.002
    fiscal_threshold: Annotated[float, Field(ge=0.01, le=10.0)] = 1.0
    technology_threshold: Annotated[float, Field(ge=0.01, le=1.0)] = 0.3
    rupture_threshold: Annotated[float, Field(ge=0.0, le=100.0)] = 35.0


# tonnes in one unit of quantity: with prices in USD/kg, a unit at 1 USD/kg is worth
# this many USD m (1 kt at 1 USD/kg = 1 USD m)
UNIT_KT = {"t": 1e-3, "kt": 1.0, "Mt": 1e3}


class Mineral(Strict):
    id: Id
    name: Name
    unit: Literal["t", "kt", "Mt"] = "kt"
    price: Annotated[float, Field(ge=0.001, le=1e7)]
    price_unit: ShortText = "USD/kg"
    price_source: ShortText
    strategic_weight: Annotated[float, Field(ge=0.0, le=10.0)] = 1.0
    substitutability: Fraction = 0.1
    demand_elasticity: Annotated[float, Field(ge=0.0, le=3.0)] = 0.3
    demand_growth: Annotated[float, Field(ge=-0.5, le=1.0)] = 0.0


class Actor(Strict):
    id: Id
    name: Name
    kind: Literal["consumer", "producer", "mixed"] = "mixed"
    gdp: Annotated[float, Field(ge=0.0001, le=1e3)] = Field(description="GDP in USD trillion")
    source: ShortText | None = None


class Team(Strict):
    id: Id
    name: Name
    actors: list[Id] = Field(min_length=1, max_length=50)
    decks: list[Id] = Field(min_length=1, max_length=10)
    budget: Annotated[int, Field(ge=1, le=100)] = 6
    hand_size: Annotated[int, Field(ge=1, le=30)] = 5


class Bloc(Strict):
    id: Id
    name: Name
    members: list[Id] = Field(max_length=500)
    source: ShortText | None = None


class CapacityRow(Strict):
    """Capacity of each actor for one mineral at one stage (units per turn)."""

    mineral: Id
    stage: Stage
    values: dict[Id, Quantity] = Field(max_length=1000)
    source: ShortText


class MineralRow(Strict):
    """A per-actor figure for one mineral (final demand or stockpile)."""

    mineral: Id
    values: dict[Id, Quantity] = Field(max_length=1000)
    source: ShortText


class AffinityPair(Strict):
    between: tuple[Id, Id]
    value: Signed
    source: ShortText | None = None


class Affinity(Strict):
    default: Signed = 0.0
    pairs: list[AffinityPair] = Field(default_factory=list, max_length=100_000)


class TimelineEvent(Strict):
    """A scripted inject: an event card played by the White Cell at the start of a turn."""

    turn: Annotated[int, Field(ge=1, le=60)]
    card: Id
    actor: Id | None = Field(default=None, description="who acts, for an event card that needs an actor")
    targets: dict[Annotated[str, Field(max_length=32)], Id] = Field(default_factory=dict, max_length=8)
    note: ShortText | None = None


class Scenario(Strict):
    format: Literal[1] = 1
    id: Id
    name: Name
    description: Text
    start_year: Annotated[int, Field(ge=1900, le=2200)]
    turns: Annotated[int, Field(ge=1, le=60)]
    turn_years: Annotated[float, Field(gt=0.0, le=10.0)] = 1.0
    rules: Rules = Field(default_factory=Rules)
    minerals: list[Mineral] = Field(min_length=1, max_length=100)
    actors: list[Actor] = Field(min_length=1, max_length=300)
    teams: list[Team] = Field(min_length=1, max_length=20)
    blocs: list[Bloc] = Field(default_factory=list, max_length=200)
    capacity: list[CapacityRow] = Field(default_factory=list, max_length=10_000)
    demand: list[MineralRow] = Field(default_factory=list, max_length=10_000)
    stockpiles: list[MineralRow] = Field(default_factory=list, max_length=10_000)
    affinity: Affinity = Field(default_factory=Affinity)
    decks: list[PathStr] = Field(default_factory=list, max_length=50)
    events_deck: Id | None = None
    timeline: list[TimelineEvent] = Field(default_factory=list, max_length=1000)

    def year(self, turn: int) -> float:
        """The year turn ``turn`` is played in (turn 0, the start, shares the first turn's)."""
        return self.start_year + (max(turn, 1) - 1) * self.turn_years
