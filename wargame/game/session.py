"""The game session: turn flow, hands and draws, budgets, sealed orders, White Cell
injects and overrides, resolution, history and undo. No UI, no I/O.

Turn flow (DESIGN.md): draw -> orders (sealed until every team commits) ->
control (injects, veto/amend) -> resolve -> report.

Randomness: one seed, two independent streams spawned from it, one for card
draws and one for events, so an inject never changes a later draw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from wargame.engine.effects import EffectError, Play, contribute
from wargame.engine.resolve import TurnResult, baseline, resolve
from wargame.engine.world import Index, World, build_world
from wargame.model.deck import Card, HasCapacity, MemberOf, NotMemberOf, PlayedBefore, \
    SecuritisationAtLeast, TurnAtLeast, TurnAtMost
from wargame.model.loader import Content
from wargame.model.records import (Inject, InjectEntry, LogEntry, Order, OrdersEntry, OrdersFile, Override,
                                   ForkEntry, OverrideEntry, ReopenEntry, ResolveEntry, TurnScript, UndoEntry, WithdrawEntry,
                                   Withdrawal, MAX_EVENTS_PER_TURN, MAX_ORDERS_PER_TEAM, MAX_RULINGS_PER_TURN)
from wargame.model.common import STAGES
from wargame.model.effects import needs_actor


class OrderError(ValueError):
    """An illegal order, inject or override; the message says what and why. An order
    refused for one of its card's conditions carries that ``condition``, and one over
    the budget carries ``over_budget`` (what the orders cost, the budget), and one for
    more copies of a card than the team holds carries ``copies`` (how many it holds), so a
    front end can put the reason in its own words."""

    def __init__(self, message: str, *, condition=None, over_budget: tuple[int, int] | None = None,
                 copies: int | None = None) -> None:
        super().__init__(message)
        self.condition = condition
        self.over_budget = over_budget
        self.copies = copies


@dataclass
class Deckstate:
    draw: list[str]
    hand: list[str]
    discard: list[str]


@dataclass
class Snapshot:
    """Everything needed to rewind to the start of a turn."""

    world: World
    meters: dict[str, np.ndarray]
    decks: dict[str, Deckstate]
    draw_rng: dict
    played: frozenset[tuple[str, str]]


@dataclass
class TurnRecord:
    turn: int
    orders: dict[str, list[Order]]
    injects: list[Inject]
    overrides: list[Override]
    result: TurnResult
    state_hash: str


def _copy_decks(decks: dict[str, Deckstate]) -> dict[str, Deckstate]:
    return {t: Deckstate(list(d.draw), list(d.hand), list(d.discard)) for t, d in decks.items()}


def _not_finite(result: TurnResult) -> str | None:
    """The first meter or part of the new world that is not a finite number (None: all are)."""
    w = result.world
    parts = {**{f"meter '{k}'": v for k, v in result.meters.items()},
             **{f"world '{k}'": getattr(w, k) for k in ("cap", "price", "stock", "affinity", "demand_shift",
                                                         "demand_price", "fiscal_room", "fiscal_load", "lock_in",
                                                         "spent", "pressure", "subst")},
             "world 'securitisation'": w.securitisation,
             "pending capacity": [p.amount for p in w.pending]}
    for name, value in parts.items():
        if not np.all(np.isfinite(np.asarray(value, dtype=float))):
            return name
    return None


class Session:
    """A game in progress. Create with ``Session.new(content, seed)``."""

    def __init__(self, content: Content, seed: int):
        self.content = content
        self.scenario = content.scenario
        self.rules = content.scenario.rules
        self.seed = int(seed)
        draw_seq, event_seq = np.random.SeedSequence(self.seed).spawn(2)
        self.draw_rng = np.random.Generator(np.random.PCG64(draw_seq))
        self.event_rng = np.random.Generator(np.random.PCG64(event_seq))
        self.index: Index
        world0: World
        self.index, world0 = build_world(self.scenario)
        world0, meters0 = baseline(world0, self.index, self.rules)
        self.world = world0
        self.history: list[dict[str, np.ndarray]] = [meters0]
        self.records: list[TurnRecord] = []
        self.log: list[LogEntry] = []
        self.played: frozenset[tuple[str, str]] = frozenset()
        self.decks: dict[str, Deckstate] = {}
        for team in self.scenario.teams:
            pile = [c.id for c in content.team_cards(team.id) for _ in range(c.copies)]
            order = self.draw_rng.permutation(len(pile))
            self.decks[team.id] = Deckstate([pile[i] for i in order], [], [])
        self._snapshots: list[Snapshot] = []
        self._checked_world: World | None = None  # the world self._checked holds answers for
        self._checked: dict[tuple, str | None] = {}
        self._begin_turn()

    @classmethod
    def new(cls, content: Content, seed: int = 0) -> "Session":
        return cls(content, seed)

    # --- state ------------------------------------------------------------------------
    @property
    def turn(self) -> int:
        """The turn being played now (1-based)."""
        return self.world.turn + 1

    @property
    def over(self) -> bool:
        return self.world.turn >= self.scenario.turns

    @property
    def meters(self) -> dict[str, np.ndarray]:
        return self.history[-1]

    def team(self, team_id: str):
        for t in self.scenario.teams:
            if t.id == team_id:
                return t
        raise OrderError(f"unknown team '{team_id}' (teams: {', '.join(t.id for t in self.scenario.teams)})")

    def hand(self, team_id: str) -> list[Card]:
        self.team(team_id)
        return [self.content.card(c) for c in self.decks[team_id].hand]

    def committed(self, team_id: str) -> bool:
        return team_id in self._orders

    def orders(self, team_id: str) -> list[Order]:
        """A team's committed orders (the White Cell's view; never shown to other teams)."""
        return list(self._orders.get(team_id, []))

    @property
    def waiting_for(self) -> list[str]:
        return [t.id for t in self.scenario.teams if t.id not in self._orders]

    @property
    def injects(self) -> list[Inject]:
        return list(self._injects)

    @property
    def overrides(self) -> list[Override]:
        return list(self._overrides)

    def spent(self, team_id: str, orders: Iterable[Order]) -> int:
        return sum(self.content.card(o.card).cost for o in orders)

    # --- turn flow --------------------------------------------------------------------
    def _draw(self) -> None:
        for team in self.scenario.teams:
            d = self.decks[team.id]
            while len(d.hand) < team.hand_size:
                if not d.draw:
                    if not d.discard:
                        break
                    order = self.draw_rng.permutation(len(d.discard))
                    d.draw, d.discard = [d.discard[i] for i in order], []
                d.hand.append(d.draw.pop(0))

    def _begin_turn(self) -> None:
        self._orders: dict[str, list[Order]] = {}
        self._injects: list[Inject] = []
        self._overrides: list[Override] = []
        if self.over:
            return
        self._draw()
        self._snapshots.append(Snapshot(self.world, self.history[-1], _copy_decks(self.decks),
                                        self.draw_rng.bit_generator.state, self.played))
        for ev in self.scenario.timeline:
            if ev.turn == self.turn:
                self._injects.append(Inject(card=ev.card, actor=ev.actor, targets=dict(ev.targets),
                                            source="timeline"))

    def _actor_index(self, team_id: str, actor: str | None) -> int:
        team = self.team(team_id)
        actor = actor or team.actors[0]
        if actor not in team.actors:
            raise OrderError(f"{team_id} does not control '{actor}' (it controls: {', '.join(team.actors)})")
        return self.index.actor_pos[actor]

    def _check_targets(self, card: Card, targets: dict[str, str], who: str) -> None:
        names = {t.name for t in card.targets}
        missing = sorted(names - set(targets))
        extra = sorted(set(targets) - names)
        if missing:
            raise OrderError(f"{who}: card {card.id} needs target(s) {', '.join(missing)}")
        if extra:
            raise OrderError(f"{who}: card {card.id} has no target(s) {', '.join(extra)}")
        idx = self.index
        for spec in card.targets:
            value = targets[spec.name]
            kinds = {
                "mineral": value in idx.mineral_pos,
                "actor": value in idx.actor_pos,
                "bloc": value in idx.bloc_pos,
                "party": value in idx.actor_pos or value in idx.bloc_pos,
                "stage": value in STAGES,
            }
            if not kinds[spec.kind]:
                raise OrderError(f"{who}: target '{spec.name}' of {card.id} must be a {spec.kind}, "
                                 f"got '{value}'")
            if spec.choices is not None and value not in spec.choices:
                raise OrderError(f"{who}: target '{spec.name}' of {card.id} must be one of "
                                 f"{', '.join(spec.choices)}, got '{value}'")

    def _check_conditions(self, team_id: str, card: Card, actor: int, targets: dict[str, str]) -> None:
        w = self.world
        for cond in card.conditions:
            ok = True
            if isinstance(cond, TurnAtLeast):
                ok, why = self.turn >= cond.turn, f"only from turn {cond.turn}"
            elif isinstance(cond, TurnAtMost):
                ok, why = self.turn <= cond.turn, f"only until turn {cond.turn}"
            elif isinstance(cond, MemberOf):
                ok = w.member[self.index.bloc_pos[cond.bloc], actor] > 0
                why = f"only by a member of {cond.bloc}"
            elif isinstance(cond, NotMemberOf):
                ok = w.member[self.index.bloc_pos[cond.bloc], actor] <= 0
                why = f"only by a non-member of {cond.bloc}"
            elif isinstance(cond, PlayedBefore):
                by = cond.team or team_id
                ok = (by, cond.card) in self.played
                why = f"only after {cond.card} has been played" + (f" by {by}" if cond.team else "")
            elif isinstance(cond, SecuritisationAtLeast):
                ok = w.securitisation >= cond.value
                why = f"only once securitisation reaches {cond.value:.2f}"
            elif isinstance(cond, HasCapacity):
                s = STAGES.index(cond.stage)
                mineral = targets.get(cond.mineral[1:], "") if cond.mineral.startswith("$") else cond.mineral
                ok = mineral in self.index.mineral_pos and \
                    w.cap[actor, self.index.mineral_pos[mineral], s] >= cond.at_least
                unit = "unit" if cond.at_least == 1 else "units"
                why = f"only with at least {cond.at_least:g} {unit} of {cond.stage} {mineral} capacity"
            if not ok:
                raise OrderError(f"{team_id}: card {card.id} can be played {why}", condition=cond)

    def play_of(self, team_id: str, i: int, order: Order) -> Play:
        card = self.content.card(order.card)
        return Play(cause=f"t{self.turn}/{team_id}/{i}", label=card.name.en, card=card.id, team=team_id,
                    actor=self._actor_index(team_id, order.actor), effects=tuple(card.effects),
                    bindings=dict(order.targets))

    def check_orders(self, team_id: str, orders: list[Order], from_hand: bool = True) -> None:
        """Raise OrderError if the orders are not legal for this team now."""
        team = self.team(team_id)
        allowed = {c.id: c for c in self.content.team_cards(team_id)}
        counts: dict[str, int] = {}
        for i, order in enumerate(orders):
            who = f"turn {self.turn}, {team_id} order {i + 1}"
            card = allowed.get(order.card)
            if card is None:
                raise OrderError(f"{who}: card '{order.card}' is not in {team_id}'s decks")
            counts[card.id] = counts.get(card.id, 0) + 1
            limit = self.decks[team_id].hand.count(card.id) if from_hand else card.copies
            if counts[card.id] > limit:
                raise OrderError(f"{who}: card {card.id} is not in {team_id}'s hand"
                                 if from_hand and limit == 0 else
                                 f"{who}: only {limit} cop{'y' if limit == 1 else 'ies'} of {card.id} available",
                                 copies=limit)
            actor = self._actor_index(team_id, order.actor)
            self._check_targets(card, dict(order.targets), who)
            self._check_conditions(team_id, card, actor, dict(order.targets))
            problem = self._effects_problem(team_id, i, order)
            if problem is not None:
                raise OrderError(f"{who}: {problem}")
        cost = self.spent(team_id, orders)
        if cost > team.budget:
            raise OrderError(f"turn {self.turn}, {team_id}: orders cost {cost}, over the budget of {team.budget}",
                             over_budget=(cost, team.budget))

    def _effects_problem(self, team_id: str, i: int, order: Order) -> str | None:
        """Why the order's effects cannot apply to the world as it stands (None when they
        can). Within a turn the answer depends only on the order, so it is kept until the
        world changes: a bot weighs many orders, and checks its choice again on submitting."""
        if self._checked_world is not self.world:
            self._checked_world, self._checked = self.world, {}
        key = (team_id, order.card, order.actor, tuple(sorted(order.targets.items())))
        if key not in self._checked:
            try:
                contribute(self.world, self.index, self.rules, self.play_of(team_id, i, order), self.turn)
                self._checked[key] = None
            except EffectError as exc:
                self._checked[key] = str(exc)
        return self._checked[key]

    def submit(self, team_id: str, orders: list[Order], from_hand: bool = True) -> None:
        """Commit a team's sealed orders for this turn (once per turn; legal or refused whole).

        ``from_hand=False`` lets a scripted game play any card of the team's decks
        (see docs/DECKS.md, "The hand rule in scripted games")."""
        if self.over:
            raise OrderError("the game is over")
        if team_id in self._orders:
            raise OrderError(f"turn {self.turn}: {team_id} has already committed its orders")
        if len(orders) > MAX_ORDERS_PER_TEAM:
            raise OrderError(f"turn {self.turn}: {team_id} gives {len(orders)} orders; a team gives at most "
                             f"{MAX_ORDERS_PER_TEAM} a turn")
        self.check_orders(team_id, orders, from_hand)
        self._orders[team_id] = list(orders)
        self.log.append(OrdersEntry(type="orders", turn=self.turn, team=team_id, orders=list(orders)))

    def reopen(self, team_id: str, rationale: str = "") -> None:
        """Give a team's committed orders back to it before resolution (it commits again);
        the White Cell's rulings on them go too. Recorded in the log."""
        if self.over:
            raise OrderError("the game is over")
        self.team(team_id)
        if team_id not in self._orders:
            raise OrderError(f"turn {self.turn}: {team_id} has not committed its orders, so there is nothing to reopen")
        del self._orders[team_id]
        self._overrides = [o for o in self._overrides if o.team != team_id]
        self.log.append(ReopenEntry(type="reopen", turn=self.turn, team=team_id, rationale=rationale))

    def inject(self, inject: Inject) -> None:
        """The White Cell plays an event card this turn."""
        if self.over:
            raise OrderError("the game is over")
        if len(self._injects) >= MAX_EVENTS_PER_TURN:
            raise OrderError(f"turn {self.turn}: {len(self._injects)} events are already in play, "
                             f"the most a turn takes")
        if inject.source != "facilitator":
            # the scenario's timeline events are queued by the game itself, never injected
            raise OrderError(f"turn {self.turn}, inject {inject.card}: an inject is the White Cell's "
                             f"(source 'facilitator'); the scenario's timeline schedules its own events")
        card = self._event_card(inject.card)
        self._check_targets(card, dict(inject.targets), f"turn {self.turn}, inject")
        try:
            contribute(self.world, self.index, self.rules, self._inject_play(len(self._injects), inject), self.turn)
        except EffectError as exc:
            raise OrderError(f"turn {self.turn}, inject {inject.card}: {exc}") from None
        self._injects.append(inject)
        self.log.append(InjectEntry(type="inject", turn=self.turn, inject=inject))

    def withdraw(self, w: Withdrawal) -> None:
        """The White Cell takes back one of this turn's events (an inject, or a timeline
        event) before resolution; the withdrawal and its rationale are recorded in the log."""
        if self.over:
            raise OrderError("the game is over")
        if w.index >= len(self._injects):
            raise OrderError(f"turn {self.turn}: there is no event number {w.index + 1} to withdraw "
                             f"(this turn has {len(self._injects)})")
        if self._injects[w.index].card != w.card:
            raise OrderError(f"turn {self.turn}: event number {w.index + 1} is '{self._injects[w.index].card}', "
                             f"not '{w.card}'")
        del self._injects[w.index]
        self.log.append(WithdrawEntry(type="withdraw", turn=self.turn, withdrawal=w))

    def _event_card(self, card_id: str) -> Card:
        events = {c.id: c for c in self.content.event_cards()}
        if card_id not in events:
            raise OrderError(f"'{card_id}' is not an event card (events: {', '.join(sorted(events)) or 'none'})")
        return events[card_id]

    def _inject_play(self, i: int, inject: Inject) -> Play:
        card = self._event_card(inject.card)
        actor = None
        if inject.actor is not None:
            if inject.actor not in self.index.actor_pos:
                raise OrderError(f"turn {self.turn}, inject {card.id}: unknown actor '{inject.actor}'")
            actor = self.index.actor_pos[inject.actor]
        elif needs_actor(card.effects):
            raise OrderError(f"turn {self.turn}, inject {card.id}: this event acts for an actor; "
                             f"say which with `actor:`")
        return Play(cause=f"t{self.turn}/inject/{i}", label=card.name.en, card=card.id, team=None,
                    actor=actor, effects=tuple(card.effects), bindings=dict(inject.targets))

    def override(self, ov: Override) -> None:
        """Veto or amend one committed order, or lift the latest ruling in force on it (a
        veto, or the last amendment), with a rationale recorded in the save. The turn keeps
        only the rulings in force; the log keeps them all, lifts included."""
        orders = self._orders.get(ov.team)
        if orders is None or ov.index >= len(orders):
            raise OrderError(f"turn {self.turn}: {ov.team} has no order number {ov.index + 1} to {ov.action}")
        if ov.action != "lift" and len(self._overrides) >= MAX_RULINGS_PER_TURN:
            raise OrderError(f"turn {self.turn}: {len(self._overrides)} rulings are already in force, the most "
                             f"a turn takes; lift one first")
        if ov.action == "amend":
            # the amended order must be one its actor may play: targets, the card's conditions
            # and effects that can apply, as when it was given
            amended = replace_order(self.ruled_order(ov.team, ov.index), ov.targets)
            card, who = self.content.card(amended.card), f"turn {self.turn}, amend {ov.team} order {ov.index + 1}"
            self._check_targets(card, dict(amended.targets), who)
            try:
                self._check_conditions(ov.team, card, self._actor_index(ov.team, amended.actor), dict(amended.targets))
            except OrderError as exc:
                raise OrderError(f"{who}: {str(exc).removeprefix(ov.team + ': ')}", condition=exc.condition) from None
            problem = self._effects_problem(ov.team, ov.index, amended)
            if problem is not None:
                raise OrderError(f"{who}: {problem}")
        if ov.action == "lift":
            mine = [k for k, o in enumerate(self._overrides) if (o.team, o.index) == (ov.team, ov.index)]
            if not mine:
                raise OrderError(f"turn {self.turn}: {ov.team} order {ov.index + 1} has no ruling to lift")
            del self._overrides[mine[-1]]
        else:
            self._overrides.append(ov)
        self.log.append(OverrideEntry(type="override", turn=self.turn, override=ov))

    def ruled_order(self, team_id: str, i: int) -> Order:
        """A committed order with the amendments in force (a veto aside)."""
        order = self._orders[team_id][i]
        for o in self._overrides:
            if o.team == team_id and o.index == i and o.action == "amend":
                order = replace_order(order, o.targets)
        return order

    def effective_orders(self) -> dict[str, list[tuple[int, Order]]]:
        """Committed orders after the White Cell's vetoes and amendments."""
        out: dict[str, list[tuple[int, Order]]] = {}
        for team in self.scenario.teams:
            kept = []
            for i, order in enumerate(self._orders.get(team.id, [])):
                ruling = [o for o in self._overrides if o.team == team.id and o.index == i]
                if any(o.action == "veto" for o in ruling):
                    continue
                for o in ruling:
                    order = replace_order(order, o.targets)
                kept.append((i, order))
            out[team.id] = kept
        return out

    def plays(self) -> list[Play]:
        """What this turn resolves: every committed order after the White Cell's vetoes and
        amendments, then the injects."""
        plays = [self.play_of(team_id, i, order) for team_id, kept in self.effective_orders().items()
                 for i, order in kept]
        plays.extend(self._inject_play(i, inj) for i, inj in enumerate(self._injects))
        return plays

    def resolve(self, explain: bool = True) -> TurnResult:
        """Resolve the turn with every committed order; teams that did not commit pass.
        ``explain=False`` skips the ledger: faster, and the same state but for the last bits,
        which can flip a figure rounded for the hash, so only for bulk runs that keep no save."""
        if self.over:
            raise OrderError("the game is over")
        try:
            # numbers that leave the float range are caught below, not warned about on the way
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                result = resolve(self.world, self.index, self.rules, self.plays(), previous=self.history[-1],
                                 explain=explain)
        except EffectError as exc:  # content that slipped past the checks: refuse, keep the turn
            raise OrderError(f"turn {self.turn}: {exc}") from None
        lost = _not_finite(result)
        if lost is not None:  # refuse, keep the turn: nothing of it is applied
            raise OrderError(f"turn {self.turn}: the model's figures left the range it can hold ({lost} is not a "
                             f"finite number); the scenario's rules or the orders push it too far")
        turn = self.turn
        self.world = result.world
        self.history.append(result.meters)
        played = set(self.played)
        for team_id, orders in self._orders.items():
            d = self.decks[team_id]
            for order in orders:
                played.add((team_id, order.card))
                if order.card in d.hand:
                    d.hand.remove(order.card)
                    d.discard.append(order.card)
        self.played = frozenset(played)
        digest = self.state_hash()
        self.records.append(TurnRecord(turn, dict(self._orders), list(self._injects), list(self._overrides),
                                       result, digest))
        self.log.append(ResolveEntry(type="resolve", turn=turn, state_hash=digest))
        self._begin_turn()
        return result

    def play_script(self, step: TurnScript) -> None:
        """Apply one turn of a scripted orders file: orders (any card of the team's decks,
        see docs/DECKS.md), then injects, then withdrawals, then overrides. Does not resolve."""
        for team_id, orders in step.orders.items():
            self.submit(team_id, list(orders), from_hand=False)
        for inject in step.injects:
            self.inject(inject)
        for w in step.withdraw:
            self.withdraw(w)
        for override in step.overrides:
            self.override(override)

    def play_out(self, script: OrdersFile, after_turn: Callable[["Session"], None] | None = None) -> None:
        """Play the game to its end from a scripted orders file: each turn, that turn's
        script (teams it leaves out pass), then resolution; ``after_turn`` sees each result."""
        by_turn = {t.turn: t for t in script.turns}
        while not self.over:
            step = by_turn.get(self.turn)
            if step is not None:
                self.play_script(step)
            self.resolve()
            if after_turn is not None:
                after_turn(self)

    def undo(self, rationale: str = "") -> None:
        """Rewind the last resolution: the previous turn is played again (recorded in the log)."""
        if not self.records:
            raise OrderError("there is no resolved turn to undo")
        record = self.records.pop()
        if not self.over:
            self._snapshots.pop()  # the snapshot of the turn that had just begun
        snap = self._snapshots[-1]
        self.world, self.played = snap.world, snap.played
        self.decks = _copy_decks(snap.decks)
        self.draw_rng.bit_generator.state = snap.draw_rng
        self.history.pop()
        self.log.append(UndoEntry(type="undo", turn=record.turn, rationale=rationale))
        self._orders, self._injects, self._overrides = {}, [], []
        for ev in self.scenario.timeline:
            if ev.turn == self.turn:
                self._injects.append(Inject(card=ev.card, actor=ev.actor, targets=dict(ev.targets),
                                            source="timeline"))

    def fork(self, parent: str, note: str = "") -> None:
        """Mark the log: from here on this is a game of its own, forked from ``parent`` after
        the turns resolved so far (the mark keeps the state hash of the last of them). The
        mark opens its turn, right after the turn before it was resolved (or at the start):
        OrderError after any other entry (orders, an inject, a ruling, an undo or another
        mark), or once the game is over."""
        if self.over:
            raise OrderError(f"a fork mark after the last turn ({self.scenario.turns}) leaves the fork nothing "
                             f"to play; a fork leaves after a turn before the last")
        if self.log and self.log[-1].type != "resolve":
            raise OrderError(f"a fork mark must open its turn, right after the turn before it is resolved, "
                             f"before any orders, injects or rulings; here it follows an entry of type "
                             f"'{self.log[-1].type}'")
        last = self.records[-1].state_hash if self.records else None
        self.log.append(ForkEntry(type="fork", turn=self.turn, parent=parent, from_hash=last, note=note))

    def state_hash(self) -> str:
        """World digest plus hands and piles: any divergence in play or draws shows here."""
        h = hashlib.sha256(self.world.digest().encode())
        h.update(json.dumps({t: [d.draw, d.hand, d.discard] for t, d in sorted(self.decks.items())},
                            sort_keys=True).encode())
        h.update(json.dumps(sorted(self.played)).encode())
        return h.hexdigest()


def replace_order(order: Order, targets: dict[str, str]) -> Order:
    merged = dict(order.targets)
    merged.update(targets)
    return order.model_copy(update={"targets": merged})
