"""Records of play: orders, injects and facilitator overrides, as written in
orders files and in the event log of a save."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field

from wargame.model.common import Id, ShortText, Strict, visible

Targets = dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")], Id]


class Order(Strict):
    """One card a team plays this turn, with the targets it picked."""

    card: Id
    actor: Id | None = Field(default=None, description="which of the team's actors plays it")
    targets: Targets = Field(default_factory=dict, max_length=8)


class Inject(Strict):
    """An event card the White Cell plays (from the events deck or the timeline)."""

    card: Id
    actor: Id | None = Field(default=None, description="who acts, for an event card that needs an actor")
    targets: Targets = Field(default_factory=dict, max_length=8)
    source: Literal["timeline", "facilitator"] = "facilitator"


class Override(Strict):
    """A White Cell ruling on one order, with a rationale: veto it, amend its targets, or
    lift the latest ruling in force on it this turn (a veto, or the last amendment)."""

    team: Id
    index: Annotated[int, Field(ge=0, le=100)]
    action: Literal["veto", "amend", "lift"]
    targets: Targets = Field(default_factory=dict, max_length=8)
    rationale: Annotated[str, Field(min_length=3, max_length=2000)]


class Withdrawal(Strict):
    """The White Cell takes back one of this turn's events before the turn is resolved:
    one it injected, or one of the scenario's timeline."""

    index: Annotated[int, Field(ge=0, le=100)] = Field(
        description="which of this turn's events, counting from 0: the timeline's first, then the injects")
    card: Id = Field(description="the event card at that place (a check that the right event goes)")
    rationale: Annotated[str, Field(min_length=3, max_length=2000)]


# events in play in one turn (the timeline's and the White Cell's): each is weighed on its
# own in the turn's ledger, so a turn's work grows with their number
MAX_EVENTS_PER_TURN = 50
# and the same for a team's orders (a hand holds at most 30 cards) and the White Cell's
# rulings in force
MAX_ORDERS_PER_TEAM = 30
MAX_RULINGS_PER_TURN = 100
TeamOrders = Annotated[list[Order], Field(max_length=MAX_ORDERS_PER_TEAM)]


class TurnScript(Strict):
    turn: Annotated[int, Field(ge=1, le=60)]
    orders: dict[Id, TeamOrders] = Field(default_factory=dict, max_length=20)
    injects: list[Inject] = Field(default_factory=list, max_length=MAX_EVENTS_PER_TURN)
    withdraw: list[Withdrawal] = Field(default_factory=list, max_length=50)
    overrides: list[Override] = Field(default_factory=list, max_length=MAX_RULINGS_PER_TURN)


class OrdersFile(Strict):
    """A scripted game for ``wargame run``: per turn, per team, the cards played."""

    format: Literal[1] = 1
    scenario: Id | None = None
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = None
    note: ShortText | None = None
    turns: list[TurnScript] = Field(default_factory=list, max_length=60)


# --- event log entries in a save -------------------------------------------------

LogTurn = Annotated[int, Field(ge=0, le=1000)]
MAX_LOG_ENTRIES = 20_000  # a save's log; a seminar game writes a few hundred


class OrdersEntry(Strict):
    type: Literal["orders"]
    turn: LogTurn
    team: Id
    orders: TeamOrders


class InjectEntry(Strict):
    type: Literal["inject"]
    turn: LogTurn
    inject: Inject


class OverrideEntry(Strict):
    type: Literal["override"]
    turn: LogTurn
    override: Override


class WithdrawEntry(Strict):
    type: Literal["withdraw"]
    turn: LogTurn
    withdrawal: Withdrawal


class ReopenEntry(Strict):
    """The White Cell gave a team's committed orders back to it before resolution."""

    type: Literal["reopen"]
    turn: LogTurn
    team: Id
    rationale: ShortText = ""


class ResolveEntry(Strict):
    type: Literal["resolve"]
    turn: LogTurn
    state_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class UndoEntry(Strict):
    """The White Cell rewound the last resolution; the turn is played again."""

    type: Literal["undo"]
    turn: LogTurn
    rationale: ShortText = ""


def _shows_something(text: str) -> str:
    if not visible(text):
        raise ValueError("expected a name with at least one visible character")
    return text


class ForkEntry(Strict):
    """This game was forked from another save: the entries before this one are that game's
    log up to the end of the turn it leaves from, the entries after it this game's own."""

    type: Literal["fork"]
    turn: LogTurn = Field(description="the first turn this game plays on its own")
    parent: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_shows_something)] = Field(
        description="the save it was forked from, by file name")
    from_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        description="the state hash of the last turn the two games share (null: forked at the start)")
    note: ShortText = ""


LogEntry = Annotated[
    Union[OrdersEntry, InjectEntry, WithdrawEntry, OverrideEntry, ReopenEntry, ResolveEntry, UndoEntry,
          ForkEntry],
    Field(discriminator="type"),
]


class SaveLog(Strict):
    """A save's event log, as checked when the save is read."""

    log: list[LogEntry] = Field(max_length=MAX_LOG_ENTRIES)
