"""A seminar game around one table: who sits where (people or bots), each team's plan
before it commits, the White Cell's controls, autosave, and the views a front end shows.

No UI and no textual import: the TUI calls this, and so can tests and scripts.

Turn flow for a seminar (DESIGN.md): at the start of a turn the bots commit; the human
teams then plan and commit one after another, in scenario order (``due``); when every
human team has committed, the White Cell may inject or withdraw events, veto or amend
orders (or lift its rulings), and resolves. After every commit, inject, withdrawal,
override, resolution and undo ``on_change`` is called: the front
end wires it to an atomic autosave (``wargame.store.save.save_seminar``), so a kill in the
middle of a turn loses at most the plan of the team at the keyboard.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from wargame.engine.resolve import TurnResult, market_flows
from wargame.game.bots import POLICIES, Bot
from wargame.game.session import OrderError, Session
from wargame.model.common import STAGES
from wargame.model.deck import Card, TargetSpec
from wargame.model.records import Inject, Order, Override, Withdrawal

HUMAN = "human"
SEATS: tuple[str, ...] = (HUMAN,) + POLICIES


@dataclass(frozen=True)
class MeterRow:
    """One meter of one actor (or bloc) for a dashboard: value now, change since the last
    turn, and its history from turn 0."""

    meter: str
    key: str
    value: float
    delta: float
    history: tuple[float, ...]


@dataclass(frozen=True)
class Supplier:
    actor: str
    share: float  # share of the importer's receipts at that stage, 0..1
    rival: bool
    own: bool


@dataclass(frozen=True)
class DependencyRow:
    """How one actor gets one mineral at one stage."""

    mineral: str
    stage: str
    need: bool  # does the actor need this stage's output at all
    import_reliance: float  # % of needs from abroad (or unmet)
    rival_reliance: float  # % of needs from rivals
    hhi: float  # supplier concentration 0..10000
    suppliers: tuple[Supplier, ...]  # largest first


@dataclass(frozen=True)
class Why:
    """One attributed meter change in a turn: ``meter[key]`` moved by ``delta`` because of
    ``label`` (a card, an event or a mechanism) through ``mechanism``."""

    meter: str
    key: str
    delta: float
    cause: str
    label: str
    mechanism: str


@dataclass(frozen=True)
class Report:
    """What happened in a resolved turn, for the news feed and the "why" panel."""

    turn: int
    orders: dict[str, list[Order]]  # as committed, revealed after resolution
    vetoed: dict[str, list[int]]
    injects: list[Inject]
    overrides: list[Override]
    news: tuple[str, ...]
    events: tuple[str, ...]
    why: tuple[Why, ...]  # largest first


_DIGEST = re.compile(r"[0-9a-f]{64}")


def passphrase_digest(passphrase: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{passphrase}".encode()).hexdigest()


class Seminar:
    """A session plus the table around it. Build with ``Seminar(session, seats)`` or
    ``Seminar.load(path)``."""

    def __init__(self, session: Session, seats: Mapping[str, str] | None = None,
                 passphrase: str | None = None, on_change: Callable[[], None] | None = None):
        self.session = session
        teams = [t.id for t in session.scenario.teams]
        seats = dict(seats or {})
        unknown = sorted(set(seats) - set(teams))
        if unknown:
            raise OrderError(f"unknown team(s) {', '.join(unknown)} (teams: {', '.join(teams)})")
        for team, seat in seats.items():
            if seat not in SEATS:
                raise OrderError(f"{team}: unknown seat '{seat}' (choose from {', '.join(SEATS)})")
        self.seats = {t: seats.get(t, HUMAN) for t in teams}
        self.seats_known = True  # False for a save that does not say who sat where (a headless game)
        self._bots = {t: Bot(t, s, session.seed) for t, s in self.seats.items() if s != HUMAN}
        self._plans: dict[str, list[Order]] = {t: [] for t in teams}
        self._salt = f"{session.scenario.id}/{session.seed}"
        self._pass = passphrase_digest(passphrase, self._salt) if passphrase else None
        self.on_change = on_change
        self._flows0: np.ndarray | None = None
        self.play_bots()

    @staticmethod
    def kept_table(table: object, teams: Sequence[str]) -> dict:
        """What can be kept of the table a save recorded: the seats, when every one names a
        team of the game and a seat it can take, and the passphrase digest, when it is one
        (64 hex digits). The rest is dropped, so nothing malformed is carried into another
        save or the game."""
        kept: dict = {}
        seats = table.get("seats") if isinstance(table, dict) else None
        if isinstance(seats, dict) and all(isinstance(v, str) and v in SEATS for v in seats.values()) \
                and set(seats) <= set(teams):
            kept["seats"] = dict(seats)
        digest = table.get("passphrase") if isinstance(table, dict) else None
        if isinstance(digest, str) and _DIGEST.fullmatch(digest):
            kept["passphrase"] = digest
        return kept

    @classmethod
    def resume(cls, session: Session, table: object) -> "Seminar":
        """A seminar around a replayed session, with the table a save recorded (anything
        malformed there falls back to every team human, no passphrase: ``kept_table``)."""
        kept = cls.kept_table(table, [t.id for t in session.scenario.teams])
        seminar = cls(session, kept.get("seats"))
        seminar.seats_known = "seats" in kept
        seminar._pass = kept.get("passphrase")
        return seminar

    def table(self) -> dict:
        """Who sits where, for the save (the passphrase only as a salted digest)."""
        return {"seats": dict(self.seats), "passphrase": self._pass}

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # --- who is at the table --------------------------------------------------------------
    @property
    def teams(self) -> list[str]:
        return list(self.seats)

    @property
    def humans(self) -> list[str]:
        return [t for t, s in self.seats.items() if s == HUMAN]

    @property
    def turn(self) -> int:
        return self.session.turn

    @property
    def over(self) -> bool:
        return self.session.over

    @property
    def due(self) -> str | None:
        """The human team whose orders are due next; None when the White Cell's turn has come."""
        if self.over:
            return None
        for team in self.humans:
            if not self.session.committed(team):
                return team
        return None

    def team_name(self, team: str, lang: str = "en") -> str:
        return self.session.team(team).name.get(lang)

    def actor_name(self, actor: str, lang: str = "en") -> str:
        for a in self.session.scenario.actors:
            if a.id == actor:
                return a.name.get(lang)
        return actor

    # --- White Cell passphrase --------------------------------------------------------------
    @property
    def protected(self) -> bool:
        return self._pass is not None

    def unlock(self, passphrase: str) -> bool:
        return self._pass is None or passphrase_digest(passphrase, self._salt) == self._pass

    # --- a team's plan ----------------------------------------------------------------------
    def hand(self, team: str) -> list[Card]:
        return self.session.hand(team)

    def plan(self, team: str) -> list[Order]:
        return list(self._plans[team])

    def budget(self, team: str) -> int:
        return self.session.team(team).budget

    def spent(self, team: str) -> int:
        return self.session.spent(team, self._plans[team])

    def left(self, team: str) -> int:
        return self.budget(team) - self.spent(team)

    def actors(self, team: str) -> list[str]:
        return list(self.session.team(team).actors)

    def choices(self, card: Card | str, target: TargetSpec) -> list[str]:
        """The values a player may pick for one target of a card."""
        if target.choices is not None:
            return list(target.choices)
        idx = self.session.index
        return {"mineral": list(idx.minerals), "actor": list(idx.actors), "bloc": list(idx.blocs),
                "party": list(idx.actors) + list(idx.blocs), "stage": list(STAGES)}[target.kind]

    def why_not(self, team: str, order: Order) -> str | None:
        """Why this order cannot join the team's plan now (None if it can)."""
        problem = self.problem(team, order)
        return None if problem is None else str(problem)

    def problem(self, team: str, order: Order) -> OrderError | None:
        """The error that keeps this order out of the team's plan now (None if it can join):
        its message, and the failed condition or the budget when that is the reason."""
        try:
            self.session.check_orders(team, self._plans[team] + [order])
        except OrderError as exc:
            return exc
        return None

    def add(self, team: str, order: Order) -> None:
        """Add an order to the team's plan; OrderError (and no change) if it is not legal."""
        self._editable(team)
        self.session.check_orders(team, self._plans[team] + [order])
        self._plans[team].append(order)

    def remove(self, team: str, i: int) -> Order:
        self._editable(team)
        return self._plans[team].pop(i)

    def commit(self, team: str) -> None:
        """Seal the team's plan as its orders for this turn (autosaved)."""
        self._editable(team)
        self.session.submit(team, list(self._plans[team]))
        self._plans[team] = []
        self._changed()

    def _editable(self, team: str) -> None:
        if self.seats.get(team) != HUMAN:
            raise OrderError(f"{team} is played by a bot")
        if self.over:
            raise OrderError("the game is over")
        if self.session.committed(team):
            raise OrderError(f"{team} has already committed its orders for turn {self.turn}")

    # --- bots ----------------------------------------------------------------------------------
    def play_bots(self) -> None:
        """Bots that have not committed this turn commit now (they play from their hand)."""
        if self.over:
            return
        for team, bot in self._bots.items():
            if not self.session.committed(team):
                bot.play(self.session)

    # --- the White Cell ----------------------------------------------------------------------
    def committed_orders(self) -> dict[str, list[Order]]:
        """Every team's committed orders (the White Cell's view only)."""
        return {t: self.session.orders(t) for t in self.teams if self.session.committed(t)}

    def event_cards(self) -> list[Card]:
        return list(self.session.content.event_cards())

    def inject(self, inject: Inject) -> None:
        self.session.inject(inject)
        self._changed()

    def reopen(self, team: str, rationale: str) -> None:
        """Give a human team its committed orders back, as its plan, to change and commit
        again (it is due once more); recorded in the save with the rationale."""
        if self.seats.get(team) != HUMAN:
            raise OrderError(f"{team} is played by a bot")
        if not rationale.strip():
            raise OrderError("reopening a team's orders needs a written rationale")
        orders = self.session.orders(team)
        self.session.reopen(team, rationale)
        self._plans[team] = orders
        self._changed()

    def withdraw(self, withdrawal: Withdrawal) -> None:
        if not withdrawal.rationale.strip():
            raise OrderError("a withdrawal needs a written rationale")
        self.session.withdraw(withdrawal)
        self._changed()

    def override(self, override: Override) -> None:
        if not override.rationale.strip():
            raise OrderError("a ruling needs a written rationale")
        self.session.override(override)
        self._changed()

    def resolve(self) -> TurnResult:
        """Resolve the turn (teams that did not commit pass), autosave, and let the bots
        commit for the next one."""
        result = self.session.resolve(explain=True)
        self._plans = {t: [] for t in self.teams}
        self.play_bots()
        self._changed()
        return result

    def undo(self, rationale: str) -> None:
        """Rewind the last resolution (recorded in the save with its rationale)."""
        self.session.undo(rationale)
        self._plans = {t: [] for t in self.teams}
        self.play_bots()
        self._changed()

    # --- views ---------------------------------------------------------------------------------
    def series(self, meter: str, *key: str) -> list[float]:
        """A meter over every turn so far (turn 0 first)."""
        pos = self._positions(meter, key)
        return [float(np.asarray(m[meter])[pos]) for m in self.session.history]

    def _positions(self, meter: str, key: tuple[str, ...]) -> tuple:
        idx = self.session.index
        axes = {"actor": idx.actor_pos, "mineral": idx.mineral_pos, "bloc": idx.bloc_pos,
                "stage": {s: i for i, s in enumerate(STAGES)}}
        out = []
        for k in key:
            for ax in ("actor", "mineral", "bloc", "stage"):
                if k in axes[ax]:
                    out.append(axes[ax][k])
                    break
            else:
                raise KeyError(f"{meter}: unknown key '{k}'")
        return tuple(out)

    def meter_row(self, meter: str, *key: str) -> MeterRow:
        hist = self.series(meter, *key)
        delta = hist[-1] - hist[-2] if len(hist) > 1 else 0.0
        return MeterRow(meter, "/".join(key), hist[-1], delta, tuple(hist))

    def dashboard(self, team: str) -> list[MeterRow]:
        """The team's meters: per actor of the team, then the cohesion of its blocs, then
        the global securitisation index."""
        rows = []
        for actor in self.actors(team):
            for meter in ("dependency", "cost", "leverage", "lock_in", "value_added"):
                rows.append(self.meter_row(meter, actor))
        for bloc in self.blocs_of(team):
            rows.append(self.meter_row("cohesion", bloc))
        rows.append(self.meter_row("securitisation"))
        return rows

    def blocs_of(self, team: str) -> list[str]:
        idx, w = self.session.index, self.session.world
        mine = [idx.actor_pos[a] for a in self.actors(team)]
        return [b for b, i in idx.bloc_pos.items() if w.member[i, mine].any()]

    def flows(self, turn: int | None = None) -> np.ndarray | None:
        """The realised flows (M, S, A, A) of a resolved turn (the last by default; 0 = the
        baseline market)."""
        s = self.session
        turn = s.world.turn if turn is None else turn
        if turn == 0:
            if self._flows0 is None:
                first = s._snapshots[0].world if s._snapshots else s.world
                self._flows0 = market_flows(first, s.index, s.rules)
            return self._flows0
        return s.records[turn - 1].result.flows

    def dependency(self, actor: str, top: int = 3) -> list[DependencyRow]:
        """Per mineral and stage: how much ``actor`` relies on imports and on rivals, how
        concentrated its suppliers are, and who they are (from the last turn's flows)."""
        s = self.session
        idx, m = s.index, s.meters
        a = idx.actor_pos[actor]
        flows = self.flows()
        rival = s.world.affinity[a] < s.rules.rival_threshold
        rows = []
        for mi, mineral in enumerate(idx.minerals):
            for si, stage in enumerate(STAGES):
                need = bool(m["import_reliance"][a, mi, si] > 0 or
                            (flows is not None and flows[mi, si, :, a].sum() > 0))
                suppliers: tuple[Supplier, ...] = ()
                if flows is not None:
                    recv = flows[mi, si, :, a]
                    total = recv.sum()
                    if total > 0:
                        order = np.argsort(-recv, kind="stable")[:top]
                        suppliers = tuple(Supplier(idx.actors[i], float(recv[i] / total), bool(rival[i]), i == a)
                                          for i in order if recv[i] > 0)
                rows.append(DependencyRow(mineral, stage, need,
                                          float(m["import_reliance"][a, mi, si]),
                                          float(m["rival_reliance"][a, mi, si]),
                                          float(m["hhi"][a, mi, si]), suppliers))
        return rows

    def report(self, turn: int | None = None, smallest: float = 0.05) -> Report:
        """What happened in a resolved turn (the last by default) and why the meters moved."""
        s = self.session
        turn = s.world.turn if turn is None else turn
        if not 1 <= turn <= len(s.records):
            raise OrderError(f"turn {turn} has not been resolved")
        rec = s.records[turn - 1]
        vetoed: dict[str, list[int]] = {}
        for ov in rec.overrides:
            if ov.action == "veto":
                vetoed.setdefault(ov.team, []).append(ov.index)
        why = [Why(ln.meter, ln.key, ln.delta, ln.cause, ln.label, ln.mechanism)
               for ln in rec.result.ledger if abs(ln.delta) >= smallest]
        why.sort(key=lambda w: (-abs(w.delta), w.meter, w.key, w.cause))
        return Report(turn, {t: list(o) for t, o in rec.orders.items()}, vetoed, list(rec.injects),
                      list(rec.overrides), rec.result.news, rec.result.events, tuple(why))

    def comparison(self, turn: int | None = None) -> dict[str, dict[str, float]]:
        """Every team side by side (means over a team's actors; cohesion over its blocs),
        now or after ``turn`` (0: the start)."""
        s = self.session
        idx, m = s.index, (s.meters if turn is None else s.history[turn])
        out = {}
        for team in self.teams:
            pos = [idx.actor_pos[a] for a in self.actors(team)]
            blocs = [idx.bloc_pos[b] for b in self.blocs_of(team)]
            row = {k: float(np.mean(np.asarray(m[k])[pos]))
                   for k in ("dependency", "cost", "leverage", "lock_in")}
            row["value_added"] = float(np.sum(np.asarray(m["value_added"])[pos]))
            row["shortage"] = float(np.mean(np.asarray(m["shortage"])[pos]))
            row["cohesion"] = float(np.mean(np.asarray(m["cohesion"])[blocs])) if blocs else float("nan")
            out[team] = row
        return out
